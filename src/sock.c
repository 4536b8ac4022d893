/*
 * sock: Winsock for the bridge; see sock.h.
 *
 * After OpenBSD nc's remote_connect()/local_listen() (resolve, then try
 * each address until one works) and the Winsock docs: WSAEventSelect puts a
 * socket in non-blocking mode, and a socket W.accept() returns inherits the
 * listener's event selection; both are undone (WSAEventSelect with no
 * events, then FIONBIO 0, in that order as its docs require) before a
 * socket is handed to a pump, whose overlapped reads must pend, not fail
 * with WSAEWOULDBLOCK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "addr.h"
#include "exitcode.h"
#include "sock.h"
#include "winerr.h"

/* The Winsock functions sock calls, bound at run time (see sock_init). */
#define WINSOCK_FUNCTIONS(X) \
	X(WSAStartup) \
	X(WSACleanup) \
	X(WSASocketW) \
	X(WSAGetLastError) \
	X(WSAEventSelect) \
	X(ioctlsocket) \
	X(WSACreateEvent) \
	X(WSACloseEvent) \
	X(WSAEnumNetworkEvents) \
	X(connect) \
	X(GetAddrInfoW) \
	X(FreeAddrInfoW) \
	X(GetNameInfoW) \
	X(getpeername) \
	X(getsockname) \
	X(setsockopt) \
	X(closesocket) \
	X(send) \
	X(WSASend) \
	X(bind) \
	X(listen) \
	X(accept) \
	X(shutdown)

#define WINSOCK_FIELD(name) __typeof__(&name) name;
static struct {
	WINSOCK_FUNCTIONS(WINSOCK_FIELD)
} W;
#undef WINSOCK_FIELD

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static DWORD startup_err;
static const char *startup_step;

/*
 * WS2_32 is loaded by bridge alone: imported, it and what it pulls in
 * (nsi, iphlpapi, ...) cost every pipecat process about 12 ms of start-up
 * under Wine (41 ms instead of 25 for `pipecat --version`, 50 runs). It is
 * loaded from the system directory only (LOAD_LIBRARY_SEARCH_SYSTEM32:
 * no planted ws2_32.dll beside the exe is ever taken), its functions kept
 * in W, then WSAStartup 2.2, once for the process.
 */
static BOOL CALLBACK
startup(PINIT_ONCE o, PVOID param, PVOID *ctx)
{
	(void)o, (void)param, (void)ctx;
	startup_step = "load ws2_32.dll";
	HMODULE m = LoadLibraryExW(L"ws2_32.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
	if (m == NULL) {
		startup_err = GetLastError();
		return TRUE;
	}
	/* FARPROC goes through void (*)(void), which converts to any other
	 * function pointer without a warning. */
#define WINSOCK_BIND(name) \
	if ((W.name = (__typeof__(&name))(void (*)(void))GetProcAddress(m, #name)) == NULL) { \
		startup_err = GetLastError(); \
		startup_step = "bind " #name " in ws2_32.dll"; \
		return TRUE; \
	}
	WINSOCK_FUNCTIONS(WINSOCK_BIND)
#undef WINSOCK_BIND
	startup_step = "start Winsock (WSAStartup 2.2)";
	WSADATA wd;
	int r = W.WSAStartup(MAKEWORD(2, 2), &wd);
	if (r == 0 && (LOBYTE(wd.wVersion) != 2 || HIBYTE(wd.wVersion) != 2)) {
		W.WSACleanup();
		r = WSAVERNOTSUPPORTED;
	}
	startup_err = (DWORD)r;
	return TRUE;
}

int
sock_init(char *err, size_t errlen)
{
	if (!InitOnceExecuteOnce(&once, startup, NULL, NULL)) {
		winerr_fmt(err, errlen, GetLastError(), "start Winsock");
		return -1;
	}
	if (startup_err != 0) {
		winerr_fmt(err, errlen, startup_err, "%s", startup_step);
		return -1;
	}
	return 0;
}

int
sock_exit_code(DWORD e)
{
	switch (e) {
	case WSAECONNREFUSED:
	case WSAEHOSTUNREACH:
	case WSAENETUNREACH:
	case WSAEHOSTDOWN:
	case WSAHOST_NOT_FOUND:
	case WSANO_DATA:
	case WSANO_RECOVERY:
		return EXIT_NOTFOUND;
	case WSAETIMEDOUT:
	case WSATRY_AGAIN:
		return EXIT_BUSY;
	case WSAEACCES:
	case WSAEADDRINUSE:
		return EXIT_DENIED;
	default:
		return EXIT_FAIL;
	}
}

int
sock_is_reset(DWORD e)
{
	/* ReadFile/WriteFile on a socket report a reset in Win32 terms. */
	return e == WSAECONNRESET || e == WSAECONNABORTED || e == WSAENETRESET ||
	    e == ERROR_NETNAME_DELETED || e == ERROR_CONNECTION_ABORTED;
}

/* Undoes WSAEventSelect: no events, then blocking mode again. */
static DWORD
make_blocking(SOCKET s)
{
	u_long off = 0;
	if (W.WSAEventSelect(s, NULL, 0) != 0 || W.ioctlsocket(s, FIONBIO, &off) != 0)
		return (DWORD)W.WSAGetLastError();
	return 0;
}

/* A socket for FAMILY: overlapped (the pumps), not inherited by children. */
static SOCKET
new_socket(int family, DWORD *e)
{
	SOCKET s = W.WSASocketW(family, SOCK_STREAM, IPPROTO_TCP,
	    NULL,       /* no protocol info: the first TCP provider */
	    0,          /* no socket group */
	    WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
	if (s == INVALID_SOCKET)
		*e = (DWORD)W.WSAGetLastError();
	return s;
}

/* Resolves HOST and PORT (numeric) for a stream socket; PASSIVE for bind. */
static int
resolve(const char *host, unsigned port, int passive, ADDRINFOW **res, DWORD *e)
{
	wchar_t wport[8];
	swprintf(wport, 8, L"%u", port);
	wchar_t *whost = utf8_to_wide(host);
	if (whost == NULL) {
		*e = ERROR_NOT_ENOUGH_MEMORY;
		return -1;
	}
	ADDRINFOW hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	int r = W.GetAddrInfoW(whost, wport, &hints, res);
	free(whost);
	if (r != 0) {
		*e = (DWORD)r;
		return -1;
	}
	return 0;
}

/* "ADDR:PORT" of SA, IPv6 in brackets. */
static void
sa_text(const struct sockaddr *sa, socklen_t salen, char *buf, size_t len)
{
	wchar_t wh[NI_MAXHOST], ws[NI_MAXSERV];
	if (W.GetNameInfoW(sa, salen, wh, NI_MAXHOST, ws, NI_MAXSERV,
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(buf, len, "unknown");
		return;
	}
	char *h = wide_to_utf8(wh);
	if (h == NULL) {
		snprintf(buf, len, "unknown");
		return;
	}
	unsigned port = (unsigned)wcstoul(ws, NULL, 10);
	char t[NI_MAXHOST + 16];
	addr_tcp_text("", h, port, t, sizeof t);
	snprintf(buf, len, "%s", t + 1);    /* without the prefix's colon */
	free(h);
}

void
sock_peer_text(SOCKET s, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	int sl = sizeof ss;
	if (W.getpeername(s, (struct sockaddr *)&ss, &sl) != 0)
		snprintf(buf, len, "unknown");
	else
		sa_text((struct sockaddr *)&ss, sl, buf, len);
}

/* Connects S to AI, waiting on CANCEL too. Returns 0, or the error
 * (ERROR_OPERATION_ABORTED when cancelled). */
static DWORD
connect_one(SOCKET s, const ADDRINFOW *ai, HANDLE cancel)
{
	WSAEVENT ev = W.WSACreateEvent();
	DWORD e = 0;
	if (ev == WSA_INVALID_EVENT)
		return (DWORD)W.WSAGetLastError();
	if (W.WSAEventSelect(s, ev, FD_CONNECT) != 0) {
		e = (DWORD)W.WSAGetLastError();
		goto out;
	}
	if (W.connect(s, ai->ai_addr, (int)ai->ai_addrlen) != 0) {
		e = (DWORD)W.WSAGetLastError();
		if (e != WSAEWOULDBLOCK)
			goto out;
		e = 0;
		HANDLE hs[2] = { ev, cancel };
		DWORD w = WaitForMultipleObjects(cancel != NULL ? 2 : 1, hs, FALSE, INFINITE);
		if (w == WAIT_OBJECT_0 + 1) {
			e = ERROR_OPERATION_ABORTED;
			goto out;
		}
		if (w != WAIT_OBJECT_0) {
			e = GetLastError();
			goto out;
		}
		WSANETWORKEVENTS ne;
		if (W.WSAEnumNetworkEvents(s, ev, &ne) != 0) {
			e = (DWORD)W.WSAGetLastError();
			goto out;
		}
		if (!(ne.lNetworkEvents & FD_CONNECT)) {
			e = WSAEWOULDBLOCK;     /* not documented to happen */
			goto out;
		}
		e = (DWORD)ne.iErrorCode[FD_CONNECT_BIT];
	}
out:
	if (e == 0)
		e = make_blocking(s);
	W.WSACloseEvent(ev);
	return e;
}

/* Small writes (a request, a key agent's answer) go out at once: a bridge
 * must not add Nagle's delay to a protocol that waits for replies. */
static void
no_delay(SOCKET s)
{
	BOOL on = TRUE;
	/* Only latency depends on it; a refusal is not worth failing for. */
	(void)W.setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&on, sizeof on);
}

SOCKET
sock_connect(const char *host, unsigned port, HANDLE cancel, const char *what,
    int *status, char *err, size_t errlen)
{
	ADDRINFOW *res = NULL;
	DWORD e = 0;

	if (resolve(host, port, 0, &res, &e) != 0) {
		winerr_fmt(err, errlen, e, "%s: resolve %s", what, host);
		*status = sock_exit_code(e);
		return INVALID_SOCKET;
	}
	SOCKET s = INVALID_SOCKET;
	for (const ADDRINFOW *ai = res; ai != NULL; ai = ai->ai_next) {
		if ((s = new_socket(ai->ai_family, &e)) == INVALID_SOCKET)
			continue;
		if ((e = connect_one(s, ai, cancel)) == 0)
			break;
		W.closesocket(s);
		s = INVALID_SOCKET;
		if (e == ERROR_OPERATION_ABORTED)
			break;
	}
	W.FreeAddrInfoW(res);
	if (s == INVALID_SOCKET) {
		if (e == ERROR_OPERATION_ABORTED) {
			*status = EXIT_INTR;
			snprintf(err, errlen, "%s: interrupted", what);
		} else {
			winerr_fmt(err, errlen, e, "%s: connect", what);
			*status = sock_exit_code(e);
		}
		return INVALID_SOCKET;
	}
	no_delay(s);
	return s;
}

BOOL
sock_write_ov(HANDLE h, const void *data, DWORD len, OVERLAPPED *ov)
{
	WSABUF b = { len, (char *)data };
	/* No count with an OVERLAPPED (the WSASend docs): the pump takes it
	 * from GetOverlappedResult, as for a write that pends. */
	if (W.WSASend((SOCKET)h, &b, 1, NULL, 0, ov, NULL) == 0)
		return TRUE;
	SetLastError((DWORD)W.WSAGetLastError());
	return FALSE;
}

DWORD
sock_send_all(SOCKET s, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		int n = W.send(s, p, len > 65536 ? 65536 : (int)len, 0);
		if (n == SOCKET_ERROR)
			return (DWORD)W.WSAGetLastError();
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
sock_listen(struct sock_listener *l, const char *host, unsigned port,
    const char *what, int *status, char *err, size_t errlen)
{
	ADDRINFOW *res = NULL;
	DWORD e = 0;
	const char *step = "resolve";

	memset(l, 0, sizeof *l);
	l->s = INVALID_SOCKET;
	l->ev = WSA_INVALID_EVENT;
	if (resolve(host, port, 1, &res, &e) != 0) {
		winerr_fmt(err, errlen, e, "%s: resolve %s", what, host);
		*status = sock_exit_code(e);
		return -1;
	}
	/* The first address only: one listener, as tcp-listen:ADDR names one. */
	const ADDRINFOW *ai = res;
	step = "socket";
	if ((l->s = new_socket(ai->ai_family, &e)) == INVALID_SOCKET)
		goto fail;
	/* Nobody else may bind the same port under us (the Winsock docs on
	 * port stealing): exclusive use. */
	BOOL on = TRUE;
	step = "set SO_EXCLUSIVEADDRUSE";
	if (W.setsockopt(l->s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on,
	    sizeof on) != 0) {
		e = (DWORD)W.WSAGetLastError();
		goto fail;
	}
	step = "bind";
	if (W.bind(l->s, ai->ai_addr, (int)ai->ai_addrlen) != 0) {
		e = (DWORD)W.WSAGetLastError();
		goto fail;
	}
	step = "listen";
	if (W.listen(l->s, SOMAXCONN) != 0) {
		e = (DWORD)W.WSAGetLastError();
		goto fail;
	}
	step = "wait for connections";
	if ((l->ev = W.WSACreateEvent()) == WSA_INVALID_EVENT ||
	    W.WSAEventSelect(l->s, l->ev, FD_ACCEPT) != 0) {
		e = (DWORD)W.WSAGetLastError();
		goto fail;
	}
	W.FreeAddrInfoW(res);

	struct sockaddr_storage ss;
	int sl = sizeof ss;
	char at[300];
	if (W.getsockname(l->s, (struct sockaddr *)&ss, &sl) == 0)
		sa_text((struct sockaddr *)&ss, sl, at, sizeof at);
	else
		snprintf(at, sizeof at, "%s:%u", host, port);
	snprintf(l->text, sizeof l->text, "tcp-listen:%s", at);
	l->loopback = addr_is_loopback(host);
	return 0;
fail:
	winerr_fmt(err, errlen, e, "%s: %s", what, step);
	*status = sock_exit_code(e);
	W.FreeAddrInfoW(res);
	sock_listener_close(l);
	return -1;
}

SOCKET
sock_accept(struct sock_listener *l, HANDLE cancel, char *peer, size_t peerlen,
    DWORD *e)
{
	for (;;) {
		struct sockaddr_storage ss;
		int sl = sizeof ss;
		SOCKET c = W.accept(l->s, (struct sockaddr *)&ss, &sl);
		if (c != INVALID_SOCKET) {
			if ((*e = make_blocking(c)) != 0) {
				W.closesocket(c);
				return INVALID_SOCKET;
			}
			/* Accepted sockets share the listener's attributes, and
			 * so are overlapped and not inherited. */
			no_delay(c);
			sa_text((struct sockaddr *)&ss, sl, peer, peerlen);
			return c;
		}
		*e = (DWORD)W.WSAGetLastError();
		/* A connection reset before it was accepted is the peer's
		 * business, not the listener's. */
		if (*e == WSAECONNRESET)
			continue;
		if (*e != WSAEWOULDBLOCK)
			return INVALID_SOCKET;
		HANDLE hs[2] = { l->ev, cancel };
		DWORD w = WaitForMultipleObjects(cancel != NULL ? 2 : 1, hs, FALSE, INFINITE);
		if (w == WAIT_OBJECT_0 + 1) {
			*e = ERROR_OPERATION_ABORTED;
			return INVALID_SOCKET;
		}
		if (w != WAIT_OBJECT_0) {
			*e = GetLastError();
			return INVALID_SOCKET;
		}
		WSANETWORKEVENTS ne;
		if (W.WSAEnumNetworkEvents(l->s, l->ev, &ne) != 0) {
			*e = (DWORD)W.WSAGetLastError();
			return INVALID_SOCKET;
		}
		if ((ne.lNetworkEvents & FD_ACCEPT) && ne.iErrorCode[FD_ACCEPT_BIT] != 0) {
			*e = (DWORD)ne.iErrorCode[FD_ACCEPT_BIT];
			return INVALID_SOCKET;
		}
	}
}

void
sock_listener_close(struct sock_listener *l)
{
	if (l->s != INVALID_SOCKET)
		W.closesocket(l->s);
	if (l->ev != WSA_INVALID_EVENT)
		W.WSACloseEvent(l->ev);
	l->s = INVALID_SOCKET;
	l->ev = WSA_INVALID_EVENT;
}

DWORD
sock_shutdown_send(SOCKET s)
{
	return W.shutdown(s, SD_SEND) == 0 ? 0 : (DWORD)W.WSAGetLastError();
}

void
sock_close(SOCKET s)
{
	W.closesocket(s);
}
