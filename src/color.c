#include "color.h"

#include <string.h>

/* Set, and not to an empty value: what NO_COLOR and the like ask. */
static bool
given(const char *v)
{
	return v != NULL && v[0] != '\0';
}

bool
color_enabled(enum color_when when, bool tty, const char *term,
    const char *no_color, const char *clicolor_force)
{
	switch (when) {
	case COLOR_ALWAYS:
		return true;
	case COLOR_NEVER:
		return false;
	case COLOR_AUTO:
	default:
		break;
	}
	if (given(no_color))
		return false;
	if (given(clicolor_force) && strcmp(clicolor_force, "0") != 0)
		return true;
	return tty && given(term) && strcmp(term, "dumb") != 0;
}

/* The bytes of s but its NUL, at at: inside a string, which goes on. */
static void
put(char *at, const char *s)
{
	while (*s != '\0')
		*at++ = *s++;
}

bool
color_paint(char *s, size_t size, size_t from, size_t len, const char *on,
    const char *off)
{
	size_t n = strlen(s), a = strlen(on), b = strlen(off);

	if (len == 0 || from > n || len > n - from || n + a + b >= size)
		return false;
	/* what follows first, then the part, each to where it ends up */
	memmove(s + from + a + len + b, s + from + len, n - from - len + 1);
	memmove(s + from + a, s + from, len);
	put(s + from, on);
	put(s + from + a + len, off);
	return true;
}

void
color_mark(char *s, size_t size, const char *mark, bool ok)
{
	size_t n = strlen(mark);

	if (strncmp(s, mark, n) == 0)
		color_paint(s, size, 0, n, ok ? COLOR_GREEN : COLOR_RED,
		    COLOR_FG_END);
}
