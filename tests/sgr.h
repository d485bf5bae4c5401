/*
 * The colours the spinner paints its own lines with (color.h), taken
 * out again: what a line shows is the same painted or not.
 */
#ifndef SGR_H
#define SGR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/*
 * Copy s to out (size bytes) without its SGR sequences.  False when s
 * holds any other escape, an SGR that is not one of ours (32 or 31 ended
 * by 39, 2 ended by 22), one begun twice or not ended by the end, or
 * when out is too small.
 */
static inline bool
sgr_unpaint(const char *s, char *out, size_t size)
{
	static const struct {
		const char *seq;
		int fg, dim;	/* +1 begins it, -1 ends it */
	} ours[] = {
		{ "\033[32m", 1, 0 }, { "\033[31m", 1, 0 },
		{ "\033[39m", -1, 0 }, { "\033[2m", 0, 1 },
		{ "\033[22m", 0, -1 },
	};
	int fg = 0, dim = 0;
	size_t n = 0;

	while (*s != '\0') {
		size_t i;

		if (*s != '\033') {
			if (n + 1 >= size)
				return false;
			out[n++] = *s++;
			continue;
		}
		for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
			if (strncmp(s, ours[i].seq, strlen(ours[i].seq)) == 0)
				break;
		if (i == sizeof(ours) / sizeof(ours[0]))
			return false;
		fg += ours[i].fg;
		dim += ours[i].dim;
		if (fg < 0 || fg > 1 || dim < 0 || dim > 1)
			return false;
		s += strlen(ours[i].seq);
	}
	if (size == 0)
		return false;
	out[n] = '\0';
	return fg == 0 && dim == 0;
}

#endif
