/*
 * session: a relay of connect or serve from its options to its exit
 * status; see session.h.
 */
#include <stdio.h>

#include "dump.h"
#include "exitcode.h"
#include "session.h"
#include "winerr.h"

struct relay *
session_relay(const struct cli_relay *c, char *err, size_t errlen)
{
	struct relay_cfg cfg = {
		.message = c->message, .send_only = c->send_only,
		.recv_only = c->recv_only, .linger_ms = c->linger_ms,
		.idle_ms = c->idle_ms, .eof_message = c->eof_message
	};
	if (c->hexdump && (cfg.dump = dump_open(c->hexdump_file, err, errlen)) == NULL)
		return NULL;
	return relay_new(GetStdHandle(STD_INPUT_HANDLE),
	    GetStdHandle(STD_OUTPUT_HANDLE), &cfg, err, errlen);
}

/* The exit status for how a relay ended, with the one line it deserves. */
static int
relay_exit(enum relay_end end, const char *cmd, const char *name,
    const struct cli_relay *c, const struct relay_stats *st, const char *err,
    int last)
{
	switch (end) {
	case RELAY_PEER_CLOSED:
		/* A script must be able to tell a partial delivery from a
		 * whole one, so this is said even without -v. Under -k the
		 * bytes go to the next client instead: only the last counts. */
		if (last && st->undelivered > 0) {
			say("%s %s: the peer went away; %llu bytes read from stdin "
			    "were not delivered", cmd, name, st->undelivered);
			return EXIT_PARTIAL;
		}
		return EXIT_OK;
	case RELAY_DONE:
	case RELAY_STDOUT_CLOSED:
		return EXIT_OK;
	case RELAY_IDLE:
		if (!c->quiet)
			say("%s %s: idle for %lld.%03lld s, closed", cmd, name,
			    c->idle_ms / 1000, c->idle_ms % 1000);
		return EXIT_IDLE;
	case RELAY_INTERRUPTED:
		return EXIT_INTR;
	case RELAY_ERROR:
	default:
		if (last || !c->quiet)
			say("%s", err);
		return EXIT_FAIL;
	}
}

int
session_run(struct relay *rl, HANDLE pipe, const char *name, const char *cmd,
    const struct cli_relay *c, int report, const char *gone, int last)
{
	char err[1024];
	struct relay_stats st;
	ULONGLONG t0 = GetTickCount64();
	enum relay_end end = relay_run(rl, pipe, name, &st, err, sizeof err);
	CloseHandle(pipe);
	if (report) {
		char line[256];
		relay_stats_text(&st, GetTickCount64() - t0, line, sizeof line);
		say("%s %s: %s", gone, name, line);
	}
	return relay_exit(end, cmd, name, c, &st, err, last);
}
