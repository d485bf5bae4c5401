/*
 * Terminal queries and writes.  stderr is shared with other processes, so
 * its file flags are never changed: frames and relayed output go to a
 * description of the terminal opened for us, non-blocking, through a
 * queue that the front end flushes when the terminal takes more.
 */
#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "color.h"
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

bool
term_colors(int fd, enum color_when when)
{
	return color_enabled(when, isatty(fd) != 0, getenv("TERM"),
	    getenv("NO_COLOR"), getenv("CLICOLOR_FORCE"));
}

/* A size of the terminal on fd, else $env, else dflt; at most max. */
static size_t
term_size(int fd, bool cols, const char *env_name, size_t dflt, size_t max)
{
	struct winsize ws;
	const char *env = getenv(env_name);
	size_t n = dflt;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && (cols ? ws.ws_col :
	    ws.ws_row) > 0) {
		n = cols ? ws.ws_col : ws.ws_row;
	} else if (env != NULL && env[0] != '\0') {
		char *end;
		long v;

		errno = 0;
		v = strtol(env, &end, 10);
		if (errno == 0 && *end == '\0' && v > 0)
			n = v > (long)max ? max : (size_t)v;
	}
	return n > max ? max : n;
}

size_t
term_columns(int fd)
{
	return term_size(fd, true, "COLUMNS", 80, RENDER_COLS_MAX);
}

size_t
term_rows(int fd, bool known)
{
	return term_size(fd, false, "LINES", known ? 0 : 24, TERM_ROWS_MAX);
}

/*
 * Counts the times the foreground may have changed, so that a frame need
 * not ask (TIOCGPGRP, getpgrp) while nothing happened: a frame is then
 * one write.  Bumped by whichever thread takes a signal.
 */
static atomic_uint fg_changes = 1;

void
term_recheck(void)
{
	atomic_fetch_add(&fg_changes, 1);
}

void
term_woke(int64_t due, int64_t now)
{
	if (now - due > TERM_LATE_NS)
		term_recheck();
}

bool
term_out_foreground(struct term_out *o)
{
	unsigned now = atomic_load(&fg_changes);
	pid_t fg;

	if (o->fg_seen == now)
		return true;
	if ((fg = tcgetpgrp(o->fd)) >= 0 && fg != o->group)
		return false;
	o->fg_seen = now;
	return true;
}

void
term_out_open(struct term_out *o, int fd)
{
	char *name;
	int own = -1;

	o->fd = fd;
	o->own = false;
	o->len = 0;
	o->error = 0;
	o->group = getpgrp();
	o->fg_seen = 0;
	o->gone = false;
	if (isatty(fd) && (name = ttyname(fd)) != NULL)
		own = open(name, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (own >= 0 && term_same(own, fd)) {
		o->fd = own;
		o->own = true;
	} else if (own >= 0) {
		close(own);
	}
}

void
term_out_close(struct term_out *o)
{
	term_out_drain(o);
	if (o->own)
		close(o->fd);
	o->own = false;
}

size_t
term_out_room(const struct term_out *o)
{
	return sizeof(o->buf) - o->len;
}

bool
term_out_pending(const struct term_out *o)
{
	return o->len > 0;
}

bool
term_out_flush(struct term_out *o)
{
	size_t done = 0;

	while (done < o->len) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n > 0) {
			done += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			break;
		} else {
			/* refused: dropped, the run goes on, the end says
			 * so.  EIO is a terminal that hung up: no one is left
			 * to show the work to, which is no failure of it. */
			if (n < 0 && errno == EIO)
				o->gone = true;
			else if (o->error == 0)
				o->error = n < 0 ? errno : EIO;
			done = o->len;
		}
	}
	memmove(o->buf, o->buf + done, o->len - done);
	o->len -= done;
	return o->len == 0;
}

bool
term_out_put(struct term_out *o, const void *buf, size_t n)
{
	if (n > term_out_room(o))
		return false;
	memcpy(o->buf + o->len, buf, n);
	o->len += n;
	term_out_flush(o);
	return true;
}

void
term_out_drain(struct term_out *o)
{
	while (!term_out_flush(o)) {
		struct pollfd p = { o->fd, POLLOUT, 0 };

		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
	}
}

bool
term_foreground(int fd)
{
	pid_t fg = tcgetpgrp(fd);

	return fg < 0 || fg == getpgrp();
}

pid_t
term_holder(int fd)
{
	return tcgetpgrp(fd);
}

int
term_give(int fd, pid_t pgrp)
{
	sigset_t ttou, old;
	int rc;

	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	term_recheck();
	pthread_sigmask(SIG_BLOCK, &ttou, &old);
	rc = tcsetpgrp(fd, pgrp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int
term_raw(int fd, struct termios *saved, bool save)
{
	struct termios raw;

	if (save && tcgetattr(fd, saved) != 0)
		return -1;
	raw = *saved;	/* what cfmakeraw(3) does, in POSIX terms */
	raw.c_iflag &= (tcflag_t)~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
	    IGNCR | ICRNL | IXON);
	raw.c_oflag &= (tcflag_t)~OPOST;
	raw.c_lflag &= (tcflag_t)~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	raw.c_cflag &= (tcflag_t)~(CSIZE | PARENB);
	raw.c_cflag |= CS8;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSANOW, &raw);
}

void
term_restore(int fd, const struct termios *saved)
{
	while (tcsetattr(fd, TCSANOW, saved) != 0 && errno == EINTR)
		;
}

bool
term_draw(struct term_out *o, struct line *ln, size_t k)
{
	char buf[LINE_BUF];
	size_t n;

	if (term_out_pending(o) && !term_out_flush(o))
		return false;	/* the terminal has not taken the last bytes */
	if (!term_out_foreground(o) || !line_can_draw(ln))
		return false;
	n = line_draw(ln, k, buf, sizeof(buf));
	return n > 0 && term_out_put(o, buf, n);
}

/* Queue bytes that must not be dropped, waiting for room if need be. */
static void
put_surely(struct term_out *o, const void *buf, size_t n)
{
	if (!term_out_put(o, buf, n)) {
		term_out_drain(o);
		term_out_put(o, buf, n);
	}
}

void
term_clear(struct term_out *o, struct line *ln)
{
	char buf[LINE_BUF];

	put_surely(o, buf, line_clear(ln, buf, sizeof(buf)));
}

void
term_release(struct term_out *o, struct line *ln)
{
	char buf[LINE_BUF];

	put_surely(o, buf, line_release(ln, buf, sizeof(buf)));
}

void
term_retake(struct term_out *o, struct line *ln)
{
	char buf[LINE_BUF];

	term_out_put(o, buf, line_retake(ln, buf, sizeof(buf)));
}

void
term_pass(struct term_out *o, struct line *ln, const char *data, size_t len)
{
	char buf[LINE_BUF];

	put_surely(o, buf, line_wipe(ln, buf, sizeof(buf)));
	put_surely(o, data, len);
	line_pass(ln, data, len);
}

int
term_open_ctty(void)
{
	static const int order[] = { STDIN_FILENO, STDERR_FILENO,
		STDOUT_FILENO };
	char *name;

	/* /dev/tty itself is another device node: open the real one.
	 * tcgetpgrp() answers only on our controlling terminal. */
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (isatty(order[i]) && tcgetpgrp(order[i]) >= 0 &&
		    (name = ttyname(order[i])) != NULL)
			return open(name, O_RDWR | O_NOCTTY | O_NONBLOCK |
			    O_CLOEXEC);
	return open("/dev/tty", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
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
