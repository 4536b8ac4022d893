/*
 * relay: the full-duplex pump between stdin/stdout and one pipe.
 *
 * Each direction is a loop that reads and writes by itself, because under
 * Wine every hand-off between threads is a round trip to wineserver and
 * costs more than the I/O it would overlap (bench/FIGURES.md): "up" is a
 * feed thread (stdin -> pipe, for the life of the process, so that bytes
 * read from stdin but not delivered go to the next client), "down" a pump
 * (pipe -> stdout) run on the caller's thread, which saves a thread (about
 * 1 MiB under Wine). Both use the one overlapped pipe handle, where a read
 * and a write may be pending together. Between blocks, and while the pump
 * waits for data, the caller's thread also decides: it watches the feed,
 * Ctrl-C, the -q / -i deadlines and the --eof-message write.
 *
 * End of data, gone readers and message mode follow pump.h. On top of the
 * two directions, the relay decides when a connection is over: the cases
 * are listed at the top of relay_run's loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aio.h"
#include "interrupt.h"
#include "pump.h"
#include "relay.h"
#include "winerr.h"

struct relay {
	struct relay_cfg cfg;
	struct feed up;         /* stdin -> pipe; lives across connections */
	struct pump down;       /* pipe -> stdout, run by relay_run */
	struct aio_op eof_wr;   /* --eof-message: the zero-length write */
	int stdout_dead;        /* the reader of stdout went away */
};

struct relay *
relay_new(HANDLE in, HANDLE out, const struct relay_cfg *cfg, char *err,
    size_t errlen)
{
	struct relay *r = calloc(1, sizeof *r);
	DWORD e;

	if (r == NULL) {
		winerr_fmt(err, errlen, ERROR_NOT_ENOUGH_MEMORY, "relay buffers");
		return NULL;
	}
	r->cfg = *cfg;
	if (cfg->eof_message &&
	    (e = aio_init(&r->eof_wr, INVALID_HANDLE_VALUE, AIO_WRITE, 1)) != 0) {
		winerr_fmt(err, errlen, e, "start relay");
		return NULL;
	}
	r->up.src = in;
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
		r->up.tap_msg = cfg->message;
		r->down.tap = dump_received;
		r->down.tap_ctx = cfg->dump;
	}
	return r;
}

void
relay_set_oneway(struct relay *r, int send_only, int recv_only)
{
	r->cfg.send_only = send_only;
	r->cfg.recv_only = recv_only;
	if (recv_only)
		r->up.eof = 1;
}

int
relay_stdout_gone(const struct relay *r)
{
	return r->stdout_dead;
}

static ULONGLONG
deadline_left(ULONGLONG at, ULONGLONG now)
{
	return at > now ? at - now : 0;
}

static ULONGLONG
later(ULONGLONG a, volatile LONG64 *b)
{
	ULONGLONG t = (ULONGLONG)InterlockedCompareExchange64(b, 0, 0);
	return t > a ? t : a;
}

/* What the relay watches while the down pump runs on its thread: what
 * pump_run's ENOUGH checks after each block, without a kernel call. */
struct watch {
	struct feed *up;
	LONG eof, dead, err;    /* the feed's state when the pump was entered */
	ULONGLONG until;        /* the -q deadline, or 0 */
	struct aio_op *eof_wr;  /* the EOF message in flight, or NULL */
};

static int
watch_says(void *ctx)
{
	const struct watch *w = ctx;
	return interrupted() || w->up->eof != w->eof ||
	    w->up->dead != w->dead || w->up->err != w->err ||
	    (w->until != 0 && GetTickCount64() >= w->until) ||
	    (w->eof_wr != NULL && aio_done(w->eof_wr));
}

enum relay_end
relay_run(struct relay *r, HANDLE pipe, const char *name,
    struct relay_stats *st, char *err, size_t errlen)
{
	struct feed *up = &r->up;
	struct pump *down = &r->down;
	const struct relay_cfg *cfg = &r->cfg;
	int down_on = !cfg->send_only;
	int pumping = 0;                /* the down pump was begun */
	int down_over = 0;              /* ...and has ended */
	ULONGLONG last = GetTickCount64();
	ULONGLONG linger_at = 0;        /* 0: not lingering yet */
	int eof_pending = 0;            /* the EOF message is being written */
	int eof_sent = 0;
	static char none[1];            /* the EOF message's (empty) data */
	unsigned long long up0 = (unsigned long long)up->bytes;
	enum relay_end end;
	DWORD e = 0;
	const char *e_op = "write";
	/* Under Wine, the peer's process, and when it was seen gone (aio.h). */
	HANDLE peer_exit = pipe_peer_exit_watch(pipe);
	ULONGLONG exit_seen = 0;
	int vanished = 0;

	if (cfg->eof_message)
		aio_rebind(&r->eof_wr, pipe);
	down->src = pipe;
	down->bytes = 0;
	if ((e = feed_attach(up, pipe)) != 0 ||
	    (down_on && (e = pump_begin(down)) != 0)) {
		winerr_fmt(err, errlen, e, "start relay on %s", name);
		feed_detach(up);
		if (peer_exit != NULL)
			CloseHandle(peer_exit);
		st->sent = st->received = 0;
		return RELAY_ERROR;
	}
	pumping = down_on;

	for (;;) {
		ULONGLONG now = GetTickCount64();
		last = later(later(last, &down->last), &up->last);
		int up_dead = up->dead != 0;
		DWORD up_err = (DWORD)up->err;

		/* Every way a relay ends. */
		if (interrupted()) {
			end = RELAY_INTERRUPTED;
			break;
		}
		if (e != 0) {
			winerr_fmt(err, errlen, e, "%s %s", e_op, name);
			end = RELAY_ERROR;
			break;
		}
		if (down_over && down->dead) {
			end = RELAY_STDOUT_CLOSED;
			break;
		}
		if (down_over && down->err != 0) {
			pump_error_text(err, errlen, down->err, down->err_write,
			    name, "stdout");
			end = RELAY_ERROR;
			break;
		}
		if (up_err != 0) {
			pump_error_text(err, errlen, up_err, !up->err_read,
			    "stdin", name);
			end = RELAY_ERROR;
			break;
		}
		/* up_done: everything from stdin is in the pipe, the EOF message
		 * too if one is wanted. */
		int up_done = cfg->recv_only || up_dead ||
		    (up->eof && (!cfg->eof_message || eof_sent));
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
		if (!down_on && up_dead) {
			end = RELAY_PEER_CLOSED;
			break;
		}
		if (up_done && !cfg->recv_only && !up_dead) {
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
		/* Under Wine: the peer's process gone, its pipe still open, and
		 * nothing moved for a moment since; it has closed (aio.h). The
		 * pump is not in a write to stdout when this is looked at. */
		ULONGLONG vanish_at = peer_exit_deadline(peer_exit, &exit_seen,
		    last, now);
		if (vanish_at != 0 && now >= vanish_at) {
			end = RELAY_PEER_CLOSED;
			vanished = 1;
			break;
		}

		/* --eof-message: stdin's EOF goes to the peer as a zero-length
		 * message, the only end-of-data mark a pipe has short of closing. */
		if (cfg->eof_message && !eof_sent && !eof_pending && !up_dead &&
		    up->eof) {
			aio_start(&r->eof_wr, none, 0);
			eof_pending = 1;
		}

		HANDLE hs[4];
		DWORD n = 0;
		hs[n++] = interrupt_event();
		if (up->changed != NULL)
			hs[n++] = up->changed;
		if (eof_pending)
			hs[n++] = r->eof_wr.done;
		if (peer_exit != NULL && exit_seen == 0)
			hs[n++] = peer_exit;
		ULONGLONG wait = INFINITE;
		if (linger_at != 0)
			wait = deadline_left(linger_at, now);
		if (vanish_at != 0 && deadline_left(vanish_at, now) < wait)
			wait = deadline_left(vanish_at, now);
		if (cfg->idle_ms >= 0) {
			ULONGLONG idle = deadline_left(last + (ULONGLONG)cfg->idle_ms, now);
			if (idle < wait)
				wait = idle;
		}
		DWORD w;
		if (pumping && !down_over) {
			/* The down direction runs here, until something is to be
			 * decided. */
			struct watch wt = { up, up->eof, up->dead, up->err,
			    linger_at, eof_pending ? &r->eof_wr : NULL };
			w = pump_run(down, n, hs, (DWORD)wait, watch_says, &wt);
			if (w == PUMP_ENDED) {
				down_over = 1;
				continue;
			}
		} else
			w = WaitForMultipleObjects(n, hs, FALSE, (DWORD)wait);
		if (w == WAIT_FAILED) {
			e = GetLastError();
			e_op = "wait for";
			continue;
		}
		if (eof_pending && aio_done(&r->eof_wr)) {
			DWORD zero;
			DWORD we = aio_result(&r->eof_wr, &zero);
			eof_pending = 0;
			eof_sent = 1;
			if (we != 0 && !winerr_is_gone(we))
				e = we;
			else if (we == 0 && cfg->dump != NULL)
				dump_sent(cfg->dump, none, 0, 1);
		}
	}

	/* Nothing may be in flight on the pipe once the caller closes it. A
	 * block read from stdin stays with the feed: it belongs to the next
	 * connection. Stopping the pump lets it finish writing out the block
	 * it holds, so what was read from the pipe reaches stdout, unless the
	 * user asked to stop. */
	/* Whether the peer refused stdin's bytes before the relay ended: only
	 * then is what the feed holds known not to have been taken. A write
	 * still pending when the peer's close ended the relay may have been
	 * read whole (Wine can complete it with an error after the close), so
	 * it is not counted. */
	int refused = up->dead != 0;
	if (eof_pending)
		aio_cancel(&r->eof_wr);
	/* A write the vanished peer's process cannot have read was not
	 * delivered either. */
	if (feed_detach(up) && vanished)
		refused = 1;
	feed_settle(up);
	if (pumping && !pump_stop(down, interrupt_event(), INFINITE))
		end = RELAY_INTERRUPTED;
	if (down->dead) {
		r->stdout_dead = 1;
		if (end != RELAY_ERROR && end != RELAY_INTERRUPTED)
			end = RELAY_STDOUT_CLOSED;
	}
	if (end == RELAY_DONE || end == RELAY_IDLE) {
		DWORD fe = aio_flush(pipe, interrupt_event(), peer_exit);
		if (fe != 0 && !interrupted()) {
			winerr_fmt(err, errlen, fe, "flush %s", name);
			end = RELAY_ERROR;
		}
	}
	if (peer_exit != NULL)
		CloseHandle(peer_exit);
	st->sent = (unsigned long long)up->bytes - up0;
	st->received = down->bytes;
	/* What the feed holds once the peer refused it was read from stdin and
	 * not taken (kept for the next connection); its thread is parked on
	 * that block now: its write failed. */
	st->undelivered = refused ? feed_held(up) : 0;
	return end;
}

void
relay_stats_text(const struct relay_stats *st, unsigned long long ms,
    char *buf, size_t len)
{
	snprintf(buf, len, "%llu bytes sent, %llu received, %llu.%03llu s",
	    st->sent, st->received, ms / 1000, ms % 1000);
}
