/*
 * threads: the session threads a server starts (serve with a COMMAND,
 * bridge -k), kept so that the process never exits under one of them.
 *
 * A process that exits while a thread is on its way out is a race Windows
 * handles and Wine 8 sometimes does not (serve died of SIGSEGV after its
 * last client, and once of SIGKILL on Ctrl-C: pump.h, pump_settle). Only
 * the thread that starts sessions touches a set.
 */
#ifndef PIPECAT_THREADS_H
#define PIPECAT_THREADS_H

#include <stddef.h>
#include <windows.h>

struct threads {
	HANDLE *h;
	size_t n, cap;
};

/*
 * Starts FN(ARG) on a thread with STACK bytes reserved, first forgetting
 * the threads that have returned. Returns 0, or the Win32 error (the
 * thread was not started; ARG is still the caller's).
 */
DWORD threads_start(struct threads *ts, LPTHREAD_START_ROUTINE fn, void *arg,
    SIZE_T stack);

/* Waits up to MS (INFINITE: no limit; 0: not at all) for every thread to
 * return, and forgets those that have. */
void threads_wait(struct threads *ts, DWORD ms);

#endif
