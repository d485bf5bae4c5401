/*
 * End-to-end tests of SPINNER_BIN (spinner-thread or spinner-async): the
 * built binary on a pseudo-terminal, in pipes, with every way out.  The
 * bytes the terminal got are replayed on a screen model to see what a
 * person would see at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "screen.h"

#ifndef SPINNER_BIN
#define SPINNER_BIN "spinner-thread"
#endif
#define ELLIPSIS "\u2026"

static const char bin[] = SPINNER_BIN;
static struct screen scr;
static char text[SCREEN_ROWS * SCREEN_COLS * 4];

/* Replay what the terminal got on a rows x cols screen. */
static void
replay(const struct h_proc *p, int rows, int cols, size_t from)
{
	screen_init(&scr, rows, cols);
	if (p->tty != NULL && from < p->tty_len)
		screen_feed(&scr, p->tty + from, p->tty_len - from);
}

/* The terminal ends as it began: no text left, cursor shown. */
static void
assert_terminal_clean(const struct h_proc *p, int rows, int cols)
{
	replay(p, rows, cols, 0);
	assert_string_equal(screen_text(&scr, text, sizeof(text)), "");
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.hides, scr.shows);
	assert_int_equal(scr.wraps, 0);
	assert_int_equal(scr.unknown, 0);
}

static void
assert_exited(int st, int code)
{
	if (!WIFEXITED(st))
		fail_msg("not exited: status 0x%x", st);
	assert_int_equal(WEXITSTATUS(st), code);
}

static void
assert_signaled(int st, int sig)
{
	if (!WIFSIGNALED(st))
		fail_msg("not killed by a signal: status 0x%x", st);
	assert_int_equal(WTERMSIG(st), sig);
}

static bool
is_thread(void)
{
	return strcmp(bin, "spinner-thread") == 0;
}

/* Run on a pty with stdout a pipe, to the end. */
static int
run_pty(struct h_proc *p, const struct h_opts *o, const char *const argv[])
{
	struct h_opts def = { 0 };

	if (o == NULL) {
		def.out = H_STDOUT_PIPE;
		o = &def;
	}
	h_start(p, o, argv);
	return h_finish(p);
}

static void
test_demo_prints_object_then_answer_and_exits_0(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "0.3", "-i", "0.05", NULL };

	(void)state;
	assert_exited(run_pty(&p, NULL, argv), 0);
	if (is_thread()) {
		assert_string_equal(p.stdout_data, "spinner object: "
		    "<Thread(Thread-1 (spin), initial)>\nAnswer: 42\n");
	} else {
		assert_true(strncmp(p.stdout_data, "spinner object: <Task "
		    "pending name='Task-1' coro=<spin() running at ", 62) ==
		    0);
		assert_non_null(strstr(p.stdout_data, ">>\nAnswer: 42\n"));
	}
	assert_non_null(strstr(p.tty, "\033[?25l| thinking!\033[K\033[11D"));
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_demo_on_one_terminal_leaves_only_object_and_answer(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-d", "0.2", "-i", "0.05", NULL };
	char row[2048];

	(void)state;
	o.out = H_STDOUT_PTY;
	assert_exited(run_pty(&p, &o, argv), 0);
	replay(&p, 24, 80, 0);
	assert_true(strncmp(screen_row(&scr, 0, row, sizeof(row)),
	    "spinner object: <", 17) == 0);
	assert_string_equal(screen_row(&scr, 1, row, sizeof(row)),
	    "Answer: 42");
	assert_string_equal(screen_row(&scr, 2, row, sizeof(row)), "");
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.row, 2);
	assert_int_equal(scr.col, 0);
	h_free(&p);
}

static void
test_frames_come_in_the_seeds_order(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-d", "2", "-i", "0.1", NULL };

	(void)state;
	o.out = H_STDOUT_PIPE;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "\\ thinking!", 0));
	assert_exited(h_finish(&p), 0);
	const char *a = strstr(p.tty, "| thinking!");
	const char *b = strstr(p.tty, "/ thinking!");
	const char *c = strstr(p.tty, "- thinking!");
	const char *d = strstr(p.tty, "\\ thinking!");
	assert_true(a && b && c && d);
	assert_true(a < b && b < c && c < d);
	assert_int_equal(h_count(p.tty, p.tty_len, "\033[?25l"), 1);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_quiet_prints_only_the_answer(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-q", "-d", "0.1", "-i", "0.05", NULL };

	(void)state;
	assert_exited(run_pty(&p, NULL, argv), 0);
	assert_string_equal(p.stdout_data, "42\n");
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_off_a_terminal_no_frame_and_no_escape(void **state)
{
	const char *argv[] = { bin, "-d", "0.2", "-i", "0.01", NULL };
	char *out, *err;
	size_t ol, el;

	(void)state;
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	assert_int_equal(el, 0);
	assert_non_null(strstr(out, "\nAnswer: 42\n"));
	assert_false(h_has_escape(out, ol));
	free(out);
	free(err);
}

static void
test_dumb_or_missing_term_draws_nothing(void **state)
{
	static const char *dumb[] = { "TERM=dumb", NULL };
	static const char *term[] = { "TERM", NULL };
	const char *argv[] = { bin, "-d", "0.2", "-i", "0.01", NULL };
	struct h_proc p;
	struct h_opts o = { 0 };

	(void)state;
	o.out = H_STDOUT_PIPE;
	o.env = dumb;
	assert_exited(run_pty(&p, &o, argv), 0);
	assert_int_equal(p.tty_len, 0);
	assert_non_null(strstr(p.stdout_data, "Answer: 42"));
	h_free(&p);

	o.env = NULL;
	o.unset = term;
	assert_exited(run_pty(&p, &o, argv), 0);
	assert_int_equal(p.tty_len, 0);
	h_free(&p);
}

static void
test_animate_flag_forces_on_and_off(void **state)
{
	const char *on[] = { bin, "--animate", "-d", "0.2", "-i", "0.05",
	    NULL };
	const char *off[] = { bin, "--no-animate", "-d", "0.2", "-i", "0.05",
	    NULL };
	char *out, *err;
	size_t ol, el;
	struct h_proc p;

	(void)state;
	assert_exited(h_pipe_run(on, NULL, 0, &out, &ol, &err, &el, NULL), 0);
	assert_non_null(strstr(err, "| thinking!"));
	assert_non_null(strstr(err, "\033[?25h"));
	free(out);
	free(err);

	assert_exited(run_pty(&p, NULL, off), 0);
	assert_int_equal(p.tty_len, 0);
	assert_non_null(strstr(p.stdout_data, "Answer: 42"));
	h_free(&p);
}

/* Bad input: one line naming the problem, the hint, 125, terminal alone. */
static void
expect_bad(const char *want, const char *a1, const char *a2)
{
	struct h_proc p;
	const char *argv[] = { bin, a1, a2, NULL };
	char first[1024];
	char hint[256];

	assert_exited(run_pty(&p, NULL, argv), 125);
	assert_int_equal(p.stdout_len, 0);
	assert_false(h_has_escape(p.tty, p.tty_len));
	snprintf(first, sizeof(first), "%s: %s", bin, want);
	snprintf(hint, sizeof(hint), "Try '%s --help' for more "
	    "information.\r\n", bin);
	if (p.tty == NULL || strncmp(p.tty, first, strlen(first)) != 0)
		fail_msg("stderr '%s' does not start '%s'", p.tty, first);
	const char *nl = strstr(p.tty, "\r\n");
	assert_non_null(nl);
	assert_string_equal(nl + 2, hint);
	h_free(&p);
}

static void
test_bad_input_one_line_then_hint_and_125(void **state)
{
	(void)state;
	expect_bad("--bogus: unknown option", "--bogus", NULL);
	expect_bad("-Z: unknown option", "-Z", NULL);
	expect_bad("-i: missing value", "-i", NULL);
	expect_bad("--interval: '0' is not a positive duration", "-i", "0");
	expect_bad("--delay: 'nan' is not a positive duration", "-d", "nan");
	expect_bad("--delay: '1e999' is not", "--delay", "1e999");
	expect_bad("--timeout: '-5' is not", "--timeout=-5", NULL);
	expect_bad("--style: 'spiral' is not a known style", "-s", "spiral");
	expect_bad("--frames: '' is empty", "--frames=", NULL);
	expect_bad("--animate: 'maybe' is not a choice", "--animate=maybe",
	    NULL);
}

static void
test_help_version_and_list_styles(void **state)
{
	const char *help[] = { bin, "--help", NULL };
	const char *ver[] = { bin, "-V", NULL };
	const char *list[] = { bin, "--list-styles", NULL };
	char *out, *err;
	size_t ol, el;

	(void)state;
	assert_exited(h_pipe_run(help, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	char usage[128];
	snprintf(usage, sizeof(usage), "usage: %s [-hpqV]", bin);
	assert_true(strncmp(out, usage, strlen(usage)) == 0);
	assert_non_null(strstr(out, "--interval"));
	free(out);
	free(err);
	assert_exited(h_pipe_run(ver, NULL, 0, &out, &ol, &err, &el, NULL), 0);
	assert_true(strncmp(out, bin, strlen(bin)) == 0);
	free(out);
	free(err);
	assert_exited(h_pipe_run(list, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	static const char *names[] = { "line ", "dots ", "dots2 ", "arc ",
		"circle ", "pipe ", "bouncingBar ", "simpleDots ", "moon ",
		"clock ", "earth " };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(strstr(out, names[i]));
	assert_non_null(strstr(out, "| / - \\"));
	free(out);
	free(err);
}

/* A fatal signal mid-spin: terminal restored, then death by that signal. */
static void
expect_signal_death(int sig)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "60", "-i", "0.05", NULL };
	struct h_opts o = { 0 };

	o.out = H_STDOUT_PIPE;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "| thinking!", 0));
	h_kill(&p, sig);
	assert_signaled(h_finish(&p), sig);
	assert_terminal_clean(&p, 24, 80);
	assert_null(strstr(p.stdout_data, "Answer"));
	h_free(&p);
}

static void
test_sigint_restores_terminal_and_dies_by_sigint(void **state)
{
	(void)state;
	expect_signal_death(SIGINT);
}

static void
test_sigterm_restores_terminal_and_dies_by_sigterm(void **state)
{
	(void)state;
	expect_signal_death(SIGTERM);
}

static void
test_sighup_restores_terminal_and_dies_by_sighup(void **state)
{
	(void)state;
	expect_signal_death(SIGHUP);
}

static void
test_sigquit_and_sigusr1_restore_terminal_too(void **state)
{
	(void)state;
	expect_signal_death(SIGQUIT);
	expect_signal_death(SIGUSR1);
}

static void
test_ctrl_c_typed_on_the_terminal_ends_the_demo(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "60", "-i", "0.05", NULL };
	struct h_opts o = { 0 };

	(void)state;
	o.out = H_STDOUT_PIPE;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "| thinking!", 0));
	h_type(&p, "\x03");
	assert_signaled(h_finish(&p), SIGINT);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_ctrl_z_cleans_up_before_stopping_and_fg_resumes(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "1.5", "-i", "0.05", NULL };
	struct h_opts o = { 0 };

	(void)state;
	/* valgrind does not stop for a re-raised SIGTSTP, so this path is
	 * tested on the native run only */
	if (getenv("SPINNER_WRAP") != NULL)
		skip();
	o.out = H_STDOUT_PIPE;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "| thinking!", 0));
	h_type(&p, "\x1a");
	assert_true(h_wait_stopped(&p));
	/* stopped: nothing on the line, cursor visible */
	assert_terminal_clean(&p, 24, 80);
	size_t mark = p.tty_len;
	h_kill_job(&p, SIGCONT);
	assert_true(h_wait_continued(&p));
	assert_true(h_wait_for(&p, "\033[?25l", mark));
	assert_exited(h_finish(&p), 0);
	assert_terminal_clean(&p, 24, 80);
	assert_non_null(strstr(p.stdout_data, "Answer: 42"));
	h_free(&p);
}

static void
test_narrow_terminals_never_wrap(void **state)
{
	char row[2048];

	(void)state;
	for (int cols = 1; cols <= 12; cols++) {
		struct h_proc p;
		struct h_opts o = { 0 };
		const char *argv[] = { bin, "-m", "a long message", "-d",
			"0.15", "-i", "0.05", NULL };

		o.out = H_STDOUT_PIPE;
		o.cols = cols;
		assert_exited(run_pty(&p, &o, argv), 0);
		replay(&p, 24, cols, 0);
		assert_int_equal(scr.wraps, 0);
		assert_int_equal(scr.row, 0);
		assert_terminal_clean(&p, 24, cols);
		h_free(&p);
	}
	/* what an 8-column terminal shows */
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-m", "a long message", "-d", "30", "-i",
		"0.05", NULL };
	o.out = H_STDOUT_PIPE;
	o.cols = 8;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "| a lo" ELLIPSIS, 0));
	replay(&p, 24, 8, 0);
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)),
	    "| a lo" ELLIPSIS);
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	h_free(&p);
}

static void
test_cjk_message_is_cut_on_a_character_boundary(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-m",
		"\u4f60\u597d\u4e16\u754c\u4f60\u597d\u4e16\u754c", "-d", "30",
		"-i", "0.05", NULL };
	char row[2048];

	(void)state;
	o.out = H_STDOUT_PIPE;
	o.cols = 12;
	h_start(&p, &o, argv);
	/* 11 columns: the frame, a space, four CJK characters, an ellipsis */
	assert_true(h_wait_for(&p, "| \u4f60\u597d\u4e16\u754c" ELLIPSIS, 0));
	replay(&p, 24, 12, 0);
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)),
	    "| \u4f60\u597d\u4e16\u754c" ELLIPSIS);
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_terminal_clean(&p, 24, 12);
	h_free(&p);
}

static void
test_resize_refits_the_line(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-m", "abcdefghijklmnop", "-d", "30",
		"-i", "0.05", NULL };

	(void)state;
	o.out = H_STDOUT_PIPE;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "abcdefghijklmnop\033[K", 0));
	size_t mark = p.tty_len;
	h_resize(&p, 24, 10);
	/* 9 columns: frame, space, six letters and an ellipsis */
	assert_true(h_wait_for(&p, " abcdef" ELLIPSIS "\033[K", mark));
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	replay(&p, 24, 10, mark);
	assert_int_equal(scr.wraps, 0);
	assert_true(scr.cursor_visible);
	assert_string_equal(screen_text(&scr, text, sizeof(text)), "");
	h_free(&p);
}

static void
test_write_error_on_stdout_is_reported_with_terminal_restored(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-d", "0.1", "-i", "0.05", NULL };

	(void)state;
	o.out = H_STDOUT_FULL;
	assert_exited(run_pty(&p, &o, argv), 125);
	assert_non_null(strstr(p.tty, "write error: No space left on "
	    "device"));
	replay(&p, 24, 80, 0);
	assert_true(scr.cursor_visible);
	h_free(&p);

	o.out = H_STDOUT_CLOSED;
	assert_exited(run_pty(&p, &o, argv), 125);
	assert_non_null(strstr(p.tty, "write error: Broken pipe"));
	replay(&p, 24, 80, 0);
	assert_true(scr.cursor_visible);
	h_free(&p);
}

static void
test_stop_is_prompt_whatever_the_interval(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "0.2", "-i", "1h", NULL };

	(void)state;
	/* an hour between frames: the run must still end with the delay */
	assert_exited(run_pty(&p, NULL, argv), 0);
	assert_non_null(strstr(p.stdout_data, "Answer: 42"));
	assert_int_equal(h_count(p.tty, p.tty_len, "| thinking!"), 1);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_timeout_in_the_demo_exits_124(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "30", "-t", "0.2", "-i", "0.05",
		NULL };

	(void)state;
	assert_exited(run_pty(&p, NULL, argv), 124);
	assert_null(strstr(p.stdout_data, "Answer"));
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_demo_prints_object_then_answer_and_exits_0),
		cmocka_unit_test(
		    test_demo_on_one_terminal_leaves_only_object_and_answer),
		cmocka_unit_test(test_frames_come_in_the_seeds_order),
		cmocka_unit_test(test_quiet_prints_only_the_answer),
		cmocka_unit_test(test_off_a_terminal_no_frame_and_no_escape),
		cmocka_unit_test(test_dumb_or_missing_term_draws_nothing),
		cmocka_unit_test(test_animate_flag_forces_on_and_off),
		cmocka_unit_test(test_bad_input_one_line_then_hint_and_125),
		cmocka_unit_test(test_help_version_and_list_styles),
		cmocka_unit_test(
		    test_sigint_restores_terminal_and_dies_by_sigint),
		cmocka_unit_test(
		    test_sigterm_restores_terminal_and_dies_by_sigterm),
		cmocka_unit_test(
		    test_sighup_restores_terminal_and_dies_by_sighup),
		cmocka_unit_test(test_sigquit_and_sigusr1_restore_terminal_too),
		cmocka_unit_test(
		    test_ctrl_c_typed_on_the_terminal_ends_the_demo),
		cmocka_unit_test(
		    test_ctrl_z_cleans_up_before_stopping_and_fg_resumes),
		cmocka_unit_test(test_narrow_terminals_never_wrap),
		cmocka_unit_test(
		    test_cjk_message_is_cut_on_a_character_boundary),
		cmocka_unit_test(test_resize_refits_the_line),
		cmocka_unit_test(
		    test_write_error_on_stdout_is_reported_with_terminal_restored),
		cmocka_unit_test(test_stop_is_prompt_whatever_the_interval),
		cmocka_unit_test(test_timeout_in_the_demo_exits_124),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
