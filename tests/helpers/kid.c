/*
 * kid: a child program for pipecat spawn's tests. Runs its arguments as a
 * script of actions, in order:
 *
 *   out N          write N bytes (a repeating pattern) to stdout
 *   err N          write N bytes to stderr
 *   outs TEXT      write TEXT to stdout;  errs TEXT: to stderr
 *   line TEXT      write TEXT and a newline to stdout
 *   sleep MS       sleep MS milliseconds
 *   cat            copy stdin to stdout until EOF
 *   rev            read stdin to EOF, then write it all back reversed,
 *                  byte by byte (a child that answers only once its
 *                  input has ended, as sort does)
 *   touch FILE     create FILE
 *   grandchild ARGS... --   start "kid ARGS..." as a grandchild that
 *                  inherits kid's handles, and do not wait for it
 *   waitparent     (in a grandchild) wait until the kid that started it
 *                  has exited, so that a test can act once only the
 *                  grandchild holds the pipes
 *   unixpid FILE   (under Wine only) write this process's Linux pid to FILE,
 *                  so that a test can SIGKILL exactly this process
 *   ignoreint      ignore Ctrl-C from here on (SetConsoleCtrlHandler), as a
 *                  program busy elsewhere would
 *   exit CODE      exit with CODE, decimal or 0x hex (default: 0 after
 *                  the last action)
 *
 * Writes go straight to the std handles with WriteFile: no CRT buffering,
 * so output appears when kid writes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static void
put(DWORD which, const char *p, DWORD len)
{
	HANDLE h = GetStdHandle(which);
	DWORD n;
	while (len > 0) {
		if (!WriteFile(h, p, len, &n, NULL))
			exit(3);
		p += n;
		len -= n;
	}
}

static void
put_n(DWORD which, unsigned long n)
{
	char buf[65536];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)(i % 64 == 63 ? '\n' : 'a' + (int)(i % 26));
	while (n > 0) {
		DWORD k = n > sizeof buf ? (DWORD)sizeof buf : (DWORD)n;
		put(which, buf, k);
		n -= k;
	}
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : "";
		if (strcmp(a, "out") == 0) {
			put_n(STD_OUTPUT_HANDLE, strtoul(v, NULL, 10));
			i++;
		} else if (strcmp(a, "err") == 0) {
			put_n(STD_ERROR_HANDLE, strtoul(v, NULL, 10));
			i++;
		} else if (strcmp(a, "outs") == 0) {
			put(STD_OUTPUT_HANDLE, v, (DWORD)strlen(v));
			i++;
		} else if (strcmp(a, "line") == 0) {
			put(STD_OUTPUT_HANDLE, v, (DWORD)strlen(v));
			put(STD_OUTPUT_HANDLE, "\n", 1);
			i++;
		} else if (strcmp(a, "errs") == 0) {
			put(STD_ERROR_HANDLE, v, (DWORD)strlen(v));
			i++;
		} else if (strcmp(a, "sleep") == 0) {
			Sleep((DWORD)strtoul(v, NULL, 10));
			i++;
		} else if (strcmp(a, "cat") == 0) {
			char buf[65536];
			DWORD n;
			while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof buf, &n, NULL) && n > 0)
				put(STD_OUTPUT_HANDLE, buf, n);
		} else if (strcmp(a, "rev") == 0) {
			size_t cap = 65536, len = 0;
			char *b = malloc(cap);
			DWORD n;
			if (b == NULL)
				exit(5);
			while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), b + len,
			    (DWORD)(cap - len), &n, NULL) && n > 0) {
				len += n;
				if (len == cap && (b = realloc(b, cap *= 2)) == NULL)
					exit(5);
			}
			for (size_t j = 0; j < len / 2; j++) {
				char t = b[j];
				b[j] = b[len - 1 - j];
				b[len - 1 - j] = t;
			}
			put(STD_OUTPUT_HANDLE, b, (DWORD)len);
			free(b);
		} else if (strcmp(a, "touch") == 0) {
			FILE *f = fopen(v, "w");
			if (f)
				fclose(f);
			i++;
		} else if (strcmp(a, "grandchild") == 0) {
			char cmd[4096];
			wchar_t wcmd[4096];
			wchar_t self[MAX_PATH];
			GetModuleFileNameW(NULL, self, MAX_PATH);
			snprintf(cmd, sizeof cmd, "kid");
			for (i++; i < argc && strcmp(argv[i], "--") != 0; i++) {
				strncat(cmd, " ", sizeof cmd - strlen(cmd) - 1);
				strncat(cmd, argv[i], sizeof cmd - strlen(cmd) - 1);
			}
			MultiByteToWideChar(CP_UTF8, 0, cmd, -1, wcmd, 4096);
			/* For waitparent: the environment is inherited. */
			wchar_t pid[16];
			_snwprintf(pid, 16, L"%lu", (unsigned long)GetCurrentProcessId());
			if (!SetEnvironmentVariableW(L"KID_PARENT", pid))
				exit(4);
			STARTUPINFOW si = { .cb = sizeof si };
			PROCESS_INFORMATION pi;
			if (!CreateProcessW(self, wcmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
				exit(4);
			CloseHandle(pi.hThread);
			CloseHandle(pi.hProcess);
		} else if (strcmp(a, "waitparent") == 0) {
			/* The parent's pid cannot have been reused while the parent
			 * runs; once it has exited, OpenProcess fails or gives a
			 * signalled handle (or, after a reuse, any process: a test
			 * then acts late, never early). */
			wchar_t pid[16];
			if (GetEnvironmentVariableW(L"KID_PARENT", pid, 16) == 0)
				return 5;
			HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)wcstoul(pid, NULL, 10));
			if (h != NULL) {
				WaitForSingleObject(h, INFINITE);
				CloseHandle(h);
			}
		} else if (strcmp(a, "unixpid") == 0) {
			/* A Wine process is a Linux process, and Wine lets its
			 * code make Linux system calls: getpid (39 on x86-64).
			 * (Not a Windows action: there, the instruction is an NT
			 * system call. Z:\proc\self is no way to it: Wine's
			 * server opens files.) The pid goes to a file of this
			 * process's own, then is renamed to FILE, so that a test
			 * never reads half of it and kids started at once
			 * (serve's children) do not share a file: FILE ends with
			 * the last one's pid. A failure is said on stderr, and
			 * the script goes on. */
			long pid;
			char tmp[MAX_PATH];
			__asm__ volatile ("syscall" : "=a"(pid) : "a"(39L) : "rcx", "r11", "memory");
			snprintf(tmp, sizeof tmp, "%s.%lu.tmp", v,
			    (unsigned long)GetCurrentProcessId());
			FILE *f = fopen(tmp, "wb");
			int ok = f != NULL && fprintf(f, "%ld\n", pid) > 0;
			if (f != NULL && fclose(f) != 0)
				ok = 0;
			for (int k = 0; ok && !MoveFileExA(tmp, v, MOVEFILE_REPLACE_EXISTING); k++) {
				if (k == 50)
					ok = 0;
				Sleep(10);
			}
			if (!ok) {
				fprintf(stderr, "kid: unixpid %s: error %lu\n", v, GetLastError());
				DeleteFileA(tmp);
			}
			i++;
		} else if (strcmp(a, "ignoreint") == 0) {
			if (!SetConsoleCtrlHandler(NULL, TRUE))
				exit(6);
		} else if (strcmp(a, "exit") == 0) {
			fflush(NULL);
			ExitProcess((UINT)strtoul(v, NULL, 0));
		} else {
			fprintf(stderr, "kid: unknown action %s\n", a);
			return 2;
		}
	}
	return 0;
}
