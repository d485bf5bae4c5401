#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void
screen_init(struct screen *s, int rows, int cols)
{
	memset(s, 0, sizeof(*s));
	s->rows = rows;
	s->cols = cols;
	s->cursor_visible = true;
}

static void
scroll(struct screen *s)
{
	memmove(s->cell[0], s->cell[1],
	    sizeof(s->cell[0]) * (size_t)(s->rows - 1));
	memset(s->cell[s->rows - 1], 0, sizeof(s->cell[0]));
}

static void
linefeed(struct screen *s)
{
	if (s->row == s->rows - 1)
		scroll(s);
	else
		s->row++;
}

static void
put(struct screen *s, const char *bytes, size_t n, int w)
{
	if (w == 0) {	/* combining: joins the cell before */
		int c = s->pending_wrap ? s->col : s->col - 1;
		if (c >= 0) {
			char *cell = s->cell[s->row][c];
			size_t len = strlen(cell);
			if (len + n < sizeof(s->cell[0][0]))
				memcpy(cell + len, bytes, n), cell[len + n] = 0;
		}
		return;
	}
	if (s->pending_wrap || s->col + w > s->cols) {
		s->wraps++;
		s->col = 0;
		s->pending_wrap = false;
		linefeed(s);
	}
	memcpy(s->cell[s->row][s->col], bytes, n);
	s->cell[s->row][s->col][n] = '\0';
	if (w == 2 && s->col + 1 < s->cols)
		strcpy(s->cell[s->row][s->col + 1], "\x01");	/* right half */
	if (s->col + w >= s->cols) {
		s->col = s->cols - 1;
		s->pending_wrap = true;
	} else {
		s->col += w;
	}
}

static void
clear_rows(struct screen *s, int from, int to)
{
	for (int r = from; r < to; r++)
		memset(s->cell[r], 0, sizeof(s->cell[0]));
}

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* DECSET / DECRST of mode m. */
static void
dec_mode(struct screen *s, int m, bool on)
{
	if (m == 25) {
		s->cursor_visible = on;
		if (on)
			s->shows++;
		else
			s->hides++;
	} else if (m == 1049 && on && !s->alt) {
		memcpy(s->main_cell, s->cell, sizeof(s->cell));
		s->main_row = s->row;
		s->main_col = s->col;
		clear_rows(s, 0, s->rows);
		s->alt = true;
	} else if (m == 1049 && !on && s->alt) {
		memcpy(s->cell, s->main_cell, sizeof(s->cell));
		s->row = s->main_row;
		s->col = s->main_col;
		s->alt = false;
	}
}

static size_t
csi(struct screen *s, const char *p, size_t len)
{
	size_t i = 2;
	char priv = 0;
	int par[16], np = 0, n;

	memset(par, 0, sizeof(par));
	if (i < len && (p[i] == '?' || p[i] == '>' || p[i] == '=')) {
		priv = p[i];
		i++;
	}
	for (; i < len && ((p[i] >= '0' && p[i] <= '9') || p[i] == ';' ||
	    p[i] == ':'); i++) {
		if (p[i] == ';' || p[i] == ':') {
			np += np < 15;
			continue;
		}
		par[np] = par[np] * 10 + (p[i] - '0');
	}
	np++;
	if (i >= len)
		return len;
	char f = p[i];
	n = par[0] > 0 ? par[0] : 1;
	s->pending_wrap = false;
	if (priv == '?' && (f == 'h' || f == 'l')) {
		for (int k = 0; k < np; k++)
			dec_mode(s, par[k], f == 'h');
	} else if (priv != 0) {
		/* other private sequences change nothing we model */
	} else if (f == 'K') {
		int from = par[0] == 0 ? s->col : 0;
		int to = par[0] == 1 ? s->col + 1 : s->cols;
		for (int c = from; c < to && c < s->cols; c++)
			s->cell[s->row][c][0] = '\0';
	} else if (f == 'J') {
		if (par[0] == 0) {
			for (int c = s->col; c < s->cols; c++)
				s->cell[s->row][c][0] = '\0';
			clear_rows(s, s->row + 1, s->rows);
		} else if (par[0] >= 2) {
			clear_rows(s, 0, s->rows);
		}
	} else if (f == 'A') {
		s->row = clamp(s->row - n, 0, s->rows - 1);
	} else if (f == 'B') {
		s->row = clamp(s->row + n, 0, s->rows - 1);
	} else if (f == 'C') {
		s->col = clamp(s->col + n, 0, s->cols - 1);
	} else if (f == 'D') {
		s->col = clamp(s->col - n, 0, s->cols - 1);
	} else if (f == 'G') {
		s->col = clamp(n - 1, 0, s->cols - 1);
	} else if (f == 'H' || f == 'f') {
		s->row = clamp(n - 1, 0, s->rows - 1);
		s->col = clamp((np > 1 && par[1] > 0 ? par[1] : 1) - 1, 0,
		    s->cols - 1);
	} else if (f == 'm' || f == 't' || f == 'r') {
		/* colours, window reports, scroll regions: not modelled */
	} else {
		s->unknown++;
	}
	return i + 1;
}

/* An ESC sequence other than CSI; returns the bytes it takes. */
static size_t
esc(struct screen *s, const char *p, size_t len)
{
	if (len < 2)
		return len;
	switch (p[1]) {
	case ']':	/* OSC: up to BEL or ESC \ */
		for (size_t i = 2; i < len; i++) {
			if (p[i] == '\a')
				return i + 1;
			if (p[i] == 0x1b && i + 1 < len && p[i + 1] == '\\')
				return i + 2;
		}
		return len;
	case '7':
		s->saved_row = s->row;
		s->saved_col = s->col;
		return 2;
	case '8':
		s->row = s->saved_row;
		s->col = s->saved_col;
		return 2;
	case '=':
	case '>':
		return 2;
	case '(':
	case ')':
		return len < 3 ? len : 3;
	case 'M':
		if (s->row > 0)
			s->row--;
		return 2;
	default:
		s->unknown++;
		return 2;
	}
}

void
screen_feed(struct screen *s, const char *data, size_t len)
{
	mbstate_t mb;
	size_t i = 0;

	memset(&mb, 0, sizeof(mb));
	while (i < len) {
		unsigned char c = (unsigned char)data[i];

		if (c == '\r') {
			s->col = 0;
			s->pending_wrap = false;
			i++;
		} else if (c == '\n') {
			linefeed(s);
			s->pending_wrap = false;
			i++;
		} else if (c == '\b') {
			if (s->col > 0 && !s->pending_wrap)
				s->col--;
			s->pending_wrap = false;
			i++;
		} else if (c == 0x1b && i + 1 < len && data[i + 1] == '[') {
			i += csi(s, data + i, len - i);
		} else if (c == 0x1b) {
			i += esc(s, data + i, len - i);
		} else if (c < 0x20 || c == 0x7f) {
			i++;
		} else {
			wchar_t wc;
			size_t n = mbrtowc(&wc, data + i, len - i, &mb);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
				memset(&mb, 0, sizeof(mb));
				put(s, "\xef\xbf\xbd", 3, 1);
				i++;
				continue;
			}
			int w = wcwidth(wc);
			put(s, data + i, n, w < 0 ? 1 : w);
			i += n;
		}
	}
}

const char *
screen_row(const struct screen *s, int r, char *buf, size_t size)
{
	size_t used = 0, keep = 0;

	buf[0] = '\0';
	for (int c = 0; c < s->cols; c++) {
		const char *cell = s->cell[r][c];
		size_t n = strlen(cell);

		if (strcmp(cell, "\x01") == 0)
			continue;
		if (n == 0) {
			cell = " ";
			n = 1;
		}
		if (used + n + 1 >= size)
			break;
		memcpy(buf + used, cell, n);
		used += n;
		if (strcmp(cell, " ") != 0)
			keep = used;
	}
	buf[keep] = '\0';
	return buf;
}

const char *
screen_text(const struct screen *s, char *buf, size_t size)
{
	size_t used = 0, keep = 0;
	char row[SCREEN_COLS * 16];

	buf[0] = '\0';
	for (int r = 0; r < s->rows; r++) {
		screen_row(s, r, row, sizeof(row));
		size_t n = strlen(row);
		if (used + n + 2 >= size)
			break;
		memcpy(buf + used, row, n);
		used += n;
		if (n > 0)
			keep = used;
		buf[used++] = '\n';
	}
	buf[keep] = '\0';
	return buf;
}
