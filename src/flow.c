/*
 * flow: one direction of a relay; see flow.h for the rules it follows.
 */
#include <stdlib.h>

#include "flow.h"

int
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

void
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

DWORD
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
	if (f->tap != NULL && !f->tap_on_write && (f->len[i] > 0 || f->msg))
		f->tap(f->tap_ctx, f->buf[i], f->len[i], f->tap_msg);
	if (f->len[i] == 0) {
		/* A pipe's zero-length write is no data and no EOF; a file's or
		 * console's zero-length read is EOF. */
		if (!f->src_is_pipe)
			f->eof = 1;
		else if (f->msg && f->zero_is_eof)
			f->eof = f->eof_soft = 1;
		return 0;
	}
	f->count++;
	return 0;
}

DWORD
flow_write_done(struct flow *f)
{
	DWORD n;
	DWORD e = aio_result(f->wr, &n);

	if (e != 0) {
		if (aio_gone_error(e)) {
			f->dead = 1;
			return 0;
		}
		return e;
	}
	if (f->tap != NULL && f->tap_on_write && n > 0)
		f->tap(f->tap_ctx, f->buf[f->head] + f->woff, n,
		    f->tap_msg && f->woff == 0 && n == f->len[f->head]);
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

int
flow_drained(const struct flow *f)
{
	return f->eof && f->count == 0 && f->fill < 0 && !f->wr->busy;
}


void
flow_reset(struct flow *f)
{
	f->head = f->count = 0;
	f->fill = -1;
	f->woff = 0;
}
