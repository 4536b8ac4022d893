/*
 * test_dacl: unit tests of sddl_build (src/dacl.c), natively, under
 * AddressSanitizer and UBSan.
 *
 * The exact strings matter (they become the pipe's DACL), so they are
 * compared whole. The SID check is tried hardest on what could smuggle an
 * extra ACE into the string. Output buffers are heap blocks of exactly the
 * size given, so that ASan sees any write past the end.
 */
#include <stdlib.h>
#include <string.h>

#include "dacl.h"
#include "tap.h"

#define USER "S-1-5-21-1-2-3-1000"
#define DEFAULT_SDDL "D:P(A;;GA;;;SY)(A;;GA;;;" USER ")"
#define EVERYONE_SDDL DEFAULT_SDDL "(A;;0x12018b;;;WD)"

/* Runs sddl_build into a fresh buffer of exactly OUTLEN bytes. */
static int
build(const char *sid, int everyone, size_t outlen, char *copy)
{
	char *out = outlen ? malloc(outlen) : NULL;
	int rc;

	if (out)
		memset(out, 'x', outlen);
	rc = sddl_build(sid, everyone, out, outlen);
	if (out) {
		memcpy(copy, out, outlen);
		free(out);
	}
	return rc;
}

static void
accepts(const char *title, const char *sid, int everyone, const char *want)
{
	char got[512];

	is_int(build(sid, everyone, sizeof got, got), 0,
	    "accepts %s: returns 0", title);
	is_str(got, want, "accepts %s: the string", title);
}

static void
rejects(const char *title, const char *sid)
{
	char got[512];
	int rc;

	rc = build(sid, 0, sizeof got, got);
	ok(rc == -1 && got[0] == '\0', "rejects %s: -1 and an empty string",
	    title);
	rc = build(sid, 1, sizeof got, got);
	ok(rc == -1 && got[0] == '\0',
	    "rejects %s with allow_everyone: -1 and an empty string", title);
}

static void
test_strings(void)
{
	accepts("the default", USER, 0, DEFAULT_SDDL);
	is_str(DEFAULT_SDDL, "D:P(A;;GA;;;SY)(A;;GA;;;S-1-5-21-1-2-3-1000)",
	    "the default is spelled as specified");
	accepts("allow_everyone", USER, 1, EVERYONE_SDDL);
	is_str(EVERYONE_SDDL, "D:P(A;;GA;;;SY)(A;;GA;;;S-1-5-21-1-2-3-1000)"
	    "(A;;0x12018b;;;WD)", "allow_everyone is spelled as specified");
	accepts("any nonzero allow_everyone", USER, 7, EVERYONE_SDDL);
	accepts("LocalSystem's own SID", "S-1-5-18", 0,
	    "D:P(A;;GA;;;SY)(A;;GA;;;S-1-5-18)");
	accepts("Everyone's SID (well-known, no subauthority beyond 0)",
	    "S-1-1-0", 0, "D:P(A;;GA;;;SY)(A;;GA;;;S-1-1-0)");
	accepts("an authority alone", "S-1-5", 0,
	    "D:P(A;;GA;;;SY)(A;;GA;;;S-1-5)");
	accepts("a real-looking domain user",
	    "S-1-5-21-3623811015-3361044348-30300820-1013", 0,
	    "D:P(A;;GA;;;SY)(A;;GA;;;"
	    "S-1-5-21-3623811015-3361044348-30300820-1013)");
	accepts("subauthorities at 4294967295",
	    "S-1-5-4294967295-4294967295", 0,
	    "D:P(A;;GA;;;SY)(A;;GA;;;S-1-5-4294967295-4294967295)");
	accepts("15 subauthorities, the most a SID has",
	    "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15", 0,
	    "D:P(A;;GA;;;SY)(A;;GA;;;S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-"
	    "15)");
	accepts("an AppContainer-style SID (S-1-15-2-...)",
	    "S-1-15-2-1-2-3-4-5-6-7", 1,
	    "D:P(A;;GA;;;SY)(A;;GA;;;S-1-15-2-1-2-3-4-5-6-7)"
	    "(A;;0x12018b;;;WD)");
	is_str(SDDL_EVERYONE_RIGHTS, "0x12018b",
	    "Everyone's rights are 0x12018b (no FILE_CREATE_PIPE_INSTANCE)");
	ok((0x12018b & 0x4) == 0,
	    "0x12018b leaves out FILE_CREATE_PIPE_INSTANCE (0x4)");
}

static void
test_bad_sids(void)
{
	rejects("NULL", NULL);
	rejects("an empty SID", "");
	rejects("\"S\"", "S");
	rejects("\"S-\"", "S-");
	rejects("\"S-1\"", "S-1");
	rejects("\"S-1-\", no authority", "S-1-");
	rejects("a trailing dash", "S-1-5-21-");
	rejects("a double dash", "S-1-5--21");
	rejects("a leading dash in the components", "S-1--5-21");
	rejects("a lowercase s", "s-1-5-18");
	rejects("revision 2", "S-2-5-18");
	rejects("revision 01", "S-01-5-18");
	rejects("a leading space", " S-1-5-18");
	rejects("a trailing space", "S-1-5-18 ");
	rejects("a trailing newline", "S-1-5-18\n");
	rejects("a letter in a component", "S-1-5-1x");
	rejects("a plus sign", "S-1-+5-18");
	rejects("a minus sign as a value", "S-1-5--1");
	rejects("a hex authority", "S-1-0x5-18");
	rejects("a subauthority of 4294967296 (2^32)", "S-1-5-4294967296");
	rejects("a subauthority of 2^64 + 5 (wraps when unchecked)",
	    "S-1-5-18446744073709551621");
	rejects("16 subauthorities, one too many",
	    "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16");
	rejects("an ACE smuggled in after the SID",
	    "S-1-5-21)(A;;GA;;;WD");
	rejects("a closing parenthesis", "S-1-5-21)");
	rejects("a semicolon", "S-1-5-21;");
	rejects("the SDDL alias WD", "WD");
	rejects("the SDDL alias SY", "SY");
	rejects("a SID with a dot", "S-1-5.21");
	rejects("fullwidth digits", "S-1-\xef\xbc\x95");
	rejects("an embedded NUL cuts to \"S-1-\"", "S-1-\0" "5");
}

static void
test_buffers(void)
{
	char got[512], canary[4] = "abc";
	size_t need = sizeof DEFAULT_SDDL, eneed = sizeof EVERYONE_SDDL;

	is_int(build(USER, 0, need, got), 0,
	    "a buffer of exactly strlen + 1 bytes is enough");
	is_str(got, DEFAULT_SDDL, "and holds the whole string");
	is_int(build(USER, 0, need - 1, got), -1,
	    "a buffer one byte short fails");
	is_str(got, "", "and is left an empty string, not a cut DACL");
	is_int(build(USER, 1, eneed, got), 0,
	    "allow_everyone in exactly strlen + 1 bytes");
	is_str(got, EVERYONE_SDDL, "and holds the whole string");
	is_int(build(USER, 1, eneed - 1, got), -1,
	    "allow_everyone one byte short fails");
	is_str(got, "", "and is left an empty string, so never a DACL "
	    "without the closing of the Everyone ACE");
	is_int(build(USER, 1, need, got), -1,
	    "allow_everyone in the default's size fails");
	is_str(got, "", "and is not cut to the default DACL");
	is_int(build(USER, 0, 1, got), -1, "a 1-byte buffer fails");
	is_str(got, "", "and holds an empty string");
	is_int(build(USER, 0, 8, got), -1, "an 8-byte buffer fails");
	is_str(got, "", "and holds an empty string");
	is_int(sddl_build(USER, 0, NULL, 0), -1, "no buffer at all fails");
	is_int(sddl_build(USER, 0, canary, 0), -1, "a 0-byte buffer fails");
	is_str(canary, "abc", "and is not written");
	is_int(build("bad", 0, 1, got), -1, "a bad SID in a 1-byte buffer");
	is_str(got, "", "and holds an empty string");
}

static void
test_allow(void)
{
	char got[512];
	const char *two[] = { "S-1-5-32-545", "S-1-5-21-1-2-3-1001" };
	const char *bad[] = { "S-1-5-32-545", "Users" };

	is_int(sddl_build_allow(USER, 0, two, 2, got, sizeof got), 0,
	    "two allowed SIDs");
	is_str(got, "D:P(A;;GA;;;SY)(A;;GA;;;" USER ")"
	    "(A;;0x12018b;;;S-1-5-32-545)(A;;0x12018b;;;S-1-5-21-1-2-3-1001)",
	    "each gets read/write without FILE_CREATE_PIPE_INSTANCE");
	is_int(sddl_build_allow(USER, 1, two, 1, got, sizeof got), 0,
	    "with everyone too");
	is_str(got, "D:P(A;;GA;;;SY)(A;;GA;;;" USER ")(A;;0x12018b;;;WD)"
	    "(A;;0x12018b;;;S-1-5-32-545)", "everyone first, then the account");
	is_int(sddl_build_allow(USER, 0, bad, 2, got, sizeof got), -1,
	    "a name that is not a SID string fails");
	is_str(got, "", "and leaves an empty string");
	size_t need = strlen("D:P(A;;GA;;;SY)(A;;GA;;;" USER ")"
	    "(A;;0x12018b;;;S-1-5-32-545)") + 1;
	is_int(sddl_build_allow(USER, 0, two, 1, got, need), 0,
	    "in exactly strlen + 1 bytes");
	is_int(sddl_build_allow(USER, 0, two, 1, got, need - 1), -1,
	    "one byte short fails");
	is_str(got, "", "and is never a cut ACE");
	is_int(sddl_build_allow(USER, 0, NULL, 0, got, sizeof got), 0,
	    "no account is the default");
}

int
main(void)
{
	test_allow();
	test_strings();
	test_bad_sids();
	test_buffers();
	return done_testing();
}
