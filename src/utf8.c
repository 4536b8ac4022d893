/*
 * utf8: the one strict UTF-8 decoder, and the message helpers built on it
 * (contract in utf8.h).
 *
 * Why one module: every place that takes text from the user and either
 * validates it (pipe names), passes it on (JSON) or quotes it in an error
 * message (option values, pipe names, directory listings) must agree on what
 * valid UTF-8 is, or a string accepted in one place is mangled in another.
 * Each portable module used to carry its own copy; they now share this one,
 * and the unit test links it beside the module (UNIT_EXTRA_* in Makefile).
 *
 * Validity is RFC 3629's table (section 4): the ranges allowed for the
 * second byte of each lead byte rule out overlong forms, surrogates
 * (U+D800..U+DFFF) and code points above U+10FFFF in one test, so no
 * decoded value needs checking afterwards. Lead bytes C0, C1 and F5..FF
 * never occur. Because a NUL is never a continuation byte, decoding stops at
 * the end of a C string and never reads past it.
 *
 * Messages quote user input shortened (so a huge argument cannot flood the
 * terminal) and with controls and broken bytes shown as "?" (so it cannot
 * drive the terminal either); a message cut to fit its buffer loses the
 * incomplete character at the cut rather than ending in half of one.
 *
 * Not here, on purpose: argv.c keeps its own copy of the validity check
 * for its messages, because argvcheck.c compiles argv.c alone; a UTF-16
 * count (pipename.c) and the UTF-16 to UTF-8 conversion of directory
 * records (pipelist.c) each have one user.
 *
 * Portable C11 without windows.h, unit-tested natively
 * (tests/unit/test_utf8.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

size_t
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
			lo = 0xa0;	/* below: overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* above: surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07u;
		if (s[0] == 0xf0)
			lo = 0x90;	/* below: overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* above: beyond U+10FFFF */
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

int
utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

void
utf8_trim_cut(char *s)
{
	size_t len = strlen(s), i = len;
	uint32_t cp;

	/* Back over the continuation bytes a sequence may end with. */
	while (i > 0 && len - i < 3 && (s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)s[i - 1] >= 0x80 &&
	    utf8_decode(s + i - 1, &cp) == 0)
		s[i - 1] = '\0';	/* a lead byte without all its tail */
	else if (i > 0 && i < len && (unsigned char)s[i - 1] < 0x80)
		s[i] = '\0';		/* continuation bytes with no lead */
}

int
utf8_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (buf == NULL || size == 0)
		return 1;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[0] = '\0';
		return 1;
	}
	if ((size_t)n >= size) {
		utf8_trim_cut(buf);
		return 1;
	}
	return 0;
}

const char *
utf8_quote(char *buf, size_t max, const char *s, int quoted)
{
	size_t i = 0, o = 0, start, n;
	uint32_t cp;

	if (s == NULL)
		s = "";
	if (quoted)
		buf[o++] = '"';
	start = o;
	while (s[i] != '\0') {
		n = utf8_decode(s + i, &cp);
		if (n == 0 || utf8_is_control(cp)) {
			if (o - start + 1 > max)
				break;
			buf[o++] = '?';
			if (n == 0)
				n = 1;
		} else {
			if (o - start + n > max)
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
	if (quoted)
		buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}
