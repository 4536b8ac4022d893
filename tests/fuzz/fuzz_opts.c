/*
 * fuzz_opts: the option-value parsers of src/opts.c against the grammar
 * the module's note gives, decided here from scratch.
 *
 * Input: byte 0 picks the parser (bits 0-1: seconds, count, bytes,
 * choice) and, for seconds, whether "inf" is allowed (bit 2); byte 1
 * picks a [MIN, MAX] pair from a table (count, bytes) and a short message
 * buffer; the rest is the value (up to a NUL). Checked, for each parser:
 *   - the verdict and the value are the grammar's: seconds DIGITS[.1-3
 *     DIGITS] at most 2147483.646 s (or inf, as -1, when allowed); count
 *     DIGITS in [MIN, MAX]; bytes DIGITS with one of the binary suffixes,
 *     in [MIN, MAX]; choice the index of the first equal word;
 *   - the output is left alone on failure, and the verdict is the same
 *     with no message buffer at all;
 *   - a message is one printable line "OPT: " followed by the value as
 *     utf8_quote gives it (quoted, shortened to 40 bytes), saying which
 *     rule failed; in a short buffer it is the same message cut at a
 *     character boundary (utf8.h's rule).
 */
#include <limits.h>
#include <stdio.h>

#include "fuzz.h"
#include "opts.h"
#include "utf8.h"

#define MAX_MS 2147483646LL
#define ERRLEN 512
#define QUOTE_BYTES 40

static const long long ranges[][2] = {
	{ 0, LLONG_MAX }, { 1, 100 }, { 0, 0 }, { 1, 65536 },
	{ -5, 5 }, { 10, 1 }, { LLONG_MIN, LLONG_MAX }, { 4096, 1LL << 31 },
};

static int
digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The run of digits at *P, moved past, as a value saturated at LLONG_MAX
 * + 1 (so "too big" is a value like any other). Returns the digit count.
 */
static size_t
run(const char **p, unsigned long long *v)
{
	const unsigned long long top = (unsigned long long)LLONG_MAX + 1;
	unsigned long long d;
	size_t n = 0;

	for (*v = 0; digit(**p); (*p)++, n++) {
		d = (unsigned long long)(**p - '0');
		*v = *v >= top || *v > (top - d) / 10 ? top : *v * 10 + d;
	}
	return n;
}

/* The message starts "OPT: " and the value's quote, and says WHAT. */
static void
check_says(const char *err, const char *opt, const char *s, int quoted,
    const char *what)
{
	char q[UTF8_QUOTE_SIZE(QUOTE_BYTES)];
	size_t ol = strlen(opt);

	check_message(err, ERRLEN);
	ref_quote(q, QUOTE_BYTES, s, quoted);
	CHECK(strncmp(err, opt, ol) == 0 && strncmp(err + ol, ": ", 2) == 0);
	CHECK(strncmp(err + ol + 2, q, strlen(q)) == 0);
	CHECK(strstr(err + ol + 2 + strlen(q), what) != NULL);
}

static void
fuzz_seconds(const char *s, int allow_inf, char *err, char *small,
    size_t smallsz)
{
	const char *p = s;
	unsigned long long whole, frac = 0;
	long long ms = 12345, ms2 = 12345;
	size_t nd, ndec = 0;
	const char *what = NULL;
	int rc, rc2;

	rc = opt_seconds("--wait", s, allow_inf, &ms, err, ERRLEN);
	rc2 = opt_seconds("--wait", s, allow_inf, &ms2, NULL, 0);
	CHECK(rc == rc2 && ms == ms2);
	if (small != NULL) {
		CHECK(opt_seconds("--wait", s, allow_inf, &ms2, small,
		    smallsz) == rc);
		if (rc != 0)
			check_cut(err, small, smallsz);
	}

	if (strcmp(s, "inf") == 0 || strcmp(s, "infinite") == 0) {
		if (allow_inf) {
			CHECK(rc == 0 && ms == OPT_INFINITE && err[0] == '\0');
			return;
		}
		what = "cannot be infinite";
	} else {
		nd = run(&p, &whole);
		if (nd > 0 && *p == '.') {
			p++;
			ndec = run(&p, &frac);
		}
		if (nd == 0 || *p != '\0' || (p[-1] == '.'))
			what = "is not a number of seconds";
		else if (ndec > 3)
			what = "has more than three decimals";
		else {
			for (; ndec < 3; ndec++)
				frac *= 10;
			if (whole > (unsigned long long)MAX_MS / 1000 + 1 ||
			    whole * 1000 + frac > (unsigned long long)MAX_MS)
				what = "is too large";
		}
	}
	if (what == NULL) {
		CHECK(rc == 0 && err[0] == '\0');
		CHECK(ms == (long long)(whole * 1000 + frac));
		CHECK(ms >= 0 && ms <= MAX_MS);
		return;
	}
	CHECK(rc == -1 && ms == 12345);
	check_says(err, "--wait", s, 1, what);
}

typedef int (*ranged_fn)(const char *, const char *, long long, long long,
    long long *, char *, size_t);

/*
 * Calls FN (opt_count or opt_bytes) with a message buffer, with none and,
 * when SMALL is not NULL, with a short one: the verdict and the value must
 * not depend on the buffer, and the short message is the long one cut.
 * Returns the verdict, the value in *V.
 */
static int
ranged(ranged_fn fn, const char *opt, const char *s, long long min,
    long long max, long long *v, char *err, char *small, size_t smallsz)
{
	long long v2 = *v;
	int rc;

	rc = fn(opt, s, min, max, v, err, ERRLEN);
	CHECK(fn(opt, s, min, max, &v2, NULL, 0) == rc);
	CHECK(*v == v2);
	if (small != NULL) {
		CHECK(fn(opt, s, min, max, &v2, small, smallsz) == rc);
		if (rc != 0)
			check_cut(err, small, smallsz);
	}
	return rc;
}

static void
fuzz_count(const char *s, long long min, long long max, char *err,
    char *small, size_t smallsz)
{
	const char *p = s;
	unsigned long long n;
	long long v = 12345;
	int rc, syntax;

	rc = ranged(opt_count, "--max-clients", s, min, max, &v, err, small,
	    smallsz);
	syntax = run(&p, &n) > 0 && *p == '\0';
	if (syntax && n <= (unsigned long long)LLONG_MAX &&
	    (long long)n >= min && (long long)n <= max) {
		CHECK(rc == 0 && v == (long long)n && err[0] == '\0');
		return;
	}
	CHECK(rc == -1 && v == 12345);
	if (syntax)
		check_says(err, "--max-clients", s, 0, "is out of range");
	else
		check_says(err, "--max-clients", s, 1, "is not a whole number");
}

static void
fuzz_bytes(const char *s, long long min, long long max, char *err,
    char *small, size_t smallsz)
{
	static const char *const suffix[] = { "", "k", "K", "KiB", "m", "M",
	    "MiB", "g", "G", "GiB" };
	const char *p = s;
	unsigned long long n, mult = 0;
	long long v = 12345;
	size_t i;
	int rc;

	rc = ranged(opt_bytes, "--buffer", s, min, max, &v, err, small,
	    smallsz);
	if (run(&p, &n) > 0)
		for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
			if (strcmp(p, suffix[i]) == 0)
				mult = 1ULL << (10 * ((i + 2) / 3));
	if (mult == 0) {
		CHECK(rc == -1 && v == 12345);
		check_says(err, "--buffer", s, 1, "is not a size in bytes");
		return;
	}
	if (n <= (unsigned long long)LLONG_MAX / mult &&
	    (long long)(n * mult) >= min && (long long)(n * mult) <= max) {
		CHECK(rc == 0 && v == (long long)(n * mult) && err[0] == '\0');
		return;
	}
	CHECK(rc == -1 && v == 12345);
	check_says(err, "--buffer", s, 0, "is out of range");
}

static void
fuzz_choice(const char *s, int which, char *err, char *small, size_t smallsz)
{
	static const char *const levels[] = { "anonymous", "identification",
	    "impersonation", "delegation", "", NULL };
	static const char *const none[] = { NULL };
	const char *const *words = which == 0 ? levels : which == 1 ? none :
	    NULL;
	int rc, want = -1, i;

	for (i = 0; words != NULL && words[i] != NULL; i++)
		if (strcmp(words[i], s) == 0) {
			want = i;
			break;
		}
	rc = opt_choice("--impersonation", s, words, err, ERRLEN);
	CHECK(rc == want);
	CHECK(opt_choice("--impersonation", s, words, NULL, 0) == want);
	if (small != NULL) {
		CHECK(opt_choice("--impersonation", s, words, small,
		    smallsz) == want);
		if (rc < 0)
			check_cut(err, small, smallsz);
	}
	if (want >= 0) {
		CHECK(err[0] == '\0');
		return;
	}
	check_says(err, "--impersonation", s, 1, which == 0 ?
	    "is not one of anonymous, identification, impersonation, "
	    "delegation, " : "is not a valid choice");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERRLEN], *s, *small = NULL;
	size_t smallsz;
	const long long *r;

	if (size < 2)
		return 0;
	s = fuzz_strdup(data + 2, size - 2);
	r = ranges[data[1] & 7];
	smallsz = data[1] >> 3;
	if (smallsz > 0) {
		small = malloc(smallsz);
		CHECK(small != NULL);
	}
	memset(err, 'x', sizeof err);
	switch (data[0] & 3) {
	case 0:
		fuzz_seconds(s, (data[0] & 4) != 0, err, small, smallsz);
		break;
	case 1:
		fuzz_count(s, r[0], r[1], err, small, smallsz);
		break;
	case 2:
		fuzz_bytes(s, r[0], r[1], err, small, smallsz);
		break;
	default:
		fuzz_choice(s, (data[0] >> 2) % 3, err, small, smallsz);
		break;
	}
	free(small);
	free(s);
	return 0;
}
