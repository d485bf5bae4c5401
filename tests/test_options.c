/* options: durations, every option, and every kind of bad value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "options.h"

#define S OPTIONS_NS_PER_SEC
#define MS (S / 1000)

static struct spin_opts opts;
static char err[512];

/* Parse "spinner-thread" followed by the arguments in ap. */
static enum options_result
vparse(const char *first, va_list ap)
{
	static char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"spinner-thread";
	for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	argv[argc] = NULL;
	err[0] = '\0';
	return options_parse(&opts, argc, argv, S, err, sizeof(err));
}

static enum options_result
parse(const char *first, ...)
{
	enum options_result r;
	va_list ap;

	va_start(ap, first);
	r = vparse(first, ap);
	va_end(ap);
	return r;
}

static void
test_duration_accepts_seconds_units_and_fractions(void **state)
{
	static const struct {
		const char *s;
		int64_t ns;
	} ok[] = {
		{ "3", 3 * S }, { "2.5", 2500 * MS }, { "250ms", 250 * MS },
		{ "1.5s", 1500 * MS }, { "2m", 120 * S }, { "1h", 3600 * S },
		{ ".5", 500 * MS }, { "0.1", 100 * MS }, { "1.", S },
		{ "0.000000001", 1 }, { "1.5m", 90 * S }, { "0.5ms", 500000 },
		{ "1000000000", 1000000000 * S },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t ns = -1;
		const char *why = options_duration(ok[i].s, &ns);
		if (why != NULL)
			fail_msg("'%s': %s", ok[i].s, why);
		assert_int_equal(ns, ok[i].ns);
	}
}

static void
test_duration_rejects_zero_negative_nan_inf_garbage_range(void **state)
{
	static const char *bad[] = {
		"", "0", "0.0", "0ms", "-1", "+1", "nan", "NaN", "inf",
		"infinity", "1e3", "0x10", " 1", "1 ", "1x", "1.2.3", "s",
		"ms", ".", "1sec", "2mm", "1000000001", "99999999999999999999",
		"0.0000000001", "1,5", "\xe4\xb8\x80",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t ns = -1;
		if (options_duration(bad[i], &ns) == NULL)
			fail_msg("'%s' was accepted as %lld", bad[i],
			    (long long)ns);
		assert_int_equal(ns, -1);
	}
}

static void
test_duration_in_ms_is_ranged_by_its_value_not_its_digits(void **state)
{
	static const struct {
		const char *s;
		int64_t ns;
	} ok[] = {
		{ "50000000000ms", 50000000000 * MS },
		{ "1000000000000ms", OPTIONS_DURATION_MAX },
		{ "16666666m", 16666666 * 60 * S },
		{ "277777h", INT64_C(277777) * 3600 * S },
		{ "1.5h", 5400 * S },
		{ "0.123456789h", INT64_C(444444440400) },
		{ "999999999.999999999", OPTIONS_DURATION_MAX - 1 },
		{ "00000000000000000000000000001ms", MS },
	};
	static const char *big[] = {
		"1000000000001ms", "99999999999999999999999ms", "16666667m",
		"16666666.67m", "277778h", "1000000000.000000001",
		"99999999999999999999999999999999999999999999.5h",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t ns = -1;
		const char *why = options_duration(ok[i].s, &ns);
		if (why != NULL)
			fail_msg("'%s': %s", ok[i].s, why);
		assert_int_equal(ns, ok[i].ns);
	}
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		int64_t ns = -1;
		const char *why = options_duration(big[i], &ns);
		if (why == NULL)
			fail_msg("'%s' was accepted as %lld", big[i],
			    (long long)ns);
		assert_string_equal(why, "is out of range");
		assert_int_equal(ns, -1);
	}
	assert_int_equal(parse("-t", "50000000000ms", NULL), OPTIONS_RUN);
	assert_int_equal(opts.timeout_ns, 50000000000 * MS);
}

/* options_quote(s) into a buffer big enough, checked for control bytes. */
static const char *
quoted(const char *s)
{
	static char buf[256];

	options_quote(buf, sizeof(buf), s);
	for (const unsigned char *p = (const void *)buf; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("quoting '%s' left byte %#x", s, *p);
	return buf;
}

static void
test_quote_printable_text_in_single_quotes(void **state)
{
	(void)state;
	assert_string_equal(quoted("abc"), "'abc'");
	assert_string_equal(quoted(""), "''");
	assert_string_equal(quoted("a b\\c $x"), "'a b\\c $x'");
	assert_string_equal(quoted("h\u00e9llo \u4e16\u754c \U0001f311"),
	    "'h\u00e9llo \u4e16\u754c \U0001f311'");
}

static void
test_quote_single_quote_the_way_a_shell_reads_it(void **state)
{
	(void)state;
	assert_string_equal(quoted("it's"), "'it'\\''s'");
	assert_string_equal(quoted("'"), "''\\'''");
	/* inside $'...' the quote and the backslash are escaped instead */
	assert_string_equal(quoted("it's\t\\"), "$'it\\'s\\t\\\\'");
}

static void
test_quote_control_bytes_as_dollar_escapes(void **state)
{
	(void)state;
	assert_string_equal(quoted("a,\033[31m"), "$'a,\\e[31m'");
	assert_string_equal(quoted("\t\n\r"), "$'\\t\\n\\r'");
	assert_string_equal(quoted("\001\0377\177"), "$'\\001\\0377\\177'");
	assert_string_equal(quoted("\u00e9\033"), "$'\u00e9\\e'");
}

static void
test_quote_invalid_utf8_byte_by_byte_in_octal(void **state)
{
	(void)state;
	assert_string_equal(quoted("a\377b"), "$'a\\377b'");
	assert_string_equal(quoted("\303"), "$'\\303'");
	assert_string_equal(quoted("\303("), "$'\\303('");
	assert_string_equal(quoted("\300\257"), "$'\\300\\257'");
	assert_string_equal(quoted("\355\240\200"), "$'\\355\\240\\200'");
}

static void
test_quote_non_printable_unicode_in_octal(void **state)
{
	(void)state;
	/* U+0085 and U+009B, C1 controls, and U+2028 */
	assert_string_equal(quoted("\302\205"), "$'\\302\\205'");
	assert_string_equal(quoted("x\302\2332J"), "$'x\\302\\2332J'");
	assert_string_equal(quoted("\u2028"), "$'\\342\\200\\250'");
	/* U+0378, unassigned */
	assert_string_equal(quoted("\315\270"), "$'\\315\\270'");
}

static void
test_quote_follows_the_locale(void **state)
{
	(void)state;
	setlocale(LC_CTYPE, "C");
	assert_string_equal(quoted("\u00e9"), "$'\\303\\251'");
	assert_string_equal(quoted("it's"), "'it'\\''s'");
	setlocale(LC_CTYPE, "C.UTF-8");
	assert_string_equal(quoted("\u00e9"), "'\u00e9'");
}

static void
expect_quote(const char *s, size_t size, const char *want)
{
	char buf[64];

	memset(buf, 'X', sizeof(buf));
	assert_ptr_equal(options_quote(buf, size, s), buf);
	assert_string_equal(buf, want);
}

static void
test_quote_cuts_between_whole_characters_and_escapes(void **state)
{
	/* every place "a\u4e16\033'\377" may be cut: between its pieces */
	static const char *cuts[] = {
		"", "a", "a\u4e16", "a\u4e16\\e", "a\u4e16\\e\\'",
	};
	const char *full = "$'a\u4e16\\e\\'\\377'";
	char buf[64];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	options_quote(buf, 0, "abc");
	assert_int_equal(buf[0], 'X');
	for (size_t size = 1; size < 6; size++)
		expect_quote("abcdefgh", size, "");
	expect_quote("abcdefgh", 6, "''...");
	expect_quote("abcdefgh", 8, "'ab'...");
	expect_quote("abcdefgh", 10, "'abcd'...");
	expect_quote("abcdefgh", 11, "'abcdefgh'");
	expect_quote("\u00e9\u00e9\u00e9", 8, "'\u00e9'...");
	expect_quote("\u00e9\u00e9\u00e9", 7, "''...");
	expect_quote("it's", 9, "'it'...");
	expect_quote("it's", 10, "'it'\\''s'");
	expect_quote("\033\033\033", 6, "");
	expect_quote("\033\033\033", 8, "$''...");
	expect_quote("\033\033\033", 9, "$'\\e'...");
	expect_quote("\033\033\033", 10, "$'\\e\\e\\e'");
	expect_quote("\377", 7, "$''...");
	expect_quote("\377", 8, "$'\\377'");

	for (size_t size = 1; size <= strlen(full) + 1; size++) {
		char want[64];
		bool ok;

		options_quote(buf, size, "a\u4e16\033'\377");
		assert_true(strlen(buf) < size);
		ok = buf[0] == '\0' || strcmp(buf, full) == 0;
		for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
			snprintf(want, sizeof(want), "$'%s'...", cuts[i]);
			ok = ok || strcmp(buf, want) == 0;
		}
		if (!ok)
			fail_msg("size %zu: %s", size, buf);
		if (size >= 7)
			assert_int_not_equal(buf[0], '\0');
	}
}

static void
test_defaults_follow_the_seed(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), OPTIONS_RUN);
	assert_string_equal(opts.message, "thinking!");
	assert_int_equal(opts.delay_ns, 3 * S);
	assert_int_equal(opts.interval_ns, S);
	assert_int_equal(opts.timeout_ns, 0);
	assert_int_equal(opts.kill_after_ns, 2 * S);
	assert_string_equal(opts.style->name, "line");
	assert_int_equal(opts.animate, ANIMATE_AUTO);
	assert_false(opts.quiet);
	assert_false(opts.persist);
	assert_null(opts.command);
}

static void
test_every_option_short_and_long(void **state)
{
	(void)state;
	assert_int_equal(parse("-m", "hi", "-d", "1", "-i", "100ms", "-s",
	    "dots", "-q", "-p", "-t", "5", "-k", "1s", NULL), OPTIONS_RUN);
	assert_string_equal(opts.message, "hi");
	assert_int_equal(opts.delay_ns, S);
	assert_int_equal(opts.interval_ns, 100 * MS);
	assert_string_equal(opts.style->name, "dots");
	assert_true(opts.quiet);
	assert_true(opts.persist);
	assert_int_equal(opts.timeout_ns, 5 * S);
	assert_int_equal(opts.kill_after_ns, S);

	assert_int_equal(parse("--message=yo", "--delay", "2", "--interval=1",
	    "--style=moon", "--quiet", "--persist", "--timeout=1m",
	    "--kill-after=3", NULL), OPTIONS_RUN);
	assert_string_equal(opts.message, "yo");
	assert_int_equal(opts.delay_ns, 2 * S);
	assert_string_equal(opts.style->name, "moon");
	assert_int_equal(opts.timeout_ns, 60 * S);
	assert_int_equal(opts.kill_after_ns, 3 * S);

	assert_int_equal(parse("--frames", "ab", NULL), OPTIONS_RUN);
	assert_int_equal(opts.style->count, 2);
	assert_int_equal(parse("-f", "x,yy,z", NULL), OPTIONS_RUN);
	assert_int_equal(opts.style->count, 3);
	assert_string_equal(opts.style->frames[1], "yy");
}

static void
test_animate_choices(void **state)
{
	(void)state;
	assert_int_equal(parse("--animate", NULL), OPTIONS_RUN);
	assert_int_equal(opts.animate, ANIMATE_ALWAYS);
	assert_int_equal(parse("--animate=never", NULL), OPTIONS_RUN);
	assert_int_equal(opts.animate, ANIMATE_NEVER);
	assert_int_equal(parse("--animate=always", NULL), OPTIONS_RUN);
	assert_int_equal(opts.animate, ANIMATE_ALWAYS);
	assert_int_equal(parse("--no-animate", "--animate=auto", NULL),
	    OPTIONS_RUN);
	assert_int_equal(opts.animate, ANIMATE_AUTO);
	assert_int_equal(parse("--no-animate", NULL), OPTIONS_RUN);
	assert_int_equal(opts.animate, ANIMATE_NEVER);
	assert_int_equal(parse("--animate=sometimes", NULL), OPTIONS_ERROR);
	assert_non_null(strstr(err, "--animate: 'sometimes'"));
	assert_non_null(strstr(err, "auto, always or never"));
}

static void
test_color_choices_and_the_words_ls_takes(void **state)
{
	static const struct {
		const char *arg;
		enum color_when when;
	} ok[] = {
		{ "--color", COLOR_ALWAYS },
		{ "--color=always", COLOR_ALWAYS },
		{ "--color=yes", COLOR_ALWAYS },
		{ "--color=force", COLOR_ALWAYS },
		{ "--color=never", COLOR_NEVER },
		{ "--color=no", COLOR_NEVER },
		{ "--color=none", COLOR_NEVER },
		{ "--color=auto", COLOR_AUTO },
		{ "--color=tty", COLOR_AUTO },
		{ "--color=if-tty", COLOR_AUTO },
	};

	(void)state;
	assert_int_equal(parse(NULL), OPTIONS_RUN);
	assert_int_equal(opts.color, COLOR_AUTO);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(parse(ok[i].arg, NULL), OPTIONS_RUN);
		if (opts.color != ok[i].when)
			fail_msg("%s: %d, not %d", ok[i].arg, opts.color,
			    ok[i].when);
	}
	/* the last one given wins; with a COMMAND and with tasks alike */
	assert_int_equal(parse("--color=never", "--color", "--", "true",
	    NULL), OPTIONS_RUN);
	assert_int_equal(opts.color, COLOR_ALWAYS);
	assert_int_equal(parse("--color=always", "--color=auto", "-c", "true",
	    NULL), OPTIONS_RUN);
	assert_int_equal(opts.color, COLOR_AUTO);
	/* bare, the next word is not its value but COMMAND */
	assert_int_equal(parse("--color", "never", NULL), OPTIONS_RUN);
	assert_int_equal(opts.color, COLOR_ALWAYS);
	assert_string_equal(opts.command[0], "never");
}

static void
test_bad_color_is_an_error_naming_the_choices(void **state)
{
	(void)state;
	assert_int_equal(parse("--color=sometimes", NULL), OPTIONS_ERROR);
	assert_string_equal(err, "--color: 'sometimes' is not a choice "
	    "(expected auto, always or never)");
	assert_int_equal(parse("--color=", NULL), OPTIONS_ERROR);
	assert_string_equal(err, "--color: '' is not a choice (expected "
	    "auto, always or never)");
	/* case matters, as for ls */
	assert_int_equal(parse("--color=Always", NULL), OPTIONS_ERROR);
	assert_non_null(strstr(err, "--color: 'Always'"));
}

static void
test_help_version_and_list_styles(void **state)
{
	(void)state;
	assert_int_equal(parse("-h", NULL), OPTIONS_HELP);
	assert_int_equal(parse("--help", "--bogus", NULL), OPTIONS_HELP);
	assert_int_equal(parse("-V", NULL), OPTIONS_VERSION);
	assert_int_equal(parse("--version", NULL), OPTIONS_VERSION);
	assert_int_equal(parse("--list-styles", NULL), OPTIONS_LIST_STYLES);
}

static void
test_command_starts_at_first_operand_or_after_dashes(void **state)
{
	(void)state;
	assert_int_equal(parse("-m", "x", "make", "-j4", NULL), OPTIONS_RUN);
	assert_non_null(opts.command);
	assert_string_equal(opts.command[0], "make");
	assert_string_equal(opts.command[1], "-j4");
	assert_null(opts.command[2]);
	assert_int_equal(parse("--", "-q", NULL), OPTIONS_RUN);
	assert_string_equal(opts.command[0], "-q");
	assert_false(opts.quiet);
}

static void
expect_error(const char *what, const char *want, const char *first, ...)
{
	enum options_result r;
	va_list ap;

	va_start(ap, first);
	r = vparse(first, ap);
	va_end(ap);
	if (r != OPTIONS_ERROR)
		fail_msg("%s: accepted", what);
	if (strstr(err, want) == NULL)
		fail_msg("%s: '%s' lacks '%s'", what, err, want);
	assert_null(strchr(err, '\n'));
}

static void
test_bad_input_names_option_problem_and_expectation(void **state)
{
	(void)state;
	expect_error("unknown long", "--bogus: unknown option", "--bogus",
	    NULL);
	expect_error("unknown short", "-x: unknown option", "-x", NULL);
	expect_error("missing short", "-m: missing value", "-m", NULL);
	expect_error("missing long", "--interval: missing value",
	    "--interval", NULL);
	expect_error("value on flag", "--quiet: takes no value",
	    "--quiet=yes", NULL);
	expect_error("zero interval", "--interval: '0' is not a positive "
	    "duration (expected e.g.", "-i", "0", NULL);
	expect_error("tiny interval", "--interval: '0.5ms' is shorter than "
	    "1ms", "--interval=0.5ms", NULL);
	expect_error("negative delay", "--delay: '-1' is not a positive",
	    "--delay=-1", NULL);
	expect_error("nan delay", "--delay: 'nan'", "-d", "nan", NULL);
	expect_error("inf timeout", "--timeout: 'inf'", "-t", "inf", NULL);
	expect_error("garbage", "--kill-after: '2x'", "-k", "2x", NULL);
	expect_error("range", "--delay: '1e99' is not", "-d", "1e99", NULL);
	expect_error("range", "--delay: '5000000000' is out of range", "-d",
	    "5000000000", NULL);
	expect_error("style", "--style: 'spiral' is not a known style (see "
	    "--list-styles)", "-s", "spiral", NULL);
	expect_error("empty frames", "--frames: '' is empty", "-f", "", NULL);
	expect_error("empty frame", "--frames: 'a,,b' has an empty frame",
	    "-f", "a,,b", NULL);
	expect_error("control frame", "contains a control character", "-f",
	    "a\tb", NULL);
	expect_error("both", "--frames: cannot be used with --style", "-s",
	    "dots", "-f", "ab", NULL);
}

/* --stats in every mode; it takes no value */
static void
test_stats_is_read_in_every_mode(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), OPTIONS_RUN);
	assert_false(opts.stats);
	assert_int_equal(parse("--stats", NULL), OPTIONS_RUN);
	assert_true(opts.stats);
	assert_int_equal(parse("--stats", "--", "x", NULL), OPTIONS_RUN);
	assert_true(opts.stats);
	assert_int_equal(parse("--stats", "-c", "x", NULL), OPTIONS_RUN);
	assert_true(opts.stats);
	assert_true(opts.tasks);
	expect_error("value", "--stats", "--stats=1", NULL);
}

static void
test_elapsed_messages_and_output_are_read(void **state)
{
	(void)state;
	assert_int_equal(parse("--", "x", NULL), OPTIONS_RUN);
	assert_false(opts.elapsed);
	assert_false(opts.messages);
	assert_false(opts.output_set);
	assert_int_equal(opts.output, OUTPUT_LIVE);	/* one COMMAND's */
	assert_int_equal(parse("-e", "--messages", "--output=failed", "--",
	    "x", NULL), OPTIONS_RUN);
	assert_true(opts.elapsed);
	assert_true(opts.messages);
	assert_true(opts.output_set);
	assert_int_equal(opts.output, OUTPUT_FAILED);
	assert_int_equal(parse("--output", "all", "x", NULL), OPTIONS_RUN);
	assert_int_equal(opts.output, OUTPUT_ALL);
	assert_int_equal(parse("--output=none", "x", NULL), OPTIONS_RUN);
	assert_int_equal(opts.output, OUTPUT_NONE);
	assert_int_equal(parse("--output=live", "x", NULL), OPTIONS_RUN);
	assert_int_equal(opts.output, OUTPUT_LIVE);
	/* the time on the line is the demo's too */
	assert_int_equal(parse("--elapsed", NULL), OPTIONS_RUN);
	assert_true(opts.elapsed);
	assert_null(opts.command);
	/* tasks keep their output unless told: failed */
	assert_int_equal(parse("-c", "make", NULL), OPTIONS_RUN);
	assert_true(opts.tasks);
	assert_int_equal(opts.output, OUTPUT_FAILED);
	assert_false(opts.output_set);
	options_free(&opts);
}

static void
test_bad_mixes_of_command_tasks_and_their_options(void **state)
{
	(void)state;
	expect_error("messages in the demo", "--messages: needs a COMMAND",
	    "--messages", NULL);
	expect_error("messages with tasks", "--messages: needs a COMMAND",
	    "--messages", "-c", "make", NULL);
	expect_error("output in the demo", "--output: needs a COMMAND or "
	    "tasks (-c or -T)", "--output=failed", NULL);
	expect_error("output choice", "--output: 'sometimes' is not a choice "
	    "(expected live, failed, all or none)", "--output=sometimes",
	    "x", NULL);
	expect_error("live tasks", "--output: live is for one COMMAND "
	    "(expected failed, all or none with tasks)", "--output=live",
	    "-c", "make", NULL);
	expect_error("jobs alone", "--jobs: needs tasks (-c or -T)", "-j",
	    "2", NULL);
	expect_error("jobs with a command", "--jobs: needs tasks", "-j", "2",
	    "--", "x", NULL);
	expect_error("fail-fast alone", "--fail-fast: needs tasks (-c or -T)",
	    "--fail-fast", "--", "x", NULL);
	expect_error("tasks and a command", "--command: cannot be used with "
	    "a COMMAND", "-c", "make", "--", "x", NULL);
	expect_error("task file and a command", "--tasks: cannot be used "
	    "with a COMMAND", "-T", "list", "x", NULL);
	expect_error("two task files", "--tasks: given twice", "-T", "a",
	    "-T", "b", NULL);
	expect_error("jobs not a number", "--jobs: 'x' is not a number of "
	    "tasks", "-j", "x", "-c", "make", NULL);
	expect_error("empty task", "--command: empty command", "-c", "",
	    NULL);
	options_free(&opts);
}

/* Parse, expect an error, and check it holds want and no control byte. */
static void
expect_quoted_error(const char *want, const char *first, ...)
{
	enum options_result r;
	va_list ap;

	va_start(ap, first);
	r = vparse(first, ap);
	va_end(ap);
	assert_int_equal(r, OPTIONS_ERROR);
	for (size_t i = 0; err[i] != '\0'; i++)
		if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
			fail_msg("byte %#x at %zu of the message", err[i], i);
	if (strstr(err, want) == NULL)
		fail_msg("'%s' lacks '%s'", err, want);
}

static void
test_messages_quote_user_bytes_so_none_reach_the_terminal(void **state)
{
	static char many[1000];

	(void)state;
	expect_quoted_error("--frames: $'a,\\e[31m' contains a control "
	    "character (expected", "-f", "a,\033[31m", NULL);
	expect_quoted_error("--interval: $'\\e' is not a positive duration",
	    "--interval", "\033", NULL);
	expect_quoted_error("--delay: $'1\\r' is not", "-d", "1\r", NULL);
	expect_quoted_error("--animate: $'\\e]0;x\\007' is not a choice",
	    "--animate=\033]0;x\007", NULL);
	expect_quoted_error("--color: $'\\e[31m' is not a choice",
	    "--color=\033[31m", NULL);
	expect_quoted_error("--style: $'\\e[2J' is not a known style", "-s",
	    "\033[2J", NULL);
	expect_quoted_error("--style: 'it'\\''s' is not", "-s", "it's",
	    NULL);
	expect_quoted_error("--style: '\u00e9' is not", "-s", "\u00e9", NULL);
	expect_quoted_error("--timeout: $'\\377' is not", "-t", "\377",
	    NULL);
	expect_quoted_error("$'--\\ex': unknown option", "--\033x", NULL);
	expect_quoted_error("$'--\\e': unknown option", "--\033=1", NULL);
	expect_quoted_error("$'-\\e': unknown option", "-\033", NULL);
	expect_quoted_error("$'-\\303': unknown option", "-\u00e9", NULL);
	expect_quoted_error("--quiet: takes no value", "--quiet=\033",
	    NULL);
	/* a long value is cut, and the message stays one line */
	memset(many, 'x', sizeof(many) - 1);
	many[1] = '\n';
	expect_quoted_error("'... contains a control character", "-f", many,
	    NULL);
}

static void
test_bad_short_option_in_a_cluster_is_named_itself(void **state)
{
	(void)state;
	assert_int_equal(parse("--quiet", "-xq", NULL), OPTIONS_ERROR);
	assert_string_equal(err, "-x: unknown option");
	assert_int_equal(parse("--quiet", "-\u00e9", NULL), OPTIONS_ERROR);
	assert_string_equal(err, "$'-\\303': unknown option");
	assert_int_equal(parse("-q", "--quiet=1", NULL), OPTIONS_ERROR);
	assert_string_equal(err, "--quiet: takes no value");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_duration_accepts_seconds_units_and_fractions),
		cmocka_unit_test(
		    test_duration_rejects_zero_negative_nan_inf_garbage_range),
		cmocka_unit_test(
		    test_duration_in_ms_is_ranged_by_its_value_not_its_digits),
		cmocka_unit_test(test_quote_printable_text_in_single_quotes),
		cmocka_unit_test(
		    test_quote_single_quote_the_way_a_shell_reads_it),
		cmocka_unit_test(test_quote_control_bytes_as_dollar_escapes),
		cmocka_unit_test(
		    test_quote_invalid_utf8_byte_by_byte_in_octal),
		cmocka_unit_test(test_quote_non_printable_unicode_in_octal),
		cmocka_unit_test(test_quote_follows_the_locale),
		cmocka_unit_test(
		    test_quote_cuts_between_whole_characters_and_escapes),
		cmocka_unit_test(test_defaults_follow_the_seed),
		cmocka_unit_test(test_every_option_short_and_long),
		cmocka_unit_test(test_animate_choices),
		cmocka_unit_test(test_color_choices_and_the_words_ls_takes),
		cmocka_unit_test(test_bad_color_is_an_error_naming_the_choices),
		cmocka_unit_test(test_help_version_and_list_styles),
		cmocka_unit_test(
		    test_command_starts_at_first_operand_or_after_dashes),
		cmocka_unit_test(
		    test_bad_input_names_option_problem_and_expectation),
		cmocka_unit_test(test_elapsed_messages_and_output_are_read),
		cmocka_unit_test(test_stats_is_read_in_every_mode),
		cmocka_unit_test(
		    test_bad_mixes_of_command_tasks_and_their_options),
		cmocka_unit_test(
		    test_messages_quote_user_bytes_so_none_reach_the_terminal),
		cmocka_unit_test(
		    test_bad_short_option_in_a_cluster_is_named_itself),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
