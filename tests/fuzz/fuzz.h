/*
 * fuzz.h: what the harnesses in tests/fuzz/ share.
 *
 * Each harness is one LLVMFuzzerTestOneInput over one portable module. It
 * is built two ways (see Makefile): with clang's libFuzzer for `make fuzz`,
 * and with the host compiler and replay.c's main() for `make check`, which
 * feeds it every file of its corpus under ASan and UBSan. A harness checks
 * its module's contract (the module's header) and calls abort() on any
 * breach, so a breach is a crash to either build.
 *
 * The references below are written apart from src/utf8.c on purpose, from
 * RFC 3629's definition rather than its table: a harness that checked the
 * decoder with the decoder would prove nothing.
 */
#ifndef PIPECAT_FUZZ_H
#define PIPECAT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A breach of the contract: abort, which libFuzzer and replay.c report. */
#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* DATA[0..SIZE) as a fresh NUL-terminated string (a NUL inside ends it
 * early, as it would for the C string the module takes). */
static inline char *
fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	CHECK(s != NULL);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * The next NUL-separated field of *DATA (of *SIZE bytes), as a string from
 * malloc, moving *DATA past it and its NUL. The last field runs to the end.
 */
static inline char *
fuzz_field(const uint8_t **data, size_t *size)
{
	const uint8_t *nul = *size > 0 ? memchr(*data, '\0', *size) : NULL;
	size_t len = nul != NULL ? (size_t)(nul - *data) : *size;
	char *s = fuzz_strdup(*data, len);

	*data += len + (nul != NULL);
	*size -= len + (nul != NULL);
	return s;
}

/*
 * RFC 3629, section 3, as a definition: the lead byte's high bits give the
 * length, each further byte is 10xxxxxx, and the value must need that
 * length (no overlong form), not be a surrogate, and be at most U+10FFFF.
 * Returns the length (1 to 4) and sets *CP, or returns 0 for a byte that
 * starts no valid sequence. Stops at a NUL, which is no continuation byte.
 */
static inline size_t
ref_utf8_decode(const char *str, uint32_t *cp)
{
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	for (len = 0; len < 8 && (s[0] & (0x80u >> len)); len++)
		;
	if (len < 2 || len > 4)
		return 0;
	v = s[0] & (0x7fu >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < least[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Appends code point CP (at most U+10FFFF) as UTF-8 to OUT at *N. */
static inline void
ref_utf8_encode(char *out, size_t *n, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | cp >> 6);
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xe0 | cp >> 12);
		out[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | cp >> 18);
		out[(*n)++] = (char)(0x80 | (cp >> 12 & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* Unicode's Cc: C0, DEL, C1. */
static inline int
ref_is_control(uint32_t cp)
{
	return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
}

/* 1 when the first LEN bytes of S are valid UTF-8 (S NUL-terminated
 * at or after LEN). */
static inline int
ref_valid_utf8_n(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = ref_utf8_decode(s + i, &cp);
		if (n == 0 || i + n > len)
			return 0;
		i += n;
	}
	return 1;
}

static inline int
ref_valid_utf8(const char *s)
{
	return ref_valid_utf8_n(s, strlen(s));
}

/* 1 when S is valid UTF-8 with no control character: one printable line. */
static inline int
ref_printable(const char *s)
{
	size_t i = 0, n;
	uint32_t cp;

	while (s[i] != '\0') {
		n = ref_utf8_decode(s + i, &cp);
		if (n == 0 || ref_is_control(cp))
			return 0;
		i += n;
	}
	return 1;
}

/* The longest prefix of S of at most K bytes that ends at a character
 * boundary of the valid UTF-8 string S. */
static inline size_t
ref_boundary(const char *s, size_t k)
{
	size_t i = 0, n;
	uint32_t cp;

	while (s[i] != '\0') {
		n = ref_utf8_decode(s + i, &cp);
		CHECK(n != 0);
		if (i + n > k)
			break;
		i += n;
	}
	return i;
}

/*
 * What utf8_quote (utf8.h) must write for S: in quotes when QUOTED, each
 * control character and each byte of invalid UTF-8 as "?", whole
 * characters up to MAX bytes, "..." when S did not fit. OUT holds
 * UTF8_QUOTE_SIZE(MAX) bytes.
 */
static inline void
ref_quote(char *out, size_t max, const char *s, int quoted)
{
	size_t i = 0, o = 0, body = 0, n, w;
	uint32_t cp;

	if (quoted)
		out[o++] = '"';
	while (s[i] != '\0') {
		n = ref_utf8_decode(s + i, &cp);
		w = (n == 0 || ref_is_control(cp)) ? 1 : n;
		if (body + w > max)
			break;
		if (w == 1 && (n == 0 || ref_is_control(cp)))
			out[o] = '?';
		else
			memcpy(out + o, s + i, n);
		o += w;
		body += w;
		i += n == 0 ? 1 : n;
	}
	if (s[i] != '\0') {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	if (quoted)
		out[o++] = '"';
	out[o] = '\0';
}

/*
 * A module's one-line message: NUL-terminated inside its ERRLEN bytes,
 * valid UTF-8, no control character (so no newline), not empty.
 */
static inline void
check_message(const char *err, size_t errlen)
{
	CHECK(errlen > 0 && memchr(err, '\0', errlen) != NULL);
	CHECK(err[0] != '\0');
	CHECK(ref_printable(err));
}

/*
 * SMALL is what the module wrote in a buffer of SMALLSZ bytes where FULL
 * is what it wrote with room to spare: FULL cut to fit, at a character
 * boundary (utf8.h's cutting rule), and never past SMALLSZ.
 */
static inline void
check_cut(const char *full, const char *small, size_t smallsz)
{
	size_t len = strlen(full);
	size_t k = len < smallsz - 1 ? len : smallsz - 1;

	CHECK(smallsz > 0 && memchr(small, '\0', smallsz) != NULL);
	CHECK(strlen(small) == ref_boundary(full, k));
	CHECK(strncmp(small, full, strlen(small)) == 0);
}

#endif
