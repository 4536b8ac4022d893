/*
 * ref_bridge: the plainest pipe <-> TCP relay, for bench/bridge.sh: the
 * ceiling for pipecat bridge under this system.
 *
 *   ref_bridge pipe NAME PORT   serve \\.\pipe\NAME; once a client comes,
 *                               connect 127.0.0.1:PORT and relay
 *   ref_bridge tcp NAME         listen on 127.0.0.1 (a port the system
 *                               chooses, printed as "port N" on stderr);
 *                               once a client comes, open NAME and relay
 *
 * A thread per direction, 64 KiB ReadFile (pipe) / recv (socket) and
 * WriteFile / send, as the SDK samples do; the pipe is overlapped so that
 * the two threads' calls on it do not serialise, each operation waited for
 * at once. A pipe's EOF becomes shutdown(SD_SEND); the first direction to
 * end ends the relay, as bridge -q 0 does.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "ref.h"

static HANDLE pipe_h;
static SOCKET sock;
static HANDLE ended;

static void
sock_fail(const char *what)
{
	fprintf(stderr, "ref: %s: error %d\n", what, WSAGetLastError());
	exit(1);
}

static DWORD WINAPI
pipe_to_sock(LPVOID unused)
{
	static char buf[REF_CHUNK];
	OVERLAPPED ov;
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	(void)unused;
	for (;;) {
		DWORD n = 0;
		ZeroMemory(&ov, sizeof ov);
		ov.hEvent = ev;
		if ((!ReadFile(pipe_h, buf, sizeof buf, NULL, &ov) &&
		    GetLastError() != ERROR_IO_PENDING) ||
		    !GetOverlappedResult(pipe_h, &ov, &n, TRUE))
			break;          /* the pipe's client closed */
		for (DWORD off = 0; off < n;) {
			int k = send(sock, buf + off, (int)(n - off), 0);
			if (k == SOCKET_ERROR)
				goto out;
			off += (DWORD)k;
		}
	}
	shutdown(sock, SD_SEND);
out:
	SetEvent(ended);
	return 0;
}

static DWORD WINAPI
sock_to_pipe(LPVOID unused)
{
	static char buf[REF_CHUNK];
	OVERLAPPED ov;
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	(void)unused;
	for (;;) {
		int k = recv(sock, buf, sizeof buf, 0);
		if (k <= 0)
			break;
		DWORD n = 0;
		ZeroMemory(&ov, sizeof ov);
		ov.hEvent = ev;
		if ((!WriteFile(pipe_h, buf, (DWORD)k, NULL, &ov) &&
		    GetLastError() != ERROR_IO_PENDING) ||
		    !GetOverlappedResult(pipe_h, &ov, &n, TRUE))
			break;
	}
	SetEvent(ended);
	return 0;
}

int
main(int argc, char **argv)
{
	WSADATA wd;
	if (argc < 3 || WSAStartup(MAKEWORD(2, 2), &wd) != 0) {
		fprintf(stderr, "usage: ref_bridge pipe NAME PORT | tcp NAME\n");
		return 2;
	}
	struct sockaddr_in a;
	ZeroMemory(&a, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (strcmp(argv[1], "pipe") == 0 && argc == 4) {
		pipe_h = ref_serve(argv[2], 1);
		if ((sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET)
			sock_fail("socket");
		a.sin_port = htons((u_short)atoi(argv[3]));
		if (connect(sock, (struct sockaddr *)&a, sizeof a) != 0)
			sock_fail("connect");
	} else if (strcmp(argv[1], "tcp") == 0 && argc == 3) {
		SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
		int alen = sizeof a;
		if (l == INVALID_SOCKET || bind(l, (struct sockaddr *)&a, sizeof a) != 0 ||
		    listen(l, 1) != 0 || getsockname(l, (struct sockaddr *)&a, &alen) != 0)
			sock_fail("listen");
		fprintf(stderr, "port %u\n", ntohs(a.sin_port));
		fflush(stderr);
		if ((sock = accept(l, NULL, NULL)) == INVALID_SOCKET)
			sock_fail("accept");
		pipe_h = CreateFileW(ref_pipe_path(argv[2]), GENERIC_READ | GENERIC_WRITE,
		    0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
		if (pipe_h == INVALID_HANDLE_VALUE)
			ref_fail("CreateFile");
	} else {
		fprintf(stderr, "usage: ref_bridge pipe NAME PORT | tcp NAME\n");
		return 2;
	}
	ended = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (CreateThread(NULL, 0, pipe_to_sock, NULL, 0, NULL) == NULL ||
	    CreateThread(NULL, 0, sock_to_pipe, NULL, 0, NULL) == NULL)
		ref_fail("CreateThread");
	WaitForSingleObject(ended, INFINITE);
	closesocket(sock);
	CloseHandle(pipe_h);
	return 0;
}
