/*
 * threads: the worker pool and the session threads; see threads.h.
 */
#include <stdlib.h>

#include "threads.h"

struct job {
	LPTHREAD_START_ROUTINE fn;
	void *arg;
	HANDLE done;
};

/* A worker: its first job, and its handle, for pool_settle to wait on
 * once the worker is leaving. */
struct worker {
	struct job first;
	HANDLE h;
	struct worker *next;    /* in pool_leaving */
};

/*
 * Under pool_lock. Jobs handed over and not yet taken never outnumber the
 * idle workers, so a ring of POOL_IDLE_MAX holds them. A worker is busy
 * from its start, or from taking a job, until it is idle again or leaving.
 */
static SRWLOCK pool_lock = SRWLOCK_INIT;
static CONDITION_VARIABLE pool_wake = CONDITION_VARIABLE_INIT;
static CONDITION_VARIABLE pool_quiet = CONDITION_VARIABLE_INIT;
static struct job pool_q[POOL_IDLE_MAX];
static size_t pool_head, pool_n;        /* the jobs waiting in pool_q */
static size_t pool_idle;                /* workers between jobs */
static size_t pool_busy;
static struct worker *pool_leaving;     /* workers that returned, or will */

static DWORD WINAPI
pool_worker(LPVOID arg)
{
	struct worker *w = arg;
	struct job j = w->first;

	for (;;) {
		j.fn(j.arg);
		if (j.done != NULL)
			SetEvent(j.done);
		AcquireSRWLockExclusive(&pool_lock);
		pool_busy--;
		WakeAllConditionVariable(&pool_quiet);
		if (pool_idle == POOL_IDLE_MAX) {
			w->next = pool_leaving;
			pool_leaving = w;
			ReleaseSRWLockExclusive(&pool_lock);
			return 0;
		}
		pool_idle++;
		while (pool_n == 0)
			SleepConditionVariableSRW(&pool_wake, &pool_lock, INFINITE, 0);
		j = pool_q[pool_head];
		pool_head = (pool_head + 1) % POOL_IDLE_MAX;
		pool_n--;
		pool_idle--;
		pool_busy++;
		ReleaseSRWLockExclusive(&pool_lock);
	}
}

/* Forgets the leaving workers whose threads have returned (MS 0), or waits
 * up to MS for each to. */
static void
pool_reap(DWORD ms)
{
	AcquireSRWLockExclusive(&pool_lock);
	struct worker *w = pool_leaving;
	pool_leaving = NULL;
	ReleaseSRWLockExclusive(&pool_lock);
	ULONGLONG until = GetTickCount64() + ms;
	while (w != NULL) {
		struct worker *next = w->next;
		ULONGLONG now = GetTickCount64();
		if (WaitForSingleObject(w->h, until > now ? (DWORD)(until - now) : 0)
		    == WAIT_OBJECT_0) {
			CloseHandle(w->h);
			free(w);
		} else {
			AcquireSRWLockExclusive(&pool_lock);
			w->next = pool_leaving;
			pool_leaving = w;
			ReleaseSRWLockExclusive(&pool_lock);
		}
		w = next;
	}
}

DWORD
pool_run(LPTHREAD_START_ROUTINE fn, void *arg, HANDLE done)
{
	struct job j = { fn, arg, done };

	AcquireSRWLockExclusive(&pool_lock);
	if (pool_idle > pool_n) {
		pool_q[(pool_head + pool_n) % POOL_IDLE_MAX] = j;
		pool_n++;
		ReleaseSRWLockExclusive(&pool_lock);
		WakeConditionVariable(&pool_wake);
		return 0;
	}
	ReleaseSRWLockExclusive(&pool_lock);
	pool_reap(0);
	struct worker *w = calloc(1, sizeof *w);
	if (w == NULL)
		return ERROR_NOT_ENOUGH_MEMORY;
	w->first = j;
	/* Suspended until its handle is in w: it may finish its job and
	 * leave before CreateThread returns. */
	w->h = CreateThread(NULL, POOL_STACK, pool_worker, w,
	    CREATE_SUSPENDED | STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (w->h == NULL) {
		DWORD e = GetLastError();
		free(w);
		return e;
	}
	AcquireSRWLockExclusive(&pool_lock);
	pool_busy++;
	ReleaseSRWLockExclusive(&pool_lock);
	if (ResumeThread(w->h) == (DWORD)-1) {
		/* Never ran: nothing of it is anywhere else. */
		DWORD e = GetLastError();
		TerminateThread(w->h, 0);
		CloseHandle(w->h);
		free(w);
		AcquireSRWLockExclusive(&pool_lock);
		pool_busy--;
		ReleaseSRWLockExclusive(&pool_lock);
		return e;
	}
	return 0;
}

void
pool_settle(DWORD ms)
{
	ULONGLONG until = GetTickCount64() + ms;
	AcquireSRWLockExclusive(&pool_lock);
	for (;;) {
		ULONGLONG now = GetTickCount64();
		if (pool_busy == 0 || now >= until)
			break;
		SleepConditionVariableSRW(&pool_quiet, &pool_lock, (DWORD)(until - now), 0);
	}
	ReleaseSRWLockExclusive(&pool_lock);
	ULONGLONG now = GetTickCount64();
	pool_reap(until > now ? (DWORD)(until - now) : 0);
}

void
threads_wait(struct threads *ts, DWORD ms)
{
	ULONGLONG until = GetTickCount64() + (ms == INFINITE ? 0 : ms);
	size_t k = 0;
	for (size_t i = 0; i < ts->n; i++) {
		ULONGLONG now = GetTickCount64();
		DWORD wait = ms == INFINITE ? INFINITE
		    : until > now ? (DWORD)(until - now) : 0;
		if (WaitForSingleObject(ts->h[i], wait) == WAIT_OBJECT_0)
			CloseHandle(ts->h[i]);
		else
			ts->h[k++] = ts->h[i];
	}
	ts->n = k;
}

DWORD
threads_start(struct threads *ts, LPTHREAD_START_ROUTINE fn, void *arg)
{
	threads_wait(ts, 0);
	if (ts->n == ts->cap) {
		size_t n = ts->cap ? ts->cap * 2 : 64;
		HANDLE *t = realloc(ts->h, n * sizeof *t);
		if (t == NULL)
			return ERROR_NOT_ENOUGH_MEMORY;
		ts->h = t;
		ts->cap = n;
	}
	HANDLE done = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (done == NULL)
		return GetLastError();
	DWORD e = pool_run(fn, arg, done);
	if (e != 0) {
		CloseHandle(done);
		return e;
	}
	ts->h[ts->n++] = done;
	return 0;
}
