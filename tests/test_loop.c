/*
 * The loop of spinner-async: on every path (the demo, COMMAND, a command
 * that cannot start, a timeout, a signal) every handle is closed and
 * uv_loop_close() succeeds, and the spin task's cancel runs its clean-up.
 * The front end is included whole; its main() is renamed out of the way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>

int spinner_async_main(int argc, char **argv);
#define main spinner_async_main
#include "../src/spinner-async.c"
#undef main

static struct app app;
static struct spin_opts opts;
static int open_handles;

static void
count_cb(uv_handle_t *h, void *arg)
{
	(void)h;
	(void)arg;
	open_handles++;
}

static void
parse(const char *first, ...)
{
	static char *argv[32];
	int argc = 0;
	char err[256];
	va_list ap;

	argv[argc++] = (char *)"spinner-async";
	va_start(ap, first);
	for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	assert_int_equal(options_parse(&opts, argc, argv, DEFAULT_INTERVAL,
	    err, sizeof(err)), OPTIONS_RUN);
}

/* Run the loop to its end; no handle may be left, and it must close. */
static void
run_to_end(void)
{
	uv_run(&app.loop, UV_RUN_DEFAULT);
	open_handles = 0;
	uv_walk(&app.loop, count_cb, NULL);
	assert_int_equal(open_handles, 0);
	assert_int_equal(app_run(&app), 0);
}

static void
test_demo_closes_every_handle(void **state)
{
	(void)state;
	parse("-q", "-d", "20ms", "-i", "5ms", "--animate=never", NULL);
	app_start(&app, &opts);
	run_to_end();
	assert_int_equal(app.out.kind, OUTCOME_EXITED);
	assert_int_equal(app.answer, 42);
}

static void
test_cancel_runs_the_clean_up_branch(void **state)
{
	int fds[2];
	char buf[256] = "";

	(void)state;
	assert_int_equal(pipe(fds), 0);
	parse("-q", "-d", "30ms", "-i", "1h", "--animate=always", NULL);
	app_start(&app, &opts);
	app.task.fd = fds[1];
	run_to_end();
	assert_true(app.task.cancelled);
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	/* one frame (the interval is an hour), then the wipe */
	assert_string_equal(buf,
	    "\033[?25l| thinking!\033[K\033[11D\033[K\033[?25h");
	close(fds[0]);
	close(fds[1]);
}

static void
test_command_closes_every_handle(void **state)
{
	(void)state;
	parse("--animate=never", "--", "sh", "-c", "exit 3", NULL);
	app_start(&app, &opts);
	run_to_end();
	assert_int_equal(outcome_status(&app.out), 3);
}

static void
test_command_that_cannot_start_closes_every_handle(void **state)
{
	(void)state;
	parse("--animate=never", "--", "/no/such/command", NULL);
	app_start(&app, &opts);
	run_to_end();
	assert_int_equal(app.out.kind, OUTCOME_FAILED);
	assert_int_equal(app.out.code, EXIT_ENOENT);
}

static void
test_timeout_closes_every_handle(void **state)
{
	(void)state;
	parse("--animate=never", "-t", "20ms", "-k", "20ms", "--", "sh", "-c",
	    "trap '' TERM; while :; do sleep 0.01; done", NULL);
	app_start(&app, &opts);
	run_to_end();
	assert_int_equal(outcome_status(&app.out), EXIT_TIMEDOUT);
}

static void
test_signal_closes_every_handle(void **state)
{
	(void)state;
	parse("-q", "-d", "1h", "--animate=never", NULL);
	app_start(&app, &opts);
	raise(SIGUSR2);		/* taken by its uv_signal_t on the loop */
	run_to_end();
	assert_int_equal(app.out.kind, OUTCOME_SIGNALED);
	assert_int_equal(app.out.sig, SIGUSR2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_closes_every_handle),
		cmocka_unit_test(test_cancel_runs_the_clean_up_branch),
		cmocka_unit_test(test_command_closes_every_handle),
		cmocka_unit_test(
		    test_command_that_cannot_start_closes_every_handle),
		cmocka_unit_test(test_timeout_closes_every_handle),
		cmocka_unit_test(test_signal_closes_every_handle),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
