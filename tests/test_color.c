/* color: whether to colour, row by row of its precedence, and painting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "color.h"

/* auto on a terminal with TERM=xterm, NO_COLOR and CLICOLOR_FORCE as given */
static bool
on_xterm(const char *no_color, const char *force)
{
	return color_enabled(COLOR_AUTO, true, "xterm", no_color, force);
}

/* auto off a terminal, TERM unset */
static bool
off_a_terminal(const char *no_color, const char *force)
{
	return color_enabled(COLOR_AUTO, false, NULL, no_color, force);
}

static void
test_always_or_never_given_wins_over_the_environment(void **state)
{
	(void)state;
	assert_true(color_enabled(COLOR_ALWAYS, false, NULL, NULL, NULL));
	assert_true(color_enabled(COLOR_ALWAYS, false, "dumb", "1", "0"));
	assert_true(color_enabled(COLOR_ALWAYS, true, "xterm", "1", NULL));
	assert_false(color_enabled(COLOR_NEVER, true, "xterm", NULL, NULL));
	assert_false(color_enabled(COLOR_NEVER, true, "xterm", NULL, "1"));
	assert_false(color_enabled(COLOR_NEVER, false, NULL, "", "1"));
}

static void
test_no_color_set_and_not_empty_turns_it_off(void **state)
{
	(void)state;
	assert_false(on_xterm("1", NULL));
	assert_false(on_xterm("0", NULL));	/* any value but empty */
	assert_false(on_xterm("no", NULL));
	/* set but empty: as unset */
	assert_true(on_xterm("", NULL));
	/* and before CLICOLOR_FORCE */
	assert_false(on_xterm("1", "1"));
	assert_false(off_a_terminal("1", "1"));
}

static void
test_clicolor_force_turns_it_on_even_off_a_terminal(void **state)
{
	(void)state;
	assert_true(off_a_terminal(NULL, "1"));
	assert_true(off_a_terminal(NULL, "yes"));
	assert_true(off_a_terminal("", "1"));
	assert_true(color_enabled(COLOR_AUTO, true, "dumb", NULL, "1"));
	/* "0" and empty force nothing: auto decides */
	assert_false(off_a_terminal(NULL, "0"));
	assert_false(off_a_terminal(NULL, ""));
	assert_true(on_xterm(NULL, "0"));
	assert_true(on_xterm(NULL, ""));
}

static void
test_auto_colours_a_terminal_with_a_term_not_dumb(void **state)
{
	static const char *const terms[] = { "xterm", "xterm-256color",
		"linux", "vt100", "screen", "unknown-terminal" };

	(void)state;
	for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++) {
		assert_true(color_enabled(COLOR_AUTO, true, terms[i], NULL,
		    NULL));
		assert_false(color_enabled(COLOR_AUTO, false, terms[i], NULL,
		    NULL));
	}
	assert_false(color_enabled(COLOR_AUTO, true, "dumb", NULL, NULL));
	assert_false(color_enabled(COLOR_AUTO, true, "", NULL, NULL));
	assert_false(color_enabled(COLOR_AUTO, true, NULL, NULL, NULL));
	assert_false(off_a_terminal(NULL, NULL));
}

static void
test_paint_puts_the_escapes_around_the_part_alone(void **state)
{
	char s[32];

	(void)state;
	strcpy(s, "abcdef");
	assert_true(color_paint(s, sizeof(s), 2, 3, "<", ">>"));
	assert_string_equal(s, "ab<cde>>f");
	strcpy(s, "abc");
	assert_true(color_paint(s, sizeof(s), 0, 3, COLOR_DIM,
	    COLOR_DIM_END));
	assert_string_equal(s, "\033[2mabc\033[22m");
	/* room for exactly the escapes and the NUL */
	strcpy(s, "abc");
	assert_true(color_paint(s, 3 + 2 + 1, 1, 1, "[", "]"));
	assert_string_equal(s, "a[b]c");
}

static void
test_paint_leaves_the_line_without_the_part_or_room(void **state)
{
	char s[32];

	(void)state;
	strcpy(s, "abc");
	assert_false(color_paint(s, sizeof(s), 1, 0, "<", ">"));
	assert_false(color_paint(s, sizeof(s), 4, 1, "<", ">"));
	assert_false(color_paint(s, sizeof(s), 2, 2, "<", ">"));
	assert_false(color_paint(s, 3 + 2, 1, 1, "<", ">"));
	assert_string_equal(s, "abc");
}

static void
test_mark_is_painted_green_or_red_only_when_whole(void **state)
{
	char s[64];

	(void)state;
	strcpy(s, "\u2714 build (1.2s)");
	color_mark(s, sizeof(s), "\u2714", true);
	assert_string_equal(s, COLOR_GREEN "\u2714" COLOR_FG_END
	    " build (1.2s)");
	strcpy(s, "x build (exit 2, 1.2s)");
	color_mark(s, sizeof(s), "x", false);
	assert_string_equal(s, COLOR_RED "x" COLOR_FG_END
	    " build (exit 2, 1.2s)");
	/* cut to an ellipsis: no mark left to paint */
	strcpy(s, "\u2026");
	color_mark(s, sizeof(s), "\u2714", true);
	assert_string_equal(s, "\u2026");
	strcpy(s, "");
	color_mark(s, sizeof(s), "v", true);
	assert_string_equal(s, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_always_or_never_given_wins_over_the_environment),
		cmocka_unit_test(test_no_color_set_and_not_empty_turns_it_off),
		cmocka_unit_test(
		    test_clicolor_force_turns_it_on_even_off_a_terminal),
		cmocka_unit_test(
		    test_auto_colours_a_terminal_with_a_term_not_dumb),
		cmocka_unit_test(
		    test_paint_puts_the_escapes_around_the_part_alone),
		cmocka_unit_test(
		    test_paint_leaves_the_line_without_the_part_or_room),
		cmocka_unit_test(
		    test_mark_is_painted_green_or_red_only_when_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
