#define _GNU_SOURCE	/* program_invocation_short_name, as err(3) uses */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "render.h"
#include "say.h"
#include "styles.h"

/*
 * A closed standard descriptor would be taken by the next open(): the
 * event loop's, or COMMAND's pty, then written to as stdout.  Open
 * /dev/null there instead, for the direction it is not used in, so that
 * using it fails plainly with EBADF as a closed one would.
 */
static void
open_standard(void)
{
	static const int modes[] = { O_WRONLY, O_RDONLY, O_RDONLY };

	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int nfd = open("/dev/null", modes[fd]);
		if (nfd >= 0 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

static int
list_styles(void)
{
	char sample[RENDER_BUF];
	bool utf8 = render_locale_utf8();
	const struct style *st;

	for (size_t i = 0; (st = styles_at(i)) != NULL; i++) {
		render_style_sample(sample, sizeof(sample), st);
		printf("%-12s %s%s\n", st->name, sample,
		    !utf8 && !st->ascii ? "  (UTF-8 only)" : "");
	}
	return say_flush() == 0 ? EXIT_OK : EXIT_CANCELED;
}

int
cli_main(int argc, char **argv, int64_t interval_ns,
    int (*run)(const struct spin_opts *opts))
{
	static struct spin_opts opts;
	const char *prog = program_invocation_short_name;
	char err[512];

	open_standard();
	setlocale(LC_CTYPE, "");
	switch (options_parse(&opts, argc, argv, interval_ns, err,
	    sizeof(err))) {
	case OPTIONS_HELP:
		options_help(stdout, prog, interval_ns);
		return say_flush() == 0 ? EXIT_OK : EXIT_CANCELED;
	case OPTIONS_VERSION:
		options_version(stdout, prog);
		return say_flush() == 0 ? EXIT_OK : EXIT_CANCELED;
	case OPTIONS_LIST_STYLES:
		return list_styles();
	case OPTIONS_ERROR:
		fprintf(stderr, "%s: %s\nTry '%s --help' for more "
		    "information.\n", prog, err, prog);
		return EXIT_CANCELED;
	case OPTIONS_RUN:
	default:
		return run(&opts);
	}
}
