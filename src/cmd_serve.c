/*
 * serve: host the named pipe \\.\pipe\NAME and relay its clients to
 * stdin/stdout, one client (default) or one after another (-k).
 *
 * Safe defaults, after PuTTY's named-pipe-server.c and the CreateNamedPipe
 * docs: the first instance is created with FILE_FLAG_FIRST_PIPE_INSTANCE, so
 * a name someone else already serves is an error rather than a shared pipe;
 * PIPE_REJECT_REMOTE_CLIENTS unless --allow-remote; a protected DACL for the
 * current user and SYSTEM only (dacl.c), unless --sddl, --allow-everyone or
 * --allow.
 *
 * With -k the name never lapses: as soon as a client connects, the next
 * instance is created and armed (ConnectNamedPipe pending) before the client
 * is served, so the next client waits in that instance instead of finding
 * no pipe, and nobody can take the name over between clients. A served
 * instance is closed, never DisconnectNamedPipe'd: the relay has flushed it,
 * and closing lets the client read what is left and then see a clean end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "argv.h"
#include "broker.h"
#include "cli.h"
#include "exec.h"
#include "interrupt.h"
#include "opts.h"
#include "pipeserver.h"
#include "command.h"
#include "pipecat.h"
#include "pipename.h"
#include "session.h"
#include "winerr.h"

const char usage_serve[] =
    "usage: pipecat serve [OPTIONS] NAME\n"
    "       pipecat serve [OPTIONS] NAME -- COMMAND [ARGS...]\n"
    "       pipecat serve [OPTIONS] -e COMMAND-LINE NAME\n"
    "\n"
    "Create the named pipe \\\\.\\pipe\\NAME and relay a client to stdin/stdout,\n"
    "or give every client a COMMAND of its own, bound to its stdin and stdout.\n"
    "NAME is foo, \\\\.\\pipe\\foo or //./pipe/foo (local names only).\n"
    "\n"
    "  -k, --keep-open              serve clients one after another, forever\n"
    "      --max-clients N          stop after N clients (implies -k)\n"
    "  -e, --exec COMMAND-LINE      run this raw command line for each client\n"
    "  -b, --broker                 relay every client to all others and stdout,\n"
    "                               and stdin to all clients\n"
    "      --max-instances N        clients at once: with a COMMAND (default 32),\n"
    "                               with -b (default 16, at most 30)\n"
    "      --stderr                 with a COMMAND: its stderr goes to the client too\n"
    "      --print-client           report clients on stderr even without -v\n"
    "  -m, --message                message-type pipe: message boundaries are kept\n"
    "      --buffer BYTES           the pipe's in and out buffer size (default 64K)\n"
    "      --allow-remote           accept clients from other machines\n"
    "      --allow-everyone         let every user open the pipe (not create it)\n"
    "      --allow ACCOUNT          let this user or group (name or SID) open the\n"
    "                               pipe (not create it); repeatable\n"
    "      --sddl SDDL              the pipe's security descriptor, as SDDL\n"
    "  -q SECONDS                   after stdin EOF, receive this long, then close\n"
    "                               (default: until the client closes; 0: at once)\n"
    "  -i, --idle-timeout SECONDS   close a client after SECONDS with no data (exit 6)\n"
    "      --eof-message            with -m: send a zero-length message at stdin EOF,\n"
    "                               and take one from the peer as its EOF; with a\n"
    "                               COMMAND, a client's ends the COMMAND's stdin and\n"
    "                               the client gets one when its output ends\n"
    "  -x, --hex-dump[=FILE]        hex dump of the traffic: > sent, < received,\n"
    "                               to stderr or appended to FILE\n"
    "      --send-only              only send stdin; do not read from clients\n"
    "      --recv-only              only receive; do not read stdin\n"
    "  -v, --verbose                report events on stderr (-vv: more)\n"
    "      --quiet                  print nothing on stderr but fatal errors\n"
    "  -h, --help                   show this help\n"
    "\n"
    "With a COMMAND or -b, clients are served at once and forever (or until\n"
    "--max-clients have come and gone); -q, --send-only and --recv-only do not\n"
    "apply. With -b, a client more than 4 MiB behind is disconnected.\n"
    "\n"
    "Exit status: 0 done, 1 I/O error, 2 usage, 5 name in use or access denied,\n"
    "6 idle timeout, 7 the client went away before taking all that was read\n"
    "from stdin, 130 interrupted.\n";

/* -k: the instance being served and three spares listening. */
#define KEEP_OPEN_INSTANCES 4

/* The -v line for a client that connected; ID 0 for unnumbered clients. */
static void
say_client(HANDLE client, unsigned long id, const char *name)
{
	char who[300];
	DWORD e = describe_client(client, who, sizeof who);
	if (e != 0) {
		/* RevertToSelf failed: per its docs the process must not go on
		 * running as the client. */
		say_winerr(e, "serve %s: revert from the client's identity", name);
		ExitProcess(EXIT_FAIL);
	}
	if (id != 0)
		say("client %lu connected to %s (%s)", id, name, who);
	else
		say("client connected to %s (%s)", name, who);
}

/*
 * Tops up the listening instances (ACTIVE being served) and returns the
 * wait before the next try; the first failure of a run of them is said
 * unless QUIET (see acceptor_refill).
 */
static DWORD
refill(struct server *s, long active, int quiet)
{
	char err[600];
	DWORD retry;
	if (acceptor_refill(s, active, &retry, err, sizeof err) && !quiet)
		say("%s", err);
	return retry;
}

/*
 * Relays one connected client of the default or -k mode, closes it, and
 * returns the exit status its end deserves (LAST: the server ends with it).
 */
static int
serve_one(struct relay *rl, HANDLE client, const char *name,
    const struct cli_relay *c, int report, int last)
{
	if (report)
		say_client(client, 0, name);
	return session_run(rl, client, name, "serve", c, report, "client gone from", last);
}

/*
 * -k: spare instances stay armed while a client is served (the acceptor
 * re-arms one as soon as a client takes it), so clients that come in quick
 * succession wait in their own instance instead of finding none listening;
 * they are served in the order they came. FIRST is the first instance,
 * created but not armed. Ends on Ctrl-C, after MAX_CLIENTS (0: never), or
 * when the reader of stdout has gone.
 */
static int
serve_keep_open(struct server *s, struct instance *first, struct relay *rl,
    const struct cli_relay *c, long long max_clients, int report)
{
	DWORD e;
	if ((e = acceptor_start(s, first, KEEP_OPEN_INSTANCES)) != 0) {
		say_winerr(e, "serve %s: wait for a client", s->name);
		return EXIT_FAIL;
	}
	for (long long served = 0;;) {
		DWORD retry = refill(s, 0, c->quiet);
		HANDLE client = acceptor_take();
		if (client == NULL) {
			HANDLE hs[2] = { interrupt_event(), acceptor_event() };
			DWORD w = WaitForMultipleObjects(2, hs, FALSE, retry);
			if (w == WAIT_OBJECT_0)
				return EXIT_INTR;
			if (w == WAIT_FAILED) {
				say_winerr(GetLastError(), "serve %s: wait for a client", s->name);
				return EXIT_FAIL;
			}
			continue;
		}
		served++;
		int more = max_clients == 0 || served < max_clients;
		/* The instance this client took is replaced before it is served. */
		if (more)
			(void)refill(s, 1, c->quiet);
		int status = serve_one(rl, client, s->name, c, report, !more);
		/* Ctrl-C or a reader of stdout gone: the server ends, whatever
		 * -k says. */
		if (status == EXIT_INTR || !more || relay_stdout_gone(rl))
			return status;
	}
}

/*
 * With a COMMAND: clients are served at once, each by an exec session on a
 * thread of its own, up to MAX_ACTIVE at a time; the pipe has MAX_ACTIVE + 1
 * instances, so one more client can connect and wait for a slot. FIRST is
 * the first instance, created but not armed.
 */
static int
serve_exec_loop(struct server *s, struct instance *first, const struct exec_cfg *ec,
    long long max_active, long long max_clients, int counts)
{
	unsigned long id = 0;
	DWORD e;

	if ((e = acceptor_start(s, first, (int)max_active + 1)) != 0) {
		say_winerr(e, "serve %s: wait for clients", s->name);
		return EXIT_FAIL;
	}
	for (;;) {
		DWORD retry = refill(s, InterlockedCompareExchange(ec->active, 0, 0),
		    ec->quiet);
		HANDLE hs[3] = { interrupt_event(), acceptor_event(), ec->slot_free };
		DWORD w = WaitForMultipleObjects(3, hs, FALSE, retry);
		if (w == WAIT_OBJECT_0)
			return EXIT_INTR;
		if (w == WAIT_FAILED) {
			say_winerr(GetLastError(), "serve %s: wait for clients", s->name);
			return EXIT_FAIL;
		}
		HANDLE client;
		while ((client = acceptor_take()) != NULL) {
			/* Every slot taken: this client waits, connected. */
			while (InterlockedCompareExchange(ec->active, 0, 0) >= max_active) {
				HANDLE ws[2] = { ec->slot_free, interrupt_event() };
				if (WaitForMultipleObjects(2, ws, FALSE, INFINITE) != WAIT_OBJECT_0)
					return EXIT_INTR;
			}
			id++;
			if (ec->verbose)
				say_client(client, id, s->name);
			if ((e = exec_start(ec, client, id)) != 0) {
				say_winerr(e, "serve %s: client %lu: start a thread", s->name, id);
				CloseHandle(client);
			}
			if (counts) {
				char r[200];
				resources_text(r, sizeof r);
				say("after %lu clients: %ld active, %s", id,
				    (long)InterlockedCompareExchange(ec->active, 0, 0), r);
			}
			if (max_clients != 0 && (long long)id >= max_clients) {
				/* Served enough: let the last sessions finish. */
				while (InterlockedCompareExchange(ec->active, 0, 0) > 0) {
					HANDLE ws[2] = { ec->slot_free, interrupt_event() };
					if (WaitForMultipleObjects(2, ws, FALSE, INFINITE) != WAIT_OBJECT_0)
						return EXIT_INTR;
				}
				return EXIT_OK;
			}
		}
	}
}

static int
serve_exec(struct server *s, struct instance *first, const struct exec_cfg *ec,
    long long max_active, long long max_clients, int counts)
{
	int rc = serve_exec_loop(s, first, ec, max_active, max_clients, counts);
	/* After --max-clients the last sessions finish. On Ctrl-C they end
	 * too (each kills its child's tree): the process does not exit under
	 * them (exec_wait_all), though a session that does not end within 2 s
	 * is not waited for; nor is one still running after a failure. */
	exec_wait_all(rc == EXIT_OK ? INFINITE : 2000);
	return rc;
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keep-open", no_argument, NULL, 'k' },
		{ "max-clients", required_argument, NULL, OPT_MAX_CLIENTS },
		{ "buffer", required_argument, NULL, OPT_BUFFER },
		CLI_ACCESS_LONGOPTS,
		{ "exec", required_argument, NULL, 'e' },
		{ "broker", no_argument, NULL, 'b' },
		{ "max-instances", required_argument, NULL, OPT_MAX_INSTANCES },
		{ "stderr", no_argument, NULL, OPT_STDERR },
		{ "print-client", no_argument, NULL, OPT_PRINT_CLIENT },
		{ "help", no_argument, NULL, 'h' },
		CLI_RELAY_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_relay c;
	int keep_open = 0;
	long long max_clients = 0, buffer = 65536, max_instances = 0;
	const char *exec_line = NULL, *max_instances_text = NULL;
	int with_stderr = 0, print_client = 0, broker = 0;
	struct cli_access who;
	char err[1024];
	int opt, r;

	cli_relay_init(&c);
	cli_access_init(&who);
	/* "NAME -- COMMAND ARGS": getopt sees only what comes before "--". */
	int nargs = argc;
	char **command = NULL;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			nargs = i;
			command = argv + i + 1;
			break;
		}
	optind = 0;
	while ((opt = getopt_long(nargs, argv, ":khbe:" CLI_RELAY_SHORTOPTS,
	    longopts, NULL)) != -1) {
		if ((r = cli_relay_opt(&c, opt, optarg, err, sizeof err)) != 0 ||
		    (r = cli_access_opt(&who, opt, optarg, err, sizeof err)) != 0) {
			if (r < 0)
				return usage_error("serve", "%s", err);
			continue;
		}
		switch (opt) {
		case 'k':
			keep_open = 1;
			break;
		case OPT_MAX_CLIENTS:
			if (opt_count("--max-clients", optarg, 1, 1000000000LL,
			    &max_clients, err, sizeof err) != 0)
				return usage_error("serve", "%s", err);
			keep_open = 1;
			break;
		case OPT_BUFFER:
			if (opt_bytes("--buffer", optarg, 0, 64LL << 20, &buffer,
			    err, sizeof err) != 0)
				return usage_error("serve", "%s", err);
			break;
		case 'e':
			exec_line = optarg;
			break;
		case 'b':
			broker = 1;
			break;
		case OPT_MAX_INSTANCES:
			/* Its range depends on -b, which may come later. */
			max_instances_text = optarg;
			break;
		case OPT_STDERR:
			with_stderr = 1;
			break;
		case OPT_PRINT_CLIENT:
			print_client = 1;
			break;
		case 'h':
			return print_stdout(usage_serve);
		default:
			return option_error("serve", opt, argv);
		}
	}
	if (cli_relay_check(&c, err, sizeof err) != 0)
		return usage_error("serve", "%s", err);
	if (max_instances_text != NULL) {
		if (opt_count("--max-instances", max_instances_text, 1, 200,
		    &max_instances, err, sizeof err) != 0 && !broker)
			return usage_error("serve", "%s", err);
		if (broker && max_instances > BROKER_MAX_CLIENTS)
			return usage_error("serve", "--max-instances: at most %d with -b",
			    BROKER_MAX_CLIENTS);
		if (broker && opt_count("--max-instances", max_instances_text, 1,
		    BROKER_MAX_CLIENTS, &max_instances, err, sizeof err) != 0)
			return usage_error("serve", "%s", err);
	}
	if (cli_access_check(&who, err, sizeof err) != 0)
		return usage_error("serve", "%s", err);
	if (command != NULL && *command == NULL)
		return usage_error("serve", "a COMMAND is required after --");
	if (command != NULL && exec_line != NULL)
		return usage_error("serve", "-e and -- COMMAND cannot be combined");
	int exec_mode = command != NULL || exec_line != NULL;
	if (broker && exec_mode)
		return usage_error("serve", "-b and a COMMAND cannot be combined");
	if ((broker || exec_mode) && (c.hexdump || (broker && c.eof_message)))
		return usage_error("serve", "-x and --eof-message do not apply with -b, "
		    "nor -x with a COMMAND");
	if (broker && (c.send_only || c.recv_only || c.linger_ms >= 0 ||
	    c.idle_ms >= 0 || with_stderr))
		return usage_error("serve", "-q, -i, --send-only, --recv-only and "
		    "--stderr do not apply with -b");
	if (exec_mode && (c.send_only || c.recv_only || c.linger_ms >= 0))
		return usage_error("serve", "-q, --send-only and --recv-only do not "
		    "apply with a COMMAND");
	if (!exec_mode && !broker && max_instances != 0)
		return usage_error("serve", "--max-instances needs a COMMAND "
		    "(-e or -- COMMAND) or -b");
	if (!exec_mode && with_stderr)
		return usage_error("serve", "--stderr needs a COMMAND (-e or -- COMMAND)");
	/* A command that names no program is refused here, not per client. */
	const char *why = exec_line != NULL ? argv_program_problem(exec_line, 1)
	    : command != NULL ? argv_program_problem(command[0], 0) : NULL;
	if (why != NULL && strcmp(why, "out of memory") == 0) {
		say("serve: out of memory");
		return EXIT_FAIL;
	}
	if (why != NULL)
		return usage_error("serve", "%s%s", exec_line != NULL ? "-e: " : "", why);
	if (optind >= nargs)
		return usage_error("serve", "a pipe NAME is required");
	if (optind + 1 < nargs)
		return usage_error("serve", "unexpected argument \"%s\" after NAME "
		    "(a COMMAND goes after --)", argv[optind + 1]);

	struct pipename pn;
	if (pipename_parse(argv[optind], &pn, err, sizeof err) != 0)
		return usage_error("serve", "%s", err);
	if (!pn.local)
		return usage_error("serve", "%s is on another machine; only local "
		    "names (\\\\.\\pipe\\NAME) can be served", pn.full);

	struct relay *rl = NULL;
	if (!exec_mode && !broker && (rl = session_relay(&c, err, sizeof err)) == NULL) {
		say("%s", err);
		return EXIT_FAIL;
	}

	char what[300];
	snprintf(what, sizeof what, "serve %s", pn.full);
	struct server_opts so = {
		.what = what, .message = c.message, .who = who,
		/* A one-way server makes a one-way pipe, so that a client can
		 * tell (connect opens it one way, and closes at its stdin EOF). */
		.access = c.send_only ? PIPE_ACCESS_OUTBOUND
		    : c.recv_only ? PIPE_ACCESS_INBOUND : PIPE_ACCESS_DUPLEX,
		/* Sequential: one instance being served and one armed for the
		 * next client. With a COMMAND: the clients served at once, and
		 * one more connected and waiting for a slot. */
		.max_instances = exec_mode
		    ? (DWORD)(max_instances ? max_instances : 32) + 1
		    : broker ? (DWORD)(max_instances ? max_instances : 16)
		    : keep_open ? KEEP_OPEN_INSTANCES : 1,
		.buffer = (DWORD)buffer,
	};
	static struct server s;
	int status;
	if (server_init(&s, pn.full, &so, &status, err, sizeof err) != 0) {
		if (status == EXIT_USAGE)
			return usage_error("serve", "%s", err);
		say("%s", err);
		return status;
	}
	if (c.verbose >= 2)
		say("security descriptor of %s: %s", pn.full, s.sddl);

	/* The first instance never moves once armed (a pending
	 * ConnectNamedPipe holds its OVERLAPPED), and the modes that hand it
	 * to the acceptor take it unarmed: they arm it there. Clients can
	 * open it already; ConnectNamedPipe then reports them. */
	static struct instance first;
	if (server_first(&s, &first, &status, err, sizeof err) != 0) {
		say("%s", err);
		return status;
	}
	DWORD e;
	if (!exec_mode && !broker && !keep_open && (e = instance_arm(&first)) != 0) {
		say_winerr(e, "serve %s: wait for a client", pn.full);
		return EXIT_FAIL;
	}
	if (c.verbose)
		say("listening on %s", pn.full);

	int report = c.verbose || print_client;
	if (broker) {
		struct broker_cfg bc = {
			.max_at_once = (int)(max_instances ? max_instances : 16),
			.max_clients = max_clients, .message = c.message,
			.verbose = report, .quiet = c.quiet,
		};
		return broker_run(&s, &first, &bc);
	}
	if (exec_mode) {
		char *line = exec_line != NULL ? strdup(exec_line)
		    : argv_join((const char *const *)command, (int)(argc - (command - argv)),
		        err, sizeof err);
		if (line == NULL) {
			say("serve %s: %s", pn.full, exec_line != NULL ? "out of memory" : err);
			return EXIT_USAGE;
		}
		static volatile LONG active;
		struct exec_cfg ec = {
			.name = pn.full, .cmdline = line, .with_stderr = with_stderr,
			.message = c.message, .eof_message = c.eof_message,
			.verbose = report,
			.quiet = c.quiet, .idle_ms = c.idle_ms, .active = &active,
			.slot_free = CreateEventW(NULL, FALSE, FALSE, NULL),
		};
		if (ec.slot_free == NULL) {
			say_winerr(GetLastError(), "serve %s", pn.full);
			return EXIT_FAIL;
		}
		return serve_exec(&s, &first, &ec, max_instances ? max_instances : 32,
		    max_clients, c.verbose >= 2);
	}
	if (keep_open)
		return serve_keep_open(&s, &first, rl, &c, max_clients, report);
	if ((e = instance_wait(&first)) != 0) {
		if (e == ERROR_OPERATION_ABORTED)
			return EXIT_INTR;
		say_winerr(e, "serve %s: wait for a client", pn.full);
		return EXIT_FAIL;
	}
	return serve_one(rl, first.h, pn.full, &c, report, 1);
}
