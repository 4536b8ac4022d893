/*
 * brokerpeer: one client of `pipecat serve -b`, for the broker tests.
 *
 *   brokerpeer NAME ID PEERS LINES
 *
 * Connects to \\.\pipe\NAME, waits for a line "GO" (sent by the test through
 * the broker's stdin), then sends LINES lines "ID:SEQ\n" while reading
 * everything that arrives, until it has LINES lines from each of the other
 * PEERS-1 clients. Exits 0 and prints "ID ok" if it got exactly those, in
 * order per sender, and none of its own; else prints what was wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static HANDLE h;
static int id, lines;

static DWORD WINAPI
sender(LPVOID arg)
{
	(void)arg;
	char buf[64];
	for (int i = 0; i < lines; i++) {
		DWORD n, len = (DWORD)snprintf(buf, sizeof buf, "%d:%d\n", id, i);
		if (!WriteFile(h, buf, len, &n, NULL))
			return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: brokerpeer NAME ID PEERS LINES\n");
		return 2;
	}
	wchar_t path[300], name[256];
	MultiByteToWideChar(CP_UTF8, 0, argv[1], -1, name, 256);
	swprintf(path, 300, L"\\\\.\\pipe\\%ls", name);
	id = atoi(argv[2]);
	int peers = atoi(argv[3]);
	lines = atoi(argv[4]);
	for (int tries = 0;; tries++) {
		h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
		if (h != INVALID_HANDLE_VALUE)
			break;
		if (tries > 200) {
			printf("%d: open: error %lu\n", id, GetLastError());
			return 1;
		}
		if (GetLastError() == ERROR_PIPE_BUSY)
			WaitNamedPipeW(path, 100);
		else
			Sleep(50);
	}
	int *next = calloc((size_t)peers, sizeof *next);
	int total = 0, want = (peers - 1) * lines, go = 0, bad = 0;
	char line[128];
	size_t ll = 0;
	char buf[65536];
	HANDLE t = NULL;
	while (total < want || !go) {
		DWORD n;
		if (!ReadFile(h, buf, sizeof buf, &n, NULL)) {
			printf("%d: read: error %lu after %d lines\n", id, GetLastError(), total);
			return 1;
		}
		for (DWORD i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof line - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = '\0';
			ll = 0;
			if (strcmp(line, "GO") == 0) {
				go = 1;
				t = CreateThread(NULL, 0, sender, NULL, 0, NULL);
				continue;
			}
			int from, seq;
			if (sscanf(line, "%d:%d", &from, &seq) != 2 || from < 0 || from >= peers) {
				printf("%d: unexpected line \"%s\"\n", id, line);
				bad = 1;
				continue;
			}
			if (from == id) {
				printf("%d: got its own line %d back\n", id, seq);
				bad = 1;
			} else if (seq != next[from]) {
				printf("%d: from %d got %d, expected %d\n", id, from, seq, next[from]);
				bad = 1;
			}
			next[from] = seq + 1;
			total++;
		}
	}
	if (t != NULL) {
		WaitForSingleObject(t, INFINITE);
	}
	if (!bad)
		printf("%d ok %d lines\n", id, total);
	fflush(stdout);
	/* Stay until the test says so (stdin EOF), so that no client leaves
	 * before the others have everything. */
	DWORD n;
	while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof buf, &n, NULL) && n > 0)
		;
	CloseHandle(h);
	return bad;
}
