#include "fakes.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command.h"

struct fake fake;

void
fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.now = 1000 * INT64_C(1000000000);
	fake.relay = -1;
	fake.messages = -1;
	fake.ctty = -1;
}

int
fake_sent(int sig)
{
	int n = 0;

	for (int i = 0; i < fake.nsent; i++)
		n += fake.sent[i] == sig;
	return n;
}

int __real_clock_gettime(clockid_t id, struct timespec *ts);
int __wrap_clock_gettime(clockid_t id, struct timespec *ts);
int
__wrap_clock_gettime(clockid_t id, struct timespec *ts)
{
	if (id != CLOCK_MONOTONIC)
		return __real_clock_gettime(id, ts);
	ts->tv_sec = (time_t)(fake.now / 1000000000);
	ts->tv_nsec = (long)(fake.now % 1000000000);
	return 0;
}

int __real_kill(pid_t pid, int sig);
int __wrap_kill(pid_t pid, int sig);
int
__wrap_kill(pid_t pid, int sig)
{
	if (pid != FAKE_PID && pid != -FAKE_PID)
		return __real_kill(pid, sig);
	if (sig == 0)
		return fake.group_alive ? 0 : -1;
	if (pid == -FAKE_PID)
		fake.to_group++;
	if (fake.nsent < FAKE_SENT)
		fake.sent[fake.nsent++] = sig;
	if (sig == SIGKILL && !fake.exited) {
		fake.exited = true;
		fake.status = SIGKILL;	/* as WIFSIGNALED, WTERMSIG 9 */
	}
	return 0;
}

pid_t __real_waitpid(pid_t pid, int *status, int flags);
pid_t __wrap_waitpid(pid_t pid, int *status, int flags);
pid_t
__wrap_waitpid(pid_t pid, int *status, int flags)
{
	if (pid == -FAKE_PID) {
		/* COMMAND's group: something of ours in it, or nothing */
		if (fake.group_alive)
			return 0;
		errno = ECHILD;
		return -1;
	}
	if (pid != FAKE_PID && pid != -1)
		return __real_waitpid(pid, status, flags);
	if (!(flags & WNOHANG))
		fake.waited_blocking = FAKE_PID;
	if (fake.stop_sig != 0 && (flags & WUNTRACED)) {
		if (status != NULL)
			*status = (fake.stop_sig << 8) | 0x7f;
		fake.stop_sig = 0;
		return FAKE_PID;
	}
	/* COMMAND's end is told once, as the kernel does */
	if ((!fake.exited || fake.reported) && (flags & WNOHANG))
		return 0;
	fake.reported = true;
	if (status != NULL)
		*status = fake.status;
	return FAKE_PID;
}

int __wrap_command_start(struct command *c, char *const argv[],
    const struct command_how *how, char *err, size_t errsize);
int
__wrap_command_start(struct command *c, char *const argv[],
    const struct command_how *how, char *err, size_t errsize)
{
	fake.how = *how;
	if (fake.start_rc != 0) {
		c->pid = c->group = -1;
		c->relay = c->messages = -1;
		snprintf(err, errsize, "cannot run '%s': fake", argv[0]);
		return fake.start_rc;
	}
	c->pid = c->group = FAKE_PID;
	c->relay = fake.relay;
	c->messages = fake.messages;
	c->session = how->proxy;
	return 0;
}

ssize_t __wrap_command_read(struct command *c, char *buf, size_t size);
ssize_t
__wrap_command_read(struct command *c, char *buf, size_t size)
{
	size_t n;

	(void)c;
	if (fake.output == NULL)
		return fake.output_eof ? -1 : 0;
	n = strlen(fake.output);
	if (n > size)
		n = size;
	memcpy(buf, fake.output, n);
	if (!fake.output_forever)
		fake.output = NULL;
	return (ssize_t)n;
}

void __wrap_command_resize(const struct command *c, int tty_fd);
void
__wrap_command_resize(const struct command *c, int tty_fd)
{
	(void)c;
	(void)tty_fd;
	fake.resizes++;
}

void __wrap_signals_stop(int sig, bool job);
void
__wrap_signals_stop(int sig, bool job)
{
	fake.suspends++;
	fake.suspended_job = job;
	fake.stop_sigs[fake.suspends < 8 ? fake.suspends : 7] = sig;
	if (fake.while_stopped != NULL)
		fake.while_stopped();
}

_Noreturn void __wrap_signals_reraise(int sig);
_Noreturn void
__wrap_signals_reraise(int sig)
{
	fake.reraised = sig;
	longjmp(fake.reraise_jmp, 1);
}

int __wrap_term_open_ctty(void);
int
__wrap_term_open_ctty(void)
{
	return fake.ctty;
}

bool __wrap_term_foreground(int fd);
bool
__wrap_term_foreground(int fd)
{
	(void)fd;
	return fake.foreground == 0 || fake.foreground == getpgrp();
}

int __wrap_term_give(int fd, pid_t pgrp);
int
__wrap_term_give(int fd, pid_t pgrp)
{
	(void)fd;
	fake.foreground = pgrp;
	return 0;
}

pid_t __wrap_term_holder(int fd);
pid_t
__wrap_term_holder(int fd)
{
	(void)fd;
	return fake.foreground != 0 ? fake.foreground : getpgrp();
}
