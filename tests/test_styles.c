/* styles: the catalogue and custom frames. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "render.h"
#include "styles.h"

static void
test_default_is_the_seeds_line(void **state)
{
	const struct style *st = styles_default();

	(void)state;
	assert_string_equal(st->name, "line");
	assert_int_equal(st->count, 4);
	assert_string_equal(st->frames[0], "|");
	assert_string_equal(st->frames[1], "/");
	assert_string_equal(st->frames[2], "-");
	assert_string_equal(st->frames[3], "\\");
	assert_true(st->ascii);
}

static void
test_catalogue_has_every_named_style(void **state)
{
	static const char *names[] = {
		"line", "dots", "dots2", "arc", "circle", "pipe",
		"bouncingBar", "simpleDots", "moon", "clock", "earth",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct style *st = styles_find(names[i]);
		if (st == NULL)
			fail_msg("missing style %s", names[i]);
		assert_true(st->count >= 3);
	}
	assert_null(styles_find("Dots"));
	assert_null(styles_find(""));
}

static void
test_every_frame_is_printable_and_ascii_flag_is_true(void **state)
{
	const struct style *st;

	(void)state;
	for (size_t i = 0; (st = styles_at(i)) != NULL; i++) {
		bool ascii = true;
		assert_int_equal(styles_find(st->name), st);
		for (size_t k = 0; k < st->count; k++) {
			char out[64];
			const char *f = st->frames[k];
			assert_true(strlen(f) > 0);
			for (const unsigned char *p = (const void *)f; *p; p++)
				ascii = ascii && *p < 0x80;
			/* fits unchanged: no '?' replacement */
			render_fit(out, sizeof(out), f, 100, NULL);
			assert_string_equal(out, f);
			assert_true(render_width(f) >= 1);
		}
		assert_int_equal(st->ascii, ascii);
	}
	assert_int_equal(render_width(styles_find("moon")->frames[0]), 2);
	assert_int_equal(render_style_width(styles_find("bouncingBar")), 6);
}

static void
test_custom_frames_per_character_and_with_commas(void **state)
{
	struct style st;
	char buf[256];

	(void)state;
	assert_null(styles_parse_frames("ab\u4e16", &st, buf, sizeof(buf)));
	assert_int_equal(st.count, 3);
	assert_string_equal(st.frames[0], "a");
	assert_string_equal(st.frames[2], "\u4e16");
	assert_false(st.ascii);

	/* a combining mark stays with its base character */
	assert_null(styles_parse_frames("e\u0301o", &st, buf, sizeof(buf)));
	assert_int_equal(st.count, 2);
	assert_string_equal(st.frames[0], "e\u0301");

	assert_null(styles_parse_frames("[ ],[=],[==]", &st, buf,
	    sizeof(buf)));
	assert_int_equal(st.count, 3);
	assert_string_equal(st.frames[2], "[==]");
	assert_true(st.ascii);
}

static void
test_custom_frames_rejected(void **state)
{
	struct style st;
	char buf[16];
	char many[200];

	(void)state;
	assert_string_equal(styles_parse_frames("", &st, buf, sizeof(buf)),
	    "is empty");
	assert_string_equal(styles_parse_frames(",a", &st, buf, sizeof(buf)),
	    "has an empty frame");
	assert_string_equal(styles_parse_frames("a,", &st, buf, sizeof(buf)),
	    "has an empty frame");
	assert_string_equal(styles_parse_frames("a\nb", &st, buf,
	    sizeof(buf)), "contains a control character");
	assert_string_equal(styles_parse_frames("abcdefghijklmnopq", &st,
	    buf, sizeof(buf)), "is too long");
	/* drawn first, it would join the character before the frame */
	assert_string_equal(styles_parse_frames("\u0301x", &st, buf,
	    sizeof(buf)), "has a frame that starts with a character of no "
	    "width");
	assert_string_equal(styles_parse_frames("a,\u200b", &st, buf,
	    sizeof(buf)), "has a frame that starts with a character of no "
	    "width");
	memset(many, 'x', 130);
	many[130] = '\0';
	char big[512];
	assert_string_equal(styles_parse_frames(many, &st, big, sizeof(big)),
	    "has more than 64 frames");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_is_the_seeds_line),
		cmocka_unit_test(test_catalogue_has_every_named_style),
		cmocka_unit_test(
		    test_every_frame_is_printable_and_ascii_flag_is_true),
		cmocka_unit_test(
		    test_custom_frames_per_character_and_with_commas),
		cmocka_unit_test(test_custom_frames_rejected),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
