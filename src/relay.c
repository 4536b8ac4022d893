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
#include "pump.h"
#include "relay.h"
#include "winerr.h"

struct relay {
	struct relay_cfg cfg;
	struct aio_op in_rd;    /* stdin, worker thread */
	struct aio_op pipe_wr;  /* the pipe, overlapped */
	struct flow up;         /* stdin -> pipe; lives across connections */
	struct pump down;       /* pipe -> stdout, a thread of its own */
	int stdout_dead;        /* the reader of stdout went away */
	unsigned long long received;    /* over all connections */
};

struct relay *
relay_new(HANDLE in, HANDLE out, const struct relay_cfg *cfg, char *err,
    size_t errlen)
{
	struct relay *r = calloc(1, sizeof *r);
	DWORD e;

	if (r == NULL || flow_alloc(&r->up) != 0) {
		winerr_fmt(err, errlen, ERROR_NOT_ENOUGH_MEMORY, "relay buffers");
		return NULL;
	}
	r->cfg = *cfg;
	if ((e = aio_init(&r->in_rd, in, AIO_READ, 0)) != 0 ||
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
	r->down.dst = out;
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
	}
	return r;
}

int
relay_stdout_gone(const struct relay *r)
{
	return r->stdout_dead;
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
	struct flow *up = &r->up;
	struct pump *down = &r->down;
	const struct relay_cfg *cfg = &r->cfg;
	int down_on = !cfg->send_only;
	int pumping = 0;                /* the down pump's thread runs */
	ULONGLONG last = GetTickCount64();
	ULONGLONG linger_at = 0;        /* 0: not lingering yet */
	int eof_pending = 0;            /* the EOF message is being written */
	int eof_sent = 0;
	unsigned long long up0 = up->bytes;
	enum relay_end end;
	DWORD e = 0;
	const char *e_op = "", *e_on = "";

	aio_rebind(&r->pipe_wr, pipe);
	up->dst_name = name;
	up->dead = 0;
	down->src = pipe;
	down->bytes = 0;
	if (down_on) {
		if ((e = pump_start(down)) != 0) {
			winerr_fmt(err, errlen, e, "start relay on %s", name);
			st->sent = st->received = 0;
			return RELAY_ERROR;
		}
		pumping = 1;
	}

	for (;;) {
		ULONGLONG now = GetTickCount64();
		int down_over = pumping && WaitForSingleObject(down->done, 0) == WAIT_OBJECT_0;
		ULONGLONG plast = (ULONGLONG)InterlockedCompareExchange64(&down->last, 0, 0);
		if (plast > last)
			last = plast;

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
		if (down_over && down->dead) {
			end = RELAY_STDOUT_CLOSED;
			break;
		}
		if (down_over && down->err != 0) {
			winerr_fmt(err, errlen, down->err, "%s %s",
			    down->err_write ? "write" : "read",
			    down->err_write ? "stdout" : name);
			end = RELAY_ERROR;
			break;
		}
		/* up_done: everything from stdin is in the pipe, the EOF message
		 * too if one is wanted. */
		int up_done = cfg->recv_only || up->dead ||
		    (flow_drained(up) && (!cfg->eof_message || eof_sent));
		if (down_over) {
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

		HANDLE hs[4];
		struct aio_op *ops[4];
		DWORD n = 0;
		hs[n] = interrupt_event();
		ops[n++] = NULL;
		if (pumping && !down_over) {
			hs[n] = down->done;
			ops[n++] = NULL;
		}
		struct aio_op *all[2] = { up->rd, up->wr };
		for (int i = 0; i < 2; i++)
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
		/* Collect every operation that has finished, not only the first. */
		for (DWORD i = 1; i < n && e == 0; i++) {
			struct aio_op *op = ops[i];
			if (op == NULL || !aio_done(op))
				continue;
			unsigned long long before = up->bytes;
			int queued = up->count;
			if (op == up->rd) {
				e = flow_read_done(up);
				e_op = "read";
				e_on = up->src_name;
				if (up->count != queued)
					last = GetTickCount64();
			} else if (eof_pending) {
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
				e = flow_write_done(up);
				e_op = "write";
				e_on = up->dst_name;
				if (up->bytes != before)
					last = GetTickCount64();
			}
		}
	}

	/* Nothing may be in flight on the pipe once the caller closes it. A
	 * stdin read may stay in flight: it belongs to the next connection.
	 * Stopping the pump lets it finish writing out the block it holds, so
	 * what was read from the pipe reaches stdout, unless the user asked to
	 * stop. */
	aio_cancel(&r->pipe_wr);
	if (pumping && end != RELAY_INTERRUPTED &&
	    !pump_stop(down, interrupt_event()))
		end = RELAY_INTERRUPTED;
	if (down->dead) {
		r->stdout_dead = 1;
		if (end != RELAY_ERROR && end != RELAY_INTERRUPTED)
			end = RELAY_STDOUT_CLOSED;
	}
	if (end == RELAY_DONE || end == RELAY_IDLE) {
		DWORD fe = aio_flush(pipe, interrupt_event());
		if (fe != 0 && !interrupted()) {
			winerr_fmt(err, errlen, fe, "flush %s", name);
			end = RELAY_ERROR;
		}
	}
	st->sent = up->bytes - up0;
	st->received = down->bytes;
	return end;
}

void
relay_stats_text(const struct relay_stats *st, unsigned long long ms,
    char *buf, size_t len)
{
	snprintf(buf, len, "%llu bytes sent, %llu received, %llu.%03llu s",
	    st->sent, st->received, ms / 1000, ms % 1000);
}
