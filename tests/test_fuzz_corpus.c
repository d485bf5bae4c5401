/*
 * fuzz corpus: every seed of tests/fuzz/<target>/ run through its
 * target's checks (tests/fuzz/fuzz_<target>.c), without libFuzzer, so
 * that make test holds each target to what it found once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"

#define SEED_MAX (64 * 1024)

static char seed_path[512];

void
fuzz_fail(const char *file, int line, const char *what)
{
	fail_msg("%s:%d: check failed: %s (seed %s)", file, line, what,
	    seed_path);
	abort();	/* not reached: cmocka jumps out of the test */
}

/* Run every file of tests/fuzz/<name> through one; how many there were. */
static size_t
replay(const char *name, void (*one)(const uint8_t *, size_t))
{
	static uint8_t data[SEED_MAX];
	char dir[256];
	struct dirent *de;
	size_t seeds = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "tests/fuzz/%s", name);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		FILE *fp;
		size_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(seed_path, sizeof(seed_path), "%s/%s", dir,
		    de->d_name);
		fp = fopen(seed_path, "rb");
		assert_non_null(fp);
		n = fread(data, 1, sizeof(data), fp);
		assert_int_equal(ferror(fp), 0);
		fclose(fp);
		one(data, n);
		seeds++;
	}
	closedir(d);
	return seeds;
}

static void
test_every_options_seed_parses_as_promised(void **state)
{
	(void)state;
	assert_true(replay("options", fuzz_options_one) > 0);
}

static void
test_every_duration_seed_reads_as_the_reference(void **state)
{
	(void)state;
	assert_true(replay("duration", fuzz_duration_one) > 0);
}

static void
test_every_render_seed_fits_clean_and_whole(void **state)
{
	(void)state;
	assert_true(replay("render", fuzz_render_one) > 0);
}

static void
test_every_output_seed_splits_the_same_and_draws_safely(void **state)
{
	(void)state;
	assert_true(replay("output", fuzz_output_one) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_options_seed_parses_as_promised),
		cmocka_unit_test(
		    test_every_duration_seed_reads_as_the_reference),
		cmocka_unit_test(test_every_render_seed_fits_clean_and_whole),
		cmocka_unit_test(
		    test_every_output_seed_splits_the_same_and_draws_safely),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
