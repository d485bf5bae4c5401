/* render: frame bytes, wipe bytes, and fitting text to 1..200 columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "render.h"
#include "styles.h"

#define ELLIPSIS "\u2026"

static const char *samples[] = {
	"thinking!",
	"compressing the whole archive, please wait a little longer",
	"\u4f60\u597d\u4e16\u754c\u4f60\u597d\u4e16\u754c\u4f60\u597d",
	"emoji \U0001f600\U0001f680 and \U0001f30d text \U0001f600",
	"cafe\u0301 na\u0308ive \u0301leading combining e\u0301e\u0301",
	"bad \xff\xfe utf8 \xe4\xb8 cut \xc3",
	"tab\tand\nnewline\x1b[31m escape",
	"",
	"x",
};

/* out is whole, printable characters whose width is cols. */
static void
assert_clean(const char *out, size_t cols)
{
	mbstate_t st;
	const char *p = out;
	size_t left = strlen(out);

	memset(&st, 0, sizeof(st));
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2)
			fail_msg("invalid sequence in '%s'", out);
		if (wcwidth(wc) < 0)
			fail_msg("control character in '%s'", out);
		p += n;
		left -= n;
	}
	assert_int_equal(render_width(out), cols);
}

/*
 * The widths the sweeps below try: every one natively; under valgrind
 * (tests/run.sh says so), which looks for memory errors and not for the
 * logic the native run checks, the narrow ones and every seventh.
 */
static size_t
next_cols(size_t cols)
{
	static int vg = -1;

	if (vg < 0)
		vg = getenv("SPINNER_VALGRIND") != NULL;
	return vg && cols >= 12 ? cols + 7 : cols + 1;
}

static void
test_fit_every_sample_to_widths_1_to_200(void **state)
{
	char out[RENDER_BUF];

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t full = render_width(samples[i]);
		for (size_t cols = 1; cols <= 200; cols = next_cols(cols)) {
			size_t w = render_fit(out, sizeof(out), samples[i],
			    cols, ELLIPSIS);
			assert_true(w <= cols);
			assert_clean(out, w);
			if (full <= cols) {
				assert_int_equal(w, full);
				if (strchr(samples[i], '\xff') == NULL &&
				    strchr(samples[i], '\t') == NULL)
					assert_string_equal(out, samples[i]);
			} else {
				/* cut: ends with the ellipsis, and a wide
				 * character that did not fit leaves at most
				 * one column unused */
				size_t n = strlen(out);
				assert_true(n >= 3);
				assert_string_equal(out + n - 3, ELLIPSIS);
				assert_true(w + 1 >= cols);
			}
		}
	}
}

static void
test_fit_counts_cjk_two_combining_zero_emoji_two(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(render_width("\u4f60\u597d"), 4);
	assert_int_equal(render_width("e\u0301"), 1);
	assert_int_equal(render_width("\U0001f600"), 2);
	assert_int_equal(render_width("a\xff"), 2);

	assert_int_equal(render_fit(out, sizeof(out), "\u4f60\u597d\u4e16",
	    5, ELLIPSIS), 5);
	assert_string_equal(out, "\u4f60\u597d" ELLIPSIS);
	/* 4 columns: one CJK character, the ellipsis, one column spare */
	assert_int_equal(render_fit(out, sizeof(out), "\u4f60\u597d\u4e16",
	    4, ELLIPSIS), 3);
	assert_string_equal(out, "\u4f60" ELLIPSIS);
	/* the combining mark goes with its base */
	assert_int_equal(render_fit(out, sizeof(out), "abe\u0301cd", 4,
	    ELLIPSIS), 4);
	assert_string_equal(out, "abe\u0301" ELLIPSIS);
	assert_int_equal(render_fit(out, sizeof(out), "abe\u0301cd", 3,
	    ELLIPSIS), 3);
	assert_string_equal(out, "ab" ELLIPSIS);
}

static void
test_fit_replaces_invalid_and_control_bytes(void **state)
{
	char out[64];

	(void)state;
	render_fit(out, sizeof(out), "a\xffz\x1b[1m\n", 20, ELLIPSIS);
	assert_string_equal(out, "a?z?[1m?");
	render_fit(out, sizeof(out), "ab\xe4\xb8", 20, ELLIPSIS);
	assert_string_equal(out, "ab??");
}

static void
test_fit_ascii_ellipsis_and_tiny_widths(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(render_fit(out, sizeof(out), "abcdef", 5, "..."), 5);
	assert_string_equal(out, "ab...");
	assert_int_equal(render_fit(out, sizeof(out), "abcdef", 2, "..."), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(render_fit(out, sizeof(out), "abcdef", 1, ELLIPSIS),
	    1);
	assert_string_equal(out, ELLIPSIS);
	assert_int_equal(render_fit(out, sizeof(out), "abcdef", 0, ELLIPSIS),
	    0);
	assert_string_equal(out, "");
	assert_int_equal(render_fit(out, sizeof(out), "abcdef", 3, NULL), 3);
	assert_string_equal(out, "abc");
}

static void
test_frame_bytes_draw_erase_and_return(void **state)
{
	char out[256];
	const struct style *line = styles_default();

	(void)state;
	assert_int_equal(render_frame(out, sizeof(out), line, 0, "thinking!",
	    NULL, 79, true), strlen("| thinking!\033[K\033[11D"));
	assert_string_equal(out, "| thinking!\033[K\033[11D");
	render_frame(out, sizeof(out), line, 5, "thinking!", NULL, 79, true);
	assert_string_equal(out, "/ thinking!\033[K\033[11D");
	render_frame(out, sizeof(out), line, 3, "thinking!", NULL, 6, true);
	assert_string_equal(out, "\\ thi" ELLIPSIS "\033[K\033[6D");
	render_frame(out, sizeof(out), line, 0, "thinking!", NULL, 2, true);
	assert_string_equal(out, "|\033[K\033[1D");
	render_frame(out, sizeof(out), line, 0, "thinking!", NULL, 0, true);
	assert_string_equal(out, "\033[K");
	render_frame(out, sizeof(out), line, 0, "", NULL, 40, true);
	assert_string_equal(out, "|\033[K\033[1D");
}

static void
test_status_pads_frames_to_the_widest(void **state)
{
	char out[256];
	struct style st;
	char buf[64];

	(void)state;
	assert_null(styles_parse_frames("a,bbb", &st, buf, sizeof(buf)));
	assert_int_equal(render_status(out, sizeof(out), &st, 0, "m", 40,
	    true), 5);
	assert_string_equal(out, "a   m");
	render_status(out, sizeof(out), styles_find("moon"), 0, "m", 40,
	    true);
	assert_string_equal(out, "\U0001f311 m");
	/* a wide frame in one column: nothing that would wrap */
	assert_int_equal(render_status(out, sizeof(out), styles_find("moon"),
	    0, "m", 1, true), 0);
	assert_string_equal(out, "");
}

static void
test_status_fits_every_style_to_widths_1_to_200(void **state)
{
	const struct style *st;
	char out[RENDER_BUF];

	(void)state;
	for (size_t i = 0; (st = styles_at(i)) != NULL; i++)
		for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]);
		    s++)
			for (size_t cols = 1; cols <= 200; cols = next_cols(cols)) {
				size_t w = render_status(out, sizeof(out), st,
				    cols, samples[s], cols, true);
				assert_true(w <= cols);
				assert_clean(out, w);
			}
}

static void
test_status_tail_stays_whole_and_the_message_gives_way(void **state)
{
	char out[256];
	const struct style *line = styles_default();

	(void)state;
	assert_int_equal(render_status_tail(out, sizeof(out), line, 0,
	    "building", "2.3s", 40, true), 15);
	assert_string_equal(out, "| building 2.3s");
	/* the message is cut first, the time never */
	assert_int_equal(render_status_tail(out, sizeof(out), line, 0,
	    "building", "2.3s", 12, true), 12);
	assert_string_equal(out, "| buil" ELLIPSIS " 2.3s");
	/* one column of message is its ellipsis; none: the frame and time */
	render_status_tail(out, sizeof(out), line, 0, "building", "2.3s", 8,
	    true);
	assert_string_equal(out, "| " ELLIPSIS " 2.3s");
	render_status_tail(out, sizeof(out), line, 0, "building", "2.3s", 7,
	    true);
	assert_string_equal(out, "| 2.3s");
	render_status_tail(out, sizeof(out), line, 0, "building", "2.3s", 6,
	    true);
	assert_string_equal(out, "| 2.3s");
	/* a time that does not fit whole is left out, never cut */
	render_status_tail(out, sizeof(out), line, 0, "building", "2.3s", 5,
	    true);
	assert_string_equal(out, "| bu" ELLIPSIS);
	render_status_tail(out, sizeof(out), line, 0, "", "2m05s", 40, true);
	assert_string_equal(out, "| 2m05s");
	render_status_tail(out, sizeof(out), line, 0, "m", "", 40, true);
	assert_string_equal(out, "| m");
	render_frame(out, sizeof(out), line, 0, "b", "0.1s", 40, true);
	assert_string_equal(out, "| b 0.1s\033[K\033[8D");
}

static void
test_status_tail_fits_every_style_to_widths_1_to_80(void **state)
{
	const struct style *st;
	char out[RENDER_BUF];

	(void)state;
	/* past 80 columns every sample fits: nothing new is cut there */
	for (size_t i = 0; (st = styles_at(i)) != NULL; i++)
		for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]);
		    s++)
			for (size_t cols = 1; cols <= 80; cols = next_cols(cols)) {
				size_t w = render_status_tail(out,
				    sizeof(out), st, cols, samples[s],
				    "12m34s", cols, true);
				assert_true(w <= cols);
				assert_clean(out, w);
				if (cols >= render_style_width(st) + 7)
					assert_non_null(strstr(out, " 12m34s"));
			}
}

static void
test_wipe_and_cursor_bytes(void **state)
{
	(void)state;
	assert_string_equal(render_wipe(), "\033[K");
	assert_string_equal(render_cursor(false), "\033[?25l");
	assert_string_equal(render_cursor(true), "\033[?25h");
	assert_string_equal(render_ellipsis(false), "...");
	assert_string_equal(render_ellipsis(true), ELLIPSIS);
}

static void
test_c_locale_draws_non_ascii_as_question_marks(void **state)
{
	char out[64];

	(void)state;
	setlocale(LC_CTYPE, "C");
	assert_false(render_locale_utf8());
	render_fit(out, sizeof(out), "a\u4f60b", 20, "...");
	assert_string_equal(out, "a???b");
	setlocale(LC_CTYPE, "C.UTF-8");
	assert_true(render_locale_utf8());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_every_sample_to_widths_1_to_200),
		cmocka_unit_test(
		    test_fit_counts_cjk_two_combining_zero_emoji_two),
		cmocka_unit_test(test_fit_replaces_invalid_and_control_bytes),
		cmocka_unit_test(test_fit_ascii_ellipsis_and_tiny_widths),
		cmocka_unit_test(test_frame_bytes_draw_erase_and_return),
		cmocka_unit_test(test_status_pads_frames_to_the_widest),
		cmocka_unit_test(
		    test_status_fits_every_style_to_widths_1_to_200),
		cmocka_unit_test(
		    test_status_tail_stays_whole_and_the_message_gives_way),
		cmocka_unit_test(
		    test_status_tail_fits_every_style_to_widths_1_to_80),
		cmocka_unit_test(test_wipe_and_cursor_bytes),
		cmocka_unit_test(
		    test_c_locale_draws_non_ascii_as_question_marks),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
