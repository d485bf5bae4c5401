/*
 * Many commands at once (-c, -T): the rules, written once for both front
 * ends, as the engine holds them for one COMMAND.
 *
 * Each task is "/bin/sh -c CMD" in a session (and so a process group)
 * of its own, with no controlling terminal, stdin from /dev/null, stdout
 * and stderr into one pipe.  At most -j run at
 * once; -t and -k apply to each; --fail-fast and a fatal signal stop
 * them all (the signal passed on, SIGKILL after -k).  A task ends when
 * its process has exited and nothing it started holds its output open
 * any more; then what is left of its group is sent SIGTERM, and SIGKILL
 * after -k (or when the spinner ends).  Its process is reaped only after
 * the SIGTERM: until then, a zombie, it keeps the number of its process
 * group from being given to another process; after it, what is left of
 * the group does (orphans are ours to reap: the spinner is their
 * subreaper), so no signal of ours ever reaches a stranger.
 *
 * The screen.  On a terminal that animates: a permanent verdict per
 * finished task (and its output, as --output says), in the order they
 * finish, and below them the live area the spin task redraws once per
 * interval (board.h).  Otherwise a line per event on stderr, no escape
 * byte: a task starts, a task ends with its verdict, its output in a
 * labelled block, the summary last.  Nothing on stdout.
 *
 * Driven, like the engine.  The front end watches each running task
 * (from hooks->watch): it reads the task's pipe and hands the bytes to
 * batch_output() (none at its end), then says when the task's process
 * has ended with batch_exited() (the thread binary waits for that with
 * WNOWAIT itself; the loop takes SIGCHLD, and batch_signal() looks when
 * hooks->reap).
 * Between those it waits for batch_deadline() and signals, calling
 * batch_tick() and batch_signal(), until batch_done().  Every entry point
 * takes the line through the hooks but batch_draw() and batch_wipe(),
 * which the spin task calls holding it.
 */
#ifndef BATCH_H
#define BATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "board.h"
#include "engine.h"
#include "kept.h"
#include "options.h"
#include "term.h"

#define BATCH_NEVER ENGINE_NEVER

enum batch_state { TASK_WAITING, TASK_RUNNING, TASK_DONE };

struct batch_task {
	char *name;		/* what the screen calls it */
	char *cmd;		/* what /bin/sh -c runs */
	enum batch_state state;
	pid_t pid;		/* its process, the leader of its group */
	int fd;			/* its output's read end, or -1 */
	bool eof;		/* its output is closed */
	bool exited;		/* its process has ended (not yet reaped) */
	bool timed_out;		/* SIGTERM sent for -t */
	bool killed;		/* SIGKILL sent */
	bool stopped;		/* stopped by us: --fail-fast or a signal */
	bool dropped;		/* given up on: its reader is to stop */
	bool claimed;		/* its watcher (hooks->prepare) has it */
	int wstatus;		/* once it is done */
	int64_t start;
	int64_t kill_at;	/* SIGKILL after SIGTERM, or BATCH_NEVER */
	struct kept out;	/* its output, kept for --output */
	unsigned tries;		/* times it was launched: whose watch it is */
	struct board_last *last;	/* its last line, while it runs */
	void *fe;		/* the front end's, for this task */
};

struct batch_hooks {
	void (*take)(void *arg);	/* the line: NULL on one thread */
	void (*give)(void *arg);
	/* Make ready to watch task t, before it starts; it is the
	 * watcher's if batch_claim(t, tries) says so.  0, or an errno
	 * value: nothing has run, the task waits its turn.  May be NULL. */
	int (*prepare)(void *arg, struct batch_task *t, unsigned tries);
	/* Watch a task that started: its output and its end.  0, or an
	 * errno value: the task is killed and cannot start.  May be NULL. */
	int (*watch)(void *arg, struct batch_task *t);
	/* Stop watching task t: it is over without the end of its output
	 * (t->dropped).  t->fd is the front end's to close from now on, at
	 * once or when its reader stops; NULL: the batch closes it.  */
	void (*drop)(void *arg, struct batch_task *t);
	/* What the front end waits for has changed: the deadline came
	 * nearer, or the run is done.  May be NULL. */
	void (*wake)(void *arg);
	bool reap;		/* batch_signal(SIGCHLD) looks for ends */
	void *arg;
};

struct batch {
	const struct spin_opts *opts;
	struct batch_hooks hooks;
	struct batch_task *t;
	size_t n;
	size_t next;		/* the next task to start */
	size_t low;		/* no task below this one is running */
	size_t limit;		/* at most this many run at once */
	size_t running, ok, failed;
	int fd;			/* where the screen or the log goes */
	bool animate;		/* the live area, or a log */
	bool color;		/* marks and our own lines painted */
	bool utf8;
	bool paused;		/* stopped by ^Z: draw nothing */
	bool full;		/* redraw the whole area next time */
	bool cursor_hidden;
	size_t k;		/* the frame drawn last */
	bool stopping;		/* start no more; the running are stopped */
	bool gave_up;
	bool ended;
	bool said_short;	/* out of processes or threads was said */
	bool aborted;		/* the spinner itself failed, for why */
	char why[256];
	bool direct;		/* plain words may run without the shell */
	int fatal;		/* the signal that ends the run, or 0 */
	const sigset_t *mask;	/* the tasks' signal mask */
	const sigset_t *dfl;	/* set back to default in the tasks */
	int64_t start;
	int64_t stop_kill_at;	/* stopping: SIGKILL all at */
	int64_t give_up_at;	/* stopping: end without them at */
	int64_t due;		/* the deadline last given out */
	size_t *linger;		/* ended tasks whose group lives on */
	size_t nlinger;
	size_t *closed;		/* running, output closed, when hooks.reap */
	size_t nclosed;
	struct board board;
	struct buf pending;	/* permanent lines for the next frame */
	struct buf outq;	/* bytes for the terminal it has not taken */
	struct term_out tty;	/* the terminal, written without blocking */
	int64_t last_end;	/* when the last task to end did */
	size_t cols, rows;	/* the terminal's, measured again on SIGWINCH
				 * and SIGCONT, not at every frame */
	struct stats stats;	/* --stats */
};

/*
 * Read the tasks (-c, then -T) and set the run up.  Returns 0, or 125
 * after one line on stderr (a task file that cannot be read or holds a
 * bad line).  When descriptors cannot cover -j, fewer run at once, and
 * one line says so.
 */
int batch_init(struct batch *b, const struct spin_opts *opts,
    const struct batch_hooks *hooks);

/* The batch b as a front end drives it: no descriptor to watch. */
struct driven batch_driven(struct batch *b);

/* Start the first tasks, with this signal mask and these defaults. */
void batch_start(struct batch *b, const sigset_t *mask, const sigset_t *dfl);

/* Whether the spin task draws the live area. */
bool batch_animates(const struct batch *b);

bool batch_done(struct batch *b);

/* When batch_tick() is due next, or BATCH_NEVER. */
int64_t batch_deadline(struct batch *b);

/* Time out, escalate, give up: whatever is due now. */
void batch_tick(struct batch *b);

/* Signal sig arrived. */
void batch_signal(struct batch *b, int sig);

/*
 * The descriptor the watcher made by hooks->prepare(t, tries) is to
 * read, when t started and that launch was the last; otherwise -1, and
 * it has nothing to do.
 */
int batch_claim(struct batch *b, struct batch_task *t, unsigned tries);

/*
 * Whether task t was given up on (hooks->drop): its reader closes its
 * descriptor and stops, without waiting for the task's end.
 */
bool batch_dropped(struct batch *b, struct batch_task *t);

/*
 * Task t wrote data[0..n); n == 0: its output is closed (t->fd too,
 * unless it was dropped).
 */
void batch_output(struct batch *b, struct batch_task *t, const char *data,
    size_t n);

/*
 * Task t's process has ended: a zombie, left for the batch to reap (it
 * was waited for with WNOWAIT, if at all).
 */
void batch_exited(struct batch *b, struct batch_task *t);

/*
 * The spinner itself failed (it could not start its task, or wait for
 * what it must): every running task is killed and none started any
 * more; the run ends as they do, then why is said on stderr and the
 * status is 125.
 */
void batch_abort(struct batch *b, const char *why);

/* The spin task, holding the line: frame k of the live area. */
void batch_draw(struct batch *b, size_t k);

/* The spin task, holding the line, at its end. */
void batch_wipe(struct batch *b);

/*
 * The end, once the spin task has stopped: the last verdicts, the
 * summary, the cursor back; then the status (0, 123) or the fatal
 * signal re-raised.
 */
int batch_end(struct batch *b);

#endif
