/*
 * The exit statuses both binaries share: the convention of timeout(1) and
 * env(1).  Any other status is COMMAND's own, or 128+N after a re-raised
 * signal N.
 */
#ifndef EXITCODES_H
#define EXITCODES_H

enum exitcode {
	EXIT_OK = 0,
	EXIT_TIMEDOUT = 124,	/* --timeout expired */
	EXIT_CANCELED = 125,	/* the spinner itself failed */
	EXIT_CANNOT_INVOKE = 126,	/* COMMAND found but not executable */
	EXIT_ENOENT = 127	/* COMMAND not found */
};

#endif
