/*
 * test_opts: unit tests of the option value parsers (src/opts.c), natively,
 * under AddressSanitizer and UBSan.
 *
 * For each parser: the accepted syntax at its edges, everything a C library
 * would let through but pipecat must not (signs, spaces, hex, exponents,
 * "inf"), arithmetic overflow, the range bounds exactly, and messages that
 * fit any buffer. Error buffers are heap blocks of exactly the size given,
 * so that ASan sees any write past the end.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "tap.h"

#define ERRLEN 512
#define MAX_MS 2147483646LL

static const char *const imp[] = {
	"anonymous", "identification", "impersonation", "delegation", NULL,
};

/* Which parser a table row calls, so that one checker serves them all. */
enum kind { SECONDS, SECONDS_INF, COUNT, BYTES, CHOICE };

static int
call(enum kind k, const char *opt, const char *s, long long min,
    long long max, long long *v, char *err, size_t errlen)
{
	int rc;

	switch (k) {
	case SECONDS:
		return opt_seconds(opt, s, 0, v, err, errlen);
	case SECONDS_INF:
		return opt_seconds(opt, s, 1, v, err, errlen);
	case COUNT:
		return opt_count(opt, s, min, max, v, err, errlen);
	case BYTES:
		return opt_bytes(opt, s, min, max, v, err, errlen);
	case CHOICE:
		rc = opt_choice(opt, s, imp, err, errlen);
		if (rc >= 0)
			*v = rc;
		return rc < 0 ? -1 : 0;
	}
	return -2;
}

static size_t
bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/*
 * S as a C string literal, then SUFFIX, for a test's title (TAP titles are
 * one line): quotes, backslashes and bytes outside printable ASCII are
 * escaped.
 */
static const char *
show(const char *s, const char *suffix)
{
	static char buf[256];
	size_t o = 0;

	buf[o++] = '"';
	for (; *s && o < sizeof buf - 8; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, sizeof buf - o, "\\%c",
			    c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, sizeof buf - o,
			    "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o++] = '"';
	snprintf(buf + o, sizeof buf - o, " %s", suffix);
	return buf;
}

/* No byte of a message may be a control character or start a bad one. */
static int
plain_line(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == 0xff || *p == 0xc0)
			return 0;
	return 1;
}

static void
accepts(enum kind k, const char *title, const char *s, long long min,
    long long max, long long want)
{
	char *err = malloc(ERRLEN);
	long long v = -12345;
	int rc;

	rc = call(k, "--opt", s, min, max, &v, err, ERRLEN);
	if (!is_int(rc, 0, "accepts %s: returns 0", title))
		diag("error: %s", err);
	is_int(v, want, "accepts %s: value %lld", title, want);
	free(err);
}

/*
 * Checks that S is refused with WANT as the exact message (or, when WANT
 * is NULL, a message containing SUB), and that *V is left alone.
 */
static void
rejects(enum kind k, const char *title, const char *opt, const char *s,
    long long min, long long max, const char *want, const char *sub)
{
	char *err = malloc(ERRLEN);
	long long v = -12345;
	size_t len;
	int rc;

	memset(err, 'x', ERRLEN);
	rc = call(k, opt, s, min, max, &v, err, ERRLEN);
	is_int(rc, -1, "rejects %s: returns -1", title);
	is_int(v, -12345, "rejects %s: value untouched", title);
	if (want != NULL)
		is_str(err, want, "rejects %s: message", title);
	else if (!ok(strstr(err, sub) != NULL,
	    "rejects %s: message mentions '%s'", title, sub))
		diag("message: %s", err);
	len = bounded_len(err, ERRLEN);
	ok(len > 0 && len < 200 && strncmp(err, opt, strlen(opt)) == 0 &&
	    err[len - 1] != '.' && plain_line(err),
	    "rejects %s: message is one short plain line naming %s", title,
	    opt);
	free(err);
}

static void
test_seconds(void)
{
	static const char *const nan[] = {
		"", "-1", "+1", "-0", "1e3", "1E3", " 1", "1 ", "\t1", "1\n",
		"abc", "0x10", "0X10", "Inf", "INF", "infinity", "nan", "NaN",
		".5", "5.", ".", "1..2", "1.2.3", "1,5", "1:30", "1s", "5ms",
		"\xd9\xa1", "\xc2\xbd", "\xef\xbc\x91", "1\xc2\xa0",
		"0.5.", "--1", "1-", NULL,
	};
	size_t i;

	accepts(SECONDS, "\"0\"", "0", 0, 0, 0);
	accepts(SECONDS, "\"5\"", "5", 0, 0, 5000);
	accepts(SECONDS, "\"60\"", "60", 0, 0, 60000);
	accepts(SECONDS, "\"0.25\"", "0.25", 0, 0, 250);
	accepts(SECONDS, "\"1.5\"", "1.5", 0, 0, 1500);
	accepts(SECONDS, "\"0.1\" (one decimal)", "0.1", 0, 0, 100);
	accepts(SECONDS, "\"0.10\" (two decimals)", "0.10", 0, 0, 100);
	accepts(SECONDS, "\"0.100\" (three decimals)", "0.100", 0, 0, 100);
	accepts(SECONDS, "\"0.001\", a millisecond", "0.001", 0, 0, 1);
	accepts(SECONDS, "\"0.000\"", "0.000", 0, 0, 0);
	accepts(SECONDS, "\"007\" (leading zeros)", "007", 0, 0, 7000);
	accepts(SECONDS, "\"00.5\"", "00.5", 0, 0, 500);
	accepts(SECONDS, "\"2147483\"", "2147483", 0, 0, 2147483000LL);
	accepts(SECONDS, "\"2147483.6\"", "2147483.6", 0, 0, 2147483600LL);
	accepts(SECONDS, "\"2147483.646\", the largest", "2147483.646", 0, 0,
	    MAX_MS);
	accepts(SECONDS, "the largest with leading zeros",
	    "0000000000000000000000002147483.646", 0, 0, MAX_MS);
	accepts(SECONDS_INF, "\"inf\" where allowed", "inf", 0, 0,
	    OPT_INFINITE);
	accepts(SECONDS_INF, "\"infinite\" where allowed", "infinite", 0, 0,
	    OPT_INFINITE);
	accepts(SECONDS_INF, "a number where inf is allowed", "2.5", 0, 0,
	    2500);

	rejects(SECONDS, "\"abc\" as seconds", "--wait", "abc", 0, 0,
	    "--wait: \"abc\" is not a number of seconds", NULL);
	rejects(SECONDS, "NULL as seconds", "--wait", NULL, 0, 0,
	    "--wait: \"\" is not a number of seconds", NULL);
	for (i = 0; nan[i] != NULL; i++)
		rejects(SECONDS_INF, show(nan[i], "as seconds"), "-w",
		    nan[i], 0, 0, NULL, "is not a number of seconds");
	rejects(SECONDS, "\"inf\" where not allowed", "--timeout", "inf", 0, 0,
	    "--timeout: \"inf\" is not a number of seconds (--timeout "
	    "cannot be infinite)", NULL);
	rejects(SECONDS, "\"infinite\" where not allowed", "-i", "infinite", 0,
	    0, NULL, "(-i cannot be infinite)");

	rejects(SECONDS, "\"0.0001\", finer than a millisecond", "--wait",
	    "0.0001", 0, 0, "--wait: \"0.0001\" has more than three decimals "
	    "(the resolution is a millisecond)", NULL);
	rejects(SECONDS, "\"1.0000\", four decimals even if zero", "--wait",
	    "1.0000", 0, 0, NULL, "more than three decimals");
	rejects(SECONDS, "\"0.12345\"", "--wait", "0.12345", 0, 0, NULL,
	    "more than three decimals");
	rejects(SECONDS, "a thousand decimals", "--wait",
	    "0.00000000000000000000000000000000000000000000000000000000000000"
	    "00000000000000000000000000000000000000000000000000000000000001",
	    0, 0, NULL, "more than three decimals");

	rejects(SECONDS, "\"2147483.647\", a millisecond too many", "--wait",
	    "2147483.647", 0, 0, "--wait: \"2147483.647\" is too large (at "
	    "most 2147483.646 seconds)", NULL);
	rejects(SECONDS_INF, "too large where inf is allowed", "--wait",
	    "2147484", 0, 0, "--wait: \"2147484\" is too large (at most "
	    "2147483.646 seconds, or inf)", NULL);
	rejects(SECONDS, "\"4294967.295\" (DWORD INFINITE)", "-t",
	    "4294967.295", 0, 0, NULL, "is too large");
	rejects(SECONDS, "20 digits (overflows 64 bits)", "-t",
	    "99999999999999999999", 0, 0, NULL, "is too large");
	rejects(SECONDS, "20 digits and decimals", "-t",
	    "99999999999999999999.999", 0, 0, NULL, "is too large");
	rejects(SECONDS, "9223372036854775808 (2^63)", "-t",
	    "9223372036854775808", 0, 0, NULL, "is too large");
	rejects(SECONDS, "18446744073709551617 (2^64 + 1)", "-t",
	    "18446744073709551617", 0, 0, NULL, "is too large");
}

static void
test_count(void)
{
	static const char *const nan[] = {
		"", "-1", "+1", "-0", " 1", "1 ", "1\n", "1.0", "1.", ".1",
		"1e3", "0x10", "1,000", "1_000", "one", "1k", "inf",
		"\xd9\xa1", "\xef\xbc\x91", NULL,
	};
	size_t i;

	accepts(COUNT, "the minimum", "1", 1, 1000000, 1);
	accepts(COUNT, "the maximum", "1000000", 1, 1000000, 1000000);
	accepts(COUNT, "a middle value", "42", 1, 1000000, 42);
	accepts(COUNT, "leading zeros, decimal not octal", "010", 1, 1000000,
	    10);
	accepts(COUNT, "zero where allowed", "0", 0, 10, 0);
	accepts(COUNT, "LLONG_MAX where allowed", "9223372036854775807", 0,
	    LLONG_MAX, LLONG_MAX);
	accepts(COUNT, "LLONG_MAX with leading zeros",
	    "000000000000009223372036854775807", 0, LLONG_MAX, LLONG_MAX);

	rejects(COUNT, "one below the minimum", "--max-clients", "0", 1,
	    1000000, "--max-clients: 0 is out of range (1 to 1000000)", NULL);
	rejects(COUNT, "one above the maximum", "--max-clients", "1000001", 1,
	    1000000, "--max-clients: 1000001 is out of range (1 to 1000000)",
	    NULL);
	rejects(COUNT, "20 nines (overflows 64 bits)", "--max-clients",
	    "99999999999999999999", 1, 1000000, "--max-clients: "
	    "99999999999999999999 is out of range (1 to 1000000)", NULL);
	rejects(COUNT, "2^63, one past LLONG_MAX", "-n", "9223372036854775808",
	    0, LLONG_MAX, NULL, "is out of range (0 to 9223372036854775807)");
	rejects(COUNT, "2^64, wraps to 0 when unchecked", "-n",
	    "18446744073709551616", 0, 10, NULL, "is out of range");
	rejects(COUNT, "2^64 + 1, wraps to 1 when unchecked", "-n",
	    "18446744073709551617", 1, 10, NULL, "is out of range");
	rejects(COUNT, "a thousand digits", "-n",
	    "1000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    1, 10, NULL, "...");

	rejects(COUNT, "\"x\" as a count", "--max-clients", "x", 1, 1000000,
	    "--max-clients: \"x\" is not a whole number", NULL);
	rejects(COUNT, "NULL as a count", "--max-clients", NULL, 1, 10,
	    "--max-clients: \"\" is not a whole number", NULL);
	for (i = 0; nan[i] != NULL; i++)
		rejects(COUNT, show(nan[i], "as a count"),
		    "--max-instances", nan[i], 0, LLONG_MAX, NULL,
		    "is not a whole number");
}

static void
test_bytes(void)
{
	static const char *const nan[] = {
		"", "k", "K", "KiB", "1KB", "1kb", "1kB", "1Kib", "1kiB",
		"1KIB", "1Ki", "1KK", "1kk", "1T", "1TiB", "1b", "1B",
		"1 K", " 1K", "1K ", "-1", "+1", "-1K", "1.5M", "0.5K",
		"1e3", "0x10", "1,024", "K1", "1M1", "1\xc2\xa0K", "12q",
		NULL,
	};
	size_t i;

	accepts(BYTES, "\"0\"", "0", 0, LLONG_MAX, 0);
	accepts(BYTES, "\"65536\"", "65536", 0, LLONG_MAX, 65536);
	accepts(BYTES, "\"64k\"", "64k", 0, LLONG_MAX, 65536);
	accepts(BYTES, "\"64K\"", "64K", 0, LLONG_MAX, 65536);
	accepts(BYTES, "\"64KiB\"", "64KiB", 0, LLONG_MAX, 65536);
	accepts(BYTES, "\"1m\"", "1m", 0, LLONG_MAX, 1048576);
	accepts(BYTES, "\"1M\"", "1M", 0, LLONG_MAX, 1048576);
	accepts(BYTES, "\"1MiB\"", "1MiB", 0, LLONG_MAX, 1048576);
	accepts(BYTES, "\"1g\"", "1g", 0, LLONG_MAX, 1073741824);
	accepts(BYTES, "\"1G\"", "1G", 0, LLONG_MAX, 1073741824);
	accepts(BYTES, "\"1GiB\"", "1GiB", 0, LLONG_MAX, 1073741824);
	accepts(BYTES, "\"0K\"", "0K", 0, LLONG_MAX, 0);
	accepts(BYTES, "\"010K\" (decimal, not octal)", "010K", 0, LLONG_MAX,
	    10240);
	accepts(BYTES, "the maximum exactly", "1G", 1, 1073741824,
	    1073741824);
	accepts(BYTES, "the maximum as 1048576K", "1048576K", 1, 1073741824,
	    1073741824);
	accepts(BYTES, "LLONG_MAX", "9223372036854775807", 0, LLONG_MAX,
	    LLONG_MAX);
	accepts(BYTES, "the largest whole G", "8589934591G", 0, LLONG_MAX,
	    8589934591LL << 30);

	rejects(BYTES, "\"12q\" as a size", "--buffer", "12q", 0, LLONG_MAX,
	    "--buffer: \"12q\" is not a size in bytes (e.g. 65536, 64K, 1M)",
	    NULL);
	rejects(BYTES, "NULL as a size", "--buffer", NULL, 0, LLONG_MAX,
	    "--buffer: \"\" is not a size in bytes (e.g. 65536, 64K, 1M)",
	    NULL);
	for (i = 0; nan[i] != NULL; i++)
		rejects(BYTES, show(nan[i], "as a size"), "--buffer",
		    nan[i], 0, LLONG_MAX, NULL, "is not a size in bytes");

	rejects(BYTES, "below the minimum", "--buffer", "0", 1, 1073741824,
	    "--buffer: 0 is out of range (1 to 1073741824 bytes)", NULL);
	rejects(BYTES, "\"0K\" below the minimum", "--buffer", "0K", 1,
	    1073741824, "--buffer: 0K is out of range (1 to 1073741824 bytes)",
	    NULL);
	rejects(BYTES, "1K past the maximum", "--buffer", "1048577K", 1,
	    1073741824, NULL, "is out of range (1 to 1073741824 bytes)");
	rejects(BYTES, "\"2G\" past the maximum", "--buffer", "2G", 1,
	    1073741824, "--buffer: 2G is out of range (1 to 1073741824 bytes)",
	    NULL);
	rejects(BYTES, "2^63 bytes overflow", "--buffer",
	    "9223372036854775808", 0, LLONG_MAX, NULL, "is out of range");
	rejects(BYTES, "8589934592G (2^63) overflows when multiplied",
	    "--buffer", "8589934592G", 0, LLONG_MAX, NULL, "is out of range");
	rejects(BYTES, "9007199254740992K (2^63) overflows", "--buffer",
	    "9007199254740992K", 0, LLONG_MAX, NULL, "is out of range");
	rejects(BYTES, "20 nines with a suffix", "--buffer",
	    "99999999999999999999G", 0, LLONG_MAX, NULL, "is out of range");
	rejects(BYTES, "17179869184G (2^64) wraps to 0 when unchecked",
	    "--buffer", "17179869184G", 0, LLONG_MAX, NULL, "is out of range");
}

static void
test_choice(void)
{
	char err[ERRLEN];
	static const char *const none[] = { NULL };
	long long v;
	int i;

	for (i = 0; imp[i] != NULL; i++)
		accepts(CHOICE, imp[i], imp[i], 0, 0, i);
	rejects(CHOICE, "\"x\" as a choice", "--impersonation", "x", 0, 0,
	    "--impersonation: \"x\" is not one of anonymous, identification, "
	    "impersonation, delegation", NULL);
	rejects(CHOICE, "a choice in capitals", "--impersonation",
	    "Anonymous", 0, 0, NULL, "\"Anonymous\" is not one of");
	rejects(CHOICE, "a prefix of a choice", "--impersonation", "anon", 0,
	    0, NULL, "\"anon\" is not one of");
	rejects(CHOICE, "a choice with a trailing space", "--impersonation",
	    "delegation ", 0, 0, NULL, "is not one of");
	rejects(CHOICE, "a choice and more", "--impersonation",
	    "delegationx", 0, 0, NULL, "is not one of");
	rejects(CHOICE, "an empty choice", "--impersonation", "", 0, 0, NULL,
	    "\"\" is not one of");
	rejects(CHOICE, "NULL as a choice", "--impersonation", NULL, 0, 0,
	    NULL, "\"\" is not one of");
	is_int(opt_choice("--x", "a", none, err, sizeof err), -1,
	    "an empty list of choices matches nothing");
	is_str(err, "--x: \"a\" is not a valid choice",
	    "an empty list of choices has its own message");
	is_int(opt_choice("--x", "a", NULL, err, sizeof err), -1,
	    "a NULL list of choices matches nothing");
	v = opt_choice("--x", "identification", imp, NULL, 0);
	is_int(v, 1, "a choice needs no error buffer");
}

static void
test_quoting(void)
{
	char err[ERRLEN];
	long long v;

	opt_count("-n", "\x1b[2J", 0, 10, &v, err, sizeof err);
	is_str(err, "-n: \"?[2J\" is not a whole number",
	    "an escape character is shown as ?");
	opt_count("-n", "\xff\xfe", 0, 10, &v, err, sizeof err);
	is_str(err, "-n: \"??\" is not a whole number",
	    "bytes of bad UTF-8 are shown as ?");
	opt_count("-n", "a\xc2\x9b" "b", 0, 10, &v, err, sizeof err);
	is_str(err, "-n: \"a?b\" is not a whole number",
	    "a C1 control (U+009B) is shown as ?");
	opt_count("-n", "пять", 0, 10, &v, err, sizeof err);
	is_str(err, "-n: \"пять\" is not a whole number",
	    "unicode text is quoted as it is");
	opt_seconds("-w", "xxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxx", 0, &v, err, sizeof err);
	is_str(err, "-w: \"xxxxxxxxxxxxxxxxxxxx" "xxxxxxxxxxxxxxxxxxxx...\" is "
	    "not a number of seconds", "a long value is quoted shortened");
	opt_seconds("-w", "пппппппппппппппппппппппппппппп", 0, &v, err,
	    sizeof err);
	is_str(err, "-w: \"пппппппппппппппппппп...\" is not a number of "
	    "seconds", "a long unicode value is shortened at a character");
}

/*
 * Runs the parser for ROW into a heap buffer of exactly SZ bytes and
 * compares with FULL, the whole message.
 */
static int
cut_ok(enum kind k, const char *s, size_t sz, const char *full)
{
	char *err = sz ? malloc(sz) : NULL;
	long long v;
	size_t len, fl = strlen(full);
	int good;

	if (err)
		memset(err, 'x', sz);
	good = call(k, "--opt", s, 1, 10, &v, err, sz) == -1;
	if (err) {
		len = bounded_len(err, sz);
		good = good && len < sz && strncmp(err, full, len) == 0 &&
		    len + 4 > (sz - 1 < fl ? sz - 1 : fl);
		free(err);
	}
	return good;
}

static void
test_small_buffers(void)
{
	static const struct {
		enum kind k;
		const char *s;
	} rows[] = {
		{ SECONDS, "abc" }, { SECONDS, "0.0001" }, { SECONDS, "inf" },
		{ SECONDS_INF, "9999999" }, { COUNT, "x" }, { COUNT, "0" },
		{ COUNT, "пять" }, { BYTES, "12q" }, { BYTES, "2G" },
		{ CHOICE, "x" }, { CHOICE, "😀" },
	};
	char full[ERRLEN], canary[4] = "abc";
	long long v = 7;
	size_t i, sz;
	int good;

	is_int(opt_seconds("-w", "x", 0, &v, NULL, 0), -1,
	    "opt_seconds with no error buffer fails cleanly");
	is_int(opt_count("-n", "x", 0, 1, &v, NULL, 0), -1,
	    "opt_count with no error buffer fails cleanly");
	is_int(opt_bytes("-b", "x", 0, 1, &v, NULL, 0), -1,
	    "opt_bytes with no error buffer fails cleanly");
	is_int(opt_choice("-c", "x", imp, NULL, 0), -1,
	    "opt_choice with no error buffer fails cleanly");
	opt_choice("-c", "x", imp, canary, 0);
	is_str(canary, "abc", "an error buffer of length 0 is not written");
	is_int(v, 7, "and the value is left alone");

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		call(rows[i].k, "--opt", rows[i].s, 1, 10, &v, full,
		    sizeof full);
		good = 1;
		for (sz = 0; sz <= strlen(full) + 2; sz++)
			good = good && cut_ok(rows[i].k, rows[i].s, sz, full);
		ok(good, "message cut at every buffer size from 0 is a "
		    "prefix (%s)", full);
	}
	good = cut_ok(CHOICE, "x", 8, "--opt: \"x\" is not one of anonymous");
	ok(good, "an 8-byte buffer for a choice list");
	good = cut_ok(CHOICE, "x", 1, "");
	ok(good, "a 1-byte buffer for a choice list");
}

int
main(void)
{
	test_seconds();
	test_count();
	test_bytes();
	test_choice();
	test_quoting();
	test_small_buffers();
	return done_testing();
}
