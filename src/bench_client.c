/*
 * bench_client: running the runs and collecting the figures (contract in
 * bench_client.h).
 *
 * A figure is one warm-up run that is not counted (with --time it
 * calibrates the volume: the runs that count move about as much as the
 * warm-up moved in that time), then --repeat runs, each checked to have
 * verified exactly the bytes or round trips asked for, in both
 * directions of a both-ways run. A pipe run is the client's half of the
 * control protocol (bench_wire.h): ask, open the data pipe NAME-SEQ the
 * server names, run the client's parts on it, read the server's result.
 * The client's receiving clock starts before it opens the data pipe, so
 * no byte the server sends is before it; what the client sends is timed
 * by the server, and comes back in the result.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "bench_client.h"
#include "bench_part.h"
#include "bench_wire.h"
#include "exitcode.h"
#include "interrupt.h"
#include "pipeclient.h"
#include "stats.h"
#include "winerr.h"

/* The outcome of one run: each direction's verified bytes and seconds. */
struct run_out {
	uint64_t up_done, down_done;
	double up_s, down_s;
	double *samples;        /* ping */
};

/* A failed call's error for a caller that must not see 0 (success): a
 * failed UTF-16 conversion out of memory need not set one. */
static DWORD
nonzero(DWORD e)
{
	return e != 0 ? e : ERROR_NOT_ENOUGH_MEMORY;
}

/*
 * One run of TEST over the server. Returns 0, ERROR_OPERATION_ABORTED, or
 * the Win32 error with the message in ERR.
 */
static DWORD
client_run(struct client *c, enum test test, int msg, DWORD size,
    DWORD buffer, int ov, uint64_t bytes, struct run_out *out, char *err,
    size_t errlen)
{
	struct hdr h = { MAGIC, test, (uint32_t)msg, (uint32_t)ov, size, buffer,
	    0, bytes };
	struct reply rep;
	struct result res;
	DWORD n, e;
	char dname[300];

	if ((e = ctl_io(c->ctl, 0, &h, sizeof h, &n)) != 0 ||
	    (e = ctl_io(c->ctl, 1, &rep, sizeof rep, &n)) != 0) {
		if (e != ERROR_OPERATION_ABORTED)
			winerr_fmt(err, errlen, e, "bench %s: control pipe", c->name);
		return e;
	}
	if (n != sizeof rep || memcmp(rep.magic, MAGIC, 8) != 0) {
		snprintf(err, errlen, "bench %s: the server's answer is not a "
		    "bench server's", c->name);
		return ERROR_INVALID_DATA;
	}
	if (rep.status != 0) {
		winerr_fmt(err, errlen, rep.status, "bench %s: the server could "
		    "not create its data pipe", c->name);
		return rep.status;
	}
	/* Not reached: the command refuses a name too long for any SEQ. */
	if (data_name(c->name, rep.seq, dname, sizeof dname) != 0) {
		snprintf(err, errlen, "bench %s: the name is too long for its "
		    "data pipes", c->name);
		return ERROR_FILENAME_EXCED_RANGE;
	}
	wchar_t *w = utf8_to_wide(dname);
	if (w == NULL) {
		e = GetLastError();
		winerr_fmt(err, errlen, e, "bench %s", dname);
		return nonzero(e);
	}
	double t0 = now_us();
	HANDLE dh = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, 0, NULL,
	    OPEN_EXISTING, ov ? FILE_FLAG_OVERLAPPED : 0, NULL);
	e = dh == INVALID_HANDLE_VALUE ? GetLastError() : 0;
	free(w);
	if (e != 0) {
		winerr_fmt(err, errlen, e, "bench: connect %s", dname);
		return e;
	}
	DWORD rmode = PIPE_READMODE_MESSAGE;
	if (msg && !SetNamedPipeHandleState(dh, &rmode, NULL, NULL)) {
		e = GetLastError();
		winerr_fmt(err, errlen, e, "bench: message read mode on %s", dname);
		CloseHandle(dh);
		return e;
	}

	/* a, b: bench_part.h says why they are on the heap. */
	struct part *pp = calloc(2, sizeof *pp);
	if (pp == NULL) {
		snprintf(err, errlen, "bench: out of memory");
		CloseHandle(dh);
		return ERROR_NOT_ENOUGH_MEMORY;
	}
	struct part *a = &pp[0], *b = &pp[1];
	*a = (struct part){ .h = dh, .ov = ov, .msg = msg, .size = size,
	    .bytes = bytes, .t0 = t0, .samples = out->samples };
	*b = *a;
	enum part_kind kind[2];
	int np = part_kinds(test, 0, kind);
	a->kind = kind[0];
	b->kind = kind[1];
	HANDLE ts[2] = { part_start(a), np > 1 ? part_start(b) : NULL };
	if (ts[0] == NULL || (np > 1 && ts[1] == NULL)) {
		e = GetLastError();
		winerr_fmt(err, errlen, e, "bench: start a thread");
		return e;               /* a started part keeps pp: not freed */
	}
	e = wait_threads(ts, np, NULL);
	if (e == ERROR_OPERATION_ABORTED)
		return e;               /* the parts may still run: pp is kept */
	/* Closing our end is what ends the server's echo. */
	CloseHandle(dh);

	struct part *bad = a->err ? a : b->err ? b : NULL;
	if ((e = ctl_io(c->ctl, 1, &res, sizeof res, &n)) != 0) {
		if (e != ERROR_OPERATION_ABORTED)
			winerr_fmt(err, errlen, e, "bench %s: control pipe", c->name);
	} else if (n != sizeof res || memcmp(res.magic, MAGIC, 8) != 0) {
		snprintf(err, errlen, "bench %s: the server's result is not a "
		    "bench server's", c->name);
		e = ERROR_INVALID_DATA;
	} else if (bad != NULL) {
		e = bad->err;
		winerr_fmt(err, errlen, e, "bench %s: %s", dname, bad->text);
	} else if (res.status != 0) {
		res.text[sizeof res.text - 1] = '\0';
		e = res.status;
		winerr_fmt(err, errlen, e, "bench %s: the server: %s", dname,
		    res.text);
	} else {
		ZeroMemory(out, offsetof(struct run_out, samples));
		switch (test) {
		case T_UP:
			out->up_done = res.done;
			out->up_s = (double)res.elapsed_ns / 1e9;
			break;
		case T_DOWN:
			out->down_done = a->done;
			out->down_s = (a->t1 - a->t0) / 1e6;
			break;
		case T_BOTH:
			out->up_done = res.done;
			out->up_s = (double)res.elapsed_ns / 1e9;
			out->down_done = a->done;
			out->down_s = (a->t1 - a->t0) / 1e6;
			break;
		case T_ECHO:
			/* Round trips the client verified and the server echoed. */
			out->down_done = a->done < res.done ? a->done : res.done;
			out->down_s = (a->t1 - a->t0) / 1e6;
			break;
		}
	}
	free(pp);
	return e;
}

/* One run of anonymous-pipe throughput, in this process. Returns as
 * client_run. */
static DWORD
anon_run(DWORD size, DWORD buffer, uint64_t bytes, struct run_out *out,
    char *err, size_t errlen)
{
	HANDLE r, w;
	DWORD e;
	if (!CreatePipe(&r, &w, NULL, buffer)) {
		e = GetLastError();
		winerr_fmt(err, errlen, e, "bench: create an anonymous pipe");
		return e;
	}
	/* On the heap, as client_run's parts. */
	struct part *pp = calloc(2, sizeof *pp);
	if (pp == NULL) {
		snprintf(err, errlen, "bench: out of memory");
		CloseHandle(r);
		CloseHandle(w);
		return ERROR_NOT_ENOUGH_MEMORY;
	}
	struct part *snk = &pp[0], *src = &pp[1];
	*src = (struct part){ .kind = P_SOURCE, .h = w, .size = size, .bytes = bytes };
	*snk = (struct part){ .kind = P_SINK, .h = r, .size = size, .bytes = bytes };
	snk->t0 = now_us();
	HANDLE ts[2] = { part_start(snk), part_start(src) };
	if (ts[0] == NULL || ts[1] == NULL) {
		e = GetLastError();
		winerr_fmt(err, errlen, e, "bench: start a thread");
		return e;
	}
	e = wait_threads(ts, 2, NULL);
	if (e == ERROR_OPERATION_ABORTED)
		return e;
	CloseHandle(r);
	CloseHandle(w);
	struct part *bad = snk->err ? snk : src->err ? src : NULL;
	e = 0;
	if (bad != NULL) {
		e = bad->err;
		winerr_fmt(err, errlen, e, "bench: anonymous pipe: %s", bad->text);
	} else {
		ZeroMemory(out, offsetof(struct run_out, samples));
		out->down_done = snk->done;
		out->down_s = (snk->t1 - snk->t0) / 1e6;
	}
	free(pp);
	return e;
}

static struct row *
new_row(struct bench *b, const char *test, const char *mode, DWORD size)
{
	if (b->nrows == b->caprows) {
		int cap = b->caprows ? b->caprows * 2 : 16;
		struct row *r = realloc(b->rows, (size_t)cap * sizeof *r);
		if (r == NULL)
			return NULL;
		b->rows = r;
		b->caprows = cap;
	}
	struct row *r = &b->rows[b->nrows++];
	ZeroMemory(r, sizeof *r);
	r->test = test;
	r->mode = mode;
	r->size = size;
	return r;
}

/*
 * Measures one figure: a warm-up run, then --repeat runs. TEST 0 is the
 * anonymous pipe. Fills R (and R2, the other direction of T_BOTH).
 * Returns as bench_run.
 */
static DWORD
measure(struct bench *b, enum test test, int msg, DWORD size, struct row *r,
    struct row *r2, char *err, size_t errlen)
{
	const struct plan *o = b->plan;
	/* Anonymous pipes cannot be overlapped. */
	int ov = test != 0 && (test == T_BOTH || o->overlapped);
	DWORD buffer = o->buffer ? o->buffer : test == T_ECHO ? 65536 : size;
	uint64_t amount = test == T_ECHO ? o->count : o->bytes;
	struct run_out out;
	DWORD e;

	r->buffer = buffer;
	r->ov = ov;
	if (r2 != NULL) {
		r2->buffer = buffer;
		r2->ov = ov;
	}
	if (o->time_ms >= 0)
		amount = test == T_ECHO ? 200 : 8u << 20;       /* calibration */
	out.samples = NULL;
	for (int run = -1; run < o->repeat; run++) {
		if (interrupted())
			return ERROR_OPERATION_ABORTED;
		if (test == T_ECHO) {
			/* Room for this run's round trips, and for all of them. */
			double *p = realloc(out.samples, (size_t)amount * sizeof *p);
			double *q = run < 0 ? r->lat : realloc(r->lat,
			    (r->nlat + (size_t)amount) * sizeof *q);
			if (p != NULL)
				out.samples = p;
			if (q != NULL)
				r->lat = q;
			if (p == NULL || (run >= 0 && q == NULL)) {
				free(out.samples);
				snprintf(err, errlen, "bench: out of memory");
				return ERROR_NOT_ENOUGH_MEMORY;
			}
		}
		if (b->on_run != NULL)
			b->on_run(b, r, run);
		e = test == 0 ? anon_run(size, buffer, amount, &out, err, errlen)
		    : client_run(b->c, test, msg, size, buffer, ov, amount, &out,
		    err, errlen);
		if (e != 0) {
			/* Interrupted, a ping part may still write its samples. */
			if (e != ERROR_OPERATION_ABORTED)
				free(out.samples);
			return e;
		}
		uint64_t got = test == T_UP ? out.up_done : out.down_done;
		double secs = test == T_UP ? out.up_s : out.down_s;
		if (got != amount || (test == T_BOTH && out.up_done != amount)) {
			snprintf(err, errlen, "bench: %s %s %lu: %llu of %llu verified",
			    r->test, r->mode, (unsigned long)size,
			    (unsigned long long)got, (unsigned long long)amount);
			free(out.samples);
			return ERROR_INVALID_DATA;
		}
		/* A clock that did not move (a tiny run) is not a division by 0. */
		if (secs <= 0)
			secs = 1e-9;
		if (out.up_s <= 0)
			out.up_s = 1e-9;
		if (out.down_s <= 0)
			out.down_s = 1e-9;
		if (run < 0) {
			/* The warm-up sets the volume for --time. */
			if (o->time_ms >= 0) {
				double per_s = (double)amount / secs;
				double want = per_s * (double)o->time_ms / 1000.0;
				if (test == T_ECHO) {
					amount = want < 10 ? 10 : want > 10000000 ? 10000000
					    : (uint64_t)want;
				} else {
					amount = want < size ? size : (uint64_t)want;
					amount -= amount % size;
				}
			}
			continue;
		}
		if (test == T_ECHO) {
			struct stats st;
			memcpy(r->lat + r->nlat, out.samples, (size_t)amount * sizeof *r->lat);
			if (stats_compute(out.samples, (size_t)amount, &st) == 0)
				r->lat_median[r->nruns] = st.median;
			r->nlat += (size_t)amount;
			r->rate[r->nruns] = (double)amount / secs;
		} else if (test == T_BOTH) {
			r->rate[r->nruns] = (double)out.up_done / 1048576.0 / out.up_s;
			r2->rate[r2->nruns] = (double)out.down_done / 1048576.0 / out.down_s;
			r2->verified[r2->nruns++] = out.down_done;
			got = out.up_done;
		} else {
			r->rate[r->nruns] = (double)got / 1048576.0 / secs;
		}
		r->verified[r->nruns++] = got;
		r->bytes = amount;
		if (r2 != NULL)
			r2->bytes = amount;
	}
	free(out.samples);
	b->done++;
	if (b->on_figure != NULL) {
		b->on_figure(b, r);
		if (r2 != NULL)
			b->on_figure(b, r2);
	}
	return 0;
}

/* Adds the row of TEST in mode MSG (both of T_BOTH) and measures it. */
static DWORD
figure(struct bench *b, enum test test, int msg, DWORD size, char *err,
    size_t errlen)
{
	static const char *const modes[2] = { "byte", "message" };
	static const char *const names[] = { "anon", "up", "down", "both-up", "ping" };
	struct row *r = new_row(b, names[test], modes[msg], size), *r2 = NULL;

	if (r != NULL && test == T_BOTH &&
	    (r2 = new_row(b, "both-down", modes[msg], size)) != NULL)
		r = &b->rows[b->nrows - 2];     /* new_row may have moved the array */
	if (r == NULL || (test == T_BOTH && r2 == NULL)) {
		snprintf(err, errlen, "bench: out of memory");
		return ERROR_NOT_ENOUGH_MEMORY;
	}
	return measure(b, test, msg, size, r, r2, err, errlen);
}

DWORD
bench_run(struct bench *b, char *err, size_t errlen)
{
	const struct plan *o = b->plan;
	int nm = (o->modes & 1) + ((o->modes & 2) >> 1);
	DWORD e = 0;

	b->total = nm * o->nsizes * (((o->tests & TS_ONEWAY) ? 2 : 0) +
	    ((o->tests & TS_BOTH) ? 1 : 0)) + ((o->tests & TS_LATENCY) ? nm : 0) +
	    ((o->tests & TS_ANON) ? o->nsizes : 0);
	for (int m = 0; m < 2 && e == 0; m++) {
		if (!(o->modes & (1 << m)))
			continue;
		for (int i = 0; i < o->nsizes && e == 0; i++) {
			DWORD sz = o->sizes[i];
			if ((o->tests & TS_ONEWAY) &&
			    (e = figure(b, T_UP, m, sz, err, errlen)) == 0)
				e = figure(b, T_DOWN, m, sz, err, errlen);
			if (e == 0 && (o->tests & TS_BOTH))
				e = figure(b, T_BOTH, m, sz, err, errlen);
		}
		if (e == 0 && (o->tests & TS_LATENCY))
			e = figure(b, T_ECHO, m, o->ping_size, err, errlen);
	}
	for (int i = 0; i < o->nsizes && e == 0 && (o->tests & TS_ANON); i++)
		e = figure(b, 0, 0, o->sizes[i], err, errlen);
	return e;
}

void
bench_free(struct bench *b)
{
	for (int i = 0; i < b->nrows; i++)
		free(b->rows[i].lat);
	free(b->rows);
	b->rows = NULL;
	b->nrows = b->caprows = 0;
}

HANDLE
open_ctl(const char *name, long long wait_ms, const char *wait_text,
    int *status, char *err, size_t errlen)
{
	char what[300];
	snprintf(what, sizeof what, "bench: connect %s", name);
	struct pipeclient pc = {
		.name = name, .what = what,
		.access = GENERIC_READ | GENERIC_WRITE,
		.sqos = SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
		.wait_ms = wait_ms, .wait_text = wait_text,
	};
	HANDLE h = pipeclient_open(&pc, status, err, errlen);
	if (h == NULL)
		return NULL;
	DWORD mode = PIPE_READMODE_MESSAGE;
	if (!SetNamedPipeHandleState(h, &mode, NULL, NULL)) {
		snprintf(err, errlen, "bench %s: not a bench server (a byte-type pipe)",
		    name);
		CloseHandle(h);
		*status = EXIT_FAIL;
		return NULL;
	}
	return h;
}
