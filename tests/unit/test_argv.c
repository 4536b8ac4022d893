/*
 * test_argv: unit tests of command-line quoting (src/argv.c), natively,
 * under AddressSanitizer and UBSan.
 *
 * What matters is that a child splitting the line gets back exactly the
 * arguments, so besides the exact quoted strings (what a reader of -v
 * output sees), every case is joined and split again with both parsers a
 * Windows child may use: shell32's CommandLineToArgvW (argv_split) and the
 * UCRT's startup code (argv_split_ucrt). The parsers themselves are pinned
 * down by cases from Wine's conformance table (run on real Windows) and
 * from Microsoft's "Parsing C++ command-line arguments". The same awkward
 * arguments are checked against the real CommandLineToArgvW under Wine by
 * tests/t0600-spawn-argv-quoting.t. Output buffers are heap blocks of
 * exactly the size given, so that ASan sees any write past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "tap.h"

/* 0: CommandLineToArgvW's rules; 1: the UCRT's. */
#define PARSERS 2
static const char *const parser_name[PARSERS] = { "shell32", "ucrt" };

static int
split_with(int parser, const char *line, char ***av, int *ac)
{
	return parser == 0 ? argv_split(line, av, ac)
	    : argv_split_ucrt(line, av, ac);
}

/* S made printable for a diagnostic, in a static buffer, shortened. */
static const char *
show(const char *s)
{
	static char buf[2][200];
	static int which;
	char *b = buf[which ^= 1];
	size_t o = 0;

	if (s == NULL)
		return "NULL";
	b[o++] = '<';
	for (; *s != '\0' && o < sizeof buf[0] - 10; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\t')
			o += (size_t)snprintf(b + o, 3, "\\t");
		else if (c == '\n')
			o += (size_t)snprintf(b + o, 3, "\\n");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(b + o, 5, "\\x%02x", c);
		else
			b[o++] = (char)c;
	}
	if (*s != '\0')
		o += (size_t)snprintf(b + o, 4, "...");
	b[o++] = '>';
	b[o] = '\0';
	return b;
}

/*
 * Quotes ARG into a heap buffer of exactly OUTLEN bytes (none when 0),
 * copying the result into COPY (which holds at least OUTLEN bytes).
 */
static int
quote_into(const char *arg, size_t outlen, char *copy, size_t *needed)
{
	char *out = outlen ? malloc(outlen) : NULL;
	int rc;

	if (out != NULL)
		memset(out, 'x', outlen);
	rc = argv_quote(arg, out, outlen, needed);
	if (out != NULL) {
		memcpy(copy, out, outlen);
		free(out);
	}
	return rc;
}

/* Quotes ARG into a fresh malloc'd string, or NULL. */
static char *
quote_dup(const char *arg)
{
	size_t need = 0;
	char *out;

	argv_quote(arg, NULL, 0, &need);
	out = malloc(need);
	if (out != NULL && argv_quote(arg, out, need, NULL) != 0) {
		free(out);
		out = NULL;
	}
	return out;
}

/*
 * Joins the N strings of ARGS and splits the line with PARSER; returns 1
 * when the same N strings come back. On a mismatch, says where (once per
 * caller when QUIET is 0).
 */
static int
round_trip(int parser, const char *const *args, int n, int quiet)
{
	char err[256], **got = NULL;
	char *line;
	int gotc = 0, i, same;

	line = argv_join(args, n, err, sizeof err);
	if (line == NULL) {
		if (!quiet)
			diag("argv_join failed: %s", err);
		return 0;
	}
	if (split_with(parser, line, &got, &gotc) != 0) {
		if (!quiet)
			diag("%s split failed on %s", parser_name[parser],
			    show(line));
		free(line);
		return 0;
	}
	same = gotc == n;
	for (i = 0; same && i < n; i++)
		same = strcmp(got[i], args[i]) == 0;
	if (!same && !quiet) {
		diag("%s: line %s", parser_name[parser], show(line));
		diag("  gave %d arguments, want %d", gotc, n);
		for (i = 0; i < n || i < gotc; i++)
			diag("  [%d] got %s want %s", i,
			    i < gotc ? show(got[i]) : "(none)",
			    i < n ? show(args[i]) : "(none)");
	}
	argv_free(got, gotc);
	free(line);
	return same;
}

/* Awkward arguments; the same table is in t0600-spawn-argv-quoting.t. */
static const char *const awkward[] = {
	"plain",
	"",
	"a b",
	" leading and trailing ",
	"tab\there",
	"new\nline",
	"vertical\vtab",
	"carriage\rreturn",
	"\"",
	"\"\"",
	"\"quoted\"",
	"say \"hi\"",
	"\\",
	"\\\\",
	"\\\\\\",
	"a\\b",
	"a\\\\b",
	"a\\\"b",
	"a\\\\\\\"b",
	"\\\"",
	"\\\\\"",
	"trailing\\",
	"trailing two\\\\",
	"C:\\Program Files\\x\\",
	"\\\\server\\share\\",
	"\\\\server\\share with space\\",
	"\"\\\\\"",
	"a\\\\\\\\ \"b",
	"na\xc3\xafve \xe2\x98\x83 \xf0\x9d\x84\x9e",
	"\xc3\xbc",
	"%PATH%",
	"^&|<>()",
	"'single'",
	"--opt=\"x y\"",
	"   ",
	"\t",
};
#define NAWKWARD ((int)(sizeof awkward / sizeof awkward[0]))

struct exact {
	const char *arg, *want;
};

/* The quoted forms, written out. */
static const struct exact exact[] = {
	{ "plain", "plain" },
	{ "", "\"\"" },
	{ "a b", "\"a b\"" },
	{ "tab\there", "\"tab\there\"" },
	{ "new\nline", "\"new\nline\"" },
	{ "vertical\vtab", "\"vertical\vtab\"" },
	/* CR and FF are no separators to either parser: left bare. */
	{ "carriage\rreturn", "carriage\rreturn" },
	{ "\"", "\"\\\"\"" },
	{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
	/* Backslashes without a quote after them are plain characters. */
	{ "\\", "\\" },
	{ "\\\\\\", "\\\\\\" },
	{ "a\\b", "a\\b" },
	{ "\\\\server\\share\\", "\\\\server\\share\\" },
	/* N backslashes and a quote: 2N+1 and the quote. */
	{ "a\\\"b", "\"a\\\\\\\"b\"" },
	{ "a\\\\\\\"b", "\"a\\\\\\\\\\\\\\\"b\"" },
	{ "\\\"", "\"\\\\\\\"\"" },
	/* N backslashes at the end of a quoted argument: 2N. */
	{ "C:\\Program Files\\x\\", "\"C:\\Program Files\\x\\\\\"" },
	{ "trailing two\\\\", "\"trailing two\\\\\\\\\"" },
	/* Backslashes before a space are not doubled, even when quoted. */
	{ "a\\ b", "\"a\\ b\"" },
	{ "na\xc3\xafve \xe2\x98\x83 \xf0\x9d\x84\x9e",
	    "\"na\xc3\xafve \xe2\x98\x83 \xf0\x9d\x84\x9e\"" },
	{ "\xc3\xbc", "\xc3\xbc" },
};
#define NEXACT ((int)(sizeof exact / sizeof exact[0]))

static void
test_exact(void)
{
	char *got;
	int i;

	for (i = 0; i < NEXACT; i++) {
		got = quote_dup(exact[i].arg);
		is_str(got, exact[i].want, "quote %s", show(exact[i].arg));
		free(got);
	}
}

static void
test_buffers(void)
{
	char copy[64];
	size_t need, need2;
	int i, bad_exact = 0, bad_short = 0, bad_size = 0;

	for (i = 0; i < NEXACT; i++) {
		need = 12345;
		if (argv_quote(exact[i].arg, NULL, 0, &need) != -1 ||
		    need != strlen(exact[i].want) + 1)
			bad_size++;
		need2 = 0;
		if (quote_into(exact[i].arg, need, copy, &need2) != 0 ||
		    need2 != need || strcmp(copy, exact[i].want) != 0)
			bad_exact++;
		memset(copy, 'y', sizeof copy);
		need2 = 0;
		if (quote_into(exact[i].arg, need - 1, copy, &need2) != -1 ||
		    need2 != need || (need > 1 && copy[0] != '\0'))
			bad_short++;
	}
	is_int(bad_size, 0, "out NULL, outlen 0: -1 and the exact size, "
	    "for every case");
	is_int(bad_exact, 0, "a buffer of exactly the size: 0 and the string, "
	    "for every case");
	is_int(bad_short, 0, "a buffer one byte short: -1, the size, an "
	    "empty string and no overflow, for every case");

	need = 0;
	is_int(argv_quote("", NULL, 0, &need), -1, "\"\" with no buffer: -1");
	is_int((long long)need, 3, "\"\" needs 3 bytes (two quotes, NUL)");
	is_int(quote_into("", 3, copy, NULL), 0,
	    "\"\" in 3 bytes, with no needed pointer: 0");
	is_str(copy, "\"\"", "and the string is two quotes");
	is_int(quote_into("", 2, copy, &need), -1, "\"\" in 2 bytes: -1");
	is_str(copy, "", "and the buffer is left empty");
	is_int(quote_into("x", 1, copy, &need), -1, "\"x\" in 1 byte: -1");
	is_int((long long)need, 2, "and the size is still 2");
	is_int(argv_quote("x", copy, 0, &need), -1,
	    "outlen 0 with a buffer: -1, nothing written");
	is_int(argv_quote(NULL, NULL, 0, &need), -1, "a NULL argument: -1");
	is_int((long long)need, 0, "with a size of 0");
}

/* A 30000-byte argument full of the characters that need care. */
static void
test_long(void)
{
	static const char unit[] = "ab\\\\\" c\\\t";
	char *arg, *q;
	size_t i, ulen = sizeof unit - 1, need = 0, quotes = 0, slashes = 0;
	const char *args[3];
	int p;

	arg = malloc(30001);
	if (arg == NULL) {
		ok(0, "malloc");
		return;
	}
	for (i = 0; i < 30000; i++)
		arg[i] = unit[i % ulen];
	arg[29999] = '\\';
	arg[30000] = '\0';
	/* Count what the quoted form must add: see argv.h. */
	for (i = 0; i < 30000; i++) {
		if (arg[i] == '"')
			quotes++;
	}
	for (i = 30000; i > 0 && arg[i - 1] == '\\'; i--)
		slashes++;
	argv_quote(arg, NULL, 0, &need);
	/* Each quote adds 1 + its run of 2 backslashes; ends add 2 + run. */
	is_int((long long)need, (long long)(30000 + 2 + quotes * 3 + slashes + 1),
	    "a 30000-byte argument: the size counts every escape");
	q = quote_dup(arg);
	ok(q != NULL && q[0] == '"' && q[need - 2] == '"' && q[need - 1] ==
	    '\0' && strlen(q) == need - 1, "and it is quoted in one piece");
	free(q);
	args[0] = "prog.exe";
	args[1] = arg;
	args[2] = "after";
	for (p = 0; p < PARSERS; p++)
		ok(round_trip(p, args, 3, 0), "a 30000-byte argument comes "
		    "back whole (%s)", parser_name[p]);
	free(arg);
}

static void
test_table_round_trip(void)
{
	const char *args[NAWKWARD + 1];
	const char *pair[3];
	int i, p, bad;

	for (p = 0; p < PARSERS; p++) {
		bad = 0;
		for (i = 0; i < NAWKWARD; i++) {
			pair[0] = "prog.exe";
			pair[1] = awkward[i];
			pair[2] = "next";
			if (!round_trip(p, pair, 3, bad > 2))
				bad++;
		}
		is_int(bad, 0, "each awkward argument comes back, between "
		    "others (%s)", parser_name[p]);
		args[0] = "C:\\Program Files\\pipecat test\\";
		for (i = 0; i < NAWKWARD; i++)
			args[i + 1] = awkward[i];
		ok(round_trip(p, args, NAWKWARD + 1, 0), "the whole table "
		    "comes back in one line (%s)", parser_name[p]);
		ok(round_trip(p, awkward, 1, 0) && round_trip(p, awkward + 2,
		    1, 0), "a program name alone comes back (%s)",
		    parser_name[p]);
	}
}

/* A small, fixed generator, so a failure can be replayed. */
static uint32_t rng_state = 20240601u;

static uint32_t
rng(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rng_state = x;
	return x;
}

/*
 * A random argument of up to 14 pieces, weighted towards what quoting has
 * to get right: backslashes, quotes, blanks; a few non-ASCII characters.
 */
static void
random_arg(char *buf)
{
	static const char *const pieces[] = {
		"\\", "\\", "\\", "\\", "\\\\", "\"", "\"", "\"", " ", " ",
		"\t", "a", "b", "c", "\n", "\xc3\xa9", "\xe2\x98\x83",
		"\xf0\x9d\x84\x9e", "'", "x y",
	};
	uint32_t n = rng() % 15, i;
	size_t o = 0, len;
	const char *s;

	for (i = 0; i < n; i++) {
		s = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
		len = strlen(s);
		memcpy(buf + o, s, len);
		o += len;
	}
	buf[o] = '\0';
}

static void
test_random_round_trip(void)
{
	char bufs[7][64];
	const char *args[7];
	int batch, n, i, p, bad[PARSERS] = { 0, 0 }, total = 0;

	for (batch = 0; batch < 3000; batch++) {
		n = 1 + (int)(rng() % 6);
		/* The program name: random too, but without quotes. */
		random_arg(bufs[0]);
		for (i = 0; bufs[0][i] != '\0'; i++)
			if (bufs[0][i] == '"')
				bufs[0][i] = '_';
		args[0] = bufs[0];
		for (i = 1; i <= n; i++) {
			random_arg(bufs[i]);
			args[i] = bufs[i];
		}
		total += n;
		for (p = 0; p < PARSERS; p++)
			if (!round_trip(p, args, n + 1, bad[p] > 2))
				bad[p]++;
	}
	for (p = 0; p < PARSERS; p++)
		is_int(bad[p], 0, "%d random arguments in 3000 lines come "
		    "back (%s)", total, parser_name[p]);
}

/* Joins ARGS and compares the line with WANT. */
static void
joins(const char *title, const char *const *args, int n, const char *want)
{
	char err[256];
	char *line = argv_join(args, n, err, sizeof err);

	is_str(line, want, "join %s", title);
	if (line == NULL)
		diag("error: %s", err);
	free(line);
}

static void
test_program_name(void)
{
	static const char *const spaced[] = { "C:\\Program Files\\x\\", "a",
		"b c" };
	static const char *const trailing[] = { "C:\\tools\\", "\\\"" };
	static const char *const plain[] = { "prog.exe", "a\\\"b" };
	static const char *const empty[] = { "", "" };
	static const char *const tabbed[] = { "a\tb", "c" };
	static const char *const newline[] = { "a\nb", "c" };
	static const char *const unc[] = { "\\\\srv\\share dir\\p.exe" };
	int p;

	joins("a program name with spaces and a trailing backslash",
	    spaced, 3, "\"C:\\Program Files\\x\\\" a \"b c\"");
	joins("a bare program name keeps its trailing backslash",
	    trailing, 2, "C:\\tools\\ \"\\\\\\\"\"");
	joins("a plain program name and an escaped quote", plain, 2,
	    "prog.exe \"a\\\\\\\"b\"");
	joins("an empty program name and argument", empty, 2, "\"\" \"\"");
	joins("a program name with a tab", tabbed, 2, "\"a\tb\" c");
	joins("a program name with a newline is quoted too", newline, 2,
	    "\"a\nb\" c");
	joins("a UNC program name with a space", unc, 1,
	    "\"\\\\srv\\share dir\\p.exe\"");
	for (p = 0; p < PARSERS; p++) {
		ok(round_trip(p, spaced, 3, 0) && round_trip(p, trailing, 2,
		    0) && round_trip(p, plain, 2, 0) && round_trip(p, empty,
		    2, 0) && round_trip(p, tabbed, 2, 0) && round_trip(p,
		    newline, 2, 0) && round_trip(p, unc, 1, 0),
		    "those program names come back as they were (%s)",
		    parser_name[p]);
	}
}

static void
test_join_errors(void)
{
	static const char *const quoted[] = { "my \"prog\".exe", "a" };
	static const char *const lone[] = { "\"" };
	static const char *const hole[] = { "prog", NULL, "b" };
	static const char *const one[] = { "prog" };
	char err[256], small[20];
	char *line;

	line = argv_join(quoted, 2, err, sizeof err);
	ok(line == NULL, "a program name with a quote is refused");
	is_str(err, "program name \"my \"prog\".exe\" contains a double "
	    "quote, which Windows cannot pass", "with the message");
	line = argv_join(lone, 1, err, sizeof err);
	ok(line == NULL, "a program name that is a lone quote is refused");
	is_str(err, "program name \"\"\" contains a double quote, which "
	    "Windows cannot pass", "with the message");

	memset(err, 'x', sizeof err);
	line = argv_join(one, 0, err, sizeof err);
	ok(line == NULL, "argc 0 is refused");
	is_str(err, "no program to run: the argument list is empty",
	    "with the message");
	ok(argv_join(NULL, 3, err, sizeof err) == NULL, "argv NULL is refused");
	ok(argv_join(one, -1, err, sizeof err) == NULL, "argc -1 is refused");
	line = argv_join(hole, 3, err, sizeof err);
	ok(line == NULL, "a NULL argument is refused");
	is_str(err, "argument 1 of 3 is missing (NULL)", "with the message");
	ok(argv_join(one, 0, NULL, 0) == NULL, "an error with no error "
	    "buffer is still an error");
	line = argv_join(quoted, 2, small, sizeof small);
	ok(line == NULL && strlen(small) == sizeof small - 1,
	    "a short error buffer gets the start of the message");

	/* Control characters never reach the message; long names are cut. */
	{
		static const char *const ctl[] = { "a\x1b[2J\"b" };
		char longname[200];
		const char *lng[1];

		argv_join(ctl, 1, err, sizeof err);
		is_str(err, "program name \"a?[2J\"b\" contains a double "
		    "quote, which Windows cannot pass",
		    "an escape character in the name shows as ?");
		memset(longname, 'n', sizeof longname);
		longname[0] = '"';
		longname[sizeof longname - 1] = '\0';
		lng[0] = longname;
		argv_join(lng, 1, err, sizeof err);
		ok(strlen(err) < 140 && strstr(err, "...\" contains") != NULL,
		    "a long name is shortened in the message");
	}

	/*
	 * What is not UTF-8 by RFC 3629 shows as ? too, one byte at a time:
	 * an overlong C1 control (E0 82 9B spells U+009B, CSI), a surrogate
	 * and a code point above U+10FFFF (found by tests/fuzz/fuzz_argv.c).
	 */
	{
		static const char *const bad[] = {
			"\xe0\x82\x9b" "2J\"", "\xed\xa0\x80\"",
			"\xf4\xab\xab\xab\"", "\xc3\xa9\xf0\x9f\x98\x80\""
		};
		static const char *const want[] = {
			"program name \"???2J\"\" contains",
			"program name \"???\"\" contains",
			"program name \"????\"\" contains",
			"program name \"\xc3\xa9\xf0\x9f\x98\x80\"\" contains",
		};
		size_t i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			argv_join(&bad[i], 1, err, sizeof err);
			ok(strncmp(err, want[i], strlen(want[i])) == 0,
			    "bytes that are not UTF-8 in the name show as ? "
			    "(case %zu: %s)", i, err);
		}
	}
}

struct parse {
	const char *line;
	const char *want[8];
};

/*
 * CommandLineToArgvW, from Wine's cmdline_tests (dlls/shell32/tests/
 * shlexec.c), which pass on real Windows.
 */
static const struct parse shell32_cases[] = {
	{ "exe", { "exe" } },
	{ "exe arg1 arg2 \"arg three\" six\\ ", { "exe", "arg1", "arg2",
	    "arg three", "six\\" } },
	{ "exe three\tfour\rfour\nfour ", { "exe", "three",
	    "four\rfour\nfour" } },
	{ "exe arg\"one\" \"second\"arg", { "exe", "argone", "secondarg" } },
	{ "exe arg1 \"unclosed", { "exe", "arg1", "unclosed" } },
	{ "exe arg1 \"", { "exe", "arg1", "" } },
	{ "exe \\\"one \\\\\"two\" \\\\\\\"three \\\\\\\\\"four\" end",
	    { "exe", "\"one", "\\two", "\\\"three", "\\\\four", "end" } },
	{ "exe \"one\\\" still\" \"two\\\\\" end", { "exe", "one\" still",
	    "two\\", "end" } },
	/* Every third of consecutive quotes is a literal quote. */
	{ "exe three\"\"\"quotes next", { "exe", "three\"quotes", "next" } },
	{ "exe four\"\"\"\" quotes\" next", { "exe", "four\" quotes",
	    "next" } },
	{ "exe \"two\"\"quotes next", { "exe", "two\"quotes", "next" } },
	{ "exe \"two\"\" next", { "exe", "two\"", "next" } },
	{ "exe \"the crazy \\\\\"\"\"\\\\\" quotes", { "exe",
	    "the crazy \\\"\\", "quotes" } },
	/* The program name's own rules. */
	{ "exe\"file\"path arg1", { "exe\"file\"path", "arg1" } },
	{ "exe\"path\\ arg1", { "exe\"path\\", "arg1" } },
	{ "\\\"exe \"arg one\"", { "\\\"exe", "arg one" } },
	{ "\"spaced exe\"\t\"next arg\"", { "spaced exe", "next arg" } },
	{ "\"exe\"arg\" one\" argtwo", { "exe", "arg one", "argtwo" } },
	{ "\"spaced exe\\\"arg1 arg2", { "spaced exe\\", "arg1", "arg2" } },
	{ "\"two\"\" arg1 ", { "two", " arg1 " } },
	{ "\"three\"\"\" arg2", { "three", "", "arg2" } },
	{ " \"arg\"one argtwo", { "", "argone", "argtwo" } },
};

/* The UCRT, from "Parsing C++ command-line arguments" and its rules. */
static const struct parse ucrt_cases[] = {
	{ "exe \"abc\" d e", { "exe", "abc", "d", "e" } },
	{ "exe a\\\\b d\"e f\"g h", { "exe", "a\\\\b", "de fg", "h" } },
	{ "exe a\\\\\\\"b c d", { "exe", "a\\\"b", "c", "d" } },
	{ "exe a\\\\\\\\\"b c\" d e", { "exe", "a\\\\b c", "d", "e" } },
	{ "exe a\"b\"\" c d", { "exe", "ab\" c d" } },
	{ "exe \"two\"\" next\"", { "exe", "two\" next" } },
	{ "\"C:\\a b\"c\\ d", { "C:\\a bc\\", "d" } },
	{ "a\"b c\"d e", { "ab cd", "e" } },
	{ " x", { "", "x" } },
};

static void
check_parse(int parser, const struct parse *c)
{
	char **got = NULL;
	int gotc = 0, n = 0, i, same;

	while (n < 8 && c->want[n] != NULL)
		n++;
	if (split_with(parser, c->line, &got, &gotc) != 0) {
		ok(0, "%s splits %s", parser_name[parser], show(c->line));
		return;
	}
	same = gotc == n;
	for (i = 0; same && i < n; i++)
		same = strcmp(got[i], c->want[i]) == 0;
	ok(same, "%s splits %s", parser_name[parser], show(c->line));
	if (!same)
		for (i = 0; i < n || i < gotc; i++)
			diag("  [%d] got %s want %s", i,
			    i < gotc ? show(got[i]) : "(none)",
			    i < n ? show(c->want[i]) : "(none)");
	ok(got[gotc] == NULL, "  and ends its array with NULL");
	argv_free(got, gotc);
}

static void
test_split(void)
{
	char **av = (char **)&av;
	int ac = 99, i, p;

	for (i = 0; i < (int)(sizeof shell32_cases / sizeof shell32_cases[0]);
	    i++)
		check_parse(0, &shell32_cases[i]);
	for (i = 0; i < (int)(sizeof ucrt_cases / sizeof ucrt_cases[0]); i++)
		check_parse(1, &ucrt_cases[i]);
	for (p = 0; p < PARSERS; p++) {
		ok(split_with(p, "", &av, &ac) == 0 && ac == 0 && av != NULL &&
		    av[0] == NULL, "%s: an empty line gives no arguments",
		    parser_name[p]);
		argv_free(av, ac);
		ok(split_with(p, NULL, &av, &ac) == -1 && ac == 0 && av == NULL,
		    "%s: a NULL line is -1", parser_name[p]);
	}
	argv_free(NULL, 0);
	ok(1, "argv_free(NULL, 0) does nothing");
}

/* Whether a command names a program: the reasons spawn and serve give. */
static void
test_program_problem(void)
{
	static const struct {
		const char *arg;
		int line;
		const char *why;        /* NULL: names a program */
	} cases[] = {
		{ "kid", 0, NULL },
		{ " kid", 0, NULL },            /* CreateProcessW's to judge */
		{ "", 0, "the program name is empty" },
		{ " \t", 0, "the program name is blank" },
		{ "\t\t", 0, "the program name is blank" },
		{ "kid arg", 1, NULL },
		{ "  \tkid", 1, NULL },
		{ "\"C:\\a b\\kid.exe\" x", 1, NULL },
		{ "", 1, "the command line is empty" },
		{ " \t ", 1, "the command line is blank" },
		{ "\"\" arg", 1, "the program name is empty" },
		{ "\" \" arg", 1, "the program name is blank" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = argv_program_problem(cases[i].arg, cases[i].line);
		if (cases[i].why == NULL)
			ok(got == NULL, "program of [%s] (%s): names one (got %s)",
			    cases[i].arg, cases[i].line ? "line" : "word",
			    got != NULL ? got : "NULL");
		else
			is_str(got != NULL ? got : "NULL", cases[i].why,
			    "program of [%s] (%s)", cases[i].arg,
			    cases[i].line ? "line" : "word");
	}
}

int
main(void)
{
	test_exact();
	test_buffers();
	test_long();
	test_table_round_trip();
	test_random_round_trip();
	test_program_name();
	test_join_errors();
	test_split();
	test_program_problem();
	return done_testing();
}
