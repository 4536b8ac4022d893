/*
 * bench_server: the server end of bench, for `pipecat bench --serve NAME`
 * and for the private server that `pipecat bench` without NAME runs on a
 * thread of its own, through the very same code. A session serves one
 * client's runs on the control pipe (bench_wire.h), each on a fresh data
 * pipe, and tells the client what it verified.
 *
 * Library code: it never prints. What -v says of clients and runs, and a
 * session's failure, reach the command through cfg->note, as one line
 * without "pipecat: " or a newline; other failures are returned with the
 * message in the caller's buffer.
 */
#ifndef PIPECAT_BENCH_SERVER_H
#define PIPECAT_BENCH_SERVER_H

#include <stddef.h>
#include <windows.h>

/*
 * Makes the security of every pipe bench creates, as serve's default:
 * SYSTEM and the current user only (pipeserver.c's server_init; NAME for
 * its messages). Call once on the main thread before any pipe is created.
 * Returns 0, or -1 with a message in ERR.
 */
int bench_sa_init(const char *name, char *err, size_t errlen);

/* What --serve was asked. */
struct bench_serve_cfg {
	const char *name;       /* the control pipe, "\\.\pipe\NAME" */
	int remote;             /* --allow-remote */
	int verbose, quiet;
	long long max_clients;  /* 0: until Ctrl-C */
	void (*note)(const char *line);  /* on the thread of bench_serve */
};

/*
 * Creates the control pipe NAME for clients from other machines too if
 * REMOTE, as the name's first instance. Returns it, or NULL with *E the
 * Win32 error (ERROR_ACCESS_DENIED or ERROR_PIPE_BUSY: the name is in use).
 */
HANDLE bench_listen(const char *name, int remote, DWORD *e);

/*
 * Serves clients on the control pipe CTL (from bench_listen), one after
 * another, until cfg->max_clients have come and gone (returns 0), Ctrl-C
 * (ERROR_OPERATION_ABORTED) or a failure to wait for a client (the Win32
 * error, with the message in ERR). A session's failure ends that client
 * only: it is noted, unless cfg->quiet, and the next client served.
 */
DWORD bench_serve(HANDLE ctl, const struct bench_serve_cfg *cfg, char *err,
    size_t errlen);

/*
 * The private server: bench_local_start creates the control pipe NAME and
 * starts a thread that serves one session on it, quietly; bench_local_end
 * waits for that session to end, which it does once the client has closed
 * its end of the control pipe. Both return 0, ERROR_OPERATION_ABORTED on
 * Ctrl-C (end), or the Win32 error with the message in ERR; a session that
 * Ctrl-C ended is not a failure of its own. Called from the main thread,
 * once each; the server's state is static, so that the thread may outlive
 * the caller's frame on Ctrl-C.
 */
DWORD bench_local_start(const char *name, char *err, size_t errlen);
DWORD bench_local_end(char *err, size_t errlen);

#endif
