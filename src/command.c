/*
 * COMMAND is started with fork and execve, not posix_spawn or uv_spawn:
 * glibc's posix_spawn leaves its internal signals 32 and 33 ignored in a
 * threaded parent's child, and uv_spawn resets every disposition and
 * empties the mask, while COMMAND must start with exactly the mask and
 * dispositions the spinner was given.  A close-on-exec pipe carries an
 * exec failure back, for 126 and 127.  COMMAND stays in our process group,
 * the terminal's foreground one, so ^C, ^Z and keyboard input reach it.
 */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "exitcodes.h"
#include "options.h"
#include "signals.h"
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

/*
 * Find file on PATH as execvp(3) would, before fork(): the child may then
 * only make async-signal-safe calls.  Returns 0 with the path in buf, or
 * the errno execvp would have failed with.
 */
static int
resolve(const char *file, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	int err = ENOENT;

	if (file[0] == '\0')
		return ENOENT;
	if (strchr(file, '/') != NULL) {
		if (strlen(file) >= size)
			return ENAMETOOLONG;
		memcpy(buf, file, strlen(file) + 1);
		return 0;
	}
	if (path == NULL)
		path = "/bin:/usr/bin";
	for (const char *p = path;; p++) {
		const char *colon = strchr(p, ':');
		size_t n = colon != NULL ? (size_t)(colon - p) : strlen(p);
		struct stat st;

		if (n == 0)
			snprintf(buf, size, "%s", file);	/* "" is "." */
		else
			snprintf(buf, size, "%.*s/%s", (int)n, p, file);
		if (stat(buf, &st) == 0) {
			if (S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
				return 0;
			err = EACCES;	/* found, but not runnable */
		}
		if (colon == NULL)
			break;
		p = colon;
	}
	return err;
}

/* The child's side: restore what COMMAND should start with, and exec. */
static _Noreturn void
child(const char *path, char *const argv[], char **shargv,
    const sigset_t *mask, const sigset_t *dfl, int slave, bool out,
    bool errs, int report)
{
	struct sigaction sa;
	int e;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(dfl, sig) == 1)
			sigaction(sig, &sa, NULL);
	if (signals_chld_was_ignored()) {
		sa.sa_handler = SIG_IGN;
		sigaction(SIGCHLD, &sa, NULL);
	}
	if (slave >= 0) {
		if ((out && dup2(slave, STDOUT_FILENO) < 0) ||
		    (errs && dup2(slave, STDERR_FILENO) < 0))
			goto fail;
		close(slave);
	}
	sigprocmask(SIG_SETMASK, mask, NULL);
	execve(path, argv, environ);
	if (errno == ENOEXEC) {	/* no #! line: a shell script, as execvp */
		execve("/bin/sh", shargv, environ);
	}
fail:
	e = errno;
	if (write(report, &e, sizeof(e)) < 0)
		_exit(EXIT_CANCELED);
	_exit(EXIT_ENOENT);
}

static int
failure(int e, const char *file, char *err, size_t errsize)
{
	char q[160];

	snprintf(err, errsize, "cannot run %s: %s",
	    options_quote(q, sizeof(q), file), strerror(e));
	if (e == ENOENT || e == ENOTDIR)
		return EXIT_ENOENT;
	if (e == EACCES || e == ENOEXEC || e == EISDIR || e == EPERM ||
	    e == ELOOP || e == ENAMETOOLONG || e == ETXTBSY)
		return EXIT_CANNOT_INVOKE;
	return EXIT_CANCELED;
}

int
command_start(struct command *c, char *const argv[], const sigset_t *mask,
    const sigset_t *dfl, int tty_fd, char *err, size_t errsize)
{
	char path[PATH_MAX];
	char **shargv;
	sigset_t all, before;
	size_t argc = 0;
	int slave = -1, report[2], e;
	bool out = tty_fd >= 0 && term_same(STDOUT_FILENO, tty_fd);
	bool errs = tty_fd >= 0 && term_same(STDERR_FILENO, tty_fd);

	c->pid = -1;
	c->relay = -1;
	if ((e = resolve(argv[0], path, sizeof(path))) != 0)
		return failure(e, argv[0], err, errsize);
	while (argv[argc] != NULL)
		argc++;
	if ((shargv = calloc(argc + 2, sizeof(char *))) == NULL)
		return failure(errno, argv[0], err, errsize);
	shargv[0] = (char *)"sh";
	shargv[1] = path;
	for (size_t i = 1; i <= argc; i++)
		shargv[i + 1] = argv[i];

	if (out || errs) {
		c->relay = open_relay(tty_fd, &slave);
		if (c->relay >= 0)
			command_resize(c, tty_fd);
	}
	if (pipe(report) != 0) {
		e = errno;
		goto fail;
	}
	fcntl(report[0], F_SETFD, FD_CLOEXEC);
	fcntl(report[1], F_SETFD, FD_CLOEXEC);
	/* No handler of ours may run in the child before it resets them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &before);
	c->pid = fork();
	if (c->pid == 0) {
		close(report[0]);
		child(path, argv, shargv, mask, dfl, slave, out, errs,
		    report[1]);
	}
	e = errno;
	pthread_sigmask(SIG_SETMASK, &before, NULL);
	close(report[1]);
	if (slave >= 0)
		close(slave);
	slave = -1;
	if (c->pid < 0) {
		close(report[0]);
		goto fail;
	}
	/* The report pipe closes on exec: nothing read means it ran. */
	ssize_t n;
	while ((n = read(report[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(report[0]);
	free(shargv);
	if (n <= 0)
		return 0;
	waitpid(c->pid, NULL, 0);
	c->pid = -1;
	if (c->relay >= 0)
		close(c->relay);
	c->relay = -1;
	return failure(e, argv[0], err, errsize);
fail:
	free(shargv);
	if (slave >= 0)
		close(slave);
	if (c->relay >= 0)
		close(c->relay);
	c->relay = -1;
	return failure(e, argv[0], err, errsize);
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
	return -1;	/* EIO: the last writer is gone */
}

void
command_end_relay(struct command *c)
{
	if (c->relay >= 0)
		close(c->relay);
	c->relay = -1;
}
