/*
 * Fuzz targets: each takes any bytes, runs a parser or the renderer on
 * them and checks what the code promises, failing through fuzz_fail().
 * libfuzzer.c runs one under libFuzzer (make fuzz); test_fuzz_corpus.c
 * replays the seeds of tests/fuzz/<target>/ through all of them (make
 * test).  Each target says at its top how it reads its input.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A broken promise: report it and stop (defined by whoever runs us). */
_Noreturn void fuzz_fail(const char *file, int line, const char *what);

#define FUZZ_CHECK(c) ((c) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #c))

void fuzz_options_one(const uint8_t *data, size_t size);
void fuzz_duration_one(const uint8_t *data, size_t size);
void fuzz_render_one(const uint8_t *data, size_t size);
void fuzz_output_one(const uint8_t *data, size_t size);

/* --- helpers (fuzz.c) */

/*
 * This thread's LC_CTYPE: C.UTF-8 or C.  Cheap (uselocale), so a target
 * may choose it from its input; fuzz_locale_end() puts the global back.
 */
void fuzz_locale(bool utf8);
void fuzz_locale_end(void);

/*
 * Whether s[0..len) is whole characters of the locale, each printable
 * (no C0 or C1 control, no DEL, no byte that does not decode); their
 * columns in *cols.  *lead_zero tells that the first one takes none.
 */
bool fuzz_text(const char *s, size_t len, size_t *cols, bool *lead_zero);

/*
 * data[0..size) as strings split at NUL bytes, in a copy the caller frees:
 * at most max of them in piece[], their number returned.  No bytes, no
 * string.
 */
size_t fuzz_split(const uint8_t *data, size_t size, char **copy,
    char **piece, size_t max);

#endif
