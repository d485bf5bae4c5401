/*
 * The only code that asks about the terminal or writes to it.
 */
#ifndef TERM_H
#define TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "line.h"
#include "options.h"

/*
 * Whether frames go to fd: always, never, or (auto) only when fd is a
 * terminal and TERM is set and not "dumb".
 */
bool term_animates(int fd, enum animate when);

/*
 * The width of the terminal on fd: TIOCGWINSZ, else $COLUMNS, else 80;
 * at most RENDER_COLS_MAX.
 */
size_t term_columns(int fd);

/* Write all of buf to fd, across short writes and EINTR.  0 or -1. */
int term_write(int fd, const void *buf, size_t len);

/*
 * Whether our process group is the terminal's foreground one (true when
 * fd is not a terminal): only then do we draw, as a background job must
 * not scribble over the shell's line.
 */
bool term_foreground(int fd);

/*
 * Draw frame k of ln on fd, unless our process group is in the background.
 * Frames are best effort: a failed write is no error.
 */
void term_draw(int fd, struct line *ln, size_t k);

/* Wipe ln's frame and show the cursor. */
void term_clear(int fd, struct line *ln);

/*
 * Print data, COMMAND's output, where ln's frame is: wipe it, write data
 * and follow the cursor.  The caller draws the frame again after a batch.
 */
void term_pass(int fd, struct line *ln, const char *data, size_t len);

/* Whether a and b are the same terminal device. */
bool term_same(int a, int b);

#endif
