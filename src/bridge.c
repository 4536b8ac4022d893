/*
 * bridge: one session, two endpoints, a pump per direction; see bridge.h.
 *
 * Both pumps run on threads of their own and the caller's thread only
 * decides, as exec.c's sessions do. Every way a session ends is checked at
 * the top of bridge_run's loop:
 *   - Ctrl-C;
 *   - a pump failed (an I/O error, or a socket reset: data may be lost, so
 *     it is an error, not an end);
 *   - a pump found its destination's reader gone (a pipe whose peer
 *     closed, a socket that cannot take more): nobody is left to read;
 *   - a pump's source ended: the EOF is passed on (bridge.h), and the
 *     other direction gets linger_ms more;
 *   - both directions ended; the linger ran out; -i idle;
 *   - under Wine, a pipe's peer process gone, and nothing moved for a
 *     second since, while its pipe still seems open (aio.h,
 *     pipe_peer_exit_watch).
 * A pump still running at the end is cut (its write cancelled: its reader
 * may never read again) and stopped (its read cancelled), so no I/O is in
 * flight when the caller closes the endpoints. A pump that reads stdin is
 * not stopped: a synchronous read of a console or pipe cannot be cancelled
 * everywhere (Wine), and stdio sessions end the process.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bridge.h"
#include "aio.h"
#include "interrupt.h"
#include "pump.h"
#include "sock.h"
#include "winerr.h"

static void
pump_setup(struct pump *p, const struct endpoint *src, const struct endpoint *dst,
    const struct bridge_cfg *cfg, void (*tap)(void *, const char *, DWORD, int))
{
	p->src = src->in;
	p->src_sync = src->stdio;
	p->dst = dst->out;
	p->dst_ov = !dst->stdio;
	if (dst->sock != INVALID_SOCKET)
		p->dst_write = sock_write_ov;
	p->msg = src->message;
	p->zero_is_eof = src->message && cfg->eof_message;
	p->zero_read_eof = src->sock != INVALID_SOCKET;
	/* The source's end, passed on to a message pipe as a zero-length
	 * message by the pump itself (dumped too, as serve's is). */
	p->zero_at_eof = dst->message && cfg->eof_message;
	if (cfg->dump != NULL) {
		p->tap = tap;
		p->tap_ctx = cfg->dump;
		/* As serve and connect dump: a block once the other side took
		 * it. */
		p->tap_after = 1;
	}
}

/*
 * P (SRC -> DST) has ended. Passes its EOF on to DST and returns -1 if the
 * session goes on, else how it ends (ERR filled for an error).
 */
static int
direction_over(struct pump *p, const struct endpoint *src,
    const struct endpoint *dst, char *err, size_t errlen)
{
	if (p->err != 0) {
		char what[700];
		pump_error_text(what, sizeof what, p->err, p->err_write, src->name,
		    dst->name);
		snprintf(err, errlen, "bridge: %s%s", what,
		    sock_is_reset(p->err) ? ", the connection was reset" : "");
		return BRIDGE_ERROR;
	}
	if (p->dead)
		return BRIDGE_GONE;
	/* A message pipe with --eof-message had its EOF from the pump. */
	if (dst->sock == INVALID_SOCKET)
		return -1;
	DWORD e = sock_shutdown_send(dst->sock);
	if (e == 0)
		return -1;
	if (winerr_is_gone(e) || sock_is_reset(e) || e == WSAENOTCONN)
		return BRIDGE_GONE;
	winerr_fmt(err, errlen, e, "bridge %s: shutdown", dst->name);
	return BRIDGE_ERROR;
}

static ULONGLONG
last_moved(struct pump *p, struct pump *q)
{
	ULONGLONG a = (ULONGLONG)InterlockedCompareExchange64(&p->last, 0, 0);
	ULONGLONG b = (ULONGLONG)InterlockedCompareExchange64(&q->last, 0, 0);
	return a > b ? a : b;
}

/* How long a cut pump's socket write may take to be cancelled. */
#define SOCKET_CUT_MS 500

/*
 * Ends P (writing to DST) if it still runs, unless it reads stdin (see the
 * note above). Wine (8) does not cancel an overlapped write to a socket
 * whose peer reads nothing (CancelIoEx), and the session would wait for
 * that peer for ever; a write still there SOCKET_CUT_MS after the cut is
 * ended by closing the socket, which cancels what is pending on it (as
 * closesocket does on Windows). The session is ending: DST is not used
 * again, and endpoint_close then has nothing left to close.
 */
static void
end_pump(struct pump *p, int started, struct endpoint *dst)
{
	if (!started || p->src_sync)
		return;
	if (p->dst_ov)
		pump_cut(p);
	if (dst->sock != INVALID_SOCKET && !pump_stop(p, NULL, SOCKET_CUT_MS)) {
		sock_close(dst->sock);
		dst->sock = INVALID_SOCKET;
		dst->in = dst->out = NULL;
	}
	pump_stop(p, NULL, INFINITE);
}

static void
pump_free(struct pump *p)
{
	/* A pump left reading stdin keeps what it uses. */
	if (p->thread != NULL && WaitForSingleObject(p->done, 0) != WAIT_OBJECT_0)
		return;
	if (p->thread != NULL)
		WaitForSingleObject(p->thread, INFINITE);
	pump_close(p);
}

enum bridge_end
bridge_run(const struct bridge_cfg *cfg, struct endpoint *a, struct endpoint *b,
    struct bridge_stats *st, char *err, size_t errlen)
{
	struct pump ab = { 0 }, ba = { 0 };
	int ab_on = 0, ba_on = 0, ab_over = 0, ba_over = 0;
	ULONGLONG linger_at = 0;
	/* When each endpoint's peer process was seen gone (Wine), or 0. */
	ULONGLONG exit_seen[2] = { 0, 0 };
	HANDLE peer_exit[2] = { a->peer_exit, b->peer_exit };
	enum bridge_end end = BRIDGE_CLOSED;
	DWORD e;

	err[0] = '\0';
	pump_setup(&ab, a, b, cfg, dump_sent);
	pump_setup(&ba, b, a, cfg, dump_received);
	if ((e = pump_start(&ab)) == 0)
		ab_on = 1;
	if (e == 0 && (e = pump_start(&ba)) == 0)
		ba_on = 1;
	if (e != 0) {
		winerr_fmt(err, errlen, e, "bridge: start the relay");
		end = BRIDGE_ERROR;
		goto out;
	}

	for (;;) {
		int r;
		if (interrupted()) {
			end = BRIDGE_INTERRUPTED;
			break;
		}
		if (!ab_over && WaitForSingleObject(ab.done, 0) == WAIT_OBJECT_0) {
			ab_over = 1;
			if ((r = direction_over(&ab, a, b, err, errlen)) >= 0) {
				end = (enum bridge_end)r;
				break;
			}
		}
		if (!ba_over && WaitForSingleObject(ba.done, 0) == WAIT_OBJECT_0) {
			ba_over = 1;
			if ((r = direction_over(&ba, b, a, err, errlen)) >= 0) {
				end = (enum bridge_end)r;
				break;
			}
		}
		if (ab_over && ba_over) {
			end = BRIDGE_CLOSED;
			break;
		}
		ULONGLONG now = GetTickCount64();
		if ((ab_over || ba_over) && linger_at == 0)
			linger_at = now + (ULONGLONG)cfg->linger_ms;
		if (linger_at != 0 && now >= linger_at) {
			end = BRIDGE_LINGER;
			break;
		}
		ULONGLONG wake = linger_at;
		int gone = 0;
		for (int i = 0; i < 2; i++) {
			ULONGLONG at = peer_exit_deadline(peer_exit[i], &exit_seen[i],
			    last_moved(&ab, &ba), now);
			if (at != 0 && now >= at)
				gone = 1;
			if (at != 0 && (wake == 0 || at < wake))
				wake = at;
		}
		if (gone) {
			end = BRIDGE_GONE;
			break;
		}
		if (cfg->idle_ms >= 0) {
			ULONGLONG idle_at = last_moved(&ab, &ba) + (ULONGLONG)cfg->idle_ms;
			if (now >= idle_at) {
				end = BRIDGE_IDLE;
				break;
			}
			if (wake == 0 || idle_at < wake)
				wake = idle_at;
		}
		HANDLE hs[5];
		DWORD n = 0;
		hs[n++] = interrupt_event();
		if (!ab_over)
			hs[n++] = ab.done;
		if (!ba_over)
			hs[n++] = ba.done;
		for (int i = 0; i < 2; i++)
			if (peer_exit[i] != NULL && exit_seen[i] == 0)
				hs[n++] = peer_exit[i];
		DWORD wait = wake == 0 ? INFINITE
		    : wake - now > 0x7fffffff ? 0x7fffffff : (DWORD)(wake - now);
		if (WaitForMultipleObjects(n, hs, FALSE, wait) == WAIT_FAILED) {
			winerr_fmt(err, errlen, GetLastError(), "bridge: wait");
			end = BRIDGE_ERROR;
			break;
		}
	}
out:
	if (!ab_over)
		end_pump(&ab, ab_on, b);
	if (!ba_over)
		end_pump(&ba, ba_on, a);
	st->ab = ab.bytes;
	st->ba = ba.bytes;
	pump_free(&ab);
	pump_free(&ba);
	return end;
}

const char *
bridge_end_text(enum bridge_end end)
{
	switch (end) {
	case BRIDGE_CLOSED: return "closed";
	case BRIDGE_LINGER: return "linger ran out";
	case BRIDGE_GONE: return "gone";
	case BRIDGE_IDLE: return "idle";
	case BRIDGE_INTERRUPTED: return "interrupted";
	case BRIDGE_ERROR: return "error";
	}
	return "?";
}

void
endpoint_close(struct endpoint *e)
{
	if (e->peer_exit != NULL)
		CloseHandle(e->peer_exit);
	e->peer_exit = NULL;
	if (e->stdio)
		return;
	if (e->sock != INVALID_SOCKET)
		sock_close(e->sock);
	else if (e->in != NULL && e->in != INVALID_HANDLE_VALUE)
		CloseHandle(e->in);
	e->sock = INVALID_SOCKET;
	e->in = e->out = NULL;
}
