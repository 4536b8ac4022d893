/*
 * addr: parse and check a bridge ADDRESS (man/pipecat.1, "bridge") into
 * what the bridge needs to open it.
 *
 * Portable (no windows.h): unit-tested natively under ASan/UBSan. The forms
 * are socat's in shape, TYPE:REST, with "-" for stdio:
 *   -, stdio                 pipecat's stdin and stdout
 *   pipe:NAME                a pipe opened as a client (every NAME of connect)
 *   pipe-listen:NAME         a pipe hosted here (local names only)
 *   tcp:HOST:PORT            a TCP connection; an IPv6 HOST goes in brackets
 *   tcp-listen:[ADDR:]PORT   a TCP listener, on 127.0.0.1 unless ADDR is given;
 *                            PORT 0 lets the system choose
 *   assuan:FILE              gpg-agent's socket file (a port and a nonce)
 * Each broken rule has its own message, naming the address and the rule
 * (`tcp:host: a port is required (tcp:HOST:PORT)`).
 */
#ifndef PIPECAT_ADDR_H
#define PIPECAT_ADDR_H

#include <stddef.h>

#include "pipename.h"

enum addr_kind {
	ADDR_STDIO,
	ADDR_PIPE,
	ADDR_PIPE_LISTEN,
	ADDR_TCP,
	ADDR_TCP_LISTEN,
	ADDR_ASSUAN
};

/* A host name or address as getaddrinfo takes it: at most 253 bytes for a
 * DNS name, and an IPv6 literal with a zone fits well within. */
#define ADDR_HOST_MAX 255

struct addr {
	enum addr_kind kind;
	const char *text;               /* as given, for messages */
	struct pipename pipe;           /* ADDR_PIPE, ADDR_PIPE_LISTEN */
	char host[ADDR_HOST_MAX + 1];   /* ADDR_TCP, ADDR_TCP_LISTEN: brackets removed */
	int host_given;                 /* ADDR_TCP_LISTEN: ADDR was given */
	unsigned port;                  /* ADDR_TCP: 1..65535; ADDR_TCP_LISTEN: 0..65535 */
	const char *file;               /* ADDR_ASSUAN: the socket file's path */
};

/*
 * Parses IN (kept, not copied: it must outlive OUT) into OUT. Returns 0, or
 * -1 with a one-line message naming the rule broken in ERR.
 */
int addr_parse(const char *in, struct addr *out, char *err, size_t errlen);

/* Nonzero for the kinds that accept connections (pipe-listen, tcp-listen). */
int addr_listens(const struct addr *a);

/* Nonzero when HOST (no brackets) is a loopback address: 127.0.0.0/8, ::1,
 * or "localhost". A listener elsewhere is reachable by others. */
int addr_is_loopback(const char *host);

/* "tcp:HOST:PORT" with an IPv6 HOST in brackets, as the man page writes it. */
void addr_tcp_text(const char *prefix, const char *host, unsigned port,
    char *buf, size_t len);

/*
 * Reads gpg-agent's socket file content DATA[0..LEN) (the "socket emulation"
 * of Windows: a port in decimal, a newline, a 16-byte nonce). Returns 0 with
 * *PORT and NONCE filled, or -1 with a message in ERR.
 */
#define ADDR_NONCE_LEN 16
int addr_assuan_parse(const unsigned char *data, size_t len, unsigned *port,
    unsigned char nonce[ADDR_NONCE_LEN], char *err, size_t errlen);

#endif
