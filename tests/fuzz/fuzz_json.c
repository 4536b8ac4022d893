/*
 * fuzz_json: json_quote (src/json.c) always writes a valid JSON string
 * that means the input.
 *
 * Input: byte 0 picks a short buffer size; the rest is the string (up to
 * a NUL). Checked:
 *   - the length returned is the same with no room, a short buffer and
 *     room to spare, and below json_quote_size(strlen(S));
 *   - a buffer of exactly that length plus one holds it, NUL-terminated
 *     (ASan sees a byte more); any smaller one is left an empty string;
 *   - the text parses as one JSON string by RFC 8259 (a strict parser
 *     written here: no raw control character or DEL, only the escapes of
 *     section 7, raw bytes valid UTF-8 by fuzz.h's reference), and what it
 *     decodes to is S with each byte that is not part of valid UTF-8
 *     replaced by U+FFFD, nothing else changed.
 */
#include "fuzz.h"
#include "json.h"

static int
hex4(const char *p, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/*
 * Parses the JSON string J (the whole text) into OUT as UTF-8; returns its
 * length, aborting if J is not exactly one valid JSON string. A lone
 * surrogate escape is refused too: it is no character.
 */
static size_t
json_parse(const char *j, char *out)
{
	size_t i = 1, n = 0, k;
	uint32_t cp, lo;

	CHECK(j[0] == '"');
	for (;;) {
		unsigned char c = (unsigned char)j[i];

		CHECK(c != '\0');
		CHECK(c >= 0x20 && c != 0x7f);
		if (c == '"')
			break;
		if (c != '\\') {
			k = ref_utf8_decode(j + i, &cp);
			CHECK(k != 0);
			memcpy(out + n, j + i, k);
			n += k;
			i += k;
			continue;
		}
		switch (j[i + 1]) {
		case '"': out[n++] = '"'; break;
		case '\\': out[n++] = '\\'; break;
		case '/': out[n++] = '/'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u':
			CHECK(hex4(j + i + 2, &cp) == 0);
			CHECK(cp < 0xdc00 || cp > 0xdfff);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				CHECK(j[i + 6] == '\\' && j[i + 7] == 'u');
				CHECK(hex4(j + i + 8, &lo) == 0);
				CHECK(lo >= 0xdc00 && lo <= 0xdfff);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			ref_utf8_encode(out, &n, cp);
			i += 4;
			break;
		default:
			CHECK(0);
		}
		i += 2;
	}
	CHECK(j[i + 1] == '\0');
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *out, *want, *got, one;
	size_t len, n, i, k, w, small;
	uint32_t cp;

	if (size < 1)
		return 0;
	s = fuzz_strdup(data + 1, size - 1);
	len = strlen(s);

	n = json_quote(s, &one, 0);
	CHECK(n < json_quote_size(len));
	CHECK(n >= len + 2);

	out = malloc(n + 1);
	CHECK(out != NULL);
	small = data[0] % (n + 1);
	if (small > 0) {
		memset(out, 'x', small);
		CHECK(json_quote(s, out, small) == n);
		CHECK(out[0] == '\0');
	}
	CHECK(json_quote(s, out, n + 1) == n);
	CHECK(out[n] == '\0' && strlen(out) == n);

	/* What it must mean: S, each broken byte as U+FFFD. */
	want = malloc(len * 3 + 1);
	got = malloc(n + 1);
	CHECK(want != NULL && got != NULL);
	for (i = 0, w = 0; i < len; i += k) {
		k = ref_utf8_decode(s + i, &cp);
		if (k == 0) {
			memcpy(want + w, "\xef\xbf\xbd", 3);
			w += 3;
			k = 1;
		} else {
			memcpy(want + w, s + i, k);
			w += k;
		}
	}
	CHECK(json_parse(out, got) == w);
	CHECK(memcmp(got, want, w) == 0);

	free(got);
	free(want);
	free(out);
	free(s);
	return 0;
}
