/*
 * test_pipelist: unit tests of src/pipelist.c, natively, under
 * AddressSanitizer and UBSan.
 *
 * The directory buffers are built by hand the way NtQueryDirectoryFile lays
 * out FILE_DIRECTORY_INFORMATION records (see pipelist.h), then copied into
 * heap blocks of exactly their length, so that ASan reports any read past
 * the end. Malformed ones are cut short, lie about lengths, or chain
 * backwards; every truncation of a good buffer, and a few thousand random
 * buffers, are walked too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipelist.h"
#include "tap.h"

static void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/*
 * Writes a record at BUF + POS: NAME given as UTF-16 units, NEXT the
 * NextEntryOffset (0 for the last), NAMELEN the FileNameLength in bytes
 * (normally 2 * units). Returns the record's length, padded to 8 as
 * Windows pads them.
 */
static size_t
record(unsigned char *buf, size_t pos, const uint16_t *name, size_t units,
    uint64_t cur, uint64_t max, uint32_t next, uint32_t namelen)
{
	unsigned char *r = buf + pos;

	memset(r, 0, PIPELIST_RECORD_MIN);
	put32(r, next);
	put32(r + 4, 7);                        /* FileIndex: ignored */
	put64(r + 8, 0x01d9000000000000ULL);    /* times: ignored */
	put64(r + 40, cur);
	put64(r + 48, max);
	put32(r + 56, 0x80);                    /* FILE_ATTRIBUTE_NORMAL */
	put32(r + 60, namelen);
	for (size_t i = 0; i < units; i++) {
		r[64 + 2 * i] = (unsigned char)(name[i] & 0xff);
		r[64 + 2 * i + 1] = (unsigned char)(name[i] >> 8);
	}
	return (PIPELIST_RECORD_MIN + 2 * units + 7) & ~(size_t)7;
}

/* ASCII S as UTF-16 units in U (at most 64); returns the count. */
static size_t
units_of(const char *s, uint16_t *u)
{
	size_t n = 0;

	while (s[n] != '\0' && n < 64) {
		u[n] = (uint16_t)(unsigned char)s[n];
		n++;
	}
	return n;
}

/* Builds a well-formed listing of the three NAMES into BUF; returns its length. */
static size_t
three(unsigned char *buf)
{
	static const char *const names[3] = { "InitShutdown", "lsass", "pc-x" };
	static const uint64_t cur[3] = { 3, 4, 1 };
	static const uint64_t max[3] = { 0xffffffffULL, 0xffffffffffffffffULL, 2 };
	size_t pos = 0;

	for (int i = 0; i < 3; i++) {
		uint16_t u[64];
		size_t n = units_of(names[i], u);
		size_t len = (PIPELIST_RECORD_MIN + 2 * n + 7) & ~(size_t)7;
		size_t got = record(buf, pos, u, n, cur[i], max[i],
		    i < 2 ? (uint32_t)len : 0, (uint32_t)(2 * n));
		/* The last record's length is its unpadded one. */
		pos += i < 2 ? got : PIPELIST_RECORD_MIN + 2 * n;
	}
	return pos;
}

/* The UTF-8 name of an entry, in a static buffer. */
static const char *
name_of(const struct pipelist_entry *e)
{
	static char s[512];

	pipelist_name_utf8(e->name16, e->name16_len, s, sizeof s);
	return s;
}

/*
 * Walks the LEN bytes at SRC, copied into an exact heap block; returns the
 * number of entries read, with *END the last return (0 or -1) and ERR the
 * message. Never more than LEN / 64 + 2 calls: a walk that tried more would
 * be a loop.
 */
static int
walk(const unsigned char *src, size_t len, int *end, char *err, size_t errlen)
{
	unsigned char *b = malloc(len ? len : 1);
	struct pipelist_iter it;
	struct pipelist_entry e;
	int n = 0, r = 0;

	memcpy(b, src, len);
	err[0] = '\0';
	pipelist_iter_init(&it, b, len);
	for (size_t calls = 0; calls < len / PIPELIST_RECORD_MIN + 2; calls++) {
		r = pipelist_next(&it, &e, err, errlen);
		if (r != 1)
			break;
		n++;
	}
	free(b);
	*end = r;
	return n;
}

static void
test_good(void)
{
	unsigned char buf[1024], *b;
	size_t len = three(buf);
	struct pipelist_iter it;
	struct pipelist_entry e;
	char err[256] = "";

	b = malloc(len);
	memcpy(b, buf, len);
	pipelist_iter_init(&it, b, len);
	is_int(pipelist_next(&it, &e, err, sizeof err), 1, "record 1 is read");
	is_str(name_of(&e), "InitShutdown", "record 1: its name");
	ok(e.instances == 3 && e.max_instances == 0xffffffffULL && e.unlimited,
	    "record 1: 3 instances, maximum 0xffffffff is unlimited");
	is_int(pipelist_next(&it, &e, err, sizeof err), 1, "record 2 is read");
	is_str(name_of(&e), "lsass", "record 2: its name");
	ok(e.instances == 4 && e.unlimited,
	    "record 2: a sign-extended -1 maximum is unlimited too");
	is_int(pipelist_next(&it, &e, err, sizeof err), 1, "record 3 is read");
	is_str(name_of(&e), "pc-x", "record 3: its name");
	ok(e.instances == 1 && e.max_instances == 2 && !e.unlimited,
	    "record 3: 1 instance of at most 2");
	is_int((long long)e.name16_len, 8, "record 3: 8 bytes of name");
	is_int(pipelist_next(&it, &e, err, sizeof err), 0,
	    "NextEntryOffset 0 ends the walk");
	is_int(pipelist_next(&it, &e, err, sizeof err), 0, "and it stays ended");
	free(b);

	/* The same listing at an odd address: every field is read bytewise. */
	b = malloc(len + 1);
	memcpy(b + 1, buf, len);
	pipelist_iter_init(&it, b + 1, len);
	int n = 0;
	while (pipelist_next(&it, &e, err, sizeof err) == 1)
		n++;
	is_int(n, 3, "a listing at an odd address reads the same (UBSan: no "
	    "misaligned loads)");
	free(b);

	int end;
	is_int(walk(buf, 0, &end, err, sizeof err), 0, "an empty listing: no entries");
	is_int(end, 0, "and a clean end");
	pipelist_iter_init(&it, NULL, 100);
	is_int(pipelist_next(&it, &e, err, sizeof err), 0,
	    "a NULL buffer: no entries, whatever length is claimed");

	/* A maximum of 255 is a real number here (GetNamedPipeInfo's 255 means
	 * unlimited, but the directory says -1 for that). */
	uint16_t u[64];
	size_t k = units_of("x", u);
	len = record(buf, 0, u, k, 0, 255, 0, 2);
	is_int(walk(buf, PIPELIST_RECORD_MIN + 2, &end, err, sizeof err), 1,
	    "a record with no trailing padding");
	pipelist_iter_init(&it, buf, PIPELIST_RECORD_MIN + 2);
	pipelist_next(&it, &e, err, sizeof err);
	ok(e.max_instances == 255 && !e.unlimited && e.instances == 0,
	    "0 instances of at most 255");

	/* NextEntryOffset may leave a gap after a record (it only has to move
	 * past it). */
	len = record(buf, 0, u, k, 1, 1, 200, 2);
	record(buf, 200, u, k, 1, 1, 0, 2);
	is_int(walk(buf, 200 + PIPELIST_RECORD_MIN + 2, &end, err, sizeof err), 2,
	    "a gap between records is skipped");
	is_int(end, 0, "and the walk ends cleanly");
}

/* Walks a malformed listing: expects N good entries, then -1 with a message
 * containing WANT. */
static void
bad(const unsigned char *buf, size_t len, int n, const char *want,
    const char *title)
{
	char err[256];
	int end;
	int got = walk(buf, len, &end, err, sizeof err);

	ok(got == n && end == -1, "%s: %d entries then an error", title, n);
	if (got != n || end != -1)
		diag("got %d entries, end %d", got, end);
	ok(strstr(err, want) != NULL, "%s: the message says \"%s\"", title, want);
	if (strstr(err, want) == NULL)
		diag("message: %s", err);
}

static void
test_malformed(void)
{
	unsigned char buf[1024];
	uint16_t u[64];
	size_t k = units_of("abcd", u), len;

	memset(buf, 0, sizeof buf);
	len = three(buf);
	bad(buf, 63, 0, "offset 0 is cut short: 63 bytes left",
	    "a listing shorter than a record");
	bad(buf, 1, 0, "cut short", "a 1-byte listing");
	/* Cut inside the second record's header, and inside its name. */
	bad(buf, 88 + 40, 1, "offset 88 is cut short", "cut in record 2's header");
	bad(buf, 88 + 64 + 3, 1, "offset 88: its name of 10 bytes runs past",
	    "cut in record 2's name");
	bad(buf, len - 1, 2, "runs past the end", "one byte short of the last name");

	record(buf, 0, u, k, 1, 1, 0, 1000);
	bad(buf, 80, 0, "name of 1000 bytes runs past", "a name longer than the listing");
	record(buf, 0, u, k, 1, 1, 0, 0xffffffffu);
	bad(buf, 80, 0, "name of 4294967295 bytes runs past",
	    "FileNameLength 0xffffffff (no wrap-around)");
	record(buf, 0, u, k, 1, 1, 0, 0xfffffff0u);
	bad(buf, 80, 0, "runs past", "FileNameLength that wraps when 64 is added");
	record(buf, 0, u, k, 1, 1, 0, 7);
	bad(buf, 80, 0, "a name of 7 bytes is not UTF-16", "an odd name length");
	record(buf, 0, u, k, 1, 1, 0, 0);
	bad(buf, 80, 0, "a name of 0 bytes", "an empty name");

	record(buf, 0, u, k, 1, 1, 8, 8);
	bad(buf, 200, 0, "the next record, 8 bytes on, would overlap",
	    "NextEntryOffset inside the record");
	record(buf, 0, u, k, 1, 1, 71, 8);
	bad(buf, 200, 0, "71 bytes on, would overlap",
	    "NextEntryOffset one byte inside the name");
	record(buf, 0, u, k, 1, 1, 1000, 8);
	bad(buf, 200, 0, "1000 bytes on, is past the end",
	    "NextEntryOffset past the end");
	record(buf, 0, u, k, 1, 1, 0xffffffffu, 8);
	bad(buf, 200, 0, "4294967295 bytes on, is past the end",
	    "NextEntryOffset 0xffffffff (no wrap-around)");
	record(buf, 0, u, k, 1, 1, 72, 8);
	bad(buf, 72, 1, "offset 72 is cut short: 0 bytes left",
	    "NextEntryOffset exactly at the end");

	/* After an error, the walk stays failed. */
	struct pipelist_iter it;
	struct pipelist_entry e;
	char err[128];
	pipelist_iter_init(&it, buf, 10);
	is_int(pipelist_next(&it, &e, err, sizeof err), -1, "an error");
	is_int(pipelist_next(&it, &e, err, sizeof err), -1, "and again");
	is_str(err, "the directory listing is malformed", "with a message");
	is_int(pipelist_next(&it, &e, NULL, 0), -1, "no error buffer is fine");
	char tiny[8];
	pipelist_iter_init(&it, buf, 10);
	is_int(pipelist_next(&it, &e, tiny, sizeof tiny), -1,
	    "an error into a small buffer");
	is_int((long long)strlen(tiny), 7, "is cut to fit");
}

/* Every truncation of a good listing, and random bytes: never out of
 * bounds (ASan), never a loop, never more entries than records. */
static void
test_hostile(void)
{
	unsigned char buf[1024], rnd[512];
	size_t len = three(buf);
	char err[256];
	int end, worst = 0, good = 0;

	for (size_t cut = 0; cut <= len; cut++) {
		int n = walk(buf, cut, &end, err, sizeof err);
		if (n > 3 || (cut < len && end != -1 && cut != 0) ||
		    (cut == len && (n != 3 || end != 0)))
			worst++;
	}
	is_int(worst, 0, "all %zu truncations: errors, never garbage", len + 1);

	uint32_t x = 12345;
	worst = 0;
	for (int round = 0; round < 5000; round++) {
		size_t n = (size_t)(round % 500) + 1;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			rnd[i] = (unsigned char)(x >> 16);
		}
		/* Half the rounds get a plausible NextEntryOffset and name
		 * length, so that walks go past the first record. */
		if (round % 2 == 0 && n >= 64) {
			put32(rnd, (uint32_t)(x % 160));
			put32(rnd + 60, (uint32_t)((x >> 8) % 40));
		}
		int got = walk(rnd, n, &end, err, sizeof err);
		if (got > (int)(n / PIPELIST_RECORD_MIN) || end == 1)
			worst++;
		good += got;
	}
	is_int(worst, 0, "5000 random listings: bounded walks (%d entries read)",
	    good);
}

static void
test_names(void)
{
	static const unsigned char e_acute[] = { 0xe9, 0x00 };
	static const unsigned char euro[] = { 0xac, 0x20 };
	static const unsigned char smile[] = { 0x3d, 0xd8, 0x00, 0xde };
	static const unsigned char lone_hi[] = { 'a', 0, 0x00, 0xd8 };
	static const unsigned char lone_lo[] = { 0x00, 0xdc, 'b', 0 };
	static const unsigned char hi_then_a[] = { 0x3d, 0xd8, 'a', 0 };
	static const unsigned char nul[] = { 'a', 0, 0, 0, 'b', 0 };
	static const unsigned char odd[] = { 'a', 0, 'b' };
	char s[64];

	pipelist_name_utf8(e_acute, 2, s, sizeof s);
	is_str(s, "\xc3\xa9", "U+00E9 is 2 bytes of UTF-8");
	pipelist_name_utf8(euro, 2, s, sizeof s);
	is_str(s, "\xe2\x82\xac", "U+20AC is 3");
	pipelist_name_utf8(smile, 4, s, sizeof s);
	is_str(s, "\xf0\x9f\x98\x80", "a surrogate pair is one 4-byte character");
	pipelist_name_utf8(lone_hi, 4, s, sizeof s);
	is_str(s, "a\xef\xbf\xbd", "a lone high surrogate at the end is U+FFFD");
	pipelist_name_utf8(lone_lo, 4, s, sizeof s);
	is_str(s, "\xef\xbf\xbd" "b", "a lone low surrogate is U+FFFD");
	pipelist_name_utf8(hi_then_a, 4, s, sizeof s);
	is_str(s, "\xef\xbf\xbd" "a", "a high surrogate before a letter is U+FFFD");
	pipelist_name_utf8(nul, 6, s, sizeof s);
	is_str(s, "a\xef\xbf\xbd" "b", "a U+0000 is U+FFFD, not the end");
	pipelist_name_utf8(odd, 3, s, sizeof s);
	is_str(s, "a", "an odd last byte is ignored");

	is_int((long long)pipelist_name_utf8(euro, 2, s, 4), 3,
	    "3 bytes + NUL fit in 4");
	is_str(s, "\xe2\x82\xac", "and are whole");
	is_int((long long)pipelist_name_utf8(euro, 2, s, 3), 3,
	    "in 3 they do not: returns 3");
	is_str(s, "", "and leaves an empty string, not half a character");
	is_int((long long)pipelist_name_utf8(euro, 2, NULL, 0), 3,
	    "no buffer: the length");
	static const unsigned char three_lone[] = { 0, 0xd8, 0, 0xd8, 0, 0xd8 };
	size_t need = pipelist_name_size(sizeof three_lone);
	char *h = malloc(need);
	is_int((long long)pipelist_name_utf8(three_lone, sizeof three_lone, h,
	    need), 9, "the worst case (3 bytes a unit) fits pipelist_name_size");
	free(h);
	is_int((long long)pipelist_name_size(0), 1, "name_size(0) is 1");
}

static void
test_printable(void)
{
	char s[64];

	strcpy(s, "a\x01" "b\n");
	pipelist_printable(s);
	is_str(s, "a?b?", "C0 controls become ?");
	strcpy(s, "\x1b[31mred");
	pipelist_printable(s);
	is_str(s, "?[31mred", "an escape sequence is defused");
	strcpy(s, "x\xc2\x9b" "2J");
	pipelist_printable(s);
	is_str(s, "x?2J", "a C1 control (U+009B, CSI) becomes one ?");
	strcpy(s, "\x7f\xff\xc3");
	pipelist_printable(s);
	is_str(s, "???", "DEL and broken UTF-8 become ?");
	strcpy(s, "caf\xc3\xa9 \xe2\x82\xac \\pipe");
	pipelist_printable(s);
	is_str(s, "caf\xc3\xa9 \xe2\x82\xac \\pipe", "printable text is kept");
}

static void
pattern_ok(const char *in, const char *want)
{
	const char *pat = NULL;
	char err[256] = "";

	is_int(pipelist_pattern(in, &pat, err, sizeof err), 0,
	    "pattern \"%s\" is accepted", in);
	is_str(pat, want, "pattern \"%s\" matches as \"%s\"", in, want);
}

static void
pattern_bad(const char *in, const char *want)
{
	const char *pat = NULL;
	char err[256] = "";

	is_int(pipelist_pattern(in, &pat, err, sizeof err), -1,
	    "pattern \"%s\" is refused", in);
	ok(strstr(err, want) != NULL, "pattern \"%s\": \"%s\"", in, want);
	if (strstr(err, want) == NULL)
		diag("message: %s", err);
}

static void
test_pattern(void)
{
	pattern_ok("foo*", "foo*");
	pattern_ok("\\\\.\\pipe\\foo*", "foo*");
	pattern_ok("//./pipe/foo*", "foo*");
	pattern_ok("\\/.\\PIPE/x?", "x?");
	pattern_ok("\\\\.\\Pipe\\a\\b", "a\\b");
	pattern_ok("\\foo", "\\foo");
	pattern_ok("*", "*");
	pattern_bad("", "PATTERN is empty");
	pattern_bad(NULL, "PATTERN is empty");
	pattern_bad("\\\\.\\pipe\\", "empty after");
	pattern_bad("//./pipe/", "empty after");
	pattern_bad("\\\\server\\pipe\\x", "another machine");
	pattern_bad("//srv/pipe/*", "another machine");
	pattern_bad("\\\\.\\pip\\x", "must be \\\\.\\pipe\\PATTERN");
	pattern_bad("\\\\.\\pipes\\x", "must be");
	pattern_bad("\\\\.\\pipe", "must be");
	pattern_bad("\\\\.", "must be");
	pattern_bad("\\\\", "must be");
	pattern_bad("\\\\\\pipe\\x", "must be");
}

static void
match(const char *pat, const char *name, int want)
{
	is_int(pipelist_match(pat, name), want, "\"%s\" %s \"%s\"", pat,
	    want ? "matches" : "does not match", name);
}

static void
test_match(void)
{
	match("foo", "foo", 1);
	match("foo", "FOO", 1);
	match("FoO", "fOo", 1);
	match("foo", "fo", 0);
	match("foo", "fooo", 0);
	match("", "", 1);
	match("", "a", 0);
	match("*", "", 1);
	match("*", "anything at all", 1);
	match("f?o", "fxo", 1);
	match("f?o", "fo", 0);
	match("?", "", 0);
	match("*bar", "foobar", 1);
	match("*bar", "foobarx", 0);
	match("a*b*c", "aXbYc", 1);
	match("a*b*c", "abc", 1);
	match("a*b*c", "acb", 0);
	match("a*", "a", 1);
	match("foo**", "foo", 1);
	match("**x**", "abxcd", 1);
	match("mojo.*", "mojo.1234.5678", 1);
	match("*.*", "nodot", 0);
	match("ProtectedPrefix\\*", "ProtectedPrefix\\Administrators\\x", 1);
	match("[ab]", "[ab]", 1);
	match("[ab]", "a", 0);
	match("?", "\xc3\xa9", 1);
	match("??", "\xc3\xa9", 0);
	match("?", "\xf0\x9f\x98\x80", 1);
	match("?", "\xff", 1);
	match("\xc3\x89" "COLE", "\xc3\xa9" "cole", 1);
	match("\xd0\x9f\xd0\xa0\xd0\x98", "\xd0\xbf\xd1\x80\xd0\xb8", 1);
	match("\xd0\x81", "\xd1\x91", 1);
	match("\xce\xa3\xce\x9f\xce\xa6\xce\x8a\xce\x91",
	    "\xcf\x83\xce\xbf\xcf\x86\xce\xaf\xce\xb1", 1);
	match("\xce\xa3", "\xcf\x82", 1);
	match("\xc5\xb8", "\xc3\xbf", 1);
	match("\xc5\x81", "\xc5\x82", 1);
	match("\xc4\x80", "\xc4\x81", 1);
	match("\xc5\xbd", "\xc5\xbe", 1);
	match("\xc3\x9f", "SS", 0);
	match("\xc3\xb7", "\xc3\x97", 0);
	/* Pathological: the single-backtrack glob answers at once. */
	match("*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0);
}

static void
test_compare(void)
{
	ok(pipelist_compare("abc", "ABD") < 0, "abc sorts before ABD");
	ok(pipelist_compare("ab", "abc") < 0, "ab before abc");
	ok(pipelist_compare("abc", "ab") > 0, "abc after ab");
	ok(pipelist_compare("A", "a") < 0, "A before a (bytes break the tie)");
	ok(pipelist_compare("a", "A") > 0, "a after A");
	is_int(pipelist_compare("same", "same"), 0, "equal names are 0");
	ok(pipelist_compare("\xc3\xa9t\xc3\xa9", "\xc3\x89T\xc3\x89") > 0,
	    "folded equal, then by bytes");
	ok(pipelist_compare("Zeta", "alpha") > 0, "Zeta after alpha");
}

int
main(void)
{
	test_good();
	test_malformed();
	test_hostile();
	test_names();
	test_printable();
	test_pattern();
	test_match();
	test_compare();
	return done_testing();
}
