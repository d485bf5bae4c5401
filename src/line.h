/*
 * The spinner's line on the terminal: where it begins, whether a frame is
 * drawn and the cursor hidden, and the bytes that draw it, wipe it, or let
 * COMMAND's output pass before it.  No I/O: callers write the bytes.
 */
#ifndef LINE_H
#define LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "styles.h"

#define LINE_BUF 9216

struct line {
	const struct style *style;
	const char *msg;
	bool utf8;
	size_t cols;		/* terminal width */
	size_t origin;		/* column where the frame begins */
	size_t frame;		/* index of the last frame drawn */
	bool drawn;		/* a frame is on the screen */
	bool hidden;		/* the cursor is hidden */
	int esc;		/* escape sequence state in passed output */
	mbstate_t mb;		/* multibyte state in passed output */
};

void line_init(struct line *ln, const struct style *st, const char *msg,
    bool utf8, size_t cols);

/* Bytes that draw frame k (hiding the cursor first). */
size_t line_draw(struct line *ln, size_t k, char *out, size_t outsize);

/* Bytes that wipe the frame; the cursor stays as it is. */
size_t line_wipe(struct line *ln, char *out, size_t outsize);

/* Bytes that wipe the frame and show the cursor: the way out. */
size_t line_clear(struct line *ln, char *out, size_t outsize);

/*
 * Account for output written at the frame's place after a wipe: the frame
 * then begins where that output left the cursor.
 */
void line_pass(struct line *ln, const char *data, size_t len);

/*
 * The frame due after frame k at time now (frame j is due at start + j *
 * interval): k + 1, or a later one when their times have passed meanwhile
 * (the process was suspended), so the animation resumes on its schedule.
 */
size_t line_next_frame(size_t k, int64_t start, int64_t now,
    int64_t interval);

/* The columns a frame may take: never the last one, so it never wraps. */
size_t line_room(const struct line *ln);

#endif
