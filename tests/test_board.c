/* board: the screen of many tasks as bytes, and what it keeps of output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "color.h"
#include "render.h"
#include "sgr.h"
#include "styles.h"

#define S INT64_C(1000000000)

static const char *
feed(struct board_last *l, const char *s)
{
	board_last_feed(l, s, strlen(s));
	return board_last_text(l);
}

static void
test_buf_grows_and_keeps(void **state)
{
	struct buf b = { 0 };

	(void)state;
	for (int i = 0; i < 1000; i++)
		buf_puts(&b, "0123456789");
	assert_int_equal(b.len, 10000);
	assert_memory_equal(b.p + 9990, "0123456789", 10);
	buf_put(&b, "", 0);
	assert_int_equal(b.len, 10000);
	buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
}

static void
test_last_line_is_the_last_not_blank(void **state)
{
	struct board_last l = { 0 };

	(void)state;
	assert_string_equal(board_last_text(&l), "");
	assert_string_equal(feed(&l, "one\ntwo\n"), "two");
	assert_string_equal(feed(&l, "\n   \n\t\n"), "two");
	/* a line being written wins over the last one ended */
	assert_string_equal(feed(&l, "thr"), "thr");
	assert_string_equal(feed(&l, "ee  "), "three");
	assert_string_equal(feed(&l, "\n"), "three");
}

static void
test_last_line_follows_carriage_returns(void **state)
{
	struct board_last l = { 0 };

	(void)state;
	assert_string_equal(feed(&l, " 10%\r 20%\r 30%"), " 30%");
	assert_string_equal(feed(&l, "\r\n"), " 30%");
	assert_string_equal(feed(&l, "ab\bc"), "ac");
}

static void
test_last_line_drops_escapes_and_controls(void **state)
{
	struct board_last l = { 0 };

	(void)state;
	assert_string_equal(feed(&l, "\033[1;31mred\033[0m ok\n"), "red ok");
	assert_string_equal(feed(&l, "\033]0;title\007shown\n"), "shown");
	assert_string_equal(feed(&l, "\033]8;;http://x\033\\link\033]8;;"
	    "\033\\\n"), "link");
	assert_string_equal(feed(&l, "a\tb\001c\177d\n"), "a bcd");
	assert_string_equal(feed(&l, "\033(Bplain\n"), "plain");
	/* cut in the middle of a sequence, across two reads */
	assert_string_equal(feed(&l, "x\033[3"), "x");
	assert_string_equal(feed(&l, "2my\n"), "xy");
}

static void
test_last_line_is_bounded(void **state)
{
	struct board_last l = { 0 };
	char big[1000];

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(strlen(feed(&l, big)), BOARD_LAST_MAX - 1);
	assert_int_equal(strlen(feed(&l, "\n")), BOARD_LAST_MAX - 1);
	assert_string_equal(feed(&l, "short\n"), "short");
}

static void
test_task_line_has_frame_name_time_and_output(void **state)
{
	char out[RENDER_BUF];
	const struct style *st = styles_find("line");

	(void)state;
	board_task(out, sizeof(out), st, 1, "lint", 2100 * S / 1000,
	    "checking src", 79, true, false);
	assert_string_equal(out, "/ lint 2.1s  checking src");
	board_task(out, sizeof(out), st, 0, "lint", 65 * S, "", 79, true,
	    false);
	assert_string_equal(out, "| lint 1m05s");
}

static void
test_task_line_fits_and_keeps_the_time(void **state)
{
	char out[RENDER_BUF];
	const struct style *st = styles_find("line");
	const char *name = "a very long task name that goes on and on "
	    "and on until the end of the line and beyond";

	(void)state;
	for (size_t cols = 1; cols < 120; cols++) {
		size_t w = board_task(out, sizeof(out), st, 2, name, 3 * S,
		    "the last line of its output, also long enough", cols,
		    true, false);

		assert_true(w <= cols);
		assert_int_equal(render_width(out), w);
		if (cols >= 30)
			assert_non_null(strstr(out, " 3.0s"));
	}
	/* with room, the name gives way to the output only by half */
	board_task(out, sizeof(out), st, 0, name, S, "output", 60, true,
	    false);
	assert_non_null(strstr(out, "\u2026 1.0s  output"));
}

static void
test_task_line_dims_what_is_shown_of_the_last_line(void **state)
{
	char out[RENDER_BUF];
	const struct style *st = styles_find("line");

	(void)state;
	board_task(out, sizeof(out), st, 1, "lint", 2100 * S / 1000,
	    "checking src", 79, true, true);
	assert_string_equal(out, "/ lint 2.1s  " COLOR_DIM "checking src"
	    COLOR_DIM_END);
	/* cut, the ellipsis with it */
	board_task(out, sizeof(out), st, 1, "lint", 2100 * S / 1000,
	    "checking every file in src", 36, true, true);
	assert_string_equal(out, "/ lint 2.1s  " COLOR_DIM
	    "checking every file in\u2026" COLOR_DIM_END);
	/* no last line, or no room for one: nothing dim, nothing else
	 * painted, the frame least of all */
	board_task(out, sizeof(out), st, 0, "lint", 65 * S, "", 79, true,
	    true);
	assert_string_equal(out, "| lint 1m05s");
	board_task(out, sizeof(out), st, 0, "lint", 65 * S, "checking", 20,
	    true, true);
	assert_string_equal(out, "| lint 1m05s");
}

static void
test_task_line_painted_keeps_its_text_and_columns(void **state)
{
	char plain[RENDER_BUF], painted[RENDER_BUF], back[RENDER_BUF];
	static const char long_name[] = "a very long task name that goes "
	    "on and on until the end of the line";
	const char *const names[] = { "lint", long_name, "\u4f60\u597d" };
	const struct style *styles[] = { styles_find("line"),
	    styles_find("dots"), styles_find("bouncingBar") };

	(void)state;
	for (size_t s = 0; s < 3; s++)
		for (size_t i = 0; i < 3; i++)
			for (size_t cols = 1; cols < 120; cols++) {
				size_t pw = board_task(plain, sizeof(plain),
				    styles[s], 2, names[i], 3 * S,
				    "the last \u884c of its output", cols,
				    true, false);
				size_t cw = board_task(painted,
				    sizeof(painted), styles[s], 2, names[i],
				    3 * S, "the last \u884c of its output",
				    cols, true, true);

				assert_int_equal(pw, cw);
				assert_true(sgr_unpaint(painted, back,
				    sizeof(back)));
				assert_string_equal(back, plain);
				/* dim begins after the time, if at all */
				assert_true(strcmp(painted, plain) == 0 ||
				    strstr(painted, "s  " COLOR_DIM) != NULL);
			}
}

static void
test_summary_while_running(void **state)
{
	char out[RENDER_BUF];
	struct board_counts c = { 3, 1, 4, 12, false };

	(void)state;
	board_summary(out, sizeof(out), &c, NULL, 4200 * S / 1000, false,
	    true, 0, false);
	assert_string_equal(out, "3 ok \u00b7 1 failed \u00b7 4 running "
	    "\u00b7 12 waiting \u00b7 4.2s");
	c.waiting = 0;
	c.stopping = true;
	board_summary(out, sizeof(out), &c, "build", S, false, false, 0,
	    false);
	assert_string_equal(out, "build: 3 ok, 1 failed, 4 stopping, 1.0s");
}

static void
test_summary_at_the_end(void **state)
{
	char out[RENDER_BUF];
	struct board_counts ok = { 20, 0, 0, 0, false };
	struct board_counts bad = { 2, 1, 3, 4, false };

	(void)state;
	board_summary(out, sizeof(out), &ok, NULL, 2 * S, true, true, 0,
	    false);
	assert_string_equal(out, "\u2714 20 ok \u00b7 0 failed \u00b7 2.0s");
	board_summary(out, sizeof(out), &bad, NULL, 2 * S, true, false, 0,
	    false);
	assert_string_equal(out, "x 2 ok, 1 failed, 3 stopped, "
	    "4 not started, 2.0s");
	board_summary(out, sizeof(out), &bad, NULL, 2 * S, true, true, 12,
	    false);
	assert_true(render_width(out) <= 12);
}

static void
test_summary_mark_is_painted_at_the_end_alone(void **state)
{
	char out[RENDER_BUF], plain[RENDER_BUF], back[RENDER_BUF];
	struct board_counts ok = { 20, 0, 0, 0, false };
	struct board_counts bad = { 2, 1, 3, 4, false };

	(void)state;
	board_summary(out, sizeof(out), &ok, NULL, 2 * S, true, true, 0,
	    true);
	assert_string_equal(out, COLOR_GREEN "\u2714" COLOR_FG_END
	    " 20 ok \u00b7 0 failed \u00b7 2.0s");
	board_summary(out, sizeof(out), &bad, "build", 2 * S, true, false, 0,
	    true);
	assert_string_equal(out, COLOR_RED "x" COLOR_FG_END " build: 2 ok, "
	    "1 failed, 3 stopped, 4 not started, 2.0s");
	/* while running there is no mark: nothing painted */
	board_summary(out, sizeof(out), &bad, NULL, 2 * S, false, true, 0,
	    true);
	assert_null(strchr(out, '\033'));
	/* fitted first, painted after: the same text at every width */
	for (size_t cols = 1; cols < 60; cols++) {
		size_t pw = board_summary(plain, sizeof(plain), &bad, NULL,
		    2 * S, true, true, cols, false);

		assert_int_equal(board_summary(out, sizeof(out), &bad, NULL,
		    2 * S, true, true, cols, true), pw);
		assert_true(sgr_unpaint(out, back, sizeof(back)));
		assert_string_equal(back, plain);
		assert_true(strncmp(plain, "\u2716", 3) == 0 ?
		    strncmp(out, COLOR_RED "\u2716" COLOR_FG_END,
		    strlen(COLOR_RED "\u2716" COLOR_FG_END)) == 0 :
		    strcmp(out, plain) == 0);
	}
}

static void
test_more_line(void **state)
{
	char out[RENDER_BUF];

	(void)state;
	board_more(out, sizeof(out), 37, 79, true);
	assert_string_equal(out, "\u2026 37 more running");
	board_more(out, sizeof(out), 5, 79, false);
	assert_string_equal(out, "... 5 more running");
	assert_true(board_more(out, sizeof(out), 5, 6, true) <= 6);
}

/* The bytes of one board_show(). */
static char *
show(struct board *bd, bool full, size_t n, ...)
{
	char *lines[16];
	struct buf out = { 0 };
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		lines[i] = va_arg(ap, char *);
	va_end(ap);
	board_show(bd, &out, lines, n, full);
	buf_put(&out, "", 1);
	return out.p;
}

static void
test_show_draws_then_rewrites_only_what_changed(void **state)
{
	struct board bd = { 0 };
	char *s;

	(void)state;
	s = show(&bd, false, 3, "a", "b", "sum");
	assert_string_equal(s, "\ra\033[K\n\rb\033[K\n\rsum\033[K\033[J"
	    "\033[2A\r");
	free(s);
	/* the same rows: the cursor goes down and back, nothing written */
	s = show(&bd, false, 3, "a", "b", "sum");
	assert_string_equal(s, "\n\n\033[2A\r");
	free(s);
	s = show(&bd, false, 3, "a", "B", "sum");
	assert_string_equal(s, "\n\rB\033[K\n\033[2A\r");
	free(s);
	/* full: every row again, and below them erased */
	s = show(&bd, true, 3, "a", "B", "sum");
	assert_string_equal(s, "\ra\033[K\n\rB\033[K\n\rsum\033[K\033[J"
	    "\033[2A\r");
	free(s);
	board_free(&bd);
}

static void
test_show_grows_and_shrinks(void **state)
{
	struct board bd = { 0 };
	char *s;

	(void)state;
	s = show(&bd, false, 1, "sum");
	assert_string_equal(s, "\rsum\033[K\033[J\r");
	free(s);
	s = show(&bd, false, 3, "a", "b", "sum");
	assert_string_equal(s, "\ra\033[K\n\rb\033[K\n\rsum\033[K"
	    "\033[2A\r");
	free(s);
	/* two rows fewer: the ones left below are erased */
	s = show(&bd, false, 1, "sum");
	assert_string_equal(s, "\rsum\033[K\n\r\033[J\033[1A\r");
	free(s);
	assert_int_equal(bd.n, 1);
	board_free(&bd);
}

static void
test_wipe_erases_only_what_is_shown(void **state)
{
	struct board bd = { 0 };
	struct buf out = { 0 };
	char *s;

	(void)state;
	board_wipe(&bd, &out);
	assert_int_equal(out.len, 0);
	s = show(&bd, false, 2, "a", "sum");
	free(s);
	board_wipe(&bd, &out);
	assert_int_equal(out.len, 4);
	assert_memory_equal(out.p, "\r\033[J", 4);
	assert_int_equal(bd.n, 0);
	/* after a wipe the next show is whole */
	s = show(&bd, false, 2, "a", "sum");
	assert_string_equal(s, "\ra\033[K\n\rsum\033[K\033[J\033[1A\r");
	free(s);
	buf_free(&out);
	board_free(&bd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_keeps),
		cmocka_unit_test(test_last_line_is_the_last_not_blank),
		cmocka_unit_test(test_last_line_follows_carriage_returns),
		cmocka_unit_test(test_last_line_drops_escapes_and_controls),
		cmocka_unit_test(test_last_line_is_bounded),
		cmocka_unit_test(test_task_line_has_frame_name_time_and_output),
		cmocka_unit_test(test_task_line_fits_and_keeps_the_time),
		cmocka_unit_test(
		    test_task_line_dims_what_is_shown_of_the_last_line),
		cmocka_unit_test(
		    test_task_line_painted_keeps_its_text_and_columns),
		cmocka_unit_test(test_summary_while_running),
		cmocka_unit_test(test_summary_at_the_end),
		cmocka_unit_test(test_summary_mark_is_painted_at_the_end_alone),
		cmocka_unit_test(test_more_line),
		cmocka_unit_test(test_show_draws_then_rewrites_only_what_changed),
		cmocka_unit_test(test_show_grows_and_shrinks),
		cmocka_unit_test(test_wipe_erases_only_what_is_shown),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
