/*
 * relay: the full-duplex pump between stdin/stdout and one pipe.
 *
 * Two flows, each a bounded queue of NBUF buffers between a source and a
 * destination: "up" is stdin -> pipe, "down" is pipe -> stdout. Each flow has
 * at most one read and one write in flight, so a flow reads its next buffer
 * while the previous one is being written, and the two flows run at the
 * same time on the one overlapped pipe handle (a read and a write may be
 * pending together on it; a synchronous handle would serialise them). All
 * waiting is one WaitForMultipleObjects on the operations' events, Ctrl-C,
 * and the -q / -i deadlines: one thread decides, workers only move bytes.
 *
 * End of data, per source:
 *   stdin: a read of 0 bytes, or ERROR_BROKEN_PIPE (an anonymous pipe's
 *          writer closed).
 *   pipe:  ERROR_BROKEN_PIPE / ERROR_PIPE_NOT_CONNECTED (the peer closed).
 *          A read of 0 bytes is not EOF on a pipe: it is a zero-length
 *          write (a zero-length message in message mode), and is skipped.
 * A write to the pipe failing with ERROR_BROKEN_PIPE / ERROR_NO_DATA /
 * ERROR_PIPE_NOT_CONNECTED is the peer going away, not an error; so is a
 * write to stdout failing that way (its reader went away, as `| head`).
 *
 * Message mode: a message longer than the buffer is read in pieces
 * (ERROR_MORE_DATA); the buffer grows until the message is whole, and the
 * message is queued, and written to stdout, as one block. Each block read
 * from stdin is written to a message pipe as one message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aio.h"
#include "interrupt.h"
#include "relay.h"
#include "winerr.h"

#define NBUF 4                  /* buffers per flow */
#define CHUNK (64 * 1024)       /* bytes per read, and each buffer's usual size */

struct flow {
	const char *src_name;   /* for messages: "stdin", the pipe's name */
	const char *dst_name;
	struct aio_op *rd;      /* reads the source */
	struct aio_op *wr;      /* writes the destination */
	int src_is_pipe;        /* 0-byte reads are not EOF; pipe errors mean EOF */
	int msg;                /* source reads are message reads */

	char *buf[NBUF];
	DWORD cap[NBUF];
	DWORD len[NBUF];
	int head;               /* oldest queued buffer */
	int count;              /* queued buffers, oldest first from head */
	int fill;               /* buffer a read is in flight into, or -1 */
	DWORD woff;             /* bytes of buf[head] already written */

	int eof;                /* the source ended */
	int dead;               /* the destination went away */
	unsigned long long bytes;       /* written to the destination */
};

struct relay {
	struct relay_cfg cfg;
	struct aio_op in_rd;    /* stdin, worker thread */
	struct aio_op out_wr;   /* stdout, worker thread */
	struct aio_op pipe_rd;  /* the pipe, overlapped */
	struct aio_op pipe_wr;
	struct flow up;         /* stdin -> pipe; lives across connections */
	struct flow down;       /* pipe -> stdout */
};

static int
flow_alloc(struct flow *f)
{
	for (int i = 0; i < NBUF; i++) {
		f->buf[i] = malloc(CHUNK);
		if (f->buf[i] == NULL)
			return -1;
		f->cap[i] = CHUNK;
	}
	f->fill = -1;
	return 0;
}

/* A source error that means "no more data" rather than a failure. */
static int
is_eof_error(DWORD e)
{
	return e == ERROR_BROKEN_PIPE || e == ERROR_PIPE_NOT_CONNECTED ||
	    e == ERROR_HANDLE_EOF || e == ERROR_NO_DATA;
}

/* A destination error that means "the reader went away". */
static int
is_gone_error(DWORD e)
{
	return e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA ||
	    e == ERROR_PIPE_NOT_CONNECTED;
}

/* Starts whatever I/O the flow can start now. */
static void
flow_kick(struct flow *f)
{
	if (!f->dead && f->count > 0 && !f->wr->busy)
		aio_start(f->wr, f->buf[f->head] + f->woff,
		    f->len[f->head] - f->woff);
	if (!f->eof && !f->dead && f->fill < 0 && f->count < NBUF &&
	    !f->rd->busy) {
		f->fill = (f->head + f->count) % NBUF;
		f->len[f->fill] = 0;
		aio_start(f->rd, f->buf[f->fill], f->cap[f->fill]);
	}
}

/* A read finished. Returns 0, or a Win32 error that ends the relay. */
static DWORD
flow_read_done(struct flow *f)
{
	DWORD n;
	DWORD e = aio_result(f->rd, &n);
	int i = f->fill;

	if (e == ERROR_MORE_DATA && f->msg) {
		/* The message goes on: grow the buffer and read the rest. */
		f->len[i] += n;
		if (f->cap[i] > MAXDWORD / 2)
			return ERROR_NOT_ENOUGH_MEMORY;
		DWORD cap = f->cap[i] * 2;
		char *p = realloc(f->buf[i], cap);
		if (p == NULL)
			return ERROR_NOT_ENOUGH_MEMORY;
		f->buf[i] = p;
		f->cap[i] = cap;
		aio_start(f->rd, p + f->len[i], cap - f->len[i]);
		return 0;
	}
	f->fill = -1;
	if (e != 0 && e != ERROR_MORE_DATA) {
		if (is_eof_error(e) || e == ERROR_OPERATION_ABORTED) {
			f->eof = 1;
			return 0;
		}
		return e;
	}
	f->len[i] += n;
	if (f->len[i] == 0) {
		/* A pipe's zero-length write is no data and no EOF; a file's or
		 * console's zero-length read is EOF. */
		if (!f->src_is_pipe)
			f->eof = 1;
		return 0;
	}
	f->count++;
	return 0;
}

/* A write finished. Returns 0, or a Win32 error that ends the relay. */
static DWORD
flow_write_done(struct flow *f)
{
	DWORD n;
	DWORD e = aio_result(f->wr, &n);

	if (e != 0) {
		if (is_gone_error(e)) {
			f->dead = 1;
			return 0;
		}
		return e;
	}
	f->woff += n;
	f->bytes += n;
	if (f->woff >= f->len[f->head]) {
		/* A buffer a long message grew is given back, so one large message
		 * does not pin its size for the rest of the run. */
		if (f->cap[f->head] > 4 * CHUNK) {
			char *p = realloc(f->buf[f->head], CHUNK);
			if (p != NULL) {
				f->buf[f->head] = p;
				f->cap[f->head] = CHUNK;
			}
		}
		f->woff = 0;
		f->head = (f->head + 1) % NBUF;
		f->count--;
	}
	return 0;
}

/* The up flow has delivered everything stdin will ever give. */
static int
flow_drained(const struct flow *f)
{
	return f->eof && f->count == 0 && f->fill < 0 && !f->wr->busy;
}

struct relay *
relay_new(HANDLE in, HANDLE out, const struct relay_cfg *cfg, char *err,
    size_t errlen)
{
	struct relay *r = calloc(1, sizeof *r);
	DWORD e;

	if (r == NULL || flow_alloc(&r->up) != 0 || flow_alloc(&r->down) != 0) {
		winerr_fmt(err, errlen, ERROR_NOT_ENOUGH_MEMORY, "relay buffers");
		return NULL;
	}
	r->cfg = *cfg;
	if ((e = aio_init(&r->in_rd, in, AIO_READ, 0)) != 0 ||
	    (e = aio_init(&r->out_wr, out, AIO_WRITE, 0)) != 0 ||
	    (e = aio_init(&r->pipe_rd, INVALID_HANDLE_VALUE, AIO_READ, 1)) != 0 ||
	    (e = aio_init(&r->pipe_wr, INVALID_HANDLE_VALUE, AIO_WRITE, 1)) != 0) {
		winerr_fmt(err, errlen, e, "start relay");
		return NULL;
	}
	r->up.src_name = "stdin";
	r->up.rd = &r->in_rd;
	r->up.wr = &r->pipe_wr;
	r->up.eof = cfg->recv_only;
	r->down.dst_name = "stdout";
	r->down.rd = &r->pipe_rd;
	r->down.wr = &r->out_wr;
	r->down.src_is_pipe = 1;
	r->down.msg = cfg->message;
	return r;
}

int
relay_stdin_done(const struct relay *r)
{
	return r->up.eof && r->up.count == 0;
}

/* FlushFileBuffers on a pipe waits until the peer has read everything; it
 * runs on its own thread so that Ctrl-C still ends the wait. */
static DWORD WINAPI
flush_thread(LPVOID pipe)
{
	return FlushFileBuffers(pipe) ? 0 : GetLastError();
}

static DWORD
flush_pipe(HANDLE pipe)
{
	HANDLE t = CreateThread(NULL, 64 * 1024, flush_thread, pipe,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (t == NULL)
		return GetLastError();
	HANDLE hs[2] = { t, interrupt_event() };
	DWORD w = WaitForMultipleObjects(2, hs, FALSE, INFINITE);
	DWORD code = 0;
	if (w == WAIT_OBJECT_0)
		GetExitCodeThread(t, &code);
	else
		code = ERROR_OPERATION_ABORTED;
	CloseHandle(t);
	/* A peer that closed without reading everything is its own choice. */
	return is_gone_error(code) ? 0 : code;
}

static ULONGLONG
deadline_left(ULONGLONG at, ULONGLONG now)
{
	return at > now ? at - now : 0;
}

enum relay_end
relay_run(struct relay *r, HANDLE pipe, const char *name,
    struct relay_stats *st, char *err, size_t errlen)
{
	struct flow *up = &r->up, *down = &r->down;
	const struct relay_cfg *cfg = &r->cfg;
	int down_on = !cfg->send_only;
	ULONGLONG last = GetTickCount64();
	ULONGLONG linger_at = 0;        /* 0: not lingering yet */
	unsigned long long up0 = up->bytes, down0 = down->bytes;
	enum relay_end end;
	DWORD e = 0;
	const char *e_op = "", *e_on = "";

	aio_rebind(&r->pipe_rd, pipe);
	aio_rebind(&r->pipe_wr, pipe);
	up->dst_name = name;
	up->dead = 0;
	down->src_name = name;
	down->eof = !down_on;
	down->head = down->count = 0;
	down->fill = -1;
	down->woff = 0;

	for (;;) {
		ULONGLONG now = GetTickCount64();

		/* Every way a relay ends. */
		if (interrupted()) {
			end = RELAY_INTERRUPTED;
			break;
		}
		if (e != 0) {
			winerr_fmt(err, errlen, e, "%s %s", e_op, e_on);
			end = RELAY_ERROR;
			break;
		}
		if (down->dead) {
			end = RELAY_STDOUT_CLOSED;
			break;
		}
		if (down_on && down->eof && down->count == 0 && down->fill < 0) {
			end = RELAY_PEER_CLOSED;
			break;
		}
		if (!down_on && up->dead) {
			end = RELAY_PEER_CLOSED;
			break;
		}
		if (flow_drained(up) && !cfg->recv_only) {
			long long linger = down_on ? cfg->linger_ms : 0;
			if (linger >= 0 && linger_at == 0)
				linger_at = now + (ULONGLONG)linger;
			if (linger_at != 0 && now >= linger_at) {
				end = RELAY_DONE;
				break;
			}
		}
		if (cfg->idle_ms >= 0 && now >= last + (ULONGLONG)cfg->idle_ms) {
			end = RELAY_IDLE;
			break;
		}

		if (!cfg->recv_only)
			flow_kick(up);
		if (down_on)
			flow_kick(down);

		HANDLE hs[5];
		struct aio_op *ops[5];
		DWORD n = 0;
		hs[n] = interrupt_event();
		ops[n++] = NULL;
		struct aio_op *all[4] = { up->rd, up->wr, down->rd, down->wr };
		for (int i = 0; i < 4; i++)
			if (all[i]->busy) {
				hs[n] = all[i]->done;
				ops[n++] = all[i];
			}
		ULONGLONG wait = INFINITE;
		if (linger_at != 0)
			wait = deadline_left(linger_at, now);
		if (cfg->idle_ms >= 0) {
			ULONGLONG idle = deadline_left(last + (ULONGLONG)cfg->idle_ms, now);
			if (idle < wait)
				wait = idle;
		}
		DWORD w = WaitForMultipleObjects(n, hs, FALSE, (DWORD)wait);
		if (w == WAIT_TIMEOUT || w == WAIT_OBJECT_0)
			continue;
		if (w == WAIT_FAILED || w >= WAIT_OBJECT_0 + n) {
			e = GetLastError();
			e_op = "wait for";
			e_on = name;
			continue;
		}
		/* Collect every operation that has finished, not only the first,
		 * so neither direction can starve the other. */
		for (DWORD i = 1; i < n && e == 0; i++) {
			struct aio_op *op = ops[i];
			if (WaitForSingleObject(op->done, 0) != WAIT_OBJECT_0)
				continue;
			struct flow *f = (op == up->rd || op == up->wr) ? up : down;
			unsigned long long before = f->bytes;
			int queued = f->count;
			if (op == f->rd) {
				e = flow_read_done(f);
				e_op = "read";
				e_on = f->src_name;
				if (f->count != queued)
					last = GetTickCount64();
			} else {
				e = flow_write_done(f);
				e_op = "write";
				e_on = f->dst_name;
				if (f->bytes != before)
					last = GetTickCount64();
			}
		}
	}

	/* Nothing may be in flight on the pipe once the caller closes it. A
	 * stdin read may stay in flight: it belongs to the next connection. */
	aio_cancel(&r->pipe_rd);
	aio_cancel(&r->pipe_wr);
	down->fill = -1;
	down->eof = 1;
	/* What was read from the pipe is written out before the relay returns
	 * (and the stdout worker must be idle before the buffers are reused),
	 * unless stdout is gone or the user asked to stop. */
	while (end != RELAY_STDOUT_CLOSED && end != RELAY_INTERRUPTED &&
	    !down->dead && (down->count > 0 || down->wr->busy)) {
		flow_kick(down);
		HANDLE hs[2] = { down->wr->done, interrupt_event() };
		DWORD w = WaitForMultipleObjects(2, hs, FALSE, INFINITE);
		if (w != WAIT_OBJECT_0) {
			end = RELAY_INTERRUPTED;
			break;
		}
		DWORD we = flow_write_done(down);
		if (we != 0) {
			winerr_fmt(err, errlen, we, "write stdout");
			end = RELAY_ERROR;
			break;
		}
	}
	if (down->dead && end != RELAY_ERROR && end != RELAY_INTERRUPTED)
		end = RELAY_STDOUT_CLOSED;
	if (end == RELAY_DONE || end == RELAY_IDLE) {
		DWORD fe = flush_pipe(pipe);
		if (fe != 0 && !interrupted()) {
			winerr_fmt(err, errlen, fe, "flush %s", name);
			end = RELAY_ERROR;
		}
	}
	st->sent = up->bytes - up0;
	st->received = down->bytes - down0;
	return end;
}

void
relay_stats_text(const struct relay_stats *st, unsigned long long ms,
    char *buf, size_t len)
{
	snprintf(buf, len, "%llu bytes sent, %llu received, %llu.%03llu s",
	    st->sent, st->received, ms / 1000, ms % 1000);
}
