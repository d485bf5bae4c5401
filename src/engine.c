/*
 * Every rule lives here once; the front ends only decide how to wait.
 * Deadlines are absolute times on CLOCK_MONOTONIC, so waking late or
 * often changes nothing: each call compares the clock with them afresh.
 * When two deadlines fall at the same time the order below decides, the
 * same in both binaries: a timeout due no later than the demo's end wins.
 *
 * COMMAND and the terminal.  COMMAND never shares our process group, so
 * a signal for it reaches everything it started and never the rest of
 * the shell's pipeline; in return nothing the terminal sends reaches it
 * directly, and the engine passes on what it must:
 * - proxied (the terminal is stdin, stdout not a pipe, animating, the
 *   output live): COMMAND runs in a session of its own on a pty.  The
 *   terminal is raw, so ^C, ^\ and ^Z are bytes for the pty's own line
 *   discipline.  A keeper leads that session, so that COMMAND's group is
 *   not orphaned and stops as in a shell; the keeper stops with it, and
 *   the engine then stops too, the terminal given back to the shell as
 *   it was.
 * - otherwise: COMMAND leads a background group in our session; fatal
 *   signals and ^Z are passed on, and when it stops to read or write the
 *   terminal it is given the terminal's foreground, as a shell would
 *   (from the start when the terminal is stdin).
 * With --output other than live, what COMMAND would write where we draw
 * comes through the relay all the same (a pty, or off a terminal a pipe)
 * and is kept for the end, when the outcome decides whether it is shown.
 */
#include "engine.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "render.h"
#include "say.h"
#include "signals.h"

/* Reads of 4 KiB per call of engine_ready(), and at COMMAND's end. */
#define RELAY_BATCH 16
#define RELAY_FINAL 64
/* After SIGKILL, how long what COMMAND left may take to be gone. */
#define GIVE_UP_NS OPTIONS_NS_PER_SEC

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
	stats_work_end(&e->stats, engine_now());
}

void
engine_init(struct engine *e, const struct spin_opts *opts,
    const struct engine_hold *hold)
{
	memset(e, 0, sizeof(*e));
	e->opts = opts;
	if (hold != NULL)
		e->hold = *hold;
	e->cmd.pid = e->cmd.group = -1;
	e->cmd.relay = e->cmd.messages = -1;
	e->ctty = -1;
	e->utf8 = render_locale_utf8();
	e->animate = term_animates(STDERR_FILENO, opts->animate);
	e->color = term_colors(STDERR_FILENO, opts->color);
	e->timeout_at = e->kill_at = e->end_at = ENGINE_NEVER;
	e->give_up_at = ENGINE_NEVER;
	/* until engine_start says: the mask we run with now, the one we
	 * were started with (an abort before then must leave it alone) */
	sigprocmask(SIG_SETMASK, NULL, &e->given);
	e->stats.start = engine_now();
	term_out_open(&e->tty, STDERR_FILENO);
	line_init(&e->line, styles_for_locale(opts->style, e->utf8),
	    opts->message, e->utf8, term_columns(e->tty.fd));
	e->line.rows = term_rows(e->tty.fd, true);
}

/* Whether stdout feeds another process, which may want the terminal. */
static bool
stdout_piped(void)
{
	struct stat st;

	return fstat(STDOUT_FILENO, &st) == 0 &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

void
engine_start(struct engine *e, const sigset_t *mask, const sigset_t *dfl)
{
	const struct spin_opts *o = e->opts;
	struct command_how how = { mask, dfl, -1, false, -1, o->messages };
	char err[512];
	bool fg, tty_in;
	int rc;

	e->given = *mask;
	e->start = engine_now();
	if (o->timeout_ns > 0)
		e->timeout_at = e->start + o->timeout_ns;
	if (demo(e)) {
		e->end_at = e->start + o->delay_ns;
		return;
	}
	e->ctty = term_open_ctty();
	fg = e->ctty >= 0 && term_foreground(e->ctty);
	tty_in = fg && term_same(STDIN_FILENO, e->ctty);
	if (e->animate)
		how.tty = e->tty.fd;
	/* kept: on a pty like the terminal, animating or not, or a pipe;
	 * no proxy, so stdin stays ours (COMMAND's) */
	e->keep = how.keep = o->output != OUTPUT_LIVE;
	if (e->keep)
		how.tty = isatty(e->tty.fd) ? e->tty.fd : -1;
	how.proxy = !e->keep && e->animate && tty_in &&
	    term_same(e->tty.fd, e->ctty) && !stdout_piped();
	/* no spinner to show: COMMAND may as well have the terminal now */
	if (!how.proxy && tty_in && !e->animate)
		how.give = e->ctty;
	rc = command_start(&e->cmd, o->command, &how, err, sizeof(err));
	if (rc != 0) {
		warnx("%s", err);
		conclude(e, OUTCOME_FAILED, rc, 0);
		return;
	}
	e->proxy = how.proxy;
	e->handed = how.give >= 0;
#ifdef PR_SET_CHILD_SUBREAPER
	prctl(PR_SET_CHILD_SUBREAPER, 1);	/* see reap_orphans() */
#endif
	if (e->proxy && term_raw(e->ctty, &e->saved, true) == 0) {
		e->raw = true;
		e->line.onlcr = false;	/* the pty turns LF into CR LF */
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
	if (e->behind)
		return engine_now();	/* see resume() */
	if (demo(e))
		return earlier(e->end_at, e->timeout_at);
	if (!e->timed_out)
		next = e->timeout_at;
	if (e->reaped && !e->lingering)
		return ENGINE_NEVER;
	if (e->lingering)
		return earlier(e->kill_at, e->give_up_at);
	return earlier(next, e->kill_at);
}

size_t
engine_watches(struct engine *e, struct engine_watch w[ENGINE_WATCH_MAX])
{
	size_t n = 0;
	short ev = 0;

	if (e->done)
		return 0;
	take(e);
	if (e->cmd.relay >= 0 && !e->relay_eof &&
	    (!e->reaped || e->closing)) {
		/* a terminal that takes nothing holds COMMAND's output back,
		 * unless it is kept */
		if (e->keep || term_out_room(&e->tty) >= 2 * LINE_BUF)
			ev |= POLLIN;
		if (e->nkeys > 0)
			ev |= POLLOUT;
		if (ev != 0)
			w[n++] = (struct engine_watch){ e->cmd.relay, ev };
	}
	if (e->raw && !e->paused && !e->keys_gone &&
	    e->nkeys < sizeof(e->keys))
		w[n++] = (struct engine_watch){ e->ctty, POLLIN };
	if (term_out_pending(&e->tty))
		w[n++] = (struct engine_watch){ e->tty.fd, POLLOUT };
	/* read even with no frame to show it in: COMMAND must not block */
	if (e->cmd.messages >= 0 && !e->messages_eof && !e->reaped)
		w[n++] = (struct engine_watch){ e->cmd.messages, POLLIN };
	give(e);
	return n;
}

/* Whether all is over: COMMAND reaped, its output printed, its group
 * gone (after a timeout). */
static void
settle(struct engine *e)
{
	if (e->reaped && !e->closing && !e->lingering) {
		e->done = true;
		stats_work_end(&e->stats, engine_now());
	}
}

static bool ahead(const struct engine *e);
static bool stop(const struct engine *e, int sig, bool job);
static void resume(struct engine *e, bool killed);

/*
 * Whether COMMAND's group, COMMAND reaped, still has a process of ours
 * (its orphans are: we are their subreaper), alive or not yet reaped:
 * only then is its number surely still the group's, and not a
 * stranger's that took it.  Those already dead are reaped here.
 */
static bool
group_lives(const struct engine *e)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-e->cmd.group, &st, WNOHANG)) > 0 ||
	    (pid < 0 && errno == EINTR))
		;
	return pid == 0;
}

void
engine_tick(struct engine *e)
{
	int64_t now = engine_now();

	if (e->done)
		return;
	if (e->behind)
		resume(e, !ahead(e) && stop(e, SIGTTIN, true));
	if (demo(e)) {
		/* the work ended when it was due, not when we woke */
		if (now >= e->timeout_at && e->timeout_at <= e->end_at) {
			stats_work_end(&e->stats, e->timeout_at);
			conclude(e, OUTCOME_TIMEDOUT, 0, 0);
		} else if (now >= e->end_at) {
			stats_work_end(&e->stats, e->end_at);
			conclude(e, OUTCOME_EXITED, 0, 0);
		}
		return;
	}
	if (!e->timed_out && now >= e->timeout_at) {
		e->timed_out = true;
		if (live(e)) {
			command_signal(&e->cmd, SIGTERM);
			command_signal(&e->cmd, SIGCONT);	/* if stopped */
			e->kill_at = now + e->opts->kill_after_ns;
		}
	}
	if (now >= e->kill_at && !live(e) && e->lingering &&
	    !group_lives(e)) {
		e->lingering = false;	/* gone: its number may be another's */
		e->kill_at = ENGINE_NEVER;
		settle(e);
	} else if (now >= e->kill_at && (live(e) || e->lingering)) {
		command_signal(&e->cmd, SIGKILL);
		e->kill_at = ENGINE_NEVER;
		e->give_up_at = now + GIVE_UP_NS;
	}
	if (e->lingering && now >= e->give_up_at) {
		e->lingering = false;	/* what SIGKILL cannot end: left */
		settle(e);
	}
}

/*
 * Draw frame k where the line is, unless suspended, with the time so far
 * after the message (--elapsed); the line is held.
 */
static void
draw(struct engine *e, size_t k)
{
	if (e->paused)
		return;
	if (e->opts->elapsed)
		outcome_elapsed(e->line.tail, sizeof(e->line.tail),
		    engine_now() - e->start);
	if (term_draw(&e->tty, &e->line, k))
		e->stats.frames++;
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
	term_clear(&e->tty, &e->line);
	stats_wiped(&e->stats, engine_now());
}

/*
 * Keep n more bytes of COMMAND's output: the buffer grows (doubling) to
 * KEPT_MAX, or as far as memory allows, then goes round, the
 * oldest bytes counted as dropped.
 */
/*
 * Keep what COMMAND wrote (--output failed, all), or drop it (none):
 * read, so that COMMAND never waits, but show nothing now.  Returns as
 * relay() does.
 */
static int
hold_back(struct engine *e, int reads)
{
	char data[4096];
	ssize_t n = 1;
	int i;

	for (i = 0; i < reads; i++) {
		n = command_read(&e->cmd, data, sizeof(data));
		if (n <= 0)
			break;
		if (e->opts->output != OUTPUT_NONE)
			kept_put(&e->kept, data, (size_t)n);
	}
	e->final_reads += e->reaped ? i : 0;
	if (n < 0)
		e->relay_eof = true;
	return n < 0 ? -1 : n == 0 ? 0 : 1;
}

/*
 * Our terminal hung up: so does COMMAND's, as it would have on ours.  Its
 * reads then end and its writes fail, so that it neither waits for keys
 * nor writes into the void for ever.
 */
static void
hang_up(struct engine *e)
{
	command_end_relay(&e->cmd);
	e->relay_eof = true;
}

/*
 * Print what COMMAND wrote to the terminal above the spinner's line: wipe
 * once, print a batch, draw once.  A batch is bounded so that a flood of
 * output cannot keep the front end from signals and COMMAND's end, and
 * takes only what the terminal has room for: a stopped terminal holds
 * COMMAND back, never the engine.  Returns -1 at the end of the pty, 0
 * when it is empty for now, 1 when more may wait.
 */
static int
relay(struct engine *e, int reads)
{
	char data[4096];
	ssize_t n = 1;
	bool gone;
	int i;

	if (e->keep)
		return hold_back(e, reads);
	take(e);
	for (i = 0; i < reads; i++) {
		size_t room = term_out_room(&e->tty);

		if (room < 2 * LINE_BUF)
			break;
		room -= LINE_BUF;
		n = command_read(&e->cmd, data, room < sizeof(data) ? room :
		    sizeof(data));
		if (n <= 0)
			break;
		term_pass(&e->tty, &e->line, data, (size_t)n);
	}
	if (e->spinning && !e->line.drawn)
		draw(e, e->line.frame);
	gone = e->tty.gone;
	give(e);
	e->final_reads += e->reaped ? i : 0;
	if (gone)
		hang_up(e);
	if (n < 0)
		e->relay_eof = true;
	return n < 0 || gone ? -1 : n == 0 ? 0 : 1;
}

/*
 * After COMMAND's end: print what is in its pty now, and no more than
 * RELAY_FINAL reads of it, so a process it left that keeps writing does
 * not keep the spinner.
 */
static void
close_relay(struct engine *e)
{
	e->closing = e->cmd.relay >= 0 && !e->relay_eof &&
	    e->final_reads < RELAY_FINAL &&
	    relay(e, RELAY_FINAL - e->final_reads) > 0 &&
	    e->final_reads < RELAY_FINAL;
	settle(e);
}

/* Type what was typed on COMMAND's pty, as much as it takes now. */
static void
push_keys(struct engine *e)
{
	ssize_t n = command_write(&e->cmd, e->keys, e->nkeys);

	if (n < 0)
		n = (ssize_t)e->nkeys;	/* nobody reads them any more */
	memmove(e->keys, e->keys + n, e->nkeys - (size_t)n);
	e->nkeys -= (size_t)n;
}

/* Keys typed on the terminal, for COMMAND's pty (^C, ^Z included). */
static void
read_keys(struct engine *e)
{
	ssize_t n = read(e->ctty, e->keys + e->nkeys,
	    sizeof(e->keys) - e->nkeys);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		e->keys_gone = true;	/* hung up */
	/* a hung-up terminal reads as its end, or as EIO while the other
	 * side of a pty is closed but not yet hung up; EIO read from the
	 * background (SIGTTIN ignored, an orphaned group) is no hang-up */
	if (n == 0 || (n < 0 && errno == EIO && (tcgetpgrp(e->ctty) < 0 ||
	    tcgetpgrp(e->ctty) == getpgrp()))) {
		take(e);
		e->tty.gone = true;	/* said at the end */
		give(e);
		hang_up(e);
	}
	if (n <= 0)
		return;
	e->nkeys += (size_t)n;
	push_keys(e);
}

/*
 * Lines COMMAND wrote to its message pipe (--messages): each whole one
 * replaces the message (a CR before its LF dropped), an empty one brings
 * -m's back, and the frame shows it at once.  A line is kept to its first
 * ENGINE_MESSAGE_MAX bytes; the render sanitizes it.  A batch is bounded,
 * as the relay's.
 */
static void
read_messages(struct engine *e)
{
	char data[4096];
	bool changed = false;
	ssize_t n = 0;

	take(e);
	for (int i = 0; i < RELAY_BATCH; i++) {
		n = command_read_messages(&e->cmd, data, sizeof(data));
		if (n <= 0)
			break;
		for (ssize_t j = 0; j < n; j++) {
			size_t len = e->nsaying;

			if (data[j] != '\n') {
				if (len < ENGINE_MESSAGE_MAX)
					e->saying[e->nsaying++] = data[j];
				continue;
			}
			if (len > 0 && e->saying[len - 1] == '\r')
				e->nsaying--;
			memcpy(e->said, e->saying, e->nsaying);
			e->said[e->nsaying] = '\0';
			e->line.msg = e->nsaying > 0 ? e->said :
			    e->opts->message;
			e->nsaying = 0;
			changed = true;
		}
	}
	if (changed && e->spinning)
		draw(e, e->line.frame);
	give(e);
	if (n < 0)
		e->messages_eof = true;
}

void
engine_ready(struct engine *e, int fd, short revents)
{
	if (e->done || revents == 0)
		return;
	if (fd == e->tty.fd) {
		take(e);
		term_out_flush(&e->tty);
		give(e);
	} else if (fd == e->cmd.relay) {
		if ((revents & POLLOUT) && e->nkeys > 0)
			push_keys(e);
		if (revents & (POLLIN | POLLHUP | POLLERR)) {
			if (e->closing)
				close_relay(e);
			else
				relay(e, RELAY_BATCH);
		}
	} else if (fd == e->ctty) {
		read_keys(e);
	} else if (fd == e->cmd.messages) {
		read_messages(e);
	}
}

/*
 * Whether our job is the terminal's foreground (or there is none): its
 * group is ours, or COMMAND's when we gave it the terminal.
 */
static bool
ahead(const struct engine *e)
{
	pid_t fg;

	if (e->ctty < 0 || (fg = term_holder(e->ctty)) < 0)
		return true;
	return fg == getpgrp() || (e->handed && fg == e->cmd.group);
}

/* Put the terminal in raw mode again if it is ours: the shell may have
 * set its own modes while we were stopped. */
static void
reclaim(struct engine *e)
{
	if (!e->proxy || !ahead(e))
		return;
	if (term_raw(e->ctty, &e->saved, !e->raw) == 0)
		e->raw = true;
}

/* Refit the line to the terminal's width, and COMMAND's pty with it. */
static void
resize(struct engine *e, bool tell)
{
	command_resize(&e->cmd, e->tty.fd);
	/* a relay is no terminal of COMMAND's: nobody else tells it */
	if (tell && live(e) && !e->proxy && !e->handed && e->cmd.relay >= 0)
		command_signal(&e->cmd, SIGWINCH);
	take(e);
	e->line.cols = term_columns(e->tty.fd);
	e->line.rows = term_rows(e->tty.fd, true);
	if (e->spinning && e->line.drawn)
		draw(e, e->line.frame);
	give(e);
}

/* Leave the terminal as the shell expects it, for a while. */
static void
step_out(struct engine *e)
{
	take(e);
	e->paused = true;
	if (e->spinning)
		term_clear(&e->tty, &e->line);
	term_release(&e->tty, &e->line);
	e->released = true;
	give(e);
	term_out_drain(&e->tty);
	if (e->raw) {
		term_restore(e->ctty, &e->saved);
		e->raw = false;
	}
}

/* Give COMMAND the terminal's foreground, and let it go on. */
static void
hand(struct engine *e)
{
	take(e);	/* no frame between the wipe and the handing */
	if (e->spinning)
		term_clear(&e->tty, &e->line);
	term_out_drain(&e->tty);
	term_give(e->ctty, e->cmd.group);
	e->handed = true;
	give(e);
	command_signal(&e->cmd, SIGCONT);
}

/*
 * A fatal signal pending (blocked and arrived), or 0.  One blocked when
 * we started is not ours to take: it stays pending, as it was meant to.
 */
static int
fatal_waiting(const struct engine *e)
{
	sigset_t pending;

	if (sigpending(&pending) != 0)
		return 0;
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (signals_fatal(sig) && sigismember(&pending, sig) == 1 &&
		    sigismember(&e->given, sig) != 1)
			return sig;
	return 0;
}

/*
 * Stop by sig (with our job, when job); returns whether a fatal signal
 * came meanwhile.  Fatal signals are held off over the stop so that it
 * can be told before anything else runs: kill %1 sends SIGTERM, then
 * SIGCONT, and COMMAND must then be let go on to meet it.
 */
static bool
stop(const struct engine *e, int sig, bool job)
{
	sigset_t fatal, old;
	bool came;

	signals_fatal_set(&fatal);
	pthread_sigmask(SIG_BLOCK, &fatal, &old);
	signals_stop(sig, job);
	came = fatal_waiting(e) != 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return came;
}
/* Let COMMAND (and the keeper of its session) go on. */
static void
go_on(struct engine *e)
{
	if (!live(e))
		return;
	if (e->proxy)
		kill(e->cmd.pid, SIGCONT);
	command_signal(&e->cmd, SIGCONT);
	e->behind = false;
}

/*
 * We were continued after a stop.  In front, all is taken up again: the
 * terminal, the line, COMMAND.  Continued behind the shell (bg), a
 * pipeline's COMMAND goes on there, as bg means, and frames come back
 * when we are in front again; one that owns the terminal (proxied, or
 * handed it) cannot, so we stop again as a program reading the terminal
 * from behind does (SIGTTIN) and fg continues us: at the next tick, once
 * the signals that came meanwhile are taken (kill %1 sends SIGTERM, then
 * SIGCONT: COMMAND is let go on to meet it).
 */
static void
resume(struct engine *e, bool killed)
{
	if (!ahead(e)) {
		if (!killed && (e->proxy || e->handed)) {
			e->behind = true;
			return;
		}
		take(e);
		e->paused = false;
		give(e);
		go_on(e);
		return;
	}
	e->behind = false;
	reclaim(e);
	command_resize(&e->cmd, e->tty.fd);
	take(e);
	e->paused = false;
	e->line.cols = term_columns(e->tty.fd);
	e->line.rows = term_rows(e->tty.fd, true);
	if (e->released)
		term_retake(&e->tty, &e->line);
	e->released = false;
	if (e->spinning && !e->handed)
		draw(e, e->line.frame);
	give(e);
	if (!live(e))
		return;
	if (e->handed) {
		hand(e);
		return;
	}
	go_on(e);
	if (e->proxy)	/* full-screen programs draw afresh */
		command_signal(&e->cmd, SIGWINCH);
}

/*
 * SIGTSTP: COMMAND stops, the terminal is left clean, we stop; on fg all
 * is taken up again.  Proxied, COMMAND is only told: the keeper of its
 * session stops when it does, and that drives the rest (see stopped()).
 */
static void
suspend(struct engine *e)
{
	if (live(e))
		command_signal(&e->cmd, SIGTSTP);
	if (live(e) && e->proxy)
		return;
	if (e->handed && term_holder(e->ctty) == e->cmd.group)
		term_give(e->ctty, getpgrp());	/* ours while we stop */
	step_out(e);
	resume(e, stop(e, SIGTSTP, false));
}

/*
 * Our child stopped.  Proxied, the keeper stops when COMMAND does (^Z
 * on its pty, or its own suspend): we step out and stop with our whole
 * job, as ^Z on a terminal would have.  Otherwise COMMAND stopped for the
 * terminal (SIGTTIN, SIGTTOU) gets it, as from a shell, or stopped by ^Z
 * while it held it, takes the rest of our job with it.
 */
static void
stopped(struct engine *e, int sig)
{
	if (e->proxy) {
		step_out(e);
		resume(e, stop(e, SIGTSTP, true));
	} else if ((sig == SIGTTIN || sig == SIGTTOU) && e->ctty >= 0) {
		if (ahead(e))
			hand(e);
		else
			e->behind = true;	/* stop as the reader would */
	} else if (e->handed && (sig == SIGTSTP || sig == SIGSTOP)) {
		if (term_holder(e->ctty) == e->cmd.group)
			term_give(e->ctty, getpgrp());
		take(e);
		e->paused = true;
		give(e);
		resume(e, stop(e, SIGTSTP, true));
	}
}

/* COMMAND ended with wait status status. */
static void
ended(struct engine *e, int status)
{
	e->reaped = true;
	e->out = outcome_from_wait(status);
	if (e->timed_out)
		e->out.kind = OUTCOME_TIMEDOUT;
	/* timed out, what it started that ignored SIGTERM gets SIGKILL
	 * too, at its time */
	e->lingering = e->timed_out && e->kill_at != ENGINE_NEVER;
	close_relay(e);
}

/*
 * Our children changed: COMMAND (or its keeper), or processes COMMAND
 * left, which are ours to reap (we are their subreaper), so that whether
 * its group still lives is known at once.
 */
static void
reap(struct engine *e)
{
	pid_t r;
	int status;

	while ((r = waitpid(-1, &status, WNOHANG | WUNTRACED)) > 0) {
		if (r != e->cmd.pid || e->reaped)
			continue;	/* one COMMAND left behind */
		if (WIFSTOPPED(status))
			stopped(e, WSTOPSIG(status));
		else
			ended(e, status);
	}
	if (e->lingering && kill(-e->cmd.group, 0) != 0) {
		e->lingering = false;
		settle(e);
	}
}

void
engine_signal(struct engine *e, int sig)
{
	term_recheck();	/* a job control signal, SIGCHLD: we may have moved */
	if (e->done)
		return;
	if (sig == SIGWINCH) {
		resize(e, true);
	} else if (sig == SIGCONT) {
		reclaim(e);
		resize(e, false);
	} else if (sig == SIGTSTP) {
		suspend(e);
	} else if (sig == SIGCHLD) {
		reap(e);
	} else if (signals_fatal(sig) && e->lingering) {
		command_signal(&e->cmd, SIGKILL);
		conclude(e, OUTCOME_SIGNALED, 0, sig);
	} else if (signals_fatal(sig)) {
		/*
		 * While COMMAND runs, its end decides ours: it and all it
		 * started are sent the signal.  Otherwise (the demo, or
		 * COMMAND gone) the run ends now.
		 */
		if (!live(e)) {
			conclude(e, OUTCOME_SIGNALED, 0, sig);
		} else {
			command_signal(&e->cmd, sig);
			go_on(e);	/* a stopped one, too, as timeout(1) */
		}
	}
}

void
engine_abort(struct engine *e, const char *why)
{
	if (why != NULL && e->why[0] == '\0')
		snprintf(e->why, sizeof(e->why), "%s", why);
	if (live(e)) {
		command_signal(&e->cmd, SIGKILL);
		if (e->proxy)	/* the keeper, out of the group: may be stopped */
			kill(e->cmd.pid, SIGKILL);
		waitpid(e->cmd.pid, NULL, 0);
		e->reaped = true;
	}
	e->out = (struct outcome){ OUTCOME_FAILED, EXIT_CANCELED, 0 };
	e->done = true;
	stats_work_end(&e->stats, engine_now());
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
	    engine_now() - e->start, e->utf8, room, e->color);
	buf[n++] = '\n';
	term_out_put(&e->tty, buf, n);
}

/* Reverse buf[0..n) in place. */
/*
 * COMMAND's output kept, in one block where it would have gone, as it
 * wrote it.  When its start was dropped, one line says so and the block
 * begins with the first whole line after the cut.
 */
static void
show_kept(struct engine *e)
{
	uint64_t dropped;
	size_t len, from = 0;
	const char *text = kept_text(&e->kept, &len, &dropped);

	if (len == 0 && dropped == 0)
		return;
	if (dropped > 0) {
		term_out_drain(&e->tty);
		warnx("the first %ju bytes of the output are left out (only "
		    "the last %u MiB are kept)", (uintmax_t)dropped,
		    KEPT_MAX >> 20);
	}
	while (from < len) {
		size_t n = len - from < 4096 ? len - from : 4096;

		term_pass(&e->tty, &e->line, text + from, n);
		from += n;
	}
}

/*
 * The terminal as it was found, COMMAND's pty closed, what it wrote shown
 * if kept and --output says so.  In the background (we were put there
 * with bg) the terminal is the shell's: it is left alone, but for giving
 * back a foreground we had given COMMAND, and for the output kept.
 */
static void
restore(struct engine *e)
{
	bool ok = e->out.kind == OUTCOME_EXITED && e->out.code == 0;

	if (e->handed && e->ctty >= 0 && term_holder(e->ctty) == e->cmd.group)
		term_give(e->ctty, getpgrp());
	if (e->keep && (e->opts->output == OUTPUT_ALL ||
	    (e->opts->output == OUTPUT_FAILED && !ok)))
		show_kept(e);
	kept_free(&e->kept);
	if (ahead(e)) {
		term_release(&e->tty, &e->line);
		term_out_drain(&e->tty);
		if (e->raw)
			term_restore(e->ctty, &e->saved);
	}
	e->raw = false;
	command_end_relay(&e->cmd);	/* hangs up what it left there */
	command_end_messages(&e->cmd);
	if (e->ctty >= 0)
		close(e->ctty);
	e->ctty = -1;
}

/* A fatal signal that came while the run was ending is not lost. */
static void
pending_fatal(struct engine *e)
{
	int sig = fatal_waiting(e);

	if (e->out.kind != OUTCOME_SIGNALED && sig != 0)
		e->out = (struct outcome){ OUTCOME_SIGNALED, 0, sig };
}
int
engine_end(struct engine *e, int answer)
{
	const struct spin_opts *o = e->opts;
	bool failed = e->out.kind == OUTCOME_FAILED &&
	    e->out.code == EXIT_CANCELED;

	stats_wiped(&e->stats, engine_now());	/* if no frame was shown */
	restore(e);
	if (o->persist && !failed) {
		/* on a line of its own after a partial one (of output, or
		 * kept output); from its start anyway (the terminal may have
		 * echoed ^C where it stood) */
		if (e->line.origin > 0 && e->drew)
			term_out_put(&e->tty, "\r\n", 2);
		else if (e->line.origin > 0)
			term_out_put(&e->tty, "\n", 1);
		else if (e->drew)
			term_out_put(&e->tty, "\r", 1);
		e->line.origin = 0;
		persist(e);
	}
	term_out_close(&e->tty);
	/* why the spinner failed, on a line of its own now that the
	 * terminal is no longer raw; or that it refused bytes (the run went
	 * on, as tee(1) goes on, but the status must say it) */
	if (e->why[0] != '\0')
		warnx("%s", e->why);
	else if (e->tty.error != 0)
		warnx("cannot write to standard error: %s",
		    strerror(e->tty.error));
	else if (e->tty.gone)	/* said where it may still be read */
		warnx("the terminal hung up; the run went on without it");
	pending_fatal(e);
	if (o->stats)
		stats_print(&e->stats, engine_now());
	if (e->out.kind == OUTCOME_SIGNALED) {
		say_flush();
		signals_reraise(e->out.sig);
	}
	if (demo(e) && e->out.kind == OUTCOME_EXITED &&
	    say(o->quiet ? "%d\n" : "Answer: %d\n", answer) != 0)
		return EXIT_CANCELED;
	return e->tty.error != 0 ? EXIT_CANCELED : outcome_status(&e->out);
}

static bool
done_of(void *e)
{
	return engine_done(e);
}

static int64_t
deadline_of(void *e)
{
	return engine_deadline(e);
}

static size_t
watches_of(void *e, struct engine_watch w[ENGINE_WATCH_MAX])
{
	return engine_watches(e, w);
}

static void
ready_of(void *e, int fd, short revents)
{
	engine_ready(e, fd, revents);
}

static void
tick_of(void *e)
{
	engine_tick(e);
}

static void
signal_of(void *e, int sig)
{
	engine_signal(e, sig);
}

static void
draw_of(void *e, size_t k)
{
	engine_draw(e, k);
}

static void
wipe_of(void *e)
{
	engine_wipe(e);
}

static void
abort_of(void *e, const char *why)
{
	engine_abort(e, why);
}

struct driven
engine_driven(struct engine *e)
{
	return (struct driven){ e, done_of, deadline_of, watches_of,
	    ready_of, tick_of, signal_of, draw_of, wipe_of, &e->stats,
	    abort_of };
}
