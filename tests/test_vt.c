/*
 * vt: every callback is recorded in a log string, so a test reads as the
 * bytes fed and what the parser made of them:
 *   "text"           print (adjacent runs joined; \n etc. escaped)
 *   ^J               execute (caret notation)
 *   CSI(?1049)h      csi: prefix, parameters ('-' omitted), intermediates,
 *                    final
 *   ESC(B            esc: intermediates, final
 *   STR]             string ended, by kind
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vt.h"

struct rec {
	char log[1 << 16];
	size_t len;
	bool in_print;		/* the log ends inside a print's quotes */
	size_t prints;		/* print calls */
	size_t seqs;		/* csi and esc calls */
	struct vt_seq last;	/* the last sequence dispatched */
};

static struct rec rec;
static struct vt vt;

static void
put(struct rec *r, const char *s)
{
	size_t n = strlen(s);

	assert_true(r->len + n < sizeof(r->log));
	memcpy(r->log + r->len, s, n + 1);
	r->len += n;
}

/* Close a print and separate the next entry. */
static void
next_entry(struct rec *r)
{
	if (r->in_print)
		put(r, "\"");
	r->in_print = false;
	if (r->len > 0)
		put(r, " ");
}

static void
on_print(void *arg, const char *bytes, size_t len)
{
	struct rec *r = arg;
	char esc[8];

	assert_true(len > 0);
	if (!r->in_print) {
		next_entry(r);
		put(r, "\"");
	}
	r->in_print = true;
	r->prints++;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)bytes[i];

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		else
			snprintf(esc, sizeof(esc), "%c", c);
		put(r, esc);
	}
}

static void
on_execute(void *arg, unsigned char c)
{
	struct rec *r = arg;
	char s[4] = { '^', (char)(c ^ 0x40), '\0', '\0' };

	assert_true(c < 0x20);
	next_entry(r);
	put(r, s);
}

static void
put_seq(struct rec *r, const char *kind, const struct vt_seq *seq,
    bool params)
{
	char s[32];

	next_entry(r);
	put(r, kind);
	if (params) {
		put(r, "(");
		if (seq->prefix != 0) {
			snprintf(s, sizeof(s), "%c", seq->prefix);
			put(r, s);
		}
		for (size_t i = 0; i < seq->nparams; i++) {
			if (seq->params[i] < 0)
				snprintf(s, sizeof(s), "%s-", i ? "," : "");
			else
				snprintf(s, sizeof(s), "%s%d", i ? "," : "",
				    seq->params[i]);
			put(r, s);
		}
		put(r, ")");
	}
	assert_true(strlen(seq->inter) <= VT_INTERMEDIATES_MAX);
	put(r, seq->inter);
	snprintf(s, sizeof(s), "%c", seq->final);
	put(r, s);
	r->seqs++;
	r->last = *seq;
}

static void
on_csi(void *arg, const struct vt_seq *seq)
{
	put_seq(arg, "CSI", seq, true);
}

static void
on_esc(void *arg, const struct vt_seq *seq)
{
	assert_int_equal(seq->nparams, 0);
	assert_int_equal(seq->prefix, 0);
	put_seq(arg, "ESC", seq, false);
}

static void
on_string(void *arg, char kind)
{
	struct rec *r = arg;
	char s[8];

	assert_non_null(strchr("]PX^_", kind));
	next_entry(r);
	snprintf(s, sizeof(s), "STR%c", kind);
	put(r, s);
}

static const struct vt_sink sink = {
	.print = on_print,
	.execute = on_execute,
	.csi = on_csi,
	.esc = on_esc,
	.string = on_string,
};

static void
rec_reset(struct rec *r)
{
	r->log[0] = '\0';
	r->len = 0;
	r->in_print = false;
	r->prints = 0;
	r->seqs = 0;
	memset(&r->last, 0, sizeof(r->last));
}

static const char *
rec_log(struct rec *r)
{
	if (r->in_print)
		put(r, "\"");
	r->in_print = false;
	return r->log;
}

/* Feed s to the parser as it stands; the log of what it reported. */
static const char *
more(const char *s)
{
	rec_reset(&rec);
	vt_feed(&vt, s, strlen(s), &sink, &rec);
	return rec_log(&rec);
}

/* Feed s to a new parser; the log of what it reported. */
static const char *
parse(const char *s)
{
	vt_init(&vt);
	return more(s);
}

static void
test_text_is_printed_in_maximal_runs(void **state)
{
	(void)state;
	assert_string_equal(parse("hello, world"), "\"hello, world\"");
	assert_int_equal(rec.prints, 1);
	assert_true(vt_ground(&vt));
	assert_string_equal(parse("ab\r\ncd"), "\"ab\" ^M ^J \"cd\"");
	assert_int_equal(rec.prints, 2);
	/* UTF-8 is text: one run */
	assert_string_equal(parse("h\xc3\xa9llo \xe2\x9c\x94 \xe4\xbd\xa0"),
	    "\"h\xc3\xa9llo \xe2\x9c\x94 \xe4\xbd\xa0\"");
	assert_int_equal(rec.prints, 1);
	/* a sequence ends a run */
	assert_string_equal(parse("ab\x1b[1mcd"), "\"ab\" CSI(1)m \"cd\"");
	assert_int_equal(rec.prints, 2);
	/* every printable ASCII byte */
	char all[0x60];
	for (int c = 0x20; c < 0x7f; c++)
		all[c - 0x20] = (char)c;
	all[0x5f] = '\0';
	rec_reset(&rec);
	vt_init(&vt);
	vt_feed(&vt, all, strlen(all), &sink, &rec);
	assert_int_equal(rec.prints, 1);
	assert_int_equal(rec.seqs, 0);
	assert_true(vt_ground(&vt));
}

static void
test_c0_controls_are_executed(void **state)
{
	(void)state;
	assert_string_equal(parse("\b\t\n\v\f\r\a\x0e\x0f\x1c\x1f"),
	    "^H ^I ^J ^K ^L ^M ^G ^N ^O ^\\ ^_");
	rec_reset(&rec);
	vt_init(&vt);
	vt_feed(&vt, "a\0b", 3, &sink, &rec);
	assert_string_equal(rec_log(&rec), "\"a\" ^@ \"b\"");
}

static void
test_csi_with_and_without_parameters(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1b[m"), "CSI()m");
	assert_int_equal(rec.last.nparams, 0);
	assert_int_equal(rec.last.prefix, 0);
	assert_string_equal(rec.last.inter, "");
	assert_int_equal(rec.last.final, 'm');
	assert_true(vt_ground(&vt));
	assert_string_equal(parse("\x1b[0m"), "CSI(0)m");
	assert_int_equal(rec.last.nparams, 1);
	assert_int_equal(rec.last.params[0], 0);
	/* cursor moves: up, down, forward, back, CUP, home */
	assert_string_equal(parse("\x1b[A\x1b[3A\x1b[2B\x1b[10C\x1b[4D"),
	    "CSI()A CSI(3)A CSI(2)B CSI(10)C CSI(4)D");
	assert_string_equal(parse("\x1b[12;40H"), "CSI(12,40)H");
	assert_int_equal(rec.last.nparams, 2);
	assert_int_equal(rec.last.params[0], 12);
	assert_int_equal(rec.last.params[1], 40);
	assert_string_equal(parse("\x1b[H\x1b[2J\x1b[K"),
	    "CSI()H CSI(2)J CSI()K");
	/* omitted parameters are -1 */
	assert_string_equal(parse("\x1b[;5H"), "CSI(-,5)H");
	assert_int_equal(rec.last.params[0], -1);
	assert_int_equal(rec.last.params[1], 5);
	assert_string_equal(parse("\x1b[5;H"), "CSI(5,-)H");
	assert_string_equal(parse("\x1b[;H"), "CSI(-,-)H");
	assert_string_equal(parse("\x1b[007;0010f"), "CSI(7,10)f");
	/* every byte 0x40-0x7E is a final */
	for (int c = 0x40; c < 0x7f; c++) {
		char s[4] = { '\x1b', '[', (char)c, '\0' };

		parse(s);
		assert_int_equal(rec.seqs, 1);
		assert_int_equal(rec.last.final, c);
		assert_true(vt_ground(&vt));
	}
}

static void
test_sgr_and_its_many_parameters(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1b[1;31;42mred\x1b[0m"),
	    "CSI(1,31,42)m \"red\" CSI(0)m");
	assert_string_equal(parse("\x1b[38;2;255;128;0m"),
	    "CSI(38,2,255,128,0)m");
	/* ':' separates like ';': sub-parameters are flattened */
	assert_string_equal(parse("\x1b[38:5:196m"), "CSI(38,5,196)m");
	assert_string_equal(parse("\x1b[38:2::255:0:0m"),
	    "CSI(38,2,-,255,0,0)m");
	assert_string_equal(parse("\x1b[4:3m\x1b[:m"), "CSI(4,3)m CSI(-,-)m");
	/* VT_PARAMS_MAX kept; more are dropped and it still dispatches */
	assert_string_equal(
	    parse("\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16m"),
	    "CSI(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16)m");
	assert_string_equal(
	    parse("\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20m"),
	    "CSI(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16)m");
	assert_int_equal(rec.last.nparams, VT_PARAMS_MAX);
	assert_string_equal(
	    parse("\x1b[;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;9m"),
	    "CSI(-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-)m");
	/* a value saturates instead of overflowing */
	assert_string_equal(parse("\x1b[99999999999999999999999;65535;65536H"),
	    "CSI(65535,65535,65535)H");
	assert_string_equal(parse("\x1b[2147483648;4294967296m"),
	    "CSI(65535,65535)m");
}

static void
test_private_marker_only_first(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1b[?1049h\x1b[?1049l"),
	    "CSI(?1049)h CSI(?1049)l");
	assert_int_equal(rec.last.prefix, '?');
	assert_int_equal(rec.last.params[0], 1049);
	assert_string_equal(parse("\x1b[?25l\x1b[?25h\x1b[?7;2004h"),
	    "CSI(?25)l CSI(?25)h CSI(?7,2004)h");
	assert_string_equal(parse("\x1b[>c\x1b[=c\x1b[<1;2;3M\x1b[?u"),
	    "CSI(>)c CSI(=)c CSI(<1,2,3)M CSI(?)u");
	/* later, it sends the sequence to csi_ignore: no dispatch */
	assert_string_equal(parse("\x1b[1?hA"), "\"A\"");
	assert_string_equal(parse("\x1b[?1;?2hA"), "\"A\"");
	assert_string_equal(parse("\x1b[??hA"), "\"A\"");
	assert_string_equal(parse("\x1b[ 1qA"), "\"A\"");
	assert_string_equal(parse("\x1b[1 ;qA"), "\"A\"");
	/* csi_ignore executes C0 and ends on the final */
	assert_string_equal(parse("\x1b[1?\r\x1b\x7f"), "^M");
	assert_false(vt_ground(&vt));
	assert_string_equal(parse("\x1b[1?\r9hA"), "^M \"A\"");
	assert_true(vt_ground(&vt));
}

static void
test_intermediates_and_their_overflow(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1b[1 q\x1b[!p\x1b[2\"q"),
	    "CSI(1) q CSI()!p CSI(2)\"q");
	assert_string_equal(rec.last.inter, "\"");
	assert_string_equal(parse("\x1b[?1$p"), "CSI(?1)$p");
	assert_string_equal(parse("\x1b[ !q"), "CSI() !q");
	assert_string_equal(rec.last.inter, " !");
	/* more than VT_INTERMEDIATES_MAX: not dispatched */
	assert_string_equal(parse("\x1b[1 !\"qA"), "\"A\"");
	assert_true(vt_ground(&vt));
	assert_string_equal(parse("\x1b(((BA"), "\"A\"");
	/* and the next sequence is whole again */
	assert_string_equal(more("\x1b[1 q\x1b(0"), "CSI(1) q ESC(0");
}

static void
test_esc_sequences(void **state)
{
	(void)state;
	assert_string_equal(
	    parse("\x1b" "7\x1b" "8\x1bM\x1b" "c\x1b" "D\x1b" "E"),
	    "ESC7 ESC8 ESCM ESCc ESCD ESCE");
	assert_string_equal(parse("\x1b=\x1b>\x1b<\x1b;\x1b:\x1b" "0"),
	    "ESC= ESC> ESC< ESC; ESC: ESC0");
	assert_string_equal(parse("\x1b(B\x1b)0\x1b#8\x1b%G\x1b(%5"),
	    "ESC(B ESC)0 ESC#8 ESC%G ESC(%5");
	assert_string_equal(rec.last.inter, "(%");
	assert_int_equal(rec.last.final, '5');
	assert_int_equal(rec.last.nparams, 0);
	/* the intermediates' finals include P [ \ ] X ^ _ */
	assert_string_equal(
	    parse("\x1b(P\x1b([\x1b(\\\x1b(]\x1b(X\x1b(^\x1b(_"),
	    "ESC(P ESC([ ESC(\\ ESC(] ESC(X ESC(^ ESC(_");
	assert_true(vt_ground(&vt));
	/* ESC ESC starts again; a lone ESC waits */
	assert_string_equal(parse("\x1b\x1b" "7"), "ESC7");
	assert_string_equal(parse("\x1b"), "");
	assert_false(vt_ground(&vt));
	assert_string_equal(more("("), "");
	assert_false(vt_ground(&vt));
	assert_string_equal(more("B"), "ESC(B");
	assert_true(vt_ground(&vt));
}

static void
test_osc_ended_by_bel_and_by_st(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1b]0;title\aafter"), "STR] \"after\"");
	assert_true(vt_ground(&vt));
	assert_string_equal(parse("\x1b]2;title\x1b\\after"),
	    "STR] \"after\"");
	/* the ESC of ST ends the string; '\' then dispatches nothing */
	assert_string_equal(parse("\x1b]2;title"), "");
	assert_false(vt_ground(&vt));
	assert_string_equal(more("\x1b"), "STR]");
	assert_false(vt_ground(&vt));
	assert_string_equal(more("\\"), "");
	assert_true(vt_ground(&vt));
	/* text, UTF-8, C0, DEL and ';' inside are the string's */
	assert_string_equal(
	    parse("\x1b]8;;http://x/\xc3\xa9\t\n\x7f\a\x1b]8;;\a"),
	    "STR] STR]");
	/* another sequence interrupts it */
	assert_string_equal(parse("\x1b]0;t\x1b[2Ax"), "STR] CSI(2)A \"x\"");
	/* a lone ST reports nothing */
	assert_string_equal(parse("a\x1b\\b"), "\"ab\"");
}

static void
test_dcs_passthrough_is_not_printed(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1bP1$r0m\x1b\\x"), "STRP \"x\"");
	assert_string_equal(
	    parse("\x1bP>|text \xc3\xa9\n\a\x0e\x7f more\x1b\\x"),
	    "STRP \"x\"");
	assert_string_equal(parse("\x1bPq#0;2;0;0;0#1!14~-\x1b\\"), "STRP");
	/* C0 in the header is ignored, not executed */
	assert_string_equal(parse("\x1bP1\n;2 \r|data\x1b\\"), "STRP");
	/* a bad header is ignored until ST, then reported ended */
	assert_string_equal(parse("\x1bP1?x\x1b\\y"), "STRP \"y\"");
	assert_string_equal(parse("\x1bP $x\x1b\\y"), "STRP \"y\"");
	assert_string_equal(parse("\x1bP1;2"), "");
	assert_false(vt_ground(&vt));
	assert_string_equal(more("|abc"), "");
	assert_false(vt_ground(&vt));
	assert_string_equal(more("\x1b\\"), "STRP");
	assert_true(vt_ground(&vt));
}

static void
test_sos_pm_apc_strings_are_swallowed(void **state)
{
	(void)state;
	assert_string_equal(
	    parse("\x1bXsos\x1b\\\x1b^pm\x1b\\\x1b_apc\x1b\\ok"),
	    "STRX STR^ STR_ \"ok\"");
	/* only ST ends them: BEL and other C0 are part of the string */
	assert_string_equal(parse("\x1b_G\xc3\xa9\a\r\n;x\x1b\\ok"),
	    "STR_ \"ok\"");
}

static void
test_can_and_sub_abort_to_ground(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1b[12\x18" "A"), "^X \"A\"");
	assert_true(vt_ground(&vt));
	assert_string_equal(parse("\x1b[?12\x1a" "A"), "^Z \"A\"");
	assert_string_equal(parse("\x1b\x18" "7"), "^X \"7\"");
	assert_string_equal(parse("\x1b(\x1a" "B"), "^Z \"B\"");
	assert_string_equal(parse("\x1b[1?\x18" "h"), "^X \"h\"");
	assert_string_equal(parse("\x1bP1q\x1a" "x"), "STRP ^Z \"x\"");
	assert_string_equal(parse("\x1bP1\x18" "x"), "^X \"x\"");
	assert_string_equal(parse("\x1b]0;t\x18" "x"), "STR] ^X \"x\"");
	assert_string_equal(parse("\x1b^pm\x1a" "x"), "STR^ ^Z \"x\"");
	assert_string_equal(parse("a\x18" "b"), "\"a\" ^X \"b\"");
}

static void
test_c0_executed_inside_csi_and_escape(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1b[1\n2H"), "^J CSI(12)H");
	assert_string_equal(parse("\x1b[\r?5\bh"), "^M ^H CSI(?5)h");
	assert_string_equal(parse("\x1b[1 \a\tq"), "^G ^I CSI(1) q");
	assert_string_equal(parse("\x1b\r7"), "^M ESC7");
	assert_string_equal(parse("\x1b(\n0"), "^J ESC(0");
}

static void
test_high_bytes_printed_in_ground_ignored_in_sequences(void **state)
{
	(void)state;
	assert_string_equal(parse("\x80\x9b\x9d\x90\xff"),
	    "\"\x80\x9b\x9d\x90\xff\"");
	assert_true(vt_ground(&vt));
	assert_string_equal(parse("\x1b[1\xc3\xa9" "2H"), "CSI(12)H");
	assert_string_equal(parse("\x1b[\x9b" "5A"), "CSI(5)A");
	assert_string_equal(parse("\x1b[1 \x80q"), "CSI(1) q");
	assert_string_equal(parse("\x1b[1?\x9c" "h"), "");
	assert_string_equal(parse("\x1b\xc3\xa9" "7"), "ESC7");
	assert_string_equal(parse("\x1b(\xc3\xa9" "B"), "ESC(B");
	assert_string_equal(parse("\x1bP\x9c" "1|\x9c\x1b\\"), "STRP");
	/* C1 ST (0x9C) does not end a string */
	assert_string_equal(parse("\x1b]0;\x9c" "x\a"), "STR]");
}

static void
test_del_is_ignored(void **state)
{
	(void)state;
	assert_string_equal(parse("a\x7f" "b"), "\"ab\"");
	assert_int_equal(rec.prints, 2);
	assert_string_equal(parse("\x7f"), "");
	assert_string_equal(parse("\x1b[1\x7f;\x7f" "2\x7fH"), "CSI(1,2)H");
	assert_string_equal(parse("\x1b[\x7f?1\x7f" "h"), "CSI(?1)h");
	assert_string_equal(parse("\x1b\x7f" "7\x1b(\x7f" "B"), "ESC7 ESC(B");
	assert_string_equal(parse("\x1b[1 \x7fq"), "CSI(1) q");
	assert_string_equal(parse("\x1bP\x7f" "1|\x7f\x1b\\"), "STRP");
}

static void
test_esc_restarts_a_sequence(void **state)
{
	(void)state;
	assert_string_equal(parse("\x1b[12\x1b[3A"), "CSI(3)A");
	/* nothing of the abandoned sequence is left */
	assert_string_equal(parse("\x1b[?1;2 \x1b[5h"), "CSI(5)h");
	assert_int_equal(rec.last.prefix, 0);
	assert_int_equal(rec.last.nparams, 1);
	assert_string_equal(rec.last.inter, "");
	assert_string_equal(parse("\x1b[1 !\x1b(B"), "ESC(B");
	assert_string_equal(parse("\x1bP1;2\x1b[m"), "CSI()m");
	assert_string_equal(parse("\x1bP1;2|x\x1b[m"), "STRP CSI()m");
}

static void
test_ground_and_init(void **state)
{
	(void)state;
	vt_init(&vt);
	assert_true(vt_ground(&vt));
	const char *steps = "\x1b[?1049h";
	for (const char *p = steps; *p; p++) {
		assert_false(p > steps && vt_ground(&vt));
		vt_feed(&vt, p, 1, &sink, &rec);
	}
	assert_true(vt_ground(&vt));
	const char *starts[] = { "\x1b", "\x1b(", "\x1b[", "\x1b[1", "\x1b[ ",
	    "\x1b[1?", "\x1bP", "\x1bP1", "\x1bP ", "\x1bPq", "\x1bP?1?",
	    "\x1b]", "\x1bX", "\x1b^", "\x1b_" };
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		parse(starts[i]);
		assert_false(vt_ground(&vt));
		vt_init(&vt);
		assert_true(vt_ground(&vt));
		assert_string_equal(more("x"), "\"x\"");
	}
	/* empty feeds, no sink at all, no callbacks */
	const char *all = "\x1b[1mab\x1b]0;t\a\x1bPq\x1b\\\r\x1b(B";
	const struct vt_sink none = { 0 };
	vt_feed(&vt, NULL, 0, &sink, &rec);
	vt_feed(&vt, all, strlen(all), NULL, NULL);
	assert_true(vt_ground(&vt));
	vt_feed(&vt, all, strlen(all), &none, NULL);
	assert_true(vt_ground(&vt));
}

/* Inputs that cross every state; some end inside a sequence. */
static const char *const corpus[] = {
	"plain text, nothing else",
	"\x1b[A\x1b[3B\x1b[12;40H\x1b[;5H\x1b[5;H\x1b[H\x1b[2J\x1b[K",
	"\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;38;5;196m\x1b[m",
	"\x1b[38:5:196m\x1b[38:2::1:2:3mcolour\x1b[0m",
	"\x1b]0;a title \xc3\xa9\aafter",
	"\x1b]2;another title\x1b\\after",
	"\x1b]8;;http://example.com/\x1b\\link\x1b]8;;\x1b\\",
	"\x1bP1$r0m\x1b\\\x1bPq#0;2;0;0;0#1!14~-\x1b\\done",
	"\x1bP>|passthrough \n\a text\x1b\\x",
	"\x1bXsos\x1b\\\x1b^pm\x1b\\\x1b_apc\a\x1b\\ok",
	"\x1b[12\x18" "A\x1b[?5\x1a" "B\x1b]0;t\x18" "C\x1bP1q\x1a" "D",
	"\x1b[12\x1b[3A\x1b[?1;2 \x1b[5h\x1b\x1b" "7",
	"h\xc3\xa9llo \xe2\x9c\x94 w\xc3\xb6rld \xe4\xbd\xa0\xe5\xa5\xbd\r\n",
	"\x1b[?1049h\x1b[?25l\x1b[?1049l\x1b[?25h",
	"\x1b(B\x1b)0\x1b#8\x1b(((B\x1b[1 !\"q",
	"\x1b" "7\x1b[5;5H\x1b" "8\x1bM\x1b" "c",
	"a\x7f" "b\x1b[1\x7f;2H\x1b\x7f" "7\x1b]0;\x7f\a",
	"\x1b[1\n2H\x1b\r7\x1b(\t0\x1b[1?\r9h",
	"\x1b[1\xc3\xa9" "2H\x1b\xe2\x9c\x94" "7\x80\xff",
	"\x1b[1?h\x1b[??h\x1b[1 ;q\x1b[ 1qz",
	"Downloading... 42%\r\x1b[KDownloading... 43%\x1b[1A\x1b[2K",
	"unterminated \x1b[12;",
	"unterminated \x1b]0;title",
	"unterminated \x1bP1|data\x1b",
};

/* The log of s fed in pieces cut at cut[0] < cut[1] < ... < len. */
static const char *
feed_cut(const char *s, size_t len, const size_t *cut, size_t ncut,
    bool *ground)
{
	size_t from = 0;

	vt_init(&vt);
	rec_reset(&rec);
	for (size_t i = 0; i <= ncut; i++) {
		size_t to = i < ncut ? cut[i] : len;

		vt_feed(&vt, s + from, to - from, &sink, &rec);
		from = to;
	}
	*ground = vt_ground(&vt);
	return rec_log(&rec);
}

static void
check_splits(const char *s, size_t len)
{
	static char whole[sizeof(rec.log)];
	bool whole_ground, ground;
	size_t cut[2];

	strcpy(whole, feed_cut(s, len, NULL, 0, &whole_ground));
	/* one byte at a time */
	vt_init(&vt);
	rec_reset(&rec);
	for (size_t i = 0; i < len; i++)
		vt_feed(&vt, s + i, 1, &sink, &rec);
	assert_string_equal(rec_log(&rec), whole);
	assert_int_equal(vt_ground(&vt), whole_ground);
	/* in two and in three pieces, cut anywhere (pieces may be empty) */
	for (cut[0] = 0; cut[0] <= len; cut[0]++) {
		assert_string_equal(feed_cut(s, len, cut, 1, &ground), whole);
		assert_int_equal(ground, whole_ground);
		for (cut[1] = cut[0]; cut[1] <= len; cut[1]++) {
			assert_string_equal(feed_cut(s, len, cut, 2, &ground),
			    whole);
			assert_int_equal(ground, whole_ground);
		}
	}
}

static void
test_splitting_anywhere_changes_nothing(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		check_splits(corpus[i], strlen(corpus[i]));
	/* and the corpus as one stream */
	static char all[4096];
	size_t len = 0;
	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		size_t n = strlen(corpus[i]);

		assert_true(len + n < sizeof(all));
		memcpy(all + len, corpus[i], n);
		len += n;
	}
	bool ground;
	const size_t cut[] = { 1, 7, 100, 101, 333, 600, len - 1 };
	static char whole[sizeof(rec.log)];
	assert_true(len > 601);
	strcpy(whole, feed_cut(all, len, NULL, 0, &ground));
	assert_string_equal(feed_cut(all, len, cut, 7, &ground), whole);
}

/* A deterministic stream rich in the bytes that matter to the parser. */
static uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 16;
}

static void
test_random_streams_split_the_same(void **state)
{
	static const char alphabet[] = "\x1b\x1b\x1b[[]]P X^_\\?>;;:0123456789"
	    "\a\x18\x1a\r\n\x7f\x80\x9c\xc3\xa9!\"$(mAHhlqr|";
	static char s[2048];
	uint32_t x = 42;

	(void)state;
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < sizeof(s); i++)
			s[i] = alphabet[lcg(&x) % (sizeof(alphabet) - 1)];
		vt_init(&vt);
		rec_reset(&rec);
		vt_feed(&vt, s, sizeof(s), &sink, &rec);
		static char whole[sizeof(rec.log)];
		strcpy(whole, rec_log(&rec));
		bool ground = vt_ground(&vt);
		vt_init(&vt);
		rec_reset(&rec);
		for (size_t i = 0, n; i < sizeof(s); i += n) {
			n = lcg(&x) % 9;
			if (n > sizeof(s) - i)
				n = sizeof(s) - i;
			vt_feed(&vt, s + i, n, &sink, &rec);
		}
		assert_string_equal(rec_log(&rec), whole);
		assert_int_equal(vt_ground(&vt), ground);
	}
}

/* Every byte in every state: never stuck, and CAN always brings ground. */
static void
test_every_byte_in_every_state(void **state)
{
	static const char *const starts[] = { "", "\x1b", "\x1b(", "\x1b[",
	    "\x1b[1", "\x1b[ ", "\x1b[1?", "\x1bP", "\x1bP1", "\x1bP ",
	    "\x1bPq", "\x1bP?1?", "\x1b]", "\x1bX" };

	(void)state;
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		for (int c = 0; c < 256; c++) {
			char b = (char)c;

			parse(starts[i]);
			vt_feed(&vt, &b, 1, &sink, &rec);
			vt_feed(&vt, "\x18", 1, &sink, &rec);
			assert_true(vt_ground(&vt));
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_printed_in_maximal_runs),
		cmocka_unit_test(test_c0_controls_are_executed),
		cmocka_unit_test(test_csi_with_and_without_parameters),
		cmocka_unit_test(test_sgr_and_its_many_parameters),
		cmocka_unit_test(test_private_marker_only_first),
		cmocka_unit_test(test_intermediates_and_their_overflow),
		cmocka_unit_test(test_esc_sequences),
		cmocka_unit_test(test_osc_ended_by_bel_and_by_st),
		cmocka_unit_test(test_dcs_passthrough_is_not_printed),
		cmocka_unit_test(test_sos_pm_apc_strings_are_swallowed),
		cmocka_unit_test(test_can_and_sub_abort_to_ground),
		cmocka_unit_test(test_c0_executed_inside_csi_and_escape),
		cmocka_unit_test(
		    test_high_bytes_printed_in_ground_ignored_in_sequences),
		cmocka_unit_test(test_del_is_ignored),
		cmocka_unit_test(test_esc_restarts_a_sequence),
		cmocka_unit_test(test_ground_and_init),
		cmocka_unit_test(test_splitting_anywhere_changes_nothing),
		cmocka_unit_test(test_random_streams_split_the_same),
		cmocka_unit_test(test_every_byte_in_every_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
