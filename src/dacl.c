/*
 * dacl: the SDDL string for serve's pipe; the contract is in dacl.h.
 *
 * The user's SID is pasted into the string, so it is checked first: were it
 * anything but a SID, text such as "S-1-5)(A;;GA;;;WD" would add an ACE for
 * Everyone. The check follows the string form ConvertSidToStringSid writes:
 * "S-1-", the identifier authority in decimal, then up to 15 subauthorities,
 * each a 32-bit decimal number, all separated by single dashes. (An authority
 * of 2^32 or more is written in hex there; no account SID has one, so hex is
 * refused rather than half-supported.)
 *
 * Portable C11 without windows.h, unit-tested natively (tests/unit).
 */
#include <stdio.h>
#include <string.h>

#include "dacl.h"

/* SID_MAX_SUB_AUTHORITIES in winnt.h. */
#define MAX_SUBAUTHORITIES 15

/* Returns 1 when SID is "S-1-AUTHORITY[-SUBAUTHORITY]..." as described. */
static int
sid_ok(const char *sid)
{
	const char *p;
	unsigned long long v;
	int parts = 0, ndigits;

	if (sid == NULL || strncmp(sid, "S-1-", 4) != 0)
		return 0;
	p = sid + 4;
	for (;;) {
		v = 0;
		ndigits = 0;
		for (; *p >= '0' && *p <= '9'; p++, ndigits++) {
			v = v * 10 + (unsigned)(*p - '0');
			if (v > 0xffffffffULL)
				return 0;
		}
		if (ndigits == 0 || ++parts > 1 + MAX_SUBAUTHORITIES)
			return 0;
		if (*p == '\0')
			return 1;
		if (*p++ != '-')
			return 0;
	}
}

int
sddl_build(const char *user_sid, int allow_everyone, char *out, size_t outlen)
{
	return sddl_build_allow(user_sid, allow_everyone, NULL, 0, out, outlen);
}

int
sddl_build_allow(const char *user_sid, int allow_everyone,
    const char *const *allow, size_t nallow, char *out, size_t outlen)
{
	int n;

	if (out == NULL || outlen == 0)
		return -1;
	out[0] = '\0';
	if (!sid_ok(user_sid))
		return -1;
	for (size_t i = 0; i < nallow; i++)
		if (!sid_ok(allow[i]))
			return -1;
	/*
	 * P protects the DACL from inherited ACEs; GA is GENERIC_ALL. The
	 * Everyone ACE, when asked for, gives read and write but not
	 * FILE_CREATE_PIPE_INSTANCE (see dacl.h).
	 */
	n = snprintf(out, outlen, "D:P(A;;GA;;;SY)(A;;GA;;;%s)%s", user_sid,
	    allow_everyone ? "(A;;" SDDL_EVERYONE_RIGHTS ";;;WD)" : "");
	for (size_t i = 0; i < nallow && n >= 0 && (size_t)n < outlen; i++) {
		int m = snprintf(out + n, outlen - (size_t)n,
		    "(A;;" SDDL_EVERYONE_RIGHTS ";;;%s)", allow[i]);
		n = m < 0 ? m : n + m;
	}
	if (n < 0 || (size_t)n >= outlen) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}
