/*
 * Output kept for the end (--output failed, all): the last KEPT_MAX
 * bytes of it, in a buffer that grows to that size and then goes round.
 * Pure: no I/O.
 */
#ifndef KEPT_H
#define KEPT_H

#include <stddef.h>
#include <stdint.h>

#define KEPT_MAX (4u << 20)	/* bytes kept of one COMMAND's or task's */

struct kept {
	char *buf;
	size_t cap;		/* allocated */
	size_t len;		/* held */
	size_t head;		/* the oldest byte, once it went round */
	uint64_t dropped;	/* bytes left out, the oldest */
};

/* Keep data[0..n), dropping the oldest bytes past KEPT_MAX. */
void kept_put(struct kept *k, const char *data, size_t n);

/*
 * What is kept, in order, from the first whole line when the start was
 * dropped: *len bytes at the result; *dropped, the bytes left out.
 */
const char *kept_text(struct kept *k, size_t *len, uint64_t *dropped);

void kept_free(struct kept *k);

#endif
