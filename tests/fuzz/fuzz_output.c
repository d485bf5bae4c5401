/*
 * COMMAND's output as the spinner follows it: vt.c's parser under
 * line_pass().  The input: two bytes of terminal width (0 to 512
 * columns), a byte of flags (bit 0: the UTF-8 locale, else C; bit 1: the
 * terminal turns LF into CR LF; bits 2-5: the terminal's rows less one,
 * which the line is told as the engine tells it; bits 6-7: the style), a
 * byte for the row the cursor starts on (the shell's text above it),
 * then the stream.  Checked:
 * - Fed whole, in two pieces split anywhere, or a byte at a time, the
 *   stream leaves the parser and the line in the same state, and the
 *   parser reports the same events.
 * - The line holds together: columns within the width (wider than one
 *   column), COMMAND's colours only whole SGR sequences.
 * - After every byte, a frame is drawn exactly when line_can_draw() says:
 *   outside any sequence or character, on the lowest row, the row known,
 *   nothing right of the cursor, room for it.  Its bytes are ours alone:
 *   the cursor hidden once, plain colours, clean text no wider than the
 *   room, ESC [ K, the cursor back where it was, COMMAND's colours again.
 *   The wipe before the next output is ESC [ K in plain colours.
 * - A model terminal (below: a screen of cells under xterm's rules)
 *   follows the same stream, and whenever line.c draws, the model is on
 *   the main screen, none of COMMAND's text stands at or right of the
 *   cursor, and the frame ends before the last column.  The model stops
 *   judging where it cannot tell: bytes terminals draw differently,
 *   sequences it does not model, until the screen is known again.
 * - line_release() undoes every mode and colour COMMAND set, so that
 *   nothing is left to release; line_retake() sets them all again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fuzz.h"
#include "line.h"
#include "styles.h"
#include "vt.h"

/* --- the model terminal ---------------------------------------------- */

enum { EMPTY, TEXT, FOG };	/* a cell: blank, COMMAND's, not known */

#define M_ROWS 16
#define M_COLS 512

/* A saved cursor (DECSC); restoring one that is not ok loses the cursor. */
struct mark {
	size_t row, col;
	bool ok;
};

struct model {
	size_t rows, cols;
	unsigned char cell[2][M_ROWS][M_COLS];	/* main, alternate screen */
	int scr;		/* the screen shown */
	size_t row, col;
	bool wrap;		/* the last column written: next, a new row */
	bool blind;		/* the cursor's place is not known */
	bool off;		/* modes not modelled: no judging till RIS */
	bool region;		/* a scroll region: no judging till reset */
	bool insert;		/* IRM */
	bool tabs;		/* tab stops every 8 columns */
	bool onlcr;
	size_t lastw;		/* the graphic character just written */
	struct mark saved[2];	/* DECSC, one per screen */
	mbstate_t mb;
	struct vt vt;
};

static void
m_screen(struct model *m, int scr, unsigned char what)
{
	memset(m->cell[scr], what, sizeof(m->cell[scr]));
}

/* Where the cursor is, or what is on the screen, is no longer known. */
static void
m_fog(struct model *m)
{
	m->blind = true;
	m_screen(m, m->scr, FOG);
}

static void
m_reset(struct model *m)
{
	m_screen(m, 0, EMPTY);
	m_screen(m, 1, FOG);
	m->scr = 0;
	m->row = m->col = 0;
	m->wrap = m->blind = m->off = m->region = m->insert = false;
	m->tabs = true;
	m->lastw = 0;
	m->saved[0] = m->saved[1] = (struct mark){ 0, 0, true };
	memset(&m->mb, 0, sizeof(m->mb));
}

static void
m_init(struct model *m, size_t rows, size_t start, size_t cols,
    bool onlcr)
{
	m->rows = rows;
	m->cols = cols;
	m->onlcr = onlcr;
	m_reset(m);
	/* the shell's screen above the row the spinner starts on */
	for (size_t r = 0; r < start; r++)
		memset(m->cell[0][r], TEXT, sizeof(m->cell[0][r]));
	m->row = start;
	vt_init(&m->vt);
}

static void
m_fill(struct model *m, size_t row, size_t from, size_t to,
    unsigned char what)
{
	for (size_t c = from; c < to && c < m->cols; c++)
		m->cell[m->scr][row][c] = what;
}

/* Rows [from, rows) move n up (n > 0) or down; blank rows come in. */
static void
m_shift(struct model *m, size_t from, long n)
{
	unsigned char (*g)[M_COLS] = m->cell[m->scr];
	size_t h = m->rows - from;
	size_t k = (size_t)(n < 0 ? -n : n);

	if (k > h)
		k = h;
	if (n > 0) {
		memmove(g[from], g[from + k], (h - k) * M_COLS);
		memset(g[m->rows - k], EMPTY, k * M_COLS);
	} else {
		memmove(g[from + k], g[from], (h - k) * M_COLS);
		memset(g[from], EMPTY, k * M_COLS);
	}
}

static void
m_lf(struct model *m)
{
	if (m->row + 1 < m->rows)
		m->row++;
	else
		m_shift(m, 0, 1);
}

/* A character of w columns at the cursor. */
static void
m_put(struct model *m, size_t w)
{
	if (w > m->cols) {
		m_fog(m);
		return;
	}
	if (m->wrap || m->col + w > m->cols) {
		m->col = 0;
		m->wrap = false;
		m_lf(m);
	}
	if (m->insert) {
		unsigned char *r = m->cell[m->scr][m->row];
		memmove(r + m->col + w, r + m->col, m->cols - m->col - w);
	}
	m_fill(m, m->row, m->col, m->col + w, TEXT);
	m->col += w;
	if (m->col >= m->cols) {
		m->col = m->cols - 1;
		m->wrap = true;
	}
}

static void
m_print_byte(struct model *m, unsigned char b)
{
	wchar_t wc;
	size_t n = mbrtowc(&wc, (const char *)&b, 1, &m->mb);
	int w;

	if (n == (size_t)-2)
		return;
	m->lastw = 0;
	if (n == (size_t)-1 || n == 0) {
		/* terminals draw bad bytes in different ways */
		memset(&m->mb, 0, sizeof(m->mb));
		m_fog(m);
		return;
	}
	if ((w = wcwidth(wc)) < 0) {
		m_fog(m);	/* a C1 control, or unassigned */
		return;
	}
	if (m->blind) {
		m_fog(m);	/* written somewhere */
		return;
	}
	if (w == 0)
		return;		/* joins the character before */
	m_put(m, (size_t)w);
	m->lastw = (size_t)w;
}

static void
m_print(void *arg, const char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++)
		m_print_byte(arg, (unsigned char)bytes[i]);
}

/* Anything but text: a character cut short is drawn as terminals like. */
static void
m_not_text(struct model *m)
{
	m->lastw = 0;
	if (!mbsinit(&m->mb)) {
		memset(&m->mb, 0, sizeof(m->mb));
		m_fog(m);
	}
}

/* Whether an edit at the cursor can be followed; if not, all is fog. */
static bool
m_here(struct model *m)
{
	if (m->blind || m->wrap) {
		m_fog(m);
		return false;
	}
	return true;
}

static void
m_restore(struct model *m, const struct mark *k)
{
	m->wrap = false;
	if (!k->ok) {
		m->blind = true;
		return;
	}
	m->row = k->row;
	m->col = k->col;
	m->blind = false;
}

static void
m_save(struct model *m, struct mark *k)
{
	*k = (struct mark){ m->row, m->col, !m->blind && !m->wrap };
}

static void
m_execute(void *arg, unsigned char c)
{
	struct model *m = arg;

	m_not_text(m);
	switch (c) {
	case '\r':
		m->col = 0;
		m->wrap = false;
		break;
	case '\n':
	case '\v':
	case '\f':
		if (m->wrap && !(c == '\n' && m->onlcr))
			m->blind = true;
		m->wrap = false;
		m_lf(m);
		if (c == '\n' && m->onlcr)
			m->col = 0;
		break;
	case '\b':
		if (m->col > 0)
			m->col--;
		m->wrap = false;
		break;
	case '\t':
		if (m->wrap || !m->tabs)
			m->blind = true;
		m->col = (m->col / 8 + 1) * 8;
		if (m->col >= m->cols)
			m->col = m->cols - 1;
		m->wrap = false;
		break;
	case 0x1a:	/* SUB: some terminals draw it */
		m_fog(m);
		break;
	default:
		break;
	}
}

static size_t
m_param(const struct vt_seq *seq, size_t i, size_t def)
{
	if (i >= seq->nparams || seq->params[i] <= 0)
		return def;
	return (size_t)seq->params[i];
}

static size_t
m_clamp(size_t v, size_t max)
{
	return v > max ? max : v;
}

static void
m_erase_display(struct model *m, size_t how)
{
	if (how == 2) {
		m_screen(m, m->scr, EMPTY);
		return;
	}
	if (how > 1 || !m_here(m))
		return;
	if (how == 0) {
		m_fill(m, m->row, m->col, m->cols, EMPTY);
		for (size_t r = m->row + 1; r < m->rows; r++)
			m_fill(m, r, 0, m->cols, EMPTY);
	} else {
		m_fill(m, m->row, 0, m->col + 1, EMPTY);
		for (size_t r = 0; r < m->row; r++)
			m_fill(m, r, 0, m->cols, EMPTY);
	}
}

static void
m_erase_line(struct model *m, size_t how)
{
	if (how > 2 || !m_here(m))
		return;
	m_fill(m, m->row, how == 0 ? m->col : 0, how == 1 ? m->col + 1 :
	    m->cols, EMPTY);
}

/* DECSET / DECRST: the alternate screen; modes with no effect here. */
static void
m_dec_modes(struct model *m, const struct vt_seq *seq, bool on)
{
	for (size_t i = 0; i < seq->nparams; i++) {
		int p = seq->params[i];

		switch (p) {
		case 1: case 5: case 8: case 9: case 12: case 25:
		case 1000: case 1001: case 1002: case 1003: case 1004:
		case 1005: case 1006: case 1007: case 1015: case 1016:
		case 1034: case 1036: case 1039: case 2004: case 2026:
			break;
		case 1048:
			if (on)
				m_save(m, &m->saved[m->scr]);
			else
				m_restore(m, &m->saved[m->scr]);
			break;
		case 47:
		case 1047:
		case 1049:
			if (on && m->scr == 0) {
				if (p == 1049)
					m_save(m, &m->saved[0]);
				m->scr = 1;
				if (p == 1049)
					m_screen(m, 1, EMPTY);
			} else if (!on && m->scr == 1) {
				m->scr = 0;
				if (p == 1049)
					m_restore(m, &m->saved[0]);
			} else if (p == 1049) {
				m->off = true;	/* terminals differ */
			}
			break;
		default:
			m->off = true;	/* margins, origin, autowrap... */
			break;
		}
	}
}

/* DECSTBM: the whole screen is a region we follow; any other is not. */
static void
m_region(struct model *m, const struct vt_seq *seq)
{
	size_t top = m_param(seq, 0, 1), bottom = m_param(seq, 1, m->rows);

	if (top >= bottom) {
		m->blind = true;	/* ignored, or not: not known */
		return;
	}
	m->region = top > 1 || bottom < m->rows;
	if (!m->region)
		m_fog(m);	/* what the region did is not known */
	m->row = m->col = 0;
	m->wrap = false;
	m->blind = false;
}

static void
m_repeat(struct model *m, size_t n)
{
	size_t w = m->lastw;

	if (w == 0 || m->blind || n > 2 * m->rows * m->cols) {
		m_fog(m);
		return;
	}
	while (n-- > 0)
		m_put(m, w);
}

static void
m_csi(void *arg, const struct vt_seq *seq)
{
	struct model *m = arg;
	size_t n = m_param(seq, 0, 1), last = m->cols - 1;

	if (seq->final == 'b' && seq->prefix == 0 && seq->inter[0] == '\0') {
		size_t w = m->lastw;

		m_not_text(m);
		m->lastw = w;
		m_repeat(m, n);
		m->lastw = 0;
		return;
	}
	m_not_text(m);
	if (seq->prefix == '?') {
		if (seq->inter[0] != '\0')
			m->off = true;
		else if (seq->final == 'h' || seq->final == 'l')
			m_dec_modes(m, seq, seq->final == 'h');
		else if (seq->final == 'J')	/* DECSED: nothing protected */
			m_erase_display(m, m_param(seq, 0, 0));
		else if (seq->final == 'K')
			m_erase_line(m, m_param(seq, 0, 0));
		else if (strchr("cnuS", seq->final) == NULL)
			m->off = true;
		return;
	}
	if (seq->prefix != 0) {
		if (strchr("cmnpqtTu", seq->final) == NULL)
			m->off = true;
		return;
	}
	if (seq->inter[0] != '\0') {
		if (strcmp(seq->inter, " ") != 0 || seq->final != 'q')
			m->off = true;
		return;
	}
	switch (seq->final) {
	case 'A':
		m->row = m->row > n ? m->row - n : 0;
		break;
	case 'B':
	case 'e':
		m->row = m_clamp(m->row + n, m->rows - 1);
		break;
	case 'C':
	case 'a':
		m->col = m_clamp(m->col + n, last);
		break;
	case 'D':
		m->col = m->col > n ? m->col - n : 0;
		break;
	case 'E':
		m->row = m_clamp(m->row + n, m->rows - 1);
		m->col = 0;
		break;
	case 'F':
		m->row = m->row > n ? m->row - n : 0;
		m->col = 0;
		break;
	case 'G':
	case '`':
		m->col = m_clamp(n - 1, last);
		break;
	case 'd':
		m->row = m_clamp(n - 1, m->rows - 1);
		break;
	case 'H':
	case 'f':
		m->row = m_clamp(n - 1, m->rows - 1);
		m->col = m_clamp(m_param(seq, 1, 1) - 1, last);
		m->blind = false;
		break;
	case 'I':
		if (m->wrap || !m->tabs)
			m->blind = true;
		m->col = m_clamp((m->col / 8 + m_clamp(n, m->cols)) * 8, last);
		break;
	case 'Z':
		if (!m->tabs)
			m->blind = true;
		for (size_t i = 0; i < n && m->col > 0; i++)
			m->col = (m->col - 1) / 8 * 8;
		break;
	case 'J':
		m_erase_display(m, m_param(seq, 0, 0));
		break;
	case 'K':
		m_erase_line(m, m_param(seq, 0, 0));
		break;
	case '@':
		if (m_here(m)) {
			unsigned char *r = m->cell[m->scr][m->row];
			size_t k = m_clamp(n, m->cols - m->col);

			memmove(r + m->col + k, r + m->col,
			    m->cols - m->col - k);
			m_fill(m, m->row, m->col, m->col + k, EMPTY);
		}
		break;
	case 'P':
		if (m_here(m)) {
			unsigned char *r = m->cell[m->scr][m->row];
			size_t k = m_clamp(n, m->cols - m->col);

			memmove(r + m->col, r + m->col + k,
			    m->cols - m->col - k);
			m_fill(m, m->row, m->cols - k, m->cols, EMPTY);
		}
		break;
	case 'X':
		if (m_here(m))
			m_fill(m, m->row, m->col, m->col + n, EMPTY);
		break;
	case 'L':
	case 'M':
		if (m_here(m))
			m_shift(m, m->row, seq->final == 'M' ? (long)n :
			    -(long)m_clamp(n, M_ROWS));
		m->blind = true;	/* the column: terminals differ */
		break;
	case 'S':
		m_shift(m, 0, (long)m_clamp(n, M_ROWS));
		break;
	case 'T':
		if (seq->nparams > 1)
			m->off = true;	/* mouse tracking, not a scroll */
		else
			m_shift(m, 0, -(long)m_clamp(n, M_ROWS));
		break;
	case 'r':
		m_region(m, seq);
		break;
	case 's':
		m_save(m, &m->saved[m->scr]);
		break;
	case 'u':
		m_restore(m, &m->saved[m->scr]);
		break;
	case 'g':
		m->tabs = false;
		break;
	case 'h':
	case 'l':
		for (size_t i = 0; i < seq->nparams; i++) {
			if (seq->params[i] == 4)
				m->insert = seq->final == 'h';
			else if (seq->params[i] == 20)
				m->off = true;	/* LF as CR LF */
		}
		break;
	case 't':
		if (n < 11 || n > 23)
			m->off = true;	/* the window moved or resized */
		break;
	case 'm': case 'n': case 'c': case 'i': case 'q': case 'x': case 'y':
		break;
	default:
		m_fog(m);
		break;
	}
	if (strchr("ABCDEFGHIZ`adef", seq->final) != NULL)
		m->wrap = false;
}

static void
m_esc(void *arg, const struct vt_seq *seq)
{
	struct model *m = arg;

	m_not_text(m);
	if (seq->inter[0] != '\0') {
		if (strcmp(seq->inter, "#") == 0 && seq->final == '8') {
			m_screen(m, m->scr, TEXT);	/* DECALN */
			m->row = m->col = 0;
			m->wrap = m->blind = m->region = false;
		} else if (strchr("()*+-./", seq->inter[0]) != NULL) {
			/* a character set: one column a character still */
		} else if (strcmp(seq->inter, " ") == 0 &&
		    (seq->final == 'F' || seq->final == 'G')) {
			/* C1 controls sent as 7 or 8 bits */
		} else {
			m->off = true;
		}
		return;
	}
	switch (seq->final) {
	case '7':
		m_save(m, &m->saved[m->scr]);
		break;
	case '8':
		m_restore(m, &m->saved[m->scr]);
		break;
	case 'M':
		if (m->wrap)
			m->blind = true;
		m->wrap = false;
		if (m->row > 0)
			m->row--;
		else
			m_shift(m, 0, -1);
		break;
	case 'D':
	case 'E':
		if (m->wrap && seq->final == 'D')
			m->blind = true;
		m->wrap = false;
		m_lf(m);
		if (seq->final == 'E')
			m->col = 0;
		break;
	case 'c':
		m_reset(m);
		break;
	case 'H':
		m->tabs = false;
		break;
	case '=': case '>': case 'N': case 'O': case 'Z': case '\\':
	case 'n': case 'o': case '|': case '}': case '~':
		break;
	default:
		m_fog(m);
		break;
	}
}

static void
m_string(void *arg, char kind)
{
	struct model *m = arg;

	m_not_text(m);
	if (kind == 'P' || kind == '_')
		m_fog(m);	/* sixels, images, passed-through bytes */
}

static void
m_feed(struct model *m, const char *data, size_t len)
{
	static const struct vt_sink sink = {
		m_print, m_execute, m_csi, m_esc, m_string
	};

	vt_feed(&m->vt, data, len, &sink, m);
}

/* A frame of w columns is about to be drawn at the cursor: is it safe? */
static void
m_judge(const struct model *m, size_t w)
{
	if (m->off || m->region)
		return;
	FUZZ_CHECK(m->scr == 0);	/* never on the alternate screen */
	if (m->blind)
		return;
	for (size_t c = m->col; c < m->cols; c++)
		FUZZ_CHECK(m->cell[0][m->row][c] != TEXT);
	FUZZ_CHECK(m->col + w < m->cols);	/* never the last column */
}

/* --- the parser's events, as a hash ---------------------------------- */

static void
mix(uint64_t *h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ ((const unsigned char *)p)[i]) *
		    UINT64_C(0x100000001b3);
}

static void
ev_print(void *arg, const char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		mix(arg, "p", 1);
		mix(arg, bytes + i, 1);
	}
}

static void
ev_execute(void *arg, unsigned char c)
{
	mix(arg, "x", 1);
	mix(arg, &c, 1);
}

static void
ev_seq(uint64_t *h, const char *what, const struct vt_seq *seq)
{
	mix(h, what, 1);
	mix(h, &seq->nparams, sizeof(seq->nparams));
	for (size_t i = 0; i < seq->nparams; i++)
		mix(h, &seq->params[i], sizeof(seq->params[i]));
	mix(h, seq->inter, strlen(seq->inter) + 1);
	mix(h, &seq->prefix, 1);
	mix(h, &seq->final, 1);
}

static void
ev_csi(void *arg, const struct vt_seq *seq)
{
	ev_seq(arg, "c", seq);
}

static void
ev_esc(void *arg, const struct vt_seq *seq)
{
	ev_seq(arg, "e", seq);
}

static void
ev_string(void *arg, char kind)
{
	mix(arg, "s", 1);
	mix(arg, &kind, 1);
}

static const struct vt_sink ev_sink = {
	ev_print, ev_execute, ev_csi, ev_esc, ev_string
};

/* --- the line --------------------------------------------------------- */

static bool
same_cursor(const struct line_cursor *a, const struct line_cursor *b)
{
	return a->origin == b->origin && a->right == b->right &&
	    a->depth == b->depth && a->lowest == b->lowest &&
	    a->above == b->above && a->lost == b->lost;
}

static bool
same_vt(const struct vt *a, const struct vt *b)
{
	return a->state == b->state && a->kind == b->kind &&
	    a->overflow == b->overflow && a->np == b->np && a->ni == b->ni &&
	    memcmp(a->seq.params, b->seq.params, sizeof(a->seq.params)) ==
	    0 && a->seq.nparams == b->seq.nparams &&
	    memcmp(a->seq.inter, b->seq.inter, sizeof(a->seq.inter)) == 0 &&
	    a->seq.prefix == b->seq.prefix && a->seq.final == b->seq.final;
}

/* Whether two lines followed the output to the same state. */
static bool
same_line(const struct line *a, const struct line *b)
{
	return a->origin == b->origin && a->right == b->right &&
	    a->depth == b->depth && a->lowest == b->lowest &&
	    a->above == b->above && a->lost == b->lost &&
	    a->insert == b->insert &&
	    a->last == b->last && same_cursor(&a->saved, &b->saved) &&
	    same_cursor(&a->before_alt, &b->before_alt) &&
	    a->modes == b->modes && a->sgr_len == b->sgr_len &&
	    memcmp(a->sgr, b->sgr, a->sgr_len) == 0 &&
	    same_vt(&a->vt, &b->vt) &&
	    memcmp(&a->mb, &b->mb, sizeof(a->mb)) == 0;
}

/* Whether s[0..n) is SGR sequences alone: ESC [ digits and ; then m. */
static bool
only_sgr(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (n - i < 3 || s[i] != '\033' || s[i + 1] != '[')
			return false;
		for (i += 2; i < n && (s[i] == ';' || (s[i] >= '0' &&
		    s[i] <= '9')); i++)
			;
		if (i == n || s[i++] != 'm')
			return false;
	}
	return true;
}

static void
check_state(const struct line *ln)
{
	if (ln->cols > 1) {	/* one column: no room for a wide one */
		FUZZ_CHECK(ln->origin <= ln->cols);
		FUZZ_CHECK(ln->right <= ln->cols);
	}
	FUZZ_CHECK(ln->sgr_len <= sizeof(ln->sgr));
	FUZZ_CHECK(only_sgr(ln->sgr, ln->sgr_len));
}

/* The frame's bytes: ours alone; returns the columns it takes. */
static size_t
check_frame(const struct line *ln, bool hid, const char *out, size_t n)
{
	const char *p = out, *hide = render_cursor(false), *wipe;
	size_t w = 0, cols, back = 0;
	bool lead;
	int used = 0;

	FUZZ_CHECK(n == strlen(out));
	if (hid) {
		FUZZ_CHECK(strncmp(p, hide, strlen(hide)) == 0);
		p += strlen(hide);
	}
	if (ln->sgr_len > 0) {
		FUZZ_CHECK(strncmp(p, "\033[0m", 4) == 0);
		p += 4;
	}
	wipe = strstr(p, render_wipe());
	FUZZ_CHECK(wipe != NULL);
	FUZZ_CHECK(fuzz_text(p, (size_t)(wipe - p), &w, &lead));
	FUZZ_CHECK(w == 0 || !lead);
	p = wipe + strlen(render_wipe());
	if (w > 0) {
		FUZZ_CHECK(sscanf(p, "\033[%zuD%n", &back, &used) == 1 &&
		    used > 0);
		FUZZ_CHECK(back == w);
		p += used;
	}
	FUZZ_CHECK(strlen(p) == ln->sgr_len &&
	    memcmp(p, ln->sgr, ln->sgr_len) == 0);
	cols = line_room(ln);
	FUZZ_CHECK(w <= cols);
	return w;
}

/* A frame, if one may be drawn, and the wipe before the next output. */
static void
draw(struct line *ln, struct model *m, size_t *k)
{
	static char out[LINE_BUF];
	bool can = line_can_draw(ln), hid = !ln->hidden;
	size_t n, w;

	check_state(ln);
	n = line_draw(ln, *k, out, sizeof(out));
	if (!can) {
		FUZZ_CHECK(n == 0 && out[0] == '\0');
		return;
	}
	FUZZ_CHECK(vt_ground(&ln->vt) && mbsinit(&ln->mb));
	FUZZ_CHECK(!ln->lost && ln->depth == 0 && ln->origin >= ln->right);
	FUZZ_CHECK(line_room(ln) > 0 && n > 0);
	w = check_frame(ln, hid, out, n);
	m_judge(m, w);
	(*k)++;

	n = line_wipe(ln, out, sizeof(out));
	FUZZ_CHECK(n == strlen(out));
	if (ln->sgr_len > 0) {
		FUZZ_CHECK(strncmp(out, "\033[0m\033[K", 7) == 0);
		FUZZ_CHECK(n == 7 + ln->sgr_len &&
		    memcmp(out + 7, ln->sgr, ln->sgr_len) == 0);
	} else {
		FUZZ_CHECK(strcmp(out, render_wipe()) == 0);
	}
}

/* What release undoes, retake sets again; then nothing is left. */
static void
check_release(const struct line *ln)
{
	static struct line back;
	static char a[LINE_BUF], b[LINE_BUF], c[LINE_BUF];
	size_t na, nc;

	back = *ln;
	na = line_release(ln, a, sizeof(a));
	FUZZ_CHECK(na == strlen(a));
	line_pass(&back, a, na);
	FUZZ_CHECK(line_release(&back, b, sizeof(b)) == 0);
	FUZZ_CHECK(back.sgr_len == 0);
	nc = line_retake(ln, c, sizeof(c));
	FUZZ_CHECK(nc == strlen(c));
	line_pass(&back, c, nc);
	FUZZ_CHECK(line_release(&back, b, sizeof(b)) == na);
	FUZZ_CHECK(strcmp(a, b) == 0);
}

void
fuzz_output_one(const uint8_t *data, size_t size)
{
	static const char *const styles[] = {
		"line", "dots", "moon", "bouncingBar"
	};
	static struct line whole, part, bytes;
	static struct model m;
	uint8_t head[4] = { 0 };
	const char *s = (const char *)data + (size < 4 ? size : 4);
	size_t len = size < 4 ? 0 : size - 4, cols, rows, k = 0;
	const struct style *st;
	uint64_t ev_whole = 0, ev_bytes = 0;
	struct vt vt;
	bool utf8, onlcr;

	memcpy(head, data, size < 4 ? size : 4);
	cols = (size_t)(head[0] | head[1] << 8) % 513;
	utf8 = head[2] & 1;
	onlcr = head[2] >> 1 & 1;
	st = styles_find(styles[head[2] >> 6]);
	fuzz_locale(utf8);
	st = styles_for_locale(st, utf8);

	/* whole */
	rows = (size_t)(head[2] >> 2 & 15) + 1;
	line_init(&whole, st, "thinking!", utf8, cols);
	whole.onlcr = onlcr;
	whole.rows = rows;
	line_pass(&whole, s, len);
	check_state(&whole);
	vt_init(&vt);
	vt_feed(&vt, s, len, &ev_sink, &ev_whole);

	/* in two pieces, split anywhere */
	for (size_t cut = 0; cut <= len; cut++) {
		line_init(&part, st, "thinking!", utf8, cols);
		part.onlcr = onlcr;
		part.rows = rows;
		line_pass(&part, s, cut);
		line_pass(&part, s + cut, len - cut);
		FUZZ_CHECK(same_line(&part, &whole));
	}

	/* a byte at a time, a frame between bytes when one may be drawn,
	 * judged by the model */
	line_init(&bytes, st, "thinking!", utf8, cols);
	bytes.onlcr = onlcr;
	bytes.rows = rows;
	m_init(&m, rows, head[3] % rows, cols, onlcr);
	vt_init(&vt);
	draw(&bytes, &m, &k);
	for (size_t i = 0; i < len; i++) {
		line_pass(&bytes, s + i, 1);
		if (cols > 0)	/* else nothing is ever drawn */
			m_feed(&m, s + i, 1);
		vt_feed(&vt, s + i, 1, &ev_sink, &ev_bytes);
		draw(&bytes, &m, &k);
	}
	FUZZ_CHECK(same_line(&bytes, &whole));
	FUZZ_CHECK(ev_bytes == ev_whole);

	check_release(&whole);
	fuzz_locale_end();
}
