/*
 * End-to-end tests of many commands at once (-c, -T) in SPINNER_BIN
 * (spinner-thread or spinner-async): the live area on a pseudo-terminal,
 * replayed on a screen model; the log off a terminal, byte for byte;
 * statuses, ^C and ^Z, timeouts, and what the tasks leave behind,
 * checked by pid.  Elapsed times vary and are masked (h_mask_times).
 *
 * The tasks wait on gates (fifos the test holds open) where a test must
 * look at the screen mid-run, so that each one ends when the test says
 * and in the order it says: no test sleeps to let a task get somewhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "screen.h"
#include "status.h"

#ifndef SPINNER_BIN
#define SPINNER_BIN "spinner-thread"
#endif
#define OK "\u2714"		/* ✔ */
#define FAIL "\u2716"		/* ✖ */
#define START "\u25b6"		/* ▶ */
#define DOT " \u00b7 "		/* the summary's separator */
#define ELLIPSIS "\u2026"
/* the marks as the terminal gets them: coloured there by default */
#define GREEN(s) "\033[32m" s "\033[39m"
#define RED(s) "\033[31m" s "\033[39m"
#define DIM_ON "\033[2m"
#define DIM_OFF "\033[22m"
#define DIM(s) DIM_ON s DIM_OFF
#define HIDE "\033[?25l"
#define SHOW "\033[?25h"

static const char bin[] = SPINNER_BIN;
static struct screen scr;
static char text[SCREEN_ROWS * SCREEN_COLS * 4];

/* The state main() gives the cases that do not run under valgrind. */
static int no_valgrind;

/* Each case begins here; see main() for those valgrind skips. */
static void
begin(void **state)
{
	if (*state == &no_valgrind && getenv("SPINNER_WRAP") != NULL)
		skip();
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait a little for an event the kernel delivers in its own time. */
static void
tick(void)
{
	struct timespec ms = { 0, 5000000 };

	nanosleep(&ms, NULL);
}

/* Read p to its end: it must exit with code (else what it showed). */
static void
finish_exited(struct h_proc *p, int code)
{
	int st = h_finish(p);

	if (!WIFEXITED(st) || WEXITSTATUS(st) != code)
		fail_msg("status 0x%x, not exit %d; the terminal got:\n%s", st,
		    code, p->tty != NULL ? p->tty : "");
}

/* Read p to its end: it must die of sig (else what it showed). */
static void
finish_signaled(struct h_proc *p, int sig)
{
	int st = h_finish(p);

	if (!WIFSIGNALED(st) || WTERMSIG(st) != sig)
		fail_msg("status 0x%x, not signal %d; the terminal got:\n%s",
		    st, sig, p->tty != NULL ? p->tty : "");
}

/* --- scratch files, gates, pids ----------------------------------- */

static char tmpdir[] = "/tmp/spinner-e2e-tasks-XXXXXX";
static bool have_tmpdir;

/* A path in the test's scratch folder. */
static const char *
scratch(const char *name)
{
	static char buf[16][256];
	static int next;
	char *b = buf[next++ % 16];

	if (!have_tmpdir) {
		if (mkdtemp(tmpdir) == NULL)
			abort();
		have_tmpdir = true;
	}
	snprintf(b, 256, "%s/%s", tmpdir, name);
	return b;
}

static void
remove_scratch(void)
{
	if (have_tmpdir)
		h_remove_tree(tmpdir);
}

/* Write a file in the scratch folder from a format; returns its path. */
static const char *
write_file(const char *name, const char *fmt, ...)
{
	const char *path = scratch(name);
	FILE *fp = fopen(path, "w");
	va_list ap;

	assert_non_null(fp);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/*
 * A gate: a fifo a task waits at with "read x < PATH" until the test
 * opens it.  The test holds it open for reading and writing, so the
 * task's open never blocks and a line written before the task comes
 * waits for it.  Closed on exec: the binaries never see it.
 */
struct gate {
	char path[256];
	int fd;
};

static void
gate_init(struct gate *g, const char *name)
{
	snprintf(g->path, sizeof(g->path), "%s", scratch(name));
	unlink(g->path);
	assert_int_equal(mkfifo(g->path, 0600), 0);
	g->fd = open(g->path, O_RDWR | O_CLOEXEC);
	assert_true(g->fd >= 0);
}

static void
gate_open(struct gate *g)
{
	assert_int_equal(write(g->fd, "\n", 1), 1);
}

/* Wait for a task to write a line to the gate. */
static void
gate_wait(struct gate *g)
{
	struct pollfd f = { g->fd, POLLIN, 0 };
	char c = 0;

	assert_int_equal(poll(&f, 1, h_guard() * 1000), 1);
	while (c != '\n')
		assert_int_equal(read(g->fd, &c, 1), 1);
}

static void
gate_free(struct gate *g)
{
	close(g->fd);
	unlink(g->path);
	g->fd = -1;
}

/* The pid a task wrote to path ("echo $$ > path"). */
static pid_t
read_pid(const char *path)
{
	FILE *fp = fopen(path, "r");
	int pid = -1;

	if (fp == NULL)
		fail_msg("no pid in %s", path);
	assert_int_equal(fscanf(fp, "%d", &pid), 1);
	fclose(fp);
	unlink(path);
	assert_true(pid > 1);
	return (pid_t)pid;
}

/*
 * Whether pid is gone for good (kill() fails with ESRCH), once the
 * spinner has ended: waiting for the signals it sent to be delivered,
 * which takes the kernel milliseconds, so two seconds are generous.
 * We are a subreaper (see main()): what a task left behind is ours to
 * reap once its parents are gone.
 */
static bool
wait_gone(pid_t pid)
{
	double end = now() + 2;

	do {
		waitpid(pid, NULL, WNOHANG);
		if (kill(pid, 0) != 0 && errno == ESRCH)
			return true;
		tick();	/* a signal delivered, a zombie reaped */
	} while (now() < end);
	return false;
}

static void
assert_gone(pid_t pid)
{
	if (!wait_gone(pid)) {
		kill(pid, SIGKILL);
		fail_msg("pid %d was left running", (int)pid);
	}
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

/* Wait until pid is (or is no longer) stopped: each in its own time. */
static bool
wait_stopped(pid_t pid, bool stopped)
{
	double end = now() + h_guard();

	do {
		if ((proc_state(pid) == 'T') == stopped)
			return true;
		tick();
	} while (now() < end);
	return false;
}

/* --- the terminal ---------------------------------------------------- */

/* What a rows x cols terminal shows of p's bytes from from on, masked. */
static const char *
shown(const struct h_proc *p, int rows, int cols, size_t from)
{
	screen_init(&scr, rows, cols);
	if (p->tty != NULL && from < p->tty_len)
		screen_feed(&scr, p->tty + from, p->tty_len - from);
	return h_mask_times((char *)screen_text(&scr, text, sizeof(text)));
}

/* Read until the terminal shows want; fails after the guard. */
static void
wait_shows(struct h_proc *p, int rows, int cols, size_t from,
    const char *want)
{
	double end = now() + h_guard();

	while (strcmp(shown(p, rows, cols, from), want) != 0 && now() < end)
		if (!h_read(p, 50))
			break;
	assert_string_equal(shown(p, rows, cols, from), want);
	assert_int_equal(scr.wraps, 0);
}

/* The lines in s, the last one ended by a newline or not. */
static int
lines_in(const char *s)
{
	size_t len = strlen(s);
	int n = len > 0 && s[len - 1] != '\n';

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/*
 * The end of a run as a person sees it: want and nothing more (no live
 * area), no line wrapped, the cursor visible at the start of the line
 * under the last one.
 */
static void
assert_final(const struct h_proc *p, int rows, int cols, const char *want)
{
	assert_string_equal(shown(p, rows, cols, 0), want);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.hides, scr.shows);
	assert_int_equal(scr.wraps, 0);
	assert_int_equal(scr.unknown, 0);
	assert_int_equal(scr.row, lines_in(want));
	assert_int_equal(scr.col, 0);
}

/* Where the frame that wrote needle (after from) began: at its wipe. */
static size_t
frame_of(const struct h_proc *p, const char *needle, size_t from)
{
	const char *at = strstr(p->tty + from, needle);
	const char *q = at;

	assert_non_null(at);
	while (q > p->tty + from && strncmp(q, "\r\033[J", 4) != 0)
		q--;
	assert_true(strncmp(q, "\r\033[J", 4) == 0);
	return (size_t)(q - p->tty);
}

static const struct h_opts on_tty = { .out = H_STDOUT_PIPE };

/* --- off a terminal -------------------------------------------------- */

/*
 * Run argv with no terminal at all (stdin from in, or empty): it must
 * exit with code, write nothing to stdout, no escape byte to stderr.
 * *log is stderr with its times masked, to free.
 */
static void
run_log(const char *const argv[], const char *in, const char *const *env,
    int code, char **log)
{
	char *out, *err;
	size_t ol, el;
	int st;

	st = h_pipe_run(argv, in, in != NULL ? strlen(in) : 0, &out, &ol,
	    &err, &el, env);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code)
		fail_msg("status 0x%x, not exit %d; stderr:\n%s", st, code,
		    err);
	assert_int_equal(ol, 0);
	free(out);
	assert_false(h_has_escape(err, el));
	*log = h_mask_times(err);
}

/* --- the live area on a terminal ------------------------------------ */

static void
test_live_lines_then_verdicts_in_the_order_tasks_finish(void **state)
{
	struct h_proc p;
	struct gate a, b, c;
	const char *file;
	const char *argv[] = { bin, "-i", "0.05", "-f", "*", "-j", "2",
		"-T", NULL, NULL };

	begin(state);
	gate_init(&a, "a");
	gate_init(&b, "b");
	gate_init(&c, "c");
	file = write_file("board.tasks",
	    "alpha\techo alpha-1; read x < %s; echo alpha-2\n"
	    "beta\techo beta-out; read x < %s; exit 3\n"
	    "gamma\tread x < %s; echo gamma-last\n", a.path, b.path, c.path);
	argv[8] = file;
	h_start(&p, &on_tty, argv);
	/* two at once: the third waits; a line each, the last one written */
	wait_shows(&p, 24, 80, 0,
	    "* alpha T  alpha-1\n"
	    "* beta T  beta-out\n"
	    "0 ok" DOT "0 failed" DOT "2 running" DOT "1 waiting" DOT "T");
	assert_false(scr.cursor_visible);
	/* beta fails: its verdict stays, its output under it; gamma starts */
	gate_open(&b);
	wait_shows(&p, 24, 80, 0,
	    FAIL " beta (exit 3, T)\n"
	    "--- output of beta ---\n"
	    "beta-out\n"
	    "--- end of beta ---\n"
	    "* alpha T  alpha-1\n"
	    "* gamma T\n"
	    "0 ok" DOT "1 failed" DOT "2 running" DOT "T");
	/* gamma, the last in the file, ends before alpha: it comes first */
	gate_open(&c);
	wait_shows(&p, 24, 80, 0,
	    FAIL " beta (exit 3, T)\n"
	    "--- output of beta ---\n"
	    "beta-out\n"
	    "--- end of beta ---\n"
	    OK " gamma (T)\n"
	    "* alpha T  alpha-1\n"
	    "1 ok" DOT "1 failed" DOT "1 running" DOT "T");
	gate_open(&a);
	finish_exited(&p, 123);
	/* what succeeded wrote nothing that stays */
	assert_final(&p, 24, 80,
	    FAIL " beta (exit 3, T)\n"
	    "--- output of beta ---\n"
	    "beta-out\n"
	    "--- end of beta ---\n"
	    OK " gamma (T)\n"
	    OK " alpha (T)\n"
	    FAIL " 2 ok" DOT "1 failed" DOT "T");
	assert_int_equal(p.stdout_len, 0);
	gate_free(&a);
	gate_free(&b);
	gate_free(&c);
	h_free(&p);
}

static void
test_each_live_line_spins_with_the_style(void **state)
{
	struct h_proc p;
	struct gate g;
	char cmd[300];
	const char *argv[] = { bin, "-i", "0.05", "-c", cmd, NULL };

	begin(state);
	gate_init(&g, "spin");
	snprintf(cmd, sizeof(cmd), "read x < %s", g.path);
	h_start(&p, &on_tty, argv);
	/* the line style's frames in order, each before the task's name */
	char want[400];
	size_t at = 0;
	static const char *const frames[] = { "|", "/", "-", "\\", "|" };
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		snprintf(want, sizeof(want), "\r%s %s ", frames[i], cmd);
		assert_true(h_wait_for(&p, want, at));
		at = (size_t)(strstr(p.tty + at, want) - p.tty);
	}
	gate_open(&g);
	finish_exited(&p, 0);
	snprintf(want, sizeof(want), OK " %s (T)\n"
	    OK " 1 ok" DOT "0 failed" DOT "T", cmd);
	assert_final(&p, 24, 80, want);
	assert_int_equal(h_count(p.tty, p.tty_len, HIDE), 1);
	gate_free(&g);
	h_free(&p);
}

static void
test_every_kind_of_verdict_on_the_terminal(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("slow.pid");
	const char *file;
	/* the quick ones must be seen to end before -t, even by a binary
	 * under valgrind on a busy machine */
	const char *tmo = getenv("SPINNER_WRAP") != NULL ? "2" : "1";
	const char *argv[] = { bin, "-i", "0.1", "-j", "1", "-t", tmo, "-k",
		"0.3", "-T", NULL, NULL };
	double t;
	const char *at;

	begin(state);
	/* one at a time: they finish in the file's order */
	file = write_file("kinds.tasks",
	    "ok\ttrue\n"
	    "exit\texit 2\n"
	    "segv\tulimit -c 0; kill -SEGV $$\n"
	    "killed\tkill -KILL $$\n"
	    "slow\ttrap '' TERM; echo $$ > %s; sleep 100\n", pidf);
	argv[10] = file;
	h_start(&p, &on_tty, argv);
	finish_exited(&p, 123);
	assert_final(&p, 24, 80,
	    OK " ok (T)\n"
	    FAIL " exit (exit 2, T)\n"
	    FAIL " segv (SIGSEGV, T)\n"
	    FAIL " killed (SIGKILL, T)\n"
	    FAIL " slow (timed out, T)\n"
	    FAIL " 1 ok" DOT "4 failed" DOT "T");
	/* deaf to SIGTERM at -t, it went at -k: not before both had passed
	 * (the time shown is to the tenth) */
	at = strstr(p.tty, "slow (timed out, ");
	assert_non_null(at);
	assert_int_equal(sscanf(at, "slow (timed out, %lfs)", &t), 1);
	assert_true(t > atof(tmo) + 0.3 - 0.01);
	assert_gone(read_pid(pidf));
	h_free(&p);
}

static void
test_short_terminal_shows_how_many_more_are_running(void **state)
{
	struct h_proc p;
	struct h_opts o = on_tty;
	struct gate g[8];
	char want[2048];
	const char *argv[] = { bin, "-i", "0.05", "-f", "*", "-j", "0",
		"-T", NULL, NULL };
	char body[8 * 2560] = "";

	begin(state);
	for (int i = 0; i < 8; i++) {
		char name[16], line[2560];

		snprintf(name, sizeof(name), "g%d", i + 1);
		gate_init(&g[i], name);
		snprintf(line, sizeof(line), "t%d\tread x < %s\n", i + 1,
		    g[i].path);
		strcat(body, line);
	}
	argv[8] = write_file("cap.tasks", "%s", body);
	o.rows = 6;
	o.cols = 60;
	h_start(&p, &o, argv);
	/* five rows for the area: three tasks, how many more, the summary */
	wait_shows(&p, 6, 60, 0,
	    "* t1 T\n"
	    "* t2 T\n"
	    "* t3 T\n"
	    ELLIPSIS " 5 more running\n"
	    "0 ok" DOT "0 failed" DOT "8 running" DOT "T");
	for (int i = 0; i < 4; i++) {
		char v[32];

		gate_open(&g[i]);
		snprintf(v, sizeof(v), GREEN(OK) " t%d (", i + 1);
		assert_true(h_wait_for(&p, v, 0));
	}
	/* four left: they all fit again, under the verdicts scrolled up */
	wait_shows(&p, 6, 60, 0,
	    OK " t4 (T)\n"
	    "* t5 T\n"
	    "* t6 T\n"
	    "* t7 T\n"
	    "* t8 T\n"
	    "4 ok" DOT "0 failed" DOT "4 running" DOT "T");
	for (int i = 4; i < 8; i++) {
		char v[32];

		gate_open(&g[i]);
		snprintf(v, sizeof(v), GREEN(OK) " t%d (", i + 1);
		assert_true(h_wait_for(&p, v, 0));
	}
	finish_exited(&p, 0);
	/* all of it, on a screen tall enough to keep what scrolled away */
	want[0] = '\0';
	for (int i = 1; i <= 8; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
		    OK " t%d (T)\n", i);
	strcat(want, OK " 8 ok" DOT "0 failed" DOT "T");
	assert_final(&p, SCREEN_ROWS, 60, want);
	for (int i = 0; i < 8; i++)
		gate_free(&g[i]);
	h_free(&p);
}

static void
test_resize_refits_the_live_area(void **state)
{
	struct h_proc p;
	struct gate g[5];
	char body[5 * 2560] = "";
	const char *argv[] = { bin, "-i", "0.05", "-f", "*", "-j", "0",
		"-T", NULL, NULL };
	size_t mark, from;

	begin(state);
	for (int i = 0; i < 5; i++) {
		char name[16], line[2560];

		snprintf(name, sizeof(name), "r%d", i + 1);
		gate_init(&g[i], name);
		snprintf(line, sizeof(line), "task-%d-has-a-long-name\t"
		    "echo the last line task %d wrote; read x < %s\n", i + 1,
		    i + 1, g[i].path);
		strcat(body, line);
	}
	argv[8] = write_file("resize.tasks", "%s", body);
	h_start(&p, &on_tty, argv);
	wait_shows(&p, 24, 80, 0,
	    "* task-1-has-a-long-name T  the last line task 1 wrote\n"
	    "* task-2-has-a-long-name T  the last line task 2 wrote\n"
	    "* task-3-has-a-long-name T  the last line task 3 wrote\n"
	    "* task-4-has-a-long-name T  the last line task 4 wrote\n"
	    "* task-5-has-a-long-name T  the last line task 5 wrote\n"
	    "0 ok" DOT "0 failed" DOT "5 running" DOT "T");
	/* smaller: the area gives way to "more", every line to the width */
	mark = p.tty_len;
	h_resize(&p, 4, 30);
	assert_true(h_wait_for(&p, "more running", mark));
	gate_open(&g[0]);
	assert_true(h_wait_for(&p, GREEN(OK) " task-1", mark));
	/* the frame that wrote the verdict, as a 4x30 screen shows it */
	from = frame_of(&p, GREEN(OK) " task-1", mark);
	wait_shows(&p, 4, 30, from,
	    OK " task-1-has-a-long-n" ELLIPSIS " (T)\n"
	    "* task-2-has-a-long-name T\n"
	    ELLIPSIS " 3 more running\n"
	    "1 ok" DOT "0 failed" DOT "4 running " ELLIPSIS);
	/* larger again: all of it */
	mark = p.tty_len;
	h_resize(&p, 24, 80);
	gate_open(&g[1]);
	assert_true(h_wait_for(&p, GREEN(OK) " task-2", mark));
	from = frame_of(&p, GREEN(OK) " task-2", mark);
	wait_shows(&p, 24, 80, from,
	    OK " task-2-has-a-long-name (T)\n"
	    "* task-3-has-a-long-name T  the last line task 3 wrote\n"
	    "* task-4-has-a-long-name T  the last line task 4 wrote\n"
	    "* task-5-has-a-long-name T  the last line task 5 wrote\n"
	    "2 ok" DOT "0 failed" DOT "3 running" DOT "T");
	for (int i = 2; i < 5; i++)
		gate_open(&g[i]);
	finish_exited(&p, 0);
	shown(&p, 24, 80, from);
	assert_int_equal(scr.wraps, 0);
	assert_true(scr.cursor_visible);
	for (int i = 0; i < 5; i++)
		gate_free(&g[i]);
	h_free(&p);
}

static void
test_long_names_and_lines_never_wrap(void **state)
{
	struct h_proc p;
	struct h_opts o = on_tty;
	struct gate g;
	char cmd[600];
	const char *argv[] = { bin, "-i", "0.05", "-c", cmd, "-c",
		"exit 1", NULL };
	char row[SCREEN_COLS * 16];

	begin(state);
	gate_init(&g, "wide");
	/* a name of 180 columns, CJK in the last line it writes */
	snprintf(cmd, sizeof(cmd), "echo '\u4f60\u597d\u4e16\u754c "
	    "a long line of output, longer than the terminal is wide'; "
	    "read x < %s; : %s", g.path,
	    "and-a-very-long-comment-that-makes-the-name-long-too-"
	    "and-longer-still-so-that-no-terminal-of-forty-columns-can-"
	    "hold-it");
	o.cols = 40;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "exit 1 (exit 1, ", 0));
	assert_true(h_wait_for(&p, "\u4f60\u597d", 0));
	assert_true(h_wait_for(&p, " running", 0));
	shown(&p, 24, 40, 0);
	assert_int_equal(scr.wraps, 0);
	for (int r = 0; r < scr.rows; r++)
		assert_true(strlen(screen_row(&scr, r, row, sizeof(row))) <
		    4 * 40);
	gate_open(&g);
	finish_exited(&p, 123);
	/* the verdict keeps its mark and its tail; the name gives way */
	shown(&p, 24, 40, 0);
	assert_int_equal(scr.wraps, 0);
	h_mask_times((char *)screen_row(&scr, 0, row, sizeof(row)));
	assert_string_equal(row, FAIL " exit 1 (exit 1, T)");
	h_mask_times((char *)screen_row(&scr, 1, row, sizeof(row)));
	assert_true(strncmp(row, OK " echo '\u4f60\u597d",
	    strlen(OK " echo '\u4f60\u597d")) == 0);
	assert_non_null(strstr(row, ELLIPSIS " (T)"));
	h_mask_times((char *)screen_row(&scr, 2, row, sizeof(row)));
	assert_string_equal(row, FAIL " 1 ok" DOT "1 failed" DOT "T");
	assert_true(scr.cursor_visible);
	gate_free(&g);
	h_free(&p);
}

static void
test_narrow_terminals_never_wrap(void **state)
{
	const char *argv[] = { bin, "-i", "0.02", "-j", "1", "-c", "true",
		"-c", "exit 3", NULL };
	const char *block[] = { bin, "-i", "0.02", "-c", "echo out; exit 3",
		NULL };

	begin(state);
	for (int cols = 1; cols <= 8; cols++) {
		struct h_proc p;
		struct h_opts o = on_tty;

		o.cols = cols;
		h_start(&p, &o, argv);
		finish_exited(&p, 123);
		/* two verdicts, the summary: three lines, none wrapped */
		shown(&p, 24, cols, 0);
		if (scr.wraps != 0)
			fail_msg("%d columns: %d lines wrapped", cols,
			    scr.wraps);
		assert_int_equal(scr.row, 3);
		assert_true(scr.cursor_visible);
		h_free(&p);
	}
	/* a block's first and last lines too; the output is the task's */
	for (int cols = 3; cols <= 30; cols += 9) {
		struct h_proc p;
		struct h_opts o = on_tty;

		o.cols = cols;
		h_start(&p, &o, block);
		finish_exited(&p, 123);
		shown(&p, 24, cols, 0);
		if (scr.wraps != 0)
			fail_msg("%d columns: %d lines wrapped", cols,
			    scr.wraps);
		assert_int_equal(scr.row, 5);
		h_free(&p);
	}
}

static void
test_c_locale_terminal_gets_ascii_alone(void **state)
{
	static const char *const c_locale[] = { "LC_ALL=C", NULL };
	struct h_proc p;
	struct h_opts o = on_tty;
	struct gate g;
	char cmd[300];
	const char *argv[] = { bin, "-s", "dots", "-i", "0.02", "-c", cmd,
		"-c", "exit 2", NULL };

	begin(state);
	gate_init(&g, "ascii");
	snprintf(cmd, sizeof(cmd), "echo caf\303\251; read x < %s", g.path);
	o.env = c_locale;
	o.cols = 30;
	h_start(&p, &o, argv);
	/* dots is UTF-8 only: the line style stands in for it */
	assert_true(h_wait_for(&p, "\r| echo", 0));
	assert_true(h_wait_for(&p, "\r/ echo", 0));
	gate_open(&g);
	finish_exited(&p, 123);
	for (size_t i = 0; i < p.tty_len; i++)
		if ((unsigned char)p.tty[i] >= 0x80)
			fail_msg("byte 0x%02x at %zu in:\n%s",
			    (unsigned char)p.tty[i], i, p.tty);
	assert_non_null(strstr(p.tty, RED("x") " exit 2 (exit 2, "));
	assert_non_null(strstr(p.tty, RED("x") " 1 ok, 1 failed, "));
	gate_free(&g);
	h_free(&p);
}

/* --- output blocks ----------------------------------------------------- */

static void
test_output_all_on_the_terminal_under_each_verdict(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "-j", "1", "--output=all",
		"-c", "echo hello; echo world >&2", "-c", "true", "-c",
		"printf oops; exit 1", NULL };
	const char *one[] = { bin, "-i", "0.05", "--output=all", "-c",
		"echo alone", NULL };

	begin(state);
	h_start(&p, &on_tty, argv);
	finish_exited(&p, 123);
	assert_final(&p, 24, 80,
	    OK " echo hello; echo world >&2 (T)\n"
	    "--- output of echo hello; echo world >&2 ---\n"
	    "hello\n"
	    "world\n"
	    "--- end of echo hello; echo world >&2 ---\n"
	    OK " true (T)\n"
	    FAIL " printf oops; exit 1 (exit 1, T)\n"
	    "--- output of printf oops; exit 1 ---\n"
	    "oops\n"
	    "--- end of printf oops; exit 1 ---\n"
	    FAIL " 2 ok" DOT "1 failed" DOT "T");
	h_free(&p);
	h_start(&p, &on_tty, one);
	finish_exited(&p, 0);
	assert_final(&p, 24, 80,
	    OK " echo alone (T)\n"
	    "--- output of echo alone ---\n"
	    "alone\n"
	    "--- end of echo alone ---\n"
	    OK " 1 ok" DOT "0 failed" DOT "T");
	h_free(&p);
}

/* Tasks that write or not, end well or not: "--output" choices. */
static const char *
blocks_file(void)
{
	return write_file("blocks.tasks",
	    "quiet\techo dropped\n"
	    "loud\techo line1; echo line2 >&2; exit 1\n"
	    "partial\tprintf no-newline; exit 2\n"
	    "silent\texit 3\n");
}

static void
test_output_of_failed_tasks_alone_is_the_default(void **state)
{
	const char *argv[] = { bin, "-j", "1", "-T", NULL, NULL };
	const char *one[] = { bin, "-c", "echo only; exit 1", NULL };
	char *log;

	begin(state);
	argv[4] = blocks_file();
	run_log(argv, NULL, NULL, 123, &log);
	assert_string_equal(log,
	    START " quiet\n"
	    OK " quiet (T)\n"
	    START " loud\n"
	    FAIL " loud (exit 1, T)\n"
	    "--- output of loud ---\n"
	    "line1\n"
	    "line2\n"
	    "--- end of loud ---\n"
	    START " partial\n"
	    FAIL " partial (exit 2, T)\n"
	    "--- output of partial ---\n"
	    "no-newline\n"
	    "--- end of partial ---\n"
	    START " silent\n"
	    FAIL " silent (exit 3, T)\n"
	    FAIL " 1 ok" DOT "3 failed" DOT "T\n");
	free(log);
	run_log(one, NULL, NULL, 123, &log);
	assert_string_equal(log,
	    START " echo only; exit 1\n"
	    FAIL " echo only; exit 1 (exit 1, T)\n"
	    "--- output of echo only; exit 1 ---\n"
	    "only\n"
	    "--- end of echo only; exit 1 ---\n"
	    FAIL " 0 ok" DOT "1 failed" DOT "T\n");
	free(log);
}

static void
test_output_none_leaves_the_verdicts_alone(void **state)
{
	const char *argv[] = { bin, "-j", "1", "--output=none", "-T", NULL,
		NULL };
	const char *one[] = { bin, "--output=none", "-c",
		"echo only; exit 1", NULL };
	char *log;

	begin(state);
	argv[5] = blocks_file();
	run_log(argv, NULL, NULL, 123, &log);
	assert_string_equal(log,
	    START " quiet\n"
	    OK " quiet (T)\n"
	    START " loud\n"
	    FAIL " loud (exit 1, T)\n"
	    START " partial\n"
	    FAIL " partial (exit 2, T)\n"
	    START " silent\n"
	    FAIL " silent (exit 3, T)\n"
	    FAIL " 1 ok" DOT "3 failed" DOT "T\n");
	free(log);
	run_log(one, NULL, NULL, 123, &log);
	assert_string_equal(log,
	    START " echo only; exit 1\n"
	    FAIL " echo only; exit 1 (exit 1, T)\n"
	    FAIL " 0 ok" DOT "1 failed" DOT "T\n");
	free(log);
}

#define BLOCK_LINES 400

/* The verdict and block task name must have left: all of it, in one. */
static void
expect_block(const char *log, const char *name)
{
	static char want[BLOCK_LINES * 32 + 256];
	size_t n;

	n = (size_t)snprintf(want, sizeof(want),
	    OK " %s (T)\n--- output of %s ---\n", name, name);
	for (int i = 0; i < BLOCK_LINES; i++)
		n += (size_t)snprintf(want + n, sizeof(want) - n,
		    "%s line %d\n", name, i);
	snprintf(want + n, sizeof(want) - n, "--- end of %s ---\n", name);
	if (strstr(log, want) == NULL)
		fail_msg("no whole block for %s in:\n%s", name, log);
}

static void
test_output_all_keeps_each_tasks_block_whole(void **state)
{
	static const char *const names[] = { "red", "green", "blue", "cyan" };
	char cmds[4][200];
	const char *file;
	const char *argv[] = { bin, "-j", "0", "--output=all", "-T", NULL,
		NULL };
	const char *summary = OK " 4 ok" DOT "0 failed" DOT "T\n";
	char *log;

	begin(state);
	/* four at once, each writing line after line meanwhile */
	for (int i = 0; i < 4; i++)
		snprintf(cmds[i], sizeof(cmds[i]), "i=0; while [ $i -lt %d ]; "
		    "do echo %s line $i; i=$((i+1)); done", BLOCK_LINES,
		    names[i]);
	file = write_file("all.tasks", "red\t%s\ngreen\t%s\nblue\t%s\n"
	    "cyan\t%s\n", cmds[0], cmds[1], cmds[2], cmds[3]);
	argv[5] = file;
	run_log(argv, NULL, NULL, 0, &log);
	for (int i = 0; i < 4; i++) {
		char start[32];

		snprintf(start, sizeof(start), START " %s\n", names[i]);
		assert_int_equal(h_count(log, strlen(log), start), 1);
		expect_block(log, names[i]);
	}
	/* and nothing else: the starts, the blocks, the summary */
	assert_int_equal(lines_in(log), 4 + 4 * (BLOCK_LINES + 3) + 1);
	assert_true(strcmp(log + strlen(log) - strlen(summary), summary) ==
	    0);
	free(log);
}

/* --- off a terminal ---------------------------------------------------- */

/* Two tasks, one after the other: one fine, one failing with output. */
static const char *
log_file(void)
{
	return write_file("log.tasks",
	    "first\techo one\n"
	    "second\techo two >&2; exit 5\n");
}

static void
test_off_a_terminal_a_line_per_event_and_nothing_on_stdout(void **state)
{
	const char *argv[] = { bin, "-j", "1", "-T", NULL, NULL };
	char *log;

	begin(state);
	argv[4] = log_file();
	run_log(argv, NULL, NULL, 123, &log);
	assert_string_equal(log,
	    START " first\n"
	    OK " first (T)\n"
	    START " second\n"
	    FAIL " second (exit 5, T)\n"
	    "--- output of second ---\n"
	    "two\n"
	    "--- end of second ---\n"
	    FAIL " 1 ok" DOT "1 failed" DOT "T\n");
	free(log);
}

static void
test_off_a_terminal_in_the_c_locale_marks_are_ascii(void **state)
{
	static const char *const c_locale[] = { "LC_ALL=C", NULL };
	/* set but empty is unset: no locale at all, so C */
	static const char *const none[] = { "LC_ALL=", "LC_CTYPE=", "LANG=",
		NULL };
	static const char *const unknown[] = { "LC_ALL=xyzzy.UTF-8", NULL };
	static const char *const *const envs[] = { c_locale, none, unknown };
	const char *argv[] = { bin, "-j", "1", "-T", NULL, NULL };
	const char *all_ok[] = { bin, "-c", "true", "-c", "echo fine", NULL };
	char *log;

	begin(state);
	argv[4] = log_file();
	for (size_t i = 0; i < sizeof(envs) / sizeof(envs[0]); i++) {
		run_log(argv, NULL, envs[i], 123, &log);
		assert_string_equal(log,
		    "> first\n"
		    "v first (T)\n"
		    "> second\n"
		    "x second (exit 5, T)\n"
		    "--- output of second ---\n"
		    "two\n"
		    "--- end of second ---\n"
		    "x 1 ok, 1 failed, T\n");
		free(log);
	}
	/* all well: status 0; -j the processors by default, so in any
	 * order, but a start each and a verdict each */
	run_log(all_ok, NULL, c_locale, 0, &log);
	assert_int_equal(h_count(log, strlen(log), "> true\n"), 1);
	assert_int_equal(h_count(log, strlen(log), "> echo fine\n"), 1);
	assert_int_equal(h_count(log, strlen(log), "v true (T)\n"), 1);
	assert_int_equal(h_count(log, strlen(log), "v echo fine (T)\n"), 1);
	assert_int_equal(lines_in(log), 5);
	assert_true(strcmp(log + strlen(log) - strlen("v 2 ok, 0 failed, T\n"),
	    "v 2 ok, 0 failed, T\n") == 0);
	free(log);
}

/* The log on the terminal, as argv writes it there, for o. */
static void
expect_plain_log_on_tty(const struct h_opts *o, const char *const argv[],
    const char *want)
{
	struct h_proc p;

	h_start(&p, o, argv);
	finish_exited(&p, 123);
	assert_false(h_has_escape(p.tty, p.tty_len));
	assert_string_equal(h_mask_times(p.tty != NULL ? p.tty : ""), want);
	assert_int_equal(p.stdout_len, 0);
	h_free(&p);
}

/* --- --color --------------------------------------------------------- */

static void
test_color_on_the_terminal_paints_verdicts_and_summary(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "-j", "1", "-c", "true",
		"-c", "exit 2", NULL };

	begin(state);
	h_start(&p, &on_tty, argv);
	finish_exited(&p, 123);
	assert_non_null(strstr(p.tty, GREEN(OK) " true ("));
	assert_non_null(strstr(p.tty, RED(FAIL) " exit 2 (exit 2, "));
	assert_non_null(strstr(p.tty, RED(FAIL) " 1 ok" DOT "1 failed"));
	/* what shows is the same as without colour */
	assert_final(&p, 24, 80,
	    OK " true (T)\n"
	    FAIL " exit 2 (exit 2, T)\n"
	    FAIL " 1 ok" DOT "1 failed" DOT "T");
	h_free(&p);
}

static void
test_color_dims_a_running_tasks_last_line_alone(void **state)
{
	static const char *const no_color[] = { "NO_COLOR=1", NULL };
	const char *argv[] = { bin, "-i", "0.05", "-f", "*", "-T", NULL,
		NULL };
	struct h_opts o = on_tty;
	struct gate g;

	begin(state);
	gate_init(&g, "dim");
	argv[6] = write_file("dim.tasks", "check\techo checking src; "
	    "read x < %s\n", g.path);
	for (int plain = 0; plain <= 1; plain++) {
		struct h_proc p;

		o.env = plain ? no_color : NULL;
		h_start(&p, &o, argv);
		/* the frame, the name and the time as ever, then dim */
		assert_true(h_wait_for(&p, plain ? "\r* check " :
		    "  " DIM("checking src"), 0));
		wait_shows(&p, 24, 80, 0,
		    "* check T  checking src\n"
		    "0 ok" DOT "0 failed" DOT "1 running" DOT "T");
		assert_non_null(strstr(p.tty, "\r* check "));
		gate_open(&g);
		finish_exited(&p, 0);
		assert_final(&p, 24, 80,
		    OK " check (T)\n"
		    OK " 1 ok" DOT "0 failed" DOT "T");
		/* NO_COLOR: the area drawn all the same, with no colour */
		if (plain)
			assert_int_equal(h_count_sgr(p.tty, p.tty_len), 0);
		else
			assert_non_null(strstr(p.tty, GREEN(OK) " check ("));
		h_free(&p);
	}
	gate_free(&g);
}

static void
test_color_dims_our_lines_around_the_output_kept(void **state)
{
	struct h_proc p;
	const char *argv[] = { bin, "-i", "0.05", "--output=all", "-c",
		"echo out", NULL };

	begin(state);
	h_start(&p, &on_tty, argv);
	finish_exited(&p, 0);
	/* the task's own bytes between them as it wrote them */
	assert_non_null(strstr(p.tty, DIM("--- output of echo out ---")
	    "\r\nout\r\n"));
	assert_non_null(strstr(p.tty, DIM("--- end of echo out ---")
	    "\r\n"));
	assert_final(&p, 24, 80,
	    OK " echo out (T)\n"
	    "--- output of echo out ---\n"
	    "out\n"
	    "--- end of echo out ---\n"
	    OK " 1 ok" DOT "0 failed" DOT "T");
	h_free(&p);
}

static void
test_color_in_the_log_off_a_terminal_only_when_forced(void **state)
{
	static const char *const force[] = { "CLICOLOR_FORCE=1", NULL };
	const char *argv[] = { bin, "-j", "1", "--output=all", "-c",
		"echo out", "-c", "exit 4", NULL };
	const char *always[] = { bin, "--color=always", "-j", "1",
		"--output=all", "-c", "echo out", "-c", "exit 4", NULL };
	const char *never[] = { bin, "--color=never", "-j", "1",
		"--output=all", "-c", "echo out", "-c", "exit 4", NULL };
	const char *big[] = { bin, "--output=all", "-c",
		"yes 0123456789 | head -c 4300000", NULL };
	const char *painted =
	    START " echo out\n"
	    GREEN(OK) " echo out (T)\n"
	    DIM("--- output of echo out ---") "\n"
	    "out\n"
	    DIM("--- end of echo out ---") "\n"
	    START " exit 4\n"
	    RED(FAIL) " exit 4 (exit 4, T)\n"
	    RED(FAIL) " 1 ok" DOT "1 failed" DOT "T\n";
	char *out, *err, *log;
	size_t ol, el;

	begin(state);
	/* by default, none: run_log() looks for any escape */
	run_log(argv, NULL, NULL, 123, &log);
	free(log);
	run_log(never, NULL, force, 123, &log);
	free(log);
	/* forced, by CLICOLOR_FORCE or --color */
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el,
	    force), 123);
	assert_string_equal(h_mask_times(err), painted);
	free(out);
	free(err);
	assert_exited(h_pipe_run(always, NULL, 0, &out, &ol, &err, &el,
	    NULL), 123);
	assert_string_equal(h_mask_times(err), painted);
	free(out);
	free(err);
	/* the line that says the start was left out is ours too */
	assert_exited(h_pipe_run(big, NULL, 0, &out, &ol, &err, &el, force),
	    0);
	assert_non_null(strstr(err, DIM("--- output of yes 0123456789 | "
	    "head -c 4300000 ---") "\n" DIM_ON "(the first "));
	assert_non_null(strstr(err, " MiB are kept)" DIM_OFF "\n"));
	free(out);
	free(err);
}

static void
test_no_term_dumb_term_or_a_file_gets_the_log_not_the_area(void **state)
{
	static const char *const dumb[] = { "TERM=dumb", NULL };
	static const char *const empty[] = { "TERM=", NULL };
	static const char *const term[] = { "TERM", NULL };
	const char *argv[] = { bin, "-i", "0.05", "-j", "1", "-c",
		"echo a", "-c", "exit 4", NULL };
	/* the log on a terminal is coloured like the area: not here */
	const char *never[] = { bin, "--no-animate", "--color=never", "-i",
		"0.05", "-j", "1", "-c", "echo a", "-c", "exit 4", NULL };
	const char *want_tty =
	    START " echo a\r\n"
	    OK " echo a (T)\r\n"
	    START " exit 4\r\n"
	    FAIL " exit 4 (exit 4, T)\r\n"
	    FAIL " 1 ok" DOT "1 failed" DOT "T\r\n";
	struct h_opts o = on_tty;
	const char *errf = scratch("stderr.log");
	struct h_proc p;
	char buf[1024];
	FILE *fp;
	size_t n;

	begin(state);
	o.env = dumb;
	expect_plain_log_on_tty(&o, argv, want_tty);
	o.env = NULL;
	o.unset = term;
	expect_plain_log_on_tty(&o, argv, want_tty);
	o.unset = NULL;
	o.env = empty;
	expect_plain_log_on_tty(&o, argv, want_tty);
	o.env = NULL;
	expect_plain_log_on_tty(&o, never, want_tty);

	/* stderr a file, stdin and stdout the terminal: nothing on it */
	o.out = H_STDOUT_PTY;
	o.err_path = errf;
	h_start(&p, &o, argv);
	finish_exited(&p, 123);
	assert_int_equal(p.tty_len, 0);
	assert_non_null(fp = fopen(errf, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	assert_string_equal(h_mask_times(buf),
	    START " echo a\n"
	    OK " echo a (T)\n"
	    START " exit 4\n"
	    FAIL " exit 4 (exit 4, T)\n"
	    FAIL " 1 ok" DOT "1 failed" DOT "T\n");
	h_free(&p);
	unlink(errf);
}

static void
test_animate_forces_the_area_onto_a_pipe(void **state)
{
	const char *argv[] = { bin, "--animate", "-i", "0.05", "-c",
		"echo a", NULL };
	char *out, *err;
	size_t ol, el;

	begin(state);
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    0);
	assert_int_equal(ol, 0);
	/* the live area (once the task is over, the summary alone), the
	 * cursor back, then the verdict and the summary */
	assert_int_equal(h_count(err, el, HIDE), 1);
	assert_int_equal(h_count(err, el, SHOW), 1);
	assert_true(strstr(err, HIDE) < strstr(err, SHOW));
	assert_non_null(strstr(strstr(err, HIDE), " failed"));
	assert_true(strstr(strstr(err, HIDE), " failed") < strstr(err, SHOW));
	h_mask_times(err);
	assert_non_null(strstr(err, OK " echo a (T)\n"));
	assert_true(strcmp(err + strlen(err) - strlen(OK " 1 ok" DOT
	    "0 failed" DOT "T\n"), OK " 1 ok" DOT "0 failed" DOT "T\n") == 0);
	assert_null(strstr(err, START));
	free(out);
	free(err);
}

/*
 * Plain words run without a shell (one process, not sh and a child);
 * anything a shell reads, builtins, and what cannot be exec'd run as
 * sh -c runs them, with the shell's own messages and statuses.
 */
static void
test_plain_commands_run_without_a_shell_the_rest_as_sh_would(void **state)
{
	const char *probe = write_file("parent", "#!/bin/sh\n"
	    "read comm < /proc/$PPID/comm\n"
	    "case $comm in sh|dash) echo parent:sh;; *) echo parent:not-sh;; "
	    "esac\n");
	const char *bare = write_file("bare", "echo script-without-hashbang\n");
	const char *noexec = write_file("noexec", "echo never\n");
	char plain[300], shelled[300], script[300], denied[300];
	const char *argv[] = { bin, "-j", "1", "--output=all", "-c", plain,
		"-c", shelled, "-c", "echo -e x", "-c", "no-such-cmd-here a",
		"-c", script, "-c", denied, NULL };
	char *log, want[8192];

	begin(state);
	chmod(probe, 0755);
	chmod(bare, 0755);
	snprintf(plain, sizeof(plain), "%s", probe);
	snprintf(shelled, sizeof(shelled), "%s; true", probe);
	snprintf(script, sizeof(script), "%s", bare);
	snprintf(denied, sizeof(denied), "%s", noexec);
	run_log(argv, NULL, NULL, 123, &log);
	snprintf(want, sizeof(want),
	    /* our child, and the shell's */
	    START " %s\n" OK " %s (T)\n--- output of %s ---\n"
	    "parent:not-sh\n--- end of %s ---\n"
	    START " %s\n" OK " %s (T)\n--- output of %s ---\n"
	    "parent:sh\n--- end of %s ---\n"
	    /* dash's echo, not /bin/echo */
	    START " echo -e x\n" OK " echo -e x (T)\n"
	    "--- output of echo -e x ---\n-e x\n--- end of echo -e x ---\n"
	    START " no-such-cmd-here a\n"
	    FAIL " no-such-cmd-here a (exit 127, T)\n"
	    "--- output of no-such-cmd-here a ---\n"
	    "sh: 1: no-such-cmd-here: not found\n"
	    "--- end of no-such-cmd-here a ---\n"
	    START " %s\n" OK " %s (T)\n--- output of %s ---\n"
	    "script-without-hashbang\n--- end of %s ---\n"
	    START " %s\n" FAIL " %s (exit 126, T)\n--- output of %s ---\n"
	    "sh: 1: %s: Permission denied\n--- end of %s ---\n"
	    FAIL " 4 ok" DOT "2 failed" DOT "T\n",
	    plain, plain, plain, plain, shelled, shelled, shelled,
	    shelled, script, script, script, script, denied, denied, denied,
	    denied, denied);
	assert_string_equal(log, want);
	free(log);

	/* a $PWD that is not where we are: the shell puts it right */
	{
		const char *pwd[] = { bin, "--output=all", "-c",
			"printenv PWD", NULL };
		const char *const env[] = { "PWD=/", NULL };
		char cwd[4096];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_string_not_equal(cwd, "/");
		run_log(pwd, NULL, env, 0, &log);
		snprintf(want, sizeof(want), "--- output of printenv PWD ---\n"
		    "%s\n--- end", cwd);
		assert_non_null(strstr(log, want));
		free(log);
	}
}

static void
test_names_from_the_task_file_or_the_command(void **state)
{
	const char *file, *empty;
	const char *argv[] = { bin, "-j", "1", "-c", "echo from-c", "-T",
		NULL, NULL };
	const char *none[] = { bin, "-T", NULL, NULL };
	char *log;

	begin(state);
	/* blank lines and comments are no tasks; CRLF ends a line too;
	 * a control byte in a name is shown as a question mark */
	file = write_file("names.tasks",
	    "# a comment\n"
	    "\n"
	    "   \t \n"
	    "named\techo hi\n"
	    "echo plain\n"
	    "my task\tprintf '%%s\\n' 'a\tb'\r\n"
	    "  # an indented comment\n"
	    "esc\033[31m\ttrue\n"
	    "last\ttrue");
	argv[6] = file;
	run_log(argv, NULL, NULL, 0, &log);
	assert_string_equal(log,
	    START " echo from-c\n"
	    OK " echo from-c (T)\n"
	    START " named\n"
	    OK " named (T)\n"
	    START " echo plain\n"
	    OK " echo plain (T)\n"
	    START " my task\n"
	    OK " my task (T)\n"
	    START " esc?[31m\n"
	    OK " esc?[31m (T)\n"
	    START " last\n"
	    OK " last (T)\n"
	    OK " 6 ok" DOT "0 failed" DOT "T\n");
	free(log);
	/* a file of no task: nothing to run, nothing failed */
	empty = write_file("empty.tasks", "# nothing\n\n");
	none[2] = empty;
	run_log(none, NULL, NULL, 0, &log);
	assert_string_equal(log, OK " 0 ok" DOT "0 failed" DOT "T\n");
	free(log);
}

static void
test_tasks_from_stdin_two_hundred_at_once(void **state)
{
	const char *argv[] = { bin, "-j", "0", "-T", "-", NULL };
	char *in = malloc(200 * 32), *log;
	size_t n = 0;

	begin(state);
	for (int i = 1; i <= 200; i++)
		n += (size_t)snprintf(in + n, 32, "t%03d\ttrue\n", i);
	run_log(argv, in, NULL, 0, &log);
	for (int i = 1; i <= 200; i++) {
		char s[32], v[32];
		const char *at_s, *at_v;

		snprintf(s, sizeof(s), START " t%03d\n", i);
		snprintf(v, sizeof(v), OK " t%03d (T)\n", i);
		assert_int_equal(h_count(log, strlen(log), s), 1);
		assert_int_equal(h_count(log, strlen(log), v), 1);
		at_s = strstr(log, s);
		at_v = strstr(log, v);
		assert_true(at_s < at_v);
	}
	assert_int_equal(lines_in(log), 401);
	assert_true(strcmp(log + strlen(log) - strlen(OK " 200 ok" DOT
	    "0 failed" DOT "T\n"), OK " 200 ok" DOT "0 failed" DOT "T\n") ==
	    0);
	free(log);
	free(in);
}

/* --- statuses and bad input --------------------------------------- */

/* 125, and on stderr the problem, then the hint unless hint is false. */
static void
expect_bad(const char *const argv[], const char *want, bool hint)
{
	char *out, *err, first[1024], rest[256];
	size_t ol, el;

	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &err, &el, NULL),
	    125);
	assert_int_equal(ol, 0);
	assert_false(h_has_escape(err, el));
	snprintf(first, sizeof(first), "%s: %s", bin, want);
	if (strncmp(err, first, strlen(first)) != 0)
		fail_msg("stderr '%s' does not start '%s'", err, first);
	const char *nl = strchr(err, '\n');
	assert_non_null(nl);
	if (hint)
		snprintf(rest, sizeof(rest), "Try '%s --help' for more "
		    "information.\n", bin);
	else
		rest[0] = '\0';
	assert_string_equal(nl + 1, rest);
	free(out);
	free(err);
}

static void
test_bad_input_is_one_line_and_125(void **state)
{
	const char *ran = scratch("ran");
	char touch[300];
	const char *tab, *nul, *twice;
	FILE *fp;

	begin(state);
	/* options that do not go together, values that are not */
	expect_bad((const char *[]){ bin, "-c", "true", "--", "echo", "x",
	    NULL }, "--command: cannot be used with a COMMAND", true);
	expect_bad((const char *[]){ bin, "-T", "-", "echo", NULL },
	    "--tasks: cannot be used with a COMMAND", true);
	expect_bad((const char *[]){ bin, "-j", "abc", "-c", "true", NULL },
	    "--jobs: 'abc' is not a number of tasks", true);
	expect_bad((const char *[]){ bin, "-j", "-1", "-c", "true", NULL },
	    "--jobs: '-1' is not a number of tasks", true);
	expect_bad((const char *[]){ bin, "-j", "2", NULL },
	    "--jobs: needs tasks (-c or -T)", true);
	expect_bad((const char *[]){ bin, "--fail-fast", NULL },
	    "--fail-fast: needs tasks (-c or -T)", true);
	expect_bad((const char *[]){ bin, "--output=live", "-c", "true",
	    NULL }, "--output: live is for one COMMAND", true);
	expect_bad((const char *[]){ bin, "--output=bogus", "-c", "true",
	    NULL }, "--output: 'bogus' is not a choice", true);
	expect_bad((const char *[]){ bin, "-c", "", NULL },
	    "--command: empty command", true);
	expect_bad((const char *[]){ bin, "-T", "a", "-T", "b", NULL },
	    "--tasks: given twice", true);

	/* a task file that cannot be read, or holds a bad line: no task
	 * runs, not even those of -c */
	snprintf(touch, sizeof(touch), "touch %s", ran);
	expect_bad((const char *[]){ bin, "-c", touch, "-T", "/nonexistent",
	    NULL }, "--tasks: '/nonexistent': cannot open it: No such file "
	    "or directory\n", false);
	tab = write_file("tab.tasks", "fine\ttrue\nname\t  \n");
	char want[512];
	snprintf(want, sizeof(want), "--tasks: '%s': line 2: a name and no "
	    "command after its tab\n", tab);
	expect_bad((const char *[]){ bin, "-c", touch, "-T", tab, NULL }, want,
	    false);
	nul = scratch("nul.tasks");
	assert_non_null(fp = fopen(nul, "w"));
	fwrite("a\ttrue\n\nb\0c\n", 1, 12, fp);
	fclose(fp);
	snprintf(want, sizeof(want), "--tasks: '%s': line 3: holds a NUL "
	    "byte\n", nul);
	expect_bad((const char *[]){ bin, "-c", touch, "-T", nul, NULL }, want,
	    false);
	twice = scratch("");
	snprintf(want, sizeof(want), "--tasks: '%s': cannot read it: Is a "
	    "directory\n", twice);
	expect_bad((const char *[]){ bin, "-T", twice, NULL }, want, false);
	assert_int_equal(access(ran, F_OK), -1);
}

/* --- --fail-fast, timeouts ------------------------------------------- */

static void
test_fail_fast_stops_the_running_and_starts_no_more(void **state)
{
	struct gate g;
	const char *pidf = scratch("ff.pid");
	const char *file;
	const char *argv[] = { bin, "-j", "2", "--fail-fast", "-T", NULL,
		NULL };
	char *log;

	begin(state);
	gate_init(&g, "ff");
	/* bad fails once slow is well under way; two more wait their turn */
	file = write_file("ff.tasks",
	    "slow\techo $$ > %s; echo slow-out; echo go > %s; exec sleep 100\n"
	    "bad\tread x < %s; exit 4\n"
	    "w1\ttrue\n"
	    "w2\ttrue\n", pidf, g.path, g.path);
	argv[5] = file;
	run_log(argv, NULL, NULL, 123, &log);
	assert_string_equal(log,
	    START " slow\n"
	    START " bad\n"
	    FAIL " bad (exit 4, T)\n"
	    FAIL " slow (stopped, T)\n"
	    "--- output of slow ---\n"
	    "slow-out\n"
	    "--- end of slow ---\n"
	    FAIL " 0 ok" DOT "2 failed" DOT "2 not started" DOT "T\n");
	assert_gone(read_pid(pidf));
	free(log);
	gate_free(&g);
}

static void
test_timeout_kills_a_task_deaf_to_sigterm_after_kill_after(void **state)
{
	const char *pidf = scratch("deaf.pid"), *kidf = scratch("kid.pid");
	char deaf[300];
	const char *argv[] = { bin, "-t", "0.3", "-k", "0.4", "-c", deaf,
		"-c", "exec sleep 100", NULL };
	const char *at;
	char *out, *log;
	size_t ol, el;
	double t;

	begin(state);
	snprintf(deaf, sizeof(deaf), "trap '' TERM; echo $$ > %s; "
	    "sleep 100 & echo $! > %s; wait", pidf, kidf);
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &log, &el, NULL),
	    123);
	assert_int_equal(ol, 0);
	free(out);
	/* not before -t and -k had both passed: its time says so */
	at = strstr(log, "; wait (timed out, ");
	assert_non_null(at);
	assert_int_equal(sscanf(at, "; wait (timed out, %lfs)", &t), 1);
	assert_true(t > 0.7 - 0.01);
	/* the one that heeds SIGTERM goes at -t, the other at -t + -k */
	h_mask_times(log);
	assert_non_null(strstr(log, FAIL " exec sleep 100 (timed out, T)\n"));
	at = strstr(log, "; wait (timed out, ");
	assert_int_equal(h_count(log, strlen(log), "(timed out, T)"), 2);
	assert_true(strstr(log, FAIL " exec sleep 100 (timed out") < at);
	assert_true(strcmp(log + strlen(log) - strlen(FAIL " 0 ok" DOT
	    "2 failed" DOT "T\n"), FAIL " 0 ok" DOT "2 failed" DOT "T\n") ==
	    0);
	free(log);
	assert_gone(read_pid(pidf));
	assert_gone(read_pid(kidf));
}

/* --- what tasks leave behind ---------------------------------------- */

static void
test_nothing_a_task_left_in_the_background_outlives_the_run(void **state)
{
	const char *pidf = scratch("left.pid");
	char cmd[400];
	const char *argv[] = { bin, "-c", cmd, "-c", "true", NULL };
	char *log;

	begin(state);
	/* the task's shell is gone at once, its output closed with it */
	snprintf(cmd, sizeof(cmd), "sleep 100 >/dev/null 2>&1 & echo $! > %s",
	    pidf);
	run_log(argv, NULL, NULL, 0, &log);
	assert_true(strcmp(log + strlen(log) - strlen(OK " 2 ok" DOT
	    "0 failed" DOT "T\n"), OK " 2 ok" DOT "0 failed" DOT "T\n") == 0);
	free(log);
	assert_gone(read_pid(pidf));
}

static void
test_a_leftover_deaf_to_sigterm_does_not_outlive_the_run(void **state)
{
	struct gate g;
	const char *pidf = scratch("deaf.pid");
	char cmd[1024];
	const char *argv[] = { bin, "-k", "0.2", "-c", cmd, NULL };
	char *log;

	begin(state);
	gate_init(&g, "deaf");
	/* deaf to SIGTERM before its task ends: SIGKILL, after -k or at the
	 * spinner's end at the latest, is what is left for it */
	snprintf(cmd, sizeof(cmd), "sh -c 'trap \"\" TERM; echo > %s; "
	    "exec sleep 100' >/dev/null 2>&1 & echo $! > %s; read x < %s",
	    g.path, pidf, g.path);
	run_log(argv, NULL, NULL, 0, &log);
	free(log);
	assert_gone(read_pid(pidf));
	gate_free(&g);
}

static void
test_a_deaf_leftover_is_killed_after_kill_after_not_at_the_end(
    void **state)
{
	const char *pidf = scratch("deaf2.pid");
	char deaf[400], watch[400];
	const char *argv[] = { bin, "-j", "0", "-k", "0.2", "-t", "20",
		"-c", deaf, "-c", watch, NULL };
	char *log;

	begin(state);
	snprintf(deaf, sizeof(deaf), "sh -c 'trap \"\" TERM; exec sleep 100' "
	    ">/dev/null 2>&1 & echo $! > %s", pidf);
	/* the other task ends only once the leftover is gone: by -k after
	 * the first task's end, long before its own -t */
	snprintf(watch, sizeof(watch), "until [ -s %s ]; do sleep 0.05; "
	    "done; while kill -0 $(cat %s) 2>/dev/null; do sleep 0.05; done",
	    pidf, pidf);
	run_log(argv, NULL, NULL, 0, &log);
	assert_true(strcmp(log + strlen(log) - strlen(OK " 2 ok" DOT
	    "0 failed" DOT "T\n"), OK " 2 ok" DOT "0 failed" DOT "T\n") == 0);
	free(log);
	assert_gone(read_pid(pidf));
}

static void
test_timeout_gives_up_on_output_held_outside_its_session(void **state)
{
	const char *pidf = scratch("held.pid");
	char cmd[300];
	/* the timeout leaves the task time to say what it started, even
	 * on a loaded machine */
	const char *argv[] = { bin, "-t", "1.5", "-k", "0.2", "-c", cmd,
		"-c", "true", NULL };
	char *out, *log;
	size_t ol, el;

	begin(state);
	/* out of reach of the group's SIGKILL, it holds the output open */
	snprintf(cmd, sizeof(cmd), "setsid sleep 100 & echo $! > %s; wait",
	    pidf);
	assert_exited(h_pipe_run(argv, NULL, 0, &out, &ol, &log, &el, NULL),
	    123);
	free(out);
	h_mask_times(log);
	assert_non_null(strstr(log, "; wait (timed out, T)\n"));
	assert_true(strcmp(log + strlen(log) - strlen(FAIL " 1 ok" DOT
	    "1 failed" DOT "T\n"), FAIL " 1 ok" DOT "1 failed" DOT "T\n") == 0);
	free(log);
	pid_t held = read_pid(pidf);
	kill(held, SIGKILL);
	assert_gone(held);
}

static void
test_out_of_descriptors_a_task_cannot_start_and_nothing_crashes(
    void **state)
{
	char script[512];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	bool said = false;

	begin(state);
	if (getenv("SPINNER_SANITIZERS") != NULL)
		skip();	/* LeakSanitizer needs descriptors of its own at exit */
	/* from too few to spare: never a crash; one limit where the spinner
	 * runs but the task's pipe cannot be made */
	for (int n = 4; n <= 24; n++) {
		char *out, *log;
		size_t ol, el;
		int st;

		snprintf(script, sizeof(script), "ulimit -n %d; exec %s -c "
		    "true", n, h_bin(bin));
		st = h_pipe_run(argv, NULL, 0, &out, &ol, &log, &el, NULL);
		if (!WIFEXITED(st))
			fail_msg("ulimit -n %d: status 0x%x: %s", n, st, log);
		if (WEXITSTATUS(st) == 127 && strstr(log, "error while "
		    "loading shared libraries") != NULL) {
			/* too few for the loader: the spinner never ran */
		} else if (WEXITSTATUS(st) == 123) {
			assert_non_null(strstr(log, " (cannot start, "));
			assert_non_null(strstr(log, "cannot start: Too many "
			    "open files\n"));
			said = true;
		} else if (WEXITSTATUS(st) == 125) {
			/* one line, and why */
			assert_non_null(strstr(log, "Too many open files\n"));
			assert_ptr_equal(strchr(log, '\n') + 1, log +
			    strlen(log));
		} else if (WEXITSTATUS(st) != 0) {
			fail_msg("ulimit -n %d: exit %d: %s", n,
			    WEXITSTATUS(st), log);
		}
		assert_int_equal(ol, 0);
		free(out);
		free(log);
	}
	assert_true(said);
}

/* --- ^C, ^Z, signals ---------------------------------------------------- */

static void
test_ctrl_c_stops_every_task_and_its_children_then_dies_of_it(
    void **state)
{
	struct h_proc p;
	const char *p1 = scratch("c1.pid"), *p2 = scratch("c2.pid"),
	    *p3 = scratch("c3.pid");
	/* plain must be seen to end before -k, even under valgrind */
	const char *kill_after = getenv("SPINNER_WRAP") != NULL ? "1.5" :
	    "0.5";
	const char *argv[] = { bin, "-i", "0.1", "-f", "*", "-j", "2", "-k",
		kill_after, "-T", NULL, NULL };

	begin(state);
	/* family's sleeps ignore SIGINT (the shell's background jobs do):
	 * they go at -k, with SIGKILL, and plain goes first */
	argv[10] = write_file("ctrlc.tasks",
	    "family\tsleep 100 & echo $! > %s; sleep 100 & echo $! > %s; "
	    "echo ready; wait\n"
	    "plain\techo $$ > %s; echo ready; exec sleep 100\n"
	    "later\ttrue\n", p1, p2, p3);
	h_start(&p, &on_tty, argv);
	wait_shows(&p, 24, 80, 0,
	    "* family T  ready\n"
	    "* plain T  ready\n"
	    "0 ok" DOT "0 failed" DOT "2 running" DOT "1 waiting" DOT "T");
	h_type(&p, "\x03");
	finish_signaled(&p, SIGINT);
	assert_final(&p, 24, 80,
	    FAIL " plain (stopped, T)\n"
	    "--- output of plain ---\n"
	    "ready\n"
	    "--- end of plain ---\n"
	    FAIL " family (stopped, T)\n"
	    "--- output of family ---\n"
	    "ready\n"
	    "--- end of family ---\n"
	    FAIL " 0 ok" DOT "2 failed" DOT "1 not started" DOT "T");
	assert_gone(read_pid(p1));
	assert_gone(read_pid(p2));
	assert_gone(read_pid(p3));
	h_free(&p);
}

static void
test_fatal_signal_off_a_terminal_ends_the_log_then_kills(void **state)
{
	static const char *const term[] = { "TERM", NULL };
	struct h_proc p;
	struct h_opts o = on_tty;
	const char *pidf = scratch("term.pid");
	struct gate g;
	char cmd[700];
	const char *argv[] = { bin, "-c", cmd, NULL };
	char want[4096];

	begin(state);
	gate_init(&g, "term");
	snprintf(cmd, sizeof(cmd), "echo $$ > %s; echo ready; echo > %s; "
	    "exec sleep 100", pidf, g.path);
	o.unset = term;
	h_start(&p, &o, argv);
	/* the log shows its output only at its end: it says when it is on */
	gate_wait(&g);
	pid_t task = read_pid(pidf);
	h_kill(&p, SIGTERM);
	finish_signaled(&p, SIGTERM);
	snprintf(want, sizeof(want),
	    START " %s\r\n"
	    FAIL " %s (stopped, T)\r\n"
	    "--- output of %s ---\r\n"
	    "ready\r\n"
	    "--- end of %s ---\r\n"
	    FAIL " 0 ok" DOT "1 failed" DOT "T\r\n", cmd, cmd, cmd, cmd);
	assert_string_equal(h_mask_times(p.tty), want);
	assert_gone(task);
	gate_free(&g);
	h_free(&p);
}

static void
test_a_process_escaping_its_group_is_counted_stopped(void **state)
{
	struct h_proc p;
	const char *pidf = scratch("esc.pid");
	char cmd[300];
	const char *argv[] = { bin, "-i", "0.1", "-f", "*", "-k", "0.2",
		"-c", cmd, NULL };

	begin(state);
	/* a session of its own holds the task's output open: out of reach,
	 * the spinner gives up on it at -k after the SIGKILL.  "ready" only
	 * once it is in that session, or ^C's SIGKILL could still reach it */
	snprintf(cmd, sizeof(cmd), "setsid sh -c 'echo $$ > %s; exec sleep "
	    "100' & until [ -s %s ]; do sleep 0.01; done; echo ready; wait",
	    pidf, pidf);
	h_start(&p, &on_tty, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	pid_t escaped = read_pid(pidf);
	h_type(&p, "\x03");
	finish_signaled(&p, SIGINT);
	assert_final(&p, 24, 80,
	    FAIL " 0 ok" DOT "0 failed" DOT "1 stopped" DOT "T");
	kill(escaped, SIGKILL);
	assert_gone(escaped);
	h_free(&p);
}

static void
test_ctrl_z_stops_every_task_and_fg_resumes_them(void **state)
{
	struct h_proc p;
	struct gate ga, gb;
	const char *pa = scratch("za.pid"), *pb = scratch("zb.pid");
	const char *argv[] = { bin, "-i", "0.05", "-f", "*", "-j", "0", "-T",
		NULL, NULL };
	pid_t a, b;

	begin(state);
	gate_init(&ga, "za");
	gate_init(&gb, "zb");
	argv[8] = write_file("ctrlz.tasks",
	    "a\techo $$ > %s; echo ready; read x < %s; echo a-done\n"
	    "b\techo $$ > %s; echo ready; read x < %s; exit 2\n",
	    pa, ga.path, pb, gb.path);
	h_start(&p, &on_tty, argv);
	wait_shows(&p, 24, 80, 0,
	    "* a T  ready\n"
	    "* b T  ready\n"
	    "0 ok" DOT "0 failed" DOT "2 running" DOT "T");
	a = read_pid(pa);
	b = read_pid(pb);
	h_type(&p, "\x1a");
	assert_true(h_wait_stopped(&p));
	assert_true(wait_stopped(a, true));
	assert_true(wait_stopped(b, true));
	/* stopped: the area gone, the cursor back for the shell */
	wait_shows(&p, 24, 80, 0, "");
	assert_true(scr.cursor_visible);
	size_t mark = p.tty_len;
	h_kill_job(&p, SIGCONT);
	assert_true(h_wait_continued(&p));
	assert_true(wait_stopped(a, false));
	assert_true(wait_stopped(b, false));
	/* fg: the area back, the cursor hidden again */
	assert_true(h_wait_for(&p, HIDE, mark));
	wait_shows(&p, 24, 80, 0,
	    "* a T  ready\n"
	    "* b T  ready\n"
	    "0 ok" DOT "0 failed" DOT "2 running" DOT "T");
	gate_open(&ga);
	assert_true(h_wait_for(&p, GREEN(OK) " a (", mark));
	gate_open(&gb);
	finish_exited(&p, 123);
	assert_final(&p, 24, 80,
	    OK " a (T)\n"
	    FAIL " b (exit 2, T)\n"
	    "--- output of b ---\n"
	    "ready\n"
	    "--- end of b ---\n"
	    FAIL " 1 ok" DOT "1 failed" DOT "T");
	gate_free(&ga);
	gate_free(&gb);
	h_free(&p);
}

static void
test_background_job_shows_verdicts_but_no_live_area(void **state)
{
	struct h_proc p;
	struct h_opts o = on_tty;
	const char *argv[] = { bin, "-i", "0.05", "-j", "1", "-c", "true",
		"-c", "exit 6", NULL };

	begin(state);
	o.background = true;
	h_start(&p, &o, argv);
	finish_exited(&p, 123);
	assert_int_equal(h_count(p.tty, p.tty_len, HIDE), 0);
	assert_final(&p, 24, 80,
	    OK " true (T)\n"
	    FAIL " exit 6 (exit 6, T)\n"
	    FAIL " 1 ok" DOT "1 failed" DOT "T");
	h_free(&p);
}

/*
 * Every case runs natively and built with sanitizers.  Under valgrind a
 * run of a binary costs about half a second of CPU before it does
 * anything, so there only the VG cases run: between them they take
 * every way through batch.c and the front ends' run_tasks(): the live
 * area drawn, waiting tasks started as others end, verdicts of each
 * kind, -t and -k, output kept and shown, the log off a terminal, a
 * task file, what a task left behind killed after -k, ^C passed on,
 * escalated and re-raised.  A NO_VG case takes
 * one of those ways again with other input; there it is reported
 * skipped.
 */
#define VG(f) cmocka_unit_test(f)
#define NO_VG(f) cmocka_unit_test_prestate(f, &no_valgrind)

/* --- --stats ----------------------------------------------------------- */

static bool
is_thread(void)
{
	return strcmp(bin, "spinner-thread") == 0;
}

/* Threads: the loop's one, or main, spin() and a thread per running. */
static void
assert_threads(const struct h_stats *s, bool spinning)
{
	if (!is_thread()) {
		assert_int_equal((int)s->v[H_THREADS], 1);
		return;
	}
	assert_true(s->v[H_THREADS] >= 1 + spinning + s->v[H_TASKS_MOST]);
	assert_true(s->v[H_THREADS] <= 1 + spinning +
	    s->v[H_TASKS_STARTED]);
}

static void
test_stats_count_tasks_started_failed_and_at_once(void **state)
{
	const char *one[] = { bin, "--stats", "-j", "1", "-c", "true", "-c",
		"false", "-c", "exit 4", NULL };
	const char *all[] = { bin, "--stats", "-j", "0", "-T", "-", NULL };
	struct h_stats s;
	char *out, *err;
	size_t ol, el;

	begin(state);
	assert_exited(h_pipe_run(one, NULL, 0, &out, &ol, &err, &el, NULL),
	    123);
	assert_true(h_stats(err, el, bin, true, &s));
	assert_int_equal((int)s.v[H_TASKS_STARTED], 3);
	assert_int_equal((int)s.v[H_TASKS_FAILED], 2);
	assert_int_equal((int)s.v[H_TASKS_MOST], 1);
	assert_int_equal((int)s.v[H_FRAMES], 0);
	assert_threads(&s, false);
	/* the line comes last, after the summary */
	assert_true(strchr(strstr(err, ": stats "), '\n') == err + el - 1);
	assert_non_null(strstr(err, "1 ok"));
	assert_true(strstr(err, "1 ok") < strstr(err, ": stats "));
	free(out);
	free(err);

	/* six that wait for each other: all six run at once */
	assert_exited(h_pipe_run(all, "sleep 0.3\nsleep 0.3\nsleep 0.3\n"
	    "sleep 0.3\nsleep 0.3\nsleep 0.3\n", 60, &out, &ol, &err, &el,
	    NULL), 0);
	assert_true(h_stats(err, el, bin, true, &s));
	assert_int_equal((int)s.v[H_TASKS_STARTED], 6);
	assert_int_equal((int)s.v[H_TASKS_FAILED], 0);
	assert_true(s.v[H_TASKS_MOST] >= 1 && s.v[H_TASKS_MOST] <= 6);
	assert_true(s.v[H_WALL_S] >= 0.3);
	assert_threads(&s, false);
	free(out);
	free(err);
}

/*
 * Three hundred tasks alive at once (in spinner-thread, a thread each):
 * each waits for a lock the test holds until the last one has started,
 * so all of them run together, then all end ok.
 */
static void
test_three_hundred_tasks_alive_at_once(void **state)
{
	static const char *const dumb[] = { "TERM=dumb", NULL };
	const char *lock = scratch("lock"), *file = scratch("many.tasks");
	const char *argv[] = { bin, "--stats", "-j", "0", "-T", file, NULL };
	struct h_opts o = on_tty;
	struct h_proc p;
	struct h_stats s;
	FILE *fp;
	int fd;

	begin(state);
	assert_true((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_non_null(fp = fopen(file, "w"));
	for (int i = 1; i <= 300; i++)
		fprintf(fp, "t%03d\tflock -s %s true\n", i, lock);
	assert_int_equal(fclose(fp), 0);
	o.env = dumb;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, START " t300\r\n", 0));
	assert_int_equal(flock(fd, LOCK_UN), 0);
	close(fd);
	finish_exited(&p, 0);
	assert_int_equal(h_count(p.tty, p.tty_len, OK " t"), 300);
	assert_true(h_stats(p.tty, p.tty_len, bin, true, &s));
	assert_int_equal((int)s.v[H_TASKS_STARTED], 300);
	assert_int_equal((int)s.v[H_TASKS_FAILED], 0);
	assert_int_equal((int)s.v[H_TASKS_MOST], 300);
	h_free(&p);
}

static void
test_stats_on_the_terminal_after_the_summary(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .cols = 250 };
	struct gate g;
	char cmd[300];
	const char *argv[] = { bin, "--stats", "-i", "0.05", "-f", "*", "-c",
		cmd, "-c", "true", NULL };
	struct h_stats s;

	begin(state);
	gate_init(&g, "stats");
	snprintf(cmd, sizeof(cmd), "echo waiting; read x < %s", g.path);
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "waiting", 0));
	gate_open(&g);
	finish_exited(&p, 0);
	assert_true(h_stats(p.tty, p.tty_len, bin, true, &s));
	assert_true(s.v[H_FRAMES] >= 1);
	assert_int_equal((int)s.v[H_TASKS_STARTED], 2);
	assert_int_equal((int)s.v[H_TASKS_FAILED], 0);
	assert_threads(&s, true);
	/* below the summary, the cursor shown before it */
	assert_true(strstr(p.tty, ": stats ") > strstr(p.tty, "2 ok"));
	screen_init(&scr, 24, 250);
	screen_feed(&scr, p.tty, p.tty_len);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.wraps, 0);
	gate_free(&g);
	h_free(&p);
}

static void
test_stats_then_the_fatal_signal(void **state)
{
	struct h_proc p;
	struct h_opts o = { .out = H_STDOUT_PIPE, .cols = 250 };
	const char *argv[] = { bin, "--stats", "-i", "0.05", "-c",
		"echo ready; exec sleep 100", "-c", "true", NULL };
	struct h_stats s;

	begin(state);
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "ready", 0));
	assert_true(h_wait_for(&p, GREEN(OK) " true", 0));
	h_kill(&p, SIGTERM);
	finish_signaled(&p, SIGTERM);
	assert_true(h_stats(p.tty, p.tty_len, bin, true, &s));
	assert_int_equal((int)s.v[H_TASKS_STARTED], 2);
	assert_int_equal((int)s.v[H_TASKS_FAILED], 1);	/* stopped */
	h_free(&p);
}

/* --- odd environments ---------------------------------------------------- */

static void
test_unknown_term_gets_the_live_area(void **state)
{
	static const char *const xyzzy[] = { "TERM=xyzzy", NULL };
	struct h_proc p;
	struct h_opts o = on_tty;
	struct gate g;
	char cmd[300], want[700];
	const char *argv[] = { bin, "-i", "0.05", "-f", "*", "-c", cmd, NULL };

	begin(state);
	/* no terminfo is read: any TERM but dumb gets the ANSI sequences */
	gate_init(&g, "xyzzy");
	snprintf(cmd, sizeof(cmd), "read x < %s", g.path);
	o.env = xyzzy;
	h_start(&p, &o, argv);
	snprintf(want, sizeof(want), "* %s T\n"
	    "0 ok" DOT "0 failed" DOT "1 running" DOT "T", cmd);
	wait_shows(&p, 24, 80, 0, want);
	gate_open(&g);
	finish_exited(&p, 0);
	snprintf(want, sizeof(want), OK " %s (T)\n"
	    OK " 1 ok" DOT "0 failed" DOT "T", cmd);
	assert_final(&p, 24, 80, want);
	gate_free(&g);
	h_free(&p);
}

static void
test_closed_or_full_standard_descriptors_change_nothing_else(void **state)
{
	static const struct {
		enum h_stdout out;
		int closed;
		bool shown;	/* stderr is the terminal */
		int code;
	} runs[] = {
		{ H_STDOUT_PIPE, 1 << 0, true, 123 },
		{ H_STDOUT_PIPE, 1 << 1, true, 123 },
		{ H_STDOUT_FULL, 0, true, 123 },
		/* the verdicts refused: the tasks run all the same, and the
		 * status says what could not be shown, as in every mode */
		{ H_STDOUT_PIPE, 1 << 2, false, 125 },
		{ H_STDOUT_PIPE, 7, false, 125 },
	};
	const char *argv[] = { bin, "-i", "0.05", "-j", "1", "-c", "true",
		"-c", "exit 3", NULL };
	const char *from_stdin[] = { bin, "-T", "-", NULL };
	char want[128];

	begin(state);
	/* nothing is written to stdout; stdin is not read; stderr shows
	 * the tasks: they run, and their end decides, unless it is closed */
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct h_proc p;
		struct h_opts o = { .out = runs[i].out,
		    .closed = runs[i].closed };

		h_start(&p, &o, argv);
		finish_exited(&p, runs[i].code);
		if (runs[i].shown)
			assert_final(&p, 24, 80,
			    OK " true (T)\n"
			    FAIL " exit 3 (exit 3, T)\n"
			    FAIL " 1 ok" DOT "1 failed" DOT "T");
		else
			assert_int_equal(p.tty_len, 0);
		h_free(&p);
	}
	/* stderr on a full disk: the same */
	struct h_proc p;
	h_start(&p, &(struct h_opts){ .out = H_STDOUT_PIPE,
	    .err_path = "/dev/full" }, argv);
	finish_exited(&p, 125);
	assert_int_equal(p.tty_len, 0);
	h_free(&p);
	/* but tasks to read from a closed stdin: one line, 125 */
	struct h_opts o = { .out = H_STDOUT_PIPE, .closed = 1 << 0 };

	h_start(&p, &o, from_stdin);
	finish_exited(&p, 125);
	snprintf(want, sizeof(want), "%s: --tasks: '-': cannot read it: Bad "
	    "file descriptor", bin);
	assert_final(&p, 24, 80, want);
	h_free(&p);
}

static void
test_one_row_terminal_shows_the_summary_alone(void **state)
{
	struct h_proc p;
	struct h_opts o = on_tty;
	struct gate a, b;
	const char *argv[] = { bin, "-i", "0.05", "-f", "*", "-T", NULL,
		NULL };

	begin(state);
	gate_init(&a, "row-a");
	gate_init(&b, "row-b");
	argv[6] = write_file("row.tasks", "a\tread x < %s\nb\tread x < %s\n",
	    a.path, b.path);
	o.rows = 1;
	h_start(&p, &o, argv);
	/* no row for a task: the summary alone, on the one row there is */
	wait_shows(&p, 1, 80, 0,
	    "0 ok" DOT "0 failed" DOT "2 running" DOT "T");
	gate_open(&a);
	assert_true(h_wait_for(&p, GREEN(OK) " a (", 0));
	gate_open(&b);
	finish_exited(&p, 0);
	/* the verdicts scrolled away, nothing wrapped, the cursor back */
	shown(&p, 1, 80, 0);
	assert_int_equal(scr.wraps, 0);
	assert_true(scr.cursor_visible);
	/* and nothing was lost or left: the end as a taller screen shows */
	assert_final(&p, 24, 80,
	    OK " a (T)\n"
	    OK " b (T)\n"
	    OK " 2 ok" DOT "0 failed" DOT "T");
	gate_free(&a);
	gate_free(&b);
	h_free(&p);
}

static void
test_a_mebibyte_task_name_is_fitted_and_cut(void **state)
{
	const size_t len = 1u << 20;
	char *name = malloc(len + 1), *log, *nl;
	struct h_proc p;
	struct h_opts o = on_tty;
	const char *argv[] = { bin, "-i", "0.05", "-T", NULL, NULL };
	char row[SCREEN_COLS * 16];

	begin(state);
	assert_non_null(name);
	memset(name, 'n', len);
	name[len] = '\0';
	argv[4] = write_file("big.tasks", "%s\texit 2\n", name);
	free(name);
	o.cols = 40;
	h_start(&p, &o, argv);
	finish_exited(&p, 123);
	shown(&p, 24, 40, 0);
	assert_int_equal(scr.wraps, 0);
	assert_true(scr.cursor_visible);
	h_mask_times((char *)screen_row(&scr, 0, row, sizeof(row)));
	assert_true(strncmp(row, FAIL " nnnnnnnn", 11) == 0);
	assert_non_null(strstr(row, "n" ELLIPSIS " (exit 2, T)"));
	h_free(&p);
	/* off a terminal each line is cut too, and ends whole */
	run_log(argv, NULL, NULL, 123, &log);
	assert_int_equal(lines_in(log), 3);
	for (char *line = log; (nl = strchr(line, '\n')) != NULL;
	    line = nl + 1)
		assert_true(nl - line < 64 * 1024);
	assert_non_null(strstr(log, "n" ELLIPSIS " (exit 2, T)\n"));
	free(log);
}

/* The mask a task printed in its output: "KEY:\tHEX" (key "SigBlk:\t"). */
static unsigned long long
mask_in(const char *s, const char *key)
{
	const char *at = strstr(s, key);

	assert_non_null(at);
	return strtoull(at + strlen(key), NULL, 16);
}

static void
test_ignored_sigint_stays_ignored_for_the_tasks(void **state)
{
	struct h_proc p;
	struct h_opts o = on_tty;
	struct gate g;
	char cmd[300];
	const char *argv[] = { bin, "-i", "0.05", "--output=all", "-f", "*",
		"-c", cmd, NULL };

	begin(state);
	gate_init(&g, "int");
	snprintf(cmd, sizeof(cmd), "grep SigIgn /proc/self/status; "
	    "read x < %s", g.path);
	o.ignore_int = true;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, "SigIgn:", 0));
	/* as "spinner &" from a script: SIGINT is not taken, and the tasks
	 * start with it ignored too */
	h_kill(&p, SIGINT);
	gate_open(&g);
	finish_exited(&p, 0);
	assert_true(mask_in(p.tty, "SigIgn:\t") & 2);
	gate_free(&g);
	h_free(&p);
}

static void
test_blocked_signals_at_start_still_end_every_task(void **state)
{
	static const int blocked[] = { SIGHUP, SIGINT, SIGTERM, SIGCHLD,
		SIGWINCH, SIGALRM, SIGCONT, 0 };
	struct h_proc p;
	struct h_opts o = on_tty;
	const char *argv[] = { bin, "-i", "0.05", "-j", "1", "-t", "0.1", "-k",
		"0.05", "--output=all", "-f", "*", "-c", "exit 3", "-c",
		"grep SigBlk /proc/self/status", "-c", "sleep 30", NULL };
	unsigned long long want = 0;

	begin(state);
	/* every end is seen and the timeout comes (SIGTERM is blocked in
	 * the task too: SIGKILL after -k); the tasks get the mask we did */
	o.block = blocked;
	for (size_t i = 0; blocked[i] != 0; i++)
		want |= 1ULL << (blocked[i] - 1);
	h_start(&p, &o, argv);
	finish_exited(&p, 123);
	assert_int_equal(mask_in(p.tty, "SigBlk:\t"), want);
	shown(&p, 24, 80, 0);
	assert_non_null(strstr(text, FAIL " exit 3 (exit 3, T)\n"));
	assert_non_null(strstr(text, FAIL " sleep 30 (timed out, T)\n"));
	assert_non_null(strstr(text, FAIL " 1 ok" DOT "2 failed" DOT "T"));
	h_free(&p);
}

/* --- the terminal hung up ------------------------------------------ */

static void
test_hangup_stops_every_task_then_dies_by_sighup(void **state)
{
	struct h_proc p;
	const char *pa = scratch("hup-a.pid"), *pb = scratch("hup-b.pid");
	const char *argv[] = { bin, "-i", "0.05", "-f", "*", "-T", NULL,
		NULL };

	begin(state);
	argv[6] = write_file("hup.tasks",
	    "a\techo $$ > %s; echo ready; exec sleep 100\n"
	    "b\tsleep 100 & echo $! > %s; echo ready; wait\n", pa, pb);
	/* running, then stopped by ^Z (the shell sends SIGCONT too) */
	for (int stopped = 0; stopped <= 1; stopped++) {
		h_start(&p, &on_tty, argv);
		wait_shows(&p, 24, 80, 0,
		    "* a T  ready\n"
		    "* b T  ready\n"
		    "0 ok" DOT "0 failed" DOT "2 running" DOT "T");
		if (stopped) {
			h_type(&p, "\x1a");
			assert_true(h_wait_stopped(&p));
		}
		h_hangup(&p);
		finish_signaled(&p, SIGHUP);
		assert_gone(read_pid(pa));
		assert_gone(read_pid(pb));
		h_free(&p);
	}
}

static void
test_hangup_under_nohup_tasks_run_on_asleep(void **state)
{
	struct h_proc p;
	struct h_opts o = on_tty;
	struct gate g;
	char cmd[300];
	const char *argv[] = { bin, "-i", "0.05", "-c", cmd, "-c", "exit 2",
		NULL };

	begin(state);
	gate_init(&g, "nohup");
	snprintf(cmd, sizeof(cmd), "read x < %s", g.path);
	o.ignore_hup = true;
	h_start(&p, &o, argv);
	assert_true(h_wait_for(&p, " running", 0));
	h_hangup(&p);
	/* frames and verdicts fail, and the run sleeps between them */
	assert_true(h_idle(p.job));
	gate_open(&g);
	finish_exited(&p, 123);
	gate_free(&g);
	h_free(&p);
}

static const struct CMUnitTest cases[] = {
	/* the live area: drawn, rows rewritten, verdicts, waiting tasks */
	VG(test_live_lines_then_verdicts_in_the_order_tasks_finish),
	/* the same frames, of a named style: render.c's, unit-tested; and a
	 * frame an interval late is skipped, which valgrind may cause */
	NO_VG(test_each_live_line_spins_with_the_style),
	/* the verdicts' ways: exit, signal, timeout with -k */
	VG(test_every_kind_of_verdict_on_the_terminal),
	/* the area's ways again, on other sizes (board.c is pure) */
	NO_VG(test_short_terminal_shows_how_many_more_are_running),
	NO_VG(test_resize_refits_the_live_area),
	NO_VG(test_long_names_and_lines_never_wrap),
	NO_VG(test_narrow_terminals_never_wrap),
	/* the live area's way in another locale: render.c's, unit-tested */
	NO_VG(test_c_locale_terminal_gets_ascii_alone),
	/* output kept and shown as --output says: the log case's way, the
	 * block of a failed task, with other input */
	NO_VG(test_output_all_on_the_terminal_under_each_verdict),
	NO_VG(test_output_of_failed_tasks_alone_is_the_default),
	NO_VG(test_output_none_leaves_the_verdicts_alone),
	NO_VG(test_output_all_keeps_each_tasks_block_whole),
	/* the log: a line per event, a failed task's block */
	VG(test_off_a_terminal_a_line_per_event_and_nothing_on_stdout),
	/* the same lines with other marks: render.c's choice */
	NO_VG(test_off_a_terminal_in_the_c_locale_marks_are_ascii),
	/* --color: the area's, the verdicts' and the log's ways, painted;
	 * color.c decides, and test_color and test_board run it under
	 * valgrind */
	NO_VG(test_color_on_the_terminal_paints_verdicts_and_summary),
	NO_VG(test_color_dims_a_running_tasks_last_line_alone),
	NO_VG(test_color_dims_our_lines_around_the_output_kept),
	NO_VG(test_color_in_the_log_off_a_terminal_only_when_forced),
	/* term.c's choice, for the log's way */
	NO_VG(test_no_term_dumb_term_or_a_file_gets_the_log_not_the_area),
	NO_VG(test_animate_forces_the_area_onto_a_pipe),
	/* the task file's parser runs in the VG log cases too */
	NO_VG(test_names_from_the_task_file_or_the_command),
	/* valgrind runs posix_spawn() as fork and exec: a failed exec is
	 * then the child's exit 127, not an error the shell is called for */
	NO_VG(test_plain_commands_run_without_a_shell_the_rest_as_sh_would),
	/* two hundred spawns and threads: slow under valgrind */
	NO_VG(test_tasks_from_stdin_two_hundred_at_once),
	/* options.c, which test_options runs under valgrind; a bad task
	 * file ends the run before any task starts */
	NO_VG(test_bad_input_is_one_line_and_125),
	/* ^C's way (stop_all), taken from a task's end */
	NO_VG(test_fail_fast_stops_the_running_and_starts_no_more),
	/* -t and -k's way, as in the verdicts' case */
	NO_VG(test_timeout_kills_a_task_deaf_to_sigterm_after_kill_after),
	/* the end of every task sends its group SIGTERM: every VG case's */
	NO_VG(test_nothing_a_task_left_in_the_background_outlives_the_run),
	/* what is left after that: reaped, SIGKILLed after -k */
	VG(test_a_leftover_deaf_to_sigterm_does_not_outlive_the_run),
	VG(test_ctrl_c_stops_every_task_and_its_children_then_dies_of_it),
	/* a fatal signal's way, as for ^C; then the log's */
	NO_VG(test_fatal_signal_off_a_terminal_ends_the_log_then_kills),
	/* ^C's way, to the end of -k twice over */
	NO_VG(test_a_process_escaping_its_group_is_counted_stopped),
	/* valgrind does not stop for a re-raised SIGTSTP */
	NO_VG(test_ctrl_z_stops_every_task_and_fg_resumes_them),
	/* waits on processes, not on the binary: natively is enough */
	NO_VG(test_a_deaf_leftover_is_killed_after_kill_after_not_at_the_end),
	NO_VG(test_timeout_gives_up_on_output_held_outside_its_session),
	/* valgrind takes descriptors of its own: the limits mean another
	 * thing there */
	NO_VG(test_out_of_descriptors_a_task_cannot_start_and_nothing_crashes),
	/* the live area's way, with the area left out */
	NO_VG(test_background_job_shows_verdicts_but_no_live_area),
	/* the log's way, as in the cases above, with the line; stats.c
	 * runs under valgrind in test_stats */
	NO_VG(test_stats_count_tasks_started_failed_and_at_once),
	/* the live area's way, as in the board cases, with the line */
	NO_VG(test_stats_on_the_terminal_after_the_summary),
	/* a fatal signal's way, as for ^C, with the line */
	NO_VG(test_stats_then_the_fatal_signal),
	/* hundreds of task threads at once: the thread checker's case */
	NO_VG(test_three_hundred_tasks_alive_at_once),
	/* odd environments: the live area's and the log's ways again, with
	 * other input; term.c and render.c choose, under valgrind in their
	 * unit tests */
	NO_VG(test_unknown_term_gets_the_live_area),
	/* valgrind itself needs stderr */
	NO_VG(test_closed_or_full_standard_descriptors_change_nothing_else),
	NO_VG(test_one_row_terminal_shows_the_summary_alone),
	/* heavy: a task line of 1 MiB, read and fitted */
	NO_VG(test_a_mebibyte_task_name_is_fitted_and_cut),
	/* signals.c's choice at start; the tasks' mask is posix_spawn's */
	NO_VG(test_ignored_sigint_stays_ignored_for_the_tasks),
	NO_VG(test_blocked_signals_at_start_still_end_every_task),
	/* the terminal hung up: SIGHUP's way, as for ^C; and valgrind
	 * does not stop for a re-raised SIGTSTP */
	NO_VG(test_hangup_stops_every_task_then_dies_by_sighup),
	/* h_idle() looks for a busy loop: valgrind's own pace would hide
	 * it, natively and with the sanitizers it would not */
	NO_VG(test_hangup_under_nohup_tasks_run_on_asleep),
};

int
main(void)
{
	int rc;

	setlocale(LC_CTYPE, "C.UTF-8");
	/* what a task leaves behind, once orphaned, is ours to reap */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (getenv("E2E_ONLY") != NULL)	/* a pattern: run those alone */
		cmocka_set_test_filter(getenv("E2E_ONLY"));
	rc = cmocka_run_group_tests(cases, NULL, NULL);
	remove_scratch();
	return rc;
}
