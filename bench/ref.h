/*
 * ref.h: what bench's reference programs share (header-only, each program
 * is one file plus this). They are the plainest Win32 code that does the
 * job — synchronous ReadFile/WriteFile of 64 KiB, as in the Windows SDK
 * samples — so that bench/compare.sh can set pipecat beside the ceiling
 * any program reaches on this system.
 */
#ifndef PIPECAT_BENCH_REF_H
#define PIPECAT_BENCH_REF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define REF_CHUNK (64 * 1024)

static inline void
ref_fail(const char *what)
{
	DWORD e = GetLastError();
	fprintf(stderr, "ref: %s: error %lu\n", what, e);
	exit(1);
}

/* "foo" -> \\.\pipe\foo; a full name is kept. */
static inline wchar_t *
ref_pipe_path(const char *name)
{
	static wchar_t w[300];
	wchar_t n[280];
	if (MultiByteToWideChar(CP_UTF8, 0, name, -1, n, 280) == 0)
		ref_fail("pipe name");
	if (wcsncmp(n, L"\\\\", 2) == 0)
		wcscpy(w, n);
	else
		swprintf(w, 300, L"\\\\.\\pipe\\%ls", n);
	return w;
}

/* Serves NAME (one instance, a byte pipe; OV: overlapped), says "ready" on
 * stderr once it exists, and returns once a client has connected. */
static inline HANDLE
ref_serve(const char *name, int ov)
{
	HANDLE h = CreateNamedPipeW(ref_pipe_path(name),
	    PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE |
	        (ov ? FILE_FLAG_OVERLAPPED : 0),
	    PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
	        PIPE_REJECT_REMOTE_CLIENTS,
	    1, REF_CHUNK, REF_CHUNK, 0, NULL);
	if (h == INVALID_HANDLE_VALUE)
		ref_fail("CreateNamedPipe");
	fprintf(stderr, "ready\n");
	fflush(stderr);
	OVERLAPPED o;
	ZeroMemory(&o, sizeof o);
	o.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	DWORD n;
	if (!ConnectNamedPipe(h, ov ? &o : NULL) &&
	    GetLastError() != ERROR_PIPE_CONNECTED &&
	    !(GetLastError() == ERROR_IO_PENDING && GetOverlappedResult(h, &o, &n, TRUE)))
		ref_fail("ConnectNamedPipe");
	CloseHandle(o.hEvent);
	return h;
}

static inline double
ref_now_us(void)
{
	static LARGE_INTEGER f;
	LARGE_INTEGER t;
	if (f.QuadPart == 0)
		QueryPerformanceFrequency(&f);
	QueryPerformanceCounter(&t);
	return (double)t.QuadPart * 1e6 / (double)f.QuadPart;
}

/* Writes all of BUF[0..LEN); returns 0, or the Win32 error. */
static inline DWORD
ref_write_all(HANDLE h, const char *buf, DWORD len)
{
	while (len > 0) {
		DWORD n;
		if (!WriteFile(h, buf, len, &n, NULL))
			return GetLastError();
		buf += n;
		len -= n;
	}
	return 0;
}

/* Reads exactly LEN bytes; returns 0, or the Win32 error (EOF: BROKEN_PIPE). */
static inline DWORD
ref_read_all(HANDLE h, char *buf, DWORD len)
{
	while (len > 0) {
		DWORD n;
		if (!ReadFile(h, buf, len, &n, NULL)) {
			DWORD e = GetLastError();
			if (e != ERROR_MORE_DATA)
				return e;
		}
		if (n == 0)
			return ERROR_BROKEN_PIPE;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Copies FROM to TO (NULL: nowhere, only count) in 64 KiB ReadFile/WriteFile
 * until EOF; returns the bytes. FROM_NAMED_PIPE: a 0-byte read is a
 * zero-length write, not EOF (EOF on a named pipe is ERROR_BROKEN_PIPE).
 */
static inline unsigned long long
ref_copy(HANDLE from, HANDLE to, int from_named_pipe, const char *what)
{
	static char buf[REF_CHUNK];
	unsigned long long total = 0;
	for (;;) {
		DWORD n;
		if (!ReadFile(from, buf, sizeof buf, &n, NULL)) {
			DWORD e = GetLastError();
			if (e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED ||
			    e == ERROR_HANDLE_EOF)
				break;
			ref_fail(what);
		}
		if (n == 0) {
			if (from_named_pipe)
				continue;
			break;
		}
		total += n;
		if (to == NULL)
			continue;
		DWORD e = ref_write_all(to, buf, n);
		if (e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA)
			break;
		if (e != 0) {
			SetLastError(e);
			ref_fail(what);
		}
	}
	return total;
}

static inline int
ref_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * Ping-pong: COUNT round trips of SIZE bytes on H (the peer echoes), after
 * COUNT/10 not counted. Prints "rtt median_us p99_us rt_per_s" on stdout.
 */
static inline void
ref_ping(HANDLE h, long count, DWORD size)
{
	char *buf = malloc(size), *back = malloc(size);
	double *t = malloc((size_t)count * sizeof *t);
	if (buf == NULL || back == NULL || t == NULL)
		ref_fail("memory");
	memset(buf, 'p', size);
	long warm = count / 10;
	double t0 = 0;
	for (long i = -warm; i < count; i++) {
		if (i == 0)
			t0 = ref_now_us();
		double a = ref_now_us();
		DWORD e = ref_write_all(h, buf, size);
		if (e == 0)
			e = ref_read_all(h, back, size);
		if (e != 0) {
			SetLastError(e);
			ref_fail("ping");
		}
		if (memcmp(buf, back, size) != 0) {
			fprintf(stderr, "ref: ping: the echo differs\n");
			exit(1);
		}
		if (i >= 0)
			t[i] = ref_now_us() - a;
	}
	double total = ref_now_us() - t0;
	qsort(t, (size_t)count, sizeof *t, ref_cmp_double);
	double med = count % 2 ? t[count / 2] : (t[count / 2 - 1] + t[count / 2]) / 2;
	long r99 = (long)((99 * count + 99) / 100);
	printf("rtt %.1f %.1f %.0f\n", med, t[r99 - 1], (double)count * 1e6 / total);
	fflush(stdout);
	free(buf);
	free(back);
	free(t);
}

#endif
