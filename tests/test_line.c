/* line: drawing, wiping and passing output, replayed on the screen model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
