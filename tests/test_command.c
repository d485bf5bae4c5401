/*
 * Starting COMMAND: the statuses of a command that cannot start, the
 * mask and dispositions it starts with, and that no signal handler of
 * the spinner can run in the child before it execs (fork is wrapped to
 * look at the child's mask the moment it exists).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"
#include "exitcodes.h"

/* Exit status of a child whose mask was not full right after fork. */
#define OPEN_MASK 99

pid_t __real_fork(void);
pid_t __wrap_fork(void);
pid_t
__wrap_fork(void)
{
	pid_t pid = __real_fork();
	sigset_t now;

	if (pid != 0)
		return pid;
	sigprocmask(SIG_SETMASK, NULL, &now);
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP &&
		    sigismember(&now, sig) != 1)
			_exit(OPEN_MASK);
	return pid;
}

static int
run(char *const argv[], const sigset_t *mask, char *err, size_t errsize)
{
	struct command c;
	sigset_t none;
	int st, rc;

	struct command_how how = { NULL, &none, -1, false, -1 };

	sigemptyset(&none);
	how.mask = mask != NULL ? mask : &none;
	rc = command_start(&c, argv, &how, err, errsize);
	if (rc != 0)
		return -rc;
	assert_int_equal(c.relay, -1);
	assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
test_child_starts_with_every_signal_blocked_until_it_resets(void **state)
{
	char *const argv[] = { (char *)"true", NULL };
	char err[256];

	(void)state;
	assert_int_equal(run(argv, NULL, err, sizeof(err)), 0);
}

static void
test_command_gets_exactly_the_mask_it_is_given(void **state)
{
	char *const argv[] = { (char *)"grep", (char *)"-q",
		(char *)"^SigBlk:.*0000000000000200$",
		(char *)"/proc/self/status", NULL };
	sigset_t usr1;
	char err[256];

	(void)state;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);	/* signal 10: bit 9, 0x200 */
	assert_int_equal(run(argv, &usr1, err, sizeof(err)), 0);
}

static void
test_missing_command_is_127_and_unrunnable_is_126(void **state)
{
	char *const missing[] = { (char *)"no-such-command-xyz", NULL };
	char *const dir[] = { (char *)"/", NULL };
	char err[256];

	(void)state;
	assert_int_equal(run(missing, NULL, err, sizeof(err)), -EXIT_ENOENT);
	assert_non_null(strstr(err, "cannot run 'no-such-command-xyz'"));
	assert_int_equal(run(dir, NULL, err, sizeof(err)),
	    -EXIT_CANNOT_INVOKE);
}

static void
test_command_name_is_quoted_in_the_message(void **state)
{
	char *const argv[] = { (char *)"\033[31mx", NULL };
	char err[256];

	(void)state;
	assert_int_equal(run(argv, NULL, err, sizeof(err)), -EXIT_ENOENT);
	assert_null(strchr(err, '\033'));
	assert_non_null(strstr(err, "$'\\e[31mx'"));
}

/* The lowest descriptor from 3 up that a child would not inherit. */
static int
lowest_not_inherited(void)
{
	int fd = 3, fl;

	while ((fl = fcntl(fd, F_GETFD)) >= 0 && !(fl & FD_CLOEXEC))
		fd++;
	return fd;
}

/* Everything COMMAND wrote to its message pipe, until its end. */
static const char *
read_messages(struct command *c)
{
	static char buf[256];
	size_t len = 0;

	for (;;) {
		struct pollfd p = { c->messages, POLLIN, 0 };
		ssize_t n;

		assert_true(poll(&p, 1, 30000) > 0);
		n = command_read_messages(c, buf + len, sizeof(buf) - 1 - len);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/* Start sh -c script with a message pipe; how->tty and proxy as given. */
static void
start_with_messages(struct command *c, const char *script, int tty,
    bool proxy)
{
	char *const argv[] = { (char *)"sh", (char *)"-c", (char *)script,
		NULL };
	sigset_t none;
	struct command_how how = { NULL, &none, tty, proxy, -1, true };
	char err[256];

	sigemptyset(&none);
	how.mask = &none;
	assert_int_equal(command_start(c, argv, &how, err, sizeof(err)), 0);
	assert_true(c->messages >= 0);
	assert_true(fcntl(c->messages, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(c->messages, F_GETFL) & O_NONBLOCK);
}

static void
test_message_descriptor_is_named_in_the_environment(void **state)
{
	struct command c;
	char want[64];
	int st;

	(void)state;
	/* a spinner around ours set its own: COMMAND sees only ours */
	setenv(COMMAND_MESSAGE_ENV, "99", 1);
	snprintf(want, sizeof(want), "%d 1\n", lowest_not_inherited());
	start_with_messages(&c, "n=$(env | grep -c '^SPINNER_MESSAGE_FD='); "
	    "echo \"$SPINNER_MESSAGE_FD $n\" >&\"$SPINNER_MESSAGE_FD\"", -1,
	    false);
	unsetenv(COMMAND_MESSAGE_ENV);
	assert_string_equal(read_messages(&c), want);
	assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	command_end_messages(&c);
	assert_int_equal(c.messages, -1);
}

static void
test_message_descriptor_covers_none_that_command_inherits(void **state)
{
	struct command c;
	int at = lowest_not_inherited(), null, st;
	char want[64];

	(void)state;
	/* as a make jobserver's pipe or 3<file would be */
	null = open("/dev/null", O_RDONLY);
	if (null != at) {
		assert_int_equal(dup2(null, at), at);
		close(null);
	}
	snprintf(want, sizeof(want), "%d /dev/null\n",
	    lowest_not_inherited());
	char script[256];
	snprintf(script, sizeof(script), "echo \"$SPINNER_MESSAGE_FD "
	    "$(readlink /proc/self/fd/%d)\" >&\"$SPINNER_MESSAGE_FD\"", at);
	start_with_messages(&c, script, -1, false);
	assert_string_equal(read_messages(&c), want);
	assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
	command_end_messages(&c);
	close(at);
}

/* A pty the proxied COMMAND's session can take as its terminal. */
static int
a_terminal(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	return master;
}

static void
test_message_pipe_ends_when_command_closes_it(void **state)
{
	(void)state;
	for (int proxied = 0; proxied <= 1; proxied++) {
		struct command c;
		int tty = proxied ? a_terminal() : -1;
		int slave = proxied ? open(ptsname(tty), O_RDWR | O_NOCTTY) :
		    -1;

		/* nothing of ours (the keeper) holds the write end: its
		 * end comes while COMMAND still runs */
		start_with_messages(&c, "echo hi >&\"$SPINNER_MESSAGE_FD\"; "
		    "eval \"exec $SPINNER_MESSAGE_FD>&-\"; exec sleep 30",
		    slave, proxied);
		assert_string_equal(read_messages(&c), "hi\n");
		command_signal(&c, SIGKILL);
		assert_int_equal(waitpid(c.pid, NULL, 0), c.pid);
		command_end_messages(&c);
		command_end_relay(&c);
		if (proxied) {
			close(slave);
			close(tty);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_child_starts_with_every_signal_blocked_until_it_resets),
		cmocka_unit_test(test_command_gets_exactly_the_mask_it_is_given),
		cmocka_unit_test(
		    test_missing_command_is_127_and_unrunnable_is_126),
		cmocka_unit_test(test_command_name_is_quoted_in_the_message),
		cmocka_unit_test(
		    test_message_descriptor_is_named_in_the_environment),
		cmocka_unit_test(
		    test_message_descriptor_covers_none_that_command_inherits),
		cmocka_unit_test(
		    test_message_pipe_ends_when_command_closes_it),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
