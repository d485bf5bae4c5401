/*
 * Run the built binaries for end-to-end tests: on a pseudo-terminal
 * (forkpty), with stdout optionally a pipe or a file, or entirely in pipes.
 * Waits are for output or process events, never for time; a generous
 * guard fails a test that would otherwise hang.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <termios.h>

enum h_stdout { H_STDOUT_PTY, H_STDOUT_PIPE, H_STDOUT_FULL, H_STDOUT_CLOSED };

struct h_opts {
	int rows, cols;			/* pty size (default 24x80) */
	bool unsized;			/* the pty says 0x0, no size */
	enum h_stdout out;
	const char *const *env;		/* extra "NAME=value" entries */
	const char *const *unset;	/* variables to remove */
	bool block_int;			/* start with SIGINT blocked */
	const int *block;		/* and these blocked (0 ends them) */
	bool ignore_int;		/* start with SIGINT ignored */
	bool ignore_chld;		/* start with SIGCHLD ignored */
	bool ignore_hup;		/* start with SIGHUP ignored (nohup) */
	bool background;		/* the job is not the foreground one */
	int closed;			/* bit n: start with descriptor n closed */
	int fill_fds;			/* open every descriptor below this */
	bool echo;			/* the terminal echoes, as a person's */
	const char *err_path;		/* stderr to this file, not the pty */
	/* run this in the job, in place of the binary argv[0] names */
	int (*main)(int argc, char **argv);
};

struct h_proc {
	pid_t pid;		/* the job-control "shell" on the pty */
	pid_t job;		/* the binary under test, its own job */
	int report;		/* events from the shell: S, C, X+status */
	bool report_done;
	int master;		/* pty master, or -1 */
	int out;		/* stdout pipe, or -1 */
	char *tty;		/* everything read from the pty */
	size_t tty_len;
	char *stdout_data;	/* everything read from the stdout pipe */
	size_t stdout_len;
	int status;		/* wait status once finished */
	struct termios modes_before;	/* the terminal's, as the job began */
	struct termios modes_after;	/* and as it ended */
};

/* The path of a built binary: $SPINNER_BUILD/name (default build/). */
const char *h_bin(const char *name);

/*
 * Start argv (argv[0] a binary name, resolved by h_bin) on a pty, as a
 * shell with job control would: in a process group of its own that is the
 * terminal's foreground group, so ^C, ^Z and SIGTSTP behave as for a
 * person.  The pty does not echo, and ^C or ^Z typed on it discards no
 * output the test has yet to read (NOFLSH).  A $SPINNER_WRAP (e.g.
 * "valgrind -q --error-exitcode=99") goes in front.
 */
void h_start(struct h_proc *p, const struct h_opts *o,
    const char *const argv[]);

/* Read until the pty output holds needle (from byte from on). */
bool h_wait_for(struct h_proc *p, const char *needle, size_t from);

/* Read what the terminal has within ms milliseconds; false at its end. */
bool h_read(struct h_proc *p, int ms);

/* Read until the process stops (WUNTRACED); true if it did. */
bool h_wait_stopped(struct h_proc *p);

/* Read everything until the process is gone; returns its wait status. */
int h_finish(struct h_proc *p);

/* Type bytes on the terminal (e.g. "\x03" is ^C, "\x1a" is ^Z). */
void h_type(struct h_proc *p, const char *keys);

/* Send sig to the binary under test alone. */
void h_kill(struct h_proc *p, int sig);

/*
 * Make the job the terminal's foreground, as "fg" does for a job that
 * runs in the background: with no signal to it.
 */
void h_foreground(struct h_proc *p);

/*
 * Give the terminal back to the shell, as it does before "bg" continues a
 * stopped job; true once the terminal says so.
 */
bool h_background(struct h_proc *p);

/* Send sig to the job's process group, as the terminal would. */
void h_kill_job(struct h_proc *p, int sig);

/* Read until the job is continued after a stop; true if it was. */
bool h_wait_continued(struct h_proc *p);

/*
 * Hang the terminal up, as closing its window does: close the master.
 * The shell (its session leader) then gets SIGHUP and, as bash does,
 * sends SIGHUP and SIGCONT to its job before it reports the job's end.
 */
void h_hangup(struct h_proc *p);

/*
 * Whether every thread of pid sleeps (in a wait, not running or ready to
 * run) in most of 20 looks taken over some 60 ms: a process spinning on a
 * descriptor that is always ready never does.
 */
bool h_idle(pid_t pid);

/* Change the pty's size (the kernel sends SIGWINCH). */
void h_resize(struct h_proc *p, int rows, int cols);

void h_free(struct h_proc *p);

/* The terminal's modes now (tcgetattr on the pty). */
void h_modes(struct h_proc *p, struct termios *t);

/* Whether two sets of terminal modes are the same in every field. */
bool h_same_modes(const struct termios *a, const struct termios *b);

/* The number of times needle occurs in hay. */
size_t h_count(const char *hay, size_t len, const char *needle);

/* Whether hay holds any ESC byte. */
bool h_has_escape(const char *hay, size_t len);

/* The number of SGR sequences (ESC [, digits and ';', m) in hay. */
size_t h_count_sgr(const char *hay, size_t len);

/*
 * Run argv with stdin fed from in, stdout and stderr to pipes, no
 * terminal at all.  Returns the wait status.
 */
int h_pipe_run(const char *const argv[], const char *in, size_t inlen,
    char **out, size_t *outlen, char **err, size_t *errlen,
    const char *const *env);

/* The guard, in seconds, after which a wait fails. */
int h_guard(void);

/*
 * Replace, in place, each elapsed time as the binaries write it ("0.3s",
 * "12.0s", "2m05s", after a blank or a '(') by "T"; returns s.  Times
 * vary from run to run; the rest of a line must not.
 */
char *h_mask_times(char *s);

/* The --stats line, its values in the order the binaries write them. */
enum { H_FRAMES, H_WALL_S, H_STOP_MS, H_USER_S, H_SYS_S, H_MAXRSS_KIB,
	H_THREADS, H_WAKEUPS, H_TASKS_STARTED, H_TASKS_FAILED, H_TASKS_MOST,
	H_STATS_KEYS };

struct h_stats {
	double v[H_STATS_KEYS];
	bool tasks;		/* the three tasks_ keys were there */
};

/*
 * Find the one "PROG: stats k=v ..." line in hay (PROG the binary's
 * name) and check its form: it starts a line (or follows the wipe of
 * one: an erase or a cursor shown), holds exactly the keys in
 * order (the tasks_ ones when tasks), each a non-negative number, and
 * ends the line.  False, with why on stderr, when it is missing, there
 * twice, or not of that form.
 */
bool h_stats(const char *hay, size_t len, const char *prog, bool tasks,
    struct h_stats *s);

/* Remove dir and everything under it (scratch folders); 0 or -1. */
int h_remove_tree(const char *dir);

#endif
