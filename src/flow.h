/*
 * flow: one direction of a relay — a bounded queue of buffers between a
 * source and a destination, each an aio_op (overlapped or worker thread).
 *
 * A flow has at most one read and one write in flight: it reads its next
 * buffer while the previous one is being written. The owner runs the loop:
 * it calls flow_kick() to start what can start, waits on the operations'
 * done events, and calls flow_read_done()/flow_write_done() for those that
 * finished. relay.c (stdin/stdout <-> a named pipe) and spawn (a child's
 * anonymous pipes <-> stdout/stderr) both run flows.
 *
 * End of data, per source:
 *   a file, console or anonymous pipe: a read of 0 bytes, or
 *          ERROR_BROKEN_PIPE (an anonymous pipe's writer closed);
 *   a named pipe (src_is_pipe): ERROR_BROKEN_PIPE / ERROR_PIPE_NOT_CONNECTED.
 *          A read of 0 bytes is not EOF on a named pipe: it is a zero-length
 *          write (a zero-length message in message mode), and is skipped.
 * A write failing with ERROR_BROKEN_PIPE / ERROR_NO_DATA /
 * ERROR_PIPE_NOT_CONNECTED is the reader going away (the peer, or `| head`),
 * not an error: the flow is marked dead.
 *
 * Message mode (msg): a message longer than the buffer is read in pieces
 * (ERROR_MORE_DATA); the buffer grows until the message is whole, and it is
 * queued, and written, as one block.
 */
#ifndef PIPECAT_FLOW_H
#define PIPECAT_FLOW_H

#include <windows.h>

#include "aio.h"

#define NBUF 4                  /* buffers per flow */
#define CHUNK (64 * 1024)       /* bytes per read, and each buffer's usual size */

struct flow {
	const char *src_name;   /* for messages: "stdin", the pipe's name */
	const char *dst_name;
	struct aio_op *rd;      /* reads the source */
	struct aio_op *wr;      /* writes the destination */
	int src_is_pipe;        /* 0-byte reads are not EOF; pipe errors mean EOF */
	int msg;                /* source reads are message reads */

	char *buf[NBUF];
	DWORD cap[NBUF];
	DWORD len[NBUF];
	int head;               /* oldest queued buffer */
	int count;              /* queued buffers, oldest first from head */
	int fill;               /* buffer a read is in flight into, or -1 */
	DWORD woff;             /* bytes of buf[head] already written */

	int eof;                /* the source ended */
	int eof_soft;           /* ...by a zero-length message, not by closing */
	int zero_is_eof;        /* a zero-length message is the end of data */
	int dead;               /* the destination went away */
	unsigned long long bytes;       /* written to the destination */

	/* -x: called for every block that crosses, either when it has been
	 * read (tap_on_write 0) or when it has been written (1); MESSAGE says
	 * it is one whole message. NULL: no tap. */
	void (*tap)(void *ctx, const char *data, DWORD len, int message);
	void *tap_ctx;
	int tap_on_write;
	int tap_msg;            /* blocks are messages of a message pipe */
};

/* Gives F its buffers and empties it. Returns 0, or -1 out of memory. */
int flow_alloc(struct flow *f);

/* Empties F's queue (after its operations were cancelled or finished). */
void flow_reset(struct flow *f);

/* Starts whatever I/O the flow can start now. */
void flow_kick(struct flow *f);

/* A read finished. Returns 0, or a Win32 error that should end the loop. */
DWORD flow_read_done(struct flow *f);

/* A write finished. Returns 0, or a Win32 error that should end the loop. */
DWORD flow_write_done(struct flow *f);

/* The source ended and everything it gave has been written. */
int flow_drained(const struct flow *f);

#endif
