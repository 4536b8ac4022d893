/*
 * bench_wire: what a bench client and the bench server say to each other
 * on the control pipe NAME, and the name of each run's data pipe.
 *
 * Both ends are this program, so a message is one of the structs below,
 * sent as it is as one message of a message-type pipe, and starts with
 * MAGIC, so that a peer that is not bench shows at its first answer. A run
 * is three messages: the client asks with a struct hdr; the server creates
 * a fresh data pipe NAME-SEQ of the type, buffer size and kind of handle
 * asked for and answers with a struct reply saying SEQ (or why it could
 * not); both ends run their parts on it (bench_part.h); the server then
 * sends a struct result, what it verified and in how long, or why it
 * failed. A fresh pipe per run means every row of the report gets the
 * buffer size it names, on a remote server too, and no run inherits
 * another's state. Included by the bench files only: these are bench's
 * names, not the program's.
 */
#ifndef PIPECAT_BENCH_WIRE_H
#define PIPECAT_BENCH_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#define MAX_SIZE (4u << 20)             /* largest I/O size */
#define TEXTLEN 200

/* What a run does on its data pipe, as the client sees it. */
enum test { T_UP = 1, T_DOWN, T_BOTH, T_ECHO };

/* The control pipe's messages; both ends are this program. */
#define MAGIC "PCBENCH1"
struct hdr {                    /* client -> server: a run */
	char magic[8];
	uint32_t test;          /* enum test */
	uint32_t msg;           /* 1: message-type data pipe */
	uint32_t ov;            /* 1: overlapped handles */
	uint32_t size;          /* I/O size in bytes */
	uint32_t buffer;        /* the data pipe's buffer size */
	uint32_t pad;
	uint64_t bytes;         /* per direction (T_ECHO: unused) */
};
struct reply {                  /* server -> client: the data pipe is ready */
	char magic[8];
	uint32_t status;        /* 0, or the Win32 error creating it */
	uint32_t seq;           /* the data pipe is NAME-SEQ */
};
struct result {                 /* server -> client: the run is over */
	char magic[8];
	uint32_t status;        /* 0, or a Win32 error; text says more */
	uint32_t pad;
	uint64_t done;          /* bytes verified (sink), written, or echoes */
	uint64_t elapsed_ns;    /* the server's receiving time */
	char text[TEXTLEN];     /* why it failed, if it did */
};

/* A run the client asked for (N bytes received as H) is sane. */
int hdr_ok(const struct hdr *h, DWORD n);

/*
 * A control-pipe operation (overlapped, message mode) that Ctrl-C ends.
 * Returns 0, ERROR_OPERATION_ABORTED, or the Win32 error.
 */
DWORD ctl_io(HANDLE h, int rd, void *buf, DWORD len, DWORD *n);

/* "\\.\pipe\NAME-SEQ" into OUT; -1 if it does not fit a pipe name. */
int data_name(const char *ctl, uint32_t seq, char *out, size_t len);

#endif
