/*
 * options_duration(): the bytes up to the first NUL are a DURATION.  It
 * is accepted exactly when it reads as digits, an optional fraction and
 * an optional unit (ms, s, m, h) and comes to a positive number of
 * nanoseconds no greater than OPTIONS_DURATION_MAX; the value is the
 * number read to nine decimal places in its unit, rounded half up to the
 * nanosecond.  A reference worked out apart, unit by unit, says what to
 * expect, to the nanosecond, and which of the two complaints.
 */
#include <string.h>

#include "fuzz.h"
#include "options.h"

#define NS OPTIONS_NS_PER_SEC

enum verdict { BAD, OUT_OF_RANGE, VALUE };

/* What the reference makes of s: a value in *ns, or why not. */
static enum verdict
reference(const char *s, int64_t *ns)
{
	static const struct {
		const char *suffix;
		int64_t ns;
	} units[] = {
		{ "", NS }, { "ms", NS / 1000 }, { "s", NS }, { "m", 60 * NS },
		{ "h", 3600 * NS },
	};
	uint64_t whole = 0, nine = 0;	/* nine: the fraction in 1e-9 */
	size_t i = 0, digits = 0, places = 0;
	bool huge = false;

	for (; s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (whole >= UINT64_MAX / 100)
			huge = true;
		else
			whole = whole * 10 + (uint64_t)(s[i] - '0');
	}
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++, digits++)
			if (places < 9) {
				nine = nine * 10 + (uint64_t)(s[i] - '0');
				places++;
			}
	for (; places < 9; places++)
		nine *= 10;
	if (digits == 0)
		return BAD;
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		uint64_t unit = (uint64_t)units[u].ns, total;

		if (strcmp(s + i, units[u].suffix) != 0)
			continue;
		if (huge || whole > (uint64_t)OPTIONS_DURATION_MAX / unit)
			return OUT_OF_RANGE;
		if (unit < (uint64_t)NS)	/* ms: nine is in 1e-6 ns */
			total = whole * unit + (nine + 500) / 1000;
		else
			total = whole * unit + nine * (unit / (uint64_t)NS);
		if (total > (uint64_t)OPTIONS_DURATION_MAX)
			return OUT_OF_RANGE;
		if (total == 0)
			return BAD;
		*ns = (int64_t)total;
		return VALUE;
	}
	return BAD;
}

void
fuzz_duration_one(const uint8_t *data, size_t size)
{
	char s[4096];
	size_t len = strnlen((const char *)data, size);
	int64_t ns = -1, want = -1;
	const char *why;

	if (len >= sizeof(s))
		return;		/* the argument of an option: short */
	memcpy(s, data, len);
	s[len] = '\0';
	why = options_duration(s, &ns);
	switch (reference(s, &want)) {
	case BAD:
		FUZZ_CHECK(why != NULL &&
		    strcmp(why, "is not a positive duration") == 0);
		FUZZ_CHECK(ns == -1);	/* untouched */
		break;
	case OUT_OF_RANGE:
		FUZZ_CHECK(why != NULL && strcmp(why, "is out of range") == 0);
		FUZZ_CHECK(ns == -1);
		break;
	case VALUE:
		FUZZ_CHECK(why == NULL);
		FUZZ_CHECK(ns == want);
		break;
	}
}
