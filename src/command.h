/*
 * COMMAND: start it in a process group (or a session) of its own, carry
 * its terminal through a pseudo-terminal, signal all it started.
 */
#ifndef COMMAND_H
#define COMMAND_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct command {
	pid_t pid;	/* our child: COMMAND, or the keeper of its session */
	pid_t group;	/* COMMAND's process group (its pid) */
	int relay;	/* master of the pty COMMAND uses, or -1 */
	int messages;	/* read end of COMMAND's message pipe, or -1 */
	bool session;	/* in a session of its own, the pty its terminal */
};

/* The variable that tells COMMAND its message descriptor (--messages). */
#define COMMAND_MESSAGE_ENV "SPINNER_MESSAGE_FD"

/* How COMMAND starts. */
struct command_how {
	const sigset_t *mask;	/* its signal mask */
	const sigset_t *dfl;	/* signals set back to their default action */
	int tty;		/* the terminal the spinner draws on, or -1 */
	bool proxy;		/* a session of its own on a pty of tty's size
				 * and modes, as every standard descriptor
				 * that is tty */
	int give;		/* otherwise: a terminal whose foreground
				 * COMMAND's group is made, or -1 */
	bool messages;		/* a pipe for COMMAND to set the message */
	bool keep;		/* what would reach our stderr (COMMAND's
				 * stderr, and stdout when it is the same
				 * file) goes to c->relay, for the end */
};

/*
 * Start argv (found on PATH as execvp(3) would) as how says.  Proxied,
 * our child is a keeper that leads COMMAND's session and waits for it,
 * stopping when COMMAND stops and ending as it ends (c->pid); COMMAND
 * leads a group in that session (c->group).  Without a proxy COMMAND
 * is our child and leads a process group of its own in our session, and
 * those of stdout and stderr that are the terminal how->tty go to a new
 * pseudo-terminal of the same size and modes (output processing off).
 * Keeping (how->keep, never proxied), COMMAND's stderr goes there, and
 * its stdout when that is the same file or terminal as stderr; when tty
 * is no terminal, a pipe takes the place of the pty.  c->relay is the
 * pty's master, or the pipe's read end (non-blocking, close-on-exec).
 * With
 * how->messages, COMMAND gets the write end of a pipe as the lowest
 * descriptor from 3 up that it does not inherit otherwise, named in
 * COMMAND_MESSAGE_ENV in its environment; c->messages is the read end
 * (non-blocking, close-on-exec), and no other process of ours holds the
 * write end.  Returns 0, or EXIT_ENOENT, EXIT_CANNOT_INVOKE or
 * EXIT_CANCELED with one line in err.
 */
int command_start(struct command *c, char *const argv[],
    const struct command_how *how, char *err, size_t errsize);

/* Give the pty the size of the terminal tty_fd (COMMAND hears SIGWINCH). */
void command_resize(const struct command *c, int tty_fd);

/*
 * Read what COMMAND wrote to its pty (or pipe) into buf.  Returns the
 * bytes read, 0 when nothing is there now, -1 once every writer has
 * closed it.
 */
ssize_t command_read(struct command *c, char *buf, size_t size);

/*
 * Read what COMMAND wrote to its message pipe into buf.  Returns the bytes
 * read, 0 when nothing is there now, -1 once every writer has closed it.
 */
ssize_t command_read_messages(struct command *c, char *buf, size_t size);

/* Close the message pipe. */
void command_end_messages(struct command *c);

/* Type buf on COMMAND's pty: the bytes taken, 0 if none now, -1. */
ssize_t command_write(struct command *c, const char *buf, size_t size);

/*
 * Send sig to COMMAND's process group, and to the foreground group of its
 * pty when that is another: to everything it started.
 */
void command_signal(const struct command *c, int sig);

/* Close the pty (after command_read returned -1, or at the end). */
void command_end_relay(struct command *c);

#endif
