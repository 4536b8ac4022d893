/*
 * sock: the TCP side of a bridge, in Winsock: start-up, name resolution,
 * connecting (every address in turn), listening and accepting, and the
 * exit status a Winsock error deserves (man/pipecat.1, EXIT STATUS).
 *
 * Every socket is made with WSA_FLAG_OVERLAPPED, so that, cast to a HANDLE,
 * it is what pump.h's pumps read with ReadFile and an OVERLAPPED, as they
 * do pipes (the Winsock docs allow this for the base providers), and write
 * with WSASend (sock_write_ov). Waits that could block (connect, accept)
 * are WSAEventSelect events waited on beside a cancel event, so Ctrl-C
 * ends them; the socket is made blocking again before it is handed on.
 * Like every module, sock fills an error buffer and never prints.
 */
#ifndef PIPECAT_SOCK_H
#define PIPECAT_SOCK_H

#include <stddef.h>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

/* Loads Winsock and starts it (WSAStartup 2.2), once; every other
 * function here needs it first. Returns 0, or -1 with a message in ERR. */
int sock_init(char *err, size_t errlen);

/* The exit status for a Winsock error: 3 refused, unreachable or no such
 * host; 4 timed out; 5 access denied or address in use; else 1. */
int sock_exit_code(DWORD e);

/* Nonzero for the errors that mean the peer closed or reset the
 * connection, as winerr_is_gone does for pipes. */
int sock_is_reset(DWORD e);

/*
 * Connects to HOST:PORT, trying each address getaddrinfo gives, in its
 * order, until one accepts; CANCEL (an event) ends the wait. WHAT prefixes
 * messages ("bridge tcp:HOST:PORT"). Returns the connected socket, or
 * INVALID_SOCKET with ERR filled and *STATUS the exit status (EXIT_INTR
 * when cancelled). With several addresses the error is the last one's.
 */
SOCKET sock_connect(const char *host, unsigned port, HANDLE cancel,
    const char *what, int *status, char *err, size_t errlen);

/*
 * A pump's dst_write for a socket H (pump.h): WSASend of DATA[0..LEN) with
 * OV, as WriteFile would be called. Not WriteFile itself: in Wine 8 an
 * overlapped WriteFile on a socket that has to wait is resumed by the
 * receive code (ntdll's sock_write gives it async_recv_proc, fixed in Wine
 * 10), which reads the socket instead of writing it: with nothing to read
 * the write never completes and its thread spins (tests/t1020).
 */
BOOL sock_write_ov(HANDLE h, const void *data, DWORD len, OVERLAPPED *ov);

/* Sends all of DATA[0..LEN) on S, blocking. Returns 0 or the error. */
DWORD sock_send_all(SOCKET s, const void *data, size_t len);

struct sock_listener {
	SOCKET s;
	WSAEVENT ev;            /* FD_ACCEPT */
	char text[300];         /* "tcp-listen:ADDR:PORT", the port as bound */
	int loopback;           /* bound to a loopback address */
};

/* Listens on HOST:PORT (PORT 0: the system chooses; l->text says which).
 * Returns 0, or -1 with ERR and *STATUS. */
int sock_listen(struct sock_listener *l, const char *host, unsigned port,
    const char *what, int *status, char *err, size_t errlen);

/*
 * Waits for the next connection, or for CANCEL. Returns the accepted
 * socket (blocking mode, overlapped) with its peer as "ADDR:PORT" in PEER,
 * or INVALID_SOCKET with *E the Winsock error, or ERROR_OPERATION_ABORTED
 * when CANCEL was set.
 */
SOCKET sock_accept(struct sock_listener *l, HANDLE cancel, char *peer,
    size_t peerlen, DWORD *e);

void sock_listener_close(struct sock_listener *l);

/* shutdown(SD_SEND): the peer reads EOF after every byte sent. Returns 0
 * or the error. */
DWORD sock_shutdown_send(SOCKET s);

/* closesocket. */
void sock_close(SOCKET s);

/* Peer of S as "ADDR:PORT" (IPv6 in brackets). */
void sock_peer_text(SOCKET s, char *buf, size_t len);

#endif
