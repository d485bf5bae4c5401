/*
 * How the slow work ended, the exit status that follows from it, and the
 * final line --persist leaves.  Pure: no I/O.
 */
#ifndef OUTCOME_H
#define OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum outcome_kind {
	OUTCOME_EXITED,		/* the demo answered, or COMMAND exited */
	OUTCOME_TIMEDOUT,	/* --timeout expired */
	OUTCOME_SIGNALED,	/* COMMAND, or the spinner, got a fatal signal */
	OUTCOME_FAILED,		/* COMMAND could not be started */
	OUTCOME_STOPPED,	/* a task the spinner stopped (sig) */
	OUTCOME_NOSTART		/* a task that could not start */
};

struct outcome {
	enum outcome_kind kind;
	int code;		/* EXITED, FAILED: the exit status */
	int sig;		/* SIGNALED: the signal */
};

/* The outcome of a wait(2) status. */
struct outcome outcome_from_wait(int wstatus);

/* The exit status (128+N for a signal N). */
int outcome_status(const struct outcome *o);

/*
 * The --persist line, or a task's verdict, without a newline:
 * "✔ MSG (1.2s)", "✖ MSG (exit 2, 1.2s)", "✖ MSG (timed out, 1.2s)",
 * "✖ MSG (SIGINT, 1.2s)", "✖ MSG (stopped, 1.2s)", "✖ MSG (cannot
 * start, 0.0s)"; with "v" and "x" for marks when !utf8.  Fitted to cols
 * columns unless cols is 0; then, with color, the mark painted green or
 * red if it is still whole (color.h).  Returns the length in bytes.
 */
size_t outcome_line(char *out, size_t outsize, const struct outcome *o,
    const char *msg, int64_t elapsed_ns, bool utf8, size_t cols, bool color);

/* "1.2s", or "2m05s" from a minute on. */
void outcome_elapsed(char *out, size_t outsize, int64_t ns);

#endif
