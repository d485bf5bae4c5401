/*
 * The line a binary run with --stats prints on stderr as it exits:
 *
 *   spinner-thread: stats frames=12 wall_s=1.204113 stop_ms=0.062
 *     user_s=0.001812 sys_s=0.003120 maxrss_kib=1712 threads=2 wakeups=14
 *
 * (one line; with tasks " tasks_started=N tasks_failed=N tasks_most=N"
 * follow).  It may come among frames and escape sequences on a pty, so it
 * is found by ": stats " and read up to the end of its line; keys we do not
 * know are passed over, so a later field breaks nothing.
 */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const char *const keys[ST_N] = {
	[ST_FRAMES] = "frames", [ST_WALL] = "wall_s", [ST_STOP] = "stop_ms",
	[ST_USER] = "user_s", [ST_SYS] = "sys_s", [ST_MAXRSS] = "maxrss_kib",
	[ST_THREADS] = "threads", [ST_WAKEUPS] = "wakeups",
	[ST_STARTED] = "tasks_started", [ST_FAILED] = "tasks_failed",
	[ST_MOST] = "tasks_most",
};

/* The last stats line in p[0..len); 1 if there was one. */
int
stats_parse(const char *p, size_t len, struct stats *st)
{
	static const char tag[] = ": stats ";
	const char *line = NULL, *end = p + len, *q;

	memset(st, 0, sizeof(*st));
	for (q = p; q + sizeof(tag) - 1 <= end; q++)
		if (memcmp(q, tag, sizeof(tag) - 1) == 0)
			line = q + sizeof(tag) - 1;
	if (line == NULL)
		return 0;
	for (q = line; q < end && *q != '\n' && *q != '\r';) {
		const char *eq, *sp;
		char word[64], *num;
		double v;

		for (sp = q; sp < end && *sp != ' ' && *sp != '\n' &&
		    *sp != '\r'; sp++)
			;
		eq = memchr(q, '=', (size_t)(sp - q));
		if (eq != NULL && sp - q < (long)sizeof(word)) {
			const char *val = word + (eq - q) + 1;

			memcpy(word, q, (size_t)(sp - q));
			word[sp - q] = '\0';
			word[eq - q] = '\0';
			v = strtod(val, &num);
			/* key=NUMBER, the whole of it a number */
			for (int i = 0; i < ST_N; i++)
				if (*num == '\0' && num != val &&
				    strcmp(word, keys[i]) == 0) {
					st->v[i] = v;
					st->have |= 1u << i;
				}
		}
		q = sp;
		while (q < end && *q == ' ')
			q++;
	}
	return 1;
}

/* The parser against lines written by hand; 0 when it reads them right. */
int
stats_selftest(void)
{
	static const char one[] = "spinner-thread: stats frames=12 "
	    "wall_s=1.204113 stop_ms=0.062 user_s=0.001812 sys_s=0.003120 "
	    "maxrss_kib=1712 threads=2 wakeups=14\n";
	/* on a pty, after the last frame's wipe, with a key of later days */
	static const char two[] = "| bench\033[K\033[7D\033[K\033[?25h"
	    "spinner-async: stats frames=3 wall_s=0.5 stop_ms=0.125 "
	    "user_s=0 sys_s=0.004 maxrss_kib=2048 threads=1 wakeups=4 "
	    "tasks_started=10000 tasks_failed=2 tasks_most=9999 later=x\r\n"
	    "Answer: 42\r\n";
	struct stats st;
	int bad = 0;

	if (!stats_parse(one, sizeof(one) - 1, &st) ||
	    st.have != (1u << ST_STARTED) - 1 || st.v[ST_FRAMES] != 12 ||
	    st.v[ST_WALL] != 1.204113 || st.v[ST_STOP] != 0.062 ||
	    st.v[ST_USER] != 0.001812 || st.v[ST_SYS] != 0.003120 ||
	    st.v[ST_MAXRSS] != 1712 || st.v[ST_THREADS] != 2 ||
	    st.v[ST_WAKEUPS] != 14)
		bad++;
	if (!stats_parse(two, sizeof(two) - 1, &st) ||
	    st.have != (1u << ST_N) - 1 || st.v[ST_STOP] != 0.125 ||
	    st.v[ST_USER] != 0 || st.v[ST_THREADS] != 1 ||
	    st.v[ST_STARTED] != 10000 || st.v[ST_FAILED] != 2 ||
	    st.v[ST_MOST] != 9999)
		bad++;
	if (stats_parse("Answer: 42\n", 11, &st) || st.have != 0)
		bad++;
	return bad;
}
