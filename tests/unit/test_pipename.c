/*
 * test_pipename: unit tests of pipename_parse (src/pipename.c), natively,
 * under AddressSanitizer and UBSan (see the Makefile's unit target).
 *
 * Every accepted form and every rule of pipename.h is tried both ways: what
 * must pass and what must fail, with the exact message where the wording is
 * part of the interface. Error buffers are heap blocks of exactly ERRLEN
 * bytes, so that a write past the end is caught by ASan rather than missed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipename.h"
#include "tap.h"

/* Big enough for every message; the tests of small buffers use their own. */
#define ERRLEN 512

static char *
repeat(const char *prefix, const char *unit, size_t times, const char *suffix)
{
	size_t plen = strlen(prefix), ulen = strlen(unit);
	size_t slen = strlen(suffix);
	char *s, *p;
	size_t i;

	s = malloc(plen + ulen * times + slen + 1);
	if (s == NULL) {
		perror("malloc");
		exit(2);
	}
	memcpy(s, prefix, plen);
	p = s + plen;
	for (i = 0; i < times; i++, p += ulen)
		memcpy(p, unit, ulen);
	memcpy(p, suffix, slen + 1);
	return s;
}

/* strnlen, which C11 lacks: a missing NUL must not run off the buffer. */
static size_t
bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/* A strict UTF-8 check, written apart from the one under test. */
static int
valid_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned long cp;
	size_t n, i;

	while (*s) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			n = 2;
			cp = *s & 0x1fu;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 3;
			cp = *s & 0x0fu;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 4;
			cp = *s & 0x07u;
		} else
			return 0;
		for (i = 1; i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3fu);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += n;
	}
	return 1;
}

static void
accepts(const char *title, const char *in, const char *full, int local)
{
	struct pipename pn;
	char *err = malloc(ERRLEN);
	int rc;

	memset(&pn, 'x', sizeof pn);
	rc = pipename_parse(in, &pn, err, ERRLEN);
	if (!is_int(rc, 0, "accepts %s: returns 0", title))
		diag("error: %s", err);
	is_str(pn.full, full, "accepts %s: normalised form", title);
	is_int(pn.local, local, "accepts %s: local is %d", title, local);
	free(err);
}

/*
 * Checks that IN is refused, that OUT is left empty, and that the message
 * follows the house style: one line, lowercase start, no trailing period, no
 * program prefix, valid UTF-8. WANT, when not NULL, is the exact message;
 * otherwise SUB must occur in it.
 */
static void
rejects(const char *title, const char *in, const char *want, const char *sub)
{
	struct pipename pn;
	char *err = malloc(ERRLEN);
	size_t len;
	int rc;

	memset(&pn, 'x', sizeof pn);
	memset(err, 'x', ERRLEN);
	rc = pipename_parse(in, &pn, err, ERRLEN);
	is_int(rc, -1, "rejects %s: returns -1", title);
	ok(pn.full[0] == '\0' && pn.local == 0,
	    "rejects %s: output cleared", title);
	if (want != NULL)
		is_str(err, want, "rejects %s: message", title);
	else if (!ok(strstr(err, sub) != NULL,
	    "rejects %s: message mentions \"%s\"", title, sub))
		diag("message: %s", err);
	len = bounded_len(err, ERRLEN);
	ok(len > 0 && len < ERRLEN && strncmp(err, "pipe name ", 10) == 0 &&
	    err[len - 1] != '.' && strchr(err, '\n') == NULL &&
	    strstr(err, "pipecat") == NULL && valid_utf8(err),
	    "rejects %s: message is one plain line starting \"pipe name\"",
	    title);
	free(err);
}

static void
test_forms(void)
{
	accepts("a bare name", "foo", "\\\\.\\pipe\\foo", 1);
	accepts("\\\\.\\pipe\\NAME", "\\\\.\\pipe\\foo", "\\\\.\\pipe\\foo", 1);
	accepts("//./pipe/NAME", "//./pipe/foo", "\\\\.\\pipe\\foo", 1);
	accepts("\\\\server\\pipe\\NAME", "\\\\server\\pipe\\foo",
	    "\\\\server\\pipe\\foo", 0);
	accepts("//server/pipe/NAME", "//server/pipe/foo",
	    "\\\\server\\pipe\\foo", 0);
	accepts("mixed separators \\/./pipe\\NAME", "\\/./pipe\\foo",
	    "\\\\.\\pipe\\foo", 1);
	accepts("mixed separators /\\.\\pipe/NAME", "/\\.\\pipe/foo",
	    "\\\\.\\pipe\\foo", 1);
	accepts("mixed separators //.\\pipe/NAME", "//.\\pipe/foo",
	    "\\\\.\\pipe\\foo", 1);
	accepts("mixed separators //server\\pipe\\NAME", "//server\\pipe\\foo",
	    "\\\\server\\pipe\\foo", 0);
	accepts("\"PIPE\" in capitals", "\\\\.\\PIPE\\foo",
	    "\\\\.\\pipe\\foo", 1);
	accepts("\"Pipe\" capitalised", "//./Pipe/foo", "\\\\.\\pipe\\foo", 1);
	accepts("\"pIpE\" mixed case", "\\\\srv\\pIpE\\foo",
	    "\\\\srv\\pipe\\foo", 0);
	accepts("host \"localhost\" is not local", "//localhost/pipe/foo",
	    "\\\\localhost\\pipe\\foo", 0);
	accepts("an IPv4 host", "\\\\127.0.0.1\\pipe\\foo",
	    "\\\\127.0.0.1\\pipe\\foo", 0);
	accepts("a host name kept as given", "//Build-01.Example.COM/pipe/x",
	    "\\\\Build-01.Example.COM\\pipe\\x", 0);
	accepts("a unicode host", "\\\\сервер\\pipe\\x",
	    "\\\\сервер\\pipe\\x", 0);
	accepts("NAME keeps its case", "FooBar", "\\\\.\\pipe\\FooBar", 1);
	accepts("NAME \"pipe\"", "pipe", "\\\\.\\pipe\\pipe", 1);
	accepts("NAME \"PIPE\" keeps its case", "//./pipe/PIPE",
	    "\\\\.\\pipe\\PIPE", 1);
	accepts("a bare NAME with a slash inside", "a/b", "\\\\.\\pipe\\a/b",
	    1);
	accepts("a bare NAME with a backslash inside", "a\\b",
	    "\\\\.\\pipe\\a\\b", 1);
	accepts("a bare name that looks like a path", "pipe\\foo",
	    "\\\\.\\pipe\\pipe\\foo", 1);
	accepts("a full NAME with slashes kept byte for byte",
	    "//./pipe/a/b\\c", "\\\\.\\pipe\\a/b\\c", 1);
	accepts("a NAME that starts with a separator", "\\\\.\\pipe\\\\x",
	    "\\\\.\\pipe\\\\x", 1);
	accepts("a NAME that is only a separator", "//./pipe//",
	    "\\\\.\\pipe\\/", 1);
	accepts("a NAME with doubled separators", "\\\\.\\pipe\\a\\\\b",
	    "\\\\.\\pipe\\a\\\\b", 1);
	accepts("a NAME ending in a separator", "a\\", "\\\\.\\pipe\\a\\", 1);
	accepts("spaces in NAME", "my pipe", "\\\\.\\pipe\\my pipe", 1);
	accepts("a leading space in NAME", " x", "\\\\.\\pipe\\ x", 1);
	accepts("punctuation in NAME", "a:b*c?d\"e<f>g|h",
	    "\\\\.\\pipe\\a:b*c?d\"e<f>g|h", 1);
	accepts("dots that are not \".\" or \"..\"", "...",
	    "\\\\.\\pipe\\...", 1);
	accepts("a leading dot", ".hidden", "\\\\.\\pipe\\.hidden", 1);
	accepts("a trailing dot", "x.", "\\\\.\\pipe\\x.", 1);
	accepts("\"..\" inside a part", "a..b/c..", "\\\\.\\pipe\\a..b/c..",
	    1);
	accepts("a host \"..\" is just a server name", "\\\\..\\pipe\\x",
	    "\\\\..\\pipe\\x", 0);
	accepts("a Cyrillic NAME", "пайп", "\\\\.\\pipe\\пайп", 1);
	accepts("a CJK NAME", "管道", "\\\\.\\pipe\\管道", 1);
	accepts("an emoji NAME", "😀", "\\\\.\\pipe\\😀", 1);
	accepts("U+10FFFF, the last code point", "\xf4\x8f\xbf\xbf",
	    "\\\\.\\pipe\\\xf4\x8f\xbf\xbf", 1);
	accepts("U+FFFF, a noncharacter but valid UTF-8", "\xef\xbf\xbf",
	    "\\\\.\\pipe\\\xef\xbf\xbf", 1);
	accepts("U+00A0, the first non-control after C1", "\xc2\xa0",
	    "\\\\.\\pipe\\\xc2\xa0", 1);
	accepts("a tilde (0x7e), the last printable ASCII", "~",
	    "\\\\.\\pipe\\~", 1);
	accepts("a space (0x20), the first printable ASCII", " ",
	    "\\\\.\\pipe\\ ", 1);
}

static void
test_empty_and_encoding(void)
{
	rejects("NULL", NULL, "pipe name is empty", NULL);
	rejects("an empty name", "", "pipe name is empty", NULL);

	rejects("a 0xff byte", "a\xff" "b",
	    "pipe name is not valid UTF-8 (byte 0xff at offset 1)", NULL);
	rejects("a stray continuation byte", "\x80",
	    "pipe name is not valid UTF-8 (byte 0x80 at offset 0)", NULL);
	rejects("overlong \"/\" in 2 bytes", "\xc0\xaf", NULL,
	    "not valid UTF-8 (byte 0xc0 at offset 0)");
	rejects("overlong 0x7f in 2 bytes", "\xc1\xbf", NULL,
	    "not valid UTF-8");
	rejects("overlong \"/\" in 3 bytes", "\xe0\x80\xaf", NULL,
	    "not valid UTF-8");
	rejects("overlong U+07FF in 3 bytes", "\xe0\x9f\xbf", NULL,
	    "not valid UTF-8");
	rejects("overlong \"/\" in 4 bytes", "\xf0\x80\x80\xaf", NULL,
	    "not valid UTF-8");
	rejects("overlong U+FFFF in 4 bytes", "\xf0\x8f\xbf\xbf", NULL,
	    "not valid UTF-8");
	rejects("the surrogate U+D800", "x\xed\xa0\x80", NULL,
	    "not valid UTF-8 (byte 0xed at offset 1)");
	rejects("the surrogate U+DFFF", "\xed\xbf\xbf", NULL,
	    "not valid UTF-8");
	rejects("a surrogate pair as CESU-8", "\xed\xa0\xbd\xed\xb8\x80", NULL,
	    "not valid UTF-8");
	rejects("U+110000, beyond Unicode", "\xf4\x90\x80\x80", NULL,
	    "not valid UTF-8");
	rejects("a 0xf5 lead byte", "\xf5\x80\x80\x80", NULL,
	    "not valid UTF-8");
	rejects("a 5-byte sequence", "\xf8\x88\x80\x80\x80", NULL,
	    "not valid UTF-8");
	rejects("a sequence cut at the end", "ab\xe2\x82", NULL,
	    "not valid UTF-8 (byte 0xe2 at offset 2)");
	rejects("a sequence cut by ASCII", "\xe2\x82" "a", NULL,
	    "not valid UTF-8");
	rejects("a 4-byte sequence cut short", "\xf0\x9f\x98", NULL,
	    "not valid UTF-8");
	rejects("bad UTF-8 in a full form's NAME", "\\\\.\\pipe\\\xff", NULL,
	    "not valid UTF-8 (byte 0xff at offset 9)");
	rejects("bad UTF-8 in a full form's HOST", "//\xc0\xaf/pipe/x", NULL,
	    "not valid UTF-8 (byte 0xc0 at offset 2)");

	rejects("a newline", "a\nb",
	    "pipe name contains a control character (U+000A at offset 1)",
	    NULL);
	rejects("a tab", "\tx", NULL, "control character (U+0009 at offset 0)");
	rejects("U+0001", "\x01", NULL, "control character (U+0001");
	rejects("U+001F, the last C0 control", "x\x1f", NULL,
	    "control character (U+001F at offset 1)");
	rejects("DEL (0x7f)", "x\x7f", NULL, "control character (U+007F");
	rejects("an escape sequence", "\x1b[31mred", NULL,
	    "control character (U+001B");
	rejects("U+0080, the first C1 control", "\xc2\x80", NULL,
	    "control character (U+0080");
	rejects("U+0085 (NEL)", "a\xc2\x85", NULL,
	    "control character (U+0085 at offset 1)");
	rejects("U+009B (CSI)", "\xc2\x9b" "31m", NULL,
	    "control character (U+009B");
	rejects("U+009F, the last C1 control", "\xc2\x9f", NULL,
	    "control character (U+009F");
	rejects("a carriage return in a full form's NAME",
	    "\\\\.\\pipe\\a\rb", NULL,
	    "control character (U+000D at offset 10)");
	rejects("a control character in HOST", "//a\x01/pipe/x", NULL,
	    "control character");
}

static void
test_shape(void)
{
	static const char slash_rule[] = "a name starting with a slash must "
	    "look like \\\\HOST\\pipe\\NAME or //HOST/pipe/NAME";

	rejects("a single leading slash", "/foo",
	    "pipe name \"/foo\": a name starting with a slash must look like "
	    "\\\\HOST\\pipe\\NAME or //HOST/pipe/NAME", NULL);
	rejects("a single leading backslash", "\\foo", NULL, slash_rule);
	rejects("a lone slash", "/", NULL, slash_rule);
	rejects("a lone backslash", "\\", NULL, slash_rule);
	rejects("/pipe/NAME, one slash short", "/pipe/foo", NULL, slash_rule);
	rejects("\\pipe\\NAME, one backslash short", "\\pipe\\foo", NULL,
	    slash_rule);
	rejects("a POSIX-looking path", "/tmp/sock", NULL, slash_rule);

	rejects("an empty HOST", "\\\\\\pipe\\x",
	    "pipe name \"\\\\\\pipe\\x\": the server name is empty "
	    "(\\\\HOST\\pipe\\NAME; HOST is \".\" for this machine)", NULL);
	rejects("an empty HOST with slashes", "///pipe/x", NULL,
	    "the server name is empty");
	rejects("an empty HOST, mixed separators", "\\\\/pipe/x", NULL,
	    "the server name is empty");
	rejects("only two backslashes", "\\\\", NULL,
	    "the server name is empty");
	rejects("only two slashes", "//", NULL, "the server name is empty");
	rejects("four slashes", "////", NULL, "the server name is empty");

	rejects("HOST \"?\" (the \\\\?\\ prefix)", "\\\\?\\pipe\\x",
	    "pipe name \"\\\\?\\pipe\\x\": a server name may not contain '?' "
	    "(\\\\HOST\\pipe\\NAME; HOST is \".\" for this machine)", NULL);
	rejects("a colon in HOST", "\\\\a:b\\pipe\\x", NULL,
	    "a server name may not contain ':'");
	rejects("a star in HOST", "//*/pipe/x", NULL,
	    "a server name may not contain '*'");
	rejects("a quote in HOST", "//a\"b/pipe/x", NULL,
	    "a server name may not contain '\"'");
	rejects("a less-than in HOST", "//a<b/pipe/x", NULL,
	    "a server name may not contain '<'");
	rejects("a greater-than in HOST", "//a>b/pipe/x", NULL,
	    "a server name may not contain '>'");
	rejects("a bar in HOST", "//a|b/pipe/x", NULL,
	    "a server name may not contain '|'");

	rejects("\"pip\" for \"pipe\"", "\\\\.\\pip\\x",
	    "pipe name \"\\\\.\\pip\\x\": expected \"pipe\" after the server "
	    "name (\\\\HOST\\pipe\\NAME or //HOST/pipe/NAME)", NULL);
	rejects("\"pipex\" with no separator", "\\\\.\\pipex", NULL,
	    "expected \"pipe\" after the server name");
	rejects("\"pipes\" for \"pipe\"", "//./pipes/x", NULL,
	    "expected \"pipe\" after the server name");
	rejects("\"xpipe\" for \"pipe\"", "//./xpipe/x", NULL,
	    "expected \"pipe\" after the server name");
	rejects("\"mailslot\" for \"pipe\"", "\\\\.\\mailslot\\x", NULL,
	    "expected \"pipe\" after the server name");
	rejects("a HOST alone", "\\\\server", NULL,
	    "expected \"pipe\" after the server name");
	rejects("\\\\. alone", "\\\\.", NULL,
	    "expected \"pipe\" after the server name");
	rejects("a HOST and a separator", "//./", NULL,
	    "expected \"pipe\" after the server name");
	rejects("an empty part before \"pipe\"", "\\\\.\\\\pipe\\x", NULL,
	    "expected \"pipe\" after the server name");
	rejects("a drive path", "\\\\.\\C:\\x", NULL,
	    "expected \"pipe\" after the server name");
	rejects("a Cyrillic \"pipe\" look-alike", "//./р\xd1\x96ре/x", NULL,
	    "expected \"pipe\" after the server name");

	rejects("an empty NAME", "\\\\.\\pipe\\",
	    "pipe name \"\\\\.\\pipe\\\": the name after \\pipe\\ is empty",
	    NULL);
	rejects("an empty NAME with slashes", "//./pipe/", NULL,
	    "the name after \\pipe\\ is empty");
	rejects("no separator after \"pipe\"", "\\\\.\\pipe", NULL,
	    "the name after \\pipe\\ is empty");
	rejects("an empty NAME on a server", "\\\\server\\pipe\\", NULL,
	    "the name after \\pipe\\ is empty");
}

static void
test_dot_parts(void)
{
	static const char dots[] = "\".\" and \"..\" may not be parts of a "
	    "name (Windows would resolve them as directories)";

	rejects("the bare name \".\"", ".",
	    "pipe name \".\": \".\" and \"..\" may not be parts of a name "
	    "(Windows would resolve them as directories)", NULL);
	rejects("the bare name \"..\"", "..", NULL, dots);
	rejects("\\\\.\\pipe\\..", "\\\\.\\pipe\\..", NULL, dots);
	rejects("\\\\.\\pipe\\.", "\\\\.\\pipe\\.", NULL, dots);
	rejects("an escape out of \\pipe\\", "\\\\.\\pipe\\..\\C:", NULL, dots);
	rejects("\"..\" in the middle", "a/../b", NULL, dots);
	rejects("\".\" in the middle", "a\\.\\b", NULL, dots);
	rejects("a trailing \"/.\"", "a/.", NULL, dots);
	rejects("a leading \"./\"", "./a", NULL, dots);
	rejects("a trailing \"\\..\" in a full form", "//srv/pipe/a\\..", NULL,
	    dots);
}

static void
test_length(void)
{
	char *s, *want;

	/* "\\.\pipe\" is 9 units, so a bare name has 247 units to spare. */
	s = repeat("", "a", 247, "");
	want = repeat("\\\\.\\pipe\\", "a", 247, "");
	accepts("a bare name of 256 units in all", s, want, 1);
	free(s);
	free(want);

	s = repeat("", "a", 248, "");
	rejects("a bare name of 257 units in all", s,
	    "pipe name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is too long (the full path "
	    "is 257 UTF-16 code units; the limit is 256)", NULL);
	free(s);

	s = repeat("\\\\.\\pipe\\", "b", 247, "");
	accepts("a full name of 256 units", s, s, 1);
	free(s);
	s = repeat("\\\\.\\pipe\\", "b", 248, "");
	rejects("a full name of 257 units", s, NULL,
	    "is too long (the full path is 257 UTF-16 code units; the limit "
	    "is 256)");
	free(s);

	s = repeat("//./pipe/", "c", 247, "");
	want = repeat("\\\\.\\pipe\\", "c", 247, "");
	accepts("a slash form of 256 units", s, want, 1);
	free(s);
	free(want);
	s = repeat("//./pipe/", "c", 248, "");
	rejects("a slash form of 257 units", s, NULL, "257 UTF-16 code units");
	free(s);

	/* A longer HOST leaves less room: "\\server\pipe\" is 14 units. */
	s = repeat("\\\\server\\pipe\\", "d", 242, "");
	accepts("a remote name of 256 units", s, s, 0);
	free(s);
	s = repeat("\\\\server\\pipe\\", "d", 243, "");
	rejects("a remote name of 257 units", s, NULL, "257 UTF-16 code units");
	free(s);

	/* Each of these is 2 bytes of UTF-8 but 1 unit of UTF-16. */
	s = repeat("", "п", 247, "");
	want = repeat("\\\\.\\pipe\\", "п", 247, "");
	accepts("247 Cyrillic letters (256 units, 494 bytes)", s, want, 1);
	free(s);
	free(want);
	s = repeat("", "п", 248, "");
	rejects("248 Cyrillic letters (257 units)", s, NULL,
	    "257 UTF-16 code units");
	free(s);

	/* 3 bytes, 1 unit: the most bytes per unit, the fullest buffer. */
	s = repeat("", "€", 247, "");
	want = repeat("\\\\.\\pipe\\", "€", 247, "");
	accepts("247 euro signs (256 units, 741 bytes)", s, want, 1);
	free(s);
	free(want);
	s = repeat("", "€", 248, "");
	rejects("248 euro signs (257 units)", s, NULL, "257 UTF-16 code units");
	free(s);

	/* An emoji is a surrogate pair: 2 units. */
	s = repeat("a", "😀", 123, "");
	want = repeat("\\\\.\\pipe\\a", "😀", 123, "");
	accepts("an ASCII letter and 123 emoji (1 + 246 units)", s, want, 1);
	free(s);
	free(want);
	s = repeat("", "😀", 124, "");
	rejects("124 emoji (9 + 248 units)", s, NULL, "257 UTF-16 code units");
	free(s);
	s = repeat("ab", "😀", 123, "");
	rejects("2 letters and 123 emoji (9 + 248 units)", s, NULL,
	    "257 UTF-16 code units");
	free(s);
	s = repeat("", "😀", 200, "");
	rejects("200 emoji count 400 units, not 200", s, NULL,
	    "409 UTF-16 code units");
	free(s);

	/* A unicode HOST counts too. */
	s = repeat("//сервер/pipe/", "e", 242, "");
	want = repeat("\\\\сервер\\pipe\\", "e", 242, "");
	accepts("a Cyrillic host of 256 units", s, want, 0);
	free(s);
	free(want);
	s = repeat("//сервер/pipe/", "e", 243, "");
	rejects("a Cyrillic host of 257 units", s, NULL,
	    "257 UTF-16 code units");
	free(s);

	s = repeat("", "z", 100000, "");
	rejects("a name of 100000 bytes", s, NULL,
	    "100009 UTF-16 code units");
	free(s);
}

/*
 * Parses IN into an error buffer of exactly ERRSZ heap bytes and returns a
 * copy of what it holds (or NULL when ERRSZ is 0), for the small-buffer tests.
 */
static char *
err_in(const char *in, size_t errsz, int *rc)
{
	struct pipename pn;
	char *err = errsz ? malloc(errsz) : NULL, *copy;

	if (err)
		memset(err, 'x', errsz);
	*rc = pipename_parse(in, &pn, err, errsz);
	if (err == NULL)
		return NULL;
	copy = malloc(errsz);
	memcpy(copy, err, errsz);
	free(err);
	return copy;
}

static void
test_small_buffers(void)
{
	static const char *const bad[] = {
		"", "/foo", "\\\\\\pipe\\x", "\\\\?\\pipe\\x", "\\\\.\\pip\\x",
		"\\\\.\\pipe\\", "..", "a\nb", "\xff", "/пайп-😀-管道",
		"//./pipe/../€€€€", NULL,
	};
	struct pipename pn;
	char full[ERRLEN], *got, *big;
	char canary[4] = "abc";
	size_t sz, len, i;
	int rc, good;

	is_int(pipename_parse("/foo", &pn, NULL, 0), -1,
	    "a NULL error buffer of length 0 is allowed");
	is_int(pipename_parse("/foo", &pn, canary, 0), -1,
	    "an error buffer of length 0: still fails");
	is_str(canary, "abc", "an error buffer of length 0 is not written");
	is_int(pipename_parse("foo", &pn, NULL, 0), 0,
	    "success needs no error buffer");

	got = err_in("/foo", 1, &rc);
	ok(rc == -1 && got[0] == '\0', "an error buffer of 1 byte gets \"\"");
	free(got);
	got = err_in("/foo", 8, &rc);
	ok(rc == -1 && memcmp(got, "pipe na", 8) == 0,
	    "an error buffer of 8 bytes gets 7 characters and a NUL");
	free(got);
	got = err_in("", 19, &rc);
	is_str(got, "pipe name is empty",
	    "an error buffer of exactly the message's size plus 1");
	free(got);
	got = err_in("", 20, &rc);
	is_str(got, "pipe name is empty", "an error buffer one byte larger");
	free(got);
	got = err_in("", 18, &rc);
	is_str(got, "pipe name is empt", "an error buffer one byte short");
	free(got);

	/* "pipe name \"/" is 12 bytes; "п" is the 2 bytes after it. */
	got = err_in("/пайп", 14, &rc);
	is_str(got, "pipe name \"/",
	    "a cut inside a 2-byte character drops the whole character");
	free(got);
	got = err_in("/пайп", 15, &rc);
	is_str(got, "pipe name \"/п",
	    "a cut just after a 2-byte character keeps it");
	free(got);
	got = err_in("/😀", 15, &rc);
	is_str(got, "pipe name \"/",
	    "a cut inside a 4-byte character drops the whole character");
	free(got);
	got = err_in("/😀", 17, &rc);
	is_str(got, "pipe name \"/😀",
	    "a cut after a 4-byte character keeps it");
	free(got);

	/* Every size from 1 up: always a NUL-terminated, valid prefix. */
	for (i = 0; bad[i] != NULL; i++) {
		pipename_parse(bad[i], &pn, full, sizeof full);
		good = 1;
		for (sz = 1; sz <= strlen(full) + 2; sz++) {
			got = err_in(bad[i], sz, &rc);
			len = bounded_len(got, sz);
			if (rc != -1 || len >= sz ||
			    strncmp(got, full, len) != 0 || !valid_utf8(got) ||
			    len + 4 < (sz - 1 < strlen(full) ? sz - 1 :
			    strlen(full)))
				good = 0;
			free(got);
		}
		ok(good, "message %zu cut at every buffer size is a valid "
		    "prefix (%s)", i, full);
	}

	/* A long input is quoted shortened, so the message stays short. */
	big = repeat("/", "a", 5000, "");
	pipename_parse(big, &pn, full, sizeof full);
	ok(strlen(full) < 200 && strstr(full, "aaa...\":") != NULL,
	    "a long input is shortened with \"...\" in the message");
	free(big);
	big = repeat("/", "п", 5000, "");
	pipename_parse(big, &pn, full, sizeof full);
	ok(strlen(full) < 200 && valid_utf8(full) &&
	    strstr(full, "п...\":") != NULL,
	    "a long unicode input is shortened at a character boundary");
	free(big);
	big = repeat("/", "😀", 5000, "");
	pipename_parse(big, &pn, full, sizeof full);
	ok(strlen(full) < 200 && valid_utf8(full),
	    "a long emoji input is shortened at a character boundary");
	free(big);
	/* "pipe name \"/" is 12 bytes, then 3 bytes a character. */
	big = repeat("/", "€", 100, "");
	pipename_parse(big, &pn, full, 64);
	ok(strlen(full) == 63 && valid_utf8(full),
	    "a 64-byte buffer ending on a character boundary is filled");
	pipename_parse(big, &pn, full, 63);
	ok(strlen(full) == 60 && valid_utf8(full),
	    "a 63-byte buffer drops the cut character's 2 bytes");
	free(big);
}

static void
test_reuse(void)
{
	struct pipename pn;
	char err[ERRLEN];

	pipename_parse("first", &pn, err, sizeof err);
	is_str(pn.full, "\\\\.\\pipe\\first", "a first parse fills the output");
	pipename_parse("/bad", &pn, err, sizeof err);
	is_str(pn.full, "", "a failed parse after it clears the output");
	strcpy(err, "stale");
	is_int(pipename_parse("//srv/pipe/x", &pn, err, sizeof err), 0,
	    "a later success");
	is_str(err, "", "success leaves an empty message");
	is_int(pn.local, 0, "and local follows the latest parse");
}

int
main(void)
{
	test_forms();
	test_empty_and_encoding();
	test_shape();
	test_dot_parts();
	test_length();
	test_small_buffers();
	test_reuse();
	return done_testing();
}
