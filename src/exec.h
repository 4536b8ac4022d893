/*
 * exec: one client of `serve --exec`, served by a child process of its own
 * on a thread of its own.
 *
 * The client's pipe instance is bound to the child through two anonymous
 * pipes: what the client sends becomes the child's stdin, the child's stdout
 * (and stderr with --stderr) goes to the client. The child runs in a
 * kill-on-close job (child.c), so a session that ends takes the child's
 * whole tree with it.
 */
#ifndef PIPECAT_EXEC_H
#define PIPECAT_EXEC_H

#include <windows.h>

struct exec_cfg {
	const char *name;       /* the pipe's name, for messages */
	const char *cmdline;    /* what each client gets */
	int with_stderr;        /* the child's stderr goes to the client too */
	int message;            /* message pipe: each message is one write to the child */
	int eof_message;        /* with message: a zero-length message is the
	                         * client's EOF, and the child's is sent as one */
	int verbose, quiet;
	long long idle_ms;      /* -i, or -1 */
	volatile LONG *active;  /* sessions running; decremented at the end */
	HANDLE slot_free;       /* auto-reset event set when a session ends */
};

/*
 * Starts a thread that serves the connected instance PIPE (which it then
 * owns and closes) as client number ID. Returns 0, or the Win32 error (PIPE
 * is then still the caller's).
 */
DWORD exec_start(const struct exec_cfg *cfg, HANDLE pipe, unsigned long id);

/*
 * Waits until every session thread has returned, not only counted itself
 * out in *active, or TIMEOUT ms have passed (INFINITE: no limit): a process
 * that exits while a thread is still on its way out is a race Windows
 * handles and Wine 8 sometimes does not (the server died of SIGSEGV after
 * its last client, and once of SIGKILL on Ctrl-C). Called from the thread
 * that calls exec_start.
 */
void exec_wait_all(DWORD timeout);

#endif
