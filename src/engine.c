/*
 * Every rule lives here once; the front ends only decide how to wait.
 * Deadlines are absolute times on CLOCK_MONOTONIC, so waking late or
 * often changes nothing: each call compares the clock with them afresh.
 * When two deadlines fall at the same time the order below decides, the
 * same in both binaries: a timeout due no later than the demo's end wins.
 */
#include "engine.h"

#include <err.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "render.h"
#include "say.h"
#include "signals.h"
#include "term.h"

/* After COMMAND ends, its pty is relayed for at most this long. */
#define DRAIN_NS (100 * INT64_C(1000000))
/* Reads of 4 KiB per call of engine_output(). */
#define RELAY_BATCH 16

int64_t
engine_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * OPTIONS_NS_PER_SEC + ts.tv_nsec;
}

static void
take(struct engine *e)
{
	if (e->hold.take != NULL)
		e->hold.take(e->hold.arg);
}

static void
give(struct engine *e)
{
	if (e->hold.give != NULL)
		e->hold.give(e->hold.arg);
}

static bool
demo(const struct engine *e)
{
	return e->opts->command == NULL;
}

/* Whether COMMAND runs and may be signalled. */
static bool
live(const struct engine *e)
{
	return e->cmd.pid > 0 && !e->reaped;
}

static void
conclude(struct engine *e, enum outcome_kind kind, int code, int sig)
{
	if (e->done)
		return;
	e->out.kind = kind;
	e->out.code = code;
	e->out.sig = sig;
	e->done = true;
}

void
engine_init(struct engine *e, const struct spin_opts *opts,
    const struct engine_hold *hold)
{
	memset(e, 0, sizeof(*e));
	e->opts = opts;
	if (hold != NULL)
		e->hold = *hold;
	e->fd = STDERR_FILENO;
	e->cmd.pid = -1;
	e->cmd.relay = -1;
	e->utf8 = render_locale_utf8();
	e->animate = term_animates(e->fd, opts->animate);
	e->timeout_at = e->kill_at = e->end_at = ENGINE_NEVER;
	line_init(&e->line, styles_for_locale(opts->style, e->utf8),
	    opts->message, e->utf8, term_columns(e->fd));
}

void
engine_start(struct engine *e, const sigset_t *mask, const sigset_t *dfl)
{
	const struct spin_opts *o = e->opts;
	char err[512];
	int rc;

	e->start = engine_now();
	if (o->timeout_ns > 0)
		e->timeout_at = e->start + o->timeout_ns;
	if (demo(e)) {
		e->end_at = e->start + o->delay_ns;
		return;
	}
	rc = command_start(&e->cmd, o->command, mask, dfl,
	    e->animate ? e->fd : -1, err, sizeof(err));
	if (rc != 0) {
		warnx("%s", err);
		conclude(e, OUTCOME_FAILED, rc, 0);
	}
}

bool
engine_animates(const struct engine *e)
{
	return e->animate;
}

bool
engine_done(const struct engine *e)
{
	return e->done;
}

static int64_t
earlier(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

int64_t
engine_deadline(const struct engine *e)
{
	int64_t next = ENGINE_NEVER;

	if (e->done)
		return ENGINE_NEVER;
	if (demo(e))
		return earlier(e->end_at, e->timeout_at);
	if (e->reaped)
		return e->drain_until;
	if (!e->timed_out)
		next = e->timeout_at;
	return earlier(next, e->kill_at);
}

int
engine_output_fd(const struct engine *e)
{
	return e->done || e->relay_eof ? -1 : e->cmd.relay;
}

void
engine_tick(struct engine *e)
{
	int64_t now = engine_now();

	if (e->done)
		return;
	if (demo(e)) {
		if (now >= e->timeout_at && e->timeout_at <= e->end_at)
			conclude(e, OUTCOME_TIMEDOUT, 0, 0);
		else if (now >= e->end_at)
			conclude(e, OUTCOME_EXITED, 0, 0);
		return;
	}
	if (!e->timed_out && now >= e->timeout_at) {
		e->timed_out = true;
		if (live(e)) {
			kill(e->cmd.pid, SIGTERM);
			e->kill_at = now + e->opts->kill_after_ns;
		}
	}
	if (now >= e->kill_at && live(e)) {
		kill(e->cmd.pid, SIGKILL);
		e->kill_at = ENGINE_NEVER;
	}
	if (e->reaped && now >= e->drain_until)
		e->done = true;
}

/* Draw frame k where the line is, unless suspended; the line is held. */
static void
draw(struct engine *e, size_t k)
{
	if (!e->paused)
		term_draw(e->fd, &e->line, k);
}

void
engine_draw(struct engine *e, size_t k)
{
	e->spinning = true;
	e->drew = true;
	draw(e, k);
}

void
engine_wipe(struct engine *e)
{
	e->spinning = false;
	term_clear(e->fd, &e->line);
}

/*
 * Print what COMMAND wrote to the terminal above the spinner's line: wipe
 * once, print a batch, draw once.  A batch is bounded so that a flood of
 * output cannot keep the front end from signals and COMMAND's end.
 */
void
engine_output(struct engine *e)
{
	char data[4096];
	ssize_t n = 0;

	if (engine_output_fd(e) < 0)
		return;
	take(e);
	for (int i = 0; i < RELAY_BATCH && (n = command_read(&e->cmd, data,
	    sizeof(data))) > 0; i++)
		term_pass(e->fd, &e->line, data, (size_t)n);
	if (e->spinning && !e->line.drawn)
		draw(e, e->line.frame);
	give(e);
	if (n < 0) {
		e->relay_eof = true;
		if (e->reaped)
			e->done = true;
	}
}

/* Refit the line to the terminal's width, and COMMAND's pty with it. */
static void
resize(struct engine *e)
{
	command_resize(&e->cmd, e->fd);
	take(e);
	e->line.cols = term_columns(e->fd);
	if (e->spinning && e->line.drawn)
		draw(e, e->line.frame);
	give(e);
}

/* ^Z: leave the terminal clean, stop, and on fg take up the animation. */
static void
suspend(struct engine *e, bool forward)
{
	if (forward && live(e))
		kill(e->cmd.pid, SIGTSTP);
	take(e);
	e->paused = true;
	if (e->spinning)
		term_clear(e->fd, &e->line);
	give(e);
	signals_suspend();
	if (live(e))
		kill(e->cmd.pid, SIGCONT);
	take(e);
	e->paused = false;
	e->line.cols = term_columns(e->fd);
	if (e->spinning)
		draw(e, e->line.frame);
	give(e);
}

/* COMMAND may have ended: collect its status. */
static void
reap(struct engine *e)
{
	int status;

	if (!live(e) || waitpid(e->cmd.pid, &status, WNOHANG) != e->cmd.pid)
		return;
	e->reaped = true;
	e->out = outcome_from_wait(status);
	if (e->timed_out)
		e->out.kind = OUTCOME_TIMEDOUT;
	e->drain_until = engine_now() + DRAIN_NS;
	if (e->cmd.relay < 0 || e->relay_eof)
		e->done = true;
}

void
engine_signal(struct engine *e, int sig, int code)
{
	if (e->done)
		return;
	if (sig == SIGWINCH || sig == SIGCONT) {
		resize(e);
	} else if (sig == SIGTSTP) {
		suspend(e, signals_sent(code));
	} else if (sig == SIGCHLD) {
		reap(e);
	} else if (signals_fatal(sig)) {
		/*
		 * While COMMAND runs, its end decides ours: it is sent the
		 * signal unless the terminal sent it to both of us already.
		 * Otherwise (the demo, or COMMAND gone) the run ends now.
		 */
		if (!live(e))
			conclude(e, OUTCOME_SIGNALED, 0, sig);
		else if (signals_sent(code))
			kill(e->cmd.pid, sig);
	}
}

void
engine_abort(struct engine *e)
{
	if (live(e)) {
		kill(e->cmd.pid, SIGKILL);
		waitpid(e->cmd.pid, NULL, 0);
		e->reaped = true;
	}
	e->out = (struct outcome){ OUTCOME_FAILED, EXIT_CANCELED, 0 };
	e->done = true;
}

/* The --persist line: fitted where the frame was, else plain on stderr. */
static void
persist(struct engine *e)
{
	char buf[RENDER_BUF + 2];
	size_t room = 0, n;

	if (e->drew)
		room = line_room(&e->line) > 0 ? line_room(&e->line) : 1;
	n = outcome_line(buf, sizeof(buf) - 1, &e->out, e->opts->message,
	    engine_now() - e->start, e->utf8, room);
	buf[n++] = '\n';
	term_write(e->fd, buf, n);
}

int
engine_end(struct engine *e, int answer)
{
	const struct spin_opts *o = e->opts;
	bool failed = e->out.kind == OUTCOME_FAILED &&
	    e->out.code == EXIT_CANCELED;

	command_end_relay(&e->cmd);	/* a grandchild may still hold it */
	if (o->persist && !failed)
		persist(e);
	if (e->out.kind == OUTCOME_SIGNALED) {
		say_flush();
		signals_reraise(e->out.sig);
	}
	if (demo(e) && e->out.kind == OUTCOME_EXITED &&
	    say(o->quiet ? "%d\n" : "Answer: %d\n", answer) != 0)
		return EXIT_CANCELED;
	return outcome_status(&e->out);
}
