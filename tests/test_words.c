/* words: which commands run without a shell, and their words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "words.h"

/* cmd split as want ("a|b|c"), or not plain when want is NULL. */
static void
expect(const char *cmd, const char *want)
{
	char *argv[8], *copy, joined[256] = "";
	char **w = words_plain(cmd, argv, 8, &copy);

	if (want == NULL) {
		if (w != NULL)
			fail_msg("'%s' taken as plain words", cmd);
		assert_null(copy);
		return;
	}
	if (w == NULL)
		fail_msg("'%s' left to the shell", cmd);
	assert_ptr_equal(w, argv);
	for (size_t i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			strcat(joined, "|");
		strcat(joined, argv[i]);
	}
	assert_string_equal(joined, want);
	free(copy);
}

static void
test_plain_words_are_split_on_blanks(void **state)
{
	(void)state;
	expect("sleep 1", "sleep|1");
	expect("  make\t-j4  lint ", "make|-j4|lint");
	expect("./build.sh", "./build.sh");
	expect("dd if=/dev/zero of=/dev/null bs=1M count=1",
	    "dd|if=/dev/zero|of=/dev/null|bs=1M|count=1");
	expect("curl -s https://example.org/a,b+c@d%e^f:g",
	    "curl|-s|https://example.org/a,b+c@d%e^f:g");
	expect("grep \u00e9t\u00e9 notes", "grep|\u00e9t\u00e9|notes");
	expect("truename", "truename");	/* a builtin's name inside */
}

static void
test_what_the_shell_reads_is_left_to_it(void **state)
{
	static const char *const shell[] = {
		"", "   ", "a; b", "a && b", "a | b", "a > f", "a < f",
		"a &", "echo $HOME", "echo `date`", "echo 'q'", "echo \"q\"",
		"ls *.c", "ls ?", "ls [ab]", "ls ~", "ls ~/x", "a\\ b",
		"(a)", "{ a; }", "a # comment", "!a", "a\nb", "FOO=1 env",
		"=x", "a\rb",
		/* builtins and reserved words: not the same as an external
		 * program of that name (echo -e, kill %1, ...) */
		"echo -e x", "printf %s x", "kill 1", "cd /", "exit 3",
		"true", "false", "test -f x", "[", "read x", "pwd -P",
		"exec ls", "eval ls", "type ls", "command ls", "umask",
		"if", "for", "while", "time ls", "wait", "trap", ". x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(shell) / sizeof(shell[0]); i++)
		expect(shell[i], NULL);
}

static void
test_too_many_words_are_left_to_the_shell(void **state)
{
	char *argv[3], *copy;

	(void)state;
	assert_non_null(words_plain("a b", argv, 3, &copy));
	free(copy);
	assert_null(words_plain("a b c", argv, 3, &copy));
	assert_null(copy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_words_are_split_on_blanks),
		cmocka_unit_test(test_what_the_shell_reads_is_left_to_it),
		cmocka_unit_test(test_too_many_words_are_left_to_the_shell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
