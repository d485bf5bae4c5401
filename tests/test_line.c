/* line: drawing, wiping and passing output, replayed on the screen model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "line.h"
#include "screen.h"

static struct screen scr;
static struct line ln;
static char buf[LINE_BUF];
static char row[SCREEN_COLS * 16];

static void
feed(size_t n)
{
	screen_feed(&scr, buf, n);
}

/* Output as a tty passes it on: LF becomes CR LF (ONLCR). */
static void
out(const char *s)
{
	for (const char *p = s; *p; p++)
		screen_feed(&scr, *p == '\n' ? "\r\n" : p, *p == '\n' ? 2 : 1);
	line_pass(&ln, s, strlen(s));
}

static void
test_draw_hides_cursor_once_and_parks_at_origin(void **state)
{
	(void)state;
	screen_init(&scr, 5, 40);
	line_init(&ln, styles_default(), "thinking!", true, 40);
	feed(line_draw(&ln, 0, buf, sizeof(buf)));
	assert_false(scr.cursor_visible);
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)),
	    "| thinking!");
	assert_int_equal(scr.col, 0);
	feed(line_draw(&ln, 1, buf, sizeof(buf)));
	assert_int_equal(scr.hides, 1);
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)),
	    "/ thinking!");
	feed(line_clear(&ln, buf, sizeof(buf)));
	assert_true(scr.cursor_visible);
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)), "");
	assert_int_equal(scr.col, 0);
	assert_int_equal(scr.unknown, 0);
	/* clearing twice writes nothing */
	assert_int_equal(line_clear(&ln, buf, sizeof(buf)), 0);
}

/*
 * The text after the frame is kept from frame to frame: every change of
 * what it shows (the message in place, the tail, the width, the style)
 * must show, each frame as render_frame() draws it afresh.
 */
static void
test_frames_kept_in_part_show_every_change(void **state)
{
	static char msg[64] = "compiling";
	char want[LINE_BUF];
	const struct style *dots = styles_find("dots");
	struct {
		const char *msg;	/* copied into msg, in place */
		const char *tail;
		size_t cols;
		const struct style *st;
	} steps[] = {
		{ "compiling", "", 80, NULL },
		{ "compiling", "", 80, NULL },
		{ "linking", "", 80, NULL },
		{ "linking", "1.2s", 80, NULL },
		{ "linking", "1.3s", 80, NULL },
		{ "linking", "1.3s", 12, NULL },
		{ "linking", "1.3s", 4, NULL },
		{ "\u65e5\u672c\u8a9e\u306e\u30e1\u30c3\u30bb\u30fc\u30b8", "",
		    11, NULL },
		{ "linking", "", 30, dots },
		{ "", "", 30, dots },
	};

	(void)state;
	assert_non_null(dots);
	line_init(&ln, styles_default(), msg, true, 80);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		for (size_t k = 0; k < 3; k++) {
			size_t n, m;

			snprintf(msg, sizeof(msg), "%s", steps[i].msg);
			snprintf(ln.tail, sizeof(ln.tail), "%s",
			    steps[i].tail);
			ln.cols = steps[i].cols;
			if (steps[i].st != NULL)
				ln.style = steps[i].st;
			ln.hidden = true;	/* the frame's bytes alone */
			n = line_draw(&ln, i + k, buf, sizeof(buf));
			m = render_frame(want, sizeof(want), ln.style, i + k,
			    msg, ln.tail, steps[i].cols - 1, true);
			if (n != m || memcmp(buf, want, n) != 0)
				fail_msg("step %zu, frame %zu: '%.*s', not "
				    "'%s'", i, k, (int)n, buf, want);
		}
	}
}

static void
test_never_uses_the_last_column_so_never_wraps(void **state)
{
	(void)state;
	for (size_t cols = 1; cols <= 60; cols++) {
		screen_init(&scr, 5, (int)cols);
		line_init(&ln, styles_find("moon"), "\u4f60\u597d wide text",
		    true, cols);
		for (size_t k = 0; k < 8; k++)
			feed(line_draw(&ln, k, buf, sizeof(buf)));
		assert_int_equal(scr.wraps, 0);
		assert_int_equal(scr.row, 0);
		assert_true(line_room(&ln) < cols || cols == 0);
		feed(line_clear(&ln, buf, sizeof(buf)));
		assert_string_equal(screen_row(&scr, 0, row, sizeof(row)), "");
	}
}

static void
test_partial_output_stays_and_frame_follows_it(void **state)
{
	(void)state;
	screen_init(&scr, 5, 40);
	line_init(&ln, styles_default(), "busy", true, 40);
	feed(line_draw(&ln, 0, buf, sizeof(buf)));
	feed(line_wipe(&ln, buf, sizeof(buf)));
	out("Downloading... ");
	feed(line_draw(&ln, 1, buf, sizeof(buf)));
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)),
	    "Downloading... / busy");
	feed(line_wipe(&ln, buf, sizeof(buf)));
	out("done\nnext line\n");
	feed(line_draw(&ln, 2, buf, sizeof(buf)));
	assert_string_equal(screen_row(&scr, 0, row, sizeof(row)),
	    "Downloading... done");
	assert_string_equal(screen_row(&scr, 1, row, sizeof(row)),
	    "next line");
	assert_string_equal(screen_row(&scr, 2, row, sizeof(row)), "- busy");
	feed(line_clear(&ln, buf, sizeof(buf)));
	assert_string_equal(screen_row(&scr, 2, row, sizeof(row)), "");
	assert_int_equal(scr.unknown, 0);
}

static void
test_pass_follows_cr_tabs_escapes_wide_and_split_characters(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 20);
	line_pass(&ln, "abc", 3);
	assert_int_equal(ln.origin, 3);
	line_pass(&ln, "\r", 1);
	assert_int_equal(ln.origin, 0);
	line_pass(&ln, "\x1b[31mred\x1b[0m", 12);
	assert_int_equal(ln.origin, 3);
	line_pass(&ln, "\x1b]0;title\x07", 10);
	assert_int_equal(ln.origin, 3);
	line_pass(&ln, "\t", 1);
	assert_int_equal(ln.origin, 8);
	line_pass(&ln, "\xe4\xbd", 2);	/* half of U+4F60 */
	assert_int_equal(ln.origin, 8);
	line_pass(&ln, "\xa0", 1);
	assert_int_equal(ln.origin, 10);
	line_pass(&ln, "\b", 1);
	assert_int_equal(ln.origin, 9);
	line_pass(&ln, "0123456789abc", 13);	/* wraps past 20 */
	assert_int_equal(ln.origin, 2);
	assert_int_equal(line_room(&ln), 17);
}

static void
test_schedule_is_absolute_and_skips_missed_frames(void **state)
{
	const int64_t i = 100;

	(void)state;
	assert_int_equal(line_next_frame(0, 1000, 1000, i), 1);
	assert_int_equal(line_next_frame(0, 1000, 1099, i), 1);
	/* woken a little late: the next frame keeps its own time */
	assert_int_equal(line_next_frame(1, 1000, 1105, i), 2);
	/* after a suspend of ten frames */
	assert_int_equal(line_next_frame(2, 1000, 2250, i), 12);
	/* the clock never runs backwards, but stay sane if it did */
	assert_int_equal(line_next_frame(5, 1000, 900, i), 6);
}

/* Pass s as COMMAND's output; whether a frame may be drawn after it. */
static bool
after(const char *s)
{
	line_pass(&ln, s, strlen(s));
	return line_can_draw(&ln);
}

static void
test_frame_steps_aside_while_text_stands_right_of_the_cursor(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_true(after("progress 10%"));
	assert_false(after("\r"));		/* rewriting its line */
	assert_false(after("progress 2"));	/* still text to the right */
	assert_true(after("0%"));		/* past it again */
	assert_false(after("\b\b"));
	assert_false(after("\033[3D"));
	assert_true(after("\033[K"));		/* erased to the end */
	assert_false(after("\r"));
	assert_true(after("\n"));		/* a new row: nothing on it */
	assert_int_equal(ln.origin, 0);
}

static void
test_frame_steps_aside_above_the_lowest_row_until_back(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_true(after("A\nB\nC\n"));
	assert_false(after("\033[2A"));
	assert_false(after("\n"));		/* onto row C: one up still */
	assert_true(after("\033[5B"));		/* back on the lowest row */
	assert_false(after("\033M"));		/* reverse index */
	assert_true(after("\033E"));		/* next line */
	assert_false(after("\033[F"));
	assert_true(after("\033[E"));
}

/*
 * Up past the top row the cursor stays on it: counted further up, it
 * would be taken for above the lowest row when back on it, and what it
 * wrote there missed.  Where the top row is, only the height tells, and
 * the rows begun since the start.
 */
static void
test_moves_up_stop_at_the_top_row(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	ln.rows = 2;
	assert_true(after("a\nb"));
	assert_false(after("\033[3A"));	/* on the top row: one up */
	assert_int_equal(ln.depth, 1);
	assert_true(after("\033[B"));
	assert_false(after("\rlonger\033[2B\r\033[2C"));
	assert_false(after("\0337\n\n\n\0338"));	/* scrolled away */
	assert_int_equal(ln.depth, 1);

	/* from the top row, a row up is the same row */
	line_init(&ln, styles_default(), "m", true, 40);
	ln.rows = 24;
	assert_false(after("\0337\033[Aprogress\0338"));
	assert_true(after("\n"));		/* a row known above now */
	assert_true(after("\0337\033[Aprogress\0338"));
}

static void
test_absolute_moves_lose_the_row_until_the_screen_is_cleared(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_false(after("\033[5;10H"));
	assert_int_equal(ln.origin, 9);
	assert_false(after("\n\n\n"));
	assert_true(after("\033[J"));		/* erased below: known again */
	assert_false(after("\033[H"));
	assert_true(after("\033[2J"));
	assert_false(after("text\033[H\033[3J"));	/* scrollback only */
	assert_false(after("\033[4J"));
	assert_true(after("\033[H\033[2J"));
	assert_false(after("\033[3;20r"));	/* a scroll region */
	assert_true(after("\033c"));		/* a reset */
}

static void
test_saved_cursor_comes_back_with_its_place(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_true(after("abc\0337"));
	assert_false(after("\033[2A\033[10G"));
	assert_true(after("\0338"));
	assert_int_equal(ln.origin, 3);
	assert_true(after("\033[s"));
	assert_false(after("\033[H"));
	assert_true(after("\033[u"));
}

/*
 * A saved place (DECSC) comes back as a place, not with the screen as it
 * was: text written right of it since, or rows begun below it, keep the
 * frame aside.  Nothing saved, or text written while the row was not
 * known, and the row is not known after it either.
 */
static void
test_restored_cursor_finds_what_was_written_since(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_false(after("abc\0337def\0338"));	/* def right of it */
	assert_int_equal(ln.origin, 3);
	assert_true(after("\033[K"));
	assert_false(after("\0337\nxyz\0338"));	/* a row up now */
	assert_false(after("\n"));		/* on xyz's row, before it */
	assert_true(after("\033[3C"));

	line_init(&ln, styles_default(), "m", true, 40);
	assert_false(after("hello\0338"));	/* the top left corner */
	assert_true(after("\033[2J"));

	line_init(&ln, styles_default(), "m", true, 40);
	assert_true(after("abc\0337\033[5;1H\033[?25l\0338"));
	assert_false(after("\0337\033[5;1Hstatus\0338"));	/* scrolled? */
	line_init(&ln, styles_default(), "m", true, 40);
	assert_false(after("abcdef\rabc\0337\033[1;1H\033[K\0338"));

	/* 1049 saves the cursor as DECSC does, in its place */
	line_init(&ln, styles_default(), "m", true, 40);
	assert_true(after("hello\0337"));
	assert_false(after("\r\033[?1049hfull screen\033[?1049l"));
	assert_false(after("\0338"));
	assert_int_equal(ln.origin, 0);
}

static void
test_alternate_screen_is_left_alone_and_the_place_restored(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_true(after("prompt> "));
	assert_false(after("\033[?1049h\033[H\033[2Jfull screen\n"));
	assert_false(after("\033[J"));		/* erasing the alt screen */
	assert_true(after("\033[?1049l"));
	assert_int_equal(ln.origin, 8);
	/* the old alternate screen leaves the cursor where it was */
	assert_false(after("\033[?47h\033[?47l"));
}

static void
test_no_frame_inside_a_sequence_or_a_character(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_false(after("\033["));
	assert_true(after("0m"));
	assert_false(after("\033]0;title"));
	assert_true(after("\a"));
	assert_false(after("\xe4\xbd"));	/* half of U+4F60 */
	assert_true(after("\xa0"));
}

static void
test_frame_and_wipe_are_in_plain_colours_then_commands_again(void **state)
{
	char want[256];
	size_t n;

	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	after("\033[1;41mred");
	n = line_draw(&ln, 0, buf, sizeof(buf));
	snprintf(want, sizeof(want), "\033[?25l\033[0m| m\033[K\033[3D"
	    "\033[1;41m");
	assert_int_equal(n, strlen(want));
	assert_string_equal(buf, want);
	line_wipe(&ln, buf, sizeof(buf));
	assert_string_equal(buf, "\033[0m\033[K\033[1;41m");
	after("\033[m");		/* reset: nothing to put back */
	line_draw(&ln, 1, buf, sizeof(buf));
	assert_string_equal(buf, "/ m\033[K\033[3D");
	/* 0 as the first parameter resets, the rest is kept */
	after("\033[0;32m");
	line_draw(&ln, 2, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\033[0;32m"));
}

static void
test_release_undoes_what_command_set_and_retake_redoes_it(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_int_equal(line_release(&ln, buf, sizeof(buf)), 0);
	after("\033[?1049h\033[?1h\033=\033[?2004h\033[?1000h"
	    "\033[?25l\033[7m");
	line_release(&ln, buf, sizeof(buf));
	assert_string_equal(buf, "\033[?2004l\033[?1000l\033[?1049l\033[?1l"
	    "\033>\033[?25h\033[0m");
	line_retake(&ln, buf, sizeof(buf));
	assert_string_equal(buf, "\033[?1h\033[?1049h\033[?1000h\033[?2004h"
	    "\033=\033[?25l\033[7m");
	after("\033[?1049l\033[?1l\033>\033[?2004l\033[?1000l"
	    "\033[?25h\033[m");
	assert_int_equal(line_release(&ln, buf, sizeof(buf)), 0);
}

static void
test_vt_ff_tabs_repeat_and_insert_mode_are_followed(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	assert_true(after("abcdefghij\v"));	/* down, column kept */
	assert_int_equal(ln.origin, 10);
	assert_true(after("\033[2I"));		/* two tab stops on */
	assert_int_equal(ln.origin, 24);
	assert_true(after("\033[Z"));		/* one back */
	assert_int_equal(ln.origin, 16);
	assert_true(after("x\033[5b"));		/* repeated: after the x's */
	assert_int_equal(ln.origin, 22);
	assert_true(after("\r\n\u4f60\033[30b"));	/* wrapped past 40 */
	assert_int_equal(ln.origin, 22);
	assert_true(after("\r\n"));
	assert_false(after("ab\033[5b\r\033[3C"));	/* on the b's */
	assert_true(after("\033[K"));
	assert_false(after("\033[m\033[5b"));	/* which, and where? */
	assert_false(after("\r\n"));
	assert_true(after("\033[2J"));
	line_init(&ln, styles_default(), "m", true, 8);
	assert_false(after("ab\033[5b/"));	/* to the margin, not past */
	assert_int_equal(ln.origin, 8);
	assert_false(after("\033[4hab"));	/* inserting: what is right? */
	assert_true(after("\033[4l\033[K"));
}

static void
test_lf_without_cr_keeps_the_column_on_a_raw_terminal(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	ln.onlcr = false;
	assert_true(after("abc\n"));
	assert_int_equal(ln.origin, 3);
	assert_true(after("\r\n"));
	assert_int_equal(ln.origin, 0);
}

/*
 * A bad sequence is one replacement character, the byte that ended it
 * drawn after it, however the reads split the output.
 */
static void
test_bad_characters_count_the_same_however_split(void **state)
{
	static const char *const streams[] = {
		"\xc3" "A", "\xe2\x82" "B", "\xe2\x82\xe4\xbd\xa0",
		"\xff\x80x",
	};
	static const size_t cols[] = { 2, 2, 3, 3 };

	(void)state;
	for (size_t i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
		size_t len = strlen(streams[i]);

		for (size_t cut = 0; cut <= len; cut++) {
			line_init(&ln, styles_default(), "m", true, 40);
			line_pass(&ln, streams[i], cut);
			line_pass(&ln, streams[i] + cut, len - cut);
			assert_int_equal(ln.origin, cols[i]);
			assert_int_equal(ln.right, cols[i]);
		}
	}
}

/*
 * Once the last column is written the next character wraps, but the
 * cursor stays on that column: BS and CUB start from it, as terminals do,
 * and after a move up or down the next character is written there.
 */
static void
test_moves_start_from_the_last_column_once_written(void **state)
{
	(void)state;
	line_init(&ln, styles_default(), "m", true, 10);
	assert_false(after("0123456789"));
	assert_int_equal(ln.origin, 10);
	assert_true(after("\b\033[K"));	/* erased from column 8 */
	assert_int_equal(ln.origin, 8);
	assert_false(after("ab"));		/* full again, not wrapped */
	assert_int_equal(ln.origin, 10);
	assert_false(after("\033[3D"));
	assert_int_equal(ln.origin, 6);
	assert_true(after("\033[K"));
	/* up or down, on the last column: the next one does not wrap */
	assert_false(after("6789\033[A\033[B"));
	assert_int_equal(ln.origin, 9);
	assert_false(after("x"));
	assert_int_equal(ln.origin, 10);
	assert_int_equal(ln.right, 10);
}

/*
 * A sequence or a string ends a character begun before it, as a control
 * does: the text after it is counted from a fresh start.  ESC c (which
 * homes the cursor) then four characters, at width 4: the last column,
 * not a row further down, however the reads split it.
 */
static void
test_a_sequence_ends_a_character_begun_before_it(void **state)
{
	static const char *const streams[] = {
		"\xf6\033c" "cccc", "\xe2\x82\033[H" "ab", "\xc3\033]0;t\007" "ab",
	};
	static const size_t cols[] = { 4, 2, 2 };

	(void)state;
	for (size_t i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
		size_t len = strlen(streams[i]);

		for (size_t cut = 0; cut <= len; cut++) {
			line_init(&ln, styles_default(), "m", true, 4);
			line_pass(&ln, streams[i], cut);
			line_pass(&ln, streams[i] + cut, len - cut);
			assert_int_equal(ln.origin, cols[i]);
		}
	}
}

/*
 * Down past the lowest row holding text: a new row below it, or the same
 * one at the bottom of the screen.  A place saved before (here, by ESC c)
 * may then be a row higher than it seems: restoring it loses the row, so
 * no frame is drawn where text may stand.
 */
static void
test_a_place_saved_before_a_move_down_past_the_text_is_lost(void **state)
{
	static const char stream[] = "\033c" "t\033[B\033[2K\033[u";

	(void)state;
	line_init(&ln, styles_default(), "m", true, 40);
	line_pass(&ln, stream, strlen(stream));
	assert_false(line_can_draw(&ln));
	/* without the move down, the saved place is known */
	line_init(&ln, styles_default(), "m", true, 40);
	line_pass(&ln, "\033c" "t\033[2K\033[u", 10);
	assert_true(line_can_draw(&ln));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_kept_in_part_show_every_change),
		cmocka_unit_test(
		    test_draw_hides_cursor_once_and_parks_at_origin),
		cmocka_unit_test(
		    test_never_uses_the_last_column_so_never_wraps),
		cmocka_unit_test(
		    test_partial_output_stays_and_frame_follows_it),
		cmocka_unit_test(
		    test_pass_follows_cr_tabs_escapes_wide_and_split_characters),
		cmocka_unit_test(
		    test_schedule_is_absolute_and_skips_missed_frames),
		cmocka_unit_test(
		    test_frame_steps_aside_while_text_stands_right_of_the_cursor),
		cmocka_unit_test(
		    test_frame_steps_aside_above_the_lowest_row_until_back),
		cmocka_unit_test(test_moves_up_stop_at_the_top_row),
		cmocka_unit_test(
		    test_absolute_moves_lose_the_row_until_the_screen_is_cleared),
		cmocka_unit_test(test_saved_cursor_comes_back_with_its_place),
		cmocka_unit_test(
		    test_restored_cursor_finds_what_was_written_since),
		cmocka_unit_test(
		    test_alternate_screen_is_left_alone_and_the_place_restored),
		cmocka_unit_test(
		    test_no_frame_inside_a_sequence_or_a_character),
		cmocka_unit_test(
		    test_frame_and_wipe_are_in_plain_colours_then_commands_again),
		cmocka_unit_test(
		    test_release_undoes_what_command_set_and_retake_redoes_it),
		cmocka_unit_test(
		    test_vt_ff_tabs_repeat_and_insert_mode_are_followed),
		cmocka_unit_test(
		    test_lf_without_cr_keeps_the_column_on_a_raw_terminal),
		cmocka_unit_test(
		    test_bad_characters_count_the_same_however_split),
		cmocka_unit_test(
		    test_a_sequence_ends_a_character_begun_before_it),
		cmocka_unit_test(
		    test_a_place_saved_before_a_move_down_past_the_text_is_lost),
		cmocka_unit_test(
		    test_moves_start_from_the_last_column_once_written),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
