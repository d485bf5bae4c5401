/*
 * Shell completions (completions/): each file loads in its shell, by
 * either binary's name, and bash, fish and zsh offer the words expected
 * at the end of partial command lines.  The shells run with nothing of
 * the user's: env -i, a scratch HOME, no rc files, and PATH the built
 * binaries' folder first ($SPINNER_BUILD), as the style names come from
 * the binary being completed.  Run from the top of the tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "status.h"

static char scratch[] = "/tmp/spinner-completion-XXXXXX";
static char env_home[PATH_MAX + 32], env_path[PATH_MAX + 64];
static char env_compl[PATH_MAX + 32], env_files[PATH_MAX + 32];
static char env_scratch[PATH_MAX + 32];

/*
 * bash: complete $LINE at its end as bash itself would.  COMP_WORDS is
 * split as readline splits it: at blanks, and each run of '=' or ':' (of
 * $COMP_WORDBREAKS) a word of its own, so that --color= is three words.
 * The function complete -p names is called, and COMPREPLY printed a word
 * a line, then "(nospace)" if it asked for no space after the word.
 * compopt works only in a completion bash itself started: here it notes
 * what it is asked.  mycmd is a command with a completion of its own.
 */
static const char bash_driver[] =
    ". /usr/share/bash-completion/bash_completion || exit 1\n"
    ". \"$COMPL/spinner.bash\" || exit 1\n"
    "complete -W 'alpha beta --verbose' mycmd\n"
    "compopt() { asked+=\" $*\"; }\n"
    "cd \"$FILES\" || exit 1\n"
    "COMP_WORDS=() w=\n"
    "for ((i = 0; i < ${#LINE}; i++)); do\n"
    "	c=${LINE:i:1}\n"
    "	case $c in\n"
    "	[[:blank:]])\n"
    "		[[ $w ]] && COMP_WORDS+=(\"$w\")\n"
    "		w= ;;\n"
    "	[=:])\n"
    "		[[ $w && $w != [=:]* ]] && COMP_WORDS+=(\"$w\") && w=\n"
    "		w+=$c ;;\n"
    "	*)\n"
    "		[[ $w == [=:]* ]] && COMP_WORDS+=(\"$w\") && w=\n"
    "		w+=$c ;;\n"
    "	esac\n"
    "done\n"
    "if [[ $w ]]; then\n"
    "	COMP_WORDS+=(\"$w\")\n"
    "elif [[ $LINE == *[[:blank:]] ]]; then\n"
    "	COMP_WORDS+=('')\n"
    "fi\n"
    "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
    "COMP_LINE=$LINE COMP_POINT=${#LINE}\n"
    "spec=$(complete -p \"${COMP_WORDS[0]##*/}\") || exit 1\n"
    "f=${spec#*-F } f=${f%% *}\n"
    "\"$f\" \"${COMP_WORDS[0]}\" \"${COMP_WORDS[COMP_CWORD]}\" "
    "\"${COMP_WORDS[COMP_CWORD - 1]}\"\n"
    "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    "[[ $asked == *'-o nospace'* ]] && echo '(nospace)'\n"
    "exit 0\n";

/* fish: complete -C lists what fish offers, a word and its description. */
static const char fish_driver[] =
    "source $COMPL/spinner.fish; or exit 1\n"
    "complete -c mycmd -f -a 'alpha beta'\n"
    "complete -c mycmd -l verbose\n"
    "cd $FILES; or exit 1\n"
    "complete -C $LINE\n";

/*
 * zsh: an interactive zsh -f on a pseudo-terminal (zpty), compinit with
 * completions/ first on fpath (its dump kept from one run to the next:
 * made again, it costs each run a fifth of a second), TAB bound to
 * complete-word followed by an end mark, and compadd wrapped to print
 * each match it adds (not when it is only asked to match: -O, -A, -D).
 * The marks are typed split in two, so that the terminal's echo of what
 * is typed holds none.
 */
static const char zsh_driver[] =
    "zmodload zsh/zpty || exit 1\n"
    "zpty z zsh -f -i || exit 1\n"
    "zpty -w z 'PS1= RPS1= PS2=; fpath=(\"$COMPL\" $fpath)'\n"
    "zpty -w z 'autoload -Uz compinit'\n"
    "zpty -w z 'compinit -u -d \"$SCRATCH/zcompdump\"'\n"
    "zpty -w z '_mycmd() { _arguments \"--verbose[more]\" "
    "\"*:word:(alpha beta)\"; }; compdef _mycmd mycmd; cd \"$FILES\"'\n"
    "zpty -w z 'compadd() {\n"
    "	if [[ ${@[1,(i)(-|--)]} != *-[OAD]\\ * ]]; then\n"
    "		local -a m\n"
    "		builtin compadd -O m \"$@\"\n"
    "		(( $#m )) && print -rl -- \"<\"\"M>\"${^m} >/dev/tty\n"
    "	fi\n"
    "	builtin compadd \"$@\"\n"
    "}'\n"
    "zpty -w z 'zle -C offer complete-word _main_complete\n"
    "offered() { zle offer; print -r -- \"<\"\"END>\" >/dev/tty; }\n"
    "zle -N offered; bindkey \"^I\" offered; print -r \"<\"\"READY>\"'\n"
    "while zpty -r z l && [[ $l != *'<READY>'* ]]; do :; done\n"
    "zpty -w -n z \"$LINE\"$'\\t'\n"
    "while zpty -r z l && [[ $l != *'<END>'* ]]; do\n"
    "	[[ $l == *'<M>'* ]] && print -r -- \"${${l#*<M>}%%$'\\r'*}\"\n"
    "done\n"
    "zpty -d z\n";

enum shell { BASH, FISH, ZSH };
static const char *const shell_name[] = {
	[BASH] = "bash", [FISH] = "fish", [ZSH] = "zsh"
};

/*
 * Run script in shell, with line as $LINE, in the clean environment; its
 * standard output, which the caller frees.  Anything on its standard
 * error, or a status other than 0, fails the case.
 */
static char *
run(enum shell sh, const char *script, const char *line)
{
	char env_line[1024];
	const char *argv[16];
	char *out, *err;
	size_t outlen, errlen, n = 0;
	int st;

	snprintf(env_line, sizeof(env_line), "LINE=%s", line);
	argv[n++] = "env";
	argv[n++] = "-i";
	argv[n++] = env_home;
	argv[n++] = env_path;
	argv[n++] = env_compl;
	argv[n++] = env_files;
	argv[n++] = env_scratch;
	argv[n++] = env_line;
	argv[n++] = "LC_ALL=C.UTF-8";
	argv[n++] = "TERM=dumb";
	argv[n++] = shell_name[sh];
	switch (sh) {
	case BASH:
		argv[n++] = "--norc";
		argv[n++] = "--noprofile";
		break;
	case FISH:
		argv[n++] = "--no-config";
		break;
	case ZSH:
		argv[n++] = "-f";
		break;
	}
	argv[n++] = "-c";
	argv[n++] = script;
	argv[n] = NULL;
	st = h_pipe_run(argv, NULL, 0, &out, &outlen, &err, &errlen, NULL);
	if (errlen > 0)
		fail_msg("%s, at '%s', wrote on stderr:\n%s", shell_name[sh],
		    line, err);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("%s, at '%s': status 0x%x; stdout:\n%s",
		    shell_name[sh], line, st, out);
	free(err);
	return out;
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The words in s, a line each (a line's first field, up to a tab or a
 * blank), sorted and once each, joined by blanks; s is freed.
 */
static char *
words(char *s)
{
	char **v = NULL, *joined, *p, *save;
	size_t n = 0, len = 1;

	for (p = strtok_r(s, "\r\n", &save); p != NULL;
	    p = strtok_r(NULL, "\r\n", &save)) {
		p[strcspn(p, "\t ")] = '\0';
		if (*p == '\0')
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		assert_non_null(v);
		v[n++] = p;
		len += strlen(p) + 1;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), by_string);
	joined = calloc(1, len);
	assert_non_null(joined);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		if (*joined != '\0')
			strcat(joined, " ");
		strcat(joined, v[i]);
	}
	free(v);
	free(s);
	return joined;
}

/* What sh offers at the end of line, as words() joins them. */
static char *
offers(enum shell sh, const char *line)
{
	static const char *const driver[] = {
		[BASH] = bash_driver, [FISH] = fish_driver, [ZSH] = zsh_driver
	};

	return words(run(sh, driver[sh], line));
}

/* want, words in any order, the same as words() gives them. */
static char *
sorted(const char *want)
{
	char *s = strdup(want);

	assert_non_null(s);
	for (char *p = s; *p != '\0'; p++)
		if (*p == ' ')
			*p = '\n';
	return words(s);
}

/* sh offers exactly the words of want at the end of line. */
static void
expect(enum shell sh, const char *line, const char *want)
{
	char *got = offers(sh, line), *w = sorted(want);

	if (strcmp(got, w) != 0)
		fail_msg("at '%s': offered\n  '%s'\nnot\n  '%s'", line, got,
		    w);
	free(got);
	free(w);
}

/* Whether the blank-separated list holds word. */
static bool
holds(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p++)
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* At the end of line, sh offers word, and not the word of none. */
static void
expect_with(enum shell sh, const char *line, const char *word,
    const char *none)
{
	char *got = offers(sh, line);

	if (!holds(got, word))
		fail_msg("at '%s': no '%s' in the %zu bytes offered", line,
		    word, strlen(got));
	if (none != NULL && holds(got, none))
		fail_msg("at '%s': '%s' offered", line, none);
	free(got);
}

/* The words the binary writes when run with arg, as words() gives them. */
static char *
binary_says(const char *arg)
{
	const char *argv[] = { "spinner-thread", arg, NULL };
	char *out, *err;
	size_t outlen, errlen;
	int st;

	st = h_pipe_run(argv, NULL, 0, &out, &outlen, &err, &errlen, NULL);
	assert_exited(st, 0);
	free(err);
	return words(out);
}

/* The style names: the first word of each line of --list-styles. */
static char *
style_names(void)
{
	return binary_says("--list-styles");
}

/*
 * Every option --help names, "--name" or "-x", joined by blanks: a name
 * after a blank or an opening bracket ("[-ehpqV]" is none).
 */
static char *
help_options(void)
{
	const char *argv[] = { "spinner-thread", "--help", NULL };
	char *out, *err, *list, *l;
	size_t outlen, errlen;
	int st;

	st = h_pipe_run(argv, NULL, 0, &out, &outlen, &err, &errlen, NULL);
	assert_exited(st, 0);
	free(err);
	list = l = calloc(1, outlen * 2 + 1);
	assert_non_null(list);
	for (size_t i = 0; i + 2 < outlen; i++) {
		size_t n = 0;

		if (out[i] != '-' || (i > 0 && out[i - 1] != ' ' &&
		    out[i - 1] != '(' && out[i - 1] != '['))
			continue;
		if (out[i + 1] == '-' && islower((unsigned char)out[i + 2])) {
			n = 2;
			while (islower((unsigned char)out[i + n]) ||
			    out[i + n] == '-')
				n++;
		} else if (isalpha((unsigned char)out[i + 1]) &&
		    !isalnum((unsigned char)out[i + 2]))
			n = 2;
		if (n > 0)
			l += sprintf(l, "%.*s\n", (int)n, out + i);
	}
	free(out);
	return words(list);
}

/* Every option of the help is in offered, bare or with its '='. */
static void
expect_every_option(const char *offered, const char *what)
{
	char *help = help_options(), *save;

	assert_true(holds(help, "--stats"));	/* the help was read */
	for (char *o = strtok_r(help, " ", &save); o != NULL;
	    o = strtok_r(NULL, " ", &save)) {
		char eq[64];

		snprintf(eq, sizeof(eq), "%s=", o);
		if (!holds(offered, o) && !holds(offered, eq))
			fail_msg("%s: %s not offered", what, o);
	}
	free(help);
}

/*
 * The options as getopt_long reads them: each of these takes the next
 * word as its value, and none of the others does.
 */
static const char *const with_value[] = {
	"-c", "-d", "-f", "-i", "-j", "-k", "-m", "-s", "-T", "-t",
	"--command", "--delay", "--frames", "--interval", "--jobs",
	"--kill-after", "--message", "--output", "--style", "--tasks",
	"--timeout",
};
static const char *const without_value[] = {
	"-e", "-h", "-p", "-q", "-V", "--animate", "--color", "--elapsed",
	"--fail-fast", "--help", "--list-styles", "--messages",
	"--no-animate", "--persist", "--quiet", "--stats", "--version",
};

/*
 * After each option and its value, if it takes one, the next word is
 * COMMAND: sh hands the word after it to mycmd's completion, whose words
 * are want.  After a task (-c, -T) there is no COMMAND, and nothing to
 * offer past the first operand.
 */
static void
expect_command_after_each_option(enum shell sh, const char *want)
{
	char line[128];

	for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]);
	    i++) {
		const char *o = with_value[i];
		bool task = strcmp(o, "-c") == 0 || strcmp(o, "-T") == 0 ||
		    strcmp(o, "--command") == 0 || strcmp(o, "--tasks") == 0;

		snprintf(line, sizeof(line), "spinner-thread %s v mycmd ", o);
		expect(sh, line, task ? "" : want);
	}
	for (size_t i = 0;
	    i < sizeof(without_value) / sizeof(without_value[0]); i++) {
		snprintf(line, sizeof(line), "spinner-thread %s mycmd ",
		    without_value[i]);
		expect(sh, line, want);
	}
}

/*
 * The binary takes tasks (-c, -T) or COMMAND, not both: once tasks are
 * given, in any spelling, sh offers no command at an operand, and nothing
 * past -- or past an operand.  A command is still the value of -c, and
 * -c as the value of another option gives no task.
 */
static void
expect_no_command_after_tasks(enum shell sh)
{
	static const char *const lines[] = {
		"spinner-thread -c true sh",
		"spinner-thread -ctrue sh",
		"spinner-thread --command true sh",
		"spinner-thread --command=true sh",
		"spinner-thread --comm true sh",
		"spinner-thread --comm=true sh",
		"spinner-thread -qc true sh",
		"spinner-thread -T a.txt sh",
		"spinner-thread -Ta.txt sh",
		"spinner-thread --tasks a.txt sh",
		"spinner-thread --tas=a.txt sh",
		"spinner-thread -pT - sh",
		"spinner-async -c true -j 2 sh",
		"spinner-thread -c true -- ",
		"spinner-thread -c true -- sh",
		"spinner-thread -T - -- mycmd ",
		"spinner-thread -c true mycmd ",
		"spinner-thread -c true mycmd -",
	};
	char *got;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		expect(sh, lines[i], "");
	got = offers(sh, "spinner-thread -c true ");
	if (holds(got, "sh"))
		fail_msg("%s: a command offered after -c true",
		    shell_name[sh]);
	free(got);
	expect_with(sh, "spinner-thread -c true -c s", "sh", NULL);
	expect_with(sh, "spinner-thread -m -c sh", "sh", NULL);
	expect_with(sh, "spinner-thread -T a.txt -", "--jobs", NULL);
}

/* --- loading, by the names the shells look for ------------------------ */

static void
test_bash_loads_the_file_for_both_names(void **state)
{
	char *out;

	(void)state;
	out = run(BASH, ". /usr/share/bash-completion/bash_completion\n"
	    ". \"$COMPL/spinner.bash\"\n"
	    "complete -p spinner-thread spinner-async\n", "");
	assert_string_equal(out, "complete -F _spinner spinner-thread\n"
	    "complete -F _spinner spinner-async\n");
	free(out);
}

/*
 * bash-completion loads completions/NAME on demand: the file is installed
 * by each name (here in the user's folder of bash-completion).
 */
static void
test_bash_completion_finds_the_file_by_either_name(void **state)
{
	char *out;

	(void)state;
	out = run(BASH, "export BASH_COMPLETION_USER_DIR=$SCRATCH/bash\n"
	    ". /usr/share/bash-completion/bash_completion\n"
	    "_completion_loader spinner-async\n"
	    "complete -p spinner-async\n", "");
	assert_string_equal(out, "complete -F _spinner spinner-async\n");
	free(out);
	out = run(BASH, "export BASH_COMPLETION_USER_DIR=$SCRATCH/bash\n"
	    ". /usr/share/bash-completion/bash_completion\n"
	    "_completion_loader spinner-thread\n"
	    "complete -p spinner-thread\n", "");
	assert_string_equal(out, "complete -F _spinner spinner-thread\n");
	free(out);
}

/* compinit reads #compdef; autoload +X parses the whole file. */
static void
test_zsh_compinit_registers_the_file_for_both_names(void **state)
{
	char *out;

	(void)state;
	out = run(ZSH, "fpath=(\"$COMPL\" $fpath)\n"
	    "autoload -Uz compinit && compinit -u -D || exit 1\n"
	    "print -r -- $_comps[spinner-thread] $_comps[spinner-async]\n"
	    "autoload -Uz +X _spinner\n", "");
	assert_string_equal(out, "_spinner _spinner\n");
	free(out);
}

/* fish loads NAME.fish from its completion path on demand. */
static void
test_fish_loads_the_file_by_either_name(void **state)
{
	char *out;

	(void)state;
	out = words(run(FISH, "set fish_complete_path $SCRATCH/fish\n"
	    "complete -C 'spinner-async --st'\n"
	    "complete -C 'spinner-thread --fail'\n", ""));
	assert_string_equal(out, "--fail-fast --stats --style");
	free(out);
}

/*
 * fish loads NAME.fish for NAME alone: loading one binary's file leaves
 * the other's completions as they were, the user's own among them, and
 * does not erase what the user added for its own name either.
 */
static void
test_fish_file_defines_only_the_name_it_is_installed_by(void **state)
{
	char *out;

	(void)state;
	out = run(FISH, "set fish_complete_path $SCRATCH/fish\n"
	    "complete -c spinner-thread -l mine\n"
	    "complete -c spinner-async -l ours\n"
	    "complete -C 'spinner-async --st' >/dev/null\n"
	    "complete -c spinner-thread\n"
	    "complete -C 'spinner-async --ou'\n", "");
	assert_string_equal(out, "complete spinner-thread -l mine\n"
	    "--ours\n--output\tCOMMAND's output for the terminal\n");
	free(out);
}

/* --- bash ------------------------------------------------------------ */

static void
test_bash_offers_long_options_by_their_prefix(void **state)
{
	(void)state;
	expect(BASH, "spinner-thread --st", "--stats --style");
	expect(BASH, "spinner-async --mess", "--message --messages");
	expect(BASH, "spinner-thread --fail", "--fail-fast");
	expect(BASH, "spinner-thread -q --no", "--no-animate");
}

static void
test_bash_offers_output_with_its_equals_sign_and_no_space(void **state)
{
	(void)state;
	expect(BASH, "spinner-async --out", "--output= (nospace)");
}

/* --animate and --color, bare or with '=WHEN': both are offered. */
static void
test_bash_offers_every_option_of_the_help_after_a_dash(void **state)
{
	char *got;

	(void)state;
	got = offers(BASH, "spinner-thread -");
	expect_every_option(got, "bash");
	assert_true(holds(got, "--animate") && holds(got, "--animate="));
	assert_true(holds(got, "--color") && holds(got, "--color="));
	free(got);
}

static void
test_bash_offers_the_style_names_after_dash_s(void **state)
{
	char *names = style_names();

	(void)state;
	assert_true(holds(names, "line") && holds(names, "bouncingBar"));
	expect(BASH, "spinner-thread -s ", names);
	expect(BASH, "spinner-async --style ", names);
	expect(BASH, "spinner-thread --style=", names);
	expect(BASH, "spinner-thread --sty=", names);	/* a prefix */
	expect(BASH, "spinner-thread -qs ", names);
	expect(BASH, "spinner-thread -s d", "dots dots2");
	free(names);
}

/* The names it knows are the binary's own, should one be added. */
static void
test_bash_falls_back_on_the_known_styles_without_the_binary(void **state)
{
	char *names = style_names();

	(void)state;
	expect(BASH, "/nonexistent/spinner-thread -s ", names);
	free(names);
}

static void
test_bash_offers_the_choices_of_output_animate_and_color(void **state)
{
	(void)state;
	expect(BASH, "spinner-thread --output ", "live failed all none");
	expect(BASH, "spinner-thread --output=", "live failed all none");
	expect(BASH, "spinner-thread --output=f", "failed");
	expect(BASH, "spinner-thread --animate=", "auto always never");
	expect(BASH, "spinner-thread --color=", "auto always never");
	expect(BASH, "spinner-thread --color=n", "never");
	expect(BASH, "spinner-thread --col", "--color --color=");
}

static void
test_bash_offers_nothing_for_text_durations_and_numbers(void **state)
{
	static const char *const lines[] = {
		"spinner-thread -m ", "spinner-thread --message ",
		"spinner-thread -d ", "spinner-thread --delay=",
		"spinner-thread -i ", "spinner-thread -t ",
		"spinner-thread --timeout ", "spinner-thread -k ",
		"spinner-thread --kill-after=", "spinner-thread -f ",
		"spinner-thread -j ", "spinner-thread --jobs ",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		expect(BASH, lines[i], "");
}

static void
test_bash_offers_files_and_stdin_for_a_task_file(void **state)
{
	(void)state;
	expect(BASH, "spinner-thread -T ", "- a.txt b.tasks d");
	expect(BASH, "spinner-thread --tasks=", "- a.txt b.tasks d");
	expect(BASH, "spinner-thread -T b", "b.tasks");
}

static void
test_bash_offers_commands_for_a_task(void **state)
{
	(void)state;
	expect_with(BASH, "spinner-thread -c s", "sh", NULL);
	expect_with(BASH, "spinner-thread --command s", "sh", NULL);
}

static void
test_bash_offers_commands_after_double_dash(void **state)
{
	(void)state;
	expect_with(BASH, "spinner-thread -m x -- ", "sh", "--stats");
	expect_with(BASH, "spinner-thread -- sh", "sh", NULL);
	expect(BASH, "spinner-thread -- --st", "");
}

/* COMMAND starts at the first operand: offered after an option. */
static void
test_bash_offers_commands_after_an_option_without_a_value(void **state)
{
	(void)state;
	expect_with(BASH, "spinner-thread -q ", "sh", "bouncingBar");
	expect_with(BASH, "spinner-thread -ep sh", "sh", NULL);
	expect_with(BASH, "spinner-thread --animate ", "sh", "always");
	expect_with(BASH, "spinner-thread -s dots ", "sh", "dots2");
}

/*
 * The words after COMMAND are COMMAND's, whatever came before it: values
 * that bash splits at ':' or '=', attached, in a cluster, or after a
 * prefix of a long option.
 */
static void
test_bash_hands_the_words_after_command_to_its_completion(void **state)
{
	static const char *const lines[] = {
		"spinner-thread -- mycmd ",
		"spinner-thread mycmd ",
		"spinner-thread -m a:b --output=all mycmd ",
		"spinner-thread -mx mycmd ",
		"spinner-thread -qm x mycmd ",
		"spinner-thread --tim 3 mycmd ",
		"spinner-async -t 1 -k 2 -- mycmd alpha ",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		expect(BASH, lines[i], "alpha beta --verbose");
	expect(BASH, "spinner-thread -q mycmd -", "--verbose");
	expect(BASH, "spinner-thread -- mycmd --st", "");
}

static void
test_bash_finds_command_after_each_option_and_its_value(void **state)
{
	(void)state;
	expect_command_after_each_option(BASH, "alpha beta --verbose");
}

/*
 * After a quote left open, the word is completed as it reads inside the
 * quote: readline replaces what follows the quote, and closes it.
 */
static void
test_bash_completes_a_word_after_a_quote_left_open(void **state)
{
	(void)state;
	expect_with(BASH, "spinner-thread -c \"s", "sh", NULL);
	expect_with(BASH, "spinner-thread -c 's", "sh", NULL);
	expect_with(BASH, "spinner-thread --command=\"s", "sh", NULL);
	expect_with(BASH, "spinner-thread \"s", "sh", NULL);
	expect_with(BASH, "spinner-thread -q -- 's", "sh", NULL);
	expect(BASH, "spinner-thread -T \"b", "b.tasks");
	expect(BASH, "spinner-thread -s \"dots", "dots dots2");
	expect(BASH, "spinner-thread -c true \"s", "");
}

static void
test_bash_offers_no_command_after_tasks(void **state)
{
	(void)state;
	expect_no_command_after_tasks(BASH);
}

/* An operand after tasks can only be meant for an option. */
static void
test_bash_offers_options_at_an_operand_after_tasks(void **state)
{
	(void)state;
	expect_with(BASH, "spinner-thread -c true ", "--jobs", "sh");
	expect_with(BASH, "spinner-thread -T - ", "--fail-fast", "sh");
}

/* --- fish ------------------------------------------------------------ */

static void
test_fish_offers_long_options_by_their_prefix(void **state)
{
	(void)state;
	expect(FISH, "spinner-thread --st", "--stats --style");
	expect(FISH, "spinner-async --out", "--output");
	expect(FISH, "spinner-thread --fail", "--fail-fast");
}

static void
test_fish_offers_every_option_of_the_help_after_a_dash(void **state)
{
	char *got;

	(void)state;
	got = offers(FISH, "spinner-thread -");
	expect_every_option(got, "fish");
	free(got);
}

static void
test_fish_offers_the_style_names_after_dash_s(void **state)
{
	char *names = style_names();

	(void)state;
	expect(FISH, "spinner-thread -s ", names);
	expect(FISH, "spinner-async --style ", names);
	expect(FISH, "spinner-thread -qs ", names);
	expect(FISH, "spinner-thread --style=d", "--style=dots --style=dots2");
	expect(FISH, "/nonexistent/spinner-thread -s ", names);
	free(names);
}

/* An optional value, only after '=': --color alone takes no next word. */
static void
test_fish_offers_the_choices_of_output_animate_and_color(void **state)
{
	(void)state;
	expect(FISH, "spinner-thread --output ", "live failed all none");
	expect(FISH, "spinner-thread --output=f", "--output=failed");
	expect(FISH, "spinner-thread --color=",
	    "--color=auto --color=always --color=never");
	expect(FISH, "spinner-thread --animate=a",
	    "--animate=auto --animate=always");
	expect_with(FISH, "spinner-thread --color ", "sh", "always");
}

static void
test_fish_offers_nothing_for_text_durations_and_numbers(void **state)
{
	(void)state;
	expect(FISH, "spinner-thread -m ", "");
	expect(FISH, "spinner-thread --delay ", "");
	expect(FISH, "spinner-thread -t ", "");
	expect(FISH, "spinner-thread -k ", "");
	expect(FISH, "spinner-thread -j ", "");
}

static void
test_fish_offers_files_and_stdin_for_a_task_file(void **state)
{
	(void)state;
	expect(FISH, "spinner-thread -T ", "- a.txt b.tasks d/");
}

static void
test_fish_offers_commands_after_double_dash_and_options(void **state)
{
	(void)state;
	expect_with(FISH, "spinner-thread -m x -- ", "sh", "--stats");
	expect_with(FISH, "spinner-thread -- sh", "sh", NULL);
	expect_with(FISH, "spinner-thread -q ", "sh", "bouncingBar");
	expect_with(FISH, "spinner-thread -c s", "sh", NULL);
}

static void
test_fish_hands_the_words_after_command_to_its_completion(void **state)
{
	(void)state;
	expect(FISH, "spinner-thread -- mycmd ", "alpha beta");
	expect(FISH, "spinner-thread -m a:b --output=all mycmd ",
	    "alpha beta");
	expect(FISH, "spinner-thread -qm x mycmd ", "alpha beta");
	expect(FISH, "spinner-thread --tim 3 mycmd ", "alpha beta");
	expect(FISH, "spinner-thread -q mycmd --", "--verbose");
}

static void
test_fish_finds_command_after_each_option_and_its_value(void **state)
{
	(void)state;
	expect_command_after_each_option(FISH, "alpha beta");
}

/* fish offers options only for a word that starts with '-'. */
static void
test_fish_offers_no_command_after_tasks(void **state)
{
	(void)state;
	expect_no_command_after_tasks(FISH);
}

/* --- zsh ------------------------------------------------------------- */

static void
test_zsh_offers_options_and_their_values(void **state)
{
	char *names = style_names(), *got;

	(void)state;
	expect(ZSH, "spinner-thread --st", "--stats --style");
	expect(ZSH, "spinner-thread -s ", names);
	expect(ZSH, "/nonexistent/spinner-thread -s ", names);
	expect(ZSH, "spinner-thread --color=", "auto always never");
	expect(ZSH, "spinner-thread --output=", "live failed all none");
	got = offers(ZSH, "spinner-thread -");
	expect_every_option(got, "zsh");
	free(got);
	free(names);
}

static void
test_zsh_hands_the_words_after_command_to_its_completion(void **state)
{
	(void)state;
	expect(ZSH, "spinner-thread -- mycmd ", "alpha beta");
	expect(ZSH, "spinner-thread -m a:b mycmd ", "alpha beta");
	expect(ZSH, "spinner-thread -q mycmd --", "--verbose");
	expect_with(ZSH, "spinner-thread -q -- sh", "sh", NULL);
}

/*
 * getopt_long takes any prefix that names one option alone: --tim is
 * --timeout, and takes the next word; --sty= is --style='s.  Exact names
 * win, as --message over --messages.
 */
static void
test_zsh_reads_a_prefix_of_a_long_option_as_getopt_long_does(void **state)
{
	char *names = style_names();

	(void)state;
	expect(ZSH, "spinner-thread --tim=3 mycmd ", "alpha beta");
	expect(ZSH, "spinner-thread --tim 3 mycmd ", "alpha beta");
	expect_with(ZSH, "spinner-thread --tim 3 -", "--stats", "--timeout");
	expect(ZSH, "spinner-thread --sty ", names);
	expect(ZSH, "spinner-thread --sty=", names);
	expect(ZSH, "spinner-thread --sty=d", "dots dots2");
	expect(ZSH, "spinner-thread --out=f", "failed");
	expect(ZSH, "spinner-thread --message x mycmd ", "alpha beta");
	expect(ZSH, "spinner-thread --messages mycmd ", "alpha beta");
	free(names);
}

static void
test_zsh_offers_no_command_after_tasks(void **state)
{
	(void)state;
	expect_no_command_after_tasks(ZSH);
}

/* An operand after tasks can only be meant for an option. */
static void
test_zsh_offers_options_at_an_operand_after_tasks(void **state)
{
	(void)state;
	expect_with(ZSH, "spinner-thread -c true ", "--jobs", "sh");
	expect_with(ZSH, "spinner-thread -T - ", "--fail-fast", "sh");
}

/* --- the scratch folder ---------------------------------------------- */

/* A path under the scratch folder. */
static const char *
at(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, PATH_MAX, "%s/%s", scratch, name);
	return b;
}

/* Copy the file from to to, as make install does: 0, or -1. */
static int
copy(const char *from, const char *to)
{
	char buf[8192];
	FILE *in, *out;
	size_t n;
	int r = 0;

	if ((in = fopen(from, "r")) == NULL)
		return -1;
	if ((out = fopen(to, "w")) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			r = -1;
	if (ferror(in))
		r = -1;
	fclose(in);
	if (fclose(out) != 0)
		r = -1;
	return r;
}

/*
 * HOME, files to complete (files/), and the files as installed, by each
 * binary's name, where bash-completion and fish look for them: fish's
 * copied, as make install copies it, as it reads the name it is loaded
 * by.
 */
static int
setup(void **state)
{
	static const char *const dirs[] = {
		"home", "files", "files/d", "bash", "bash/completions", "fish",
	};
	char top[PATH_MAX], bin[PATH_MAX];
	char bash[PATH_MAX + 32], fish[PATH_MAX + 32];
	struct stat sb;
	FILE *fp;

	(void)state;
	if (getcwd(top, sizeof(top)) == NULL ||
	    realpath(h_bin("spinner-thread"), bin) == NULL ||
	    mkdtemp(scratch) == NULL) {
		fprintf(stderr, "test_completion: no %s, or no scratch "
		    "folder\n", h_bin("spinner-thread"));
		return -1;
	}
	*strrchr(bin, '/') = '\0';
	snprintf(bash, sizeof(bash), "%s/completions/spinner.bash", top);
	snprintf(fish, sizeof(fish), "%s/completions/spinner.fish", top);
	if (stat(bash, &sb) != 0) {
		fprintf(stderr, "test_completion: no %s: run it from the "
		    "top of the tree\n", bash);
		return -1;
	}
	snprintf(env_home, sizeof(env_home), "HOME=%s", at("home"));
	snprintf(env_path, sizeof(env_path),
	    "PATH=%s:/usr/local/bin:/usr/bin:/bin", bin);
	snprintf(env_compl, sizeof(env_compl), "COMPL=%s/completions", top);
	snprintf(env_files, sizeof(env_files), "FILES=%s", at("files"));
	snprintf(env_scratch, sizeof(env_scratch), "SCRATCH=%s", scratch);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdir(at(dirs[i]), 0700) != 0)
			return -1;
	if ((fp = fopen(at("files/a.txt"), "w")) == NULL || fclose(fp) ||
	    (fp = fopen(at("files/b.tasks"), "w")) == NULL || fclose(fp) ||
	    symlink(bash, at("bash/completions/spinner-thread")) != 0 ||
	    symlink(bash, at("bash/completions/spinner-async")) != 0 ||
	    copy(fish, at("fish/spinner-thread.fish")) != 0 ||
	    copy(fish, at("fish/spinner-async.fish")) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_remove_tree(scratch);
	return 0;
}

/* A case in the list below. */
#define T(f) cmocka_unit_test(f)

int
main(void)
{
	const struct CMUnitTest cases[] = {
		T(test_bash_loads_the_file_for_both_names),
		T(test_bash_completion_finds_the_file_by_either_name),
		T(test_zsh_compinit_registers_the_file_for_both_names),
		T(test_fish_loads_the_file_by_either_name),
		T(test_fish_file_defines_only_the_name_it_is_installed_by),
		T(test_bash_offers_long_options_by_their_prefix),
		T(test_bash_offers_output_with_its_equals_sign_and_no_space),
		T(test_bash_offers_every_option_of_the_help_after_a_dash),
		T(test_bash_offers_the_style_names_after_dash_s),
		T(test_bash_falls_back_on_the_known_styles_without_the_binary),
		T(test_bash_offers_the_choices_of_output_animate_and_color),
		T(test_bash_offers_nothing_for_text_durations_and_numbers),
		T(test_bash_offers_files_and_stdin_for_a_task_file),
		T(test_bash_offers_commands_for_a_task),
		T(test_bash_offers_commands_after_double_dash),
		T(test_bash_offers_commands_after_an_option_without_a_value),
		T(test_bash_hands_the_words_after_command_to_its_completion),
		T(test_bash_finds_command_after_each_option_and_its_value),
		T(test_bash_completes_a_word_after_a_quote_left_open),
		T(test_bash_offers_no_command_after_tasks),
		T(test_bash_offers_options_at_an_operand_after_tasks),
		T(test_fish_offers_long_options_by_their_prefix),
		T(test_fish_offers_every_option_of_the_help_after_a_dash),
		T(test_fish_offers_the_style_names_after_dash_s),
		T(test_fish_offers_the_choices_of_output_animate_and_color),
		T(test_fish_offers_nothing_for_text_durations_and_numbers),
		T(test_fish_offers_files_and_stdin_for_a_task_file),
		T(test_fish_offers_commands_after_double_dash_and_options),
		T(test_fish_hands_the_words_after_command_to_its_completion),
		T(test_fish_finds_command_after_each_option_and_its_value),
		T(test_fish_offers_no_command_after_tasks),
		T(test_zsh_offers_options_and_their_values),
		T(test_zsh_hands_the_words_after_command_to_its_completion),
		T(test_zsh_reads_a_prefix_of_a_long_option_as_getopt_long_does),
		T(test_zsh_offers_no_command_after_tasks),
		T(test_zsh_offers_options_at_an_operand_after_tasks),
	};

	return cmocka_run_group_tests(cases, setup, teardown);
}
