/*
 * The worker of spinner-thread: spin() on its thread, stopped the seed's
 * way.  The front end is included whole so its static parts can be tested;
 * its main() is renamed out of the way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <locale.h>
#include <stdbool.h>
#include <time.h>

/*
 * The worker's clock: the real one, or, while clock_stopped, stopped at 0.
 * Stopped, every frame's time has long passed, so the worker draws frame
 * after frame at once and none is ever late enough to be skipped.
 */
static bool clock_stopped;

static int
worker_clock(clockid_t id, struct timespec *ts)
{
	if (!clock_stopped)
		return clock_gettime(id, ts);
	ts->tv_sec = 0;
	ts->tv_nsec = 0;
	return 0;
}

int spinner_thread_main(int argc, char **argv);
#define main spinner_thread_main
#define clock_gettime worker_clock
#include "../src/spinner-thread.c"
#undef clock_gettime
#undef main

#include "screen.h"

#define HOUR (3600 * OPTIONS_NS_PER_SEC)

static int pipefd[2];
static struct spinner sp;

static int
setup(void **state)
{
	(void)state;
	if (pipe(pipefd) != 0)
		return -1;
	memset(&sp, 0, sizeof(sp));
	sp.fd = pipefd[1];
	pthread_mutex_init(&sp.lock, NULL);
	line_init(&sp.line, styles_default(), "thinking!", true, 80);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(pipefd[0]);
	close(pipefd[1]);
	pthread_mutex_destroy(&sp.lock);
	pthread_cond_destroy(&sp.wake);
	clock_stopped = false;
	alarm(0);
	return 0;
}

/* Read from the worker's pipe until got holds needle. */
static void
read_until(char *got, size_t size, size_t *len, const char *needle)
{
	while (strstr(got, needle) == NULL) {
		ssize_t n = read(pipefd[0], got + *len, size - 1 - *len);
		assert_true(n > 0);
		*len += (size_t)n;
		got[*len] = '\0';
	}
}

static void
test_stop_wakes_the_worker_at_once_and_it_wipes_its_line(void **state)
{
	char got[4096] = "";
	size_t len = 0;
	struct screen scr;

	(void)state;
	/* With an hour between frames, only a wake-up can end the join;
	 * the alarm fails the test if the worker waited for its tick. */
	alarm(20);
	sp.interval = HOUR;
	assert_int_equal(spinner_start(&sp), 0);
	read_until(got, sizeof(got), &len, "| thinking!\033[K\033[11D");
	spinner_stop(&sp);
	assert_false(sp.started);
	close(pipefd[1]);
	pipefd[1] = -1;
	for (ssize_t n; (n = read(pipefd[0], got + len,
	    sizeof(got) - 1 - len)) > 0;)
		len += (size_t)n;
	got[len] = '\0';
	assert_string_equal(got,
	    "\033[?25l| thinking!\033[K\033[11D\033[K\033[?25h");

	screen_init(&scr, 3, 80);
	screen_feed(&scr, got, len);
	char row[1024];
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)), "");
	assert_true(scr.cursor_visible);
	pipefd[1] = dup(pipefd[0]);	/* something for teardown to close */
}

static void
test_worker_draws_the_seeds_frames_in_order(void **state)
{
	char got[8192] = "";
	size_t len = 0;

	(void)state;
	alarm(20);
	/* A frame more than an interval late is skipped by design, as a
	 * loaded machine could make one; with the clock stopped none is.
	 * The worker then never waits: once the pipe is full, it drops
	 * frames rather than blocking while it holds the lock. */
	clock_stopped = true;
	fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
	sp.interval = 10 * INT64_C(1000000);
	assert_int_equal(spinner_start(&sp), 0);
	read_until(got, sizeof(got), &len, "\\ thinking!");
	spinner_stop(&sp);
	const char *p = strstr(got, "| thinking!");
	const char *q = strstr(got, "/ thinking!");
	const char *r = strstr(got, "- thinking!");
	const char *s = strstr(got, "\\ thinking!");
	assert_true(p != NULL && q != NULL && r != NULL && s != NULL);
	assert_true(p < q && q < r && r < s);
}

static void
test_paused_worker_draws_nothing(void **state)
{
	char got[4096] = "";
	size_t len = 0;

	(void)state;
	alarm(20);
	sp.interval = 5 * INT64_C(1000000);
	sp.paused = true;
	assert_int_equal(spinner_start(&sp), 0);
	spinner_stop(&sp);
	close(pipefd[1]);
	pipefd[1] = dup(pipefd[0]);
	ssize_t n = read(pipefd[0], got, sizeof(got) - 1);
	len = n > 0 ? (size_t)n : 0;
	assert_int_equal(len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_stop_wakes_the_worker_at_once_and_it_wipes_its_line,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_worker_draws_the_seeds_frames_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_paused_worker_draws_nothing, setup, teardown),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
