/*
 * Wait statuses in cmocka cases: what a run of a binary must end with.
 * Include after <cmocka.h>.
 */
#ifndef STATUS_H
#define STATUS_H

#include <sys/wait.h>

/* st is an exit with code (else the status, and the case fails). */
static inline void
assert_exited(int st, int code)
{
	if (!WIFEXITED(st))
		fail_msg("not exited: status 0x%x", st);
	assert_int_equal(WEXITSTATUS(st), code);
}

/* st is a death by sig. */
static inline void
assert_signaled(int st, int sig)
{
	if (!WIFSIGNALED(st))
		fail_msg("not killed by a signal: status 0x%x", st);
	assert_int_equal(WTERMSIG(st), sig);
}

#endif
