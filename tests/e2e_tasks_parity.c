/*
 * Parity of many commands at once (-c, -T): spinner-thread and
 * spinner-async, given the same tasks and options, must leave the same
 * final screen, write the same log off a terminal, print nothing on
 * stdout and exit the same way.  Elapsed times and the program's name
 * may differ, and are masked.  Where tasks run side by side and finish
 * in any order, the log's lines are compared sorted.
 *
 * The tests run in a scratch folder of their own, where main() writes
 * the task files and the gates (fifos, held open here, that one task
 * writes a line to and another waits on), so the scenarios can name them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "screen.h"

struct result {
	int status;
	char *stdout_data;
	char screen[SCREEN_ROWS * SCREEN_COLS * 4];
	bool cursor_visible;
};

struct scenario {
	const char *args[20];	/* after the binary's name */
	int rows, cols;
	const char *wait;	/* then type keys */
	const char *keys;
	bool pipes;		/* no terminal at all */
	const char *input;	/* with pipes: fed to stdin */
	size_t input_len;	/* its length, when it holds a NUL */
	const char *env[4];	/* with pipes: "NAME=value" */
	bool sorted;		/* compare the log's lines in any order */
};

/* The program's name, in its messages. */
static void
mask_names(char *s)
{
	char *p;

	while ((p = strstr(s, "spinner-async")) != NULL)
		memcpy(p, "spinner-XXXXX", 13);
	while ((p = strstr(s, "spinner-thread")) != NULL) {
		memcpy(p, "spinner-XXXXX", 13);
		memmove(p + 13, p + 14, strlen(p + 14) + 1);
	}
}

static int
by_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* s's lines in order, in place. */
static void
sort_lines(char *s, size_t size)
{
	char *copy = strdup(s), *lines[4096], *save = NULL;
	size_t n = 0, used = 0;

	for (char *l = strtok_r(copy, "\n", &save); l != NULL && n < 4096;
	    l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	qsort(lines, n, sizeof(lines[0]), by_line);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(s + used, size - used, "%s\n",
		    lines[i]);
	free(copy);
}

static void
run(const char *bin, const struct scenario *sc, struct result *r)
{
	const char *argv[24];
	size_t n = 0;

	argv[n++] = bin;
	for (size_t i = 0; sc->args[i] != NULL; i++)
		argv[n++] = sc->args[i];
	argv[n] = NULL;
	memset(r, 0, sizeof(*r));

	if (sc->pipes) {
		char *out, *err;
		size_t ol, el;

		r->status = h_pipe_run(argv, sc->input, sc->input_len > 0 ?
		    sc->input_len : sc->input != NULL ? strlen(sc->input) : 0,
		    &out, &ol, &err, &el, sc->env);
		r->stdout_data = out;
		snprintf(r->screen, sizeof(r->screen), "%s", err);
		free(err);
	} else {
		static struct screen scr;
		struct h_proc p;
		struct h_opts o = { 0 };

		o.rows = sc->rows ? sc->rows : 24;
		o.cols = sc->cols ? sc->cols : 80;
		o.out = H_STDOUT_PIPE;
		h_start(&p, &o, argv);
		if (sc->wait != NULL) {
			assert_true(h_wait_for(&p, sc->wait, 0));
			h_type(&p, sc->keys);
		}
		r->status = h_finish(&p);
		screen_init(&scr, o.rows, o.cols);
		if (p.tty != NULL)
			screen_feed(&scr, p.tty, p.tty_len);
		screen_text(&scr, r->screen, sizeof(r->screen));
		r->cursor_visible = scr.cursor_visible;
		r->stdout_data = strdup(p.stdout_data != NULL ?
		    p.stdout_data : "");
		h_free(&p);
	}
	h_mask_times(r->screen);
	mask_names(r->screen);
	if (sc->sorted)
		sort_lines(r->screen, sizeof(r->screen));
}

/* The state main() gives the scenarios that do not run under valgrind. */
static int no_valgrind;

/* Each scenario begins here; see main() for those valgrind skips. */
static void
begin(void **state)
{
	if (*state == &no_valgrind && getenv("SPINNER_WRAP") != NULL)
		skip();
}

static void
same(const struct scenario *sc)
{
	static struct result t, a;

	run("spinner-thread", sc, &t);
	run("spinner-async", sc, &a);
	assert_int_equal(t.status, a.status);
	assert_string_equal(t.stdout_data, "");
	assert_string_equal(a.stdout_data, "");
	assert_string_equal(t.screen, a.screen);
	assert_int_equal(t.cursor_visible, a.cursor_visible);
	free(t.stdout_data);
	free(a.stdout_data);
}

#define SCENARIO(name, ...) \
	static void name(void **state) \
	{ \
		static const struct scenario sc = __VA_ARGS__; \
		begin(state); \
		same(&sc); \
	}

/* On the terminal: the final screens. */
SCENARIO(test_tty_every_kind_of_verdict, { { "-i", "0.1", "-j", "1", "-t",
    "0.5", "-k", "0.2", "-T", "kinds.tasks" } })
SCENARIO(test_tty_output_all, { { "-i", "0.05", "-j", "1", "--output=all",
    "-T", "blocks.tasks" } })
SCENARIO(test_tty_output_failed_narrow, { { "-i", "0.05", "-j", "1", "-T",
    "blocks.tasks", "-c", "echo a long name for a narrow terminal; "
    "exit 1" }, .cols = 30 })
SCENARIO(test_tty_fail_fast, { { "-i", "0.05", "-j", "2", "--fail-fast",
    "-T", "ff.tasks" } })
SCENARIO(test_tty_ctrl_c, { { "-i", "0.05", "-j", "1", "-k", "0.2", "-T",
    "ctrlc.tasks" }, .wait = "ready", .keys = "\x03" })
SCENARIO(test_tty_short_terminal, { { "-i", "0.05", "-j", "1", "-c",
    "true", "-c", "exit 3", "-c", "true" }, .rows = 3, .cols = 40 })

/* Off a terminal: the logs. */
SCENARIO(test_log_utf8, { { "-j", "1", "-T", "blocks.tasks" },
    .pipes = true })
SCENARIO(test_log_c_locale, { { "-j", "1", "-T", "blocks.tasks" },
    .pipes = true, .env = { "LC_ALL=C" } })
SCENARIO(test_log_output_all, { { "-j", "1", "--output=all", "-T",
    "blocks.tasks" }, .pipes = true })
SCENARIO(test_log_output_none, { { "-j", "1", "--output=none", "-T",
    "blocks.tasks" }, .pipes = true })
SCENARIO(test_log_kinds, { { "-j", "1", "-t", "0.5", "-k", "0.2", "-T",
    "kinds.tasks" }, .pipes = true })
SCENARIO(test_log_fail_fast, { { "-j", "2", "--fail-fast", "-T",
    "ff.tasks" }, .pipes = true })
SCENARIO(test_log_tasks_from_stdin, { { "-j", "1", "-c", "echo first",
    "-T", "-" }, .pipes = true, .input = "# from stdin\n"
    "one\techo 1\ntwo\texit 2\nprintf three\n" })
SCENARIO(test_log_many_at_once, { { "-j", "0", "--output=all", "-T",
    "many.tasks" }, .pipes = true, .sorted = true })
SCENARIO(test_log_many_two_at_a_time, { { "-j", "2", "-T", "many.tasks",
    "-c", "exit 9" }, .pipes = true, .sorted = true })

/* Bad input: the same line, the same status. */
SCENARIO(test_bad_jobs, { { "-j", "abc", "-c", "true" }, .pipes = true })
SCENARIO(test_bad_output, { { "--output=bogus", "-c", "true" },
    .pipes = true })
SCENARIO(test_bad_output_live, { { "--output=live", "-c", "true" },
    .pipes = true })
SCENARIO(test_bad_jobs_without_tasks, { { "-j", "2" }, .pipes = true })
SCENARIO(test_bad_tasks_and_command, { { "-c", "true", "--", "true" },
    .pipes = true })
SCENARIO(test_bad_no_such_file, { { "-T", "/nonexistent" }, .pipes = true })
SCENARIO(test_bad_name_without_command, { { "-T", "tab.tasks" },
    .pipes = true })
SCENARIO(test_bad_nul_byte, { { "-T", "nul.tasks" }, .pipes = true })
SCENARIO(test_bad_nul_byte_on_stdin, { { "-T", "-" }, .pipes = true,
    .input = "ok\ttrue\nb\0c\n", .input_len = 12 })

/* The scenarios' files, in the current folder. */
static void
put(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0)
		abort();
}

static void
puts_file(const char *path, const char *s)
{
	put(path, s, strlen(s));
}

static char dir[] = "/tmp/spinner-e2e-tasks-parity-XXXXXX";
static int ff_gate = -1;

static void
setup_folder(void)
{
	char build[PATH_MAX], many[50 * 32];
	const char *b = getenv("SPINNER_BUILD");
	size_t n = 0;

	/* the binaries by a path that does not depend on the folder */
	if (realpath(b != NULL ? b : "build", build) == NULL ||
	    setenv("SPINNER_BUILD", build, 1) != 0 ||
	    mkdtemp(dir) == NULL || chdir(dir) != 0)
		abort();
	puts_file("kinds.tasks",
	    "ok\ttrue\n"
	    "exit\texit 2\n"
	    "segv\tulimit -c 0; kill -SEGV $$\n"
	    "killed\tkill -KILL $$\n"
	    "slow\ttrap '' TERM; sleep 100\n");
	puts_file("blocks.tasks",
	    "quiet\techo dropped\n"
	    "loud\techo line1; echo line2 >&2; exit 1\n"
	    "partial\tprintf no-newline; exit 2\n"
	    "silent\texit 3\n"
	    "fine\techo fine\n");
	/* bad fails once slow is under way, and two wait their turn */
	if (mkfifo("ff.gate", 0600) != 0 ||
	    (ff_gate = open("ff.gate", O_RDWR | O_CLOEXEC)) < 0)
		abort();
	puts_file("ff.tasks",
	    "slow\techo slow-out; echo go > ff.gate; exec sleep 100\n"
	    "bad\tread x < ff.gate; exit 4\n"
	    "w1\ttrue\n"
	    "w2\ttrue\n");
	puts_file("ctrlc.tasks",
	    "family\tsleep 100 & sleep 100 & echo ready; wait\n"
	    "later\ttrue\n");
	for (int i = 1; i <= 50; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n,
		    "t%02d\techo %d\n", i, i);
	puts_file("many.tasks", many);
	puts_file("tab.tasks", "fine\ttrue\nname\t\n");
	put("nul.tasks", "a\ttrue\nb\0c\n", 11);
}

static void
remove_folder(void)
{
	if (ff_gate >= 0)
		close(ff_gate);
	if (chdir("/") == 0)
		h_remove_tree(dir);
}

/*
 * Every scenario runs natively and built with sanitizers.  Under valgrind
 * a run of a binary costs about half a second of CPU before it does
 * anything, and e2e_tasks_thread and e2e_tasks_async take both binaries
 * through these ways under valgrind, so there only the VG scenario runs:
 * the one with input those suites do not give there (tasks from stdin,
 * after -c).  The rest are reported skipped.
 */
#define VG(f) cmocka_unit_test(f)
#define NO_VG(f) cmocka_unit_test_prestate(f, &no_valgrind)
static const struct CMUnitTest cases[] = {
	NO_VG(test_tty_every_kind_of_verdict),
	NO_VG(test_tty_output_all),
	NO_VG(test_tty_output_failed_narrow),
	NO_VG(test_tty_fail_fast),
	NO_VG(test_tty_ctrl_c),
	NO_VG(test_tty_short_terminal),
	NO_VG(test_log_utf8),
	NO_VG(test_log_c_locale),
	NO_VG(test_log_output_all),
	NO_VG(test_log_output_none),
	NO_VG(test_log_kinds),
	NO_VG(test_log_fail_fast),
	VG(test_log_tasks_from_stdin),
	NO_VG(test_log_many_at_once),
	NO_VG(test_log_many_two_at_a_time),
	NO_VG(test_bad_jobs),
	NO_VG(test_bad_output),
	NO_VG(test_bad_output_live),
	NO_VG(test_bad_jobs_without_tasks),
	NO_VG(test_bad_tasks_and_command),
	NO_VG(test_bad_no_such_file),
	NO_VG(test_bad_name_without_command),
	NO_VG(test_bad_nul_byte),
	NO_VG(test_bad_nul_byte_on_stdin),
};

int
main(void)
{
	int rc;

	setlocale(LC_CTYPE, "C.UTF-8");
	setup_folder();
	if (getenv("E2E_ONLY") != NULL)	/* a pattern: run those alone */
		cmocka_set_test_filter(getenv("E2E_ONLY"));
	rc = cmocka_run_group_tests(cases, NULL, NULL);
	remove_folder();
	return rc;
}
