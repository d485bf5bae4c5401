/*
 * Measurements of the built binaries; never asserted by tests.
 *
 *   stop   how long a demo run lasts beyond its delay, on a pseudo-terminal,
 *          for several frame intervals (the stop must not wait for a tick),
 *          beside /bin/sleep run the same way
 *   cpu    CPU time and peak memory of a 5 s demo at a 0.1 s interval
 *   relay  COMMAND's output to the terminal through the relay pty
 *   pipe   a stream through "BIN -- cat" against "cat" alone
 *   tasks  10,000 tasks at once: "true" at -j 16, "sleep 1" at -j 0, off a
 *          terminal, every verdict and the status checked; beside
 *          "xargs -P" running the same through sh -c
 *   limits 20,000 "sleep 5" at -j 0: where each binary stops starting more
 *          at once (descriptors, processes, threads), as it says on
 *          stderr; only with -o limits, as it uses up the machine's pids
 *
 * Each figure is the median of several runs, with the minimum and maximum.
 * Usage: bench [-o stop|cpu|relay|pipe|tasks] [BIN ...]
 *        (default: all of them, for build/spinner-thread)
 */
#define _DEFAULT_SOURCE

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 7

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
report(const char *what, double *v, int n, double scale, const char *unit)
{
	qsort(v, (size_t)n, sizeof(double), cmp);
	printf("  %-44s median %8.2f %-3s (min %.2f, max %.2f, n=%d)\n", what,
	    v[n / 2] * scale, unit, v[0] * scale, v[n - 1] * scale, n);
}

/*
 * Run argv on a pty (stdout too if tty_out, else /dev/null), draining it;
 * wall time, CPU time and max RSS.
 */
static double
run_pty_out(char *const argv[], double *cpu, long *rss, int tty_out)
{
	struct winsize ws = { 24, 80, 0, 0 };
	struct rusage ru;
	char buf[4096];
	int master, st;
	double t0 = now();
	pid_t pid = forkpty(&master, NULL, NULL, &ws);

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (!tty_out)
			dup2(null, STDOUT_FILENO);
		setenv("TERM", "xterm", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (read(master, buf, sizeof(buf)) > 0)
		;
	wait4(pid, &st, 0, &ru);
	close(master);
	if (cpu != NULL)
		*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		    ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) /
		    1e6;
	if (rss != NULL)
		*rss = ru.ru_maxrss;
	return now() - t0;
}

static double
run_pty(char *const argv[], double *cpu, long *rss)
{
	return run_pty_out(argv, cpu, rss, 0);
}

/* COMMAND's terminal output through the relay pty, against none. */
static void
bench_relay(const char *bin)
{
	char *alone[] = { "seq", "1", "300000", NULL };
	char *wrapped[] = { (char *)bin, "-i", "0.1", "--", "seq", "1",
		"300000", NULL };
	double a[5], w[5];

	for (int r = 0; r < 5; r++) {
		a[r] = run_pty_out(alone, NULL, NULL, 1);
		w[r] = run_pty_out(wrapped, NULL, NULL, 1);
	}
	report("seq 1 300000 (2 MB) to the terminal, alone", a, 5, 1000,
	    "ms");
	report("the same through BIN's relay, spinning", w, 5, 1000, "ms");
}

static void
bench_stop(const char *bin)
{
	static const char *intervals[] = { "0.1", "1", "10" };
	char *sleep_argv[] = { "/bin/sleep", "0.5", NULL };
	double base[RUNS];

	/* what starting a process on a pty costs, for comparison */
	for (int r = 0; r < RUNS; r++)
		base[r] = run_pty(sleep_argv, NULL, NULL) - 0.5;
	report("baseline: /bin/sleep 0.5 beyond 0.5 s", base, RUNS, 1000,
	    "ms");

	for (size_t i = 0; i < 3; i++) {
		char *argv[] = { (char *)bin, "-d", "0.5", "-i",
			(char *)intervals[i], NULL };
		double v[RUNS];
		char what[96];

		for (int r = 0; r < RUNS; r++)
			v[r] = run_pty(argv, NULL, NULL) - 0.5;
		snprintf(what, sizeof(what), "run beyond 0.5 s delay, -i %s",
		    intervals[i]);
		report(what, v, RUNS, 1000, "ms");
	}
}

static void
bench_cpu(const char *bin)
{
	char *argv[] = { (char *)bin, "-d", "5", "-i", "0.1", NULL };
	double cpu[3], rss[3];

	for (int r = 0; r < 3; r++) {
		long kb;
		run_pty(argv, &cpu[r], &kb);
		cpu[r] /= 5;
		rss[r] = (double)kb;
	}
	report("CPU per second of a 5 s demo, -i 0.1", cpu, 3, 1000, "ms");
	report("peak RSS", rss, 3, 1.0 / 1024, "MiB");
}

/* Seconds to push size bytes from /dev/zero through argv to /dev/null. */
static double
pipe_through(char *const argv[], size_t size)
{
	int in[2];
	static char chunk[1 << 16];
	double t0 = now();
	int st;

	if (pipe(in) != 0)
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(in[0], 0);
		dup2(null, 1);
		dup2(null, 2);
		close(in[0]);
		close(in[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	for (size_t done = 0; done < size;) {
		ssize_t w = write(in[1], chunk, sizeof(chunk));
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(in[1]);
	waitpid(pid, &st, 0);
	return now() - t0;
}

static void
bench_pipe(const char *bin)
{
	const size_t size = (size_t)1 << 30;
	char *alone[] = { "cat", NULL };
	char *wrapped[] = { (char *)bin, "-m", "copying", "--", "cat", NULL };
	double a[5], w[5];

	for (int r = 0; r < 5; r++) {
		a[r] = (double)size / pipe_through(alone, size) / (1 << 20);
		w[r] = (double)size / pipe_through(wrapped, size) / (1 << 20);
	}
	report("1 GiB through cat alone", a, 5, 1, "MiB/s");
	report("1 GiB through BIN -- cat", w, 5, 1, "MiB/s");
}

#define TASKS 10000
#define TASK_RUNS 3

/* A file of TASKS lines of cmd; its name. */
static const char *
task_file(const char *cmd, int count)
{
	static char path[64];
	FILE *fp;

	snprintf(path, sizeof(path), "/tmp/spinner-bench-XXXXXX");
	close(mkstemp(path));
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	for (int i = 0; i < count; i++)
		fprintf(fp, "%s\n", cmd);
	fclose(fp);
	return path;
}

/*
 * Run argv with stdin from in, stderr read here: wall time, CPU (its
 * tasks' too, as it reaps them), peak RSS (KiB), the lines of stderr
 * that begin with "v " (verdicts and summary in the C locale), status.
 */
static int echo_other;	/* print stderr lines that are not events */

static double
run_counting(char *const argv[], const char *in, double *cpu, long *rss,
    int *ok, int *status)
{
	struct rusage ru;
	char buf[1 << 16];
	int err[2], st, bol = 1;
	double t0 = now();
	ssize_t n;
	pid_t pid;

	if (pipe(err) != 0)
		abort();
	if ((pid = fork()) == 0) {
		int fd = open(in, O_RDONLY), null = open("/dev/null", O_WRONLY);

		dup2(fd, 0);
		dup2(null, 1);
		dup2(err[1], 2);
		close(err[0]);
		setenv("LC_ALL", "C", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(err[1]);
	*ok = 0;
	while ((n = read(err[0], buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (bol && buf[i] == 'v' && i + 1 < n &&
			    buf[i + 1] == ' ')
				(*ok)++;
			if (bol && echo_other && buf[i] != 'v' &&
			    buf[i] != 'x' && buf[i] != '>') {
				char *nl = memchr(buf + i, '\n',
				    (size_t)(n - i));

				printf("  | %.*s\n", (int)(nl != NULL ? nl -
				    (buf + i) : n - i), buf + i);
			}
			bol = buf[i] == '\n';
		}
	close(err[0]);
	wait4(pid, &st, 0, &ru);
	*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	*rss = ru.ru_maxrss;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return now() - t0;
}

static void
bench_tasks_of(const char *bin, const char *cmd, const char *jobs)
{
	const char *file = task_file(cmd, TASKS);
	char *spin[] = { (char *)bin, "-j", (char *)jobs, "-T", "-", NULL };
	char *xargs[] = { "xargs", "-P", (char *)jobs, "-I{}", "sh", "-c",
	    "{}", NULL };
	double wall[TASK_RUNS], cpu[TASK_RUNS], rss[TASK_RUNS], xw[TASK_RUNS];
	char what[128];
	int bad = 0;

	for (int r = 0; r < TASK_RUNS; r++) {
		double c;
		long kb;
		int ok, st;

		wall[r] = run_counting(spin, file, &cpu[r], &kb, &ok, &st);
		rss[r] = (double)kb;
		/* every task's verdict, and the summary */
		if (ok != TASKS + 1 || st != 0) {
			printf("  !! run %d: %d ok lines of %d, status %d\n", r,
			    ok, TASKS + 1, st);
			bad++;
		}
		xw[r] = run_counting(xargs, file, &c, &kb, &ok, &st);
	}
	snprintf(what, sizeof(what), "%d x '%s' at -j %s: wall", TASKS, cmd,
	    jobs);
	report(what, wall, TASK_RUNS, 1, "s");
	report("  CPU, the tasks' included", cpu, TASK_RUNS, 1, "s");
	report("  peak RSS", rss, TASK_RUNS, 1.0 / 1024, "MiB");
	report("  xargs -P, the same tasks: wall", xw, TASK_RUNS, 1, "s");
	if (bad > 0)
		printf("  !! %d of %d runs lost a task or failed\n", bad,
		    TASK_RUNS);
	unlink(file);
}

static void
bench_tasks(const char *bin)
{
	bench_tasks_of(bin, "true", "16");
	bench_tasks_of(bin, "sleep 1", "0");
}

static void
bench_limits(const char *bin)
{
	const int count = 20000;
	const char *file = task_file("sleep 5", count);
	char *spin[] = { (char *)bin, "-j", "0", "-T", "-", NULL };
	double wall, cpu;
	long kb;
	int ok, st;

	echo_other = 1;
	wall = run_counting(spin, file, &cpu, &kb, &ok, &st);
	echo_other = 0;
	printf("  %d x 'sleep 5' at -j 0: %.1f s, peak RSS %.1f MiB, "
	    "%d of %d ok lines (with the summary), status %d\n", count,
	    wall, (double)kb / 1024, ok, count + 1, st);
	unlink(file);
}

static const struct {
	const char *name;
	void (*run)(const char *bin);
} benches[] = {
	{ "stop", bench_stop },
	{ "cpu", bench_cpu },
	{ "relay", bench_relay },
	{ "pipe", bench_pipe },
	{ "tasks", bench_tasks },
	{ "limits", bench_limits },	/* only when asked for */
};

int
main(int argc, char **argv)
{
	const char *def[] = { "build/spinner-thread" };
	const char *only = NULL;
	const char **bins;
	int n;

	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		only = argv[2];
		argc -= 2;
		argv += 2;
	}
	bins = argc > 1 ? (const char **)argv + 1 : def;
	n = argc > 1 ? argc - 1 : 1;
	for (int i = 0; i < n; i++) {
		printf("%s\n", bins[i]);
		for (size_t j = 0; j < sizeof(benches) / sizeof(benches[0]); j++)
			if (only == NULL ? benches[j].run != bench_limits :
			    strcmp(only, benches[j].name) == 0)
				benches[j].run(bins[i]);
		fflush(stdout);
	}
	return 0;
}
