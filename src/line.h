/*
 * The spinner's line on the terminal, and what COMMAND's output did to
 * the screen around it: where the cursor is, whether text stands right of
 * it or on rows below it, the alternate screen, modes and colours.  From
 * that it decides whether a frame may be drawn at all (never over
 * COMMAND's text) and makes the bytes that draw it, wipe it, or let the
 * output pass.  No I/O: callers write the bytes.
 */
#ifndef LINE_H
#define LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "render.h"
#include "styles.h"
#include "vt.h"

#define LINE_BUF 9216
#define LINE_SGR_MAX 256

/* Where the cursor was: saved by ESC 7 or on entering the alt screen. */
struct line_cursor {
	size_t origin, right, depth, lowest, above;
	bool lost;
};

/* What follows the frame, as last rendered: it changes far less often. */
#define LINE_REST_MSG 512	/* longer messages are rendered every time */
struct line_rest {
	bool ok;
	const struct style *style;
	size_t fw;		/* the style's width */
	size_t cols;		/* what there was room for */
	bool utf8;
	char msg[LINE_REST_MSG];
	char tail[32];
	size_t w;		/* the columns text takes */
	char text[RENDER_BUF];
};

struct line {
	const struct style *style;
	const char *msg;
	char tail[32];		/* after the message, kept whole: the time */
	bool utf8;
	bool onlcr;		/* the terminal turns LF into CR LF */
	size_t cols;		/* terminal width */
	size_t rows;		/* terminal height, 0 if not known */
	size_t frame;		/* index of the last frame drawn */
	bool drawn;		/* a frame is on the screen */
	bool hidden;		/* we hid the cursor */
	/* COMMAND's screen, as far as its output tells */
	struct vt vt;
	mbstate_t mb;
	size_t origin;		/* the cursor's column: where a frame begins */
	size_t right;		/* columns holding text on the lowest row */
	size_t depth;		/* rows the cursor is above the lowest row */
	size_t lowest;		/* rows begun below the first: the lowest's */
	size_t above;		/* rows known to be above the lowest row */
	bool lost;		/* the cursor's row is not known */
	bool insert;		/* insert mode (IRM) */
	size_t last;		/* columns of the character just written */
	struct line_cursor saved;	/* ESC 7, CSI s */
	struct line_cursor before_alt;	/* on entering the alt screen */
	unsigned modes;		/* LINE_MODE_* bits COMMAND set */
	char sgr[LINE_SGR_MAX];	/* COMMAND's colours since its last reset */
	size_t sgr_len;
	struct line_rest rest;	/* kept from one frame to the next */
};

void line_init(struct line *ln, const struct style *st, const char *msg,
    bool utf8, size_t cols);

/*
 * Whether a frame may be drawn now: the output is not on the alternate
 * screen nor inside a sequence or character, the cursor is on the lowest
 * row holding text with nothing right of it, and there is room.
 */
bool line_can_draw(const struct line *ln);

/*
 * Bytes that draw frame k (hiding the cursor first), in plain colours
 * with COMMAND's put back after.  Nothing when !line_can_draw().
 */
size_t line_draw(struct line *ln, size_t k, char *out, size_t outsize);

/* Bytes that wipe the frame; the cursor stays as it is. */
size_t line_wipe(struct line *ln, char *out, size_t outsize);

/* Bytes that wipe the frame and show the cursor: the way out. */
size_t line_clear(struct line *ln, char *out, size_t outsize);

/*
 * Bytes that undo the modes COMMAND's output set (alternate screen,
 * keypad, mouse, bracketed paste, colours, hidden cursor), for the shell;
 * line_retake() makes the bytes that set them again.
 */
size_t line_release(const struct line *ln, char *out, size_t outsize);
size_t line_retake(const struct line *ln, char *out, size_t outsize);

/* Follow output written at the frame's place after a wipe. */
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
