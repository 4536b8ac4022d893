/*
 * bench_client: the client end of bench. It runs the runs a plan asks for
 * over a bench server's control pipe (bench_wire.h), and the anonymous
 * pipe's in this process, and collects each figure's runs in a row, in
 * the order the report gives them.
 *
 * Library code: it never prints. The command learns of each run before it
 * starts and of each figure once it is measured through two callbacks, so
 * that it can draw its progress line and print the table as the figures
 * come; a failure is returned with the message in the caller's buffer.
 * Everything here runs on the main thread, callbacks included; the parts
 * a run starts have their own rules (bench_part.h).
 */
#ifndef PIPECAT_BENCH_CLIENT_H
#define PIPECAT_BENCH_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#define MAX_SIZES 16

/* Which tests run (--tests). */
enum { TS_ONEWAY = 1, TS_BOTH = 2, TS_LATENCY = 4, TS_ANON = 8 };

/* What to measure: the options that choose the runs. */
struct plan {
	DWORD sizes[MAX_SIZES];
	int nsizes;
	uint64_t bytes;
	long long time_ms;      /* -1: not given */
	int repeat;
	int modes;              /* 1 byte, 2 message */
	int tests;              /* TS_* */
	uint64_t count;
	DWORD ping_size;
	DWORD buffer;           /* 0: the I/O size */
	int overlapped;
};

/* A figure being measured: one row of the table. */
struct row {
	const char *test;       /* "up", "down", "both-up", "both-down", "anon", "ping" */
	const char *mode;       /* "byte", "message" */
	DWORD size, buffer;
	int ov;
	uint64_t bytes;         /* per run: bytes, or round trips for ping */
	int nruns;
	double rate[1000];      /* MiB/s, or rt/s for ping, per counted run */
	uint64_t verified[1000];
	double *lat;            /* ping: every counted round trip, µs */
	size_t nlat;
	double lat_median[1000];/* ping: each run's median, for the spread */
};

/* The control pipe, as a client. */
struct client {
	const char *name;       /* the control pipe */
	HANDLE ctl;             /* NULL: no pipe runs (anonymous only) */
};

/* The figures collected, in order, for the table or the JSON. */
struct bench {
	const struct plan *plan;
	struct client *c;
	struct row *rows;
	int nrows, caprows;
	int done, total;        /* figures measured so far, and in all */
	/* The command's: called before each run of R (RUN -1 the warm-up,
	 * then 0 to repeat - 1), and once R is measured. NULL: not called. */
	void (*on_run)(struct bench *b, const struct row *r, int run);
	void (*on_figure)(struct bench *b, const struct row *r);
	void *ctx;              /* the callbacks' */
};

/*
 * Opens the control pipe NAME as a client (pipeclient.c), waiting up to
 * WAIT_MS (-1: no limit; WAIT_TEXT as given, for the timeout message) for
 * it to exist and be free. Returns the handle (overlapped, message read
 * mode), or NULL with *STATUS the exit code and the message in ERR:
 * EXIT_INTR on Ctrl-C (no message), EXIT_FAIL for a pipe that is not a
 * bench server's.
 */
HANDLE open_ctl(const char *name, long long wait_ms, const char *wait_text,
    int *status, char *err, size_t errlen);

/*
 * Measures every figure of B's plan: B's client for the pipe tests (its
 * control pipe open), this process for the anonymous pipe. Returns 0,
 * ERROR_OPERATION_ABORTED on Ctrl-C, or the Win32 error with the message
 * in ERR (data that failed verification: ERROR_INVALID_DATA). On Ctrl-C,
 * a part may still be writing into B's rows: leave them allocated.
 */
DWORD bench_run(struct bench *b, char *err, size_t errlen);

/* Frees B's rows. */
void bench_free(struct bench *b);

#endif
