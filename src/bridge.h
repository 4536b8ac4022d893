/*
 * bridge: one session of `pipecat bridge`: two opened endpoints relayed
 * both ways, one pump (pump.h) per direction, with the EOF rules of the
 * man page's "bridge" section:
 *   - a socket whose peer shut down its sending side (a read of 0 bytes),
 *     a pipe whose peer closed, stdin's end: the direction ends once every
 *     byte is written to the other endpoint, which is then told: a socket
 *     gets shutdown(SD_SEND), a message pipe with --eof-message a
 *     zero-length message; a byte pipe and stdout have no half-close;
 *   - after one direction has ended, the other gets at most linger_ms to
 *     end too (-q), then both are closed: a relay never outlives its peers.
 * Sessions share nothing but the dump (which locks), so a listener runs
 * many at once, each on a thread of its own.
 */
#ifndef PIPECAT_BRIDGE_H
#define PIPECAT_BRIDGE_H

#include <stddef.h>

#include <winsock2.h>
#include <windows.h>

#include "dump.h"

struct endpoint {
	char name[300];         /* for messages: "tcp:1.2.3.4:80", "\\.\pipe\x", "stdio" */
	HANDLE in, out;         /* read and written; one overlapped handle but for stdio */
	int stdio;              /* in and out are the synchronous std handles */
	SOCKET sock;            /* a socket (in == out), or INVALID_SOCKET */
	int message;            /* a message pipe: a message is one block */
	HANDLE peer_exit;       /* a pipe's pipe_peer_exit_watch (aio.h), or NULL */
};

struct bridge_cfg {
	long long linger_ms;    /* -q: after one direction ends */
	long long idle_ms;      /* -i, or -1 */
	int eof_message;        /* --eof-message on the message pipe endpoints */
	struct dump *dump;      /* -x: > first to second, < back; or NULL */
};

enum bridge_end {
	BRIDGE_CLOSED,          /* both directions ended */
	BRIDGE_LINGER,          /* one ended, and -q ran out for the other */
	BRIDGE_GONE,            /* an endpoint's reader went away */
	BRIDGE_IDLE,            /* -i: nothing moved either way */
	BRIDGE_INTERRUPTED,     /* Ctrl-C */
	BRIDGE_ERROR            /* an I/O error or a reset; the message is in err */
};

struct bridge_stats {
	unsigned long long ab;  /* bytes from the first endpoint to the second */
	unsigned long long ba;  /* ...and back */
};

/*
 * Relays A and B until one of the ends above; the endpoints stay open (the
 * caller closes them) with no I/O in flight on them, except that a read of
 * stdin that cannot be cancelled is left blocked (the process is about to
 * exit: stdio is served by one session only).
 */
enum bridge_end bridge_run(const struct bridge_cfg *cfg, struct endpoint *a,
    struct endpoint *b, struct bridge_stats *st, char *err, size_t errlen);

/* "closed", "linger", ... for -v lines. */
const char *bridge_end_text(enum bridge_end end);

/* Closes E's handles (not stdio's) and marks it closed. */
void endpoint_close(struct endpoint *e);

#endif
