/*
 * options_parse(), as cli_main() calls it for both binaries: the input,
 * split at NUL bytes, is the arguments after argv[0].  It is parsed in
 * the C and the UTF-8 locale, with each binary's default interval, and
 * again on the same options: the answer never depends on an earlier
 * parse, the default interval is all that tells the binaries apart, argv
 * is left as it was, bad input is an error (one printable line naming the
 * option, the user's bytes quoted), and what a run is given holds
 * together: every duration in range, a style with frames, COMMAND from
 * argv, tasks or COMMAND but not both.  options_quote() is checked on
 * every argument: never a control byte, never past its buffer, and read
 * back as bash would it gives the argument again.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "options.h"
#include "styles.h"

#define ARGS_MAX 256
#define ERR_SIZE 512	/* as cli_main() */
#define S OPTIONS_NS_PER_SEC

/* What bash makes of a quoted word q, into out; NULL if it is not one. */
static const char *
unquote(const char *q, char *out, size_t size)
{
	static const char names[] = "\\\\''e\033t\tn\nr\r";	/* name, byte */
	size_t n = 0;

	if (strncmp(q, "$'", 2) == 0) {
		for (q += 2; *q != '\'' && *q != '\0' && n + 1 < size; q++) {
			if (*q != '\\') {
				out[n++] = *q;
				continue;
			}
			size_t k = 0;

			for (q++; names[k] != '\0' && names[k] != *q; k += 2)
				;
			if (names[k] != '\0') {
				out[n++] = names[k + 1];
				continue;
			}
			if (q[0] < '0' || q[0] > '3' || q[1] < '0' || q[1] > '7' ||
			    q[2] < '0' || q[2] > '7')
				return NULL;
			out[n++] = (char)((q[0] - '0') * 64 + (q[1] - '0') * 8 +
			    (q[2] - '0'));
			q += 2;
		}
	} else if (q[0] == '\'') {
		for (q++; *q != '\0' && n + 1 < size; q++) {
			if (strncmp(q, "'\\''", 4) == 0) {
				out[n++] = '\'';
				q += 3;
			} else if (*q == '\'') {
				break;
			} else {
				out[n++] = *q;
			}
		}
	} else {
		return NULL;
	}
	if (*q != '\'' || q[1] != '\0')
		return NULL;
	out[n] = '\0';
	return out;
}

static void
check_quote(const char *arg)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 16, 33, 128 };
	static char full[16 * ARGS_MAX * 8], back[sizeof(full)];
	size_t cols, flen;
	bool lead;

	options_quote(full, sizeof(full), arg);
	flen = strlen(full);
	FUZZ_CHECK(fuzz_text(full, flen, &cols, &lead));
	if (flen + 1 < sizeof(full)) {
		FUZZ_CHECK(unquote(full, back, sizeof(back)) != NULL);
		FUZZ_CHECK(strcmp(back, arg) == 0);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char buf[128 + 1];
		size_t n;

		buf[sizes[i]] = 'Z';	/* past the end: never written */
		options_quote(buf, sizes[i], arg);
		FUZZ_CHECK(buf[sizes[i]] == 'Z');
		if (sizes[i] == 0)
			continue;
		n = strlen(buf);
		FUZZ_CHECK(n < sizes[i]);
		FUZZ_CHECK(fuzz_text(buf, n, &cols, &lead));
		FUZZ_CHECK(flen >= sizes[i] || n == flen);
		FUZZ_CHECK(n > 0 || sizes[i] <= 7);
		if (n == flen) {
			FUZZ_CHECK(strcmp(buf, full) == 0);
		} else if (n > 0) {
			/* cut: a part of the whole, then '... */
			FUZZ_CHECK(n >= 4 && strcmp(buf + n - 4, "'...") == 0);
			FUZZ_CHECK(strncmp(buf, full, n - 4) == 0);
		}
	}
}

/* Whether p is one of argv[1..argc), or the end of one (-mtext). */
static bool
from_argv(const char *p, char **argv, int argc)
{
	for (int i = 1; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

/* What a run may rely on in opts. */
static void
check_run(const struct spin_opts *o, char **argv, int argc)
{
	FUZZ_CHECK(o->message != NULL);
	FUZZ_CHECK(from_argv(o->message, argv, argc) ||
	    (!o->message_set && strcmp(o->message, "thinking!") == 0));
	FUZZ_CHECK(o->delay_ns >= 1 && o->delay_ns <= OPTIONS_DURATION_MAX);
	FUZZ_CHECK(o->interval_ns >= OPTIONS_INTERVAL_MIN &&
	    o->interval_ns <= OPTIONS_DURATION_MAX);
	FUZZ_CHECK(o->timeout_ns >= 0 &&
	    o->timeout_ns <= OPTIONS_DURATION_MAX);
	FUZZ_CHECK(o->kill_after_ns >= 1 &&
	    o->kill_after_ns <= OPTIONS_DURATION_MAX);
	FUZZ_CHECK(o->color == COLOR_AUTO || o->color == COLOR_ALWAYS ||
	    o->color == COLOR_NEVER);
	FUZZ_CHECK(o->style != NULL);
	FUZZ_CHECK(o->style->count >= 1 &&
	    o->style->count <= STYLES_MAX_FRAMES);
	for (size_t i = 0; i < o->style->count; i++) {
		const char *f = o->style->frames[i];

		FUZZ_CHECK(f != NULL && f[0] != '\0');
		for (; *f != '\0'; f++)
			FUZZ_CHECK((unsigned char)*f >= 0x20 && *f != 0x7f);
	}
	FUZZ_CHECK(o->style == &o->custom ||
	    styles_find(o->style->name) == o->style);
	if (o->command != NULL) {
		FUZZ_CHECK(o->command > argv && o->command < argv + argc);
		FUZZ_CHECK(argv[argc] == NULL);
	}
	FUZZ_CHECK(o->tasks == (o->ntask_cmds > 0 || o->task_file != NULL));
	FUZZ_CHECK(!(o->tasks && o->command != NULL));
	for (size_t i = 0; i < o->ntask_cmds; i++)
		FUZZ_CHECK(from_argv(o->task_cmds[i], argv, argc) &&
		    o->task_cmds[i][0] != '\0');
	FUZZ_CHECK(o->task_file == NULL ||
	    from_argv(o->task_file, argv, argc));
	FUZZ_CHECK(o->jobs == -1 || (o->tasks && o->jobs >= 0 &&
	    o->jobs <= 1000000));
	FUZZ_CHECK(!o->fail_fast || o->tasks);
	FUZZ_CHECK(!o->messages || o->command != NULL);
	FUZZ_CHECK(!o->output_set || o->tasks || o->command != NULL);
	FUZZ_CHECK(!o->tasks || o->output != OUTPUT_LIVE);
	FUZZ_CHECK(o->output_set || o->tasks || o->output == OUTPUT_LIVE);
}

/* Whether two parses of one argv came to the same options. */
static bool
same(const struct spin_opts *a, const struct spin_opts *b, bool interval)
{
	if (a->style == &a->custom) {
		if (b->style != &b->custom || a->custom.count !=
		    b->custom.count)
			return false;
		for (size_t i = 0; i < a->custom.count; i++)
			if (strcmp(a->custom.frames[i], b->custom.frames[i]))
				return false;
	} else if (a->style != b->style) {
		return false;
	}
	if (a->ntask_cmds != b->ntask_cmds)
		return false;
	for (size_t i = 0; i < a->ntask_cmds; i++)
		if (a->task_cmds[i] != b->task_cmds[i])
			return false;
	return a->message == b->message && a->delay_ns == b->delay_ns &&
	    (!interval || a->interval_ns == b->interval_ns) &&
	    a->timeout_ns == b->timeout_ns &&
	    a->kill_after_ns == b->kill_after_ns &&
	    a->animate == b->animate && a->color == b->color &&
	    a->quiet == b->quiet &&
	    a->persist == b->persist && a->command == b->command &&
	    a->message_set == b->message_set && a->elapsed == b->elapsed &&
	    a->messages == b->messages && a->output_set == b->output_set &&
	    a->output == b->output && a->stats == b->stats &&
	    a->tasks == b->tasks && a->task_file == b->task_file &&
	    a->jobs == b->jobs && a->fail_fast == b->fail_fast;
}

static void
check_error(const char *err)
{
	size_t n = strnlen(err, ERR_SIZE), cols;
	bool lead;

	FUZZ_CHECK(n > 0 && n < ERR_SIZE);
	FUZZ_CHECK(fuzz_text(err, n, &cols, &lead));
	/* it begins with the option, as typed or quoted */
	FUZZ_CHECK(err[0] == '-' || err[0] == '\'' ||
	    strncmp(err, "$'", 2) == 0);
}

void
fuzz_options_one(const uint8_t *data, size_t size)
{
	static struct spin_opts a, b, c;
	static char ea[ERR_SIZE], eb[ERR_SIZE], ec[ERR_SIZE];
	char *argv[ARGS_MAX + 2], *kept[ARGS_MAX + 2], *copy;
	int argc = 1;

	argv[0] = (char *)"spinner-thread";
	argc += (int)fuzz_split(data, size, &copy, argv + 1, ARGS_MAX);
	argv[argc] = NULL;
	memcpy(kept, argv, sizeof(argv[0]) * (size_t)(argc + 1));

	for (int utf8 = 0; utf8 <= 1; utf8++) {
		enum options_result ra, rb, rc;

		fuzz_locale(utf8);
		ea[0] = eb[0] = ec[0] = '\0';
		ra = options_parse(&a, argc, argv, S, ea, sizeof(ea));
		rb = options_parse(&b, argc, argv, S / 10, eb, sizeof(eb));
		rc = options_parse(&c, argc, argv, S, ec, sizeof(ec));
		FUZZ_CHECK(memcmp(kept, argv, sizeof(argv[0]) *
		    (size_t)(argc + 1)) == 0);
		FUZZ_CHECK(ra >= OPTIONS_RUN && ra <= OPTIONS_ERROR);
		FUZZ_CHECK(ra == rb && ra == rc);
		FUZZ_CHECK(strcmp(ea, eb) == 0 && strcmp(ea, ec) == 0);
		if (ra == OPTIONS_ERROR)
			check_error(ea);
		if (ra == OPTIONS_RUN) {
			check_run(&a, argv, argc);
			check_run(&b, argv, argc);
			FUZZ_CHECK(same(&a, &c, true));
			FUZZ_CHECK(same(&a, &b, false));
			FUZZ_CHECK(a.interval_ns == b.interval_ns ||
			    (a.interval_ns == S && b.interval_ns == S / 10));
		}
		for (int i = 1; i < argc; i++)
			check_quote(argv[i]);
	}
	options_free(&a);
	options_free(&b);
	options_free(&c);
	fuzz_locale_end();
	free(copy);
}
