/*
 * spinner-thread: the seed's spinner_thread.py in C.
 *
 * Concurrency.  main() is the supervisor.  It starts spin() on a POSIX
 * thread, runs the slow work itself (the demo's slow_function, or COMMAND)
 * and then stops the spinner the seed's way: it clears the atomic flag
 * `go` (the seed's Signal.go), wakes the thread through its condition
 * variable and pthread_join()s it.  spin() sleeps on that condition
 * variable until the absolute time of its next frame on CLOCK_MONOTONIC,
 * so a stop takes effect at once and frames never drift: frame k is drawn
 * at start + k * interval.
 *
 * The terminal.  Whoever holds `lock` may write to it: spin() for frames,
 * main for resizes, suspends, COMMAND's relayed output and the final line.
 *
 * Signals.  Every signal we take is blocked in every thread before spin()
 * exists.  main unblocks them only inside pselect(), its one place of
 * waiting, where their handlers merely set flags, and after each wake-up
 * takes any still pending with a zero-timeout sigtimedwait(); all the
 * work (drawing, forwarding, restoring, exiting) happens in ordinary code.
 */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "command.h"
#include "exitcodes.h"
#include "line.h"
#include "options.h"
#include "outcome.h"
#include "render.h"
#include "signals.h"
#include "term.h"

#define PROG "spinner-thread"
#define DEFAULT_INTERVAL OPTIONS_NS_PER_SEC	/* the seed sleeps 1 s */
#define DRAIN_NS (100 * INT64_C(1000000))	/* see supervise() */
#define RELAY_BATCH 16	/* reads of 4 KiB per turn of the loop */

struct spinner {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool go;		/* the seed's Signal.go */
	bool started;
	bool paused;		/* suspended by ^Z: draw nothing */
	int fd;
	int64_t start;
	int64_t interval;
	struct line line;
};

struct supervisor {
	const struct spin_opts *opts;
	struct spinner spinner;
	struct command cmd;
	sigset_t taken;
	sigset_t origmask;
	sigset_t waitmask;
	sigset_t collect;	/* taken signals unblocked in pselect() */
	int64_t start;
	bool animate;
	bool utf8;
	bool reaped;		/* COMMAND's pid is no longer ours to signal */
};

static volatile sig_atomic_t caught[SIGNALS_MAX];
static volatile sig_atomic_t caught_code[SIGNALS_MAX];

static void
on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	if (sig > 0 && sig < SIGNALS_MAX) {
		caught_code[sig] = si != NULL ? si->si_code : 0;
		caught[sig] = 1;
	}
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * OPTIONS_NS_PER_SEC + ts.tv_nsec;
}

static struct timespec
to_timespec(int64_t ns)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ns / OPTIONS_NS_PER_SEC);
	ts.tv_nsec = (long)(ns % OPTIONS_NS_PER_SEC);
	return ts;
}

/* Draw frame k unless suspended; the caller holds the lock. */
static void
draw(struct spinner *sp, size_t k)
{
	if (!sp->paused)
		term_draw(sp->fd, &sp->line, k);
}

/*
 * The seed's spin(): draw a frame, sleep until the next one is due, and
 * leave when go is cleared; then wipe the line and show the cursor.
 */
static void *
spin(void *arg)
{
	struct spinner *sp = arg;
	size_t k = 0;

	pthread_mutex_lock(&sp->lock);
	do {	/* like the seed, draw at least one frame */
		draw(sp, k);
		struct timespec due = to_timespec(sp->start +
		    (int64_t)(k + 1) * sp->interval);
		while (atomic_load(&sp->go) && pthread_cond_timedwait(
		    &sp->wake, &sp->lock, &due) != ETIMEDOUT)
			;
		k = line_next_frame(k, sp->start, now_ns(), sp->interval);
	} while (atomic_load(&sp->go));
	term_clear(sp->fd, &sp->line);
	pthread_mutex_unlock(&sp->lock);
	return NULL;
}

static int
spinner_start(struct spinner *sp)
{
	pthread_condattr_t ca;
	int rc;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sp->wake, &ca);
	pthread_condattr_destroy(&ca);
	atomic_store(&sp->go, true);
	sp->start = now_ns();
	rc = pthread_create(&sp->thread, NULL, spin, sp);
	sp->started = rc == 0;
	return rc;
}

/* signal.go = False; spinner.join() */
static void
spinner_stop(struct spinner *sp)
{
	if (!sp->started)
		return;
	atomic_store(&sp->go, false);
	pthread_mutex_lock(&sp->lock);
	pthread_cond_signal(&sp->wake);
	pthread_mutex_unlock(&sp->lock);
	pthread_join(sp->thread, NULL);
	sp->started = false;
}

/* Refit the line to a new width and redraw it at once. */
static void
on_resize(struct supervisor *sv)
{
	struct spinner *sp = &sv->spinner;

	command_resize(&sv->cmd, sp->fd);
	if (!sp->started)
		return;
	pthread_mutex_lock(&sp->lock);
	sp->line.cols = term_columns(sp->fd);
	if (sp->line.drawn)
		draw(sp, sp->line.frame);
	pthread_mutex_unlock(&sp->lock);
}

/* ^Z: leave the terminal clean, stop, and on fg take up the animation. */
static void
on_suspend(struct supervisor *sv, bool forward)
{
	struct spinner *sp = &sv->spinner;

	bool live = sv->cmd.pid > 0 && !sv->reaped;

	if (forward && live)
		kill(sv->cmd.pid, SIGTSTP);
	if (sp->started) {
		pthread_mutex_lock(&sp->lock);
		sp->paused = true;
		term_clear(sp->fd, &sp->line);
		pthread_mutex_unlock(&sp->lock);
	}
	signals_suspend();
	caught[SIGCONT] = 0;
	if (live)
		kill(sv->cmd.pid, SIGCONT);
	if (sp->started) {
		pthread_mutex_lock(&sp->lock);
		sp->paused = false;
		sp->line.cols = term_columns(sp->fd);
		draw(sp, sp->line.frame);
		pthread_mutex_unlock(&sp->lock);
	}
}

/*
 * Print what COMMAND wrote to the terminal above the spinner's line: wipe
 * once, print a batch, draw once.  A batch is bounded so that a flood of
 * output cannot keep main from its signals and COMMAND's end.
 */
static void
relay(struct supervisor *sv)
{
	struct spinner *sp = &sv->spinner;
	char data[4096];
	ssize_t n = 0;

	pthread_mutex_lock(&sp->lock);
	for (int i = 0; i < RELAY_BATCH &&
	    (n = command_read(&sv->cmd, data, sizeof(data))) > 0; i++)
		term_pass(sp->fd, &sp->line, data, (size_t)n);
	if (sp->started && !sp->line.drawn)
		draw(sp, sp->line.frame);
	pthread_mutex_unlock(&sp->lock);
	if (n < 0)
		command_end_relay(&sv->cmd);
}

/*
 * Take the signals still pending.  pselect() runs their handlers only when
 * it has to wait: when COMMAND's output is always ready, they would stay
 * pending, blocked, for as long as the flood lasts.
 */
static void
collect_pending(struct supervisor *sv)
{
	const struct timespec zero = { 0, 0 };
	siginfo_t si;
	int sig;

	while ((sig = sigtimedwait(&sv->collect, &si, &zero)) > 0)
		if (sig < SIGNALS_MAX) {
			caught_code[sig] = si.si_code;
			caught[sig] = 1;
		}
}

/*
 * Act on the signals that arrived.  Returns a fatal signal that should end
 * the spinner now (the demo), or 0.  In command mode a fatal signal is
 * passed on to COMMAND if a process sent it; from the terminal, COMMAND got
 * it too.  Either way COMMAND's end decides ours.
 */
static int
handle_signals(struct supervisor *sv)
{
	int fatal = 0;

	collect_pending(sv);
	for (int sig = 1; sig < SIGNALS_MAX; sig++) {
		if (!caught[sig])
			continue;
		caught[sig] = 0;
		bool sent = signals_sent(caught_code[sig]);

		if (sig == SIGWINCH) {
			on_resize(sv);
		} else if (sig == SIGTSTP) {
			on_suspend(sv, sent);
		} else if (sig == SIGCONT) {
			on_resize(sv);
		} else if (signals_fatal(sig)) {
			if (sv->cmd.pid <= 0)
				fatal = sig;
			else if (sent && !sv->reaped)
				kill(sv->cmd.pid, sig);
		}
	}
	return fatal;
}

/*
 * main's one place of waiting: until the demo's delay has passed or
 * COMMAND has ended and its output is relayed, meanwhile enforcing the
 * timeout and taking signals.  After COMMAND ends, its pty is read until
 * every writer is gone, or (a process it left in the background holds the
 * pty) until it has been quiet for DRAIN_NS.
 */
static struct outcome
supervise(struct supervisor *sv)
{
	const struct spin_opts *o = sv->opts;
	bool demo = o->command == NULL, timed_out = false;
	int64_t end = demo ? sv->start + o->delay_ns : 0;
	int64_t timeout_at = o->timeout_ns ? sv->start + o->timeout_ns : 0;
	int64_t kill_at = 0, drain_until = 0;
	struct outcome out = { OUTCOME_EXITED, 0, 0 };

	for (;;) {
		int64_t now = now_ns(), next = 0;

		if (demo && now >= end && !(timeout_at && timeout_at <= end))
			return out;
		if (timeout_at && now >= timeout_at && !timed_out) {
			timed_out = true;
			if (demo) {
				out.kind = OUTCOME_TIMEDOUT;
				return out;
			}
			if (!sv->reaped) {
				kill(sv->cmd.pid, SIGTERM);
				kill_at = now + o->kill_after_ns;
			}
		}
		if (kill_at && now >= kill_at && !sv->reaped) {
			kill(sv->cmd.pid, SIGKILL);
			kill_at = 0;
		}
		if (sv->reaped && (sv->cmd.relay < 0 || now >= drain_until))
			return out;

		if (demo)
			next = end;
		if (timeout_at && !timed_out && (!next || timeout_at < next))
			next = timeout_at;
		if (kill_at && !sv->reaped && (!next || kill_at < next))
			next = kill_at;
		if (sv->reaped && (!next || drain_until < next))
			next = drain_until;

		fd_set rfds;
		FD_ZERO(&rfds);
		if (sv->cmd.relay >= 0)
			FD_SET(sv->cmd.relay, &rfds);
		struct timespec ts = to_timespec(next > now ? next - now : 0);
		int r = pselect(sv->cmd.relay + 1, &rfds, NULL, NULL,
		    next ? &ts : NULL, &sv->waitmask);
		if (r > 0 && sv->cmd.relay >= 0 &&
		    FD_ISSET(sv->cmd.relay, &rfds)) {
			relay(sv);
			if (sv->reaped)
				drain_until = now_ns() + DRAIN_NS;
		}

		int sig = handle_signals(sv);
		if (sig != 0) {
			out.kind = OUTCOME_SIGNALED;
			out.sig = sig;
			return out;
		}

		int status;
		if (!demo && !sv->reaped &&
		    waitpid(sv->cmd.pid, &status, WNOHANG) == sv->cmd.pid) {
			sv->reaped = true;
			out = outcome_from_wait(status);
			if (timed_out)
				out.kind = OUTCOME_TIMEDOUT;
			drain_until = now_ns() + DRAIN_NS;
		}
	}
}

/* The seed's slow_function: pretend to wait for I/O, then answer 42. */
static struct outcome
slow_function(struct supervisor *sv, int *answer)
{
	struct outcome out = supervise(sv);

	if (out.kind == OUTCOME_EXITED)
		*answer = 42;
	return out;
}

/* Take the signals: blocked everywhere, handled only inside pselect(). */
static void
take_signals(struct supervisor *sv)
{
	struct sigaction sa;
	sigset_t block;

	signals_taken(&sv->taken);
	block = sv->taken;
	sigaddset(&block, SIGPIPE);	/* a closed pipe: EPIPE, reported */
	pthread_sigmask(SIG_BLOCK, &block, &sv->origmask);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(&sv->taken, sig) == 1)
			sigaction(sig, &sa, NULL);

	sv->waitmask = sv->origmask;
	sigaddset(&sv->waitmask, SIGPIPE);
	sigdelset(&sv->waitmask, SIGCHLD);
	sigdelset(&sv->waitmask, SIGWINCH);
	sigdelset(&sv->waitmask, SIGCONT);
	sigemptyset(&sv->collect);
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(&sv->taken, sig) == 1 &&
		    sigismember(&sv->waitmask, sig) == 0)
			sigaddset(&sv->collect, sig);
}

static int
supervisor(struct spin_opts *o)
{
	struct supervisor sv;
	struct spinner *sp = &sv.spinner;
	struct outcome out;
	char err[256];
	int answer = 0, rc;

	memset(&sv, 0, sizeof(sv));
	sv.opts = o;
	sv.cmd.pid = -1;
	sv.cmd.relay = -1;
	sv.utf8 = cli_settle(o, &sv.animate);

	sp->fd = STDERR_FILENO;
	sp->interval = o->interval_ns;
	pthread_mutex_init(&sp->lock, NULL);
	line_init(&sp->line, o->style, o->message, sv.utf8,
	    term_columns(STDERR_FILENO));

	take_signals(&sv);
	sv.start = now_ns();
	if (o->command == NULL) {
		if (!o->quiet && cli_say("spinner object: <Thread(Thread-1 "
		    "(spin), initial)>\n") != 0)
			return EXIT_CANCELED;
	} else {
		rc = command_start(&sv.cmd, o->command, &sv.origmask,
		    &sv.taken, sv.animate ? STDERR_FILENO : -1, err,
		    sizeof(err));
		if (rc != 0) {
			warnx("%s", err);
			if (o->persist) {
				out.kind = OUTCOME_FAILED;
				out.code = rc;
				cli_persist(o, &out, 0, sv.utf8, &sp->line,
				    false);
			}
			return rc;
		}
	}

	if (sv.animate && (rc = spinner_start(sp)) != 0) {
		warnx("cannot start the spinner thread: %s", strerror(rc));
		if (sv.cmd.pid > 0) {
			kill(sv.cmd.pid, SIGTERM);
			waitpid(sv.cmd.pid, NULL, 0);
		}
		return EXIT_CANCELED;
	}
	out = o->command == NULL ? slow_function(&sv, &answer) :
	    supervise(&sv);
	spinner_stop(sp);
	command_end_relay(&sv.cmd);	/* a grandchild may still hold it */
	if (o->persist)
		cli_persist(o, &out, now_ns() - sv.start, sv.utf8, &sp->line,
		    sv.animate);
	pthread_mutex_destroy(&sp->lock);
	if (sp->started || sv.animate)
		pthread_cond_destroy(&sp->wake);

	return cli_end(o, &out, answer);
}

int
main(int argc, char **argv)
{
	return cli_main(argc, argv, PROG, DEFAULT_INTERVAL, supervisor);
}
