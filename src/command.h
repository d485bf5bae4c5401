/*
 * COMMAND: start it, and carry its terminal-bound output through a
 * pseudo-terminal so the spinner can print it above its line.
 */
#ifndef COMMAND_H
#define COMMAND_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct command {
	pid_t pid;
	int relay;	/* master of the pty COMMAND writes to, or -1 */
};

/*
 * Start argv (found on PATH as execvp(3) would) with the signal mask mask
 * and default actions for the signals in dfl.  stdin is inherited; so are stdout and stderr, except
 * that those that are the terminal tty_fd (when tty_fd >= 0) go to a new
 * pseudo-terminal of the same size and modes, whose master is c->relay
 * (non-blocking, close-on-exec).  Returns 0, or EXIT_ENOENT,
 * EXIT_CANNOT_INVOKE or EXIT_CANCELED with one line in err.
 */
int command_start(struct command *c, char *const argv[],
    const sigset_t *mask, const sigset_t *dfl, int tty_fd, char *err,
    size_t errsize);

/* Give the relay pty the size of the terminal tty_fd. */
void command_resize(const struct command *c, int tty_fd);

/*
 * Read what COMMAND wrote to its pty into buf.  Returns the bytes read,
 * 0 when nothing is there now, -1 once every writer has closed it.
 */
ssize_t command_read(struct command *c, char *buf, size_t size);

/* Close the relay (after command_read returned -1, or at the end). */
void command_end_relay(struct command *c);

#endif
