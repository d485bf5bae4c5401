/*
 * spinner-async: the seed's spinner_asyncio.py in C, on one libuv loop.
 *
 * Concurrency.  One thread, one uv_loop_t, no threadpool.  supervisor()
 * creates the spin task (a uv_timer_t re-armed for the absolute time of
 * each frame, so frames never drift), prints its description and
 * "awaits" the slow work: uv_run() until the engine says the run is done.
 * Everything the slow work waits for is a handle calling the engine: one
 * uv_timer_t for the engine's next deadline (the demo's
 * asyncio.sleep(3), the timeout), a uv_signal_t per signal (COMMAND's
 * end comes as SIGCHLD), a uv_poll_t per descriptor the engine watches
 * (COMMAND's pty, the keys, the terminal taking queued output).  When the run is
 * done, finish() cancels the task: cancelling runs the task's clean-up
 * branch (the seed's `except CancelledError: break`, then the wipe).
 *
 * The terminal.  Only callbacks on the loop write to it, one at a time,
 * so the engine's line needs no lock.
 *
 * Signals.  libuv's handler only writes to a pipe; the engine acts on
 * the signal in signal_cb() on the loop.  Before the handles close at the
 * end, the signals are blocked, so that none finds its default action
 * while the engine restores the terminal (it looks at what is pending).
 *
 * The end.  finish() closes every handle; uv_run() then returns, and
 * uv_loop_close() must succeed: if it does not, that is reported and the
 * spinner fails (125).  So does a handle that cannot start (the spin
 * task, the clock, a poll): what runs is killed, and why is said once
 * the terminal is restored.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "batch.h"
#include "cli.h"
#include "engine.h"
#include "exitcodes.h"
#include "line.h"
#include "say.h"
#include "signals.h"

#define DEFAULT_INTERVAL (OPTIONS_NS_PER_SEC / 10)	/* asyncio.sleep(.1) */

/* The spin task: the seed's `async def spin(msg)`. */
struct task {
	uv_timer_t timer;
	const struct driven *d;	/* the engine's line, or the tasks' area */
	int64_t start;
	int64_t interval;
	size_t k;		/* the frame the timer will draw next */
	bool started;
	bool cancelled;
};

/* A uv_poll_t on a descriptor the engine watches. */
struct watcher {
	uv_poll_t poll;
	int fd;			/* -1: not set up */
	int events;		/* UV_READABLE, UV_WRITABLE it polls for */
	struct app *app;
};

struct app {
	uv_loop_t loop;
	struct engine engine;
	struct batch batch;	/* many tasks at once, instead of engine */
	struct driven d;	/* which of the two the loop drives */
	struct task task;
	uv_timer_t clock;	/* the engine's next deadline */
	uv_signal_t sigs[SIGNALS_MAX];
	struct watcher watch[ENGINE_WATCH_MAX];
	bool finished;
	sigset_t taken;
	sigset_t origmask;
};

/*
 * uv_loop_init(), or exit 125 saying why.  libuv aborts when it cannot
 * make the pipes its signal handling needs, so the descriptors they take
 * are asked for first.
 */
static void
loop_init(uv_loop_t *loop)
{
	int fds[6], n = 0, rc;

	while (n < 6 && (fds[n] = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC,
	    0)) >= 0)
		n++;
	rc = n < 6 ? errno : 0;
	while (n > 0)
		close(fds[--n]);
	if (rc != 0)
		errx(EXIT_CANCELED, "cannot start the event loop: %s",
		    strerror(rc));
	if ((rc = uv_loop_init(loop)) != 0)
		errx(EXIT_CANCELED, "cannot start the event loop: %s",
		    uv_strerror(rc));
}

/*
 * A libuv call failed, so the loop cannot do what the run needs: the
 * spinner fails (the driven's abort), and the loop ends once the run is
 * done.  Why is said at the end, the terminal restored.
 */
static void
fail(struct app *a, const char *what, int rc)
{
	char why[128];

	snprintf(why, sizeof(why), "cannot %s: %s", what, uv_strerror(rc));
	a->d.abort(a->d.obj, why);
}

static void follow(struct app *a);

/* Milliseconds from the loop's fresh time until at, rounded up. */
static uint64_t
ms_until(uv_loop_t *loop, int64_t at)
{
	int64_t d;

	uv_update_time(loop);
	d = at - engine_now();
	return d <= 0 ? 0 : (uint64_t)((d + 999999) / 1000000);
}

/* One step of the seed's loop: write the status, then sleep(.1). */
static const int spin_line = __LINE__ + 2;
static void
spin_cb(uv_timer_t *timer)
{
	struct task *t = timer->data;
	int rc;

	if (t->cancelled)
		return;
	term_woke(t->start + (int64_t)t->k * t->interval, engine_now());
	t->d->draw(t->d->obj, t->k);
	t->k = line_next_frame(t->k, t->start, engine_now(), t->interval);
	if ((rc = uv_timer_start(timer, spin_cb, ms_until(timer->loop,
	    t->start + (int64_t)t->k * t->interval), 0)) != 0) {
		fail(timer->loop->data, "set a timer", rc);
		follow(timer->loop->data);
	}
}

/* asyncio.create_task(spin(msg)): scheduled, first frame at once. */
static int
task_create(struct app *a)
{
	struct task *t = &a->task;
	int rc;

	uv_timer_init(&a->loop, &t->timer);
	t->timer.data = t;
	t->start = engine_now();
	if ((rc = uv_timer_start(&t->timer, spin_cb, 0, 0)) == 0)
		t->started = true;
	return rc;	/* not started: closed with the rest by finish() */
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
	t->d->wipe(t->d->obj);
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
finish(struct app *a)
{
	if (a->finished)
		return;
	a->finished = true;
	task_cancel(&a->task);
	/* closed, the signal handles leave default actions behind: hold the
	 * signals off while the engine ends the run (it sees what came) */
	sigprocmask(SIG_BLOCK, &a->taken, NULL);
	uv_walk(&a->loop, close_cb, NULL);
}

static void clock_cb(uv_timer_t *timer);
static void poll_cb(uv_poll_t *poll, int status, int events);

/*
 * Poll for what the engine watches now, and for nothing else: 0, or
 * libuv's error.
 */
static int
watch(struct app *a)
{
	struct engine_watch w[ENGINE_WATCH_MAX];
	size_t n = a->d.watches(a->d.obj, w);
	int rc;

	for (size_t j = 0; j < ENGINE_WATCH_MAX; j++) {
		struct watcher *h = &a->watch[j];
		int events = 0;

		if (h->fd < 0)
			continue;
		for (size_t i = 0; i < n; i++)
			if (w[i].fd == h->fd)
				events = ((w[i].events & POLLIN) ?
				    UV_READABLE : 0) |
				    ((w[i].events & POLLOUT) ?
				    UV_WRITABLE : 0);
		if (events == h->events)
			continue;
		if (events == 0)
			uv_poll_stop(&h->poll);
		else if ((rc = uv_poll_start(&h->poll, events, poll_cb)) != 0)
			return rc;
		h->events = events;	/* only once it holds */
	}
	for (size_t i = 0; i < n; i++) {
		struct watcher *h = NULL;

		for (size_t j = 0; j < ENGINE_WATCH_MAX; j++)
			if (a->watch[j].fd == w[i].fd || (h == NULL &&
			    a->watch[j].fd < 0))
				h = &a->watch[j];
		if (h == NULL || h->fd == w[i].fd)
			continue;	/* polled above */
		if ((rc = uv_poll_init(&a->loop, &h->poll, w[i].fd)) != 0)
			return rc;
		h->fd = w[i].fd;
		h->app = a;
		h->poll.data = h;
		h->events = ((w[i].events & POLLIN) ? UV_READABLE : 0) |
		    ((w[i].events & POLLOUT) ? UV_WRITABLE : 0);
		if ((rc = uv_poll_start(&h->poll, h->events, poll_cb)) != 0)
			return rc;
	}
	return 0;
}

/*
 * After each call into the engine: follow what it now waits for.  What
 * cannot be followed fails the spinner (once: a failure again is left
 * for the next call, so that it never recurs here).
 */
static void
follow(struct app *a)
{
	int64_t next;
	int rc;

	if (a->d.done(a->d.obj)) {
		finish(a);
		return;
	}
	if ((rc = watch(a)) != 0) {
		fail(a, "watch a descriptor", rc);
	} else if ((next = a->d.deadline(a->d.obj)) == ENGINE_NEVER) {
		uv_timer_stop(&a->clock);
	} else if ((rc = uv_timer_start(&a->clock, clock_cb, ms_until(&a->loop,
	    next), 0)) != 0) {
		fail(a, "set a timer", rc);
	}
	if (rc != 0 && a->d.done(a->d.obj))
		finish(a);
}

static void
clock_cb(uv_timer_t *timer)
{
	struct app *a = timer->data;

	a->d.tick(a->d.obj);
	follow(a);
}

static void
poll_cb(uv_poll_t *poll, int status, int events)
{
	struct watcher *h = poll->data;
	short revents = (short)(status < 0 ? POLLERR :
	    ((events & UV_READABLE) ? POLLIN : 0) |
	    ((events & UV_WRITABLE) ? POLLOUT : 0) |
	    ((events & UV_DISCONNECT) ? POLLHUP : 0));

	if (status < 0)
		h->events = 0;	/* libuv stopped the poll itself */
	h->app->d.ready(h->app->d.obj, h->fd, revents);
	follow(h->app);
}

static void
signal_cb(uv_signal_t *h, int sig)
{
	struct app *a = h->data;

	a->d.signal(a->d.obj, sig);
	follow(a);
}

/*
 * A uv_signal_t for each signal we take; the quiet ones stay blocked, and
 * so does one blocked when we started, but for those we cannot do
 * without (COMMAND's end would never come).
 */
static void
take_signals(struct app *a)
{
	sigset_t quiet, needed;

	signals_taken(&a->taken);
	signals_quiet(&quiet);
	sigprocmask(SIG_BLOCK, &quiet, &a->origmask);
	signals_needed(&needed);
	sigprocmask(SIG_UNBLOCK, &needed, NULL);
	for (int sig = 1; sig < SIGNALS_MAX; sig++) {
		if (sigismember(&a->taken, sig) != 1)
			continue;
		int rc = uv_signal_init(&a->loop, &a->sigs[sig]);

		a->sigs[sig].data = a;
		if (rc == 0)
			rc = uv_signal_start(&a->sigs[sig], signal_cb, sig);
		if (rc != 0)	/* nothing has started yet */
			errx(EXIT_CANCELED, "cannot take signals: %s",
			    uv_strerror(rc));
	}
}

/* The loop, its signals and clock, the spin task's and the watchers'. */
static void
app_init(struct app *a, struct driven d, int64_t interval)
{
	loop_init(&a->loop);
	a->loop.data = a;
	take_signals(a);
	uv_timer_init(&a->loop, &a->clock);
	a->clock.data = a;
	a->d = d;
	a->task.d = &a->d;
	a->task.interval = interval;
	for (size_t j = 0; j < ENGINE_WATCH_MAX; j++)
		a->watch[j].fd = -1;
}

/*
 * Run the loop until finish() has closed it all; if it does not close,
 * the spinner fails (after the run: nothing is left to stop).
 */
static void
app_run(struct app *a)
{
	int rc;

	uv_run(&a->loop, UV_RUN_DEFAULT);
	if ((rc = uv_loop_close(&a->loop)) != 0)
		fail(a, "close the event loop", rc);
}

/*
 * The seed's supervisor(): create the spin task, print it, await the
 * slow work, cancel the task; then the engine ends the run.
 */
static int
supervisor(const struct spin_opts *o)
{
	static struct app app;
	struct app *a = &app;
	struct engine *e = &a->engine;
	int rc;

	engine_init(e, o, NULL);
	app_init(a, engine_driven(e), o->interval_ns);
	if (o->command == NULL && !o->quiet && say("spinner object: <Task "
	    "pending name='Task-1' coro=<spin() running at %s:%d>>\n",
	    __FILE__, spin_line) != 0) {
		engine_abort(e, NULL);	/* said */
	} else {
		engine_start(e, &a->origmask, &a->taken);
	}
	if (!engine_done(e) && engine_animates(e) && (rc = task_create(a)) != 0)
		fail(a, "start the spinner task", rc);
	follow(a);

	app_run(a);	/* await slow_function() */
	return engine_end(e, 42);	/* slow_function's answer */
}

/*
 * Many tasks at once, all on the loop: a uv_poll_t on each running
 * task's output, SIGCHLD for their ends (the batch reaps), the clock for
 * timeouts, the spin task drawing every line.
 */

static void
free_poll(uv_handle_t *h)
{
	free(h);
}

static void
output_cb(uv_poll_t *poll, int status, int events)
{
	struct batch_task *t = poll->data;
	struct app *a = poll->loop->data;
	char buf[65536];
	ssize_t n;

	(void)status;
	(void)events;
	n = read(t->fd, buf, sizeof(buf));
	if (n > 0) {
		batch_output(&a->batch, t, buf, (size_t)n);
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		uv_poll_stop(poll);
		uv_close((uv_handle_t *)poll, free_poll);
		t->fe = NULL;
		batch_output(&a->batch, t, NULL, 0);
	}
	follow(a);
}

static int
watch_task(void *arg, struct batch_task *t)
{
	struct app *a = arg;
	uv_poll_t *p = malloc(sizeof(*p));
	int rc;

	if (p == NULL)
		return ENOMEM;
	if (fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK) != 0)
		rc = errno;
	else
		rc = -uv_poll_init(&a->loop, p, t->fd);
	if (rc != 0) {
		free(p);
		return rc;
	}
	p->data = t;
	t->fe = p;
	if ((rc = uv_poll_start(p, UV_READABLE, output_cb)) != 0) {
		uv_close((uv_handle_t *)p, free_poll);
		return -rc;
	}
	return 0;
}

static void
drop_task(void *arg, struct batch_task *t)
{
	uv_poll_t *p = t->fe;

	(void)arg;
	if (p != NULL && !uv_is_closing((uv_handle_t *)p)) {
		uv_poll_stop(p);
		uv_close((uv_handle_t *)p, free_poll);
	}
	t->fe = NULL;
	close(t->fd);
}

static int
run_tasks(const struct spin_opts *o)
{
	static struct app app;
	struct app *a = &app;
	struct batch *b = &a->batch;
	const struct batch_hooks hooks = { NULL, NULL, NULL, watch_task,
	    drop_task, NULL, true, a };
	int rc;

	if ((rc = batch_init(b, o, &hooks)) != 0)
		return rc;
	app_init(a, batch_driven(b), o->interval_ns);
	batch_start(b, &a->origmask, &a->taken);
	if (!batch_done(b) && batch_animates(b) && (rc = task_create(a)) != 0)
		fail(a, "start the spinner task", rc);
	follow(a);

	app_run(a);
	return batch_end(b);
}

static int
run(const struct spin_opts *o)
{
	return o->tasks ? run_tasks(o) : supervisor(o);
}

int
main(int argc, char **argv)
{
	return cli_main(argc, argv, DEFAULT_INTERVAL, run);
}
