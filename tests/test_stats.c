/* stats: the --stats line, its form and its sums. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/resource.h>

#include "harness.h"
#include "stats.h"

#define MS INT64_C(1000000)

static struct rusage
usage(void)
{
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	ru.ru_utime = (struct timeval){ 1, 250000 };
	ru.ru_stime = (struct timeval){ 0, 5 };
	ru.ru_maxrss = 1712;
	ru.ru_nvcsw = 14;
	return ru;
}

static void
test_one_line_of_every_key_in_order(void **state)
{
	struct stats s = { .start = 1000 * MS, .frames = 12, .threads = 2 };
	struct rusage ru = usage();
	char buf[STATS_BUF];
	size_t n;

	(void)state;
	stats_work_end(&s, 2100 * MS);
	stats_wiped(&s, 2100 * MS + 62000);
	n = stats_format(buf, sizeof(buf), "spinner-thread", &s, 2204 * MS,
	    &ru);
	assert_string_equal(buf, "spinner-thread: stats frames=12 "
	    "wall_s=1.204000 stop_ms=0.062 user_s=1.250000 sys_s=0.000005 "
	    "maxrss_kib=1712 threads=2 wakeups=14\n");
	assert_int_equal(n, strlen(buf));
}

static void
test_tasks_add_their_three_keys(void **state)
{
	struct stats s = { .start = 0, .frames = 3, .threads = 1,
		.tasks = true, .started = 10, .failed = 1, .most = 4 };
	struct rusage ru = usage();
	char buf[STATS_BUF];
	struct h_stats h;

	(void)state;
	stats_format(buf, sizeof(buf), "spinner-async", &s, 5 * MS, &ru);
	assert_true(h_stats(buf, strlen(buf), "spinner-async", true, &h));
	assert_int_equal((int)h.v[H_TASKS_STARTED], 10);
	assert_int_equal((int)h.v[H_TASKS_FAILED], 1);
	assert_int_equal((int)h.v[H_TASKS_MOST], 4);
	assert_int_equal((int)h.v[H_THREADS], 1);
}

/* The first end counts; a wipe before the end is not a stop. */
static void
test_stop_latency_from_the_first_end_to_the_wipe_after_it(void **state)
{
	struct stats s = { 0 };
	struct rusage ru = usage();
	char buf[STATS_BUF];
	struct h_stats h;

	(void)state;
	stats_wiped(&s, 5 * MS);	/* ^Z's wipe, the work going on */
	stats_work_end(&s, 10 * MS);
	stats_work_end(&s, 11 * MS);
	stats_wiped(&s, 13 * MS);
	stats_wiped(&s, 20 * MS);
	stats_format(buf, sizeof(buf), "p", &s, 30 * MS, &ru);
	assert_true(h_stats(buf, strlen(buf), "p", false, &h));
	assert_true(h.v[H_STOP_MS] == 3.0);

	/* nothing wiped (no frame shown): to the line itself */
	memset(&s, 0, sizeof(s));
	stats_work_end(&s, 10 * MS);
	stats_format(buf, sizeof(buf), "p", &s, 12 * MS, &ru);
	assert_true(h_stats(buf, strlen(buf), "p", false, &h));
	assert_true(h.v[H_STOP_MS] == 2.0);
}

static void
test_a_short_buffer_is_cut_never_overrun(void **state)
{
	struct stats s = { .tasks = true };
	struct rusage ru = usage();
	char buf[40];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	for (size_t size = 1; size <= sizeof(buf); size++) {
		size_t n = stats_format(buf, size, "spinner-thread", &s, 0,
		    &ru);
		assert_true(n < size);
		assert_int_equal(strlen(buf), n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line_of_every_key_in_order),
		cmocka_unit_test(test_tasks_add_their_three_keys),
		cmocka_unit_test(
		    test_stop_latency_from_the_first_end_to_the_wipe_after_it),
		cmocka_unit_test(test_a_short_buffer_is_cut_never_overrun),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
