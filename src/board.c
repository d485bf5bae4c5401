#include "board.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "outcome.h"
#include "render.h"

void
buf_put(struct buf *b, const void *data, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			return;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Escape sequences, as far as a line's text is concerned. */
enum { ESC_NONE, ESC_START, ESC_CSI, ESC_STRING, ESC_STRING_END };

void
board_last_feed(struct board_last *l, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		switch (l->esc) {
		case ESC_START:
			/* CSI; OSC, DCS, SOS, PM, APC end with ST or BEL */
			l->esc = c == '[' ? ESC_CSI : c == ']' || c == 'P' ||
			    c == 'X' || c == '^' || c == '_' ? ESC_STRING :
			    c >= 0x20 && c < 0x30 ? ESC_START : ESC_NONE;
			continue;
		case ESC_CSI:
			if (c >= 0x40 && c <= 0x7e)
				l->esc = ESC_NONE;
			continue;
		case ESC_STRING:
			if (c == 0x07)
				l->esc = ESC_NONE;
			else if (c == 0x1b)
				l->esc = ESC_STRING_END;
			continue;
		case ESC_STRING_END:
			l->esc = c == '\\' ? ESC_NONE : ESC_STRING;
			continue;
		default:
			break;
		}
		if (c == 0x1b) {
			l->esc = ESC_START;
		} else if (c == '\n' || c == '\r') {
			size_t k = l->ncur;

			while (k > 0 && (l->cur[k - 1] == ' ' ||
			    l->cur[k - 1] == '\t'))
				k--;
			if (k > 0) {
				memcpy(l->last, l->cur, k);
				l->nlast = k;
			}
			l->ncur = 0;
		} else if (c == '\t') {
			if (l->ncur + 1 < BOARD_LAST_MAX)
				l->cur[l->ncur++] = ' ';
		} else if (c >= 0x20 && c != 0x7f) {
			if (l->ncur + 1 < BOARD_LAST_MAX)
				l->cur[l->ncur++] = (char)c;
		} else if (c == '\b' && l->ncur > 0) {
			l->ncur--;
		}
	}
}

const char *
board_last_text(struct board_last *l)
{
	size_t k = l->ncur;

	while (k > 0 && (l->cur[k - 1] == ' ' || l->cur[k - 1] == '\t'))
		k--;
	if (k > 0) {
		l->cur[k] = '\0';	/* cur is only ever appended past ncur */
		return l->cur;
	}
	l->last[l->nlast] = '\0';
	return l->last;
}

/*
 * Dim what the live line out shows of the task's last line: all that
 * follows the frame's part (the line drawn with no text), a space and
 * before ("NAME TIME  "), when these are there whole.
 */
static void
dim_last(char *out, size_t size, const struct style *st, size_t k,
    const char *before, size_t cols, bool utf8)
{
	char frame[RENDER_BUF];
	size_t from, n = strlen(before);

	render_status(frame, sizeof(frame), st, k, "", cols, utf8);
	from = strlen(frame);
	if (strncmp(out, frame, from) != 0 || out[from] != ' ' ||
	    strncmp(out + from + 1, before, n) != 0)
		return;
	from += 1 + n;
	color_paint(out, size, from, strlen(out) - from, COLOR_DIM,
	    COLOR_DIM_END);
}

size_t
board_task(char *out, size_t size, const struct style *st, size_t k,
    const char *name, int64_t elapsed_ns, const char *last, size_t cols,
    bool utf8, bool color)
{
	char text[2 * RENDER_BUF + 64], shown[RENDER_BUF], time[32];
	size_t fw = render_style_width(st), tw, room, most, w;
	bool with_last;
	int before;

	outcome_elapsed(time, sizeof(time), elapsed_ns);
	tw = strlen(time);
	/* the frame, a space, the name, a space, the time */
	room = cols > fw + 2 + tw ? cols - fw - 2 - tw : 1;
	/* a last line only with room, the name keeping half of it */
	with_last = last != NULL && last[0] != '\0' && room > 24;
	most = with_last ? room / 2 : room;
	if (most < 12 && room >= 12)
		most = 12;
	render_fit(shown, sizeof(shown), name, most, render_ellipsis(utf8));
	if (with_last) {
		/* "NAME TIME  ", then the last line */
		before = snprintf(text, sizeof(text), "%s %s  ", shown, time);
		snprintf(text + before, sizeof(text) - (size_t)before, "%s",
		    last);
	} else {
		before = snprintf(text, sizeof(text), "%s %s", shown, time);
	}
	w = render_status(out, size, st, k, text, cols, utf8);
	if (color && with_last) {
		text[before] = '\0';
		dim_last(out, size, st, k, text, cols, utf8);
	}
	return w;
}

size_t
board_summary(char *out, size_t size, const struct board_counts *c,
    const char *msg, int64_t elapsed_ns, bool final, bool utf8,
    size_t cols, bool color)
{
	char text[RENDER_BUF], time[32], part[64];
	const char *sep = utf8 ? " \u00b7 " : ", ";
	bool ok = c->failed == 0 && c->waiting == 0 && c->running == 0;
	const char *mark = ok ? (utf8 ? "\u2714" : "v") :
	    (utf8 ? "\u2716" : "x");
	size_t used = 0, w;

	outcome_elapsed(time, sizeof(time), elapsed_ns);
	text[0] = '\0';
	if (final)
		used += (size_t)snprintf(text, sizeof(text), "%s ", mark);
	if (msg != NULL && msg[0] != '\0' && used < sizeof(text))
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		    "%s: ", msg);
	snprintf(part, sizeof(part), "%zu ok%s%zu failed", c->ok, sep,
	    c->failed);
	if (used < sizeof(text))
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		    "%s", part);
	if (c->running > 0 && used < sizeof(text))
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		    "%s%zu %s", sep, c->running, final ? "stopped" :
		    c->stopping ? "stopping" : "running");
	if (c->waiting > 0 && used < sizeof(text))
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		    "%s%zu %s", sep, c->waiting, final ? "not started" :
		    "waiting");
	if (used < sizeof(text))
		snprintf(text + used, sizeof(text) - used, "%s%s", sep, time);
	w = render_fit(out, size, text, cols == 0 ? RENDER_COLS_MAX : cols,
	    render_ellipsis(utf8));
	if (final && color)
		color_mark(out, size, mark, ok);
	return w;
}

size_t
board_more(char *out, size_t size, size_t more, size_t cols, bool utf8)
{
	char text[64];

	snprintf(text, sizeof(text), "%s %zu more running",
	    render_ellipsis(utf8), more);
	return render_fit(out, size, text, cols, render_ellipsis(utf8));
}

static void
csi(struct buf *out, size_t n, char final)
{
	char s[32];

	snprintf(s, sizeof(s), "\033[%zu%c", n, final);
	buf_puts(out, s);
}

static bool
keep_rows(struct board *bd, size_t n)
{
	if (n > bd->cap) {
		char **rows = realloc(bd->rows, n * sizeof(*rows));

		if (rows == NULL)
			return false;
		for (size_t i = bd->cap; i < n; i++)
			rows[i] = NULL;
		bd->rows = rows;
		bd->cap = n;
	}
	return true;
}

static void
set_row(struct board *bd, size_t i, const char *s)
{
	free(bd->rows[i]);
	bd->rows[i] = strdup(s);
}

void
board_show(struct board *bd, struct buf *out, char *const lines[],
    size_t n, bool full)
{
	size_t down = 0;

	if (n == 0) {
		board_wipe(bd, out);
		return;
	}
	if (!keep_rows(bd, n)) {
		board_wipe(bd, out);
		return;
	}
	full = full || bd->n == 0;
	for (size_t i = 0; i < n; i++) {
		bool same = !full && i < bd->n && bd->rows[i] != NULL &&
		    strcmp(bd->rows[i], lines[i]) == 0;

		if (i > 0) {
			buf_puts(out, "\n");
			down++;
		}
		if (same)
			continue;
		buf_puts(out, "\r");
		buf_puts(out, lines[i]);
		buf_puts(out, "\033[K");
		set_row(bd, i, lines[i]);
	}
	if (full) {
		buf_puts(out, "\033[J");
	} else if (bd->n > n) {
		/* the rows below that the area no longer has: on the screen
		 * still, so moving down to them scrolls nothing */
		buf_puts(out, "\n\r\033[J");
		down++;
	}
	for (size_t i = n; i < bd->n; i++) {
		free(bd->rows[i]);
		bd->rows[i] = NULL;
	}
	bd->n = n;
	if (down > 0)
		csi(out, down, 'A');
	buf_puts(out, "\r");
}

void
board_wipe(struct board *bd, struct buf *out)
{
	if (bd->n > 0)
		buf_puts(out, "\r\033[J");
	for (size_t i = 0; i < bd->n; i++) {
		free(bd->rows[i]);
		bd->rows[i] = NULL;
	}
	bd->n = 0;
}

void
board_free(struct board *bd)
{
	for (size_t i = 0; i < bd->cap; i++)
		free(bd->rows[i]);
	free(bd->rows);
	bd->rows = NULL;
	bd->n = bd->cap = 0;
}
