/*
 * ref_client: the plainest named-pipe client, for bench/compare.sh: the
 * ceiling for any relay of a pipe under this system.
 *
 *   ref_client NAME            copy the pipe to stdout until it closes
 *   ref_client -u NAME         copy stdin to the pipe until stdin ends
 *   ref_client -o NAME         as the first, but the pipe opened overlapped
 *                              (one operation at a time, waited for at once),
 *                              to price overlapped I/O against synchronous
 *   ref_client -d NAME         both ways at once, a thread each (the minimal
 *                              full-duplex relay; the pipe is overlapped, so
 *                              the two threads' calls do not serialise)
 *   ref_client -p COUNT SIZE NAME   ping-pong COUNT messages of SIZE bytes
 *                              with an echoing server; prints
 *                              "rtt MEDIAN_US P99_US ROUND_TRIPS_PER_S"
 *
 * 64 KiB ReadFile/WriteFile, as in the Windows SDK's named pipe client.
 */
#include "ref.h"

static HANDLE pipe_h;

/* One overlapped operation, waited for at once: synchronous in effect. */
static BOOL
ov_io(int rd, char *buf, DWORD len, DWORD *n, HANDLE ev)
{
	OVERLAPPED ov;
	ZeroMemory(&ov, sizeof ov);
	ov.hEvent = ev;
	BOOL ok = rd ? ReadFile(pipe_h, buf, len, NULL, &ov)
	    : WriteFile(pipe_h, buf, len, NULL, &ov);
	if (!ok && GetLastError() != ERROR_IO_PENDING &&
	    GetLastError() != ERROR_MORE_DATA)
		return FALSE;
	return GetOverlappedResult(pipe_h, &ov, n, TRUE);
}

/* Pipe -> stdout, overlapped pipe. */
static DWORD WINAPI
down_ov(LPVOID unused)
{
	static char buf[REF_CHUNK];
	HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	(void)unused;
	for (;;) {
		DWORD n;
		if (!ov_io(1, buf, sizeof buf, &n, ev)) {
			if (GetLastError() == ERROR_MORE_DATA)
				continue;
			break;  /* EOF (broken pipe) or an error: the end either way */
		}
		if (n > 0 && ref_write_all(out, buf, n) != 0)
			break;
	}
	return 0;
}

/* Stdin -> pipe, overlapped pipe. */
static DWORD WINAPI
up_ov(LPVOID unused)
{
	static char buf[REF_CHUNK];
	HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	(void)unused;
	for (;;) {
		DWORD n, w;
		if (!ReadFile(in, buf, sizeof buf, &n, NULL) || n == 0)
			break;
		for (DWORD off = 0; off < n; off += w)
			if (!ov_io(0, buf + off, n - off, &w, ev))
				return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char mode = 0;
	int i = 1;
	long count = 0;
	DWORD size = 0;

	if (i < argc && argv[i][0] == '-') {
		mode = argv[i][1];
		i++;
		if (mode == 'p' && i + 2 < argc) {
			count = atol(argv[i]);
			size = (DWORD)atol(argv[i + 1]);
			i += 2;
		}
	}
	if (i + 1 != argc || (mode && !strchr("uodp", mode)) ||
	    (mode == 'p' && (count < 1 || size < 1))) {
		fprintf(stderr, "usage: ref_client [-u|-o|-d|-p COUNT SIZE] NAME\n");
		return 2;
	}
	int ov = mode == 'o' || mode == 'd';
	pipe_h = CreateFileW(ref_pipe_path(argv[i]), GENERIC_READ | GENERIC_WRITE,
	    0, NULL, OPEN_EXISTING, ov ? FILE_FLAG_OVERLAPPED : 0, NULL);
	if (pipe_h == INVALID_HANDLE_VALUE)
		ref_fail("CreateFile");

	switch (mode) {
	case 0:
		ref_copy(pipe_h, GetStdHandle(STD_OUTPUT_HANDLE), 1, "pipe to stdout");
		break;
	case 'u':
		ref_copy(GetStdHandle(STD_INPUT_HANDLE), pipe_h, 0, "stdin to pipe");
		FlushFileBuffers(pipe_h);
		break;
	case 'o':
		down_ov(NULL);
		break;
	case 'd': {
		/* The relay ends when the server closes, as pipecat's does. */
		HANDLE t = CreateThread(NULL, 0, up_ov, NULL, 0, NULL);
		if (t == NULL)
			ref_fail("CreateThread");
		down_ov(NULL);
		break;
	}
	case 'p':
		ref_ping(pipe_h, count, size);
		break;
	}
	CloseHandle(pipe_h);
	return 0;
}
