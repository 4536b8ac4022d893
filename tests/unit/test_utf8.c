/*
 * test_utf8: unit tests of src/utf8.c, natively, under AddressSanitizer and
 * UBSan.
 *
 * The decoder is tried at every edge of RFC 3629's table (section 4): the
 * first and last code point of each length, the overlong forms just below,
 * the surrogates, the code points just above U+10FFFF, the bytes that are
 * never leads, and sequences cut short by the end of the string or by a
 * byte that is not a continuation. Each input is copied into a heap block of
 * exactly its size, so that ASan sees any read past its NUL. The message
 * helpers are then checked at the character boundaries where they cut.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

/* utf8_decode on a heap copy of S; *CP is preset to a marker. */
static size_t
decode(const char *s, uint32_t *cp)
{
	size_t len = strlen(s) + 1;
	char *copy = malloc(len);
	size_t n;

	if (copy == NULL)
		abort();
	memcpy(copy, s, len);
	*cp = 0xdeadbeefu;
	n = utf8_decode(copy, cp);
	free(copy);
	return n;
}

static void
valid(const char *title, const char *s, size_t len, uint32_t want)
{
	uint32_t cp;
	size_t n = decode(s, &cp);

	ok(n == len && cp == want, "decodes %s: length %zu, U+%04X", title,
	    len, (unsigned)want);
	if (n != len || cp != want)
		diag("got length %zu, U+%04X", n, (unsigned)cp);
}

static void
invalid(const char *title, const char *s)
{
	uint32_t cp;
	size_t n = decode(s, &cp);

	ok(n == 0 && cp == 0xdeadbeefu, "rejects %s (returns 0, *cp untouched)",
	    title);
}

static void
test_decode(void)
{
	valid("NUL", "", 1, 0);
	valid("ASCII", "A", 1, 'A');
	valid("U+007F", "\x7f", 1, 0x7f);
	valid("U+0080 (first of 2 bytes)", "\xc2\x80", 2, 0x80);
	valid("U+00E9", "\xc3\xa9x", 2, 0xe9);
	valid("U+07FF (last of 2 bytes)", "\xdf\xbf", 2, 0x7ff);
	valid("U+0800 (first of 3 bytes)", "\xe0\xa0\x80", 3, 0x800);
	valid("U+20AC", "\xe2\x82\xac", 3, 0x20ac);
	valid("U+D7FF (before the surrogates)", "\xed\x9f\xbf", 3, 0xd7ff);
	valid("U+E000 (after the surrogates)", "\xee\x80\x80", 3, 0xe000);
	valid("U+FFFD", "\xef\xbf\xbd", 3, 0xfffd);
	valid("U+FFFF (last of 3 bytes)", "\xef\xbf\xbf", 3, 0xffff);
	valid("U+10000 (first of 4 bytes)", "\xf0\x90\x80\x80", 4, 0x10000);
	valid("U+1F600", "\xf0\x9f\x98\x80", 4, 0x1f600);
	valid("U+10FFFF (the last code point)", "\xf4\x8f\xbf\xbf", 4,
	    0x10ffff);

	invalid("a lone continuation byte 0x80", "\x80");
	invalid("a lone continuation byte 0xBF", "\xbf");
	invalid("overlong U+0000 (C0 80)", "\xc0\x80");
	invalid("overlong U+007F (C1 BF)", "\xc1\xbf");
	invalid("overlong U+0000 in 3 bytes (E0 80 80)", "\xe0\x80\x80");
	invalid("overlong U+07FF in 3 bytes (E0 9F BF)", "\xe0\x9f\xbf");
	invalid("overlong U+0000 in 4 bytes (F0 80 80 80)",
	    "\xf0\x80\x80\x80");
	invalid("overlong U+FFFF in 4 bytes (F0 8F BF BF)",
	    "\xf0\x8f\xbf\xbf");
	invalid("the first surrogate U+D800", "\xed\xa0\x80");
	invalid("the last high surrogate U+DBFF", "\xed\xaf\xbf");
	invalid("the first low surrogate U+DC00", "\xed\xb0\x80");
	invalid("the last surrogate U+DFFF", "\xed\xbf\xbf");
	invalid("a CESU-8 pair for U+10000", "\xed\xa0\x80\xed\xb0\x80");
	invalid("U+110000 (F4 90 80 80)", "\xf4\x90\x80\x80");
	invalid("U+13FFFF (F4 BF BF BF)", "\xf4\xbf\xbf\xbf");
	invalid("lead byte F5", "\xf5\x80\x80\x80");
	invalid("lead byte F8 (5-byte form)", "\xf8\x88\x80\x80\x80");
	invalid("lead byte FC (6-byte form)", "\xfc\x84\x80\x80\x80\x80");
	invalid("byte FE", "\xfe");
	invalid("byte FF", "\xff");
	invalid("2 bytes cut by the end", "\xc3");
	invalid("3 bytes cut after 1", "\xe2");
	invalid("3 bytes cut after 2", "\xe2\x82");
	invalid("4 bytes cut after 1", "\xf0");
	invalid("4 bytes cut after 2", "\xf0\x9f");
	invalid("4 bytes cut after 3", "\xf0\x9f\x98");
	invalid("2 bytes with ASCII second", "\xc3" "A");
	invalid("3 bytes with ASCII second", "\xe2(\xa1");
	invalid("3 bytes with ASCII third", "\xe2\x82(");
	invalid("4 bytes with ASCII fourth", "\xf0\x9f\x98(");
	invalid("3 bytes with a lead byte third", "\xe2\x82\xc3\xa9");
}

static void
test_is_control(void)
{
	static const struct {
		uint32_t cp;
		int want;
	} t[] = {
		{ 0x00, 1 }, { 0x09, 1 }, { 0x1b, 1 }, { 0x1f, 1 },
		{ 0x20, 0 }, { 0x7e, 0 }, { 0x7f, 1 }, { 0x80, 1 },
		{ 0x9b, 1 }, { 0x9f, 1 }, { 0xa0, 0 }, { 0xe9, 0 },
		{ 0x2028, 0 }, { 0xfffd, 0 }, { 0x10ffff, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		is_int(utf8_is_control(t[i].cp), t[i].want,
		    "utf8_is_control(U+%04X)", (unsigned)t[i].cp);
}

static void
trims(const char *title, const char *s, const char *want)
{
	char buf[64];

	strcpy(buf, s);
	utf8_trim_cut(buf);
	is_str(buf, want, "utf8_trim_cut: %s", title);
}

static void
test_trim_cut(void)
{
	trims("empty", "", "");
	trims("ASCII", "abc", "abc");
	trims("a whole 2-byte character", "ab\xc3\xa9", "ab\xc3\xa9");
	trims("a whole 3-byte character", "ab\xe2\x82\xac", "ab\xe2\x82\xac");
	trims("a whole 4-byte character", "ab\xf0\x9f\x98\x80",
	    "ab\xf0\x9f\x98\x80");
	trims("2 bytes cut after 1", "ab\xc3", "ab");
	trims("3 bytes cut after 1", "ab\xe2", "ab");
	trims("3 bytes cut after 2", "ab\xe2\x82", "ab");
	trims("4 bytes cut after 1", "ab\xf0", "ab");
	trims("4 bytes cut after 2", "ab\xf0\x9f", "ab");
	trims("4 bytes cut after 3", "ab\xf0\x9f\x98", "ab");
	trims("a cut after a whole character", "\xc3\xa9\xe2\x82",
	    "\xc3\xa9");
	trims("stray continuation bytes after ASCII", "ab\x80\x80", "ab");
	trims("only continuation bytes (nothing to anchor on)", "\x80\x80",
	    "\x80\x80");
}

/* utf8_format into a heap block of exactly SIZE bytes. */
static void
formats(const char *title, size_t size, const char *arg, int want_rc,
    const char *want)
{
	char *buf = malloc(size);
	int rc;

	if (buf == NULL)
		abort();
	rc = utf8_format(buf, size, "ab%s", arg);
	is_int(rc, want_rc, "utf8_format %s: returns %d", title, want_rc);
	is_str(buf, want, "utf8_format %s: the text", title);
	free(buf);
}

static void
test_format(void)
{
	char one = 'x';

	formats("that fits", 8, "\xc3\xa9", 0, "ab\xc3\xa9");
	formats("that fits exactly", 5, "\xc3\xa9", 0, "ab\xc3\xa9");
	formats("cut at a boundary", 3, "cd", 1, "ab");
	formats("cut inside a 2-byte character", 4, "\xc3\xa9", 1, "ab");
	formats("cut inside a 3-byte character", 5, "\xe2\x82\xac", 1, "ab");
	formats("cut after 3 of 4 bytes", 6, "\xf0\x9f\x98\x80", 1, "ab");
	formats("cut after a whole character", 6, "\xc3\xa9\xe2\x82\xac", 1,
	    "ab\xc3\xa9");
	is_int(utf8_format(NULL, 0, "x"), 1, "utf8_format: NULL buffer");
	is_int(utf8_format(&one, 0, "x"), 1, "utf8_format: size 0");
	is_int(one, 'x', "utf8_format: size 0 writes nothing");
}

/* utf8_quote into a heap block of exactly UTF8_QUOTE_SIZE(MAX) bytes. */
static void
quotes(const char *title, size_t max, const char *s, int quoted,
    const char *want)
{
	char *buf = malloc(UTF8_QUOTE_SIZE(max));

	if (buf == NULL)
		abort();
	is_str(utf8_quote(buf, max, s, quoted), want, "utf8_quote: %s",
	    title);
	free(buf);
}

static void
test_quote(void)
{
	quotes("plain", 10, "abc", 1, "\"abc\"");
	quotes("unquoted", 10, "abc", 0, "abc");
	quotes("empty", 10, "", 1, "\"\"");
	quotes("NULL as empty", 10, NULL, 1, "\"\"");
	quotes("NULL unquoted", 10, NULL, 0, "");
	quotes("UTF-8 kept", 10, "caf\xc3\xa9", 1, "\"caf\xc3\xa9\"");
	quotes("C0 controls as ?", 10, "a\tb\x1b[", 1, "\"a?b?[\"");
	quotes("DEL as ?", 10, "a\x7f", 1, "\"a?\"");
	quotes("a C1 control (CSI) as one ?", 10, "a\xc2\x9b" "b", 1,
	    "\"a?b\"");
	quotes("each invalid byte as ?", 10, "a\xff\xfe" "b", 1,
	    "\"a??b\"");
	quotes("a surrogate as three ?", 10, "\xed\xa0\x80", 1, "\"???\"");
	quotes("an overlong form as ?", 10, "\xc0\xaf", 1, "\"??\"");
	quotes("U+110000 as ?", 10, "\xf4\x90\x80\x80", 1, "\"????\"");
	quotes("a cut sequence at the end", 10, "ab\xe2\x82", 1,
	    "\"ab??\"");
	quotes("exactly MAX bytes", 5, "abcde", 1, "\"abcde\"");
	quotes("one byte more than MAX", 5, "abcdef", 1, "\"abcde...\"");
	quotes("unquoted and long", 5, "abcdef", 0, "abcde...");
	quotes("a character that would cross MAX", 5, "abcd\xc3\xa9", 1,
	    "\"abcd...\"");
	quotes("a 4-byte character that would cross MAX", 5,
	    "ab\xf0\x9f\x98\x80", 1, "\"ab...\"");
	quotes("a character ending at MAX", 5, "abc\xc3\xa9", 1,
	    "\"abc\xc3\xa9\"");
	quotes("a ? at MAX, then more", 3, "ab\x01z", 1, "\"ab?...\"");
	quotes("MAX 0", 0, "a", 1, "\"...\"");
}

int
main(void)
{
	test_decode();
	test_is_control();
	test_trim_cut();
	test_format();
	test_quote();
	return done_testing();
}
