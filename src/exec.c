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
 *   - the client's end closed and the child exited, but processes it
 *     started still run in its job (a grandchild may hold the child's
 *     output open for as long as it likes): they are killed and the slot
 *     is freed, rather than kept for nobody;
 *   - -i: nothing moved either way for that long;
 *   - Ctrl-C: the whole server is stopping.
 * When the client's data ends, the child's stdin is closed (EOF). Byte
 * pipes have no half-close: a client that closed its handle can take no
 * more, so the child's next write ends the session as "gone" and the child
 * is killed; a client that wants the answer keeps its end open (pipecat
 * connect does, until -q or the server closes). With -m --eof-message a
 * message pipe has one, as pipecat connect -m --eof-message and go-winio's
 * CloseWrite make it: the client's zero-length message ends the child's
 * stdin, the child's output still goes to the client, and when it ends
 * the client gets a zero-length message before the close (the out pump
 * writes it: zero_at_eof). From its EOF message on, the client's pipe is
 * read only to learn when it closes; what it still sends is dropped.
 */
#include <stdio.h>
#include <stdlib.h>

#include "aio.h"
#include "child.h"
#include "exec.h"
#include "exitcode.h"
#include "interrupt.h"
#include "pump.h"
#include "relay.h"
#include "threads.h"
#include "winerr.h"

#define PIPE_SIZE (64 * 1024)

/* How a session ended: -v's HOW, and what is reported. */
enum session_end {
	SESSION_CLOSED,         /* the child's output ended, and all of it went out */
	SESSION_FAILED,         /* an error, in err; -v says "closed" */
	SESSION_GONE,           /* the client went away */
	SESSION_IDLE,           /* -i */
	SESSION_INTERRUPTED,    /* Ctrl-C */
};

static const char *const session_how[] = {
	[SESSION_CLOSED] = "closed", [SESSION_FAILED] = "closed",
	[SESSION_GONE] = "gone", [SESSION_IDLE] = "idle",
	[SESSION_INTERRUPTED] = "interrupted",
};

struct session {
	struct exec_cfg cfg;
	HANDLE pipe;
	unsigned long id;
	struct pump in, out;    /* the client -> in_w, out_r -> the client */
	HANDLE in_w, out_r;     /* our ends of the child's stdin and stdout */
	struct child c;
	int in_on, out_on;      /* the pumps were started */
	struct aio_op watch;    /* after the client's EOF message: its close */
	int watching;           /* ...a read of the pipe is in flight */
	char discard[512];      /* ...what the client still sends is dropped */
	char err[1024];         /* SESSION_FAILED: what failed */
};

static ULONGLONG
pump_last(struct pump *p)
{
	return (ULONGLONG)InterlockedCompareExchange64(&p->last, 0, 0);
}

static int
pump_over(struct pump *p)
{
	return WaitForSingleObject(p->done, 0) == WAIT_OBJECT_0;
}

/* Creates the child's pipes, starts the child and both pumps. Returns 0,
 * or -1 with s->err filled. */
static int
session_start(struct session *s)
{
	const struct exec_cfg *cfg = &s->cfg;
	HANDLE in_r = NULL, out_w = NULL;
	char why[1024];
	DWORD e;

	if (!CreatePipe(&in_r, &s->in_w, NULL, PIPE_SIZE) ||
	    !CreatePipe(&s->out_r, &out_w, NULL, PIPE_SIZE)) {
		winerr_fmt(s->err, sizeof s->err, GetLastError(),
		    "serve %s: client %lu: create a pipe", cfg->name, s->id);
		if (in_r != NULL)
			CloseHandle(in_r);
		return -1;
	}
	e = child_start(&s->c, cfg->cmdline, in_r, out_w,
	    cfg->with_stderr ? out_w : GetStdHandle(STD_ERROR_HANDLE), why, sizeof why);
	/* The child has its own copies; ours would keep its EOFs away. */
	CloseHandle(in_r);
	CloseHandle(out_w);
	if (e != 0) {
		snprintf(s->err, sizeof s->err, "serve %s: client %lu: %s", cfg->name,
		    s->id, why);
		return -1;
	}
	if (cfg->verbose)
		say("client %lu of %s: started pid %lu: %s", s->id, cfg->name,
		    s->c.pid, cfg->cmdline);

	s->in.src = s->pipe;
	s->in.msg = cfg->message;
	s->in.zero_is_eof = cfg->eof_message;
	s->in.dst = s->in_w;
	s->out.src = s->out_r;
	s->out.src_sync = 1;
	s->out.dst = s->pipe;
	s->out.dst_ov = 1;
	s->out.zero_at_eof = cfg->eof_message;
	if (cfg->eof_message &&
	    (e = aio_init(&s->watch, s->pipe, AIO_READ, 1)) != 0) {
		winerr_fmt(s->err, sizeof s->err, e, "serve %s: client %lu: start the relay",
		    cfg->name, s->id);
		return -1;
	}
	if ((e = pump_start(&s->out)) == 0)
		s->out_on = 1;
	if (e == 0 && (e = pump_start(&s->in)) == 0)
		s->in_on = 1;
	if (e != 0) {
		winerr_fmt(s->err, sizeof s->err, e, "serve %s: client %lu: start the relay",
		    cfg->name, s->id);
		return -1;
	}
	return 0;
}

/* Relays until the session ends, and says how. */
static enum session_end
session_run(struct session *s)
{
	const struct exec_cfg *cfg = &s->cfg;
	struct pump *pin = &s->in, *pout = &s->out;
	int in_over = 0;        /* pin's end was seen: the child's stdin is closed */
	int cut = 0;            /* the client's end of the pipe is closed */
	int exited = 0;         /* cut, and then the child was seen to exit */
	int orphans = 0;        /* ...leaving processes in its job */
	DWORD wait_err = 0;

	for (;;) {
		ULONGLONG now = GetTickCount64();
		int out_over = pump_over(pout);
		int in_ends = !in_over && pump_over(pin);
		ULONGLONG last = pump_last(pin) > pump_last(pout)
		    ? pump_last(pin) : pump_last(pout);
		ULONGLONG idle_at = cfg->idle_ms >= 0
		    ? last + (ULONGLONG)cfg->idle_ms : ~0ULL;
		if (s->watching && aio_done(&s->watch)) {
			/* The client sent its EOF message, so the pipe is read
			 * only to learn of its close. */
			DWORD got, we = aio_result(&s->watch, &got);
			s->watching = 0;
			if (winerr_is_gone(we))
				cut = 1;
			else if (we == 0 || we == ERROR_MORE_DATA)
				s->watching = 1;
			if (s->watching)
				aio_start(&s->watch, s->discard, sizeof s->discard);
		}
		if (cut && !exited &&
		    WaitForSingleObject(s->c.process, 0) == WAIT_OBJECT_0) {
			exited = 1;
			/* What it started and left running serves nobody now:
			 * the tree goes. With nothing left, its output ends by
			 * itself, as it does when it exits with the child. */
			child_kill(&s->c, EXIT_FAIL);
			orphans = s->c.killed_others;
		}

		/* Every way a session ends. */
		if (wait_err != 0) {
			winerr_fmt(s->err, sizeof s->err, wait_err,
			    "serve %s: client %lu: wait", cfg->name, s->id);
			return SESSION_FAILED;
		}
		if (interrupted())
			return SESSION_INTERRUPTED;
		if (out_over && pout->dead)
			return SESSION_GONE;
		if (out_over && pout->err != 0) {
			pump_error_text(s->err, sizeof s->err, pout->err,
			    pout->err_write, "the child's stdout", cfg->name);
			return SESSION_FAILED;
		}
		if (out_over) {
			/* The child's output has ended and is all written: the
			 * client reads it all before the pipe is closed. */
			DWORD fe = aio_flush(s->pipe, interrupt_event(), NULL);
			if (fe != 0 && fe != ERROR_OPERATION_ABORTED) {
				winerr_fmt(s->err, sizeof s->err, fe, "flush %s", cfg->name);
				return SESSION_FAILED;
			}
			return SESSION_CLOSED;
		}
		if (in_ends && pin->err != 0) {
			pump_error_text(s->err, sizeof s->err, pin->err,
			    pin->err_write, cfg->name, "the child's stdin");
			return SESSION_FAILED;
		}
		if (orphans) {
			/* The client has left and the child has exited, but
			 * what it started ran on (and may have held its output
			 * open): killed, as nobody is left to serve; the slot
			 * is freed. */
			return SESSION_GONE;
		}
		if (now >= idle_at)
			return SESSION_IDLE;

		if (in_ends) {
			/* The client is done sending (or the child stopped
			 * reading): the child's stdin ends. */
			in_over = 1;
			CloseHandle(s->in_w);
			s->in_w = NULL;
			/* A client whose end closed can take nothing more: what
			 * the child still writes is not left to Wine, which does
			 * not always complete such a write. One that sent its
			 * EOF message (--eof-message) waits for the answer. */
			cut = pin->eof && !pin->eof_soft;
			if (pin->eof_soft) {
				aio_start(&s->watch, s->discard, sizeof s->discard);
				s->watching = 1;
			}
		}
		if (cut)
			pump_cut(pout);

		HANDLE hs[4];
		DWORD n = 0;
		hs[n++] = interrupt_event();
		hs[n++] = pout->done;
		if (!in_over)
			hs[n++] = pin->done;
		else if (cut && !exited)
			hs[n++] = s->c.process;
		if (s->watching)
			hs[n++] = s->watch.done;
		/* Cut: a write that began just as it was cut is cancelled by
		 * the next pump_cut. */
		DWORD wait = cut && pump_writing(pout) ? 50 : INFINITE;
		if (idle_at != ~0ULL && idle_at - now < wait)
			wait = (DWORD)(idle_at - now);
		if (WaitForMultipleObjects(n, hs, FALSE, wait) == WAIT_FAILED)
			wait_err = GetLastError();
	}
}

/* Takes the session down (the child's tree, the pumps, the client's pipe)
 * and reports as END and -v ask. */
static void
session_finish(struct session *s, enum session_end end, ULONGLONG t0)
{
	const struct exec_cfg *cfg = &s->cfg;
	struct pump *pin = &s->in, *pout = &s->out;
	DWORD status = 0;
	int ended = 0, started = s->c.process != NULL;

	if (end == SESSION_CLOSED) {
		/* A child whose output has ended usually exits with it; give it
		 * a moment to say its status before the job takes it down. */
		WaitForSingleObject(s->c.process, 1000);
	}
	if (started && WaitForSingleObject(s->c.process, 0) == WAIT_OBJECT_0) {
		ended = 1;
		status = child_status(&s->c);
	}
	/* Kill what is left of the tree first: its ends of the pipes then
	 * close, and a pump blocked on them returns. Nothing may be in flight
	 * on the client's pipe once it is closed. */
	child_close(&s->c);
	if (s->out_on) {
		pump_cut(pout);
		pump_stop(pout, NULL, INFINITE);
	}
	if (s->in_on)
		pump_stop(pin, NULL, INFINITE);
	if (s->watching)
		aio_cancel(&s->watch);
	CloseHandle(s->pipe);
	if (end == SESSION_FAILED)
		say("%s", s->err);
	else if (end == SESSION_IDLE && !cfg->quiet)
		say("serve %s: client %lu: idle for %lld.%03lld s, closed", cfg->name,
		    s->id, cfg->idle_ms / 1000, cfg->idle_ms % 1000);
	if (cfg->verbose) {
		char st[128];
		ULONGLONG ms = GetTickCount64() - t0;
		if (!started)
			snprintf(st, sizeof st, "not started");
		else if (ended) {
			char n[40];
			winerr_status_text(status, n, sizeof n);
			snprintf(st, sizeof st, "status %s", n);
		}
		else
			snprintf(st, sizeof st, "killed");
		say("client %lu gone from %s (%s, child %s): %llu bytes received, "
		    "%llu sent, %llu.%03llu s", s->id, cfg->name, session_how[end], st,
		    pin->bytes, pout->bytes, ms / 1000, ms % 1000);
	}
	if (s->in_w != NULL)
		CloseHandle(s->in_w);
	if (s->out_r != NULL)
		CloseHandle(s->out_r);
	pump_close(pin);
	pump_close(pout);
	aio_close(&s->watch);
}

/* Serves one client; returns nothing, reports on stderr as -v asks. */
static void
serve_client(struct session *s)
{
	ULONGLONG t0 = GetTickCount64();
	enum session_end end = session_start(s) == 0 ? session_run(s) : SESSION_FAILED;
	session_finish(s, end, t0);
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

/* The session threads; only the thread that calls exec_start touches it. */
static struct threads threads;

void
exec_wait_all(DWORD timeout)
{
	threads_wait(&threads, timeout);
	pool_settle(1000);
}

DWORD
exec_start(const struct exec_cfg *cfg, HANDLE pipe, unsigned long id)
{
	struct session *s = calloc(1, sizeof *s);
	if (s == NULL)
		return ERROR_NOT_ENOUGH_MEMORY;
	s->cfg = *cfg;
	s->pipe = pipe;
	s->id = id;
	InterlockedIncrement(cfg->active);
	DWORD e = threads_start(&threads, session_thread, s);
	if (e != 0) {
		InterlockedDecrement(cfg->active);
		free(s);
	}
	return e;
}
