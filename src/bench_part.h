/*
 * bench_part: the parts of a bench run, the threads that move and check
 * the data on a run's data pipe (or an anonymous pipe), at both ends: a
 * source writes the pattern, a sink reads and verifies it, an echo sends
 * back what it reads, a ping sends a message and times its echo, and the
 * server's accept waits for the client and then runs the others.
 *
 * Threads: each part is one thread doing blocking I/O, started by
 * part_start; the thread that started it waits for it with wait_threads.
 * A part's struct is written by its thread only until the thread ends, and
 * read by the starter only after that (the fields above the line are the
 * starter's, set before the start). Parts and the buffers they write live
 * on the heap: on Ctrl-C the command returns while a part may still be
 * blocked in a call, so they are left allocated (the process is ending),
 * never on a stack that is unwound or freed under them.
 */
#ifndef PIPECAT_BENCH_PART_H
#define PIPECAT_BENCH_PART_H

#include <stdint.h>
#include <windows.h>

#include "bench_wire.h"

/* One part of a run, on a thread of its own. */
enum part_kind { P_SINK, P_SOURCE, P_ECHO, P_PING, P_ACCEPT };

struct part {
	enum part_kind kind;
	HANDLE h;               /* the data handle (shared by both-ways parts) */
	int ov, msg;
	DWORD size;
	uint64_t bytes;         /* sink/source: volume; ping: round trips */
	double t0;              /* sink: when timing starts (set by the starter) */
	double *samples;        /* ping: one time per round trip, µs */
	struct part *pair;      /* accept: the parts to run once connected */
	struct part *pair2;

	/* Written by the part's thread; read after it ended. */
	DWORD err;              /* 0, or a Win32 error */
	char text[TEXTLEN];     /* what failed, if err */
	uint64_t done;          /* bytes verified/written, round trips */
	double t1;              /* when the last byte was verified */
};

/*
 * The parts of a run of TEST (one that hdr_ok lets through) at one end,
 * the client's or, if SERVER, the server's: what one end sends, the other
 * receives. Sets KIND[0], and KIND[1] for the second part of both ways at
 * once; returns how many parts run, 1 or 2.
 */
int part_kinds(enum test test, int server, enum part_kind kind[2]);

/* Makes the pattern the parts send and compare, and reads the clock's
 * frequency; call on the main thread before any part starts, or now_us.
 * Returns 0, or -1 out of memory. */
int part_init(void);

/* QueryPerformanceCounter in microseconds: every figure's clock. */
double now_us(void);

/* Starts P's thread (a 64 KiB stack). Returns it, or NULL with
 * GetLastError() set. */
HANDLE part_start(struct part *p);

/*
 * Waits for the threads TS[0..N) to end, Ctrl-C, or (unless NULL) EXTRA to
 * be signalled. Returns 0 when the threads ended, 1 on EXTRA,
 * ERROR_OPERATION_ABORTED on Ctrl-C. Each thread that ended is closed and
 * its slot set to NULL.
 */
DWORD wait_threads(HANDLE *ts, int n, HANDLE extra);

#endif
