/*
 * The engine: the rules of a run, written once for both front ends.
 *
 * It starts the slow work (the demo's wait, or COMMAND), enforces
 * --timeout and its escalation to SIGKILL, acts on every signal the front
 * end takes (resize, suspend and resume, fatal, forwarded, SIGCHLD),
 * prints COMMAND's terminal output above the spinner's line (or keeps
 * it for the end, --output), takes the messages COMMAND sets for it
 * (--messages), and ends the run: the output kept, the --persist line,
 * the answer or the exit status, a re-raised signal.
 *
 * It is driven, never driving: it does not block, owns no thread and no
 * loop.  The front end waits for what engine_deadline() and
 * engine_watches() name, and calls engine_tick(), engine_ready() or
 * engine_signal() when one of them happens, until engine_done().  The
 * spin task draws through engine_draw() and engine_wipe().
 *
 * COMMAND runs in a process group of its own, so that a timeout or a
 * signal reaches everything it started and nothing else.  When the
 * terminal is its standard input too, it runs in a session of its own on
 * a pseudo-terminal that the engine proxies: keys in, output out (the
 * terminal raw meanwhile), so pagers, editors and prompts work through
 * it.  Otherwise it is given the terminal's foreground when it wants to
 * read it, as a shell would.
 *
 * The line.  Everything that touches the terminal goes through the
 * engine.  The spin task calls engine_draw() and engine_wipe() holding the
 * line; every other entry point takes it through struct engine_hold
 * (a mutex in the thread binary, nothing on the loop).
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "command.h"
#include "kept.h"
#include "line.h"
#include "options.h"
#include "outcome.h"
#include "stats.h"
#include "term.h"

#define ENGINE_NEVER INT64_MAX	/* no deadline */
#define ENGINE_WATCH_MAX 4
#define ENGINE_MESSAGE_MAX 4096	/* bytes of a line COMMAND sets */

/* How the engine takes and gives back the spinner's line. */
struct engine_hold {
	void (*take)(void *arg);
	void (*give)(void *arg);
	void *arg;
};

/* A descriptor the front end waits on, and for what (POLLIN, POLLOUT). */
struct engine_watch {
	int fd;
	short events;
};

/*
 * What a front end drives, whichever it is: the engine (the demo, one
 * COMMAND) or the batch (many tasks, batch.h), through the same calls,
 * so that a front end has one wait and one spin task for both.  Every
 * call is the driven's own (engine_done(), engine_deadline(), ...).
 */
struct driven {
	void *obj;
	bool (*done)(void *obj);
	int64_t (*deadline)(void *obj);	/* ENGINE_NEVER: none */
	size_t (*watches)(void *obj, struct engine_watch w[ENGINE_WATCH_MAX]);
	void (*ready)(void *obj, int fd, short revents);
	void (*tick)(void *obj);
	void (*signal)(void *obj, int sig);
	void (*draw)(void *obj, size_t k);	/* the spin task's */
	void (*wipe)(void *obj);
	struct stats *stats;	/* --stats: the front end counts threads */
	/* the spinner itself failed, for why: see engine_abort() */
	void (*abort)(void *obj, const char *why);
};

struct engine {
	const struct spin_opts *opts;
	struct engine_hold hold;
	struct line line;
	struct command cmd;
	struct term_out tty;	/* the terminal frames and output go to */
	int ctty;		/* our controlling terminal, or -1 */
	bool animate;		/* frames are drawn */
	bool color;		/* the --persist line's mark painted */
	bool utf8;
	bool spinning;		/* the spin task has drawn and not wiped */
	bool drew;		/* a frame was drawn at some point */
	bool paused;		/* suspended by ^Z: draw nothing */
	bool proxy;		/* COMMAND on a pty of its own, keys relayed */
	bool keep;		/* its output kept for the end, not shown */
	struct kept kept;
	bool raw;		/* the terminal is raw, its modes in saved */
	struct termios saved;
	char keys[4096];	/* typed, not yet taken by COMMAND's pty */
	size_t nkeys;
	bool handed;		/* COMMAND's group holds the terminal */
	bool behind;		/* continued behind the shell: to stop again */
	bool released;		/* COMMAND's modes were undone for the shell */
	bool keys_gone;		/* the terminal hung up */
	char said[ENGINE_MESSAGE_MAX + 1];	/* the message COMMAND set */
	char saying[ENGINE_MESSAGE_MAX];	/* the line it is writing */
	size_t nsaying;
	bool messages_eof;	/* every writer of the message pipe is gone */
	bool closing;		/* COMMAND ended: printing what it left */
	int final_reads;	/* reads of its pty since it ended */
	bool relay_eof;		/* every writer of COMMAND's pty is gone */
	bool timed_out;
	bool reaped;		/* COMMAND's pid is no longer ours to signal */
	bool lingering;		/* reaped after a timeout, its group is not */
	bool done;
	char why[256];		/* why the spinner failed, said at the end */
	int64_t start;		/* when the slow work started */
	int64_t end_at;		/* the demo: when its slow work is done */
	int64_t timeout_at;	/* --timeout, or ENGINE_NEVER */
	int64_t kill_at;	/* SIGKILL after SIGTERM, or ENGINE_NEVER */
	int64_t give_up_at;	/* lingering after SIGKILL until */
	struct outcome out;
	struct stats stats;	/* --stats */
	sigset_t given;		/* the mask we were started with */
};

/* The engine e as a front end drives it. */
struct driven engine_driven(struct engine *e);

/* Now on CLOCK_MONOTONIC, in nanoseconds: the clock of every deadline. */
int64_t engine_now(void);

/*
 * Prepare a run of opts: whether frames go to stderr, the locale's
 * character set (a non-ASCII named style falls back to "line" outside
 * UTF-8), the line fitted to the terminal.  hold may be NULL.
 */
void engine_init(struct engine *e, const struct spin_opts *opts,
    const struct engine_hold *hold);

/*
 * Start the slow work now: the demo's clock, or COMMAND with the signal
 * mask mask and default actions for the signals in dfl, proxied or not.
 * A COMMAND that cannot start is reported on stderr and the run is done
 * at once.
 */
void engine_start(struct engine *e, const sigset_t *mask,
    const sigset_t *dfl);

/* Whether the spin task should run at all. */
bool engine_animates(const struct engine *e);

/* Whether the run is over: the front end stops its spin task and ends. */
bool engine_done(const struct engine *e);

/* When engine_tick() must be called next, or ENGINE_NEVER. */
int64_t engine_deadline(const struct engine *e);

/*
 * Fill w with the descriptors to wait on and for what: COMMAND's pty, the
 * terminal's keys, the terminal taking queued output, COMMAND's message
 * pipe.  Returns how many.
 */
size_t engine_watches(struct engine *e,
    struct engine_watch w[ENGINE_WATCH_MAX]);

/* The deadline may have passed: end the demo, time out, escalate, drain. */
void engine_tick(struct engine *e);

/* A watched descriptor is ready (revents as poll(2) gives them). */
void engine_ready(struct engine *e, int fd, short revents);

/* Signal sig arrived (from a process or the terminal alike). */
void engine_signal(struct engine *e, int sig);

/*
 * The spinner itself failed (it could not start its task, or wait for
 * what it must): COMMAND is killed and reaped, and the run is done with
 * status 125.  why, unless NULL, is said on stderr at the end, once the
 * terminal is restored (it may be raw now).
 */
void engine_abort(struct engine *e, const char *why);

/* The spin task, holding the line: draw frame k (unless suspended). */
void engine_draw(struct engine *e, size_t k);

/* The spin task, holding the line, at its end: wipe, show the cursor. */
void engine_wipe(struct engine *e);

/*
 * The end of the run, once the spin task has stopped: the terminal as it
 * was found (modes, foreground, what COMMAND left set), COMMAND's output
 * kept when --output says to show it, the --persist line, the demo's
 * answer on stdout, then either a re-raised fatal signal (never returns)
 * or the exit status.
 */
int engine_end(struct engine *e, int answer);

#endif
