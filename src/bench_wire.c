/*
 * bench_wire: the control protocol's checks and its one I/O call (the
 * messages are in bench_wire.h).
 *
 * The control pipe is overlapped on both ends so that every wait on it
 * includes Ctrl-C: a client or server blocked on a peer that never answers
 * still exits 130 at once.
 */
#include <stdio.h>
#include <string.h>

#include <windows.h>

#include "bench_wire.h"
#include "interrupt.h"

int
hdr_ok(const struct hdr *h, DWORD n)
{
	return n == sizeof *h && memcmp(h->magic, MAGIC, 8) == 0 &&
	    h->test >= T_UP && h->test <= T_ECHO && h->size >= 1 &&
	    h->size <= MAX_SIZE && h->buffer <= (64u << 20) && h->msg <= 1 &&
	    h->ov <= 1;
}

DWORD
ctl_io(HANDLE h, int rd, void *buf, DWORD len, DWORD *n)
{
	OVERLAPPED o;
	ZeroMemory(&o, sizeof o);
	o.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (o.hEvent == NULL)
		return GetLastError();
	*n = 0;
	BOOL ok = rd ? ReadFile(h, buf, len, NULL, &o) : WriteFile(h, buf, len, NULL, &o);
	DWORD e = ok ? 0 : GetLastError();
	if (e == 0 || e == ERROR_IO_PENDING || e == ERROR_MORE_DATA) {
		HANDLE hs[2] = { o.hEvent, interrupt_event() };
		if (WaitForMultipleObjects(2, hs, FALSE, INFINITE) != WAIT_OBJECT_0) {
			CancelIoEx(h, &o);
			GetOverlappedResult(h, &o, n, TRUE);
			CloseHandle(o.hEvent);
			return ERROR_OPERATION_ABORTED;
		}
		e = GetOverlappedResult(h, &o, n, FALSE) ? 0 : GetLastError();
	}
	CloseHandle(o.hEvent);
	return e;
}

int
data_name(const char *ctl, uint32_t seq, char *out, size_t len)
{
	int n = snprintf(out, len, "%s-%lu", ctl, (unsigned long)seq);
	return n > 0 && (size_t)n < len && n <= 256 ? 0 : -1;
}
