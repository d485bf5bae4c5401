/*
 * Fakes for unit tests of the engine, linked in with -Wl,--wrap=NAME (the
 * names are listed once in the Makefile): a clock that moves only when a
 * test moves it, kill(2) and waitpid(2) that record and answer for one
 * pretend COMMAND, COMMAND's start and pty, and a suspend and a re-raise
 * that do not stop or end the test.
 */
#ifndef FAKES_H
#define FAKES_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "command.h"

#define FAKE_PID 4242
#define FAKE_MS (INT64_C(1000000))
#define FAKE_SENT 32

struct fake {
	int64_t now;			/* CLOCK_MONOTONIC, ns */
	int start_rc;			/* what command_start returns */
	int relay;			/* COMMAND's pty master, or -1 */
	int messages;			/* its message pipe's read end, or -1 */
	bool exited;			/* waitpid reports this status */
	bool reported;			/* and has reported it */
	int status;
	int sent[FAKE_SENT];		/* signals sent to FAKE_PID */
	int nsent;
	const char *output;		/* what command_read gives next */
	bool output_forever;		/* give output again on every read */
	bool output_eof;		/* then -1: every writer gone */
	int resizes;			/* command_resize calls */
	int suspends;			/* signals_stop calls */
	int stop_sigs[8];		/* by which signal, from [1] */
	void (*while_stopped)(void);	/* run inside signals_stop */
	int reraised;			/* signal given to signals_reraise */
	jmp_buf reraise_jmp;
	pid_t waited_blocking;		/* a waitpid(..., 0) for this pid */
	struct command_how how;		/* what command_start was asked */
	bool group_alive;		/* kill(-FAKE_PID, 0) succeeds, and
					 * waitpid(-FAKE_PID) finds a child */
	int to_group;			/* signals sent to the group */
	bool suspended_job;		/* signals_stop(..., true) */
	int ctty;			/* term_open_ctty() gives it */
	int stop_sig;			/* waitpid reports a stop by it, once */
	pid_t foreground;		/* term_give() made it the foreground */
};

extern struct fake fake;

/* Reset every fake: time 1000 s, COMMAND running, nothing recorded. */
void fake_reset(void);

/* How many times sig was sent to COMMAND. */
int fake_sent(int sig);

#endif
