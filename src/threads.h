/*
 * threads: the process's pool of worker threads, and the session threads a
 * server starts on it (serve with a COMMAND, bridge -k), kept so that the
 * process never exits under one of them.
 *
 * Under Wine a thread costs about 1.3 ms to start and join (CreateThread,
 * its DLLs' thread attach, its exit), and a bridge session used three; a
 * worker of the pool that has finished its function waits for the next
 * instead, handed over through a condition variable, which Wine does in
 * the process, without wineserver (bench/bridge.sh, part 4).
 *
 * A process that exits while a thread is on its way out is a race Windows
 * handles and Wine 8 sometimes does not (serve died of SIGSEGV after its
 * last client, and once of SIGKILL on Ctrl-C: pump.h, pump_settle); an
 * idle worker is a waiting thread, not one on its way out, so up to
 * POOL_IDLE_MAX of them are kept for the process's life (under Wine each
 * holds about 1.3 MiB of RSS: bench/FIGURES.md), and one more returns.
 * Only the thread that starts sessions touches a set.
 */
#ifndef PIPECAT_THREADS_H
#define PIPECAT_THREADS_H

#include <stddef.h>
#include <windows.h>

/* Every worker's stack reservation: the largest any function run on one
 * needs (serve's child sessions). */
#define POOL_STACK (256 * 1024)
#define POOL_IDLE_MAX 8

/*
 * Runs FN(ARG) on an idle worker, or on a new one. FN may block for as
 * long as it likes: a worker runs one function at a time and nothing
 * waits for workers. DONE, if not NULL, is set once FN has returned.
 * Returns 0, or the Win32 error (FN will not run; ARG is still the
 * caller's).
 */
DWORD pool_run(LPTHREAD_START_ROUTINE fn, void *arg, HANDLE done);

/*
 * Waits up to MS for every worker to be idle, and for those that have left
 * (beyond POOL_IDLE_MAX) to have returned: whoever is about to return from
 * main after running sessions on the pool calls it first.
 */
void pool_settle(DWORD ms);

struct threads {
	HANDLE *h;              /* each session's "returned" event */
	size_t n, cap;
};

/*
 * Starts FN(ARG) on the pool, first forgetting the sessions that have
 * returned. Returns 0, or the Win32 error (the session was not started;
 * ARG is still the caller's).
 */
DWORD threads_start(struct threads *ts, LPTHREAD_START_ROUTINE fn, void *arg);

/* Waits up to MS (INFINITE: no limit; 0: not at all) for every session to
 * return, and forgets those that have. */
void threads_wait(struct threads *ts, DWORD ms);

#endif
