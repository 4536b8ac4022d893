/*
 * bridge: relay two endpoints both ways: stdio, pipes (client or hosted)
 * and TCP (client or listener), as socat relays its addresses, with the
 * relay options and exit codes of serve and connect (man/pipecat.1,
 * "bridge").
 *
 * With a listening address, each accepted connection gets its own
 * connection to the other address and its own session (bridge.c) on a
 * thread of its own: many at once in one process, as `socat ...,fork`
 * without a process per client. Without -k one session is served, on the
 * main thread, and its end is the exit status. A failed peer ends only its
 * own session, never the listener.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "bridge.h"
#include "aio.h"
#include "cli.h"
#include "interrupt.h"
#include "opts.h"
#include "pipeclient.h"
#include "pipeserver.h"
#include "command.h"
#include "pipecat.h"
#include "sock.h"
#include "threads.h"
#include "winerr.h"

const char usage_bridge[] =
    "usage: pipecat bridge [OPTIONS] ADDRESS ADDRESS\n"
    "\n"
    "Relay two endpoints both ways. An ADDRESS is one of:\n"
    "  -, stdio                     stdin and stdout\n"
    "  pipe:NAME                    open a pipe as a client (NAME as for connect)\n"
    "  pipe-listen:NAME             host \\\\.\\pipe\\NAME, as serve does\n"
    "  tcp:HOST:PORT                connect to TCP (IPv6: tcp:[::1]:PORT)\n"
    "  tcp-listen:[ADDR:]PORT       listen on TCP, on 127.0.0.1 unless ADDR is\n"
    "                               given (PORT 0: the system chooses; -v says)\n"
    "  assuan:FILE                  gpg-agent's socket FILE (port and nonce)\n"
    "A listening address serves each connection with a connection of its own\n"
    "to the other ADDRESS; at most one ADDRESS listens.\n"
    "\n"
    "  -k, --keep-open              with a listener: serve connections at once,\n"
    "                               forever (else one, and exit with its status)\n"
    "      --max-clients N          stop after N connections (implies -k)\n"
    "      --max-instances N        connections served at once (default 32)\n"
    "  -w, --wait SECONDS|inf       pipe: wait for the pipe to exist and for a free\n"
    "                               instance\n"
    "  -m, --message                message pipes: each block is one message\n"
    "      --eof-message            with -m: a zero-length message is the EOF,\n"
    "                               sent when the other side ends\n"
    "      --allow-remote           pipe-listen: accept clients from other machines\n"
    "      --allow-everyone         pipe-listen: let every user open the pipe\n"
    "      --allow ACCOUNT          pipe-listen: let this user or group (name or\n"
    "                               SID) open the pipe; repeatable\n"
    "      --sddl SDDL              pipe-listen: the pipe's security descriptor\n"
    "  -q SECONDS                   after one direction ends, the other gets this\n"
    "                               long, then both close (default 0.5)\n"
    "  -i, --idle-timeout SECONDS   close after SECONDS with no data either way (exit 6)\n"
    "  -x, --hex-dump[=FILE]        hex dump of the traffic: > from the first\n"
    "                               ADDRESS to the second, < back; to stderr or FILE\n"
    "  -v, --verbose                report the listener and each session on stderr\n"
    "      --quiet                  print nothing on stderr but fatal errors\n"
    "  -h, --help                   show this help\n"
    "\n"
    "Exit status: 0 done, 1 I/O error, 2 usage, 3 refused, unreachable or no\n"
    "such host, 4 timed out, 5 access denied or address in use, 6 idle timeout,\n"
    "130 interrupted.\n";

/* What every session needs, fixed once the options are read. */
struct plan {
	struct addr addr[2];
	int listener;           /* index of the listening address, or -1 */
	struct bridge_cfg cfg;
	int verbose, quiet;
	long long max_clients, max_at_once;
	int keep_open;
	struct server_opts server;      /* pipe-listen: */
	long long wait_ms;              /* pipe: --wait */
	const char *wait_text;
};

/* The exit status of a session's end; prints the line an end deserves. */
static int
end_status(const struct plan *pl, enum bridge_end end, const char *err, int print)
{
	switch (end) {
	case BRIDGE_CLOSED:
	case BRIDGE_LINGER:
	case BRIDGE_GONE:
		return EXIT_OK;
	case BRIDGE_IDLE:
		if (print && !pl->quiet)
			say("bridge: idle for %lld.%03lld s, closed",
			    pl->cfg.idle_ms / 1000, pl->cfg.idle_ms % 1000);
		return EXIT_IDLE;
	case BRIDGE_INTERRUPTED:
		return EXIT_INTR;
	case BRIDGE_ERROR:
		if (print)
			say("%s", err);
		return EXIT_FAIL;
	}
	return EXIT_FAIL;
}

/* Reads gpg-agent's socket file FILE, connects, and sends the nonce. */
static SOCKET
open_assuan(const struct addr *a, const char *what, int *status, char *err,
    size_t errlen)
{
	wchar_t *w = utf8_to_wide(a->file);
	if (w == NULL) {
		winerr_fmt(err, errlen, GetLastError(), "%s: open", what);
		*status = EXIT_FAIL;
		return INVALID_SOCKET;
	}
	HANDLE f = CreateFileW(w, GENERIC_READ,
	    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, /* the agent may rewrite it */
	    NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	free(w);
	if (f == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();
		winerr_fmt(err, errlen, e, "%s: open", what);
		*status = winerr_exit_code(e);
		return INVALID_SOCKET;
	}
	/* The file is "PORT\n" and 16 bytes; more than 64 is not one. */
	unsigned char data[65];
	DWORD n = 0, got;
	BOOL ok = TRUE;
	while (n < sizeof data && (ok = ReadFile(f, data + n, (DWORD)sizeof data - n,
	    &got, NULL)) && got > 0)
		n += got;
	DWORD e = ok ? 0 : GetLastError();
	CloseHandle(f);
	if (e != 0) {
		winerr_fmt(err, errlen, e, "%s: read", what);
		*status = EXIT_FAIL;
		return INVALID_SOCKET;
	}
	unsigned port;
	unsigned char nonce[ADDR_NONCE_LEN];
	char why[256];
	if (addr_assuan_parse(data, n, &port, nonce, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", what, why);
		*status = EXIT_FAIL;
		return INVALID_SOCKET;
	}
	SOCKET s = sock_connect("127.0.0.1", port, interrupt_event(), what, status,
	    err, errlen);
	if (s == INVALID_SOCKET)
		return s;
	if ((e = sock_send_all(s, nonce, sizeof nonce)) != 0) {
		winerr_fmt(err, errlen, e, "%s: send the nonce", what);
		sock_close(s);
		*status = EXIT_FAIL;
		return INVALID_SOCKET;
	}
	return s;
}

/* Opens the pipe A as a client, as connect does (--wait, -m). */
static int
open_pipe(const struct plan *pl, const struct addr *a, const char *what,
    struct endpoint *ep, int *status, char *err, size_t errlen)
{
	char opening[450];
	snprintf(opening, sizeof opening, "%s: connect", what);
	struct pipeclient pc = {
		.name = a->pipe.full, .what = opening,
		.access = GENERIC_READ | GENERIC_WRITE,
		/* The server may learn who we are, not act as us. */
		.sqos = SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
		.wait_ms = pl->wait_ms, .wait_text = pl->wait_text,
		.message = pl->server.message,
	};
	HANDLE h = pipeclient_open(&pc, status, err, errlen);
	if (h == NULL)
		return -1;
	if (pc.access != (GENERIC_READ | GENERIC_WRITE)) {
		/* pipeclient fell back to the way a one-way pipe goes; a
		 * bridge relays both ways. */
		CloseHandle(h);
		snprintf(err, errlen, "%s: a one-way pipe (%s only); bridge relays "
		    "both ways", what, (pc.access & GENERIC_WRITE) ? "writing" : "reading");
		*status = EXIT_FAIL;
		return -1;
	}
	ep->in = ep->out = h;
	ep->peer_exit = pipe_peer_exit_watch(h);
	ep->message = pl->server.message;
	snprintf(ep->name, sizeof ep->name, "%s", a->pipe.full);
	return 0;
}

/* Opens A, which does not listen, into EP. Returns 0, or -1 with ERR and
 * *STATUS. */
static int
open_endpoint(const struct plan *pl, const struct addr *a, struct endpoint *ep,
    int *status, char *err, size_t errlen)
{
	char what[400];
	memset(ep, 0, sizeof *ep);
	ep->sock = INVALID_SOCKET;
	snprintf(what, sizeof what, "bridge %s", a->text);
	snprintf(ep->name, sizeof ep->name, "%s", a->text);
	switch (a->kind) {
	case ADDR_STDIO:
		ep->stdio = 1;
		ep->in = GetStdHandle(STD_INPUT_HANDLE);
		ep->out = GetStdHandle(STD_OUTPUT_HANDLE);
		snprintf(ep->name, sizeof ep->name, "stdio");
		return 0;
	case ADDR_TCP:
		ep->sock = sock_connect(a->host, a->port, interrupt_event(), what,
		    status, err, errlen);
		break;
	case ADDR_ASSUAN:
		ep->sock = open_assuan(a, what, status, err, errlen);
		break;
	case ADDR_PIPE:
		return open_pipe(pl, a, what, ep, status, err, errlen);
	case ADDR_PIPE_LISTEN:
	case ADDR_TCP_LISTEN:
		snprintf(err, errlen, "%s: cannot be opened here", what);
		*status = EXIT_FAIL;
		return -1;
	}
	if (ep->sock == INVALID_SOCKET)
		return -1;
	ep->in = ep->out = (HANDLE)ep->sock;
	return 0;
}

static void
say_closed(const char *who, enum bridge_end end, const struct bridge_stats *st,
    const char *from, const char *to, ULONGLONG ms)
{
	say("%s closed (%s): %llu bytes %s -> %s, %llu bytes back, %llu.%03llu s",
	    who, bridge_end_text(end), st->ab, from, to, st->ba, ms / 1000, ms % 1000);
}

/* No listener: open both, relay them once. */
static int
bridge_once(struct plan *pl)
{
	struct endpoint ep[2];
	char err[1024];
	int status = EXIT_FAIL;

	for (int i = 0; i < 2; i++) {
		if (open_endpoint(pl, &pl->addr[i], &ep[i], &status, err, sizeof err) != 0) {
			if (status != EXIT_INTR)
				say("%s", err);
			if (i == 1)
				endpoint_close(&ep[0]);
			return status;
		}
		if (pl->verbose && ep[i].sock != INVALID_SOCKET) {
			char peer[300];
			sock_peer_text(ep[i].sock, peer, sizeof peer);
			say("connected to %s (%s)", ep[i].name, peer);
		}
	}
	struct bridge_stats st;
	ULONGLONG t0 = GetTickCount64();
	enum bridge_end end = bridge_run(&pl->cfg, &ep[0], &ep[1], &st, err, sizeof err);
	if (pl->verbose)
		say_closed("bridge", end, &st, ep[0].name, ep[1].name,
		    GetTickCount64() - t0);
	endpoint_close(&ep[0]);
	endpoint_close(&ep[1]);
	return end_status(pl, end, err, 1);
}

/* One accepted connection: its endpoint, the session's number. */
struct session {
	struct plan *pl;
	struct endpoint peer;
	unsigned long id;
	volatile LONG *active;
	HANDLE slot_free;
};

/* Serves S: opens the other address, relays, reports. Returns the exit
 * status its end deserves. */
static int
serve_session(struct session *s)
{
	struct plan *pl = s->pl;
	int li = pl->listener, oi = 1 - li;
	struct endpoint ep[2];
	char err[1024], who[64];
	int status = EXIT_FAIL;

	snprintf(who, sizeof who, "session %lu", s->id);
	ep[li] = s->peer;
	if (open_endpoint(pl, &pl->addr[oi], &ep[oi], &status, err, sizeof err) != 0) {
		if (status != EXIT_INTR && !pl->quiet)
			say("%s: %s", who, err);
		endpoint_close(&ep[li]);
		return status;
	}
	if (pl->verbose) {
		ULONG pid = 0;
		if (ep[li].sock == INVALID_SOCKET &&
		    GetNamedPipeClientProcessId(ep[li].in, &pid))
			say("%s: %s (client pid %lu) -> %s", who, ep[li].name, pid,
			    ep[oi].name);
		else
			say("%s: %s -> %s", who, ep[li].name, ep[oi].name);
	}
	struct bridge_stats st;
	ULONGLONG t0 = GetTickCount64();
	enum bridge_end end = bridge_run(&pl->cfg, &ep[0], &ep[1], &st, err, sizeof err);
	if (end == BRIDGE_ERROR && !pl->quiet)
		say("%s: %s", who, err);
	else if (end == BRIDGE_IDLE && !pl->quiet)
		say("%s: idle for %lld.%03lld s, closed", who,
		    pl->cfg.idle_ms / 1000, pl->cfg.idle_ms % 1000);
	if (pl->verbose)
		say_closed(who, end, &st, ep[0].name, ep[1].name, GetTickCount64() - t0);
	endpoint_close(&ep[0]);
	endpoint_close(&ep[1]);
	return end_status(pl, end, err, 0);
}

static DWORD WINAPI
session_thread(LPVOID arg)
{
	struct session *s = arg;
	serve_session(s);
	InterlockedDecrement(s->active);
	SetEvent(s->slot_free);
	free(s);
	return 0;
}

/* The session threads (threads.h); only the main thread touches it. */
static struct threads threads;

static DWORD
start_session(struct plan *pl, const struct endpoint *peer, unsigned long id,
    volatile LONG *active, HANDLE slot_free)
{
	struct session *s = calloc(1, sizeof *s);
	if (s == NULL)
		return ERROR_NOT_ENOUGH_MEMORY;
	s->pl = pl;
	s->peer = *peer;
	s->id = id;
	s->active = active;
	s->slot_free = slot_free;
	InterlockedIncrement(active);
	DWORD e = threads_start(&threads, session_thread, s);
	if (e != 0) {
		InterlockedDecrement(active);
		free(s);
	}
	return e;
}

/* Waits until fewer than MAX sessions run (MAX 0: until none). Returns 0,
 * or EXIT_INTR. */
static int
wait_slots(volatile LONG *active, HANDLE slot_free, long long max)
{
	while (InterlockedCompareExchange(active, 0, 0) > (max > 0 ? max - 1 : 0)) {
		HANDLE ws[2] = { slot_free, interrupt_event() };
		if (WaitForMultipleObjects(2, ws, FALSE, INFINITE) != WAIT_OBJECT_0)
			return EXIT_INTR;
	}
	return 0;
}

/* The listening side: a TCP listener, or a hosted pipe and its instances. */
struct listener {
	const struct addr *addr;
	char what[400];                 /* "bridge ADDRESS", for messages */
	struct sock_listener tcp;
	struct server pipe;
	struct instance first;          /* pipe: the first instance */
	int accepting;                  /* pipe, -k: the acceptor has FIRST */
};

/* Opens L: binds and listens, or creates the pipe's first instance.
 * Returns 0, or an exit status after printing why. */
static int
listener_open(struct plan *pl, struct listener *l)
{
	char err[1024];
	int status = EXIT_FAIL;
	const struct addr *la = l->addr;

	snprintf(l->what, sizeof l->what, "bridge %s", la->text);
	if (la->kind == ADDR_TCP_LISTEN) {
		if (sock_listen(&l->tcp, la->host, la->port, l->what, &status, err,
		    sizeof err) != 0) {
			say("%s", err);
			return status;
		}
		if (pl->verbose) {
			/* What a client connects to, with the port as bound. */
			say("listening on tcp:%s%s", l->tcp.text + strlen("tcp-listen:"),
			    l->tcp.loopback ? " (loopback only)" : "");
			if (!l->tcp.loopback)
				say("warning: %s is not a loopback address: anyone who "
				    "can reach it gets %s", la->host,
				    pl->addr[1 - pl->listener].text);
		}
		return 0;
	}
	/* A pipe, with serve's safe defaults (cmd_serve.c): the first
	 * instance, local clients only, a DACL for this user. With -k: the
	 * sessions at once, and one more client connected and waiting. */
	pl->server.what = l->what;
	pl->server.max_instances = pl->keep_open ? (DWORD)pl->max_at_once + 1 : 1;
	if (server_init(&l->pipe, la->pipe.full, &pl->server, &status, err,
	    sizeof err) != 0) {
		if (status == EXIT_USAGE)
			return usage_error("bridge", "%s", err);
		say("%s", err);
		return status;
	}
	if (pl->verbose >= 2)
		say("security descriptor of %s: %s", la->pipe.full, l->pipe.sddl);
	if (server_first(&l->pipe, &l->first, &status, err, sizeof err) != 0) {
		say("%s", err);
		return status;
	}
	DWORD e = pl->keep_open
	    ? acceptor_start(&l->pipe, &l->first, (int)pl->max_at_once + 1)
	    : instance_arm(&l->first);
	if (e != 0) {
		say_winerr(e, "%s: wait for a client", l->what);
		return EXIT_FAIL;
	}
	l->accepting = pl->keep_open;
	if (pl->verbose)
		say("listening on %s", la->pipe.full);
	return 0;
}

/*
 * Waits for L's next connection, into PEER; with -k, ACTIVE sessions run
 * and SLOT_FREE is set when one ends. Returns 0, or the exit status the
 * listener ends with (printed).
 */
static int
listener_next(struct plan *pl, struct listener *l, volatile LONG *active,
    HANDLE slot_free, struct endpoint *peer)
{
	DWORD e;
	memset(peer, 0, sizeof *peer);
	peer->sock = INVALID_SOCKET;
	if (l->addr->kind == ADDR_TCP_LISTEN) {
		char from[300];
		peer->sock = sock_accept(&l->tcp, interrupt_event(), from, sizeof from, &e);
		if (peer->sock == INVALID_SOCKET)
			goto fail;
		peer->in = peer->out = (HANDLE)peer->sock;
		snprintf(peer->name, sizeof peer->name, "tcp:%s", from);
		return 0;
	}
	snprintf(peer->name, sizeof peer->name, "%s", l->addr->pipe.full);
	peer->message = pl->server.message;
	if (!l->accepting) {
		if ((e = instance_wait(&l->first)) != 0)
			goto fail;
		peer->in = peer->out = l->first.h;
		peer->peer_exit = pipe_peer_exit_watch(l->first.h);
		return 0;
	}
	for (;;) {
		if ((e = acceptor_fill(&l->pipe, InterlockedCompareExchange(active, 0, 0))) != 0) {
			say_winerr(e, "%s: create an instance", l->what);
			return EXIT_FAIL;
		}
		HANDLE h = acceptor_take();
		if (h != NULL) {
			peer->in = peer->out = h;
			peer->peer_exit = pipe_peer_exit_watch(h);
			return 0;
		}
		HANDLE hs[3] = { interrupt_event(), acceptor_event(), slot_free };
		DWORD w = WaitForMultipleObjects(3, hs, FALSE, INFINITE);
		if (w == WAIT_OBJECT_0)
			return EXIT_INTR;
		if (w == WAIT_FAILED) {
			e = GetLastError();
			goto fail;
		}
	}
fail:
	if (e == ERROR_OPERATION_ABORTED)
		return EXIT_INTR;
	say_winerr(e, "%s: %s", l->what,
	    l->addr->kind == ADDR_TCP_LISTEN ? "accept" : "wait for a client");
	return EXIT_FAIL;
}

/* A listener: one session (on this thread), or -k: many at once. */
static int
bridge_listen(struct plan *pl)
{
	static struct listener l;
	static volatile LONG active;
	int rc;

	l.addr = &pl->addr[pl->listener];
	if ((rc = listener_open(pl, &l)) != 0)
		return rc;
	HANDLE slot_free = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (slot_free == NULL) {
		say_winerr(GetLastError(), "%s", l.what);
		return EXIT_FAIL;
	}
	for (unsigned long id = 1;; id++) {
		if (pl->keep_open && (rc = wait_slots(&active, slot_free,
		    pl->max_at_once)) != 0)
			break;
		struct endpoint peer;
		if ((rc = listener_next(pl, &l, &active, slot_free, &peer)) != 0)
			break;
		if (!pl->keep_open) {
			/* One session: nobody else may connect meanwhile. */
			if (l.addr->kind == ADDR_TCP_LISTEN)
				sock_listener_close(&l.tcp);
			struct session s = { .pl = pl, .peer = peer, .id = id };
			return serve_session(&s);
		}
		DWORD e = start_session(pl, &peer, id, &active, slot_free);
		if (e != 0) {
			say_winerr(e, "%s: session %lu: start a thread", l.what, id);
			endpoint_close(&peer);
		}
		if (pl->max_clients != 0 && (long long)id >= pl->max_clients) {
			rc = wait_slots(&active, slot_free, 0);
			break;
		}
	}
	if (l.addr->kind == ADDR_TCP_LISTEN)
		sock_listener_close(&l.tcp);
	/* After --max-clients the sessions have ended; on Ctrl-C each ends
	 * on its own (bridge_run watches it), and is given 2 s to. */
	threads_wait(&threads, rc == EXIT_OK ? INFINITE : 2000);
	pool_settle(1000);
	return rc;
}

int
cmd_bridge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keep-open", no_argument, NULL, 'k' },
		{ "max-clients", required_argument, NULL, OPT_MAX_CLIENTS },
		{ "max-instances", required_argument, NULL, OPT_MAX_INSTANCES },
		{ "wait", required_argument, NULL, 'w' },
		CLI_ACCESS_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		CLI_RELAY_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static struct plan pl;
	struct cli_relay c;
	char err[1024];
	int opt, r;

	cli_relay_init(&c);
	cli_access_init(&pl.server.who);
	pl.wait_text = "0";
	int wait_given = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, ":khw:" CLI_RELAY_SHORTOPTS,
	    longopts, NULL)) != -1) {
		if ((r = cli_relay_opt(&c, opt, optarg, err, sizeof err)) != 0 ||
		    (r = cli_access_opt(&pl.server.who, opt, optarg, err, sizeof err)) != 0) {
			if (r < 0)
				return usage_error("bridge", "%s", err);
			continue;
		}
		switch (opt) {
		case 'k':
			pl.keep_open = 1;
			break;
		case OPT_MAX_CLIENTS:
			if (opt_count("--max-clients", optarg, 1, 1000000000LL,
			    &pl.max_clients, err, sizeof err) != 0)
				return usage_error("bridge", "%s", err);
			pl.keep_open = 1;
			break;
		case OPT_MAX_INSTANCES:
			if (opt_count("--max-instances", optarg, 1, 200,
			    &pl.max_at_once, err, sizeof err) != 0)
				return usage_error("bridge", "%s", err);
			break;
		case 'w':
			if (opt_seconds("--wait", optarg, 1, &pl.wait_ms, err, sizeof err) != 0)
				return usage_error("bridge", "%s", err);
			pl.wait_text = optarg;
			wait_given = 1;
			break;
		case 'h':
			return print_stdout(usage_bridge);
		default:
			return option_error("bridge", opt, argv);
		}
	}
	if (cli_relay_check(&c, err, sizeof err) != 0)
		return usage_error("bridge", "%s", err);
	if (c.send_only || c.recv_only)
		return usage_error("bridge", "--send-only and --recv-only do not apply "
		    "to bridge, which relays both ways");
	if (optind + 2 > argc)
		return usage_error("bridge", optind == argc ? "two ADDRESSes are required"
		    : "a second ADDRESS is required");
	if (optind + 2 < argc)
		return usage_error("bridge", "unexpected argument \"%s\" after the two "
		    "ADDRESSes", argv[optind + 2]);
	for (int i = 0; i < 2; i++)
		if (addr_parse(argv[optind + i], &pl.addr[i], err, sizeof err) != 0)
			return usage_error("bridge", "%s", err);

	const struct addr *a = pl.addr;
	pl.listener = addr_listens(&a[0]) ? 0 : addr_listens(&a[1]) ? 1 : -1;
	if (addr_listens(&a[0]) && addr_listens(&a[1]))
		return usage_error("bridge", "%s and %s both listen: one side must "
		    "connect", a[0].text, a[1].text);
	if (a[0].kind == ADDR_STDIO && a[1].kind == ADDR_STDIO)
		return usage_error("bridge", "stdio on both sides would relay "
		    "stdin to stdout; use cat");
	if (pl.listener < 0 && (pl.keep_open || pl.max_at_once != 0))
		return usage_error("bridge", "-k, --max-clients and --max-instances "
		    "need a listening ADDRESS (tcp-listen: or pipe-listen:)");
	int stdio = a[0].kind == ADDR_STDIO || a[1].kind == ADDR_STDIO;
	if (stdio && pl.keep_open)
		return usage_error("bridge", "-k and --max-clients cannot be combined "
		    "with stdio, which one session reads to its end");
	int pipe_client = a[0].kind == ADDR_PIPE || a[1].kind == ADDR_PIPE;
	int pipe_server = pl.listener >= 0 && a[pl.listener].kind == ADDR_PIPE_LISTEN;
	if (c.message && !pipe_client && !pipe_server)
		return usage_error("bridge", "-m needs a pipe ADDRESS (pipe: or "
		    "pipe-listen:)");
	if (wait_given && !pipe_client)
		return usage_error("bridge", "--wait needs a pipe: ADDRESS");
	if (cli_access_given(&pl.server.who) && !pipe_server)
		return usage_error("bridge", "--allow, --allow-everyone, --allow-remote "
		    "and --sddl need a pipe-listen: ADDRESS");
	if (cli_access_check(&pl.server.who, err, sizeof err) != 0)
		return usage_error("bridge", "%s", err);

	pl.cfg.linger_ms = c.linger_ms >= 0 ? c.linger_ms : 500;
	pl.cfg.idle_ms = c.idle_ms;
	pl.cfg.eof_message = c.eof_message;
	pl.verbose = c.verbose;
	pl.quiet = c.quiet;
	pl.server.message = c.message;
	pl.server.access = PIPE_ACCESS_DUPLEX;
	pl.server.buffer = 64 * 1024;
	if (pl.max_at_once == 0)
		pl.max_at_once = 32;
	if (c.hexdump && (pl.cfg.dump = dump_open(c.hexdump_file, err, sizeof err)) == NULL) {
		say("%s", err);
		return EXIT_FAIL;
	}
	int tcp = 0;
	for (int i = 0; i < 2; i++)
		tcp += a[i].kind == ADDR_TCP || a[i].kind == ADDR_TCP_LISTEN ||
		    a[i].kind == ADDR_ASSUAN;
	if (tcp && sock_init(err, sizeof err) != 0) {
		say("bridge: %s", err);
		return EXIT_FAIL;
	}
	if (pl.listener < 0)
		return bridge_once(&pl);
	return bridge_listen(&pl);
}
