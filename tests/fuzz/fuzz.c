/* Helpers the fuzz targets share. */
#include "fuzz.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void
fuzz_locale(bool utf8)
{
	static locale_t loc[2];
	locale_t *l = &loc[utf8];

	if (*l == (locale_t)0)
		*l = newlocale(LC_CTYPE_MASK, utf8 ? "C.UTF-8" : "C",
		    (locale_t)0);
	FUZZ_CHECK(*l != (locale_t)0);
	uselocale(*l);
}

void
fuzz_locale_end(void)
{
	uselocale(LC_GLOBAL_LOCALE);
}

bool
fuzz_text(const char *s, size_t len, size_t *cols, bool *lead_zero)
{
	mbstate_t st;
	size_t i = 0;

	memset(&st, 0, sizeof(st));
	*cols = 0;
	*lead_zero = false;
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			return false;
		for (size_t j = i; j < i + n; j++)
			if ((unsigned char)s[j] < 0x20 ||
			    (unsigned char)s[j] == 0x7f)
				return false;
		if ((w = wcwidth(wc)) < 0)
			return false;
		if (i == 0 && w == 0)
			*lead_zero = true;
		*cols += (size_t)w;
		i += n;
	}
	return true;
}

size_t
fuzz_split(const uint8_t *data, size_t size, char **copy, char **piece,
    size_t max)
{
	size_t n = 0;

	*copy = malloc(size + 1);
	FUZZ_CHECK(*copy != NULL);
	if (size > 0)
		memcpy(*copy, data, size);
	(*copy)[size] = '\0';
	if (size == 0)
		return 0;
	for (char *p = *copy; n < max && p <= *copy + size;
	    p += strlen(p) + 1)
		piece[n++] = p;
	return n;
}
