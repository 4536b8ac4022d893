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
#include "sink.h"
#include "utf8.h"

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

	sink_put(&k, '"');
	while (*s != '\0') {
		unsigned char c = *s;
		uint32_t cp;
		size_t n;

		if (c == '"' || c == '\\') {
			sink_put(&k, '\\');
			sink_put(&k, (char)c);
			s++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\b': sink_puts(&k, "\\b"); break;
			case '\f': sink_puts(&k, "\\f"); break;
			case '\n': sink_puts(&k, "\\n"); break;
			case '\r': sink_puts(&k, "\\r"); break;
			case '\t': sink_puts(&k, "\\t"); break;
			default:
				sink_puts(&k, "\\u00");
				sink_put(&k, xd[c >> 4]);
				sink_put(&k, xd[c & 0xf]);
			}
			s++;
		} else if (c < 0x80) {
			sink_put(&k, (char)c);
			s++;
		} else if ((n = utf8_decode((const char *)s, &cp)) != 0) {
			for (size_t i = 0; i < n; i++)
				sink_put(&k, (char)s[i]);
			s += n;
		} else {
			sink_puts(&k, "\\ufffd");
			s++;
		}
	}
	sink_put(&k, '"');
	if (k.n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return k.n;
	}
	out[k.n] = '\0';
	return k.n;
}
