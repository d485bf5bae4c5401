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
		(void)state; \
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
    "while :; do sleep 0.05; done" }, .out = H_STDOUT_PIPE,
    .wait = "ready", .sig = SIGTERM })

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_demo_on_one_terminal),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_style_dots),
		cmocka_unit_test(test_style_moon_persist),
		cmocka_unit_test(test_custom_frames),
		cmocka_unit_test(test_cjk_narrow_persist),
		cmocka_unit_test(test_narrow_terminal),
		cmocka_unit_test(test_off_terminal),
		cmocka_unit_test(test_off_terminal_persist),
		cmocka_unit_test(test_bad_interval),
		cmocka_unit_test(test_bad_option),
		cmocka_unit_test(test_bad_style),
		cmocka_unit_test(test_bad_frames),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_list_styles),
		cmocka_unit_test(test_command_exit_0),
		cmocka_unit_test(test_command_exit_3_persist),
		cmocka_unit_test(test_command_not_executable),
		cmocka_unit_test(test_command_not_found),
		cmocka_unit_test(test_command_killed),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_output_above_spinner),
		cmocka_unit_test(test_pipeline_bytes),
		cmocka_unit_test(test_sigterm_in_demo),
		cmocka_unit_test(test_sighup_in_demo_persist),
		cmocka_unit_test(test_sigterm_forwarded_to_command),
	};
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
