/*
 * Whether a task's command can run without a shell.  A command of plain
 * words (letters, digits and -_./:,+@%^= and bytes above ASCII, split by
 * blanks), whose first word is no shell builtin, reserved word or
 * assignment, means to a shell only "run these words": exec'ing them
 * does what sh -c would, in one process instead of two (dash forks for
 * the last command too).  make(1) runs plain recipe lines so.
 */
#ifndef WORDS_H
#define WORDS_H

#include <stddef.h>

/*
 * Split cmd into at most max - 1 words, NULL-terminated in argv, in a
 * copy of cmd it allocates (*copy, to free), when it is plain; NULL
 * (nothing allocated) when a shell must read it, or on no memory.
 */
char **words_plain(const char *cmd, char **argv, size_t max, char **copy);

#endif
