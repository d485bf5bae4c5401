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

static size_t
csi(struct screen *s, const char *p, size_t len)
{
	size_t i = 2;
	bool priv = false;
	int n = 0, have = 0;

	if (i < len && p[i] == '?') {
		priv = true;
		i++;
	}
	for (; i < len && p[i] >= '0' && p[i] <= '9'; i++, have = 1)
		n = n * 10 + (p[i] - '0');
	if (i >= len)
		return len;
	char f = p[i];
	if (priv && n == 25 && (f == 'l' || f == 'h')) {
		s->cursor_visible = f == 'h';
		if (f == 'h')
			s->shows++;
		else
			s->hides++;
	} else if (!priv && f == 'K' && (!have || n == 0)) {
		for (int c = s->col; c < s->cols; c++)
			s->cell[s->row][c][0] = '\0';
		s->pending_wrap = false;
	} else if (!priv && f == 'K' && n == 2) {
		memset(s->cell[s->row], 0, sizeof(s->cell[0]));
	} else if (!priv && f == 'D') {
		s->col -= have && n > 0 ? n : 1;
		if (s->col < 0)
			s->col = 0;
		s->pending_wrap = false;
	} else {
		s->unknown++;
	}
	return i + 1;
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
			s->unknown++;
			i++;
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
