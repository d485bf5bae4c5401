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

#include "color.h"
#include "exitcodes.h"
#include "outcome.h"
#include "render.h"
#include "sgr.h"

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
	outcome_line(b, sizeof(b), &ok, "build", 1200 * MS, true, 0, false);
	assert_string_equal(b, "\u2714 build (1.2s)");
	outcome_line(b, sizeof(b), &bad, "build", 1200 * MS, true, 0, false);
	assert_string_equal(b, "\u2716 build (exit 2, 1.2s)");
	outcome_line(b, sizeof(b), &to, "build", 1200 * MS, true, 0, false);
	assert_string_equal(b, "\u2716 build (timed out, 1.2s)");
	outcome_line(b, sizeof(b), &sig, "build", 1200 * MS, true, 0, false);
	assert_string_equal(b, "\u2716 build (SIGINT, 1.2s)");
	outcome_line(b, sizeof(b), &nf, "build", 0, false, 0, false);
	assert_string_equal(b, "x build (exit 127, 0.0s)");
	outcome_line(b, sizeof(b), &ok, "build", 0, false, 0, false);
	assert_string_equal(b, "v build (0.0s)");
}

static void
test_persist_line_fits_the_width_message_first(void **state)
{
	char b[512];
	struct outcome bad = { OUTCOME_EXITED, 2, 0 };

	(void)state;
	outcome_line(b, sizeof(b), &bad, "a long message here", 1200 * MS,
	    true, 24, false);
	assert_string_equal(b, "\u2716 a long\u2026 (exit 2, 1.2s)");
	for (size_t cols = 1; cols < 60; cols++) {
		outcome_line(b, sizeof(b), &bad, "a long message here",
		    1200 * MS, true, cols, false);
		assert_true(render_width(b) <= cols);
	}
}

static void
test_persist_line_mark_is_green_or_red_with_color(void **state)
{
	char b[512];
	struct outcome ok = { OUTCOME_EXITED, 0, 0 };
	struct outcome bad = { OUTCOME_EXITED, 2, 0 };
	struct outcome to = { OUTCOME_TIMEDOUT, 0, 0 };
	struct outcome nf = { OUTCOME_FAILED, 127, 0 };
	size_t n;

	(void)state;
	n = outcome_line(b, sizeof(b), &ok, "build", 1200 * MS, true, 0, true);
	assert_string_equal(b, COLOR_GREEN "\u2714" COLOR_FG_END
	    " build (1.2s)");
	assert_int_equal(n, strlen(b));
	outcome_line(b, sizeof(b), &bad, "build", 1200 * MS, true, 0, true);
	assert_string_equal(b, COLOR_RED "\u2716" COLOR_FG_END
	    " build (exit 2, 1.2s)");
	outcome_line(b, sizeof(b), &to, "build", 1200 * MS, true, 40, true);
	assert_string_equal(b, COLOR_RED "\u2716" COLOR_FG_END
	    " build (timed out, 1.2s)");
	/* the ASCII marks alike */
	outcome_line(b, sizeof(b), &ok, "build", 0, false, 0, true);
	assert_string_equal(b, COLOR_GREEN "v" COLOR_FG_END " build (0.0s)");
	outcome_line(b, sizeof(b), &nf, "build", 0, false, 0, true);
	assert_string_equal(b, COLOR_RED "x" COLOR_FG_END
	    " build (exit 127, 0.0s)");
}

static void
test_painted_persist_line_keeps_its_text_and_columns(void **state)
{
	static const struct outcome ends[] = {
		{ OUTCOME_EXITED, 0, 0 }, { OUTCOME_EXITED, 2, 0 },
		{ OUTCOME_TIMEDOUT, 0, 0 }, { OUTCOME_SIGNALED, 0, SIGINT },
		{ OUTCOME_STOPPED, 0, SIGTERM }, { OUTCOME_NOSTART, 125, 0 },
	};
	char plain[512], painted[512], back[512];

	(void)state;
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		for (int utf8 = 0; utf8 <= 1; utf8++)
			for (size_t cols = 0; cols < 60; cols++) {
				const char *mark = i == 0 ?
				    (utf8 ? "\u2714" : "v") :
				    (utf8 ? "\u2716" : "x");

				outcome_line(plain, sizeof(plain), &ends[i],
				    "a message of some length", 1200 * MS,
				    utf8, cols, false);
				outcome_line(painted, sizeof(painted),
				    &ends[i], "a message of some length",
				    1200 * MS, utf8, cols, true);
				assert_true(sgr_unpaint(painted, back,
				    sizeof(back)));
				assert_string_equal(back, plain);
				/* painted when the mark is whole, else not */
				if (strncmp(plain, mark, strlen(mark)) == 0)
					assert_int_equal(painted[0], '\033');
				else
					assert_string_equal(painted, plain);
			}
}

static void
test_mark_cut_to_an_ellipsis_is_not_painted(void **state)
{
	char b[64];
	struct outcome bad = { OUTCOME_EXITED, 2, 0 };

	(void)state;
	outcome_line(b, sizeof(b), &bad, "build", 1200 * MS, true, 1, true);
	assert_string_equal(b, "\u2026");
	/* two columns: the mark whole, then the ellipsis */
	outcome_line(b, sizeof(b), &bad, "build", 1200 * MS, true, 2, true);
	assert_string_equal(b, COLOR_RED "\u2716" COLOR_FG_END "\u2026");
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
		cmocka_unit_test(
		    test_persist_line_mark_is_green_or_red_with_color),
		cmocka_unit_test(
		    test_painted_persist_line_keeps_its_text_and_columns),
		cmocka_unit_test(test_mark_cut_to_an_ellipsis_is_not_painted),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
