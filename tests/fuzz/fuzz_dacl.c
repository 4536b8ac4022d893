/*
 * fuzz_dacl: sddl_build and sddl_build_allow (src/dacl.c) paste only real
 * SIDs into the DACL.
 *
 * Input: byte 0 (bit 0: ALLOW_EVERYONE; bits 1-7: a short buffer size),
 * then the user SID and the SIDs of --allow (sddl_build_allow), separated
 * by NULs. Checked:
 *   - it succeeds exactly when every SID is what ConvertSidToStringSid
 *     writes, as decided here by splitting on dashes: "S", "1", then an
 *     authority and at most 15 subauthorities, each a run of decimal
 *     digits worth at most 2^32 - 1;
 *   - then the text is exactly the two ACEs of SYSTEM and the user, plus
 *     Everyone's with ALLOW_EVERYONE and one of the same rights for each
 *     allowed SID, and nothing else (so no SID can add an ACE), and
 *     sddl_build gives what sddl_build_allow gives with none; a buffer
 *     of exactly its length + 1 holds it, any shorter one gets -1 and an
 *     empty string;
 *   - on failure OUT is an empty string; a NULL SID or a zero-size buffer
 *     fails too.
 */
#include <stdio.h>

#include "fuzz.h"
#include "dacl.h"

/* Accounts of --allow a run tries at most. */
#define MAX_ALLOW 8

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
	char *sid, *want, *out, *allow[MAX_ALLOW];
	size_t wlen, small, nallow = 0, i, room;
	int every, ok;

	if (size < 1)
		return 0;
	every = data[0] & 1;
	small = data[0] >> 1;
	data++;
	size--;
	sid = fuzz_field(&data, &size);
	ok = sid_valid(sid);
	room = strlen(sid) + 64;
	while (size > 0 && nallow < MAX_ALLOW) {
		allow[nallow] = fuzz_field(&data, &size);
		ok = ok && sid_valid(allow[nallow]);
		room += strlen(allow[nallow]) + 32;
		nallow++;
	}

	want = malloc(room);
	CHECK(want != NULL);
	wlen = (size_t)sprintf(want, "D:P(A;;GA;;;SY)(A;;GA;;;%s)%s", sid,
	    every ? "(A;;0x12018b;;;WD)" : "");
	for (i = 0; i < nallow; i++)
		wlen += (size_t)sprintf(want + wlen, "(A;;0x12018b;;;%s)",
		    allow[i]);
	out = malloc(wlen + 1);
	CHECK(out != NULL);

	memset(out, 'x', wlen + 1);
	CHECK(sddl_build_allow(sid, every, (const char *const *)allow, nallow,
	    out, wlen + 1) == (ok ? 0 : -1));
	if (ok)
		CHECK(strcmp(out, want) == 0);
	else
		CHECK(out[0] == '\0');
	if (nallow == 0) {
		memset(out, 'x', wlen + 1);
		CHECK(sddl_build(sid, every, out, wlen + 1) == (ok ? 0 : -1));
		CHECK(strcmp(out, ok ? want : "") == 0);
	}

	small %= wlen + 1;
	if (small > 0) {
		memset(out, 'x', small);
		CHECK(sddl_build_allow(sid, every, (const char *const *)allow,
		    nallow, out, small) == -1);
		CHECK(out[0] == '\0');
	}
	CHECK(sddl_build(sid, every, out, 0) == -1);
	CHECK(sddl_build(NULL, every, out, wlen + 1) == -1 && out[0] == '\0');

	for (i = 0; i < nallow; i++)
		free(allow[i]);
	free(out);
	free(want);
	free(sid);
	return 0;
}
