/*
 * json: JSON string literals (contract in json.h).
 *
 * One pass through a sink that stores what fits and counts everything, as
 * hexdump.c does, so the caller learns the exact size when it was short.
 * UTF-8 is checked by utf8_decode (RFC 3629's table): an overlong form, a
 * surrogate or a code point above U+10FFFF is not valid UTF-8 and must not
 * reach a JSON parser, which may reject the whole document.
 */
#include <stdint.h>

#include "json.h"
#include "utf8.h"

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
		uint32_t cp;
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
		} else if ((n = utf8_decode((const char *)s, &cp)) != 0) {
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
