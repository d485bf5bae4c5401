#include "cli.h"

#include <err.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "render.h"
#include "signals.h"
#include "styles.h"
#include "term.h"

int
cli_flush(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("write error");
		return -1;
	}
	return 0;
}

int
cli_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	return cli_flush();
}

static int
list_styles(void)
{
	char sample[RENDER_BUF];
	bool utf8 = render_locale_utf8();
	const struct style *st;

	for (size_t i = 0; (st = styles_at(i)) != NULL; i++) {
		size_t used = 0;

		for (size_t k = 0; k < st->count && used + 16 < sizeof(sample);
		    k++) {
			if (k > 0)
				sample[used++] = ' ';
			render_fit(sample + used, sizeof(sample) - used,
			    st->frames[k], RENDER_COLS_MAX, NULL);
			used += strlen(sample + used);
		}
		sample[used] = '\0';
		printf("%-12s %s%s\n", st->name, sample,
		    !utf8 && !st->ascii ? "  (UTF-8 only)" : "");
	}
	return cli_flush() == 0 ? EXIT_OK : EXIT_CANCELED;
}

int
cli_options(struct spin_opts *opts, int argc, char **argv, const char *prog,
    int64_t interval_ns)
{
	char err[512];

	switch (options_parse(opts, argc, argv, interval_ns, err,
	    sizeof(err))) {
	case OPTIONS_HELP:
		options_help(stdout, prog, interval_ns);
		return cli_flush() == 0 ? EXIT_OK : EXIT_CANCELED;
	case OPTIONS_VERSION:
		options_version(stdout, prog);
		return cli_flush() == 0 ? EXIT_OK : EXIT_CANCELED;
	case OPTIONS_LIST_STYLES:
		return list_styles();
	case OPTIONS_ERROR:
		fprintf(stderr, "%s: %s\nTry '%s --help' for more "
		    "information.\n", prog, err, prog);
		return EXIT_CANCELED;
	case OPTIONS_RUN:
	default:
		return -1;
	}
}

bool
cli_settle(struct spin_opts *opts, bool *animate)
{
	bool utf8 = render_locale_utf8();

	*animate = term_animates(STDERR_FILENO, opts->animate);
	if (!utf8 && !opts->style->ascii && opts->style != &opts->custom)
		opts->style = styles_default();
	return utf8;
}

void
cli_persist(const struct spin_opts *opts, const struct outcome *out,
    int64_t elapsed_ns, bool utf8, const struct line *ln, bool animate)
{
	char buf[RENDER_BUF + 2];
	size_t room = animate ? line_room(ln) : 0;
	size_t n;

	if (animate && room == 0)
		room = 1;
	n = outcome_line(buf, sizeof(buf) - 1, out, opts->message, elapsed_ns,
	    utf8, room);
	buf[n++] = '\n';
	term_write(STDERR_FILENO, buf, n);
}

int
cli_end(const struct spin_opts *opts, const struct outcome *out, int answer)
{
	if (out->kind == OUTCOME_SIGNALED) {
		fflush(stdout);
		signals_reraise(out->sig);
	}
	if (opts->command == NULL && out->kind == OUTCOME_EXITED &&
	    cli_say(opts->quiet ? "%d\n" : "Answer: %d\n", answer) != 0)
		return EXIT_CANCELED;
	return outcome_status(out);
}

int
cli_main(int argc, char **argv, const char *prog, int64_t interval_ns,
    int (*supervisor)(struct spin_opts *opts))
{
	static struct spin_opts opts;
	int rc;

	setlocale(LC_CTYPE, "");
	if ((rc = cli_options(&opts, argc, argv, prog, interval_ns)) >= 0)
		return rc;
	return supervisor(&opts);
}
