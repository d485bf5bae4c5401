/*
 * COMMAND is started with fork and execve, not posix_spawn or uv_spawn:
 * glibc's posix_spawn leaves its internal signals 32 and 33 ignored in a
 * threaded parent's child, and uv_spawn resets every disposition and
 * empties the mask, while COMMAND must start with exactly the mask and
 * dispositions the spinner was given, in a process group (or a session)
 * of its own.  A close-on-exec pipe carries an exec failure back, for 126
 * and 127.
 */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sys/resource.h>
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

/*
 * A pty whose slave looks like tty_fd: same size, same modes.  For a relay
 * of output alone, output processing is turned off so the bytes reach
 * tty_fd as COMMAND wrote them; a proxy keeps it, tty_fd going raw.
 */
static int
open_pty(int tty_fd, bool opost, int *slave)
{
	struct termios tio;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	char *name;

	if (master < 0)
		return -1;
	if (grantpt(master) != 0 || unlockpt(master) != 0 ||
	    (name = ptsname(master)) == NULL ||
	    (*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		close(master);
		return -1;
	}
	if (tcgetattr(tty_fd, &tio) == 0) {
		if (!opost)
			tio.c_oflag &= (tcflag_t)~OPOST;
		tcsetattr(*slave, TCSANOW, &tio);
	}
	fcntl(master, F_SETFD, FD_CLOEXEC);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	return master;
}

/* A pipe in place of a pty, for output kept off a terminal. */
static int
open_pipe(int *write_end)
{
	int p[2];

	if (pipe(p) != 0)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	*write_end = p[1];
	return p[0];
}

/* Whether a and b are the same file, or the same terminal. */
static bool
same_file(int a, int b)
{
	struct stat sa, sb;

	if (term_same(a, b))
		return true;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
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

/*
 * Tell the spinner a pid ('P'), why an exec failed ('E'), or why the
 * keeper could not start COMMAND's session ('K': the spinner's failure,
 * whatever the error).
 */
static void
report(int fd, char tag, int value)
{
	char msg[1 + sizeof(int)];

	msg[0] = tag;
	memcpy(msg + 1, &value, sizeof(int));
	if (write(fd, msg, sizeof(msg)) < 0)
		_exit(EXIT_CANCELED);
}

/* Which standard descriptors go to the pty, and how the child starts. */
struct plan {
	const struct command_how *how;
	bool std[3];		/* descriptor i is the terminal: use the pty */
	int slave;
	int report;
	int message;		/* write end of the message pipe, or -1 */
	int message_at;		/* the descriptor COMMAND has it as */
	char **env;		/* COMMAND's environment */
	char **shargv;		/* sh and its arguments, for a script with no
				 * #! line (kept here, where a keeper that
				 * ends sees it, as the rest of the plan) */
};

/* The child's side: restore what COMMAND should start with, and exec. */
static _Noreturn void
child(const char *path, char *const argv[], const struct plan *pl)
{
	const struct command_how *how = pl->how;
	struct sigaction sa;
	int rep = pl->report;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(how->dfl, sig) == 1)
			sigaction(sig, &sa, NULL);
	if (signals_chld_was_ignored()) {
		sa.sa_handler = SIG_IGN;
		sigaction(SIGCHLD, &sa, NULL);
	}
	setpgid(0, 0);
	if (how->proxy)
		tcsetpgrp(pl->slave, getpid());	/* the keeper's terminal */
	else if (how->give >= 0)
		tcsetpgrp(how->give, getpid());
	if (pl->slave >= 0) {
		for (int fd = 0; fd <= 2; fd++)
			if (pl->std[fd] && dup2(pl->slave, fd) < 0)
				goto fail;
		if (pl->slave > STDERR_FILENO)
			close(pl->slave);
	}
	if (pl->message >= 0) {
		/* the report pipe may stand where the message goes */
		if (rep == pl->message_at)
			rep = fcntl(rep, F_DUPFD_CLOEXEC, pl->message_at + 1);
		if (pl->message == pl->message_at) {
			if (fcntl(pl->message, F_SETFD, 0) < 0)
				goto fail;
		} else if (dup2(pl->message, pl->message_at) < 0) {
			goto fail;
		}
	}
	sigprocmask(SIG_SETMASK, how->mask, NULL);
	execve(path, argv, pl->env);
	if (errno == ENOEXEC) {	/* no #! line: a shell script, as execvp */
		execve("/bin/sh", pl->shargv, pl->env);
	}
fail:
	report(rep, 'E', errno);
	_exit(EXIT_ENOENT);
}

/*
 * The keeper of a proxied COMMAND's session: it leads the session, on the
 * pty, and waits for COMMAND, which leads a group of its own there.  With
 * a parent in its session COMMAND's group is not orphaned, so ^Z on the
 * pty, or an editor's own suspend, stops it as in any shell; the keeper
 * then stops too, which tells the spinner, and when continued continues
 * COMMAND.  It ends as COMMAND ended.  Only async-signal-safe calls:
 * the parent may have threads.  Every signal stays blocked in it.
 */
static _Noreturn void
keeper(const char *path, char *const argv[], const struct plan *pl)
{
	struct rlimit rl = { 0, 0 };
	pid_t pid;
	int st;

	if (setsid() < 0 || ioctl(pl->slave, TIOCSCTTY, 0) < 0) {
		report(pl->report, 'K', errno);
		_exit(EXIT_CANCELED);
	}
	if ((pid = fork()) < 0) {
		report(pl->report, 'K', errno);
		_exit(EXIT_CANCELED);
	}
	if (pid == 0)
		child(path, argv, pl);
	setpgid(pid, pid);
	tcsetpgrp(pl->slave, pid);
	report(pl->report, 'P', pid);
	/* hold nothing of the spinner's open but COMMAND's terminal: the
	 * message pipe's write end, above all, is COMMAND's alone */
	if (pl->message >= 0)
		close(pl->message);
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur > 65536)
		rl.rlim_cur = 65536;
	for (int fd = 0; fd < (int)rl.rlim_cur; fd++)
		if (fd != pl->slave)
			close(fd);
	for (;;) {
		if (waitpid(pid, &st, WUNTRACED) < 0)
			_exit(EXIT_CANCELED);
		if (!WIFSTOPPED(st))
			break;
		kill(getpid(), SIGSTOP);
		tcsetpgrp(pl->slave, pid);
		kill(-pid, SIGCONT);
	}
	if (WIFSIGNALED(st)) {
		struct sigaction sa;
		sigset_t one;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigaction(WTERMSIG(st), &sa, NULL);
		rl.rlim_cur = rl.rlim_max = 0;
		setrlimit(RLIMIT_CORE, &rl);
		sigemptyset(&one);
		sigaddset(&one, WTERMSIG(st));
		sigprocmask(SIG_UNBLOCK, &one, NULL);
		kill(getpid(), WTERMSIG(st));
		_exit(128 + WTERMSIG(st));
	}
	_exit(WEXITSTATUS(st));
}

/*
 * The lowest descriptor from 3 up that COMMAND does not inherit: closed,
 * or one of ours (every one of ours is close-on-exec).  So the number
 * depends only on what the spinner was given, and nothing given to it
 * for COMMAND (a make jobserver's pipe, 3<file) is covered.
 */
static int
free_for_command(void)
{
	int fd = STDERR_FILENO + 1, fl;

	while ((fl = fcntl(fd, F_GETFD)) >= 0 && !(fl & FD_CLOEXEC))
		fd++;
	return fd;
}

/*
 * Our environment with entry in place of any COMMAND_MESSAGE_ENV already
 * in it (from a spinner around ours), or NULL.
 */
static char **
with_entry(char *entry)
{
	size_t n = 0, k = 0, len = strlen(COMMAND_MESSAGE_ENV);
	char **env;

	while (environ[n] != NULL)
		n++;
	if ((env = calloc(n + 2, sizeof(char *))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], COMMAND_MESSAGE_ENV, len) != 0 ||
		    environ[i][len] != '=')
			env[k++] = environ[i];
	env[k++] = entry;
	env[k] = NULL;
	return env;
}

/*
 * COMMAND could not start, for e: why in err, and the status.  what is
 * NULL when COMMAND itself failed (not found: 127, not runnable: 126);
 * otherwise the spinner did, whatever e says (125: ENOENT from a missing
 * /dev/ptmx is no missing COMMAND), and what, unless "", names what it
 * could not do.
 */
static int
failure(int e, const char *file, const char *what, char *err,
    size_t errsize)
{
	char q[160];

	if (what != NULL && what[0] != '\0')
		snprintf(err, errsize, "cannot %s: %s", what, strerror(e));
	else
		snprintf(err, errsize, "cannot run %s: %s",
		    options_quote(q, sizeof(q), file), strerror(e));
	if (what != NULL)
		return EXIT_CANCELED;
	if (e == ENOENT || e == ENOTDIR)
		return EXIT_ENOENT;
	if (e == EACCES || e == ENOEXEC || e == EISDIR || e == EPERM ||
	    e == ELOOP || e == ENAMETOOLONG || e == ETXTBSY)
		return EXIT_CANNOT_INVOKE;
	return EXIT_CANCELED;
}

int
command_start(struct command *c, char *const argv[],
    const struct command_how *how, char *err, size_t errsize)
{
	char path[PATH_MAX], entry[64];
	char **shargv, **env = NULL;
	sigset_t all, before;
	struct plan pl = { how, { false, false, false }, -1, -1, -1, -1,
		environ, NULL };
	size_t argc = 0;
	int report[2], e;
	bool any = false;
	const char *what = "";	/* at fail: ours, whatever the error */

	c->pid = c->group = -1;
	c->relay = c->messages = -1;
	c->session = false;
	if ((e = resolve(argv[0], path, sizeof(path))) != 0)
		return failure(e, argv[0], NULL, err, errsize);
	while (argv[argc] != NULL)
		argc++;
	if ((shargv = calloc(argc + 2, sizeof(char *))) == NULL)
		return failure(errno, argv[0], what, err, errsize);
	shargv[0] = (char *)"sh";
	shargv[1] = path;
	for (size_t i = 1; i <= argc; i++)
		shargv[i + 1] = argv[i];
	pl.shargv = shargv;

	/* A proxy takes every descriptor that is the terminal, stdin
	 * included; a relay only the output ones; keeping, the output that
	 * would reach our stderr. */
	if (how->keep) {
		any = pl.std[STDERR_FILENO] = true;
		pl.std[STDOUT_FILENO] = same_file(STDOUT_FILENO,
		    STDERR_FILENO);
	}
	for (int fd = how->proxy ? 0 : 1; fd <= 2 && how->tty >= 0 &&
	    !how->keep; fd++)
		any |= pl.std[fd] = term_same(fd, how->tty);
	if (any || how->proxy) {
		bool piped = how->keep && (how->tty < 0 || !isatty(how->tty));

		if (piped)
			c->relay = open_pipe(&pl.slave);
		else
			c->relay = open_pty(how->tty, how->proxy, &pl.slave);
		if (c->relay >= 0) {
			command_resize(c, how->tty);
		} else if (how->proxy || how->keep) {
			e = errno;
			what = piped ? "make a pipe" : "open a pseudo-terminal";
			goto fail;
		}
	}
	if (how->messages) {
		int msg[2];

		if (pipe(msg) != 0) {
			e = errno;
			goto fail;
		}
		c->messages = msg[0];
		pl.message = msg[1];
		fcntl(msg[0], F_SETFD, FD_CLOEXEC);
		fcntl(msg[1], F_SETFD, FD_CLOEXEC);
		fcntl(msg[0], F_SETFL, fcntl(msg[0], F_GETFL) | O_NONBLOCK);
	}
	if (pipe(report) != 0) {
		e = errno;
		goto fail;
	}
	pl.report = report[1];
	fcntl(report[0], F_SETFD, FD_CLOEXEC);
	fcntl(report[1], F_SETFD, FD_CLOEXEC);
	if (pl.message >= 0) {
		/* every descriptor of ours is open: the number is known */
		pl.message_at = free_for_command();
		snprintf(entry, sizeof(entry), "%s=%d", COMMAND_MESSAGE_ENV,
		    pl.message_at);
		if ((pl.env = env = with_entry(entry)) == NULL) {
			e = errno;
			close(report[0]);
			close(report[1]);
			goto fail;
		}
	}
	/* No handler of ours may run in the child before it resets them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &before);
	c->pid = fork();
	if (c->pid == 0) {
		close(report[0]);
		if (how->proxy)
			keeper(path, argv, &pl);
		child(path, argv, &pl);
	}
	e = errno;
	c->group = c->pid;
	if (c->pid > 0 && !how->proxy) {
		/* as a shell does, in both: whichever runs first */
		setpgid(c->pid, c->pid);
		if (how->give >= 0)
			term_give(how->give, c->pid);
	}
	pthread_sigmask(SIG_SETMASK, &before, NULL);
	close(report[1]);
	if (pl.slave >= 0)
		close(pl.slave);
	pl.slave = -1;
	/* COMMAND's alone: its end comes when COMMAND and what it gave it
	 * to have closed it */
	if (pl.message >= 0)
		close(pl.message);
	pl.message = -1;
	free(env);
	if (c->pid < 0) {
		close(report[0]);
		goto fail;
	}
	c->session = how->proxy;
	/* The report pipe closes on exec: what it carried tells the rest. */
	char msg[1 + sizeof(int)];
	ssize_t n;
	bool failed = false;

	what = NULL;	/* an exec's failure is COMMAND's */
	while ((n = read(report[0], msg, sizeof(msg))) != 0) {
		int v;

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(msg))
			break;
		memcpy(&v, msg + 1, sizeof(v));
		if (msg[0] == 'P')
			c->group = (pid_t)v;
		else
			failed = true, e = v, what = msg[0] == 'K' ? "" : NULL;
	}
	close(report[0]);
	free(shargv);
	if (!failed)
		return 0;
	if (!how->proxy && how->give >= 0)
		term_give(how->give, getpgrp());	/* ours again */
	waitpid(c->pid, NULL, 0);
	c->pid = c->group = -1;
	if (c->relay >= 0)
		close(c->relay);
	c->relay = -1;
	command_end_messages(c);
	return failure(e, argv[0], what, err, errsize);
fail:
	free(shargv);
	if (pl.slave >= 0)
		close(pl.slave);
	if (pl.message >= 0)
		close(pl.message);
	if (c->relay >= 0)
		close(c->relay);
	c->relay = -1;
	command_end_messages(c);
	return failure(e, argv[0], what, err, errsize);
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
	return -1;	/* EIO, or a pipe's end: the last writer is gone */
}

ssize_t
command_read_messages(struct command *c, char *buf, size_t size)
{
	ssize_t n;

	if (c->messages < 0)
		return -1;
	n = read(c->messages, buf, size);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1;	/* every writer is gone */
}

void
command_end_messages(struct command *c)
{
	if (c->messages >= 0)
		close(c->messages);
	c->messages = -1;
}

void
command_end_relay(struct command *c)
{
	if (c->relay >= 0)
		close(c->relay);
	c->relay = -1;
}

ssize_t
command_write(struct command *c, const char *buf, size_t size)
{
	ssize_t n;

	if (c->relay < 0)
		return -1;
	n = write(c->relay, buf, size);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return -1;
}

void
command_signal(const struct command *c, int sig)
{
	pid_t fg;

	if (c->group <= 0)
		return;
	kill(-c->group, sig);
	/* a shell in COMMAND's session may run its jobs in other groups */
	if (c->session && c->relay >= 0 && (fg = tcgetpgrp(c->relay)) > 0 &&
	    fg != c->group && fg != c->pid)
		kill(-fg, sig);
}
