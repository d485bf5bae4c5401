#include "outcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "color.h"
#include "exitcodes.h"
#include "render.h"
#include "signals.h"

struct outcome
outcome_from_wait(int wstatus)
{
	struct outcome o = { OUTCOME_EXITED, 0, 0 };

	if (WIFSIGNALED(wstatus)) {
		o.kind = OUTCOME_SIGNALED;
		o.sig = WTERMSIG(wstatus);
	} else if (WIFEXITED(wstatus)) {
		o.code = WEXITSTATUS(wstatus);
	}
	return o;
}

int
outcome_status(const struct outcome *o)
{
	switch (o->kind) {
	case OUTCOME_TIMEDOUT:
		return EXIT_TIMEDOUT;
	case OUTCOME_SIGNALED:
	case OUTCOME_STOPPED:
		return 128 + o->sig;
	case OUTCOME_NOSTART:
		return EXIT_CANCELED;
	case OUTCOME_EXITED:
	case OUTCOME_FAILED:
	default:
		return o->code;
	}
}

void
outcome_elapsed(char *out, size_t outsize, int64_t ns)
{
	int64_t tenths = (ns + 50000000) / 100000000;

	if (tenths < 600)
		snprintf(out, outsize, "%d.%ds", (int)(tenths / 10),
		    (int)(tenths % 10));
	else
		snprintf(out, outsize, "%dm%02ds", (int)(tenths / 600),
		    (int)(tenths / 10 % 60));
}

size_t
outcome_line(char *out, size_t outsize, const struct outcome *o,
    const char *msg, int64_t elapsed_ns, bool utf8, size_t cols, bool color)
{
	char detail[64], time[32], name[32], tail[128];
	char *text;
	bool ok = o->kind == OUTCOME_EXITED && o->code == 0;
	const char *mark = ok ? (utf8 ? "\u2714" : "v") :
	    (utf8 ? "\u2716" : "x");
	size_t used, room, tw;

	if (outsize == 0)
		return 0;
	outcome_elapsed(time, sizeof(time), elapsed_ns);
	switch (o->kind) {
	case OUTCOME_TIMEDOUT:
		snprintf(detail, sizeof(detail), "timed out, ");
		break;
	case OUTCOME_SIGNALED:
		snprintf(detail, sizeof(detail), "%s, ",
		    signals_name(o->sig, name, sizeof(name)));
		break;
	case OUTCOME_STOPPED:
		snprintf(detail, sizeof(detail), "stopped, ");
		break;
	case OUTCOME_NOSTART:
		snprintf(detail, sizeof(detail), "cannot start, ");
		break;
	case OUTCOME_EXITED:
	case OUTCOME_FAILED:
	default:
		if (ok)
			detail[0] = '\0';
		else
			snprintf(detail, sizeof(detail), "exit %d, ", o->code);
		break;
	}
	snprintf(tail, sizeof(tail), " (%s%s)", detail, time);

	/* The mark and the tail stay whole; the message gives way. */
	used = (size_t)snprintf(out, outsize, "%s ", mark);
	if (used >= outsize)
		return 0;
	tw = render_width(tail);
	room = cols == 0 ? RENDER_COLS_MAX * 4 :
	    cols > 2 + tw ? cols - 2 - tw : 0;
	text = out + used;
	render_fit(text, outsize - used, msg, room, render_ellipsis(utf8));
	used += strlen(text);
	if (cols != 0 && 2 + tw > cols) {
		/* Too narrow for the tail: cut the whole line instead (on
		 * the heap: task threads have small stacks, kept touched). */
		size_t n = strlen(out) + strlen(tail) + 1;
		char *whole = malloc(n);

		if (whole == NULL) {
			out[0] = '\0';
			return 0;
		}
		snprintf(whole, n, "%s%s", out, tail);
		render_fit(out, outsize, whole, cols, render_ellipsis(utf8));
		free(whole);
	} else {
		snprintf(out + used, outsize - used, "%s", tail);
	}
	if (color)
		color_mark(out, outsize, mark, ok);
	return strlen(out);
}
