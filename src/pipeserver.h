/*
 * pipeserver: the server side of a named pipe — its instances, safely
 * created, armed and watched — shared by every way serve runs (one client,
 * -k, a child per client, broker).
 */
#ifndef PIPECAT_PIPESERVER_H
#define PIPECAT_PIPESERVER_H

#include <stddef.h>
#include <windows.h>

#include "cli.h"

/* One instance of the pipe and its pending ConnectNamedPipe. */
struct instance {
	HANDLE h;
	OVERLAPPED ov;
	int connected;
};

struct server {
	const char *name;       /* "\\.\pipe\NAME", for messages */
	wchar_t *wname;
	SECURITY_ATTRIBUTES sa;
	DWORD access;           /* duplex, or one way for --send/--recv-only */
	DWORD mode;             /* type, read mode, remote clients */
	DWORD max_instances;
	DWORD buffer;
	const char *what;       /* message prefix, from server_opts */
	char sddl[512];         /* the security descriptor as SDDL, for -vv */
};

/* What a server is asked for on the command line. */
struct server_opts {
	const char *what;       /* message prefix, e.g. "serve \\.\pipe\foo" */
	int message;            /* -m: a message-type pipe */
	struct cli_access who;  /* --allow-remote, --allow-everyone, --allow,
	                         * --sddl (NULL: the default DACL) */
	DWORD access;           /* PIPE_ACCESS_DUPLEX, or one way */
	DWORD max_instances;
	DWORD buffer;
};

/*
 * Fills S for the pipe NAME (Win32 form) from O: modes, and the security
 * attributes (a protected DACL for the current user and SYSTEM, plus
 * read/write for everyone with --allow-everyone and for each account of
 * --allow, looked up with LookupAccountNameW unless it is a SID string; or
 * O->sddl). Returns 0, or -1 with a message in ERR and *STATUS the exit
 * code: EXIT_USAGE for a --sddl that is not a security descriptor or an
 * account that does not exist (ERR then starts "--sddl:" or "--allow:").
 */
int server_init(struct server *s, const char *name, const struct server_opts *o,
    int *status, char *err, size_t errlen);

/*
 * Creates the first instance in FIRST (not armed), so that a name already
 * taken is an error, never a shared pipe: FILE_FLAG_FIRST_PIPE_INSTANCE,
 * and, because Wine ignores that flag when the other server allows more
 * instances, a check that ours is the only instance. Returns 0, or -1 with
 * ERR and *STATUS (EXIT_DENIED for a name in use).
 */
int server_first(struct server *s, struct instance *first, int *status,
    char *err, size_t errlen);

/* Creates an instance; FIRST asks Windows to fail if the name exists
 * (FILE_FLAG_FIRST_PIPE_INSTANCE). Returns 0, or the Win32 error. */
DWORD instance_create(struct server *s, struct instance *in, int first);

/* Cancels what is pending on IN and closes it. */
void instance_close(struct instance *in);

/* Starts waiting for a client on IN (ConnectNamedPipe, overlapped); a
 * client already there sets the event at once. Returns 0 or the error. */
DWORD instance_arm(struct instance *in);

/* Waits for IN's client. Returns 0, ERROR_OPERATION_ABORTED on Ctrl-C, or
 * the Win32 error. */
DWORD instance_wait(struct instance *in);

/*
 * "pid N, user DOMAIN\name" for a -v line, as far as it can be had. Returns
 * 0, or the Win32 error of RevertToSelf, after which, per its docs, the
 * process must not go on (it would run as the client).
 */
DWORD describe_client(HANDLE h, char *buf, size_t len);

/* "handles N, working set K KiB, private P KiB" for a -vv line. */
void resources_text(char *buf, size_t len);

/*
 * The acceptor keeps every instance that is not being served listening, up
 * to TOTAL instances in all, for the modes that serve clients at once.
 * acceptor_start takes over FIRST (created, not armed); acceptor_fill tops
 * the listening instances up to TOTAL - ACTIVE; acceptor_event is set when
 * a client may have connected; acceptor_take returns a connected instance
 * (the caller owns it) or NULL when none is waiting; acceptor_listening
 * counts the instances listening now.
 */
DWORD acceptor_start(struct server *s, struct instance *first, int total);
DWORD acceptor_fill(struct server *s, long active);
HANDLE acceptor_event(void);
int acceptor_listening(void);

/*
 * acceptor_fill for a server that must not stop over an instance it cannot
 * create: another process of the same user may hold the pipe's last free
 * instance for a while (the DACL lets the user create instances), and the
 * instances that listen still serve. *RETRY_MS is how long to wait before
 * the next try (INFINITE once every instance listens). Returns 1 with a
 * message in ERR at the first failure of a run of them, else 0.
 */
#define ACCEPTOR_RETRY_MS 1000
int acceptor_refill(struct server *s, long active, DWORD *retry_ms, char *err,
    size_t errlen);
HANDLE acceptor_take(void);

#endif
