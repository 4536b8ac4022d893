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
 * The UTF-8 decoding, the quoting and the cutting of messages are utf8.c's.
 *
 * Portable C11 without windows.h, so it is unit-tested and fuzzed natively
 * (tests/unit/test_pipename.c, tests/fuzz/fuzz_pipename.c).
 */
#include <stdint.h>
#include <string.h>

#include "pipename.h"
#include "utf8.h"

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

/* S in double quotes for a message (see utf8_quote). */
static const char *
quote(char *buf, const char *s)
{
	return utf8_quote(buf, QUOTE_BYTES, s, 1);
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
	char q[UTF8_QUOTE_SIZE(QUOTE_BYTES)];
	const char *host, *p, *name;
	size_t hostlen, seglen, namelen, units, i, n;
	uint32_t cp;

	out->full[0] = '\0';
	out->local = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';

	if (in == NULL || in[0] == '\0') {
		utf8_format(err, errlen, "pipe name is empty");
		return -1;
	}

	for (i = 0; in[i] != '\0'; i += n) {
		n = utf8_decode(in + i, &cp);
		if (n == 0) {
			utf8_format(err, errlen, "pipe name is not valid UTF-8 "
			    "(byte 0x%02x at offset %zu)",
			    (unsigned char)in[i], i);
			return -1;
		}
		if (utf8_is_control(cp)) {
			utf8_format(err, errlen, "pipe name contains a control "
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
			utf8_format(err, errlen, "pipe name %s: a name "
			    "starting with a slash must look like "
			    "\\\\HOST\\pipe\\NAME or //HOST/pipe/NAME",
			    quote(q, in));
			return -1;
		}
		host = in + 2;
		hostlen = strcspn(host, "/\\");
		if (hostlen == 0) {
			utf8_format(err, errlen, "pipe name %s: the server "
			    "name is empty (\\\\HOST\\pipe\\NAME; HOST is "
			    "\".\" for this machine)", quote(q, in));
			return -1;
		}
		n = strcspn(host, ":*?\"<>|");
		if (n < hostlen) {
			utf8_format(err, errlen, "pipe name %s: a server "
			    "name may not contain '%c' (\\\\HOST\\pipe\\NAME; "
			    "HOST is \".\" for this machine)", quote(q, in),
			    host[n]);
			return -1;
		}
		p = host + hostlen;
		seglen = *p == '\0' ? 0 : strcspn(p + 1, "/\\");
		if (*p == '\0' || !ascii_eq(p + 1, seglen, "pipe")) {
			utf8_format(err, errlen, "pipe name %s: expected "
			    "\"pipe\" after the server name "
			    "(\\\\HOST\\pipe\\NAME or //HOST/pipe/NAME)",
			    quote(q, in));
			return -1;
		}
		p += 1 + seglen;
		if (*p == '\0' || p[1] == '\0') {
			utf8_format(err, errlen, "pipe name %s: the name after "
			    "\\pipe\\ is empty", quote(q, in));
			return -1;
		}
		name = p + 1;
	}

	if (has_dot_part(name)) {
		utf8_format(err, errlen, "pipe name %s: \".\" and \"..\" may "
		    "not be parts of a name (Windows would resolve them as "
		    "directories)", quote(q, in));
		return -1;
	}

	namelen = strlen(name);
	units = PREFIX_UNITS + utf16_units(host, hostlen) + PIPE_UNITS +
	    utf16_units(name, namelen);
	if (units > PIPENAME_MAX_UNITS) {
		utf8_format(err, errlen, "pipe name %s is too long (the full "
		    "path is %zu UTF-16 code units; the limit is %d)",
		    quote(q, in), units, PIPENAME_MAX_UNITS);
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
