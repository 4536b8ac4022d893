/*
 * json: JSON string literals (contract in json.h).
 *
 * One pass through a sink that stores what fits and counts everything, as
 * hexdump.c does, so the caller learns the exact size when it was short.
 * UTF-8 is checked with RFC 3629's table (as in pipename.c): an overlong
 * form, a surrogate or a code point above U+10FFFF is not valid UTF-8 and
 * must not reach a JSON parser, which may reject the whole document.
 */
#include <stdint.h>

#include "json.h"

struct sink {
	char *out;
	size_t cap;
	size_t n;
};

static void
put(struct sink *s, char c)
{
	if (s->n < s->cap)
		s->out[s->n] = c;
	s->n++;
}

static void
puts_(struct sink *s, const char *str)
{
	while (*str != '\0')
		put(s, *str++);
}

/* The length of the valid UTF-8 sequence at S, or 0 (see the file note). */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

size_t
json_quote_size(size_t len)
{
	/* The worst byte is a control character or a broken one: 6 bytes. */
	if (len > (SIZE_MAX - 3) / 6)
		return SIZE_MAX;
	return len * 6 + 3;
}

size_t
json_quote(const char *str, char *out, size_t outlen)
{
	static const char xd[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	struct sink k = { out, outlen, 0 };

	put(&k, '"');
	while (*s != '\0') {
		unsigned char c = *s;
		size_t n;

		if (c == '"' || c == '\\') {
			put(&k, '\\');
			put(&k, (char)c);
			s++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\b': puts_(&k, "\\b"); break;
			case '\f': puts_(&k, "\\f"); break;
			case '\n': puts_(&k, "\\n"); break;
			case '\r': puts_(&k, "\\r"); break;
			case '\t': puts_(&k, "\\t"); break;
			default:
				puts_(&k, "\\u00");
				put(&k, xd[c >> 4]);
				put(&k, xd[c & 0xf]);
			}
			s++;
		} else if (c < 0x80) {
			put(&k, (char)c);
			s++;
		} else if ((n = utf8_len(s)) != 0) {
			for (size_t i = 0; i < n; i++)
				put(&k, (char)s[i]);
			s += n;
		} else {
			puts_(&k, "\\ufffd");
			s++;
		}
	}
	put(&k, '"');
	if (k.n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return k.n;
	}
	out[k.n] = '\0';
	return k.n;
}
