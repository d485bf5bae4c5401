/* outcome: wait statuses, exit statuses and the --persist line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "outcome.h"
#include "render.h"

#define MS INT64_C(1000000)

static int
wait_status_of(int code, int sig)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (sig)
			signal(sig, SIG_DFL), raise(sig);
		_exit(code);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void
test_wait_status_maps_to_exit_status(void **state)
{
	struct outcome o;

	(void)state;
	o = outcome_from_wait(wait_status_of(0, 0));
	assert_int_equal(o.kind, OUTCOME_EXITED);
	assert_int_equal(outcome_status(&o), 0);
	o = outcome_from_wait(wait_status_of(7, 0));
	assert_int_equal(outcome_status(&o), 7);
	o = outcome_from_wait(wait_status_of(0, SIGTERM));
	assert_int_equal(o.kind, OUTCOME_SIGNALED);
	assert_int_equal(o.sig, SIGTERM);
	assert_int_equal(outcome_status(&o), 143);
	o.kind = OUTCOME_TIMEDOUT;
	assert_int_equal(outcome_status(&o), EXIT_TIMEDOUT);
	o.kind = OUTCOME_FAILED;
	o.code = EXIT_ENOENT;
	assert_int_equal(outcome_status(&o), 127);
}

static void
test_elapsed_format(void **state)
{
	char b[32];

	(void)state;
	outcome_elapsed(b, sizeof(b), 1234 * MS);
	assert_string_equal(b, "1.2s");
	outcome_elapsed(b, sizeof(b), 0);
	assert_string_equal(b, "0.0s");
	outcome_elapsed(b, sizeof(b), 59949 * MS);
	assert_string_equal(b, "59.9s");
	outcome_elapsed(b, sizeof(b), 125000 * MS);
	assert_string_equal(b, "2m05s");
}

static void
test_persist_lines(void **state)
{
	char b[512];
	struct outcome ok = { OUTCOME_EXITED, 0, 0 };
	struct outcome bad = { OUTCOME_EXITED, 2, 0 };
	struct outcome to = { OUTCOME_TIMEDOUT, 0, 0 };
	struct outcome sig = { OUTCOME_SIGNALED, 0, SIGINT };
	struct outcome nf = { OUTCOME_FAILED, 127, 0 };

	(void)state;
	outcome_line(b, sizeof(b), &ok, "build", 1200 * MS, true, 0);
	assert_string_equal(b, "\u2714 build (1.2s)");
	outcome_line(b, sizeof(b), &bad, "build", 1200 * MS, true, 0);
	assert_string_equal(b, "\u2716 build (exit 2, 1.2s)");
	outcome_line(b, sizeof(b), &to, "build", 1200 * MS, true, 0);
	assert_string_equal(b, "\u2716 build (timed out, 1.2s)");
	outcome_line(b, sizeof(b), &sig, "build", 1200 * MS, true, 0);
	assert_string_equal(b, "\u2716 build (SIGINT, 1.2s)");
	outcome_line(b, sizeof(b), &nf, "build", 0, false, 0);
	assert_string_equal(b, "x build (exit 127, 0.0s)");
	outcome_line(b, sizeof(b), &ok, "build", 0, false, 0);
	assert_string_equal(b, "v build (0.0s)");
}

static void
test_persist_line_fits_the_width_message_first(void **state)
{
	char b[512];
	struct outcome bad = { OUTCOME_EXITED, 2, 0 };

	(void)state;
	outcome_line(b, sizeof(b), &bad, "a long message here", 1200 * MS,
	    true, 24);
	assert_string_equal(b, "\u2716 a long\u2026 (exit 2, 1.2s)");
	for (size_t cols = 1; cols < 60; cols++) {
		outcome_line(b, sizeof(b), &bad, "a long message here",
		    1200 * MS, true, cols);
		assert_true(render_width(b) <= cols);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wait_status_maps_to_exit_status),
		cmocka_unit_test(test_elapsed_format),
		cmocka_unit_test(test_persist_lines),
		cmocka_unit_test(
		    test_persist_line_fits_the_width_message_first),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
