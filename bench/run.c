/*
 * Running the programs measured.
 *
 * A run's programs all start on one new pseudo-terminal, in the
 * foreground process group of the session it controls: a spinner draws
 * only when its terminal says it is in the foreground, and a second
 * program (the floor beside a spinner) must see the same terminal.  A
 * process of ours, the keeper, makes that session, forks each program
 * and reaps it, and sends us over a pipe when each was forked and its
 * status and rusage when it was reaped; we meanwhile read the pty (or a
 * pipe for stderr) and note when each read came, feed stdin if asked,
 * and look at /proc for what only a running process can say.
 */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include "bench.h"

double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
cpu_of(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec + (double)ru->ru_stime.tv_sec +
	    ((double)ru->ru_utime.tv_usec + (double)ru->ru_stime.tv_usec) /
	    1e6;
}

/* What the keeper says: program i was forked, or reaped. */
struct report {
	int i;
	int reaped;
	pid_t pid;
	int status;
	double t;
	struct rusage ru;
};

static void
say_keeper(int fd, const struct report *rp)
{
	/* smaller than PIPE_BUF: one write, never torn */
	while (write(fd, rp, sizeof(*rp)) < 0 && errno == EINTR)
		;
}

static void
to(int fd, int target)
{
	if (fd != target && dup2(fd, target) < 0)
		_exit(126);
}

/* In the program's process: its descriptors, then exec. */
static void
start_prog(const struct run *r, int i, int slave, int feed, int err)
{
	int null = open("/dev/null", O_RDWR);
	int in = null;

	if (i == 0) {
		if (r->in == IO_PTY)
			in = slave;
		else if (r->in == IO_PIPE)
			in = feed;
		else if (r->in == IO_FILE && (in = open(r->in_file,
		    O_RDONLY)) < 0)
			_exit(126);
	}
	to(in, 0);
	to(r->out == IO_PTY ? slave : null, 1);
	to(r->err == IO_PTY ? slave : r->err == IO_PIPE ? err : null, 2);
	/* ours ignores SIGPIPE, the keeper SIGHUP: exec would keep them */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	setenv("TERM", "xterm", 1);
	setenv("LC_ALL", "C", 1);
	execvp(r->p[i].argv[0], r->p[i].argv);
	_exit(127);
}

/* The keeper: a session on the pty, every program forked, every one reaped. */
static void
keeper(const struct run *r, int slave, int feed, int err, int rep)
{
	struct report rp;
	int left = 0, st;
	pid_t pid;

	if (slave >= 0 && (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0))
		_exit(126);
	/* the pty's end must not end us before we report */
	signal(SIGHUP, SIG_IGN);
	for (int i = 0; i < r->np; i++) {
		memset(&rp, 0, sizeof(rp));
		rp.i = i;
		rp.t = now();
		if ((pid = fork()) == 0)
			start_prog(r, i, slave, feed, err);
		rp.pid = pid;
		rp.status = pid < 0 ? -1 : 0;
		say_keeper(rep, &rp);
		if (pid > 0)
			left++;
	}
	/* hold nothing open that would keep the pty or a pipe from ending */
	if (slave >= 0)
		close(slave);
	if (feed >= 0)
		close(feed);
	if (err >= 0)
		close(err);
	while (left > 0) {
		memset(&rp, 0, sizeof(rp));
		if ((pid = wait4(-1, &st, 0, &rp.ru)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		rp.t = now();
		rp.reaped = 1;
		rp.pid = pid;
		rp.status = WIFEXITED(st) ? WEXITSTATUS(st) :
		    128 + WTERMSIG(st);
		rp.i = -1;	/* the reader knows it by its pid */
		say_keeper(rep, &rp);
		left--;
	}
	_exit(0);
}

static void
keep(struct run *r, const char *p, size_t n, double t)
{
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 1 << 16;

		while (r->len + n + 1 > cap)
			cap *= 2;
		if ((r->text = realloc(r->text, cap)) == NULL)
			abort();
		r->cap = cap;
	}
	memcpy(r->text + r->len, p, n);
	r->len += n;
	r->text[r->len] = '\0';
	if (r->nchunks == r->chunkcap) {
		r->chunkcap = r->chunkcap ? 2 * r->chunkcap : 1024;
		r->chunks = realloc(r->chunks, r->chunkcap *
		    sizeof(r->chunks[0]));
		if (r->chunks == NULL)
			abort();
	}
	r->chunks[r->nchunks].end = r->len;
	r->chunks[r->nchunks].t = t;
	r->nchunks++;
}

/* The number after "key:" in a /proc file of pid, the most of those. */
static long
proc_field(pid_t pid, const char *file, const char *key, int sum2,
    const char *key2)
{
	char path[64], line[256];
	long v = -1, x;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((strncmp(line, key, strlen(key)) == 0 ||
		    (sum2 && strncmp(line, key2, strlen(key2)) == 0)) &&
		    sscanf(strchr(line, ':') + 1, "%ld", &x) == 1)
			v = v < 0 ? x : v + x;
	}
	fclose(fp);
	return v;
}

static void
sample(struct run *r)
{
	for (int i = 0; i < r->np; i++) {
		struct prog *p = &r->p[i];
		long v;

		if (p->pid <= 0 || p->wall > 0)
			continue;
		v = proc_field(p->pid, "smaps_rollup", "Private_Clean:", 1,
		    "Private_Dirty:");
		if (v > p->priv_kib)
			p->priv_kib = v;
		v = proc_field(p->pid, "status", "Threads:", 0, "");
		if (v > p->threads)
			p->threads = v;
	}
}

static void
cloexec(int fd)
{
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* A pipe neither end of which a program inherits but through dup2. */
static void
pipe_cloexec(int fd[2])
{
	if (pipe(fd) != 0)
		abort();
	cloexec(fd[0]);
	cloexec(fd[1]);
}

void
run(struct run *r)
{
	struct winsize ws = { 24, 80, 0, 0 };
	static char zeros[1 << 16];
	char buf[1 << 16];
	int master = -1, slave = -1, feed[2] = { -1, -1 };
	int err[2] = { -1, -1 }, rep[2];
	int pty = r->in == IO_PTY || r->out == IO_PTY || r->err == IO_PTY;
	int reaped = 0, rep_open = 1, done_master = -1;
	size_t fed = 0;
	double next = r->sample_after;
	pid_t k;

	r->len = r->nchunks = 0;
	r->trouble = 0;
	for (int i = 0; i < r->np; i++) {
		r->p[i].pid = 0;
		r->p[i].status = -1;
		r->p[i].start = r->p[i].wall = 0;
		r->p[i].priv_kib = r->p[i].threads = -1;
		memset(&r->p[i].ru, 0, sizeof(r->p[i].ru));
	}
	if (pty) {
		if (openpty(&master, &slave, NULL, NULL, &ws) < 0) {
			r->trouble = 1;
			return;
		}
		cloexec(master);
		cloexec(slave);
	}
	if (r->in == IO_PIPE)
		pipe_cloexec(feed);
	if (r->err == IO_PIPE)
		pipe_cloexec(err);
	pipe_cloexec(rep);
	r->t0 = now();
	if ((k = fork()) == 0) {
		close(rep[0]);
		if (master >= 0)
			close(master);
		if (feed[1] >= 0)
			close(feed[1]);
		if (err[0] >= 0)
			close(err[0]);
		keeper(r, slave, feed[0], err[1], rep[1]);
	}
	if (k < 0)
		abort();
	close(rep[1]);
	if (slave >= 0)
		close(slave);
	if (feed[0] >= 0)
		close(feed[0]);
	if (err[1] >= 0)
		close(err[1]);
	if (feed[1] >= 0)
		fcntl(feed[1], F_SETFL, O_NONBLOCK);

	while (master >= 0 || err[0] >= 0 || rep_open) {
		struct pollfd pfd[4];
		int n = 0, timeout = -1;
		double t = now() - r->t0;

		if (r->sample_every > 0 && t >= next) {
			sample(r);
			next = t + r->sample_every;
		}
		if (r->sample_every > 0)
			timeout = (int)((next - t) * 1000) + 1;
		if (master >= 0)
			pfd[n++] = (struct pollfd){ master, POLLIN, 0 };
		if (err[0] >= 0)
			pfd[n++] = (struct pollfd){ err[0], POLLIN, 0 };
		if (rep_open)
			pfd[n++] = (struct pollfd){ rep[0], POLLIN, 0 };
		if (feed[1] >= 0)
			pfd[n++] = (struct pollfd){ feed[1], POLLOUT, 0 };
		if (poll(pfd, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			abort();
		}
		for (int j = 0; j < n; j++) {
			ssize_t got;
			int fd = pfd[j].fd;

			if (pfd[j].revents == 0)
				continue;
			if (fd == feed[1]) {
				size_t want = r->feed - fed;

				got = write(fd, zeros, want < sizeof(zeros) ?
				    want : sizeof(zeros));
				if (got > 0)
					fed += (size_t)got;
				if ((got < 0 && errno != EAGAIN) ||
				    fed >= r->feed) {
					close(fd);
					feed[1] = -1;
				}
				continue;
			}
			if (fd == rep[0]) {
				struct report rp;

				got = read(fd, &rp, sizeof(rp));
				if (got != (ssize_t)sizeof(rp)) {
					rep_open = 0;
					continue;
				}
				if (!rp.reaped) {
					r->p[rp.i].pid = rp.pid;
					r->p[rp.i].start = rp.t - r->t0;
					if (rp.pid < 0)
						r->trouble = 1;
					continue;
				}
				for (int i = 0; i < r->np; i++)
					if (r->p[i].pid == rp.pid) {
						r->p[i].status = rp.status;
						r->p[i].wall = rp.t - r->t0 -
						    r->p[i].start;
						r->p[i].ru = rp.ru;
						reaped++;
					}
				continue;
			}
			got = read(fd, buf, sizeof(buf));
			if (got > 0) {
				keep(r, buf, (size_t)got, now() - r->t0);
			} else if (got == 0 || errno != EINTR) {
				/*
				 * EIO: the pty's last other end closed.  The
				 * master stays open until the keeper is done:
				 * its close would hang the pty up, and SIGHUP
				 * the keeper before it reports.
				 */
				if (fd == master) {
					done_master = master;
					master = -1;
				} else {
					close(fd);
					err[0] = -1;
				}
			}
		}
	}
	close(rep[0]);
	if (feed[1] >= 0)
		close(feed[1]);
	if (done_master >= 0)
		close(done_master);
	while (waitpid(k, NULL, 0) < 0 && errno == EINTR)
		;
	r->wall = now() - r->t0;
	r->fed = fed;
	if (reaped != r->np)
		r->trouble = 1;
}

void
run_free(struct run *r)
{
	free(r->text);
	free(r->chunks);
	r->text = NULL;
	r->chunks = NULL;
	r->len = r->cap = r->nchunks = r->chunkcap = 0;
}

/* When the byte at off was read, from the run's t0. */
double
chunk_time(const struct run *r, size_t off)
{
	size_t lo = 0, hi = r->nchunks;

	/* the first chunk whose end is past off */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->chunks[mid].end > off)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo < r->nchunks ? r->chunks[lo].t : -1;
}

/* memmem for the string s, from p. */
static const char *
find(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s);
	const char *end = p + len;

	if (n == 0)
		return NULL;
	while ((size_t)(end - p) >= n &&
	    (p = memchr(p, s[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, s, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

size_t
count_str(const char *p, size_t len, const char *s)
{
	size_t n = 0, sl = strlen(s);
	const char *q;

	while ((q = find(p, len, s)) != NULL) {
		n++;
		len -= (size_t)(q - p) + sl;
		p = q + sl;
	}
	return n;
}

/* The k-th (from 0) s in p, or NULL. */
const char *
find_nth(const char *p, size_t len, const char *s, size_t k)
{
	size_t sl = strlen(s);
	const char *q;

	for (;;) {
		if ((q = find(p, len, s)) == NULL || k-- == 0)
			return q;
		len -= (size_t)(q - p) + sl;
		p = q + sl;
	}
}

/* A file of count lines of cmd, for -T and xargs; its name. */
const char *
task_file(const char *cmd, int count)
{
	static char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/spinner-bench-XXXXXX");
	if ((fd = mkstemp(path)) < 0 || (fp = fdopen(fd, "w")) == NULL)
		abort();
	for (int i = 0; i < count; i++)
		fprintf(fp, "%s\n", cmd);
	if (fclose(fp) != 0)
		abort();
	return path;
}
