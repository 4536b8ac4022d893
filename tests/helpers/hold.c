/*
 * hold: a pipe peer that connects and never reads, for the fault tests of
 * the FlushFileBuffers stage (a peer killed while pipecat waits for it to
 * read what it was sent).
 *
 *   hold serve NAME MS     serve \\.\pipe\NAME (a byte pipe, both ways),
 *                          take one client, print "connected"
 *   hold open NAME MS      open \\.\pipe\NAME as a client (read and
 *                          write, or read only where the pipe is
 *                          outbound only), waiting up to 10 s for it,
 *                          print "open"
 *
 * then sleep MS milliseconds, reading nothing, and exit 0; 1 with a
 * message when the pipe cannot be served or opened. With a fourth
 * argument, pass, it instead starts a copy of itself that inherits the
 * pipe's end and sleeps MS (hold sleep MS), prints "passed", and exits 0
 * at once: the end is then held by a process other than the one that
 * opened it, and nobody reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>

static int
fail(const char *what)
{
	fprintf(stderr, "hold: %s: error %lu\n", what, GetLastError());
	return 1;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "sleep") == 0) {
		Sleep((DWORD)strtoul(argv[2], NULL, 10));
		return 0;
	}
	int pass = argc == 5 && strcmp(argv[4], "pass") == 0;
	if ((argc != 4 && !pass) ||
	    (strcmp(argv[1], "serve") != 0 && strcmp(argv[1], "open") != 0)) {
		fprintf(stderr, "usage: hold serve|open NAME MS [pass]\n");
		return 2;
	}
	SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
	wchar_t name[300];
	swprintf(name, 300, L"\\\\.\\pipe\\%hs", argv[2]);
	HANDLE h;
	if (strcmp(argv[1], "serve") == 0) {
		h = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT,
		    1, 65536, 65536, 0, &sa);
		if (h == INVALID_HANDLE_VALUE)
			return fail("CreateNamedPipe");
		if (!ConnectNamedPipe(h, NULL) && GetLastError() != ERROR_PIPE_CONNECTED)
			return fail("ConnectNamedPipe");
		fprintf(stderr, "connected\n");
	} else {
		for (int i = 0;; i++) {
			h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, &sa,
			    OPEN_EXISTING, 0, NULL);
			if (h == INVALID_HANDLE_VALUE && GetLastError() == ERROR_ACCESS_DENIED)
				h = CreateFileW(name, GENERIC_READ, 0, &sa, OPEN_EXISTING, 0, NULL);
			if (h != INVALID_HANDLE_VALUE)
				break;
			if (i == 1000)
				return fail("CreateFile");
			Sleep(10);
		}
		fprintf(stderr, "open\n");
	}
	fflush(stderr);
	if (pass) {
		wchar_t self[MAX_PATH], cmd[MAX_PATH + 64];
		STARTUPINFOW si;
		ZeroMemory(&si, sizeof si);
		si.cb = sizeof si;
		PROCESS_INFORMATION pi;
		if (GetModuleFileNameW(NULL, self, MAX_PATH) == 0)
			return fail("GetModuleFileName");
		swprintf(cmd, MAX_PATH + 64, L"\"%ls\" sleep %hs", self, argv[3]);
		if (!CreateProcessW(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
			return fail("CreateProcess");
		fprintf(stderr, "passed\n");
		return 0;
	}
	Sleep((DWORD)strtoul(argv[3], NULL, 10));
	CloseHandle(h);
	return 0;
}
