/*
 * spawn: run a program with its output on anonymous pipes and relay that
 * output to the terminal as it arrives; exit with the program's status.
 *
 * The child gets the write ends of one pipe (stdout and stderr merged, as
 * 2>&1) or two (--split); pipecat closes its own copies of the write ends
 * at once, so EOF arrives when the child, and whatever it handed them to,
 * has closed them. Anonymous pipes cannot be overlapped, so each read end
 * is pumped by a thread of its own (pump.c) and the main thread waits on
 * all of them, the child's process handle, Ctrl-C and --timeout at once.
 * The child runs in a kill-on-close job (child.c).
 *
 * Ending: when the child has exited and its output pipes have reached EOF
 * and been written out, pipecat exits with the child's status. Until then
 * (the child runs, or a grandchild still holds a pipe) --timeout kills the
 * tree and exits 124, and Ctrl-C, which reaches the child too (same
 * console), kills it a second later and exits 130. If the reader of
 * pipecat's stdout (or stderr, with --split) goes away, the tree is killed
 * and pipecat exits 141, which a shell reports for a writer killed by
 * SIGPIPE. A killed tree's pipes close as its processes die; one still open
 * KILL_DRAIN_MS later is held from outside the job and not waited for. The
 * -v line says whether the child, or only what it started, was killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "argv.h"
#include "child.h"
#include "cli.h"
#include "dump.h"
#include "interrupt.h"
#include "opts.h"
#include "pump.h"
#include "command.h"
#include "pipecat.h"
#include "winerr.h"

const char usage_spawn[] =
    "usage: pipecat spawn [OPTIONS] [--] COMMAND [ARGS...]\n"
    "       pipecat spawn [OPTIONS] -c COMMAND-LINE\n"
    "\n"
    "Start COMMAND with its stdout and stderr on pipes, relay them to the\n"
    "terminal as they arrive, and exit with COMMAND's exit status.\n"
    "\n"
    "  -c, --command LINE           run this raw Windows command line, unquoted\n"
    "      --split                  keep stderr apart, relayed to pipecat's stderr\n"
    "                               (default: merged into stdout, as 2>&1)\n"
    "      --stdin-pipe             feed COMMAND's stdin from pipecat's stdin through\n"
    "                               a pipe, closed at EOF (default: COMMAND inherits it)\n"
    "  -t, --timeout SECONDS        kill COMMAND and its children after SECONDS (exit 124)\n"
    "  -x, --hex-dump[=FILE]        hex dump of COMMAND's output (<) and, with\n"
    "                               --stdin-pipe, its input (>), to stderr or FILE\n"
    "  -v, --verbose                report start (pid) and exit (status, bytes, time)\n"
    "      --quiet                  print nothing on stderr but fatal errors\n"
    "  -h, --help                   show this help\n"
    "\n"
    "Exit status: COMMAND's; 2 usage; 124 timed out; 125 pipecat failed;\n"
    "126 COMMAND could not be started; 127 COMMAND not found; 130 interrupted;\n"
    "141 the reader of pipecat's output went away.\n";

enum {
	EXIT_SPAWN_TIMEOUT = 124,
	EXIT_SPAWN_FAILED = 125,
	EXIT_SPAWN_CANNOT = 126,
	EXIT_SPAWN_NOTFOUND = 127,
	EXIT_SPAWN_SIGPIPE = 141
};

/* Ctrl-C: how long the child has to exit on its own before it is killed. */
#define INTERRUPT_GRACE_MS 1000

/* After a kill: how long the dying tree's output pipes have to reach their
 * end (they do as soon as its processes are gone). */
#define KILL_DRAIN_MS 2000

/* Pipe buffer size: big enough that a chatty child rarely waits on us. */
#define PIPE_SIZE (64 * 1024)

/* Kills the child's tree; STATUS is spawn's exit status from then on, and
 * *GIVE_UP when the tree's pipes stop being waited for. */
static int
kill_tree(struct child *c, int status, ULONGLONG *give_up)
{
	child_kill(c, (UINT)status);
	*give_up = GetTickCount64() + KILL_DRAIN_MS;
	return status;
}

/* Shortens *WAIT (ms from NOW) to end by AT at the latest. */
static void
sooner(DWORD *wait, ULONGLONG now, ULONGLONG at)
{
	ULONGLONG ms = at > now ? at - now : 0;
	if (ms < *wait)
		*wait = (DWORD)ms;
}

/*
 * How the child ended, for -v: "exited with status S", "killed after
 * WHY", or "exited with status S, what it started killed after WHY" when
 * only processes it started were still running (GONE names the stream
 * whose reader went away, for a 141).
 */
static void
ending(struct child *c, const char *gone, char *buf, size_t len)
{
	char why[64];
	switch (c->kill_code) {
	case EXIT_SPAWN_TIMEOUT:
		snprintf(why, sizeof why, "the timeout");
		break;
	case EXIT_INTR:
		snprintf(why, sizeof why, "Ctrl-C");
		break;
	case EXIT_SPAWN_SIGPIPE:
		snprintf(why, sizeof why, "the reader of %s went away", gone);
		break;
	default:
		snprintf(why, sizeof why, "an error");
		break;
	}
	char st[40];
	winerr_status_text(child_status(c), st, sizeof st);
	if (c->killed && c->killed_child)
		snprintf(buf, len, "killed after %s", why);
	else if (c->killed && c->killed_others)
		snprintf(buf, len, "exited with status %s, what it started killed after %s",
		    st, why);
	else
		snprintf(buf, len, "exited with status %s", st);
}

int
cmd_spawn(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "command", required_argument, NULL, 'c' },
		{ "split", no_argument, NULL, OPT_SPLIT },
		{ "stdin-pipe", no_argument, NULL, OPT_STDIN_PIPE },
		{ "timeout", required_argument, NULL, 't' },
		{ "hex-dump", optional_argument, NULL, 'x' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *raw = NULL;
	int split = 0, stdin_pipe = 0, verbose = 0, quiet = 0, hexdump = 0;
	const char *hexdump_file = NULL;
	long long timeout_ms = -1;
	char err[1024];
	int opt;

	optind = 0;
	/* "+": options end at COMMAND, so its own options are left alone. */
	while ((opt = getopt_long(argc, argv, "+:c:t:vhx::", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			raw = optarg;
			break;
		case OPT_SPLIT:
			split = 1;
			break;
		case OPT_STDIN_PIPE:
			stdin_pipe = 1;
			break;
		case 't':
			if (opt_seconds("--timeout", optarg, 0, &timeout_ms, err, sizeof err) != 0)
				return usage_error("spawn", "%s", err);
			break;
		case 'v':
			verbose++;
			break;
		case 'x':
			if (optarg != NULL && optarg[0] == '\0')
				return usage_error("spawn", "--hex-dump: the file name is empty");
			hexdump = 1;
			hexdump_file = optarg;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		case 'h':
			return print_stdout(usage_spawn);
		default:
			return option_error("spawn", opt, argv);
		}
	}
	if (verbose && quiet)
		return usage_error("spawn", "--quiet and -v cannot be combined");
	if (raw != NULL && optind < argc)
		return usage_error("spawn", "-c and a COMMAND cannot be combined");
	if (raw == NULL && optind >= argc)
		return usage_error("spawn", "a COMMAND (or -c COMMAND-LINE) is required");
	/* A command that names no program is refused here. */
	const char *why = argv_program_problem(raw != NULL ? raw : argv[optind],
	    raw != NULL);
	if (why != NULL && strcmp(why, "out of memory") == 0) {
		say("spawn: out of memory");
		return EXIT_SPAWN_FAILED;
	}
	if (why != NULL)
		return usage_error("spawn", "%s%s", raw != NULL ? "-c: " : "", why);

	/* The program, the line's first word: named in the line saying it
	 * cannot be run. */
	char **words = NULL;
	int nwords = 0;
	if (raw != NULL && argv_split(raw + strspn(raw, " \t"), &words, &nwords) != 0) {
		say("spawn: out of memory");
		return EXIT_SPAWN_FAILED;
	}
	const char *program = raw != NULL ? words[0] : argv[optind];

	/* The dump is opened before anything runs: a FILE that cannot be
	 * opened must not leave a child half-run. */
	struct dump *d = NULL;
	if (hexdump && (d = dump_open(hexdump_file, err, sizeof err)) == NULL) {
		say("%s", err);
		return EXIT_SPAWN_FAILED;
	}

	char *cmdline = raw != NULL ? strdup(raw)
	    : argv_join((const char *const *)argv + optind, argc - optind,
	        err, sizeof err);
	if (cmdline == NULL)
		return usage_error("spawn", "%s", raw != NULL ? "out of memory" : err);

	HANDLE out_r, out_w, err_r = NULL, err_w = NULL, in_r = NULL, in_w = NULL;
	if (!CreatePipe(&out_r, &out_w, NULL, PIPE_SIZE) ||
	    (split && !CreatePipe(&err_r, &err_w, NULL, PIPE_SIZE)) ||
	    (stdin_pipe && !CreatePipe(&in_r, &in_w, NULL, PIPE_SIZE))) {
		say_winerr(GetLastError(), "spawn %s: create a pipe", cmdline);
		return EXIT_SPAWN_FAILED;
	}

	struct child c;
	DWORD e = child_start(&c, cmdline,
	    stdin_pipe ? in_r : GetStdHandle(STD_INPUT_HANDLE),
	    out_w, split ? err_w : out_w, err, sizeof err);
	/* The child has its own copies now; ours would keep EOF away. */
	CloseHandle(out_w);
	if (err_w != NULL)
		CloseHandle(err_w);
	if (in_r != NULL)
		CloseHandle(in_r);
	if (e != 0) {
		if (c.not_run)
			say_winerr(e, "spawn %s", program);
		else
			say("spawn: %s", err);
		return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND
		    ? EXIT_SPAWN_NOTFOUND : EXIT_SPAWN_CANNOT;
	}
	ULONGLONG t0 = GetTickCount64();
	if (verbose)
		say("started pid %lu: %s", c.pid, cmdline);

	/* The child's output goes out through pumps, a thread each that reads
	 * the pipe and writes the block (pump.c: the cheapest way under Wine);
	 * with --stdin-pipe, stdin goes in through one more. */
	static struct pump po, pe, pi;
	po.src = out_r;
	po.src_sync = 1;
	po.dst = GetStdHandle(STD_OUTPUT_HANDLE);
	pe.src = err_r;
	pe.src_sync = 1;
	pe.dst = GetStdHandle(STD_ERROR_HANDLE);
	if (hexdump) {
		po.tap = pe.tap = dump_received;
		po.tap_ctx = pe.tap_ctx = d;
	}
	e = pump_start(&po);
	if (e == 0 && split)
		e = pump_start(&pe);
	if (e == 0 && stdin_pipe) {
		pi.src = GetStdHandle(STD_INPUT_HANDLE);
		pi.src_sync = 1;
		pi.dst = in_w;
		if (hexdump) {
			pi.tap = dump_sent;
			pi.tap_ctx = d;
			pi.tap_after = 1;
		}
		e = pump_start(&pi);
	}
	if (e != 0) {
		say_winerr(e, "spawn %s: start the relay", cmdline);
		child_kill(&c, EXIT_SPAWN_FAILED);
		return EXIT_SPAWN_FAILED;
	}

	int exited = 0, in_closed = 0;
	int killed = 0;                 /* the tree was killed: spawn's status */
	ULONGLONG give_up = 0;          /* ...and its pipes are waited for until then */
	ULONGLONG kill_at = 0;          /* Ctrl-C: when the grace period ends */
	int status;
	for (;;) {
		ULONGLONG now = GetTickCount64();
		int po_over = WaitForSingleObject(po.done, 0) == WAIT_OBJECT_0;
		int pe_over = !split || WaitForSingleObject(pe.done, 0) == WAIT_OBJECT_0;

		/* Every way spawn ends, whether the child still runs or only
		 * its output pipes are still open. */
		if (interrupted() && kill_at == 0)
			kill_at = now + INTERRUPT_GRACE_MS;
		int pi_over = stdin_pipe && !in_closed &&
		    WaitForSingleObject(pi.done, 0) == WAIT_OBJECT_0;
		if (e == 0 && ((po_over && po.err) || (split && pe_over && pe.err))) {
			struct pump *p = po_over && po.err ? &po : &pe;
			e = p->err;
			pump_error_text(err, sizeof err, e, p->err_write,
			    p == &po ? "the child's stdout" : "the child's stderr",
			    p == &po ? "stdout" : "stderr");
		}
		if (e == 0 && pi_over && pi.err) {
			e = pi.err;
			pump_error_text(err, sizeof err, e, pi.err_write,
			    "stdin", "the child's stdin");
		}
		if (e != 0) {
			say("%s", err);
			child_kill(&c, EXIT_SPAWN_FAILED);
			status = EXIT_SPAWN_FAILED;
			break;
		}
		if (!killed && ((po_over && po.dead) || (split && pe_over && pe.dead)))
			killed = kill_tree(&c, EXIT_SPAWN_SIGPIPE, &give_up);
		/* The child has exited and all its tree wrote has been written
		 * out. A child that exited by itself within the Ctrl-C grace
		 * period reports its own status. */
		if (exited && po_over && pe_over) {
			status = killed ? killed : (int)child_status(&c);
			break;
		}
		/* Killed, the tree's pipes close as it dies: one still open is
		 * held from outside the job, and not waited for. */
		if (killed && now >= give_up) {
			status = killed;
			break;
		}
		/* Ctrl-C: whatever still runs a second later is killed, and
		 * spawn exits at once (a tree killed before keeps its status). */
		if (kill_at != 0 && now >= kill_at) {
			if (!killed)
				killed = kill_tree(&c, EXIT_INTR, &give_up);
			status = killed;
			break;
		}
		if (!killed && timeout_ms >= 0 && now >= t0 + (ULONGLONG)timeout_ms)
			killed = kill_tree(&c, EXIT_SPAWN_TIMEOUT, &give_up);
		/* The child's stdin is closed once everything from ours is in,
		 * or the child closed its end. */
		if (pi_over) {
			CloseHandle(in_w);
			in_closed = 1;
		}

		HANDLE hs[5];
		DWORD n = 0;
		hs[n++] = interrupt_event();
		if (!exited)
			hs[n++] = c.process;
		if (!po_over)
			hs[n++] = po.done;
		if (!pe_over)
			hs[n++] = pe.done;
		if (stdin_pipe && !in_closed)
			hs[n++] = pi.done;
		DWORD wait = INFINITE;
		if (!killed && timeout_ms >= 0)
			sooner(&wait, now, t0 + (ULONGLONG)timeout_ms);
		if (killed)
			sooner(&wait, now, give_up);
		if (kill_at != 0)
			sooner(&wait, now, kill_at);
		/* Once interrupted, the event stays set: leave it out. */
		DWORD first = kill_at != 0 ? 1 : 0;
		DWORD w = WaitForMultipleObjects(n - first, hs + first, FALSE, wait);
		if (w == WAIT_TIMEOUT)
			continue;
		if (w == WAIT_FAILED) {
			winerr_fmt(err, sizeof err, GetLastError(), "spawn %s: wait", cmdline);
			e = 1;
			continue;
		}
		if (WaitForSingleObject(c.process, 0) == WAIT_OBJECT_0)
			exited = 1;
	}

	/* The output pumps end once the child's tree is gone, unless a pipe
	 * is held from outside it (give_up passed: they are not waited for
	 * again); the stdin pump may wait on a stdin that never ends, and is
	 * settled only if done. */
	DWORD settle = killed && GetTickCount64() >= give_up ? 0 : 1000;
	pump_settle(&po, settle);
	pump_settle(&pe, settle);
	pump_settle(&pi, 0);
	if (verbose) {
		ULONGLONG ms = GetTickCount64() - t0;
		char how[160];
		ending(&c, po.dead ? "stdout" : "stderr", how, sizeof how);
		say("pid %lu %s: %llu bytes out, %llu err, %llu.%03llu s", c.pid,
		    how, po.bytes, pe.bytes, ms / 1000, ms % 1000);
	}
	if (killed == EXIT_SPAWN_TIMEOUT && !quiet)
		say("spawn %s: timed out after %lld.%03lld s, killed", cmdline,
		    timeout_ms / 1000, timeout_ms % 1000);
	free(cmdline);
	argv_free(words, nwords);
	child_close(&c);
	return status;
}
