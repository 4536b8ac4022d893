/*
 * bench_server: the server end of bench (contract in bench_server.h).
 *
 * A session is one loop on the main thread (--serve) or the private
 * server's thread: read a request, create its data pipe NAME-SEQ, answer,
 * run the server's parts on it (bench_part.h), send the result. Every
 * data pipe has one instance, so one client, and is created for the
 * run's type, buffer size and kind of handle; like the control pipe it is
 * the name's first instance, rejects remote clients unless --allow-remote
 * and has a DACL for SYSTEM and the current user only. The receiving
 * clock starts before the answer that names the pipe, so no byte the
 * client sends is ever before the clock.
 *
 * A read of the next request is always pending, during runs too, so that
 * a client that goes away mid-run is noticed: the server then opens the
 * data pipe itself and leaves, so that a part still waiting for its
 * client, or for data, sees the end and returns.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "bench_part.h"
#include "bench_server.h"
#include "bench_wire.h"
#include "interrupt.h"
#include "pipeserver.h"
#include "winerr.h"

struct bench_srv {
	const char *name;       /* the control pipe, "\\.\pipe\NAME" */
	int remote;             /* --allow-remote */
	int verbose;
	uint32_t seq;           /* the last data pipe's number */
	void (*note)(const char *line);  /* -v lines; NULL: none */
};

static void
note(const struct bench_srv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(const struct bench_srv *s, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	if (s->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	s->note(line);
}

/* The pipes' security, as serve's default (pipeserver.c): made once by
 * bench_sa_init, before any thread creates a pipe (main thread), and read
 * only after. */
static struct server sa_server;

int
bench_sa_init(const char *name, char *err, size_t errlen)
{
	struct server_opts o = {
		.what = "bench", .access = PIPE_ACCESS_DUPLEX, .max_instances = 1,
		.buffer = 4096,
	};
	int status;
	return server_init(&sa_server, name, &o, &status, err, errlen);
}

static HANDLE
create_pipe(const char *name, int msg, int ov, DWORD buffer, int remote,
    DWORD *e)
{
	wchar_t *w = utf8_to_wide(name);
	if (w == NULL) {
		*e = GetLastError();
		return NULL;
	}
	HANDLE h = CreateNamedPipeW(w,
	    PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE |
	        (ov ? FILE_FLAG_OVERLAPPED : 0),
	    (msg ? PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE
	         : PIPE_TYPE_BYTE | PIPE_READMODE_BYTE) | PIPE_WAIT |
	        (remote ? PIPE_ACCEPT_REMOTE_CLIENTS : PIPE_REJECT_REMOTE_CLIENTS),
	    1,                  /* one instance: one client per run */
	    buffer,             /* out buffer */
	    buffer,             /* in buffer */
	    0,                  /* WaitNamedPipe default */
	    &sa_server.sa);         /* the user and SYSTEM only */
	*e = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
	free(w);
	return h == INVALID_HANDLE_VALUE ? NULL : h;
}

/* Starts reading the next request on CTL into H with O (event EV). */
static DWORD
ctl_read_start(HANDLE ctl, struct hdr *h, OVERLAPPED *o, HANDLE ev)
{
	ZeroMemory(o, sizeof *o);
	o->hEvent = ev;
	ResetEvent(ev);
	if (ReadFile(ctl, h, sizeof *h, NULL, o))
		return 0;
	DWORD e = GetLastError();
	return e == ERROR_IO_PENDING || e == ERROR_MORE_DATA ? 0 : e;
}

/* A run's client went away before or during the run: connect to the data
 * pipe and leave at once, so that a part waiting for a client, or for data,
 * sees the end and returns. */
static void
unblock_run(const char *dname)
{
	wchar_t *w = utf8_to_wide(dname);
	if (w == NULL)
		return;
	HANDLE h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, 0, NULL,
	    OPEN_EXISTING, 0, NULL);
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	free(w);
}

/*
 * Serves one client's session on the connected control pipe CTL: runs
 * until the client closes it. Returns 0, ERROR_OPERATION_ABORTED on
 * Ctrl-C, or an error with the message in ERR.
 */
static DWORD
serve_session(struct bench_srv *s, HANDLE ctl, char *err, size_t errlen)
{
	struct hdr next, h;
	OVERLAPPED o;
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	DWORD e, n;

	if (ev == NULL)
		return GetLastError();
	/* A read of the next request is always pending, during runs too, so
	 * that a client that goes away mid-run is noticed. */
	e = ctl_read_start(ctl, &next, &o, ev);
	while (e == 0) {
		HANDLE hs[2] = { ev, interrupt_event() };
		if (WaitForMultipleObjects(2, hs, FALSE, INFINITE) != WAIT_OBJECT_0) {
			CancelIoEx(ctl, &o);
			GetOverlappedResult(ctl, &o, &n, TRUE);
			e = ERROR_OPERATION_ABORTED;
			break;
		}
		if (!GetOverlappedResult(ctl, &o, &n, FALSE)) {
			e = GetLastError();
			break;
		}
		h = next;
		if (!hdr_ok(&h, n)) {
			e = ERROR_INVALID_DATA;
			winerr_fmt(err, errlen, e, "bench %s: a client sent a bad request",
			    s->name);
			CloseHandle(ev);
			return e;
		}

		char dname[300];
		struct reply rep = { MAGIC, 0, ++s->seq };
		HANDLE dh = NULL;
		if (data_name(s->name, rep.seq, dname, sizeof dname) != 0)
			rep.status = ERROR_FILENAME_EXCED_RANGE;
		else if ((dh = create_pipe(dname, (int)h.msg, (int)h.ov,
		    h.buffer, s->remote, &e)) == NULL)
			rep.status = e;
		/* acc, a, b: see the design note on why they are on the heap. */
		struct part *pp = calloc(3, sizeof *pp);
		if (pp == NULL) {
			e = ERROR_NOT_ENOUGH_MEMORY;
			if (dh != NULL)
				CloseHandle(dh);
			break;
		}
		struct part *acc = &pp[0], *a = &pp[1], *b = &pp[2];
		*acc = (struct part){ .kind = P_ACCEPT, .h = dh, .ov = (int)h.ov };
		*a = (struct part){ .h = dh, .ov = (int)h.ov, .msg = (int)h.msg,
		    .size = h.size, .bytes = h.bytes };
		*b = *a;
		acc->pair = a;
		enum part_kind kind[2];
		if (part_kinds(h.test, 1, kind) == 2)
			acc->pair2 = b;
		a->kind = kind[0];
		b->kind = kind[1];
		/* The receiving clock starts before the client can know the data
		 * pipe exists, so no byte it sends is ever before the clock. */
		a->t0 = now_us();
		if ((e = ctl_io(ctl, 0, &rep, sizeof rep, &n)) != 0 ||
		    (e = ctl_read_start(ctl, &next, &o, ev)) != 0) {
			if (dh != NULL)
				CloseHandle(dh);
			free(pp);
			break;
		}
		if (dh == NULL) {
			free(pp);
			continue;
		}
		if (s->verbose >= 2)
			note(s, "bench %s: run %lu on %s", s->name, (unsigned long)rep.seq, dname);
		HANDLE t = part_start(acc);
		if (t == NULL) {
			e = GetLastError();
			CloseHandle(dh);
			free(pp);
			break;
		}
		DWORD w = wait_threads(&t, 1, ev);
		if (w == 1) {
			/* The client spoke or left before the run was over: it
			 * is gone (a bench client is silent during a run). */
			unblock_run(dname);
			w = wait_threads(&t, 1, NULL);
		}
		if (w == ERROR_OPERATION_ABORTED) {
			/* The process is about to exit; the parts die with it,
			 * and keep their memory till then (pp is not freed). */
			e = w;
			break;
		}

		struct result res = { MAGIC, 0, 0, 0, 0, "" };
		struct part *bad = acc->err ? acc : a->err ? a : b->err ? b : NULL;
		if (bad != NULL) {
			res.status = bad->err;
			snprintf(res.text, sizeof res.text, "%s", bad->text);
		}
		res.done = a->done;
		if (a->kind == P_SINK && a->t1 > a->t0)
			res.elapsed_ns = (uint64_t)((a->t1 - a->t0) * 1000.0);
		CloseHandle(dh);
		if (bad != NULL && s->verbose)
			note(s, "bench %s: run %lu failed: %s", s->name,
			    (unsigned long)rep.seq, bad->text);
		free(pp);
		e = ctl_io(ctl, 0, &res, sizeof res, &n);
	}
	if (e != ERROR_OPERATION_ABORTED && e != 0) {
		CancelIoEx(ctl, &o);
		GetOverlappedResult(ctl, &o, &n, TRUE);
	}
	CloseHandle(ev);
	if (winerr_is_gone(e))
		return 0;
	if (e != 0 && e != ERROR_OPERATION_ABORTED)
		winerr_fmt(err, errlen, e, "bench %s: control pipe", s->name);
	return e;
}

/* Waits for a client on the control pipe H (overlapped). Returns 0,
 * ERROR_OPERATION_ABORTED, or the Win32 error. */
static DWORD
accept_ctl(HANDLE h)
{
	OVERLAPPED o;
	ZeroMemory(&o, sizeof o);
	o.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (o.hEvent == NULL)
		return GetLastError();
	DWORD e = ConnectNamedPipe(h, &o) ? 0 : GetLastError();
	if (e == ERROR_IO_PENDING || e == 0) {
		HANDLE hs[2] = { o.hEvent, interrupt_event() };
		DWORD n;
		if (WaitForMultipleObjects(2, hs, FALSE, INFINITE) != WAIT_OBJECT_0) {
			CancelIoEx(h, &o);
			GetOverlappedResult(h, &o, &n, TRUE);
			e = ERROR_OPERATION_ABORTED;
		} else {
			e = GetOverlappedResult(h, &o, &n, FALSE) ? 0 : GetLastError();
		}
	} else if (e == ERROR_PIPE_CONNECTED) {
		e = 0;
	}
	CloseHandle(o.hEvent);
	return e;
}

/*
 * The private server. The main thread sets s.name and ctl, then starts the
 * thread, and reads err and text once the thread has ended; the thread
 * writes err and text.
 */
static struct {
	struct bench_srv s;
	HANDLE ctl;
	HANDLE thread;
	DWORD err;
	char text[1024];
} ls;

static DWORD WINAPI
local_server_thread(LPVOID arg)
{
	(void)arg;
	ls.err = accept_ctl(ls.ctl);
	if (ls.err == 0)
		ls.err = serve_session(&ls.s, ls.ctl, ls.text, sizeof ls.text);
	else
		winerr_fmt(ls.text, sizeof ls.text, ls.err,
		    "bench %s: wait for the client", ls.s.name);
	return 0;
}

DWORD
bench_local_start(const char *name, char *err, size_t errlen)
{
	DWORD e;

	ls.s.name = name;
	ls.ctl = create_pipe(name, 1, 1, 4096, 0, &e);
	if (ls.ctl == NULL) {
		winerr_fmt(err, errlen, e, "bench %s", name);
		return e;
	}
	ls.thread = CreateThread(NULL, 64 * 1024, local_server_thread, NULL,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (ls.thread == NULL) {
		e = GetLastError();
		winerr_fmt(err, errlen, e, "bench: start the server thread");
		return e;
	}
	return 0;
}

DWORD
bench_local_end(char *err, size_t errlen)
{
	HANDLE hs[2] = { ls.thread, interrupt_event() };
	if (WaitForMultipleObjects(2, hs, FALSE, INFINITE) != WAIT_OBJECT_0)
		return ERROR_OPERATION_ABORTED;
	CloseHandle(ls.thread);
	CloseHandle(ls.ctl);
	if (ls.err == 0 || ls.err == ERROR_OPERATION_ABORTED)
		return 0;
	snprintf(err, errlen, "%s", ls.text);
	return ls.err;
}

HANDLE
bench_listen(const char *name, int remote, DWORD *e)
{
	return create_pipe(name, 1, 1, 4096, remote, e);
}

DWORD
bench_serve(HANDLE ctl, const struct bench_serve_cfg *cfg, char *err,
    size_t errlen)
{
	struct bench_srv s = { .name = cfg->name, .remote = cfg->remote,
	    .verbose = cfg->verbose, .note = cfg->note };
	char why[1024];
	DWORD e;

	for (long long served = 0; cfg->max_clients == 0 ||
	    served < cfg->max_clients; served++) {
		if ((e = accept_ctl(ctl)) != 0) {
			if (e != ERROR_OPERATION_ABORTED)
				winerr_fmt(err, errlen, e, "bench --serve %s: wait "
				    "for a client", cfg->name);
			return e;
		}
		if (cfg->verbose)
			note(&s, "client connected to %s", cfg->name);
		e = serve_session(&s, ctl, why, sizeof why);
		if (e == ERROR_OPERATION_ABORTED)
			return e;
		if (e != 0 && !cfg->quiet)
			note(&s, "%s", why);
		if (cfg->verbose)
			note(&s, "client gone from %s", cfg->name);
		DisconnectNamedPipe(ctl);
	}
	return 0;
}
