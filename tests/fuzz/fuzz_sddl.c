/*
 * fuzz_sddl: sddl_build (src/sddl.c) pastes only a real SID into the DACL.
 *
 * Input: byte 0 (bit 0: ALLOW_EVERYONE; bits 1-7: a short buffer size),
 * then the user SID (up to a NUL). Checked:
 *   - it succeeds exactly when the SID is what ConvertSidToStringSid
 *     writes, as decided here by splitting on dashes: "S", "1", then an
 *     authority and at most 15 subauthorities, each a run of decimal
 *     digits worth at most 2^32 - 1;
 *   - then the text is exactly the two ACEs of SYSTEM and that SID, plus
 *     Everyone's with ALLOW_EVERYONE, and nothing else (so no SID can add
 *     an ACE); a buffer of exactly its length + 1 holds it, any shorter
 *     one gets -1 and an empty string;
 *   - on failure OUT is an empty string; a NULL SID or a zero-size buffer
 *     fails too.
 */
#include <stdio.h>

#include "fuzz.h"
#include "sddl.h"

/* The SID rule above, by fields. */
static int
sid_valid(const char *sid)
{
	const char *p = sid, *end;
	unsigned long long v;
	int field = 0;

	for (;; field++) {
		end = strchr(p, '-');
		if (end == NULL)
			end = p + strlen(p);
		if (field == 0) {
			if (end - p != 1 || p[0] != 'S')
				return 0;
		} else if (field == 1) {
			if (end - p != 1 || p[0] != '1')
				return 0;
		} else {
			if (end == p || field > 2 + 15)
				return 0;
			for (v = 0; p < end; p++) {
				if (*p < '0' || *p > '9')
					return 0;
				v = v * 10 + (unsigned long long)(*p - '0');
				if (v > 0xffffffffULL)
					return 0;
			}
		}
		if (*end == '\0')
			return field >= 2;
		p = end + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sid, *want, *out;
	size_t wlen, small;
	int every, ok;

	if (size < 1)
		return 0;
	every = data[0] & 1;
	sid = fuzz_strdup(data + 1, size - 1);
	ok = sid_valid(sid);

	want = malloc(strlen(sid) + 64);
	CHECK(want != NULL);
	wlen = (size_t)sprintf(want, "D:P(A;;GA;;;SY)(A;;GA;;;%s)%s", sid,
	    every ? "(A;;0x12018b;;;WD)" : "");
	out = malloc(wlen + 1);
	CHECK(out != NULL);

	memset(out, 'x', wlen + 1);
	CHECK(sddl_build(sid, every, out, wlen + 1) == (ok ? 0 : -1));
	if (ok)
		CHECK(strcmp(out, want) == 0);
	else
		CHECK(out[0] == '\0');

	small = (size_t)(data[0] >> 1) % (wlen + 1);
	if (small > 0) {
		memset(out, 'x', small);
		CHECK(sddl_build(sid, every, out, small) == -1);
		CHECK(out[0] == '\0');
	}
	CHECK(sddl_build(sid, every, out, 0) == -1);
	CHECK(sddl_build(NULL, every, out, wlen + 1) == -1 && out[0] == '\0');

	free(out);
	free(want);
	free(sid);
	return 0;
}
