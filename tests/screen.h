/*
 * A tiny terminal model for tests: enough of a VT100 to replay what the
 * spinner and the commands it wraps write (text, CR, LF, BS, cursor
 * moves, erasures, the alternate screen, cursor visibility; colours and
 * modes are ignored) and tell what a person would see at the end, where
 * the cursor is, whether it is visible, and whether anything wrapped.
 */
#ifndef SCREEN_H
#define SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#define SCREEN_ROWS 60
#define SCREEN_COLS 300

struct screen {
	int rows, cols;
	char cell[SCREEN_ROWS][SCREEN_COLS][16];	/* UTF-8 per cell */
	int row, col;
	bool pending_wrap;
	bool cursor_visible;
	int wraps;		/* text that ran past the right margin */
	int unknown;		/* escape sequences the model does not know */
	int hides, shows;	/* cursor hide / show sequences seen */
	bool alt;		/* on the alternate screen */
	char main_cell[SCREEN_ROWS][SCREEN_COLS][16];	/* saved meanwhile */
	int main_row, main_col;
	int saved_row, saved_col;	/* ESC 7 */
};

void screen_init(struct screen *s, int rows, int cols);
void screen_feed(struct screen *s, const char *data, size_t len);

/* Row r as UTF-8, trailing blanks removed. */
const char *screen_row(const struct screen *s, int r, char *buf,
    size_t size);

/* The whole screen, rows joined by '\n', trailing blank rows removed. */
const char *screen_text(const struct screen *s, char *buf, size_t size);

#endif
