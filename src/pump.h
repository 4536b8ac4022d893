/*
 * pump: one direction of a relay as one thread — read the pipe, write the
 * output, again — for the hot path from a pipe to stdout.
 *
 * Under Wine every wait, SetEvent and pipe operation is a round trip to the
 * single-threaded wineserver. Handing each block from an event loop to a
 * worker thread and back (flow.c over aio.c) costs about 11 of them per
 * 64 KiB; a thread that does the overlapped read, waits for it, and writes
 * the block itself costs about 3, as a plain ReadFile/WriteFile loop does
 * (bench/FIGURES.md). The relay's loop then only watches the pump's "done"
 * event, the other direction, Ctrl-C and the deadlines.
 */
#ifndef PIPECAT_PUMP_H
#define PIPECAT_PUMP_H

#include <windows.h>

struct pump {
	/* Set by the owner before pump_start. */
	HANDLE src;             /* a pipe opened with FILE_FLAG_OVERLAPPED, or... */
	int src_sync;           /* ...a synchronous handle (an anonymous pipe) */
	HANDLE dst;             /* any handle, written synchronously */
	int msg;                /* message reads: a message is one block, whole */
	int zero_is_eof;        /* --eof-message: a zero-length message ends it */
	void (*tap)(void *ctx, const char *data, DWORD len, int message);
	void *tap_ctx;

	/* The pump's own. */
	HANDLE thread;
	HANDLE done;            /* manual-reset: set once the thread has stopped */
	OVERLAPPED ov;
	char *buf;
	DWORD cap;
	volatile LONG stop;
	volatile LONG64 last;   /* GetTickCount64() of the last block moved */

	/* Results, valid once done is set. */
	int eof;                /* the source ended (or the pump was stopped) */
	int eof_soft;           /* ...by a zero-length message */
	int dead;               /* the destination's reader went away */
	DWORD err;              /* a failure, else 0 */
	int err_write;          /* ...writing the destination (else reading) */
	unsigned long long bytes;       /* written to the destination */
};

/* Starts the thread. Returns 0, or the Win32 error. */
DWORD pump_start(struct pump *p);

/*
 * Stops the pump: its pending read is cancelled, a write in progress is
 * finished, and the thread is waited for, unless CANCEL (an event) is set
 * first; returns nonzero if the pump stopped, 0 if CANCEL came first.
 */
int pump_stop(struct pump *p, HANDLE cancel);

#endif
