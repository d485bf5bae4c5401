/*
 * The screen of many tasks at once, as bytes: pure, no I/O.
 *
 * Above, the permanent lines (a verdict per finished task, its output,
 * in the order they finished); below them the live area: a line per
 * running task (frame, name, elapsed time, the last line it wrote),
 * "… N more running" when they do not all fit, and a summary line.
 * The cursor rests at the start of the live area's first row, so the
 * area can be rewritten row by row, only where a row changed, and
 * dropped at once with ED (erase below) before permanent lines go out.
 */
#ifndef BOARD_H
#define BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "styles.h"

/* A growing byte buffer; on allocation failure it keeps what it had. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};

void buf_put(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_free(struct buf *b);

/* The last line a task wrote, escape sequences and controls left out. */
#define BOARD_LAST_MAX 200
struct board_last {
	char cur[BOARD_LAST_MAX];	/* the line being written */
	size_t ncur;
	char last[BOARD_LAST_MAX];	/* the last one ended, not blank */
	size_t nlast;
	int esc;			/* inside an escape sequence: its kind */
};

/* Follow n more bytes of a task's output. */
void board_last_feed(struct board_last *l, const char *p, size_t n);

/* The line to show: the one being written, else the last one ended. */
const char *board_last_text(struct board_last *l);

/* How many tasks are where, for the summary line. */
struct board_counts {
	size_t ok;
	size_t failed;
	size_t running;
	size_t waiting;		/* not started (yet, or ever when final) */
	bool stopping;		/* the running ones are being stopped */
};

/*
 * A running task's live line: "FRAME NAME ELAPSED  LAST", fitted to cols
 * (the name gives way to the time, the last line to the name); with
 * color, what is shown of LAST dim (color.h).  Returns the columns it
 * takes.
 */
size_t board_task(char *out, size_t size, const struct style *st, size_t k,
    const char *name, int64_t elapsed_ns, const char *last, size_t cols,
    bool utf8, bool color);

/*
 * The summary line: "[MSG: ]3 ok · 1 failed · 4 running · 12 waiting ·
 * 4.2s" while running ("4 stopping" once they are being stopped); final,
 * with a mark first, "stopped" for those still running and "not started"
 * for the waiting ones.  msg may be NULL.  Fitted to cols unless cols is 0;
 * then, with color, the final mark painted if it is still whole.
 */
size_t board_summary(char *out, size_t size, const struct board_counts *c,
    const char *msg, int64_t elapsed_ns, bool final, bool utf8,
    size_t cols, bool color);

/* "… 37 more running", fitted to cols. */
size_t board_more(char *out, size_t size, size_t more, size_t cols,
    bool utf8);

/* What the live area shows now, row by row from its top. */
struct board {
	char **rows;
	size_t n;
	size_t cap;
};

/*
 * Bring the area to lines[0..n) (n at least 1), the cursor at the start
 * of its first row before and after: only the rows that changed are
 * written, unless full (the screen under the area is not known: after a
 * resize, or when nothing was shown).  A row taller than the area had
 * scrolls the screen, as output would.
 */
void board_show(struct board *bd, struct buf *out, char *const lines[],
    size_t n, bool full);

/* Erase the area (the cursor at its first row): nothing is shown. */
void board_wipe(struct board *bd, struct buf *out);

void board_free(struct board *bd);

#endif
