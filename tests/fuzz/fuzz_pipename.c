/*
 * fuzz_pipename: pipename_parse (src/pipename.c) keeps its rules.
 *
 * Input: the name (up to a NUL); byte 0 also picks a short message buffer.
 * Besides what the sanitizers catch, it checks the contract's invariants:
 *   - the result is 0 or -1;
 *   - a name that is not valid UTF-8 or holds a control character is
 *     refused (fuzz.h's reference decides);
 *   - on success: the output starts with "\\", contains "\pipe\", fits its
 *     buffer and the 256-unit limit (counted here independently), a bare
 *     name is "\\.\pipe\" plus the input, local is 1 exactly for host ".",
 *     the message is empty, and parsing the output again gives the same
 *     output and the same local;
 *   - on failure: the output is cleared, the message is one printable line
 *     inside its buffer, and the same message in a smaller buffer (of a
 *     size taken from the input) is it cut at a character boundary.
 */
#include "fuzz.h"
#include "pipename.h"

#define ERRLEN 512

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
	in = fuzz_strdup(data, size);

	memset(err, 'x', sizeof err);
	rc = pipename_parse(in, &pn, err, sizeof err);
	CHECK(rc == 0 || rc == -1);
	CHECK(memchr(err, '\0', sizeof err) != NULL);

	if (rc == 0) {
		len = strlen(pn.full);
		CHECK(err[0] == '\0');
		CHECK(ref_printable(in) && ref_printable(pn.full));
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
		check_message(err, sizeof err);
		CHECK(pn.full[0] == '\0' && pn.local == 0);

		/* The same failure in a buffer as small as the input says. */
		smallsz = size > 0 ? data[0] % (len + 2) : 0;
		small = smallsz ? malloc(smallsz) : NULL;
		rc = pipename_parse(in, &pn, small, smallsz);
		CHECK(rc == -1);
		if (small != NULL) {
			check_cut(err, small, smallsz);
			free(small);
		}
	}
	free(in);
	return 0;
}
