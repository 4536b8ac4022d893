/*
 * bench: an iperf for pipes (the man page's bench section). Measures
 * throughput one way and both ways at once, byte and message mode, for a
 * list of I/O sizes; round-trip latency; and anonymous-pipe throughput
 * (the path spawn uses).
 *
 * Two processes (or one playing both parts) talk over a control pipe: the
 * client connects to NAME, served by `pipecat bench --serve NAME`; without
 * NAME, bench serves a private name on a thread of its own and is its own
 * client, through the very same code. The mechanism is in four modules:
 *   bench_wire.h    the control protocol: a fresh data pipe per run;
 *   bench_part.c    the threads that move the pattern and verify it;
 *   bench_server.c  --serve and the private server;
 *   bench_client.c  running the runs and collecting each figure's runs.
 * This file is the command: its usage text, its options and their
 * conflicts, the exit codes, and the report: the header, the table
 * printed row by row as the figures come, the JSON, and the progress
 * line on a console. It alone prints. The modules return their failures
 * as text, and tell what happens through callbacks that run on the main
 * thread: the client's before each run and after each figure, the
 * server's for -v lines (the private server is quiet).
 *
 * A figure is the median of --repeat runs after a warm-up that is not
 * counted, with the spread (max - min) / median beside it, so that a
 * reader sees how far to trust it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "bench_client.h"
#include "bench_part.h"
#include "bench_server.h"
#include "bench_wire.h"
#include "cli.h"
#include "json.h"
#include "opts.h"
#include "command.h"
#include "pipecat.h"
#include "pipename.h"
#include "stats.h"
#include "winerr.h"

const char usage_bench[] =
    "usage: pipecat bench [OPTIONS] [NAME]\n"
    "       pipecat bench --serve [OPTIONS] NAME\n"
    "\n"
    "Measure pipes: throughput one way and both ways at once, byte and message\n"
    "mode, for several I/O sizes; round-trip latency; anonymous-pipe throughput.\n"
    "Without NAME, bench serves a private pipe and is its own client; with NAME,\n"
    "it is the client of `pipecat bench --serve NAME` run elsewhere.\n"
    "\n"
    "  -s, --size LIST          I/O sizes, comma-separated, 1 to 4M\n"
    "                           (default 4K,16K,64K,256K,1M); each data pipe's\n"
    "                           buffer is the same size unless --buffer is given\n"
    "  -n, --bytes BYTES        volume of each throughput run (default 32M)\n"
    "  -t, --time SECONDS       instead of --bytes: about SECONDS per run, the\n"
    "                           volume being set from the warm-up run\n"
    "  -r, --repeat N           runs per figure, after one warm-up (default 3)\n"
    "      --mode MODE          byte, message or both (default both)\n"
    "      --tests LIST         any of oneway,both,latency,anon (default all)\n"
    "  -c, --count N            round trips per latency run (default 2000)\n"
    "      --ping-size BYTES    bytes per latency message (default 64)\n"
    "      --buffer BYTES       every data pipe's buffer size\n"
    "      --overlapped         overlapped handles for every run, as pipecat's\n"
    "                           relay uses (default: synchronous where possible)\n"
    "      --json               print JSON instead of a table\n"
    "  -w, --wait SECONDS|inf   wait for NAME to exist and be free\n"
    "      --serve              serve NAME for bench clients, until Ctrl-C\n"
    "      --max-clients N      with --serve: stop after N clients\n"
    "      --allow-remote       with --serve: accept clients from other machines\n"
    "  -v, --verbose            report sessions and runs on stderr\n"
    "      --quiet              no progress line, nothing on stderr but errors\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit status: 0 done, 1 I/O error or data that failed verification, 2 usage,\n"
    "3 NAME not found, 4 busy or timed out, 5 name in use or access denied,\n"
    "130 interrupted.\n";

enum {
	OPT_B_MODE = 512, OPT_B_TESTS, OPT_B_PING_SIZE, OPT_B_BUFFER,
	OPT_B_OVERLAPPED, OPT_B_JSON, OPT_B_SERVE, OPT_B_MAX_CLIENTS,
	OPT_B_ALLOW_REMOTE, OPT_B_QUIET
};

/* ---- the options ---- */

struct opts {
	struct plan plan;       /* what to measure (bench_client.h) */
	int json, serve, remote, verbose, quiet;
	long long max_clients;
	long long wait_ms;
	const char *wait_text;  /* --wait as given */
};

static int
parse_sizes(const char *s, struct plan *o, char *err, size_t errlen)
{
	char item[64];
	o->nsizes = 0;
	for (const char *p = s;;) {
		size_t k = strcspn(p, ",");
		if (k >= sizeof item || o->nsizes == MAX_SIZES) {
			snprintf(err, errlen, "--size: at most %d sizes of a few "
			    "characters each", MAX_SIZES);
			return -1;
		}
		memcpy(item, p, k);
		item[k] = '\0';
		long long v;
		if (opt_bytes("--size", item, 1, MAX_SIZE, &v, err, errlen) != 0)
			return -1;
		o->sizes[o->nsizes++] = (DWORD)v;
		if (p[k] == '\0')
			return 0;
		p += k + 1;
	}
}

static int
parse_tests(const char *s, int *tests, char *err, size_t errlen)
{
	static const char *const words[] = { "oneway", "both", "latency", "anon", NULL };
	char item[64];
	*tests = 0;
	for (const char *p = s;;) {
		size_t k = strcspn(p, ",");
		if (k >= sizeof item) {
			snprintf(err, errlen, "--tests: \"%.20s...\" is not one of "
			    "oneway, both, latency, anon", p);
			return -1;
		}
		memcpy(item, p, k);
		item[k] = '\0';
		int i = opt_choice("--tests", item, words, err, errlen);
		if (i < 0)
			return -1;
		*tests |= 1 << i;
		if (p[k] == '\0')
			return 0;
		p += k + 1;
	}
}

/* ---- the report ---- */

/* "4 KiB", "1 MiB", "64 B", "1.5 KiB". */
static const char *
size_text(uint64_t v, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB" };
	int u = 0;
	double d = (double)v;
	while (d >= 1024.0 && u < 3) {
		d /= 1024.0;
		u++;
	}
	if (d == (double)(uint64_t)d)
		snprintf(buf, len, "%llu %s", (unsigned long long)d, unit[u]);
	else
		snprintf(buf, len, "%.1f %s", d, unit[u]);
	return buf;
}

/* Progress on a console stderr, once the bench has run a second. */
struct progress {
	int on;                 /* stderr is a console and not --quiet */
	double start;
	int shown;
};

static void
progress(struct progress *pg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
progress(struct progress *pg, const char *fmt, ...)
{
	if (!pg->on || now_us() - pg->start < 1e6)
		return;
	char line[160];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line + 1, sizeof line - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	line[0] = '\r';
	size_t len = strlen(line);
	/* Pad to clear a longer previous line. */
	while (len < 79)
		line[len++] = ' ';
	line[len] = '\0';
	write_text(GetStdHandle(STD_ERROR_HANDLE), line, len);
	pg->shown = 1;
}

static void
progress_clear(struct progress *pg)
{
	if (!pg->shown)
		return;
	char line[82];
	memset(line + 1, ' ', 79);
	line[0] = '\r';
	line[80] = '\r';
	line[81] = '\0';
	write_text(GetStdHandle(STD_ERROR_HANDLE), line, 81);
	pg->shown = 0;
}

/* What the command keeps while the figures come (struct bench's ctx). */
struct report {
	const struct opts *o;
	struct progress pg;
	int printed_header;     /* which table's header was printed last */
};

static void
print_row(struct report *rep, const struct row *r)
{
	char line[256], sz[32], bf[32];
	struct stats st;
	double v[1000];
	int ping = strcmp(r->test, "ping") == 0;

	if (rep->o->json || r->nruns == 0)
		return;
	progress_clear(&rep->pg);
	int kind = ping ? 2 : 1;
	if (rep->printed_header != kind) {
		print_stdout(ping
		    ? "\nlatency    mode        size   median µs     p99 µs   round trips/s   spread\n"
		    : "\nthroughput mode        size     buffer  median MiB/s     min..max MiB/s   spread\n");
		rep->printed_header = kind;
	}
	size_text(r->size, sz, sizeof sz);
	size_text(r->buffer, bf, sizeof bf);
	if (ping) {
		struct stats lat;
		double *all = malloc(r->nlat * sizeof *all);
		if (all == NULL)
			return;
		memcpy(all, r->lat, r->nlat * sizeof *all);
		memcpy(v, r->lat_median, (size_t)r->nruns * sizeof *v);
		if (stats_compute(all, r->nlat, &lat) != 0 ||
		    stats_compute(v, (size_t)r->nruns, &st) != 0) {
			free(all);
			return;
		}
		free(all);
		memcpy(v, r->rate, (size_t)r->nruns * sizeof *v);
		struct stats rt;
		stats_compute(v, (size_t)r->nruns, &rt);
		snprintf(line, sizeof line, "%-10s %-7s %9s %11.1f %10.1f %15.0f %7.1f%%\n",
		    "ping-pong", r->mode, sz, lat.median, lat.p99, rt.median,
		    st.spread * 100.0);
	} else {
		memcpy(v, r->rate, (size_t)r->nruns * sizeof *v);
		if (stats_compute(v, (size_t)r->nruns, &st) != 0)
			return;
		char mm[64];
		snprintf(mm, sizeof mm, "%.1f..%.1f", st.min, st.max);
		snprintf(line, sizeof line, "%-10s %-7s %9s %10s %13.1f %18s %7.1f%%\n",
		    r->test, r->mode, sz, bf, st.median, mm, st.spread * 100.0);
	}
	print_stdout(line);
}

/* bench_client's callback before each run: the progress line. */
static void
show_run(struct bench *b, const struct row *r, int run)
{
	struct report *rep = b->ctx;
	progress(&rep->pg, "bench: %d/%d %s %s %s%s, run %d of %d",
	    b->done + 1, b->total, r->test[0] == 'b' ? "both" : r->test,
	    r->mode, size_text(r->size, (char[32]){ 0 }, 32),
	    run < 0 ? " (warm-up)" : "", run + 1, b->plan->repeat);
}

/* bench_client's callback once a figure is measured: its table row. */
static void
show_figure(struct bench *b, const struct row *r)
{
	print_row(b->ctx, r);
}

/* A growing text buffer for the JSON document. */
struct text {
	char *p;
	size_t len, cap;
	int oom;
};

/* Makes room in T for N more bytes and a NUL. Returns 0, or -1 out of
 * memory (then T is marked so and takes nothing more). */
static int
text_room(struct text *t, size_t n)
{
	if (t->oom)
		return -1;
	if (t->p != NULL && t->len + n < t->cap)
		return 0;
	size_t cap = (t->cap + n + 1) * 2;
	char *q = realloc(t->p, cap);
	if (q == NULL) {
		t->oom = 1;
		return -1;
	}
	t->p = q;
	t->cap = cap;
	return 0;
}

static void
text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = t->oom ? 0 : vsnprintf(t->p ? t->p + t->len : NULL,
		    t->p ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (t->oom || n < 0)
			return;
		if (t->p != NULL && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		if (text_room(t, (size_t)n) != 0)
			return;
	}
}

/* S as a JSON string, as every --json writes one (json.h): names hold
 * backslashes, and on a hostile machine controls or broken UTF-8. */
static void
text_json_str(struct text *t, const char *s)
{
	size_t n = json_quote(s, NULL, 0);
	if (text_room(t, n) == 0)
		t->len += json_quote(s, t->p + t->len, t->cap - t->len);
}

static void
json_stats(struct text *t, const char *key, double *v, size_t n)
{
	struct stats st;
	if (stats_compute(v, n, &st) != 0) {
		text_add(t, "\"%s\": null", key);
		return;
	}
	text_add(t, "\"%s\": {\"median\": %.3f, \"min\": %.3f, \"max\": %.3f, "
	    "\"mean\": %.3f, \"stdev\": %.3f, \"spread\": %.4f", key, st.median,
	    st.min, st.max, st.mean, st.stdev, st.spread);
	if (strcmp(key, "latency_us") == 0)
		text_add(t, ", \"p99\": %.3f", st.p99);
	text_add(t, "}");
}

static int
print_json(struct bench *b, const char *name, int local)
{
	struct text t = { 0 };
	const char *groups[3] = { "throughput", "latency", "anonymous" };

	text_add(&t, "{\n  \"pipe\": ");
	text_json_str(&t, name);
	text_add(&t, ",\n  \"server\": \"%s\",\n  \"warmup_runs\": 1,\n"
	    "  \"runs\": %d,\n", local ? "local" : "remote", b->plan->repeat);
	for (int g = 0; g < 3; g++) {
		text_add(&t, "  \"%s\": [", groups[g]);
		int first = 1;
		for (int i = 0; i < b->nrows; i++) {
			const struct row *r = &b->rows[i];
			int ping = strcmp(r->test, "ping") == 0;
			int anon = strcmp(r->test, "anon") == 0;
			if (r->nruns == 0 || (g == 1) != ping || (g == 2) != anon)
				continue;
			text_add(&t, "%s\n    {\"test\": \"%s\", \"mode\": \"%s\", "
			    "\"size\": %lu, ", first ? "" : ",", r->test, r->mode,
			    (unsigned long)r->size);
			if (!ping)
				text_add(&t, "\"buffer\": %lu, ", (unsigned long)r->buffer);
			text_add(&t, "\"io\": \"%s\", \"%s\": %llu, \"verified\": [",
			    r->ov ? "overlapped" : "synchronous",
			    ping ? "round_trips" : "bytes", (unsigned long long)r->bytes);
			for (int k = 0; k < r->nruns; k++)
				text_add(&t, "%s%llu", k ? ", " : "",
				    (unsigned long long)r->verified[k]);
			text_add(&t, "], ");
			double v[1000];
			memcpy(v, r->rate, (size_t)r->nruns * sizeof *v);
			if (ping) {
				json_stats(&t, "round_trips_per_s", v, (size_t)r->nruns);
				text_add(&t, ", ");
				json_stats(&t, "latency_us", r->lat, r->nlat);
				memcpy(v, r->lat_median, (size_t)r->nruns * sizeof *v);
				text_add(&t, ", ");
				json_stats(&t, "run_median_us", v, (size_t)r->nruns);
			} else {
				json_stats(&t, "mib_per_s", v, (size_t)r->nruns);
			}
			text_add(&t, "}");
			first = 0;
		}
		text_add(&t, "%s]%s\n", first ? "" : "\n  ", g < 2 ? "," : "");
	}
	text_add(&t, "}\n");
	if (t.oom) {
		say("bench: out of memory");
		return EXIT_FAIL;
	}
	int rc = print_stdout(t.p);
	free(t.p);
	return rc;
}

/* ---- the command ---- */

/* A line of the server's, for -v or a session's failure. */
static void
say_line(const char *line)
{
	say("%s", line);
}

static int
run_server(struct opts *o, const char *name)
{
	struct bench_serve_cfg cfg = { .name = name, .remote = o->remote,
	    .verbose = o->verbose, .quiet = o->quiet,
	    .max_clients = o->max_clients, .note = say_line };
	char err[1024];
	DWORD e;

	HANDLE h = bench_listen(name, o->remote, &e);
	if (h == NULL) {
		say_winerr(e, "bench --serve %s%s", name,
		    e == ERROR_ACCESS_DENIED || e == ERROR_PIPE_BUSY
		    ? ": name already in use" : "");
		return e == ERROR_PIPE_BUSY ? EXIT_DENIED : winerr_exit_code(e);
	}
	if (!o->quiet && o->verbose)
		say("listening on %s", name);
	if ((e = bench_serve(h, &cfg, err, sizeof err)) != 0) {
		if (e == ERROR_OPERATION_ABORTED)
			return EXIT_INTR;
		say("%s", err);
		return EXIT_FAIL;
	}
	CloseHandle(h);
	return EXIT_OK;
}

static int
run_client(struct opts *o, const char *name, int local)
{
	const struct plan *p = &o->plan;
	struct client c = { .name = name };
	struct report rep = { .o = o };
	struct bench b = { .plan = p, .c = &c, .on_run = show_run,
	    .on_figure = show_figure, .ctx = &rep };
	int status = EXIT_OK;
	char err[1024];
	DWORD mode_out = 0, e;

	if (!o->quiet && GetConsoleMode(GetStdHandle(STD_ERROR_HANDLE), &mode_out))
		rep.pg.on = 1;
	rep.pg.start = now_us();

	if (p->tests & (TS_ONEWAY | TS_BOTH | TS_LATENCY)) {
		int st = EXIT_FAIL;
		c.ctl = open_ctl(name, local ? 0 : o->wait_ms, o->wait_text, &st,
		    err, sizeof err);
		if (c.ctl == NULL) {
			if (st != EXIT_INTR)
				say("%s", err);
			return st;
		}
	}
	if (!o->json && !o->quiet) {
		char head[600], vol[32];
		if (p->time_ms >= 0)
			snprintf(vol, sizeof vol, "about %lld.%03lld s", p->time_ms / 1000,
			    p->time_ms % 1000);
		else
			size_text(p->bytes, vol, sizeof vol);
		snprintf(head, sizeof head, "pipecat bench: %s (%s)\n"
		    "%s a run, %d runs after 1 warm-up; the median, the range, and\n"
		    "the spread (max - min) / median; %s I/O%s\n", name,
		    local ? "served by this process" : "remote server", vol,
		    p->repeat, p->overlapped ? "overlapped" : "synchronous",
		    p->overlapped ? "" : " (both ways at once: overlapped)");
		status = print_stdout(head);
	}
	if (status == EXIT_OK && (e = bench_run(&b, err, sizeof err)) != 0) {
		progress_clear(&rep.pg);
		if (e == ERROR_OPERATION_ABORTED) {
			status = EXIT_INTR;
		} else {
			say("%s", err);
			status = EXIT_FAIL;
		}
	}
	progress_clear(&rep.pg);
	if (c.ctl != NULL)
		CloseHandle(c.ctl);
	if (status == EXIT_OK && o->json)
		status = print_json(&b, name, local);
	if (status == EXIT_INTR)
		return status;  /* parts may still run; the process is ending */
	bench_free(&b);
	return status;
}

int
cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "bytes", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "mode", required_argument, NULL, OPT_B_MODE },
		{ "tests", required_argument, NULL, OPT_B_TESTS },
		{ "count", required_argument, NULL, 'c' },
		{ "ping-size", required_argument, NULL, OPT_B_PING_SIZE },
		{ "buffer", required_argument, NULL, OPT_B_BUFFER },
		{ "overlapped", no_argument, NULL, OPT_B_OVERLAPPED },
		{ "json", no_argument, NULL, OPT_B_JSON },
		{ "wait", required_argument, NULL, 'w' },
		{ "serve", no_argument, NULL, OPT_B_SERVE },
		{ "max-clients", required_argument, NULL, OPT_B_MAX_CLIENTS },
		{ "allow-remote", no_argument, NULL, OPT_B_ALLOW_REMOTE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, OPT_B_QUIET },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const mode_words[] = { "byte", "message", "both", NULL };
	struct opts o = {
		.plan = {
			.sizes = { 4096, 16384, 65536, 262144, 1048576 }, .nsizes = 5,
			.bytes = 32u << 20, .time_ms = -1, .repeat = 3, .modes = 3,
			.tests = TS_ONEWAY | TS_BOTH | TS_LATENCY | TS_ANON,
			.count = 2000, .ping_size = 64,
		},
		.wait_ms = 0,
	};
	int bytes_given = 0, client_only = 0, server_only = 0;
	char err[1024];
	long long v;
	int opt, i;

	optind = 0;
	while ((opt = getopt_long(argc, argv, ":s:n:t:r:c:w:vh", longopts, NULL)) != -1) {
		if (opt != 'w' && opt != 'v' && opt != 'h' && opt != OPT_B_QUIET &&
		    opt != OPT_B_SERVE && opt != OPT_B_MAX_CLIENTS &&
		    opt != OPT_B_ALLOW_REMOTE && opt != '?' && opt != ':')
			client_only = opt;
		switch (opt) {
		case 's':
			if (parse_sizes(optarg, &o.plan, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			break;
		case 'n':
			if (opt_bytes("--bytes", optarg, 1, 1LL << 40, &v, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			o.plan.bytes = (uint64_t)v;
			bytes_given = 1;
			break;
		case 't':
			if (opt_seconds("--time", optarg, 0, &o.plan.time_ms, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			if (o.plan.time_ms < 10)
				return usage_error("bench", "--time: \"%s\" is less than "
				    "the 0.01 s a run needs", optarg);
			break;
		case 'r':
			if (opt_count("--repeat", optarg, 1, 1000, &v, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			o.plan.repeat = (int)v;
			break;
		case OPT_B_MODE:
			if ((i = opt_choice("--mode", optarg, mode_words, err, sizeof err)) < 0)
				return usage_error("bench", "%s", err);
			o.plan.modes = i + 1;
			break;
		case OPT_B_TESTS:
			if (parse_tests(optarg, &o.plan.tests, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			break;
		case 'c':
			if (opt_count("--count", optarg, 1, 1000000, &v, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			o.plan.count = (uint64_t)v;
			break;
		case OPT_B_PING_SIZE:
			if (opt_bytes("--ping-size", optarg, 1, MAX_SIZE, &v, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			o.plan.ping_size = (DWORD)v;
			break;
		case OPT_B_BUFFER:
			if (opt_bytes("--buffer", optarg, 1, 64LL << 20, &v, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			o.plan.buffer = (DWORD)v;
			break;
		case OPT_B_OVERLAPPED:
			o.plan.overlapped = 1;
			break;
		case OPT_B_JSON:
			o.json = 1;
			break;
		case 'w':
			if (opt_seconds("--wait", optarg, 1, &o.wait_ms, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			o.wait_text = optarg;
			client_only = 'w';
			break;
		case OPT_B_SERVE:
			o.serve = 1;
			break;
		case OPT_B_MAX_CLIENTS:
			if (opt_count("--max-clients", optarg, 1, 1000000000LL,
			    &o.max_clients, err, sizeof err) != 0)
				return usage_error("bench", "%s", err);
			server_only = opt;
			break;
		case OPT_B_ALLOW_REMOTE:
			o.remote = 1;
			server_only = opt;
			break;
		case 'v':
			o.verbose++;
			break;
		case OPT_B_QUIET:
			o.quiet = 1;
			break;
		case 'h':
			return print_stdout(usage_bench);
		default:
			return option_error("bench", opt, argv);
		}
	}

	/* Every conflict, in one place. */
	if (o.verbose && o.quiet)
		return usage_error("bench", "--quiet and -v cannot be combined");
	if (o.plan.time_ms >= 0 && bytes_given)
		return usage_error("bench", "--time and --bytes cannot be combined");
	if (o.serve && client_only) {
		const char *word = "?";
		for (i = 0; longopts[i].name != NULL; i++)
			if (longopts[i].val == client_only)
				word = longopts[i].name;
		return usage_error("bench", "--serve and --%s cannot be combined "
		    "(the client chooses what to measure)", word);
	}
	if (!o.serve && server_only)
		return usage_error("bench", "--max-clients and --allow-remote need --serve");
	if (o.serve && optind >= argc)
		return usage_error("bench", "--serve needs a pipe NAME");
	if (optind + 1 < argc)
		return usage_error("bench", "unexpected argument \"%s\" after NAME",
		    argv[optind + 1]);

	struct pipename pn;
	char local_name[64];
	int local = optind >= argc;
	const char *name;
	if (local) {
		snprintf(local_name, sizeof local_name, "\\\\.\\pipe\\pipecat-bench-%lu-%llu",
		    GetCurrentProcessId(), (unsigned long long)GetTickCount64());
		name = local_name;
	} else {
		if (pipename_parse(argv[optind], &pn, err, sizeof err) != 0)
			return usage_error("bench", "%s", err);
		if (o.serve && !pn.local)
			return usage_error("bench", "%s is on another machine; only "
			    "local names can be served", pn.full);
		name = pn.full;
		char probe[300];
		if (data_name(name, 4000000000u, probe, sizeof probe) != 0)
			return usage_error("bench", "%s: too long to add the data "
			    "pipes' \"-NUMBER\" (256 characters at most)", name);
	}
	if (part_init() != 0) {
		say("bench: out of memory");
		return EXIT_FAIL;
	}
	if (bench_sa_init(name, err, sizeof err) != 0) {
		say("%s", err);
		return EXIT_FAIL;
	}
	if (o.serve)
		return run_server(&o, name);
	if (!local)
		return run_client(&o, name, 0);
	if (!(o.plan.tests & (TS_ONEWAY | TS_BOTH | TS_LATENCY)))
		return run_client(&o, name, 1);        /* no pipe to serve */

	/* Serve a private name on a thread, and be its client. */
	if (bench_local_start(name, err, sizeof err) != 0) {
		say("%s", err);
		return EXIT_FAIL;
	}
	int status = run_client(&o, name, 1);
	if (status == EXIT_INTR)
		return status;
	/* The client closed the control pipe: the session ends. */
	DWORD e = bench_local_end(err, sizeof err);
	if (e == ERROR_OPERATION_ABORTED)
		return EXIT_INTR;
	if (status == EXIT_OK && e != 0) {
		say("%s", err);
		status = EXIT_FAIL;
	}
	return status;
}
