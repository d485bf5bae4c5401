/*
 * Terminal queries and writes.  Writes are plain write(2) loops: stderr is
 * shared with other processes, so its file flags are never changed.
 */
#include "term.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "render.h"

bool
term_animates(int fd, enum animate when)
{
	const char *term = getenv("TERM");

	switch (when) {
	case ANIMATE_ALWAYS:
		return true;
	case ANIMATE_NEVER:
		return false;
	case ANIMATE_AUTO:
	default:
		return isatty(fd) && term != NULL && term[0] != '\0' &&
		    strcmp(term, "dumb") != 0;
	}
}

size_t
term_columns(int fd)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	size_t cols = 80;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		cols = ws.ws_col;
	} else if (env != NULL && env[0] != '\0') {
		char *end;
		long v;

		errno = 0;
		v = strtol(env, &end, 10);
		if (errno == 0 && *end == '\0' && v > 0)
			cols = v > RENDER_COLS_MAX ? RENDER_COLS_MAX :
			    (size_t)v;
	}
	return cols > RENDER_COLS_MAX ? RENDER_COLS_MAX : cols;
}

int
term_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

bool
term_foreground(int fd)
{
	pid_t fg = tcgetpgrp(fd);

	return fg < 0 || fg == getpgrp();
}

void
term_draw(int fd, struct line *ln, size_t k)
{
	char buf[LINE_BUF];

	if (term_foreground(fd))
		term_write(fd, buf, line_draw(ln, k, buf, sizeof(buf)));
}

void
term_clear(int fd, struct line *ln)
{
	char buf[LINE_BUF];

	term_write(fd, buf, line_clear(ln, buf, sizeof(buf)));
}

void
term_pass(int fd, struct line *ln, const char *data, size_t len)
{
	char buf[LINE_BUF];

	term_write(fd, buf, line_wipe(ln, buf, sizeof(buf)));
	term_write(fd, data, len);
	line_pass(ln, data, len);
}

bool
term_same(int a, int b)
{
	struct stat sa, sb;

	if (!isatty(a) || !isatty(b))
		return false;
	if (fstat(a, &sa) != 0 || fstat(b, &sb) != 0)
		return false;
	return sa.st_rdev == sb.st_rdev;
}
