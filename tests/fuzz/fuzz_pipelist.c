/*
 * fuzz_pipelist: the pipe directory decoder and the name matching of
 * src/pipelist.c.
 *
 * Input: byte 0 picks the mode (bit 0).
 *   - Mode 0: the rest is a directory listing, copied into a buffer of
 *     exactly its size (so ASan sees any read past it). The iterator must
 *     end, in at most one record per 66 bytes, at offsets that only move
 *     forward; every record it returns lies inside the buffer with a name
 *     of even, nonzero length and the fields read here as little-endian;
 *     after the end (0) or a refusal (-1, with a one-line message) it says
 *     the same again. Each name converts to UTF-8 that fits
 *     pipelist_name_size, is exactly the UTF-16 decoded here (lone
 *     surrogates and U+0000 as U+FFFD), and a buffer one byte short is
 *     refused and left empty; made printable, it is one printable line.
 *   - Mode 1: the rest is up to three NUL-separated strings P, A, B.
 *     pipelist_printable writes exactly what replacing each control
 *     character and broken byte by "?" gives. pipelist_pattern accepts P,
 *     or its part after \\.\pipe\, exactly when the header says.
 *     pipelist_match(P, A) agrees with a plain dynamic-programming glob
 *     over characters ("*" any run, "?" one), whose only question, whether
 *     two characters are equal without case, is asked of pipelist_match
 *     on the two characters alone; "*" matches every name, and every
 *     name matches itself. pipelist_compare is a total order (antisymmetric,
 *     zero only for equal strings, transitive over P, A, B) and orders
 *     names that match each other without case by their bytes.
 */
#include "fuzz.h"
#include "pipelist.h"

#define ERRLEN 256
/* The glob reference is quadratic: bigger pairs are left to the rest. */
#define DP_MAX 4096

static unsigned long long
le(const unsigned char *p, int bytes)
{
	unsigned long long v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The name's UTF-8 as the header says, into OUT (3 bytes a unit). */
static size_t
ref_name(const unsigned char *p, size_t bytes, char *out)
{
	size_t units = bytes / 2, i, n = 0;
	uint32_t u, lo;

	for (i = 0; i < units; i++) {
		u = (uint32_t)le(p + 2 * i, 2);
		if (u >= 0xd800 && u < 0xdc00 && i + 1 < units) {
			lo = (uint32_t)le(p + 2 * i + 2, 2);
			if (lo >= 0xdc00 && lo < 0xe000) {
				u = 0x10000 + (u - 0xd800) * 0x400 + (lo - 0xdc00);
				i++;
			}
		}
		if (u == 0 || (u >= 0xd800 && u < 0xe000))
			u = 0xfffd;
		ref_utf8_encode(out, &n, u);
	}
	out[n] = '\0';
	return n;
}

/* What pipelist_printable must leave of S, into OUT. */
static void
ref_printable_of(const char *s, char *out)
{
	size_t i = 0, o = 0, n;
	uint32_t cp;

	while (s[i] != '\0') {
		n = ref_utf8_decode(s + i, &cp);
		if (n == 0 || ref_is_control(cp)) {
			out[o++] = '?';
			i += n == 0 ? 1 : n;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
}

static void
check_printable(const char *s)
{
	char *mine = fuzz_strdup((const uint8_t *)s, strlen(s));
	char *want = malloc(strlen(s) + 1);

	CHECK(mine != NULL && want != NULL);
	pipelist_printable(mine);
	ref_printable_of(s, want);
	CHECK(strcmp(mine, want) == 0);
	CHECK(ref_printable(mine));
	free(mine);
	free(want);
}

static void
fuzz_listing(const uint8_t *data, size_t size)
{
	unsigned char *buf = malloc(size ? size : 1);
	struct pipelist_iter it;
	struct pipelist_entry e;
	char err[ERRLEN], *name, *want, *copy;
	size_t records = 0, last = 0, off, n, cap;
	int rc;

	CHECK(buf != NULL);
	if (size > 0)
		memcpy(buf, data, size);
	pipelist_iter_init(&it, buf, size);
	for (;;) {
		memset(err, 'x', sizeof err);
		rc = pipelist_next(&it, &e, err, sizeof err);
		if (rc != 1)
			break;
		CHECK(++records <= size / (PIPELIST_RECORD_MIN + 2));
		CHECK(e.name16 >= buf + PIPELIST_RECORD_MIN);
		off = (size_t)(e.name16 - buf) - PIPELIST_RECORD_MIN;
		CHECK(records == 1 ? off == 0 : off > last);
		last = off;
		CHECK(e.name16_len > 0 && e.name16_len % 2 == 0);
		CHECK(e.name16_len <= size - off - PIPELIST_RECORD_MIN);
		CHECK(e.name16_len == le(buf + off + 60, 4));
		CHECK(e.instances == le(buf + off + 40, 8));
		CHECK(e.max_instances == le(buf + off + 48, 8));
		CHECK(e.unlimited == (e.max_instances == 0xffffffffULL ||
		    e.max_instances == ~0ULL));

		cap = pipelist_name_size(e.name16_len);
		name = malloc(cap);
		want = malloc(cap + 1);
		CHECK(name != NULL && want != NULL);
		n = pipelist_name_utf8(e.name16, e.name16_len, name, cap);
		CHECK(n < cap && strlen(name) == n);
		CHECK(ref_name(e.name16, e.name16_len, want) == n);
		CHECK(strcmp(name, want) == 0);
		CHECK(ref_valid_utf8(name));
		if (n > 0) {
			copy = malloc(n);
			CHECK(copy != NULL);
			memset(copy, 'x', n);
			CHECK(pipelist_name_utf8(e.name16, e.name16_len, copy,
			    n) == n && copy[0] == '\0');
			free(copy);
		}
		check_printable(name);
		free(want);
		free(name);
	}
	if (rc == 0) {
		CHECK(pipelist_next(&it, &e, err, sizeof err) == 0);
	} else {
		CHECK(rc == -1);
		check_message(err, sizeof err);
		memset(err, 'x', sizeof err);
		CHECK(pipelist_next(&it, &e, err, sizeof err) == -1);
		check_message(err, sizeof err);
	}
	free(buf);
}

/* The characters of S: where each starts, and its length (a broken byte
 * is one character of its own, as the module reads it). */
static size_t
chars(const char *s, size_t *start, size_t *len)
{
	size_t i = 0, k = 0, n;
	uint32_t cp;

	while (s[i] != '\0') {
		n = ref_utf8_decode(s + i, &cp);
		if (n == 0)
			n = 1;
		start[k] = i;
		len[k++] = n;
		i += n;
	}
	return k;
}

/* Whether characters X and Y (LEN bytes each at their start) are equal
 * without case, by pipelist_match on them alone. */
static int
same_char(const char *x, size_t xl, const char *y, size_t yl)
{
	char a[5], b[5];

	memcpy(a, x, xl);
	a[xl] = '\0';
	memcpy(b, y, yl);
	b[yl] = '\0';
	return pipelist_match(a, b);
}

/* P against NAME by dynamic programming over characters. */
static int
ref_match(const char *p, const char *name)
{
	size_t np = strlen(p), nn = strlen(name), i, j, w;
	size_t *ps = malloc((np + 1) * sizeof *ps), *pl = malloc((np + 1) * sizeof *pl);
	size_t *ns = malloc((nn + 1) * sizeof *ns), *nl = malloc((nn + 1) * sizeof *nl);
	unsigned char *dp;
	int r;

	CHECK(ps != NULL && pl != NULL && ns != NULL && nl != NULL);
	np = chars(p, ps, pl);
	nn = chars(name, ns, nl);
	w = nn + 1;
	dp = malloc((np + 1) * w);
	CHECK(dp != NULL);
	/* dp[i][j]: the pattern from character I matches the name from J. */
	for (i = np + 1; i-- > 0;) {
		for (j = nn + 1; j-- > 0;) {
			if (i == np)
				r = j == nn;
			else if (p[ps[i]] == '*')
				r = dp[(i + 1) * w + j] ||
				    (j < nn && dp[i * w + j + 1]);
			else if (j == nn)
				r = 0;
			else if (p[ps[i]] == '?')
				r = dp[(i + 1) * w + j + 1];
			else
				r = same_char(p + ps[i], pl[i], name + ns[j],
				    nl[j]) && dp[(i + 1) * w + j + 1];
			dp[i * w + j] = (unsigned char)r;
		}
	}
	r = dp[0];
	free(dp);
	free(ps);
	free(pl);
	free(ns);
	free(nl);
	return r;
}

static int
is_sep(char c)
{
	return c == '/' || c == '\\';
}

static void
check_pattern(const char *p)
{
	char err[ERRLEN];
	const char *pat = NULL;
	int rc, want;
	size_t i;

	memset(err, 'x', sizeof err);
	rc = pipelist_pattern(p, &pat, err, sizeof err);
	if (p[0] == '\0') {
		want = -1;
	} else if (!is_sep(p[0]) || !is_sep(p[1])) {
		want = 0;
		CHECK(rc != 0 || pat == p);
	} else {
		/* \\.\pipe\REST, "pipe" in any case, REST not empty. */
		want = p[2] == '.' && is_sep(p[3]) ? 0 : -1;
		for (i = 0; want == 0 && i < 4; i++)
			if (p[4 + i] != "pipe"[i] && p[4 + i] != "PIPE"[i])
				want = -1;
		if (want == 0)
			want = is_sep(p[8]) && p[9] != '\0' ? 0 : -1;
		CHECK(rc != 0 || pat == p + 9);
	}
	CHECK(rc == want);
	if (rc != 0)
		check_message(err, sizeof err);
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static void
fuzz_names(const uint8_t *data, size_t size)
{
	char *s[3];
	int c[3][3], i, j, k;

	for (i = 0; i < 3; i++)
		s[i] = fuzz_field(&data, &size);

	check_printable(s[0]);
	check_pattern(s[0]);

	if ((strlen(s[0]) + 1) * (strlen(s[1]) + 1) <= DP_MAX)
		CHECK(pipelist_match(s[0], s[1]) == ref_match(s[0], s[1]));
	CHECK(pipelist_match("*", s[1]) == 1);
	CHECK(pipelist_match(s[1], s[1]) == 1);
	CHECK(pipelist_match("", s[1]) == (s[1][0] == '\0'));

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			c[i][j] = pipelist_compare(s[i], s[j]);
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++) {
			CHECK(c[i][j] >= -1 && c[i][j] <= 1);
			CHECK(c[i][j] == -c[j][i]);
			CHECK((c[i][j] == 0) == (strcmp(s[i], s[j]) == 0));
			for (k = 0; k < 3; k++)
				if (c[i][j] <= 0 && c[j][k] <= 0)
					CHECK(c[i][k] <= 0);
		}
	}
	/* A literal pattern that matches is the same name but for case. */
	if (strpbrk(s[1], "*?") == NULL && pipelist_match(s[1], s[2]))
		CHECK(c[1][2] == sign(strcmp(s[1], s[2])));

	for (i = 0; i < 3; i++)
		free(s[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_names(data + 1, size - 1);
	else
		fuzz_listing(data + 1, size - 1);
	return 0;
}
