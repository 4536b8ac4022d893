/*
 * squat: another process of the same user that takes one instance of a
 * pipe someone else serves, as the pipe's DACL allows it to.
 *
 *     squat NAME MAX-INSTANCES MS
 *
 * Waits for \\.\pipe\NAME to exist, creates one more instance of it (with
 * the server's instance limit, as CreateNamedPipe requires), prints
 * "squatting", holds the instance for MS milliseconds and closes it. Exit
 * 0, or 1 with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include <windows.h>

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: squat NAME MAX-INSTANCES MS\n");
		return 2;
	}
	wchar_t name[300];
	swprintf(name, 300, L"\\\\.\\pipe\\%hs", argv[1]);
	for (int i = 0; i < 2000; i++) {
		if (WaitNamedPipeW(name, 1) || GetLastError() != ERROR_FILE_NOT_FOUND)
			break;
		Sleep(10);
	}
	HANDLE h = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX,
	    PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT,
	    (DWORD)atoi(argv[2]), 4096, 4096, 0, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		fprintf(stderr, "squat: CreateNamedPipe: error %lu\n", GetLastError());
		return 1;
	}
	printf("squatting\n");
	fflush(stdout);
	Sleep((DWORD)atoi(argv[3]));
	CloseHandle(h);
	return 0;
}
