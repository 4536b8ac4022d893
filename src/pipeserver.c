/*
 * pipeserver: a named pipe's server side; see pipeserver.h.
 *
 * After PuTTY's named-pipe-server.c and the CreateNamedPipe docs: every
 * instance is overlapped, created with our security attributes and the
 * same instance limit, and armed with ConnectNamedPipe, whose three
 * outcomes (pending; ERROR_PIPE_CONNECTED, a client came before the call;
 * ERROR_NO_DATA, a client came and already left) are all handled; one that
 * left is served like the others, as its bytes are still in the pipe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <psapi.h>

#include "advapi.h"
#include "exitcode.h"
#include "interrupt.h"
#include "pipeserver.h"
#include "dacl.h"
#include "winerr.h"

/*
 * The SID of the account NAME (a user or group as LookupAccountNameW takes
 * it, or a SID string, checked by converting it) as a SID string in a new
 * heap block. Returns NULL with *E the Win32 error.
 */
static char *
account_sid(const struct advapi *a, const char *name, DWORD *e)
{
	wchar_t *wname = utf8_to_wide(name);
	wchar_t *wsid = NULL;
	PSID psid = NULL;
	BYTE sid[SECURITY_MAX_SID_SIZE];
	wchar_t dom[256];
	DWORD sidlen = sizeof sid, domlen = 256;
	SID_NAME_USE use;
	BOOL ok;

	if (wname == NULL) {
		*e = GetLastError();
		return NULL;
	}
	if (strncmp(name, "S-1-", 4) == 0) {
		ok = a->ConvertStringSidToSidW(wname, &psid) &&
		    a->ConvertSidToStringSidW(psid, &wsid);
	} else {
		ok = a->LookupAccountNameW(NULL, wname, sid, &sidlen, dom, &domlen,
		        &use) &&
		    a->ConvertSidToStringSidW((PSID)sid, &wsid);
	}
	*e = ok ? 0 : GetLastError();
	free(wname);
	if (psid != NULL)
		LocalFree(psid);
	if (!ok)
		return NULL;
	char *s = wide_to_utf8(wsid);
	LocalFree(wsid);
	if (s == NULL)
		*e = ERROR_NOT_ENOUGH_MEMORY;
	return s;
}

/* Builds the SDDL the pipe gets (unless --sddl): user and SYSTEM only, and
 * the SIDs in ALLOW[0..NALLOW). */
static DWORD
default_sddl(const struct advapi *a, int everyone, const char *const *allow,
    size_t nallow, char *out, size_t len)
{
	HANDLE tok;
	BYTE tu[256];
	DWORD n;
	wchar_t *wsid = NULL;

	if (!a->OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return GetLastError();
	BOOL ok = a->GetTokenInformation(tok, TokenUser, tu, sizeof tu, &n) &&
	    a->ConvertSidToStringSidW(((TOKEN_USER *)tu)->User.Sid, &wsid);
	DWORD e = ok ? 0 : GetLastError();
	CloseHandle(tok);
	if (!ok)
		return e;
	char *sid = wide_to_utf8(wsid);
	LocalFree(wsid);
	if (sid == NULL)
		return ERROR_NOT_ENOUGH_MEMORY;
	int r = sddl_build_allow(sid, everyone, allow, nallow, out, len);
	free(sid);
	return r == 0 ? 0 : ERROR_INVALID_SID;
}

int
server_init(struct server *s, const char *name, const struct server_opts *o,
    int *status, char *err, size_t errlen)
{
	ZeroMemory(s, sizeof *s);
	s->name = name;
	s->what = o->what;
	s->mode = (o->message ? PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE
	                      : PIPE_TYPE_BYTE | PIPE_READMODE_BYTE) |
	    PIPE_WAIT |
	    (o->who.remote ? PIPE_ACCEPT_REMOTE_CLIENTS : PIPE_REJECT_REMOTE_CLIENTS);
	s->access = o->access;
	s->max_instances = o->max_instances;
	s->buffer = o->buffer;
	*status = EXIT_FAIL;
	if ((s->wname = utf8_to_wide(name)) == NULL) {
		winerr_fmt(err, errlen, GetLastError(), "%s", o->what);
		return -1;
	}

	DWORD e = 0;
	const struct advapi *a = advapi(&e);
	if (a == NULL) {
		winerr_fmt(err, errlen, e, "%s: load advapi32.dll", o->what);
		return -1;
	}
	char **sids = calloc(o->who.nallow + 1, sizeof *sids);
	if (sids == NULL) {
		winerr_fmt(err, errlen, ERROR_NOT_ENOUGH_MEMORY, "%s", o->what);
		return -1;
	}
	for (size_t i = 0; i < o->who.nallow; i++) {
		if ((sids[i] = account_sid(a, o->who.allow[i], &e)) == NULL) {
			char msg[512];
			winerr_text(e, msg, sizeof msg);
			snprintf(err, errlen, "--allow: no account \"%s\": %s",
			    o->who.allow[i], msg);
			*status = EXIT_USAGE;
			while (i > 0)
				free(sids[--i]);
			free(sids);
			return -1;
		}
	}
	if (o->who.sddl != NULL)
		snprintf(s->sddl, sizeof s->sddl, "%s", o->who.sddl);
	else
		e = default_sddl(a, o->who.everyone, (const char *const *)sids, o->who.nallow,
		    s->sddl, sizeof s->sddl);
	for (size_t i = 0; i < o->who.nallow; i++)
		free(sids[i]);
	free(sids);
	if (o->who.sddl == NULL && e != 0) {
		winerr_fmt(err, errlen, e, "%s: build the security descriptor", o->what);
		return -1;
	}
	wchar_t *wsd = utf8_to_wide(o->who.sddl != NULL ? o->who.sddl : s->sddl);
	PSECURITY_DESCRIPTOR psd = NULL;
	if (wsd == NULL || !a->ConvertStringSecurityDescriptorToSecurityDescriptorW(
	    wsd, SDDL_REVISION_1, &psd, NULL)) {
		e = GetLastError();
		free(wsd);
		if (o->who.sddl != NULL) {
			char msg[512];
			winerr_text(e, msg, sizeof msg);
			snprintf(err, errlen, "--sddl: \"%s\" is not a valid security "
			    "descriptor: %s", o->who.sddl, msg);
			*status = EXIT_USAGE;
		} else {
			winerr_fmt(err, errlen, e, "%s: security descriptor %s",
			    o->what, s->sddl);
		}
		return -1;
	}
	free(wsd);
	s->sa.nLength = sizeof s->sa;
	s->sa.lpSecurityDescriptor = psd;       /* kept for the server's life */
	s->sa.bInheritHandle = FALSE;
	return 0;
}

int
server_first(struct server *s, struct instance *first, int *status, char *err,
    size_t errlen)
{
	DWORD e = instance_create(s, first, 1);
	DWORD others = 0;
	/* FILE_FLAG_FIRST_PIPE_INSTANCE makes Windows refuse a name that is
	 * taken. Wine ignores the flag when the other server allows more
	 * instances, and joins its pipe; one instance more than ours says so. */
	if (e == 0 && GetNamedPipeHandleStateW(first->h, NULL, &others, NULL, NULL,
	    NULL, 0) && others > 1) {
		instance_close(first);
		e = ERROR_ACCESS_DENIED;
	}
	if (e == 0)
		return 0;
	if (e == ERROR_ACCESS_DENIED || e == ERROR_PIPE_BUSY)
		winerr_fmt(err, errlen, e, "%s: name already in use", s->what);
	else
		winerr_fmt(err, errlen, e, "%s", s->what);
	*status = e == ERROR_PIPE_BUSY ? EXIT_DENIED : winerr_exit_code(e);
	return -1;
}

/* Creates an instance; FIRST asks Windows to fail if the name exists.
 * Returns 0, or the Win32 error. */
DWORD
instance_create(struct server *s, struct instance *in, int first)
{
	ZeroMemory(in, sizeof *in);
	in->ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (in->ov.hEvent == NULL)
		return GetLastError();
	in->h = CreateNamedPipeW(s->wname,
	    s->access | FILE_FLAG_OVERLAPPED |
	        (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
	    s->mode,
	    s->max_instances,   /* the same on every instance, per the docs */
	    s->buffer,          /* output buffer: advisory, per the docs */
	    s->buffer,          /* input buffer */
	    0,                  /* WaitNamedPipe default: 50 ms */
	    &s->sa);            /* our DACL; not inheritable */
	if (in->h == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();
		CloseHandle(in->ov.hEvent);
		in->ov.hEvent = NULL;
		return e;
	}
	return 0;
}

void
instance_close(struct instance *in)
{
	if (in->h != NULL && in->h != INVALID_HANDLE_VALUE) {
		CancelIoEx(in->h, &in->ov);
		CloseHandle(in->h);
	}
	if (in->ov.hEvent != NULL)
		CloseHandle(in->ov.hEvent);
	ZeroMemory(in, sizeof *in);
}

/* Starts waiting for a client on IN. Returns 0, or the Win32 error. */
DWORD
instance_arm(struct instance *in)
{
	ResetEvent(in->ov.hEvent);
	if (ConnectNamedPipe(in->h, &in->ov))
		return 0;       /* overlapped: the event is set */
	DWORD e = GetLastError();
	switch (e) {
	case ERROR_IO_PENDING:
		return 0;
	case ERROR_PIPE_CONNECTED:  /* a client came between CreateNamedPipe and now */
	case ERROR_NO_DATA:
		/* ERROR_NO_DATA: a client came, wrote perhaps, and closed before
		 * this call. What it wrote stays in the pipe until
		 * DisconnectNamedPipe (which would discard it), so it is served
		 * as any client: its bytes, then the end. */
		in->connected = 1;
		SetEvent(in->ov.hEvent);
		return 0;
	default:
		return e;
	}
}

/* Once IN's event is set: 0 if a client connected, else the Win32 error.
 * One that came and went counts as connected: what it wrote is still in
 * the pipe (as with instance_arm's ERROR_NO_DATA). */
static DWORD
instance_result(struct instance *in)
{
	DWORD n;
	if (!in->connected && !GetOverlappedResult(in->h, &in->ov, &n, FALSE)) {
		DWORD e = GetLastError();
		if (!winerr_is_gone(e))
			return e;
	}
	in->connected = 1;
	return 0;
}

/* Waits for IN's client. Returns 0, ERROR_OPERATION_ABORTED on Ctrl-C, or
 * the Win32 error. */
DWORD
instance_wait(struct instance *in)
{
	HANDLE hs[2] = { in->ov.hEvent, interrupt_event() };
	DWORD w = WaitForMultipleObjects(2, hs, FALSE, INFINITE);
	if (w == WAIT_OBJECT_0 + 1)
		return ERROR_OPERATION_ABORTED;
	if (w != WAIT_OBJECT_0)
		return GetLastError();
	return instance_result(in);
}

/* "pid N, user DOMAIN\name" for the -v line, as far as it can be had. */
DWORD
describe_client(HANDLE h, char *buf, size_t len)
{
	ULONG pid = 0;
	int n = GetNamedPipeClientProcessId(h, &pid)
	    ? snprintf(buf, len, "pid %lu", pid)
	    : snprintf(buf, len, "pid unknown");
	if (n < 0 || (size_t)n >= len)
		return 0;

	/* The client opened with at least SECURITY_IDENTIFICATION (pipecat
	 * connect does), which is enough to read its token. */
	DWORD le;
	const struct advapi *a = advapi(&le);
	if (a == NULL || !a->ImpersonateNamedPipeClient(h))
		return 0;
	HANDLE tok = NULL;
	BYTE tu[256];
	DWORD tulen = 0;
	wchar_t user[128], dom[128];
	DWORD ulen = 128, dlen = 128;
	SID_NAME_USE use;
	BOOL ok = a->OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &tok) &&
	    a->GetTokenInformation(tok, TokenUser, tu, sizeof tu, &tulen) &&
	    a->LookupAccountSidW(NULL, ((TOKEN_USER *)tu)->User.Sid, user, &ulen,
	        dom, &dlen, &use);
	if (tok != NULL)
		CloseHandle(tok);
	if (!a->RevertToSelf())
		return GetLastError();
	if (ok) {
		char *u = wide_to_utf8(user), *d = wide_to_utf8(dom);
		if (u != NULL && d != NULL)
			snprintf(buf + n, len - (size_t)n, ", user %s\\%s", d, u);
		free(u);
		free(d);
	}
	return 0;
}


void
resources_text(char *buf, size_t len)
{
	DWORD handles = 0;
	PROCESS_MEMORY_COUNTERS pmc = { .cb = sizeof pmc };
	char h[32] = "unknown";
	/* GetProcessHandleCount is a stub on Wine (it reports nothing); the
	 * working set is real there. */
	if (GetProcessHandleCount(GetCurrentProcess(), &handles) && handles > 0)
		snprintf(h, sizeof h, "%lu", handles);
	if (!K32GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
		pmc.WorkingSetSize = pmc.PagefileUsage = 0;
	snprintf(buf, len, "handles %s, working set %llu KiB, private %llu KiB", h,
	    (unsigned long long)pmc.WorkingSetSize / 1024,
	    (unsigned long long)pmc.PagefileUsage / 1024);
}

/*
 * The acceptor: every instance not being served listens, so a burst of
 * clients finds an instance waiting for each while slots are free. There may be more listening instances than WaitForMultipleObjects
 * takes (64), so each is watched by the thread pool
 * (RegisterWaitForSingleObject), whose callback queues its index.
 */
struct listener {
	struct instance in;     /* at a fixed address: ConnectNamedPipe holds &in.ov */
	HANDLE wait;            /* the registered wait, or NULL */
	int listening;
};

/* Written by thread-pool callbacks, read by the main thread, under lock. */
static SRWLOCK ready_lock = SRWLOCK_INIT;
static int *ready;              /* ring of listeners whose client came, oldest first */
static int ready_head, nready;
static HANDLE ready_event;      /* auto-reset: something was queued */
static struct listener *listeners;
static int nlisteners;          /* TOTAL */
static int nlistening;

static VOID CALLBACK
on_connect(PVOID arg, BOOLEAN timed_out)
{
	(void)timed_out;
	AcquireSRWLockExclusive(&ready_lock);
	ready[(ready_head + nready++) % nlisteners] = (int)(INT_PTR)arg;
	ReleaseSRWLockExclusive(&ready_lock);
	SetEvent(ready_event);
}

/* Makes listener I listen (FIRST: it already has an armed instance). */
static DWORD
listen_on(struct server *s, int i, int first)
{
	struct listener *l = &listeners[i];
	DWORD e;
	if (!first && ((e = instance_create(s, &l->in, 0)) != 0 ||
	    (e = instance_arm(&l->in)) != 0)) {
		instance_close(&l->in);
		return e;
	}
	if (!RegisterWaitForSingleObject(&l->wait, l->in.ov.hEvent, on_connect,
	    (PVOID)(INT_PTR)i, INFINITE, WT_EXECUTEONLYONCE)) {
		e = GetLastError();
		instance_close(&l->in);
		return e;
	}
	l->listening = 1;
	return 0;
}


DWORD
acceptor_start(struct server *s, struct instance *first, int total)
{
	listeners = calloc((size_t)total, sizeof *listeners);
	ready = calloc((size_t)total, sizeof *ready);
	ready_event = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (listeners == NULL || ready == NULL || ready_event == NULL)
		return ERROR_NOT_ENOUGH_MEMORY;
	nlisteners = total;
	/* FIRST is not armed yet, so it may move: a pending ConnectNamedPipe
	 * would pin its OVERLAPPED where it was. */
	listeners[0].in = *first;
	ZeroMemory(first, sizeof *first);
	DWORD e;
	if ((e = instance_arm(&listeners[0].in)) != 0 || (e = listen_on(s, 0, 1)) != 0)
		return e;
	nlistening = 1;
	return 0;
}

DWORD
acceptor_fill(struct server *s, long active)
{
	for (int i = 0; i < nlisteners && nlistening + active < nlisteners; i++) {
		if (listeners[i].listening)
			continue;
		DWORD e = listen_on(s, i, 0);
		if (e != 0)
			return e;
		nlistening++;
	}
	return 0;
}

int
acceptor_listening(void)
{
	return nlistening;
}

/* Set while instances cannot be created; main thread only. */
static int refill_failing;

int
acceptor_refill(struct server *s, long active, DWORD *retry_ms, char *err,
    size_t errlen)
{
	DWORD e = acceptor_fill(s, active);
	if (e == 0) {
		refill_failing = 0;
		*retry_ms = INFINITE;
		return 0;
	}
	*retry_ms = ACCEPTOR_RETRY_MS;
	if (refill_failing)
		return 0;
	refill_failing = 1;
	winerr_fmt(err, errlen, e, "%s: create an instance (%d still listening; "
	    "trying again every %d s)", s->what, nlistening,
	    ACCEPTOR_RETRY_MS / 1000);
	return 1;
}

HANDLE
acceptor_event(void)
{
	return ready_event;
}

HANDLE
acceptor_take(void)
{
	for (;;) {
		int i = -1;
		AcquireSRWLockExclusive(&ready_lock);
		if (nready > 0) {
			i = ready[ready_head];
			ready_head = (ready_head + 1) % nlisteners;
			nready--;
		}
		ReleaseSRWLockExclusive(&ready_lock);
		if (i < 0)
			return NULL;
		struct listener *l = &listeners[i];
		/* The callback has run: the wait only needs releasing. */
		UnregisterWaitEx(l->wait, NULL);
		l->wait = NULL;
		l->listening = 0;
		nlistening--;
		HANDLE client = NULL;
		if (instance_result(&l->in) == 0)
			client = l->in.h;
		else
			CloseHandle(l->in.h);
		CloseHandle(l->in.ov.hEvent);
		ZeroMemory(&l->in, sizeof l->in);
		if (client != NULL)
			return client;
	}
}
