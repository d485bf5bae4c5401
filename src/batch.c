#define _GNU_SOURCE	/* pipe2(), program_invocation_short_name */
#include "batch.h"

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "color.h"
#include "engine.h"
#include "kept.h"
#include "exitcodes.h"
#include "outcome.h"
#include "render.h"
#include "signals.h"
#include "styles.h"
#include "term.h"
#include "words.h"

#define EXIT_TASKS_FAILED 123	/* as xargs(1) */
#define FD_SPARE 32		/* descriptors kept for everything else */
#define NAME_COLS 200		/* a name in the log is cut here */

/* POSIX.1-2008: the program declares it; glibc does, for _GNU_SOURCE. */
extern char **environ;	/* NOLINT(readability-redundant-declaration) */

static void
take(struct batch *b)
{
	if (b->hooks.take != NULL)
		b->hooks.take(b->hooks.arg);
}

static void
give(struct batch *b)
{
	if (b->hooks.give != NULL)
		b->hooks.give(b->hooks.arg);
}

/*
 * The log, off a terminal.  Refused, the tasks go on regardless, and the
 * end says so as on a terminal: EIO is one that hung up, any other error
 * a failure (125).
 */
static void
write_all(struct batch *b, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(b->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EIO) {
			b->tty.gone = true;
			return;
		}
		if (w <= 0) {
			if (b->tty.error == 0)
				b->tty.error = w < 0 ? errno : EIO;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Lines that stay: queued for the next frame, or logged now. */
static void
emit(struct batch *b, const char *s, size_t n)
{
	if (b->animate)
		buf_put(&b->pending, s, n);
	else
		write_all(b, s, n);
}

static void
emits(struct batch *b, const char *s)
{
	emit(b, s, strlen(s));
}

/*
 * A line that stays, cut to cols unless cols is 0, then its newline;
 * dim, with colour, when it is one of ours among a task's output.
 */
static void
emit_line(struct batch *b, const char *s, size_t cols, bool dim)
{
	static char fit[RENDER_BUF];	/* the line is held: one at a time */

	if (cols > 0) {
		render_fit(fit, sizeof(fit), s, cols, render_ellipsis(b->utf8));
		s = fit;
	}
	dim = dim && b->color && s[0] != '\0';
	if (dim)
		emits(b, COLOR_DIM);
	emits(b, s);
	if (dim)
		emits(b, COLOR_DIM_END);
	emits(b, "\n");
}

/* --- the tasks ----------------------------------------------------- */

static int
add_task(struct batch *b, size_t *cap, const char *name, size_t nlen,
    const char *cmd)
{
	struct batch_task *t;

	if (b->n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct batch_task *more = realloc(b->t, c * sizeof(*more));

		if (more == NULL)
			return -1;
		b->t = more;
		*cap = c;
	}
	t = &b->t[b->n];
	memset(t, 0, sizeof(*t));
	t->cmd = strdup(cmd);
	t->name = nlen > 0 ? strndup(name, nlen) : strdup(cmd);
	t->fd = -1;
	t->kill_at = BATCH_NEVER;
	if (t->cmd == NULL || t->name == NULL)
		return -1;
	b->n++;
	return 0;
}

static int
bad_file(const char *path, const char *fmt, size_t line, const char *why)
{
	char q[256], msg[512];

	snprintf(msg, sizeof(msg), fmt, line, why);
	fprintf(stderr, "%s: --tasks: %s: %s\n", program_invocation_short_name,
	    options_quote(q, sizeof(q), path), msg);
	return EXIT_CANCELED;
}

/* One task a line: COMMAND, or NAME<TAB>COMMAND; blank and # lines not. */
static int
load_file(struct batch *b, size_t *cap, const char *path)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t size = 0, no = 0;
	ssize_t len;
	int rc = 0;

	if (fp == NULL)
		return bad_file(path, "%.0zucannot open it: %s", 0,
		    strerror(errno));
	while (rc == 0 && (len = getline(&line, &size, fp)) >= 0) {
		size_t n = (size_t)len, lead = 0;
		const char *tab;

		no++;
		if (memchr(line, '\0', n) != NULL) {
			rc = bad_file(path, "line %zu: %s", no,
			    "holds a NUL byte");
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (line[lead] == ' ' || line[lead] == '\t')
			lead++;
		if (line[lead] == '\0' || line[lead] == '#')
			continue;
		tab = strchr(line, '\t');
		if (tab != NULL && tab[1 + strspn(tab + 1, " \t")] == '\0') {
			rc = bad_file(path, "line %zu: %s", no,
			    "a name and no command after its tab");
			break;
		}
		if (add_task(b, cap, line, tab != NULL ? (size_t)(tab - line) :
		    0, tab != NULL ? tab + 1 : line) != 0)
			rc = bad_file(path, "line %zu: %s", no,
			    "out of memory");
	}
	if (rc == 0 && ferror(fp))
		rc = bad_file(path, "%.0zucannot read it: %s", 0,
		    strerror(errno));
	free(line);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

/*
 * How many may run at once: -j, else the CPUs; no more than there are
 * tasks, nor than descriptors allow (one each), raised to the hard
 * limit when that is what it takes.
 */
static void
set_limit(struct batch *b)
{
	long jobs = b->opts->jobs;
	struct rlimit rl;
	size_t want, room;

	if (jobs < 0)
		jobs = sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1 && b->opts->jobs != 0)
		jobs = 1;
	want = jobs == 0 || (size_t)jobs > b->n ? b->n : (size_t)jobs;
	b->limit = want > 0 ? want : 1;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return;
	if (rl.rlim_cur < want + FD_SPARE && rl.rlim_max > rl.rlim_cur) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > want + FD_SPARE ? want + FD_SPARE :
		    rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	room = rl.rlim_cur > 2 * FD_SPARE ? (size_t)rl.rlim_cur - FD_SPARE :
	    FD_SPARE;
	if (want > room) {
		fprintf(stderr, "%s: running at most %zu tasks at once, not "
		    "%zu: the open-file limit is %llu\n",
		    program_invocation_short_name, room, want,
		    (unsigned long long)rl.rlim_cur);
		b->limit = room;
	}
}

/* The terminal's size, for the frames to come. */
static void
measure(struct batch *b)
{
	if (!b->animate)
		return;
	b->cols = term_columns(b->fd);
	b->rows = term_rows(b->fd, false);
}

/*
 * Whether $PWD names the folder we are in.  The shell sets it (and
 * exports it) when it does not: a task run without the shell would see
 * a $PWD the shell would have put right, so then none runs without it.
 */
static bool
pwd_true(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;

	return pwd != NULL && pwd[0] == '/' && stat(pwd, &a) == 0 &&
	    stat(".", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int
batch_init(struct batch *b, const struct spin_opts *opts,
    const struct batch_hooks *hooks)
{
	size_t cap = 0;
	int rc = 0;

	memset(b, 0, sizeof(*b));
	b->opts = opts;
	b->hooks = *hooks;
	b->fd = STDERR_FILENO;
	b->due = BATCH_NEVER;
	b->stop_kill_at = b->give_up_at = BATCH_NEVER;
	b->utf8 = render_locale_utf8();
	b->animate = term_animates(b->fd, opts->animate);
	b->color = term_colors(b->fd, opts->color);
	b->direct = pwd_true();
	if (b->animate)
		term_out_open(&b->tty, b->fd);
	measure(b);
	b->full = true;
	b->stats.start = engine_now();
	b->stats.tasks = true;
	for (size_t i = 0; i < opts->ntask_cmds && rc == 0; i++)
		if (add_task(b, &cap, NULL, 0, opts->task_cmds[i]) != 0) {
			fprintf(stderr, "%s: out of memory\n",
			    program_invocation_short_name);
			rc = EXIT_CANCELED;
		}
	if (rc == 0 && opts->task_file != NULL)
		rc = load_file(b, &cap, opts->task_file);
	if (rc != 0)
		return rc;
	set_limit(b);
#ifdef PR_SET_CHILD_SUBREAPER
	prctl(PR_SET_CHILD_SUBREAPER, 1);	/* see lives_on() */
#endif
	return 0;
}

/* Signal what task t started: its group, continued if stopped. */
static void
hit(struct batch_task *t, int sig)
{
	if (t->pid <= 0)
		return;
	kill(-t->pid, sig);
	if (sig != SIGKILL && sig != SIGCONT)
		kill(-t->pid, SIGCONT);
}

static void
name_of(char *out, size_t size, const struct batch_task *t, size_t cols,
    bool utf8)
{
	render_fit(out, size, t->name, cols, render_ellipsis(utf8));
}

/*
 * Whether anything of t's group is still running, now that its process
 * is reaped.  Orphans come to us (we are their subreaper), so what is
 * left of the group is our children, reaped here once dead: while one
 * is not, alive or a zombie, the group's number stays taken.
 */
static bool
lives_on(struct batch_task *t)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-t->pid, &st, WNOHANG)) > 0 ||
	    (pid < 0 && errno == EINTR))
		;
	return pid == 0;
}

/* What is left of t's group: SIGKILL after -k. */
static void
linger(struct batch *b, struct batch_task *t)
{
	size_t *more = realloc(b->linger, (b->nlinger + 1) * sizeof(*more));

	if (more == NULL) {
		hit(t, SIGKILL);
		return;
	}
	b->linger = more;
	b->linger[b->nlinger++] = (size_t)(t - b->t);
	t->kill_at = engine_now() + b->opts->kill_after_ns;
	if (t->kill_at < b->due && b->hooks.wake != NULL)
		b->hooks.wake(b->hooks.arg);
}

/*
 * SIGKILL what is left of t's group, if anything, and reap what died.
 * Whether something is left still (SIGKILL not felt yet, or refused).
 */
static bool
kill_leftovers(struct batch_task *t)
{
	if (!lives_on(t))
		return false;	/* gone: its number may be another's */
	hit(t, SIGKILL);
	return lives_on(t);
}

/*
 * The columns a permanent line may take on the terminal: all but the
 * last, as for the live area, and at least one (0 would mean no limit).
 * 0 in a log.
 */
/*
 * The width for a line that stays (a verdict, an output block): asked of
 * the terminal now, as a resize may not have been taken yet; the frames
 * use what was measured last.
 */
static size_t
line_cols(struct batch *b)
{
	if (!b->animate)
		return 0;
	measure(b);
	return b->cols > 1 ? b->cols - 1 : 1;
}


/* The verdict of task t, its output as --output says, and the counts. */
static void
finish(struct batch *b, struct batch_task *t)
{
	struct outcome o;
	/* the line is held: one at a time, and off the small stacks of the
	 * task threads, which would keep the pages touched */
	static char line[RENDER_BUF], name[NAME_COLS * 8 + 1];
	const char *text;
	uint64_t dropped;
	size_t len;
	bool ok;
	enum output out = b->opts->output;

	t->state = TASK_DONE;
	b->running--;
	b->last_end = engine_now();
	if (t->exited) {
		/*
		 * What it left in its group goes too.  Its process, a zombie
		 * until now, kept the group's number from being given to
		 * another: only now may it be reaped.
		 */
		hit(t, SIGTERM);
		while (waitpid(t->pid, &t->wstatus, 0) < 0 && errno == EINTR)
			;
		if (lives_on(t))
			linger(b, t);
	}
	if (!t->exited) {
		o = (struct outcome){ OUTCOME_NOSTART, EXIT_CANCELED, 0 };
	} else if (t->timed_out) {
		o = (struct outcome){ OUTCOME_TIMEDOUT, 0, 0 };
	} else {
		o = outcome_from_wait(t->wstatus);
		if (t->stopped && !(o.kind == OUTCOME_EXITED && o.code == 0))
			o = (struct outcome){ OUTCOME_STOPPED, 0,
			    o.kind == OUTCOME_SIGNALED ? o.sig : SIGTERM };
	}
	ok = o.kind == OUTCOME_EXITED && o.code == 0;
	if (ok)
		b->ok++;
	else
		b->failed++;

	outcome_line(line, sizeof(line), &o, t->name, engine_now() - t->start,
	    b->utf8, line_cols(b), b->color);
	emits(b, line);
	emits(b, "\n");
	text = kept_text(&t->out, &len, &dropped);
	if ((len > 0 || dropped > 0) && (out == OUTPUT_ALL ||
	    (out == OUTPUT_FAILED && !ok))) {
		name_of(name, sizeof(name), t, NAME_COLS, b->utf8);
		snprintf(line, sizeof(line), "--- output of %s ---", name);
		emit_line(b, line, line_cols(b), true);
		if (dropped > 0) {
			snprintf(line, sizeof(line), "(the first %ju bytes are "
			    "left out: only the last %u MiB are kept)",
			    (uintmax_t)dropped, KEPT_MAX >> 20);
			emit_line(b, line, line_cols(b), true);
		}
		emit(b, text, len);
		if (len > 0 && text[len - 1] != '\n')
			emits(b, "\n");
		/* on the terminal, end whatever sequence or colour it left
		 * open (CAN cancels a sequence) before our lines go on */
		if (b->animate)
			emits(b, "\030\033[0m");
		snprintf(line, sizeof(line), "--- end of %s ---", name);
		emit_line(b, line, line_cols(b), true);
	}
	kept_free(&t->out);
	free(t->last);
	t->last = NULL;

	while (b->low < b->next && b->t[b->low].state == TASK_DONE)
		b->low++;
}

static void stop_all(struct batch *b, int sig);
static void start_more(struct batch *b);
static bool ended(const struct batch_task *t);
static void give_up(struct batch *b, struct batch_task *t);
static bool done(const struct batch *b);

/* A task is over: its verdict; --fail-fast; the next ones. */
static void
over(struct batch *b, struct batch_task *t)
{
	size_t failed = b->failed;

	finish(b, t);
	if (b->failed > failed && b->opts->fail_fast && !b->stopping)
		stop_all(b, SIGTERM);
	start_more(b);
	if (b->hooks.wake != NULL && done(b))
		b->hooks.wake(b->hooks.arg);
}

#define WORDS_MAX 64	/* more, and the shell splits them */

static int
spawn(struct batch *b, struct batch_task *t)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char *argv[] = { "sh", "-c", t->cmd, NULL };
	char *words[WORDS_MAX], **direct, *copy;
	int p[2], rc = 0;

	if (pipe2(p, O_CLOEXEC) != 0)
		return errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
	/* a session of its own: no terminal to stop on or to read keys from */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (b->mask != NULL)
		posix_spawnattr_setsigmask(&at, b->mask);
	if (b->dfl != NULL)
		posix_spawnattr_setsigdefault(&at, b->dfl);
	/* plain words run without the shell; what cannot be run so (not
	 * found, not allowed, a script with no #!) goes to the shell, which
	 * says why, or runs it, as ever */
	direct = NULL;
	copy = NULL;
	if (b->direct &&
	    (direct = words_plain(t->cmd, words, WORDS_MAX, &copy)) != NULL)
		rc = posix_spawnp(&t->pid, direct[0], &fa, &at, direct,
		    environ);
	if (direct == NULL || rc == ENOENT || rc == EACCES ||
	    rc == ENOEXEC || rc == ENOTDIR || rc == ELOOP ||
	    rc == ENAMETOOLONG)
		rc = posix_spawn(&t->pid, "/bin/sh", &fa, &at, argv, environ);
	free(copy);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		t->pid = 0;
		return rc;
	}
	t->fd = p[0];
	return 0;
}

/* Out of processes, threads or memory: we ask too much, not the task. */
static bool
short_of(int err)
{
	return err == EAGAIN || err == ENOMEM || err == EMFILE ||
	    err == ENFILE;
}

/*
 * Task t cannot start, for err: it fails, its output says why; the
 * caller starts the next ones.
 */
static void
not_started(struct batch *b, struct batch_task *t, int err)
{
	char why[256];
	size_t failed = b->failed;

	snprintf(why, sizeof(why), "cannot start: %s\n", strerror(err));
	kept_put(&t->out, why, strlen(why));
	t->state = TASK_RUNNING;	/* for finish() to end it */
	b->running++;
	t->eof = true;
	t->exited = false;
	finish(b, t);
	if (b->failed > failed && b->opts->fail_fast && !b->stopping)
		stop_all(b, SIGTERM);
}

/* Out of processes, threads or memory: say so once; it waits its turn. */
static void
short_of_it(struct batch *b, int err)
{
	char line[256];

	if (b->said_short)
		return;
	b->said_short = true;
	snprintf(line, sizeof(line), "%s: cannot run more than %zu task%s at "
	    "once here (%s): the others wait their turn",
	    program_invocation_short_name, b->running, b->running == 1 ? "" :
	    "s", strerror(err));
	emit_line(b, line, line_cols(b), false);
}

/*
 * Start task t.  False when it must wait for a running one to end.
 * What watches it is made first (hooks->prepare): when that cannot be,
 * nothing has run, and the task can wait its turn.
 */
static bool
launch(struct batch *b, struct batch_task *t)
{
	static char line[NAME_COLS * 8 + 16], name[NAME_COLS * 8 + 1];
	int err = 0;

	t->start = engine_now();
	t->tries++;
	t->claimed = false;
	if (b->animate && t->last == NULL &&
	    (t->last = calloc(1, sizeof(*t->last))) == NULL)
		err = ENOMEM;
	if (err == 0 && b->hooks.prepare != NULL)
		err = b->hooks.prepare(b->hooks.arg, t, t->tries);
	if (err == 0)
		err = spawn(b, t);
	if (err != 0 && short_of(err) && b->running > 0) {
		short_of_it(b, err);
		return false;
	}
	if (err != 0) {
		not_started(b, t, err);
		return true;
	}
	t->state = TASK_RUNNING;
	b->running++;
	b->stats.started++;
	if (b->running > b->stats.most)
		b->stats.most = b->running;
	if (b->hooks.watch != NULL &&
	    (err = b->hooks.watch(b->hooks.arg, t)) != 0) {
		/* it ran an instant: it is not tried again */
		int st;

		kill(-t->pid, SIGKILL);
		while (waitpid(t->pid, &st, 0) < 0 && errno == EINTR)
			;
		kill_leftovers(t);	/* what sh may have started */
		close(t->fd);
		t->fd = -1;
		t->pid = 0;
		b->running--;
		not_started(b, t, err);
		return true;
	}
	if (!b->animate) {
		name_of(name, sizeof(name), t, NAME_COLS, b->utf8);
		snprintf(line, sizeof(line), "%s %s\n", b->utf8 ? "\u25b6" :
		    ">", name);
		emits(b, line);
	}
	if (b->opts->timeout_ns > 0 && t->start + b->opts->timeout_ns <
	    b->due && b->hooks.wake != NULL)
		b->hooks.wake(b->hooks.arg);
	return true;
}

bool
batch_dropped(struct batch *b, struct batch_task *t)
{
	bool dropped;

	take(b);
	dropped = t->dropped;
	give(b);
	return dropped;
}

int
batch_claim(struct batch *b, struct batch_task *t, unsigned tries)
{
	int fd = -1;

	take(b);
	if (t->state == TASK_RUNNING && t->tries == tries && t->fd >= 0) {
		t->claimed = true;
		fd = t->fd;
	}
	give(b);
	return fd;
}

static void
start_more(struct batch *b)
{
	while (!b->stopping && !b->paused && b->next < b->n &&
	    b->running < b->limit) {
		struct batch_task *t = &b->t[b->next];

		b->next++;
		if (!launch(b, t)) {
			b->next--;
			break;
		}
	}
}

void
batch_start(struct batch *b, const sigset_t *mask, const sigset_t *dfl)
{
	take(b);
	b->mask = mask;
	b->dfl = dfl;
	b->start = engine_now();
	start_more(b);
	give(b);
}

bool
batch_animates(const struct batch *b)
{
	return b->animate;
}

/* Holding the line. */
static bool
done(const struct batch *b)
{
	return b->gave_up || ((b->stopping || b->next >= b->n) &&
	    b->running == 0);
}

bool
batch_done(struct batch *b)
{
	bool d;

	take(b);
	d = done(b);
	if (d)	/* the slow work: the tasks */
		stats_work_end(&b->stats, b->last_end != 0 ? b->last_end :
		    engine_now());
	give(b);
	return d;
}

static int64_t
earlier(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

int64_t
batch_deadline(struct batch *b)
{
	int64_t due = BATCH_NEVER;

	take(b);
	if (b->stopping)
		due = earlier(b->stop_kill_at, b->give_up_at);
	/* -t: started in order, they time out in order, then SIGKILL */
	for (size_t i = b->low; i < b->next && b->opts->timeout_ns > 0; i++) {
		const struct batch_task *t = &b->t[i];

		if (t->state != TASK_RUNNING || t->stopped)
			continue;
		if (!t->timed_out) {
			due = earlier(due, t->start + b->opts->timeout_ns);
			break;
		}
		due = earlier(due, t->kill_at);	/* SIGKILL, or give up */
	}
	for (size_t i = 0; i < b->nlinger; i++)
		due = earlier(due, b->t[b->linger[i]].kill_at);
	b->due = due;
	give(b);
	return due;
}

void
batch_tick(struct batch *b)
{
	int64_t now = engine_now();

	take(b);
	for (size_t i = b->low; i < b->next && b->opts->timeout_ns > 0; i++) {
		struct batch_task *t = &b->t[i];

		if (t->state != TASK_RUNNING || t->stopped)
			continue;
		if (!t->timed_out) {
			if (now < t->start + b->opts->timeout_ns)
				break;	/* nor have those started later */
			t->timed_out = true;
			hit(t, SIGTERM);
			t->kill_at = now + b->opts->kill_after_ns;
		}
		if (!t->killed && now >= t->kill_at) {
			hit(t, SIGKILL);
			t->killed = true;
			t->kill_at = now + b->opts->kill_after_ns;
		} else if (t->killed && now >= t->kill_at) {
			if (ended(t))
				give_up(b, t);
			else	/* SIGKILL refused, or not felt yet */
				t->kill_at = now + b->opts->kill_after_ns;
		}
	}
	for (size_t i = 0; i < b->nlinger;) {
		struct batch_task *t = &b->t[b->linger[i]];

		if (now >= t->kill_at && kill_leftovers(t)) {
			t->kill_at = now + b->opts->kill_after_ns;
			i++;	/* not dead yet: look again */
		} else if (now >= t->kill_at || !lives_on(t)) {
			b->linger[i] = b->linger[--b->nlinger];
		} else {
			i++;
		}
	}
	if (b->stopping && now >= b->stop_kill_at) {
		for (size_t i = b->low; i < b->next; i++)
			if (b->t[i].state == TASK_RUNNING && !b->t[i].killed) {
				hit(&b->t[i], SIGKILL);
				b->t[i].killed = true;
			}
		b->stop_kill_at = BATCH_NEVER;
	}
	if (b->stopping && now >= b->give_up_at)
		b->gave_up = true;	/* held open by what left its group */
	give(b);
}

/*
 * Task t timed out, was killed -k ago and has ended, but its output is
 * still held open, by a process that left its session: it is over
 * without it.  The loop stops watching the descriptor and it is closed;
 * a thread reading it reads on until that process lets go.
 */
static void
give_up(struct batch *b, struct batch_task *t)
{
	if (!t->eof) {
		/* the front end closes it, now or when its reader stops */
		t->dropped = true;
		if (b->hooks.drop != NULL && (t->claimed ||
		    b->hooks.prepare == NULL))
			b->hooks.drop(b->hooks.arg, t);
		else	/* nobody reads it (yet): its watcher will not */
			close(t->fd);
		t->fd = -1;
	}
	t->eof = true;
	t->exited = true;
	over(b, t);
}

/* Start no more; pass sig to every running task; SIGKILL after -k. */
static void
stop_all(struct batch *b, int sig)
{
	int64_t now = engine_now();

	b->stopping = true;
	for (size_t i = b->low; i < b->next; i++) {
		struct batch_task *t = &b->t[i];

		if (t->state != TASK_RUNNING)
			continue;
		t->stopped = true;
		hit(t, sig);
	}
	b->stop_kill_at = now + b->opts->kill_after_ns;
	b->give_up_at = b->stop_kill_at + b->opts->kill_after_ns;
	if (b->hooks.wake != NULL)
		b->hooks.wake(b->hooks.arg);
}

void
batch_abort(struct batch *b, const char *why)
{
	take(b);
	if (!b->aborted) {
		b->aborted = true;
		snprintf(b->why, sizeof(b->why), "%s", why);
		stop_all(b, SIGKILL);
	}
	give(b);
}

/* Whether t's process has ended, leaving it to be reaped. */
static bool
ended(const struct batch_task *t)
{
	siginfo_t si;

	si.si_pid = 0;
	return waitid(P_PID, (id_t)t->pid, &si, WEXITED | WNOHANG |
	    WNOWAIT) == 0 && si.si_pid == t->pid;
}

/* SIGCHLD: the tasks whose output is closed may have ended too. */
static void
look_at_closed(struct batch *b)
{
	for (size_t i = 0; i < b->nclosed;) {
		struct batch_task *t = &b->t[b->closed[i]];

		if (t->state == TASK_RUNNING && ended(t)) {
			b->closed[i] = b->closed[--b->nclosed];
			t->exited = true;
			over(b, t);
		} else if (t->state != TASK_RUNNING) {
			b->closed[i] = b->closed[--b->nclosed];
		} else {
			i++;
		}
	}
}

static void write_buf(struct batch *b, struct buf *out);
static void send_all(struct batch *b);

/* ^Z: the tasks stop, the area goes; on fg all comes back. */
static void
suspend(struct batch *b, int sig)
{
	struct buf out = { 0 };
	sigset_t fatal, old;

	for (size_t i = b->low; i < b->next; i++)
		if (b->t[i].state == TASK_RUNNING && b->t[i].pid > 0)
			kill(-b->t[i].pid, SIGSTOP);
	b->paused = true;
	if (b->animate) {
		board_wipe(&b->board, &out);
		if (b->cursor_hidden)
			buf_puts(&out, render_cursor(true));
		b->cursor_hidden = false;
		write_buf(b, &out);
		send_all(b);	/* the shell's screen, clean, before we stop */
	}
	give(b);
	/* a fatal signal while stopped (kill %1) waits for us to go on */
	signals_fatal_set(&fatal);
	pthread_sigmask(SIG_BLOCK, &fatal, &old);
	signals_stop(sig, false);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	take(b);
	for (size_t i = b->low; i < b->next; i++)
		if (b->t[i].state == TASK_RUNNING && b->t[i].pid > 0)
			kill(-b->t[i].pid, SIGCONT);
	b->paused = false;
	b->full = true;
	measure(b);	/* resized while we were stopped: no SIGWINCH came */
	start_more(b);	/* what ended meanwhile made room */
}

void
batch_signal(struct batch *b, int sig)
{
	term_recheck();	/* a job control signal, SIGCHLD: we may have moved */
	take(b);
	if (b->ended) {
		give(b);
		return;
	}
	if (sig == SIGCHLD) {
		if (b->hooks.reap)
			look_at_closed(b);
	} else if (sig == SIGWINCH || sig == SIGCONT) {
		measure(b);
		b->full = true;
		if (b->animate && b->board.n > 0)
			batch_draw(b, b->k);	/* refit now, not a frame on */
	} else if (sig == SIGTSTP) {
		suspend(b, sig);
	} else if (signals_fatal(sig)) {
		if (b->fatal != 0) {
			/* again: no more waiting */
			for (size_t i = b->low; i < b->next; i++)
				if (b->t[i].state == TASK_RUNNING)
					hit(&b->t[i], SIGKILL);
		} else {
			b->fatal = sig;
			stop_all(b, sig);
		}
	}
	give(b);
}

void
batch_output(struct batch *b, struct batch_task *t, const char *data,
    size_t n)
{
	take(b);
	if (n == 0) {
		t->eof = true;
		if (t->fd >= 0)
			close(t->fd);
		t->fd = -1;
		if (b->hooks.reap && !t->exited && t->state == TASK_RUNNING) {
			if (ended(t)) {
				t->exited = true;
			} else {
				size_t *more = realloc(b->closed, (b->nclosed +
				    1) * sizeof(*more));

				if (more != NULL) {
					b->closed = more;
					b->closed[b->nclosed++] =
					    (size_t)(t - b->t);
				}
			}
		}
		if (t->exited && t->state == TASK_RUNNING && !b->ended)
			over(b, t);
	} else if (t->state == TASK_RUNNING) {
		if (t->last != NULL)
			board_last_feed(t->last, data, n);
		if (b->opts->output == OUTPUT_FAILED ||
		    b->opts->output == OUTPUT_ALL)
			kept_put(&t->out, data, n);
	}
	give(b);
}

void
batch_exited(struct batch *b, struct batch_task *t)
{
	take(b);
	t->exited = true;
	if (t->eof && t->state == TASK_RUNNING && !b->ended)
		over(b, t);
	give(b);
}

/*
 * Hand the terminal what waits for it, as far as it takes it now: it is
 * written through a non-blocking queue, so a terminal stopped with ^S
 * holds up the screen, never a task's thread or a signal.
 */
static void
send(struct batch *b)
{
	size_t room;

	term_out_flush(&b->tty);
	while (b->outq.len > 0 && (room = term_out_room(&b->tty)) > 0) {
		size_t n = b->outq.len < room ? b->outq.len : room;

		term_out_put(&b->tty, b->outq.p, n);
		memmove(b->outq.p, b->outq.p + n, b->outq.len - n);
		b->outq.len -= n;
	}
}

/* All of it, waiting for the terminal: the end, a stop. */
static void
send_all(struct batch *b)
{
	while (b->outq.len > 0 || term_out_pending(&b->tty)) {
		send(b);
		term_out_drain(&b->tty);
	}
}

/* Bytes for the screen: queued (on a terminal) or written now. */
static void
write_buf(struct batch *b, struct buf *out)
{
	if (b->animate) {
		buf_put(&b->outq, out->p, out->len);
		send(b);
	} else {
		write_all(b, out->p, out->len);
	}
	buf_free(out);
}

/* The live area's rows: running tasks, "… N more", the summary. */
static void
draw(struct batch *b, struct buf *out, size_t k)
{
	size_t cols = b->cols, rows, room, n = 0;
	struct board_counts c = { b->ok, b->failed, b->running,
	    b->n - b->next, b->stopping };
	int64_t now = engine_now();
	char **lines;

	if (cols < 2)
		return;
	rows = b->rows;
	room = rows > 1 ? rows - 1 : 1;
	lines = calloc(room, sizeof(*lines));
	if (lines == NULL)
		return;
	for (size_t i = b->low; i < b->next && n + 1 < room; i++) {
		struct batch_task *t = &b->t[i];

		if (t->state != TASK_RUNNING)
			continue;
		if (n + 2 == room && b->running > n + 1) {
			/* no room for them all: say how many are not shown */
			size_t more = b->running - n;

			if ((lines[n] = malloc(RENDER_BUF)) != NULL)
				board_more(lines[n++], RENDER_BUF, more,
				    cols - 1, b->utf8);
			break;
		}
		if ((lines[n] = malloc(RENDER_BUF)) == NULL)
			break;
		board_task(lines[n++], RENDER_BUF, styles_for_locale(
		    b->opts->style, b->utf8), k, t->name, now - t->start,
		    t->last != NULL ? board_last_text(t->last) : "", cols - 1,
		    b->utf8, b->color);
	}
	if ((lines[n] = malloc(RENDER_BUF)) != NULL)
		board_summary(lines[n++], RENDER_BUF, &c, b->opts->message_set ?
		    b->opts->message : NULL, now - b->start, false, b->utf8,
		    cols - 1, b->color);
	if (!b->cursor_hidden) {
		buf_puts(out, render_cursor(false));
		b->cursor_hidden = true;
	}
	board_show(&b->board, out, lines, n, b->full);
	b->full = false;
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

void
batch_draw(struct batch *b, size_t k)
{
	struct buf out = { 0 };
	bool fg;

	if (b->paused || b->ended)
		return;
	b->k = k;
	send(b);
	if (b->outq.len > 0 || term_out_pending(&b->tty))
		return;	/* the terminal has not taken the last frame yet */
	fg = term_out_foreground(&b->tty);
	if (b->pending.len > 0) {
		board_wipe(&b->board, &out);
		buf_put(&out, b->pending.p, b->pending.len);
		b->pending.len = 0;
		b->full = true;
	}
	if (fg) {
		draw(b, &out, k);
		b->stats.frames++;
	}
	write_buf(b, &out);
}

void
batch_wipe(struct batch *b)
{
	struct buf out = { 0 };

	board_wipe(&b->board, &out);
	if (b->cursor_hidden)
		buf_puts(&out, render_cursor(true));
	b->cursor_hidden = false;
	write_buf(b, &out);
	send_all(b);
	stats_wiped(&b->stats, engine_now());
}

int
batch_end(struct batch *b)
{
	struct board_counts c;
	struct buf out = { 0 };
	char line[RENDER_BUF];
	int fatal;
	bool failed;

	take(b);
	stats_wiped(&b->stats, engine_now());	/* if no frame was shown */
	b->ended = true;
	/* nothing left running: what would not stop, what outlived its task */
	for (size_t i = 0; i < b->nlinger; i++)
		kill_leftovers(&b->t[b->linger[i]]);
	b->nlinger = 0;
	for (size_t i = b->low; i < b->next; i++)
		if (b->t[i].state == TASK_RUNNING)
			hit(&b->t[i], SIGKILL);
	c = (struct board_counts){ b->ok, b->failed, b->running,
	    b->n - b->next, false };
	board_wipe(&b->board, &out);
	buf_put(&out, b->pending.p, b->pending.len);
	board_summary(line, sizeof(line), &c, b->opts->message_set ?
	    b->opts->message : NULL, engine_now() - b->start, true, b->utf8,
	    line_cols(b), b->color);
	buf_puts(&out, line);
	buf_puts(&out, "\n");
	if (b->cursor_hidden)
		buf_puts(&out, render_cursor(true));
	b->cursor_hidden = false;
	write_buf(b, &out);
	if (b->animate) {
		send_all(b);
		term_out_close(&b->tty);
	}
	if (b->aborted)
		warnx("%s", b->why);
	else if (b->tty.error != 0)	/* as the engine does: see there */
		warnx("cannot write to standard error: %s",
		    strerror(b->tty.error));
	else if (b->tty.gone)
		warnx("the terminal hung up; the run went on without it");
	fatal = b->fatal;
	failed = b->failed > 0 || b->running > 0 || b->next < b->n;
	b->stats.failed = b->failed;
	if (b->opts->stats)
		stats_print(&b->stats, engine_now());
	give(b);
	if (fatal != 0)
		signals_reraise(fatal);
	if (b->aborted || b->tty.error != 0)
		return EXIT_CANCELED;
	return failed ? EXIT_TASKS_FAILED : EXIT_OK;
}

static bool
done_of(void *b)
{
	return batch_done(b);
}

static int64_t
deadline_of(void *b)
{
	return batch_deadline(b);
}

static size_t
watches_of(void *b, struct engine_watch w[ENGINE_WATCH_MAX])
{
	(void)b;
	(void)w;
	return 0;	/* the front end watches each task itself */
}

static void
ready_of(void *b, int fd, short revents)
{
	(void)b;
	(void)fd;
	(void)revents;
}

static void
tick_of(void *b)
{
	batch_tick(b);
}

static void
signal_of(void *b, int sig)
{
	batch_signal(b, sig);
}

static void
draw_of(void *b, size_t k)
{
	batch_draw(b, k);
}

static void
wipe_of(void *b)
{
	batch_wipe(b);
}

static void
abort_of(void *b, const char *why)
{
	batch_abort(b, why);
}

struct driven
batch_driven(struct batch *b)
{
	return (struct driven){ b, done_of, deadline_of, watches_of,
	    ready_of, tick_of, signal_of, draw_of, wipe_of, &b->stats,
	    abort_of };
}
