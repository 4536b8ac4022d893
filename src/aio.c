/*
 * aio: one asynchronous read or write on any Win32 handle.
 *
 * Overlapped handles (the named pipe) use ReadFile/WriteFile with an
 * OVERLAPPED whose event is op->done. Per the ReadFile docs, the event is
 * set when the operation completes, whether it went pending or finished at
 * once, so the caller always waits on the event and then asks
 * GetOverlappedResult. Only a call that fails outright (neither pending nor
 * ERROR_MORE_DATA) leaves the event unset: the error is kept and the event
 * set by hand, so the caller sees every outcome the same way.
 *
 * Other handles get a worker thread that loops: wait for "go", do the one
 * blocking call, store the result, set "done". The thread lives as long as
 * the process; pipecat's std handles live as long as the process too.
 */
#include "aio.h"
#include "winerr.h"

static DWORD WINAPI
worker(LPVOID arg)
{
	struct aio_op *op = arg;

	for (;;) {
		if (WaitForSingleObject(op->go, INFINITE) != WAIT_OBJECT_0)
			return 1;
		if (InterlockedCompareExchange(&op->quit, 0, 0))
			return 0;
		DWORD n = 0;
		BOOL ok = op->dir == AIO_READ
		    ? ReadFile(op->h, op->buf, op->len, &n, NULL)
		    : WriteFile(op->h, op->buf, op->len, &n, NULL);
		op->n = n;
		op->err = ok ? 0 : GetLastError();
		InterlockedExchange(&op->finished, 1);
		SetEvent(op->done);
	}
}

DWORD
aio_init(struct aio_op *op, HANDLE h, enum aio_dir dir, int overlapped)
{
	ZeroMemory(op, sizeof *op);
	op->h = h;
	op->dir = dir;
	op->overlapped = overlapped;
	op->done = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (op->done == NULL)
		return GetLastError();
	if (overlapped)
		return 0;
	op->go = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (op->go == NULL)
		return GetLastError();
	op->thread = CreateThread(NULL,
	    64 * 1024,                  /* the worker needs little stack */
	    worker, op,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (op->thread == NULL)
		return GetLastError();
	return 0;
}

void
aio_rebind(struct aio_op *op, HANDLE h)
{
	op->h = h;
	op->busy = 0;
	ResetEvent(op->done);
}

void
aio_start(struct aio_op *op, void *buf, DWORD len)
{
	op->busy = 1;
	if (!op->overlapped) {
		InterlockedExchange(&op->finished, 0);
		op->buf = buf;
		op->len = len;
		SetEvent(op->go);
		return;
	}
	ZeroMemory(&op->ov, sizeof op->ov);
	op->ov.hEvent = op->done;
	op->early_err = 0;
	BOOL ok = op->dir == AIO_READ
	    ? ReadFile(op->h, buf, len, NULL, &op->ov)
	    : WriteFile(op->h, buf, len, NULL, &op->ov);
	if (!ok) {
		DWORD e = GetLastError();
		if (e != ERROR_IO_PENDING && e != ERROR_MORE_DATA) {
			op->early_err = e;
			SetEvent(op->done);
		}
	}
}

DWORD
aio_result(struct aio_op *op, DWORD *n)
{
	DWORD err;

	*n = 0;
	if (!op->overlapped) {
		*n = op->n;
		err = op->err;
	} else if (op->early_err != 0) {
		err = op->early_err;
	} else if (GetOverlappedResult(op->h, &op->ov, n, FALSE)) {
		err = 0;
	} else {
		err = GetLastError();
	}
	/* An overlapped ReadFile/WriteFile resets its event when it starts, so
	 * only the worker's event needs resetting here. */
	if (!op->overlapped)
		ResetEvent(op->done);
	op->busy = 0;
	return err;
}

int
aio_done(const struct aio_op *op)
{
	if (!op->busy)
		return 0;
	if (!op->overlapped)
		return InterlockedCompareExchange((volatile LONG *)&op->finished, 0, 0) != 0;
	return op->early_err != 0 || HasOverlappedIoCompleted(&op->ov);
}

void
aio_cancel(struct aio_op *op)
{
	DWORD n;

	if (!op->busy || !op->overlapped)
		return;
	/* ERROR_NOT_FOUND means it completed meanwhile; either way the wait
	 * below returns once the OVERLAPPED is no longer in use. */
	CancelIoEx(op->h, &op->ov);
	if (op->early_err == 0)
		GetOverlappedResult(op->h, &op->ov, &n, TRUE);
	ResetEvent(op->done);
	op->busy = 0;
}

void
aio_close(struct aio_op *op)
{
	if (op->thread != NULL) {
		InterlockedExchange(&op->quit, 1);
		SetEvent(op->go);
		/* A worker still blocked in its call is woken by cancelling it
		 * (CancelSynchronousIo); normally the caller has already closed
		 * or broken the other end, and the call has returned. */
		if (WaitForSingleObject(op->thread, 1000) == WAIT_TIMEOUT) {
			CancelSynchronousIo(op->thread);
			WaitForSingleObject(op->thread, 5000);
		}
		CloseHandle(op->thread);
		CloseHandle(op->go);
	}
	if (op->done != NULL)
		CloseHandle(op->done);
	ZeroMemory(op, sizeof *op);
}

/* FlushFileBuffers on a pipe waits until the peer has read everything; it
 * runs on its own thread so that Ctrl-C still ends the wait. */
static DWORD WINAPI
flush_thread(LPVOID pipe)
{
	return FlushFileBuffers(pipe) ? 0 : GetLastError();
}

DWORD
aio_flush(HANDLE pipe, HANDLE cancel, HANDLE peer_exit)
{
	HANDLE t = CreateThread(NULL, 64 * 1024, flush_thread, pipe,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (t == NULL)
		return GetLastError();
	HANDLE hs[3] = { t, cancel, peer_exit };
	DWORD w = WaitForMultipleObjects(peer_exit != NULL ? 3 : 2, hs, FALSE, INFINITE);
	/* The peer's process is gone (Wine): a pipe that stays open a moment
	 * after is as closed. */
	if (w == WAIT_OBJECT_0 + 2 &&
	    (w = WaitForMultipleObjects(2, hs, FALSE, PEER_EXIT_GRACE_MS)) == WAIT_TIMEOUT) {
		CancelSynchronousIo(t);
		WaitForSingleObject(t, 100);
		CloseHandle(t);
		return 0;
	}
	DWORD code = 0;
	if (w == WAIT_OBJECT_0)
		GetExitCodeThread(t, &code);
	else if (w == WAIT_FAILED)
		code = GetLastError();
	else
		code = ERROR_OPERATION_ABORTED;
	CloseHandle(t);
	/* A peer that closed without reading everything is its own choice. */
	return winerr_is_gone(code) ? 0 : code;
}

HANDLE
pipe_peer_exit_watch(HANDLE pipe)
{
	/* Wine's ntdll exports wine_get_version; Windows' does not. */
	HMODULE nt = GetModuleHandleW(L"ntdll.dll");
	if (nt == NULL || GetProcAddress(nt, "wine_get_version") == NULL)
		return NULL;
	/* Either end can ask for both processes (GetNamedPipeInfo, which would
	 * tell which end this is, needs read access an outbound server end
	 * lacks); the peer is the one that is not this process. */
	ULONG self = GetCurrentProcessId(), pid = 0;
	if (!GetNamedPipeClientProcessId(pipe, &pid))
		return NULL;
	if (pid == self && !GetNamedPipeServerProcessId(pipe, &pid))
		return NULL;
	if (pid == 0 || pid == self)
		return NULL;
	return OpenProcess(SYNCHRONIZE, FALSE, pid);
}

ULONGLONG
peer_exit_deadline(HANDLE w, ULONGLONG *seen, ULONGLONG last, ULONGLONG now)
{
	if (w == NULL)
		return 0;
	if (*seen == 0 && WaitForSingleObject(w, 0) == WAIT_OBJECT_0)
		*seen = now;
	if (*seen == 0)
		return 0;
	return (last > *seen ? last : *seen) + PEER_EXIT_GRACE_MS;
}
