/*
 * opts: the checked parsers for option values (seconds, counts, sizes,
 * choices); the contract is in opts.h.
 *
 * The syntax is deliberately narrow, so that what is accepted is what the
 * man page says and nothing a C library happens to allow: no sign, no
 * spaces, no hexadecimal or exponent, no locale. In full:
 *   seconds  DIGITS [ "." 1 to 3 DIGITS ]  or "inf" / "infinite" where
 *            allowed; at most 2147483.646 (2^31 - 2 ms)
 *   count    DIGITS
 *   bytes    DIGITS [ k | K | KiB | m | M | MiB | g | G | GiB ]  (powers of
 *            1024)
 * DIGITS are ASCII decimal digits, leading zeros allowed ("010" is ten).
 * Arithmetic is checked at each step, so no input overflows; a number too
 * big for a long long is reported as out of range like any other.
 *
 * Messages follow `OPTION: "VALUE" is not ...`, quoting the value shortened
 * and with anything unprintable shown as "?", so that a stray argument can
 * neither flood nor drive the terminal.
 *
 * Portable C11 without windows.h, unit-tested natively (tests/unit).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"

/* See pipename.c: MinGW's C99 printf has its own format checker name. */
#if defined(__MINGW_PRINTF_FORMAT)
#define PRINTF_LIKE(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* How much of a value a message quotes, in bytes. */
#define QUOTE_BYTES 40

/* The largest duration: Win32 waits are DWORD ms, and INFINITE is 2^32-1,
 * but callers also keep them in signed ints, hence 2^31 - 2. */
#define MAX_MS 2147483646LL

/*
 * Decodes the UTF-8 sequence at S into *CP and returns its length, or 0 if
 * it is not valid UTF-8 (RFC 3629's table). pipename.c has the same helper:
 * each portable module is built alone for its unit test, so they share no
 * object file.
 */
static size_t
utf8_decode(const char *str, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1fu;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0fu;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07u;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if (i > 1 && (s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	*cp = c;
	return len;
}

/* When a message was cut inside a UTF-8 sequence, drops that sequence. */
static void
trim_cut(char *err)
{
	size_t len = strlen(err), i = len;
	uint32_t cp;

	while (i > 0 && len - i < 3 && (err[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)err[i - 1] >= 0x80 &&
	    utf8_decode(err + i - 1, &cp) == 0)
		err[i - 1] = '\0';
	else if (i > 0 && i < len && (unsigned char)err[i - 1] < 0x80)
		err[i] = '\0';
}

/*
 * Fills ERR like snprintf, never past ERRLEN (which may be 0). Returns 1
 * when the message did not fit whole.
 */
static PRINTF_LIKE(3, 4) int
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return 1;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0) {
		err[0] = '\0';
		return 1;
	}
	if ((size_t)n >= errlen) {
		trim_cut(err);
		return 1;
	}
	return 0;
}

/*
 * Writes S into BUF (QUOTE_BYTES + 8 bytes), in double quotes when QUOTED,
 * cut at a character boundary with "..." when long, and with each control
 * character or byte of bad UTF-8 shown as "?".
 */
static const char *
quote(char *buf, const char *s, int quoted)
{
	size_t i = 0, o = 0, start, n;
	uint32_t cp;

	if (s == NULL)
		s = "";
	if (quoted)
		buf[o++] = '"';
	start = o;
	while (s[i] != '\0') {
		n = utf8_decode(s + i, &cp);
		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			if (o - start + 1 > QUOTE_BYTES)
				break;
			buf[o++] = '?';
			if (n == 0)
				n = 1;
		} else {
			if (o - start + n > QUOTE_BYTES)
				break;
			memcpy(buf + o, s + i, n);
			o += n;
		}
		i += n;
	}
	if (s[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	if (quoted)
		buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Reads the run of digits at *P into *V, advancing *P past it. Returns the
 * number of digits; sets *OVER when the value would exceed LIMIT (the
 * digits are still consumed, so that syntax errors are found first).
 */
static size_t
digits(const char **p, long long limit, long long *v, int *over)
{
	const char *s = *p;
	long long d;
	size_t n = 0;

	*v = 0;
	*over = 0;
	for (; is_digit(*s); s++, n++) {
		d = *s - '0';
		if (*over || *v > (limit - d) / 10)
			*over = 1;
		else
			*v = *v * 10 + d;
	}
	*p = s;
	return n;
}

int
opt_seconds(const char *opt, const char *s, int allow_inf, long long *ms,
    char *err, size_t errlen)
{
	char q[QUOTE_BYTES + 8];
	const char *p = s != NULL ? s : "";
	long long whole, frac = 0;
	size_t ndec = 0, i;
	int over, fover;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (strcmp(p, "inf") == 0 || strcmp(p, "infinite") == 0) {
		if (!allow_inf) {
			seterr(err, errlen, "%s: %s is not a number of seconds "
			    "(%s cannot be infinite)", opt, quote(q, p, 1),
			    opt);
			return -1;
		}
		*ms = OPT_INFINITE;
		return 0;
	}
	if (digits(&p, MAX_MS / 1000 + 1, &whole, &over) == 0)
		goto nan;
	if (*p == '.') {
		p++;
		ndec = digits(&p, LLONG_MAX, &frac, &fover);
		if (ndec == 0)
			goto nan;
	}
	if (*p != '\0')
		goto nan;
	if (ndec > 3) {
		seterr(err, errlen, "%s: %s has more than three decimals "
		    "(the resolution is a millisecond)", opt,
		    quote(q, s, 1));
		return -1;
	}
	for (i = ndec; i < 3; i++)
		frac *= 10;
	if (over || whole * 1000 + frac > MAX_MS) {
		seterr(err, errlen, "%s: %s is too large (at most "
		    "%lld.%03lld seconds%s)", opt, quote(q, s, 1),
		    MAX_MS / 1000, MAX_MS % 1000, allow_inf ? ", or inf" : "");
		return -1;
	}
	*ms = whole * 1000 + frac;
	return 0;
nan:
	seterr(err, errlen, "%s: %s is not a number of seconds", opt,
	    quote(q, s, 1));
	return -1;
}

int
opt_count(const char *opt, const char *s, long long min, long long max,
    long long *v, char *err, size_t errlen)
{
	char q[QUOTE_BYTES + 8];
	const char *p = s != NULL ? s : "";
	long long n;
	int over;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (digits(&p, LLONG_MAX, &n, &over) == 0 || *p != '\0') {
		seterr(err, errlen, "%s: %s is not a whole number", opt,
		    quote(q, s, 1));
		return -1;
	}
	if (over || n < min || n > max) {
		seterr(err, errlen, "%s: %s is out of range (%lld to %lld)",
		    opt, quote(q, s, 0), min, max);
		return -1;
	}
	*v = n;
	return 0;
}

int
opt_bytes(const char *opt, const char *s, long long min, long long max,
    long long *v, char *err, size_t errlen)
{
	static const struct {
		const char *suffix;
		long long mult;
	} units[] = {
		{ "", 1 },
		{ "k", 1LL << 10 }, { "K", 1LL << 10 }, { "KiB", 1LL << 10 },
		{ "m", 1LL << 20 }, { "M", 1LL << 20 }, { "MiB", 1LL << 20 },
		{ "g", 1LL << 30 }, { "G", 1LL << 30 }, { "GiB", 1LL << 30 },
	};
	char q[QUOTE_BYTES + 8];
	const char *p = s != NULL ? s : "";
	long long n;
	size_t nunits = sizeof units / sizeof units[0], i = nunits;
	int over;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (digits(&p, LLONG_MAX, &n, &over) > 0)
		for (i = 0; i < nunits; i++)
			if (strcmp(p, units[i].suffix) == 0)
				break;
	if (p == s || s == NULL || i == nunits) {
		seterr(err, errlen, "%s: %s is not a size in bytes "
		    "(e.g. 65536, 64K, 1M)", opt, quote(q, s, 1));
		return -1;
	}
	if (over || n > LLONG_MAX / units[i].mult ||
	    n * units[i].mult < min || n * units[i].mult > max) {
		seterr(err, errlen, "%s: %s is out of range (%lld to %lld "
		    "bytes)", opt, quote(q, s, 0), min, max);
		return -1;
	}
	*v = n * units[i].mult;
	return 0;
}

int
opt_choice(const char *opt, const char *s, const char *const *words,
    char *err, size_t errlen)
{
	char q[QUOTE_BYTES + 8];
	size_t i, len;
	int n, cut = 0;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	for (i = 0; words != NULL && words[i] != NULL; i++)
		if (s != NULL && strcmp(s, words[i]) == 0)
			return i > INT_MAX ? -1 : (int)i;
	if (err == NULL || errlen == 0)
		return -1;
	if (words == NULL || words[0] == NULL) {
		seterr(err, errlen, "%s: %s is not a valid choice", opt,
		    quote(q, s, 1));
		return -1;
	}
	/* The list has no fixed bound, so it is appended word by word. */
	cut = seterr(err, errlen, "%s: %s is not one of ", opt,
	    quote(q, s, 1));
	for (i = 0; words[i] != NULL && !cut; i++) {
		len = strlen(err);
		n = snprintf(err + len, errlen - len, "%s%s", i ? ", " : "",
		    words[i]);
		cut = n < 0 || (size_t)n >= errlen - len;
	}
	if (cut)
		trim_cut(err);
	return -1;
}
