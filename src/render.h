/*
 * Pure rendering: the bytes of a status line, fitted to a number of display
 * columns in the current locale (LC_CTYPE).  Nothing here asks about or
 * writes to a terminal.
 *
 * Text is sanitized as it is fitted: bytes that do not decode in the locale
 * and control characters are drawn as '?', so what reaches the terminal is
 * always whole characters that take exactly the columns counted.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "styles.h"

/* Room for a fitted line of the widest terminal we draw on. */
#define RENDER_COLS_MAX 1024
#define RENDER_BUF (RENDER_COLS_MAX * 8 + 64)

/* Whether the locale's character set is UTF-8. */
bool render_locale_utf8(void);

/* The display columns of s as it would be drawn. */
size_t render_width(const char *s);

/*
 * Copy s into out (outsize bytes, always NUL-terminated), sanitized and cut
 * to at most cols columns.  A cut ends with ellipsis (NULL: none) when
 * there is room for it.  Returns the columns written.
 */
size_t render_fit(char *out, size_t outsize, const char *s, size_t cols,
    const char *ellipsis);

/* The ellipsis for the locale: U+2026 in UTF-8, "..." otherwise. */
const char *render_ellipsis(bool utf8);

/* The widest frame of a style, in columns. */
size_t render_style_width(const struct style *st);

/* Every frame of st, sanitized, separated by spaces: for --list-styles. */
void render_style_sample(char *out, size_t outsize, const struct style *st);

/*
 * The status text of frame k: the frame (padded to the style's width), a
 * space and msg, fitted to cols.  Returns the columns it takes.
 */
size_t render_status(char *out, size_t outsize, const struct style *st,
    size_t k, const char *msg, size_t cols, bool utf8);

/*
 * render_status() with tail after the message, as in "| building 2.3s":
 * the tail stays whole and the message gives way to it; a tail that does
 * not fit whole beside the frame is left out.  tail may be NULL.
 */
size_t render_status_tail(char *out, size_t outsize, const struct style *st,
    size_t k, const char *msg, const char *tail, size_t cols, bool utf8);

/*
 * The bytes that draw frame k (msg and tail as render_status_tail() puts
 * them) at the cursor, erase what is right of it and bring the cursor
 * back to where the frame starts.  Returns their length.
 */
size_t render_frame(char *out, size_t outsize, const struct style *st,
    size_t k, const char *msg, const char *tail, size_t cols, bool utf8);

/*
 * What follows a frame on a status line, in cols columns: " msg", cut
 * with an ellipsis to fit, then " tail" whole when it fits (tail may be
 * NULL).  Returns the columns it takes.  It does not change from frame
 * to frame: a caller may keep it (line.c does).
 */
size_t render_rest(char *out, size_t outsize, const char *msg,
    const char *tail, size_t cols, bool utf8);

/*
 * render_frame() from its parts: frame k of st padded to fw (the style's
 * width, cols >= fw), then rest, restw columns wide (render_rest()).
 */
size_t render_frame_rest(char *out, size_t outsize, const struct style *st,
    size_t fw, size_t k, const char *rest, size_t restw);

/* The bytes that erase from the cursor to the end of the line. */
const char *render_wipe(void);

/* The bytes that hide or show the cursor. */
const char *render_cursor(bool visible);

#endif
