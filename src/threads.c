/*
 * threads: a server's session threads; see threads.h.
 */
#include <stdlib.h>

#include "threads.h"

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
threads_start(struct threads *ts, LPTHREAD_START_ROUTINE fn, void *arg,
    SIZE_T stack)
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
	HANDLE t = CreateThread(NULL, stack, fn, arg,
	    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
	if (t == NULL)
		return GetLastError();
	ts->h[ts->n++] = t;
	return 0;
}
