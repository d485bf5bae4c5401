/*
 * Many commands at once, beside xargs -P N -I{} sh -c {} and GNU
 * parallel -j N running the same lines.  Parts 8 and 9 run off a terminal
 * (no animation: what is measured is starting, watching and reaping),
 * stderr read here: every task's start ("> CMD") and verdict
 * ("v CMD (...)", the C locale's marks) and the summary must be there and
 * the status 0, or the run is flagged and left out.  Part 10 runs on a
 * pty, where the board is redrawn each interval.
 *
 * GNU parallel costs milliseconds a task, so it runs fewer tasks a run
 * (plan.par_tasks) and is compared per task.
 */
#define _DEFAULT_SOURCE

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static int have_parallel = -1;

/* Whether "parallel" is GNU parallel (moreutils has one too). */
static int
gnu_parallel(void)
{
	if (have_parallel < 0) {
		have_parallel = system("parallel --version 2>/dev/null | "
		    "grep -q '^GNU parallel'") == 0;
		if (!have_parallel)
			flag("no GNU parallel: its figures are left out "
			    "(make bench installs Debian's parallel)");
	}
	return have_parallel;
}

/* Whether a run of a binary off a terminal did every task, each once. */
static int
tasks_ok(const struct run *r, const char *who, const char *cmd, int n,
    const char *what, int k)
{
	char verdict[128], start[128], summary[64];
	size_t v, s;

	snprintf(verdict, sizeof(verdict), "\nv %s (", cmd);
	snprintf(start, sizeof(start), "> %s\n", cmd);
	snprintf(summary, sizeof(summary), "\nv %d ok, 0 failed", n);
	/* the first line may be the first in the text: no newline before */
	v = count_str(r->text, r->len, verdict) + (r->len > 0 &&
	    strncmp(r->text, verdict + 1, strlen(verdict + 1)) == 0);
	s = count_str(r->text, r->len, start);
	if (r->trouble || r->p[0].status != 0 || v != (size_t)n ||
	    s != (size_t)n || count_str(r->text, r->len, summary) != 1) {
		flag("%s, %s, run %d: status %d, %zu starts and %zu verdicts "
		    "of %d, %s summary", who, what, k + 1, r->p[0].status, s,
		    v, n, count_str(r->text, r->len, summary) ? "a" : "no");
		return 0;
	}
	return 1;
}

static int
peer_ok(const struct run *r, const char *who, const char *what, int k)
{
	if (r->trouble || r->p[0].status != 0) {
		flag("%s, %s, run %d: status %d%s%.*s", who, what, k + 1,
		    r->p[0].status, r->len ? ", said: " : "",
		    (int)(r->len < 200 ? r->len : 200), r->text ? r->text :
		    "");
		return 0;
	}
	return 1;
}

/* Off a terminal: stdin the task file, stdout nowhere, stderr read. */
static void
offtty(struct run *r, char *const argv[], const char *file, double every)
{
	r->np = 1;
	r->p[0].argv = argv;
	r->in = IO_FILE;
	r->in_file = file;
	r->out = IO_NULL;
	r->err = IO_PIPE;
	r->sample_after = every > 0 ? 0.05 : 0;
	r->sample_every = every;
	run(r);
}

/*
 * Parallel's wall per task, or 0.  Its start, a Perl program's, would
 * weigh on its fewer tasks more than ours on 10,000: a run of one task
 * is taken off its run of many.
 */
static double
par_per_task(struct run *r, char *const par[], const char *one_file,
    const char *file, const char *label, int k)
{
	double one, many;

	offtty(r, par, one_file, 0);
	one = r->p[0].wall;
	if (!peer_ok(r, "parallel", label, k))
		return 0;
	offtty(r, par, file, 0);
	many = r->p[0].wall;
	if (!peer_ok(r, "parallel", label, k))
		return 0;
	if (many <= one) {
		flag("parallel, %s, run %d: %d tasks in %.3f s, one in %.3f s",
		    label, k + 1, plan.par_tasks, many, one);
		return 0;
	}
	return (many - one) / (plan.par_tasks - 1);
}

/* 8. N x true at -j 1, 16, 256: wall per task. */
void
bench_true(void)
{
	static const char *jobs[] = { "1", "16", "256" };
	static const struct target vs_xargs = { LE, 1.2, 1.2, "≤ 1.2× xargs" };
	static const struct target vs_par = { GE, 5, 5, "≥ 5× faster than "
	    "parallel" };
	const char *f = task_file("true", plan.tasks);
	char file[64], pfile[64], p1file[64], n[32], pn[32], what[192],
	    ref[400], a[96], c[96];
	struct run r = { 0 };

	snprintf(file, sizeof(file), "%s", f);
	snprintf(pfile, sizeof(pfile), "%s", task_file("true",
	    plan.par_tasks));
	snprintf(p1file, sizeof(p1file), "%s", task_file("true", 1));
	fmt_count(n, sizeof(n), plan.tasks);
	fmt_count(pn, sizeof(pn), plan.par_tasks);
	if (gnu_parallel())
		note("Part 8: GNU parallel runs %s tasks a run, the others "
		    "%s; its figure is per task once a run of one task (its "
		    "start, some 0.2 s) is taken off.", pn, n);
	for (int j = 0; j < 3; j++) {
		struct sample w[NBIN] = { 0 }, vx[NBIN] = { 0 },
		    vp[NBIN] = { 0 }, xw = { 0 }, pw = { 0 };
		char *xargs[] = { "xargs", "-P", (char *)jobs[j], "-I{}", "sh",
		    "-c", "{}", NULL };
		char *par[] = { "parallel", "-j", (char *)jobs[j], NULL };
		char label[32];

		snprintf(label, sizeof(label), "true -j %s", jobs[j]);
		progress("8. %s x true at -j %s, %d runs", n, jobs[j],
		    plan.runs);
		for (int k = 0; k < plan.runs; k++) {
			double x = 0, p = 0;

			offtty(&r, xargs, file, 0);
			if (peer_ok(&r, "xargs", label, k))
				put(&xw, x = r.p[0].wall / plan.tasks);
			else
				xw.bad++;
			if (have_parallel) {
				if ((p = par_per_task(&r, par, p1file, pfile,
				    label, k)) > 0)
					put(&pw, p);
				else
					pw.bad++;
			}
			for (int b = 0; b < nbins; b++) {
				char *argv[] = { (char *)bins[b].path, "-j",
				    (char *)jobs[j], "-T", "-", NULL };
				double v;

				offtty(&r, argv, file, 0);
				if (!tasks_ok(&r, bins[b].name, "true",
				    plan.tasks, label, k)) {
					w[b].bad++, vx[b].bad++, vp[b].bad++;
					continue;
				}
				put(&w[b], v = r.p[0].wall / plan.tasks);
				if (x > 0)
					put(&vx[b], v / x);
				if (p > 0)
					put(&vp[b], p / v);
			}
		}
		snprintf(what, sizeof(what), "%s %s × `true`, `-j %s`, off a "
		    "terminal: wall per task", j == 0 ? "8." : "  ", n,
		    jobs[j]);
		if (have_parallel)
			snprintf(ref, sizeof(ref), "`xargs -P %s`: %s; "
			    "`parallel -j %s` (%s tasks a run, less a run of "
			    "one): %s", jobs[j], fmt_sample(a, sizeof(a), &xw,
			    MS), jobs[j], pn, fmt_sample(c, sizeof(c), &pw,
			    MS));
		else
			snprintf(ref, sizeof(ref), "`xargs -P %s`: %s",
			    jobs[j], fmt_sample(a, sizeof(a), &xw, MS));
		row(what, ref, NULL);
		for (int b = 0; b < nbins; b++)
			row_cell(b, &w[b], MS);
		snprintf(what, sizeof(what), "   against `xargs -P %s` (the "
		    "same round)", jobs[j]);
		row(what, NULL, &vs_xargs);
		for (int b = 0; b < nbins; b++)
			row_cell(b, &vx[b], X);
		if (have_parallel) {
			snprintf(what, sizeof(what), "   how many times "
			    "faster than `parallel -j %s`, per task", jobs[j]);
			row(what, NULL, &vs_par);
			for (int b = 0; b < nbins; b++)
				row_cell(b, &vp[b], X);
		}
	}
	run_free(&r);
	unlink(file);
	unlink(pfile);
	unlink(p1file);
}

struct event {
	double t;
	int d;			/* +1 a job starts, -1 one ends */
};

static int
cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	/* at the same time an end goes first: not both at once */
	return x->t < y->t ? -1 : x->t > y->t ? 1 : x->d - y->d;
}

/* The most of parallel's jobs that ran at once, from its --joblog. */
static int
joblog_most(const char *log, int *lines, int *failed)
{
	FILE *fp = fopen(log, "r");
	char line[1024];
	struct event *ev = NULL;
	size_t n = 0, cap = 0;
	int most = 0, at = 0;

	*lines = *failed = 0;
	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		double start, len;
		int seq, code;
		char host[64];

		/* Seq Host Starttime JobRuntime Send Receive Exitval ... */
		if (sscanf(line, "%d %63s %lf %lf %*s %*s %d", &seq, host,
		    &start, &len, &code) != 5)
			continue;
		(*lines)++;
		*failed += code != 0;
		if (n + 2 > cap && (ev = realloc(ev, (cap = cap * 2 + 1024) *
		    sizeof(*ev))) == NULL)
			abort();
		ev[n++] = (struct event){ start, 1 };
		ev[n++] = (struct event){ start + len, -1 };
	}
	fclose(fp);
	if (n > 0)
		qsort(ev, n, sizeof(*ev), cmp_event);
	for (size_t i = 0; i < n; i++)
		if ((at += ev[i].d) > most)
			most = at;
	free(ev);
	return most;
}

/* 9. N x sleep 1 at -j 0: to all done, memory, threads, CPU. */
/* "xargs: FIGURE; parallel: FIGURE" (without parallel when p is NULL). */
static void
peers(char *ref, size_t size, const struct sample *x, const struct sample *p,
    struct unit u)
{
	char a[96], c[96];

	if (p != NULL)
		snprintf(ref, size, "xargs: %s; parallel: %s",
		    fmt_sample(a, sizeof(a), x, u), fmt_sample(c, sizeof(c),
		    p, u));
	else
		snprintf(ref, size, "xargs: %s", fmt_sample(a, sizeof(a), x,
		    u));
}

void
bench_sleep(void)
{
	static const struct target rss_t = { LE, NAN, 64 * 1024,
	    "≤ 64 MiB async" };
	static const struct target thr_t = { LE, NAN, 1, "1 async" };
	const char *f = task_file("sleep 1", plan.tasks);
	char file[64], pfile[64], log[] = "/tmp/spinner-bench-joblog-XXXXXX";
	char n[32], pn[32], what[192], ref[400], a[96], c[96];
	struct sample w[NBIN] = { 0 }, per[NBIN] = { 0 }, rss[NBIN] = { 0 };
	struct sample thr[NBIN] = { 0 }, most[NBIN] = { 0 }, cpu[NBIN] = {
	    0 }, seen[NBIN] = { 0 };
	struct sample own[NBIN] = { 0 };
	struct sample xw = { 0 }, xper = { 0 }, xrss = { 0 }, xcpu = { 0 };
	struct sample pw = { 0 }, pper = { 0 }, prss = { 0 }, pcpu = { 0 },
	    pmost = { 0 };
	char *xargs[] = { "xargs", "-P", "0", "-I{}", "sh", "-c", "{}",
	    NULL };
	char *par[] = { "parallel", "-j", "0", "--joblog", log, NULL };
	struct run r = { 0 };
	int fd, any_stats = 0;

	snprintf(file, sizeof(file), "%s", f);
	snprintf(pfile, sizeof(pfile), "%s", task_file("sleep 1",
	    plan.par_tasks));
	if ((fd = mkstemp(log)) < 0)
		abort();
	close(fd);
	fmt_count(n, sizeof(n), plan.tasks);
	fmt_count(pn, sizeof(pn), plan.par_tasks);
	if (gnu_parallel())
		note("Part 9: GNU parallel runs %s tasks a run, the others "
		    "%s; its time to all done is of its %s, its other figures "
		    "per task.", pn, n, pn);
	progress("9. %s x sleep 1 at -j 0, %d runs", n, plan.runs);
	for (int k = 0; k < plan.runs; k++) {
		offtty(&r, xargs, file, 0);
		if (peer_ok(&r, "xargs", "sleep 1 -j 0", k)) {
			put(&xw, r.p[0].wall);
			put(&xper, r.p[0].wall / plan.tasks);
			put(&xrss, (double)r.p[0].ru.ru_maxrss);
			put(&xcpu, cpu_of(&r.p[0].ru) / plan.tasks);
		} else
			xw.bad++, xper.bad++, xrss.bad++, xcpu.bad++;
		if (have_parallel) {
			int lines, failed, m;

			unlink(log);
			offtty(&r, par, pfile, 0);
			m = joblog_most(log, &lines, &failed);
			if (peer_ok(&r, "parallel", "sleep 1 -j 0", k) &&
			    (lines != plan.par_tasks || failed != 0))
				flag("parallel, sleep 1 -j 0, run %d: %d jobs "
				    "logged of %d, %d failed", k + 1, lines,
				    plan.par_tasks, failed);
			if (r.p[0].status == 0 && lines == plan.par_tasks &&
			    failed == 0) {
				put(&pw, r.p[0].wall);
				put(&pper, r.p[0].wall / plan.par_tasks);
				put(&prss, (double)r.p[0].ru.ru_maxrss);
				put(&pcpu, cpu_of(&r.p[0].ru) /
				    plan.par_tasks);
				put(&pmost, m);
			} else
				pw.bad++, pper.bad++, prss.bad++, pcpu.bad++,
				    pmost.bad++;
		}
		for (int b = 0; b < nbins; b++) {
			char *argv[] = { (char *)bins[b].path, "-j", "0", "-T",
			    "-", bins[b].stats ? "--stats" : NULL, NULL };
			struct stats st;

			offtty(&r, argv, file, 0.1);
			if (!tasks_ok(&r, bins[b].name, "sleep 1", plan.tasks,
			    "sleep 1 -j 0", k)) {
				w[b].bad++, per[b].bad++, rss[b].bad++;
				thr[b].bad++, cpu[b].bad++, seen[b].bad++;
				most[b].bad++, own[b].bad++;
				continue;
			}
			put(&w[b], r.p[0].wall);
			put(&per[b], r.p[0].wall / plan.tasks);
			put(&cpu[b], cpu_of(&r.p[0].ru) / plan.tasks);
			if (bins[b].stats && stats_parse(r.text, r.len, &st) &&
			    st.have & 1u << ST_MAXRSS)
				put(&rss[b], st.v[ST_MAXRSS]);	/* its own */
			else
				put(&rss[b], (double)r.p[0].ru.ru_maxrss);
			if (bins[b].stats && stats_parse(r.text, r.len, &st)) {
				any_stats = 1;
				if (st.have & 1u << ST_THREADS)
					put(&thr[b], st.v[ST_THREADS]);
				if (st.have & 1u << ST_MOST)
					put(&most[b], st.v[ST_MOST]);
				if ((st.have & 3u << ST_USER) == 3u << ST_USER)
					put(&own[b], (st.v[ST_USER] +
					    st.v[ST_SYS]) / plan.tasks);
			}
			if (r.p[0].threads > 0)
				put(&seen[b], (double)r.p[0].threads);
		}
	}
	run_free(&r);
	unlink(log);
	unlink(file);
	unlink(pfile);

	snprintf(what, sizeof(what), "9. %s × `sleep 1`, `-j 0`, off a "
	    "terminal: time to all done", n);
	snprintf(ref, sizeof(ref), "`xargs -P 0`: %s", fmt_sample(a,
	    sizeof(a), &xw, S));
	if (have_parallel) {
		size_t l = strlen(ref);

		snprintf(ref + l, sizeof(ref) - l, "; `parallel -j 0` "
		    "(%s tasks a run): %s", pn, fmt_sample(c, sizeof(c), &pw,
		    S));
	}
	row(what, ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &w[b], S);
	peers(ref, sizeof(ref), &xper, have_parallel ? &pper : NULL, MS);
	row("   the same per task", ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &per[b], MS);
	peers(ref, sizeof(ref), &xrss, have_parallel ? &prss : NULL, MIB);
	row("   peak RSS (the spinner's VmHWM, --stats; the peers' wait4: "
	    "it, or a task if larger)", ref, &rss_t);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &rss[b], MIB);
	row("   threads (--stats)", NULL, &thr_t);
	for (int b = 0; b < nbins; b++)
		if (bins[b].stats)
			row_cell(b, &thr[b], N1);
		else
			row_text(b, "n/a (no --stats yet)");
	row("   threads, the most seen (/proc/PID/status, every 0.1 s)", NULL,
	    &thr_t);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &seen[b], N1);
	if (have_parallel)
		snprintf(ref, sizeof(ref), "`parallel -j 0` (no limit of its "
		    "own; the most seen in --joblog): %s", fmt_sample(a,
		    sizeof(a), &pmost, N1));
	else
		ref[0] = '\0';
	row("   tasks at once, the most (tasks_most of --stats)", ref, NULL);
	for (int b = 0; b < nbins; b++)
		if (bins[b].stats)
			row_cell(b, &most[b], N1);
		else
			row_text(b, "n/a (no --stats yet)");
	peers(ref, sizeof(ref), &xcpu, have_parallel ? &pcpu : NULL, MS);
	row("   CPU per task, the tasks' included (wait4)", ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &cpu[b], MS);
	if (any_stats) {
		row("   its own CPU per task (user_s + sys_s of --stats)",
		    NULL, NULL);
		for (int b = 0; b < nbins; b++)
			if (bins[b].stats)
				row_cell(b, &own[b], MS);
			else
				row_text(b, "n/a (no --stats yet)");
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The times of the board's redraws: each ends going up to its top. */
static size_t
redraws(const struct run *r, double *t, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i + 2 < r->len && n < max; i++) {
		size_t j;

		if (r->text[i] != '\033' || r->text[i + 1] != '[')
			continue;
		for (j = i + 2; j < r->len && r->text[j] >= '0' &&
		    r->text[j] <= '9'; j++)
			;
		if (j > i + 2 && j + 1 < r->len && r->text[j] == 'A' &&
		    r->text[j + 1] == '\r')
			t[n++] = chunk_time(r, j + 1);
	}
	return n;
}

/* 10. Tasks flooding output, on a pty: redraws and bytes consumed. */
void
bench_flood(void)
{
	struct sample w[NBIN] = { 0 }, rate[NBIN] = { 0 }, med[NBIN] = { 0 };
	struct sample worst[NBIN] = { 0 }, xw = { 0 }, xrate = { 0 };
	char cmd[64], n[32], what[192], ref[200], a[96], summary[64];
	char *xargs[] = { "xargs", "-P", "0", "-I{}", "sh", "-c", "{}",
	    NULL };
	const char *f;
	char file[64];
	double bytes = 0, *t;
	struct run r = { 0 };

	snprintf(cmd, sizeof(cmd), "seq 1 %d", plan.flood_lines);
	f = task_file(cmd, plan.flood_tasks);
	snprintf(file, sizeof(file), "%s", f);
	/* seq's bytes: a line of each length's numbers, and its newline */
	for (long lo = 1, d = 1; lo <= plan.flood_lines; lo *= 10, d++) {
		long hi = lo * 10 - 1 < plan.flood_lines ? lo * 10 - 1 :
		    plan.flood_lines;

		bytes += (double)((hi - lo + 1) * (d + 1));
	}
	bytes *= plan.flood_tasks;
	if ((t = malloc(100000 * sizeof(*t))) == NULL)
		abort();
	fmt_count(n, sizeof(n), plan.flood_tasks);
	snprintf(summary, sizeof(summary), "v %d ok, 0 failed",
	    plan.flood_tasks);
	progress("10. %s x %s flooding, -j 0 -i 0.1 on a pty, %d runs", n,
	    cmd, plan.runs);
	for (int k = 0; k < plan.runs; k++) {
		r.np = 1;
		r.p[0].argv = xargs;
		r.in = IO_FILE;
		r.in_file = file;
		r.out = r.err = IO_NULL;
		r.sample_every = 0;
		run(&r);
		if (peer_ok(&r, "xargs", "flood", k)) {
			put(&xw, r.p[0].wall);
			put(&xrate, bytes / r.p[0].wall);
		} else
			xw.bad++, xrate.bad++;
		for (int b = 0; b < nbins; b++) {
			char *argv[] = { (char *)bins[b].path, "-j", "0", "-i",
			    "0.1", "-T", file, NULL };
			char verdict[96];
			size_t nr, nv;
			double dev = 0;

			r.in = r.out = r.err = IO_PTY;
			r.p[0].argv = argv;
			run(&r);
			snprintf(verdict, sizeof(verdict), "v %s (", cmd);
			nv = count_str(r.text, r.len, verdict);
			nr = redraws(&r, t, 100000);
			if (r.trouble || r.p[0].status != 0 ||
			    nv != (size_t)plan.flood_tasks ||
			    count_str(r.text, r.len, summary) != 1 || nr < 3) {
				flag("%s, flood, run %d: status %d, %zu "
				    "verdicts of %d, %zu redraws",
				    bins[b].name, k + 1, r.p[0].status, nv,
				    plan.flood_tasks, nr);
				w[b].bad++, rate[b].bad++, med[b].bad++;
				worst[b].bad++;
				continue;
			}
			put(&w[b], r.p[0].wall);
			put(&rate[b], bytes / r.p[0].wall);
			for (size_t i = 1; i < nr; i++) {
				double d = t[i] - t[i - 1] - 0.1;

				if ((d < 0 ? -d : d) > dev)
					dev = d < 0 ? -d : d;
				/* the intervals, where the times were */
				t[i - 1] = t[i] - t[i - 1];
			}
			qsort(t, nr - 1, sizeof(*t), cmp_double);
			put(&med[b], t[(nr - 1) / 2]);
			put(&worst[b], dev);
		}
	}
	free(t);
	run_free(&r);
	unlink(file);
	snprintf(what, sizeof(what), "10. %s × `%s` (%.0f MiB in all), "
	    "`-j 0 -i 0.1`, on a pty: wall", n, cmd, bytes / (1 << 20));
	snprintf(ref, sizeof(ref), "`xargs -P 0` to /dev/null: %s",
	    fmt_sample(a, sizeof(a), &xw, S));
	row(what, ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &w[b], S);
	snprintf(ref, sizeof(ref), "xargs: %s", fmt_sample(a, sizeof(a),
	    &xrate, MIBS));
	row("   the tasks' output consumed", ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &rate[b], MIBS);
	row("   board redraw interval: median", NULL, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &med[b], MS);
	row("   board redraw interval: worst distance from 0.1 s", NULL,
	    NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &worst[b], MS);
	if (plan.quick)
		note("QUICK: %s flooding tasks, not 100.", n);
}

/* Where each binary stops starting more at once (only when asked). */
void
bench_limits(void)
{
	const int count = 20000;
	const char *file = task_file("sleep 5", count);
	struct run r = { 0 };

	progress("limits: %d x sleep 5 at -j 0, once", count);
	row("limits: 20,000 × `sleep 5` at `-j 0`, once: wall", NULL, NULL);
	for (int b = 0; b < nbins; b++) {
		char *argv[] = { (char *)bins[b].path, "-j", "0", "-T", "-",
		    NULL };
		char buf[160];
		char verdict[] = "\nv sleep 5 (";
		const char *p, *e;

		offtty(&r, argv, file, 0);
		snprintf(buf, sizeof(buf), "%.1f s, peak RSS %.1f MiB, %zu "
		    "verdicts, status %d", r.p[0].wall,
		    (double)r.p[0].ru.ru_maxrss / 1024,
		    count_str(r.text, r.len, verdict), r.p[0].status);
		row_text(b, buf);
		/* what it said besides the events */
		for (p = r.text; p != NULL && p < r.text + r.len; p = e) {
			e = memchr(p, '\n', (size_t)(r.text + r.len - p));
			if (*p != 'v' && *p != 'x' && *p != '>')
				note("%s said: %.*s", bins[b].name, (int)((e !=
				    NULL ? e : r.text + r.len) - p), p);
			if (e != NULL)
				e++;
		}
	}
	run_free(&r);
	unlink(file);
}
