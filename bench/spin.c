/*
 * One spinner: the demo's start and stop, the stop's latency, what
 * spinning costs (CPU, memory, system calls per frame), how true its
 * clock keeps, and COMMAND's bytes through it.  Every animation is on a
 * pseudo-terminal; each run's status and output are checked.
 *
 * A frame is one write of "| MESSAGE", erase to the end of the line, back
 * to its start (ESC[K, ESC[<n>D): "MESSAGE\033[K" marks each, the first
 * frame begins by hiding the cursor (ESC[?25l) and the wipe ends by
 * showing it (ESC[?25h).  Where programs take turns, they take them in
 * each round, so a busy moment of the machine falls on each alike.
 */
#define _GNU_SOURCE	/* sched_setaffinity */

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define MARK "bench\033[K"

/* argv of a demo run of binary b: -d d [-i i] -m msg [--stats]. */
static void
demo_argv(char **argv, int b, const char *d, const char *i,
    const char *msg, int stats)
{
	int n = 0;

	argv[n++] = (char *)bins[b].path;
	argv[n++] = "-d";
	argv[n++] = (char *)d;
	if (i != NULL) {
		argv[n++] = "-i";
		argv[n++] = (char *)i;
	}
	argv[n++] = "-m";
	argv[n++] = (char *)msg;
	if (stats && bins[b].stats)
		argv[n++] = "--stats";
	argv[n] = NULL;
}

/*
 * The peak RSS, KiB, a program of run r said at its end: the number after
 * "floor: vmhwm_kib=" (with key that), or maxrss_kib on NAME's --stats
 * line; dflt (wait4's ru_maxrss) if it said none.
 */
static double
peak_of(const struct run *r, const char *key, double dflt)
{
	char tag[128];
	const char *at;
	struct stats st;
	size_t len;

	if (strncmp(key, "floor:", 6) == 0) {
		at = find_nth(r->text, r->len, key, 0);
		return at != NULL ? strtod(at + strlen(key), NULL) : dflt;
	}
	snprintf(tag, sizeof(tag), "%s: stats ", key);
	if ((at = find_nth(r->text, r->len, tag, 0)) == NULL)
		return dflt;
	/* that line alone: the other binary's is on the same pty */
	for (len = 0; at + len < r->text + r->len && at[len] != '\r' &&
	    at[len] != '\n'; len++)
		;
	if (!stats_parse(at, len, &st) ||
	    !(st.have & 1u << ST_MAXRSS))
		return dflt;
	return st.v[ST_MAXRSS];
}

/* One program on a pty of its own. */
static void
pty1(struct run *r, char *const argv[])
{
	r->np = 1;
	r->p[0].argv = argv;
	r->in = r->out = r->err = IO_PTY;
	r->sample_every = 0;
	run(r);
}

/* Whether a demo run of binary b went as it should; if not, say how. */
static int
demo_ok(const struct run *r, int b, const char *what, int round)
{
	if (r->trouble || r->p[0].status != 0 ||
	    count_str(r->text, r->len, "Answer: 42") != 1 ||
	    count_str(r->text, r->len, MARK) == 0) {
		flag("%s, %s, run %d: status %d, %zu answers, %zu frames",
		    bins[b].name, what, round + 1, r->p[0].status,
		    count_str(r->text, r->len, "Answer: 42"),
		    count_str(r->text, r->len, MARK));
		return 0;
	}
	return 1;
}

static int
plain_ok(const struct run *r, const char *who, const char *what,
    int round)
{
	if (r->trouble || r->p[0].status != 0) {
		flag("%s, %s, run %d: status %d", who, what, round + 1,
		    r->p[0].status);
		return 0;
	}
	return 1;
}

/* 1. start and stop: BIN -d D beyond D, beside true and /bin/sleep D. */
void
bench_start(void)
{
	const double d = 0.1;
	char *tru[] = { "true", NULL }, *slp[] = { "/bin/sleep", "0.1", NULL };
	struct sample t = { 0 }, s = { 0 }, w[NBIN] = { 0 }, over[NBIN] = {
	    0 };
	static const struct target one_ms = { LE, 1e-3, 1e-3, "≤ 1 ms" };
	char ref[256], a[96], c[96];
	struct run r = { 0 };

	progress("1. start and stop, %d runs", plan.runs);
	for (int k = 0; k < plan.runs; k++) {
		double tw;
		int tok;

		pty1(&r, tru);
		tw = r.p[0].wall;
		if ((tok = plain_ok(&r, "true", "start", k)))
			put(&t, tw);
		else
			t.bad++;
		pty1(&r, slp);
		if (plain_ok(&r, "/bin/sleep 0.1", "start", k))
			put(&s, r.p[0].wall - d);
		else
			s.bad++;
		for (int b = 0; b < nbins; b++) {
			char *argv[12];

			demo_argv(argv, b, "0.1", NULL, "bench", 0);
			pty1(&r, argv);
			if (!demo_ok(&r, b, "-d 0.1", k)) {
				w[b].bad++;
				over[b].bad++;
				continue;
			}
			put(&w[b], r.p[0].wall - d);
			if (tok)
				put(&over[b], r.p[0].wall - d - tw);
		}
	}
	run_free(&r);
	snprintf(ref, sizeof(ref), "`true`: %s; `/bin/sleep 0.1` − 0.1 s: %s",
	    fmt_sample(a, sizeof(a), &t, MS), fmt_sample(c, sizeof(c), &s,
	    MS));
	row("1. start and stop: `BIN -d 0.1 -m bench` on a pty, wall − 0.1 s",
	    ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &w[b], MS);
	row("   over `true` on a pty (the same round)", NULL, &one_ms);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &over[b], MS);
}

/*
 * Part 2's delay: not a multiple of any interval, so that the end falls
 * between frames, and a second long (QUICK: 0.155 s), as a wait of its
 * own length shows what the kernel lets a long timeout run late.
 */
static const char *
stop_delay(double *d)
{
	*d = plan.quick ? 0.155 : 1.055;
	return plan.quick ? "0.155" : "1.055";
}

/* One run of part 2: binary b at interval iv, into its three figures. */
static void
stop_once(struct run *r, int b, const char *iv, int k, struct sample *stop,
    struct sample *wipe, struct sample *wall)
{
	double d;
	const char *ds = stop_delay(&d);
	const char *first, *last;
	char *argv[12], label[32];
	struct stats st;

	demo_argv(argv, b, ds, iv, "bench", 1);
	pty1(r, argv);
	snprintf(label, sizeof(label), "stop -i %s", iv);
	first = find_nth(r->text, r->len, "\033[?25l", 0);
	last = find_nth(r->text, r->len, "\033[?25h", 0);
	if (!demo_ok(r, b, label, k) || first == NULL || last == NULL) {
		if (first == NULL || last == NULL)
			flag("%s, %s, run %d: no cursor hidden or shown",
			    bins[b].name, label, k + 1);
		stop->bad++, wipe->bad++, wall->bad++;
		return;
	}
	put(wall, r->p[0].wall - d);
	/* the wipe is drawn when its last byte is read */
	put(wipe, chunk_time(r, (size_t)(last - r->text) + 5) -
	    chunk_time(r, (size_t)(first - r->text)) - d);
	if (!bins[b].stats)
		return;
	if (stats_parse(r->text, r->len, &st) && st.have & 1u << ST_STOP) {
		put(stop, st.v[ST_STOP] / 1e3);
	} else {
		flag("%s, %s, run %d: no stop_ms on a stats line",
		    bins[b].name, label, k + 1);
		stop->bad++;
	}
}

/* 2. From the slow work's end to the spinner stopped and the line wiped. */
void
bench_stop(void)
{
	static const char *iv[] = { "1", "0.1", "0.01" };
	double d;
	const char *ds = stop_delay(&d);
	char *slp[] = { "/bin/sleep", (char *)ds, NULL };
	static const struct target one_ms = { LE, 1e-3, 1e-3, "≤ 1 ms" };
	struct sample stop[3][NBIN] = { 0 }, wipe[3][NBIN] = { 0 };
	struct sample wall[3][NBIN] = { 0 }, s = { 0 };
	struct run r = { 0 };
	char ref[128], a[96], what[160];

	progress("2. stop latency, %d runs", plan.runs);
	for (int k = 0; k < plan.runs; k++) {
		pty1(&r, slp);
		if (plain_ok(&r, "/bin/sleep", "stop", k))
			put(&s, r.p[0].wall - d);
		else
			s.bad++;
		for (int i = 0; i < 3; i++)
			for (int b = 0; b < nbins; b++)
				stop_once(&r, b, iv[i], k, &stop[i][b],
				    &wipe[i][b], &wall[i][b]);
	}
	run_free(&r);
	for (int i = 0; i < 3; i++) {
		snprintf(what, sizeof(what), "2. stop latency at `-i %s` "
		    "(`-d %s`): stop_ms of --stats", iv[i], ds);
		row(what, NULL, &one_ms);
		for (int b = 0; b < nbins; b++)
			if (bins[b].stats)
				row_cell(b, &stop[i][b], MS);
			else
				row_text(b, "n/a (no --stats yet)");
		snprintf(what, sizeof(what), "   the wipe's bytes on the pty "
		    "− the first frame's − %s s", ds);
		row(what, NULL, &one_ms);
		for (int b = 0; b < nbins; b++)
			row_cell(b, &wipe[i][b], MS);
		snprintf(ref, sizeof(ref), "`/bin/sleep %s`: %s", ds,
		    fmt_sample(a, sizeof(a), &s, MS));
		snprintf(what, sizeof(what), "   wall − %s s", ds);
		row(what, ref, NULL);
		for (int b = 0; b < nbins; b++)
			row_cell(b, &wall[i][b], MS);
	}
}

/* Binary b's frames in the steady runs: messages of one length. */
static const char *const steady_msg[NBIN] = { "spin-1", "spin-2" };
static const char *const steady_mark[NBIN] = { "spin-1\033[K",
    "spin-2\033[K" };

/* The time from frame 0 to frame k, less k intervals; 1e9 if short. */
static double
drift_of(const struct run *r, const char *mark, int k, double iv)
{
	const char *f0 = find_nth(r->text, r->len, mark, 0);
	const char *fk = find_nth(r->text, r->len, mark, (size_t)k);

	if (f0 == NULL || fk == NULL)
		return 1e9;
	/* a frame is drawn when its last byte is read */
	return chunk_time(r, (size_t)(fk - r->text) + strlen(mark) - 1) -
	    chunk_time(r, (size_t)(f0 - r->text) + strlen(mark) - 1) - k * iv;
}

/*
 * 3, 5, 6.  Steady spinning at -i 0.01: both binaries and the floor at
 * once on one pty, each its own message, so all three meet the same
 * moment of the machine (and the part takes one run's time, not three).
 * CPU per 1,000 frames against the floor's, peak and private memory,
 * and the time frame K after the first is read, against K intervals.
 */
/*
 * 5. again, for the binaries `make static` builds beside them (in
 * static/ under their folder), when there: nothing shared to map, so the
 * peak is what the spinner itself touches.
 */
static void
static_rss(const struct target *t)
{
	struct sample rss[NBIN];
	char path[NBIN][4096], *argv[12];
	const char *d = plan.quick ? "0.3" : "1";
	int have = 0;

	memset(rss, 0, sizeof(rss));
	for (int b = 0; b < nbins; b++) {
		const char *slash = strrchr(bins[b].path, '/');

		snprintf(path[b], sizeof(path[b]), "%.*sstatic/%s",
		    slash != NULL ? (int)(slash - bins[b].path + 1) : 0,
		    bins[b].path, bins[b].name);
		have += access(path[b], X_OK) == 0 && bins[b].stats;
	}
	if (have < nbins) {
		note("No `make static` build beside the binaries: its peak "
		    "RSS is left out.");
		return;
	}
	progress("5. the static build, -d %s -i 0.01, %d runs each", d,
	    plan.runs);
	for (int k = 0; k < plan.runs; k++)
		for (int b = 0; b < nbins; b++) {
			struct run r = { 0 };
			struct stats st;

			demo_argv(argv, b, d, "0.01", "bench", 1);
			argv[0] = path[b];
			pty1(&r, argv);
			if (r.p[0].status == 0 && stats_parse(r.text, r.len,
			    &st) && st.have & 1u << ST_MAXRSS)
				put(&rss[b], st.v[ST_MAXRSS]);
			else
				rss[b].bad++;
			run_free(&r);
		}
	row("   peak RSS of the same built with `make static` (VmHWM, "
	    "`-d 1 -i 0.01 --stats` alone on a pty)", NULL, t);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &rss[b], MIB);
}

void
bench_spin(void)
{
	struct sample cpu[NBIN] = { 0 }, ratio[NBIN] = { 0 }, rss[NBIN] = {
	    0 };
	struct sample priv[NBIN] = { 0 }, drift[NBIN] = { 0 }, drawn[NBIN] = {
	    0 };
	struct sample fcpu = { 0 }, frss = { 0 }, fpriv = { 0 }, fdrift = {
	    0 };
	static const struct target cpu_t = { LE, 1.25, 1.25, "≤ 1.25× the "
	    "floor" };
	static const struct target mem_t = { LE, 1.5 * 1024, 2 * 1024,
	    "≤ 1.5 MiB thread, ≤ 2 MiB async" };
	static const struct target drift_t = { ABSLE, 1e-3, 1e-3, "≤ 1 ms" };
	const double iv = 0.01;
	const int K = plan.drift_frames;
	char d[32], nframes[32], ref[256], what[192], a[96];
	long want = (long)(plan.spin_d / iv) + 1;
	struct run r = { 0 };

	snprintf(d, sizeof(d), "%g", plan.spin_d);
	snprintf(nframes, sizeof(nframes), "%ld", want);
	progress("3, 5, 6. spinning at -i 0.01 -d %s, the floor beside, %d "
	    "runs (%.0f s)", d, plan.runs, plan.runs * plan.spin_d);
	for (int k = 0; k < plan.runs; k++) {
		char *argv[NBIN][12];
		char *fl[] = { (char *)floor_path, "floor!", "0.01", nframes,
		    NULL };
		double fc = 0, fd;
		size_t nf, answers;
		int fi = nbins;

		/* who starts first goes round */
		for (int b = 0; b < nbins; b++) {
			int slot = (b + k) % nbins;

			demo_argv(argv[b], b, d, "0.01", steady_msg[b], 1);
			r.p[slot].argv = argv[b];
		}
		r.p[fi].argv = fl;
		r.np = nbins + 1;
		r.in = r.out = r.err = IO_PTY;
		r.sample_after = 0.3;	/* 30 frames on */
		r.sample_every = 1;
		run(&r);
		nf = count_str(r.text, r.len, "floor!\033[K");
		answers = count_str(r.text, r.len, "Answer: 42");
		if (r.trouble || r.p[fi].status != 0 || nf != (size_t)want) {
			flag("floor, spinning, run %d: status %d, %zu "
			    "frames of %ld", k + 1, r.p[fi].status, nf, want);
			fcpu.bad++, frss.bad++, fpriv.bad++, fdrift.bad++;
		} else {
			fc = cpu_of(&r.p[fi].ru) / (double)nf * 1000;
			put(&fcpu, fc);
			put(&frss, peak_of(&r, "floor: vmhwm_kib=",
			    (double)r.p[fi].ru.ru_maxrss));
			put(&fpriv, (double)r.p[fi].priv_kib);
			if ((fd = drift_of(&r, "floor!\033[K", K, iv)) < 1e9)
				put(&fdrift, fd);
		}
		for (int b = 0; b < nbins; b++) {
			const struct prog *p = &r.p[(b + k) % nbins];
			size_t nb = count_str(r.text, r.len, steady_mark[b]);

			if (r.trouble || p->status != 0 ||
			    nb < (size_t)K + 1 || answers != (size_t)nbins) {
				flag("%s, spinning, run %d: status %d, %zu "
				    "frames (%d wanted), %zu answers of %d",
				    bins[b].name, k + 1, p->status, nb, K + 1,
				    answers, nbins);
				cpu[b].bad++, ratio[b].bad++, rss[b].bad++;
				priv[b].bad++, drift[b].bad++, drawn[b].bad++;
				continue;
			}
			put(&cpu[b], cpu_of(&p->ru) / (double)nb * 1000);
			if (fc > 0)
				put(&ratio[b], cpu_of(&p->ru) / (double)nb *
				    1000 / fc);
			put(&rss[b], peak_of(&r, bins[b].name,
			    (double)p->ru.ru_maxrss));
			if (p->priv_kib > 0)
				put(&priv[b], (double)p->priv_kib);
			else
				priv[b].bad++;
			put(&drift[b], drift_of(&r, steady_mark[b], K, iv));
			put(&drawn[b], (double)nb);
		}
	}
	run_free(&r);

	snprintf(what, sizeof(what), "3. CPU per 1,000 frames, `-i 0.01 "
	    "-d %s`, both binaries and the floor at once on one pty (wait4)",
	    d);
	snprintf(ref, sizeof(ref), "floor: %s", fmt_sample(a, sizeof(a),
	    &fcpu, MS));
	row(what, ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &cpu[b], MS);
	row("   against the floor's in the same run", NULL, &cpu_t);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &ratio[b], X);
	snprintf(ref, sizeof(ref), "floor: %s", fmt_sample(a, sizeof(a),
	    &frss, MIB));
	row("5. peak RSS (VmHWM: maxrss_kib of --stats, the floor's own "
	    "line), the same runs", ref, &mem_t);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &rss[b], MIB);
	snprintf(ref, sizeof(ref), "floor: %s", fmt_sample(a, sizeof(a),
	    &fpriv, MIB));
	row("   private memory (Private_Clean + Private_Dirty of "
	    "smaps_rollup, the most while spinning)", ref, &mem_t);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &priv[b], MIB);
	snprintf(what, sizeof(what), "6. drift: frame %s after the first "
	    "(pty reads), against %.3f s", fmt_count(a, sizeof(a), K),
	    K * iv);
	snprintf(ref, sizeof(ref), "floor: %s", fmt_sample(a, sizeof(a),
	    &fdrift, MS));
	row(what, ref, &drift_t);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &drift[b], MS);
	/* a frame one interval late in the drift is often one left out */
	snprintf(what, sizeof(what), "   frames drawn in a run (%s due, the "
	    "last as the run ends)", fmt_count(a, sizeof(a), want));
	snprintf(ref, sizeof(ref), "floor: %s", nframes);
	row(what, ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &drawn[b], N1);
	if (plan.quick)
		note("QUICK: steady runs of %s s, the drift at frame %d "
		    "(against %.2f s), not frame 1,000.", d, K, K * iv);
	static_rss(&mem_t);
}

/* --- 4. system calls per frame, from strace -f */

#define MAXNAMES 64

struct calls {
	char name[MAXNAMES][32];
	struct sample per[MAXNAMES];	/* per frame, each run */
	int n;
};

static int
call_slot(struct calls *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0)
			return i;
	if (c->n == MAXNAMES)
		return -1;
	snprintf(c->name[c->n], sizeof(c->name[0]), "%s", name);
	memset(&c->per[c->n], 0, sizeof(c->per[0]));
	return c->n++;
}

/*
 * Calls per frame in strace's log: those after frame 10's write, to and
 * with the write of the last frame but one (the last may carry the
 * stop); each call counted once, where it starts.  Into c (a name's
 * runs before this one count 0); the calls per frame, or -1.
 */
static double
strace_count(const char *log, struct calls *c, int round)
{
	FILE *fp = fopen(log, "r");
	char line[4096], name[32];
	long *at = NULL;	/* the call index of each frame's write */
	size_t nat = 0, cap = 0;
	int *who = NULL;	/* each call's name slot */
	size_t ncall = 0, callcap = 0;
	double per, total = 0;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *p = line + strspn(line, "0123456789 ");
		size_t n = strcspn(p, "(");
		int slot;

		if (*p == '<' || *p == '+' || *p == '-' || p[n] != '(' ||
		    n == 0 || n >= sizeof(name))
			continue;
		memcpy(name, p, n);
		name[n] = '\0';
		if ((slot = call_slot(c, name)) < 0)
			continue;
		if (strncmp(name, "write", 5) == 0 &&
		    strstr(p, "bench\\33[K") != NULL) {
			if (nat == cap && (at = realloc(at, (cap = cap * 2 +
			    256) * sizeof(*at))) == NULL)
				abort();
			at[nat++] = (long)ncall;
		}
		if (ncall == callcap && (who = realloc(who, (callcap =
		    callcap * 2 + 4096) * sizeof(*who))) == NULL)
			abort();
		who[ncall++] = slot;
	}
	fclose(fp);
	if (nat < 13) {
		free(at);
		free(who);
		return -1;
	}
	{
		long from = at[10], to = at[nat - 2];
		double frames = (double)(nat - 2 - 10);
		double count[MAXNAMES] = { 0 };

		for (long i = from + 1; i <= to; i++)
			count[who[i]]++;
		for (int s = 0; s < c->n; s++) {
			/* a name first seen now: 0 in the runs before */
			while (c->per[s].n < round)
				put(&c->per[s], 0);
			put(&c->per[s], count[s] / frames);
			total += count[s] / frames;
		}
	}
	per = total;
	free(at);
	free(who);
	return per;
}

/* "futex 2 · write 1 ...": each call's median per frame, most first. */
static void
calls_text(char *buf, size_t size, struct calls *c, int runs)
{
	double med[MAXNAMES];
	int order[MAXNAMES], n = 0;
	size_t len = 0;

	for (int s = 0; s < c->n; s++) {
		while (c->per[s].n < runs)
			put(&c->per[s], 0);
		med[s] = median(&c->per[s]);
		if (med[s] >= 0.005)
			order[n++] = s;
	}
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && (med[order[j]] > med[order[j - 1]] ||
		    (med[order[j]] == med[order[j - 1]] &&
		    strcmp(c->name[order[j]], c->name[order[j - 1]]) < 0));
		    j--) {
			int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	buf[0] = '\0';
	for (int i = 0; i < n && len < size; i++) {
		char num[32];

		snprintf(num, sizeof(num), "%.2f", med[order[i]]);
		/* 1.00 as 1, 0.50 as 0.5 */
		for (char *e = num + strlen(num) - 1; *e == '0'; e--)
			*e = '\0';
		if (num[strlen(num) - 1] == '.')
			num[strlen(num) - 1] = '\0';
		len += (size_t)snprintf(buf + len, size - len, "%s%s %s",
		    i > 0 ? " · " : "", c->name[order[i]], num);
	}
	if (n == 0)
		snprintf(buf, size, "n/a");
}

void
bench_syscalls(void)
{
	static struct calls calls[NBIN], fcalls;
	struct sample per[NBIN] = { 0 }, fper = { 0 };
	static const struct target two = { LE, 2, 2, "≤ 2" };
	char log[] = "/tmp/spinner-bench-strace-XXXXXX";
	char d[32], nframes[32], what[160], ref[700], a[96], list[512];
	struct run r = { 0 };
	int fd;

	if (system("strace -V >/dev/null 2>&1") != 0) {
		flag("4. system calls: no strace (make bench installs it)");
		row("4. system calls per frame", "no strace", NULL);
		return;
	}
	if ((fd = mkstemp(log)) < 0)
		abort();
	close(fd);
	snprintf(d, sizeof(d), "%g", plan.strace_d);
	snprintf(nframes, sizeof(nframes), "%ld",
	    (long)(plan.strace_d / 0.01) + 1);
	progress("4. system calls per frame under strace, %d runs",
	    plan.runs);
	memset(calls, 0, sizeof(calls));
	memset(&fcalls, 0, sizeof(fcalls));
	for (int k = 0; k < plan.runs; k++) {
		for (int b = -1; b < nbins; b++) {
			char *argv[20] = { "strace", "-f", "-qq", "-s", "80",
			    "-o", log };
			char *fl[] = { (char *)floor_path, "bench", "0.01",
			    nframes, NULL };
			double v;

			if (b < 0)
				memcpy(argv + 7, fl, sizeof(fl));
			else
				demo_argv(argv + 7, b, d, "0.01", "bench", 0);
			pty1(&r, argv);
			v = strace_count(log, b < 0 ? &fcalls : &calls[b],
			    b < 0 ? fper.n : per[b].n);
			if (r.trouble || r.p[0].status != 0 || v < 0) {
				flag("%s under strace, run %d: status %d, "
				    "%s", b < 0 ? "floor" : bins[b].name,
				    k + 1, r.p[0].status, v < 0 ? "too few "
				    "frames in its log" : "log read");
				(b < 0 ? &fper : &per[b])->bad++;
				continue;
			}
			put(b < 0 ? &fper : &per[b], v);
		}
	}
	unlink(log);
	run_free(&r);
	snprintf(what, sizeof(what), "4. system calls per frame (strace -f, "
	    "`-i 0.01 -d %s`, from frame 10 on)", d);
	calls_text(list, sizeof(list), &fcalls, fper.n);
	snprintf(ref, sizeof(ref), "floor: %s", fmt_sample(a, sizeof(a),
	    &fper, N1));
	row(what, ref, &two);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &per[b], N1);
	snprintf(ref, sizeof(ref), "floor: %s", list);
	row("   which (name × calls per frame, medians)", ref, NULL);
	for (int b = 0; b < nbins; b++) {
		calls_text(list, sizeof(list), &calls[b], per[b].n);
		row_text(b, list);
	}
}

/* --- 7. COMMAND's bytes */

/*
 * A pipe's speed depends most on whether its two ends share a CPU (on
 * one, a cache keeps the bytes; on two, they cross): left to the
 * scheduler, runs of cat alone differ sevenfold.  So the feeder (us) and
 * the programs run on one CPU, the last we may use; what the spinner
 * takes shows, as it takes it from cat.  The mask we had, or -1.
 */
static int
one_cpu(cpu_set_t *was)
{
	cpu_set_t one;
	int last = -1;

	if (sched_getaffinity(0, sizeof(*was), was) != 0)
		return -1;
	for (size_t c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, was))
			last = (int)c;
	if (last < 0)
		return -1;
	CPU_ZERO(&one);
	CPU_SET((size_t)last, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0)
		return -1;
	return last;
}

void
bench_pipe(void)
{
	cpu_set_t was;
	int cpu;
	struct sample rate[NBIN] = { 0 }, ratio[NBIN] = { 0 }, cat = { 0 };
	static const struct target t = { GE, 0.99, 0.99, "≥ 0.99× cat" };
	char *alone[] = { "cat", NULL };
	char what[160], ref[160], a[96], size[32];
	struct run r = { 0 };

	snprintf(size, sizeof(size), "%zu MiB", plan.pipe_bytes >> 20);
	if (plan.pipe_bytes == (size_t)1 << 30)
		snprintf(size, sizeof(size), "1 GiB");
	progress("7. %s through BIN -- cat, %d runs", size, plan.runs);
	r.np = 1;
	r.in = IO_PIPE;
	r.feed = plan.pipe_bytes;
	r.out = IO_NULL;
	r.err = IO_PTY;
	cpu = one_cpu(&was);
	for (int k = 0; k < plan.runs; k++) {
		double c = 0;

		r.p[0].argv = alone;
		run(&r);
		if (plain_ok(&r, "cat", "pipe", k))
			put(&cat, c = (double)plan.pipe_bytes / r.p[0].wall);
		else
			cat.bad++;
		for (int b = 0; b < nbins; b++) {
			char *argv[] = { (char *)bins[b].path, "-m", "bench",
			    "--", "cat", NULL };
			double v;

			r.p[0].argv = argv;
			run(&r);
			if (!plain_ok(&r, bins[b].name, "pipe", k) ||
			    count_str(r.text, r.len, MARK) == 0) {
				if (r.p[0].status == 0)
					flag("%s, pipe, run %d: no frame on "
					    "its pty", bins[b].name, k + 1);
				rate[b].bad++;
				ratio[b].bad++;
				continue;
			}
			put(&rate[b], v = (double)plan.pipe_bytes /
			    r.p[0].wall);
			if (c > 0)
				put(&ratio[b], v / c);
		}
	}
	run_free(&r);
	if (cpu >= 0)
		sched_setaffinity(0, sizeof(was), &was);
	snprintf(what, sizeof(what), "7. %s through `BIN -- cat` (stdin and "
	    "stdout pipes, stderr the pty; all on CPU %d)", size, cpu);
	snprintf(ref, sizeof(ref), "`cat` alone: %s", fmt_sample(a,
	    sizeof(a), &cat, MIBS));
	row(what, ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &rate[b], MIBS);
	row("   against `cat` alone (the same round)", NULL, &t);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &ratio[b], X);
}

/* Whether seq's lines all came: the last, and a newline each. */
static int
lines_ok(const struct run *r, const char *who, int k)
{
	char last[32];

	snprintf(last, sizeof(last), "\n%d\r\n", plan.relay_lines);
	if (r->trouble || r->p[0].status != 0 ||
	    count_str(r->text, r->len, last) != 1 ||
	    count_str(r->text, r->len, "\n") < (size_t)plan.relay_lines) {
		flag("%s, relay, run %d: status %d, %zu lines", who, k + 1,
		    r->p[0].status, count_str(r->text, r->len, "\n"));
		return 0;
	}
	return 1;
}

void
bench_relay(void)
{
	struct sample w[NBIN] = { 0 }, ratio[NBIN] = { 0 }, alone = { 0 };
	char n[32], what[160], ref[160], a[96];
	char *seq[] = { "seq", "1", n, NULL };
	struct run r = { 0 };

	snprintf(n, sizeof(n), "%d", plan.relay_lines);
	progress("7. seq 1 %s through the relay, %d runs", n, plan.runs);
	for (int k = 0; k < plan.runs; k++) {
		double base = 0;

		pty1(&r, seq);
		if (lines_ok(&r, "seq alone", k))
			put(&alone, base = r.p[0].wall);
		else
			alone.bad++;
		for (int b = 0; b < nbins; b++) {
			char *argv[] = { (char *)bins[b].path, "-i", "0.1",
			    "-m", "bench", "--", "seq", "1", n, NULL };

			pty1(&r, argv);
			if (!lines_ok(&r, bins[b].name, k)) {
				w[b].bad++;
				ratio[b].bad++;
				continue;
			}
			put(&w[b], r.p[0].wall);
			if (base > 0)
				put(&ratio[b], r.p[0].wall / base);
		}
	}
	run_free(&r);
	snprintf(what, sizeof(what), "   `BIN -i 0.1 -- seq 1 %s` on a pty, "
	    "stdout the pty (the relay): wall", n);
	snprintf(ref, sizeof(ref), "`seq 1 %s` alone: %s", n, fmt_sample(a,
	    sizeof(a), &alone, MS));
	row(what, ref, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &w[b], MS);
	row("   against `seq` alone (the same round)", NULL, NULL);
	for (int b = 0; b < nbins; b++)
		row_cell(b, &ratio[b], X);
}
