/*
 * fuzz_argv: command-line quoting (src/argv.c) as a round trip.
 *
 * Input: byte 0 picks the mode (bit 0); the rest is either an argv, its
 * arguments separated by NULs (mode 0), or a raw command line (mode 1).
 *   - Mode 0: argv_join quotes the argv into one command line, and
 *     argv_split (CommandLineToArgvW's rules) and argv_split_ucrt (the
 *     UCRT's) must each give back exactly the same argv. A program name
 *     holding a double quote is refused instead, with a one-line message.
 *     Each argument after the first is in the line exactly as argv_quote
 *     writes it, and argv_quote's sizing agrees with what it writes: the
 *     size it asks for holds it, one byte less is refused and leaves an
 *     empty string.
 *   - Mode 1: each splitter gives a NULL-terminated array of non-NULL
 *     strings, none longer than the line, none when the line is empty and
 *     at least one otherwise; and when the program name it found can be
 *     quoted (no double quote), joining and splitting again gives the same
 *     argv (the splitter's reading of a line is a fixed point).
 */
#include "argv.h"
#include "fuzz.h"

#define ERRLEN 256

typedef int (*splitter)(const char *, char ***, int *);

static void
check_same(char *const *a, int na, char *const *b, int nb)
{
	int i;

	CHECK(na == nb);
	for (i = 0; i < na; i++)
		CHECK(strcmp(a[i], b[i]) == 0);
}

/* The result of a splitter, sound as argv.h says. */
static void
check_split(const char *line, char **v, int n)
{
	int i;

	CHECK(v != NULL && v[n] == NULL);
	CHECK(line[0] == '\0' ? n == 0 : n >= 1);
	for (i = 0; i < n; i++)
		CHECK(v[i] != NULL && strlen(v[i]) <= strlen(line));
}

/* Quotes ARG with argv_quote, checking its sizing; returns it (malloc). */
static char *
quote_one(const char *arg)
{
	size_t need = 0, need2 = 0;
	char *q;

	CHECK(argv_quote(arg, NULL, 0, &need) == -1);
	/* Bare, or in quotes with any escapes. */
	CHECK((need == strlen(arg) + 1 && arg[0] != '\0') ||
	    need >= strlen(arg) + 3);
	q = malloc(need);
	CHECK(q != NULL);
	if (need > 1) {
		memset(q, 'x', need - 1);
		CHECK(argv_quote(arg, q, need - 1, &need2) == -1);
		CHECK(need2 == need && q[0] == '\0');
	}
	CHECK(argv_quote(arg, q, need, NULL) == 0);
	CHECK(strlen(q) + 1 == need);
	return q;
}

static void
round_trip(char *const *argv, int argc)
{
	static const splitter splitters[2] = { argv_split, argv_split_ucrt };
	char err[ERRLEN], *line, *q, **v;
	size_t at;
	int i, k, n;

	memset(err, 'x', sizeof err);
	line = argv_join((const char *const *)argv, argc, err, sizeof err);
	if (strchr(argv[0], '"') != NULL) {
		CHECK(line == NULL);
		check_message(err, sizeof err);
		CHECK(strstr(err, "double quote") != NULL);
		return;
	}
	CHECK(line != NULL && err[0] == '\0');

	/* The line ends with each argument as argv_quote writes it. */
	at = strlen(line);
	for (i = argc - 1; i >= 1; i--) {
		q = quote_one(argv[i]);
		CHECK(at > strlen(q));
		at -= strlen(q);
		CHECK(memcmp(line + at, q, strlen(q)) == 0);
		CHECK(line[--at] == ' ');
		free(q);
	}

	for (k = 0; k < 2; k++) {
		CHECK(splitters[k](line, &v, &n) == 0);
		check_split(line, v, n);
		check_same(argv, argc, v, n);
		argv_free(v, n);
	}
	free(line);
}

static void
fixed_point(const char *line)
{
	static const splitter splitters[2] = { argv_split, argv_split_ucrt };
	char err[ERRLEN], *again, **v, **w;
	int k, n, m;

	for (k = 0; k < 2; k++) {
		CHECK(splitters[k](line, &v, &n) == 0);
		check_split(line, v, n);
		if (n > 0 && strchr(v[0], '"') == NULL) {
			again = argv_join((const char *const *)v, n, err,
			    sizeof err);
			CHECK(again != NULL);
			CHECK(splitters[k](again, &w, &m) == 0);
			check_same(v, n, w, m);
			argv_free(w, m);
			free(again);
		}
		argv_free(v, n);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *args[128], *line, err[ERRLEN], **v;
	int argc = 0, i, n;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		line = fuzz_strdup(data + 1, size - 1);
		fixed_point(line);
		free(line);
		return 0;
	}
	data++;
	size--;
	do
		args[argc++] = fuzz_field(&data, &size);
	while (size > 0 && argc < 128);
	round_trip(args, argc);
	for (i = 0; i < argc; i++)
		free(args[i]);

	/* The refusals of the header: nothing to run, a missing argument. */
	CHECK(argv_join(NULL, 1, err, sizeof err) == NULL);
	check_message(err, sizeof err);
	CHECK(argv_quote(NULL, err, sizeof err, NULL) == -1 && err[0] == '\0');
	CHECK(argv_split(NULL, &v, &n) == -1 && v == NULL && n == 0);
	return 0;
}
