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

#include <locale.h>
#include <signal.h>
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
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
