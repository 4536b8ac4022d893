/*
 * pipename: parse a pipe NAME from the command line into the Win32 form.
 *
 * The contract, with its rules, is in pipename.h. The parse runs in one pass
 * per concern, in the order a user fixes mistakes: empty, encoding, shape of
 * the prefix, parts of the name, length. Each failure names the rule broken
 * and, where that helps, quotes the input (shortened, so that a huge argument
 * cannot flood the terminal; control bytes never reach the message).
 * "Control characters" are Unicode's Cc: C0, DEL and also C1.
 *
 * Two rules go beyond the header's list:
 *   - a part of NAME that is "." or ".." is refused: Win32 normalises "\\.\"
 *     paths before the pipe file system sees them
 *     (RtlDosPathNameToNtPathName), so "\\.\pipe\..\x" would name "\\.\x",
 *     no pipe at all;
 *   - a HOST containing one of : * ? " < > | is refused: no server name has
 *     them, and "\\?\" is a path prefix, not a host.
 *
 * Portable C11 without windows.h, so it is unit-tested and fuzzed natively
 * (tests/unit/test_pipename.c, tests/unit/fuzz_pipename.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pipename.h"

/*
 * MinGW's -std=c11 selects its C99-conforming printf (%zu works), and names
 * the matching format checker __MINGW_PRINTF_FORMAT; plain "printf" there
 * would check against the old msvcrt rules instead.
 */
#if defined(__MINGW_PRINTF_FORMAT)
#define PRINTF_LIKE(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* How much of the user's input a message quotes, in bytes. */
#define QUOTE_BYTES 60

/* The fixed parts of "\\HOST\pipe\NAME": "\\" and "\pipe\". */
#define PREFIX_UNITS 2
#define PIPE_UNITS 6

static int
is_sep(char c)
{
	return c == '\\' || c == '/';
}

/*
 * The C0 and C1 controls and DEL (Unicode's category Cc). C1 ones count too:
 * encoded in UTF-8, some terminals still act on them (U+009B is CSI).
 */
static int
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/*
 * Decodes the UTF-8 sequence at S into *CP and returns its length in bytes,
 * or 0 when it is not valid UTF-8: a stray continuation byte, a truncated
 * sequence, an overlong form, a surrogate or a code point above U+10FFFF.
 * The ranges of the second byte are those of RFC 3629's table, which rule
 * out the last three in one test. A NUL is never a continuation byte, so
 * this never reads past the end of a string.
 */
static size_t
utf8_decode(const char *str, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1fu;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0fu;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07u;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if (i > 1 && (s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	*cp = c;
	return len;
}

/* UTF-16 code units of the first LEN bytes of S, which are valid UTF-8. */
static size_t
utf16_units(const char *s, size_t len)
{
	size_t units = 0, i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, &cp);
		if (n == 0)	/* cannot happen: the caller validated S */
			n = 1;
		units += cp >= 0x10000 ? 2 : 1;
		i += n;
	}
	return units;
}

/*
 * Fills ERR like snprintf, never writing past ERRLEN (which may be 0). When
 * the message is cut, a UTF-8 sequence left incomplete at the cut is
 * dropped, so that ERR is always valid UTF-8.
 */
static PRINTF_LIKE(3, 4) void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	size_t len, i;
	uint32_t cp;
	int n;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0) {
		err[0] = '\0';
		return;
	}
	if ((size_t)n < errlen)
		return;
	len = strlen(err);
	i = len;
	while (i > 0 && len - i < 3 && (err[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)err[i - 1] >= 0x80 &&
	    utf8_decode(err + i - 1, &cp) == 0)
		err[i - 1] = '\0';
	else if (i > 0 && i < len && (unsigned char)err[i - 1] < 0x80)
		err[i] = '\0';
}

/*
 * Writes S in double quotes into BUF (QUOTE_BYTES + 8 bytes), shortened to
 * whole characters with "..." when it is long. Anything that is not a
 * printable, valid UTF-8 character becomes "?", so a message stays one line.
 */
static const char *
quote(char *buf, const char *s)
{
	size_t i = 0, o = 0, n;
	uint32_t cp;

	buf[o++] = '"';
	while (s[i] != '\0') {
		n = utf8_decode(s + i, &cp);
		if (n == 0 || is_control(cp)) {
			if (o - 1 + 1 > QUOTE_BYTES)
				break;
			buf[o++] = '?';
			if (n == 0)
				n = 1;
		} else {
			if (o - 1 + n > QUOTE_BYTES)
				break;
			memcpy(buf + o, s + i, n);
			o += n;
		}
		i += n;
	}
	if (s[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* Case-insensitive (ASCII) comparison of the LEN bytes at S with WORD. */
static int
ascii_eq(const char *s, size_t len, const char *word)
{
	size_t i;
	char c;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return 0;
	}
	return 1;
}

/* Returns 1 when a part of NAME, between separators, is "." or "..". */
static int
has_dot_part(const char *name)
{
	const char *p = name;
	size_t n;

	for (;;) {
		n = strcspn(p, "/\\");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' &&
		    p[1] == '.'))
			return 1;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

int
pipename_parse(const char *in, struct pipename *out, char *err, size_t errlen)
{
	char q[QUOTE_BYTES + 8];
	const char *host, *p, *name;
	size_t hostlen, seglen, namelen, units, i, n;
	uint32_t cp;

	out->full[0] = '\0';
	out->local = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';

	if (in == NULL || in[0] == '\0') {
		seterr(err, errlen, "pipe name is empty");
		return -1;
	}

	for (i = 0; in[i] != '\0'; i += n) {
		n = utf8_decode(in + i, &cp);
		if (n == 0) {
			seterr(err, errlen, "pipe name is not valid UTF-8 "
			    "(byte 0x%02x at offset %zu)",
			    (unsigned char)in[i], i);
			return -1;
		}
		if (is_control(cp)) {
			seterr(err, errlen, "pipe name contains a control "
			    "character (U+%04X at offset %zu)", (unsigned)cp,
			    i);
			return -1;
		}
	}

	if (!is_sep(in[0])) {
		host = ".";
		hostlen = 1;
		name = in;
	} else {
		if (!is_sep(in[1])) {
			seterr(err, errlen, "pipe name %s: a name starting "
			    "with a slash must look like \\\\HOST\\pipe\\NAME "
			    "or //HOST/pipe/NAME", quote(q, in));
			return -1;
		}
		host = in + 2;
		hostlen = strcspn(host, "/\\");
		if (hostlen == 0) {
			seterr(err, errlen, "pipe name %s: the server name "
			    "is empty (\\\\HOST\\pipe\\NAME; HOST is \".\" "
			    "for this machine)", quote(q, in));
			return -1;
		}
		n = strcspn(host, ":*?\"<>|");
		if (n < hostlen) {
			seterr(err, errlen, "pipe name %s: a server name "
			    "may not contain '%c' (\\\\HOST\\pipe\\NAME; HOST "
			    "is \".\" for this machine)", quote(q, in),
			    host[n]);
			return -1;
		}
		p = host + hostlen;
		seglen = *p == '\0' ? 0 : strcspn(p + 1, "/\\");
		if (*p == '\0' || !ascii_eq(p + 1, seglen, "pipe")) {
			seterr(err, errlen, "pipe name %s: expected \"pipe\" "
			    "after the server name (\\\\HOST\\pipe\\NAME or "
			    "//HOST/pipe/NAME)", quote(q, in));
			return -1;
		}
		p += 1 + seglen;
		if (*p == '\0' || p[1] == '\0') {
			seterr(err, errlen, "pipe name %s: the name after "
			    "\\pipe\\ is empty", quote(q, in));
			return -1;
		}
		name = p + 1;
	}

	if (has_dot_part(name)) {
		seterr(err, errlen, "pipe name %s: \".\" and \"..\" may not "
		    "be parts of a name (Windows would resolve them as "
		    "directories)", quote(q, in));
		return -1;
	}

	namelen = strlen(name);
	units = PREFIX_UNITS + utf16_units(host, hostlen) + PIPE_UNITS +
	    utf16_units(name, namelen);
	if (units > PIPENAME_MAX_UNITS) {
		seterr(err, errlen, "pipe name %s is too long (the full path "
		    "is %zu UTF-16 code units; the limit is %d)", quote(q, in),
		    units, PIPENAME_MAX_UNITS);
		return -1;
	}

	/*
	 * A UTF-8 sequence is at most 3 bytes per UTF-16 unit (4 bytes make
	 * 2 units), so UNITS bounds the bytes well within out->full.
	 */
	memcpy(out->full, "\\\\", 2);
	memcpy(out->full + 2, host, hostlen);
	memcpy(out->full + 2 + hostlen, "\\pipe\\", 6);
	memcpy(out->full + 8 + hostlen, name, namelen);
	out->full[8 + hostlen + namelen] = '\0';
	out->local = hostlen == 1 && host[0] == '.';
	return 0;
}
