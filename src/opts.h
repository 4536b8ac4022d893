/*
 * opts: the one checked parser for numbers given as option values.
 *
 * Portable (no windows.h). Every function names the option and the bad value
 * in its message, e.g. `--wait: "abc" is not a number of seconds`, so that
 * the command only has to print it and exit 2.
 */
#ifndef PIPECAT_OPTS_H
#define PIPECAT_OPTS_H

#include <stddef.h>

/* Returned in *MS by opt_seconds for "inf" when ALLOW_INF is set. */
#define OPT_INFINITE (-1LL)

/*
 * Parses a duration in seconds: a non-negative decimal number with at most
 * three decimals ("0", "2", "0.25"), or "inf"/"infinite" when ALLOW_INF.
 * The result is in milliseconds, at most 2^31-2 ms (Win32 waits are DWORD
 * milliseconds and INFINITE is reserved). OPT names the option ("--wait").
 * Returns 0, or -1 with a message in ERR.
 */
int opt_seconds(const char *opt, const char *s, int allow_inf, long long *ms,
    char *err, size_t errlen);

/*
 * Parses a whole decimal number in [MIN, MAX] ("--max-clients").
 * Returns 0, or -1 with a message in ERR.
 */
int opt_count(const char *opt, const char *s, long long min, long long max,
    long long *v, char *err, size_t errlen);

/*
 * Parses a size in bytes in [MIN, MAX]: a whole number with an optional
 * binary suffix k/K/KiB (1024), m/M/MiB (1048576), g/G/GiB.
 * Returns 0, or -1 with a message in ERR.
 */
int opt_bytes(const char *opt, const char *s, long long min, long long max,
    long long *v, char *err, size_t errlen);

/*
 * Looks S up in the NULL-terminated list WORDS (exact, case-sensitive).
 * Returns its index, or -1 with a message naming the choices in ERR
 * (`--impersonation: "x" is not one of anonymous, identification, ...`).
 */
int opt_choice(const char *opt, const char *s, const char *const *words,
    char *err, size_t errlen);

#endif
