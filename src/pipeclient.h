/*
 * pipeclient: opening a named pipe as a client, as connect (and bench, and
 * bridge's pipe: side) does it.
 *
 * CreateFileW with FILE_FLAG_OVERLAPPED (a relay reads and writes at once)
 * and, when asked, SECURITY_SQOS_PRESENT with an impersonation level, so a
 * server learns who we are but cannot act as us unless asked. With a wait,
 * a missing pipe is polled for (Windows has no notification for a pipe
 * being created) and a busy one is waited on with WaitNamedPipeW, in
 * slices short enough that Ctrl-C is seen promptly. "Not found", "busy"
 * and "timed out" are distinct messages and exit codes. A read-write open
 * of a one-way pipe falls back to the way the pipe goes.
 */
#ifndef PIPECAT_PIPECLIENT_H
#define PIPECAT_PIPECLIENT_H

#include <stddef.h>
#include <windows.h>

struct pipeclient {
	const char *name;       /* Win32 form: \\.\pipe\foo, \\host\pipe\foo */
	const char *what;       /* message prefix, e.g. "connect \\.\pipe\foo" */
	DWORD access;           /* in: GENERIC_READ|GENERIC_WRITE or one way; out: as opened */
	DWORD sqos;             /* SECURITY_SQOS_PRESENT | level, or 0 */
	long long wait_ms;      /* 0: do not wait; -1: forever */
	const char *wait_text;  /* the wait as the user gave it, for the timeout message */
	int message;            /* set message read mode; refuse a byte-type pipe */
};

/*
 * Opens PC->name. Returns an overlapped handle, or NULL with a message in
 * ERR and *STATUS the exit code (EXIT_INTR and an empty ERR on Ctrl-C).
 */
HANDLE pipeclient_open(struct pipeclient *pc, int *status, char *err,
    size_t errlen);

#endif
