/*
 * The renderer (render.c, styles.c and line.c's drawing): two bytes of
 * width (0 to 512 columns), a byte of flags (bit 0: the UTF-8 locale,
 * else C), a byte of frame index, then, split at NUL bytes, the message,
 * the tail, custom frames (-f) and a second message.  Every named style
 * and the custom one, if the frames parse, are drawn, and:
 * - the status text is whole, printable characters of the locale (no
 *   control byte: what it had is drawn as '?'), that take exactly the
 *   columns counted, never more than the width, and never begin with a
 *   character of no width (it would join COMMAND's text before it);
 * - it is the frame padded to the style's width, then the message, cut
 *   with an ellipsis only when it does not fit, then the tail whole when
 *   it fits beside the frame;
 * - a frame's bytes are that text, ESC [ K, and the cursor moved back as
 *   many columns: the only escapes, and back where it began;
 * - line.c draws the same bytes from what it keeps between frames as
 *   render_frame() makes anew, when the message, the tail or the width
 *   change too;
 * - render_fit() keeps inside any buffer, however small;
 * - the --persist line (outcome_line()) of every outcome is clean and no
 *   wider than the width, the mark first if it fits with an ellipsis;
 * - painted (--color), that line, a task's live line and the summary
 *   hold only our colours (color.h), each ended, around the same text in
 *   the same columns as with no colour: the mark green or red when it is
 *   whole, what is shown of a task's last line dim, nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sgr.h"
#include "board.h"
#include "color.h"
#include "fuzz.h"
#include "line.h"
#include "outcome.h"
#include "render.h"
#include "styles.h"

struct input {
	size_t cols, k;
	bool utf8;
	const char *msg, *msg2, *frames;
	char tail[32];		/* as struct line keeps it */
};

/* The bytes of a frame drawn as text of w columns. */
static void
frame_bytes(char *out, size_t size, const char *text, size_t w)
{
	if (w > 0)
		snprintf(out, size, "%s\033[K\033[%zuD", text, w);
	else
		snprintf(out, size, "%s\033[K", text);
}

/* text is clean and takes w columns, at most cols; *lead as fuzz_text(). */
static void
check_clean(const char *text, size_t w, size_t cols, bool *lead)
{
	size_t got;

	FUZZ_CHECK(w <= cols);
	FUZZ_CHECK(strlen(text) < RENDER_BUF);
	FUZZ_CHECK(fuzz_text(text, strlen(text), &got, lead));
	FUZZ_CHECK(got == w);
	FUZZ_CHECK(render_width(text) == w);
}

/* And it begins with a character that takes a column, where it is drawn
 * after COMMAND's text. */
static void
check_text(const char *text, size_t w, size_t cols)
{
	bool lead;

	check_clean(text, w, cols, &lead);
	FUZZ_CHECK(!lead);
}

/* The parts of the status text: frame, message, tail. */
static void
check_parts(const struct style *st, const struct input *in,
    const char *text, size_t w)
{
	static char frame[RENDER_BUF], rest[RENDER_BUF], want[RENDER_BUF];
	static char fit[RENDER_BUF];
	size_t fw = render_style_width(st), rw, tw = 0, flen;

	if (in->cols < fw) {	/* the frame alone, cut */
		render_fit(want, sizeof(want), st->frames[in->k % st->count],
		    in->cols, NULL);
		FUZZ_CHECK(strcmp(text, want) == 0);
		return;
	}
	render_fit(frame, sizeof(frame), st->frames[in->k % st->count], fw,
	    NULL);
	flen = strlen(frame);
	for (size_t c = render_width(frame); c < fw; c++)
		frame[flen++] = ' ';
	frame[flen] = '\0';
	FUZZ_CHECK(strncmp(text, frame, flen) == 0);
	rw = render_rest(rest, sizeof(rest), in->msg, in->tail,
	    in->cols - fw, in->utf8);
	FUZZ_CHECK(strcmp(text + flen, rest) == 0);
	FUZZ_CHECK(fw + rw == w);

	/* the tail whole when it fits beside the frame */
	if (in->tail[0] != '\0')
		tw = render_width(in->tail);
	if (tw > 0 && in->cols - fw >= 1 + tw) {
		size_t n = strlen(rest), fl;

		render_fit(fit, sizeof(fit), in->tail, tw, NULL);
		fl = strlen(fit);
		FUZZ_CHECK(n > fl && rest[n - fl - 1] == ' ');
		FUZZ_CHECK(strcmp(rest + n - fl, fit) == 0);
	} else {
		tw = 0;
	}
	/* the message whole when it fits in what is left */
	size_t room = in->cols - fw - (tw > 0 ? 1 + tw : 0);
	if (in->msg[0] != '\0' && room >= 2) {
		size_t mw = render_fit(fit, sizeof(fit), in->msg, room - 1,
		    render_ellipsis(in->utf8));

		FUZZ_CHECK(rest[0] == ' ');
		FUZZ_CHECK(strncmp(rest + 1, fit, strlen(fit)) == 0);
		if (render_width(in->msg) <= room - 1 &&
		    strlen(in->msg) < RENDER_BUF / 2) {
			render_fit(want, sizeof(want), in->msg, room - 1,
			    NULL);
			FUZZ_CHECK(strcmp(fit, want) == 0);
			FUZZ_CHECK(mw == render_width(in->msg));
		}
	} else if (tw == 0) {
		FUZZ_CHECK(rest[0] == '\0');
	}
}

/* line_draw() as render_frame() would draw, through its kept parts. */
static void
check_line(const struct style *st, const struct input *in)
{
	static struct line ln;
	static char got[LINE_BUF], text[RENDER_BUF], want[LINE_BUF];
	size_t n, w, room;
	const char *hide = render_cursor(false);

	line_init(&ln, st, in->msg, in->utf8, in->cols);
	memcpy(ln.tail, in->tail, sizeof(ln.tail));
	n = line_draw(&ln, in->k, got, sizeof(got));
	FUZZ_CHECK(line_can_draw(&ln) == (in->cols >= 2));
	if (in->cols < 2) {
		FUZZ_CHECK(n == 0 && got[0] == '\0' && !ln.drawn);
		return;
	}
	room = line_room(&ln);
	FUZZ_CHECK(room == in->cols - 1);
	FUZZ_CHECK(n == strlen(got));
	FUZZ_CHECK(strncmp(got, hide, strlen(hide)) == 0);
	w = render_status_tail(text, sizeof(text), st, in->k, in->msg,
	    in->tail, room, in->utf8);
	frame_bytes(want, sizeof(want), text, w);
	FUZZ_CHECK(strcmp(got + strlen(hide), want) == 0);

	/* then a new message, a new width, a new tail: drawn anew */
	for (int step = 1; step <= 3; step++) {
		if (step == 1)
			ln.msg = in->msg2;
		else if (step == 2)
			ln.cols = in->cols / 2 + 1;
		else
			snprintf(ln.tail, sizeof(ln.tail), "%zu.%zus",
			    in->k, in->cols % 10);
		n = line_draw(&ln, in->k + (size_t)step, got, sizeof(got));
		if (!line_can_draw(&ln)) {
			FUZZ_CHECK(n == 0);
			continue;
		}
		w = render_status_tail(text, sizeof(text), st,
		    in->k + (size_t)step, ln.msg, ln.tail, line_room(&ln),
		    in->utf8);
		frame_bytes(want, sizeof(want), text, w);
		FUZZ_CHECK(strcmp(got, want) == 0);
	}
	n = line_wipe(&ln, got, sizeof(got));
	FUZZ_CHECK(strcmp(got, render_wipe()) == 0 && n == strlen(got));
	n = line_clear(&ln, got, sizeof(got));
	FUZZ_CHECK(strcmp(got, render_cursor(true)) == 0 &&
	    n == strlen(got));
}

static void
check_style(const struct style *st, const struct input *in)
{
	static char text[RENDER_BUF], tail0[RENDER_BUF], out[RENDER_BUF + 64];
	static char want[RENDER_BUF + 64], rest[RENDER_BUF];
	size_t w, n, fw = render_style_width(st);

	w = render_status_tail(text, sizeof(text), st, in->k, in->msg,
	    in->tail, in->cols, in->utf8);
	check_text(text, w, in->cols);
	check_parts(st, in, text, w);
	FUZZ_CHECK(render_status(tail0, sizeof(tail0), st, in->k, in->msg,
	    in->cols, in->utf8) == render_status_tail(want, sizeof(want), st,
	    in->k, in->msg, NULL, in->cols, in->utf8));
	FUZZ_CHECK(strcmp(tail0, want) == 0);

	n = render_frame(out, sizeof(out), st, in->k, in->msg, in->tail,
	    in->cols, in->utf8);
	frame_bytes(want, sizeof(want), text, w);
	FUZZ_CHECK(n == strlen(want) && strcmp(out, want) == 0);
	if (in->cols >= fw) {
		size_t rw = render_rest(rest, sizeof(rest), in->msg, in->tail,
		    in->cols - fw, in->utf8);

		n = render_frame_rest(out, sizeof(out), st, fw, in->k, rest,
		    rw);
		FUZZ_CHECK(n == strlen(want) && strcmp(out, want) == 0);
	}
	check_line(st, in);

	render_style_sample(text, sizeof(text), st);
	FUZZ_CHECK(fuzz_text(text, strlen(text), &w, &(bool){ false }));
}

/* render_fit() into buffers of every small size. */
static void
check_fit(const struct input *in)
{
	static const size_t sizes[] = { 1, 2, 3, 4, 5, 9, 17, 64 };
	const char *ellipsis[] = { NULL, "...", render_ellipsis(in->utf8) };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (size_t e = 0; e < 3; e++) {
			char buf[64 + 1];
			size_t w, got;
			bool lead;

			buf[sizes[i]] = 'Z';
			w = render_fit(buf, sizes[i], in->msg, in->cols,
			    ellipsis[e]);
			FUZZ_CHECK(buf[sizes[i]] == 'Z');
			FUZZ_CHECK(strlen(buf) < sizes[i]);
			FUZZ_CHECK(w <= in->cols);
			FUZZ_CHECK(fuzz_text(buf, strlen(buf), &got, &lead));
			FUZZ_CHECK(got == w);
		}
}

/*
 * painted is plain with our colours alone, each ended; with mark, plain
 * begins with it whole if and only if painted begins with it painted.
 */
static void
check_painted(const char *plain, const char *painted, const char *mark,
    bool ok)
{
	static char back[RENDER_BUF], want[64];

	FUZZ_CHECK(sgr_unpaint(painted, back, sizeof(back)));
	FUZZ_CHECK(strcmp(back, plain) == 0);
	if (mark == NULL)
		return;
	snprintf(want, sizeof(want), "%s%s%s", ok ? COLOR_GREEN : COLOR_RED,
	    mark, COLOR_FG_END);
	if (strncmp(plain, mark, strlen(mark)) == 0)
		FUZZ_CHECK(strncmp(painted, want, strlen(want)) == 0);
	else
		FUZZ_CHECK(strcmp(painted, plain) == 0);
}

/*
 * A task's live line and the summary, with colour and without (a row of
 * their own, from its start: nothing before them to join).
 */
static void
check_board(const struct style *st, const struct input *in)
{
	static char plain[RENDER_BUF], painted[RENDER_BUF];
	struct board_counts c = { in->k % 3, in->k % 2, in->k % 5, in->k % 7,
	    in->k % 4 == 0 };
	bool ok = c.failed == 0 && c.waiting == 0 && c.running == 0, lead;
	int64_t ns = (int64_t)in->k * 99999999;
	size_t w;

	w = board_task(plain, sizeof(plain), st, in->k, in->msg, ns, in->msg2,
	    in->cols, in->utf8, false);
	check_clean(plain, w, in->cols, &lead);
	FUZZ_CHECK(board_task(painted, sizeof(painted), st, in->k, in->msg,
	    ns, in->msg2, in->cols, in->utf8, true) == w);
	check_painted(plain, painted, NULL, false);
	for (int final = 0; final <= 1; final++) {
		w = board_summary(plain, sizeof(plain), &c, in->msg2, ns,
		    final, in->utf8, in->cols, false);
		check_clean(plain, w, in->cols == 0 ? RENDER_COLS_MAX :
		    in->cols, &lead);
		FUZZ_CHECK(board_summary(painted, sizeof(painted), &c,
		    in->msg2, ns, final, in->utf8, in->cols, true) == w);
		if (final)
			check_painted(plain, painted, ok ? (in->utf8 ?
			    "\u2714" : "v") : (in->utf8 ? "\u2716" : "x"), ok);
		else
			FUZZ_CHECK(strcmp(painted, plain) == 0);
	}
}

/* The --persist line, or a task's verdict, of every way a run ends. */
static void
check_outcome(const struct input *in)
{
	static const struct outcome ends[] = {
		{ OUTCOME_EXITED, 0, 0 }, { OUTCOME_EXITED, 2, 0 },
		{ OUTCOME_TIMEDOUT, 124, 0 }, { OUTCOME_SIGNALED, 0, 2 },
		{ OUTCOME_FAILED, 127, 0 }, { OUTCOME_STOPPED, 0, 15 },
		{ OUTCOME_NOSTART, 0, 0 },
	};
	static char out[RENDER_BUF], painted[RENDER_BUF];
	int64_t ns = (int64_t)in->k * (int64_t)in->k * 99999999;

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t n = outcome_line(out, sizeof(out), &ends[i], in->msg,
		    ns, in->utf8, in->cols, false), w;
		bool lead;

		FUZZ_CHECK(outcome_line(painted, sizeof(painted), &ends[i],
		    in->msg, ns, in->utf8, in->cols, true) == strlen(painted));
		check_painted(out, painted, i == 0 ? (in->utf8 ? "\u2714" :
		    "v") : (in->utf8 ? "\u2716" : "x"), i == 0);

		FUZZ_CHECK(n == strlen(out));
		FUZZ_CHECK(fuzz_text(out, n, &w, &lead));
		FUZZ_CHECK(in->cols == 0 || w <= in->cols);
		FUZZ_CHECK(!lead);
		if (in->cols == 0 ||
		    in->cols > render_width(render_ellipsis(in->utf8)))
			FUZZ_CHECK(strncmp(out, i == 0 ? (in->utf8 ? "\u2714" :
			    "v") : (in->utf8 ? "\u2716" : "x"),
			    in->utf8 ? 3 : 1) == 0);
	}
}

void
fuzz_render_one(const uint8_t *data, size_t size)
{
	static struct style custom;
	static char custom_buf[4096];
	uint8_t head[4] = { 0 };
	char *copy, *piece[4] = { "", "", "", "" };
	struct input in;
	const struct style *st;

	memcpy(head, data, size < 4 ? size : 4);
	in.cols = (size_t)(head[0] | head[1] << 8) % 513;
	in.utf8 = head[2] & 1;
	in.k = head[3];
	fuzz_split(data + (size < 4 ? size : 4), size < 4 ? 0 : size - 4,
	    &copy, piece, 4);
	in.msg = piece[0];
	snprintf(in.tail, sizeof(in.tail), "%s", piece[1]);
	in.frames = piece[2];
	in.msg2 = piece[3];
	fuzz_locale(in.utf8);
	FUZZ_CHECK(render_locale_utf8() == in.utf8);

	for (size_t i = 0; (st = styles_at(i)) != NULL; i++) {
		check_style(st, &in);
		check_board(st, &in);
		FUZZ_CHECK(styles_for_locale(st, in.utf8) == st ||
		    (!in.utf8 && !st->ascii &&
		    styles_for_locale(st, in.utf8) == styles_default()));
	}
	if (styles_parse_frames(in.frames, &custom, custom_buf,
	    sizeof(custom_buf)) == NULL) {
		FUZZ_CHECK(custom.count >= 1 &&
		    custom.count <= STYLES_MAX_FRAMES);
		FUZZ_CHECK(styles_for_locale(&custom, in.utf8) == &custom);
		check_style(&custom, &in);
	}
	check_fit(&in);
	check_outcome(&in);
	fuzz_locale_end();
	free(copy);
}
