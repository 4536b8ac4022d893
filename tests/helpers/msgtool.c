/*
 * msgtool: an independent message-mode pipe peer for pipecat's tests.
 *
 *   msgtool serve-send NAME SIZE...  serve a message pipe, send messages
 *   msgtool serve-recv NAME          serve a message pipe, print each message's size
 *   msgtool serve-send-wait NAME SIZE...  as serve-send, then wait for one
 *                                    message from the client before closing
 *   msgtool send NAME SIZE...        connect, send messages in message mode
 *   msgtool recv NAME                connect, print each message's size
 *   msgtool xfer NAME SIZE...        connect, send messages, then a zero-length
 *                                    one (the half-close of go-winio's
 *                                    CloseWrite); write what comes back to
 *                                    stdout until a zero-length message
 *                                    ("eof" on stderr), then expect the close
 *                                    ("closed"); anything else fails
 *   msgtool send-eof NAME SIZE...    connect, send messages and a zero-length
 *                                    one, and close without reading
 *   msgtool gen SIZE...              the bytes those messages hold, on stdout
 *
 * Message k's byte j is pattern(k, j), so a receiver can check content too.
 * Servers print "ready" on stderr once the pipe exists. Synchronous I/O on
 * purpose: this is the plain way a Windows program uses a message pipe.
 */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static unsigned char
pattern(int k, DWORD j)
{
	return (unsigned char)(k * 7 + (int)(j * 13) + (int)(j >> 8));
}

static void
fail(const char *what)
{
	fprintf(stderr, "msgtool: %s: error %lu\n", what, GetLastError());
	exit(1);
}

static wchar_t *
pipe_path(const char *name)
{
	static wchar_t w[300];
	wchar_t n[256];
	MultiByteToWideChar(CP_UTF8, 0, name, -1, n, 256);
	swprintf(w, 300, L"\\\\.\\pipe\\%ls", n);
	return w;
}

static HANDLE
serve(const char *name)
{
	HANDLE h = CreateNamedPipeW(pipe_path(name), PIPE_ACCESS_DUPLEX,
	    PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1,
	    4096, 4096, 0, NULL);
	if (h == INVALID_HANDLE_VALUE)
		fail("CreateNamedPipe");
	fprintf(stderr, "ready\n");
	fflush(stderr);
	if (!ConnectNamedPipe(h, NULL) && GetLastError() != ERROR_PIPE_CONNECTED)
		fail("ConnectNamedPipe");
	return h;
}

static HANDLE
connect_to(const char *name)
{
	for (int tries = 0; tries < 400; tries++) {
		HANDLE h = CreateFileW(pipe_path(name), GENERIC_READ | GENERIC_WRITE,
		    0, NULL, OPEN_EXISTING, 0, NULL);
		if (h != INVALID_HANDLE_VALUE) {
			DWORD mode = PIPE_READMODE_MESSAGE;
			if (!SetNamedPipeHandleState(h, &mode, NULL, NULL))
				fail("SetNamedPipeHandleState");
			return h;
		}
		if (GetLastError() == ERROR_PIPE_BUSY)
			WaitNamedPipeW(pipe_path(name), 100);
		else
			Sleep(50);
	}
	fail("CreateFile");
	return NULL;
}

static void
send_all(HANDLE h, int argc, char **argv)
{
	for (int k = 0; k < argc; k++) {
		DWORD len = (DWORD)strtoul(argv[k], NULL, 10), n;
		unsigned char *b = malloc(len + 1);
		for (DWORD j = 0; j < len; j++)
			b[j] = pattern(k, j);
		if (!WriteFile(h, b, len, &n, NULL) || n != len)
			fail("WriteFile");
		free(b);
	}
	FlushFileBuffers(h);
}

/* The half-close of a message pipe: one write of nothing. */
static void
send_eof(HANDLE h)
{
	DWORD n;
	if (!WriteFile(h, "", 0, &n, NULL))
		fail("WriteFile of 0 bytes");
}

/* xfer: the answer to stdout up to the peer's zero-length message, then
 * the peer's close. */
static void
recv_answer(HANDLE h)
{
	HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
	static unsigned char b[1 << 16];
	int eof = 0;
	/* "eof" and "closed" end in "\n" alone, as the sizes do. */
	_setmode(_fileno(stderr), _O_BINARY);
	for (;;) {
		DWORD n = 0, w;
		BOOL ok = ReadFile(h, b, sizeof b, &n, NULL);
		DWORD e = ok ? 0 : GetLastError();
		if (e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED) {
			fprintf(stderr, eof ? "closed\n" : "closed before a zero-length message\n");
			exit(eof ? 0 : 1);
		}
		if (e != 0 && e != ERROR_MORE_DATA)
			fail("ReadFile");
		if (eof) {
			fprintf(stderr, "msgtool: %lu bytes after the zero-length message\n", n);
			exit(1);
		}
		if (n == 0 && e == 0) {
			fprintf(stderr, "eof\n");
			fflush(stderr);
			eof = 1;
			continue;
		}
		if (!WriteFile(out, b, n, &w, NULL) || w != n)
			fail("WriteFile stdout");
	}
}

/* Prints "SIZE ok|bad" per message until the peer closes. */
static void
recv_all(HANDLE h)
{
	DWORD cap = 1 << 16, len = 0, n;
	unsigned char *b = malloc(cap);
	for (;;) {
		BOOL ok = ReadFile(h, b + len, cap - len, &n, NULL);
		DWORD e = ok ? 0 : GetLastError();
		len += n;
		if (e == ERROR_MORE_DATA) {
			cap *= 2;
			b = realloc(b, cap);
			continue;
		}
		if (e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED)
			break;
		if (e != 0)
			fail("ReadFile");
		printf("%lu\n", len);
		fflush(stdout);
		len = 0;
	}
}

int
main(int argc, char **argv)
{
	/* Sizes are printed as "N\n", not "N\r\n", so tests compare them as is. */
	_setmode(_fileno(stdout), _O_BINARY);
	if (argc >= 2 && strcmp(argv[1], "gen") == 0) {
		HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
		for (int k = 0; k < argc - 2; k++) {
			DWORD len = (DWORD)strtoul(argv[k + 2], NULL, 10), n;
			unsigned char *b = malloc(len + 1);
			for (DWORD j = 0; j < len; j++)
				b[j] = pattern(k, j);
			WriteFile(out, b, len, &n, NULL);
			free(b);
		}
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: msgtool serve-send|serve-recv|send|recv|xfer|send-eof|gen NAME [SIZE...]\n");
		return 2;
	}
	HANDLE h;
	if (strcmp(argv[1], "serve-send") == 0) {
		h = serve(argv[2]);
		send_all(h, argc - 3, argv + 3);
	} else if (strcmp(argv[1], "serve-send-wait") == 0) {
		h = serve(argv[2]);
		send_all(h, argc - 3, argv + 3);
		char one[65536];
		DWORD n;
		if (!ReadFile(h, one, sizeof one, &n, NULL) && GetLastError() != ERROR_MORE_DATA)
			fail("ReadFile");
	} else if (strcmp(argv[1], "serve-recv") == 0) {
		h = serve(argv[2]);
		recv_all(h);
	} else if (strcmp(argv[1], "send") == 0) {
		h = connect_to(argv[2]);
		send_all(h, argc - 3, argv + 3);
	} else if (strcmp(argv[1], "recv") == 0) {
		h = connect_to(argv[2]);
		recv_all(h);
	} else if (strcmp(argv[1], "xfer") == 0) {
		h = connect_to(argv[2]);
		send_all(h, argc - 3, argv + 3);
		send_eof(h);
		recv_answer(h);
	} else if (strcmp(argv[1], "send-eof") == 0) {
		h = connect_to(argv[2]);
		send_all(h, argc - 3, argv + 3);
		send_eof(h);
		FlushFileBuffers(h);
	} else {
		fprintf(stderr, "msgtool: unknown command %s\n", argv[1]);
		return 2;
	}
	CloseHandle(h);
	return 0;
}
