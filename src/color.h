/*
 * Colour on the spinner's own lines (--color): whether to use it, and
 * the painting of a line already fitted to its columns.  Pure: no I/O.
 *
 * Colour takes no column: a line is fitted as plain text first, then
 * what is still whole of it is painted, so what it shows and how wide
 * it is never change.  Each colour ends with its own reset (39 for a
 * foreground, 22 for dim), never SGR 0, so nothing else is undone.
 */
#ifndef COLOR_H
#define COLOR_H

#include <stdbool.h>
#include <stddef.h>

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

#define COLOR_GREEN "\033[32m"		/* the mark of a success */
#define COLOR_RED "\033[31m"		/* the mark of a failure */
#define COLOR_FG_END "\033[39m"		/* the default foreground again */
#define COLOR_DIM "\033[2m"		/* what is secondary, or ours */
#define COLOR_DIM_END "\033[22m"	/* normal intensity again */

/*
 * Whether to colour: --color=always or never as given; otherwise (auto)
 * not when NO_COLOR is set and not empty, else always when
 * CLICOLOR_FORCE is set, not empty and not "0", else only when where
 * the lines go is a terminal (tty) and TERM is set, not empty and not
 * "dumb".  The three strings are the environment's values, or NULL.
 */
bool color_enabled(enum color_when when, bool tty, const char *term,
    const char *no_color, const char *clicolor_force);

/*
 * Paint len bytes of the string s (size bytes of room) from byte from:
 * on before them, off after them.  False, s as it was, when they are not
 * all in s or the escapes do not fit.
 */
bool color_paint(char *s, size_t size, size_t from, size_t len,
    const char *on, const char *off);

/*
 * Paint the mark that begins the line s: green when ok, else red; only
 * when the line begins with the whole of it (a line cut to an ellipsis
 * keeps none).
 */
void color_mark(char *s, size_t size, const char *mark, bool ok);

#endif
