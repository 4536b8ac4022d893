/*
 * fuzz_pipename: a libFuzzer harness for pipename_parse (src/pipename.c).
 *
 * Not built by `make check`. Build and run it natively with clang:
 *
 *     mkdir -p build/fuzz
 *     clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *         -fno-sanitize-recover=all -Isrc \
 *         tests/unit/fuzz_pipename.c src/pipename.c src/utf8.c -o build/fuzz/pipename
 *     build/fuzz/pipename -max_len=1200 -max_total_time=300 build/fuzz/corpus
 *
 * (create build/fuzz/corpus first, and seed it with a few names such as
 * "foo" and "//./pipe/foo" to start from the interesting shapes).
 *
 * Besides what the sanitizers catch, it checks the contract's invariants and
 * aborts on any breach:
 *   - the result is 0 or -1;
 *   - on success: the output starts with "\\", contains "\pipe\", fits its
 *     buffer and the 256-unit limit (counted here independently), a bare
 *     name is "\\.\pipe\" plus the input, local is 1 exactly for host ".",
 *     the message is empty, and parsing the output again gives the same
 *     output and the same local;
 *   - on failure: the output is cleared, the message is non-empty and
 *     NUL-terminated inside the buffer, and the same message in a smaller
 *     buffer (of a size taken from the input) is a prefix of it, cut by at
 *     most one UTF-8 character.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipename.h"

#define ERRLEN 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* UTF-16 units of a UTF-8 string the parser accepted: lead bytes count 1,
 * 4-byte leads count 2, continuation bytes nothing. */
static size_t
units(const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xc0) == 0x80)
			continue;
		n += c >= 0xf0 ? 2 : 1;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pipename pn, again;
	char err[ERRLEN], err2[ERRLEN], *in, *small;
	size_t smallsz, len;
	int rc;

	/* The parser takes a C string; bytes after a NUL are just ignored. */
	in = malloc(size + 1);
	CHECK(in != NULL);
	memcpy(in, data, size);
	in[size] = '\0';

	memset(err, 'x', sizeof err);
	rc = pipename_parse(in, &pn, err, sizeof err);
	CHECK(rc == 0 || rc == -1);
	CHECK(memchr(err, '\0', sizeof err) != NULL);

	if (rc == 0) {
		len = strlen(pn.full);
		CHECK(err[0] == '\0');
		CHECK(len < sizeof pn.full);
		CHECK(strncmp(pn.full, "\\\\", 2) == 0);
		CHECK(strstr(pn.full, "\\pipe\\") != NULL);
		CHECK(units(pn.full) <= PIPENAME_MAX_UNITS);
		CHECK(pn.local ==
		    (strncmp(pn.full, "\\\\.\\pipe\\", 9) == 0));
		if (in[0] != '/' && in[0] != '\\') {
			CHECK(pn.local == 1);
			CHECK(strcmp(pn.full + 9, in) == 0);
		}
		rc = pipename_parse(pn.full, &again, err2, sizeof err2);
		CHECK(rc == 0);
		CHECK(strcmp(again.full, pn.full) == 0);
		CHECK(again.local == pn.local);
	} else {
		len = strlen(err);
		CHECK(len > 0);
		CHECK(pn.full[0] == '\0' && pn.local == 0);
		CHECK(strchr(err, '\n') == NULL);

		/* The same failure in a buffer as small as the input says. */
		smallsz = size > 0 ? data[0] % (len + 2) : 0;
		small = smallsz ? malloc(smallsz) : NULL;
		rc = pipename_parse(in, &pn, small, smallsz);
		CHECK(rc == -1);
		if (small != NULL) {
			CHECK(memchr(small, '\0', smallsz) != NULL);
			len = strlen(small);
			CHECK(strncmp(small, err, len) == 0);
			CHECK(len + 4 > (smallsz - 1 < strlen(err) ?
			    smallsz - 1 : strlen(err)));
			free(small);
		}
	}
	free(in);
	return 0;
}
