/*
 * Paul Williams' parser for DEC ANSI-compatible terminals, written as his
 * diagram is drawn: one table from (state, class of byte) to an action and
 * the next state, plus an action on entering and on leaving some states.
 * A table rather than nested checks because the diagram is the
 * specification: each row can be read against it, every state says what
 * every byte does (nothing falls through to a default by accident), and a
 * sequence split across reads needs no special care, since the whole
 * parser is one small state carried between bytes.
 *
 * Departures from the diagram, all in the table (see vt.h): C1 controls
 * are not recognised and 0x80-0xFF is text in ground (UTF-8); DEL is
 * ignored in ground too; ':' is a parameter separator; BEL ends an OSC
 * string; ESC \ (ST) reports nothing; SOS, PM and APC strings report
 * their end like OSC and DCS.
 */
#include "vt.h"

#include <string.h>

#define PARAM_CAP 65535

enum state {
	S_GROUND,
	S_ESCAPE,
	S_ESCAPE_INTERMEDIATE,
	S_CSI_ENTRY,
	S_CSI_PARAM,
	S_CSI_INTERMEDIATE,
	S_CSI_IGNORE,
	S_DCS_ENTRY,
	S_DCS_PARAM,
	S_DCS_INTERMEDIATE,
	S_DCS_PASSTHROUGH,
	S_DCS_IGNORE,
	S_OSC_STRING,
	S_SOS_PM_APC_STRING,
	S_COUNT
};

/* Bytes that every state treats alike fall in one class. */
enum class {
	C_C0,		/* 0x00-0x06, 0x08-0x17, 0x19, 0x1C-0x1F */
	C_BEL,		/* 0x07: executed, or the end of an OSC string */
	C_CAN,		/* 0x18, 0x1A: abort to ground, executed */
	C_ESC,		/* 0x1B */
	C_INTER,	/* 0x20-0x2F */
	C_DIGIT,	/* 0x30-0x39 */
	C_COLON,	/* 0x3A */
	C_SEMI,		/* 0x3B */
	C_PRIV,		/* 0x3C-0x3F: private marker */
	C_FINAL,	/* 0x40-0x7E but for the six below */
	C_DCS,		/* 'P' */
	C_SPA,		/* 'X', '^', '_': SOS, PM, APC */
	C_CSI,		/* '[' */
	C_ST,		/* '\\' */
	C_OSC,		/* ']' */
	C_DEL,		/* 0x7F */
	C_HIGH,		/* 0x80-0xFF */
	C_COUNT
};

enum action {
	A_NONE,		/* ignore, or data of a string: nothing to report */
	A_PRINT,
	A_EXECUTE,
	A_CLEAR,	/* forget the last sequence's parameters */
	A_COLLECT,	/* an intermediate */
	A_PREFIX,	/* a private marker */
	A_PARAM,	/* a digit */
	A_SEP,		/* ';' or ':' begins the next parameter */
	A_ESC_DISPATCH,
	A_CSI_DISPATCH,
	A_INTRO,	/* remember which string begins */
	A_STRING_END
};

struct step {
	unsigned char action;
	unsigned char next;
};

#define T(a, s)		{ A_##a, S_##s }

/* 0x00-0x7F by class, a row of 16 a line; every byte above is C_HIGH. */
#define C0 C_C0
#define BL C_BEL
#define CN C_CAN
#define ES C_ESC
#define IN C_INTER
#define DG C_DIGIT
#define CO C_COLON
#define SC C_SEMI
#define PV C_PRIV
#define FI C_FINAL
#define DC C_DCS
#define SP C_SPA
#define CS C_CSI
#define ST C_ST
#define OS C_OSC
#define DL C_DEL
static const unsigned char byte_class[0x80] = {
	C0, C0, C0, C0, C0, C0, C0, BL, C0, C0, C0, C0, C0, C0, C0, C0,
	C0, C0, C0, C0, C0, C0, C0, C0, CN, C0, CN, ES, C0, C0, C0, C0,
	IN, IN, IN, IN, IN, IN, IN, IN, IN, IN, IN, IN, IN, IN, IN, IN,
	DG, DG, DG, DG, DG, DG, DG, DG, DG, DG, CO, SC, PV, PV, PV, PV,
	FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI,
	DC, FI, FI, FI, FI, FI, FI, FI, SP, FI, FI, CS, ST, OS, SP, SP,
	FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI,
	FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, FI, DL,
};
#undef C0
#undef BL
#undef CN
#undef ES
#undef IN
#undef DG
#undef CO
#undef SC
#undef PV
#undef FI
#undef DC
#undef SP
#undef CS
#undef ST
#undef OS
#undef DL

/* Williams' "anywhere" transitions, the same in every state. */
#define ANYWHERE \
	[C_CAN] = T(EXECUTE, GROUND), \
	[C_ESC] = T(NONE, ESCAPE)

/* 0x40-0x7E: every class of a final byte. */
#define FINALS(a, s) \
	[C_FINAL] = T(a, s), [C_DCS] = T(a, s), [C_SPA] = T(a, s), \
	[C_CSI] = T(a, s), [C_ST] = T(a, s), [C_OSC] = T(a, s)

/* 0x30-0x3F: parameter bytes. */
#define PARAMS(a, s) \
	[C_DIGIT] = T(a, s), [C_COLON] = T(a, s), [C_SEMI] = T(a, s), \
	[C_PRIV] = T(a, s)

/* 0x20-0x7F and 0x80-0xFF: every class of a printable byte, and DEL. */
#define PRINTABLES(a, s) \
	[C_INTER] = T(a, s), PARAMS(a, s), FINALS(a, s), [C_DEL] = T(a, s), \
	[C_HIGH] = T(a, s)

/* Every class but the anywhere ones. */
#define ALL(a, s) \
	[C_C0] = T(a, s), [C_BEL] = T(a, s), PRINTABLES(a, s)

static const struct step table[S_COUNT][C_COUNT] = {
	[S_GROUND] = {
		[C_C0] = T(EXECUTE, GROUND),
		[C_BEL] = T(EXECUTE, GROUND),
		ANYWHERE,
		[C_INTER] = T(PRINT, GROUND),
		PARAMS(PRINT, GROUND),
		FINALS(PRINT, GROUND),
		[C_DEL] = T(NONE, GROUND),
		[C_HIGH] = T(PRINT, GROUND),
	},
	[S_ESCAPE] = {
		[C_C0] = T(EXECUTE, ESCAPE),
		[C_BEL] = T(EXECUTE, ESCAPE),
		ANYWHERE,
		[C_INTER] = T(COLLECT, ESCAPE_INTERMEDIATE),
		PARAMS(ESC_DISPATCH, GROUND),
		[C_FINAL] = T(ESC_DISPATCH, GROUND),
		[C_DCS] = T(INTRO, DCS_ENTRY),
		[C_SPA] = T(INTRO, SOS_PM_APC_STRING),
		[C_CSI] = T(NONE, CSI_ENTRY),
		[C_ST] = T(NONE, GROUND),
		[C_OSC] = T(INTRO, OSC_STRING),
		[C_DEL] = T(NONE, ESCAPE),
		[C_HIGH] = T(NONE, ESCAPE),
	},
	[S_ESCAPE_INTERMEDIATE] = {
		[C_C0] = T(EXECUTE, ESCAPE_INTERMEDIATE),
		[C_BEL] = T(EXECUTE, ESCAPE_INTERMEDIATE),
		ANYWHERE,
		[C_INTER] = T(COLLECT, ESCAPE_INTERMEDIATE),
		PARAMS(ESC_DISPATCH, GROUND),
		FINALS(ESC_DISPATCH, GROUND),
		[C_DEL] = T(NONE, ESCAPE_INTERMEDIATE),
		[C_HIGH] = T(NONE, ESCAPE_INTERMEDIATE),
	},
	[S_CSI_ENTRY] = {
		[C_C0] = T(EXECUTE, CSI_ENTRY),
		[C_BEL] = T(EXECUTE, CSI_ENTRY),
		ANYWHERE,
		[C_INTER] = T(COLLECT, CSI_INTERMEDIATE),
		[C_DIGIT] = T(PARAM, CSI_PARAM),
		[C_COLON] = T(SEP, CSI_PARAM),
		[C_SEMI] = T(SEP, CSI_PARAM),
		[C_PRIV] = T(PREFIX, CSI_PARAM),
		FINALS(CSI_DISPATCH, GROUND),
		[C_DEL] = T(NONE, CSI_ENTRY),
		[C_HIGH] = T(NONE, CSI_ENTRY),
	},
	[S_CSI_PARAM] = {
		[C_C0] = T(EXECUTE, CSI_PARAM),
		[C_BEL] = T(EXECUTE, CSI_PARAM),
		ANYWHERE,
		[C_INTER] = T(COLLECT, CSI_INTERMEDIATE),
		[C_DIGIT] = T(PARAM, CSI_PARAM),
		[C_COLON] = T(SEP, CSI_PARAM),
		[C_SEMI] = T(SEP, CSI_PARAM),
		[C_PRIV] = T(NONE, CSI_IGNORE),
		FINALS(CSI_DISPATCH, GROUND),
		[C_DEL] = T(NONE, CSI_PARAM),
		[C_HIGH] = T(NONE, CSI_PARAM),
	},
	[S_CSI_INTERMEDIATE] = {
		[C_C0] = T(EXECUTE, CSI_INTERMEDIATE),
		[C_BEL] = T(EXECUTE, CSI_INTERMEDIATE),
		ANYWHERE,
		[C_INTER] = T(COLLECT, CSI_INTERMEDIATE),
		PARAMS(NONE, CSI_IGNORE),
		FINALS(CSI_DISPATCH, GROUND),
		[C_DEL] = T(NONE, CSI_INTERMEDIATE),
		[C_HIGH] = T(NONE, CSI_INTERMEDIATE),
	},
	[S_CSI_IGNORE] = {
		[C_C0] = T(EXECUTE, CSI_IGNORE),
		[C_BEL] = T(EXECUTE, CSI_IGNORE),
		ANYWHERE,
		[C_INTER] = T(NONE, CSI_IGNORE),
		PARAMS(NONE, CSI_IGNORE),
		FINALS(NONE, GROUND),
		[C_DEL] = T(NONE, CSI_IGNORE),
		[C_HIGH] = T(NONE, CSI_IGNORE),
	},
	[S_DCS_ENTRY] = {
		[C_C0] = T(NONE, DCS_ENTRY),
		[C_BEL] = T(NONE, DCS_ENTRY),
		ANYWHERE,
		[C_INTER] = T(COLLECT, DCS_INTERMEDIATE),
		[C_DIGIT] = T(PARAM, DCS_PARAM),
		[C_COLON] = T(SEP, DCS_PARAM),
		[C_SEMI] = T(SEP, DCS_PARAM),
		[C_PRIV] = T(PREFIX, DCS_PARAM),
		FINALS(NONE, DCS_PASSTHROUGH),
		[C_DEL] = T(NONE, DCS_ENTRY),
		[C_HIGH] = T(NONE, DCS_ENTRY),
	},
	[S_DCS_PARAM] = {
		[C_C0] = T(NONE, DCS_PARAM),
		[C_BEL] = T(NONE, DCS_PARAM),
		ANYWHERE,
		[C_INTER] = T(COLLECT, DCS_INTERMEDIATE),
		[C_DIGIT] = T(PARAM, DCS_PARAM),
		[C_COLON] = T(SEP, DCS_PARAM),
		[C_SEMI] = T(SEP, DCS_PARAM),
		[C_PRIV] = T(NONE, DCS_IGNORE),
		FINALS(NONE, DCS_PASSTHROUGH),
		[C_DEL] = T(NONE, DCS_PARAM),
		[C_HIGH] = T(NONE, DCS_PARAM),
	},
	[S_DCS_INTERMEDIATE] = {
		[C_C0] = T(NONE, DCS_INTERMEDIATE),
		[C_BEL] = T(NONE, DCS_INTERMEDIATE),
		ANYWHERE,
		[C_INTER] = T(COLLECT, DCS_INTERMEDIATE),
		PARAMS(NONE, DCS_IGNORE),
		FINALS(NONE, DCS_PASSTHROUGH),
		[C_DEL] = T(NONE, DCS_INTERMEDIATE),
		[C_HIGH] = T(NONE, DCS_INTERMEDIATE),
	},
	/* Williams' put: the data is passed on to nobody. */
	[S_DCS_PASSTHROUGH] = {
		ANYWHERE,
		ALL(NONE, DCS_PASSTHROUGH),
	},
	[S_DCS_IGNORE] = {
		ANYWHERE,
		ALL(NONE, DCS_IGNORE),
	},
	/* Williams' osc_put likewise; BEL ends the string, as in xterm. */
	[S_OSC_STRING] = {
		[C_C0] = T(NONE, OSC_STRING),
		[C_BEL] = T(NONE, GROUND),
		ANYWHERE,
		PRINTABLES(NONE, OSC_STRING),
	},
	[S_SOS_PM_APC_STRING] = {
		ANYWHERE,
		ALL(NONE, SOS_PM_APC_STRING),
	},
};

/* Actions on entering a state (Williams' entry). */
static const unsigned char on_entry[S_COUNT] = {
	[S_ESCAPE] = A_CLEAR,
	[S_CSI_ENTRY] = A_CLEAR,
	[S_DCS_ENTRY] = A_CLEAR,
};

/* Actions on leaving a state (Williams' exit: unhook, osc_end). */
static const unsigned char on_exit[S_COUNT] = {
	[S_DCS_PASSTHROUGH] = A_STRING_END,
	[S_DCS_IGNORE] = A_STRING_END,
	[S_OSC_STRING] = A_STRING_END,
	[S_SOS_PM_APC_STRING] = A_STRING_END,
};

static const struct vt_sink no_sink;

static void
clear(struct vt *vt)
{
	memset(&vt->seq, 0, sizeof(vt->seq));
	for (size_t i = 0; i < VT_PARAMS_MAX; i++)
		vt->seq.params[i] = -1;
	vt->np = 0;
	vt->ni = 0;
	vt->overflow = false;
}

static void
param(struct vt *vt, unsigned char c)
{
	if (vt->np == 0)
		vt->np = 1;
	if (vt->np > VT_PARAMS_MAX)
		return;		/* one too many: dropped */
	int *p = &vt->seq.params[vt->np - 1];
	int v = (*p < 0 ? 0 : *p) * 10 + (c - '0');
	*p = v > PARAM_CAP ? PARAM_CAP : v;
}

static void
separate(struct vt *vt)
{
	if (vt->np == 0)
		vt->np = 1;	/* the first one was omitted */
	if (vt->np <= VT_PARAMS_MAX)
		vt->np++;
}

static void
collect(struct vt *vt, unsigned char c)
{
	if (vt->ni == VT_INTERMEDIATES_MAX) {
		vt->overflow = true;
		return;
	}
	vt->seq.inter[vt->ni++] = (char)c;
}

static void
act(struct vt *vt, unsigned char action, unsigned char c,
    const struct vt_sink *sink, void *arg)
{
	switch (action) {
	case A_NONE:
	case A_PRINT:	/* runs are printed by vt_feed */
		break;
	case A_EXECUTE:
		if (sink->execute != NULL)
			sink->execute(arg, c);
		break;
	case A_CLEAR:
		clear(vt);
		break;
	case A_COLLECT:
		collect(vt, c);
		break;
	case A_PREFIX:
		vt->seq.prefix = (char)c;
		break;
	case A_PARAM:
		param(vt, c);
		break;
	case A_SEP:
		separate(vt);
		break;
	case A_ESC_DISPATCH:
	case A_CSI_DISPATCH:
		if (vt->overflow)
			break;
		vt->seq.final = (char)c;
		vt->seq.nparams = vt->np > VT_PARAMS_MAX ? VT_PARAMS_MAX :
		    vt->np;
		if (action == A_ESC_DISPATCH && sink->esc != NULL)
			sink->esc(arg, &vt->seq);
		if (action == A_CSI_DISPATCH && sink->csi != NULL)
			sink->csi(arg, &vt->seq);
		break;
	case A_INTRO:
		vt->kind = (char)c;
		break;
	case A_STRING_END:
		if (sink->string != NULL)
			sink->string(arg, vt->kind);
		break;
	default:
		break;
	}
}

void
vt_init(struct vt *vt)
{
	memset(vt, 0, sizeof(*vt));
	vt->state = S_GROUND;
	clear(vt);
}

bool
vt_ground(const struct vt *vt)
{
	return vt->state == S_GROUND;
}

void
vt_feed(struct vt *vt, const char *data, size_t len,
    const struct vt_sink *sink, void *arg)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t run = 0, i;	/* printable bytes waiting from s + run */

	if (sink == NULL)
		sink = &no_sink;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];
		unsigned char cls = c < 0x80 ? byte_class[c] : C_HIGH;
		struct step st = table[vt->state][cls];

		if (st.action == A_PRINT)
			continue;	/* in ground, staying there */
		if (run < i && sink->print != NULL)
			sink->print(arg, data + run, i - run);
		run = i + 1;
		if (st.next == vt->state) {
			act(vt, st.action, c, sink, arg);
			continue;
		}
		act(vt, on_exit[vt->state], c, sink, arg);
		act(vt, st.action, c, sink, arg);
		vt->state = st.next;
		act(vt, on_entry[vt->state], c, sink, arg);
	}
	if (run < len && sink->print != NULL)
		sink->print(arg, data + run, len - run);
}
