/*
 * COMMAND is started with posix_spawnp, which reports "not found" and "not
 * executable" as return values, so 126 and 127 need no pipe from a forked
 * child.  It stays in our process group, the terminal's foreground one, so
 * ^C, ^Z and keyboard input reach it directly.
 */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "exitcodes.h"
#include "term.h"

extern char **environ;

/* A pty whose slave looks like tty_fd: same size, same modes, but raw
 * output, so the bytes reach tty_fd as COMMAND wrote them. */
static int
open_relay(int tty_fd, int *slave)
{
	struct termios tio;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	char *name;

	if (master < 0)
		return -1;
	if (grantpt(master) != 0 || unlockpt(master) != 0 ||
	    (name = ptsname(master)) == NULL ||
	    (*slave = open(name, O_RDWR | O_NOCTTY)) < 0) {
		close(master);
		return -1;
	}
	if (tcgetattr(tty_fd, &tio) == 0) {
		tio.c_oflag &= (tcflag_t)~OPOST;
		tcsetattr(*slave, TCSANOW, &tio);
	}
	fcntl(master, F_SETFD, FD_CLOEXEC);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	return master;
}

void
command_resize(const struct command *c, int tty_fd)
{
	struct winsize ws;

	if (c->relay >= 0 && ioctl(tty_fd, TIOCGWINSZ, &ws) == 0)
		ioctl(c->relay, TIOCSWINSZ, &ws);
}

int
command_start(struct command *c, char *const argv[], const sigset_t *mask,
    const sigset_t *dfl, int tty_fd, char *err, size_t errsize)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int slave = -1, rc;
	bool out = tty_fd >= 0 && term_same(STDOUT_FILENO, tty_fd);
	bool errs = tty_fd >= 0 && term_same(STDERR_FILENO, tty_fd);

	c->pid = -1;
	c->relay = -1;
	if (out || errs) {
		c->relay = open_relay(tty_fd, &slave);
		if (c->relay >= 0)
			command_resize(c, tty_fd);
	}

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, mask);
	posix_spawnattr_setsigdefault(&attr, dfl);
	posix_spawnattr_setflags(&attr,
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (c->relay >= 0) {
		if (out)
			posix_spawn_file_actions_adddup2(&fa, slave,
			    STDOUT_FILENO);
		if (errs)
			posix_spawn_file_actions_adddup2(&fa, slave,
			    STDERR_FILENO);
		posix_spawn_file_actions_addclose(&fa, slave);
	}
	rc = posix_spawnp(&c->pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (slave >= 0)
		close(slave);
	if (rc == 0)
		return 0;

	if (c->relay >= 0)
		close(c->relay);
	c->relay = -1;
	c->pid = -1;
	snprintf(err, errsize, "cannot run '%s': %s", argv[0], strerror(rc));
	if (rc == ENOENT || rc == ENOTDIR)
		return EXIT_ENOENT;
	if (rc == EACCES || rc == ENOEXEC || rc == EISDIR || rc == EPERM ||
	    rc == ELOOP || rc == ENAMETOOLONG || rc == ETXTBSY)
		return EXIT_CANNOT_INVOKE;
	return EXIT_CANCELED;
}

ssize_t
command_read(struct command *c, char *buf, size_t size)
{
	ssize_t n;

	if (c->relay < 0)
		return -1;
	n = read(c->relay, buf, size);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	close(c->relay);	/* EIO: the last writer is gone */
	c->relay = -1;
	return -1;
}
