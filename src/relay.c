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
 * End of data, gone readers and message mode follow flow.h. On top of the
 * flows, the relay decides when a connection is over: the cases are listed
 * at the top of relay_run's loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aio.h"
#include "flow.h"
#include "interrupt.h"
#include "relay.h"
#include "winerr.h"

struct relay {
	struct relay_cfg cfg;
	struct aio_op in_rd;    /* stdin, worker thread */
	struct aio_op out_wr;   /* stdout, worker thread */
	struct aio_op pipe_rd;  /* the pipe, overlapped */
	struct aio_op pipe_wr;
	struct flow up;         /* stdin -> pipe; lives across connections */
	struct flow down;       /* pipe -> stdout */
};

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
	/* A process started without stdin (GetStdHandle gives NULL) reads as
	 * an empty one. */
	r->up.eof = cfg->recv_only || in == NULL || in == INVALID_HANDLE_VALUE;
	r->down.dst_name = "stdout";
	r->down.rd = &r->pipe_rd;
	r->down.wr = &r->out_wr;
	r->down.src_is_pipe = 1;
	r->down.msg = cfg->message;
	r->down.zero_is_eof = cfg->eof_message;
	if (cfg->dump != NULL) {
		/* Sent blocks are dumped once the pipe took them, received ones
		 * as soon as they are read. */
		r->up.tap = dump_sent;
		r->up.tap_ctx = cfg->dump;
		r->up.tap_on_write = 1;
		r->up.tap_msg = cfg->message;
		r->down.tap = dump_received;
		r->down.tap_ctx = cfg->dump;
		r->down.tap_msg = cfg->message;
	}
	return r;
}

int
relay_stdout_gone(const struct relay *r)
{
	return r->down.dead;
}

int
relay_stdin_done(const struct relay *r)
{
	return r->up.eof && r->up.count == 0;
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
	int eof_pending = 0;            /* the EOF message is being written */
	int eof_sent = 0;
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
	down->eof_soft = 0;
	flow_reset(down);

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
		/* up_done: everything from stdin is in the pipe, the EOF message
		 * too if one is wanted. */
		int up_done = cfg->recv_only || up->dead ||
		    (flow_drained(up) && (!cfg->eof_message || eof_sent));
		if (down_on && down->eof && down->count == 0 && down->fill < 0) {
			/* A peer that closed is gone; one that sent an EOF message
			 * (--eof-message) still reads until we are done too. */
			if (!down->eof_soft) {
				end = RELAY_PEER_CLOSED;
				break;
			}
			if (up_done) {
				end = RELAY_DONE;
				break;
			}
		}
		if (!down_on && up->dead) {
			end = RELAY_PEER_CLOSED;
			break;
		}
		if (up_done && !cfg->recv_only && !up->dead) {
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
		/* --eof-message: stdin's EOF goes to the peer as a zero-length
		 * message, the only end-of-data mark a pipe has short of closing. */
		if (cfg->eof_message && !eof_sent && !eof_pending && !up->dead &&
		    flow_drained(up)) {
			aio_start(up->wr, up->buf[0], 0);
			eof_pending = 1;
		}
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
			if (!aio_done(op))
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
			} else if (op == up->wr && eof_pending) {
				DWORD zero;
				DWORD we = aio_result(op, &zero);
				eof_pending = 0;
				eof_sent = 1;
				if (we != 0 && !flow_gone_error(we)) {
					e = we;
					e_op = "write";
					e_on = name;
				}
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
		DWORD fe = aio_flush(pipe, interrupt_event());
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
