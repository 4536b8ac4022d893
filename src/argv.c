/*
 * argv: build a Windows command line from an argv, and split one back.
 *
 * The contract and the quoting rules are in argv.h. In short, Windows hands
 * a child a single string and every program splits it itself, so a program
 * that starts another must quote each argument the way the other will
 * unquote it. References:
 *   - Daniel Colascione, "Everyone quotes command line arguments the wrong
 *     way" (MSDN blogs, 2011): the quoting done here (ArgvQuote there);
 *   - Microsoft Learn, "Parsing C++ command-line arguments": the rules of
 *     the C runtime, which argv_split_ucrt follows;
 *   - Raymond Chen, "What's up with the strange treatment of quotation marks
 *     and backslashes by CommandLineToArgvW" (The Old New Thing, 2010), and
 *     Wine's dlls/shell32/tests/shlexec.c, whose cmdline_tests table records
 *     what CommandLineToArgvW does on real Windows, which argv_split follows;
 *   - David Deley, "How Command Line Parameters Are Parsed": the "" rule
 *     changed in Visual C++ 2008; CommandLineToArgvW kept the old one.
 *
 * Parsers differ in two places, and the quoting stays clear of both:
 *   - a "" inside quotes: CommandLineToArgvW (and the pre-2008 C runtime)
 *     gives a literal quote and closes the quotes; the UCRT gives a literal
 *     quote and stays inside them. A quote in an argument is always
 *     written \" here, so "" never appears inside quotes.
 *   - the program name: CommandLineToArgvW ends a quoted one at the next
 *     quote, the UCRT lets each quote toggle; neither knows escapes. Both
 *     agree on "NAME" when NAME has no quote, so the program name is quoted
 *     plainly, and refused when it holds a quote: no spelling passes one.
 *     Its backslashes are literal, so "C:\Program Files\x\" is right as it
 *     stands (its last backslash does not escape the closing quote there).
 * The program name is quoted when it holds any ASCII white space, not just
 * a space or tab: quotes cost nothing there, and parsers disagree on
 * whether a newline ends an unquoted program name.
 *
 * Portable C11 without windows.h, so it is unit-tested natively under
 * ASan/UBSan (tests/unit/test_argv.c) and checked against the real
 * CommandLineToArgvW under Wine (tests/helpers/argvcheck.c, which includes
 * this file, and tests/t0600-spawn-argv-quoting.t).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
/*
 * For UTF8_PRINTF_LIKE only. argvcheck.c compiles this file alone, so
 * nothing here may need utf8.c at link time: utf8_len below is a copy of
 * the one strict check, kept for messages.
 */
#include "utf8.h"

/* How much of a program name an error message quotes, in bytes. */
#define QUOTE_BYTES 60

/* Bytes that make an argument need quotes (Colascione's list). */
#define ARG_SPECIAL " \t\n\v\""
/* Bytes that make a program name need quotes: all ASCII white space. */
#define PROG_SPECIAL " \t\n\v\f\r"

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Length of the UTF-8 sequence starting at S when it is valid by RFC
 * 3629's table (as utf8_decode in utf8.c), else 0. Overlong forms,
 * surrogates and code points above U+10FFFF are refused too: they are not
 * UTF-8, and an overlong form can spell a C1 control (E0 82 9B is U+009B,
 * CSI) that the control check below, which looks for C2 80..C2 9F, would
 * miss. A NUL is never a continuation byte, so this stops at the end.
 */
static size_t
utf8_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;	/* below: overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* above: surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;	/* below: overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* above: beyond U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * Fills ERR like snprintf, never past ERRLEN (which may be 0). A UTF-8
 * sequence cut short at the end is dropped, so ERR stays valid UTF-8.
 */
static UTF8_PRINTF_LIKE(3, 4) void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	size_t len, i;
	int n;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0) {
		err[0] = '\0';
		return;
	}
	if ((size_t)n < errlen)
		return;
	len = strlen(err);
	i = len;
	while (i > 0 && ((unsigned char)err[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)err[i - 1] >= 0xc0 &&
	    utf8_len(err + i - 1) == 0)
		err[i - 1] = '\0';
}

/*
 * Writes S in double quotes into BUF (QUOTE_BYTES + 8 bytes), shortened to
 * whole characters with "..." when long. Control characters and bytes that
 * are not UTF-8 become "?", so the message stays one printable line.
 */
static const char *
quote_for_message(char *buf, const char *s)
{
	size_t i = 0, o = 1, n;
	const unsigned char *u = (const unsigned char *)s;

	buf[0] = '"';
	while (s[i] != '\0') {
		n = utf8_len(s + i);
		if (n == 0 || u[i] < 0x20 || u[i] == 0x7f ||
		    (u[i] == 0xc2 && u[i + 1] < 0xa0)) {
			if (o > QUOTE_BYTES)
				break;
			buf[o++] = '?';
			i += n == 0 ? 1 : n;
			continue;
		}
		if (o - 1 + n > QUOTE_BYTES)
			break;
		memcpy(buf + o, s + i, n);
		o += n;
		i += n;
	}
	if (s[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/*
 * Writes ARG quoted into OUT (when OUT is not NULL; no NUL is added) and
 * returns its length either way, so that one routine both measures and
 * writes and the two cannot disagree. PROG selects the program name's
 * plain quoting; the caller has already refused a quote in it.
 */
static size_t
put_quoted(const char *arg, int prog, char *out)
{
	size_t o = 0, run = 0, k;
	const char *p;

	if (arg[0] != '\0' && strpbrk(arg, prog ? PROG_SPECIAL : ARG_SPECIAL)
	    == NULL) {
		o = strlen(arg);
		if (out != NULL)
			memcpy(out, arg, o);
		return o;
	}
	if (prog) {
		o = strlen(arg);
		if (out != NULL) {
			out[0] = '"';
			memcpy(out + 1, arg, o);
			out[o + 1] = '"';
		}
		return o + 2;
	}

	if (out != NULL)
		out[o] = '"';
	o++;
	for (p = arg; *p != '\0'; p++) {
		if (*p == '\\') {
			run++;
		} else if (*p == '"') {
			/* The run gets doubled, plus one to escape the quote. */
			for (k = 0; k < run + 1; k++) {
				if (out != NULL)
					out[o] = '\\';
				o++;
			}
			run = 0;
		} else
			run = 0;
		if (out != NULL)
			out[o] = *p;
		o++;
	}
	/* A run at the end is doubled, so the closing quote stays a quote. */
	for (k = 0; k < run; k++) {
		if (out != NULL)
			out[o] = '\\';
		o++;
	}
	if (out != NULL)
		out[o] = '"';
	o++;
	return o;
}

int
argv_quote(const char *arg, char *out, size_t outlen, size_t *needed)
{
	size_t need;

	if (arg == NULL) {
		if (needed != NULL)
			*needed = 0;
		if (out != NULL && outlen > 0)
			out[0] = '\0';
		return -1;
	}
	/*
	 * The quoted form is at most 2 * len + 3 bytes, which cannot wrap: a
	 * string that long would fill more than half the address space.
	 */
	need = put_quoted(arg, 0, NULL) + 1;
	if (needed != NULL)
		*needed = need;
	if (out == NULL || outlen < need) {
		if (out != NULL && outlen > 0)
			out[0] = '\0';
		return -1;
	}
	put_quoted(arg, 0, out);
	out[need - 1] = '\0';
	return 0;
}

char *
argv_join(const char *const *argv, int argc, char *err, size_t errlen)
{
	char q[QUOTE_BYTES + 8];
	size_t total = 0, n;
	char *line, *o;
	int i;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (argv == NULL || argc < 1) {
		seterr(err, errlen, "no program to run: the argument list "
		    "is empty");
		return NULL;
	}
	for (i = 0; i < argc; i++) {
		if (argv[i] == NULL) {
			seterr(err, errlen, "argument %d of %d is missing "
			    "(NULL)", i, argc);
			return NULL;
		}
	}
	if (strchr(argv[0], '"') != NULL) {
		seterr(err, errlen, "program name %s contains a double quote, "
		    "which Windows cannot pass", quote_for_message(q, argv[0]));
		return NULL;
	}

	/* Each argument, plus a space before it or the NUL after the last. */
	for (i = 0; i < argc; i++) {
		n = put_quoted(argv[i], i == 0, NULL) + 1;
		if (n > SIZE_MAX - total) {
			seterr(err, errlen, "the command line is too long to "
			    "hold in memory");
			return NULL;
		}
		total += n;
	}
	line = malloc(total);
	if (line == NULL) {
		seterr(err, errlen, "out of memory for a command line of %zu "
		    "bytes", total);
		return NULL;
	}
	o = line;
	for (i = 0; i < argc; i++) {
		if (i > 0)
			*o++ = ' ';
		o += put_quoted(argv[i], i == 0, o);
	}
	*o = '\0';
	return line;
}

/* The arguments found so far, as argv_split hands them out. */
struct list {
	char **v;
	int n, cap;
};

/* Appends a copy of the LEN bytes at S. Returns 0, or -1 out of memory. */
static int
list_push(struct list *l, const char *s, size_t len)
{
	char **nv, *copy;
	int ncap;

	if (l->n + 1 >= l->cap) {
		if (l->cap > INT32_MAX / 4)
			return -1;
		ncap = l->cap ? l->cap * 2 : 8;
		nv = realloc(l->v, (size_t)ncap * sizeof *nv);
		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	l->v[l->n++] = copy;
	l->v[l->n] = NULL;
	return 0;
}

/*
 * One argument after the program name, by CommandLineToArgvW's rules,
 * starting at *PP (not a blank) and copied into BUF; *PP is left at the
 * blank or NUL that ends it. Returns the argument's length.
 *
 * Backslashes are copied as they come and, when a quote follows, the extra
 * ones are taken back: 2N+1 of them and a quote give N and a literal quote;
 * 2N and a quote give N, the quote being a delimiter. Delimiting quotes in
 * a row are counted, the opening one included, and every third one of them
 * is a literal quote; the count left over (mod 3) says whether the quotes
 * end open (1) or closed (0 or 2). With a single quote this is the plain
 * open/close toggle.
 */
static size_t
split_arg_shell32(const char **pp, char *buf)
{
	const char *p = *pp;
	size_t len = 0, run = 0;
	int quotes = 0;

	while (*p != '\0' && (quotes || !is_blank(*p))) {
		if (*p == '\\') {
			buf[len++] = '\\';
			run++;
			p++;
			continue;
		}
		if (*p != '"') {
			buf[len++] = *p++;
			run = 0;
			continue;
		}
		if (run % 2 == 0) {
			len -= run / 2;
			quotes++;
		} else {
			len -= run / 2 + 1;
			buf[len++] = '"';
		}
		run = 0;
		p++;
		while (*p == '"') {
			if (++quotes == 3) {
				buf[len++] = '"';
				quotes = 0;
			}
			p++;
		}
		if (quotes == 2)
			quotes = 0;
	}
	*pp = p;
	return len;
}

/* The same by the UCRT's rules: "" inside quotes is a quote, and stays in. */
static size_t
split_arg_ucrt(const char **pp, char *buf)
{
	const char *p = *pp;
	size_t len = 0, run, k;
	int quoted = 0;

	for (;;) {
		for (run = 0; *p == '\\'; p++)
			run++;
		if (*p == '"') {
			for (k = 0; k < run / 2; k++)
				buf[len++] = '\\';
			if (run % 2 == 1) {
				buf[len++] = '"';
				p++;
			} else if (quoted && p[1] == '"') {
				buf[len++] = '"';
				p += 2;
			} else {
				quoted = !quoted;
				p++;
			}
			continue;
		}
		for (k = 0; k < run; k++)
			buf[len++] = '\\';
		if (*p == '\0' || (!quoted && is_blank(*p)))
			break;
		buf[len++] = *p++;
	}
	*pp = p;
	return len;
}

/*
 * The common frame of both parsers: the program name by the parser's own
 * rule, then arguments separated by runs of spaces and tabs. No argument is
 * longer than the command line, so one scratch buffer of its size serves.
 */
static int
split(const char *cmdline, int ucrt, char ***argv_out, int *argc_out)
{
	struct list l = { NULL, 0, 0 };
	const char *p = cmdline, *start;
	size_t len;
	char *buf = NULL;
	int quoted;

	*argv_out = NULL;
	*argc_out = 0;
	if (cmdline == NULL)
		return -1;
	if (*p == '\0') {
		l.v = malloc(sizeof *l.v);
		if (l.v == NULL)
			return -1;
		l.v[0] = NULL;
		*argv_out = l.v;
		return 0;
	}
	buf = malloc(strlen(cmdline) + 1);
	if (buf == NULL)
		return -1;

	if (ucrt) {
		/* Quotes toggle; a blank outside them ends the name. */
		len = 0;
		quoted = 0;
		for (; *p != '\0' && (quoted || !is_blank(*p)); p++) {
			if (*p == '"')
				quoted = !quoted;
			else
				buf[len++] = *p;
		}
		if (list_push(&l, buf, len) != 0)
			goto fail;
	} else if (*p == '"') {
		/* Up to the next quote, whatever follows that. */
		start = ++p;
		while (*p != '\0' && *p != '"')
			p++;
		if (list_push(&l, start, (size_t)(p - start)) != 0)
			goto fail;
		if (*p == '"')
			p++;
	} else {
		start = p;
		while (*p != '\0' && !is_blank(*p))
			p++;
		if (list_push(&l, start, (size_t)(p - start)) != 0)
			goto fail;
	}

	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		len = ucrt ? split_arg_ucrt(&p, buf) : split_arg_shell32(&p, buf);
		if (list_push(&l, buf, len) != 0)
			goto fail;
	}
	free(buf);
	*argv_out = l.v;
	*argc_out = l.n;
	return 0;

fail:
	free(buf);
	argv_free(l.v, l.n);
	return -1;
}

int
argv_split(const char *cmdline, char ***argv_out, int *argc_out)
{
	return split(cmdline, 0, argv_out, argc_out);
}

int
argv_split_ucrt(const char *cmdline, char ***argv_out, int *argc_out)
{
	return split(cmdline, 1, argv_out, argc_out);
}

void
argv_free(char **argv, int argc)
{
	int i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* Nonzero when S is all ASCII white space (and not empty). */
static int
blank(const char *s)
{
	return s[0] != '\0' && s[strspn(s, " \t\n\v\f\r")] == '\0';
}

const char *
argv_program_problem(const char *arg, int line)
{
	if (line) {
		if (arg[0] == '\0')
			return "the command line is empty";
		if (blank(arg))
			return "the command line is blank";
		char **words;
		int n;
		if (argv_split(arg + strspn(arg, " \t"), &words, &n) != 0)
			return "out of memory";
		const char *why = n == 0 ? "the program name is empty"
		    : argv_program_problem(words[0], 0);
		argv_free(words, n);
		return why;
	}
	if (arg[0] == '\0')
		return "the program name is empty";
	if (blank(arg))
		return "the program name is blank";
	return NULL;
}
