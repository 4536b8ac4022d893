/*
 * child: start a program with chosen std handles, inside a job object that
 * takes its whole process tree down when pipecat ends.
 *
 * Shared by spawn and serve with a COMMAND (exec.c). Only the three handles given are
 * inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), never whatever else
 * pipecat has open, so a pipe's EOF is not held up by a child that was not
 * meant to hold it. The job has JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: when
 * pipecat exits, is killed, or calls child_kill, the child and every
 * process it started go too.
 */
#ifndef PIPECAT_CHILD_H
#define PIPECAT_CHILD_H

#include <stddef.h>
#include <windows.h>

struct child {
	HANDLE process;
	HANDLE job;
	DWORD pid;
	int not_run;            /* child_start: CreateProcessW itself refused */

	/* What the first child_kill found, for the caller's report. */
	int killed;             /* child_kill was called */
	UINT kill_code;         /* ...with this code */
	int killed_child;       /* ...while the child itself still ran */
	int killed_others;      /* ...while other processes of the job ran
	                         * (1 too when that cannot be told) */
};

/*
 * Starts the command line CMDLINE (UTF-8, passed to CreateProcessW as is;
 * the program is looked up as CreateProcessW does: the application's
 * directory, the current directory, the system directories, PATH, with
 * ".exe" appended) with IN, OUT and ERR as its stdin, stdout and stderr
 * (any handles; inheritable copies are made here and closed again).
 * Returns 0, or the Win32 error (message in ERRBUF); c->not_run then says
 * whether it was CreateProcessW's (the program not found, not a program,
 * access denied), for a caller that words its own line.
 */
DWORD child_start(struct child *c, const char *cmdline, HANDLE in, HANDLE out,
    HANDLE err, char *errbuf, size_t errlen);

/*
 * Kills the child's whole tree with exit code CODE; the first call records
 * in C what was still running. Should TerminateJobObject fail, the job's
 * kill-on-close still takes the tree down at child_close or when pipecat
 * exits.
 */
void child_kill(struct child *c, UINT code);

/* The child's exit code, once c->process is signalled. */
DWORD child_status(struct child *c);

/* Closes the child's handles (killing the tree if it still runs). */
void child_close(struct child *c);

#endif
