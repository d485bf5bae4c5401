/*
 * The measurements' common parts: running a program on a pseudo-terminal
 * or off one and keeping what it wrote (run.c), the --stats line
 * (stats.c), figures of several runs and the one table (table.c).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#define MAXRUNS 32
#define NBIN 2		/* spinner-thread and spinner-async, the columns */

/* --- what the whole measurement is asked to do (bench.c) */
struct plan {
	int quick;		/* QUICK=1: fewer runs and tasks */
	int runs;		/* runs of each figure */
	double spin_d;		/* -d of the steady runs at -i 0.01 */
	int drift_frames;	/* frame k after the first, for the drift */
	double strace_d;	/* -d of the runs under strace */
	size_t pipe_bytes;	/* through BIN -- cat */
	int relay_lines;	/* seq 1 N through the relay */
	int tasks;		/* tasks of parts 8 and 9 */
	int par_tasks;		/* the same for GNU parallel, the slow peer */
	int flood_tasks;	/* tasks of part 10 */
	int flood_lines;	/* seq 1 N in each */
};

struct bin {
	const char *path;
	const char *name;	/* its base name, the column's head */
	int stats;		/* takes --stats */
	int async;		/* the loop: its own memory target */
};

extern struct plan plan;
extern struct bin bins[NBIN];
extern int nbins;
extern const char *floor_path;

/* --- runs (run.c) */
double now(void);

enum io { IO_PTY, IO_NULL, IO_PIPE, IO_FILE };

/* One program of a run. */
struct prog {
	char *const *argv;
	/* out */
	pid_t pid;
	int status;		/* exit status, or 128 + signal */
	double start, wall;	/* fork and reaped, from the run's t0 */
	struct rusage ru;	/* wait4's: it and what it reaped */
	long priv_kib;		/* most Private_Clean+Private_Dirty seen */
	long threads;		/* most threads seen */
};

/* How to run, and what came of it. */
struct run {
	/* every program runs on one new pty, the first with it as its
	 * controlling terminal and all in its foreground process group */
	struct prog p[3];
	int np;
	int in;			/* IO_PTY, IO_FILE (in_file), IO_PIPE (feed) */
	const char *in_file;
	size_t feed;		/* zero bytes written to a stdin pipe */
	int out;		/* IO_PTY or IO_NULL */
	int err;		/* IO_PTY or IO_PIPE (read into text) */
	double sample_after;	/* sample /proc from then on, every */
	double sample_every;	/* (0: never) */
	/* out */
	char *text;		/* every byte read from the pty or stderr */
	size_t len, cap;
	struct chunk {
		size_t end;	/* a read ended at this offset of text, */
		double t;	/* at this time from t0 */
	} *chunks;
	size_t nchunks, chunkcap;
	double t0;		/* absolute, just before the first fork */
	size_t fed;		/* of feed, the bytes written */
	double wall;		/* t0 to the last program reaped */
	int trouble;		/* the run itself failed: no pty, no fork */
};

void run(struct run *r);
void run_free(struct run *r);
double chunk_time(const struct run *r, size_t off);
size_t count_str(const char *p, size_t len, const char *s);
const char *find_nth(const char *p, size_t len, const char *s, size_t k);
double cpu_of(const struct rusage *ru);
const char *task_file(const char *cmd, int count);

/* --- the stats line (stats.c) */
enum {
	ST_FRAMES, ST_WALL, ST_STOP, ST_USER, ST_SYS, ST_MAXRSS,
	ST_THREADS, ST_WAKEUPS, ST_STARTED, ST_FAILED, ST_MOST, ST_N
};

struct stats {
	double v[ST_N];
	unsigned have;		/* bit i: v[i] was on the line */
};

int stats_parse(const char *p, size_t len, struct stats *st);
int stats_selftest(void);

/* --- figures and the table (table.c) */
struct sample {
	double v[MAXRUNS];
	int n;
	int bad;		/* runs left out as they went wrong */
};

void put(struct sample *s, double x);
double median(const struct sample *s);

enum cmp { NONE, LE, GE, ABSLE };

/* A figure's target: cmp against thread's or async's limit (NAN: none). */
struct target {
	enum cmp cmp;
	double thread, async;
	const char *text;
};

struct unit {
	double scale;		/* from the stored value to the shown one */
	const char *name;	/* "ms", "MiB", "×", ... */
};

extern const struct unit MS, S, MIB, X, MIBS, N1;

void row(const char *what, const char *ref, const struct target *t);
void row_cell(int b, const struct sample *s, struct unit u);
void row_text(int b, const char *text);
char *fmt_sample(char *buf, size_t size, const struct sample *s,
    struct unit u);
char *fmt_count(char *buf, size_t size, long n);
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void flag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void table_print(const char *results, const char *parts, double took);
void machine_start(void);

/* --- the parts */
void bench_start(void);
void bench_stop(void);
void bench_spin(void);
void bench_syscalls(void);
void bench_pipe(void);
void bench_relay(void);
void bench_true(void);
void bench_sleep(void);
void bench_flood(void);
void bench_limits(void);

#endif
