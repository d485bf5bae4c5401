/*
 * Figures and the one table.  A figure is the median of its runs with
 * the least and the most, "median (min–max)", in the unit of its row;
 * a run that went wrong is left out of it, said so in its cell and
 * listed under the table.  A row may name its target: each binary's
 * median is marked against it (✔ or ✖); nothing is asserted.  The same
 * table goes to stdout and, with the machine it ran on, to a file.
 */
#define _DEFAULT_SOURCE

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

#include "bench.h"

const struct unit MS = { 1e3, "ms" }, S = { 1, "s" },
    MIB = { 1.0 / 1024, "MiB" },	/* stored in KiB */
    X = { 1, "×" }, MIBS = { 1.0 / (1 << 20), "MiB/s" }, N1 = { 1, "" };

#define MAXROWS 96
#define MAXNOTES 64

static struct row {
	char what[192];
	char cell[NBIN][128];
	char ref[256];
	char target[96];
} rows[MAXROWS];
static int nrows;
static const struct target *cur_target;

static char *notes[MAXNOTES], *flags[MAXNOTES];
static int nnotes, nflags;
static char date[64], load0[64];

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
put(struct sample *s, double x)
{
	if (s->n < MAXRUNS)
		s->v[s->n++] = x;
}

double
median(const struct sample *s)
{
	double v[MAXRUNS];

	if (s->n == 0)
		return 0;
	memcpy(v, s->v, (size_t)s->n * sizeof(v[0]));
	qsort(v, (size_t)s->n, sizeof(v[0]), cmpd);
	/* of an even count, the mean of the middle two */
	return s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
}

/* Enough decimals for three figures or so of x. */
static int
decimals(double x)
{
	x = x < 0 ? -x : x;
	return x >= 100 ? 0 : x >= 10 ? 1 : x >= 1 ? 2 : 3;
}

char *
fmt_sample(char *buf, size_t size, const struct sample *s, struct unit u)
{
	double v[MAXRUNS], med = median(s) * u.scale;
	int d = decimals(med), whole = 1;
	const char *sp = strcmp(u.name, "×") == 0 || *u.name == '\0' ? "" :
	    " ";
	size_t n;

	if (s->n == 0) {
		n = (size_t)snprintf(buf, size, "n/a");
	} else {
		memcpy(v, s->v, (size_t)s->n * sizeof(v[0]));
		qsort(v, (size_t)s->n, sizeof(v[0]), cmpd);
		/* counts (threads, tasks) as they are: 1, not 1.00 */
		for (int i = 0; i < s->n; i++)
			whole &= v[i] * u.scale == (double)(long)(v[i] *
			    u.scale);
		if (whole && med == (double)(long)med)
			d = 0;
		if (s->n == 1)
			n = (size_t)snprintf(buf, size, "%.*f%s%s (1 run)", d,
			    med, sp, u.name);
		else
			n = (size_t)snprintf(buf, size, "%.*f%s%s "
			    "(%.*f–%.*f)", d, med, sp, u.name, d,
			    v[0] * u.scale, d, v[s->n - 1] * u.scale);
	}
	if (s->bad > 0 && n < size)
		snprintf(buf + n, size - n, " [%d bad run%s]", s->bad,
		    s->bad > 1 ? "s" : "");
	return buf;
}

/* n with a comma every three digits: 10,000. */
char *
fmt_count(char *buf, size_t size, long n)
{
	if (n >= 1000)
		snprintf(buf, size, "%ld,%03ld", n / 1000, n % 1000);
	else
		snprintf(buf, size, "%ld", n);
	return buf;
}

void
row(const char *what, const char *ref, const struct target *t)
{
	struct row *r;

	if (nrows == MAXROWS)
		return;
	r = &rows[nrows++];
	snprintf(r->what, sizeof(r->what), "%s", what);
	snprintf(r->ref, sizeof(r->ref), "%s", ref != NULL ? ref : "");
	snprintf(r->target, sizeof(r->target), "%s",
	    t != NULL && t->text != NULL ? t->text : "");
	for (int b = 0; b < NBIN; b++)
		r->cell[b][0] = '\0';
	cur_target = t;
}

void
row_text(int b, const char *text)
{
	if (nrows > 0)
		snprintf(rows[nrows - 1].cell[b], sizeof(rows[0].cell[0]),
		    "%s", text);
}

static int met, missed;

/* Binary b's figure in the last row, marked against the row's target. */
void
row_cell(int b, const struct sample *s, struct unit u)
{
	const struct target *t = cur_target;
	char buf[128];
	double lim = t == NULL ? NAN : bins[b].async ? t->async : t->thread;

	fmt_sample(buf, sizeof(buf), s, u);
	/* a target for the other binary only is none for this one */
	if (t != NULL && t->cmp != NONE && s->n > 0 && !isnan(lim)) {
		double m = median(s);
		int ok = t->cmp == LE ? m <= lim : t->cmp == GE ? m >= lim :
		    (m < 0 ? -m : m) <= lim;
		size_t n = strlen(buf);

		snprintf(buf + n, sizeof(buf) - n, " %s", ok ? "✔" : "✖");
		ok ? met++ : missed++;
	}
	row_text(b, buf);
}

static void
vlist(char **list, int *n, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (*n < MAXNOTES && (list[*n] = strdup(buf)) != NULL)
		(*n)++;
}

void
note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlist(notes, &nnotes, fmt, ap);
	va_end(ap);
}

/* A run that went wrong: said now, and again under the table. */
void
flag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlist(flags, &nflags, fmt, ap);
	va_end(ap);
	fprintf(stderr, "bench: !! %s\n", flags[nflags - 1]);
}

void
progress(const char *fmt, ...)
{
	va_list ap;

	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* --- the machine */

/* The first line cmd prints, or "?". */
static char *
first_line(const char *cmd, char *buf, size_t size)
{
	FILE *fp = popen(cmd, "r");

	snprintf(buf, size, "?");
	if (fp != NULL) {
		if (fgets(buf, (int)size, fp) == NULL)
			snprintf(buf, size, "?");
		pclose(fp);
	}
	buf[strcspn(buf, "\n")] = '\0';
	if (buf[0] == '\0')
		snprintf(buf, size, "?");
	return buf;
}

static void
loadavg(char *buf, size_t size)
{
	FILE *fp = fopen("/proc/loadavg", "r");
	double a = 0, b = 0, c = 0;

	if (fp != NULL) {
		if (fscanf(fp, "%lf %lf %lf", &a, &b, &c) != 3)
			a = b = c = 0;
		fclose(fp);
	}
	snprintf(buf, size, "%.2f %.2f %.2f", a, b, c);
}

/* What the machine is, asked before the runs; the load is asked again. */
static char cpu[128], cc[256], uv[64], cm[64], par[64], st[64], xa[64];
static char rev[64];
static struct utsname u;

void
machine_start(void)
{
	const char *ccname = getenv("CC") != NULL ? getenv("CC") : "cc";
	time_t t = time(NULL);
	char cmd[300];

	strftime(date, sizeof(date), "%Y-%m-%d %H:%M %Z", localtime(&t));
	loadavg(load0, sizeof(load0));
	first_line("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo",
	    cpu, sizeof(cpu));
	snprintf(cmd, sizeof(cmd), "%s --version 2>/dev/null", ccname);
	first_line(cmd, cc, sizeof(cc));
	first_line("dpkg-query -W -f='${Version}' libuv1-dev 2>/dev/null || "
	    "pkg-config --modversion libuv 2>/dev/null", uv, sizeof(uv));
	first_line("dpkg-query -W -f='${Version}' libcmocka-dev 2>/dev/null "
	    "|| pkg-config --modversion cmocka 2>/dev/null", cm, sizeof(cm));
	first_line("parallel --version 2>/dev/null", par, sizeof(par));
	first_line("strace -V 2>/dev/null", st, sizeof(st));
	first_line("xargs --version 2>/dev/null", xa, sizeof(xa));
	/* the sources' state, not this file's, written after */
	first_line("git rev-parse --short HEAD 2>/dev/null", rev, sizeof(rev));
	if (strcmp(rev, "?") != 0 && system("git diff --quiet HEAD -- src "
	    "bench Makefile ':!bench/results.md' 2>/dev/null") != 0) {
		size_t n = strlen(rev);

		snprintf(rev + n, sizeof(rev) - n, ", with changes not "
		    "committed");
	}
	if (uname(&u) != 0)
		memset(&u, 0, sizeof(u));
}

static void
machine(FILE *fp, double took)
{
	char load1[64];

	loadavg(load1, sizeof(load1));
	fprintf(fp, "- date: %s; took %.1f min; load average %s at the "
	    "start, %s at the end\n", date, took / 60, load0, load1);
	fprintf(fp, "- CPU: %s, %ld cores online\n", cpu,
	    sysconf(_SC_NPROCESSORS_ONLN));
	fprintf(fp, "- kernel: %s %s %s\n", u.sysname, u.release, u.machine);
	fprintf(fp, "- compiler: %s\n", cc);
#ifdef __GLIBC__
	fprintf(fp, "- libc: glibc %s\n", gnu_get_libc_version());
#endif
	fprintf(fp, "- libuv1-dev %s, libcmocka-dev %s\n", uv, cm);
	fprintf(fp, "- peers: %s; %s; %s\n", xa, par, st);
	fprintf(fp, "- built from: %s\n", rev);
}

/* Its width on a terminal: one column a character. */
static int
width(const char *s)
{
	int w = 0;

	for (; *s != '\0'; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void
cell_out(FILE *fp, const char *s, int w)
{
	fprintf(fp, " %s%*s |", s, w - width(s), "");
}

static void
table(FILE *fp)
{
	int w[NBIN + 3] = { 0 };
	const char *head[NBIN + 3];
	int nc = nbins + 3;

	head[0] = "";
	for (int b = 0; b < nbins; b++)
		head[1 + b] = bins[b].name;
	head[1 + nbins] = "peer / reference";
	head[2 + nbins] = "target";
	for (int c = 0; c < nc; c++)
		w[c] = width(head[c]);
	for (int i = 0; i < nrows; i++) {
		const char *col[NBIN + 3];

		col[0] = rows[i].what;
		for (int b = 0; b < nbins; b++)
			col[1 + b] = rows[i].cell[b];
		col[1 + nbins] = rows[i].ref;
		col[2 + nbins] = rows[i].target;
		for (int c = 0; c < nc; c++)
			if (width(col[c]) > w[c])
				w[c] = width(col[c]);
	}
	fputc('|', fp);
	for (int c = 0; c < nc; c++)
		cell_out(fp, head[c], w[c]);
	fputs("\n|", fp);
	for (int c = 0; c < nc; c++) {
		fputc(c == 0 ? ':' : '-', fp);
		for (int k = 0; k < w[c] + 1; k++)
			fputc('-', fp);
		fputc('|', fp);
	}
	fputc('\n', fp);
	for (int i = 0; i < nrows; i++) {
		fputc('|', fp);
		cell_out(fp, rows[i].what, w[0]);
		for (int b = 0; b < nbins; b++)
			cell_out(fp, rows[i].cell[b], w[1 + b]);
		cell_out(fp, rows[i].ref, w[1 + nbins]);
		cell_out(fp, rows[i].target, w[2 + nbins]);
		fputc('\n', fp);
	}
}

static void
report(FILE *fp, const char *parts, double took, int md)
{
	if (md)
		fprintf(fp, "# Measurements\n\n");
	fprintf(fp, "%s%s%s\n\n", plan.quick ? "`make bench QUICK=1`: "
	    "QUICK, fewer runs and tasks, not figures to quote" :
	    "`make bench`", parts != NULL ? "; only BENCH=" : "",
	    parts != NULL ? parts : "");
	fprintf(fp, "Each figure is the median (min–max) of its runs, marked "
	    "✔ or ✖ against its target; nothing is asserted.\n\n");
	machine(fp, took);
	fprintf(fp, "\n");
	table(fp);
	fprintf(fp, "\nTargets: %d met, %d missed.\n", met, missed);
	if (nnotes > 0) {
		fprintf(fp, "\nNotes:\n\n");
		for (int i = 0; i < nnotes; i++)
			fprintf(fp, "- %s\n", notes[i]);
	}
	fprintf(fp, "\n%s\n", nflags > 0 ? "Runs that went wrong (left out of "
	    "their figures):\n" : "Every run ended as it should.");
	for (int i = 0; i < nflags; i++)
		fprintf(fp, "- !! %s\n", flags[i]);
}

/*
 * Why the targets missed are missed: written by hand in why.md beside
 * the results, and copied under the table, so that the file that gives
 * the figures gives the reasons too.
 */
static void
append_why(FILE *fp, const char *results)
{
	const char *slash = strrchr(results, '/');
	char path[4096], buf[4096];
	size_t n;
	FILE *in;

	snprintf(path, sizeof(path), "%.*swhy.md", slash != NULL ?
	    (int)(slash - results + 1) : 0, results);
	if ((in = fopen(path, "r")) == NULL)
		return;
	fputc('\n', fp);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, fp);
	fclose(in);
}

void
table_print(const char *results, const char *parts, double took)
{
	FILE *fp;

	fflush(stderr);
	report(stdout, parts, took, 0);
	fflush(stdout);
	if (results == NULL)
		return;
	if ((fp = fopen(results, "w")) == NULL) {
		perror(results);
		return;
	}
	report(fp, parts, took, 1);
	append_why(fp, results);
	if (fclose(fp) != 0)
		perror(results);
	else
		printf("\n(written to %s)\n", results);
}
