/*
 * The engine's rules, one test each, with the clock, kill, waitpid,
 * COMMAND and suspend faked (tests/fakes.c): nothing here forks, sleeps
 * or stops.  The terminal is a pipe whose bytes are replayed on a screen
 * model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "exitcodes.h"
#include "fakes.h"
#include "screen.h"


static struct spin_opts opts;
static struct engine eng;
static int term[2];		/* the terminal the engine draws on */
static char got[65536];
static size_t got_len;

static void
parse(const char *first, ...)
{
	static char *argv[32];
	int argc = 0;
	char err[256];
	va_list ap;

	argv[argc++] = (char *)"spinner";
	va_start(ap, first);
	for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	assert_int_equal(options_parse(&opts, argc, argv,
	    100 * FAKE_MS, err, sizeof(err)), OPTIONS_RUN);
}

/* Start a run of the options parsed, drawing on the pipe. */
static void
start(bool animate)
{
	sigset_t none;

	sigemptyset(&none);
	engine_init(&eng, &opts, NULL);
	if (eng.tty.own)
		close(eng.tty.fd);
	eng.tty.own = false;
	eng.tty.fd = term[1];
	eng.animate = animate;
	eng.color = false;	/* whatever stderr and the environment say */
	eng.line.cols = 80;
	engine_start(&eng, &none, &none);
}

/* Everything written to the terminal so far. */
static const char *
terminal(void)
{
	ssize_t n;

	while ((n = read(term[0], got + got_len,
	    sizeof(got) - 1 - got_len)) > 0)
		got_len += (size_t)n;
	got[got_len] = '\0';
	return got;
}

/* What a person sees on row r at the end of what was written. */
static const char *
screen_line(int r)
{
	static struct screen scr;
	static char row[1024];

	terminal();
	screen_init(&scr, 5, 80);
	screen_feed(&scr, got, got_len);
	return screen_row(&scr, r, row, sizeof(row));
}

/* COMMAND's pty has output (or its end) to read. */
static void
output_ready(void)
{
	engine_ready(&eng, eng.cmd.relay, POLLIN);
}

/* Whether the engine waits on COMMAND's pty. */
static bool
watches_output(void)
{
	struct engine_watch w[ENGINE_WATCH_MAX];
	size_t n = engine_watches(&eng, w);

	for (size_t i = 0; i < n; i++)
		if (w[i].fd == eng.cmd.relay && (w[i].events & POLLIN))
			return true;
	return false;
}

static void
advance(int64_t ms)
{
	fake.now += ms * FAKE_MS;
	engine_tick(&eng);
}

/* COMMAND ends with wait status st, and SIGCHLD says so. */
static void
command_ends(int st)
{
	fake.exited = true;
	fake.status = st;
	engine_signal(&eng, SIGCHLD);
}

/* engine_end() with stdout to /dev/null; the status, or 128+N. */
static int
end(void)
{
	int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
	volatile int rc;

	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	close(null);
	if (setjmp(fake.reraise_jmp) == 0)
		rc = engine_end(&eng, 42);
	else
		rc = 128 + fake.reraised;
	fflush(stdout);
	clearerr(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	fake_reset();
	got_len = 0;
	got[0] = '\0';
	if (pipe(term) != 0)
		return -1;
	fcntl(term[0], F_SETFL, O_NONBLOCK);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(term[0]);
	close(term[1]);
	return 0;
}

static void
test_demo_ends_at_its_delay_with_the_answer(void **state)
{
	(void)state;
	parse("-d", "3", NULL);
	start(false);
	assert_int_equal(engine_deadline(&eng), fake.now + 3000 * FAKE_MS);
	advance(2999);
	assert_false(engine_done(&eng));
	advance(1);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), 0);
}

static void
test_demo_timeout_due_with_its_end_wins_in_both_orders(void **state)
{
	(void)state;
	parse("-q", "-t", "0.2", "-d", "0.2", NULL);
	start(false);
	advance(200);
	assert_int_equal(end(), EXIT_TIMEDOUT);

	/* a wake-up long after both deadlines resolves the same way */
	fake_reset();
	start(false);
	advance(5000);
	assert_int_equal(end(), EXIT_TIMEDOUT);
}

static void
test_demo_timeout_after_its_end_does_not_fire(void **state)
{
	(void)state;
	parse("-q", "-t", "0.3", "-d", "0.2", NULL);
	start(false);
	advance(1000);
	assert_int_equal(end(), 0);
}

static void
test_command_status_is_its_exit_status(void **state)
{
	(void)state;
	parse("--", "x", NULL);
	start(false);
	assert_false(engine_done(&eng));
	assert_int_equal(engine_deadline(&eng), ENGINE_NEVER);
	command_ends(3 << 8);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), 3);
	assert_int_equal(fake.nsent, 0);
}

static void
test_sigchld_before_command_ends_changes_nothing(void **state)
{
	(void)state;
	parse("--", "x", NULL);
	start(false);
	engine_signal(&eng, SIGCHLD);
	assert_false(engine_done(&eng));
}

static void
test_command_that_cannot_start_ends_the_run_with_its_status(void **state)
{
	(void)state;
	fake.start_rc = EXIT_ENOENT;
	parse("-p", "-m", "build", "--", "nosuch", NULL);
	start(true);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), EXIT_ENOENT);
	assert_string_equal(screen_line(0), "\u2716 build (exit 127, 0.0s)");
}

static void
test_timeout_sends_term_then_kill_after_kill_after(void **state)
{
	(void)state;
	parse("-t", "1", "-k", "2", "--", "x", NULL);
	start(false);
	assert_int_equal(engine_deadline(&eng), fake.now + 1000 * FAKE_MS);
	advance(999);
	assert_int_equal(fake.nsent, 0);
	advance(1);
	assert_int_equal(fake_sent(SIGTERM), 1);
	assert_int_equal(engine_deadline(&eng), fake.now + 2000 * FAKE_MS);
	advance(1999);
	assert_int_equal(fake_sent(SIGKILL), 0);
	advance(1);
	assert_int_equal(fake_sent(SIGKILL), 1);
	engine_signal(&eng, SIGCHLD);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), EXIT_TIMEDOUT);
	assert_int_equal(fake.nsent, 3);	/* TERM, CONT (if stopped), KILL */
	assert_int_equal(fake.to_group, 3);
}

static void
test_command_gone_before_kill_after_is_never_killed(void **state)
{
	(void)state;
	parse("-t", "1", "--", "x", NULL);
	start(false);
	advance(1000);
	command_ends(SIGTERM);
	assert_true(engine_done(&eng));
	advance(60000);
	assert_int_equal(fake_sent(SIGKILL), 0);
	assert_int_equal(end(), EXIT_TIMEDOUT);
}

static void
test_reaped_command_is_never_signalled_again(void **state)
{
	(void)state;
	fake.relay = open("/dev/null", O_RDONLY);
	parse("-t", "1", "--", "x", NULL);
	start(false);
	command_ends(0);
	engine_signal(&eng, SIGTSTP);
	engine_signal(&eng, SIGTERM);
	advance(1000);
	assert_int_equal(fake.nsent, 0);
	assert_int_equal(end(), 0);
}

static void
test_output_is_printed_above_the_frame(void **state)
{
	(void)state;
	fake.relay = open("/dev/null", O_RDONLY);
	parse("-m", "wait", "--", "x", NULL);
	start(true);
	engine_draw(&eng, 0);
	fake.output = "hello\r\n";
	output_ready();
	assert_string_equal(screen_line(0), "hello");
	assert_string_equal(screen_line(1), "| wait");
	engine_wipe(&eng);
	assert_string_equal(screen_line(1), "");
}

static void
test_output_ending_after_command_ends_the_run_at_once(void **state)
{
	(void)state;
	fake.relay = open("/dev/null", O_RDONLY);
	parse("--", "x", NULL);
	start(false);
	fake.output_eof = true;
	output_ready();
	assert_false(watches_output());
	assert_false(engine_done(&eng));	/* COMMAND's end decides */
	command_ends(0);
	assert_true(engine_done(&eng));
	assert_false(watches_output());
	assert_int_equal(end(), 0);
}

static void
test_command_end_reads_what_is_there_and_waits_for_no_writer(void **state)
{
	(void)state;
	fake.relay = open("/dev/null", O_RDONLY);
	parse("-m", "m", "--", "x", NULL);
	start(true);
	engine_draw(&eng, 0);
	fake.output = "last words\r\n";
	command_ends(3 << 8);
	assert_true(engine_done(&eng));
	assert_string_equal(screen_line(0), "last words");
	/* a writer it left behind that never stops changes nothing */
	fake_reset();
	fake.relay = open("/dev/null", O_RDONLY);
	start(false);
	fake.output = "tick\r\n";
	fake.output_forever = true;
	command_ends(3 << 8);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), 3);
}

static void
test_timeout_kills_what_command_left_at_kill_after(void **state)
{
	(void)state;
	parse("-t", "1", "-k", "2", "--", "x", NULL);
	start(false);
	advance(1000);
	fake.group_alive = true;	/* a child ignored SIGTERM */
	command_ends(SIGTERM);
	assert_false(engine_done(&eng));
	assert_int_equal(engine_deadline(&eng), fake.now + 2000 * FAKE_MS);
	advance(2000);
	assert_int_equal(fake_sent(SIGKILL), 1);
	assert_false(engine_done(&eng));	/* until the group is gone */
	fake.group_alive = false;
	engine_signal(&eng, SIGCHLD);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), EXIT_TIMEDOUT);
}

static void
test_a_group_sigkill_cannot_end_is_left_after_a_while(void **state)
{
	(void)state;
	parse("-t", "1", "-k", "2", "--", "x", NULL);
	start(false);
	advance(1000);
	fake.group_alive = true;
	command_ends(SIGTERM);
	advance(2000);
	assert_false(engine_done(&eng));
	int64_t until = engine_deadline(&eng);
	assert_true(until > fake.now && until != ENGINE_NEVER);
	fake.now = until;
	engine_tick(&eng);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), EXIT_TIMEDOUT);
}

static void
test_a_group_gone_by_kill_after_is_not_signalled(void **state)
{
	(void)state;
	parse("-t", "1", "-k", "2", "--", "x", NULL);
	start(false);
	advance(1000);
	fake.group_alive = true;	/* a child ignored SIGTERM */
	command_ends(SIGTERM);
	/* it died and was reaped unseen: the group's number is free, and
	 * may be a stranger's by now */
	fake.group_alive = false;
	advance(2000);
	assert_int_equal(fake_sent(SIGKILL), 0);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), EXIT_TIMEDOUT);
}

static void
test_fatal_signal_while_the_group_lingers_kills_it_and_ends(void **state)
{
	(void)state;
	parse("-t", "1", "--", "x", NULL);
	start(false);
	advance(1000);
	fake.group_alive = true;
	command_ends(SIGTERM);
	engine_signal(&eng, SIGINT);
	assert_int_equal(fake_sent(SIGKILL), 1);
	assert_int_equal(end(), 128 + SIGINT);
}

static void
test_fatal_signal_from_a_process_is_passed_to_command(void **state)
{
	(void)state;
	parse("--", "x", NULL);
	start(false);
	engine_signal(&eng, SIGTERM);
	assert_int_equal(fake_sent(SIGTERM), 1);
	assert_false(engine_done(&eng));	/* COMMAND's end decides */
	command_ends(SIGTERM);
	assert_int_equal(end(), 128 + SIGTERM);
}

static void
test_fatal_signal_from_the_terminal_is_passed_to_command_too(void **state)
{
	(void)state;
	/* COMMAND is in a group of its own: the terminal reached only us */
	parse("--", "x", NULL);
	start(false);
	engine_signal(&eng, SIGINT);
	assert_int_equal(fake_sent(SIGINT), 1);
	assert_int_equal(fake.to_group, 2);	/* and SIGCONT */
	assert_false(engine_done(&eng));
	command_ends(0);	/* COMMAND caught ^C and exited 0 */
	assert_int_equal(end(), 0);
}

static void
test_fatal_signal_in_the_demo_is_reraised_after_the_wipe(void **state)
{
	(void)state;
	parse("-d", "60", NULL);
	start(true);
	engine_draw(&eng, 0);
	engine_signal(&eng, SIGHUP);
	assert_true(engine_done(&eng));
	engine_wipe(&eng);
	assert_int_equal(end(), 128 + SIGHUP);
	assert_string_equal(screen_line(0), "");
	assert_non_null(strstr(terminal(), "\033[?25h"));
}

static void
test_signals_after_the_end_change_nothing(void **state)
{
	(void)state;
	parse("--", "x", NULL);
	start(false);
	command_ends(5 << 8);
	engine_signal(&eng, SIGTERM);
	assert_int_equal(end(), 5);
}

/* What the spin task draws while the process is stopped. */
static void
draw_while_stopped(void)
{
	size_t before = strlen(terminal());

	engine_draw(&eng, 3);
	terminal();
	assert_int_equal(got_len, before);
}

static void
test_suspend_wipes_stops_and_redraws_on_resume(void **state)
{
	(void)state;
	parse("-m", "wait", "--", "x", NULL);
	start(true);
	engine_draw(&eng, 1);
	assert_string_equal(screen_line(0), "/ wait");
	fake.while_stopped = draw_while_stopped;
	engine_signal(&eng, SIGTSTP);
	assert_int_equal(fake.suspends, 1);
	/* COMMAND's group is stopped with us and continued with us */
	assert_int_equal(fake_sent(SIGTSTP), 1);
	assert_int_equal(fake_sent(SIGCONT), 1);
	assert_false(fake.suspended_job);
	assert_string_equal(screen_line(0), "/ wait");
	assert_false(eng.paused);
}

static void
test_suspend_sent_by_a_process_stops_command_too(void **state)
{
	(void)state;
	parse("--", "x", NULL);
	start(false);
	engine_signal(&eng, SIGTSTP);
	assert_int_equal(fake_sent(SIGTSTP), 1);
	assert_int_equal(fake_sent(SIGCONT), 1);
	assert_true(fake.sent[0] == SIGTSTP && fake.sent[1] == SIGCONT);
}

/* COMMAND stops by sig, and SIGCHLD says so. */
static void
command_stops(int sig)
{
	fake.stop_sig = sig;
	engine_signal(&eng, SIGCHLD);
}

static void
test_command_reading_the_terminal_is_given_it(void **state)
{
	(void)state;
	fake.ctty = open("/dev/null", O_RDWR);
	parse("-m", "wait", "--", "x", NULL);
	start(true);
	engine_draw(&eng, 0);
	command_stops(SIGTTIN);
	assert_int_equal(fake.foreground, FAKE_PID);
	assert_int_equal(fake_sent(SIGCONT), 1);
	assert_string_equal(screen_line(0), "");	/* the frame went */
	assert_false(engine_done(&eng));
	command_ends(0);
	assert_int_equal(end(), 0);
	assert_int_equal(fake.foreground, getpgrp());	/* given back */
}

static void
test_ctrl_z_while_command_holds_the_terminal_stops_the_job(void **state)
{
	(void)state;
	fake.ctty = open("/dev/null", O_RDWR);
	parse("--", "x", NULL);
	start(false);
	command_stops(SIGTTOU);
	command_stops(SIGTSTP);		/* ^Z went to COMMAND's group */
	assert_int_equal(fake.suspends, 1);
	assert_true(fake.suspended_job);	/* the rest of the job too */
	assert_int_equal(fake.foreground, FAKE_PID);	/* back after fg */
	assert_int_equal(fake_sent(SIGCONT), 2);
	assert_false(engine_done(&eng));
}

/* While stopped: first the shell has the terminal (bg), then we (fg). */
static int stops_seen;
static void
bg_then_fg(void)
{
	fake.foreground = ++stops_seen == 1 ? 1 : getpgrp();
}

static void
test_ctrl_z_bg_then_fg_gives_command_the_terminal_again(void **state)
{
	(void)state;
	fake.ctty = open("/dev/null", O_RDWR);
	parse("--", "x", NULL);
	start(false);
	command_stops(SIGTTIN);			/* handed */
	int conts = fake_sent(SIGCONT);
	stops_seen = 0;
	fake.while_stopped = bg_then_fg;
	command_stops(SIGTSTP);			/* ^Z; bg */
	assert_true(eng.behind);
	assert_true(engine_deadline(&eng) <= fake.now);
	engine_tick(&eng);			/* stop again; fg */
	/* continued behind the shell, we stopped again as a reader of the
	 * terminal would, and fg brought us and COMMAND back */
	assert_false(eng.behind);
	assert_int_equal(fake.suspends, 2);
	assert_int_equal(fake.stop_sigs[1], SIGTSTP);
	assert_int_equal(fake.stop_sigs[2], SIGTTIN);
	assert_int_equal(fake.foreground, FAKE_PID);
	assert_int_equal(fake_sent(SIGCONT), conts + 1);
}

static void
test_kill_of_a_job_stopped_behind_the_shell_reaches_command(void **state)
{
	(void)state;
	fake.ctty = open("/dev/null", O_RDWR);
	parse("--", "x", NULL);
	start(false);
	command_stops(SIGTTIN);			/* handed */
	stops_seen = 0;
	fake.while_stopped = bg_then_fg;	/* only the bg happens */
	command_stops(SIGTSTP);			/* ^Z, then kill %1 */
	assert_true(eng.behind);
	engine_signal(&eng, SIGTERM);		/* it came with the SIGCONT */
	assert_false(eng.behind);		/* COMMAND goes on to meet it */
	engine_tick(&eng);
	assert_int_equal(fake.suspends, 1);	/* no stop again */
	assert_int_equal(fake_sent(SIGTERM), 1);
}

static void
test_bg_lets_a_pipelines_command_go_on_behind(void **state)
{
	(void)state;
	fake.ctty = open("/dev/null", O_RDWR);
	parse("--", "x", NULL);
	start(true);
	stops_seen = 0;
	fake.while_stopped = bg_then_fg;	/* only the bg happens */
	engine_signal(&eng, SIGTSTP);
	assert_int_equal(fake.suspends, 1);
	assert_int_equal(fake_sent(SIGTSTP), 1);
	assert_int_equal(fake_sent(SIGCONT), 1);	/* goes on behind */
	assert_false(eng.paused);	/* frames again once in front */
}

static void
test_fatal_signal_reaches_a_stopped_command(void **state)
{
	(void)state;
	parse("--", "x", NULL);
	start(false);
	engine_signal(&eng, SIGTERM);		/* kill %1: TERM, then CONT */
	assert_int_equal(fake_sent(SIGTERM), 1);
	assert_int_equal(fake_sent(SIGCONT), 1);
}

static void
test_ctrl_z_to_us_while_command_holds_the_terminal_resumes_it(void **state)
{
	(void)state;
	fake.ctty = open("/dev/null", O_RDWR);
	parse("--", "x", NULL);
	start(false);
	command_stops(SIGTTIN);			/* handed */
	int conts = fake_sent(SIGCONT);
	engine_signal(&eng, SIGTSTP);		/* ^Z reached us first */
	assert_int_equal(fake_sent(SIGTSTP), 1);
	assert_int_equal(fake.suspends, 1);
	assert_int_equal(fake.foreground, FAKE_PID);	/* it has it again */
	assert_int_equal(fake_sent(SIGCONT), conts + 1);
}

static void
test_ending_in_the_background_leaves_the_terminal_to_the_shell(void **state)
{
	(void)state;
	fake.ctty = open("/dev/null", O_RDWR);
	parse("--", "x", NULL);
	start(false);
	command_stops(SIGTTIN);			/* handed */
	fake.foreground = 1;			/* the shell's, after bg */
	command_ends(0);
	assert_int_equal(end(), 0);
	assert_int_equal(fake.foreground, 1);
}

/* While stopped, fg brought us to the front. */
static void
fg_now(void)
{
	fake.foreground = getpgrp();
}

static void
test_command_stopped_for_the_terminal_behind_us_waits_for_fg(void **state)
{
	(void)state;
	fake.ctty = open("/dev/null", O_RDWR);
	parse("--", "x", NULL);
	start(false);
	fake.foreground = 1;			/* we are in the background */
	fake.while_stopped = fg_now;
	command_stops(SIGTTIN);
	assert_int_equal(fake.foreground, 1);	/* not taken from the shell */
	engine_tick(&eng);
	/* we stopped as the reader would have; on fg COMMAND goes on, and
	 * asking again for the terminal, gets it */
	assert_int_equal(fake.suspends, 1);
	assert_int_equal(fake.stop_sigs[1], SIGTTIN);
	assert_true(fake.suspended_job);
	command_stops(SIGTTIN);
	assert_int_equal(fake.foreground, FAKE_PID);
	assert_int_equal(fake_sent(SIGCONT), 2);
}

static void
test_hung_up_terminal_is_no_longer_read(void **state)
{
	struct engine_watch w[ENGINE_WATCH_MAX];
	int keys[2];

	(void)state;
	assert_int_equal(pipe(keys), 0);
	close(keys[1]);				/* EOF: hung up */
	fake.relay = open("/dev/null", O_RDONLY);
	parse("--", "x", NULL);
	start(false);
	eng.proxy = eng.raw = true;		/* as on a terminal */
	eng.ctty = keys[0];
	size_t n = engine_watches(&eng, w);
	assert_int_equal(w[n - 1].fd, keys[0]);
	engine_ready(&eng, keys[0], POLLIN);
	n = engine_watches(&eng, w);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(w[i].fd, keys[0]);
	eng.raw = false;
}

static void
test_terminal_taking_nothing_holds_no_signal_or_end_back(void **state)
{
	(void)state;
	fake.relay = open("/dev/null", O_RDONLY);
	parse("--", "x", NULL);
	start(false);
	/* the terminal is full and takes nothing */
	fcntl(term[1], F_SETFL, O_NONBLOCK);
	while (write(term[1], got, sizeof(got)) > 0)
		;
	static char lots[4001];
	memset(lots, 'x', sizeof(lots) - 1);
	fake.output = lots;
	fake.output_forever = true;
	output_ready();
	command_ends(0);
	assert_false(engine_done(&eng));	/* its output waits, we do not */
	engine_signal(&eng, SIGTERM);
	assert_true(engine_done(&eng));
	assert_int_equal(eng.out.kind, OUTCOME_SIGNALED);
	eng.tty.len = 0;			/* let the end write nothing */
	eng.line.drawn = false;
	assert_int_equal(end(), 128 + SIGTERM);
}

static void
test_fatal_signal_while_ending_is_not_lost(void **state)
{
	sigset_t usr1;
	int sig;

	(void)state;
	parse("--", "x", NULL);
	start(false);
	command_ends(0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	raise(SIGUSR1);				/* held off while ending */
	assert_int_equal(end(), 128 + SIGUSR1);
	sigwait(&usr1, &sig);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
}

static void
test_command_stopped_by_another_changes_nothing(void **state)
{
	(void)state;
	parse("--", "x", NULL);
	start(false);
	command_stops(SIGSTOP);
	assert_int_equal(fake.suspends, 0);
	assert_int_equal(fake.nsent, 0);
	assert_false(engine_done(&eng));
}

static void
test_resize_refits_the_line_and_the_commands_pty(void **state)
{
	(void)state;
	parse("-m", "a long message that will not fit", "--", "x", NULL);
	start(true);
	engine_draw(&eng, 0);
	/* term_columns() of a pipe is $COLUMNS */
	setenv("COLUMNS", "12", 1);
	engine_signal(&eng, SIGWINCH);
	unsetenv("COLUMNS");
	assert_int_equal(fake.resizes, 1);
	assert_int_equal(eng.line.cols, 12);
	assert_string_equal(screen_line(0), "| a long m\u2026");
}

/*
 * A terminal of no height: $LINES, else unknown (0), never a guess that
 * would bound how far up COMMAND's output may move the cursor.
 */
static void
test_height_unknown_is_not_guessed(void **state)
{
	(void)state;
	unsetenv("LINES");
	parse("--", "x", NULL);
	start(true);
	assert_int_equal(eng.line.rows, 0);
	setenv("LINES", "40", 1);
	engine_signal(&eng, SIGWINCH);
	unsetenv("LINES");
	assert_int_equal(eng.line.rows, 40);
}

static void
test_abort_kills_command_and_fails_with_125(void **state)
{
	(void)state;
	parse("-p", "--", "x", NULL);
	start(false);
	engine_abort(&eng, NULL);
	assert_int_equal(fake_sent(SIGKILL), 1);
	assert_int_equal(fake.waited_blocking, FAKE_PID);
	assert_true(engine_done(&eng));
	assert_int_equal(end(), EXIT_CANCELED);
	assert_string_equal(terminal(), "");	/* no --persist line */
}

static void
test_persist_line_takes_the_frames_place(void **state)
{
	(void)state;
	parse("-p", "-m", "build", "--", "x", NULL);
	start(true);
	engine_draw(&eng, 0);
	fake.now += 1200 * FAKE_MS;
	command_ends(2 << 8);
	engine_wipe(&eng);
	assert_int_equal(end(), 2);
	assert_string_equal(screen_line(0), "\u2716 build (exit 2, 1.2s)");
}

static void
test_elapsed_shows_the_time_so_far_after_the_message(void **state)
{
	(void)state;
	parse("-e", "-m", "wait", "--", "x", NULL);
	start(true);
	engine_draw(&eng, 0);
	assert_string_equal(screen_line(0), "| wait 0.0s");
	fake.now += 1200 * FAKE_MS;
	engine_draw(&eng, 1);
	assert_string_equal(screen_line(0), "/ wait 1.2s");
	fake.now += 64 * 1000 * FAKE_MS;
	engine_draw(&eng, 2);
	assert_string_equal(screen_line(0), "- wait 1m05s");
	/* narrow: the message gives way, the time stays */
	eng.line.cols = 11;	/* 10 columns of room: one never used */
	engine_draw(&eng, 3);
	assert_string_equal(screen_line(0), "\\ w\u2026 1m05s");
}

static void
test_elapsed_counts_from_the_demos_start(void **state)
{
	(void)state;
	parse("-e", "-d", "60", NULL);
	start(true);
	fake.now += 2500 * FAKE_MS;
	engine_draw(&eng, 0);
	assert_string_equal(screen_line(0), "| thinking! 2.5s");
	engine_wipe(&eng);
	assert_string_equal(screen_line(0), "");
}

/* COMMAND's message pipe: the engine reads msg[0], the test writes. */
static int msg[2];

static void
messages_open(void)
{
	assert_int_equal(pipe(msg), 0);
	fcntl(msg[0], F_SETFL, O_NONBLOCK);
	fake.messages = msg[0];
}

/* COMMAND writes s to its message pipe, and the engine hears of it. */
static void
say_message(const char *s)
{
	assert_int_equal(write(msg[1], s, strlen(s)), (ssize_t)strlen(s));
	engine_ready(&eng, msg[0], POLLIN);
}

/* Whether the engine waits on fd for input. */
static bool
watches(int fd)
{
	struct engine_watch w[ENGINE_WATCH_MAX];
	size_t n = engine_watches(&eng, w);

	for (size_t i = 0; i < n; i++)
		if (w[i].fd == fd && (w[i].events & POLLIN))
			return true;
	return false;
}

static void
test_each_message_line_replaces_the_message_at_once(void **state)
{
	(void)state;
	messages_open();
	parse("--messages", "-p", "-m", "build", "--", "x", NULL);
	start(true);
	assert_true(fake.how.messages);
	assert_true(watches(msg[0]));
	engine_draw(&eng, 0);
	assert_string_equal(screen_line(0), "| build");
	say_message("configuring\n");
	assert_string_equal(screen_line(0), "| configuring");
	/* a line counts once whole; a CR before its LF is dropped */
	say_message("compi");
	assert_string_equal(screen_line(0), "| configuring");
	say_message("ling\r\n");
	assert_string_equal(screen_line(0), "| compiling");
	/* several at once: the last one shows */
	say_message("a\nb\nlinking\n");
	assert_string_equal(screen_line(0), "| linking");
	/* what would drive the terminal is drawn as '?' */
	say_message("\033[31mred\tdone\n");
	assert_string_equal(screen_line(0), "| ?[31mred?done");
	/* an empty line brings -m's back */
	say_message("\n");
	assert_string_equal(screen_line(0), "| build");
	say_message("testing\n");
	/* the end of the pipe: no more waiting on it, the run goes on */
	close(msg[1]);
	engine_ready(&eng, msg[0], POLLIN | POLLHUP);
	assert_false(watches(msg[0]));
	assert_false(engine_done(&eng));
	assert_string_equal(screen_line(0), "| testing");
	/* the --persist line names the run, as -m does */
	command_ends(0);
	engine_wipe(&eng);
	assert_int_equal(end(), 0);
	assert_string_equal(screen_line(0), "\u2714 build (0.0s)");
	assert_int_equal(fcntl(msg[0], F_GETFD), -1);	/* closed */
}

static void
test_a_message_line_is_kept_to_its_first_4096_bytes(void **state)
{
	static char big[3 * ENGINE_MESSAGE_MAX + 1];

	(void)state;
	messages_open();
	parse("--messages", "--", "x", NULL);
	start(false);
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	say_message(big);
	assert_int_equal(strlen(eng.line.msg), ENGINE_MESSAGE_MAX);
	/* and the next line starts afresh */
	say_message("short\n");
	assert_string_equal(eng.line.msg, "short");
	close(msg[1]);
	command_ends(0);
	assert_int_equal(end(), 0);
}

static void
test_messages_are_read_without_frames_until_command_ends(void **state)
{
	(void)state;
	messages_open();
	parse("--messages", "-m", "m", "--", "x", NULL);
	start(false);
	/* nothing drawn, but read, so that COMMAND never blocks on it */
	assert_true(watches(msg[0]));
	say_message("one\n");
	assert_string_equal(eng.line.msg, "one");
	assert_string_equal(terminal(), "");
	command_ends(0);
	assert_false(watches(msg[0]));
	close(msg[1]);
	assert_int_equal(end(), 0);
}

static void
test_without_messages_no_pipe_is_asked_for(void **state)
{
	(void)state;
	parse("--", "x", NULL);
	start(false);
	assert_false(fake.how.messages);
	assert_int_equal(eng.cmd.messages, -1);
	command_ends(0);
	assert_int_equal(end(), 0);
}

/* Start COMMAND with --output=how (and -p -m build), output waiting. */
static void
start_kept(const char *how, const char *output)
{
	char opt[32];

	snprintf(opt, sizeof(opt), "--output=%s", how);
	fake.relay = open("/dev/null", O_RDONLY);
	parse(opt, "-p", "-m", "build", "--", "x", NULL);
	start(true);
	engine_draw(&eng, 0);
	fake.output = output;
	output_ready();
}

static void
test_output_kept_is_shown_in_one_block_when_command_fails(void **state)
{
	(void)state;
	start_kept("failed", "out\r\nerr\r\n");
	/* kept, not shown; never proxied, so stdin stays ours */
	assert_true(fake.how.keep);
	assert_false(fake.how.proxy);
	assert_string_equal(screen_line(0), "| build");
	assert_int_equal(eng.kept.len, strlen("out\r\nerr\r\n"));
	command_ends(2 << 8);
	engine_wipe(&eng);
	assert_int_equal(end(), 2);
	assert_string_equal(screen_line(0), "out");
	assert_string_equal(screen_line(1), "err");
	assert_string_equal(screen_line(2), "\u2716 build (exit 2, 0.0s)");
	assert_null(eng.kept.buf);
}

static void
test_output_kept_is_not_shown_when_command_succeeds(void **state)
{
	(void)state;
	start_kept("failed", "out\r\n");
	command_ends(0);
	engine_wipe(&eng);
	assert_int_equal(end(), 0);
	assert_string_equal(screen_line(0), "\u2714 build (0.0s)");
	assert_string_equal(screen_line(1), "");
}

static void
test_output_all_is_shown_whatever_the_end(void **state)
{
	(void)state;
	start_kept("all", "out\r\n");
	command_ends(0);
	engine_wipe(&eng);
	assert_int_equal(end(), 0);
	assert_string_equal(screen_line(0), "out");
	assert_string_equal(screen_line(1), "\u2714 build (0.0s)");
}

static void
test_output_none_is_read_and_never_shown(void **state)
{
	(void)state;
	start_kept("none", "out\r\n");
	assert_true(watches_output());
	assert_int_equal(eng.kept.len, 0);	/* not even kept */
	command_ends(3 << 8);
	engine_wipe(&eng);
	assert_int_equal(end(), 3);
	assert_string_equal(screen_line(0), "\u2716 build (exit 3, 0.0s)");
}

static void
test_output_kept_is_shown_after_a_timeout_or_a_signal(void **state)
{
	(void)state;
	start_kept("failed", "partial");
	fake.now += 1000 * FAKE_MS;
	eng.timeout_at = fake.now;		/* as -t 1 would */
	engine_tick(&eng);
	command_ends(SIGTERM);
	engine_wipe(&eng);
	assert_int_equal(end(), EXIT_TIMEDOUT);
	/* the --persist line on a line of its own */
	assert_string_equal(screen_line(0), "partial");
	assert_string_equal(screen_line(1), "\u2716 build (timed out, 1.0s)");

	teardown(NULL);
	setup(NULL);
	start_kept("failed", "out\r\n");
	engine_signal(&eng, SIGINT);		/* ^C, passed on */
	command_ends(SIGINT);
	engine_wipe(&eng);
	assert_int_equal(end(), 128 + SIGINT);
	assert_string_equal(screen_line(0), "out");
}

static void
test_kept_output_is_read_while_the_terminal_takes_nothing(void **state)
{
	(void)state;
	start_kept("failed", NULL);
	fcntl(term[1], F_SETFL, O_NONBLOCK);
	while (write(term[1], got, sizeof(got)) > 0)
		;
	eng.tty.len = sizeof(eng.tty.buf);	/* and the queue is full */
	assert_true(watches_output());
	eng.tty.len = 0;
	command_ends(0);
	while (read(term[0], got, sizeof(got)) > 0)
		;				/* the terminal takes again */
	assert_int_equal(end(), 0);
}

static void
test_only_the_last_4_mib_of_output_are_kept(void **state)
{
	static char chunk[4001];
	char path[] = "/tmp/spinner-kept-XXXXXX";
	int file = mkstemp(path);
	size_t reads = 0;

	(void)state;
	assert_true(file >= 0);
	unlink(path);
	memset(chunk, 'a', sizeof(chunk) - 1);
	chunk[sizeof(chunk) - 2] = '\n';
	start_kept("all", chunk);
	fake.output = chunk;
	fake.output_forever = true;
	while (eng.kept.dropped < 3 * sizeof(chunk)) {
		output_ready();
		assert_true(eng.kept.cap <= KEPT_MAX);
		assert_true(++reads < 10000);
	}
	fake.output_forever = false;
	fake.output = "b\nlast\n";
	output_ready();
	command_ends(0);
	engine_wipe(&eng);
	/* a file for the terminal: 4 MiB would fill a pipe nobody reads */
	eng.tty.fd = file;
	eng.drew = false;
	assert_int_equal(end(), 0);
	off_t size = lseek(file, 0, SEEK_CUR);
	assert_true(size > (off_t)KEPT_MAX - 2 * 4000);
	assert_true(size <= (off_t)KEPT_MAX + 100);
	/* from a whole line on, to the last bytes */
	static char buf[KEPT_MAX + 200];
	assert_int_equal(pread(file, buf, (size_t)size, 0), size);
	assert_true(buf[0] == 'a' && buf[3999] == '\n' && buf[4000] == 'a');
	const char *tail = "b\nlast\n\u2714 build (0.0s)\n";
	assert_int_equal(memcmp(buf + size - (off_t)strlen(tail), tail,
	    strlen(tail)), 0);
	close(file);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_demo_ends_at_its_delay_with_the_answer),
		T(test_demo_timeout_due_with_its_end_wins_in_both_orders),
		T(test_demo_timeout_after_its_end_does_not_fire),
		T(test_command_status_is_its_exit_status),
		T(test_sigchld_before_command_ends_changes_nothing),
		T(test_command_that_cannot_start_ends_the_run_with_its_status),
		T(test_timeout_sends_term_then_kill_after_kill_after),
		T(test_command_gone_before_kill_after_is_never_killed),
		T(test_reaped_command_is_never_signalled_again),
		T(test_output_is_printed_above_the_frame),
		T(test_output_ending_after_command_ends_the_run_at_once),
		T(test_command_end_reads_what_is_there_and_waits_for_no_writer),
		T(test_timeout_kills_what_command_left_at_kill_after),
		T(test_a_group_sigkill_cannot_end_is_left_after_a_while),
		T(test_a_group_gone_by_kill_after_is_not_signalled),
		T(test_fatal_signal_while_the_group_lingers_kills_it_and_ends),
		T(test_fatal_signal_from_a_process_is_passed_to_command),
		T(test_fatal_signal_from_the_terminal_is_passed_to_command_too),
		T(test_fatal_signal_in_the_demo_is_reraised_after_the_wipe),
		T(test_signals_after_the_end_change_nothing),
		T(test_suspend_wipes_stops_and_redraws_on_resume),
		T(test_suspend_sent_by_a_process_stops_command_too),
		T(test_command_reading_the_terminal_is_given_it),
		T(test_ctrl_z_while_command_holds_the_terminal_stops_the_job),
		T(test_command_stopped_by_another_changes_nothing),
		T(test_ctrl_z_bg_then_fg_gives_command_the_terminal_again),
		T(test_kill_of_a_job_stopped_behind_the_shell_reaches_command),
		T(test_bg_lets_a_pipelines_command_go_on_behind),
		T(test_fatal_signal_reaches_a_stopped_command),
		T(test_ctrl_z_to_us_while_command_holds_the_terminal_resumes_it),
		T(test_ending_in_the_background_leaves_the_terminal_to_the_shell),
		T(test_command_stopped_for_the_terminal_behind_us_waits_for_fg),
		T(test_hung_up_terminal_is_no_longer_read),
		T(test_terminal_taking_nothing_holds_no_signal_or_end_back),
		T(test_fatal_signal_while_ending_is_not_lost),
		T(test_resize_refits_the_line_and_the_commands_pty),
		T(test_height_unknown_is_not_guessed),
		T(test_abort_kills_command_and_fails_with_125),
		T(test_persist_line_takes_the_frames_place),
		T(test_elapsed_shows_the_time_so_far_after_the_message),
		T(test_elapsed_counts_from_the_demos_start),
		T(test_each_message_line_replaces_the_message_at_once),
		T(test_a_message_line_is_kept_to_its_first_4096_bytes),
		T(test_messages_are_read_without_frames_until_command_ends),
		T(test_without_messages_no_pipe_is_asked_for),
		T(test_output_kept_is_shown_in_one_block_when_command_fails),
		T(test_output_kept_is_not_shown_when_command_succeeds),
		T(test_output_all_is_shown_whatever_the_end),
		T(test_output_none_is_read_and_never_shown),
		T(test_output_kept_is_shown_after_a_timeout_or_a_signal),
		T(test_kept_output_is_read_while_the_terminal_takes_nothing),
		T(test_only_the_last_4_mib_of_output_are_kept),
	};
#undef T
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
