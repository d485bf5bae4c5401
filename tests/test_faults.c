/*
 * Faults: the calls the spinner makes failing, one at a time, in the
 * real front end (FAULTS_thread: spinner-thread, FAULTS_async:
 * spinner-async), its main renamed spinner_main.  Each call a fault may
 * hit is wrapped (-Wl,--wrap, listed once in the Makefile); a wrapper
 * passes through to the real call unless the case armed it: "fail calls
 * from the Nth on, M of them, with errno E", or for terminal writes
 * "write at most B bytes".
 *
 * Each case runs the front end as a job on a pseudo-terminal (the
 * harness's job shell), arms the fault in that job alone, and checks
 * what a person and a script would see: the status, at most one line
 * saying what failed, the terminal as it was (no frame left, the cursor
 * shown at the start of a line, its modes as before), and nothing the
 * spinner started still running (this process is the subreaper of all
 * that the job leaves).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#ifdef FAULTS_async
#include <uv.h>
#endif

#include "faults.h"
#include "harness.h"
#include "screen.h"
#include "status.h"

#ifdef FAULTS_async
#define NAME "spinner-async"
#else
#define NAME "spinner-thread"
#endif

extern char *program_invocation_short_name;

/* --- the faults ------------------------------------------------------ */

enum call {
	C_NONE,
	C_WRITE,		/* write() to the terminal */
	C_WINSZ,		/* ioctl(TIOCGWINSZ) */
	C_SCTTY,		/* ioctl(TIOCSCTTY) */
	C_FORK,
	C_OPENPT,		/* posix_openpt() */
	C_PIPE2,
	C_SPAWN,		/* posix_spawn(), posix_spawnp() */
	C_THREAD,		/* pthread_create() */
	C_LOOP_INIT,		/* uv_loop_init() ... */
	C_SIGNAL_START,
	C_TIMER_START,
	C_POLL_INIT,
	C_POLL_START,
	C_LOOP_CLOSE
};

struct fault {
	enum call call;
	int from;		/* the first call to fail, from 1 */
	int count;		/* how many fail: 0, all from then on */
	int err;		/* errno (or libuv's error); 0 for C_WINSZ: no
				 * error, 0 columns */
	size_t cut;		/* C_WRITE: write at most this many bytes */
};

static struct fault pending;	/* for the next job: armed in it alone */
static struct fault armed;
static atomic_int calls;
static dev_t tty_dev;		/* the terminal the job runs on */

/* Whether this call of c is to fail (or to be cut short). */
static bool
hit(enum call c)
{
	int n;

	if (armed.call != c)
		return false;
	n = atomic_fetch_add(&calls, 1) + 1;
	return n >= armed.from && (armed.count == 0 ||
	    n < armed.from + armed.count);
}

static bool
is_terminal(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	    st.st_rdev == tty_dev;
}

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t
__wrap_write(int fd, const void *buf, size_t n)
{
	if (armed.call != C_WRITE || !is_terminal(fd) || !hit(C_WRITE))
		return __real_write(fd, buf, n);
	if (armed.cut > 0)
		return __real_write(fd, buf, n < armed.cut ? n : armed.cut);
	errno = armed.err;
	return -1;
}

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);
int
__wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int rc;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == TIOCSCTTY && hit(C_SCTTY)) {
		errno = armed.err;
		return -1;
	}
	if (req != TIOCGWINSZ || !hit(C_WINSZ))
		return __real_ioctl(fd, req, arg);
	if (armed.err != 0) {
		errno = armed.err;
		return -1;
	}
	if ((rc = __real_ioctl(fd, req, arg)) == 0) {
		((struct winsize *)arg)->ws_col = 0;
		((struct winsize *)arg)->ws_row = 0;
	}
	return rc;
}

pid_t __real_fork(void);
pid_t __wrap_fork(void);
pid_t
__wrap_fork(void)
{
	if (!hit(C_FORK))
		return __real_fork();
	errno = armed.err;
	return -1;
}

int __real_posix_openpt(int flags);
int __wrap_posix_openpt(int flags);
int
__wrap_posix_openpt(int flags)
{
	if (!hit(C_OPENPT))
		return __real_posix_openpt(flags);
	errno = armed.err;
	return -1;
}

int __real_pipe2(int fds[2], int flags);
int __wrap_pipe2(int fds[2], int flags);
int
__wrap_pipe2(int fds[2], int flags)
{
	if (!hit(C_PIPE2))
		return __real_pipe2(fds, flags);
	errno = armed.err;
	return -1;
}

int __real_posix_spawn(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[]);
int __wrap_posix_spawn(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[]);
int
__wrap_posix_spawn(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[])
{
	if (hit(C_SPAWN))
		return armed.err;
	return __real_posix_spawn(pid, path, fa, at, argv, envp);
}

int __real_posix_spawnp(pid_t *pid, const char *file,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[]);
int __wrap_posix_spawnp(pid_t *pid, const char *file,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[]);
int
__wrap_posix_spawnp(pid_t *pid, const char *file,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[])
{
	if (hit(C_SPAWN))
		return armed.err;
	return __real_posix_spawnp(pid, file, fa, at, argv, envp);
}

#ifdef FAULTS_async
int __real_uv_loop_init(uv_loop_t *loop);
int __wrap_uv_loop_init(uv_loop_t *loop);
int
__wrap_uv_loop_init(uv_loop_t *loop)
{
	return hit(C_LOOP_INIT) ? armed.err : __real_uv_loop_init(loop);
}

int __real_uv_signal_start(uv_signal_t *h, uv_signal_cb cb, int sig);
int __wrap_uv_signal_start(uv_signal_t *h, uv_signal_cb cb, int sig);
int
__wrap_uv_signal_start(uv_signal_t *h, uv_signal_cb cb, int sig)
{
	return hit(C_SIGNAL_START) ? armed.err :
	    __real_uv_signal_start(h, cb, sig);
}

int __real_uv_timer_start(uv_timer_t *h, uv_timer_cb cb, uint64_t timeout,
    uint64_t repeat);
int __wrap_uv_timer_start(uv_timer_t *h, uv_timer_cb cb, uint64_t timeout,
    uint64_t repeat);
int
__wrap_uv_timer_start(uv_timer_t *h, uv_timer_cb cb, uint64_t timeout,
    uint64_t repeat)
{
	return hit(C_TIMER_START) ? armed.err :
	    __real_uv_timer_start(h, cb, timeout, repeat);
}

int __real_uv_poll_init(uv_loop_t *loop, uv_poll_t *h, int fd);
int __wrap_uv_poll_init(uv_loop_t *loop, uv_poll_t *h, int fd);
int
__wrap_uv_poll_init(uv_loop_t *loop, uv_poll_t *h, int fd)
{
	return hit(C_POLL_INIT) ? armed.err : __real_uv_poll_init(loop, h, fd);
}

int __real_uv_poll_start(uv_poll_t *h, int events, uv_poll_cb cb);
int __wrap_uv_poll_start(uv_poll_t *h, int events, uv_poll_cb cb);
int
__wrap_uv_poll_start(uv_poll_t *h, int events, uv_poll_cb cb)
{
	return hit(C_POLL_START) ? armed.err :
	    __real_uv_poll_start(h, events, cb);
}

/* It closes, and says it did not. */
int __real_uv_loop_close(uv_loop_t *loop);
int __wrap_uv_loop_close(uv_loop_t *loop);
int
__wrap_uv_loop_close(uv_loop_t *loop)
{
	int rc = __real_uv_loop_close(loop);

	return hit(C_LOOP_CLOSE) ? armed.err : rc;
}
#else
int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg);
int
__wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	return hit(C_THREAD) ? armed.err : __real_pthread_create(t, attr, fn,
	    arg);
}
#endif

/* --- running the front end ------------------------------------------ */

/* The signals cmocka catches in a test, as they were before it did. */
static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS,
	SIGABRT };
static struct sigaction crash_dfl[sizeof(crash_sigs) / sizeof(crash_sigs[0])];

/* The job: the front end, its name its own, the fault armed. */
static int
job(int argc, char **argv)
{
	struct stat st;

	for (size_t i = 0; i < sizeof(crash_sigs) / sizeof(crash_sigs[0]); i++)
		sigaction(crash_sigs[i], &crash_dfl[i], NULL);
	program_invocation_short_name = (char *)NAME;
	if (fstat(STDERR_FILENO, &st) == 0)
		tty_dev = st.st_rdev;
	atomic_store(&calls, 0);
	armed = pending;
	return spinner_main(argc, argv);
}

/* A child left running: kill it, and what comes to us as it dies. */
static void
kill_children(void)
{
	char path[64];
	FILE *f;
	int pid, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children",
	    (int)getpid());
	do {
		n = 0;
		if ((f = fopen(path, "r")) == NULL)
			return;
		while (fscanf(f, "%d", &pid) == 1) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			n++;
		}
		fclose(f);
	} while (n > 0);
}

/*
 * Nothing the job started is still running: what it left came to us, the
 * subreaper, and is reaped here.  One sent SIGKILL may take a moment to
 * be gone: its end is waited for (SIGCHLD), up to the guard.
 */
static void
assert_nothing_left(void)
{
	struct timespec guard = { h_guard(), 0 };
	sigset_t chld, old;
	siginfo_t si;
	bool alive = false;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) != 0)
			break;		/* no child at all */
		if (si.si_pid != 0)
			continue;	/* one reaped: look again */
		if (sigtimedwait(&chld, NULL, &guard) < 0 && errno != EINTR) {
			alive = true;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (alive) {
		kill_children();
		fail_msg("a process the spinner started is running");
	}
}

#define COLS 132

/*
 * The state main() gives the cases valgrind skips (tests/run.sh sets
 * SPINNER_VALGRIND): those that take no way through the code that the
 * others do not, but for where the process exits (errx) or arithmetic
 * on a buffer.  The sanitizers' run checks them for memory errors.
 */
static int no_valgrind;

/* Each case begins here. */
static void
begin(void **state)
{
	if (*state == &no_valgrind && getenv("SPINNER_VALGRIND") != NULL)
		skip();
}

/* Run argv as the job on a pty with fault f armed, to its end. */
static int
run(struct h_proc *p, const struct h_opts *o, struct fault f,
    const char *const argv[])
{
	struct h_opts opts = { 0 };
	int st;

	if (o != NULL)
		opts = *o;
	opts.main = job;
	if (opts.cols == 0)
		opts.cols = COLS;	/* our longest line fits */
	pending = f;
	h_start(p, &opts, argv);
	st = h_finish(p);
	assert_nothing_left();
	return st;
}

static struct screen scr;
static char text[SCREEN_ROWS * SCREEN_COLS * 4];

/*
 * The terminal ends showing want and nothing else, the cursor shown at
 * the start of a line, its modes as they were: what the shell's prompt
 * needs.  want holds at most one line of ours.
 */
static void
assert_terminal_shows(const struct h_proc *p, const char *want)
{
	screen_init(&scr, 24, COLS);
	if (p->tty != NULL)
		screen_feed(&scr, p->tty, p->tty_len);
	assert_string_equal(screen_text(&scr, text, sizeof(text)), want);
	assert_true(scr.cursor_visible);
	assert_int_equal(scr.col, 0);
	assert_int_equal(scr.wraps, 0);
	assert_true(h_same_modes(&p->modes_before, &p->modes_after));
	assert_true(h_count(p->tty, p->tty_len, NAME ": ") <= 1);
}

/*
 * The spinner fails: argv run with fault f armed exits 125, the terminal
 * showing line, its one line, and nothing else.
 */
static void
expect_125(const struct h_opts *o, struct fault f, const char *const argv[],
    const char *line)
{
	struct h_proc p;

	assert_exited(run(&p, o, f, argv), 125);
	assert_terminal_shows(&p, line);
	h_free(&p);
}

/* What the terminal ends showing, the times in it masked ("T"). */
static const char *
final_screen(const struct h_proc *p)
{
	screen_init(&scr, 24, COLS);
	if (p->tty != NULL)
		screen_feed(&scr, p->tty, p->tty_len);
	return h_mask_times((char *)screen_text(&scr, text, sizeof(text)));
}

/* The widest frame drawn: the columns each steps back over (ESC [ n D). */
static size_t
widest_frame(const struct h_proc *p)
{
	size_t widest = 0;

	for (const char *s = p->tty; s != NULL && (s = strstr(s, "\033[")) !=
	    NULL; s += 2) {
		char *end;
		unsigned long n = strtoul(s + 2, &end, 10);

		if (end > s + 2 && *end == 'D' && n > widest)
			widest = n;
	}
	return widest;
}

/* COMMAND: it lives on unless killed (a hang-up included), and waits. */
#define LINGERING "sh", "-c", "trap '' HUP; sleep 300"

static const struct h_opts stdout_piped = { .out = H_STDOUT_PIPE };

#define FAULT(call, from, count, err) \
	((struct fault){ call, from, count, err, 0 })

/* --- terminal writes -------------------------------------------------- */

static void
test_short_terminal_writes_are_completed_and_not_reported(void **state)
{
	const char *const demo[] = { NAME, "-d", "50ms", "-i", "10ms", NULL };
	const char *const cmd[] = { NAME, "--", "sh", "-c",
		"echo one; echo two", NULL };
	const char *const tasks[] = { NAME, "-c", "echo one", NULL };
	struct h_proc p;

	begin(state);
	assert_exited(run(&p, &stdout_piped, (struct fault){ C_WRITE, 1, 0, 0,
	    2 }, demo), 0);
	assert_terminal_shows(&p, "");
	assert_int_equal(strncmp(p.stdout_data, "spinner object: <", 17), 0);
	assert_non_null(strstr(p.stdout_data, ">\nAnswer: 42\n"));
	h_free(&p);

	assert_exited(run(&p, NULL, (struct fault){ C_WRITE, 1, 0, 0, 3 },
	    cmd), 0);
	assert_terminal_shows(&p, "one\ntwo");
	h_free(&p);

	assert_exited(run(&p, NULL, (struct fault){ C_WRITE, 1, 0, 0, 3 },
	    tasks), 0);
	assert_string_equal(final_screen(&p),
	    "\u2714 echo one (T)\n\u2714 1 ok \u00b7 0 failed \u00b7 T");
	assert_terminal_shows(&p, text);
	h_free(&p);
}

/*
 * A write the terminal refuses is dropped and the run goes on (COMMAND
 * is never cut short for a picture); at the end one line says so and
 * the status is 125, as tee(1) fails when an output did.
 */
static void
test_terminal_refusing_a_write_is_one_line_and_125(void **state)
{
	const char *const demo[] = { NAME, "-d", "1ms", NULL };
	const char *const cmd[] = { NAME, "--", "sh", "-c",
		"echo lost >&2; echo ran", NULL };
	const char *const tasks[] = { NAME, "-c", "true", NULL };
	struct h_proc p;

	begin(state);
	/* the first frame, once: the rest is drawn and wiped */
	assert_exited(run(&p, &stdout_piped, FAULT(C_WRITE, 1, 1, ENOSPC),
	    demo), 125);
	assert_terminal_shows(&p, NAME ": cannot write to standard error: "
	    "No space left on device");
	assert_non_null(strstr(p.stdout_data, "Answer: 42\n"));
	h_free(&p);

	/* every write: COMMAND's output on the terminal is lost, not the
	 * rest of its run */
	assert_exited(run(&p, &stdout_piped, FAULT(C_WRITE, 1, 0, EPIPE), cmd),
	    125);
	assert_terminal_shows(&p, NAME ": cannot write to standard error: "
	    "Broken pipe");
	assert_string_equal(p.stdout_data, "ran\n");
	h_free(&p);

	/* every write: the tasks' screen is lost, not the tasks */
	expect_125(NULL, FAULT(C_WRITE, 1, 0, EPIPE), tasks,
	    NAME ": cannot write to standard error: "
	    "Broken pipe");
}

/*
 * EIO is a terminal that hung up: no one is left to show the work to,
 * which is no failure of the work's.  The run goes on to its end, says
 * so where it may still be read, and the status is the work's.
 */
static void
test_terminal_hung_up_is_one_line_and_the_works_status(void **state)
{
	const char *const demo[] = { NAME, "-d", "1ms", NULL };
	/* its lines on the terminal are the writes that fail; it writes
	 * until the hang-up of its own terminal, which it survives */
	const char *const cmd[] = { NAME, "--", "sh", "-c", "trap '' HUP; "
		"while echo lost >&2; do :; done; echo ran; exit 3", NULL };
	const char *const tasks[] = { NAME, "-c", "true", "-c", "false",
		NULL };
	const char *const line = NAME ": the terminal hung up; the run went on "
	    "without it";
	struct h_proc p;

	begin(state);
	assert_exited(run(&p, &stdout_piped, FAULT(C_WRITE, 1, 1, EIO), demo),
	    0);
	assert_terminal_shows(&p, line);
	assert_non_null(strstr(p.stdout_data, "Answer: 42\n"));
	h_free(&p);

	assert_exited(run(&p, &stdout_piped, FAULT(C_WRITE, 1, 0, EIO), cmd),
	    3);
	assert_terminal_shows(&p, line);
	assert_string_equal(p.stdout_data, "ran\n");
	h_free(&p);

	assert_exited(run(&p, NULL, FAULT(C_WRITE, 1, 0, EIO), tasks), 123);
	assert_terminal_shows(&p, line);
	h_free(&p);
}

/* --- the window's size ------------------------------------------------ */

/* No size from the terminal is no failure: $COLUMNS, else 80, as pv. */
static void
test_no_window_size_fits_the_line_to_columns(void **state)
{
	static const char *const cols[] = { "COLUMNS=30", NULL };
	const struct h_opts o = { .out = H_STDOUT_PIPE, .env = cols };
	const char *const demo[] = { NAME, "-d", "1ms", "-m",
		"a message far longer than thirty columns, to be cut", NULL };
	struct h_proc p;

	begin(state);
	assert_exited(run(&p, &o, FAULT(C_WINSZ, 1, 0, ENOTTY), demo), 0);
	assert_terminal_shows(&p, "");
	assert_true(widest_frame(&p) > 0 && widest_frame(&p) <= 29);
	h_free(&p);

	/* a size of 0 columns */
	assert_exited(run(&p, &o, FAULT(C_WINSZ, 1, 0, 0), demo), 0);
	assert_terminal_shows(&p, "");
	assert_true(widest_frame(&p) > 0 && widest_frame(&p) <= 29);
	h_free(&p);
}

/* --- starting COMMAND ------------------------------------------------- */

static void
test_fork_failing_is_one_line_and_125(void **state)
{
	const char *const cmd[] = { NAME, "--", "true", NULL };
	struct h_proc p;

	begin(state);
	/* the spinner's fork, then the one that starts COMMAND in its
	 * session on the pty */
	for (int from = 1; from <= 2; from++) {
		assert_exited(run(&p, NULL, FAULT(C_FORK, from, 1, EAGAIN),
		    cmd), 125);
		assert_terminal_shows(&p, NAME ": cannot run 'true': Resource "
		    "temporarily unavailable");
		h_free(&p);
	}
}

/* Not COMMAND's failure, whatever the error says: not 126 nor 127. */
static void
test_no_pseudo_terminal_is_one_line_and_125(void **state)
{
	const char *const cmd[] = { NAME, "--", "true", NULL };

	begin(state);
	expect_125(NULL, FAULT(C_OPENPT, 1, 0, ENOENT), cmd,
	    NAME ": cannot open a pseudo-terminal: No "
	    "such file or directory");

	/* nor a session on it */
	expect_125(NULL, FAULT(C_SCTTY, 1, 0, EPERM), cmd,
	    NAME ": cannot run 'true': Operation not "
	    "permitted");
}

/* --- many tasks ------------------------------------------------------- */

#ifdef FAULTS_async
#define TASK_PIPE 1	/* the first pipe2() is the first task's */
#else
#define TASK_PIPE 2	/* after the task threads' wake-up pipe */
#endif

/*
 * Out of descriptors while one runs, a task waits its turn (said once);
 * with none running, it cannot start: it fails, the others go on (123,
 * as xargs(1)).
 */
static void
test_emfile_starting_a_task_waits_then_fails_it_alone(void **state)
{
	const char *const tasks[] = { NAME, "-j", "2", "-c", "echo a", "-c",
		"echo b", NULL };
	struct h_proc p;

	begin(state);
	assert_exited(run(&p, NULL, FAULT(C_PIPE2, TASK_PIPE + 1, 0, EMFILE),
	    tasks), 123);
	assert_string_equal(final_screen(&p), NAME ": cannot run more than 1 "
	    "task at once here (Too many open files): the others wait their "
	    "turn\n"
	    "\u2714 echo a (T)\n"
	    "\u2716 echo b (cannot start, T)\n"
	    "--- output of echo b ---\n"
	    "cannot start: Too many open files\n"
	    "--- end of echo b ---\n"
	    "\u2716 1 ok \u00b7 1 failed \u00b7 T");
	assert_terminal_shows(&p, text);
	h_free(&p);
}

/*
 * Of two tasks one at a time, the first cannot start (the fault, which
 * says why): it fails alone, the second runs, 123.
 */
static void
expect_first_task_fails_alone(struct fault f, const char *why)
{
	const char *const tasks[] = { NAME, "-j", "1", "-c", "echo a", "-c",
		"echo b", NULL };
	struct h_proc p;
	char want[512];

	snprintf(want, sizeof(want), "\u2716 echo a (cannot start, T)\n"
	    "--- output of echo a ---\n"
	    "cannot start: %s\n"
	    "--- end of echo a ---\n"
	    "\u2714 echo b (T)\n"
	    "\u2716 1 ok \u00b7 1 failed \u00b7 T", why);
	assert_exited(run(&p, NULL, f, tasks), 123);
	assert_string_equal(final_screen(&p), want);
	assert_terminal_shows(&p, text);
	h_free(&p);
}

static void
test_task_that_cannot_be_spawned_fails_alone(void **state)
{
	begin(state);
	expect_first_task_fails_alone(FAULT(C_SPAWN, 1, 1, EAGAIN),
	    "Resource temporarily unavailable");
}

/* The tasks killed when the spinner fails, then its one line. */
#define KILLED_TASK "\u2716 sleep 300 (stopped, T)\n" \
	"\u2716 0 ok \u00b7 1 failed \u00b7 T\n"

#ifndef FAULTS_async
/* --- spinner-thread's threads ----------------------------------------- */

/* As a fork that fails: what started is killed, nothing is left. */
static void
test_no_spinner_thread_is_one_line_and_125(void **state)
{
	const char *const demo[] = { NAME, "-d", "1ms", NULL };
	const char *const cmd[] = { NAME, "--", LINGERING, NULL };
	const char *const tasks[] = { NAME, "-c", "sleep 300", NULL };
	struct h_proc p;

	begin(state);
	assert_exited(run(&p, &stdout_piped, FAULT(C_THREAD, 1, 0, EAGAIN),
	    demo), 125);
	assert_terminal_shows(&p, NAME ": cannot start the spinner thread: "
	    "Resource temporarily unavailable");
	assert_null(strstr(p.stdout_data, "Answer"));
	h_free(&p);

	/* COMMAND on a pty of its own, the terminal raw meanwhile */
	expect_125(NULL, FAULT(C_THREAD, 1, 0, EAGAIN), cmd,
	    NAME ": cannot start the spinner thread: "
	    "Resource temporarily unavailable");

	/* the task's own thread first, then the spinner's */
	assert_exited(run(&p, NULL, FAULT(C_THREAD, 2, 0, EAGAIN), tasks),
	    125);
	assert_string_equal(final_screen(&p), KILLED_TASK NAME ": cannot "
	    "start the spinner thread: Resource temporarily unavailable");
	assert_terminal_shows(&p, text);
	h_free(&p);
}

/* A task's thread is the task's: it cannot start, the others go on. */
static void
test_no_task_thread_fails_the_task_alone(void **state)
{
	begin(state);
	expect_first_task_fails_alone(FAULT(C_THREAD, 1, 1, EAGAIN),
	    "Resource temporarily unavailable");
}

static void
test_no_wake_up_pipe_is_one_line_and_125(void **state)
{
	const char *const tasks[] = { NAME, "-c", "sleep 300", NULL };

	begin(state);
	expect_125(NULL, FAULT(C_PIPE2, 1, 0, EMFILE), tasks,
	    NAME ": cannot make a pipe: Too many open "
	    "files");
}
#else
/* --- spinner-async's loop --------------------------------------------- */

static void
test_no_event_loop_is_one_line_and_125(void **state)
{
	const char *const cmd[] = { NAME, "--", LINGERING, NULL };
	const char *const tasks[] = { NAME, "-c", "sleep 300", NULL };

	begin(state);
	expect_125(NULL, FAULT(C_LOOP_INIT, 1, 0, UV_ENOMEM), cmd,
	    NAME ": cannot start the event loop: not "
	    "enough memory");

	expect_125(NULL, FAULT(C_LOOP_INIT, 1, 0, UV_ENOMEM), tasks,
	    NAME ": cannot start the event loop: not "
	    "enough memory");
}

static void
test_no_signal_handles_is_one_line_and_125(void **state)
{
	const char *const cmd[] = { NAME, "--", LINGERING, NULL };

	begin(state);
	expect_125(NULL, FAULT(C_SIGNAL_START, 3, 0, UV_EINVAL), cmd,
	    NAME ": cannot take signals: invalid "
	    "argument");
}

/* As a thread that cannot start: what started is killed. */
static void
test_no_spinner_task_is_one_line_and_125(void **state)
{
	const char *const cmd[] = { NAME, "--", LINGERING, NULL };
	const char *const tasks[] = { NAME, "-c", "sleep 300", NULL };
	struct h_proc p;

	begin(state);
	expect_125(NULL, FAULT(C_TIMER_START, 1, 0, UV_ENOMEM), cmd,
	    NAME ": cannot start the spinner task: not "
	    "enough memory");

	assert_exited(run(&p, NULL, FAULT(C_TIMER_START, 1, 0, UV_ENOMEM),
	    tasks), 125);
	assert_string_equal(final_screen(&p), KILLED_TASK NAME ": cannot "
	    "start the spinner task: not enough memory");
	assert_terminal_shows(&p, text);
	h_free(&p);
}

/*
 * A timer that cannot be set would leave the run waiting for ever (the
 * demo's end, a timeout): the spinner fails, what runs is killed.
 */
static void
test_no_timer_is_one_line_and_125(void **state)
{
	const char *const demo[] = { NAME, "-d", "50ms", "-i", "10ms", NULL };
	const char *const cmd[] = { NAME, "-t", "300", "--", LINGERING, NULL };
	const char *const tasks[] = { NAME, "-c", "sleep 300", NULL };
	struct h_proc p;

	begin(state);
	/* the clock for the demo's end, then the second frame's */
	for (int from = 2; from <= 3; from++) {
		assert_exited(run(&p, &stdout_piped, FAULT(C_TIMER_START, from,
		    0, UV_ENOMEM), demo), 125);
		assert_terminal_shows(&p, NAME ": cannot set a timer: not "
		    "enough memory");
		assert_null(strstr(p.stdout_data, "Answer"));
		h_free(&p);
	}

	/* the clock for the timeout */
	expect_125(NULL, FAULT(C_TIMER_START, 2, 0, UV_ENOMEM), cmd,
	    NAME ": cannot set a timer: not enough "
	    "memory");

	/* the second frame of the tasks' area */
	assert_exited(run(&p, NULL, FAULT(C_TIMER_START, 2, 0, UV_ENOMEM),
	    tasks), 125);
	assert_string_equal(final_screen(&p), KILLED_TASK NAME ": cannot set "
	    "a timer: not enough memory");
	assert_terminal_shows(&p, text);
	h_free(&p);
}

/* Unwatched, COMMAND's output and the keys would wait for ever. */
static void
test_no_poll_is_one_line_and_125(void **state)
{
	const char *const cmd[] = { NAME, "--", LINGERING, NULL };

	begin(state);
	expect_125(NULL, FAULT(C_POLL_INIT, 1, 0, UV_ENOMEM), cmd,
	    NAME ": cannot watch a descriptor: not "
	    "enough memory");

	/* the keys' poll, after COMMAND's pty's */
	expect_125(NULL, FAULT(C_POLL_START, 2, 0, UV_ENOMEM), cmd,
	    NAME ": cannot watch a descriptor: not "
	    "enough memory");
}

/* A task's poll is the task's: it cannot start, the others go on. */
static void
test_task_that_cannot_be_watched_fails_alone(void **state)
{
	begin(state);
	expect_first_task_fails_alone(FAULT(C_POLL_START, 1, 1, UV_ENOMEM),
	    "Cannot allocate memory");
}

/* Said once the terminal is no longer raw. */
static void
test_loop_that_does_not_close_is_one_line_and_125(void **state)
{
	const char *const cmd[] = { NAME, "--", "true", NULL };

	begin(state);
	expect_125(NULL, FAULT(C_LOOP_CLOSE, 1, 0, UV_EBUSY), cmd,
	    NAME ": cannot close the event loop: "
	    "resource busy or locked");
}
#endif

#define VG(f) cmocka_unit_test(f)
#define NO_VG(f) cmocka_unit_test_prestate(f, &no_valgrind)

int
main(void)
{
	const struct CMUnitTest cases[] = {
		/* term.c's write loop */
		NO_VG(
		    test_short_terminal_writes_are_completed_and_not_reported),
		VG(test_terminal_refusing_a_write_is_one_line_and_125),
		/* the end's other line, otherwise the same ways */
		NO_VG(test_terminal_hung_up_is_one_line_and_the_works_status),
		/* term.c's fallback */
		NO_VG(test_no_window_size_fits_the_line_to_columns),
		/* command.c's way out, as for a COMMAND not found */
		NO_VG(test_fork_failing_is_one_line_and_125),
		NO_VG(test_no_pseudo_terminal_is_one_line_and_125),
		VG(test_emfile_starting_a_task_waits_then_fails_it_alone),
		/* the way of a task that cannot start, as for EMFILE */
		NO_VG(test_task_that_cannot_be_spawned_fails_alone),
#ifndef FAULTS_async
		VG(test_no_spinner_thread_is_one_line_and_125),
		/* the way of a task that cannot start, as for EMFILE */
		NO_VG(test_no_task_thread_fails_the_task_alone),
		/* errx */
		NO_VG(test_no_wake_up_pipe_is_one_line_and_125),
#else
		/* errx */
		NO_VG(test_no_event_loop_is_one_line_and_125),
		NO_VG(test_no_signal_handles_is_one_line_and_125),
		VG(test_no_spinner_task_is_one_line_and_125),
		VG(test_no_timer_is_one_line_and_125),
		VG(test_no_poll_is_one_line_and_125),
		VG(test_task_that_cannot_be_watched_fails_alone),
		VG(test_loop_that_does_not_close_is_one_line_and_125),
#endif
	};

	for (size_t i = 0; i < sizeof(crash_sigs) / sizeof(crash_sigs[0]); i++)
		sigaction(crash_sigs[i], NULL, &crash_dfl[i]);
	setlocale(LC_CTYPE, "C.UTF-8");
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	return cmocka_run_group_tests(cases, NULL, NULL);
}
