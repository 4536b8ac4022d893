/*
 * exitcode: pipecat's exit statuses, one list for every command but spawn
 * (whose statuses are the child's, and its own in cmd_spawn.c). The man
 * page's EXIT STATUS section documents each; modules that end a command
 * (the broker, the Ctrl-C handler) return or exit with these too.
 */
#ifndef PIPECAT_EXITCODE_H
#define PIPECAT_EXITCODE_H

enum {
	EXIT_OK = 0,        /* done */
	EXIT_FAIL = 1,      /* runtime failure: I/O error, peer error */
	EXIT_USAGE = 2,     /* usage error */
	EXIT_NOTFOUND = 3,  /* pipe not found */
	EXIT_BUSY = 4,      /* pipe busy, or a wait timed out */
	EXIT_DENIED = 5,    /* access denied, or name already in use */
	EXIT_IDLE = 6,      /* idle timeout (-i) */
	EXIT_PARTIAL = 7,   /* the peer went away before taking all that was read from stdin */
	EXIT_INTR = 130     /* interrupted (Ctrl-C) */
};

#endif
