/*
 * pump: read a pipe, write the block out, repeat, on one thread; see pump.h.
 *
 * Ends, each recorded for the owner before "done" is set: the source's end
 * (ERROR_BROKEN_PIPE and its kin, or a zero-length message with
 * zero_is_eof), a cancelled read (pump_stop), a destination whose reader
 * went away (ERROR_BROKEN_PIPE / ERROR_NO_DATA: dead), or any other error.
 * With zero_at_eof the source's end is passed on, as a zero-length message
 * written before "done" is set.
 */
#include <stdlib.h>

#include "aio.h"
#include "interrupt.h"
#include "pump.h"
#include "threads.h"
#include "winerr.h"

#define CHUNK (64 * 1024)
/* A byte stream whose reads fill the block gets blocks this large: a pipe
 * whose writer is ahead holds a block written and one waiting, and each
 * block moved costs the same few calls whatever its size (under Wine each
 * is a round trip to wineserver; an overlapped socket write is two more
 * than a blocking send), so fewer, larger blocks carry more. */
#define STREAM_CHUNK (4 * CHUNK)

/* The source's end: its peer gone, or the read cancelled (pump_stop). */
static int
source_ended(DWORD e)
{
	return winerr_is_gone(e) || e == ERROR_OPERATION_ABORTED;
}

/* Records how the source ended, or failed, with error E. */
static void
read_failed(struct pump *p, DWORD e)
{
	if (source_ended(e))
		p->eof = 1;
	else
		p->err = e;
}

/*
 * Reads one block (a whole message in message mode) into p->buf[0..have).
 * Returns 1 with a block, 0 with the pump's end recorded, or -1 when one of
 * HS[0..N) was signalled, or TIMEOUT ms passed, first (*WOKE: its index, or
 * N), the read left pending for the next call.
 */
static int
read_block(struct pump *p, DWORD n, const HANDLE *hs, DWORD timeout,
    DWORD *woke)
{
	if (p->src_sync) {
		/* An anonymous pipe: 0 bytes or ERROR_BROKEN_PIPE is its end. */
		DWORD got = 0;
		if (!ReadFile(p->src, p->buf, p->cap, &got, NULL)) {
			read_failed(p, GetLastError());
			return 0;
		}
		if (got == 0) {
			p->eof = 1;
			return 0;
		}
		p->have = got;
		return 1;
	}
	for (;;) {
		DWORD got = 0, e;
		if (!p->pending) {
			BOOL ok = ReadFile(p->src, p->buf + p->have,
			    p->cap - p->have, NULL, &p->ov);
			e = ok ? 0 : GetLastError();
			if (e != 0 && e != ERROR_IO_PENDING && e != ERROR_MORE_DATA) {
				read_failed(p, e);
				return 0;
			}
			p->pending = 1;
		}
		/* With other handles to watch, wait for all of them; the
		 * event is only waited for when the read is not done yet. */
		if ((n > 0 || timeout != INFINITE) && !HasOverlappedIoCompleted(&p->ov)) {
			HANDLE w[1 + PUMP_MAX_WAKE];
			w[0] = p->ov.hEvent;
			for (DWORD i = 0; i < n; i++)
				w[1 + i] = hs[i];
			DWORD r = WaitForMultipleObjects(1 + n, w, FALSE, timeout);
			if (r == WAIT_FAILED) {
				p->err = GetLastError();
				/* No read may stay pending once the pump has ended. */
				CancelIoEx(p->src, &p->ov);
				GetOverlappedResult(p->src, &p->ov, &got, TRUE);
				p->pending = 0;
				return 0;
			}
			if (r != WAIT_OBJECT_0) {
				*woke = r == WAIT_TIMEOUT ? n : r - WAIT_OBJECT_0 - 1;
				return -1;
			}
		}
		BOOL ok = GetOverlappedResult(p->src, &p->ov, &got, TRUE);
		e = ok ? 0 : GetLastError();
		p->pending = 0;
		p->have += got;
		/* A socket's peer that shut down its sending side: a
		 * successful read of nothing, not an error. */
		if (e == 0 && p->have == 0 && p->zero_read_eof) {
			p->eof = 1;
			return 0;
		}
		if (e == ERROR_MORE_DATA && p->msg) {
			if (p->cap > MAXDWORD / 2) {
				p->err = ERROR_NOT_ENOUGH_MEMORY;
				return 0;
			}
			char *b = realloc(p->buf, p->cap * 2);
			if (b == NULL) {
				p->err = ERROR_NOT_ENOUGH_MEMORY;
				return 0;
			}
			p->buf = b;
			p->cap *= 2;
			continue;
		}
		if (e != 0 && e != ERROR_MORE_DATA) {
			read_failed(p, e);
			return 0;
		}
		return 1;
	}
}

/*
 * Writes Q[0..LEN) to the destination, all of it; LEN 0 is one write of
 * nothing (a zero-length message, on a message pipe). Returns the bytes
 * written; *OK is 0 when the pump must end (p->dead or p->err recorded).
 */
static DWORD
write_out(struct pump *p, const char *q, DWORD len, int *ok)
{
	DWORD put = 0;

	*ok = 1;
	do {
		DWORD n = 0, e = 0;
		if (p->dst_ov) {
			/* writing is set before cut is looked at: pump_cut's
			 * caller polls while it is set (see pump_writing). */
			InterlockedExchange(&p->writing, 1);
			if (InterlockedCompareExchange(&p->cut, 0, 0))
				e = ERROR_NO_DATA;
			else {
				BOOL done = p->dst_write != NULL
				    ? p->dst_write(p->dst, q, len, &p->wov)
				    : WriteFile(p->dst, q, len, NULL, &p->wov);
				e = done ? 0 : GetLastError();
				if (e == 0 || e == ERROR_IO_PENDING)
					e = GetOverlappedResult(p->dst, &p->wov, &n, TRUE)
					    ? 0 : GetLastError();
			}
			InterlockedExchange(&p->writing, 0);
			/* Cancelled: by pump_cut, the reader is gone. */
			if (e == ERROR_OPERATION_ABORTED)
				e = ERROR_NO_DATA;
		} else if (!WriteFile(p->dst, q, len, &n, NULL))
			e = GetLastError();
		if (e != 0) {
			if (winerr_is_gone(e))
				p->dead = 1;
			else {
				p->err = e;
				p->err_write = 1;
			}
			*ok = 0;
			break;
		}
		q += n;
		len -= n;
		put += n;
		p->bytes += n;
	} while (len > 0);
	return put;
}

/* Writes out the block read (the tap sees it first). Returns 0 when the
 * pump must end (p->dead or p->err recorded), else 1. */
static int
write_block(struct pump *p)
{
	DWORD len = p->have;
	p->have = 0;
	if (len == 0) {
		/* A zero-length write is no data and no EOF, unless it is the
		 * EOF message --eof-message asks for. */
		if (p->msg && p->tap != NULL)
			p->tap(p->tap_ctx, p->buf, 0, 1);
		if (p->msg && p->zero_is_eof) {
			p->eof = p->eof_soft = 1;
			return 0;
		}
		return 1;
	}
	/* On the main thread a blocked write must not outlast Ctrl-C: the
	 * destination's, or the dump's (-x, to a stderr nobody reads). */
	if (p->here)
		interrupt_blocking(1);
	if (p->tap != NULL && !p->tap_after)
		p->tap(p->tap_ctx, p->buf, len, p->msg);
	InterlockedExchange64(&p->last, (LONG64)GetTickCount64());
	int ok;
	DWORD put = write_out(p, p->buf, len, &ok);
	if (p->tap != NULL && p->tap_after && put > 0)
		p->tap(p->tap_ctx, p->buf, put, p->msg);
	if (p->here)
		interrupt_blocking(0);
	if (!ok)
		return 0;
	InterlockedExchange64(&p->last, (LONG64)GetTickCount64());
	/* A buffer a long message grew is given back; a stream that filled
	 * its block gets the larger one (kept if memory is short). */
	DWORD want = p->cap > STREAM_CHUNK ? CHUNK
	    : !p->msg && len == p->cap && p->cap < STREAM_CHUNK ? STREAM_CHUNK : 0;
	if (want != 0) {
		char *b = realloc(p->buf, want);
		if (b != NULL) {
			p->buf = b;
			p->cap = want;
		}
	}
	return 1;
}

/* The pump has ended: with zero_at_eof, a source that ended (not one
 * stopped) is passed on as a zero-length message; then done is set. */
static void
pump_ended(struct pump *p)
{
	if (p->zero_at_eof && p->eof && !InterlockedCompareExchange(&p->stop, 0, 0)) {
		int ok;
		if (p->here)
			interrupt_blocking(1);
		write_out(p, p->buf, 0, &ok);
		if (p->here)
			interrupt_blocking(0);
		if (ok && p->tap != NULL)
			p->tap(p->tap_ctx, p->buf, 0, 1);
	}
	SetEvent(p->done);
}


static DWORD WINAPI
pump_thread(LPVOID arg)
{
	struct pump *p = arg;
	DWORD woke;

	while (!InterlockedCompareExchange(&p->stop, 0, 0) &&
	    read_block(p, 0, NULL, INFINITE, &woke) > 0 && write_block(p))
		;
	pump_ended(p);
	return 0;
}

/* What pump_start and pump_begin share: the buffer, the events, a clean
 * state. */
static DWORD
pump_prepare(struct pump *p)
{
	if (p->buf == NULL) {
		p->buf = malloc(CHUNK);
		if (p->buf == NULL)
			return ERROR_NOT_ENOUGH_MEMORY;
		p->cap = CHUNK;
	}
	if (p->done == NULL && (p->done = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL)
		return GetLastError();
	if (p->ov.hEvent == NULL &&
	    (p->ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL)
		return GetLastError();
	if (p->dst_ov && p->wov.hEvent == NULL &&
	    (p->wov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL)
		return GetLastError();
	ResetEvent(p->done);
	p->cut = 0;
	p->stop = 0;
	p->eof = p->eof_soft = p->dead = p->err_write = 0;
	p->err = 0;
	p->bytes = 0;
	p->pending = 0;
	p->have = 0;
	InterlockedExchange64(&p->last, (LONG64)GetTickCount64());
	return 0;
}

DWORD
pump_start(struct pump *p)
{
	DWORD e = pump_prepare(p);
	if (e != 0)
		return e;
	p->here = 0;
	p->thread = NULL;
	p->pooled = 0;
	if (!p->src_sync) {
		if ((e = pool_run(pump_thread, p, NULL)) != 0)
			return e;
		p->pooled = 1;
		return 0;
	}
	p->thread = CreateThread(NULL, 64 * 1024, pump_thread, p,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (p->thread == NULL)
		return GetLastError();
	return 0;
}

DWORD
pump_begin(struct pump *p)
{
	p->thread = NULL;
	p->here = 1;
	return pump_prepare(p);
}

DWORD
pump_run(struct pump *p, DWORD n, const HANDLE *hs, DWORD timeout,
    int (*enough)(void *ctx), void *ctx)
{
	DWORD woke = n;
	int r;
	/* TIMEOUT counts from here, over all the reads waited for. */
	ULONGLONG end = timeout == INFINITE ? 0 : GetTickCount64() + timeout;

	for (;;) {
		DWORD left = INFINITE;
		if (end != 0) {
			ULONGLONG now = GetTickCount64();
			left = end > now ? (DWORD)(end - now) : 0;
		}
		if ((r = read_block(p, n, hs, left, &woke)) <= 0 || !write_block(p))
			break;
		if (enough != NULL && enough(ctx))
			return n;
	}
	if (r < 0)
		return woke;
	pump_ended(p);
	return PUMP_ENDED;
}

int
pump_stop(struct pump *p, HANDLE cancel, DWORD ms)
{
	if (p->here) {
		/* Run by pump_run: a pending read is cancelled, and what it
		 * read before that still goes out. */
		int stopped = WaitForSingleObject(cancel, 0) != WAIT_OBJECT_0;
		if (p->pending) {
			DWORD got = 0;
			CancelIoEx(p->src, &p->ov);
			BOOL ok = GetOverlappedResult(p->src, &p->ov, &got, TRUE);
			p->pending = 0;
			p->have += got;
			if (stopped && (ok || GetLastError() == ERROR_MORE_DATA) &&
			    p->have > 0)
				write_block(p);
			p->have = 0;
		}
		SetEvent(p->done);
		return stopped;
	}
	if (p->thread == NULL && !p->pooled)
		return 1;
	InterlockedExchange(&p->stop, 1);
	ULONGLONG until = GetTickCount64() + (ms == INFINITE ? 0 : ms);
	for (;;) {
		/* Again each round: a read started just after the stop flag was
		 * checked would not have been there to cancel the first time. */
		if (p->src_sync)
			CancelSynchronousIo(p->thread);
		else
			CancelIoEx(p->src, &p->ov);
		if (p->dst_ov && InterlockedCompareExchange(&p->cut, 0, 0))
			CancelIoEx(p->dst, &p->wov);
		ULONGLONG now = GetTickCount64();
		DWORD wait = 50;
		if (ms != INFINITE) {
			if (now >= until)
				return 0;
			if (until - now < wait)
				wait = (DWORD)(until - now);
		}
		HANDLE hs[2] = { p->done, cancel };
		DWORD w = WaitForMultipleObjects(cancel != NULL ? 2 : 1, hs, FALSE, wait);
		if (w == WAIT_OBJECT_0)
			break;
		if (w == WAIT_OBJECT_0 + 1)
			return 0;
	}
	/* A worker of the pool is done with the pump once done is set. */
	if (p->thread != NULL) {
		WaitForSingleObject(p->thread, INFINITE);
		CloseHandle(p->thread);
		p->thread = NULL;
	}
	p->pooled = 0;
	return 1;
}

void
pump_cut(struct pump *p)
{
	InterlockedExchange(&p->cut, 1);
	CancelIoEx(p->dst, &p->wov);
}

void
pump_settle(struct pump *p, DWORD ms)
{
	if (p->thread != NULL && p->done != NULL &&
	    WaitForSingleObject(p->done, ms) == WAIT_OBJECT_0)
		WaitForSingleObject(p->thread, 1000);
}

int
pump_writing(struct pump *p)
{
	return InterlockedCompareExchange(&p->writing, 0, 0) != 0;
}

void
pump_close(struct pump *p)
{
	HANDLE hs[] = { p->thread, p->done, p->ov.hEvent, p->wov.hEvent };
	for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
		if (hs[i] != NULL)
			CloseHandle(hs[i]);
	p->thread = p->done = p->ov.hEvent = p->wov.hEvent = NULL;
	p->pooled = 0;
	free(p->buf);
	p->buf = NULL;
	p->cap = 0;
}

void
pump_error_text(char *buf, size_t len, DWORD e, int writing, const char *src,
    const char *dst)
{
	winerr_fmt(buf, len, e, "%s %s", writing ? "write" : "read",
	    writing ? dst : src);
}

void
feed_settle(struct feed *f)
{
	if (f->thread != NULL && (f->eof || f->err_read))
		WaitForSingleObject(f->thread, 1000);
}

/* Writes what the feed holds into the attached pipe, if one is attached and
 * still good; returns when all of it is written or the pipe cannot take it
 * (the reader went away, a failure, or the owner detached it). */
static void
feed_write(struct feed *f)
{
	while (f->off < f->len) {
		EnterCriticalSection(&f->lock);
		HANDLE h = f->pipe;
		int ok_to_write = h != NULL && !f->dead && f->err == 0;
		f->writing = ok_to_write;
		LeaveCriticalSection(&f->lock);
		if (!ok_to_write)
			return;

		DWORD n = 0;
		BOOL ok = WriteFile(h, f->buf + f->off, f->len - f->off, NULL, &f->ov);
		DWORD e = ok ? 0 : GetLastError();
		if (e == 0 || e == ERROR_IO_PENDING) {
			ok = GetOverlappedResult(h, &f->ov, &n, TRUE);
			e = ok ? 0 : GetLastError();
		}
		/* A cancelled write may still have put part of the block into
		 * the pipe; n says how much. */
		if (n > 0 && f->tap != NULL)
			f->tap(f->tap_ctx, f->buf + f->off, n,
			    f->tap_msg && f->off == 0 && n == f->len);
		f->off += n;
		InterlockedExchangeAdd64(&f->bytes, (LONG64)n);
		InterlockedExchange64(&f->last, (LONG64)GetTickCount64());

		EnterCriticalSection(&f->lock);
		f->writing = 0;
		if (f->detaching) {
			f->detaching = 0;
			SetEvent(f->parked);
		}
		int report = 0;
		if (e == ERROR_OPERATION_ABORTED || e == 0)
			;       /* detached, or written */
		else if (winerr_is_gone(e))
			report = InterlockedExchange(&f->dead, 1) == 0;
		else
			report = InterlockedExchange(&f->err, (LONG)e) == 0;
		LeaveCriticalSection(&f->lock);
		if (report)
			SetEvent(f->changed);
	}
}

static DWORD WINAPI
feed_thread(LPVOID arg)
{
	struct feed *f = arg;

	for (;;) {
		if (f->off < f->len) {
			feed_write(f);
			if (f->off < f->len) {
				/* Held until a good pipe is attached. */
				WaitForSingleObject(f->wake, INFINITE);
				continue;
			}
		}
		/* A file's, console's or anonymous pipe's end is a read of 0
		 * bytes or ERROR_BROKEN_PIPE. */
		DWORD n = 0;
		if (!ReadFile(f->src, f->buf, CHUNK, &n, NULL) || n == 0) {
			DWORD e = n == 0 ? 0 : GetLastError();
			if (e == 0 || source_ended(e))
				InterlockedExchange(&f->eof, 1);
			else {
				InterlockedExchange(&f->err_read, 1);
				InterlockedExchange(&f->err, (LONG)e);
			}
			SetEvent(f->changed);
			return 0;
		}
		f->len = n;
		f->off = 0;
		InterlockedExchange64(&f->last, (LONG64)GetTickCount64());
	}
}

DWORD
feed_attach(struct feed *f, HANDLE pipe)
{
	if (f->thread == NULL) {
		if (f->eof)
			return 0;
		InitializeCriticalSection(&f->lock);
		if ((f->buf = malloc(CHUNK)) == NULL)
			return ERROR_NOT_ENOUGH_MEMORY;
		if ((f->changed = CreateEventW(NULL, FALSE, FALSE, NULL)) == NULL ||
		    (f->wake = CreateEventW(NULL, FALSE, FALSE, NULL)) == NULL ||
		    (f->parked = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL ||
		    (f->ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL)
			return GetLastError();
		f->pipe = pipe;
		InterlockedExchange64(&f->last, (LONG64)GetTickCount64());
		f->thread = CreateThread(NULL, 64 * 1024, feed_thread, f,
		    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
		if (f->thread == NULL)
			return GetLastError();
		return 0;
	}
	EnterCriticalSection(&f->lock);
	f->pipe = pipe;
	InterlockedExchange(&f->dead, 0);
	if (!f->err_read)
		InterlockedExchange(&f->err, 0);
	LeaveCriticalSection(&f->lock);
	InterlockedExchange64(&f->last, (LONG64)GetTickCount64());
	SetEvent(f->wake);
	return 0;
}

int
feed_detach(struct feed *f)
{
	if (f->thread == NULL)
		return 0;
	EnterCriticalSection(&f->lock);
	HANDLE h = f->pipe;
	int wait = f->writing;
	f->pipe = NULL;
	if (wait) {
		f->detaching = 1;
		ResetEvent(f->parked);
	}
	LeaveCriticalSection(&f->lock);
	/* Again each round: the write may not have been issued yet the first
	 * time, and then there was nothing to cancel. */
	int was = wait;
	while (wait) {
		CancelIoEx(h, &f->ov);
		wait = WaitForSingleObject(f->parked, 50) != WAIT_OBJECT_0;
	}
	return was;
}

DWORD
feed_held(struct feed *f)
{
	/* The thread writes len and off unlocked, but is parked: the wait
	 * that saw it park ordered its last writes before these reads. */
	return f->len > f->off ? f->len - f->off : 0;
}
