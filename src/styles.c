/*
 * The catalogue of named frame sets.  Frames of the well-known sets follow
 * the cli-spinners collection, so they look as users of ora or gum expect;
 * "line" keeps the seed's order, | / - \.
 */
#include "styles.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static const struct style catalogue[] = {
	{ "line", { "|", "/", "-", "\\" }, 4, true },
	{ "dots", { "\u280b", "\u2819", "\u2839", "\u2838", "\u283c",
	    "\u2834", "\u2826", "\u2827", "\u2807", "\u280f" }, 10, false },
	{ "dots2", { "\u28fe", "\u28fd", "\u28fb", "\u28bf", "\u287f",
	    "\u28df", "\u28ef", "\u28f7" }, 8, false },
	{ "arc", { "\u25dc", "\u25e0", "\u25dd", "\u25de", "\u25e1",
	    "\u25df" }, 6, false },
	{ "circle", { "\u25e1", "\u2299", "\u25e0" }, 3, false },
	{ "pipe", { "\u2524", "\u2518", "\u2534", "\u2514", "\u251c",
	    "\u250c", "\u252c", "\u2510" }, 8, false },
	{ "bouncingBar", { "[    ]", "[=   ]", "[==  ]", "[=== ]",
	    "[ ===]", "[  ==]", "[   =]", "[    ]", "[   =]", "[  ==]",
	    "[ ===]", "[====]", "[=== ]", "[==  ]", "[=   ]" }, 15, true },
	{ "simpleDots", { ".  ", ".. ", "...", "   " }, 4, true },
	{ "moon", { "\U0001f311", "\U0001f312", "\U0001f313", "\U0001f314",
	    "\U0001f315", "\U0001f316", "\U0001f317", "\U0001f318" }, 8,
	    false },
	{ "clock", { "\U0001f55b", "\U0001f550", "\U0001f551", "\U0001f552",
	    "\U0001f553", "\U0001f554", "\U0001f555", "\U0001f556",
	    "\U0001f557", "\U0001f558", "\U0001f559", "\U0001f55a" }, 12,
	    false },
	{ "earth", { "\U0001f30d", "\U0001f30e", "\U0001f30f" }, 3, false },
};

const struct style *
styles_default(void)
{
	return &catalogue[0];
}

const struct style *
styles_find(const char *name)
{
	for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		if (strcmp(catalogue[i].name, name) == 0)
			return &catalogue[i];
	return NULL;
}

const struct style *
styles_at(size_t i)
{
	if (i >= sizeof(catalogue) / sizeof(catalogue[0]))
		return NULL;
	return &catalogue[i];
}

const struct style *
styles_for_locale(const struct style *st, bool utf8)
{
	if (utf8 || st->ascii)
		return st;
	for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		if (st == &catalogue[i])
			return styles_default();
	return st;	/* custom frames */
}

/* Length of the character at s plus the zero-width marks that follow it. */
static size_t
char_span(const char *s, size_t left)
{
	mbstate_t st;
	size_t used = 0;
	bool base = true;

	memset(&st, 0, sizeof(st));
	while (used < left) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + used, left - used, &st);

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			if (base)
				used++;	/* an undecodable byte stands alone */
			break;
		}
		if (!base && wcwidth(wc) != 0)
			break;
		used += n;
		base = false;
	}
	return used;
}

/*
 * Why no frame of st may be drawn, or NULL: a frame that starts with a
 * character of no width (a combining mark, a zero-width space) would be
 * drawn on the character before the cursor, COMMAND's, and left there.
 */
static const char *
check_frames(const struct style *st)
{
	for (size_t i = 0; i < st->count; i++) {
		const char *f = st->frames[i];
		mbstate_t mb;
		wchar_t wc;
		size_t n;

		memset(&mb, 0, sizeof(mb));
		n = mbrtowc(&wc, f, strlen(f), &mb);
		if (n != (size_t)-1 && n != (size_t)-2 && n != 0 &&
		    wcwidth(wc) == 0)
			return "has a frame that starts with a character of "
			    "no width";
	}
	return NULL;
}

const char *
styles_parse_frames(const char *spec, struct style *out, char *buf,
    size_t bufsize)
{
	size_t len = strlen(spec);

	if (len == 0)
		return "is empty";
	if (len >= bufsize)
		return "is too long";
	for (const unsigned char *p = (const unsigned char *)spec; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	memcpy(buf, spec, len + 1);
	memset(out, 0, sizeof(*out));
	out->name = "custom";
	out->ascii = true;
	for (const unsigned char *p = (const unsigned char *)buf; *p; p++)
		if (*p >= 0x80)
			out->ascii = false;

	if (strchr(buf, ',') != NULL) {
		char *p = buf;

		for (;;) {
			char *comma = strchr(p, ',');

			if (comma != NULL)
				*comma = '\0';
			if (*p == '\0')
				return "has an empty frame";
			if (out->count == STYLES_MAX_FRAMES)
				return "has more than 64 frames";
			out->frames[out->count++] = p;
			if (comma == NULL)
				break;
			p = comma + 1;
		}
		return check_frames(out);
	}

	/* One frame per character: move each one down a byte to end it. */
	size_t n = 0, w = 0;
	char *tmp = malloc(len + 1);

	if (tmp == NULL)
		return "is too long";
	memcpy(tmp, buf, len + 1);
	while (n < len) {
		size_t span = char_span(tmp + n, len - n);

		if (out->count == STYLES_MAX_FRAMES) {
			free(tmp);
			return "has more than 64 frames";
		}
		if (w + span + 1 > bufsize) {
			free(tmp);
			return "is too long";
		}
		memcpy(buf + w, tmp + n, span);
		buf[w + span] = '\0';
		out->frames[out->count++] = buf + w;
		w += span + 1;
		n += span;
	}
	free(tmp);
	return check_frames(out);
}
