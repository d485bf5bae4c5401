/*
 * spinner-thread: the seed's spinner_thread.py in C.
 *
 * Concurrency.  main() is the supervisor.  It starts spin() on a POSIX
 * thread, runs the slow work itself (slow_function: the demo's wait, or
 * COMMAND) and then stops the spinner the seed's way: it clears the
 * atomic flag `go` (the seed's Signal.go), wakes the thread through its
 * semaphore and pthread_join()s it.  spin() sleeps on that semaphore
 * until the absolute time of its next frame on CLOCK_MONOTONIC
 * (sem_clockwait), so a stop takes effect at once and frames never drift:
 * frame k is drawn at start + k * interval.  A frame costs one sleep and
 * one write: a condition variable would do as well, but glibc takes its
 * mutex back marked as contended, which costs a futex wake a frame.
 *
 * The terminal.  Whoever holds `lock` may touch the line: spin() for
 * frames, main (inside the engine) for resizes, suspends, keys and
 * COMMAND's output.  Writes never block (the engine queues what the
 * terminal does not take), so neither waits long for the other.
 *
 * Signals.  Every signal we take is blocked in every thread before spin()
 * exists.  main unblocks them only inside ppoll(), its one place of
 * waiting, where their handlers merely note them, and after each wake-up
 * takes any still pending with a zero-timeout sigtimedwait(); the engine
 * then acts on each, in ordinary code.
 */
#define _GNU_SOURCE	/* ppoll(), POSIX since 2024 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "engine.h"
#include "exitcodes.h"
#include "line.h"
#include "say.h"
#include "signals.h"

#define DEFAULT_INTERVAL OPTIONS_NS_PER_SEC	/* the seed sleeps 1 s */

struct spinner {
	pthread_t thread;
	pthread_mutex_t lock;	/* the line */
	sem_t stop;		/* posted once, when go is cleared */
	atomic_bool go;		/* the seed's Signal.go */
	bool started;
	int64_t start;
	int64_t interval;
	const struct driven *d;	/* the engine's line, or the tasks' area */
};

/* How main takes the signals: blocked, but for those let in by ppoll(). */
struct signal_mask {
	sigset_t taken;		/* every signal we act on */
	sigset_t origmask;	/* the mask we were given, for COMMAND */
	sigset_t waitmask;	/* the mask inside ppoll() */
	sigset_t pending;	/* taken, and let in by ppoll(): may wait */
};

static volatile sig_atomic_t caught[SIGNALS_MAX];

static void
on_signal(int sig)
{
	if (sig > 0 && sig < SIGNALS_MAX)
		caught[sig] = 1;
}

static struct timespec
to_timespec(int64_t ns)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ns / OPTIONS_NS_PER_SEC);
	ts.tv_nsec = (long)(ns % OPTIONS_NS_PER_SEC);
	return ts;
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
	int64_t now;

	do {	/* like the seed, draw at least one frame */
		struct timespec due = to_timespec(sp->start +
		    (int64_t)(k + 1) * sp->interval);

		pthread_mutex_lock(&sp->lock);
		sp->d->draw(sp->d->obj, k);
		pthread_mutex_unlock(&sp->lock);
		while (atomic_load(&sp->go) && sem_clockwait(&sp->stop,
		    CLOCK_MONOTONIC, &due) != 0 && errno == EINTR)
			;
		now = engine_now();
		term_woke(sp->start + (int64_t)(k + 1) * sp->interval, now);
		k = line_next_frame(k, sp->start, now, sp->interval);
	} while (atomic_load(&sp->go));
	pthread_mutex_lock(&sp->lock);
	sp->d->wipe(sp->d->obj);
	pthread_mutex_unlock(&sp->lock);
	return NULL;
}

static void
spinner_init(struct spinner *sp, const struct spin_opts *o,
    const struct driven *d)
{
	memset(sp, 0, sizeof(*sp));
	sp->interval = o->interval_ns;
	sp->d = d;
	pthread_mutex_init(&sp->lock, NULL);
	sem_init(&sp->stop, 0, 0);
}

static void
spinner_destroy(struct spinner *sp)
{
	sem_destroy(&sp->stop);
	pthread_mutex_destroy(&sp->lock);
}

static int
spinner_start(struct spinner *sp)
{
	int rc;

	atomic_store(&sp->go, true);
	sp->start = engine_now();
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
	sem_post(&sp->stop);
	pthread_join(sp->thread, NULL);
	sp->started = false;
}

/* spin() cannot start: the spinner fails (the driven's abort). */
static void
no_spinner(const struct driven *d, int rc)
{
	char why[128];

	snprintf(why, sizeof(why), "cannot start the spinner thread: %s",
	    strerror(rc));
	d->abort(d->obj, why);
}

static void
take_line(void *lock)
{
	pthread_mutex_lock(lock);
}

static void
give_line(void *lock)
{
	pthread_mutex_unlock(lock);
}

/*
 * Hand the engine the signals that arrived.  ppoll() runs their handlers
 * only when it has to wait: while COMMAND's output is always ready they
 * would stay pending, so they are also taken with sigtimedwait().
 */
static void
deliver_signals(const struct driven *d, const struct signal_mask *m)
{
	const struct timespec zero = { 0, 0 };
	int sig;

	while ((sig = sigtimedwait(&m->pending, NULL, &zero)) > 0)
		if (sig < SIGNALS_MAX)
			caught[sig] = 1;
	for (sig = 1; sig < SIGNALS_MAX; sig++)
		if (caught[sig]) {
			caught[sig] = 0;
			d->signal(d->obj, sig);
		}
}

/*
 * The seed's slow_function, main's one place of waiting: for what the
 * engine watches (COMMAND's output, keys, the terminal), the task
 * threads' wake-up (wake, or -1), a signal or the next deadline, until
 * the run is done.  Like the seed's, it answers 42 (printed only when
 * the demo ends well).
 */
static int
slow_function(const struct driven *d, int wake, const struct signal_mask *m)
{
	while (!d->done(d->obj)) {
		struct engine_watch w[ENGINE_WATCH_MAX];
		struct pollfd fds[ENGINE_WATCH_MAX + 1];
		size_t n = d->watches(d->obj, w);
		int64_t next = d->deadline(d->obj), now = engine_now();
		int64_t wait = next > now ? next - now : 0;
		/* the kernel lets a poll's timeout run late by 0.1% of it
		 * (3 ms on the demo's 3 s): ask for that much less, and wait
		 * what is left, now short, in another turn */
		struct timespec ts = to_timespec(wait - wait / 1000);
		char drain[64];

		for (size_t i = 0; i < n; i++)
			fds[i] = (struct pollfd){ w[i].fd, w[i].events, 0 };
		if (wake >= 0)
			fds[n] = (struct pollfd){ wake, POLLIN, 0 };
		if (ppoll(fds, n + (wake >= 0), next == ENGINE_NEVER ? NULL :
		    &ts, &m->waitmask) > 0) {
			for (size_t i = 0; i < n; i++)
				d->ready(d->obj, fds[i].fd, fds[i].revents);
			while (wake >= 0 && read(wake, drain, sizeof(drain)) >
			    0)
				;
		}
		deliver_signals(d, m);
		d->tick(d->obj);
	}
	return 42;
}

/* Block what we take in every thread to come; let it in inside ppoll(). */
static void
take_signals(struct signal_mask *m)
{
	struct sigaction sa;
	sigset_t block, quiet, needed;

	signals_taken(&m->taken);
	signals_quiet(&quiet);
	block = m->taken;
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(&quiet, sig) == 1)
			sigaddset(&block, sig);
	pthread_sigmask(SIG_BLOCK, &block, &m->origmask);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(&m->taken, sig) == 1)
			sigaction(sig, &sa, NULL);

	/* A signal blocked when we started stays blocked but for these. */
	m->waitmask = m->origmask;
	sigaddset(&m->waitmask, SIGPIPE);
	sigaddset(&m->waitmask, SIGTTOU);
	signals_needed(&needed);
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(&needed, sig) == 1)
			sigdelset(&m->waitmask, sig);
	sigemptyset(&m->pending);
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(&m->taken, sig) == 1 &&
		    sigismember(&m->waitmask, sig) == 0)
			sigaddset(&m->pending, sig);
}

/*
 * The seed's supervisor(): start the spinner, run the slow work, stop
 * the spinner; then the engine ends the run.
 */
static int
supervisor(const struct spin_opts *o)
{
	struct engine engine;
	struct spinner sp;
	struct signal_mask m;
	const struct engine_hold hold = { take_line, give_line, &sp.lock };
	const struct driven d = engine_driven(&engine);
	int rc, answer;

	spinner_init(&sp, o, &d);
	engine_init(&engine, o, &hold);
	take_signals(&m);
	if (o->command == NULL && !o->quiet && say("spinner object: "
	    "<Thread(Thread-1 (spin), initial)>\n") != 0)
		return EXIT_CANCELED;
	engine_start(&engine, &m.origmask, &m.taken);
	engine.stats.threads = 1;	/* main */
	if (!engine_done(&engine) && engine_animates(&engine) &&
	    (rc = spinner_start(&sp)) != 0)
		no_spinner(&d, rc);
	if (sp.started)
		engine.stats.threads = 2;
	answer = slow_function(&d, -1, &m);
	spinner_stop(&sp);
	spinner_destroy(&sp);
	return engine_end(&engine, answer);
}

/*
 * Many tasks at once: a thread per running task, blocked on that task
 * alone (its output, then its end), the spin() thread drawing every
 * line, and main waiting for signals and deadlines, as above.
 */
#define TASK_STACK (128 * 1024)

struct tasks {
	struct batch batch;
	struct spinner sp;
	int wake[2];		/* main's wake-up: written by any thread */
	sigset_t readmask;	/* a task's thread's mask while it waits */
	pthread_attr_t attr;	/* a task's thread: small, detached */
	/* task threads between tasks, and tasks handed to them */
	pthread_cond_t work;
	size_t idle;		/* threads that will look at the queue */
	size_t queued;
	struct watch *queue;
	unsigned threads;	/* task threads alive */
	unsigned base;		/* the others: main, spin() */
};

static struct tasks tasks;

/* A task's thread: the task, which launch of it, the thread. */
struct watch {
	struct batch_task *t;
	unsigned tries;
	pthread_t thread;
	struct watch *next;	/* in the queue for an idle thread */
};

#define IDLE_NS (2 * OPTIONS_NS_PER_SEC)	/* a thread between tasks */

/* A task's thread is woken from its wait by this, when given up on. */
#define WAKE_SIG SIGRTMIN

static void
on_wake(int sig)
{
	(void)sig;
}

/*
 * A task's thread: it reads the task's output until it is closed, then
 * waits for the task's end.  Its one wait on the output is ppoll(),
 * which lets in WAKE_SIG: the batch gives up on a task whose output a
 * process outside it holds, and its thread closes it and goes.
 */
/* Watch w's task to its end.  Whether it said it would be free next. */
static bool
watch_task(struct tasks *ts, struct watch *w)
{
	struct batch_task *t = w->t;
	struct batch *b = &ts->batch;
	char buf[8192];
	siginfo_t si;
	ssize_t n;
	int fd;

	/* made before the task started: it may not have */
	if ((fd = batch_claim(b, t, w->tries)) < 0)
		return false;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (ppoll(&p, 1, NULL, &ts->readmask) < 0) {
			if (batch_dropped(b, t)) {
				close(fd);
				return false;
			}
			continue;
		}
		if ((n = read(fd, buf, sizeof(buf))) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		batch_output(b, t, buf, (size_t)n);
	}
	batch_output(b, t, NULL, 0);
	if (batch_dropped(b, t)) {	/* meanwhile: it was left to us */
		close(fd);
		return false;
	}
	/* its end, leaving it to the batch to reap */
	while (waitid(P_PID, (id_t)t->pid, &si, WEXITED | WNOWAIT) < 0 &&
	    errno == EINTR)
		;
	/* the next task may well be ours: say we will be free */
	pthread_mutex_lock(&ts->sp.lock);
	ts->idle++;
	pthread_mutex_unlock(&ts->sp.lock);
	batch_exited(b, t);
	return true;
}

/*
 * Between tasks: the next one handed over, or NULL after IDLE_NS
 * without one.  counted: the thread said already it would look.
 */
static struct watch *
next_task(struct tasks *ts, bool counted)
{
	struct timespec until = to_timespec(engine_now() + IDLE_NS);
	struct watch *w;

	pthread_mutex_lock(&ts->sp.lock);
	if (!counted)
		ts->idle++;
	while (ts->queue == NULL && pthread_cond_timedwait(&ts->work,
	    &ts->sp.lock, &until) != ETIMEDOUT)
		;
	if ((w = ts->queue) != NULL) {
		ts->queue = w->next;
		ts->queued--;
		w->thread = pthread_self();
	}
	ts->idle--;
	pthread_mutex_unlock(&ts->sp.lock);
	return w;
}

/*
 * A task's thread: it reads a task's output until it is closed, then
 * waits for the task's end, then takes the next task handed to it, if
 * one comes soon.  Its one wait on the output is ppoll(), which lets in
 * WAKE_SIG: the batch gives up on a task whose output a process outside
 * it holds, and its thread closes it and goes on.
 */
static void *
task_thread(void *arg)
{
	struct watch *w = arg;

	while (w != NULL) {
		bool counted = watch_task(&tasks, w);

		free(w);
		w = next_task(&tasks, counted);
	}
	pthread_mutex_lock(&tasks.sp.lock);
	tasks.threads--;
	pthread_mutex_unlock(&tasks.sp.lock);
	return NULL;
}

/* --stats: the most threads alive at once.  The line is held. */
static void
count_threads(struct tasks *ts)
{
	if (ts->base + ts->threads > ts->batch.stats.threads)
		ts->batch.stats.threads = ts->base + ts->threads;
}

/* A task is about to start: its thread first, so that it need not. */
static int
prepare_task(void *arg, struct batch_task *t, unsigned tries)
{
	struct tasks *ts = arg;
	struct watch *w = malloc(sizeof(*w));
	int rc;

	if (w == NULL)
		return ENOMEM;
	w->t = t;
	w->tries = tries;
	w->next = NULL;
	t->fe = w;
	if (ts->idle > ts->queued) {	/* a thread between tasks takes it */
		struct watch **end = &ts->queue;

		while (*end != NULL)
			end = &(*end)->next;
		*end = w;
		ts->queued++;
		pthread_cond_signal(&ts->work);
		return 0;
	}
	/* the thread waits for the line, which we hold, before it looks */
	if ((rc = pthread_create(&w->thread, &ts->attr, task_thread, w)) != 0) {
		free(w);
		return rc;
	}
	ts->threads++;
	count_threads(ts);
	return 0;
}

/*
 * WAKE_SIG: blocked in every thread, as every signal we take is; a task's
 * thread lets it in, and it alone, while it waits.
 */
static void
take_wake(struct tasks *ts)
{
	struct sigaction sa;
	sigset_t wake;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_wake;	/* no SA_RESTART: the wait ends */
	sigaction(WAKE_SIG, &sa, NULL);
	sigemptyset(&wake);
	sigaddset(&wake, WAKE_SIG);
	pthread_sigmask(SIG_BLOCK, &wake, NULL);
	pthread_sigmask(SIG_BLOCK, NULL, &ts->readmask);
	sigdelset(&ts->readmask, WAKE_SIG);
}

/* Given up on: wake the task's thread from its wait, to close and go. */
static void
drop_task(void *arg, struct batch_task *t)
{
	struct watch *w = t->fe;

	(void)arg;
	pthread_kill(w->thread, WAKE_SIG);
}

static void
take_tasks(void *arg)
{
	pthread_mutex_lock(&((struct tasks *)arg)->sp.lock);
}

static void
give_tasks(void *arg)
{
	pthread_mutex_unlock(&((struct tasks *)arg)->sp.lock);
}

static void
wake_main(void *arg)
{
	struct tasks *ts = arg;
	char c = 1;

	if (write(ts->wake[1], &c, 1) < 0) {
		/* full: main has a wake-up waiting already */
	}
}

static int
run_tasks(const struct spin_opts *o)
{
	struct tasks *ts = &tasks;
	struct batch *b = &ts->batch;
	struct signal_mask m;
	const struct batch_hooks hooks = { take_tasks, give_tasks,
	    prepare_task, NULL, drop_task, wake_main, false, ts };
	const struct driven d = batch_driven(b);
	int rc;

	spinner_init(&ts->sp, o, &d);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&ts->work, &ca);
		pthread_condattr_destroy(&ca);
	}
	if ((rc = batch_init(b, o, &hooks)) != 0)
		return rc;
	if (pipe2(ts->wake, O_CLOEXEC | O_NONBLOCK) != 0)
		err(EXIT_CANCELED, "cannot make a pipe");
	pthread_attr_init(&ts->attr);
	pthread_attr_setstacksize(&ts->attr, TASK_STACK);
	pthread_attr_setdetachstate(&ts->attr, PTHREAD_CREATE_DETACHED);
	take_signals(&m);
	take_wake(ts);
	/* the task threads wait for their own: SIGCHLD wakes nobody */
	sigaddset(&m.waitmask, SIGCHLD);
	sigdelset(&m.pending, SIGCHLD);
	sigaddset(&m.waitmask, WAKE_SIG);	/* for task threads alone */
	ts->base = 1;	/* main */
	batch_start(b, &m.origmask, &m.taken);
	if (batch_animates(b) && (rc = spinner_start(&ts->sp)) != 0)
		no_spinner(&d, rc);
	pthread_mutex_lock(&ts->sp.lock);
	ts->base += ts->sp.started;	/* and spin() */
	count_threads(ts);
	pthread_mutex_unlock(&ts->sp.lock);
	slow_function(&d, ts->wake[0], &m);
	spinner_stop(&ts->sp);
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
