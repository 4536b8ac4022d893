/*
 * interrupt: Ctrl-C as an event.
 *
 * The console control handler runs on a thread of its own that Windows
 * creates; it only sets an event and returns TRUE, and the waits in relay,
 * connect and serve include that event, so each loop unwinds in its normal
 * way (closing what it opened) and the command exits 130. Wine turns SIGINT
 * into CTRL_C_EVENT, so this is testable there too.
 */
#include "interrupt.h"

/* Written once by interrupt_init (main thread) before any other thread. */
static HANDLE stop_event;
/* Set by the control handler's thread, read by any thread. */
static volatile LONG stop_flag;

static BOOL WINAPI
on_control(DWORD type)
{
	switch (type) {
	case CTRL_C_EVENT:
	case CTRL_BREAK_EVENT:
	case CTRL_CLOSE_EVENT:
		InterlockedExchange(&stop_flag, 1);
		SetEvent(stop_event);
		return TRUE;
	default:
		return FALSE;
	}
}

DWORD
interrupt_init(void)
{
	stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (stop_event == NULL)
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

int
interrupted(void)
{
	return InterlockedCompareExchange(&stop_flag, 0, 0) != 0;
}
