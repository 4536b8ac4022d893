/*
 * aio: one asynchronous read or write on a Win32 handle, whatever the handle.
 *
 * For the loops that wait on many handles at once with one
 * WaitForMultipleObjects: the broker (every client's reads and writes,
 * stdin, stdout, Ctrl-C) and the relay's EOF message and flush. The relay's
 * data itself no longer goes through here: each direction is a pump
 * (pump.c), which reads and writes by itself. A named pipe opened with
 * FILE_FLAG_OVERLAPPED gives an aio_op directly. Consoles, files and
 * anonymous pipes cannot be overlapped (and the std handles pipecat
 * inherits are synchronous whatever they are), so for them a worker thread
 * performs the blocking ReadFile/WriteFile and signals an event when it
 * returns: a thread per direction only where the handle cannot be
 * overlapped.
 *
 * An aio_op is one direction of one handle: start an operation, wait for
 * aio_op.done to be signalled, then collect the result with aio_result().
 * At most one operation is in flight per aio_op.
 */
#ifndef PIPECAT_AIO_H
#define PIPECAT_AIO_H

#include <windows.h>

enum aio_dir { AIO_READ, AIO_WRITE };

struct aio_op {
	HANDLE h;           /* the handle; not owned */
	enum aio_dir dir;
	int overlapped;     /* 1: OVERLAPPED I/O; 0: worker thread */
	HANDLE done;        /* manual-reset; set when the operation completed */
	int busy;           /* an operation is in flight (main thread only) */

	OVERLAPPED ov;      /* overlapped: the operation's OVERLAPPED */
	DWORD early_err;    /* overlapped: failed before going pending */

	/* Worker thread: the fields below are written by the main thread before
	 * SetEvent(go) and by the worker before SetEvent(done); the events order
	 * the accesses, so no lock is needed. */
	HANDLE thread;
	HANDLE go;          /* auto-reset: an operation has been requested */
	void *buf;
	DWORD len;
	DWORD n;            /* worker: bytes moved */
	DWORD err;          /* worker: 0, or GetLastError() of the call */
	volatile LONG quit; /* worker: set by aio_close before waking it */
	volatile LONG finished; /* worker: set before done is signalled */
};

/*
 * Prepares OP for handle H in direction DIR. OVERLAPPED says whether H was
 * opened with FILE_FLAG_OVERLAPPED; if not, a worker thread is started.
 * Returns 0, or a Win32 error code.
 */
DWORD aio_init(struct aio_op *op, HANDLE h, enum aio_dir dir, int overlapped);

/* Points an initialised overlapped OP at another handle (a new client). */
void aio_rebind(struct aio_op *op, HANDLE h);

/* Starts reading into, or writing from, BUF[0..LEN). Never blocks. */
void aio_start(struct aio_op *op, void *buf, DWORD len);

/*
 * Nonzero once the operation in flight has completed, without a call into
 * the kernel (under Wine every wait is a round trip to wineserver, so the
 * loops ask this instead of WaitForSingleObject(op->done, 0)).
 */
int aio_done(const struct aio_op *op);

/*
 * After op->done is signalled: the bytes moved and 0, or the Win32 error
 * (ERROR_MORE_DATA for a message longer than LEN, with *N bytes read).
 * Resets the event and marks OP idle.
 */
DWORD aio_result(struct aio_op *op, DWORD *n);

/*
 * Cancels an overlapped operation in flight and waits for it to finish, so
 * its buffer and OVERLAPPED may be reused or freed. Worker-thread
 * operations cannot be cancelled portably; they are left to finish and
 * their result is collected by the next aio_result().
 */
void aio_cancel(struct aio_op *op);

/*
 * Releases OP: a worker thread is told to end and waited for (its call
 * cancelled if it is still blocked), and the events are closed. An
 * overlapped operation must have been finished or cancelled first.
 */
void aio_close(struct aio_op *op);

/*
 * Under Wine only: a handle that is signalled when the process at the other
 * end of PIPE (a named pipe's server or client end) exits, or NULL (on
 * Windows, or when it cannot be had). Wine (seen with 8) now and then keeps
 * a pipe end open after its process was killed (SIGKILL), the other end's
 * reads, writes and flushes pending for ever. An owner that sees the
 * process gone, and nothing moved on the pipe for PEER_EXIT_GRACE_MS
 * since, ends as if the peer had closed (the man page's CAVEATS). On
 * Windows a process's handles are closed before it is signalled, and an
 * end still open after that is another process's (inherited), so there is
 * no watch.
 */
#define PEER_EXIT_GRACE_MS 1000
HANDLE pipe_peer_exit_watch(HANDLE pipe);

/*
 * That rule, for the owner of the watch W (or NULL): when its connection
 * counts as closed, PEER_EXIT_GRACE_MS after the later of the exit and
 * LAST (when a block last moved), or 0 while the process runs. *SEEN keeps
 * when the exit was first seen (0 until then; W need not be waited on
 * again after).
 */
ULONGLONG peer_exit_deadline(HANDLE w, ULONGLONG *seen, ULONGLONG last,
    ULONGLONG now);

/*
 * FlushFileBuffers(PIPE), which waits until the peer has read everything,
 * on a thread of its own so that CANCEL (an event, e.g. Ctrl-C) still ends
 * the wait. A peer that closed without reading is not an error, nor is one
 * whose process PEER_EXIT (pipe_peer_exit_watch, or NULL) says is gone
 * PEER_EXIT_GRACE_MS before the flush ends (the flush's thread is then
 * left to Wine). Returns 0, ERROR_OPERATION_ABORTED when cancelled, or
 * the Win32 error.
 */
DWORD aio_flush(HANDLE pipe, HANDLE cancel, HANDLE peer_exit);

#endif
