/*
 * pump and feed: each direction of a relay, spawn or serve --exec session
 * as one loop. A pump reads a handle and writes the block out (pipe ->
 * stdout, a child's output -> stdout or to a client, a client or stdin ->
 * a child's stdin); a feed reads a synchronous handle and writes the block
 * into whichever pipe is attached to it (stdin -> pipe, across clients).
 *
 * Under Wine every wait, SetEvent and pipe operation is a round trip to the
 * single-threaded wineserver. Handing each block from an event loop to a
 * worker thread and back (the first relay, a queue over aio.c) costs about
 * 11 of them per 64 KiB; a loop that does the read, waits for it, and
 * writes the block itself costs about 3, as a plain ReadFile/WriteFile
 * loop does (bench/FIGURES.md). The owner's loop then only watches the
 * pump's "done" event, the other direction, Ctrl-C and the deadlines.
 */
#ifndef PIPECAT_PUMP_H
#define PIPECAT_PUMP_H

#include <windows.h>

struct pump {
	/* Set by the owner before pump_start. */
	HANDLE src;             /* a pipe opened with FILE_FLAG_OVERLAPPED, or... */
	int src_sync;           /* ...a synchronous handle (an anonymous pipe) */
	HANDLE dst;             /* any handle, written synchronously, or... */
	int dst_ov;             /* ...a pipe opened with FILE_FLAG_OVERLAPPED */
	/* dst_ov: how a block is started (as WriteFile with an OVERLAPPED;
	 * NULL: WriteFile itself), e.g. sock_write_ov for a socket. */
	BOOL (*dst_write)(HANDLE h, const void *data, DWORD len, OVERLAPPED *ov);
	int msg;                /* message reads: a message is one block, whole */
	int zero_is_eof;        /* --eof-message: a zero-length message ends it */
	int zero_at_eof;        /* --eof-message: at the source's end, write a
	                         * zero-length message (a message pipe dst) */
	int zero_read_eof;      /* a read of 0 bytes ends it: a socket's FIN */
	void (*tap)(void *ctx, const char *data, DWORD len, int message);
	void *tap_ctx;
	int tap_after;          /* tap a block once written (else once read) */

	/* The pump's own. */
	HANDLE thread;          /* the pump's own thread (pump_start)... */
	int pooled;             /* ...or a worker of the pool's */
	int here;               /* ...or run on the caller's (pump_begin) */
	HANDLE done;            /* manual-reset: set once the pump has stopped */
	OVERLAPPED ov;
	int pending;            /* a read on ov is in flight */
	OVERLAPPED wov;         /* dst_ov: the write in flight */
	volatile LONG cut;      /* pump_cut: the destination is gone */
	volatile LONG writing;  /* dst_ov: in the write, from its cut check on */
	char *buf;
	DWORD cap;
	DWORD have;             /* bytes of the block read so far */
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

/*
 * Starts the pump on a worker of the process's pool (threads.h), or a
 * src_sync pump on a thread of its own: CancelSynchronousIo (pump_stop)
 * must not reach a function the thread runs next. Returns 0, or the Win32
 * error.
 */
DWORD pump_start(struct pump *p);

/*
 * A pump can instead run on the caller's thread, which saves a thread (under
 * Wine each costs about 1 MiB of RSS: bench/FIGURES.md). pump_begin
 * prepares it; pump_run then moves blocks until the pump ends (returns
 * PUMP_ENDED, done set, the results as for a thread), one of HS[0..N) is
 * signalled while it waits for data (returns its index), TIMEOUT ms pass
 * in such a wait, or ENOUGH (called after each block written, without a
 * kernel call) says the caller has something to decide (both return N). A
 * read left pending goes on at the next call; after PUMP_ENDED there is
 * none. While pump_run blocks
 * writing the destination, Ctrl-C still ends the process
 * (interrupt_blocking).
 */
#define PUMP_MAX_WAKE 8
#define PUMP_ENDED ((DWORD)-2)     /* not WAIT_FAILED */
DWORD pump_begin(struct pump *p);
DWORD pump_run(struct pump *p, DWORD n, const HANDLE *hs, DWORD timeout,
    int (*enough)(void *ctx), void *ctx);

/*
 * Stops the pump: its pending read is cancelled, a write in progress is
 * finished (what the read got is written out), and the thread is waited
 * for, unless CANCEL (an event, or NULL for none) is set or MS (INFINITE:
 * no limit; a pump on the caller's thread does not wait) pass first;
 * returns nonzero if the pump stopped, 0 if it did not. For a src_sync pump
 * on a thread the read is cancelled with CancelSynchronousIo, which would
 * cancel a synchronous write in progress too: stop such pumps only once
 * their destination is known gone (exec does: the child's tree is killed
 * first), or not at all (spawn).
 */
int pump_stop(struct pump *p, HANDLE cancel, DWORD ms);

/*
 * For a dst_ov pump on a thread: the destination's reader is known to be
 * gone, so the write in flight is cancelled and none is started again; the
 * pump ends as dead. Wine does not always complete a write to a pipe whose
 * client has died. Call again until done is set: a write issued just as
 * the pump was cut is cancelled by the next call.
 */
void pump_cut(struct pump *p);

/* Nonzero while a dst_ov pump is in a write (pump_cut's caller polls then). */
int pump_writing(struct pump *p);

/*
 * Releases what the pump holds (its thread handle, events and buffer),
 * once it has stopped (pump_stop, or done seen set on a pump that ended
 * by itself) or was never started; it can then be started again.
 */
void pump_close(struct pump *p);

/*
 * Words a pump's (or a feed's) failure E for the user into BUF, as every
 * command reports it: "read SRC: message (code)" when reading the source
 * failed, "write DST: message (code)" when WRITING the destination did.
 * SRC and DST are the ends as the user knows them: a pipe's name, "stdout",
 * "the child's stdin".
 */
void pump_error_text(char *buf, size_t len, DWORD e, int writing,
    const char *src, const char *dst);

/*
 * Waits up to MS for a pump on a thread of its own to end, then (1 s at
 * most) for the thread to return (a pump on a worker of the pool needs
 * none: the worker does not return, it waits for the next function,
 * threads.h); feed_settle (below) waits for a feed's
 * thread once its source has ended. A process that exits while one of its
 * threads is on its way out is a race Windows handles and Wine 8 sometimes
 * does not (the process dies of SIGSEGV or SIGKILL instead of exiting with
 * its status); whoever is about to return from main calls these first.
 */
void pump_settle(struct pump *p, DWORD ms);

/*
 * feed: stdin -> pipe. The thread lives as long as the process, because the
 * local side outlives each connection (serve -k): a blocking read of stdin
 * cannot be cancelled portably, and a block read from stdin but not yet
 * written when a client goes away is kept and written to the next one.
 * Between connections no pipe is attached and the thread waits holding its
 * block.
 *
 * The owner learns of what matters to it through "changed" (the source
 * ended and all it gave was written, a pipe write found the reader gone or
 * failed), never per block, so the hot path costs what a plain ReadFile /
 * WriteFile loop costs.
 */
struct feed {
	/* Set by the owner before feed_attach. */
	HANDLE src;             /* a synchronous handle (stdin) */
	void (*tap)(void *ctx, const char *data, DWORD len, int message);
	void *tap_ctx;          /* ...called with each block the pipe took */
	int tap_msg;            /* blocks are messages of a message pipe */

	/* Shared; written by the thread under lock unless said otherwise. */
	HANDLE thread;          /* owner */
	HANDLE changed;         /* auto-reset: eof, dead or err became set */
	HANDLE wake;            /* auto-reset: the owner attached a pipe */
	HANDLE parked;          /* manual-reset: a cancelled write returned */
	CRITICAL_SECTION lock;
	HANDLE pipe;            /* owner: the attached pipe, or NULL */
	int writing;            /* a write to pipe is in flight */
	int detaching;          /* owner: waiting on parked for that write */
	OVERLAPPED ov;          /* thread */
	char *buf;              /* thread: the block held */
	DWORD len, off;         /* thread: its length, and what was written */
	volatile LONG eof;      /* the source ended and nothing is held */
	volatile LONG dead;     /* the attached pipe's reader went away */
	volatile LONG err;      /* a failure, else 0 ... */
	volatile LONG err_read; /* ...reading the source (else writing the pipe) */
	volatile LONG64 bytes;  /* written to pipes, over all connections */
	volatile LONG64 last;   /* GetTickCount64() of the last block moved */
};

/*
 * Attaches PIPE (opened with FILE_FLAG_OVERLAPPED) and clears the previous
 * connection's dead and write error; the thread is started the first time.
 * Returns 0, or the Win32 error.
 */
DWORD feed_attach(struct feed *f, HANDLE pipe);

/*
 * Detaches the pipe: a write in flight is cancelled and waited for (its
 * unwritten bytes stay held), and the thread no longer touches the pipe.
 * Returns nonzero if a write was in flight (the thread is parked then).
 */
int feed_detach(struct feed *f);

/* pump_settle, for a feed whose source has ended. */
void feed_settle(struct feed *f);

/* The bytes read from the source that the feed holds and no pipe took yet.
 * Only while the thread is parked: detached, or after its write failed. */
DWORD feed_held(struct feed *f);

#endif
