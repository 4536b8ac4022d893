/*
 * pipeload: many clients against an echo server, for serve's load tests.
 *
 *   pipeload NAME CLIENTS BYTES [sequential] [eof-message] [reversed] [send|close]
 *
 * Each client (a thread; one after another with "sequential") opens
 * \\.\pipe\NAME, sends BYTES of its own pseudo-random data from a writer
 * thread while reading the echo, checks that exactly its bytes came back,
 * and closes. A client that finds every instance busy counts one "busy"
 * and waits (WaitNamedPipe) before trying again.
 *
 * With "eof-message" the pipe is a message pipe, and each client is a
 * request and its answer: it sends its bytes as 64 KiB messages, then a
 * zero-length message (its half-close), then reads messages until a
 * zero-length one, and wants the server's close after it. With "reversed"
 * the answer must be the bytes sent, reversed. With "send" (for `serve -k`,
 * which echoes nothing) a client only writes its bytes, waits until the
 * server has read them (FlushFileBuffers) and closes; the server's output
 * then holds CLIENTS * BYTES bytes. "close" is "send" without the wait: the
 * client closes as soon as its bytes are in the pipe. Prints one line:
 *   clients=N ok=N failed=N busy=N bytes=N ms=N
 * and exits 0 only if every client got its own bytes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static wchar_t path[300];
static unsigned long nbytes;
static int eof_message, reversed, send_only, close_early;
static volatile LONG ok_count, fail_count, busy_count;

struct client {
	unsigned long id;
	HANDLE h;
	unsigned char *data;
};

static unsigned char
byte_of(unsigned long id, unsigned long i)
{
	unsigned long x = (id + 1) * 2654435761u ^ (i * 40503u) ^ (i >> 7);
	return (unsigned char)(x ^ (x >> 11));
}

static DWORD WINAPI
writer(LPVOID arg)
{
	struct client *c = arg;
	unsigned long off = 0;
	while (off < nbytes) {
		DWORD n, k = nbytes - off > 65536 ? 65536 : (DWORD)(nbytes - off);
		if (!WriteFile(c->h, c->data + off, k, &n, NULL))
			return 1;
		off += n;
	}
	return 0;
}

static DWORD WINAPI
run_client(LPVOID arg)
{
	struct client *c = arg;
	for (;;) {
		c->h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL,
		    OPEN_EXISTING, 0, NULL);
		if (c->h != INVALID_HANDLE_VALUE)
			break;
		DWORD e = GetLastError();
		if (e != ERROR_PIPE_BUSY) {
			fprintf(stderr, "pipeload: client %lu: open: error %lu\n", c->id, e);
			InterlockedIncrement(&fail_count);
			return 1;
		}
		InterlockedIncrement(&busy_count);
		WaitNamedPipeW(path, 10000);
	}
	c->data = malloc(nbytes + 1);
	unsigned char *got = malloc(nbytes + 65536);
	if (c->data == NULL || got == NULL) {
		fprintf(stderr, "pipeload: client %lu: out of memory\n", c->id);
		InterlockedIncrement(&fail_count);
		CloseHandle(c->h);
		free(c->data);
		free(got);
		return 1;
	}
	for (unsigned long i = 0; i < nbytes; i++)
		c->data[i] = byte_of(c->id, i);
	if (send_only) {
		DWORD rc = writer(c);
		if (rc != 0)
			fprintf(stderr, "pipeload: client %lu: write: error %lu\n",
			    c->id, GetLastError());
		/*
		 * Until the server has read it all (FlushFileBuffers on a pipe
		 * waits for that), so that the client is known to have been
		 * served; with "close" it leaves at once instead.
		 */
		if (rc == 0 && !close_early && !FlushFileBuffers(c->h)) {
			fprintf(stderr, "pipeload: client %lu: flush: error %lu\n",
			    c->id, GetLastError());
			rc = 1;
		}
		if (!CloseHandle(c->h) && rc == 0) {
			fprintf(stderr, "pipeload: client %lu: close: error %lu\n",
			    c->id, GetLastError());
			rc = 1;
		}
		InterlockedIncrement(rc == 0 ? &ok_count : &fail_count);
		free(got);
		free(c->data);
		return 0;
	}
	unsigned long have = 0;
	int ended = 1;          /* eof-message: the answer ended as it should */
	if (eof_message) {
		DWORD mode = PIPE_READMODE_MESSAGE, n;
		ended = SetNamedPipeHandleState(c->h, &mode, NULL, NULL) &&
		    writer(c) == 0 && WriteFile(c->h, "", 0, &n, NULL);
		/* The answer, up to its zero-length message; then the close. */
		while (ended) {
			BOOL ok = ReadFile(c->h, got + have, nbytes + 65536 - have, &n, NULL);
			if (!ok || have + n > nbytes) {
				ended = 0;
				break;
			}
			if (n == 0)
				break;
			have += n;
		}
		if (ended && (ReadFile(c->h, got, 1, &n, NULL) ||
		    (GetLastError() != ERROR_BROKEN_PIPE &&
		    GetLastError() != ERROR_PIPE_NOT_CONNECTED)))
			ended = 0;
	} else {
		HANDLE w = CreateThread(NULL, 0, writer, c, 0, NULL);
		while (have < nbytes) {
			DWORD n;
			if (!ReadFile(c->h, got + have, nbytes - have, &n, NULL)) {
				fprintf(stderr, "pipeload: client %lu: read: error %lu\n",
				    c->id, GetLastError());
				break;
			}
			have += n;
		}
		WaitForSingleObject(w, INFINITE);
		CloseHandle(w);
	}
	CloseHandle(c->h);
	if (reversed)
		for (unsigned long i = 0; i < have / 2; i++) {
			unsigned char t = got[i];
			got[i] = got[have - 1 - i];
			got[have - 1 - i] = t;
		}
	if (ended && have == nbytes && memcmp(got, c->data, nbytes) == 0) {
		InterlockedIncrement(&ok_count);
	} else {
		fprintf(stderr, "pipeload: client %lu: got %lu of %lu bytes%s%s\n",
		    c->id, have, nbytes, have == nbytes ? ", different" : "",
		    ended ? "" : ", not ended by a zero-length message and the close");
		InterlockedIncrement(&fail_count);
	}
	free(got);
	free(c->data);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: pipeload NAME CLIENTS BYTES [sequential] "
		    "[eof-message] [reversed] [send|close]\n");
		return 2;
	}
	wchar_t name[256];
	MultiByteToWideChar(CP_UTF8, 0, argv[1], -1, name, 256);
	swprintf(path, 300, L"\\\\.\\pipe\\%ls", name);
	unsigned long n = strtoul(argv[2], NULL, 10);
	nbytes = strtoul(argv[3], NULL, 10);
	int sequential = 0;
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "sequential") == 0)
			sequential = 1;
		else if (strcmp(argv[i], "eof-message") == 0)
			eof_message = 1;
		else if (strcmp(argv[i], "reversed") == 0)
			reversed = 1;
		else if (strcmp(argv[i], "send") == 0)
			send_only = 1;
		else if (strcmp(argv[i], "close") == 0)
			send_only = close_early = 1;
		else {
			fprintf(stderr, "pipeload: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	struct client *cs = calloc(n, sizeof *cs);
	HANDLE *ts = calloc(n, sizeof *ts);
	ULONGLONG t0 = GetTickCount64();
	for (unsigned long i = 0; i < n; i++) {
		cs[i].id = i;
		if (sequential) {
			run_client(&cs[i]);
		} else {
			ts[i] = CreateThread(NULL, 0, run_client, &cs[i], 0, NULL);
		}
	}
	if (!sequential)
		for (unsigned long i = 0; i < n; i++) {
			WaitForSingleObject(ts[i], INFINITE);
			CloseHandle(ts[i]);
		}
	printf("clients=%lu ok=%ld failed=%ld busy=%ld bytes=%lu ms=%llu\n", n,
	    ok_count, fail_count, busy_count, nbytes * n, GetTickCount64() - t0);
	return ok_count == (LONG)n ? 0 : 1;
}
