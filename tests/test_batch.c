/*
 * batch: reading tasks, the limit on how many run at once, and whole
 * runs of real tasks driven by hand, as a front end would drive them
 * (the log, the verdicts, --fail-fast, --output, the status).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "options.h"

static struct spin_opts opts;
static struct batch b;
static struct batch_task *watched[64];
static size_t nwatched;
static char path[64];

static int
watch(void *arg, struct batch_task *t)
{
	(void)arg;
	watched[nwatched++] = t;
	return 0;
}

static const struct batch_hooks hooks = { NULL, NULL, NULL, watch, NULL,
    NULL, false, NULL };

static int
parse(const char *first, ...)
{
	char *argv[32] = { "spinner", (char *)first };
	char err[512];
	int argc = 2;
	va_list ap;

	va_start(ap, first);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	assert_int_equal(options_parse(&opts, argc, argv, 1000000000, err,
	    sizeof(err)), OPTIONS_RUN);
	return 0;
}

static const char *
file(const char *text, size_t len)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/spinner-batch-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

/* stderr, while f runs, into out. */
static int
init_capturing(char *out, size_t size)
{
	int p[2], saved = dup(2), rc;
	ssize_t n;

	assert_int_equal(pipe(p), 0);
	dup2(p[1], 2);
	close(p[1]);
	rc = batch_init(&b, &opts, &hooks);
	dup2(saved, 2);
	close(saved);
	n = read(p[0], out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	return rc;
}

static void
teardown_batch(void)
{
	for (size_t i = 0; i < b.n; i++) {
		free(b.t[i].name);
		free(b.t[i].cmd);
		kept_free(&b.t[i].out);
	}
	free(b.t);
	free(b.closed);
	free(b.linger);
	buf_free(&b.pending);
	board_free(&b.board);
	memset(&b, 0, sizeof(b));
	nwatched = 0;
	if (path[0] != '\0')
		unlink(path);
	path[0] = '\0';
}

static int
reset(void **state)
{
	(void)state;
	teardown_batch();
	return 0;
}

static void
test_tasks_from_c_then_file(void **state)
{
	const char text[] = "lint\tmake lint\n"
	    "\n"
	    "   # a comment\n"
	    "make docs\r\n"
	    "\tonly a command after a tab\n"
	    "e2e\t  run e2e";
	char err[256];

	(void)state;
	parse("-c", "true", "-T", file(text, sizeof(text) - 1), NULL);
	assert_int_equal(init_capturing(err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(b.n, 5);
	assert_string_equal(b.t[0].name, "true");
	assert_string_equal(b.t[0].cmd, "true");
	assert_string_equal(b.t[1].name, "lint");
	assert_string_equal(b.t[1].cmd, "make lint");
	assert_string_equal(b.t[2].name, "make docs");
	assert_string_equal(b.t[2].cmd, "make docs");
	assert_string_equal(b.t[3].name, "only a command after a tab");
	assert_string_equal(b.t[4].name, "e2e");
	assert_string_equal(b.t[4].cmd, "  run e2e");
	teardown_batch();
}

static void
test_bad_task_files(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *says;
	} bad[] = {
		{ "true\nname\t\n", 11, "line 2: a name and no command "
		    "after its tab" },
		{ "true\nx\0y\n", 8, "line 2: holds a NUL byte" },
		{ "ok\t \t\n", 6, "line 1: a name and no command" },
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse("-T", file(bad[i].text, bad[i].len), NULL);
		assert_int_equal(init_capturing(err, sizeof(err)), 125);
		assert_non_null(strstr(err, "--tasks: "));
		assert_non_null(strstr(err, bad[i].says));
		assert_non_null(strchr(err, '\n'));
		assert_ptr_equal(strchr(err, '\n') + 1, err + strlen(err));
		teardown_batch();
	}
	parse("-T", "/nonexistent/tasks", NULL);
	assert_int_equal(init_capturing(err, sizeof(err)), 125);
	assert_non_null(strstr(err, "'/nonexistent/tasks': cannot open it: "
	    "No such file or directory\n"));
	teardown_batch();
}

static void
test_limit_is_jobs_at_most_the_tasks(void **state)
{
	char err[256];

	(void)state;
	parse("-c", "a", "-c", "b", "-c", "c", "-j", "2", NULL);
	assert_int_equal(init_capturing(err, sizeof(err)), 0);
	assert_int_equal(b.limit, 2);
	teardown_batch();
	parse("-c", "a", "-c", "b", "-c", "c", "-j", "0", NULL);
	assert_int_equal(init_capturing(err, sizeof(err)), 0);
	assert_int_equal(b.limit, 3);
	teardown_batch();
	parse("-c", "a", "-c", "b", "-c", "c", "-j", "50", NULL);
	assert_int_equal(init_capturing(err, sizeof(err)), 0);
	assert_int_equal(b.limit, 3);
	teardown_batch();
	parse("-c", "a", NULL);
	assert_int_equal(init_capturing(err, sizeof(err)), 0);
	assert_int_equal(b.limit, 1);
	teardown_batch();
}

/*
 * Run every task to its end as the thread binary would (read to EOF,
 * then wait), oldest first; the log goes to a pipe, returned in out.
 */
static int
run(char *out, size_t size)
{
	int p[2], rc;
	ssize_t n;
	size_t done = 0;

	assert_int_equal(init_capturing(out, size), 0);
	assert_int_equal(pipe(p), 0);
	b.fd = p[1];
	b.animate = false;
	b.color = false;	/* whatever stderr and the environment say */
	b.utf8 = false;
	batch_start(&b, NULL, NULL);
	while (!batch_done(&b)) {
		struct batch_task *t;
		char buf[4096];
		siginfo_t si;

		assert_true(done < nwatched);
		t = watched[done++];
		while ((n = read(t->fd, buf, sizeof(buf))) > 0)
			batch_output(&b, t, buf, (size_t)n);
		batch_output(&b, t, NULL, 0);
		assert_int_equal(waitid(P_PID, (id_t)t->pid, &si, WEXITED |
		    WNOWAIT), 0);
		batch_exited(&b, t);
	}
	rc = batch_end(&b);
	close(p[1]);
	n = read(p[0], out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	/* the times: 0.0s, whatever they were */
	for (char *s = out, *d = out;; s++) {
		size_t k = strspn(s, "0123456789");

		if (k > 0 && s[k] == '.' && s[k + 1] >= '0' &&
		    s[k + 1] <= '9' && s[k + 2] == 's') {
			memcpy(d, "0.0s", 4);
			d += 4;
			s += k + 2;
		} else if ((*d++ = *s) == '\0') {
			break;
		}
	}
	return rc;
}

static void
test_a_run_logs_each_event_and_fails_with_123(void **state)
{
	char out[4096];

	(void)state;
	parse("-j", "1", "-c", "true", "-c", "echo oops; exit 3",
	    "-c", "echo fine", "-c", "kill -SEGV $$", NULL);
	assert_int_equal(run(out, sizeof(out)), 123);
	assert_string_equal(out,
	    "> true\n"
	    "v true (0.0s)\n"
	    "> echo oops; exit 3\n"
	    "x echo oops; exit 3 (exit 3, 0.0s)\n"
	    "--- output of echo oops; exit 3 ---\n"
	    "oops\n"
	    "--- end of echo oops; exit 3 ---\n"
	    "> echo fine\n"
	    "v echo fine (0.0s)\n"
	    "> kill -SEGV $$\n"
	    "x kill -SEGV $$ (SIGSEGV, 0.0s)\n"
	    "x 2 ok, 2 failed, 0.0s\n");
	teardown_batch();
}

static void
test_output_all_and_none(void **state)
{
	char out[4096];

	(void)state;
	parse("-j", "1", "--output=all", "-c", "printf 'a\\nb'", NULL);
	assert_int_equal(run(out, sizeof(out)), 0);
	assert_string_equal(out,
	    "> printf 'a\\nb'\n"
	    "v printf 'a\\nb' (0.0s)\n"
	    "--- output of printf 'a\\nb' ---\n"
	    "a\nb\n"
	    "--- end of printf 'a\\nb' ---\n"
	    "v 1 ok, 0 failed, 0.0s\n");
	teardown_batch();
	parse("-j", "1", "--output=none", "-c", "echo no; false", NULL);
	assert_int_equal(run(out, sizeof(out)), 123);
	assert_string_equal(out,
	    "> echo no; false\n"
	    "x echo no; false (exit 1, 0.0s)\n"
	    "x 0 ok, 1 failed, 0.0s\n");
	teardown_batch();
}

static void
test_fail_fast_starts_no_more(void **state)
{
	char out[4096];

	(void)state;
	parse("-j", "1", "--fail-fast", "-c", "true", "-c", "false",
	    "-c", "true", "-c", "true", NULL);
	assert_int_equal(run(out, sizeof(out)), 123);
	assert_string_equal(out,
	    "> true\n"
	    "v true (0.0s)\n"
	    "> false\n"
	    "x false (exit 1, 0.0s)\n"
	    "x 1 ok, 1 failed, 2 not started, 0.0s\n");
	teardown_batch();
}

static void
test_no_tasks_is_success(void **state)
{
	char out[4096];

	(void)state;
	parse("-T", file("\n# nothing\n", 11), NULL);
	assert_int_equal(run(out, sizeof(out)), 0);
	assert_string_equal(out, "v 0 ok, 0 failed, 0.0s\n");
	teardown_batch();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_tasks_from_c_then_file, reset),
		cmocka_unit_test_teardown(test_bad_task_files, reset),
		cmocka_unit_test_teardown(test_limit_is_jobs_at_most_the_tasks, reset),
		cmocka_unit_test_teardown(test_a_run_logs_each_event_and_fails_with_123, reset),
		cmocka_unit_test_teardown(test_output_all_and_none, reset),
		cmocka_unit_test_teardown(test_fail_fast_starts_no_more, reset),
		cmocka_unit_test_teardown(test_no_tasks_is_success, reset),
	};

	setlocale(LC_CTYPE, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
