/*
 * What both front ends' main() share: handling the parsed options
 * (--help, --version, --list-styles, bad input), the demo's lines on
 * stdout, checked writes to stdout, and the --persist line.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "line.h"
#include "options.h"
#include "outcome.h"

/*
 * The whole of a front end's main(): take the user's locale for
 * characters, parse argv, and either answer --help, --version,
 * --list-styles or bad input, or run supervisor.
 */
int cli_main(int argc, char **argv, const char *prog, int64_t interval_ns,
    int (*supervisor)(struct spin_opts *opts));

/*
 * Parse argv into opts.  Returns -1 when the spinner should run, or the
 * exit status after --help, --version, --list-styles or bad input (one
 * line naming the problem and a hint on stderr, 125).
 */
int cli_options(struct spin_opts *opts, int argc, char **argv,
    const char *prog, int64_t interval_ns);

/*
 * Settle what the options leave to the environment: whether to animate on
 * stderr, and the style (a named non-ASCII style falls back to "line"
 * outside UTF-8).  Returns whether the locale is UTF-8.
 */
bool cli_settle(struct spin_opts *opts, bool *animate);

/* Print a line on stdout and check it got there; -1 (reported) if not. */
int cli_say(const char *fmt, ...);

/* Check that everything reached stdout; -1 (reported) if not. */
int cli_flush(void);

/*
 * Write the --persist line for out: where the spinner's line was when
 * animating (fitted to it), else plainly on stderr.
 */
void cli_persist(const struct spin_opts *opts, const struct outcome *out,
    int64_t elapsed_ns, bool utf8, const struct line *ln, bool animate);

/*
 * The end of a run, once the terminal is restored: re-raise a fatal
 * signal, or print the demo's answer, and return the exit status.
 */
int cli_end(const struct spin_opts *opts, const struct outcome *out,
    int answer);

#endif
