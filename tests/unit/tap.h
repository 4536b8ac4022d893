/*
 * tap.h: a tiny header-only TAP producer for the native unit tests.
 *
 * Each test program includes it once, calls ok()/is_str()/is_int() and ends
 * with `return done_testing();`, which prints the plan "1..N" (TAP allows it
 * last; or call plan(N) first to fix the count up front) and gives a nonzero
 * exit status when any test failed, so that both `prove` and a plain shell
 * loop notice. A failed is_* prints what it got and
 * what it wanted as "#" diagnostics, which prove shows.
 */
#ifndef PIPECAT_TAP_H
#define PIPECAT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* MinGW's C99 printf (the one -std=c11 selects) has its own checker name. */
#if defined(__MINGW_PRINTF_FORMAT)
#define TAP_PRINTF(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__)
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TAP_PRINTF(f, a)
#endif

static int tap_run;
static int tap_failed;
static int tap_planned = -1;

/* Optional: announces N tests up front; done_testing then checks the count. */
static inline void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

static inline int
tap_vok(int cond, const char *fmt, va_list ap)
{
	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

static inline TAP_PRINTF(1, 2) void
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline TAP_PRINTF(2, 3) int
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cond = tap_vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

/* NULL is a legitimate value to compare, and only equals NULL. */
static inline TAP_PRINTF(3, 4) int
is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int cond;

	cond = got && want ? strcmp(got, want) == 0 : got == want;
	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	if (!cond) {
		diag("       got: %s%s%s", got ? "\"" : "", got ? got : "NULL",
		    got ? "\"" : "");
		diag("  expected: %s%s%s", want ? "\"" : "",
		    want ? want : "NULL", want ? "\"" : "");
	}
	return cond;
}

static inline TAP_PRINTF(3, 4) int
is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	int cond;

	cond = got == want;
	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	if (!cond) {
		diag("       got: %lld", got);
		diag("  expected: %lld", want);
	}
	return cond;
}

/* Prints the plan and returns main's exit status. */
static inline int
done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run) {
		diag("planned %d tests but ran %d", tap_planned, tap_run);
		return 1;
	}
	if (tap_failed)
		diag("failed %d of %d tests", tap_failed, tap_run);
	return tap_failed ? 1 : 0;
}

#endif
