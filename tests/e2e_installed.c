/*
 * The completions as installed under /usr (make installcheck PREFIX=/usr,
 * as the package's autopkgtest runs it): each shell, started as a new
 * user would start it (a home with nothing in it, no rc files of ours),
 * finds them by itself, for both binaries.  Anywhere else (another
 * PREFIX, or staged under DESTDIR) the cases are skipped: no shell looks
 * there unless told, as the man pages say), and so is a shell that is
 * not installed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "status.h"

static char home[] = "/tmp/spinner-installed-XXXXXX";
static char env_home[PATH_MAX + 8];
static const char *const names[] = { "spinner-thread", "spinner-async" };

/* Installed under /usr and nowhere else: where the shells look anyway. */
static bool
installed_for_real(void)
{
	const char *prefix = getenv("SPINNER_PREFIX");
	const char *destdir = getenv("SPINNER_DESTDIR");

	return prefix != NULL && strcmp(prefix, "/usr") == 0 &&
	    (destdir == NULL || destdir[0] == '\0');
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(home) == NULL)
		return -1;
	snprintf(env_home, sizeof(env_home), "HOME=%s", home);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return h_remove_tree(home);
}

/* Whether the shell is there: a user without it has nothing to check. */
static bool
have(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/usr/bin/%s", name);
	if (access(path, X_OK) == 0)
		return true;
	snprintf(path, sizeof(path), "/bin/%s", name);
	return access(path, X_OK) == 0;
}

/* What the shell's script printed on stdout; it must say nothing else. */
static char *
shell(const char *const cmd[])
{
	const char *argv[16] = { "env", "-i", env_home, "PATH=/usr/bin:/bin",
		"LC_ALL=C.UTF-8", "TERM=dumb" };
	char *out, *err;
	size_t n = 6, outlen, errlen;
	int st;

	for (size_t i = 0; cmd[i] != NULL && n < 15; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	st = h_pipe_run(argv, NULL, 0, &out, &outlen, &err, &errlen, NULL);
	if (errlen > 0)
		fail_msg("%s wrote on stderr:\n%s", cmd[0], err);
	assert_exited(st, 0);
	free(err);
	return out;
}

static void
test_bash_completion_loads_the_installed_file_by_name(void **state)
{
	char script[512];

	(void)state;
	if (!installed_for_real() || access("/usr/share/bash-completion/"
	    "bash_completion", R_OK) != 0)
		skip();
	for (size_t i = 0; i < 2; i++) {
		const char *cmd[] = { "bash", "--norc", "--noprofile", "-c",
			script, NULL };

		snprintf(script, sizeof(script),
		    ". /usr/share/bash-completion/bash_completion && "
		    "__load_completion %s && complete -p %s", names[i],
		    names[i]);
		char *out = shell(cmd);
		char want[64];
		snprintf(want, sizeof(want), " %s\n", names[i]);
		assert_non_null(strstr(out, "complete -F "));
		assert_non_null(strstr(out, want));
		free(out);
	}
}

static void
test_zsh_compinit_finds_the_installed_file(void **state)
{
	const char *cmd[] = { "zsh", "-f", "-c",
		"autoload -Uz compinit && compinit -u -D && "
		"print -r -- $_comps[spinner-thread] $_comps[spinner-async]",
		NULL };

	(void)state;
	if (!installed_for_real() || !have("zsh"))
		skip();
	char *out = shell(cmd);
	assert_string_equal(out, "_spinner _spinner\n");
	free(out);
}

static void
test_fish_finds_the_installed_file_by_name(void **state)
{
	char script[128];

	(void)state;
	if (!installed_for_real() || !have("fish"))
		skip();
	for (size_t i = 0; i < 2; i++) {
		const char *cmd[] = { "fish", "-c", script, NULL };

		snprintf(script, sizeof(script), "complete -C '%s --sta'",
		    names[i]);
		char *out = shell(cmd);
		assert_true(strncmp(out, "--stats\t", 8) == 0);
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest cases[] = {
		cmocka_unit_test(
		    test_bash_completion_loads_the_installed_file_by_name),
		cmocka_unit_test(test_zsh_compinit_finds_the_installed_file),
		cmocka_unit_test(test_fish_finds_the_installed_file_by_name),
	};

	return cmocka_run_group_tests(cases, setup, teardown);
}
