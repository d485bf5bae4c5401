#include "kept.h"

#include <stdlib.h>
#include <string.h>

void
kept_put(struct kept *k, const char *data, size_t n)
{
	while (n > 0) {
		size_t take;

		if (k->len == k->cap && k->dropped == 0 &&
		    k->cap < KEPT_MAX) {
			size_t cap = k->cap == 0 ? 65536 : 2 * k->cap;
			char *more = realloc(k->buf, cap);

			if (more != NULL) {
				k->buf = more;
				k->cap = cap;
			}
		}
		if (k->cap == 0) {	/* not even a first buffer */
			k->dropped += n;
			return;
		}
		if (k->len < k->cap) {
			take = n < k->cap - k->len ? n : k->cap - k->len;
			memcpy(k->buf + k->len, data, take);
			k->len += take;
		} else {		/* full: over the oldest */
			take = n < k->cap - k->head ? n : k->cap - k->head;
			memcpy(k->buf + k->head, data, take);
			k->head = (k->head + take) % k->cap;
			k->dropped += take;
		}
		data += take;
		n -= take;
	}
}

static void
reverse(char *buf, size_t n)
{
	for (size_t i = 0; i + 1 < n - i; i++) {
		char c = buf[i];

		buf[i] = buf[n - 1 - i];
		buf[n - 1 - i] = c;
	}
}

const char *
kept_text(struct kept *k, size_t *len, uint64_t *dropped)
{
	size_t from = 0;

	*len = 0;
	*dropped = k->dropped;
	if (k->len == 0)
		return k->buf;
	/* in order, the oldest byte first: a rotation by three reversals */
	reverse(k->buf, k->head);
	reverse(k->buf + k->head, k->len - k->head);
	reverse(k->buf, k->len);
	k->head = 0;
	if (k->dropped > 0) {
		const char *nl = memchr(k->buf, '\n', k->len);

		from = nl != NULL ? (size_t)(nl - k->buf) + 1 : 0;
		*dropped += from;
	}
	*len = k->len - from;
	return k->buf + from;
}

void
kept_free(struct kept *k)
{
	free(k->buf);
	*k = (struct kept){ NULL, 0, 0, 0, 0 };
}
