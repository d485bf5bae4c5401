/*
 * The command line both binaries share: one option table, one parser, one
 * help text.  Parsing never prints or exits; the front end does.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "color.h"
#include "styles.h"

#define OPTIONS_NS_PER_SEC INT64_C(1000000000)
#define OPTIONS_DURATION_MAX (INT64_C(1000000000) * OPTIONS_NS_PER_SEC)
#define OPTIONS_INTERVAL_MIN INT64_C(1000000)	/* 1 ms */

enum animate { ANIMATE_AUTO, ANIMATE_ALWAYS, ANIMATE_NEVER };

/* What becomes of output (--output): COMMAND's, or each task's. */
enum output {
	OUTPUT_LIVE,		/* shown as it comes (one COMMAND's default) */
	OUTPUT_FAILED,		/* kept, shown if it fails (tasks' default) */
	OUTPUT_ALL,		/* kept, shown in one block when it ends */
	OUTPUT_NONE		/* dropped */
};

enum options_result {
	OPTIONS_RUN,		/* go on: run the demo or COMMAND */
	OPTIONS_HELP,		/* -h: print options_help() */
	OPTIONS_VERSION,	/* -V: print options_version() */
	OPTIONS_LIST_STYLES,	/* --list-styles */
	OPTIONS_ERROR		/* bad input: the reason is in err */
};

struct spin_opts {
	const char *message;
	int64_t delay_ns;	/* how long the demo's slow_function takes */
	int64_t interval_ns;	/* frame period */
	int64_t timeout_ns;	/* 0: none */
	int64_t kill_after_ns;
	const struct style *style;
	enum animate animate;
	enum color_when color;	/* --color */
	bool quiet;
	bool persist;
	char **command;		/* NULL in the demo */
	bool message_set;	/* -m was given */
	bool elapsed;		/* --elapsed: the time so far on the line */
	bool messages;		/* --messages: COMMAND may set the message */
	bool output_set;	/* --output was given */
	enum output output;
	bool stats;		/* --stats: what the run cost, at its end */
	/* Many commands at once (-c, -T): tasks is true. */
	bool tasks;
	char **task_cmds;	/* the -c commands, in order (malloc'd) */
	size_t ntask_cmds;
	const char *task_file;	/* -T FILE ("-": stdin), or NULL */
	long jobs;		/* -j: at most this many at once, 0 no limit;
				 * -1: not given (the number of CPUs) */
	bool fail_fast;
	struct style custom;	/* storage for -f */
	char custom_buf[4096];
};

/*
 * Fill opts from argv.  interval_ns is the binary's default frame period.
 * On OPTIONS_ERROR, err holds one line (no program name, no newline) naming
 * the option, what was wrong and what is expected; what the user typed is
 * in it only through options_quote(), so it holds no control byte.
 */
enum options_result options_parse(struct spin_opts *opts, int argc,
    char **argv, int64_t interval_ns, char *err, size_t errsize);

/* Free what options_parse() allocated in opts. */
void options_free(struct spin_opts *opts);

/*
 * Parse DURATION ("3", "2.5", "250ms", "1.5s", "2m", "1h") into
 * nanoseconds.  Returns NULL, or why s is not acceptable.
 */
const char *options_duration(const char *s, int64_t *ns);

/*
 * Quote s for a one-line message, as coreutils' quote() does in its
 * shell-escape style, and return buf.  When every character of s is valid
 * and printable (iswprint) in the LC_CTYPE locale, the result is 'text',
 * a ' inside written '\''.  Otherwise all of it is $'text', a backslash and
 * a ' in it written \\ and \', and each byte of a control, invalid or
 * non-printable character written \e, \t, \n, \r or \NNN (octal).  So the
 * result never holds a control byte, and bash reads it back as s.  With
 * size > 0 it is always NUL-terminated; when it does not fit it is cut
 * between whole characters or escapes and ends with "'...", or is empty
 * when even that does not fit.
 */
const char *options_quote(char *buf, size_t size, const char *s);

/* The help text (it begins with the usage line). */
void options_help(FILE *fp, const char *prog, int64_t interval_ns);

/* The version line. */
void options_version(FILE *fp, const char *prog);

#endif
