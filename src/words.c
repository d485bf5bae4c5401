#include "words.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* What a shell runs itself, or reads as syntax, in a first word. */
static const char *const shell_own[] = {
	/* POSIX reserved words, and bash's */
	"case", "do", "done", "elif", "else", "esac", "fi", "for", "function",
	"if", "in", "select", "then", "time", "until", "while",
	/* dash's builtins (an external echo or kill behaves otherwise) */
	".", ":",
	"alias", "bg", "break", "cd", "chdir", "command", "continue", "echo",
	"eval", "exec", "exit", "export", "false", "fc", "fg", "getopts",
	"hash", "jobs", "kill", "local", "printf", "pwd", "read", "readonly",
	"return", "set", "shift", "test", "times", "trap", "true", "type",
	"ulimit", "umask", "unalias", "unset", "wait",
};

static bool
plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80 ||
	    strchr("-_./:,+@%^=", c) != NULL;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t';
}

char **
words_plain(const char *cmd, char **argv, size_t max, char **copy)
{
	size_t n = 0, first;
	char *s;

	*copy = NULL;
	for (const char *p = cmd; *p != '\0'; p++)
		if (!blank(*p) && !plain_byte((unsigned char)*p))
			return NULL;
	cmd += strspn(cmd, " \t");
	first = strcspn(cmd, " \t");
	if (first == 0 || memchr(cmd, '=', first) != NULL)
		return NULL;	/* no words, or an assignment */
	for (size_t i = 0; i < sizeof(shell_own) / sizeof(shell_own[0]); i++)
		if (strlen(shell_own[i]) == first &&
		    strncmp(cmd, shell_own[i], first) == 0)
			return NULL;
	if ((s = strdup(cmd)) == NULL)
		return NULL;
	for (char *p = s; *p != '\0';) {
		size_t len = strcspn(p, " \t");

		if (n + 1 >= max) {
			free(s);
			return NULL;
		}
		argv[n++] = p;
		p += len;
		if (*p != '\0')
			*p++ = '\0';
		p += strspn(p, " \t");
	}
	argv[n] = NULL;
	*copy = s;
	return argv;
}
