/*
 * Which signals the spinner takes and what it does with them, shared by
 * both binaries; each front end decides how to receive them.
 *
 * Fatal signals (HUP, INT, QUIT, TERM, ALRM, USR1, USR2) end the spinner
 * after it restores the terminal, by re-raising them; TSTP suspends it
 * cleanly; CONT and WINCH redraw; CHLD reports COMMAND's end.  A signal
 * that was ignored when the spinner started stays ignored, and one that
 * was blocked stays blocked, but for those signals_needed() names.
 */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <signal.h>
#include <stdbool.h>

/* Highest signal number the spinner takes, plus one. */
#define SIGNALS_MAX 32

/*
 * Fill taken with the signals to take (fatal ones not ignored at start,
 * TSTP unless ignored, CONT, WINCH, CHLD).  SIGCHLD is set back to its
 * default action if it was ignored, so COMMAND can be waited for; COMMAND
 * gets it ignored again.
 */
void signals_taken(sigset_t *taken);

/*
 * The signals the spinner takes even when it was started with them
 * blocked, as it cannot work without them: CHLD (COMMAND's end), WINCH
 * and CONT.  COMMAND still starts with the mask the spinner was given.
 */
void signals_needed(sigset_t *set);

/* Whether SIGCHLD was ignored at start, for COMMAND to inherit. */
bool signals_chld_was_ignored(void);

/* The signals that end the spinner, as a set. */
void signals_fatal_set(sigset_t *set);

/* Whether sig ends the spinner. */
bool signals_fatal(int sig);

/*
 * The signals blocked in the spinner for its whole run and never taken:
 * SIGPIPE (a closed pipe is EPIPE, reported) and SIGTTOU (writing to or
 * setting the terminal from the background must not stop it; it checks
 * the foreground itself).  COMMAND starts with the mask the spinner had.
 */
void signals_quiet(sigset_t *set);

/*
 * End the process by sig, as if it had never been caught: no core file,
 * default action, unblocked.  Does not return.
 */
_Noreturn void signals_reraise(int sig);

/*
 * Stop the process by sig (SIGTSTP as ^Z would, SIGTTIN as a read from
 * the terminal behind the shell would); with job, every process of our
 * process group, as the terminal would.  Returns once continued.
 */
void signals_stop(int sig, bool job);

/* "SIGINT" and the like, or "signal N" in buf. */
const char *signals_name(int sig, char *buf, size_t size);

#endif
