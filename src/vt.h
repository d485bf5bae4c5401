/*
 * A parser for the output of a program written to a terminal: Paul
 * Williams' state machine for DEC ANSI-compatible terminals, reporting
 * text, C0 controls, CSI and ESC sequences and the ends of strings to a
 * sink.  Pure: no allocation, no I/O, nothing interpreted.
 *
 * The stream is taken to be UTF-8, as in a UTF-8 xterm: bytes 0x80-0xFF
 * are text in ground, ignored inside ESC, CSI and DCS headers, and part of
 * the data inside strings; C1 controls are never recognised.  Choices
 * where terminals differ:
 * - ':' separates parameters like ';', so sub-parameters are flattened:
 *   ESC[38:5:196m gives {38, 5, 196} (Williams ignores the sequence).
 * - A parameter saturates at 65535; parameters past VT_PARAMS_MAX are
 *   dropped and the sequence still dispatches.  params[] past nparams
 *   holds -1.
 * - A sequence with more than VT_INTERMEDIATES_MAX intermediates is not
 *   dispatched, as Williams suggests.
 * - DEL (0x7F) is ignored everywhere, ground included.
 * - OSC ends on BEL or ST (ESC \); DCS, SOS, PM and APC on ST only.  Any
 *   string also ends on CAN, SUB or the ESC of another sequence.  ESC \
 *   itself is not reported: the end of the string was.  A DCS is
 *   reported once its header is complete or found bad, like Williams'
 *   hook.
 */
#ifndef VT_H
#define VT_H

#include <stdbool.h>
#include <stddef.h>

#define VT_PARAMS_MAX 16
#define VT_INTERMEDIATES_MAX 2

struct vt_seq {
	/* -1 where a parameter was omitted */
	int params[VT_PARAMS_MAX];
	/* 0 when none was given */
	size_t nparams;
	/* intermediates 0x20-0x2F, NUL-terminated */
	char inter[VT_INTERMEDIATES_MAX + 1];
	/* private marker '<' '=' '>' '?' of a CSI or DCS, or 0 */
	char prefix;
	/* the final byte */
	char final;
};

struct vt_sink {
	/* a run of printable bytes in ground (0x20-0x7E, 0x80-0xFF) */
	void (*print)(void *arg, const char *bytes, size_t len);
	/* a C0 control (BS, HT, LF, VT, FF, CR, BEL...) */
	void (*execute)(void *arg, unsigned char c);
	/* a complete CSI sequence */
	void (*csi)(void *arg, const struct vt_seq *seq);
	/* a complete ESC sequence (e.g. ESC 7, ESC M, ESC c, ESC ( B) */
	void (*esc)(void *arg, const struct vt_seq *seq);
	/*
	 * an OSC (']'), DCS ('P'), SOS ('X'), PM ('^') or APC ('_') string
	 * ended
	 */
	void (*string)(void *arg, char kind);
};

/* The parser's state only, no allocation: reset it with vt_init. */
struct vt {
	unsigned char state;	/* where in the state machine */
	char kind;		/* introducer of the string under way */
	bool overflow;		/* too many intermediates: do not dispatch */
	size_t np;		/* parameters begun, up to VT_PARAMS_MAX + 1 */
	size_t ni;		/* intermediates collected */
	struct vt_seq seq;	/* the sequence being collected */
};

/* Start in ground, with no sequence under way. */
void vt_init(struct vt *vt);

/*
 * Feed len bytes; callbacks (and sink) may be NULL.  A sequence may be
 * split across calls at any byte.
 */
void vt_feed(struct vt *vt, const char *data, size_t len,
    const struct vt_sink *sink, void *arg);

/* Whether the parser is in ground (no sequence or string under way). */
bool vt_ground(const struct vt *vt);

#endif
