/*
 * Named frame sets, and custom frames given on the command line.
 */
#ifndef STYLES_H
#define STYLES_H

#include <stdbool.h>
#include <stddef.h>

#define STYLES_MAX_FRAMES 64

struct style {
	const char *name;
	const char *frames[STYLES_MAX_FRAMES];
	size_t count;
	bool ascii;	/* every frame is plain ASCII */
};

/* The default style: the seed's "|/-\". */
const struct style *styles_default(void);

/* The style called name, or NULL. */
const struct style *styles_find(const char *name);

/* The i-th style of the catalogue, or NULL past the end. */
const struct style *styles_at(size_t i);

/*
 * The style to draw st with: a named style that is not plain ASCII falls
 * back to the default outside UTF-8; custom frames are drawn as given.
 */
const struct style *styles_for_locale(const struct style *st, bool utf8);

/*
 * Split spec into frames stored in out (its strings point into buf, a copy
 * of spec of bufsize bytes).  With a comma in spec, frames are separated by
 * commas; otherwise each character (with any combining marks after it) is a
 * frame.  Returns NULL, or why spec is not acceptable.
 */
const char *styles_parse_frames(const char *spec, struct style *out,
    char *buf, size_t bufsize);

#endif
