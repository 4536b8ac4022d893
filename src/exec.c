/*
 * exec: a serve --exec client, bound to a child process; see exec.h.
 *
 * The session's loop, on its own thread, pumps two flows (flow.c):
 *   in:  the pipe (overlapped) -> the child's stdin (anonymous pipe, worker)
 *   out: the child's stdout (anonymous pipe, worker) -> the pipe (overlapped)
 * Every way a session ends:
 *   - the child closed its output (usually: it exited) and all of it has
 *     been written: the pipe is flushed (the client reads every byte) and
 *     closed, a clean end for the client;
 *   - the client went away (a write to the pipe fails): the child's tree is
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
#include "flow.h"
#include "interrupt.h"
#include "relay.h"
#include "winerr.h"

#define PIPE_SIZE (64 * 1024)

struct session {
	struct exec_cfg cfg;
	HANDLE pipe;
	unsigned long id;
};

static void
session_free_flow(struct flow *f)
{
	for (int i = 0; i < NBUF; i++)
		free(f->buf[i]);
}

/* Serves one client; returns nothing, reports on stderr as -v asks. */
static void
serve_client(struct session *s)
{
	const struct exec_cfg *cfg = &s->cfg;
	HANDLE in_r = NULL, in_w = NULL, out_r = NULL, out_w = NULL;
	struct aio_op prd = { 0 }, pwr = { 0 }, cwr = { 0 }, crd = { 0 };
	struct flow fin = { 0 }, fout = { 0 };
	struct child c = { 0 };
	char err[1024] = "";
	DWORD e;
	ULONGLONG t0 = GetTickCount64();
	const char *how = "closed";

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

	if ((e = aio_init(&prd, s->pipe, AIO_READ, 1)) != 0 ||
	    (e = aio_init(&pwr, s->pipe, AIO_WRITE, 1)) != 0 ||
	    (e = aio_init(&cwr, in_w, AIO_WRITE, 0)) != 0 ||
	    (e = aio_init(&crd, out_r, AIO_READ, 0)) != 0 ||
	    flow_alloc(&fin) != 0 || flow_alloc(&fout) != 0) {
		winerr_fmt(err, sizeof err, e ? e : ERROR_NOT_ENOUGH_MEMORY,
		    "serve %s: client %lu: start the relay", cfg->name, s->id);
		goto out;
	}
	fin.rd = &prd;
	fin.wr = &cwr;
	fin.src_is_pipe = 1;
	fin.msg = cfg->message;
	fin.src_name = cfg->name;
	fin.dst_name = "the child's stdin";
	fout.rd = &crd;
	fout.wr = &pwr;
	fout.src_name = "the child's stdout";
	fout.dst_name = cfg->name;

	ULONGLONG last = GetTickCount64();
	int in_closed = 0;
	for (;;) {
		ULONGLONG now = GetTickCount64();

		if (interrupted()) {
			how = "interrupted";
			break;
		}
		if (e != 0)
			break;
		if (fout.dead) {
			how = "gone";
			break;
		}
		if (flow_drained(&fout)) {
			DWORD fe = aio_flush(s->pipe, interrupt_event());
			if (fe != 0 && fe != ERROR_OPERATION_ABORTED)
				winerr_fmt(err, sizeof err, fe, "flush %s", cfg->name);
			break;
		}
		if (cfg->idle_ms >= 0 && now >= last + (ULONGLONG)cfg->idle_ms) {
			how = "idle";
			break;
		}
		/* A byte pipe's client that closed can take nothing more: a
		 * write to it still pending is cancelled rather than left to
		 * Wine, which does not always complete it when the client dies. */
		if (fin.eof && pwr.busy) {
			aio_cancel(&pwr);
			fout.dead = 1;
			continue;
		}
		/* The client is done sending (or the child stopped reading):
		 * the child's stdin ends. */
		if (!in_closed && (flow_drained(&fin) || (fin.dead && !fin.wr->busy))) {
			CloseHandle(in_w);
			in_w = NULL;
			in_closed = 1;
		}
		if (!in_closed)
			flow_kick(&fin);
		flow_kick(&fout);

		HANDLE hs[5];
		struct aio_op *ops[5];
		DWORD n = 0;
		hs[n] = interrupt_event();
		ops[n++] = NULL;
		struct aio_op *all[4] = { &prd, &pwr, &cwr, &crd };
		for (int i = 0; i < 4; i++)
			if (all[i]->busy) {
				hs[n] = all[i]->done;
				ops[n++] = all[i];
			}
		DWORD wait = INFINITE;
		if (cfg->idle_ms >= 0)
			wait = last + (ULONGLONG)cfg->idle_ms > now
			    ? (DWORD)(last + (ULONGLONG)cfg->idle_ms - now) : 0;
		DWORD w = WaitForMultipleObjects(n, hs, FALSE, wait);
		if (w == WAIT_FAILED) {
			e = GetLastError();
			winerr_fmt(err, sizeof err, e, "serve %s: client %lu: wait",
			    cfg->name, s->id);
			continue;
		}
		for (DWORD i = 1; i < n && e == 0; i++) {
			struct aio_op *op = ops[i];
			if (!aio_done(op))
				continue;
			struct flow *f = (op == fin.rd || op == fin.wr) ? &fin : &fout;
			unsigned long long before = f->bytes;
			int queued = f->count;
			DWORD fe = op == f->rd ? flow_read_done(f) : flow_write_done(f);
			if (fe != 0) {
				e = fe;
				winerr_fmt(err, sizeof err, fe, "%s %s",
				    op == f->rd ? "read" : "write",
				    op == f->rd ? f->src_name : f->dst_name);
			}
			if (f->bytes != before || f->count != queued)
				last = GetTickCount64();
		}
	}
	/* Nothing may be in flight on the pipe once it is closed. */
	aio_cancel(&prd);
	aio_cancel(&pwr);

out:
	if (err[0] != '\0' && !(cfg->quiet && strcmp(how, "closed") != 0))
		say("%s", err);
	else if (strcmp(how, "idle") == 0 && !cfg->quiet)
		say("serve %s: client %lu: idle for %lld.%03lld s, closed", cfg->name,
		    s->id, cfg->idle_ms / 1000, cfg->idle_ms % 1000);
	CloseHandle(s->pipe);
	DWORD status = 0;
	int ended = 0;
	if (c.process != NULL) {
		/* A child whose output has ended usually exits with it; give it a
		 * moment to say its status before the job takes it down. */
		ended = WaitForSingleObject(c.process,
		    strcmp(how, "closed") == 0 ? 1000 : 0) == WAIT_OBJECT_0;
		if (ended)
			status = child_status(&c);
	}
	if (cfg->verbose) {
		char st[128];
		ULONGLONG ms = GetTickCount64() - t0;
		if (c.process == NULL)
			snprintf(st, sizeof st, "not started");
		else if (ended)
			snprintf(st, sizeof st, "status %lu", status);
		else
			snprintf(st, sizeof st, "killed");
		say("client %lu gone from %s (%s, child %s): %llu bytes received, "
		    "%llu sent, %llu.%03llu s", s->id, cfg->name, how, st,
		    fin.bytes, fout.bytes, ms / 1000, ms % 1000);
	}
	/* Kill what is left of the tree first: its end of the pipes then
	 * closes, and a worker blocked on them returns. */
	child_close(&c);
	aio_close(&crd);
	aio_close(&cwr);
	aio_close(&prd);
	aio_close(&pwr);
	if (in_w != NULL)
		CloseHandle(in_w);
	if (out_r != NULL)
		CloseHandle(out_r);
	session_free_flow(&fin);
	session_free_flow(&fout);
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

/* Forgets the threads that have ended; with TIMEOUT INFINITE, waits for
 * all of them. */
static void
reap(DWORD timeout)
{
	size_t k = 0;
	for (size_t i = 0; i < nthreads; i++) {
		if (WaitForSingleObject(threads[i], timeout) == WAIT_OBJECT_0)
			CloseHandle(threads[i]);
		else
			threads[k++] = threads[i];
	}
	nthreads = k;
}

void
exec_wait_all(void)
{
	reap(INFINITE);
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
	struct session *s = malloc(sizeof *s);
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
