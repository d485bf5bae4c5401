/*
 * The status line is drawn where the cursor stands, not at column 0, so a
 * partial line of output before it stays intact (the seed's backspace wipe
 * allows the same).  After each frame the cursor goes back to the start of
 * the frame, so the wipe is a single "erase to end of line".
 */
#include "render.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

bool
render_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
}

const char *
render_ellipsis(bool utf8)
{
	return utf8 ? "\u2026" : "...";
}

/*
 * Decode the next character of s: its length in bytes (0 at the end) and
 * its columns; *bad tells that it is drawn as '?'.
 */
static size_t
next_char(const char *s, mbstate_t *st, int *cols, bool *bad)
{
	wchar_t wc;
	size_t n;

	if (*s == '\0')
		return 0;
	n = mbrtowc(&wc, s, strlen(s), st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		*bad = true;
		*cols = 1;
		return 1;
	}
	int w = wcwidth(wc);
	if (w < 0) {	/* control or unprintable character */
		*bad = true;
		*cols = 1;
		return n;
	}
	*bad = false;
	*cols = w;
	return n;
}

size_t
render_width(const char *s)
{
	mbstate_t st;
	size_t total = 0, n;
	int cols;
	bool bad;

	memset(&st, 0, sizeof(st));
	while ((n = next_char(s, &st, &cols, &bad)) != 0) {
		total += (size_t)cols;
		s += n;
	}
	return total;
}

/*
 * Copy at most cols columns of s to out; *cut tells whether some of s did
 * not fit.  Zero-width marks stay with the character before them, and go
 * with it when it is cut.
 */
static size_t
copy_cols(char *out, size_t outsize, size_t *used, const char *s,
    size_t cols, bool *cut)
{
	mbstate_t st;
	size_t total = 0, n;
	int w;
	bool bad;

	memset(&st, 0, sizeof(st));
	*cut = false;
	while ((n = next_char(s, &st, &w, &bad)) != 0) {
		size_t len = bad ? 1 : n;

		if (total + (size_t)w > cols || *used + len + 1 > outsize) {
			*cut = true;
			break;
		}
		if (bad)
			out[*used] = '?';
		else
			memcpy(out + *used, s, n);
		*used += len;
		total += (size_t)w;
		s += n;
	}
	out[*used] = '\0';
	return total;
}

size_t
render_fit(char *out, size_t outsize, const char *s, size_t cols,
    const char *ellipsis)
{
	size_t used = 0, total;
	bool cut;

	if (outsize == 0)
		return 0;
	out[0] = '\0';
	total = copy_cols(out, outsize, &used, s, cols, &cut);
	if (!cut || ellipsis == NULL)
		return total;

	size_t ew = render_width(ellipsis);
	if (ew > cols)
		return total;	/* no room even for the ellipsis: a bare cut */
	used = 0;
	total = copy_cols(out, outsize, &used, s, cols - ew, &cut);
	if (used + strlen(ellipsis) + 1 > outsize)
		return total;
	memcpy(out + used, ellipsis, strlen(ellipsis) + 1);
	return total + ew;
}

size_t
render_style_width(const struct style *st)
{
	size_t max = 0;

	for (size_t i = 0; i < st->count; i++) {
		size_t w = render_width(st->frames[i]);
		if (w > max)
			max = w;
	}
	return max;
}

void
render_style_sample(char *out, size_t outsize, const struct style *st)
{
	size_t used = 0;

	if (outsize == 0)
		return;
	out[0] = '\0';
	for (size_t k = 0; k < st->count && used + 16 < outsize; k++) {
		if (k > 0)
			out[used++] = ' ';
		render_fit(out + used, outsize - used, st->frames[k],
		    RENDER_COLS_MAX, NULL);
		used += strlen(out + used);
	}
	out[used] = '\0';
}

size_t
render_status(char *out, size_t outsize, const struct style *st, size_t k,
    const char *msg, size_t cols, bool utf8)
{
	return render_status_tail(out, outsize, st, k, msg, NULL, cols, utf8);
}

/* Frame k of st, padded to fw columns (fw <= cols); its width. */
static size_t
frame_text(char *out, size_t outsize, const struct style *st, size_t fw,
    size_t k)
{
	size_t total = render_fit(out, outsize, st->frames[k % st->count], fw,
	    NULL), used = strlen(out);

	for (; total < fw && used + 2 < outsize; total++)
		out[used++] = ' ';	/* pad narrow frames to the widest */
	out[used] = '\0';
	return total;
}

size_t
render_rest(char *out, size_t outsize, const char *msg, const char *tail,
    size_t cols, bool utf8)
{
	size_t used = 0, total = 0, tw = 0, room;

	if (outsize == 0)
		return 0;
	out[0] = '\0';
	/* the tail whole, then the message in what is left */
	if (tail != NULL && tail[0] != '\0')
		tw = render_width(tail);
	if (tw > 0 && cols < 1 + tw)
		tw = 0;
	room = cols - (tw > 0 ? 1 + tw : 0);
	if (msg[0] != '\0' && room >= 2 && used + 2 < outsize) {
		out[used++] = ' ';
		total += 1 + render_fit(out + used, outsize - used, msg,
		    room - 1, render_ellipsis(utf8));
		used += strlen(out + used);
	}
	if (tw > 0 && used + 1 < outsize) {
		out[used++] = ' ';
		total += 1 + render_fit(out + used, outsize - used, tail, tw,
		    NULL);
	}
	return total;
}

size_t
render_status_tail(char *out, size_t outsize, const struct style *st,
    size_t k, const char *msg, const char *tail, size_t cols, bool utf8)
{
	size_t fw = render_style_width(st), used, total;

	if (outsize == 0)
		return 0;
	if (cols < fw)	/* not even room for the frame: cut it, bare */
		return render_fit(out, outsize, st->frames[k % st->count],
		    cols, NULL);
	total = frame_text(out, outsize, st, fw, k);
	used = strlen(out);
	return total + render_rest(out + used, outsize - used, msg, tail,
	    cols - fw, utf8);
}

/* text (w columns), the wipe, the cursor back w columns. */
static size_t
frame_bytes(char *out, size_t outsize, const char *text, size_t w)
{
	int n;

	/* ESC[0D would move one column: only move back when w > 0. */
	if (w > 0)
		n = snprintf(out, outsize, "%s%s\033[%zuD", text, render_wipe(),
		    w);
	else
		n = snprintf(out, outsize, "%s", render_wipe());
	if (n < 0 || (size_t)n >= outsize)
		return 0;
	return (size_t)n;
}

size_t
render_frame(char *out, size_t outsize, const struct style *st, size_t k,
    const char *msg, const char *tail, size_t cols, bool utf8)
{
	char text[RENDER_BUF];
	size_t w = render_status_tail(text, sizeof(text), st, k, msg, tail,
	    cols, utf8);

	return frame_bytes(out, outsize, text, w);
}

size_t
render_frame_rest(char *out, size_t outsize, const struct style *st,
    size_t fw, size_t k, const char *rest, size_t restw)
{
	char text[RENDER_BUF];
	size_t w = frame_text(text, sizeof(text), st, fw, k), used;

	used = strlen(text);
	if (used + strlen(rest) + 1 > sizeof(text))
		return 0;
	memcpy(text + used, rest, strlen(rest) + 1);
	return frame_bytes(out, outsize, text, w + restw);
}

const char *
render_wipe(void)
{
	return "\033[K";
}

const char *
render_cursor(bool visible)
{
	return visible ? "\033[?25h" : "\033[?25l";
}
