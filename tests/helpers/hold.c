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
 * message when the pipe cannot be served or opened.
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
	if (argc != 4 || (strcmp(argv[1], "serve") != 0 && strcmp(argv[1], "open") != 0)) {
		fprintf(stderr, "usage: hold serve|open NAME MS\n");
		return 2;
	}
	wchar_t name[300];
	swprintf(name, 300, L"\\\\.\\pipe\\%hs", argv[2]);
	HANDLE h;
	if (strcmp(argv[1], "serve") == 0) {
		h = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT,
		    1, 65536, 65536, 0, NULL);
		if (h == INVALID_HANDLE_VALUE)
			return fail("CreateNamedPipe");
		if (!ConnectNamedPipe(h, NULL) && GetLastError() != ERROR_PIPE_CONNECTED)
			return fail("ConnectNamedPipe");
		fprintf(stderr, "connected\n");
	} else {
		for (int i = 0;; i++) {
			h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL,
			    OPEN_EXISTING, 0, NULL);
			if (h == INVALID_HANDLE_VALUE && GetLastError() == ERROR_ACCESS_DENIED)
				h = CreateFileW(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
			if (h != INVALID_HANDLE_VALUE)
				break;
			if (i == 1000)
				return fail("CreateFile");
			Sleep(10);
		}
		fprintf(stderr, "open\n");
	}
	fflush(stderr);
	Sleep((DWORD)strtoul(argv[3], NULL, 10));
	CloseHandle(h);
	return 0;
}
