/*
 * pipeclient: opening a named pipe as a client; see pipeclient.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "exitcode.h"
#include "interrupt.h"
#include "pipeclient.h"
#include "winerr.h"

/*
 * Opens the pipe, waiting as PC says. Returns the handle, or NULL with ERR
 * and *STATUS filled.
 */
static HANDLE
open_waiting(struct pipeclient *pc, const wchar_t *wname, int *status,
    char *err, size_t errlen)
{
	DWORD flags = FILE_FLAG_OVERLAPPED | pc->sqos;
	ULONGLONG start = GetTickCount64();

	for (;;) {
		HANDLE h = CreateFileW(wname, pc->access,
		    0,                  /* no sharing: meaningless for a pipe client */
		    NULL,               /* default security, not inheritable */
		    OPEN_EXISTING,      /* pipes are opened, never created, here */
		    flags,              /* overlapped + SQOS impersonation level */
		    NULL);
		if (h != INVALID_HANDLE_VALUE)
			return h;
		DWORD e = GetLastError();
		if (e == ERROR_ACCESS_DENIED && pc->access == (GENERIC_READ | GENERIC_WRITE)) {
			/* A one-way pipe (PIPE_ACCESS_INBOUND/OUTBOUND) refuses a
			 * read-write open: open it the way it goes. If the DACL is
			 * what refused us, both tries fail too, and the first
			 * error is the one reported. The attribute right is what
			 * SetNamedPipeHandleState and GetNamedPipeInfo need. */
			static const DWORD oneway[2] = {
				GENERIC_WRITE | FILE_READ_ATTRIBUTES,
				GENERIC_READ | FILE_WRITE_ATTRIBUTES
			};
			for (int i = 0; i < 2; i++) {
				h = CreateFileW(wname, oneway[i], 0, NULL,
				    OPEN_EXISTING, flags, NULL);
				if (h != INVALID_HANDLE_VALUE) {
					pc->access = oneway[i];
					return h;
				}
			}
		}
		int busy = e == ERROR_PIPE_BUSY;

		if (!busy && !winerr_is_not_found(e)) {
			winerr_fmt(err, errlen, e, "%s", pc->what);
			*status = winerr_exit_code(e);
			return NULL;
		}
		if (pc->wait_ms == 0) {
			winerr_fmt(err, errlen, e, "%s", pc->what);
			*status = busy ? EXIT_BUSY : EXIT_NOTFOUND;
			return NULL;
		}
		ULONGLONG waited = GetTickCount64() - start;
		if (pc->wait_ms > 0 && waited >= (ULONGLONG)pc->wait_ms) {
			winerr_fmt(err, errlen, e, "%s: timed out after %s s waiting for %s",
			    pc->what, pc->wait_text,
			    busy ? "a free instance" : "the pipe to exist");
			*status = EXIT_BUSY;
			return NULL;
		}
		/* Slices of at most 100 ms keep Ctrl-C prompt and a new pipe
		 * noticed quickly; WaitNamedPipeW returns at once when an
		 * instance frees up, so busy waits lose nothing by slicing. */
		DWORD slice = 100;
		if (pc->wait_ms > 0 && (ULONGLONG)pc->wait_ms - waited < slice)
			slice = (DWORD)((ULONGLONG)pc->wait_ms - waited);
		if (busy) {
			/* Fails with ERROR_SEM_TIMEOUT when the slice runs out, or
			 * ERROR_FILE_NOT_FOUND if the pipe went away; both lead back
			 * to CreateFileW, which says which it is. */
			(void)WaitNamedPipeW(wname, slice ? slice : 1);
			if (interrupted())
				goto intr;
		} else if (WaitForSingleObject(interrupt_event(), slice) == WAIT_OBJECT_0) {
			goto intr;
		}
	}
intr:
	*status = EXIT_INTR;
	if (errlen > 0)
		err[0] = '\0';
	return NULL;
}

HANDLE
pipeclient_open(struct pipeclient *pc, int *status, char *err, size_t errlen)
{
	wchar_t *wname = utf8_to_wide(pc->name);
	if (wname == NULL) {
		winerr_fmt(err, errlen, GetLastError(), "%s", pc->what);
		*status = EXIT_FAIL;
		return NULL;
	}
	HANDLE h = open_waiting(pc, wname, status, err, errlen);
	free(wname);
	if (h == NULL || !pc->message)
		return h;

	DWORD mode = PIPE_READMODE_MESSAGE;
	DWORD info = 0;
	if (GetNamedPipeInfo(h, &info, NULL, NULL, NULL) && !(info & PIPE_TYPE_MESSAGE)) {
		snprintf(err, errlen, "%s: -m needs a message-type pipe, and this "
		    "one is byte-type", pc->what);
		*status = EXIT_FAIL;
		CloseHandle(h);
		return NULL;
	}
	if (!SetNamedPipeHandleState(h, &mode, NULL, NULL)) {
		winerr_fmt(err, errlen, GetLastError(), "set message read mode on %s",
		    pc->name);
		*status = EXIT_FAIL;
		CloseHandle(h);
		return NULL;
	}
	return h;
}
