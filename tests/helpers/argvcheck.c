/*
 * argvcheck: check pipecat's command-line quoting (src/argv.c) against the
 * real CommandLineToArgvW, on Windows or under Wine.
 *
 *   argvcheck [--prog NAME] FILE   FILE holds arguments, each UTF-8 and
 *                                  ended by a NUL byte; they are joined by
 *                                  argv_join after NAME (default prog.exe),
 *                                  split again by CommandLineToArgvW, and
 *                                  must come back the same, NAME included
 *   argvcheck --split FILE         FILE holds raw command lines, each ended
 *                                  by a NUL byte; argv_split's reading of
 *                                  each must be CommandLineToArgvW's
 *
 * Prints "ok N" (N arguments, or lines, checked) and exits 0; or prints
 * "MISMATCH at I: got ... want ..." and the command line, and exits 1:
 * "got" is what CommandLineToArgvW gave, "want" the argument given (or,
 * with --split, argv_split's reading); I counts arguments (the program
 * name is -1), or lines, from 0; bytes outside printable ASCII are shown
 * escaped. Exits 2 on a usage or I/O error, or when argv_join refuses.
 *
 * The arguments go into command lines of at most 64 arguments and about
 * 30000 bytes, each checked on its own, since a real command line has
 * CreateProcessW's limit of 32767 UTF-16 units.
 *
 * The quoting is the very code pipecat runs: src/argv.c is included here,
 * as the helper build line has neither -I nor pipecat's objects. shell32
 * is not among the libraries that line links, so CommandLineToArgvW is
 * looked up at run time.
 */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "../../src/argv.c"

/* Most arguments, and bytes, per command line checked. */
#define CHUNK_ARGS 64
#define CHUNK_BYTES 30000

typedef LPWSTR *(WINAPI *cl2a_fn)(LPCWSTR, int *);

static cl2a_fn cl2a;

static void
fail(const char *what)
{
	fprintf(stderr, "argvcheck: %s: error %lu\n", what, GetLastError());
	exit(2);
}

/* Reads FILE whole; *LEN gets its size. The buffer has a NUL after it. */
static char *
slurp(const wchar_t *path, size_t *len)
{
	FILE *f = _wfopen(path, L"rb");
	char *buf = NULL, *nbuf;
	size_t cap = 0, n = 0, got;

	if (f == NULL) {
		fprintf(stderr, "argvcheck: cannot open %ls\n", path);
		exit(2);
	}
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			nbuf = realloc(buf, cap + 1);
			if (nbuf == NULL)
				fail("realloc");
			buf = nbuf;
		}
		got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	if (ferror(f))
		fail("fread");
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * Splits BUF (LEN bytes) at NUL bytes into an array of strings pointing
 * into it. A last record without its NUL counts too.
 */
static char **
records(char *buf, size_t len, int *count)
{
	char **v;
	size_t i;
	int n = 0;

	for (i = 0; i < len; i++)
		if (buf[i] == '\0')
			n++;
	if (len > 0 && buf[len - 1] != '\0')
		n++;
	v = malloc(((size_t)n + 1) * sizeof *v);
	if (v == NULL)
		fail("malloc");
	n = 0;
	for (i = 0; i < len; i += strlen(buf + i) + 1)
		v[n++] = buf + i;
	v[n] = NULL;
	*count = n;
	return v;
}

static wchar_t *
to_utf16(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1,
	    NULL, 0);
	wchar_t *w;

	if (n <= 0) {
		fprintf(stderr, "argvcheck: not valid UTF-8: %s\n", s);
		exit(2);
	}
	w = malloc((size_t)n * sizeof *w);
	if (w == NULL)
		fail("malloc");
	MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

static char *
to_utf8(const wchar_t *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	char *s;

	if (n <= 0)
		fail("WideCharToMultiByte");
	s = malloc((size_t)n);
	if (s == NULL)
		fail("malloc");
	WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
	return s;
}

/* Prints S escaped (at most 300 bytes of it), or "(none)" when NULL. */
static void
show(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	if (s == NULL) {
		fputs("(none)", stdout);
		return;
	}
	putchar('<');
	for (i = 0; u[i] != '\0' && i < 300; i++) {
		if (u[i] == '\\')
			fputs("\\\\", stdout);
		else if (u[i] == '>')
			fputs("\\>", stdout);
		else if (u[i] >= 0x20 && u[i] < 0x7f)
			putchar(u[i]);
		else
			printf("\\x%02x", u[i]);
	}
	if (u[i] != '\0')
		fputs("...", stdout);
	putchar('>');
}

/*
 * Splits LINE with CommandLineToArgvW and compares with the WANTC strings
 * of WANT, the first being argument number FIRST of the input (or line
 * number FIRST with --split, where all share it). Returns 0 when the same.
 */
static int
compare(const char *line, const char *const *want, int wantc, int first,
    int per_line)
{
	wchar_t *wline = to_utf16(line);
	LPWSTR *av;
	char *got;
	int ac, i, bad = 0;

	av = cl2a(wline, &ac);
	if (av == NULL)
		fail("CommandLineToArgvW");
	for (i = 0; i < ac || i < wantc; i++) {
		got = i < ac ? to_utf8(av[i]) : NULL;
		if (got == NULL || i >= wantc || strcmp(got, want[i]) != 0) {
			printf("MISMATCH at %d: got ", per_line ? first :
			    first + i);
			show(got);
			fputs(" want ", stdout);
			show(i < wantc ? want[i] : NULL);
			if (per_line)
				printf(" (argument %d)", i);
			fputs("\n  command line: ", stdout);
			show(line);
			putchar('\n');
			bad = 1;
		}
		free(got);
		if (bad)
			break;
	}
	LocalFree(av);
	free(wline);
	return bad;
}

/* Joins the arguments in chunks after PROG and checks each chunk. */
static int
check_quoting(const char *prog, char **args, int n)
{
	const char *chunk[CHUNK_ARGS + 1];
	char err[256], *line;
	size_t bytes, need;
	int i = 0, k;

	do {
		chunk[0] = prog;
		k = 0;
		bytes = 0;
		while (i + k < n && k < CHUNK_ARGS) {
			argv_quote(args[i + k], NULL, 0, &need);
			if (k > 0 && bytes + need > CHUNK_BYTES)
				break;
			bytes += need;
			chunk[1 + k] = args[i + k];
			k++;
		}
		line = argv_join(chunk, k + 1, err, sizeof err);
		if (line == NULL) {
			printf("argv_join: %s\n", err);
			return 2;
		}
		/* The program name is argument -1 in the numbering. */
		if (compare(line, chunk, k + 1, i - 1, 0)) {
			free(line);
			return 1;
		}
		free(line);
		i += k;
	} while (i < n);
	printf("ok %d\n", n);
	return 0;
}

/* Checks argv_split against CommandLineToArgvW on each raw line. */
static int
check_split(char **lines, int n)
{
	char **av;
	int ac, i, rc;

	for (i = 0; i < n; i++) {
		/* CommandLineToArgvW gives the program's path for "". */
		if (lines[i][0] == '\0')
			continue;
		if (argv_split(lines[i], &av, &ac) != 0)
			fail("argv_split");
		rc = compare(lines[i], (const char *const *)av, ac, i, 1);
		argv_free(av, ac);
		if (rc)
			return 1;
	}
	printf("ok %d\n", n);
	return 0;
}

int
main(void)
{
	const char *prog = "prog.exe";
	HMODULE shell32;
	LPWSTR *wargv;
	char *buf, **recs, *progbuf = NULL;
	const wchar_t *path;
	size_t len;
	int argc, n, split_mode = 0, rc;

	_setmode(_fileno(stdout), _O_BINARY);
	shell32 = LoadLibraryW(L"shell32.dll");
	if (shell32 == NULL)
		fail("LoadLibrary shell32.dll");
	/* Through a generic function pointer: GCC warns on a direct cast. */
	cl2a = (cl2a_fn)(void (*)(void))GetProcAddress(shell32,
	    "CommandLineToArgvW");
	if (cl2a == NULL)
		fail("GetProcAddress CommandLineToArgvW");

	/* Wide arguments, so that a NAME outside the ANSI code page works. */
	wargv = cl2a(GetCommandLineW(), &argc);
	if (wargv == NULL)
		fail("CommandLineToArgvW");
	if (argc == 3 && wcscmp(wargv[1], L"--split") == 0) {
		split_mode = 1;
		path = wargv[2];
	} else if (argc == 4 && wcscmp(wargv[1], L"--prog") == 0) {
		prog = progbuf = to_utf8(wargv[2]);
		path = wargv[3];
	} else if (argc == 2 && wargv[1][0] != L'-') {
		path = wargv[1];
	} else {
		fputs("usage: argvcheck [--prog NAME | --split] FILE\n",
		    stderr);
		return 2;
	}

	buf = slurp(path, &len);
	recs = records(buf, len, &n);
	rc = split_mode ? check_split(recs, n) :
	    check_quoting(prog, recs, n);
	free(recs);
	free(buf);
	free(progbuf);
	LocalFree(wargv);
	fflush(stdout);
	return rc;
}
