/*
 * argvecho: print the arguments this program was given, as a Windows
 * program that uses shell32's CommandLineToArgvW sees them.
 *
 *   argvecho [--raw] ARGS...
 *
 * Writes each argument after the program name as UTF-8 followed by a NUL
 * byte, so that any argument (empty, with newlines) can be compared byte
 * for byte. With --raw as the first argument, first writes the raw command
 * line (GetCommandLineW, program name included) as UTF-8 and a newline; the
 * --raw itself is not echoed. Exits 0, or with the number in the
 * environment variable ARGVECHO_EXIT when that is set, so that a test can
 * check that an exit status is passed on too.
 *
 * Output goes through WriteFile on the standard handle, never the C
 * runtime's stdio, whose text mode would turn "\n" into "\r\n". The helper
 * build links only the default libraries, which leave out shell32, so
 * CommandLineToArgvW is looked up at run time.
 */
#include <stdlib.h>
#include <string.h>
#include <windows.h>

typedef LPWSTR *(WINAPI *cl2a_fn)(LPCWSTR, int *);

static void
die(const char *what)
{
	char msg[200];
	DWORD n;

	wsprintfA(msg, "argvecho: %s: error %lu\r\n", what, GetLastError());
	WriteFile(GetStdHandle(STD_ERROR_HANDLE), msg, (DWORD)strlen(msg), &n,
	    NULL);
	ExitProcess(125);
}

/* Writes LEN bytes at BUF to stdout, all of them. */
static void
put(HANDLE out, const char *buf, DWORD len)
{
	DWORD n;

	while (len > 0) {
		if (!WriteFile(out, buf, len, &n, NULL))
			die("WriteFile");
		buf += n;
		len -= n;
	}
}

/* Writes the UTF-16 string S as UTF-8, and its NUL when WITH_NUL. */
static void
put_utf8(HANDLE out, const wchar_t *s, int with_nul)
{
	int n;
	char *u;

	n = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0, NULL, NULL);
	if (n <= 0)
		die("WideCharToMultiByte");
	u = malloc((size_t)n);
	if (u == NULL)
		die("malloc");
	if (WideCharToMultiByte(CP_UTF8, 0, s, -1, u, n, NULL, NULL) != n)
		die("WideCharToMultiByte");
	put(out, u, (DWORD)(with_nul ? n : n - 1));
	free(u);
}

int
main(void)
{
	HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
	HMODULE shell32;
	cl2a_fn cl2a;
	LPWSTR line, *av;
	const char *code;
	int ac, i = 1;

	shell32 = LoadLibraryW(L"shell32.dll");
	if (shell32 == NULL)
		die("LoadLibrary shell32.dll");
	/* Through a generic function pointer: GCC warns on a direct cast. */
	cl2a = (cl2a_fn)(void (*)(void))GetProcAddress(shell32,
	    "CommandLineToArgvW");
	if (cl2a == NULL)
		die("GetProcAddress CommandLineToArgvW");

	line = GetCommandLineW();
	av = cl2a(line, &ac);
	if (av == NULL)
		die("CommandLineToArgvW");
	if (ac > 1 && wcscmp(av[1], L"--raw") == 0) {
		put_utf8(out, line, 0);
		put(out, "\n", 1);
		i = 2;
	}
	for (; i < ac; i++)
		put_utf8(out, av[i], 1);
	LocalFree(av);

	code = getenv("ARGVECHO_EXIT");
	return code != NULL && *code != '\0' ? atoi(code) : 0;
}
