/*
 * connect: open an existing named pipe as a client and relay it to
 * stdin/stdout.
 *
 * The opening (--wait, the one-way fallback, the impersonation level, -m's
 * read mode) is pipeclient.c's; the relay and its ending are session.c's.
 * This file holds the options, their checks and the exit codes: "not
 * found" (3), "busy" (4) and "timed out" (4) are distinct messages.
 */
#include <stdio.h>
#include <stdlib.h>

#include <windows.h>

#include "cli.h"
#include "opts.h"
#include "command.h"
#include "pipecat.h"
#include "pipename.h"
#include "pipeclient.h"
#include "session.h"
#include "winerr.h"

const char usage_connect[] =
    "usage: pipecat connect [OPTIONS] NAME\n"
    "\n"
    "Open the named pipe NAME as a client and relay it to stdin/stdout.\n"
    "NAME is foo, \\\\.\\pipe\\foo, //./pipe/foo, \\\\server\\pipe\\foo or //server/pipe/foo.\n"
    "\n"
    "  -w, --wait SECONDS|inf       wait for the pipe to exist and for a free instance\n"
    "  -m, --message                message read mode: write each message whole\n"
    "  -q SECONDS                   after stdin EOF, receive this long, then close\n"
    "                               (default: until the server closes; 0: at once)\n"
    "  -i, --idle-timeout SECONDS   close after SECONDS with no data either way (exit 6)\n"
    "      --send-only              only send stdin; open the pipe for writing only\n"
    "      --recv-only              only receive; open the pipe for reading only\n"
    "      --eof-message            with -m: send a zero-length message at stdin EOF,\n"
    "                               and take one from the peer as its EOF\n"
    "  -x, --hex-dump[=FILE]        hex dump of the traffic: > sent, < received,\n"
    "                               to stderr or appended to FILE\n"
    "      --impersonation LEVEL    what the server may do as you: anonymous,\n"
    "                               identification (default), impersonation, delegation\n"
    "  -v, --verbose                report the connection on stderr\n"
    "      --quiet                  print nothing on stderr but fatal errors\n"
    "  -h, --help                   show this help\n"
    "\n"
    "Exit status: 0 done, 1 I/O error, 2 usage, 3 pipe not found, 4 busy or\n"
    "timed out, 5 access denied, 6 idle timeout, 7 the server went away before\n"
    "taking all that was read from stdin, 130 interrupted.\n";

static const char *const levels[] = {
	"anonymous", "identification", "impersonation", "delegation", NULL
};
static const DWORD level_flags[] = {
	SECURITY_ANONYMOUS, SECURITY_IDENTIFICATION, SECURITY_IMPERSONATION,
	SECURITY_DELEGATION
};

int
cmd_connect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "wait", required_argument, NULL, 'w' },
		{ "impersonation", required_argument, NULL, OPT_IMPERSONATION },
		{ "help", no_argument, NULL, 'h' },
		CLI_RELAY_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_relay c;
	long long wait_ms = 0;
	const char *wait_text = "0";
	int level = 1;
	char err[1024];
	int opt, r;

	cli_relay_init(&c);
	optind = 0;
	while ((opt = getopt_long(argc, argv, ":w:h" CLI_RELAY_SHORTOPTS,
	    longopts, NULL)) != -1) {
		if ((r = cli_relay_opt(&c, opt, optarg, err, sizeof err)) != 0) {
			if (r < 0)
				return usage_error("connect", "%s", err);
			continue;
		}
		switch (opt) {
		case 'w':
			if (opt_seconds("--wait", optarg, 1, &wait_ms, err, sizeof err) != 0)
				return usage_error("connect", "%s", err);
			wait_text = optarg;
			break;
		case OPT_IMPERSONATION:
			if ((level = opt_choice("--impersonation", optarg, levels,
			    err, sizeof err)) < 0)
				return usage_error("connect", "%s", err);
			break;
		case 'h':
			return print_stdout(usage_connect);
		default:
			return option_error("connect", opt, argv);
		}
	}
	if (cli_relay_check(&c, err, sizeof err) != 0)
		return usage_error("connect", "%s", err);
	if (optind >= argc)
		return usage_error("connect", "a pipe NAME is required");
	if (optind + 1 < argc)
		return usage_error("connect", "unexpected argument \"%s\" after NAME",
		    argv[optind + 1]);

	struct pipename pn;
	if (pipename_parse(argv[optind], &pn, err, sizeof err) != 0)
		return usage_error("connect", "%s", err);
	struct relay *rl = session_relay(&c, err, sizeof err);
	if (rl == NULL) {
		say("%s", err);
		return EXIT_FAIL;
	}

	char what[300];
	snprintf(what, sizeof what, "connect %s", pn.full);
	struct pipeclient pc = {
		.name = pn.full, .what = what,
		/* One-way modes open one way, so a server that made an
		 * inbound- or outbound-only pipe accepts us. */
		.access = c.send_only ? GENERIC_WRITE | FILE_READ_ATTRIBUTES
		    : c.recv_only ? GENERIC_READ | FILE_WRITE_ATTRIBUTES
		    : GENERIC_READ | GENERIC_WRITE,
		.sqos = SECURITY_SQOS_PRESENT | level_flags[level],
		.wait_ms = wait_ms, .wait_text = wait_text, .message = c.message,
	};
	int status = EXIT_FAIL;
	HANDLE h = pipeclient_open(&pc, &status, err, sizeof err);
	if (h == NULL) {
		if (status != EXIT_INTR)
			say("%s", err);
		return status;
	}
	if (!c.send_only && !c.recv_only && pc.access != (GENERIC_READ | GENERIC_WRITE)) {
		c.send_only = (pc.access & GENERIC_WRITE) != 0;
		c.recv_only = !c.send_only;
		relay_set_oneway(rl, c.send_only, c.recv_only);
		if (c.verbose)
			say("%s is a one-way pipe: %s only", pn.full,
			    c.send_only ? "sending" : "receiving");
	}
	if (c.verbose) {
		ULONG pid = 0;
		if (GetNamedPipeServerProcessId(h, &pid))
			say("connected to %s (server pid %lu)", pn.full, pid);
		else
			say("connected to %s", pn.full);
	}
	return session_run(rl, h, pn.full, "connect", &c, c.verbose, "closed", 1);
}
