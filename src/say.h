/*
 * stdout, checked: the demo's lines and the listings go there, and a
 * write that does not reach it is an error the user is told of (125).
 */
#ifndef SAY_H
#define SAY_H

/* Print on stdout and check it got there; -1 (reported) if not. */
int say(const char *fmt, ...);

/* Check that everything reached stdout; -1 (reported) if not. */
int say_flush(void);

#endif
