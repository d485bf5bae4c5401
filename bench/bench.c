/*
 * Measurements of the built binaries, side by side in one table; never
 * asserted by tests, each figure set against its target.
 *
 *   start     1. the demo's start and stop beyond its delay, beside true
 *   stop      2. from the slow work's end to the line wiped, -i 1/0.1/0.01
 *   spin      3, 5, 6. at -i 0.01 beside the floor (floor.c) on the same
 *             pty: CPU per 1,000 frames, peak and private memory, drift
 *   syscalls  4. system calls per frame, under strace -f
 *   pipe      7. a stream through "BIN -- cat" against cat alone
 *   relay     7. COMMAND's lines to the terminal through the relay
 *   true      8. 10,000 x true at -j 1, 16, 256, beside xargs and parallel
 *   sleep     9. 10,000 x sleep 1 at -j 0: time, memory, threads, CPU
 *   flood     10. 100 tasks flooding output, on a pty: redraws, throughput
 *   limits    20,000 x sleep 5 at -j 0, where each binary stops starting
 *             more (only when named: it uses up the machine's pids)
 *
 * Usage: bench [-q] [-o PART[,PART...]] [-r RESULTS] [-F FLOOR] BIN ...
 *   -q  quick: fewer runs and tasks, under a minute, said so
 *   -o  only these parts; RESULTS is then left as it was
 *   -r  write the table and the machine to RESULTS too
 *   -F  the floor program (default: floor beside the first BIN)
 */
#define _DEFAULT_SOURCE

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

struct plan plan;
struct bin bins[NBIN];
int nbins;
const char *floor_path;

static const struct plan full = {
	.runs = 10, .spin_d = 10.2, .drift_frames = 1000, .strace_d = 0.6,
	.pipe_bytes = (size_t)1 << 30, .relay_lines = 300000,
	.tasks = 10000, .par_tasks = 300, .flood_tasks = 100,
	.flood_lines = 300000,
};
/* under a minute in all on two cores */
static const struct plan quick = {
	.quick = 1, .runs = 3, .spin_d = 1.1, .drift_frames = 100,
	.strace_d = 0.5, .pipe_bytes = (size_t)128 << 20,
	.relay_lines = 300000, .tasks = 200, .par_tasks = 30,
	.flood_tasks = 30, .flood_lines = 500000,
};

static const struct {
	const char *name;
	void (*run)(void);
} parts[] = {
	{ "start", bench_start },
	{ "stop", bench_stop },
	{ "spin", bench_spin },
	{ "syscalls", bench_syscalls },
	{ "pipe", bench_pipe },
	{ "relay", bench_relay },
	{ "true", bench_true },
	{ "sleep", bench_sleep },
	{ "flood", bench_flood },
	{ "limits", bench_limits },	/* only when named */
};
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

/* Whether binary b prints a stats line with --stats (one lands soon). */
static int
takes_stats(int b)
{
	char *argv[] = { (char *)bins[b].path, "--stats", "-d", "0.05",
	    NULL };
	struct run r = { 0 };
	struct stats st;
	int yes;

	r.np = 1;
	r.p[0].argv = argv;
	r.in = r.out = r.err = IO_PTY;
	run(&r);
	yes = r.p[0].status == 0 && stats_parse(r.text, r.len, &st) &&
	    st.have & 1u << ST_FRAMES;
	run_free(&r);
	return yes;
}

static int
named(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p != NULL && *p != '\0';) {
		size_t l = strcspn(p, ",");

		if (l == n && strncmp(p, name, n) == 0)
			return 1;
		p += l + (p[l] == ',');
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench [-q] [-o part[,part...]] [-r results] "
	    "[-F floor] bin ...\nparts:");
	for (size_t i = 0; i < NPARTS; i++)
		fprintf(stderr, " %s", parts[i].name);
	fprintf(stderr, "\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *only = NULL, *results = NULL;
	static char floor_buf[4096];
	double t0;
	int c;

	while ((c = getopt(argc, argv, "qo:r:F:")) != -1)
		switch (c) {
		case 'q':
			plan.quick = 1;
			break;
		case 'o':
			only = optarg;
			break;
		case 'r':
			results = optarg;
			break;
		case 'F':
			floor_path = optarg;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > NBIN)
		usage();
	if (only != NULL)
		for (const char *p = only; *p != '\0';) {
			size_t l = strcspn(p, ","), i;

			for (i = 0; i < NPARTS; i++)
				if (strlen(parts[i].name) == l &&
				    strncmp(p, parts[i].name, l) == 0)
					break;
			if (i == NPARTS) {
				fprintf(stderr, "bench: no part %.*s\n",
				    (int)l, p);
				usage();
			}
			p += l + (p[l] == ',');
		}
	plan = plan.quick ? quick : full;
	if (stats_selftest() != 0) {
		fprintf(stderr, "bench: the stats line parser misreads its "
		    "own examples\n");
		return 1;
	}
	/* a reader gone must not kill us; each child takes SIGPIPE back */
	signal(SIGPIPE, SIG_IGN);
	machine_start();
	for (int i = 0; i < argc; i++) {
		const char *slash = strrchr(argv[i], '/');

		bins[i].path = argv[i];
		bins[i].name = slash != NULL ? slash + 1 : argv[i];
		bins[i].async = strstr(bins[i].name, "async") != NULL;
		if (access(argv[i], X_OK) != 0) {
			perror(argv[i]);
			return 1;
		}
	}
	nbins = argc;
	if (floor_path == NULL) {
		const char *slash = strrchr(bins[0].path, '/');

		snprintf(floor_buf, sizeof(floor_buf), "%.*sfloor",
		    slash != NULL ? (int)(slash - bins[0].path + 1) : 0,
		    bins[0].path);
		floor_path = floor_buf;
	}
	if (access(floor_path, X_OK) != 0) {
		perror(floor_path);
		return 1;
	}
	for (int b = 0; b < nbins; b++)
		if (!(bins[b].stats = takes_stats(b)))
			note("%s does not take --stats yet: its stop_ms, "
			    "threads, tasks at once and own CPU are n/a.",
			    bins[b].name);
	if (plan.quick)
		note("QUICK: %d runs a figure (not 10), %d tasks in parts 8 "
		    "and 9 (not 10,000), %zu MiB through cat (not 1 GiB).",
		    plan.runs, plan.tasks, plan.pipe_bytes >> 20);
	if (plan.quick)
		progress("QUICK: fewer runs and tasks, not figures to quote");

	t0 = now();
	for (size_t i = 0; i < NPARTS; i++)
		if (only == NULL ? parts[i].run != bench_limits :
		    named(only, parts[i].name)) {
			double t = now();

			parts[i].run();
			progress("%s took %.1f s", parts[i].name, now() - t);
		}
	/* one part alone would leave a table with holes in the file */
	if (only != NULL && results != NULL) {
		note("Only %s: %s left as it was.", only, results);
		results = NULL;
	}
	table_print(results, only, now() - t0);
	return 0;
}
