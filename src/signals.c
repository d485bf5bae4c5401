#include "signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const int fatal[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2
};

static bool
ignored(int sig)
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN;
}

static bool chld_ignored;

bool
signals_chld_was_ignored(void)
{
	return chld_ignored;
}

void
signals_taken(sigset_t *taken)
{
	sigemptyset(taken);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (!ignored(fatal[i]))
			sigaddset(taken, fatal[i]);
	if (!ignored(SIGTSTP))
		sigaddset(taken, SIGTSTP);
	sigaddset(taken, SIGCONT);
	sigaddset(taken, SIGWINCH);
	if (ignored(SIGCHLD)) {
		chld_ignored = true;
		signal(SIGCHLD, SIG_DFL);
	}
	sigaddset(taken, SIGCHLD);
}

void
signals_needed(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGWINCH);
	sigaddset(set, SIGCONT);
}

void
signals_fatal_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaddset(set, fatal[i]);
}

bool
signals_fatal(int sig)
{
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (fatal[i] == sig)
			return true;
	return false;
}

void
signals_quiet(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGPIPE);
	sigaddset(set, SIGTTOU);
}

_Noreturn void
signals_reraise(int sig)
{
	struct rlimit rl = { 0, 0 };
	sigset_t set;

	setrlimit(RLIMIT_CORE, &rl);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);	/* sig does not kill: exit as if it had */
}

void
signals_stop(int sig, bool job)
{
	struct sigaction dfl, old;
	sigset_t set, oldmask;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, &old);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, &oldmask);
	if (job)
		kill(0, sig);
	else
		raise(sig);
	pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(sig, &old, NULL);
}

const char *
signals_name(int sig, char *buf, size_t size)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" },
		{ SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGUSR1, "SIGUSR1" },
		{ SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" }, { SIGXCPU, "SIGXCPU" },
		{ SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	snprintf(buf, size, "signal %d", sig);
	return buf;
}
