/*
 * connect: open an existing named pipe as a client and relay it to
 * stdin/stdout.
 *
 * Opening: CreateFileW with FILE_FLAG_OVERLAPPED (the relay reads and writes
 * at once) and SECURITY_SQOS_PRESENT with the impersonation level, so a
 * server learns who we are but cannot act as us unless asked
 * (--impersonation). With --wait, a missing pipe is polled for (Windows has
 * no notification for a pipe being created) and a busy one is waited on
 * with WaitNamedPipeW, in slices short enough that Ctrl-C is seen promptly.
 * "Not found" (3), "busy" (4) and "timed out" (4) are distinct messages.
 */
#include <stdio.h>
#include <stdlib.h>

#include <windows.h>

#include "cli.h"
#include "interrupt.h"
#include "opts.h"
#include "pipecat.h"
#include "pipename.h"
#include "relay.h"
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
    "timed out, 5 access denied, 6 idle timeout, 130 interrupted.\n";

static const char *const levels[] = {
	"anonymous", "identification", "impersonation", "delegation", NULL
};
static const DWORD level_flags[] = {
	SECURITY_ANONYMOUS, SECURITY_IDENTIFICATION, SECURITY_IMPERSONATION,
	SECURITY_DELEGATION
};

/*
 * Opens NAME with *ACCESS, waiting up to WAIT_MS (-1: forever; 0: not at
 * all). A read-write open of a one-way pipe falls back to the way the pipe
 * goes, and *ACCESS says which. Returns the handle, or NULL after printing
 * why, with *STATUS the exit code.
 */
static HANDLE
open_pipe(const wchar_t *wname, const char *name, DWORD *access, DWORD flags,
    long long wait_ms, const char *wait_text, int *status)
{
	ULONGLONG start = GetTickCount64();

	for (;;) {
		HANDLE h = CreateFileW(wname, *access,
		    0,                  /* no sharing: meaningless for a pipe client */
		    NULL,               /* default security, not inheritable */
		    OPEN_EXISTING,      /* pipes are opened, never created, here */
		    flags,              /* overlapped + SQOS impersonation level */
		    NULL);
		if (h != INVALID_HANDLE_VALUE)
			return h;
		DWORD e = GetLastError();
		if (e == ERROR_ACCESS_DENIED && *access == (GENERIC_READ | GENERIC_WRITE)) {
			/* A one-way pipe (PIPE_ACCESS_INBOUND/OUTBOUND) refuses a
			 * read-write open: open it the way it goes. If the DACL is
			 * what refused us, both tries fail too, and the first
			 * error is the one reported. */
			static const DWORD oneway[2] = {
				GENERIC_WRITE | FILE_READ_ATTRIBUTES,
				GENERIC_READ | FILE_WRITE_ATTRIBUTES
			};
			for (int i = 0; i < 2; i++) {
				h = CreateFileW(wname, oneway[i], 0, NULL,
				    OPEN_EXISTING, flags, NULL);
				if (h != INVALID_HANDLE_VALUE) {
					*access = oneway[i];
					return h;
				}
			}
		}
		int busy = e == ERROR_PIPE_BUSY;

		if (!busy && !winerr_is_not_found(e)) {
			say_winerr(e, "connect %s", name);
			*status = exit_code_for(e);
			return NULL;
		}
		if (wait_ms == 0) {
			say_winerr(e, "connect %s", name);
			*status = busy ? EXIT_BUSY : EXIT_NOTFOUND;
			return NULL;
		}
		ULONGLONG waited = GetTickCount64() - start;
		if (wait_ms > 0 && waited >= (ULONGLONG)wait_ms) {
			say_winerr(e, "connect %s: timed out after %s s waiting for %s",
			    name, wait_text, busy ? "a free instance" : "the pipe to exist");
			*status = EXIT_BUSY;
			return NULL;
		}
		/* Slices of at most 100 ms keep Ctrl-C prompt and a new pipe
		 * noticed quickly; WaitNamedPipeW returns at once when an
		 * instance frees up, so busy waits lose nothing by slicing. */
		DWORD slice = 100;
		if (wait_ms > 0 && (ULONGLONG)wait_ms - waited < slice)
			slice = (DWORD)((ULONGLONG)wait_ms - waited);
		if (busy) {
			/* Fails with ERROR_SEM_TIMEOUT when the slice runs out, or
			 * ERROR_FILE_NOT_FOUND if the pipe went away; both lead back
			 * to CreateFileW, which says which it is. */
			(void)WaitNamedPipeW(wname, slice ? slice : 1);
			if (interrupted()) {
				*status = EXIT_INTR;
				return NULL;
			}
		} else if (WaitForSingleObject(interrupt_event(), slice) == WAIT_OBJECT_0) {
			*status = EXIT_INTR;
			return NULL;
		}
	}
}

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
	struct dump *dump = NULL;
	if (c.hexdump && (dump = dump_open(c.hexdump_file, err, sizeof err)) == NULL) {
		say("%s", err);
		return EXIT_FAIL;
	}

	wchar_t *wname = utf8_to_wide(pn.full);
	if (wname == NULL) {
		say_winerr(GetLastError(), "connect %s", pn.full);
		return EXIT_FAIL;
	}

	/* One-way modes open one way, so a server that made an inbound- or
	 * outbound-only pipe accepts us; the attribute right is what
	 * SetNamedPipeHandleState and GetNamedPipeInfo need. */
	DWORD access = GENERIC_READ | GENERIC_WRITE;
	if (c.send_only)
		access = GENERIC_WRITE | FILE_READ_ATTRIBUTES;
	else if (c.recv_only)
		access = GENERIC_READ | FILE_WRITE_ATTRIBUTES;
	DWORD flags = FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | level_flags[level];

	int status = EXIT_FAIL;
	HANDLE h = open_pipe(wname, pn.full, &access, flags, wait_ms, wait_text, &status);
	free(wname);
	if (h == NULL)
		return status;
	if (!c.send_only && !c.recv_only && access != (GENERIC_READ | GENERIC_WRITE)) {
		c.send_only = (access & GENERIC_WRITE) != 0;
		c.recv_only = !c.send_only;
		if (c.verbose)
			say("%s is a one-way pipe: %s only", pn.full,
			    c.send_only ? "sending" : "receiving");
	}

	if (c.message) {
		DWORD mode = PIPE_READMODE_MESSAGE;
		DWORD info = 0;
		if (GetNamedPipeInfo(h, &info, NULL, NULL, NULL) &&
		    !(info & PIPE_TYPE_MESSAGE)) {
			say("connect %s: -m needs a message-type pipe, and this one is byte-type",
			    pn.full);
			CloseHandle(h);
			return EXIT_FAIL;
		}
		if (!SetNamedPipeHandleState(h, &mode, NULL, NULL)) {
			say_winerr(GetLastError(), "set message read mode on %s", pn.full);
			CloseHandle(h);
			return EXIT_FAIL;
		}
	}
	if (c.verbose) {
		ULONG pid = 0;
		if (GetNamedPipeServerProcessId(h, &pid))
			say("connected to %s (server pid %lu)", pn.full, pid);
		else
			say("connected to %s", pn.full);
	}

	struct relay_cfg cfg = {
		.message = c.message, .send_only = c.send_only,
		.recv_only = c.recv_only, .linger_ms = c.linger_ms,
		.idle_ms = c.idle_ms, .eof_message = c.eof_message
	};
	cfg.dump = dump;
	struct relay *rl = relay_new(GetStdHandle(STD_INPUT_HANDLE),
	    GetStdHandle(STD_OUTPUT_HANDLE), &cfg, err, sizeof err);
	if (rl == NULL) {
		say("%s", err);
		CloseHandle(h);
		return EXIT_FAIL;
	}
	struct relay_stats st;
	ULONGLONG t0 = GetTickCount64();
	enum relay_end end = relay_run(rl, h, pn.full, &st, err, sizeof err);
	CloseHandle(h);
	if (c.verbose) {
		char line[256];
		relay_stats_text(&st, GetTickCount64() - t0, line, sizeof line);
		say("closed %s: %s", pn.full, line);
	}
	return relay_exit(end, "connect", pn.full, c.idle_ms, err, c.quiet, 1);
}
