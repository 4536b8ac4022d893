/*
 * interrupt: Ctrl-C (and Ctrl-Break, console close) as an event that any wait
 * can include, so every loop ends promptly and the command exits 130.
 */
#ifndef PIPECAT_INTERRUPT_H
#define PIPECAT_INTERRUPT_H

#include <windows.h>

/* Installs the console control handler; call once from main. Returns 0, or
 * the Win32 error code if the event or the handler could not be set up. */
DWORD interrupt_init(void);

/* A manual-reset event, set once the user has asked pipecat to stop. */
HANDLE interrupt_event(void);

/* Nonzero once interrupted. */
int interrupted(void);

/*
 * Brackets a synchronous write on the main thread that may block for as
 * long as its reader pleases (stdout): on Ctrl-C meanwhile, the write is
 * cancelled (CancelSynchronousIo), and if it still has not returned a
 * moment later (Wine cannot cancel it), the process exits EXIT_INTR.
 */
void interrupt_blocking(int on);

#endif
