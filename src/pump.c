/*
 * pump: read a pipe, write the block out, repeat, on one thread; see pump.h.
 *
 * Ends, each recorded for the owner before "done" is set: the source's end
 * (ERROR_BROKEN_PIPE and its kin, or a zero-length message with
 * zero_is_eof), a cancelled read (pump_stop), a destination whose reader
 * went away (ERROR_BROKEN_PIPE / ERROR_NO_DATA: dead), or any other error.
 */
#include <stdlib.h>

#include "pump.h"

#define CHUNK (64 * 1024)

static int
source_ended(DWORD e)
{
	return e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED ||
	    e == ERROR_HANDLE_EOF || e == ERROR_NO_DATA ||
	    e == ERROR_OPERATION_ABORTED;
}

/* Reads one block (a whole message in message mode) into p->buf. Returns
 * its length, or -1 with the pump's end recorded. */
static long long
read_block(struct pump *p)
{
	DWORD len = 0;
	if (p->src_sync) {
		/* An anonymous pipe: 0 bytes or ERROR_BROKEN_PIPE is its end. */
		DWORD n = 0;
		if (!ReadFile(p->src, p->buf, p->cap, &n, NULL)) {
			DWORD e = GetLastError();
			if (source_ended(e))
				p->eof = 1;
			else
				p->err = e;
			return -1;
		}
		if (n == 0) {
			p->eof = 1;
			return -1;
		}
		return n;
	}
	for (;;) {
		DWORD n = 0;
		BOOL ok = ReadFile(p->src, p->buf + len, p->cap - len, NULL, &p->ov);
		DWORD e = ok ? 0 : GetLastError();
		if (e == 0 || e == ERROR_IO_PENDING || e == ERROR_MORE_DATA) {
			ok = GetOverlappedResult(p->src, &p->ov, &n, TRUE);
			e = ok ? 0 : GetLastError();
		}
		if (e == ERROR_MORE_DATA && p->msg) {
			len += n;
			if (p->cap > MAXDWORD / 2) {
				p->err = ERROR_NOT_ENOUGH_MEMORY;
				return -1;
			}
			char *b = realloc(p->buf, p->cap * 2);
			if (b == NULL) {
				p->err = ERROR_NOT_ENOUGH_MEMORY;
				return -1;
			}
			p->buf = b;
			p->cap *= 2;
			continue;
		}
		if (e != 0 && e != ERROR_MORE_DATA) {
			if (source_ended(e))
				p->eof = 1;
			else
				p->err = e;
			return -1;
		}
		return (long long)len + n;
	}
}

static DWORD WINAPI
pump_thread(LPVOID arg)
{
	struct pump *p = arg;

	while (!InterlockedCompareExchange(&p->stop, 0, 0)) {
		long long got = read_block(p);
		if (got < 0)
			break;
		DWORD len = (DWORD)got;
		if (len == 0) {
			/* A zero-length write is no data and no EOF, unless it is
			 * the EOF message --eof-message asks for. */
			if (p->msg && p->tap != NULL)
				p->tap(p->tap_ctx, p->buf, 0, 1);
			if (p->msg && p->zero_is_eof) {
				p->eof = p->eof_soft = 1;
				break;
			}
			continue;
		}
		if (p->tap != NULL)
			p->tap(p->tap_ctx, p->buf, len, p->msg);
		InterlockedExchange64(&p->last, (LONG64)GetTickCount64());
		const char *q = p->buf;
		while (len > 0) {
			DWORD n;
			if (!WriteFile(p->dst, q, len, &n, NULL)) {
				DWORD e = GetLastError();
				/* Wine reports a closed Linux pipe as
				 * ERROR_PIPE_NOT_CONNECTED. */
				if (e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA ||
				    e == ERROR_PIPE_NOT_CONNECTED)
					p->dead = 1;
				else {
					p->err = e;
					p->err_write = 1;
				}
				goto out;
			}
			q += n;
			len -= n;
			p->bytes += n;
		}
		InterlockedExchange64(&p->last, (LONG64)GetTickCount64());
		/* A buffer a long message grew is given back. */
		if (p->cap > 4 * CHUNK) {
			char *b = realloc(p->buf, CHUNK);
			if (b != NULL) {
				p->buf = b;
				p->cap = CHUNK;
			}
		}
	}
out:
	SetEvent(p->done);
	return 0;
}

DWORD
pump_start(struct pump *p)
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
	ResetEvent(p->done);
	p->stop = 0;
	p->eof = p->eof_soft = p->dead = p->err_write = 0;
	p->err = 0;
	p->bytes = 0;
	InterlockedExchange64(&p->last, (LONG64)GetTickCount64());
	p->thread = CreateThread(NULL, 64 * 1024, pump_thread, p,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (p->thread == NULL)
		return GetLastError();
	return 0;
}

int
pump_stop(struct pump *p, HANDLE cancel)
{
	if (p->thread == NULL)
		return 1;
	InterlockedExchange(&p->stop, 1);
	for (;;) {
		/* Again each round: a read started just after the stop flag was
		 * checked would not have been there to cancel the first time. */
		if (p->src_sync)
			CancelSynchronousIo(p->thread);
		else
			CancelIoEx(p->src, &p->ov);
		HANDLE hs[2] = { p->done, cancel };
		DWORD w = WaitForMultipleObjects(2, hs, FALSE, 50);
		if (w == WAIT_OBJECT_0)
			break;
		if (w == WAIT_OBJECT_0 + 1)
			return 0;
	}
	WaitForSingleObject(p->thread, INFINITE);
	CloseHandle(p->thread);
	p->thread = NULL;
	return 1;
}
