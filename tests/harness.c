#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int
h_guard(void)
{
	return getenv("SPINNER_WRAP") != NULL ? 120 : 30;
}

const char *
h_bin(const char *name)
{
	static char buf[8][512];
	static int next;
	const char *dir = getenv("SPINNER_BUILD");
	char *b = buf[next++ % 8];

	if (strchr(name, '/') != NULL || strncmp(name, "spinner-", 8) != 0)
		return name;
	snprintf(b, 512, "%s/%s", dir != NULL ? dir : "build", name);
	return b;
}

/*
 * argv with $SPINNER_WRAP in front and the binary resolved; as it is
 * when as_is (a function runs it, not a binary).
 */
static char **
full_argv(const char *const argv[], bool as_is)
{
	static char wrap[512];
	char **v = calloc(64 + 64, sizeof(char *));
	const char *w = getenv("SPINNER_WRAP");
	size_t n = 0;

	if (w != NULL && !as_is && strncmp(argv[0], "spinner-", 8) == 0) {
		snprintf(wrap, sizeof(wrap), "%s", w);
		for (char *t = strtok(wrap, " "); t && n < 63;
		    t = strtok(NULL, " "))
			v[n++] = t;
	}
	v[n++] = (char *)(as_is ? argv[0] : h_bin(argv[0]));
	for (size_t i = 1; argv[i] != NULL && n < 126; i++)
		v[n++] = (char *)argv[i];
	v[n] = NULL;
	return v;
}

/*
 * Colour is on by default on a terminal: a case asks for NO_COLOR or
 * CLICOLOR_FORCE itself, never inherits them from whoever runs it.
 */
static void
unset_color_env(void)
{
	unsetenv("NO_COLOR");
	unsetenv("CLICOLOR_FORCE");
}

static void
apply_env(const char *const *env, const char *const *unset)
{
	for (size_t i = 0; unset != NULL && unset[i] != NULL; i++)
		unsetenv(unset[i]);
	for (size_t i = 0; env != NULL && env[i] != NULL; i++)
		putenv((char *)env[i]);
}

static bool pump(struct h_proc *p, int ms);

/*
 * Give the binary only the descriptors a test asks for: none but the
 * standard ones (a case may leave one of the test's own open), those asked
 * for closed, and when fill is given every other one below it (the
 * binary's own descriptors then come above it).
 */
static void
shape_fds(const struct h_opts *o)
{
	struct rlimit all;

	if (getrlimit(RLIMIT_NOFILE, &all) != 0 || all.rlim_cur > 65536)
		all.rlim_cur = 65536;
	for (int fd = 3; fd < (int)all.rlim_cur; fd++)
		close(fd);
	if (o->fill_fds > 0) {
		struct rlimit rl;
		int null = open("/dev/null", O_RDONLY);

		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		    rl.rlim_cur < (rlim_t)o->fill_fds + 64) {
			rl.rlim_cur = (rlim_t)o->fill_fds + 64;
			if (rl.rlim_max < rl.rlim_cur)
				rl.rlim_max = rl.rlim_cur;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		for (int fd = 3; null >= 0 && fd < o->fill_fds; fd++)
			if (fcntl(fd, F_GETFD) < 0)
				dup2(null, fd);
	}
	for (int fd = 0; fd <= 2; fd++)
		if (o->closed & (1 << fd))
			close(fd);
	if (o->err_path != NULL) {
		int fd = open(o->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(126);
		close(fd);
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
append(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/*
 * The buffers of the processes started and not yet freed.  A case that
 * fails leaves by longjmp, past its h_free(): they are freed at exit, so
 * that the failure is not reported again as a leak.
 */
#define HELD_MAX 64
static char *held[HELD_MAX];

static void
free_held(void)
{
	for (size_t i = 0; i < HELD_MAX; i++) {
		free(held[i]);
		held[i] = NULL;
	}
}

/* Hold buf in place of was (either may be NULL: a new one, or none). */
static void
hold(char *was, char *buf)
{
	static bool registered;
	size_t i, hole = HELD_MAX;

	if (!registered)
		registered = atexit(free_held) == 0;
	for (i = 0; i < HELD_MAX; i++) {
		if (was != NULL && held[i] == was) {
			held[i] = buf;
			return;
		}
		if (held[i] == NULL && hole == HELD_MAX)
			hole = i;
	}
	if (buf != NULL && hole < HELD_MAX)
		held[hole] = buf;
}

/* A process's buffer, grown and held until h_free(). */
static void
grow(char **buf, size_t *len, const char *data, size_t n)
{
	char *was = *buf;

	append(buf, len, data, n);
	hold(was, *buf);
}

/* The job the shell runs; SIGUSR1 to the shell gives it the terminal. */
static volatile pid_t shell_job;

static void
on_fg(int sig)
{
	/* SIGUSR1: the job to the foreground; SIGUSR2: the shell */
	tcsetpgrp(STDIN_FILENO, sig == SIGUSR1 ? shell_job : getpgrp());
}

/* The terminal hung up: tell the job, as bash does, and stay to report. */
static void
on_hup(int sig)
{
	(void)sig;
	kill(-shell_job, SIGHUP);
	kill(-shell_job, SIGCONT);
}

/*
 * The shell side of the pty: run the job in its own foreground process
 * group and report its stops, continues and end on fd report.
 */
static _Noreturn void
job_shell(char **v, const struct h_opts *o, int report)
{
	struct termios tio;
	int st;
	pid_t job;

	/*
	 * No echo, unless a test types as a person would.  And NOFLSH: by
	 * default a typed ^C or ^Z also discards the output still on its
	 * way to the master, so bytes the binary wrote just before it (a
	 * frame, the cursor hidden) were lost to the test whenever it had
	 * not read them yet.  (Its padding cleared: the modes go whole
	 * through a pipe, and valgrind counts an unset byte written as an
	 * error in every process forked after, the job run in place too.)
	 */
	memset(&tio, 0, sizeof(tio));
	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		if (!o->echo)
			tio.c_lflag &= (tcflag_t)~(ECHO | ECHOCTL);
		tio.c_lflag |= NOFLSH;
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
	}
	if (tcgetattr(STDIN_FILENO, &tio) != 0 ||
	    write(report, &tio, sizeof(tio)) < 0)
		_exit(1);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	job = fork();
	if (job == 0) {
		sigset_t set;

		setpgid(0, 0);
		if (!o->background)
			tcsetpgrp(STDIN_FILENO, getpid());
		signal(SIGTTOU, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, o->ignore_int ? SIG_IGN : SIG_DFL);
		signal(SIGCHLD, o->ignore_chld ? SIG_IGN : SIG_DFL);
		signal(SIGHUP, o->ignore_hup ? SIG_IGN : SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		sigemptyset(&set);
		if (o->block_int)
			sigaddset(&set, SIGINT);
		for (size_t i = 0; o->block != NULL && o->block[i] != 0; i++)
			sigaddset(&set, o->block[i]);
		sigprocmask(SIG_SETMASK, &set, NULL);
		close(report);
		shape_fds(o);
		if (o->main != NULL) {
			int argc = 0;

			while (v[argc] != NULL)
				argc++;
			exit(o->main(argc, v));
		}
		execvp(v[0], v);
		_exit(127);
	}
	setpgid(job, job);
	if (!o->background)
		tcsetpgrp(STDIN_FILENO, job);
	shell_job = job;
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fg;	/* no SA_RESTART: waitpid() goes on */
		sigaction(SIGUSR1, &sa, NULL);
		sigaction(SIGUSR2, &sa, NULL);
		sa.sa_handler = on_hup;
		sigaction(SIGHUP, &sa, NULL);
	}
	if (write(report, &job, sizeof(job)) < 0)
		_exit(1);
	for (;;) {
		if (waitpid(job, &st, WUNTRACED | WCONTINUED) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		char ev = WIFSTOPPED(st) ? 'S' : WIFCONTINUED(st) ? 'C' : 'X';
		if (write(report, &ev, 1) < 0)
			_exit(1);
		if (ev == 'X') {
			tcgetattr(STDIN_FILENO, &tio);
			if (write(report, &st, sizeof(st)) < 0 ||
			    write(report, &tio, sizeof(tio)) < 0)
				_exit(1);
			_exit(0);
		}
	}
}

void
h_start(struct h_proc *p, const struct h_opts *o, const char *const argv[])
{
	static const struct h_opts none;
	struct winsize ws;
	int pfd[2] = { -1, -1 }, rep[2];

	if (o == NULL)
		o = &none;
	memset(p, 0, sizeof(*p));
	p->out = -1;
	memset(&ws, 0, sizeof(ws));
	if (!o->unsized) {
		ws.ws_row = (unsigned short)(o->rows ? o->rows : 24);
		ws.ws_col = (unsigned short)(o->cols ? o->cols : 80);
	}
	if (o->out == H_STDOUT_PIPE || o->out == H_STDOUT_CLOSED) {
		if (pipe(pfd) != 0)
			abort();
	}
	if (pipe(rep) != 0)
		abort();
	char **v = full_argv(argv, o->main != NULL);
	fflush(NULL);
	p->pid = forkpty(&p->master, NULL, NULL, &ws);
	if (p->pid < 0)
		abort();
	if (p->pid == 0) {
		close(rep[0]);
		if (o->out == H_STDOUT_PIPE || o->out == H_STDOUT_CLOSED) {
			dup2(pfd[1], STDOUT_FILENO);
			close(pfd[0]);
			close(pfd[1]);
		} else if (o->out == H_STDOUT_FULL) {
			int fd = open("/dev/full", O_WRONLY);
			dup2(fd, STDOUT_FILENO);
			close(fd);
		}
		setenv("TERM", "xterm", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("COLUMNS");
		unset_color_env();
		apply_env(o->env, o->unset);
		job_shell(v, o, rep[1]);
	}
	free(v);
	close(rep[1]);
	p->report = rep[0];
	if (read(p->report, &p->modes_before, sizeof(p->modes_before)) !=
	    (ssize_t)sizeof(p->modes_before) ||
	    read(p->report, &p->job, sizeof(p->job)) !=
	    (ssize_t)sizeof(p->job)) {
		fprintf(stderr, "# the job did not start: %s\n",
		    strerror(errno));
		abort();
	}
	if (pfd[1] >= 0) {
		close(pfd[1]);
		p->out = pfd[0];
		if (o->out == H_STDOUT_CLOSED) {
			close(p->out);
			p->out = -1;
		}
	}
}

void
h_type(struct h_proc *p, const char *keys)
{
	if (write(p->master, keys, strlen(keys)) < 0) {
		fprintf(stderr, "# cannot type on the terminal (fd %d): %s\n",
		    p->master, strerror(errno));
		abort();
	}
}

void
h_kill(struct h_proc *p, int sig)
{
	kill(p->job, sig);
}

void
h_foreground(struct h_proc *p)
{
	kill(p->pid, SIGUSR1);
}

bool
h_background(struct h_proc *p)
{
	double end = now() + h_guard();

	kill(p->pid, SIGUSR2);
	/* the master answers for the terminal: wait for the change */
	while (now() < end) {
		if (tcgetpgrp(p->master) != p->job)
			return true;
		pump(p, 10);
	}
	return false;
}

void
h_kill_job(struct h_proc *p, int sig)
{
	kill(-p->job, sig);
}

/* The next event from the shell, reading the pty meanwhile; 0 if none. */
static char
next_event(struct h_proc *p)
{
	double end = now() + h_guard();

	while (now() < end) {
		struct pollfd f = { p->report, POLLIN, 0 };
		if (poll(&f, 1, 0) > 0) {
			char ev;
			if (read(p->report, &ev, 1) != 1)
				return 0;
			return ev;
		}
		if (!pump(p, 20) && poll(&f, 1, 20) <= 0)
			continue;
	}
	return 0;
}

/* Read what is there within ms milliseconds; false at the end of both. */
static bool
pump(struct h_proc *p, int ms)
{
	struct pollfd fds[2];
	char buf[65536];
	nfds_t n = 0;

	if (p->master >= 0)
		fds[n++] = (struct pollfd){ p->master, POLLIN, 0 };
	if (p->out >= 0)
		fds[n++] = (struct pollfd){ p->out, POLLIN, 0 };
	if (n == 0)
		return false;
	if (poll(fds, n, ms) <= 0)
		return true;
	for (nfds_t i = 0; i < n; i++) {
		if (fds[i].revents == 0)
			continue;
		ssize_t r = read(fds[i].fd, buf, sizeof(buf));
		if (r > 0 && fds[i].fd == p->master) {
			grow(&p->tty, &p->tty_len, buf, (size_t)r);
		} else if (r > 0) {
			grow(&p->stdout_data, &p->stdout_len, buf,
			    (size_t)r);
		} else if (r == 0 || (r < 0 && errno != EINTR &&
		    errno != EAGAIN)) {
			close(fds[i].fd);
			if (fds[i].fd == p->master)
				p->master = -1;
			else
				p->out = -1;
		}
	}
	return true;
}

bool
h_wait_for(struct h_proc *p, const char *needle, size_t from)
{
	double end = now() + h_guard();

	while (now() < end) {
		if (p->tty != NULL && from <= p->tty_len &&
		    strstr(p->tty + from, needle) != NULL)
			return true;
		if (!pump(p, 100))
			return false;
	}
	fprintf(stderr, "# timed out waiting for output\n");
	return false;
}

bool
h_wait_stopped(struct h_proc *p)
{
	char ev;

	while ((ev = next_event(p)) == 'C')
		;
	if (ev == 'X')
		p->report_done = true;
	return ev == 'S';
}

bool
h_wait_continued(struct h_proc *p)
{
	char ev;

	while ((ev = next_event(p)) == 'S')
		;
	if (ev == 'X')
		p->report_done = true;
	return ev == 'C';
}

int
h_finish(struct h_proc *p)
{
	int st = -1, shell;
	char ev = p->report_done ? 'X' : 0;

	while (ev != 'X' && (ev = next_event(p)) != 0)
		;
	if (ev != 'X' || read(p->report, &st, sizeof(st)) !=
	    (ssize_t)sizeof(st) || read(p->report, &p->modes_after,
	    sizeof(p->modes_after)) != (ssize_t)sizeof(p->modes_after)) {
		fprintf(stderr, "# process did not end; killing it\n");
		kill(p->job, SIGKILL);
		st = -1;
	}
	/* the pty closes when the shell and the job are gone */
	waitpid(p->pid, &shell, 0);
	double end = now() + h_guard();
	while (pump(p, 200) && (p->master >= 0 || p->out >= 0) &&
	    now() < end)
		;
	p->status = st;
	return st;
}

void
h_resize(struct h_proc *p, int rows, int cols)
{
	struct winsize ws;

	memset(&ws, 0, sizeof(ws));
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	ioctl(p->master, TIOCSWINSZ, &ws);
}

void
h_hangup(struct h_proc *p)
{
	if (p->master >= 0)
		close(p->master);
	p->master = -1;
}

/* Whether every thread of pid is in an interruptible sleep now. */
static bool
all_asleep(pid_t pid)
{
	char path[320], buf[512];
	struct dirent *d;
	bool any = false, asleep = true;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return false;
	while (asleep && (d = readdir(dir)) != NULL) {
		FILE *fp;
		char *paren;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", (int)pid,
		    d->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;	/* a thread that just ended */
		if (fgets(buf, sizeof(buf), fp) != NULL &&
		    (paren = strrchr(buf, ')')) != NULL)
			asleep = paren[1] == ' ' && paren[2] == 'S';
		any = true;
		fclose(fp);
	}
	closedir(dir);
	return any && asleep;
}

bool
h_idle(pid_t pid)
{
	int looks = 20, asleep = 0;

	for (int i = 0; i < looks; i++) {
		struct timespec ms = { 0, 3000000 };

		asleep += all_asleep(pid);
		nanosleep(&ms, NULL);	/* spread the looks, not a wait */
	}
	if (asleep * 2 < looks)
		fprintf(stderr, "# pid %d asleep in %d of %d looks\n",
		    (int)pid, asleep, looks);
	return asleep * 2 >= looks;
}

void
h_free(struct h_proc *p)
{
	if (p->master >= 0)
		close(p->master);
	if (p->out >= 0)
		close(p->out);
	if (p->report >= 0)
		close(p->report);
	hold(p->tty, NULL);
	hold(p->stdout_data, NULL);
	free(p->tty);
	free(p->stdout_data);
	memset(p, 0, sizeof(*p));
	p->master = p->out = p->report = -1;
}

size_t
h_count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, nl = strlen(needle);

	for (size_t i = 0; nl > 0 && i + nl <= len; i++)
		if (memcmp(hay + i, needle, nl) == 0)
			n++;
	return n;
}

bool
h_has_escape(const char *hay, size_t len)
{
	return hay != NULL && memchr(hay, 0x1b, len) != NULL;
}

size_t
h_count_sgr(const char *hay, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; hay != NULL && i + 2 < len; i++) {
		size_t j = i + 2;

		if (hay[i] != 0x1b || hay[i + 1] != '[')
			continue;
		while (j < len && ((hay[j] >= '0' && hay[j] <= '9') ||
		    hay[j] == ';'))
			j++;
		if (j < len && hay[j] == 'm')
			n++;
	}
	return n;
}

int
h_pipe_run(const char *const argv[], const char *in, size_t inlen,
    char **out, size_t *outlen, char **err, size_t *errlen,
    const char *const *env)
{
	int i_p[2], o_p[2], e_p[2], st = -1;
	size_t fed = 0;
	char buf[65536];
	double end = now() + h_guard();

	if (pipe(i_p) || pipe(o_p) || pipe(e_p))
		abort();
	char **v = full_argv(argv, false);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(i_p[0], 0);
		dup2(o_p[1], 1);
		dup2(e_p[1], 2);
		for (int fd = 3; fd < 64; fd++)
			close(fd);
		setsid();	/* no controlling terminal, as in CI */
		signal(SIGPIPE, SIG_DFL);
		setenv("LC_ALL", "C.UTF-8", 1);
		unset_color_env();
		apply_env(env, NULL);
		execvp(v[0], v);
		_exit(127);
	}
	free(v);
	close(i_p[0]);
	close(o_p[1]);
	close(e_p[1]);
	*out = *err = NULL;
	*outlen = *errlen = 0;
	append(out, outlen, "", 0);
	append(err, errlen, "", 0);
	if (in == NULL || inlen == 0) {
		close(i_p[1]);
		i_p[1] = -1;
	} else {
		fcntl(i_p[1], F_SETFL, O_NONBLOCK);
	}
	signal(SIGPIPE, SIG_IGN);
	int ofd = o_p[0], efd = e_p[0];
	while ((ofd >= 0 || efd >= 0) && now() < end) {
		struct pollfd f[3];
		nfds_t n = 0;
		if (ofd >= 0)
			f[n++] = (struct pollfd){ ofd, POLLIN, 0 };
		if (efd >= 0)
			f[n++] = (struct pollfd){ efd, POLLIN, 0 };
		if (i_p[1] >= 0)
			f[n++] = (struct pollfd){ i_p[1], POLLOUT, 0 };
		if (poll(f, n, 200) <= 0)
			continue;
		for (nfds_t k = 0; k < n; k++) {
			if (f[k].revents == 0)
				continue;
			if (f[k].fd == i_p[1]) {
				ssize_t w = write(i_p[1], in + fed,
				    inlen - fed > 65536 ? 65536 : inlen - fed);
				if (w > 0)
					fed += (size_t)w;
				if (w < 0 && errno != EAGAIN) {
					close(i_p[1]);
					i_p[1] = -1;
				} else if (fed == inlen) {
					close(i_p[1]);
					i_p[1] = -1;
				}
				continue;
			}
			ssize_t r = read(f[k].fd, buf, sizeof(buf));
			if (r > 0 && f[k].fd == ofd)
				append(out, outlen, buf, (size_t)r);
			else if (r > 0)
				append(err, errlen, buf, (size_t)r);
			else if (f[k].fd == ofd)
				close(ofd), ofd = -1;
			else
				close(efd), efd = -1;
		}
	}
	if (i_p[1] >= 0)
		close(i_p[1]);
	if (ofd >= 0 || efd >= 0) {
		kill(pid, SIGKILL);
		if (ofd >= 0)
			close(ofd);
		if (efd >= 0)
			close(efd);
	}
	waitpid(pid, &st, 0);
	return st;
}

void
h_modes(struct h_proc *p, struct termios *t)
{
	memset(t, 0, sizeof(*t));
	tcgetattr(p->master, t);
}

bool
h_same_modes(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	    a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	    memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc)) == 0;
}

bool
h_read(struct h_proc *p, int ms)
{
	return pump(p, ms);
}

/* The length of an elapsed time at s ("1.2s", "2m05s"), or 0. */
static size_t
time_len(const char *s)
{
	size_t n = strspn(s, "0123456789"), f;

	if (n == 0)
		return 0;
	if (s[n] == '.' && (f = strspn(s + n + 1, "0123456789")) > 0)
		n += 1 + f;
	else if (s[n] == 'm' && (f = strspn(s + n + 1, "0123456789")) > 0)
		n += 1 + f;
	else
		return 0;
	return s[n] == 's' ? n + 1 : 0;
}

char *
h_mask_times(char *s)
{
	char *w = s;

	for (const char *r = s; *r != '\0';) {
		size_t n = (r == s || r[-1] == ' ' || r[-1] == '(') ?
		    time_len(r) : 0;
		char after = n > 0 ? r[n] : '\0';

		if (n > 0 && (after == '\0' || after == ')' || after == ' ' ||
		    after == '\n' || after == '\r' || after == ',')) {
			*w++ = 'T';
			r += n;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

bool
h_stats(const char *hay, size_t len, const char *prog, bool tasks,
    struct h_stats *s)
{
	static const char *const keys[H_STATS_KEYS] = { "frames", "wall_s",
		"stop_ms", "user_s", "sys_s", "maxrss_kib", "threads",
		"wakeups", "tasks_started", "tasks_failed", "tasks_most" };
	char head[128], *copy, *at, *p;
	size_t nkeys = tasks ? H_STATS_KEYS : H_TASKS_STARTED;
	bool ok = false;

	memset(s, 0, sizeof(*s));
	snprintf(head, sizeof(head), "%s: stats ", prog);
	if ((copy = malloc(len + 1)) == NULL)
		abort();
	memcpy(copy, hay, len);
	copy[len] = '\0';
	if ((at = strstr(copy, head)) == NULL) {
		fprintf(stderr, "no '%s' line\n", head);
		goto out;
	}
	if (strstr(at + 1, head) != NULL) {
		fprintf(stderr, "'%s' twice\n", head);
		goto out;
	}
	/* on a terminal, it may follow the wipe (cursor at the left) */
	if (at != copy && at[-1] != '\n' && at[-1] != '\r' &&
	    !(at - copy >= 6 && strncmp(at - 6, "\033[?25h", 6) == 0) &&
	    !(at - copy >= 3 && strncmp(at - 3, "\033[K", 3) == 0)) {
		fprintf(stderr, "'%s' does not start a line\n", head);
		goto out;
	}
	p = at + strlen(head);
	for (size_t i = 0; i < nkeys; i++) {
		size_t kl = strlen(keys[i]);
		char *end;

		if (strncmp(p, keys[i], kl) != 0 || p[kl] != '=' ||
		    !(p[kl + 1] >= '0' && p[kl + 1] <= '9')) {
			fprintf(stderr, "key %zu: want %s=N at '%.40s'\n", i,
			    keys[i], p);
			goto out;
		}
		s->v[i] = strtod(p + kl + 1, &end);
		p = end;
		if (*p != (i + 1 < nkeys ? ' ' : '\n') &&
		    !(i + 1 == nkeys && p[0] == '\r' && p[1] == '\n')) {
			fprintf(stderr, "after %s: '%.20s'\n", keys[i], p);
			goto out;
		}
		p++;
	}
	s->tasks = tasks;
	ok = true;
out:
	free(copy);
	return ok;
}

static int
remove_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

int
h_remove_tree(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
