/*
 * bench_part: the parts of a run (contract in bench_part.h).
 *
 * Honest measuring, at the level of the bytes:
 *   - Data is a pattern with a prime period (65521 bytes), so a lost,
 *     doubled or reordered chunk shows; the receiver compares every byte
 *     it reads and only bytes that compared equal are counted. A mismatch,
 *     a short or a long message is an error, never a figure.
 *   - A figure is timed by its receiver with QueryPerformanceCounter, up
 *     to the last verified byte (t1), from a moment (t0) its starter chose
 *     before the sender can send. Both ways at once: each direction is
 *     timed by its own receiver.
 *   - Parts do plain blocking ReadFile and WriteFile, on a synchronous
 *     handle (the cheapest path, so the figure is the pipe's, not bench's)
 *     or, when the run asks for it, an overlapped one waited for at once:
 *     both ways at once needs overlapped handles, because Windows
 *     serialises I/O on a synchronous handle.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "bench_part.h"
#include "interrupt.h"
#include "winerr.h"

#define PERIOD 65521u                   /* the pattern's period: a prime */

/* The pattern: byte i of a stream is pat[i % PERIOD]; pat is long enough
 * that any I/O of up to MAX_SIZE bytes reads it from one place. And the
 * performance counter's frequency. Both written once by part_init, before
 * any part starts, and read only after. */
static unsigned char *pat;
static LARGE_INTEGER freq;

int
part_init(void)
{
	if (pat != NULL)
		return 0;
	/* Never fails on Windows XP or later, says its documentation. */
	QueryPerformanceFrequency(&freq);
	pat = malloc(PERIOD + MAX_SIZE);
	if (pat == NULL)
		return -1;
	for (uint32_t i = 0; i < PERIOD + MAX_SIZE; i++) {
		uint32_t k = i % PERIOD;
		pat[i] = (unsigned char)(k * 131u + (k >> 8) * 7u + 1u);
	}
	return 0;
}

double
now_us(void)
{
	LARGE_INTEGER t;
	QueryPerformanceCounter(&t);
	return (double)t.QuadPart * 1e6 / (double)freq.QuadPart;
}

/*
 * One read or write on H, waited for whatever kind H is: on an overlapped
 * handle with EV as the OVERLAPPED's event. ERROR_MORE_DATA (a message
 * longer than LEN) is returned with *N bytes read.
 */
static DWORD
io_rw(HANDLE h, int ov, HANDLE ev, int rd, void *buf, DWORD len, DWORD *n)
{
	*n = 0;
	if (!ov) {
		BOOL ok = rd ? ReadFile(h, buf, len, n, NULL)
		    : WriteFile(h, buf, len, n, NULL);
		return ok ? 0 : GetLastError();
	}
	OVERLAPPED o;
	ZeroMemory(&o, sizeof o);
	o.hEvent = ev;
	BOOL ok = rd ? ReadFile(h, buf, len, NULL, &o)
	    : WriteFile(h, buf, len, NULL, &o);
	if (!ok) {
		DWORD e = GetLastError();
		if (e != ERROR_IO_PENDING && e != ERROR_MORE_DATA)
			return e;
	}
	return GetOverlappedResult(h, &o, n, TRUE) ? 0 : GetLastError();
}

static void
part_fail(struct part *p, DWORD e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
part_fail(struct part *p, DWORD e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->text, sizeof p->text, fmt, ap);
	va_end(ap);
	p->err = e;
}

/* Index of the first byte where A and B differ, or N. */
static DWORD
first_diff(const unsigned char *a, const unsigned char *b, DWORD n)
{
	if (memcmp(a, b, n) == 0)
		return n;
	DWORD i = 0;
	while (a[i] == b[i])
		i++;
	return i;
}

static void
do_sink(struct part *p, HANDLE ev, unsigned char *buf)
{
	uint64_t off = 0;
	while (off < p->bytes) {
		uint64_t left = p->bytes - off;
		DWORD want = left < p->size ? (DWORD)left : p->size;
		DWORD n;
		/* A message read gets the whole size, so a longer one shows. */
		DWORD e = io_rw(p->h, p->ov, ev, 1, buf, p->msg ? p->size : want, &n);
		if (e == ERROR_MORE_DATA) {
			part_fail(p, ERROR_INVALID_DATA, "a message longer than "
			    "the %lu bytes sent", (unsigned long)want);
			return;
		}
		if (e != 0) {
			if (winerr_is_gone(e))
				part_fail(p, e, "the peer closed after %llu of %llu bytes",
				    (unsigned long long)off, (unsigned long long)p->bytes);
			else
				part_fail(p, e, "read");
			return;
		}
		if (n == 0 && !p->msg)
			continue;       /* a zero-length write: no data */
		if ((p->msg && n != want) || n > left) {
			part_fail(p, ERROR_INVALID_DATA, "%s of %lu bytes where %lu "
			    "were sent", p->msg ? "a message" : "a read",
			    (unsigned long)n, (unsigned long)want);
			return;
		}
		DWORD bad = first_diff(buf, pat + off % PERIOD, n);
		if (bad != n) {
			part_fail(p, ERROR_INVALID_DATA, "byte %llu differs from "
			    "what was sent", (unsigned long long)(off + bad));
			return;
		}
		off += n;
		p->done = off;
	}
}

static void
do_source(struct part *p, HANDLE ev)
{
	uint64_t off = 0;
	while (off < p->bytes) {
		uint64_t left = p->bytes - off;
		DWORD want = left < p->size ? (DWORD)left : p->size;
		DWORD n;
		DWORD e = io_rw(p->h, p->ov, ev, 0, pat + off % PERIOD, want, &n);
		if (e != 0) {
			part_fail(p, e, winerr_is_gone(e) ? "the peer closed after %llu of %llu bytes"
			    : "write after %llu of %llu bytes",
			    (unsigned long long)off, (unsigned long long)p->bytes);
			return;
		}
		off += n;
		p->done = off;
	}
}

/* Reads one echo unit: a message, or SIZE bytes of a byte stream. Returns
 * 0, or the Win32 error. */
static DWORD
read_unit(struct part *p, HANDLE ev, unsigned char *buf, DWORD *got)
{
	*got = 0;
	do {
		DWORD n;
		DWORD e = io_rw(p->h, p->ov, ev, 1, buf + *got, p->size - *got, &n);
		if (e == ERROR_MORE_DATA)
			return ERROR_INVALID_DATA;
		if (e != 0)
			return e;
		*got += n;
	} while (!p->msg && *got < p->size);
	return 0;
}

static DWORD
write_all(struct part *p, HANDLE ev, const unsigned char *buf, DWORD len)
{
	while (len > 0) {
		DWORD n;
		DWORD e = io_rw(p->h, p->ov, ev, 0, (void *)buf, len, &n);
		if (e != 0)
			return e;
		buf += n;
		len -= n;
	}
	return 0;
}

static void
do_echo(struct part *p, HANDLE ev, unsigned char *buf)
{
	for (;;) {
		DWORD n;
		DWORD e = read_unit(p, ev, buf, &n);
		if (winerr_is_gone(e))
			return;         /* the client is done */
		if (e == 0 && n == 0 && p->msg)
			continue;
		if (e == 0)
			e = write_all(p, ev, buf, n);
		if (e != 0) {
			if (!winerr_is_gone(e))
				part_fail(p, e, "echo");
			return;
		}
		p->done++;
	}
}

static void
do_ping(struct part *p, HANDLE ev, unsigned char *buf)
{
	for (uint64_t i = 0; i < p->bytes; i++) {
		const unsigned char *out = pat + (i * p->size) % PERIOD;
		double a = now_us();
		DWORD n;
		DWORD e = write_all(p, ev, out, p->size);
		if (e == 0)
			e = read_unit(p, ev, buf, &n);
		double b = now_us();
		if (e != 0) {
			part_fail(p, e, e == ERROR_INVALID_DATA
			    ? "an echo longer than the message sent" : "ping");
			return;
		}
		if (n != p->size || memcmp(buf, out, n) != 0) {
			part_fail(p, ERROR_INVALID_DATA, "echo %llu differs from "
			    "what was sent", (unsigned long long)i);
			return;
		}
		p->samples[i] = b - a;
		p->done = i + 1;
	}
}

int
part_kinds(enum test test, int server, enum part_kind kind[2])
{
	static const enum part_kind client[] = {
		[T_UP] = P_SOURCE, [T_DOWN] = P_SINK, [T_BOTH] = P_SINK, [T_ECHO] = P_PING
	};
	static const enum part_kind srv[] = {
		[T_UP] = P_SINK, [T_DOWN] = P_SOURCE, [T_BOTH] = P_SINK, [T_ECHO] = P_ECHO
	};
	kind[0] = server ? srv[test] : client[test];
	kind[1] = P_SOURCE;     /* both ways at once: each end also sends */
	return test == T_BOTH ? 2 : 1;
}

static DWORD WINAPI part_thread(LPVOID arg);

HANDLE
part_start(struct part *p)
{
	p->err = 0;
	p->text[0] = '\0';
	p->done = 0;
	return CreateThread(NULL, 64 * 1024, part_thread, p,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
}

/* The server's first part: waits for the client on the data pipe, then
 * runs the parts of the run (two at once for both ways). */
static void
do_accept(struct part *p, HANDLE ev)
{
	OVERLAPPED o;
	ZeroMemory(&o, sizeof o);
	o.hEvent = ev;
	BOOL ok = ConnectNamedPipe(p->h, p->ov ? &o : NULL);
	DWORD e = ok ? 0 : GetLastError();
	if (e == ERROR_IO_PENDING) {
		DWORD n;
		e = GetOverlappedResult(p->h, &o, &n, TRUE) ? 0 : GetLastError();
	}
	/* ERROR_NO_DATA: the client came, wrote and closed before we got
	 * here; what it wrote is still there to be read. */
	if (e != 0 && e != ERROR_PIPE_CONNECTED && e != ERROR_NO_DATA) {
		part_fail(p, e, "wait for the client on the data pipe");
		return;
	}
	HANDLE t2 = NULL;
	if (p->pair2 != NULL) {
		if ((t2 = part_start(p->pair2)) == NULL) {
			part_fail(p, GetLastError(), "start a thread");
			return;
		}
	}
	part_thread(p->pair);
	if (t2 != NULL) {
		WaitForSingleObject(t2, INFINITE);
		CloseHandle(t2);
	}
}

static DWORD WINAPI
part_thread(LPVOID arg)
{
	struct part *p = arg;
	HANDLE ev = NULL;
	unsigned char *buf = NULL;

	if (p->ov && (ev = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL) {
		part_fail(p, GetLastError(), "create an event");
		return 0;
	}
	if ((p->kind == P_SINK || p->kind == P_ECHO || p->kind == P_PING) &&
	    (buf = malloc(p->size)) == NULL) {
		part_fail(p, ERROR_NOT_ENOUGH_MEMORY, "buffer");
		if (ev != NULL)
			CloseHandle(ev);
		return 0;
	}
	switch (p->kind) {
	case P_SINK:
		do_sink(p, ev, buf);
		break;
	case P_SOURCE:
		do_source(p, ev);
		break;
	case P_ECHO:
		do_echo(p, ev, buf);
		break;
	case P_PING:
		do_ping(p, ev, buf);
		break;
	case P_ACCEPT:
		do_accept(p, ev);
		break;
	}
	p->t1 = now_us();
	free(buf);
	if (ev != NULL)
		CloseHandle(ev);
	return 0;
}

DWORD
wait_threads(HANDLE *ts, int n, HANDLE extra)
{
	for (;;) {
		HANDLE hs[4];
		DWORD k = 0;
		hs[k++] = interrupt_event();
		if (extra != NULL)
			hs[k++] = extra;
		DWORD first = k;
		for (int i = 0; i < n; i++)
			if (ts[i] != NULL)
				hs[k++] = ts[i];
		if (k == first)
			return 0;
		DWORD w = WaitForMultipleObjects(k, hs, FALSE, INFINITE);
		if (w == WAIT_OBJECT_0)
			return ERROR_OPERATION_ABORTED;
		if (extra != NULL && w == WAIT_OBJECT_0 + 1)
			return 1;
		if (w < WAIT_OBJECT_0 + first || w >= WAIT_OBJECT_0 + k)
			return GetLastError();
		for (int i = 0; i < n; i++)
			if (ts[i] == hs[w - WAIT_OBJECT_0]) {
				CloseHandle(ts[i]);
				ts[i] = NULL;
			}
	}
}
