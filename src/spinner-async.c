/*
 * spinner-async: the seed's spinner_asyncio.py in C, on one libuv loop.
 *
 * Concurrency.  One thread, one uv_loop_t, no threadpool.  supervisor()
 * creates the spin task (a uv_timer_t re-armed for the absolute time of
 * each frame, so frames never drift), prints its description and "awaits"
 * the slow work: a one-shot uv_timer_t in the demo (the seed's
 * asyncio.sleep), or COMMAND, whose end arrives as SIGCHLD through a
 * uv_signal_t and whose terminal output arrives through a uv_poll_t on the
 * relay pty.  When the work is done, finish() cancels the task: cancelling
 * runs the task's clean-up branch (the seed's `except CancelledError:
 * break`, then the wipe) before the loop ends.
 *
 * The terminal.  Only callbacks on the loop write to it, one at a time.
 *
 * Signals.  Each signal we take has a uv_signal_t; libuv's handler only
 * writes to a pipe, and the work happens in on_signal_cb() on the loop.
 * To tell a ^C from the terminal (which COMMAND got too) from a kill(1)
 * aimed at us (which we forward), a thin SA_SIGINFO wrapper notes the
 * si_code and then calls libuv's own handler.
 *
 * The end.  finish() closes every handle; uv_run() then returns, and
 * uv_loop_close() must succeed: if it does not, that is reported and the
 * spinner fails (125).
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "cli.h"
#include "command.h"
#include "exitcodes.h"
#include "line.h"
#include "options.h"
#include "outcome.h"
#include "render.h"
#include "signals.h"
#include "term.h"

#define PROG "spinner-async"
#define DEFAULT_INTERVAL (OPTIONS_NS_PER_SEC / 10)	/* asyncio.sleep(.1) */
#define DRAIN_MS 100
#define RELAY_BATCH 16	/* reads of 4 KiB per turn of the loop */

/* The spin task: the seed's `async def spin(msg)`. */
struct task {
	uv_timer_t timer;
	struct line line;
	int fd;
	int64_t start;
	int64_t interval;
	size_t k;		/* the frame the timer will draw next */
	bool started;
	bool cancelled;
	bool paused;		/* suspended by ^Z: draw nothing */
};

struct app {
	uv_loop_t loop;
	struct spin_opts *opts;
	struct task task;
	uv_timer_t slow;	/* the demo's slow_function */
	uv_timer_t clock;	/* --timeout, then --kill-after, then drain */
	uv_signal_t sigs[SIGNALS_MAX];
	uv_poll_t relay;
	bool relay_open;
	struct command cmd;
	sigset_t taken;
	sigset_t origmask;
	int64_t start;
	bool animate;
	bool utf8;
	bool timed_out;
	bool reaped;
	bool finished;
	struct outcome out;
	int answer;
};

static volatile sig_atomic_t caught_code[SIGNALS_MAX];
static void (*uv_handler[SIGNALS_MAX])(int);

/* Note where sig came from, then let libuv take it as usual. */
static void
note_origin(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	if (sig > 0 && sig < SIGNALS_MAX) {
		caught_code[sig] = si != NULL ? si->si_code : 0;
		if (uv_handler[sig] != NULL)
			uv_handler[sig](sig);
	}
}

static int64_t
now_ns(void)
{
	return (int64_t)uv_hrtime();
}

/* Milliseconds until ns from now, rounded up, for a libuv timer. */
static uint64_t
ms_until(int64_t at)
{
	int64_t d = at - now_ns();

	return d <= 0 ? 0 : (uint64_t)((d + 999999) / 1000000);
}

static uint64_t
ms(int64_t ns)
{
	return (uint64_t)((ns + 999999) / 1000000);
}

/* Draw frame k unless suspended. */
static void
draw(struct task *t, size_t k)
{
	if (!t->paused)
		term_draw(t->fd, &t->line, k);
}

/* One step of the seed's loop: write the status, then sleep(.1). */
static const int spin_line = __LINE__ + 2;
static void
spin_cb(uv_timer_t *timer)
{
	struct task *t = timer->data;

	if (t->cancelled)
		return;
	draw(t, t->k);
	t->k = line_next_frame(t->k, t->start, now_ns(), t->interval);
	uv_update_time(timer->loop);
	uv_timer_start(timer, spin_cb,
	    ms_until(t->start + (int64_t)t->k * t->interval), 0);
}

/* asyncio.create_task(spin(msg)): scheduled, first frame at once. */
static void
task_create(struct app *a)
{
	struct task *t = &a->task;

	uv_timer_init(&a->loop, &t->timer);
	t->timer.data = t;
	t->start = now_ns();
	t->k = 0;
	t->started = true;
	uv_timer_start(&t->timer, spin_cb, 0, 0);
}

/*
 * spinner.cancel(): the clean-up branch runs now (the seed's except
 * CancelledError: break, then the wipe), and the task's handle closes.
 */
static void
task_cancel(struct task *t)
{
	if (!t->started || t->cancelled)
		return;
	t->cancelled = true;
	uv_timer_stop(&t->timer);
	term_clear(t->fd, &t->line);
	uv_close((uv_handle_t *)&t->timer, NULL);
}

static void
close_cb(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* The slow work is over: cancel the task and close every handle. */
static void
finish(struct app *a, struct outcome out)
{
	if (a->finished)
		return;
	a->finished = true;
	a->out = out;
	task_cancel(&a->task);
	uv_walk(&a->loop, close_cb, NULL);
}

static void
slow_cb(uv_timer_t *timer)
{
	struct app *a = timer->data;
	struct outcome out = { OUTCOME_EXITED, 0, 0 };

	a->answer = 42;		/* slow_function's return value */
	finish(a, out);
}

static void
kill_cb(uv_timer_t *timer)
{
	struct app *a = timer->data;

	if (!a->reaped)
		kill(a->cmd.pid, SIGKILL);
}

static void
timeout_cb(uv_timer_t *timer)
{
	struct app *a = timer->data;
	struct outcome out = { OUTCOME_TIMEDOUT, 0, 0 };

	a->timed_out = true;
	if (a->opts->command == NULL) {
		finish(a, out);
		return;
	}
	if (a->reaped)
		return;
	kill(a->cmd.pid, SIGTERM);
	uv_timer_start(&a->clock, kill_cb, ms(a->opts->kill_after_ns), 0);
}

/* COMMAND is gone and its output is relayed (or has had its time). */
static void
drained_cb(uv_timer_t *timer)
{
	struct app *a = timer->data;

	finish(a, a->out);
}

static void
relay_closed_cb(uv_handle_t *h)
{
	struct app *a = h->data;

	command_end_relay(&a->cmd);
}

/*
 * Print what COMMAND wrote to the terminal above the spinner's line: wipe
 * once, print a batch, draw once.  A batch is bounded so that a flood of
 * output cannot keep the loop from its other callbacks.
 */
static void
relay_cb(uv_poll_t *poll, int status, int events)
{
	struct app *a = poll->data;
	struct task *t = &a->task;
	char data[4096];
	ssize_t n = status == 0 ? 0 : -1;

	(void)events;
	for (int i = 0; status == 0 && i < RELAY_BATCH &&
	    (n = command_read(&a->cmd, data, sizeof(data))) > 0; i++)
		term_pass(t->fd, &t->line, data, (size_t)n);
	if (t->started && !t->cancelled && !t->line.drawn)
		draw(t, t->line.frame);
	if (n >= 0) {
		/* COMMAND is gone but something still writes: wait on until
		 * the pty has been quiet for DRAIN_MS */
		if (a->reaped)
			uv_timer_start(&a->clock, drained_cb, DRAIN_MS, 0);
		return;
	}
	/* every writer is gone */
	uv_poll_stop(poll);
	a->relay_open = false;
	if (!uv_is_closing((uv_handle_t *)poll))
		uv_close((uv_handle_t *)poll, relay_closed_cb);
	if (a->reaped)
		finish(a, a->out);
}

static void
reap(struct app *a)
{
	int status;

	if (a->reaped || a->cmd.pid <= 0 ||
	    waitpid(a->cmd.pid, &status, WNOHANG) != a->cmd.pid)
		return;
	a->reaped = true;
	a->out = outcome_from_wait(status);
	if (a->timed_out)
		a->out.kind = OUTCOME_TIMEDOUT;
	if (!a->relay_open) {
		finish(a, a->out);
		return;
	}
	uv_timer_stop(&a->clock);
	uv_timer_start(&a->clock, drained_cb, DRAIN_MS, 0);
}

static void
on_resize(struct app *a)
{
	struct task *t = &a->task;

	command_resize(&a->cmd, t->fd);
	t->line.cols = term_columns(t->fd);
	if (t->started && !t->cancelled && t->line.drawn)
		draw(t, t->line.frame);
}

/* ^Z: leave the terminal clean, stop, and on fg take up the animation. */
static void
on_suspend(struct app *a, bool forward)
{
	struct task *t = &a->task;
	bool live = t->started && !t->cancelled;

	if (forward && a->cmd.pid > 0 && !a->reaped)
		kill(a->cmd.pid, SIGTSTP);
	if (live) {
		t->paused = true;
		term_clear(t->fd, &t->line);
	}
	signals_suspend();
	if (a->cmd.pid > 0 && !a->reaped)
		kill(a->cmd.pid, SIGCONT);
	if (live) {
		t->paused = false;
		t->line.cols = term_columns(t->fd);
		draw(t, t->line.frame);
	}
}

/*
 * A signal, taken on the loop.  In the demo a fatal signal ends the
 * spinner; with COMMAND it is passed on if a process sent it (from the
 * terminal, COMMAND got it too), and COMMAND's end decides ours.
 */
static void
on_signal_cb(uv_signal_t *h, int sig)
{
	struct app *a = h->data;
	bool sent = signals_sent(caught_code[sig]);

	if (sig == SIGWINCH || sig == SIGCONT) {
		on_resize(a);
	} else if (sig == SIGTSTP) {
		on_suspend(a, sent);
	} else if (sig == SIGCHLD) {
		reap(a);
	} else if (signals_fatal(sig)) {
		if (a->opts->command == NULL) {
			struct outcome out = { OUTCOME_SIGNALED, 0, sig };
			finish(a, out);
		} else if (sent && !a->reaped) {
			kill(a->cmd.pid, sig);
		}
	}
}

/* A uv_signal_t for each signal we take; a closed pipe gives EPIPE. */
static void
take_signals(struct app *a)
{
	sigset_t pipe_set;

	signals_taken(&a->taken);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &a->origmask);
	for (int sig = 1; sig < SIGNALS_MAX; sig++) {
		struct sigaction sa;

		if (sigismember(&a->taken, sig) != 1)
			continue;
		uv_signal_init(&a->loop, &a->sigs[sig]);
		a->sigs[sig].data = a;
		uv_signal_start(&a->sigs[sig], on_signal_cb, sig);
		if (sigaction(sig, NULL, &sa) != 0 ||
		    (sa.sa_flags & SA_SIGINFO) || sa.sa_handler == SIG_DFL ||
		    sa.sa_handler == SIG_IGN)
			continue;
		uv_handler[sig] = sa.sa_handler;
		sa.sa_sigaction = note_origin;
		sa.sa_flags |= SA_SIGINFO;
		sigaction(sig, &sa, NULL);
	}
}

/*
 * The first half of the seed's supervisor(): create the spin task, print
 * it, start the slow work.  Everything after happens on the loop.
 */
static void
app_start(struct app *a, struct spin_opts *o)
{
	struct task *t = &a->task;
	char err[256];
	int rc;

	memset(a, 0, sizeof(*a));
	a->opts = o;
	a->cmd.pid = -1;
	a->cmd.relay = -1;
	a->utf8 = cli_settle(o, &a->animate);
	t->fd = STDERR_FILENO;
	t->interval = o->interval_ns;
	line_init(&t->line, o->style, o->message, a->utf8,
	    term_columns(STDERR_FILENO));
	if ((rc = uv_loop_init(&a->loop)) != 0)
		errx(EXIT_CANCELED, "cannot start the event loop: %s",
		    uv_strerror(rc));
	take_signals(a);
	uv_timer_init(&a->loop, &a->slow);
	uv_timer_init(&a->loop, &a->clock);
	a->slow.data = a->clock.data = a;
	a->start = now_ns();

	if (o->command == NULL) {
		if (!o->quiet && cli_say("spinner object: <Task pending "
		    "name='Task-1' coro=<spin() running at %s:%d>>\n",
		    __FILE__, spin_line) != 0) {
			struct outcome fail = { OUTCOME_FAILED, EXIT_CANCELED,
				0 };
			finish(a, fail);
		} else {
			uv_timer_start(&a->slow, slow_cb, ms(o->delay_ns), 0);
		}
	} else {
		rc = command_start(&a->cmd, o->command, &a->origmask,
		    &a->taken, a->animate ? STDERR_FILENO : -1, err,
		    sizeof(err));
		if (rc != 0) {
			struct outcome fail = { OUTCOME_FAILED, rc, 0 };
			warnx("%s", err);
			finish(a, fail);
		} else if (a->cmd.relay >= 0) {
			uv_poll_init(&a->loop, &a->relay, a->cmd.relay);
			a->relay.data = a;
			a->relay_open = true;
			uv_poll_start(&a->relay, UV_READABLE, relay_cb);
		}
	}
	if (!a->finished && a->animate)
		task_create(a);
	if (!a->finished && o->timeout_ns > 0)
		uv_timer_start(&a->clock, timeout_cb, ms(o->timeout_ns), 0);
}

/* Run the loop until every handle is closed; uv_loop_close()'s result. */
static int
app_run(struct app *a)
{
	uv_run(&a->loop, UV_RUN_DEFAULT);
	command_end_relay(&a->cmd);	/* a grandchild may still hold it */
	return uv_loop_close(&a->loop);
}

/*
 * The seed's supervisor(): create the spin task, print it, await the slow
 * work, cancel the task.  Returns the exit status, or re-raises a signal.
 */
static int
supervisor(struct spin_opts *o)
{
	static struct app app;
	struct app *a = &app;
	int rc;

	app_start(a, o);
	if ((rc = app_run(a)) != 0) {
		warnx("the event loop did not close: %s", uv_strerror(rc));
		return EXIT_CANCELED;
	}
	if (o->persist && !(a->out.kind == OUTCOME_FAILED &&
	    a->out.code == EXIT_CANCELED && o->command == NULL))
		cli_persist(o, &a->out, now_ns() - a->start, a->utf8,
		    &a->task.line, a->animate && a->out.kind != OUTCOME_FAILED);
	return cli_end(o, &a->out, a->answer);
}

int
main(int argc, char **argv)
{
	return cli_main(argc, argv, PROG, DEFAULT_INTERVAL, supervisor);
}
