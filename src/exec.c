/*
 * exec: a serve --exec client, bound to a child process; see exec.h.
 *
 * Each direction is a pump thread (pump.c: read, wait, write, no hand-off,
 * the cheapest way under Wine), and the session's thread only decides:
 *   in:  the pipe (overlapped) -> the child's stdin (anonymous pipe)
 *   out: the child's stdout (anonymous pipe) -> the pipe (overlapped)
 * Every way a session ends:
 *   - the child closed its output (usually: it exited) and all of it has
 *     been written: the pipe is flushed (the client reads every byte) and
 *     closed, a clean end for the client;
 *   - the client went away (a write to the pipe fails, or its end of the
 *     pipe closed while the child still writes): the child's tree is
 *     killed, since nobody is left to read it;
 *   - -i: nothing moved either way for that long;
 *   - Ctrl-C: the whole server is stopping.
 * When the client's data ends, the child's stdin is closed (EOF). Byte
 * pipes have no half-close: a client that closed its handle can take no
 * more, so the child's next write ends the session as "gone" and the child
 * is killed; a client that wants the answer keeps its end open (pipecat
 * connect does, until -q or the server closes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aio.h"
#include "child.h"
#include "exec.h"
#include "interrupt.h"
#include "pump.h"
#include "relay.h"
#include "winerr.h"

#define PIPE_SIZE (64 * 1024)

struct session {
	struct exec_cfg cfg;
	HANDLE pipe;
	unsigned long id;
	struct pump in, out;
};

static ULONGLONG
pump_last(struct pump *p)
{
	return (ULONGLONG)InterlockedCompareExchange64(&p->last, 0, 0);
}

/* Serves one client; returns nothing, reports on stderr as -v asks. */
static void
serve_client(struct session *s)
{
	const struct exec_cfg *cfg = &s->cfg;
	HANDLE in_r = NULL, in_w = NULL, out_r = NULL, out_w = NULL;
	struct pump *pin = &s->in, *pout = &s->out;
	struct child c = { 0 };
	char err[1024] = "";
	DWORD e;
	ULONGLONG t0 = GetTickCount64();
	const char *how = "closed";
	int in_on = 0, out_on = 0;

	if (!CreatePipe(&in_r, &in_w, NULL, PIPE_SIZE) ||
	    !CreatePipe(&out_r, &out_w, NULL, PIPE_SIZE)) {
		winerr_fmt(err, sizeof err, GetLastError(), "serve %s: client %lu: create a pipe",
		    cfg->name, s->id);
		goto out;
	}
	e = child_start(&c, cfg->cmdline, in_r, out_w,
	    cfg->with_stderr ? out_w : GetStdHandle(STD_ERROR_HANDLE), err, sizeof err);
	CloseHandle(in_r);
	CloseHandle(out_w);
	in_r = out_w = NULL;
	if (e != 0) {
		char msg[1100];
		snprintf(msg, sizeof msg, "serve %s: client %lu: %s", cfg->name, s->id, err);
		snprintf(err, sizeof err, "%s", msg);
		goto out;
	}
	if (cfg->verbose)
		say("client %lu of %s: started pid %lu: %s", s->id, cfg->name,
		    c.pid, cfg->cmdline);

	pin->src = s->pipe;
	pin->msg = cfg->message;
	pin->dst = in_w;
	pout->src = out_r;
	pout->src_sync = 1;
	pout->dst = s->pipe;
	pout->dst_ov = 1;
	if ((e = pump_start(pout)) == 0)
		out_on = 1;
	if (e == 0 && (e = pump_start(pin)) == 0)
		in_on = 1;
	if (e != 0) {
		winerr_fmt(err, sizeof err, e, "serve %s: client %lu: start the relay",
		    cfg->name, s->id);
		goto stop;
	}

	int in_over = 0, cut = 0;
	for (;;) {
		ULONGLONG now = GetTickCount64();
		int out_over = WaitForSingleObject(pout->done, 0) == WAIT_OBJECT_0;

		if (interrupted()) {
			how = "interrupted";
			break;
		}
		if (out_over) {
			if (pout->dead)
				how = "gone";
			else if (pout->err != 0)
				winerr_fmt(err, sizeof err, pout->err, "%s %s",
				    pout->err_write ? "write" : "read",
				    pout->err_write ? cfg->name : "the child's stdout");
			else {
				DWORD fe = aio_flush(s->pipe, interrupt_event());
				if (fe != 0 && fe != ERROR_OPERATION_ABORTED)
					winerr_fmt(err, sizeof err, fe, "flush %s", cfg->name);
			}
			break;
		}
		if (!in_over && WaitForSingleObject(pin->done, 0) == WAIT_OBJECT_0) {
			in_over = 1;
			if (pin->err != 0) {
				winerr_fmt(err, sizeof err, pin->err, "%s %s",
				    pin->err_write ? "write" : "read",
				    pin->err_write ? "the child's stdin" : cfg->name);
				break;
			}
			/* The client is done sending (or the child stopped
			 * reading): the child's stdin ends. */
			CloseHandle(in_w);
			in_w = NULL;
			/* A byte pipe's client whose end closed can take nothing
			 * more: what the child still writes is not left to Wine,
			 * which does not always complete such a write. */
			cut = pin->eof;
		}
		if (cfg->idle_ms >= 0) {
			ULONGLONG last = pump_last(pin) > pump_last(pout)
			    ? pump_last(pin) : pump_last(pout);
			if (now >= last + (ULONGLONG)cfg->idle_ms) {
				how = "idle";
				break;
			}
		}
		if (cut)
			pump_cut(pout);

		HANDLE hs[3];
		DWORD n = 0;
		hs[n++] = interrupt_event();
		hs[n++] = pout->done;
		if (!in_over)
			hs[n++] = pin->done;
		/* Cut: a write that began just as it was cut is cancelled by
		 * the next pump_cut. */
		DWORD wait = cut && pump_writing(pout) ? 50 : INFINITE;
		if (cfg->idle_ms >= 0) {
			ULONGLONG last = pump_last(pin) > pump_last(pout)
			    ? pump_last(pin) : pump_last(pout);
			ULONGLONG at = last + (ULONGLONG)cfg->idle_ms;
			ULONGLONG left = at > now ? at - now : 0;
			if (left < wait)
				wait = (DWORD)left;
		}
		if (WaitForMultipleObjects(n, hs, FALSE, wait) == WAIT_FAILED) {
			winerr_fmt(err, sizeof err, GetLastError(),
			    "serve %s: client %lu: wait", cfg->name, s->id);
			break;
		}
	}

stop:
	if (c.process != NULL && strcmp(how, "closed") == 0 && err[0] == '\0') {
		/* A child whose output has ended usually exits with it; give it
		 * a moment to say its status before the job takes it down. */
		WaitForSingleObject(c.process, 1000);
	}
out:;
	DWORD status = 0;
	int ended = 0, started = c.process != NULL;
	if (c.process != NULL &&
	    WaitForSingleObject(c.process, 0) == WAIT_OBJECT_0) {
		ended = 1;
		status = child_status(&c);
	}
	/* Kill what is left of the tree first: its ends of the pipes then
	 * close, and a pump blocked on them returns. Nothing may be in flight
	 * on the client's pipe once it is closed. */
	child_close(&c);
	if (out_on) {
		pump_cut(pout);
		pump_stop(pout, NULL);
	}
	if (in_on)
		pump_stop(pin, NULL);
	CloseHandle(s->pipe);
	if (err[0] != '\0' && !(cfg->quiet && strcmp(how, "closed") != 0))
		say("%s", err);
	else if (strcmp(how, "idle") == 0 && !cfg->quiet)
		say("serve %s: client %lu: idle for %lld.%03lld s, closed", cfg->name,
		    s->id, cfg->idle_ms / 1000, cfg->idle_ms % 1000);
	if (cfg->verbose) {
		char st[128];
		ULONGLONG ms = GetTickCount64() - t0;
		if (!started)
			snprintf(st, sizeof st, "not started");
		else if (ended)
			snprintf(st, sizeof st, "status %lu", status);
		else
			snprintf(st, sizeof st, "killed");
		say("client %lu gone from %s (%s, child %s): %llu bytes received, "
		    "%llu sent, %llu.%03llu s", s->id, cfg->name, how, st,
		    pin->bytes, pout->bytes, ms / 1000, ms % 1000);
	}
	if (in_w != NULL)
		CloseHandle(in_w);
	if (out_r != NULL)
		CloseHandle(out_r);
	HANDLE evs[] = { pin->done, pin->ov.hEvent, pout->done, pout->ov.hEvent,
	    pout->wov.hEvent, pin->thread, pout->thread };
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
		if (evs[i] != NULL)
			CloseHandle(evs[i]);
	free(pin->buf);
	free(pout->buf);
}

static DWORD WINAPI
session_thread(LPVOID arg)
{
	struct session *s = arg;
	serve_client(s);
	InterlockedDecrement(s->cfg.active);
	SetEvent(s->cfg.slot_free);
	free(s);
	return 0;
}

/* The session threads not yet seen to end; only the thread that calls
 * exec_start touches these. */
static HANDLE *threads;
static size_t nthreads, cap_threads;

/* Forgets the threads that have ended, waiting for them until the tick
 * count UNTIL at most (0: not at all, ~0: no limit). */
static void
reap(ULONGLONG until)
{
	size_t k = 0;
	for (size_t i = 0; i < nthreads; i++) {
		ULONGLONG now = GetTickCount64();
		DWORD wait = until == ~0ULL ? INFINITE
		    : until > now ? (DWORD)(until - now) : 0;
		if (WaitForSingleObject(threads[i], wait) == WAIT_OBJECT_0)
			CloseHandle(threads[i]);
		else
			threads[k++] = threads[i];
	}
	nthreads = k;
}

void
exec_wait_all(DWORD timeout)
{
	reap(timeout == INFINITE ? ~0ULL : GetTickCount64() + timeout);
}

DWORD
exec_start(const struct exec_cfg *cfg, HANDLE pipe, unsigned long id)
{
	reap(0);
	if (nthreads == cap_threads) {
		size_t n = cap_threads ? cap_threads * 2 : 64;
		HANDLE *t = realloc(threads, n * sizeof *t);
		if (t == NULL)
			return ERROR_NOT_ENOUGH_MEMORY;
		threads = t;
		cap_threads = n;
	}
	struct session *s = calloc(1, sizeof *s);
	if (s == NULL)
		return ERROR_NOT_ENOUGH_MEMORY;
	s->cfg = *cfg;
	s->pipe = pipe;
	s->id = id;
	InterlockedIncrement(cfg->active);
	HANDLE t = CreateThread(NULL, 256 * 1024, session_thread, s,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (t == NULL) {
		DWORD e = GetLastError();
		InterlockedDecrement(cfg->active);
		free(s);
		return e;
	}
	threads[nthreads++] = t;
	return 0;
}
