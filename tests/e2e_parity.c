/*
 * Parity: spinner-thread and spinner-async, given the same explicit
 * options, must print the same stdout, leave the same final screen and
 * exit the same way, across the whole behaviour matrix.  Only the
 * demo's "spinner object:" line (a thread vs a task), elapsed times, the
 * program's name and, in --help, each binary's default interval may
 * differ, and are masked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	const char *args[16];	/* after the binary's name */
	int rows, cols;
	enum h_stdout out;
	const char *wait;	/* then send sig */
	int sig;
	bool pipes;		/* no terminal at all */
	const char *input;	/* with pipes: fed to stdin */
};

/*
 * Mask what may differ: the "spinner object: <...>" description, elapsed
 * times like "1.2s" and "2m05s", and a process's own name in messages.
 */
static void
mask(char *s)
{
	char *p;

	if (s == NULL)
		return;
	if ((p = strstr(s, "spinner object: <")) != NULL) {
		char *end = strchr(p, '\n');
		size_t keep = strlen("spinner object: <");
		if (end == NULL)
			end = p + strlen(p);
		memmove(p + keep, end, strlen(end) + 1);
	}
	/* each binary's own default interval, by design (the seeds') */
	while ((p = strstr(s, "frames (default: 0.1s)")) != NULL)
		memmove(p + 17, p + 19, strlen(p + 19) + 1);
	for (p = s; *p; p++) {
		if (p[0] >= '0' && p[0] <= '9' && (p == s || p[-1] == '(' ||
		    p[-1] == ' ')) {
			char *q = p;
			while ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'm')
				q++;
			if (*q == 's' && q[1] == ')' && strchr(p, '.') != NULL &&
			    strchr(p, '.') < q) {
				*p = 'T';
				memmove(p + 1, q, strlen(q) + 1);
			}
		}
	}
	while ((p = strstr(s, "spinner-async")) != NULL)
		memcpy(p, "spinner-XXXXX", 13);
	while ((p = strstr(s, "spinner-thread")) != NULL) {
		memcpy(p, "spinner-XXXXX", 13);
		memmove(p + 13, p + 14, strlen(p + 14) + 1);
	}
}

static void
run(const char *bin, const struct scenario *sc, struct result *r)
{
	const char *argv[20];
	size_t n = 0;

	argv[n++] = bin;
	for (size_t i = 0; sc->args[i] != NULL; i++)
		argv[n++] = sc->args[i];
	argv[n] = NULL;
	memset(r, 0, sizeof(*r));

	if (sc->pipes) {
		char *out, *err;
		size_t ol, el;
		r->status = h_pipe_run(argv, sc->input,
		    sc->input ? strlen(sc->input) : 0, &out, &ol, &err, &el,
		    NULL);
		r->stdout_data = out;
		snprintf(r->screen, sizeof(r->screen), "%s", err);
		free(err);
		mask(r->stdout_data);
		mask(r->screen);
		return;
	}

	static struct screen scr;
	struct h_proc p;
	struct h_opts o = { 0 };

	o.rows = sc->rows ? sc->rows : 24;
	o.cols = sc->cols ? sc->cols : 80;
	o.out = sc->out;
	h_start(&p, &o, argv);
	if (sc->wait != NULL) {
		assert_true(h_wait_for(&p, sc->wait, 0));
		h_kill(&p, sc->sig);
	}
	r->status = h_finish(&p);
	screen_init(&scr, o.rows, o.cols);
	if (p.tty != NULL)
		screen_feed(&scr, p.tty, p.tty_len);
	screen_text(&scr, r->screen, sizeof(r->screen));
	r->cursor_visible = scr.cursor_visible;
	r->stdout_data = p.stdout_data != NULL ? strdup(p.stdout_data) :
	    strdup("");
	mask(r->stdout_data);
	mask(r->screen);
	h_free(&p);
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
	assert_string_equal(t.stdout_data, a.stdout_data);
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

/*
 * Only the end is compared, and a demo draws at least one frame however
 * soon its work ends, so a demo that ends by itself gets 1 ms.
 */
SCENARIO(test_demo, { { "-d", "1ms", "-i", "0.05" }, .out = H_STDOUT_PIPE })
SCENARIO(test_demo_on_one_terminal, { { "-d", "1ms", "-i", "0.05" },
    .cols = 120 })
SCENARIO(test_quiet, { { "-q", "-d", "1ms", "-i", "0.05" },
    .out = H_STDOUT_PIPE })
SCENARIO(test_style_dots, { { "-s", "dots", "-d", "1ms", "-i", "0.03" },
    .out = H_STDOUT_PIPE })
SCENARIO(test_style_moon_persist, { { "-s", "moon", "-p", "-d", "1ms", "-i",
    "0.03" }, .out = H_STDOUT_PIPE })
SCENARIO(test_custom_frames, { { "-f", "ab,cd", "-m", "x", "-d", "1ms",
    "-i", "0.03" }, .out = H_STDOUT_PIPE })
SCENARIO(test_cjk_narrow_persist, { { "-p", "-m",
    "\u4f60\u597d\u4e16\u754c\u4f60\u597d\u4e16\u754c", "-d", "1ms", "-i",
    "0.05" }, .cols = 12, .out = H_STDOUT_PIPE })
SCENARIO(test_narrow_terminal, { { "-m", "a long message", "-d", "1ms", "-i",
    "0.05" }, .cols = 5, .out = H_STDOUT_PIPE })
SCENARIO(test_off_terminal, { { "-d", "1ms", "-i", "0.01" }, .pipes = true })
SCENARIO(test_off_terminal_persist, { { "-p", "-m", "job", "--", "sh", "-c",
    "exit 4" }, .pipes = true })
SCENARIO(test_bad_interval, { { "-i", "0" }, .out = H_STDOUT_PIPE,
    .cols = 200 })
SCENARIO(test_bad_option, { { "--bogus" }, .out = H_STDOUT_PIPE,
    .cols = 200 })
SCENARIO(test_bad_style, { { "-s", "nope" }, .out = H_STDOUT_PIPE,
    .cols = 200 })
SCENARIO(test_bad_frames, { { "-f", "" }, .out = H_STDOUT_PIPE,
    .cols = 200 })
SCENARIO(test_help, { { "--help" }, .pipes = true })
SCENARIO(test_list_styles, { { "--list-styles" }, .pipes = true })
SCENARIO(test_command_exit_0, { { "-i", "0.05", "--", "true" },
    .out = H_STDOUT_PIPE })
SCENARIO(test_command_exit_3_persist, { { "-p", "-m", "job", "-i", "0.05",
    "--", "sh", "-c", "echo out; echo err >&2; exit 3" } })
SCENARIO(test_command_not_executable, { { "--", "/tmp" },
    .out = H_STDOUT_PIPE })
SCENARIO(test_command_not_found, { { "--", "/no/such/command" },
    .out = H_STDOUT_PIPE })
SCENARIO(test_command_killed, { { "-i", "0.05", "--", "sh", "-c",
    "kill -USR1 $$" }, .out = H_STDOUT_PIPE })
SCENARIO(test_timeout, { { "-p", "-m", "slow", "-t", "50ms", "-i", "0.05",
    "--", "sleep", "10" }, .out = H_STDOUT_PIPE })
SCENARIO(test_output_above_spinner, { { "-i", "0.02", "--", "sh", "-c",
    "for i in 1 2 3 4 5 6; do echo line $i; done; printf 'partial '; "
    "echo end" } })
SCENARIO(test_pipeline_bytes, { { "-m", "copying", "--", "cat" },
    .pipes = true, .input = "line one\nline two\n\x01\x02\xff binary\n" })
SCENARIO(test_sigterm_in_demo, { { "-d", "30", "-i", "0.05" },
    .out = H_STDOUT_PIPE, .wait = "| thinking!", .sig = SIGTERM })
SCENARIO(test_sighup_in_demo_persist, { { "-p", "-d", "30", "-i", "0.05" },
    .out = H_STDOUT_PIPE, .wait = "| thinking!", .sig = SIGHUP })
SCENARIO(test_sigterm_forwarded_to_command, { { "-i", "0.05", "--", "sh",
    "-c", "trap 'echo got TERM; exit 9' TERM; echo ready >&2; "
    "exec 2>/dev/null; while :; do sleep 0.05; done" },
    .out = H_STDOUT_PIPE,
    .wait = "ready", .sig = SIGTERM })
SCENARIO(test_output_failed_persist, { { "--output=failed", "-p", "-m",
    "job", "-i", "0.05", "--", "sh", "-c", "echo out; echo err >&2; exit 3" },
    .out = H_STDOUT_PTY })
SCENARIO(test_output_all_off_terminal, { { "--output=all", "-p", "-m", "job",
    "--", "sh", "-c", "echo out; echo err >&2" }, .pipes = true })
SCENARIO(test_messages_persist, { { "--messages", "-p", "-m", "job", "-i",
    "0.05", "--", "sh", "-c", "echo step >&$SPINNER_MESSAGE_FD; echo out" } })

/*
 * Every scenario runs natively and built with sanitizers.  Under valgrind
 * a run of a binary costs about half a second of CPU before it does
 * anything, and e2e_thread and e2e_async already take both binaries
 * through these ways under valgrind, so there only the VG scenarios run:
 * the ones with input those suites do not give (a named style of wide
 * frames, custom frames, a --persist line fitted to a narrow terminal,
 * --persist after a signal in the demo).  The rest are reported skipped.
 */
#define VG(f) cmocka_unit_test(f)
#define NO_VG(f) cmocka_unit_test_prestate(f, &no_valgrind)
static const struct CMUnitTest cases[] = {
	NO_VG(test_demo),
	NO_VG(test_demo_on_one_terminal),
	NO_VG(test_quiet),
	NO_VG(test_style_dots),
	VG(test_style_moon_persist),
	VG(test_custom_frames),
	VG(test_cjk_narrow_persist),
	NO_VG(test_narrow_terminal),
	NO_VG(test_off_terminal),
	NO_VG(test_off_terminal_persist),
	NO_VG(test_bad_interval),
	NO_VG(test_bad_option),
	NO_VG(test_bad_style),
	NO_VG(test_bad_frames),
	NO_VG(test_help),
	NO_VG(test_list_styles),
	NO_VG(test_command_exit_0),
	NO_VG(test_command_exit_3_persist),
	NO_VG(test_command_not_executable),
	NO_VG(test_command_not_found),
	NO_VG(test_command_killed),
	NO_VG(test_timeout),
	NO_VG(test_output_above_spinner),
	NO_VG(test_pipeline_bytes),
	NO_VG(test_sigterm_in_demo),
	VG(test_sighup_in_demo_persist),
	NO_VG(test_sigterm_forwarded_to_command),
	NO_VG(test_messages_persist),
	NO_VG(test_output_failed_persist),
	NO_VG(test_output_all_off_terminal),
};

int
main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(cases, NULL, NULL);
}
