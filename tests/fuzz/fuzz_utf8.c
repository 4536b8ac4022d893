/*
 * fuzz_utf8: the strict decoder and the message helpers of src/utf8.c.
 *
 * Input: byte 0 picks the quote's MAX (its low 6 bits), whether it is
 * quoted (bit 6), and byte 1 a buffer size for utf8_format; the rest is
 * the text (up to a NUL). Checked against fuzz.h's references, which
 * follow RFC 3629's definition rather than utf8.c's table:
 *   - utf8_decode at every offset gives the reference's length and code
 *     point, and leaves *CP alone when it refuses;
 *   - utf8_is_control agrees with Unicode's Cc, on every decoded code
 *     point and on a raw 32-bit value;
 *   - utf8_trim_cut of a valid text cut at every length gives the longest
 *     prefix that ends on a character boundary; of any text, a prefix at
 *     most 4 bytes shorter;
 *   - utf8_format("%s") returns 0 exactly when the text fits, and what it
 *     leaves is the cut text by that rule;
 *   - utf8_quote writes exactly the reference's quote inside a buffer of
 *     exactly UTF8_QUOTE_SIZE(MAX) bytes (ASan sees one byte more), and
 *     that is always one printable line.
 */
#include "fuzz.h"
#include "utf8.h"

static void
check_decode(const char *s, size_t len)
{
	uint32_t cp, want;
	size_t i, n, rn;

	for (i = 0; i <= len; i++) {
		cp = 0xdeadbeef;
		n = utf8_decode(s + i, &cp);
		rn = ref_utf8_decode(s + i, &want);
		CHECK(n == rn);
		if (n == 0) {
			CHECK(cp == 0xdeadbeef);
			continue;
		}
		CHECK(cp == want);
		CHECK(i + n <= len || (i == len && n == 1 && cp == 0));
		CHECK(utf8_is_control(cp) == ref_is_control(cp));
	}
}

static void
check_trim(const char *s, size_t len)
{
	char *cut = malloc(len + 1);
	int valid = ref_valid_utf8(s);
	size_t k, got;

	CHECK(cut != NULL);
	for (k = 0; k <= len; k++) {
		memcpy(cut, s, k);
		cut[k] = '\0';
		utf8_trim_cut(cut);
		got = strlen(cut);
		CHECK(got <= k && got + 4 >= k);
		CHECK(memcmp(cut, s, got) == 0);
		if (valid) {
			CHECK(got == ref_boundary(s, k));
			CHECK(got + 3 >= k);
		}
	}
	free(cut);
}

static void
check_format(const char *s, size_t len, size_t size)
{
	char *buf = size > 0 ? malloc(size) : NULL;
	int rc;

	rc = utf8_format(buf, size, "%s", s);
	if (size == 0) {
		CHECK(rc == 1);
		return;
	}
	CHECK(buf != NULL);
	CHECK(rc == (len >= size));
	CHECK(memchr(buf, '\0', size) != NULL);
	if (rc == 0)
		CHECK(strcmp(buf, s) == 0);
	else if (ref_valid_utf8(s))
		check_cut(s, buf, size);
	else
		CHECK(strncmp(buf, s, strlen(buf)) == 0);
	free(buf);
}

static void
check_quote(const char *s, size_t max, int quoted)
{
	char *buf = malloc(UTF8_QUOTE_SIZE(max));
	char *want = malloc(UTF8_QUOTE_SIZE(max));
	const char *r;

	CHECK(buf != NULL && want != NULL);
	r = utf8_quote(buf, max, s, quoted);
	CHECK(r == buf);
	ref_quote(want, max, s, quoted);
	CHECK(strcmp(buf, want) == 0);
	CHECK(ref_printable(buf));
	free(buf);
	free(want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t raw;
	size_t len;
	char *s;

	if (size < 2)
		return 0;
	s = fuzz_strdup(data + 2, size - 2);
	len = strlen(s);
	check_decode(s, len);
	check_trim(s, len);
	check_format(s, len, data[1]);
	check_quote(s, data[0] & 0x3f, (data[0] & 0x40) != 0);
	if (size >= 6) {
		memcpy(&raw, data + 2, 4);
		CHECK(utf8_is_control(raw) == ref_is_control(raw));
	}
	free(s);
	return 0;
}
