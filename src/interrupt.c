/*
 * interrupt: Ctrl-C as an event.
 *
 * The console control handler runs on a thread of its own that Windows
 * creates; it only sets an event and then blocks until the process ends
 * (see on_control for why it does not return), and the waits in relay,
 * connect and serve include that event, so each loop unwinds in its normal
 * way (closing what it opened) and the command exits 130. Wine turns SIGINT
 * into CTRL_C_EVENT, so this is testable there too.
 */
#include "interrupt.h"
#include "exitcode.h"

/* Written once by interrupt_init (main thread) before any other thread. */
static HANDLE stop_event;
static HANDLE main_thread;      /* a real handle to the main thread */
/* Set by the control handler's thread, read by any thread. */
static volatile LONG stop_flag;
/* Set by the main thread around a write that may block (interrupt_blocking),
 * under guard: the handler cancels the main thread's I/O only while it is
 * still that write, never a later one. */
static volatile LONG blocking;
static CRITICAL_SECTION guard;

/* Cancels the main thread's write if it is still in it; returns whether it was. */
static int
cancel_blocked_write(void)
{
	EnterCriticalSection(&guard);
	int b = blocking != 0;
	if (b)
		CancelSynchronousIo(main_thread);
	LeaveCriticalSection(&guard);
	return b;
}

static BOOL WINAPI
on_control(DWORD type)
{
	switch (type) {
	case CTRL_C_EVENT:
	case CTRL_BREAK_EVENT:
	case CTRL_CLOSE_EVENT:
		InterlockedExchange(&stop_flag, 1);
		SetEvent(stop_event);
		/* A main thread writing to a reader that does not read (a pager
		 * left on its first page) would never see the event: its write
		 * is cancelled, again until it returns, for up to a second;
		 * Wine cannot cancel such a write, and then the process ends
		 * here, as it would have a moment later. */
		for (int i = 0; i < 20 && cancel_blocked_write(); i++)
			Sleep(50);
		if (cancel_blocked_write())
			ExitProcess(EXIT_INTR);
		/* The main thread now unwinds and exits with 130, ending this
		 * thread. Returning instead would race that exit: under Wine 10
		 * the process then sometimes ends with this thread's status, 0
		 * (about 1 Ctrl-C in 40; Wine 8 never did). Go's runtime
		 * blocks in its handler the same way. */
		Sleep(INFINITE);
		return TRUE;
	default:
		return FALSE;
	}
}

DWORD
interrupt_init(void)
{
	InitializeCriticalSection(&guard);
	stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (stop_event == NULL)
		return GetLastError();
	if (!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(),
	    GetCurrentProcess(), &main_thread, 0, FALSE, DUPLICATE_SAME_ACCESS))
		return GetLastError();
	if (!SetConsoleCtrlHandler(on_control, TRUE))
		return GetLastError();
	return 0;
}

HANDLE
interrupt_event(void)
{
	return stop_event;
}

void
interrupt_blocking(int on)
{
	EnterCriticalSection(&guard);
	blocking = on;
	LeaveCriticalSection(&guard);
}

int
interrupted(void)
{
	return InterlockedCompareExchange(&stop_flag, 0, 0) != 0;
}
