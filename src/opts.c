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
 * The UTF-8 checks, the quoting and the cutting of messages are utf8.c's.
 *
 * Portable C11 without windows.h, unit-tested natively (tests/unit).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"
#include "utf8.h"

/* How much of a value a message quotes, in bytes. */
#define QUOTE_BYTES 40

/* The largest duration: Win32 waits are DWORD ms, and INFINITE is 2^32-1,
 * but callers also keep them in signed ints, hence 2^31 - 2. */
#define MAX_MS 2147483646LL

/* S for a message, in double quotes when QUOTED (see utf8_quote). */
static const char *
quote(char *buf, const char *s, int quoted)
{
	return utf8_quote(buf, QUOTE_BYTES, s, quoted);
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
	char q[UTF8_QUOTE_SIZE(QUOTE_BYTES)];
	const char *p = s != NULL ? s : "";
	long long whole, frac = 0;
	size_t ndec = 0, i;
	int over, fover;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (strcmp(p, "inf") == 0 || strcmp(p, "infinite") == 0) {
		if (!allow_inf) {
			utf8_format(err, errlen, "%s: %s is not a number of "
			    "seconds (%s cannot be infinite)", opt,
			    quote(q, p, 1), opt);
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
		utf8_format(err, errlen, "%s: %s has more than three decimals "
		    "(the resolution is a millisecond)", opt,
		    quote(q, s, 1));
		return -1;
	}
	for (i = ndec; i < 3; i++)
		frac *= 10;
	if (over || whole * 1000 + frac > MAX_MS) {
		utf8_format(err, errlen, "%s: %s is too large (at most "
		    "%lld.%03lld seconds%s)", opt, quote(q, s, 1),
		    MAX_MS / 1000, MAX_MS % 1000, allow_inf ? ", or inf" : "");
		return -1;
	}
	*ms = whole * 1000 + frac;
	return 0;
nan:
	utf8_format(err, errlen, "%s: %s is not a number of seconds", opt,
	    quote(q, s, 1));
	return -1;
}

int
opt_count(const char *opt, const char *s, long long min, long long max,
    long long *v, char *err, size_t errlen)
{
	char q[UTF8_QUOTE_SIZE(QUOTE_BYTES)];
	const char *p = s != NULL ? s : "";
	long long n;
	int over;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (digits(&p, LLONG_MAX, &n, &over) == 0 || *p != '\0') {
		utf8_format(err, errlen, "%s: %s is not a whole number", opt,
		    quote(q, s, 1));
		return -1;
	}
	if (over || n < min || n > max) {
		utf8_format(err, errlen, "%s: %s is out of range (%lld to "
		    "%lld)", opt, quote(q, s, 0), min, max);
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
	char q[UTF8_QUOTE_SIZE(QUOTE_BYTES)];
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
		utf8_format(err, errlen, "%s: %s is not a size in bytes "
		    "(e.g. 65536, 64K, 1M)", opt, quote(q, s, 1));
		return -1;
	}
	if (over || n > LLONG_MAX / units[i].mult ||
	    n * units[i].mult < min || n * units[i].mult > max) {
		utf8_format(err, errlen, "%s: %s is out of range (%lld to %lld "
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
	char q[UTF8_QUOTE_SIZE(QUOTE_BYTES)];
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
		utf8_format(err, errlen, "%s: %s is not a valid choice", opt,
		    quote(q, s, 1));
		return -1;
	}
	/* The list has no fixed bound, so it is appended word by word. */
	cut = utf8_format(err, errlen, "%s: %s is not one of ", opt,
	    quote(q, s, 1));
	for (i = 0; words[i] != NULL && !cut; i++) {
		len = strlen(err);
		n = snprintf(err + len, errlen - len, "%s%s", i ? ", " : "",
		    words[i]);
		cut = n < 0 || (size_t)n >= errlen - len;
	}
	if (cut)
		utf8_trim_cut(err);
	return -1;
}
