/*
 * Options, parsed the POSIX way: getopt_long with a leading '+', so the
 * first operand starts COMMAND and everything after it is COMMAND's.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "version.h"

enum {
	OPT_ANIMATE = 256,
	OPT_COLOR,
	OPT_FAIL_FAST,
	OPT_LIST_STYLES,
	OPT_MESSAGES,
	OPT_NO_ANIMATE,
	OPT_OUTPUT,
	OPT_STATS
};

static const char optstring[] = "+:c:d:ef:hi:j:k:m:pqs:T:t:V";

static const struct option longopts[] = {
	{ "animate", optional_argument, NULL, OPT_ANIMATE },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "command", required_argument, NULL, 'c' },
	{ "delay", required_argument, NULL, 'd' },
	{ "elapsed", no_argument, NULL, 'e' },
	{ "fail-fast", no_argument, NULL, OPT_FAIL_FAST },
	{ "frames", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "interval", required_argument, NULL, 'i' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "kill-after", required_argument, NULL, 'k' },
	{ "list-styles", no_argument, NULL, OPT_LIST_STYLES },
	{ "message", required_argument, NULL, 'm' },
	{ "messages", no_argument, NULL, OPT_MESSAGES },
	{ "no-animate", no_argument, NULL, OPT_NO_ANIMATE },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "persist", no_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "style", required_argument, NULL, 's' },
	{ "tasks", required_argument, NULL, 'T' },
	{ "timeout", required_argument, NULL, 't' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static enum options_result
fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return OPTIONS_ERROR;
}

const char *
options_duration(const char *s, int64_t *ns)
{
	static const struct {
		const char *suffix;
		int64_t ns;
	} units[] = {
		{ "", OPTIONS_NS_PER_SEC },
		{ "ms", OPTIONS_NS_PER_SEC / 1000 },
		{ "s", OPTIONS_NS_PER_SEC },
		{ "m", 60 * OPTIONS_NS_PER_SEC },
		{ "h", 3600 * OPTIONS_NS_PER_SEC },
	};
	const char *p = s;
	int64_t whole = 0, frac = 0, scale = OPTIONS_NS_PER_SEC;
	int digits = 0;

	/*
	 * Digits, then an optional fraction read to nine places, both in the
	 * unit that follows: the range is checked once that unit is known.
	 * whole stops growing past any range, so no digits overflow it.
	 */
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (whole > OPTIONS_DURATION_MAX / 10)
			whole = OPTIONS_DURATION_MAX + 1;
		else
			whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
		}
	}
	if (digits == 0)
		return "is not a positive duration";
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].suffix) != 0)
			continue;
		int64_t unit = units[i].ns;
		int64_t per = unit / OPTIONS_NS_PER_SEC;
		int64_t rest = unit % OPTIONS_NS_PER_SEC;
		/* frac is in billionths of the unit; round it to ns. */
		int64_t frac_ns = frac * per + (frac * rest +
		    OPTIONS_NS_PER_SEC / 2) / OPTIONS_NS_PER_SEC;
		if (whole > OPTIONS_DURATION_MAX / unit)
			return "is out of range";
		int64_t total = whole * unit + frac_ns;
		if (total > OPTIONS_DURATION_MAX)
			return "is out of range";
		if (total <= 0)
			return "is not a positive duration";
		*ns = total;
		return NULL;
	}
	return "is not a positive duration";
}

/*
 * Length of the character at s (1 for an invalid byte), and whether it may
 * be shown as it is: a byte-wise check as well, so that no encoding can
 * slip a control byte through.
 */
static size_t
char_len(const char *s, size_t left, mbstate_t *st, bool *printable)
{
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, left, st);

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0 || n > left) {
		memset(st, 0, sizeof(*st));
		*printable = false;
		return 1;
	}
	*printable = iswprint((wint_t)wc) != 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x20 || b == 0x7f)
			*printable = false;
	}
	return n;
}

/* Whether any character of s[0..len) must be escaped. */
static bool
needs_escape(const char *s, size_t len)
{
	mbstate_t st;
	bool printable = true;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < len && printable;)
		i += char_len(s + i, len - i, &st, &printable);
	return !printable;
}

/*
 * The quoted form of s[0..len) without its quotes, written to out only as
 * far as whole pieces (a character or its escapes) fit in room bytes, so
 * a cut never splits one; *used is how much was written.  Returns the
 * length of the whole form.
 */
static size_t
quote_body(char *out, size_t room, size_t *used, const char *s, size_t len,
    bool dollar)
{
	mbstate_t st;
	size_t need = 0;

	memset(&st, 0, sizeof(st));
	*used = 0;
	for (size_t i = 0, n; i < len; i += n) {
		char piece[4 * MB_LEN_MAX + 1];
		size_t k = 0;
		bool printable;

		n = char_len(s + i, len - i, &st, &printable);
		if (printable && s[i] == '\'')
			k = (size_t)snprintf(piece, sizeof(piece), "%s",
			    dollar ? "\\'" : "'\\''");
		else if (printable && s[i] == '\\' && dollar)
			k = (size_t)snprintf(piece, sizeof(piece), "\\\\");
		else if (printable) {
			memcpy(piece, s + i, n);
			k = n;
		}
		for (size_t j = 0; !printable && j < n; j++) {
			unsigned char b = (unsigned char)s[i + j];
			const char *e = b == 0x1b ? "\\e" : b == '\t' ? "\\t" :
			    b == '\n' ? "\\n" : b == '\r' ? "\\r" : NULL;

			if (e != NULL)
				k += (size_t)snprintf(piece + k,
				    sizeof(piece) - k, "%s", e);
			else
				k += (size_t)snprintf(piece + k,
				    sizeof(piece) - k, "\\%03o", b);
		}
		if (out != NULL && *used == need && need + k <= room) {
			memcpy(out + need, piece, k);
			*used += k;
		}
		need += k;
	}
	return need;
}

/* Quote s[0..len): options_quote() for a part of a string. */
static const char *
quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t used;
	bool dollar = needs_escape(s, len);
	const char *open = dollar ? "$'" : "'";
	size_t o = strlen(open);
	size_t need = quote_body(NULL, 0, &used, s, len, dollar);
	const char *close = o + need + 2 <= size ? "'" : "'...";

	if (size == 0)
		return buf;
	if (o + strlen(close) + 1 > size) {
		buf[0] = '\0';
		return buf;
	}
	memcpy(buf, open, o);
	quote_body(buf + o, size - o - strlen(close) - 1, &used, s, len,
	    dollar);
	snprintf(buf + o + used, size - o - used, "%s", close);
	return buf;
}

/* Bytes from the user go to a terminal in messages: they must not drive it. */
const char *
options_quote(char *buf, size_t size, const char *s)
{
	return quote(buf, size, s, strlen(s));
}

/*
 * The option as the user wrote it, for messages: "--interval" or "-i",
 * bare when it is safe to show (a plain name reads better so), else quoted.
 */
static void
option_name(char *buf, size_t size, const char *arg, int opt)
{
	char shrt[3] = { '-', (char)opt, '\0' };
	const char *s = shrt;
	size_t n = 2;

	if (arg != NULL && strncmp(arg, "--", 2) == 0) {
		s = arg;
		n = strcspn(arg, "=");
	}
	if (n < size && !needs_escape(s, n))
		snprintf(buf, size, "%.*s", (int)n, s);
	else
		quote(buf, size, s, n);
}

static enum options_result
duration_arg(const char *name, const char *arg, int64_t *ns, int64_t min,
    char *err, size_t errsize)
{
	const char *why = options_duration(arg, ns);
	char q[128];

	if (why == NULL && *ns < min)
		why = "is shorter than 1ms";
	if (why != NULL)
		return fail(err, errsize,
		    "%s: %s %s (expected e.g. 0.1, 2.5, 250ms, 1.5s, 2m)",
		    name, options_quote(q, sizeof(q), arg), why);
	return OPTIONS_RUN;
}

/* -j N: a whole number from 0 (no limit) up. */
static enum options_result
jobs_arg(const char *arg, long *jobs, char *err, size_t errsize)
{
	char q[128], *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    n > 1000000)
		return fail(err, errsize, "--jobs: %s is not a number of tasks "
		    "(expected 0 for no limit, or 1 to 1000000)",
		    options_quote(q, sizeof(q), arg));
	*jobs = n;
	return OPTIONS_RUN;
}

static enum options_result
task_arg(struct spin_opts *opts, const char *arg, char *err,
    size_t errsize)
{
	char **more;

	if (arg[0] == '\0')
		return fail(err, errsize, "--command: empty command");
	more = realloc(opts->task_cmds, (opts->ntask_cmds + 1) *
	    sizeof(*more));
	if (more == NULL)
		return fail(err, errsize, "--command: out of memory");
	opts->task_cmds = more;
	opts->task_cmds[opts->ntask_cmds++] = (char *)arg;
	return OPTIONS_RUN;
}

void
options_free(struct spin_opts *opts)
{
	free(opts->task_cmds);
	opts->task_cmds = NULL;
	opts->ntask_cmds = 0;
}

/*
 * --color[=WHEN]: bare, always, as ls(1) and grep(1) take it; and the
 * words ls takes for each choice.
 */
static enum options_result
color_arg(const char *arg, enum color_when *when, char *err,
    size_t errsize)
{
	static const struct {
		const char *word;
		enum color_when when;
	} words[] = {
		{ "always", COLOR_ALWAYS }, { "yes", COLOR_ALWAYS },
		{ "force", COLOR_ALWAYS }, { "never", COLOR_NEVER },
		{ "no", COLOR_NEVER }, { "none", COLOR_NEVER },
		{ "auto", COLOR_AUTO }, { "tty", COLOR_AUTO },
		{ "if-tty", COLOR_AUTO },
	};
	char q[128];

	if (arg == NULL) {
		*when = COLOR_ALWAYS;
		return OPTIONS_RUN;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(arg, words[i].word) == 0) {
			*when = words[i].when;
			return OPTIONS_RUN;
		}
	return fail(err, errsize, "--color: %s is not a choice (expected "
	    "auto, always or never)", options_quote(q, sizeof(q), arg));
}

/* What the options given ask of one another, once all are read. */
static enum options_result
check_modes(struct spin_opts *o, bool jobs_set, char *err, size_t errsize)
{
	o->tasks = o->ntask_cmds > 0 || o->task_file != NULL;
	if (o->tasks && o->command != NULL)
		return fail(err, errsize, "%s: cannot be used with a COMMAND "
		    "(give tasks with -c and -T, or one COMMAND)",
		    o->ntask_cmds > 0 ? "--command" : "--tasks");
	if (!o->tasks && jobs_set)
		return fail(err, errsize, "--jobs: needs tasks (-c or -T)");
	if (!o->tasks && o->fail_fast)
		return fail(err, errsize, "--fail-fast: needs tasks (-c or "
		    "-T)");
	if (o->messages && o->command == NULL)
		return fail(err, errsize, "--messages: needs a COMMAND");
	if (o->output_set && !o->tasks && o->command == NULL)
		return fail(err, errsize, "--output: needs a COMMAND or "
		    "tasks (-c or -T)");
	if (o->tasks && o->output == OUTPUT_LIVE && o->output_set)
		return fail(err, errsize, "--output: live is for one COMMAND "
		    "(expected failed, all or none with tasks)");
	if (o->tasks && !o->output_set)
		o->output = OUTPUT_FAILED;
	return OPTIONS_RUN;
}

enum options_result
options_parse(struct spin_opts *opts, int argc, char **argv,
    int64_t interval_ns, char *err, size_t errsize)
{
	enum options_result r = OPTIONS_RUN;
	bool list = false, jobs_set = false;
	const char *frames = NULL, *style = NULL;
	char name[64], q[128];
	int c, at = 1;

	free(opts->task_cmds);
	memset(opts, 0, sizeof(*opts));
	opts->jobs = -1;
	opts->output = OUTPUT_LIVE;
	opts->message = "thinking!";
	opts->delay_ns = 3 * OPTIONS_NS_PER_SEC;
	opts->interval_ns = interval_ns;
	opts->kill_after_ns = 2 * OPTIONS_NS_PER_SEC;
	opts->style = styles_default();
	opts->animate = ANIMATE_AUTO;
	opts->color = COLOR_AUTO;

	optind = 0;	/* glibc: full reset, so the parser can run again */
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		/* Inside "-xq" optind stays put: argv[optind - 1] is older. */
		const char *cur = optind > at ? argv[optind - 1] : NULL;

		at = optind;
		option_name(name, sizeof(name), cur, c == '?' || c == ':' ?
		    optopt : c);
		switch (c) {
		case 'c':
			r = task_arg(opts, optarg, err, errsize);
			break;
		case 'e':
			opts->elapsed = true;
			break;
		case OPT_COLOR:
			r = color_arg(optarg, &opts->color, err, errsize);
			break;
		case OPT_STATS:
			opts->stats = true;
			break;
		case 'j':
			r = jobs_arg(optarg, &opts->jobs, err, errsize);
			jobs_set = true;
			break;
		case 'T':
			if (opts->task_file != NULL)
				return fail(err, errsize, "--tasks: given "
				    "twice (one task file at a time)");
			opts->task_file = optarg;
			break;
		case OPT_FAIL_FAST:
			opts->fail_fast = true;
			break;
		case OPT_MESSAGES:
			opts->messages = true;
			break;
		case OPT_OUTPUT:
			opts->output_set = true;
			if (strcmp(optarg, "live") == 0)
				opts->output = OUTPUT_LIVE;
			else if (strcmp(optarg, "failed") == 0)
				opts->output = OUTPUT_FAILED;
			else if (strcmp(optarg, "all") == 0)
				opts->output = OUTPUT_ALL;
			else if (strcmp(optarg, "none") == 0)
				opts->output = OUTPUT_NONE;
			else
				return fail(err, errsize, "--output: %s is "
				    "not a choice (expected live, failed, all "
				    "or none)", options_quote(q, sizeof(q),
				    optarg));
			break;
		case 'd':
			r = duration_arg("--delay", optarg, &opts->delay_ns, 1,
			    err, errsize);
			break;
		case 'f':
			frames = optarg;
			break;
		case 'h':
			return OPTIONS_HELP;
		case 'i':
			r = duration_arg("--interval", optarg,
			    &opts->interval_ns, OPTIONS_INTERVAL_MIN, err,
			    errsize);
			break;
		case 'k':
			r = duration_arg("--kill-after", optarg,
			    &opts->kill_after_ns, 1, err, errsize);
			break;
		case 'm':
			opts->message = optarg;
			opts->message_set = true;
			break;
		case 'p':
			opts->persist = true;
			break;
		case 'q':
			opts->quiet = true;
			break;
		case 's':
			style = optarg;
			break;
		case 't':
			r = duration_arg("--timeout", optarg, &opts->timeout_ns,
			    1, err, errsize);
			break;
		case 'V':
			return OPTIONS_VERSION;
		case OPT_ANIMATE:
			if (optarg == NULL || strcmp(optarg, "always") == 0)
				opts->animate = ANIMATE_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				opts->animate = ANIMATE_NEVER;
			else if (strcmp(optarg, "auto") == 0)
				opts->animate = ANIMATE_AUTO;
			else
				return fail(err, errsize, "--animate: %s is "
				    "not a choice (expected auto, always or "
				    "never)", options_quote(q, sizeof(q),
				    optarg));
			break;
		case OPT_LIST_STYLES:
			list = true;
			break;
		case OPT_NO_ANIMATE:
			opts->animate = ANIMATE_NEVER;
			break;
		case ':':
			return fail(err, errsize, "%s: missing value", name);
		case '?':
		default:
			if (cur != NULL && strncmp(cur, "--", 2) == 0 &&
			    optopt == 0)
				return fail(err, errsize,
				    "%s: unknown option", name);
			if (cur != NULL && strncmp(cur, "--", 2) == 0)
				return fail(err, errsize,
				    "%s: takes no value", name);
			return fail(err, errsize, "%s: unknown option",
			    name);
		}
		if (r != OPTIONS_RUN)
			return r;
	}

	if (style != NULL && frames != NULL)
		return fail(err, errsize, "--frames: cannot be used with "
		    "--style (give one or the other)");
	if (style != NULL && (opts->style = styles_find(style)) == NULL)
		return fail(err, errsize, "--style: %s is not a known style "
		    "(see --list-styles)", options_quote(q, sizeof(q), style));
	if (frames != NULL) {
		const char *why = styles_parse_frames(frames, &opts->custom,
		    opts->custom_buf, sizeof(opts->custom_buf));
		if (why != NULL)
			return fail(err, errsize, "--frames: %s %s (expected "
			    "characters, or frames separated by commas)",
			    options_quote(q, sizeof(q), frames), why);
		opts->style = &opts->custom;
	}
	if (list)
		return OPTIONS_LIST_STYLES;
	if (optind < argc)
		opts->command = argv + optind;
	return check_modes(opts, jobs_set, err, errsize);
}

/* The usage line, the same words as the man page's SYNOPSIS. */
static void
options_usage(FILE *fp, const char *prog)
{
	fprintf(fp, "usage: %s [-ehpqV] [-d delay] [-f frames] [-i interval]\n"
	    "       [-k duration] [-m message] [-s style] [-t duration]\n"
	    "       [--animate[=when]] [--color[=when]] [--list-styles] "
	    "[--messages]\n"
	    "       [--no-animate] [--output=what] [--stats] "
	    "[--] [command [arg ...]]\n"
	    "       %s [options] [-j jobs] [--fail-fast] [--output=what]\n"
	    "       {-c cmd | -T file} ...\n", prog, prog);
}

void
options_help(FILE *fp, const char *prog, int64_t interval_ns)
{
	options_usage(fp, prog);
	fprintf(fp, "\n"
	    "Show a spinner on the terminal while slow work runs: COMMAND, "
	    "or without one,\n"
	    "the demo (a slow_function that answers 42).\n\n"
	    "  -m, --message TEXT      text beside the spinner "
	    "(default: thinking!)\n"
	    "  -e, --elapsed           show the time so far after the "
	    "message\n"
	    "  -d, --delay DURATION    how long the demo's slow work takes "
	    "(default: 3s)\n"
	    "  -i, --interval DURATION time between frames (default: %gs)\n"
	    "  -s, --style NAME        a named frame set (default: line)\n"
	    "  -f, --frames FRAMES     custom frames: characters, or "
	    "a,b,c\n"
	    "      --list-styles       list the styles with a sample\n"
	    "  -t, --timeout DURATION  stop the slow work after DURATION "
	    "(status 124)\n"
	    "  -k, --kill-after DURATION\n"
	    "                          after a timeout, SIGKILL COMMAND this "
	    "long after\n"
	    "                          SIGTERM (default: 2s)\n"
	    "  -p, --persist           leave a final status line instead of "
	    "wiping\n"
	    "      --messages          let COMMAND set the message: each "
	    "line it writes to\n"
	    "                          descriptor $SPINNER_MESSAGE_FD "
	    "(empty: -m's again)\n"
	    "      --output WHAT       COMMAND's output for the terminal: "
	    "live (shown as it\n"
	    "                          comes, the default), or kept and "
	    "shown at the end:\n"
	    "                          failed (if it fails), all, or none; "
	    "with tasks (-c,\n"
	    "                          -T) failed is the default\n"
	    "  -q, --quiet             demo: print only the answer\n"
	    "      --stats             at the end, what the run cost on "
	    "stderr: a line of\n"
	    "                          key=value pairs (frames, times, "
	    "memory, threads)\n"
	    "      --animate[=WHEN]    animate: auto (default: only on a "
	    "terminal), always\n"
	    "                          or never\n"
	    "      --no-animate        the same as --animate=never\n"
	    "      --color[=WHEN]      colour the marks, dim our own lines: "
	    "auto (default:\n"
	    "                          on a terminal unless NO_COLOR; "
	    "CLICOLOR_FORCE\n"
	    "                          forces it), always (bare --color) or "
	    "never\n"
	    "\nMany commands at once, a line each:\n"
	    "  -c, --command CMD       a task, run by /bin/sh -c (repeat it)\n"
	    "  -T, --tasks FILE        tasks from FILE (- for stdin), one a "
	    "line: CMD,\n"
	    "                          or NAME, a tab and CMD\n"
	    "  -j, --jobs N            at most N at once (default: the CPUs; "
	    "0: no limit)\n"
	    "      --fail-fast         on the first failure, stop the others\n"
	    "  -t and -k apply to each task.\n"
	    "\n"
	    "  -h, --help              show this help\n"
	    "  -V, --version           show the version\n\n"
	    "DURATION is a number of seconds with an optional unit: 3, 2.5, "
	    "250ms, 1.5s,\n2m, 1h.\n\n"
	    "Exit status: COMMAND's status, or 0 after the demo; 124 timed "
	    "out; 125 the\nspinner failed; 126 COMMAND not executable; 127 "
	    "COMMAND not found;\n128+N killed by signal N.  With tasks: 0 "
	    "when every one exited 0, 123 when\nany did not.\n",
	    (double)interval_ns / (double)OPTIONS_NS_PER_SEC);
}

void
options_version(FILE *fp, const char *prog)
{
	fprintf(fp, "%s (spinner) %s\n%s\n"
	    "License ISC: <https://opensource.org/license/isc-license-txt>.\n"
	    "This is free software: you are free to change and redistribute "
	    "it.\nThere is NO WARRANTY, to the extent permitted by law.\n",
	    prog, SPINNER_VERSION, SPINNER_COPYRIGHT);
}
