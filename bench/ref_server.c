/*
 * ref_server: the plainest named-pipe server, for bench/compare.sh.
 *
 *   ref_server send NAME BYTES    serve NAME, write BYTES to the client
 *   ref_server recv NAME          serve NAME, read until the client closes
 *   ref_server echo NAME          serve NAME, write back whatever is read
 *   ref_server stdin NAME         serve NAME, copy stdin to the client
 *   ref_server stdout NAME        serve NAME, copy the client to stdout
 *   ref_server ping NAME COUNT SIZE   serve NAME, ping-pong with the client
 *   ref_server both NAME BYTES    serve NAME, send BYTES and receive BYTES
 *                                 at once (a thread each; overlapped pipe)
 *
 * One byte-type instance with 64 KiB buffers, synchronous handle, 64 KiB
 * ReadFile/WriteFile: the CreateNamedPipe sample's loop. It says "ready" on
 * stderr once the pipe exists. send and recv time the transfer from the
 * client's connection to the last byte (send: FlushFileBuffers, which
 * returns once the client has read everything) and print
 *   "bytes N seconds S MiB/s R"
 * on stdout, so that clients are timed by the same clock and without their
 * process start-up; both prints one such line per direction, "up" (from
 * the client) and "down".
 */
#include "ref.h"

static void
report(const char *what, unsigned long long bytes, double t0)
{
	double s = (ref_now_us() - t0) / 1e6;
	printf("%sbytes %llu seconds %.6f MiB/s %.1f\n", what, bytes, s,
	    (double)bytes / 1048576.0 / s);
	fflush(stdout);
}

/* both: the two directions, each on its own thread and OVERLAPPED. */
static HANDLE both_h;
static unsigned long long both_bytes;
static double both_t0;

static DWORD
ov_io(int rd, char *buf, DWORD len, DWORD *n, HANDLE ev)
{
	OVERLAPPED o;
	ZeroMemory(&o, sizeof o);
	o.hEvent = ev;
	BOOL ok = rd ? ReadFile(both_h, buf, len, NULL, &o)
	    : WriteFile(both_h, buf, len, NULL, &o);
	if (!ok && GetLastError() != ERROR_IO_PENDING)
		return GetLastError();
	return GetOverlappedResult(both_h, &o, n, TRUE) ? 0 : GetLastError();
}

static DWORD WINAPI
both_send(LPVOID unused)
{
	static char buf[REF_CHUNK];
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	unsigned long long left = both_bytes;
	(void)unused;
	while (left > 0) {
		DWORD n, k = left < sizeof buf ? (DWORD)left : (DWORD)sizeof buf;
		if (ov_io(0, buf, k, &n, ev) != 0)
			break;
		left -= n;
	}
	report("down ", both_bytes - left, both_t0);
	return 0;
}

static void
both_recv(void)
{
	static char buf[REF_CHUNK];
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	unsigned long long got = 0;
	while (got < both_bytes) {
		DWORD n;
		if (ov_io(1, buf, sizeof buf, &n, ev) != 0)
			break;
		got += n;
	}
	report("up ", got, both_t0);
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ref_server send|recv|echo|stdin|stdout|ping|both NAME [ARGS]\n");
		return 2;
	}
	const char *mode = argv[1];
	int ov = strcmp(mode, "both") == 0;
	HANDLE h = ref_serve(argv[2], ov);
	double t0 = ref_now_us();

	if (strcmp(mode, "send") == 0 && argc == 4) {
		static char buf[REF_CHUNK];
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (char)(i * 7 + (i >> 8));
		unsigned long long left = strtoull(argv[3], NULL, 10), sent = 0;
		while (left > 0) {
			DWORD k = left < sizeof buf ? (DWORD)left : (DWORD)sizeof buf;
			if (ref_write_all(h, buf, k) != 0)
				break;
			sent += k;
			left -= k;
		}
		FlushFileBuffers(h);
		report("", sent, t0);
	} else if (strcmp(mode, "recv") == 0) {
		report("", ref_copy(h, NULL, 1, "recv"), t0);
	} else if (strcmp(mode, "echo") == 0) {
		ref_copy(h, h, 1, "echo");
	} else if (strcmp(mode, "stdin") == 0) {
		ref_copy(GetStdHandle(STD_INPUT_HANDLE), h, 0, "stdin");
		FlushFileBuffers(h);
	} else if (strcmp(mode, "stdout") == 0) {
		ref_copy(h, GetStdHandle(STD_OUTPUT_HANDLE), 1, "stdout");
	} else if (ov && argc == 4) {
		both_h = h;
		both_bytes = strtoull(argv[3], NULL, 10);
		both_t0 = t0;
		HANDLE t = CreateThread(NULL, 0, both_send, NULL, 0, NULL);
		if (t == NULL)
			ref_fail("CreateThread");
		both_recv();
		WaitForSingleObject(t, INFINITE);
		FlushFileBuffers(h);
	} else if (strcmp(mode, "ping") == 0 && argc == 5) {
		ref_ping(h, atol(argv[3]), (DWORD)atol(argv[4]));
	} else {
		fprintf(stderr, "ref_server: bad mode or arguments\n");
		return 2;
	}
	CloseHandle(h);
	return 0;
}
