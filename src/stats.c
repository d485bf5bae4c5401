#define _GNU_SOURCE	/* program_invocation_short_name, as err(3) uses */
#include "stats.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
stats_work_end(struct stats *s, int64_t t)
{
	if (s->work_end == 0)
		s->work_end = t;
}

void
stats_wiped(struct stats *s, int64_t t)
{
	if (s->work_end != 0 && s->wiped == 0)
		s->wiped = t;
}

static double
seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

size_t
stats_format(char *buf, size_t size, const char *prog,
    const struct stats *s, int64_t now, const struct rusage *ru)
{
	int64_t end = s->work_end != 0 ? s->work_end : now;
	int64_t stopped = s->wiped != 0 ? s->wiped : now;
	int64_t stop = stopped > end ? stopped - end : 0;
	int n;

	n = snprintf(buf, size, "%s: stats frames=%llu wall_s=%.6f "
	    "stop_ms=%.3f user_s=%.6f sys_s=%.6f maxrss_kib=%ld threads=%u "
	    "wakeups=%ld", prog, (unsigned long long)s->frames,
	    (double)(now - s->start) / 1e9, (double)stop / 1e6,
	    seconds(&ru->ru_utime), seconds(&ru->ru_stime), ru->ru_maxrss,
	    s->threads, ru->ru_nvcsw);
	if (n >= 0 && (size_t)n < size && s->tasks)
		n += snprintf(buf + n, size - (size_t)n, " tasks_started=%zu "
		    "tasks_failed=%zu tasks_most=%zu", s->started, s->failed,
		    s->most);
	if (n >= 0 && (size_t)n + 1 < size) {
		buf[n++] = '\n';
		buf[n] = '\0';
	}
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* The threads alive now (a loop's library never ends the ones it made). */
static unsigned
threads_now(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	unsigned n = 0;

	if (d == NULL)
		return 1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n > 0 ? n : 1;
}

/*
 * The peak resident size of this program, KiB: VmHWM.  getrusage()'s
 * ru_maxrss would do, but Linux carries it over an exec(), so that it
 * counts the shell that started us when that was bigger.
 */
static long
peak_rss(const struct rusage *ru)
{
	char buf[2048], *at;
	ssize_t n = -1;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	/* read(), not stdio: the measure should not touch much memory */
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0)
		return ru->ru_maxrss;
	buf[n] = '\0';
	if ((at = strstr(buf, "\nVmHWM:")) == NULL)
		return ru->ru_maxrss;
	return strtol(at + 7, NULL, 10);
}

void
stats_print(const struct stats *s, int64_t now)
{
	char buf[STATS_BUF];
	struct stats at = *s;
	struct rusage ru;
	size_t n, off = 0;

	memset(&ru, 0, sizeof(ru));
	getrusage(RUSAGE_SELF, &ru);
	ru.ru_maxrss = peak_rss(&ru);
	if (at.threads == 0)
		at.threads = threads_now();
	n = stats_format(buf, sizeof(buf), program_invocation_short_name,
	    &at, now, &ru);
	while (off < n) {
		ssize_t w = write(STDERR_FILENO, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}
