/*
 * child: start a program in a kill-on-close job with exactly the std
 * handles given; see child.h.
 *
 * The process is created suspended and put into the job before it runs a
 * single instruction, so it cannot start a grandchild outside the job. Per
 * the CreateProcess docs, handles in PROC_THREAD_ATTRIBUTE_HANDLE_LIST must
 * be inheritable and bInheritHandles TRUE; the inheritable copies exist only
 * for the duration of CreateProcessW, so no other child pipecat starts at
 * the same time (serve --exec) can inherit them by accident beyond the list.
 */
#include <stdlib.h>

#include "child.h"
#include "winerr.h"

/* An inheritable duplicate of H, or NULL when H is no handle at all. */
static HANDLE
inheritable(HANDLE h)
{
	HANDLE d = NULL;
	if (h == NULL || h == INVALID_HANDLE_VALUE)
		return NULL;
	if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d,
	    0, TRUE, DUPLICATE_SAME_ACCESS))
		return NULL;
	return d;
}

DWORD
child_start(struct child *c, const char *cmdline, HANDLE in, HANDLE out,
    HANDLE err, char *errbuf, size_t errlen)
{
	HANDLE std[3] = { inheritable(in), inheritable(out), inheritable(err) };
	HANDLE list[3];
	DWORD nlist = 0, e = 0;
	LPPROC_THREAD_ATTRIBUTE_LIST attrs = NULL;
	wchar_t *wcmd = NULL;
	SIZE_T size = 0;
	PROCESS_INFORMATION pi = { 0 };

	ZeroMemory(c, sizeof *c);
	for (int i = 0; i < 3; i++) {
		int dup = 0;
		for (DWORD j = 0; j < nlist; j++)
			dup |= list[j] == std[i];
		if (std[i] != NULL && !dup)
			list[nlist++] = std[i];
	}

	c->job = CreateJobObjectW(NULL, NULL);
	if (c->job == NULL) {
		e = GetLastError();
		winerr_fmt(errbuf, errlen, e, "create a job object");
		goto out;
	}
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim = { 0 };
	lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
	if (!SetInformationJobObject(c->job, JobObjectExtendedLimitInformation,
	    &lim, sizeof lim)) {
		e = GetLastError();
		winerr_fmt(errbuf, errlen, e, "set up the job object");
		goto out;
	}

	InitializeProcThreadAttributeList(NULL, 1, 0, &size);
	attrs = malloc(size);
	if (attrs == NULL || !InitializeProcThreadAttributeList(attrs, 1, 0, &size)) {
		e = attrs == NULL ? ERROR_NOT_ENOUGH_MEMORY : GetLastError();
		free(attrs);
		attrs = NULL;
		winerr_fmt(errbuf, errlen, e, "start %s", cmdline);
		goto out;
	}
	if (nlist > 0 && !UpdateProcThreadAttribute(attrs, 0,
	    PROC_THREAD_ATTRIBUTE_HANDLE_LIST, list, nlist * sizeof list[0],
	    NULL, NULL)) {
		e = GetLastError();
		winerr_fmt(errbuf, errlen, e, "start %s", cmdline);
		goto out;
	}

	wcmd = utf8_to_wide(cmdline);
	if (wcmd == NULL) {
		e = GetLastError();
		winerr_fmt(errbuf, errlen, e, "start %s", cmdline);
		goto out;
	}
	STARTUPINFOEXW si;
	ZeroMemory(&si, sizeof si);
	si.StartupInfo.cb = sizeof si;
	si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
	si.StartupInfo.hStdInput = std[0];
	si.StartupInfo.hStdOutput = std[1];
	si.StartupInfo.hStdError = std[2];
	si.lpAttributeList = attrs;
	if (!CreateProcessW(NULL,   /* the program is the command line's first word */
	    wcmd,                   /* must be writable, per the docs */
	    NULL, NULL,             /* default security for process and thread */
	    nlist > 0,              /* inherit: only what the handle list names */
	    CREATE_SUSPENDED | EXTENDED_STARTUPINFO_PRESENT |
	        CREATE_UNICODE_ENVIRONMENT,
	    NULL, NULL,             /* pipecat's environment and directory */
	    &si.StartupInfo, &pi)) {
		e = GetLastError();
		winerr_fmt(errbuf, errlen, e, "start %s", cmdline);
		c->not_run = 1;
		goto out;
	}
	if (!AssignProcessToJobObject(c->job, pi.hProcess)) {
		e = GetLastError();
		winerr_fmt(errbuf, errlen, e, "put %s into a job object", cmdline);
		TerminateProcess(pi.hProcess, 126);
		CloseHandle(pi.hThread);
		CloseHandle(pi.hProcess);
		goto out;
	}
	if (ResumeThread(pi.hThread) == (DWORD)-1) {
		e = GetLastError();
		winerr_fmt(errbuf, errlen, e, "start %s", cmdline);
		TerminateJobObject(c->job, 126);
		CloseHandle(pi.hThread);
		CloseHandle(pi.hProcess);
		goto out;
	}
	CloseHandle(pi.hThread);
	c->process = pi.hProcess;
	c->pid = pi.dwProcessId;
out:
	free(wcmd);
	if (attrs != NULL) {
		DeleteProcThreadAttributeList(attrs);
		free(attrs);
	}
	for (int i = 0; i < 3; i++)
		if (std[i] != NULL)
			CloseHandle(std[i]);
	if (e != 0 && c->job != NULL) {
		CloseHandle(c->job);
		c->job = NULL;
	}
	return e;
}

void
child_kill(struct child *c, UINT code)
{
	if (c->job == NULL)
		return;
	if (!c->killed) {
		JOBOBJECT_BASIC_ACCOUNTING_INFORMATION acct;
		c->killed = 1;
		c->kill_code = code;
		/* WAIT_FAILED counts as running: it was not seen to exit. */
		c->killed_child = c->process != NULL &&
		    WaitForSingleObject(c->process, 0) != WAIT_OBJECT_0;
		/* ActiveProcesses counts the child too while it runs. */
		c->killed_others = !QueryInformationJobObject(c->job,
		        JobObjectBasicAccountingInformation, &acct, sizeof acct, NULL) ||
		    acct.ActiveProcesses > (DWORD)c->killed_child;
	}
	/* On failure, see child.h: the tree goes at child_close. */
	(void)TerminateJobObject(c->job, code);
}

DWORD
child_status(struct child *c)
{
	DWORD code = 0;
	if (!GetExitCodeProcess(c->process, &code))
		code = 1;
	return code;
}

void
child_close(struct child *c)
{
	if (c->process != NULL)
		CloseHandle(c->process);
	if (c->job != NULL)
		CloseHandle(c->job);
	ZeroMemory(c, sizeof *c);
}
