/*
 * The only code that asks about the terminal or writes to it.
 *
 * Writes go through a queue on a description of the terminal of our own,
 * opened non-blocking (the shell's is never changed): a stopped or slow
 * terminal then delays what is queued, never the caller.
 */
#ifndef TERM_H
#define TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <termios.h>

#include "line.h"
#include "options.h"

#define TERM_OUT_MAX 65536

struct term_out {
	int fd;			/* where the bytes go */
	bool own;		/* fd is ours to close */
	pid_t group;		/* our process group: it never changes */
	unsigned fg_seen;	/* term_recheck()'s count when last seen ahead */
	bool gone;		/* a write failed with EIO: it hung up */
	size_t len;		/* bytes queued */
	int error;		/* the first write refused (errno), or 0 */
	char buf[TERM_OUT_MAX];
};

/*
 * Whether frames go to fd: always, never, or (auto) only when fd is a
 * terminal and TERM is set and not "dumb".
 */
bool term_animates(int fd, enum animate when);

/*
 * Whether our lines on fd are coloured: color_enabled() asked with
 * whether fd is a terminal and the environment's TERM, NO_COLOR and
 * CLICOLOR_FORCE.
 */
bool term_colors(int fd, enum color_when when);

/*
 * The width of the terminal on fd: TIOCGWINSZ, else $COLUMNS, else 80;
 * at most RENDER_COLS_MAX.
 */
size_t term_columns(int fd);

/*
 * Its height the same way: TIOCGWINSZ, else $LINES, else 24; but 0, not
 * 24, when unknown, if known is set (a guess would bound the rows COMMAND
 * may move up by, on a terminal that may be taller).
 */
#define TERM_ROWS_MAX 1000
size_t term_rows(int fd, bool known);

/*
 * Write to what fd is: a terminal through a non-blocking description of
 * our own, anything else through fd itself.
 */
void term_out_open(struct term_out *o, int fd);

/* Close what term_out_open() opened, after writing what is queued. */
void term_out_close(struct term_out *o);

/*
 * Whether our group is the foreground of o's terminal (or it has none):
 * asked of the kernel only when it may have changed since last seen so,
 * that is after term_recheck() or term_give().  In the background it is
 * asked every time: a shell's "fg" of a running job sends no signal.
 */
bool term_out_foreground(struct term_out *o);

/*
 * The foreground may have changed (a signal came: SIGCONT, SIGCHLD,
 * SIGWINCH...): ask again at the next term_out_foreground().
 */
void term_recheck(void);

/*
 * The spin task woke at now for a frame due at due: later than a busy
 * machine explains, we may have been stopped (SIGSTOP) and continued in
 * the background before the signal is taken, so ask again.
 */
#define TERM_LATE_NS 2000000
void term_woke(int64_t due, int64_t now);

/* The bytes that can still be queued. */
size_t term_out_room(const struct term_out *o);

/* Whether bytes wait for the terminal to take them. */
bool term_out_pending(const struct term_out *o);

/*
 * Queue n bytes and write what the terminal takes now.  Returns false,
 * queueing nothing, when they do not fit.
 */
bool term_out_put(struct term_out *o, const void *buf, size_t n);

/*
 * Write what the terminal takes now; true when nothing is left queued.
 * Bytes the terminal refuses (an error other than EAGAIN) are dropped,
 * and the first such error kept in o->error for the end of the run; but
 * EIO, a terminal that hung up, only sets o->gone.
 */
bool term_out_flush(struct term_out *o);

/* Write everything queued, waiting for the terminal: the end of a run. */
void term_out_drain(struct term_out *o);

/*
 * Whether our process group is the terminal's foreground one (true when
 * fd is not a terminal): only then do we draw, as a background job must
 * not scribble over the shell's line.
 */
bool term_foreground(int fd);

/* The terminal's foreground process group, or -1. */
pid_t term_holder(int fd);

/*
 * Make pgrp the foreground process group of the terminal on fd, as a
 * shell does for a job; SIGTTOU is held off meanwhile.  0 or -1.
 */
int term_give(int fd, pid_t pgrp);

/*
 * Make the terminal raw, its modes (saved in saved first, when save)
 * otherwise kept.  0 or -1.
 */
int term_raw(int fd, struct termios *saved, bool save);

/* Put back the modes term_raw() saved. */
void term_restore(int fd, const struct termios *saved);

/*
 * Draw frame k of ln, unless our process group is in the background,
 * earlier bytes still wait, or ln says the cursor is not where a frame
 * may go.  Frames are best effort: one that does not fit is skipped.
 * Whether the frame was queued.
 */
bool term_draw(struct term_out *o, struct line *ln, size_t k);

/* Wipe ln's frame and show the cursor. */
void term_clear(struct term_out *o, struct line *ln);

/*
 * Undo what COMMAND's output left set on the terminal (the alternate
 * screen, keypad and mouse modes, colours, a hidden cursor), when the
 * terminal goes back to the shell; term_retake() sets it all again.
 */
void term_release(struct term_out *o, struct line *ln);
void term_retake(struct term_out *o, struct line *ln);

/*
 * Print data, COMMAND's output, where ln's frame is: wipe it, queue data
 * and follow the cursor.  data must fit in term_out_room() less
 * LINE_BUF.  The caller draws the frame again after a batch.
 */
void term_pass(struct term_out *o, struct line *ln, const char *data,
    size_t len);

/*
 * A description of our controlling terminal of our own (read, write,
 * non-blocking), by its real name where a standard descriptor is it;
 * -1 when there is none.
 */
int term_open_ctty(void);

/* Whether a and b are the same terminal device. */
bool term_same(int a, int b);

#endif
