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

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "screen.h"
#include "status.h"
#include "version.h"

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

/* The terminal ends showing want and nothing of the spinner, cursor shown. */
static void
assert_terminal_shows(const struct h_proc *p, int rows, int cols,
    const char *want)
{
	replay(p, rows, cols, 0);
	assert_string_equal(screen_text(&scr, text, sizeof(text)), want);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.hides, scr.shows);
	assert_int_equal(scr.wraps, 0);
	assert_int_equal(scr.unknown, 0);
}

/*
 * Read until the terminal shows want and nothing of the spinner, cursor
 * shown: what a stop promises.  Fails only after the guard.
 */
static void
wait_terminal_shows(struct h_proc *p, int rows, int cols, const char *want)
{
	for (int i = 0; i < h_guard() * 20; i++) {
		replay(p, rows, cols, 0);
		if (strcmp(screen_text(&scr, text, sizeof(text)), want) == 0 &&
		    scr.cursor_visible && scr.hides == scr.shows)
			break;
		h_read(p, 50);
	}
	assert_terminal_shows(p, rows, cols, want);
}

/* The terminal ends as it began: no text left, cursor shown. */
static void
assert_terminal_clean(const struct h_proc *p, int rows, int cols)
{
	assert_terminal_shows(p, rows, cols, "");
}

/* The state main() gives the cases that do not run under valgrind. */
static int no_valgrind;

/* Each case begins here; see main() for those valgrind skips. */
static void
begin(void **state)
{
	if (*state == &no_valgrind && getenv("SPINNER_WRAP") != NULL)
		skip();
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

/*
 * A demo that is to end by itself gets a delay of 1 ms: like the seed, it
 * draws at least one frame however soon its work ends, and one frame is
 * all those tests need.  A test that needs more frames, or looks at the
 * screen while it spins, gives it a long delay and ends it with a signal
 * once the bytes it waits for have come.
 */

static void
test_demo_prints_object_then_answer_and_exits_0(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "1ms", "-i", "0.05", NULL };

	begin(state);
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
	const char *argv[] = { bin, "-d", "1ms", "-i", "0.05", NULL };
	char row[2048];

	begin(state);
	o.out = H_STDOUT_PTY;
	o.cols = 120;	/* the task's description is long */
	assert_exited(run_pty(&p, &o, argv), 0);
	replay(&p, 24, 120, 0);
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
	const char *argv[] = { bin, "-d", "60", "-i", "0.1", NULL };

	begin(state);
	o.out = H_STDOUT_PIPE;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "\\ thinking!", 0));
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
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
	const char *argv[] = { bin, "-q", "-d", "1ms", "-i", "0.05", NULL };

	begin(state);
	assert_exited(run_pty(&p, NULL, argv), 0);
	assert_string_equal(p.stdout_data, "42\n");
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_off_a_terminal_no_frame_and_no_escape(void **state)
{
	const char *argv[] = { bin, "-d", "1ms", "-i", "0.01", NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
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
	static const char *empty[] = { "TERM=", NULL };
	static const char *term[] = { "TERM", NULL };
	const char *argv[] = { bin, "-d", "1ms", "-i", "0.01", NULL };
	const char *cmd[] = { bin, "-i", "0.01", "--", "sh", "-c",
		"tty; exit 3", NULL };
	struct h_proc p;
	struct h_opts o = { 0 };
	char name[128];

	begin(state);
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

	/* set but empty: as unset */
	o.unset = NULL;
	o.env = empty;
	assert_exited(run_pty(&p, &o, argv), 0);
	assert_int_equal(p.tty_len, 0);
	h_free(&p);

	/* COMMAND has the very terminal then, and its bytes alone are there */
	o.out = H_STDOUT_PTY;
	o.env = dumb;
	h_start(&p, &o, cmd);
	snprintf(name, sizeof(name), "%s", ptsname(p.master));
	assert_exited(h_finish(&p), 3);
	assert_false(h_has_escape(p.tty, p.tty_len));
	assert_terminal_shows(&p, 24, 80, name);
	h_free(&p);
}

static void
test_animate_flag_forces_on_and_off(void **state)
{
	const char *on[] = { bin, "--animate", "-d", "1ms", "-i", "0.05",
	    NULL };
	const char *off[] = { bin, "--no-animate", "-d", "1ms", "-i", "0.05",
	    NULL };
	char *out, *err;
	size_t ol, el;
	struct h_proc p;

	begin(state);
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
	begin(state);
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
	expect_bad("--color: 'maybe' is not a choice", "--color=maybe", NULL);
	expect_bad("--messages: needs a COMMAND", "--messages", NULL);
	expect_bad("--output: needs a COMMAND or tasks", "--output=all",
	    NULL);
	expect_bad("--output: 'some' is not a choice", "--output", "some");
}

static void
test_help_version_and_list_styles(void **state)
{
	const char *help[] = { bin, "--help", NULL };
	const char *ver[] = { bin, "-V", NULL };
	const char *list[] = { bin, "--list-styles", NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	assert_exited(h_pipe_run(help, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	char usage[128];
	snprintf(usage, sizeof(usage), "usage: %s [-ehpqV]", bin);
	assert_true(strncmp(out, usage, strlen(usage)) == 0);
	assert_non_null(strstr(out, "--interval"));
	assert_non_null(strstr(out, "--elapsed"));
	free(out);
	free(err);
	assert_exited(h_pipe_run(ver, NULL, 0, &out, &ol, &err, &el, NULL), 0);
	/* the GNU form: name (package) version, copyright, licence */
	char first[128];
	snprintf(first, sizeof(first), "%s (spinner) %s\n%s\nLicense ISC: ",
	    bin, SPINNER_VERSION, SPINNER_COPYRIGHT);
	assert_true(strncmp(out, first, strlen(first)) == 0);
	assert_non_null(strstr(out, "There is NO WARRANTY"));
	assert_int_equal(el, 0);
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
	begin(state);
	expect_signal_death(SIGINT);
}

static void
test_sigterm_restores_terminal_and_dies_by_sigterm(void **state)
{
	begin(state);
	expect_signal_death(SIGTERM);
}

static void
test_sighup_restores_terminal_and_dies_by_sighup(void **state)
{
	begin(state);
	expect_signal_death(SIGHUP);
}

static void
test_sigquit_and_sigusr1_restore_terminal_too(void **state)
{
	begin(state);
	expect_signal_death(SIGQUIT);
	expect_signal_death(SIGUSR1);
}

static void
test_ctrl_c_typed_on_the_terminal_ends_the_demo(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "60", "-i", "0.05", NULL };
	struct h_opts o = { 0 };

	begin(state);
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
	const char *argv[] = { bin, "-d", "60", "-i", "0.05", NULL };
	struct h_opts o = { 0 };

	begin(state);
	o.out = H_STDOUT_PIPE;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "| thinking!", 0));
	size_t mark = p.tty_len;
	h_type(&p, "\x1a");
	assert_true(h_wait_stopped(&p));
	/* stopped: nothing on the line, cursor visible */
	wait_terminal_shows(&p, 24, 80, "");
	mark = p.tty_len;
	h_kill_job(&p, SIGCONT);
	assert_true(h_wait_continued(&p));
	/* fg: the cursor hidden again and the frame drawn */
	assert_true(h_wait_for(&p, "\033[?25l", mark));
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_terminal_clean(&p, 24, 80);
	assert_null(strstr(p.stdout_data, "Answer"));
	h_free(&p);
}

static void
test_background_job_draws_nothing(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-d", "1ms", "-i", "0.02", NULL };

	begin(state);
	/* like "spinner-thread &": not the terminal's foreground group */
	o.out = H_STDOUT_PIPE;
	o.background = true;
	assert_exited(run_pty(&p, &o, argv), 0);
	assert_int_equal(p.tty_len, 0);
	assert_non_null(strstr(p.stdout_data, "Answer: 42"));
	h_free(&p);
}

/*
 * "fg" of a running background job: the shell gives it the terminal and
 * sends no signal (bash sends SIGCONT only to a stopped job), so the
 * frames must start on their own.
 */
static void
test_background_job_brought_forward_starts_drawing(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .background = true };
	const char *argv[] = { bin, "-m", "working", "-i", "0.02", "--",
		"sh", "-c", "echo ready >&2; exec sleep 60", NULL };

	begin(state);
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	/* in the background: COMMAND writes, the spinner draws nothing */
	assert_null(strstr(p.tty, "working"));
	h_foreground(&p);
	assert_true(h_wait_for(&p, " working", 0));
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_terminal_shows(&p, 24, 80, "ready");
	h_free(&p);
}

/*
 * Stopped by SIGSTOP, then continued in the background ("bg"): the frame
 * that fell due meanwhile must not be drawn over the shell's prompt,
 * though it may come before the spinner has taken SIGCONT.
 */
static void
test_stopped_then_continued_in_the_background_draws_nothing(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "1", "-i", "0.1", "-m", "XYZ",
		NULL };
	size_t mark;

	begin(state);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, argv);
	/* stopped just after a frame, not in the middle of drawing one
	 * (that frame's write would come after the continue, as any
	 * program's would): the next is 0.1 s away */
	assert_true(h_wait_for(&p, "/ XYZ", 0));
	h_kill(&p, SIGSTOP);
	assert_true(h_wait_stopped(&p));
	/* the case: stopped as long as a person would, past a few frames
	 * (nothing can come meanwhile; a stop shorter than 2 ms is not
	 * told from a late wake-up, see the CAVEATS of the man page) */
	h_read(&p, 250);
	mark = p.tty_len;
	assert_true(h_background(&p));
	h_kill(&p, SIGCONT);
	assert_exited(h_finish(&p), 0);
	assert_int_equal(h_count(p.tty + mark, p.tty_len - mark, "XYZ"), 0);
	assert_non_null(strstr(p.stdout_data, "Answer: 42"));
	h_free(&p);
}

static void
test_narrow_terminals_never_wrap(void **state)
{
	char row[2048];

	begin(state);
	for (int cols = 1; cols <= 12; cols++) {
		struct h_proc p;
		struct h_opts o = { 0 };
		const char *argv[] = { bin, "-m", "a long message", "-d",
			"1ms", "-i", "0.05", NULL };

		o.out = H_STDOUT_PIPE;
		o.cols = cols;
		assert_exited(run_pty(&p, &o, argv), 0);
		/* one column leaves no room for a frame at all */
		assert_int_equal(h_count(p.tty, p.tty_len, "\033[?25l"),
		    cols > 1 ? 1 : 0);
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
		"1h", NULL };
	/* one frame only: the screen is looked at while it spins */
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
		"-i", "1h", NULL };
	char row[2048];

	begin(state);
	/* one frame only: the screen is looked at while it spins */
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
		"-i", "1h", NULL };
	/* 9 columns: frame, space, six letters and an ellipsis */
	const char *refit = "| abcdef" ELLIPSIS "\033[K";

	begin(state);
	/* An hour between frames: only the resize redraws.  A tick could
	 * draw at the old width after the resize, before SIGWINCH is
	 * taken, and that frame would wrap on the narrower screen. */
	o.out = H_STDOUT_PIPE;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "abcdefghijklmnop\033[K", 0));
	size_t mark = p.tty_len;
	h_resize(&p, 24, 10);
	assert_true(h_wait_for(&p, refit, mark));
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	/* from the refitted frame on, as a 10-column terminal shows it */
	replay(&p, 24, 10, (size_t)(strstr(p.tty + mark, refit) - p.tty));
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

	begin(state);
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
	const char *argv[] = { bin, "-d", "0.1", "-i", "1h", NULL };

	begin(state);
	/* an hour between frames: the run must still end with the delay */
	assert_exited(run_pty(&p, NULL, argv), 0);
	assert_non_null(strstr(p.stdout_data, "Answer: 42"));
	assert_int_equal(h_count(p.tty, p.tty_len, "| thinking!"), 1);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

/* The Threads: line of /proc/PID/status. */
static int
threads_of(pid_t pid)
{
	char path[64], line[256];
	int n = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(fp);
	return n;
}

static void
test_threads_while_spinning_two_or_one(void **state)
{
	struct h_proc p;
	const char *demo[] = { bin, "-d", "30", "-i", "0.05", NULL };
	const char *cmd[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"echo ready >&2; exec sleep 30", NULL };
	/* main + spin(), or the loop; ThreadSanitizer adds one of its own */
	int want = (is_thread() ? 2 : 1) + (getenv("SPINNER_TSAN") != NULL);

	begin(state);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, demo);
	assert_true(h_wait_for(&p, "/ thinking!", 0));
	assert_int_equal(threads_of(p.job), want);
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	h_free(&p);

	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, cmd);
	assert_true(h_wait_for(&p, "ready", 0));
	assert_true(h_wait_for(&p, "thinking!",
	    (size_t)(strstr(p.tty, "ready") - p.tty)));
	assert_int_equal(threads_of(p.job), want);
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	h_free(&p);
}

static void
test_timeout_in_the_demo_exits_124(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "30", "-t", "50ms", "-i", "0.05",
		NULL };

	begin(state);
	assert_exited(run_pty(&p, NULL, argv), 124);
	assert_null(strstr(p.stdout_data, "Answer"));
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

/* --- command mode ---------------------------------------------------- */

static char tmpdir[] = "/tmp/spinner-e2e-XXXXXX";
static bool have_tmpdir;

/* A path in the test's scratch folder. */
static const char *
scratch(const char *name)
{
	static char buf[4][256];
	static int next;
	char *b = buf[next++ % 4];

	/* not the name's last letter: mkdtemp may well end it with an X */
	if (!have_tmpdir) {
		if (mkdtemp(tmpdir) == NULL)
			abort();
		have_tmpdir = true;
	}
	snprintf(b, 256, "%s/%s", tmpdir, name);
	return b;
}

/* The pid a COMMAND wrote to path with 'echo $$ > path'. */
static pid_t
read_pid(const char *path)
{
	FILE *fp = fopen(path, "r");
	int pid = -1;

	assert_non_null(fp);
	assert_int_equal(fscanf(fp, "%d", &pid), 1);
	fclose(fp);
	unlink(path);
	return (pid_t)pid;
}

static bool
gone(pid_t pid)
{
	return kill(pid, 0) != 0 && errno == ESRCH;
}

/* The state letter of a process in /proc (R, S, T, Z...), or 0. */
static char
proc_state(pid_t pid)
{
	char path[64], buf[512];
	FILE *fp;
	char st = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), fp) != NULL) {
		char *paren = strrchr(buf, ')');
		if (paren != NULL && paren[1] == ' ')
			st = paren[2];
	}
	fclose(fp);
	return st;
}

/* Whether pid no longer runs: gone, or a zombie. */
static bool
dead(pid_t pid)
{
	char st = proc_state(pid);

	return st == 0 || st == 'Z';
}

/*
 * Wait until pid is (or is no longer) stopped: each process of the job
 * takes the terminal's ^Z in its own time.
 */
static bool
wait_stopped(pid_t pid, bool stopped)
{
	for (int i = 0; i < h_guard() * 1000; i++) {
		if ((proc_state(pid) == 'T') == stopped)
			return true;
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);	/* poll the state, not a delay */
	}
	return false;
}

/*
 * Wait until pid (0: any group but the job's), its group's leader, holds
 * the terminal and sleeps in a read of it: handed the terminal after its
 * read stopped it (SIGTTIN), and continued.  A ^Z typed before the
 * SIGCONT that continues it would be discarded by that SIGCONT, as the
 * kernel discards a pending stop.
 */
static bool
wait_reading_the_terminal(struct h_proc *p, pid_t pid)
{
	for (int i = 0; i < h_guard() * 1000; i++) {
		pid_t fg = tcgetpgrp(p->master);

		if (fg > 0 && (pid == 0 ? fg != p->job : fg == pid) &&
		    proc_state(fg) == 'S')
			return true;
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);	/* poll the state, not a delay */
	}
	return false;
}

static void
expect_command_status(const char *script, int code)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c", script,
		NULL };

	assert_exited(run_pty(&p, NULL, argv), code);
	assert_int_equal(p.stdout_len, 0);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_command_status_is_passed_through(void **state)
{
	begin(state);
	expect_command_status("exit 0", 0);
	expect_command_status("exit 1", 1);
	expect_command_status("exit 7", 7);
	expect_command_status("exit 255", 255);
}

static void
test_command_not_found_is_127_with_one_line(void **state)
{
	struct h_proc p;
	const char *abs[] = { bin, "--", "/nonexistent/cmd", NULL };
	const char *path[] = { bin, "no-such-command-xyz", "arg", NULL };
	char want[256];

	begin(state);
	assert_exited(run_pty(&p, NULL, abs), 127);
	snprintf(want, sizeof(want), "%s: cannot run '/nonexistent/cmd': No "
	    "such file or directory\r\n", bin);
	assert_string_equal(p.tty, want);
	h_free(&p);
	assert_exited(run_pty(&p, NULL, path), 127);
	assert_int_equal(h_count(p.tty, p.tty_len, "\r\n"), 1);
	assert_false(h_has_escape(p.tty, p.tty_len));
	h_free(&p);
}

static void
test_command_not_executable_is_126_with_one_line(void **state)
{
	struct h_proc p;
	const char *file = scratch("not-executable");
	const char *argv[] = { bin, "--", file, NULL };
	const char *dir[] = { bin, "--", "/tmp", NULL };
	FILE *fp = fopen(file, "w");

	begin(state);
	assert_non_null(fp);
	fputs("echo hi\n", fp);
	fclose(fp);
	assert_exited(run_pty(&p, NULL, argv), 126);
	assert_non_null(strstr(p.tty, "Permission denied"));
	assert_int_equal(h_count(p.tty, p.tty_len, "\r\n"), 1);
	h_free(&p);
	assert_exited(run_pty(&p, NULL, dir), 126);
	h_free(&p);
	unlink(file);
}

static void
test_command_killed_by_signal_is_reraised(void **state)
{
	static const int sigs[] = { SIGTERM, SIGUSR1, SIGKILL, SIGINT };
	char script[64];

	begin(state);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct h_proc p;
		const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c",
			script, NULL };

		snprintf(script, sizeof(script), "kill -%d $$", sigs[i]);
		assert_signaled(run_pty(&p, NULL, argv), sigs[i]);
		assert_terminal_clean(&p, 24, 80);
		h_free(&p);
	}
}

static void
test_timeout_stops_command_and_exits_124(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("timeout.pid");
	char script[256];
	const char *argv[] = { bin, "-t", "0.3", "-i", "0.05", "--", "sh",
		"-c", script, NULL };

	begin(state);
	snprintf(script, sizeof(script), "echo $$ > %s; exec sleep 60", pidf);
	assert_exited(run_pty(&p, NULL, argv), 124);
	assert_true(gone(read_pid(pidf)));
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_timeout_escalates_to_sigkill_after_kill_after(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("stubborn.pid");
	char script[256];
	const char *argv[] = { bin, "-t", "0.2", "-k", "50ms", "-i", "0.05",
		"--", "sh", "-c", script, NULL };

	begin(state);
	snprintf(script, sizeof(script), "trap '' TERM; echo $$ > %s; "
	    "while :; do sleep 0.05; done", pidf);
	assert_exited(run_pty(&p, NULL, argv), 124);
	assert_true(gone(read_pid(pidf)));
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_pipeline_bytes_pass_unchanged(void **state)
{
	const size_t size = 4u << 20;
	char *in = malloc(size), *out, *err;
	size_t ol, el;
	FILE *fp = fopen("/dev/urandom", "r");
	const char *plain[] = { bin, "-m", "compressing", "--", "cat", NULL };
	const char *forced[] = { bin, "--animate", "-i", "0.01", "--", "cat",
		NULL };

	begin(state);
	assert_non_null(fp);
	assert_int_equal(fread(in, 1, size, fp), size);
	fclose(fp);
	assert_exited(h_pipe_run(plain, in, size, &out, &ol, &err, &el, NULL),
	    0);
	assert_int_equal(ol, size);
	assert_true(memcmp(in, out, size) == 0);
	assert_int_equal(el, 0);
	free(out);
	free(err);
	/* frames forced onto stderr still never touch stdout */
	assert_exited(h_pipe_run(forced, in, size, &out, &ol, &err, &el,
	    NULL), 0);
	assert_int_equal(ol, size);
	assert_true(memcmp(in, out, size) == 0);
	assert_non_null(strstr(err, "| thinking!"));
	free(out);
	free(err);
	free(in);
}

static void
test_command_mode_adds_nothing_to_stdout(void **state)
{
	struct h_proc p;
	const char *t[] = { bin, "-i", "0.05", "--", "true", NULL };
	const char *echo[] = { bin, "-i", "0.05", "--", "printf", "data\n",
		NULL };

	begin(state);
	assert_exited(run_pty(&p, NULL, t), 0);
	assert_int_equal(p.stdout_len, 0);
	h_free(&p);
	/* stdout a pipe: COMMAND's bytes go there untouched, not on the tty */
	assert_exited(run_pty(&p, NULL, echo), 0);
	assert_string_equal(p.stdout_data, "data\n");
	assert_true(p.tty == NULL || strstr(p.tty, "data") == NULL);
	h_free(&p);
}

static void
test_command_output_scrolls_above_the_spinner_intact(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *script = "i=0; while [ $i -lt 30 ]; do echo line $i; "
	    "i=$((i+1)); done; echo to stderr >&2; printf 'partial '; "
	    "read x; echo end";
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c", script,
		NULL };
	char row[2048], want[64];

	begin(state);
	o.out = H_STDOUT_PTY;
	o.rows = 40;
	h_start(&p, &o, argv);
	/* the frame is drawn after the partial line, not over it */
	assert_true(h_wait_for(&p, "partial ", 0));
	assert_true(h_wait_for(&p, " thinking!\033[K", 0));
	size_t at = (size_t)(strstr(p.tty, "partial ") - p.tty);
	assert_true(h_wait_for(&p, " thinking!\033[K", at));
	replay(&p, 40, 80, 0);
	screen_row(&scr, 31, row, sizeof(row));
	assert_true(strncmp(row, "partial ", 8) == 0);
	assert_non_null(strstr(row, " thinking!"));
	h_type(&p, "\n");
	assert_exited(h_finish(&p), 0);
	replay(&p, 40, 80, 0);
	for (int i = 0; i < 30; i++) {
		snprintf(want, sizeof(want), "line %d", i);
		assert_string_equal(screen_row(&scr, i, row, sizeof(row)),
		    want);
	}
	assert_string_equal(screen_row(&scr, 30, row, sizeof(row)),
	    "to stderr");
	assert_string_equal(screen_row(&scr, 31, row, sizeof(row)),
	    "partial end");
	assert_string_equal(screen_row(&scr, 32, row, sizeof(row)), "");
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.wraps, 0);
	assert_int_equal(scr.unknown, 0);
	h_free(&p);
}

static void
test_background_process_left_on_the_terminal_is_hung_up(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *pidf = scratch("bg.pid");
	char script[256];
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c", script,
		NULL };

	begin(state);
	/* the background sleep keeps COMMAND's pty open long after it ends:
	 * the spinner does not wait for it, and closing the pty hangs it up */
	snprintf(script, sizeof(script), "sleep 300 </dev/null & "
	    "echo $! > %s; echo started", pidf);
	o.out = H_STDOUT_PTY;
	assert_exited(run_pty(&p, &o, argv), 0);
	pid_t bg = read_pid(pidf);
	for (int i = 0; i < h_guard() * 100 && !dead(bg); i++) {
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);	/* the kernel delivering SIGHUP */
	}
	if (!dead(bg)) {
		kill(bg, SIGKILL);
		fail_msg("the process left behind was not hung up");
	}
	assert_terminal_shows(&p, 24, 80, "started");
	h_free(&p);
}

static void
test_command_sees_a_terminal_of_the_same_size(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"[ -t 1 ] && [ -t 2 ] && stty size", NULL };
	char row[256];

	begin(state);
	o.out = H_STDOUT_PTY;
	o.rows = 33;
	o.cols = 77;
	assert_exited(run_pty(&p, &o, argv), 0);
	replay(&p, 33, 77, 0);
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)), "33 77");
	assert_true(scr.cursor_visible);
	h_free(&p);
}

static void
test_flood_of_output_does_not_starve_signals(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-i", "0.05", "--", "yes", NULL };

	begin(state);
	o.out = H_STDOUT_PTY;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "y\r\ny\r\n", 0));
	h_kill(&p, SIGTERM);	/* forwarded to yes, which dies of it */
	assert_signaled(h_finish(&p), SIGTERM);
	replay(&p, 24, 80, 0);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.wraps, 0);
	h_free(&p);
}

/* A signal sent to the spinner alone reaches COMMAND, whose end decides. */
static void
expect_forwarded(int sig, const char *name)
{
	struct h_proc p;
	char script[256];
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c", script,
		NULL };
	char want[32];

	/* the group gets it too: quiet the shell's word on its sleep */
	snprintf(script, sizeof(script), "trap 'echo got %s; exit 5' %s; "
	    "echo ready >&2; exec 2>/dev/null; while :; do sleep 0.05; done",
	    name, name);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	h_kill(&p, sig);
	assert_exited(h_finish(&p), 5);
	snprintf(want, sizeof(want), "got %s", name);
	assert_non_null(strstr(p.stdout_data, want));
	assert_terminal_shows(&p, 24, 80, "ready");
	h_free(&p);
}

static void
test_sigterm_sighup_sigint_to_the_spinner_are_forwarded(void **state)
{
	begin(state);
	expect_forwarded(SIGTERM, "TERM");
	expect_forwarded(SIGHUP, "HUP");
	expect_forwarded(SIGINT, "INT");
}

static void
test_command_never_outlives_a_signal_to_the_spinner(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("sig.pid");
	char script[256];
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c", script,
		NULL };

	begin(state);
	snprintf(script, sizeof(script), "echo $$ > %s; echo ready >&2; "
	    "exec sleep 60", pidf);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	pid_t cmd = read_pid(pidf);
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_true(gone(cmd));
	assert_terminal_shows(&p, 24, 80, "ready");
	h_free(&p);
}

static void
test_ctrl_c_reaches_command_which_decides_the_status(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"trap 'echo got INT; exit 6' INT; echo ready >&2; "
		"while :; do sleep 0.05; done", NULL };
	const char *plain[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"echo ready >&2; exec sleep 60", NULL };

	begin(state);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	h_type(&p, "\x03");
	assert_exited(h_finish(&p), 6);
	assert_int_equal(h_count(p.stdout_data, p.stdout_len, "got INT"), 1);
	assert_terminal_shows(&p, 24, 80, "ready");
	h_free(&p);

	/* a COMMAND that dies of ^C: so does the spinner, after cleaning up */
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, plain);
	assert_true(h_wait_for(&p, "ready", 0));
	h_type(&p, "\x03");
	assert_signaled(h_finish(&p), SIGINT);
	assert_terminal_shows(&p, 24, 80, "ready");
	h_free(&p);
}

static void
test_ctrl_z_stops_command_and_spinner_and_fg_resumes_both(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("tstp.pid");
	char script[256];
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c", script,
		NULL };

	begin(state);
	snprintf(script, sizeof(script), "echo $$ > %s; echo ready >&2; "
	    "read x; echo after", pidf);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	pid_t cmd = read_pid(pidf);
	assert_true(wait_reading_the_terminal(&p, cmd));
	h_type(&p, "\x1a");
	assert_true(h_wait_stopped(&p));
	assert_true(wait_stopped(cmd, true));
	wait_terminal_shows(&p, 24, 80, "ready");
	h_kill_job(&p, SIGCONT);
	assert_true(h_wait_continued(&p));
	/* COMMAND, reading the terminal, has it back: no frame */
	assert_true(wait_stopped(cmd, false));
	h_type(&p, "\n");
	assert_exited(h_finish(&p), 0);
	assert_non_null(strstr(p.stdout_data, "after"));
	assert_terminal_shows(&p, 24, 80, "ready");
	h_free(&p);
}

/*
 * The SigBlk and SigIgn lines a process starts with: COMMAND under the
 * spinner when spinner, else the same command run directly.
 */
static void
start_masks(struct h_opts *o, bool spinner, char *blk, char *ign)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "--", "grep", "-E",
		"^Sig(Blk|Ign)", "/proc/self/status", NULL };

	o->out = H_STDOUT_PIPE;
	assert_exited(run_pty(&p, o, spinner ? argv : argv + 4), 0);
	assert_int_equal(sscanf(p.stdout_data, "SigBlk: %16s SigIgn: %16s",
	    blk, ign), 2);
	h_free(&p);
}

/* The signals an odd parent may leave blocked; 0 ends them. */
static const int all_blocked[] = { SIGHUP, SIGINT, SIGTERM, SIGCHLD,
	SIGWINCH, SIGALRM, SIGCONT, 0 };

/* Those signals as /proc/PID/status shows a mask: bit N-1 for signal N. */
static unsigned long long
mask_of(const int *sigs)
{
	unsigned long long m = 0;

	for (size_t i = 0; sigs[i] != 0; i++)
		m |= 1ULL << (sigs[i] - 1);
	return m;
}

static void
test_command_gets_the_original_signal_mask_and_dispositions(void **state)
{
	struct h_opts o = { 0 };
	char blk[17], ign[17], want_blk[17], want_ign[17];

	begin(state);
	/* whatever the test was started with, COMMAND gets just that ... */
	start_masks(&o, false, want_blk, want_ign);
	start_masks(&o, true, blk, ign);
	assert_string_equal(blk, want_blk);
	assert_string_equal(ign, want_ign);
	/* ... with SIGINT (bit 1) blocked, or ignored, when it was */
	o.block_int = true;
	start_masks(&o, true, blk, ign);
	assert_int_equal(strtoull(blk, NULL, 16),
	    strtoull(want_blk, NULL, 16) | 2);
	assert_string_equal(ign, want_ign);
	/* every signal the spinner takes or needs, and COMMAND has them
	 * all blocked as it was given them, whatever the spinner takes */
	o.block_int = false;
	o.block = all_blocked;
	start_masks(&o, true, blk, ign);
	assert_int_equal(strtoull(blk, NULL, 16),
	    strtoull(want_blk, NULL, 16) | mask_of(all_blocked));
	assert_string_equal(ign, want_ign);
	o.block = NULL;
	o.ignore_int = true;
	start_masks(&o, true, blk, ign);
	assert_string_equal(blk, want_blk);
	assert_int_equal(strtoull(ign, NULL, 16),
	    strtoull(want_ign, NULL, 16) | 2);
	/* an ignored SIGCHLD (bit 16) too, though the spinner needs it;
	 * valgrind keeps the guest's SIGCHLD disposition to itself, so
	 * this holds on the native run only */
	if (getenv("SPINNER_WRAP") != NULL)
		return;
	o.ignore_int = false;
	o.ignore_chld = true;
	start_masks(&o, true, blk, ign);
	assert_string_equal(blk, want_blk);
	assert_int_equal(strtoull(ign, NULL, 16),
	    strtoull(want_ign, NULL, 16) | 0x10000);
}

static void
test_ignored_sigchld_still_gives_commands_status(void **state)
{
	struct h_proc p;
	struct h_opts o = { 0 };
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c", "exit 3",
		NULL };

	begin(state);
	o.out = H_STDOUT_PIPE;
	o.ignore_chld = true;
	assert_exited(run_pty(&p, &o, argv), 3);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
expect_persist(const char *const argv[], int code, const char *prefix)
{
	struct h_proc p;
	char row[2048];

	assert_exited(run_pty(&p, NULL, argv), code);
	replay(&p, 24, 80, 0);
	screen_row(&scr, 0, row, sizeof(row));
	if (strncmp(row, prefix, strlen(prefix)) != 0)
		fail_msg("'%s' does not start '%s'", row, prefix);
	assert_string_equal(row + strlen(row) - 2, "s)");
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.row, 1);
	h_free(&p);
}

static void
test_persist_leaves_one_final_line(void **state)
{
	const char *ok[] = { bin, "-p", "-m", "build", "-i", "0.05", "--",
		"true", NULL };
	const char *bad[] = { bin, "-p", "-m", "build", "-i", "0.05", "--",
		"sh", "-c", "exit 2", NULL };
	const char *slow[] = { bin, "-p", "-m", "build", "-t", "0.1", "-i",
		"0.05", "--", "sleep", "10", NULL };
	const char *demo[] = { bin, "-p", "-d", "1ms", "-i", "0.05", NULL };
	const char *sig[] = { bin, "-p", "-m", "build", "-i", "0.05", "--",
		"sh", "-c", "kill -USR2 $$", NULL };

	begin(state);
	expect_persist(ok, 0, "\u2714 build (");
	expect_persist(bad, 2, "\u2716 build (exit 2, ");
	expect_persist(slow, 124, "\u2716 build (timed out, ");
	expect_persist(demo, 0, "\u2714 thinking! (");

	struct h_proc p;
	char row[2048];
	assert_signaled(run_pty(&p, NULL, sig), SIGUSR2);
	replay(&p, 24, 80, 0);
	screen_row(&scr, 0, row, sizeof(row));
	assert_true(strncmp(row, "\u2716 build (SIGUSR2, ",
	    strlen("\u2716 build (SIGUSR2, ")) == 0);
	h_free(&p);
}

static void
test_persist_off_a_terminal_is_one_plain_line_on_stderr(void **state)
{
	static const char *c_locale[] = { "LC_ALL=C", NULL };
	const char *argv[] = { bin, "-p", "-m", "build", "--", "sh", "-c",
		"exit 3", NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    3);
	assert_int_equal(ol, 0);
	assert_true(strncmp(err, "\u2716 build (exit 3, ",
	    strlen("\u2716 build (exit 3, ")) == 0);
	assert_int_equal(h_count(err, el, "\n"), 1);
	assert_false(h_has_escape(err, el));
	free(out);
	free(err);
	/* ASCII marks outside UTF-8 */
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el,
	    c_locale), 3);
	assert_true(strncmp(err, "x build (exit 3, ", 17) == 0);
	free(out);
	free(err);
}

/* --- --color ---------------------------------------------------------- */

/* the marks as they are painted (SGR 32 or 31, then 39) */
#define GREEN(s) "\033[32m" s "\033[39m"
#define RED(s) "\033[31m" s "\033[39m"

/* The first row p left on the screen begins with want. */
static void
assert_first_row(const struct h_proc *p, const char *want)
{
	char row[2048];

	replay(p, 24, 80, 0);
	screen_row(&scr, 0, row, sizeof(row));
	if (strncmp(row, want, strlen(want)) != 0)
		fail_msg("'%s' does not start '%s'", row, want);
}

static void
test_color_on_a_terminal_paints_the_persist_mark_alone(void **state)
{
	const char *ok[] = { bin, "-p", "-m", "build", "-i", "0.05", "--",
		"true", NULL };
	const char *bad[] = { bin, "-p", "-m", "build", "-i", "0.05", "--",
		"sh", "-c", "exit 2", NULL };
	const char *demo[] = { bin, "-p", "-d", "1ms", "-i", "0.05", NULL };
	struct h_proc p;

	begin(state);
	assert_exited(run_pty(&p, NULL, ok), 0);
	assert_non_null(strstr(p.tty, GREEN("\u2714") " build ("));
	assert_int_equal(h_count_sgr(p.tty, p.tty_len), 2);
	assert_first_row(&p, "\u2714 build (");
	h_free(&p);
	assert_exited(run_pty(&p, NULL, bad), 2);
	assert_non_null(strstr(p.tty, RED("\u2716") " build (exit 2, "));
	assert_int_equal(h_count_sgr(p.tty, p.tty_len), 2);
	assert_first_row(&p, "\u2716 build (exit 2, ");
	h_free(&p);
	/* the frames stay plain: the mark's two are all there are */
	assert_exited(run_pty(&p, NULL, demo), 0);
	assert_non_null(strstr(p.tty, "\033[?25l| thinking!\033[K"));
	assert_non_null(strstr(p.tty, GREEN("\u2714") " thinking! ("));
	assert_int_equal(h_count_sgr(p.tty, p.tty_len), 2);
	h_free(&p);
}

static void
test_no_color_or_never_on_a_terminal_no_sgr_but_frames_still(void **state)
{
	static const char *no_color[] = { "NO_COLOR=1", NULL };
	static const char *empty[] = { "NO_COLOR=", NULL };
	const char *demo[] = { bin, "-p", "-d", "1ms", "-i", "0.05", NULL };
	const char *never[] = { bin, "--color=never", "-p", "-d", "1ms", "-i",
		"0.05", NULL };
	const char *always[] = { bin, "--color=always", "-p", "-d", "1ms",
		"-i", "0.05", NULL };
	const struct {
		const char *const *argv;
		const char *const *env;
		bool painted;
	} runs[] = {
		{ demo, no_color, false },
		{ never, NULL, false },
		{ demo, empty, true },		/* set but empty: as unset */
		{ always, no_color, true },	/* given, it wins */
	};

	begin(state);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct h_opts o = { .out = H_STDOUT_PIPE, .env = runs[i].env };
		struct h_proc p;

		assert_exited(run_pty(&p, &o, runs[i].argv), 0);
		assert_non_null(strstr(p.tty, "| thinking!\033[K"));
		if (runs[i].painted)
			assert_non_null(strstr(p.tty, GREEN("\u2714")));
		else
			assert_int_equal(h_count_sgr(p.tty, p.tty_len), 0);
		assert_first_row(&p, "\u2714 thinking! (");
		h_free(&p);
	}
}

static void
test_color_off_a_terminal_only_when_forced(void **state)
{
	static const char *force[] = { "CLICOLOR_FORCE=1", NULL };
	static const char *force0[] = { "CLICOLOR_FORCE=0", NULL };
	static const char *no_color[] = { "NO_COLOR=1", NULL };
	static const char *both[] = { "NO_COLOR=1", "CLICOLOR_FORCE=1",
		NULL };
	static const struct {
		const char *opt;	/* an option before the rest, or none */
		const char *const *env;
		bool painted;
	} runs[] = {
		{ NULL, NULL, false },		/* stderr a pipe: auto, none */
		{ NULL, force, true },
		{ NULL, force0, false },
		{ NULL, both, false },		/* NO_COLOR comes first */
		{ "--color=always", NULL, true },
		{ "--color", no_color, true },	/* bare: always */
		{ "--color=never", force, false },
		{ "--color=auto", force, true },
	};
	const char *want = RED("\u2716") " build (exit 3, ";

	begin(state);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		/* -p twice when no option is to go first */
		const char *argv[] = { bin, runs[i].opt != NULL ? runs[i].opt :
		    "-p", "-p", "-m", "build", "--", "sh", "-c", "exit 3",
		    NULL };
		char *out, *err;
		size_t ol, el;

		assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el,
		    runs[i].env), 3);
		assert_int_equal(ol, 0);
		if (runs[i].painted) {
			if (strncmp(err, want, strlen(want)) != 0)
				fail_msg("run %zu: '%s'", i, err);
			assert_int_equal(h_count(err, el, "\033"), 2);
		} else if (h_has_escape(err, el)) {
			fail_msg("run %zu: an escape in '%s'", i, err);
		}
		assert_int_equal(h_count(err, el, "\n"), 1);
		free(out);
		free(err);
	}
}

/* --- the rules of a run, as a new user found them wanting ------------- */

static void
test_background_writer_after_command_exits_does_not_hold_us(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("writer.pid");
	char script[256];
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c", script,
		NULL };

	begin(state);
	/* the writer keeps COMMAND's pty busy for ever after COMMAND ends */
	snprintf(script, sizeof(script), "sh -c 'while :; do echo tick; "
	    "sleep 0.05; done' </dev/null & echo $! > %s; exit 3", pidf);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PTY }, argv);
	int st = h_finish(&p);
	kill(read_pid(pidf), SIGKILL);
	assert_exited(st, 3);
	replay(&p, 24, 80, 0);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.hides, scr.shows);
	h_free(&p);
}

static void
test_relay_works_with_descriptors_above_1023(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"echo hello", NULL };

	begin(state);
	/* the spinner's own descriptors, the relay among them, are > 1100 */
	assert_exited(run_pty(&p, &(struct h_opts){ .out = H_STDOUT_PTY,
	    .fill_fds = 1100 }, argv), 0);
	assert_terminal_shows(&p, 24, 80, "hello");
	h_free(&p);
}

static void
test_closed_stdout_is_a_write_error_with_125(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-d", "0.01", NULL };
	char want[128];

	begin(state);
	assert_exited(run_pty(&p, &(struct h_opts){ .out = H_STDOUT_PIPE,
	    .closed = 1 << 1 }, argv), 125);
	snprintf(want, sizeof(want), "%s: write error: Bad file descriptor",
	    bin);
	assert_terminal_shows(&p, 24, 80, want);
	h_free(&p);
}

static void
test_closed_stdin_or_stderr_changes_nothing_else(void **state)
{
	struct h_proc p;
	const char *demo[] = { bin, "-d", "0.01", NULL };
	const char *cmd[] = { bin, "--", "sh", "-c", "echo ran", NULL };

	begin(state);
	for (int fd = 0; fd <= 2; fd += 2) {
		struct h_opts o = { .out = H_STDOUT_PIPE, .closed = 1 << fd };

		if (fd == 2 && getenv("SPINNER_WRAP") != NULL)
			continue;	/* valgrind itself needs stderr */

		assert_exited(run_pty(&p, &o, demo), 0);
		assert_non_null(strstr(p.stdout_data, "Answer: 42\n"));
		h_free(&p);
		assert_exited(run_pty(&p, &o, cmd), 0);
		assert_string_equal(p.stdout_data, "ran\n");
		h_free(&p);
	}
}

static void
test_timeout_due_with_the_demos_end_exits_124(void **state)
{
	const char *argv[] = { bin, "-q", "-t", "0.2", "-d", "0.2", NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    124);
	assert_string_equal(out, "");
	free(out);
	free(err);
}

static void
test_messages_name_the_program_as_it_was_called(void **state)
{
	const char *link = scratch("myspin");
	const char *bad[] = { link, "--bogus", NULL };
	const char *cmd[] = { link, "--", "/nonexistent/cmd", NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	unlink(link);
	char target[PATH_MAX];	/* realpath's size, checked with fortify */
	assert_non_null(realpath(h_bin(bin), target));
	assert_int_equal(symlink(target, link), 0);
	assert_exited(h_pipe_run(bad, NULL, 0, &out, &ol, &err, &el, NULL),
	    125);
	assert_string_equal(err, "myspin: --bogus: unknown option\n"
	    "Try 'myspin --help' for more information.\n");
	free(out);
	free(err);
	assert_exited(h_pipe_run(cmd, NULL, 0, &out, &ol, &err, &el, NULL),
	    127);
	assert_non_null(strstr(err, "myspin: cannot run "));
	free(out);
	free(err);
	unlink(link);
}

/* --- the terminal proxy: COMMAND owns the terminal, through us ------- */

/* On the terminal, stdin and stdout both: COMMAND gets a pty proxied. */
static const struct h_opts on_tty = { .out = H_STDOUT_PTY, .echo = true };

/* The job ended with the terminal's modes as they were before it. */
static void
assert_modes_restored(const struct h_proc *p)
{
	assert_true(h_same_modes(&p->modes_before, &p->modes_after));
}

/* A file of n numbered lines, for a pager. */
static const char *
numbered_file(int n)
{
	const char *path = scratch("lines.txt");
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	for (int i = 1; i <= n; i++)
		fprintf(fp, "line %d\n", i);
	fclose(fp);
	return path;
}

static void
test_pager_is_driven_by_keys_through_the_proxy(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "--", "less", "-+F", "-+X",
		numbered_file(500), NULL };
	const char *const env[] = { "LESS=", "LESSHISTFILE=-", NULL };
	struct h_opts o = on_tty;

	begin(state);
	o.env = env;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "line 23", 0));
	size_t mark = p.tty_len;
	h_type(&p, " ");			/* a page */
	assert_true(h_wait_for(&p, "line 46", mark));
	mark = p.tty_len;
	h_type(&p, "/line 300\r");		/* a search */
	assert_true(h_wait_for(&p, "line 310", mark));
	h_type(&p, "q");
	assert_exited(h_finish(&p), 0);
	assert_modes_restored(&p);
	/* less left the alternate screen; nothing of ours stayed on it */
	replay(&p, 24, 80, 0);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.wraps, 0);
	h_free(&p);
}

static void
test_prompt_answer_is_echoed_and_no_frame_stays(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.02", "--", "sh", "-c",
		"printf 'name? '; read x; echo \"hello $x\"", NULL };

	begin(state);
	h_start(&p, &on_tty, argv);
	assert_true(h_wait_for(&p, "name? ", 0));
	assert_true(h_wait_for(&p, "thinking!", 0));
	h_type(&p, "ali");
	assert_true(h_wait_for(&p, "ali", 0));
	h_type(&p, "ce\r");
	assert_exited(h_finish(&p), 0);
	assert_terminal_shows(&p, 24, 80, "name? alice\nhello alice");
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_password_prompt_on_dev_tty_does_not_echo(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.02", "--", "sh", "-c",
		"exec </dev/tty; stty -echo; printf 'password: ' >/dev/tty; "
		"read pw; stty echo; echo; echo \"got ${#pw}\"",
		NULL };

	begin(state);
	h_start(&p, &on_tty, argv);
	assert_true(h_wait_for(&p, "password: ", 0));
	h_type(&p, "secret\r");
	assert_exited(h_finish(&p), 0);
	assert_null(strstr(p.tty, "secret"));
	assert_terminal_shows(&p, 24, 80, "password:\ngot 6");
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_output_that_moves_the_cursor_up_stays_intact(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.01", "--", "sh", "-c",
		"printf 'A\\nB\\nC\\n\\033[2A'; sleep 0.3; printf '\\033[2B'",
		NULL };

	begin(state);
	assert_exited(run_pty(&p, &on_tty, argv), 0);
	assert_terminal_shows(&p, 24, 80, "A\nB\nC");
	h_free(&p);
}

static void
test_alternate_screen_is_never_drawn_on(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.01", "--", "sh", "-c",
		"echo before; printf '\\033[?1049h\\033[H\\033[2Jfull'; "
		"sleep 0.3; printf '\\033[?1049l'; echo after", NULL };

	begin(state);
	assert_exited(run_pty(&p, &on_tty, argv), 0);
	const char *in = strstr(p.tty, "\033[?1049h");
	const char *out = strstr(p.tty, "\033[?1049l");
	assert_true(in != NULL && out != NULL && in < out);
	assert_int_equal(h_count(in, (size_t)(out - in), "thinking!"), 0);
	assert_int_equal(h_count(in, (size_t)(out - in), "\033[K"), 0);
	h_free(&p);
}

static void
test_frame_is_drawn_in_plain_colours_and_commands_come_back(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.01", "--", "sh", "-c",
		"printf '\\033[41mred '; sleep 0.2; printf '\\033[0m\\n'",
		NULL };

	begin(state);
	assert_exited(run_pty(&p, &on_tty, argv), 0);
	/* after the red text: reset, the frame, red again */
	const char *red = strstr(p.tty, "red ");
	assert_non_null(red);
	assert_non_null(strstr(red, "\033[0m| thinking!"));
	assert_non_null(strstr(red, "\033[41m"));
	assert_terminal_shows(&p, 24, 80, "red");
	h_free(&p);
}

static void
test_persist_line_starts_on_a_fresh_line(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-p", "-m", "build", "-i", "0.01", "--",
		"sh", "-c", "printf partial; sleep 0.1", NULL };

	begin(state);
	assert_exited(run_pty(&p, &on_tty, argv), 0);
	replay(&p, 24, 80, 0);
	char row[1024];
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)), "partial");
	assert_non_null(strstr(screen_row(&scr, 1, row, sizeof(row)),
	    "build ("));
	h_free(&p);
}

static void
test_resize_reaches_command_after_its_pty_has_the_size(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"trap 'stty size' WINCH; echo ready; "
		"while :; do sleep 0.02; done", NULL };

	begin(state);
	h_start(&p, &on_tty, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	size_t mark = p.tty_len;
	h_resize(&p, 30, 100);
	assert_true(h_wait_for(&p, "30 100", mark));
	assert_null(strstr(p.tty + mark, "24 80"));
	h_type(&p, "\x03");
	assert_signaled(h_finish(&p), SIGINT);
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_ctrl_c_typed_reaches_command_through_its_pty(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"trap 'echo got INT; exit 6' INT; echo ready; "
		"while :; do sleep 0.02; done", NULL };

	begin(state);
	h_start(&p, &on_tty, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	h_type(&p, "\x03");
	assert_exited(h_finish(&p), 6);
	assert_non_null(strstr(p.tty, "got INT"));
	assert_modes_restored(&p);
	replay(&p, 24, 80, 0);
	assert_true(scr.cursor_visible);
	h_free(&p);
}

static void
test_ctrl_z_through_the_proxy_stops_all_and_fg_resumes(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("ztty.pid");
	char script[256];
	const char *argv[] = { bin, "-i", "0.02", "--", "sh", "-c", script,
		NULL };
	struct termios stopped;

	begin(state);
	if (getenv("SPINNER_WRAP") != NULL)
		skip();	/* valgrind does not stop for a re-raised SIGTSTP */
	snprintf(script, sizeof(script), "echo $$ > %s; echo ready; "
	    "read x; echo \"after $x\"", pidf);
	h_start(&p, &on_tty, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	/* a frame after it: the cursor is hidden, and will be shown */
	size_t ready = (size_t)(strstr(p.tty, "ready") - p.tty);
	assert_true(h_wait_for(&p, "thinking!", ready));
	pid_t cmd = read_pid(pidf);
	size_t mark = p.tty_len;
	h_type(&p, "\x1a");
	assert_true(h_wait_stopped(&p));
	assert_true(wait_stopped(cmd, true));
	/* the shell gets the terminal back as it gave it: modes, cursor */
	h_modes(&p, &stopped);
	assert_true(h_same_modes(&p.modes_before, &stopped));
	assert_true(h_wait_for(&p, "\033[?25h", mark));
	replay(&p, 24, 80, 0);
	assert_true(scr.cursor_visible);
	mark = p.tty_len;
	h_kill_job(&p, SIGCONT);
	assert_true(h_wait_continued(&p));
	assert_true(wait_stopped(cmd, false));
	assert_true(h_wait_for(&p, "thinking!", mark));
	h_type(&p, "yes\r");
	assert_exited(h_finish(&p), 0);
	assert_non_null(strstr(p.tty, "after yes"));
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_command_suspending_itself_stops_the_job_as_in_a_shell(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.02", "--", "sh", "-c",
		"echo ready; kill -TSTP $$; echo resumed", NULL };
	struct termios stopped;

	begin(state);
	if (getenv("SPINNER_WRAP") != NULL)
		skip();	/* valgrind does not stop for a re-raised SIGTSTP */
	/* an editor that reads ^Z as a key suspends itself this way */
	h_start(&p, &on_tty, argv);
	assert_true(h_wait_stopped(&p));
	h_modes(&p, &stopped);
	assert_true(h_same_modes(&p.modes_before, &stopped));
	assert_true(p.tty == NULL || strstr(p.tty, "resumed") == NULL);
	h_kill_job(&p, SIGCONT);
	assert_true(h_wait_continued(&p));
	assert_exited(h_finish(&p), 0);
	assert_non_null(strstr(p.tty, "resumed"));
	assert_modes_restored(&p);
	h_free(&p);
}


/* Run argv to its end; the pid COMMAND wrote to pidf must be gone. */
static void
expect_nothing_left(const struct h_opts *o, const char *const argv[],
    const char *pidf, int sig, int code)
{
	struct h_proc p;

	h_start(&p, o, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	pid_t child = read_pid(pidf);
	if (sig != 0)
		h_kill(&p, sig);
	int st = h_finish(&p);
	if (sig != 0 && code == 0)
		assert_signaled(st, sig);
	else
		assert_exited(st, code);
	/* dead, if not yet reaped by whoever inherited it */
	for (int i = 0; i < h_guard() * 100 && !dead(child); i++) {
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);	/* the kernel delivering a signal */
	}
	if (!dead(child)) {
		kill(child, SIGKILL);
		fail_msg("pid %d was left running", (int)child);
	}
	h_free(&p);
}

static void
test_timeout_and_kill_after_leave_no_grandchild(void **state)
{
	const char *pidf = scratch("grand.pid");
	char plain[256], stubborn[256];
	const char *a1[] = { bin, "-t", "0.3", "--", "sh", "-c", plain, NULL };
	const char *a2[] = { bin, "-t", "0.3", "-k", "0.2", "--", "sh", "-c",
		stubborn, NULL };

	begin(state);
	snprintf(plain, sizeof(plain), "sleep 30 & echo $! > %s; "
	    "echo ready >&2; wait", pidf);
	snprintf(stubborn, sizeof(stubborn), "trap '' TERM; "
	    "sh -c 'trap \"\" TERM; sleep 30' & echo $! > %s; "
	    "echo ready >&2; sleep 30", pidf);
	/* proxied, and in a pipeline alike */
	expect_nothing_left(&on_tty, a1, pidf, 0, 124);
	expect_nothing_left(&(struct h_opts){ .out = H_STDOUT_PIPE }, a1,
	    pidf, 0, 124);
	expect_nothing_left(&on_tty, a2, pidf, 0, 124);
	expect_nothing_left(&(struct h_opts){ .out = H_STDOUT_PIPE }, a2,
	    pidf, 0, 124);
}

static void
test_signal_to_the_spinner_reaches_every_grandchild(void **state)
{
	const char *pidf = scratch("sig.pid");
	char script[256];
	const char *argv[] = { bin, "--", "sh", "-c", script, NULL };

	begin(state);
	snprintf(script, sizeof(script), "sleep 30 & echo $! > %s; "
	    "echo ready >&2; wait", pidf);
	expect_nothing_left(&on_tty, argv, pidf, SIGTERM, 0);
	expect_nothing_left(&(struct h_opts){ .out = H_STDOUT_PIPE }, argv,
	    pidf, SIGHUP, 0);
}

static void
test_stopped_terminal_delays_output_not_the_timeout(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("flood.pid");
	struct stat st;
	char script[256];
	const char *argv[] = { bin, "-t", "0.3", "--", "sh", "-c", script,
		NULL };

	begin(state);
	snprintf(script, sizeof(script), "echo $$ > %s; exec yes", pidf);
	h_start(&p, &on_tty, argv);
	/* the terminal takes nothing: nobody reads it */
	/* polling for the pid in the file: made empty first, then written */
	for (int i = 0; i < h_guard() * 100 && (stat(pidf, &st) != 0 ||
	    st.st_size == 0); i++) {
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);
	}
	pid_t cmd = read_pid(pidf);
	for (int i = 0; i < h_guard() * 100 && !gone(cmd); i++) {
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);	/* polling for the timeout's kill */
	}
	assert_true(gone(cmd));
	assert_exited(h_finish(&p), 124);
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_nested_spinner_shows_the_inner_one(void **state)
{
	struct h_proc p;
	const char *inner = is_thread() ? "spinner-async" : "spinner-thread";
	const char *argv[] = { bin, "-i", "0.01", "-m", "OUTER", "--",
		h_bin(inner), "-i", "0.02", "-m", "INNER", "-d", "0.3", NULL };

	begin(state);
	h_start(&p, &on_tty, argv);
	assert_true(h_wait_for(&p, "INNER", 0));
	assert_exited(h_finish(&p), 0);
	/* while the inner one draws, the outer one steps aside */
	const char *first = strstr(p.tty, "INNER");
	const char *last = first;
	for (const char *q = first; (q = strstr(q + 1, "INNER")) != NULL;)
		last = q;
	assert_true(last > first);
	assert_int_equal(h_count(first, (size_t)(last - first), "OUTER"), 0);
	if (strstr(last, "Answer: 42") == NULL) {
		/* what came, escapes made visible, for whoever reads this */
		for (char *c = p.tty + (first - p.tty); *c != '\0'; c++)
			if (*c == '\033')
				*c = '^';
		fail_msg("no answer after the last frame; the terminal got, "
		    "from the first frame on:\n%s", first);
	}
	replay(&p, 24, 80, 0);
	assert_true(scr.cursor_visible);
	assert_modes_restored(&p);
	h_free(&p);
}
/* --- --elapsed, --messages and --output ------------------------------ */

/*
 * The times, in tenths of a second, that the frames in tty showed after
 * "MSG " ("| MSG 1.2s"), in order; at most max.  A time not of the
 * form D.Ds right before the wipe counts as -1.
 */
static size_t
frame_times(const char *tty, const char *msg, int *times, size_t max)
{
	char after[128];
	size_t n = 0;

	snprintf(after, sizeof(after), "%s ", msg);
	for (const char *q = tty; q != NULL && n < max &&
	    (q = strstr(q, after)) != NULL; q += strlen(after)) {
		int whole, tenth, used = 0;

		if (sscanf(q + strlen(after), "%d.%1ds%n", &whole, &tenth,
		    &used) == 2 && used > 0 &&
		    strncmp(q + strlen(after) + used, "\033[K", 3) == 0)
			times[n++] = whole * 10 + tenth;
		else
			times[n++] = -1;
	}
	return n;
}

/* Read until a frame shows a time of at least tenths after "MSG ". */
static bool
wait_for_time(struct h_proc *p, const char *msg, int tenths)
{
	int t[4096];

	for (int i = 0; i < h_guard() * 20; i++) {
		size_t n = p->tty != NULL ? frame_times(p->tty, msg, t, 4096) :
		    0;

		if (n > 0 && t[n - 1] >= tenths)
			return true;
		h_read(p, 50);
	}
	return false;
}

static void
test_elapsed_counts_after_the_message_on_the_live_line(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-e", "-m", "build", "-d", "30", "-i",
		"0.05", NULL };
	int t[4096];
	char row[256];

	begin(state);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE }, argv);
	assert_true(wait_for_time(&p, "build", 3));
	/* one frame: "| build 0.3s", the time kept in step */
	replay(&p, 24, 80, 0);
	screen_row(&scr, 0, row, sizeof(row));
	assert_int_equal(strlen(row), strlen("| build 0.3s"));
	assert_true(strncmp(row + 1, " build ", 7) == 0);
	size_t n = frame_times(p.tty, "build", t, 4096);
	assert_true(n >= 2);
	for (size_t i = 0; i < n; i++) {
		assert_true(t[i] >= 0);
		assert_true(i == 0 || t[i] >= t[i - 1]);
	}
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_elapsed_stays_whole_and_the_message_gives_way(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .cols = 12 };
	const char *argv[] = { bin, "-e", "-m", "a long message", "-i", "1h",
		"--", "sh", "-c", "echo ready >&2; exec sleep 30", NULL };
	char row[256];
	int t[16];

	begin(state);
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	size_t at = (size_t)(strstr(p.tty, "ready") - p.tty);
	/* 11 columns: the frame, "a l" and an ellipsis, the time */
	assert_true(h_wait_for(&p, "| a l" ELLIPSIS " ", at));
	at = (size_t)(strstr(p.tty + at, "| a l" ELLIPSIS " ") - p.tty);
	assert_true(h_wait_for(&p, "s\033[K", at));
	size_t n = frame_times(p.tty, "a l" ELLIPSIS, t, 16);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++)
		assert_true(t[i] >= 0);
	replay(&p, 24, 12, 0);
	screen_row(&scr, 1, row, sizeof(row));
	assert_true(strncmp(row, "| a l" ELLIPSIS " ", 9) == 0);
	assert_int_equal(scr.wraps, 0);
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_terminal_shows(&p, 24, 12, "ready");
	h_free(&p);
}

static void
test_elapsed_off_a_terminal_adds_nothing(void **state)
{
	const char *plain[] = { bin, "-e", "-d", "1ms", NULL };
	const char *forced[] = { bin, "--animate", "-e", "-m", "job", "--",
		"true", NULL };
	char *out, *err;
	size_t ol, el;
	int t[16];

	begin(state);
	assert_exited(h_pipe_run(plain, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	assert_int_equal(el, 0);
	assert_non_null(strstr(out, "\nAnswer: 42\n"));
	free(out);
	free(err);
	/* frames forced onto stderr carry it, as on a terminal */
	assert_exited(h_pipe_run(forced, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	assert_int_equal(ol, 0);
	assert_int_equal(frame_times(err, "job", t, 16), 1);
	assert_true(t[0] >= 0);
	free(out);
	free(err);
}

static void
test_messages_from_command_replace_the_line_and_empty_restores(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "--messages", "-m", "build", "-i", "1h",
		"--", "sh", "-c",
		"echo \"fd=$SPINNER_MESSAGE_FD\"; "
		"echo configuring >&$SPINNER_MESSAGE_FD; read x; "
		"printf 'compiling\\r\\n' >&$SPINNER_MESSAGE_FD; read x; "
		"echo >&$SPINNER_MESSAGE_FD; read x; echo done", NULL };

	begin(state);
	/* on the terminal, proxied: COMMAND waits for a key each time; an
	 * hour between frames, so each new frame is the message's own */
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PTY }, argv);
	assert_true(h_wait_for(&p, "fd=3", 0));
	assert_true(h_wait_for(&p, "| configuring\033[K", 0));
	size_t mark = p.tty_len;
	h_type(&p, "\r");
	assert_true(h_wait_for(&p, "| compiling\033[K", mark));
	mark = p.tty_len;
	h_type(&p, "\r");
	assert_true(h_wait_for(&p, "| build\033[K", mark));
	h_type(&p, "\r");
	assert_exited(h_finish(&p), 0);
	assert_terminal_shows(&p, 24, 80, "fd=3\ndone");
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_messages_never_cover_a_descriptor_command_inherits(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "--messages", "-i", "1h", "--", "sh", "-c",
		"[ \"$SPINNER_MESSAGE_FD\" -ge 1100 ] && "
		"readlink /proc/self/fd/3; "
		"echo high >/dev/fd/$SPINNER_MESSAGE_FD; read x", NULL };

	begin(state);
	/* 3 to 1099 are given to the spinner, and so to COMMAND */
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PTY,
	    .fill_fds = 1100 }, argv);
	assert_true(h_wait_for(&p, "/dev/null", 0));
	assert_true(h_wait_for(&p, "| high\033[K", 0));
	h_type(&p, "\r");
	assert_exited(h_finish(&p), 0);
	assert_terminal_shows(&p, 24, 80, "/dev/null");
	h_free(&p);
}

static void
test_messages_off_a_terminal_are_read_and_never_shown(void **state)
{
	const char *pidf = scratch("msg.pid");
	char script[256];
	const char *argv[] = { bin, "--messages", "--", "sh", "-c", script,
		NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	/* far more than a pipe holds: COMMAND would block if they were not
	 * read; and a process left holding the pipe does not keep us */
	snprintf(script, sizeof(script), "yes message | head -c 300000 "
	    ">&$SPINNER_MESSAGE_FD; sleep 30 >/dev/null 2>&1 & echo $! > %s; "
	    "echo done", pidf);
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	kill(read_pid(pidf), SIGKILL);
	assert_string_equal(out, "done\n");
	assert_int_equal(el, 0);
	free(out);
	free(err);
}

static void
test_output_failed_keeps_output_until_command_fails(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "--output=failed", "--messages", "-m",
		"build", "-i", "1h", "--", "sh", "-c",
		"echo out; [ -t 1 ] && echo tty; echo err >&2; "
		"echo ready >&$SPINNER_MESSAGE_FD; exec sleep 30", NULL };

	begin(state);
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PTY }, argv);
	/* written before "ready", and not shown while COMMAND runs */
	assert_true(h_wait_for(&p, "| ready\033[K", 0));
	assert_null(strstr(p.tty, "out"));
	h_kill(&p, SIGTERM);		/* passed on: COMMAND dies of it */
	assert_signaled(h_finish(&p), SIGTERM);
	/* then in one block, after the line was wiped; on a terminal of
	 * its own, COMMAND still wrote to a terminal */
	const char *block = strstr(p.tty, "out\r\ntty\r\nerr\r\n");
	assert_non_null(block);
	assert_non_null(strstr(p.tty, "\033[K\033[?25h"));
	assert_true(strstr(p.tty, "\033[K\033[?25h") < block);
	assert_terminal_shows(&p, 24, 80, "out\ntty\nerr");
	assert_modes_restored(&p);
	h_free(&p);
}

/* Run sh -c script with --output=how -p -m build; the screen at the end. */
static void
expect_output(const char *how, const char *script, int code,
    const char *want)
{
	struct h_proc p;
	char opt[32];
	const char *argv[] = { bin, opt, "-p", "-m", "build", "--", "sh",
		"-c", script, NULL };

	snprintf(opt, sizeof(opt), "--output=%s", how);
	assert_exited(run_pty(&p, &(struct h_opts){ .out = H_STDOUT_PTY },
	    argv), code);
	replay(&p, 24, 80, 0);
	/* the --persist line's time masked: "(exit 3, s)" */
	screen_text(&scr, text, sizeof(text));
	char *t = strstr(text, "s)"), *q = t;
	assert_non_null(t);
	while (q > text && ((q[-1] >= '0' && q[-1] <= '9') || q[-1] == '.'))
		q--;
	memmove(q, t, strlen(t) + 1);
	assert_string_equal(text, want);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.wraps, 0);
	h_free(&p);
}

static void
test_output_failed_all_none_by_how_command_ends(void **state)
{
	const char *ok = "echo out; echo err >&2";
	const char *bad = "echo out; echo err >&2; exit 3";
	const char *partial = "echo out; printf partial >&2; exit 4";

	begin(state);
	expect_output("failed", ok, 0, "\u2714 build (s)");
	expect_output("failed", bad, 3,
	    "out\nerr\n\u2716 build (exit 3, s)");
	expect_output("all", ok, 0, "out\nerr\n\u2714 build (s)");
	expect_output("none", bad, 3, "\u2716 build (exit 3, s)");
	/* the --persist line on a line of its own after a partial one */
	expect_output("failed", partial, 4,
	    "out\npartial\n\u2716 build (exit 4, s)");
}

static void
test_output_kept_never_takes_stdout_that_is_not_stderr(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "--output=failed", "--", "sh", "-c",
		"echo data; echo err >&2; exit 1", NULL };

	begin(state);
	/* stdout a pipe: COMMAND's, untouched; only stderr was kept */
	assert_exited(run_pty(&p, NULL, argv), 1);
	assert_string_equal(p.stdout_data, "data\n");
	assert_terminal_shows(&p, 24, 80, "err");
	h_free(&p);
}

static void
test_output_kept_leaves_stdin_the_spinners_terminal(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "--output=failed", "-i", "0.05", "--",
		"sh", "-c", "tty; read x; echo \"got $x\"; exit 1", NULL };
	char want[256];

	begin(state);
	/* no proxy: COMMAND reads the very terminal, given it as a shell
	 * would give it, and the key typed early waits there for it */
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PTY }, argv);
	assert_non_null(ptsname(p.master));
	snprintf(want, sizeof(want), "%s\ngot hello", ptsname(p.master));
	h_type(&p, "hello\r");
	assert_exited(h_finish(&p), 1);
	assert_terminal_shows(&p, 24, 80, want);
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_output_kept_off_a_terminal_goes_to_stderr_at_the_end(void **state)
{
	const char *bad[] = { bin, "--output=failed", "--", "sh", "-c",
		"echo out; echo err >&2; exit 2", NULL };
	const char *ok[] = { bin, "--output=failed", "--", "sh", "-c",
		"echo out; echo err >&2", NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	assert_exited(h_pipe_run(bad, NULL, 0, &out, &ol, &err, &el, NULL),
	    2);
	assert_string_equal(out, "out\n");
	assert_string_equal(err, "err\n");
	free(out);
	free(err);
	assert_exited(h_pipe_run(ok, NULL, 0, &out, &ol, &err, &el, NULL), 0);
	assert_string_equal(out, "out\n");
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void
test_output_kept_takes_stdout_that_is_stderr_too(void **state)
{
	char script[512];
	const char *argv[] = { "sh", "-c", script, NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	/* 2>&1 into one pipe: both kept, in the order written */
	snprintf(script, sizeof(script), "exec %s --output=failed -- sh -c "
	    "'echo out; echo err >&2; exit 0' 2>&1", h_bin(bin));
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	assert_string_equal(out, "");
	free(out);
	free(err);
	snprintf(script, sizeof(script), "exec %s --output=failed -- sh -c "
	    "'echo out; echo err >&2; exit 5' 2>&1", h_bin(bin));
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    5);
	assert_string_equal(out, "out\nerr\n");
	free(out);
	free(err);
}

static void
test_output_kept_pipeline_bytes_pass_unchanged(void **state)
{
	const size_t size = 1u << 20;
	char *in = malloc(size), *out, *err;
	size_t ol, el;
	FILE *fp = fopen("/dev/urandom", "r");
	const char *argv[] = { bin, "--output=failed", "--", "cat", NULL };

	begin(state);
	assert_non_null(fp);
	assert_int_equal(fread(in, 1, size, fp), size);
	fclose(fp);
	assert_exited(h_pipe_run(argv, in, size, &out, &ol, &err, &el, NULL),
	    0);
	assert_int_equal(ol, size);
	assert_true(memcmp(in, out, size) == 0);
	assert_int_equal(el, 0);
	free(out);
	free(err);
	free(in);
}

/*
 * Every case runs natively and built with sanitizers.  Under valgrind a
 * run of a binary costs about half a second of CPU before it does
 * anything, so there only the VG cases run.  Between them they take every
 * way through the binaries: the demo to its end, off a terminal, ended by
 * a signal or a timeout, resized, on a full or closed stdout, --help and
 * the like; COMMAND exiting, not found, timed out and killed, its output
 * relayed, flooding and drained, signals forwarded or not, SIGCHLD
 * ignored; and --persist after each outcome; the time on the line, the
 * messages COMMAND sets, its output kept on a terminal (a pty) and off
 * one (a pipe).  A NO_VG case takes one of
 * those ways again with other input, or checks code an in-process unit
 * test already runs under valgrind; there it is reported skipped.
 */
#define VG(f) cmocka_unit_test(f)
#define NO_VG(f) cmocka_unit_test_prestate(f, &no_valgrind)

/* --- --stats ----------------------------------------------------------- */

/* Where the last cursor show is in the terminal's bytes (the wipe's). */
static size_t
last_show(const struct h_proc *p)
{
	size_t at = 0;

	for (const char *q = p->tty; (q = strstr(q, "\033[?25h")) != NULL; q++)
		at = (size_t)(q - p->tty);
	return at;
}

static void
test_stats_counts_the_frames_the_terminal_got(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .cols = 250 };
	const char *argv[] = { bin, "--stats", "-d", "0.3", "-i", "0.05",
		NULL };
	struct h_stats s;

	begin(state);
	h_start(&p, &o, argv);
	assert_exited(h_finish(&p), 0);
	assert_non_null(strstr(p.stdout_data, "Answer: 42"));
	assert_true(h_stats(p.tty, p.tty_len, bin, false, &s));
	/* every frame written counted, and nothing else */
	assert_true(s.v[H_FRAMES] >= 1);
	assert_int_equal((size_t)s.v[H_FRAMES], h_count(p.tty, p.tty_len,
	    " thinking!"));
	assert_true(s.v[H_WALL_S] >= 0.3);
	assert_int_equal((int)s.v[H_THREADS], is_thread() ? 2 : 1);
	assert_true(s.v[H_MAXRSS_KIB] > 0);
	assert_true(s.v[H_WAKEUPS] >= 1);
	/* said after the line was wiped and the cursor shown */
	assert_true(strstr(p.tty, ": stats ") - p.tty > (ptrdiff_t)last_show(&p));
	replay(&p, 24, 250, 0);
	assert_int_equal(strncmp(screen_text(&scr, text, sizeof(text)), bin,
	    strlen(bin)), 0);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.wraps, 0);
	h_free(&p);
}

static void
test_stats_off_a_terminal_one_line_and_no_frame(void **state)
{
	const char *argv[] = { bin, "--stats", "-d", "1ms", NULL };
	struct h_stats s;
	char *out, *err;
	size_t ol, el;

	begin(state);
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	assert_true(h_stats(err, el, bin, false, &s));
	/* the line and nothing else; stdout as without --stats */
	assert_int_equal(h_count(err, el, "\n"), 1);
	assert_int_equal(strncmp(err, bin, strlen(bin)), 0);
	assert_false(h_has_escape(err, el));
	assert_int_equal(strncmp(out, "spinner object: <", 17), 0);
	assert_int_equal(h_count(out, ol, "\n"), 2);
	assert_non_null(strstr(out, ">\nAnswer: 42\n"));
	assert_int_equal((int)s.v[H_FRAMES], 0);
	assert_int_equal((int)s.v[H_THREADS], 1);	/* nothing to animate */
	free(out);
	free(err);
}

/* Every way out says it: COMMAND's status, a timeout, a failure to run. */
static void
test_stats_on_every_way_out_of_a_command(void **state)
{
	static const struct {
		const char *argv[8];
		int status;
	} runs[] = {
		{ { "--stats", "--", "sh", "-c", "exit 3", NULL }, 3 },
		{ { "--stats", "-t", "50ms", "--", "sleep", "30", NULL }, 124 },
		{ { "--stats", "--", "/nonexistent/cmd", NULL }, 127 },
		{ { "--stats", "-t", "1ms", "-d", "30", NULL }, 124 },
	};

	begin(state);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const char *argv[10] = { bin };
		struct h_stats s;
		char *out, *err;
		size_t ol, el;

		for (size_t j = 0; runs[i].argv[j] != NULL; j++)
			argv[j + 1] = runs[i].argv[j];
		assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el,
		    NULL), runs[i].status);
		if (!h_stats(err, el, bin, false, &s))
			fail_msg("run %zu: stderr %s", i, err);
		assert_int_equal((int)s.v[H_FRAMES], 0);
		free(out);
		free(err);
	}
}

/* A fatal signal: the line, then the death by that signal. */
static void
test_stats_then_the_signal_reraised(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .cols = 250 };
	const char *demo[] = { bin, "--stats", "-d", "60", "-i", "0.05",
		NULL };
	const char *cmd[] = { bin, "--stats", "-i", "0.05", "--", "sh", "-c",
		"echo ready >&2; exec sleep 30", NULL };
	struct h_stats s;

	begin(state);
	h_start(&p, &o, demo);
	assert_true(h_wait_for(&p, "/ thinking!", 0));
	h_kill(&p, SIGINT);
	assert_signaled(h_finish(&p), SIGINT);
	assert_true(h_stats(p.tty, p.tty_len, bin, false, &s));
	assert_true(s.v[H_FRAMES] >= 2);
	assert_null(strstr(p.stdout_data, "Answer"));
	h_free(&p);

	h_start(&p, &o, cmd);
	assert_true(h_wait_for(&p, "ready", 0));
	assert_true(h_wait_for(&p, "thinking!",
	    (size_t)(strstr(p.tty, "ready") - p.tty)));
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_true(h_stats(p.tty, p.tty_len, bin, false, &s));
	assert_true(s.v[H_FRAMES] >= 1);
	assert_int_equal((int)s.v[H_THREADS], is_thread() ? 2 : 1);
	h_free(&p);
}

static void
test_stats_takes_no_value(void **state)
{
	const char *argv[] = { bin, "--stats=yes", "-d", "1ms", NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    125);
	assert_non_null(strstr(err, "--stats"));
	assert_null(strstr(err, ": stats "));
	assert_int_equal(ol, 0);
	free(out);
	free(err);
}

/* --- odd environments ---------------------------------------------------- */

static void
test_unknown_term_gets_the_same_frames_as_xterm(void **state)
{
	static const char *const xyzzy[] = { "TERM=xyzzy", NULL };
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .env = xyzzy };
	const char *demo[] = { bin, "-d", "1ms", "-i", "0.05", NULL };
	const char *cmd[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"echo \"TERM=$TERM\"; read x", NULL };

	begin(state);
	/* no terminfo is read: any TERM but dumb gets the ANSI sequences */
	assert_exited(run_pty(&p, &o, demo), 0);
	assert_non_null(strstr(p.tty, "\033[?25l| thinking!\033[K\033[11D"));
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
	/* COMMAND proxied as ever, and its TERM left as it was */
	o = on_tty;
	o.env = xyzzy;
	h_start(&p, &o, cmd);
	assert_true(h_wait_for(&p, "TERM=xyzzy", 0));
	assert_true(h_wait_for(&p, "| thinking!", 0));
	h_type(&p, "\r");
	assert_exited(h_finish(&p), 0);
	assert_terminal_shows(&p, 24, 80, "TERM=xyzzy");
	assert_modes_restored(&p);
	h_free(&p);
}

/* Whether hay holds a byte that is not ASCII. */
static bool
has_non_ascii(const char *hay, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)hay[i] >= 0x80)
			return true;
	return false;
}

/* The demo's frame and --persist line of "café ✓" in env's locale. */
static void
expect_locale(const char *const *env, const char *const *unset,
    const char *frame, const char *mark)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .env = env, .unset = unset };
	const char *argv[] = { bin, "-p", "-s", "dots", "-m",
		"caf\303\251 \342\234\223", "-d", "1ms", "-i", "0.05", NULL };
	char row[256];

	assert_exited(run_pty(&p, &o, argv), 0);
	if (strstr(p.tty, frame) == NULL)
		fail_msg("no '%s' in '%s'", frame, p.tty);
	replay(&p, 24, 80, 0);
	screen_row(&scr, 0, row, sizeof(row));
	assert_true(strncmp(row, mark, strlen(mark)) == 0);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.wraps, 0);
	h_free(&p);
}

static void
test_c_unknown_or_no_locale_draws_ascii_alone(void **state)
{
	static const char *const c[] = { "LC_ALL=C", NULL };
	static const char *const c_over_lang[] = { "LANG=C.UTF-8",
		"LC_ALL=C", NULL };
	static const char *const unknown[] = { "LC_ALL=xyzzy.UTF-8", NULL };
	static const char *const lang_utf8[] = { "LANG=C.UTF-8", NULL };
	static const char *const none[] = { "LC_ALL", "LC_CTYPE", "LANG",
		NULL };
	/* the message's bytes that do not decode, each drawn as '?' */
	const char *ascii = "\033[?25l| caf?? ???\033[K";
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PTY, .env = c };
	const char *cmd[] = { bin, "-i", "0.05", "--", "printf",
		"caf\303\251 \342\234\223\\n", NULL };

	begin(state);
	expect_locale(c, NULL, ascii, "v caf?? ??? (");
	expect_locale(c_over_lang, NULL, ascii, "v caf?? ??? (");
	expect_locale(unknown, NULL, ascii, "v caf?? ??? (");
	expect_locale(NULL, none, ascii, "v caf?? ??? (");
	/* LC_ALL unset: LANG decides */
	expect_locale(lang_utf8, none, "\033[?25l\342\240\213 caf\303\251 "
	    "\342\234\223\033[K", "\342\234\224 caf\303\251 \342\234\223 (");
	/* what COMMAND writes is its own: passed on byte for byte */
	assert_exited(run_pty(&p, &o, cmd), 0);
	assert_non_null(strstr(p.tty, "caf\303\251 \342\234\223\r\n"));
	assert_false(has_non_ascii(p.tty, (size_t)(strstr(p.tty, "caf") -
	    p.tty)));
	h_free(&p);
}

static void
test_closed_descriptors_all_three_or_under_command(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .closed = 7 };
	const char *demo[] = { bin, "-d", "1ms", NULL };
	const char *cmd[] = { bin, "--", "sh", "-c", "for fd in 0 1 2; do "
		"[ \"$(readlink /proc/$$/fd/$fd)\" = /dev/null ] || exit 8; "
		"done; exit 4", NULL };
	const char *writes[] = { bin, "--", "sh", "-c",
		"echo out 2>/dev/null || exit 9", NULL };

	begin(state);
	/* all three: the demo cannot print its answer, and cannot say so */
	assert_exited(run_pty(&p, &o, demo), 125);
	assert_int_equal(p.tty_len, 0);
	h_free(&p);
	/* COMMAND runs, given /dev/null there, none of the spinner's own */
	assert_exited(run_pty(&p, &o, cmd), 4);
	assert_int_equal(p.tty_len, 0);
	h_free(&p);
	/* stdout closed: COMMAND finds it as closed as it was */
	o.closed = 1 << 1;
	assert_exited(run_pty(&p, &o, writes), 9);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_stdout_full_fails_only_what_writes_there(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_FULL };
	const char *quiet[] = { bin, "-q", "-d", "1ms", "-i", "0.05", NULL };
	const char *help[] = { bin, "--help", NULL };
	const char *writes[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"echo out 2>/dev/null || exit 9", NULL };
	const char *quiet_cmd[] = { bin, "-i", "0.05", "--", "true", NULL };
	char want[128];

	begin(state);
	snprintf(want, sizeof(want), "%s: write error: No space left on "
	    "device", bin);
	assert_exited(run_pty(&p, &o, quiet), 125);
	assert_terminal_shows(&p, 24, 80, want);
	h_free(&p);
	assert_exited(run_pty(&p, &o, help), 125);
	assert_terminal_shows(&p, 24, 80, want);
	h_free(&p);
	/* with COMMAND stdout is COMMAND's: its failure, its status */
	assert_exited(run_pty(&p, &o, writes), 9);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
	assert_exited(run_pty(&p, &o, quiet_cmd), 0);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
}

static void
test_one_row_one_column_or_unsized_terminals(void **state)
{
	static const char *const columns[] = { "COLUMNS=12", NULL };
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .rows = 1 };
	const char *demo[] = { bin, "-m", "a long message", "-d", "1ms", "-i",
		"0.05", NULL };
	const char *size[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"stty size; exit 5", NULL };

	begin(state);
	/* one row: the line is drawn there and wiped */
	assert_exited(run_pty(&p, &o, demo), 0);
	assert_non_null(strstr(p.tty, "| a long message\033[K"));
	assert_terminal_clean(&p, 1, 80);
	h_free(&p);
	/* one cell: no room for a frame; COMMAND sees its size */
	o = on_tty;
	o.rows = o.cols = 1;
	assert_exited(run_pty(&p, &o, size), 5);
	assert_non_null(strstr(p.tty, "1 1\r\n"));
	assert_null(strstr(p.tty, "thinking"));
	assert_modes_restored(&p);
	replay(&p, 1, 1, 0);
	assert_true(scr.cursor_visible);
	h_free(&p);
	/* no size at all (0x0, as a serial line): COLUMNS, else 80 */
	o = (struct h_opts){ .out = H_STDOUT_PIPE, .unsized = true,
	    .env = columns };
	assert_exited(run_pty(&p, &o, demo), 0);
	assert_non_null(strstr(p.tty, "| a long m" ELLIPSIS "\033[K"));
	assert_terminal_clean(&p, 24, 12);
	h_free(&p);
	o.env = NULL;
	assert_exited(run_pty(&p, &o, demo), 0);
	assert_non_null(strstr(p.tty, "| a long message\033[K"));
	h_free(&p);
	/* and COMMAND's terminal says 0x0 as ours did */
	o = on_tty;
	o.unsized = true;
	assert_exited(run_pty(&p, &o, size), 5);
	assert_non_null(strstr(p.tty, "0 0\r\n"));
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_longest_message_and_a_mebibyte_one_are_fitted(void **state)
{
	/* one argument holds at most 128 KiB (Linux's MAX_ARG_STRLEN) */
	const size_t len = 128 * 1024 - 2;
	char *msg = malloc(len + 1), *out, *err;
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .cols = 40 };
	const char *argv[] = { bin, "-p", "-m", msg, "-d", "1ms", "-i",
		"0.05", NULL };
	const char *said[] = { bin, "--messages", "-m", "short", "-i", "1h",
		"--", "sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' m "
		">&$SPINNER_MESSAGE_FD; echo >&$SPINNER_MESSAGE_FD; "
		"echo ready; read x", NULL };
	size_t ol, el;
	char row[1024];

	begin(state);
	assert_non_null(msg);
	for (size_t i = 0; i < len; i += 2)
		memcpy(msg + i, "\303\251", 2);	/* é: a column */
	msg[len] = '\0';
	assert_exited(run_pty(&p, &o, argv), 0);
	/* the frame and the final line fitted to 39 columns */
	replay(&p, 24, 40, 0);
	assert_int_equal(scr.wraps, 0);
	screen_row(&scr, 0, row, sizeof(row));
	assert_true(strncmp(row, "\342\234\224 \303\251\303\251", 6) == 0);
	assert_non_null(strstr(row, ELLIPSIS " ("));
	assert_true(scr.cursor_visible);
	h_free(&p);
	/* off a terminal the final line is cut too, and still ends whole */
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	assert_true(el < 16 * 1024);
	assert_int_equal(h_count(err, el, "\n"), 1);
	assert_non_null(strstr(err, ELLIPSIS " ("));
	assert_true(strcmp(err + el - 3, "s)\n") == 0);
	free(out);
	free(err);
	free(msg);
	/* a line of 1 MiB from COMMAND: read whole, its start shown in the
	 * 39 columns (its first 4096 bytes are kept) */
	o = on_tty;
	o.cols = 40;
	h_start(&p, &o, said);
	memset(row, 'm', 38);
	memcpy(row, "| ", 2);
	snprintf(row + 38, sizeof(row) - 38, "%s\033[K", ELLIPSIS);
	assert_true(h_wait_for(&p, "ready", 0));
	assert_true(h_wait_for(&p, row, 0));
	h_type(&p, "\r");
	assert_exited(h_finish(&p), 0);
	assert_terminal_shows(&p, 24, 40, "ready");
	h_free(&p);
}

static void
test_thousands_of_frames_are_refused_and_64_are_not(void **state)
{
	char *many = malloc(5000 * 2), *chars = malloc(5001), sixty4[512];
	char *wide = malloc(4000 + 3);
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .cols = 20 };
	const char *commas[] = { bin, "-f", many, NULL };
	const char *one_each[] = { bin, "-f", chars, NULL };
	const char *most[] = { bin, "-f", sixty4, "-d", "1ms", "-i", "0.05",
		NULL };
	const char *huge[] = { bin, "-f", wide, "-d", "1ms", "-i", "0.05",
		NULL };
	char *out, *err;
	size_t ol, el, n = 0;

	begin(state);
	for (int i = 0; i < 5000; i++) {
		many[2 * i] = (char)('a' + i % 26);
		many[2 * i + 1] = ',';
		chars[i] = (char)('a' + i % 26);
	}
	many[2 * 5000 - 1] = '\0';
	chars[5000] = '\0';
	/* one line, the hint, 125, nothing drawn: as the byte count of
	 * FRAMES is over its 4095 before there are more than 64, it says
	 * that first */
	assert_exited(h_pipe_run(commas, NULL, 0, &out, &ol, &err, &el, NULL),
	    125);
	assert_non_null(strstr(err, ": --frames: 'a,b,c,"));
	assert_non_null(strstr(err, "'... is too long (expected characters, "
	    "or frames separated by commas)\n"));
	assert_int_equal(h_count(err, el, "\n"), 2);
	assert_int_equal(ol, 0);
	free(out);
	free(err);
	assert_exited(h_pipe_run(one_each, NULL, 0, &out, &ol, &err, &el,
	    NULL), 125);
	assert_non_null(strstr(err, "'... is too long"));
	assert_int_equal(h_count(err, el, "\n"), 2);
	free(out);
	free(err);
	many[2 * 65 - 1] = '\0';	/* 65 frames */
	assert_exited(h_pipe_run(commas, NULL, 0, &out, &ol, &err, &el, NULL),
	    125);
	assert_non_null(strstr(err, "'... has more than 64 frames"));
	assert_int_equal(h_count(err, el, "\n"), 2);
	free(out);
	free(err);
	/* 64, the most, are taken: the first is drawn first, as wide as the
	 * widest */
	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(sixty4 + n, sizeof(sixty4) - n, "%s%d",
		    i > 0 ? "," : "", i);
	assert_exited(run_pty(&p, &o, most), 0);
	assert_non_null(strstr(p.tty, "\033[?25l0  thinking!"));
	assert_terminal_clean(&p, 24, 20);
	h_free(&p);
	/* a frame wider than the terminal is cut to it */
	memset(wide, 'w', 4000);
	memcpy(wide + 4000, ",v", 3);
	assert_exited(run_pty(&p, &o, huge), 0);
	assert_non_null(strstr(p.tty, "\033[?25lwwwwwwwwwwwwwwwwwww\033[K"));
	assert_terminal_clean(&p, 24, 20);
	h_free(&p);
	free(many);
	free(chars);
	free(wide);
}

static void
test_ignored_sigint_stays_ignored_by_the_demo_and_command(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .ignore_int = true };
	const char *demo[] = { bin, "-d", "60", "-i", "0.05", NULL };
	const char *cmd[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"echo ready; read x; echo \"got $x\"", NULL };

	begin(state);
	/* as "spinner &" from a script: a SIGINT is not taken, a SIGTERM
	 * after it is (an ignored signal is dropped when it is sent) */
	h_start(&p, &o, demo);
	assert_true(h_wait_for(&p, "| thinking!", 0));
	h_kill(&p, SIGINT);
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
	/* ^C typed reaches COMMAND's terminal, and COMMAND ignores it */
	o = on_tty;
	o.ignore_int = true;
	h_start(&p, &o, cmd);
	assert_true(h_wait_for(&p, "ready", 0));
	h_type(&p, "\x03");
	h_kill(&p, SIGINT);
	h_type(&p, "on\r");
	assert_exited(h_finish(&p), 0);
	assert_non_null(strstr(p.tty, "got on"));
	assert_modes_restored(&p);
	h_free(&p);
}

static void
test_blocked_signals_stay_blocked_but_the_run_still_works(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .block = all_blocked };
	const char *demo[] = { bin, "-m", "abcdefghijklmnop", "-d", "60", "-i",
		"1h", NULL };
	const char *usr1[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"trap 'exit 6' USR1; echo ready >&2; exec 2>/dev/null; "
		"while :; do sleep 0.05; done", NULL };
	const char *status[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"exit 3", NULL };
	const char *slow[] = { bin, "-t", "10ms", "-k", "10ms", "-i", "0.05",
		"--", "sleep", "30", NULL };
	const char *refit = "| abcdef" ELLIPSIS "\033[K";

	begin(state);
	/* COMMAND's end is seen, and the timeout comes: SIGTERM blocked in
	 * COMMAND too, SIGKILL after -k ends it */
	assert_exited(run_pty(&p, &o, status), 3);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
	assert_exited(run_pty(&p, &o, slow), 124);
	assert_terminal_clean(&p, 24, 80);
	h_free(&p);
	/* a resize is seen */
	h_start(&p, &o, demo);
	assert_true(h_wait_for(&p, "abcdefghijklmnop\033[K", 0));
	size_t mark = p.tty_len;
	h_resize(&p, 24, 10);
	assert_true(h_wait_for(&p, refit, mark));
	h_kill(&p, SIGKILL);	/* its SIGTERM would stay pending */
	assert_signaled(h_finish(&p), SIGKILL);
	h_free(&p);
	/* a SIGTERM sent is left pending, never taken, even at the end:
	 * COMMAND's end, when SIGUSR1 (passed on) comes, decides */
	h_start(&p, &o, usr1);
	assert_true(h_wait_for(&p, "ready", 0));
	h_kill(&p, SIGTERM);
	h_kill(&p, SIGUSR1);
	assert_exited(h_finish(&p), 6);
	assert_terminal_shows(&p, 24, 80, "ready");
	h_free(&p);
}

/* --- the terminal hung up ------------------------------------------ */

/*
 * The terminal hangs up while the job runs: the shell gets SIGHUP and
 * passes it on (see h_hangup()); with ignore_hup the job ignores it, as
 * under nohup.  Wait for what, hang up, read the job to its end.
 */
static int
hang_up_after(struct h_proc *p, const struct h_opts *o,
    const char *const argv[], const char *what)
{
	h_start(p, o, argv);
	assert_true(h_wait_for(p, what, 0));
	h_hangup(p);
	return h_finish(p);
}

/*
 * A hang-up that COMMAND outlives: our writes fail at once, so its own
 * terminal is hung up and it ends with code; the shell's SIGHUP, passed
 * on, reaches us before that (it is passed on, ignored, and COMMAND's end
 * decides) or after (a fatal signal once COMMAND has ended ends us by it
 * at once).  Either way the run ends.
 */
static void
assert_ended_by_code_or_sighup(int st, int code)
{
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == code) &&
	    !(WIFSIGNALED(st) && WTERMSIG(st) == SIGHUP))
		fail_msg("status 0x%x: neither exit %d nor SIGHUP", st, code);
}

static void
test_hangup_ends_the_demo_and_command_by_sighup(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("hup.pid");
	char script[256];
	const char *demo[] = { bin, "-d", "60", "-i", "0.05", NULL };
	const char *cmd[] = { bin, "-i", "0.05", "--", "sh", "-c", script,
		NULL };

	begin(state);
	assert_signaled(hang_up_after(&p, &(struct h_opts){ .out =
	    H_STDOUT_PIPE }, demo, "| thinking!"), SIGHUP);
	assert_null(strstr(p.stdout_data, "Answer"));
	h_free(&p);
	/* COMMAND, proxied, and what it started: gone with it */
	snprintf(script, sizeof(script), "sleep 30 & echo $! > %s; "
	    "echo ready; wait", pidf);
	assert_signaled(hang_up_after(&p, &on_tty, cmd, "ready"), SIGHUP);
	pid_t left = read_pid(pidf);
	for (int i = 0; i < h_guard() * 100 && !dead(left); i++) {
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);	/* the kernel delivering SIGHUP */
	}
	if (!dead(left)) {
		kill(left, SIGKILL);
		fail_msg("pid %d was left running", (int)left);
	}
	h_free(&p);
}

static void
test_hangup_ends_a_command_that_outlives_sighup(void **state)
{
	struct h_proc p;
	const char *writer[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"trap '' HUP; exec yes", NULL };

	begin(state);
	/* its terminal is hung up too: a write fails, as on ours, and it
	 * does not write into the void for ever */
	assert_ended_by_code_or_sighup(hang_up_after(&p, &on_tty, writer,
	    "y\r\ny\r\n"), 1);
	h_free(&p);
}

static void
test_hangup_ends_a_reader_under_nohup_or_a_writer_in_a_pipeline(
    void **state)
{
	struct h_proc p;
	struct h_opts nohup = on_tty;
	const char *reader[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"echo ready; if read x; then exit 10; else exit 11; fi",
		NULL };
	const char *piped[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"trap '' HUP; exec yes >&2", NULL };

	begin(state);
	/* no SIGHUP at all: a read of its terminal ends, as on ours */
	nohup.ignore_hup = true;
	assert_exited(hang_up_after(&p, &nohup, reader, "ready"), 11);
	h_free(&p);
	/* no proxy: what it writes to its pty fails all the same */
	assert_ended_by_code_or_sighup(hang_up_after(&p, &(struct h_opts){
	    .out = H_STDOUT_PIPE }, piped, "y\r\ny\r\n"), 1);
	h_free(&p);
}

static void
test_hangup_under_nohup_runs_on_asleep(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .ignore_hup = true };
	const char *demo[] = { bin, "-d", "60", "-i", "0.05", NULL };
	const char *cmd[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"trap 'exit 6' USR1; echo ready; "
		"while :; do sleep 0.05; done", NULL };

	begin(state);
	/* the frames fail, the demo goes on, sleeping between them */
	h_start(&p, &o, demo);
	assert_true(h_wait_for(&p, "| thinking!", 0));
	h_hangup(&p);
	assert_true(h_idle(p.job));
	h_kill(&p, SIGTERM);
	assert_signaled(h_finish(&p), SIGTERM);
	assert_null(strstr(p.stdout_data, "Answer"));
	h_free(&p);
	/* COMMAND goes on, without its terminal, until it ends */
	o = on_tty;
	o.ignore_hup = true;
	h_start(&p, &o, cmd);
	assert_true(h_wait_for(&p, "ready", 0));
	h_hangup(&p);
	assert_true(h_idle(p.job));
	h_kill(&p, SIGUSR1);	/* passed on */
	assert_exited(h_finish(&p), 6);
	h_free(&p);
}

/*
 * Stopped by ^Z when the terminal hangs up: the shell sends SIGHUP, then
 * SIGCONT, and the job must still end by SIGHUP, in every way it runs.
 */
static void
test_hangup_while_stopped_still_ends_by_sighup(void **state)
{
	const char *demo[] = { bin, "-d", "60", "-i", "0.05", NULL };
	/* the hang-up of its terminal may end its read before SIGHUP
	 * reaches it: then it waits for the signal */
	const char *cmd[] = { bin, "-i", "0.05", "--", "sh", "-c",
		"echo ready >&2; read x; exec sleep 60", NULL };
	const struct {
		const char *const *argv;
		struct h_opts o;
		const char *what;
	} runs[] = {
		{ demo, { .out = H_STDOUT_PIPE }, "| thinking!" },
		{ cmd, { .out = H_STDOUT_PTY, .echo = true }, "ready" },
		{ cmd, { .out = H_STDOUT_PIPE }, "ready" },
	};

	begin(state);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct h_proc p;

		h_start(&p, &runs[i].o, runs[i].argv);
		assert_true(h_wait_for(&p, runs[i].what, 0));
		/* not proxied, COMMAND reads our terminal: handed it */
		if (runs[i].argv == cmd && runs[i].o.out == H_STDOUT_PIPE)
			assert_true(wait_reading_the_terminal(&p, 0));
		h_type(&p, "\x1a");
		assert_true(h_wait_stopped(&p));
		h_hangup(&p);
		assert_signaled(h_finish(&p), SIGHUP);
		h_free(&p);
	}
}

static const struct CMUnitTest cases[] = {
	/* the terminal proxy */
	VG(test_pager_is_driven_by_keys_through_the_proxy),
	/* the proxy's keys, as for the pager */
	NO_VG(test_prompt_answer_is_echoed_and_no_frame_stays),
	NO_VG(test_password_prompt_on_dev_tty_does_not_echo),
	/* line.c and vt.c: test_line and test_vt run them */
	NO_VG(test_output_that_moves_the_cursor_up_stays_intact),
	NO_VG(test_alternate_screen_is_never_drawn_on),
	NO_VG(test_frame_is_drawn_in_plain_colours_and_commands_come_back),
	NO_VG(test_persist_line_starts_on_a_fresh_line),
	VG(test_resize_reaches_command_after_its_pty_has_the_size),
	VG(test_ctrl_c_typed_reaches_command_through_its_pty),
	/* valgrind does not stop for a re-raised SIGTSTP */
	NO_VG(test_ctrl_z_through_the_proxy_stops_all_and_fg_resumes),
	NO_VG(test_command_suspending_itself_stops_the_job_as_in_a_shell),
	/* the timeout's way (escalation); its four runs cost valgrind 6 s */
	NO_VG(test_timeout_and_kill_after_leave_no_grandchild),
	VG(test_signal_to_the_spinner_reaches_every_grandchild),
	VG(test_stopped_terminal_delays_output_not_the_timeout),
	/* two binaries, one inside the other: the proxy's way twice */
	NO_VG(test_nested_spinner_shows_the_inner_one),
	/* the end of a run */
	VG(test_background_writer_after_command_exits_does_not_hold_us),
	/* ppoll() has no fd_set to overflow; the sanitizers would see it */
	NO_VG(test_relay_works_with_descriptors_above_1023),
	VG(test_closed_stdout_is_a_write_error_with_125),
	/* the demo's and COMMAND's ways, with /dev/null for a descriptor */
	NO_VG(test_closed_stdin_or_stderr_changes_nothing_else),
	/* engine.c: test_engine runs the rule under valgrind */
	NO_VG(test_timeout_due_with_the_demos_end_exits_124),
	/* the bad-input way; no valgrind in front of a renamed binary */
	NO_VG(test_messages_name_the_program_as_it_was_called),
	/* the demo's way: drawn in the timeout and signal cases, ended in
	 * the case off a terminal */
	NO_VG(test_demo_prints_object_then_answer_and_exits_0),
	/* the demo's way, with stdout on the terminal */
	NO_VG(test_demo_on_one_terminal_leaves_only_object_and_answer),
	/* Every longer run cycles frames.  And a frame an interval late is
	 * skipped by design: valgrind's slowness could cause that, and this
	 * case would take it for a wrong order. */
	NO_VG(test_frames_come_in_the_seeds_order),
	/* the demo's way; only the line printed differs */
	NO_VG(test_quiet_prints_only_the_answer),
	VG(test_off_a_terminal_no_frame_and_no_escape),
	/* the way off a terminal: no spinner at all */
	NO_VG(test_dumb_or_missing_term_draws_nothing),
	NO_VG(test_animate_flag_forces_on_and_off),
	/* options.c, which test_options runs under valgrind */
	NO_VG(test_bad_input_one_line_then_hint_and_125),
	/* options.c and render.c, which their unit tests run */
	NO_VG(test_help_version_and_list_styles),
	/* SIGTERM's way, for the other fatal signals */
	NO_VG(test_sigint_restores_terminal_and_dies_by_sigint),
	VG(test_sigterm_restores_terminal_and_dies_by_sigterm),
	NO_VG(test_sighup_restores_terminal_and_dies_by_sighup),
	NO_VG(test_sigquit_and_sigusr1_restore_terminal_too),
	NO_VG(test_ctrl_c_typed_on_the_terminal_ends_the_demo),
	/* valgrind does not stop for a re-raised SIGTSTP */
	NO_VG(test_ctrl_z_cleans_up_before_stopping_and_fg_resumes),
	/* the demo's way, with nothing drawn */
	NO_VG(test_background_job_draws_nothing),
	/* the frames' way once in the foreground, as in every case */
	NO_VG(test_background_job_brought_forward_starts_drawing),
	/* valgrind's own stop and continue: the late frame is another */
	NO_VG(test_stopped_then_continued_in_the_background_draws_nothing),
	/* render.c and line.c: test_render and test_line run them */
	NO_VG(test_narrow_terminals_never_wrap),
	NO_VG(test_cjk_message_is_cut_on_a_character_boundary),
	/* the resize's way, as in the case of COMMAND's pty */
	NO_VG(test_resize_refits_the_line),
	/* the write error's way, as in the closed stdout case */
	NO_VG(test_write_error_on_stdout_is_reported_with_terminal_restored),
	/* the demo's way, with a longer interval */
	NO_VG(test_stop_is_prompt_whatever_the_interval),
	VG(test_timeout_in_the_demo_exits_124),
	/* counts threads on the demo's and COMMAND's ways */
	NO_VG(test_threads_while_spinning_two_or_one),
	/* COMMAND exiting, as in the ignored SIGCHLD case */
	NO_VG(test_command_status_is_passed_through),
	VG(test_command_not_found_is_127_with_one_line),
	/* the way of a COMMAND not found */
	NO_VG(test_command_not_executable_is_126_with_one_line),
	/* COMMAND killed and its signal re-raised, as in the flood case */
	NO_VG(test_command_killed_by_signal_is_reraised),
	/* the timeout's way, as in the escalation case */
	NO_VG(test_timeout_stops_command_and_exits_124),
	VG(test_timeout_escalates_to_sigkill_after_kill_after),
	/* cat moves the bytes; the spinner only waits for it */
	NO_VG(test_pipeline_bytes_pass_unchanged),
	NO_VG(test_command_mode_adds_nothing_to_stdout),
	VG(test_command_output_scrolls_above_the_spinner_intact),
	/* the relay's way, as in the scrolling case */
	NO_VG(test_command_sees_a_terminal_of_the_same_size),
	/* the end's way, as in the writer case */
	NO_VG(test_background_process_left_on_the_terminal_is_hung_up),
	VG(test_flood_of_output_does_not_starve_signals),
	/* a signal passed on, as in the grandchild case */
	NO_VG(test_sigterm_sighup_sigint_to_the_spinner_are_forwarded),
	/* forwarded, then re-raised, as in the flood case */
	NO_VG(test_command_never_outlives_a_signal_to_the_spinner),
	/* passed on, as in the grandchild case; re-raised, as in the flood */
	NO_VG(test_ctrl_c_reaches_command_which_decides_the_status),
	/* valgrind does not stop for a re-raised SIGTSTP */
	NO_VG(test_ctrl_z_stops_command_and_spinner_and_fg_resumes_both),
	/* COMMAND's start, as in every command case */
	NO_VG(test_command_gets_the_original_signal_mask_and_dispositions),
	VG(test_ignored_sigchld_still_gives_commands_status),
	/* outcome.c's lines (test_outcome); six runs of the end's way */
	NO_VG(test_persist_leaves_one_final_line),
	/* --persist without a spinner; outcome.c: test_outcome */
	NO_VG(test_persist_off_a_terminal_is_one_plain_line_on_stderr),
	/* --color: the persist line's way, painted; color.c decides, and
	 * test_color and test_outcome run it under valgrind */
	NO_VG(test_color_on_a_terminal_paints_the_persist_mark_alone),
	NO_VG(test_no_color_or_never_on_a_terminal_no_sgr_but_frames_still),
	NO_VG(test_color_off_a_terminal_only_when_forced),
	/* --elapsed: the demo's way, with the time on the line, which
	 * test_render and test_line draw under valgrind */
	NO_VG(test_elapsed_counts_after_the_message_on_the_live_line),
	/* render.c: test_render fits it to every width */
	NO_VG(test_elapsed_stays_whole_and_the_message_gives_way),
	NO_VG(test_elapsed_off_a_terminal_adds_nothing),
	/* --messages: the proxy's way, with a message pipe read */
	VG(test_messages_from_command_replace_the_line_and_empty_restores),
	/* command.c: test_command runs the choice of descriptor */
	NO_VG(test_messages_never_cover_a_descriptor_command_inherits),
	/* the message pipe's way, as in the proxied case */
	NO_VG(test_messages_off_a_terminal_are_read_and_never_shown),
	/* --output: the relay's way, kept, then shown */
	VG(test_output_failed_keeps_output_until_command_fails),
	/* engine.c: test_engine runs each choice and end */
	NO_VG(test_output_failed_all_none_by_how_command_ends),
	NO_VG(test_output_kept_never_takes_stdout_that_is_not_stderr),
	/* the way of a COMMAND handed the terminal */
	NO_VG(test_output_kept_leaves_stdin_the_spinners_terminal),
	/* the way test_output_failed_keeps_output_until_command_fails
	 * takes, off a terminal; test_engine keeps it under valgrind */
	NO_VG(test_output_kept_off_a_terminal_goes_to_stderr_at_the_end),
	/* no valgrind in front of a binary started by sh */
	NO_VG(test_output_kept_takes_stdout_that_is_stderr_too),
	/* cat moves the bytes; the spinner only waits for it */
	NO_VG(test_output_kept_pipeline_bytes_pass_unchanged),
	/* --stats: the demo's way on a terminal, with the line at the end;
	 * stats.c runs under valgrind in test_stats, and whole with the
	 * sanitizers */
	NO_VG(test_stats_counts_the_frames_the_terminal_got),
	/* the line's way, as on a terminal, with no frame */
	NO_VG(test_stats_off_a_terminal_one_line_and_no_frame),
	/* the ways out each case above takes, with the line */
	NO_VG(test_stats_on_every_way_out_of_a_command),
	/* SIGTERM's way, as in its own case, with the line */
	NO_VG(test_stats_then_the_signal_reraised),
	/* options.c, which test_options runs under valgrind */
	NO_VG(test_stats_takes_no_value),
	/* odd environments: the demo's, the proxy's and the relay's ways,
	 * with other input; term.c and render.c choose, and their unit
	 * tests run under valgrind */
	NO_VG(test_unknown_term_gets_the_same_frames_as_xterm),
	NO_VG(test_c_unknown_or_no_locale_draws_ascii_alone),
	/* valgrind itself needs stderr */
	NO_VG(test_closed_descriptors_all_three_or_under_command),
	NO_VG(test_stdout_full_fails_only_what_writes_there),
	NO_VG(test_one_row_one_column_or_unsized_terminals),
	/* heavy: 128 KiB of message drawn each frame, 1 MiB read */
	NO_VG(test_longest_message_and_a_mebibyte_one_are_fitted),
	NO_VG(test_thousands_of_frames_are_refused_and_64_are_not),
	/* signals.c's choice, at start; test_command_gets_the_original_
	 * signal_mask_and_dispositions checks what COMMAND is given */
	NO_VG(test_ignored_sigint_stays_ignored_by_the_demo_and_command),
	NO_VG(test_blocked_signals_stay_blocked_but_the_run_still_works),
	/* the terminal hung up: SIGHUP's way, as for a kill */
	NO_VG(test_hangup_ends_the_demo_and_command_by_sighup),
	/* the way of writes and reads that fail, to COMMAND's end */
	VG(test_hangup_ends_a_command_that_outlives_sighup),
	/* that way again, with other input */
	NO_VG(test_hangup_ends_a_reader_under_nohup_or_a_writer_in_a_pipeline),
	/* h_idle() looks for a busy loop: valgrind's own pace would hide
	 * it, natively and with the sanitizers it would not */
	NO_VG(test_hangup_under_nohup_runs_on_asleep),
	/* valgrind does not stop for a re-raised SIGTSTP */
	NO_VG(test_hangup_while_stopped_still_ends_by_sighup),
};

int
main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	if (getenv("E2E_ONLY") != NULL)	/* a pattern: run those alone */
		cmocka_set_test_filter(getenv("E2E_ONLY"));
	return cmocka_run_group_tests(cases, NULL, NULL);
}
