/*
 * --stats: what a run cost, one line of key=value pairs on stderr at its
 * end, for people comparing the two binaries and their peers:
 *
 *   spinner-thread: stats frames=12 wall_s=1.204113 stop_ms=0.062
 *   user_s=0.001812 sys_s=0.003120 maxrss_kib=1712 threads=2 wakeups=14
 *   [tasks_started=N tasks_failed=N tasks_most=N]
 *
 * (one line).  The engine or the batch counts what it sees (frames, the
 * slow work's end, the line wiped after it); the front end counts its
 * threads; the kernel answers the rest (getrusage).
 */
#ifndef STATS_H
#define STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#define STATS_BUF 512

struct stats {
	int64_t start;		/* the run's start, on engine_now()'s clock */
	uint64_t frames;	/* frames written to the terminal */
	int64_t work_end;	/* the slow work ended, or 0 */
	int64_t wiped;		/* the line wiped after it, or 0 */
	unsigned threads;	/* most at once; 0: those alive at the end */
	bool tasks;		/* many commands: the counts below */
	size_t started;		/* tasks started */
	size_t failed;		/* tasks that did not succeed */
	size_t most;		/* tasks running at once, at most */
};

/*
 * The slow work ended at t (the first call counts); the line is wiped at
 * t.  Both no-ops once set.
 */
void stats_work_end(struct stats *s, int64_t t);
void stats_wiped(struct stats *s, int64_t t);

/*
 * The line for s at now with the usage ru (of every thread), with prog's
 * name, ending in a newline; its length.  Stop latency: from the work's
 * end to the wipe, or to now when nothing was wiped (no frame shown).
 */
size_t stats_format(char *buf, size_t size, const char *prog,
    const struct stats *s, int64_t now, const struct rusage *ru);

/* Write the line for s now on stderr. */
void stats_print(const struct stats *s, int64_t now);

#endif
