/*
 * The frame is drawn at the cursor, after whatever partial line of output
 * came before it (a prompt, "Downloading... "), and its wipe erases to the
 * end of the line.  Both are only safe where nothing of COMMAND's stands
 * right of the cursor or on a row below it, so COMMAND's output is run
 * through the DEC parser (vt.c) and its effect on the cursor followed:
 * text and tabs move the column, CR and BS and cursor-left move back over
 * text, cursor-up and absolute moves leave the lowest row, erasures clear.
 * Where the cursor's place cannot be known the frame steps aside until
 * output brings it back to a known place (a new row, a cleared screen).
 */
#include "line.h"

#include <stdio.h>
#include <string.h>

#include "render.h"

/* DEC private modes COMMAND may set that outlive it on the terminal. */
static const int modes[] = {
	1, 47, 1047, 1049, 1000, 1002, 1003, 1004, 1005, 1006, 1015, 2004
};
#define NMODES (sizeof(modes) / sizeof(modes[0]))
#define MODE_BIT(i) (1u << (i))
#define ALT_MODES (MODE_BIT(1) | MODE_BIT(2) | MODE_BIT(3))
#define KEYPAD_BIT (1u << NMODES)	/* ESC = */
#define HIDDEN_BIT (1u << (NMODES + 1))	/* ESC [ ? 25 l */

void
line_init(struct line *ln, const struct style *st, const char *msg,
    bool utf8, size_t cols)
{
	memset(ln, 0, sizeof(*ln));
	ln->style = st;
	ln->msg = msg;
	ln->utf8 = utf8;
	ln->onlcr = true;
	ln->cols = cols;
	ln->saved.lost = true;	/* restoring no place: the top left corner */
	vt_init(&ln->vt);
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

bool
line_can_draw(const struct line *ln)
{
	return !(ln->modes & ALT_MODES) && !ln->lost && ln->depth == 0 &&
	    ln->origin >= ln->right && vt_ground(&ln->vt) &&
	    mbsinit(&ln->mb) && line_room(ln) > 0;
}

static size_t
append(char *out, size_t outsize, size_t used, const char *s, size_t n)
{
	if (used + n >= outsize)
		return used;
	memcpy(out + used, s, n);
	out[used + n] = '\0';
	return used + n;
}

static size_t
appends(char *out, size_t outsize, size_t used, const char *s)
{
	return append(out, outsize, used, s, strlen(s));
}

/* Plain colours before our bytes (ESC [ K fills with the background). */
static size_t
plain(const struct line *ln, char *out, size_t outsize, size_t used)
{
	return ln->sgr_len > 0 ? appends(out, outsize, used, "\033[0m") :
	    used;
}

/* COMMAND's colours back after our bytes. */
static size_t
colours(const struct line *ln, char *out, size_t outsize, size_t used)
{
	return append(out, outsize, used, ln->sgr, ln->sgr_len);
}

/*
 * Frame k's bytes.  The message and tail after the frame are rendered
 * again only when they, the room or the style changed: fitting them
 * (mbrtowc and wcwidth on each character) is most of a frame's work.
 */
static size_t
frame(struct line *ln, size_t k, char *out, size_t outsize)
{
	struct line_rest *r = &ln->rest;
	size_t room = line_room(ln), mlen = strlen(ln->msg);

	if (r->style != ln->style) {
		r->style = ln->style;
		r->fw = render_style_width(ln->style);
		r->ok = false;
	}
	if (room < r->fw || mlen >= sizeof(r->msg))
		return render_frame(out, outsize, ln->style, k, ln->msg,
		    ln->tail, room, ln->utf8);
	if (!r->ok || r->cols != room || r->utf8 != ln->utf8 ||
	    strcmp(r->msg, ln->msg) != 0 || strcmp(r->tail, ln->tail) != 0) {
		r->w = render_rest(r->text, sizeof(r->text), ln->msg, ln->tail,
		    room - r->fw, ln->utf8);
		r->cols = room;
		r->utf8 = ln->utf8;
		memcpy(r->msg, ln->msg, mlen + 1);
		memcpy(r->tail, ln->tail, sizeof(r->tail));
		r->ok = true;
	}
	return render_frame_rest(out, outsize, ln->style, r->fw, k, r->text,
	    r->w);
}

size_t
line_draw(struct line *ln, size_t k, char *out, size_t outsize)
{
	size_t used = 0;

	if (outsize == 0)
		return 0;
	out[0] = '\0';
	if (!line_can_draw(ln))
		return 0;
	if (!ln->hidden) {
		used = appends(out, outsize, used, render_cursor(false));
		ln->hidden = true;
	}
	used = plain(ln, out, outsize, used);
	used += frame(ln, k, out + used, outsize - used);
	used = colours(ln, out, outsize, used);
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
	if (ln->drawn) {
		used = plain(ln, out, outsize, used);
		used = appends(out, outsize, used, render_wipe());
		used = colours(ln, out, outsize, used);
	}
	ln->drawn = false;
	return used;
}

size_t
line_clear(struct line *ln, char *out, size_t outsize)
{
	size_t used = line_wipe(ln, out, outsize);

	if (ln->hidden && !(ln->modes & HIDDEN_BIT))
		used = appends(out, outsize, used, render_cursor(true));
	ln->hidden = false;
	return used;
}

/* The bytes that set (on) or reset the modes COMMAND set. */
static size_t
mode_bytes(const struct line *ln, bool on, char *out, size_t outsize)
{
	char seq[32];
	size_t used = 0;

	if (outsize == 0)
		return 0;
	out[0] = '\0';
	for (size_t j = 0; j < NMODES; j++) {
		size_t i = on ? j : NMODES - 1 - j;	/* undo in reverse */
		if (!(ln->modes & MODE_BIT(i)))
			continue;
		snprintf(seq, sizeof(seq), "\033[?%d%c", modes[i],
		    on ? 'h' : 'l');
		used = appends(out, outsize, used, seq);
	}
	if (ln->modes & KEYPAD_BIT)
		used = appends(out, outsize, used, on ? "\033=" : "\033>");
	if (ln->modes & HIDDEN_BIT)
		used = appends(out, outsize, used, render_cursor(!on));
	if (ln->sgr_len > 0)
		used = on ? colours(ln, out, outsize, used) :
		    appends(out, outsize, used, "\033[0m");
	return used;
}

size_t
line_release(const struct line *ln, char *out, size_t outsize)
{
	return mode_bytes(ln, false, out, outsize);
}

size_t
line_retake(const struct line *ln, char *out, size_t outsize)
{
	return mode_bytes(ln, true, out, outsize);
}

/* --- following COMMAND's output ------------------------------------ */

/*
 * Up n rows: never more than the screen has above the lowest row, which
 * the cursor can only be on or above.  Counted further up, the cursor
 * would be taken for above the lowest row when back on it.
 */
static void
up(struct line *ln, size_t n)
{
	ln->depth += n;
	if (ln->rows > 0 && ln->depth >= ln->rows)
		ln->depth = ln->rows - 1;
}

static void
cursor_save(const struct line *ln, struct line_cursor *c)
{
	c->origin = ln->origin;
	c->right = ln->right;
	c->depth = ln->depth;
	c->lowest = ln->lowest;
	c->above = ln->above;
	c->lost = ln->lost;
}

/*
 * Back to a saved place (DECRC).  Only the cursor goes back: text written
 * since stays where it is, and each row begun below since leaves the
 * place a row higher up.
 */
static void
cursor_restore(struct line *ln, const struct line_cursor *c)
{
	ln->origin = c->origin;
	ln->depth = 0;
	up(ln, c->depth + (ln->lowest - c->lowest));
	ln->lost = c->lost;
}

/*
 * Text or rows changed where the cursor's row was not known, or the
 * screen moved: a saved place can no longer be told apart from others.
 */
static void
unsave(struct line *ln)
{
	ln->saved.lost = true;
}

static size_t
clamp_col(const struct line *ln, size_t col)
{
	return ln->cols > 0 && col >= ln->cols ? ln->cols - 1 : col;
}

/*
 * The column a move to the left starts from: after the last column is
 * written the next character wraps, but till then the cursor stays on
 * the last column.
 */
static size_t
back(const struct line *ln, size_t n)
{
	size_t col = clamp_col(ln, ln->origin);

	return n > col ? 0 : col - n;
}

/*
 * Up or down, the cursor keeps its column: on the last one, once it is
 * written, a character no longer wraps after such a move.
 */
static void
vertical(struct line *ln)
{
	ln->origin = clamp_col(ln, ln->origin);
}

/*
 * Down n rows: back towards, or onto, the lowest row holding text.  Past
 * it, the cursor is on a new row below it, or stayed on it at the bottom
 * of the screen: which, we cannot tell, so a place saved before may be a
 * row higher than it seems, and is lost.
 */
static void
down(struct line *ln, size_t n)
{
	if (n > ln->depth)
		unsave(ln);
	ln->depth = n >= ln->depth ? 0 : ln->depth - n;
}

/*
 * Whether the cursor may be on the lowest row: counted there, or counted
 * higher up than the rows known to be above it, when it may have stopped
 * at the top of the screen on its way.
 */
static bool
maybe_lowest(const struct line *ln)
{
	return ln->depth == 0 || ln->depth > ln->above;
}

/* A line feed: below the lowest row is a new, empty one. */
static void
line_feed(struct line *ln)
{
	if (ln->lost)
		unsave(ln);
	if (ln->depth > 0) {
		ln->depth--;
	} else {
		ln->right = 0;
		ln->lowest++;
		if (ln->rows == 0 || ln->above + 1 < ln->rows)
			ln->above++;
	}
}

/* One character of w columns written at the cursor. */
static void
put(struct line *ln, size_t w)
{
	if (ln->lost)
		unsave(ln);
	if (ln->cols > 0 && ln->origin + w > ln->cols) {
		/* past the right margin the terminal wraps to a new row */
		line_feed(ln);
		ln->origin = 0;
	}
	ln->origin += w;
	if (maybe_lowest(ln) && ln->insert)
		ln->right = ln->cols;	/* pushed right, how far unknown */
	else if (maybe_lowest(ln) && ln->origin > ln->right)
		ln->right = ln->origin;
}

/* n characters of one column each, as put() would one by one. */
static void
put_run(struct line *ln, size_t n)
{
	while (n > 0) {
		/* to the margin at most; the one past it wraps, alone */
		size_t room = ln->cols == 0 ? n : ln->origin >= ln->cols ? 1 :
		    ln->cols - ln->origin;
		size_t k = n < room ? n : room;

		put(ln, k);
		n -= k;
	}
}

static void
on_print(void *arg, const char *bytes, size_t len)
{
	struct line *ln = arg;
	size_t i = 0;

	while (i < len) {
		wchar_t wc;
		size_t n;

		/* plain ASCII, the bulk of most output: a column a byte */
		if ((unsigned char)bytes[i] < 0x80 && mbsinit(&ln->mb)) {
			for (n = i; n < len && (unsigned char)bytes[n] < 0x80;)
				n++;
			put_run(ln, n - i);
			ln->last = 1;
			i = n;
			continue;
		}
		/*
		 * Other bytes one at a time, so that where the reads split
		 * the output changes nothing: a bad sequence is drawn as one
		 * replacement character, and the byte that ended it, if it
		 * did not begin it, starts afresh.
		 */
		bool fresh = mbsinit(&ln->mb);

		n = mbrtowc(&wc, bytes + i, 1, &ln->mb);
		ln->last = 0;	/* till a whole character of a known width */
		if (n == (size_t)-2) {
			i++;	/* the rest of the character comes later */
			continue;
		}
		if (n == (size_t)-1) {
			memset(&ln->mb, 0, sizeof(ln->mb));
			put(ln, 1);	/* drawn as a replacement character */
			if (fresh)
				i++;
			continue;
		}
		int w = wcwidth(wc);
		if (w > 0) {
			put(ln, (size_t)w);
			ln->last = (size_t)w;
		}
		i++;
	}
}

static void
on_execute(void *arg, unsigned char c)
{
	struct line *ln = arg;

	memset(&ln->mb, 0, sizeof(ln->mb));
	ln->last = 0;
	switch (c) {
	case '\r':
		ln->origin = 0;
		break;
	case '\n':
		line_feed(ln);
		if (ln->onlcr)
			ln->origin = 0;
		break;
	case '\v':
	case '\f':	/* down a row, the column kept: ONLCR is for LF */
		line_feed(ln);
		break;
	case '\b':
		ln->origin = back(ln, 1);
		break;
	case '\t':
		ln->origin = clamp_col(ln, (ln->origin / 8 + 1) * 8);
		break;
	default:
		break;
	}
}

/* The first parameter of seq, or def when it is omitted or 0. */
static size_t
param(const struct vt_seq *seq, size_t i, size_t def)
{
	if (i >= seq->nparams || seq->params[i] <= 0)
		return def;
	return (size_t)seq->params[i];
}

/*
 * Into or out of the alternate screen with mode m (47, 1047 or 1049;
 * was: it is set).  On leaving, the main screen comes back as it was,
 * with the cursor where 1049 saved it (as DECSC, whose place it takes)
 * or, after 47 and 1047, left where it was.
 */
static void
alt_screen(struct line *ln, int m, bool on, bool was)
{
	const struct line_cursor *c = &ln->before_alt;

	if (on && !(ln->modes & ALT_MODES)) {
		cursor_save(ln, &ln->before_alt);
		if (m == 1049)
			cursor_save(ln, &ln->saved);
	}
	if (on || !was)
		return;
	ln->right = c->right;
	ln->lowest = c->lowest;
	ln->above = c->above;
	ln->depth = c->depth;
	ln->lost = c->lost;
	if (m == 1049) {
		ln->origin = c->origin;
		ln->saved = *c;
	} else {
		ln->lost = true;	/* left where it was */
		unsave(ln);	/* ESC 7 on the alternate screen is its own */
	}
}

/* DECSET / DECRST of the modes in seq. */
static void
dec_modes(struct line *ln, const struct vt_seq *seq, bool on)
{
	for (size_t p = 0; p < seq->nparams; p++) {
		int m = seq->params[p];

		if (m == 1048) {	/* DECSC / DECRC as a mode */
			if (on)
				cursor_save(ln, &ln->saved);
			else
				cursor_restore(ln, &ln->saved);
			continue;
		}
		if (m == 25) {
			if (on)
				ln->modes &= ~HIDDEN_BIT;
			else
				ln->modes |= HIDDEN_BIT;
			ln->hidden = false;	/* ours is undone either way */
			continue;
		}
		for (size_t i = 0; i < NMODES; i++) {
			if (modes[i] != m)
				continue;
			if (MODE_BIT(i) & ALT_MODES)
				alt_screen(ln, m, on, ln->modes & MODE_BIT(i));
			if (on)
				ln->modes |= MODE_BIT(i);
			else
				ln->modes &= ~MODE_BIT(i);
		}
	}
}

/* Keep COMMAND's colours: the SGR sequences since its last reset. */
static void
sgr(struct line *ln, const struct vt_seq *seq)
{
	char buf[LINE_SGR_MAX];
	size_t n = 0;

	if (seq->nparams == 0 || seq->params[0] <= 0) {
		ln->sgr_len = 0;
		if (seq->nparams <= 1)
			return;
	}
	n = (size_t)snprintf(buf, sizeof(buf), "\033[");
	for (size_t i = 0; i < seq->nparams && n < sizeof(buf); i++) {
		if (seq->params[i] >= 0)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%d",
			    seq->params[i]);
		if (i + 1 < seq->nparams && n < sizeof(buf))
			buf[n++] = ';';
	}
	if (n + 1 >= sizeof(buf))
		return;
	buf[n++] = 'm';
	if (ln->sgr_len + n > sizeof(ln->sgr))
		ln->sgr_len = 0;	/* too much: keep the latest */
	memcpy(ln->sgr + ln->sgr_len, buf, n);
	ln->sgr_len += n;
}

/*
 * A sequence or a string ends a character begun before it, as a control
 * does (on_execute): what the bytes so far began is dropped, wherever
 * the reads split them.
 */
static void
cut_char(struct line *ln)
{
	memset(&ln->mb, 0, sizeof(ln->mb));
}

static void
on_string(void *arg, char kind)
{
	(void)kind;
	cut_char(arg);
}

static void
on_csi(void *arg, const struct vt_seq *seq)
{
	struct line *ln = arg;
	size_t n = param(seq, 0, 1), last = ln->last;

	cut_char(ln);
	ln->last = 0;
	if (seq->prefix == '?') {
		if (seq->inter[0] == '\0' && (seq->final == 'h' ||
		    seq->final == 'l'))
			dec_modes(ln, seq, seq->final == 'h');
		return;
	}
	if (seq->prefix != 0 || seq->inter[0] != '\0')
		return;
	switch (seq->final) {
	case 'A':	/* CUU */
		up(ln, n);
		vertical(ln);
		break;
	case 'F':	/* CPL */
		up(ln, n);
		ln->origin = 0;
		break;
	case 'B':	/* CUD */
	case 'e':	/* VPR */
		down(ln, n);
		vertical(ln);
		break;
	case 'E':	/* CNL */
		down(ln, n);
		ln->origin = 0;
		break;
	case 'C':	/* CUF */
	case 'a':	/* HPR */
		ln->origin = clamp_col(ln, ln->origin + n);
		break;
	case 'D':	/* CUB */
		ln->origin = back(ln, n);
		break;
	case 'I':	/* CHT */
		ln->origin = clamp_col(ln, (ln->origin / 8 + n) * 8);
		break;
	case 'Z':	/* CBT */
		ln->origin = n * 8 > ln->origin ? 0 :
		    ((ln->origin + 7) / 8 - n) * 8;
		break;
	case 'b':	/* REP: the character just written, n times more */
		while (last > 0 && n-- > 0)
			put(ln, last);
		if (last == 0) {	/* some character, somewhere */
			ln->origin = ln->right = ln->cols;
			ln->lost = true;
			unsave(ln);
		}
		break;
	case 'h':	/* IRM: inserted text pushes what is right of it */
	case 'l':
		for (size_t i = 0; i < seq->nparams; i++)
			if (seq->params[i] == 4)
				ln->insert = seq->final == 'h';
		break;
	case 'G':	/* CHA */
	case '`':	/* HPA */
		ln->origin = clamp_col(ln, n - 1);
		break;
	case 'H':	/* CUP */
	case 'f':	/* HVP */
		ln->origin = clamp_col(ln, param(seq, 1, 1) - 1);
		ln->lost = true;
		break;
	case 'd':	/* VPA */
		ln->lost = true;
		vertical(ln);
		break;
	case 'L':	/* IL */
	case 'M':	/* DL */
	case 'S':	/* SU */
	case 'T':	/* SD */
		ln->lost = true;
		unsave(ln);	/* rows moved */
		break;
	case 'r':	/* DECSTBM: the cursor goes home */
		ln->origin = 0;
		ln->lost = true;
		unsave(ln);	/* rows will move apart from the others */
		break;
	case 'J':	/* ED: below (0) or all (2); 3 is the scrollback */
		if (param(seq, 0, 0) != 0 && param(seq, 0, 0) != 2)
			break;
		if (ln->lost || ln->depth > 0)
			unsave(ln);	/* rows counted from another now */
		ln->above = ln->lost || ln->depth > ln->above ? 0 :
		    ln->above - ln->depth;
		ln->right = param(seq, 0, 0) == 0 ? ln->origin : 0;
		ln->depth = 0;
		ln->lost = false;
		break;
	case 'K':	/* EL: on the lowest row, if that is where it is */
		if (ln->depth > 0 || ln->lost)
			break;
		if (param(seq, 0, 0) == 0 && ln->right > ln->origin)
			ln->right = ln->origin;
		else if (param(seq, 0, 0) == 2)
			ln->right = 0;
		break;
	case '@':	/* ICH: text pushed right */
		if (maybe_lowest(ln) && ln->right > ln->origin)
			ln->right = clamp_col(ln, ln->right + n) + 1;
		break;
	case 's':	/* SCOSC */
		cursor_save(ln, &ln->saved);
		break;
	case 'u':	/* SCORC */
		cursor_restore(ln, &ln->saved);
		break;
	case 'm':
		sgr(ln, seq);
		break;
	default:
		break;
	}
}

static void
on_esc(void *arg, const struct vt_seq *seq)
{
	struct line *ln = arg;

	cut_char(ln);
	ln->last = 0;
	if (seq->inter[0] != '\0') {
		if (strcmp(seq->inter, "#") == 0 && seq->final == '8') {
			ln->lost = true;	/* DECALN fills the screen */
			unsave(ln);
		}
		return;
	}
	switch (seq->final) {
	case '7':	/* DECSC */
		cursor_save(ln, &ln->saved);
		break;
	case '8':	/* DECRC */
		cursor_restore(ln, &ln->saved);
		break;
	case 'M':	/* RI */
		up(ln, 1);
		vertical(ln);
		unsave(ln);	/* at the top, the screen moves down */
		break;
	case 'D':	/* IND */
		line_feed(ln);
		break;
	case 'E':	/* NEL */
		line_feed(ln);
		ln->origin = 0;
		break;
	case '=':
		ln->modes |= KEYPAD_BIT;
		break;
	case '>':
		ln->modes &= ~KEYPAD_BIT;
		break;
	case 'c':	/* RIS: a cleared screen, everything reset */
		ln->origin = ln->right = ln->depth = ln->above = 0;
		ln->lost = false;
		ln->insert = false;
		ln->modes = 0;
		ln->sgr_len = 0;
		cursor_save(ln, &ln->saved);	/* DECRC: the top left */
		break;
	default:
		break;
	}
}

void
line_pass(struct line *ln, const char *data, size_t len)
{
	static const struct vt_sink sink = {
		on_print, on_execute, on_csi, on_esc, on_string
	};

	vt_feed(&ln->vt, data, len, &sink, ln);
}
