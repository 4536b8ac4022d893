/*
 * broker: serve -b, a hub between clients; see broker.h.
 *
 * One thread, one WaitForMultipleObjects over: Ctrl-C, the acceptor, stdin's
 * read (worker thread), stdout's write (worker thread), and each client's
 * overlapped read and write. What one source reads becomes a block, shared
 * by reference among the queues of everyone it goes to, and freed when the
 * last of them has written it: a message read once is sent N times without
 * N copies.
 *
 * Back-pressure and slow clients: clients are not read while stdout has
 * more than BROKER_QUEUE_LIMIT waiting (they then wait in WriteFile, as
 * with any full pipe), and stdin is not read while there is no client or
 * while even the fastest client has half the limit waiting. A client whose
 * own queue passes the limit (it reads much slower than the others, or not
 * at all) is disconnected with a line on stderr, so one slow client cannot
 * hold up the others or grow pipecat's memory without bound.
 *
 * Like exec.c, this is serve's own machinery: it reports per-client events
 * on stderr itself, because only it knows them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aio.h"
#include "broker.h"
#include "interrupt.h"
#include "exitcode.h"
#include "winerr.h"

#define CHUNK (64 * 1024)

struct block {
	LONG refs;
	DWORD len;
	char data[];
};

struct queue {
	struct block **b;
	int head, count, cap;
	size_t bytes;           /* not yet written */
	DWORD woff;             /* of b[head], already written */
};

struct bclient {
	int used;
	HANDLE h;
	unsigned long id;
	struct aio_op rd, wr;   /* overlapped, events made once per slot */
	char *rbuf;
	DWORD rcap, rlen;
	struct queue q;
	unsigned long long in, out;
	ULONGLONG t0;
};

static void
block_release(struct block *b)
{
	if (--b->refs == 0)
		free(b);
}

static int
queue_push(struct queue *q, struct block *b)
{
	if (q->count == q->cap) {
		int cap = q->cap ? q->cap * 2 : 16;
		struct block **nb = malloc((size_t)cap * sizeof *nb);
		if (nb == NULL)
			return -1;
		for (int i = 0; i < q->count; i++)
			nb[i] = q->b[(q->head + i) % q->cap];
		free(q->b);
		q->b = nb;
		q->head = 0;
		q->cap = cap;
	}
	q->b[(q->head + q->count) % q->cap] = b;
	q->count++;
	q->bytes += b->len;
	b->refs++;
	return 0;
}

static void
queue_pop(struct queue *q)
{
	struct block *b = q->b[q->head];
	q->bytes -= b->len - q->woff;
	q->woff = 0;
	q->head = (q->head + 1) % q->cap;
	q->count--;
	block_release(b);
}

static void
queue_clear(struct queue *q)
{
	while (q->count > 0)
		queue_pop(q);
	q->bytes = 0;
}

/* Starts writing Q's head to OP if it is idle. */
static void
queue_kick(struct queue *q, struct aio_op *op)
{
	if (q->count > 0 && !op->busy) {
		struct block *b = q->b[q->head];
		aio_start(op, b->data + q->woff, b->len - q->woff);
	}
}

/* A write of Q's head finished: N bytes went. Returns 1 if a block is done. */
static int
queue_wrote(struct queue *q, DWORD n)
{
	q->woff += n;
	q->bytes -= n;
	if (q->woff >= q->b[q->head]->len) {
		struct block *b = q->b[q->head];
		q->woff = 0;
		q->head = (q->head + 1) % q->cap;
		q->count--;
		block_release(b);
		return 1;
	}
	return 0;
}

struct broker {
	const struct broker_cfg *cfg;
	struct server *s;
	struct bclient c[BROKER_MAX_CLIENTS];
	int nclients;
	unsigned long ids;      /* clients so far */
	unsigned long gone;     /* clients come and gone */
	struct aio_op in_rd, out_wr;
	char *inbuf;
	struct queue outq;
	int in_eof, out_dead, out_failed;
};

static void
client_drop(struct broker *b, struct bclient *c, const char *why)
{
	aio_cancel(&c->rd);
	aio_cancel(&c->wr);
	CloseHandle(c->h);
	queue_clear(&c->q);
	c->q.woff = 0;
	c->used = 0;
	b->nclients--;
	b->gone++;
	if (b->cfg->verbose) {
		ULONGLONG ms = GetTickCount64() - c->t0;
		say("client %lu gone from %s (%s): %llu bytes received, %llu sent, "
		    "%llu.%03llu s", c->id, b->s->name, why, c->in, c->out,
		    ms / 1000, ms % 1000);
	}
}

/* Hands a new block of LEN bytes from SRC (a client, or NULL for stdin)
 * to everyone else. Returns 0, or -1 out of memory. */
static int
broker_spread(struct broker *b, struct bclient *src, const char *data, DWORD len)
{
	struct block *blk = malloc(sizeof *blk + len);
	if (blk == NULL)
		return -1;
	blk->refs = 1;          /* ours, until every queue has it */
	blk->len = len;
	memcpy(blk->data, data, len);
	if (src != NULL && !b->out_dead && queue_push(&b->outq, blk) != 0) {
		block_release(blk);
		return -1;
	}
	for (int i = 0; i < BROKER_MAX_CLIENTS; i++) {
		struct bclient *c = &b->c[i];
		if (!c->used || c == src)
			continue;
		if (queue_push(&c->q, blk) != 0) {
			block_release(blk);
			return -1;
		}
		if (c->q.bytes > BROKER_QUEUE_LIMIT) {
			if (!b->cfg->quiet)
				say("serve %s: client %lu is too slow (more than %u bytes "
				    "waiting for it), disconnected", b->s->name, c->id,
				    BROKER_QUEUE_LIMIT);
			client_drop(b, c, "too slow");
		}
	}
	block_release(blk);
	return 0;
}

static DWORD
client_add(struct broker *b, HANDLE h)
{
	struct bclient *c = NULL;
	for (int i = 0; i < BROKER_MAX_CLIENTS && c == NULL; i++)
		if (!b->c[i].used)
			c = &b->c[i];
	if (c == NULL)
		return ERROR_PIPE_BUSY;
	DWORD e;
	if (c->rd.done == NULL &&
	    ((e = aio_init(&c->rd, h, AIO_READ, 1)) != 0 ||
	    (e = aio_init(&c->wr, h, AIO_WRITE, 1)) != 0))
		return e;
	if (c->rbuf == NULL) {
		c->rbuf = malloc(CHUNK);
		if (c->rbuf == NULL)
			return ERROR_NOT_ENOUGH_MEMORY;
		c->rcap = CHUNK;
	}
	aio_rebind(&c->rd, h);
	aio_rebind(&c->wr, h);
	c->used = 1;
	c->h = h;
	c->id = ++b->ids;
	c->in = c->out = 0;
	c->rlen = 0;
	c->t0 = GetTickCount64();
	b->nclients++;
	return 0;
}

/* A client's read finished. Returns 0, or -1 out of memory. */
static int
client_read_done(struct broker *b, struct bclient *c)
{
	DWORD n;
	DWORD e = aio_result(&c->rd, &n);
	if (e == ERROR_MORE_DATA && b->cfg->message) {
		c->rlen += n;
		if (c->rcap > MAXDWORD / 2)
			return -1;
		char *p = realloc(c->rbuf, c->rcap * 2);
		if (p == NULL)
			return -1;
		c->rbuf = p;
		c->rcap *= 2;
		aio_start(&c->rd, c->rbuf + c->rlen, c->rcap - c->rlen);
		return 0;
	}
	if (e != 0 && e != ERROR_MORE_DATA) {
		char why[300];
		if (winerr_is_gone(e) || e == ERROR_OPERATION_ABORTED)
			snprintf(why, sizeof why, "closed");
		else
			winerr_text(e, why, sizeof why);
		client_drop(b, c, why);
		return 0;
	}
	c->rlen += n;
	c->in += c->rlen;
	DWORD len = c->rlen;
	c->rlen = 0;
	/* A zero-length write is no data (and a zero-length message is
	 * dropped: a broker has nobody to mean it for). */
	if (len > 0 && broker_spread(b, c, c->rbuf, len) != 0)
		return -1;
	if (c->rcap > 4 * CHUNK) {
		char *p = realloc(c->rbuf, CHUNK);
		if (p != NULL) {
			c->rbuf = p;
			c->rcap = CHUNK;
		}
	}
	return 0;
}

int
broker_run(struct server *s, struct instance *first, const struct broker_cfg *cfg)
{
	static struct broker br;
	struct broker *b = &br;
	DWORD e;

	b->cfg = cfg;
	b->s = s;
	b->inbuf = malloc(CHUNK);
	HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
	b->in_eof = in == NULL || in == INVALID_HANDLE_VALUE;
	if (b->inbuf == NULL ||
	    (e = aio_init(&b->in_rd, in, AIO_READ, 0)) != 0 ||
	    (e = aio_init(&b->out_wr, GetStdHandle(STD_OUTPUT_HANDLE), AIO_WRITE, 0)) != 0 ||
	    (e = acceptor_start(s, first, cfg->max_at_once)) != 0) {
		say_winerr(b->inbuf == NULL ? ERROR_NOT_ENOUGH_MEMORY : e,
		    "serve %s: start the broker", s->name);
		return EXIT_FAIL;
	}

	for (;;) {
		/* Every way the broker ends. */
		if (interrupted())
			return EXIT_INTR;
		if (b->out_dead)
			return b->out_failed ? EXIT_FAIL : EXIT_OK;
		if (cfg->max_clients != 0 && (long long)b->gone >= cfg->max_clients &&
		    b->nclients == 0 && b->outq.count == 0 && !b->out_wr.busy)
			return EXIT_OK;

		DWORD retry = INFINITE;
		if ((long long)b->ids < cfg->max_clients || cfg->max_clients == 0) {
			char err[600];
			if (acceptor_refill(s, b->nclients, &retry, err, sizeof err) &&
			    !cfg->quiet)
				say("%s", err);
		}
		/* Start what can start. */
		queue_kick(&b->outq, &b->out_wr);
		/* stdin is read at the pace of the fastest client: a client that
		 * falls BROKER_QUEUE_LIMIT behind is cut off in broker_spread. */
		size_t least = (size_t)-1;
		for (int i = 0; i < BROKER_MAX_CLIENTS; i++) {
			struct bclient *c = &b->c[i];
			if (!c->used)
				continue;
			queue_kick(&c->q, &c->wr);
			if (c->q.bytes < least)
				least = c->q.bytes;
			if (!c->rd.busy && b->outq.bytes <= BROKER_QUEUE_LIMIT)
				aio_start(&c->rd, c->rbuf, c->rcap);
		}
		if (!b->in_eof && !b->in_rd.busy && b->nclients > 0 &&
		    least <= BROKER_QUEUE_LIMIT / 2)
			aio_start(&b->in_rd, b->inbuf, CHUNK);

		HANDLE hs[64];
		struct aio_op *ops[64];
		struct bclient *owner[64];
		DWORD n = 0;
		hs[n] = interrupt_event(); ops[n] = NULL; owner[n++] = NULL;
		hs[n] = acceptor_event(); ops[n] = NULL; owner[n++] = NULL;
		if (b->in_rd.busy) {
			hs[n] = b->in_rd.done; ops[n] = &b->in_rd; owner[n++] = NULL;
		}
		if (b->out_wr.busy) {
			hs[n] = b->out_wr.done; ops[n] = &b->out_wr; owner[n++] = NULL;
		}
		for (int i = 0; i < BROKER_MAX_CLIENTS; i++) {
			struct bclient *c = &b->c[i];
			if (!c->used)
				continue;
			if (c->rd.busy) {
				hs[n] = c->rd.done; ops[n] = &c->rd; owner[n++] = c;
			}
			if (c->wr.busy) {
				hs[n] = c->wr.done; ops[n] = &c->wr; owner[n++] = c;
			}
		}
		DWORD w = WaitForMultipleObjects(n, hs, FALSE, retry);
		if (w == WAIT_TIMEOUT)
			continue;
		if (w == WAIT_FAILED) {
			say_winerr(GetLastError(), "serve %s: wait", s->name);
			return EXIT_FAIL;
		}
		HANDLE h;
		while ((h = acceptor_take()) != NULL) {
			if ((e = client_add(b, h)) != 0) {
				say_winerr(e, "serve %s: take a client", s->name);
				CloseHandle(h);
				continue;
			}
			if (cfg->verbose) {
				char who[300];
				if (describe_client(h, who, sizeof who) != 0)
					ExitProcess(EXIT_FAIL);     /* still the client: see RevertToSelf */
				say("client %lu connected to %s (%s)", b->ids, s->name, who);
			}
		}
		for (DWORD i = 2; i < n; i++) {
			struct aio_op *op = ops[i];
			struct bclient *c = owner[i];
			if (!aio_done(op))
				continue;
			if (c != NULL && !c->used)
				continue;       /* dropped meanwhile; its ops were cancelled */
			DWORD got;
			if (op == &b->in_rd) {
				DWORD re = aio_result(op, &got);
				if (re != 0 || got == 0)
					b->in_eof = 1;
				else if (broker_spread(b, NULL, b->inbuf, got) != 0) {
					say_winerr(ERROR_NOT_ENOUGH_MEMORY, "serve %s", s->name);
					return EXIT_FAIL;
				}
			} else if (op == &b->out_wr) {
				DWORD we = aio_result(op, &got);
				if (we != 0) {
					/* A reader of stdout that went away (| head)
					 * ends the output quietly. */
					if (!winerr_is_gone(we)) {
						say_winerr(we, "write stdout");
						b->out_failed = 1;
					}
					b->out_dead = 1;
					queue_clear(&b->outq);
				} else {
					queue_wrote(&b->outq, got);
				}
			} else if (op == &c->rd) {
				if (client_read_done(b, c) != 0) {
					say_winerr(ERROR_NOT_ENOUGH_MEMORY, "serve %s", s->name);
					return EXIT_FAIL;
				}
			} else {
				DWORD we = aio_result(op, &got);
				if (we != 0) {
					char why[300];
					winerr_text(we, why, sizeof why);
					client_drop(b, c, winerr_is_gone(we) ? "closed" : why);
				} else {
					c->out += got;
					queue_wrote(&c->q, got);
				}
			}
		}
	}
}
