/*
 * relay: the full-duplex pump between pipecat's stdin/stdout and one pipe.
 *
 * A relay is made once per command and serves one connection after another
 * (serve -k), because the local side outlives each client: stdin is read by
 * one thread for the life of the process, and bytes already read from it but
 * not yet delivered are kept for the next client rather than lost.
 */
#ifndef PIPECAT_RELAY_H
#define PIPECAT_RELAY_H

#include <stddef.h>
#include <windows.h>

#include "dump.h"

struct relay_cfg {
	int message;            /* pipe read mode is message: keep boundaries */
	int send_only;          /* do not read the pipe */
	int recv_only;          /* do not read stdin */
	long long linger_ms;    /* -q: after stdin EOF receive this long; -1 until the peer closes */
	long long idle_ms;      /* -i: end a connection idle this long; -1 never */
	struct dump *dump;      /* -x: where blocks are dumped, or NULL */
	int eof_message;        /* --eof-message: send and honour zero-length messages as EOF */
};

/* How a relay ended; every way is listed at the top of relay_run's loop. */
enum relay_end {
	RELAY_PEER_CLOSED,      /* the peer closed; all it sent is on stdout */
	RELAY_DONE,             /* stdin ended, everything was sent, -q ran out */
	RELAY_STDOUT_CLOSED,    /* the reader of stdout went away */
	RELAY_IDLE,             /* -i: nothing moved for idle_ms */
	RELAY_INTERRUPTED,      /* Ctrl-C */
	RELAY_ERROR             /* an I/O error; the message is in err */
};

struct relay_stats {
	unsigned long long sent;        /* bytes written to the pipe */
	unsigned long long received;    /* bytes read from the pipe and written out */
	unsigned long long undelivered; /* read from stdin, refused by a peer that went away */
};

struct relay;

/*
 * Makes a relay between IN and OUT (synchronous handles, e.g. the std
 * handles) for pipes described by CFG. Returns NULL with a message in ERR.
 */
struct relay *relay_new(HANDLE in, HANDLE out, const struct relay_cfg *cfg,
    char *err, size_t errlen);

/*
 * Relays between the relay's stdin/stdout and PIPE (opened with
 * FILE_FLAG_OVERLAPPED; NAME is used in messages) until one of the ends
 * above. Before returning RELAY_DONE or RELAY_IDLE, it flushes the pipe
 * (FlushFileBuffers) so the peer has read every byte before the caller
 * closes it. No I/O on PIPE is in flight when it returns. ST gets this
 * connection's byte counts.
 */
enum relay_end relay_run(struct relay *r, HANDLE pipe, const char *name,
    struct relay_stats *st, char *err, size_t errlen);

/*
 * Makes a relay one-way before its first run, for a pipe that turned out to
 * go one way only (connect's fallback): SEND_ONLY does not read the pipe,
 * RECV_ONLY does not read stdin.
 */
void relay_set_oneway(struct relay *r, int send_only, int recv_only);

/* Nonzero once the reader of stdout has gone away. */
int relay_stdout_gone(const struct relay *r);

/* "N bytes sent, M received, T s" for a -v line. */
void relay_stats_text(const struct relay_stats *st, unsigned long long ms,
    char *buf, size_t len);

#endif
