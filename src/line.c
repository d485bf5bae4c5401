/*
 * The frame is drawn after whatever partial line of output came before it
 * (a prompt, "Downloading... "), so line_pass follows the cursor's column
 * through passed output: text advances it by its display width, CR and LF
 * bring it to 0, escape sequences leave it alone.
 */
#include "line.h"

#include <string.h>

#include "render.h"

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_STRING, ESC_STRING_END };

void
line_init(struct line *ln, const struct style *st, const char *msg,
    bool utf8, size_t cols)
{
	memset(ln, 0, sizeof(*ln));
	ln->style = st;
	ln->msg = msg;
	ln->utf8 = utf8;
	ln->cols = cols;
}

size_t
line_next_frame(size_t k, int64_t start, int64_t now, int64_t interval)
{
	int64_t due = (now - start) / interval;

	return due > 0 && (size_t)due > k ? (size_t)due : k + 1;
}

size_t
line_room(const struct line *ln)
{
	if (ln->cols < ln->origin + 2)
		return 0;
	return ln->cols - ln->origin - 1;
}

static size_t
append(char *out, size_t outsize, size_t used, const char *s)
{
	size_t n = strlen(s);

	if (used + n >= outsize)
		return used;
	memcpy(out + used, s, n + 1);
	return used + n;
}

size_t
line_draw(struct line *ln, size_t k, char *out, size_t outsize)
{
	size_t used = 0;

	if (outsize == 0)
		return 0;
	out[0] = '\0';
	if (!ln->hidden) {
		used = append(out, outsize, used, render_cursor(false));
		ln->hidden = true;
	}
	used += render_frame(out + used, outsize - used, ln->style, k,
	    ln->msg, line_room(ln), ln->utf8);
	ln->frame = k;
	ln->drawn = true;
	return used;
}

size_t
line_wipe(struct line *ln, char *out, size_t outsize)
{
	size_t used = 0;

	if (outsize == 0)
		return 0;
	out[0] = '\0';
	if (ln->drawn)
		used = append(out, outsize, used, render_wipe());
	ln->drawn = false;
	return used;
}

size_t
line_clear(struct line *ln, char *out, size_t outsize)
{
	size_t used = line_wipe(ln, out, outsize);

	if (ln->hidden)
		used = append(out, outsize, used, render_cursor(true));
	ln->hidden = false;
	return used;
}

/* Move the column by one character of output. */
static void
advance(struct line *ln, wchar_t wc)
{
	if (wc == L'\n' || wc == L'\r' || wc == L'\f' || wc == L'\v') {
		ln->origin = 0;	/* the tty turns LF into CR LF (ONLCR) */
		return;
	}
	if (wc == L'\b') {
		if (ln->origin > 0)
			ln->origin--;
		return;
	}
	if (wc == L'\t') {
		ln->origin = (ln->origin / 8 + 1) * 8;
		if (ln->cols > 0 && ln->origin >= ln->cols)
			ln->origin = ln->cols - 1;
		return;
	}
	int w = wcwidth(wc);
	if (w <= 0)
		return;
	/* Past the right margin the terminal wraps to a new row. */
	if (ln->cols > 0 && ln->origin + (size_t)w > ln->cols)
		ln->origin = 0;
	ln->origin += (size_t)w;
}

void
line_pass(struct line *ln, const char *data, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)data[i];

		switch (ln->esc) {
		case ESC_START:
			if (c == '[')
				ln->esc = ESC_CSI;
			else if (c == ']' || c == 'P' || c == '_' || c == '^')
				ln->esc = ESC_STRING;
			else
				ln->esc = ESC_NONE;
			i++;
			continue;
		case ESC_CSI:
			if (c >= 0x40 && c <= 0x7e)
				ln->esc = ESC_NONE;
			i++;
			continue;
		case ESC_STRING:
			if (c == 0x07)
				ln->esc = ESC_NONE;
			else if (c == 0x1b)
				ln->esc = ESC_STRING_END;
			i++;
			continue;
		case ESC_STRING_END:
			ln->esc = c == '\\' ? ESC_NONE : ESC_STRING;
			i++;
			continue;
		default:
			break;
		}
		if (c == 0x1b) {
			ln->esc = ESC_START;
			memset(&ln->mb, 0, sizeof(ln->mb));
			i++;
			continue;
		}
		wchar_t wc;
		size_t n = mbrtowc(&wc, data + i, len - i, &ln->mb);
		if (n == (size_t)-2)
			return;	/* the rest of the character comes later */
		if (n == (size_t)-1) {
			memset(&ln->mb, 0, sizeof(ln->mb));
			advance(ln, L'?');
			i++;
			continue;
		}
		if (n == 0)
			n = 1;
		advance(ln, wc);
		i += n;
	}
}
