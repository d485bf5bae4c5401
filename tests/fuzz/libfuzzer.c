/*
 * libFuzzer's entry point for one target, named at build time:
 * -DFUZZ_TARGET=options runs fuzz_options_one().  A broken promise
 * aborts, so libFuzzer keeps the input that broke it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

#define ONE(t) ONE_(t)
#define ONE_(t) fuzz_##t##_one

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ONE(FUZZ_TARGET)(data, size);
	return 0;
}
