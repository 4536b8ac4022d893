/*
 * info: what a named pipe is, for debugging its server — the server's
 * process, type, direction, buffer sizes, instances, and whether this user
 * may open it for reading and for writing.
 *
 * Every question needs a handle, and a handle to a pipe is a client end: an
 * open takes a free instance exactly as a connect does, and the server sees
 * a client come and go. So info opens once, the least it can: the access
 * is FILE_READ_ATTRIBUTES (what GetNamedPipeInfo and the pipe queries need)
 * plus READ_CONTROL (to read the security descriptor), never data; the SQOS
 * flags allow identification only, as connect's default does; no data is
 * read or written, and the handle is closed before anything is printed.
 * If READ_CONTROL is refused, info opens with FILE_READ_ATTRIBUTES alone
 * (a refused open takes no instance) and reports access as unknown.
 *
 * "May open to read/write" is decided without opening again, which would
 * take more instances (and, on a one-instance server, find none): the
 * pipe's security descriptor is checked against our token with AccessCheck
 * for what CreateFileW asks with GENERIC_READ and GENERIC_WRITE, and a
 * one-way pipe refuses the way it does not go, as the pipe file system does.
 *
 * Where a query fails, that field is "unknown" (null in JSON) and the rest
 * is still shown; each field has a second source where there is one. The
 * direction (inbound, outbound, duplex) has no Win32 query: it comes from
 * NtQueryInformationFile(FilePipeLocalInformation), found in ntdll at run
 * time. The buffer sizes are the pipe's, as the server gave them to
 * CreateNamedPipe (nInBufferSize, nOutBufferSize), whichever end asks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include <windows.h>
#include <winternl.h>

#include "advapi.h"
#include "json.h"
#include "command.h"
#include "pipecat.h"
#include "pipename.h"
#include "winerr.h"

const char usage_info[] =
    "usage: pipecat info [--json] NAME\n"
    "\n"
    "Show what the named pipe NAME is: its server's process, type, direction,\n"
    "buffer sizes and instances, and whether you may open it to read and to write.\n"
    "NAME is foo, \\\\.\\pipe\\foo, //./pipe/foo, \\\\server\\pipe\\foo or //server/pipe/foo.\n"
    "\n"
    "info opens the pipe once as a client, asking only to read its attributes\n"
    "and security, and closes it at once: it takes a free instance as a connect\n"
    "does, and the server sees a client come and go without data.\n"
    "\n"
    "      --json      print one JSON object; unknown fields are null\n"
    "  -h, --help      show this help\n"
    "\n"
    "Exit status: 0 done, 1 error, 2 usage, 3 pipe not found, 4 all instances\n"
    "busy, 5 access denied.\n";

enum { OPT_JSON = 256 };

/* FILE_PIPE_LOCAL_INFORMATION.NamedPipeConfiguration, from ntifs.h. */
enum { PIPE_CONF_INBOUND = 0, PIPE_CONF_OUTBOUND = 1, PIPE_CONF_DUPLEX = 2 };

typedef NTSTATUS (NTAPI *query_info_fn)(HANDLE, PIO_STATUS_BLOCK, PVOID,
    ULONG, FILE_INFORMATION_CLASS);

/* What info learnt; each have_* says whether its query answered. */
struct facts {
	int have_pid;
	ULONG pid;
	char *image;            /* the server's executable, UTF-8; NULL: unknown */
	int have_session;
	ULONG session;
	int have_info;          /* GetNamedPipeInfo */
	DWORD flags, out_buffer, in_buffer, max_instances;
	int have_local;         /* NtQueryInformationFile(FilePipeLocalInformation) */
	FILE_PIPE_LOCAL_INFORMATION local;
	int have_state;         /* GetNamedPipeHandleStateW */
	DWORD state, cur_instances;
	int may_read, may_write; /* 1 yes, 0 no, -1 unknown */
	char *dacl;             /* the DACL as SDDL, UTF-8; NULL: unknown */
};


/* S as a JSON string in a new heap block, or "null" for NULL. */
static char *
json_str(const char *s)
{
	if (s == NULL)
		return strdup("null");
	size_t need = json_quote_size(strlen(s));
	char *q = need != (size_t)-1 ? malloc(need) : NULL;
	if (q != NULL)
		json_quote(s, q, need);
	return q;
}

/* The path of process PID's executable, UTF-8, or NULL. */
static char *
process_image(ULONG pid)
{
	HANDLE p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION,
	    FALSE,              /* not inherited */
	    pid);
	if (p == NULL)
		return NULL;
	wchar_t path[MAX_PATH * 4];
	DWORD len = sizeof path / sizeof path[0];
	char *s = NULL;
	if (QueryFullProcessImageNameW(p,
	    0,                  /* a Win32 path, not \Device\... */
	    path, &len))
		s = wide_to_utf8(path);
	CloseHandle(p);
	return s;
}

/*
 * Whether TOKEN may open an object with security descriptor SD for WANT
 * (GENERIC_READ or GENERIC_WRITE, mapped as the file system maps them).
 * 1 yes, 0 no, -1 unknown.
 */
static int
may_open(const struct advapi *a, PSECURITY_DESCRIPTOR sd, HANDLE token,
    DWORD want)
{
	GENERIC_MAPPING map = {
		FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
		FILE_ALL_ACCESS
	};
	/* Room for a few privileges: AccessCheck lists those it used. */
	union {
		PRIVILEGE_SET set;
		BYTE room[sizeof(PRIVILEGE_SET) + 8 * sizeof(LUID_AND_ATTRIBUTES)];
	} privs;
	DWORD privlen = sizeof privs, granted = 0;
	BOOL allowed = FALSE;
	DWORD desired = want;

	a->MapGenericMask(&desired, &map);
	if (!a->AccessCheck(sd, token, desired, &map, &privs.set, &privlen,
	    &granted, &allowed))
		return -1;
	return allowed ? 1 : 0;
}

/* Fills f->may_read and f->may_write from H's security descriptor. */
static void
check_access(HANDLE h, struct facts *f)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	HANDLE tok = NULL, imp = NULL;
	BOOL present = FALSE, defaulted = FALSE;
	PACL dacl = NULL;

	f->may_read = f->may_write = -1;
	DWORD le;
	const struct advapi *a = advapi(&le);
	if (a == NULL)
		return;
	/* The label too, so that AccessCheck applies the integrity policy
	 * (no write up); systems without labels refuse it, so ask again. */
	DWORD e = a->GetSecurityInfo(h, SE_KERNEL_OBJECT,
	    OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
	    DACL_SECURITY_INFORMATION | LABEL_SECURITY_INFORMATION,
	    NULL, NULL, NULL, NULL, &sd);
	if (e != ERROR_SUCCESS)
		e = a->GetSecurityInfo(h, SE_KERNEL_OBJECT,
		    OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
		    DACL_SECURITY_INFORMATION, NULL, NULL, NULL, NULL, &sd);
	if (e != ERROR_SUCCESS || sd == NULL)
		return;
	/* The DACL as the server's --sddl or --allow made it. */
	wchar_t *wsddl = NULL;
	if (a->ConvertSecurityDescriptorToStringSecurityDescriptorW(sd,
	    SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &wsddl, NULL)) {
		f->dacl = wide_to_utf8(wsddl);
		LocalFree(wsddl);
	}
	if (!a->GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted))
		goto done;
	if (!present || dacl == NULL) {
		/* No DACL: the object is open to everyone (Wine reports this
		 * for every pipe, and it does not check pipe DACLs). */
		f->may_read = f->may_write = 1;
		goto done;
	}
	/* AccessCheck needs an impersonation token: ours, duplicated. */
	if (!a->OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE,
	    &tok) || !a->DuplicateToken(tok, SecurityIdentification, &imp))
		goto done;
	f->may_read = may_open(a, sd, imp, GENERIC_READ);
	f->may_write = may_open(a, sd, imp, GENERIC_WRITE);
done:
	if (imp != NULL)
		CloseHandle(imp);
	if (tok != NULL)
		CloseHandle(tok);
	LocalFree(sd);
}

/* Asks everything of the client handle H; a failed query leaves its field
 * unknown. */
static void
query(HANDLE h, struct facts *f)
{
	f->have_pid = GetNamedPipeServerProcessId(h, &f->pid) != 0;
	if (f->have_pid)
		f->image = process_image(f->pid);
	f->have_session = GetNamedPipeServerSessionId(h, &f->session) != 0;
	f->have_info = GetNamedPipeInfo(h, &f->flags, &f->out_buffer,
	    &f->in_buffer, &f->max_instances) != 0;
	f->have_state = GetNamedPipeHandleStateW(h, &f->state, &f->cur_instances,
	    NULL, NULL,         /* collection count and timeout: must be NULL
	                         * on a client end of a local pipe */
	    NULL, 0) != 0;      /* user name: only for a server end */

	/* ntdll's export, found at run time: no import library needed. */
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	query_info_fn qif = ntdll == NULL ? NULL : (query_info_fn)(void (*)(void))
	    GetProcAddress(ntdll, "NtQueryInformationFile");
	IO_STATUS_BLOCK io;
	f->have_local = qif != NULL && qif(h, &io, &f->local, sizeof f->local,
	    FilePipeLocalInformation) >= 0;

	check_access(h, f);
	if (f->have_local && f->local.NamedPipeConfiguration == PIPE_CONF_INBOUND)
		f->may_read = 0;
	if (f->have_local && f->local.NamedPipeConfiguration == PIPE_CONF_OUTBOUND)
		f->may_write = 0;
}

static const char *
yes_no(int v)
{
	return v < 0 ? NULL : v ? "yes" : "no";
}

/* The maximum instances: -1 unlimited, -2 unknown. */
static long long
max_instances(const struct facts *f)
{
	if (f->have_info)
		return f->max_instances >= PIPE_UNLIMITED_INSTANCES ? -1
		    : (long long)f->max_instances;
	if (f->have_local)
		return f->local.MaximumInstances == 0xffffffffUL ? -1
		    : (long long)f->local.MaximumInstances;
	return -2;
}

/* The current instances, or -1 unknown. */
static long long
cur_instances(const struct facts *f)
{
	if (f->have_state)
		return (long long)f->cur_instances;
	if (f->have_local)
		return (long long)f->local.CurrentInstances;
	return -1;
}

/* The server's in and out buffer sizes; 0 if unknown. */
static int
buffers(const struct facts *f, DWORD *in, DWORD *ob)
{
	if (f->have_info) {
		*in = f->in_buffer;
		*ob = f->out_buffer;
		return 1;
	}
	if (f->have_local) {
		*in = f->local.InboundQuota;
		*ob = f->local.OutboundQuota;
		return 1;
	}
	return 0;
}

static const char *
pipe_type(const struct facts *f)
{
	if (f->have_info)
		return f->flags & PIPE_TYPE_MESSAGE ? "message" : "byte";
	if (f->have_local)
		return f->local.NamedPipeType != 0 ? "message" : "byte";
	return NULL;
}

static const char *
pipe_end(const struct facts *f)
{
	if (f->have_info)
		return f->flags & PIPE_SERVER_END ? "server" : "client";
	if (f->have_local)
		return f->local.NamedPipeEnd != 0 ? "server" : "client";
	return NULL;
}

static const char *
direction(const struct facts *f)
{
	if (!f->have_local)
		return NULL;
	switch (f->local.NamedPipeConfiguration) {
	case PIPE_CONF_INBOUND: return "inbound";
	case PIPE_CONF_OUTBOUND: return "outbound";
	case PIPE_CONF_DUPLEX: return "duplex";
	default: return NULL;
	}
}

static const char *
read_mode(const struct facts *f)
{
	if (!f->have_state)
		return NULL;
	return f->state & PIPE_READMODE_MESSAGE ? "message" : "byte";
}

static int
print_text(const char *name, const struct facts *f)
{
	static const char *const dir_text[] = {
		"inbound (client to server only)", "outbound (server to client only)",
		"duplex"
	};
	char pid[32] = "unknown", session[32] = "unknown", cur[32] = "unknown";
	char max[32] = "unknown", inb[48] = "unknown", outb[48] = "unknown";
	const char *u = "unknown";
	long long m = max_instances(f), c = cur_instances(f);
	DWORD in, ob;

	if (f->have_pid)
		snprintf(pid, sizeof pid, "%lu", f->pid);
	if (f->have_session)
		snprintf(session, sizeof session, "%lu", f->session);
	if (c >= 0)
		snprintf(cur, sizeof cur, "%lld", c);
	if (m == -1)
		snprintf(max, sizeof max, "unlimited");
	else if (m >= 0)
		snprintf(max, sizeof max, "%lld", m);
	if (buffers(f, &in, &ob)) {
		snprintf(inb, sizeof inb, "%lu bytes (client to server)", in);
		snprintf(outb, sizeof outb, "%lu bytes (server to client)", ob);
	}
	const char *dir = direction(f);
	if (dir != NULL)
		dir = dir_text[f->local.NamedPipeConfiguration];
	const char *rm = read_mode(f);

	return printf_stdout("pipe:              %s\n", name) ||
	    printf_stdout("server pid:        %s\n", pid) ||
	    printf_stdout("server image:      %s\n", f->image ? f->image : u) ||
	    printf_stdout("server session:    %s\n", session) ||
	    printf_stdout("type:              %s\n", pipe_type(f) ? pipe_type(f) : u) ||
	    printf_stdout("direction:         %s\n", dir ? dir : u) ||
	    printf_stdout("in buffer:         %s\n", inb) ||
	    printf_stdout("out buffer:        %s\n", outb) ||
	    printf_stdout("instances:         %s\n", cur) ||
	    printf_stdout("max instances:     %s\n", max) ||
	    printf_stdout("opened end:        %s\n", pipe_end(f) ? pipe_end(f) : u) ||
	    printf_stdout("client read mode:  %s\n", rm ? rm : u) ||
	    printf_stdout("may open to read:  %s\n", yes_no(f->may_read) ? yes_no(f->may_read) : u) ||
	    printf_stdout("may open to write: %s\n", yes_no(f->may_write) ? yes_no(f->may_write) : u) ||
	    printf_stdout("dacl:              %s\n", f->dacl != NULL && f->dacl[0] ? f->dacl : u)
	    ? EXIT_FAIL : EXIT_OK;
}

/* A JSON value for a string that may be unknown (NULL). */
static const char *
jv(char **keep, int i, const char *s)
{
	free(keep[i]);
	keep[i] = json_str(s);
	return keep[i] != NULL ? keep[i] : "null";
}

static int
print_json(const char *name, const struct facts *f)
{
	char *k[8] = { NULL };
	char pid[32] = "null", session[32] = "null", cur[32] = "null";
	char max[32] = "null", inb[32] = "null", outb[32] = "null";
	static const char *const tf[] = { "null", "false", "true" };
	long long m = max_instances(f), c = cur_instances(f);
	DWORD in, ob;

	if (f->have_pid)
		snprintf(pid, sizeof pid, "%lu", f->pid);
	if (f->have_session)
		snprintf(session, sizeof session, "%lu", f->session);
	if (c >= 0)
		snprintf(cur, sizeof cur, "%lld", c);
	if (m >= -1)
		snprintf(max, sizeof max, "%lld", m);
	if (buffers(f, &in, &ob)) {
		snprintf(inb, sizeof inb, "%lu", in);
		snprintf(outb, sizeof outb, "%lu", ob);
	}
	int r = printf_stdout("{\"name\": %s, \"server_pid\": %s, \"server_image\": %s, "
	    "\"server_session\": %s, \"type\": %s, \"direction\": %s, "
	    "\"in_buffer\": %s, \"out_buffer\": %s, \"instances\": %s, "
	    "\"max_instances\": %s, \"end\": %s, \"client_read_mode\": %s, "
	    "\"may_read\": %s, \"may_write\": %s, \"dacl\": %s}\n",
	    jv(k, 0, name), pid, jv(k, 1, f->image), session,
	    jv(k, 2, pipe_type(f)), jv(k, 3, direction(f)), inb, outb, cur, max,
	    jv(k, 4, pipe_end(f)), jv(k, 5, read_mode(f)),
	    tf[f->may_read + 1], tf[f->may_write + 1],
	    jv(k, 6, f->dacl != NULL && f->dacl[0] ? f->dacl : NULL));
	for (int i = 0; i < 8; i++)
		free(k[i]);
	return r == 0 ? EXIT_OK : EXIT_FAIL;
}

int
cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int json = 0, opt;
	char err[1024];

	optind = 0;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
			return print_stdout(usage_info);
		default:
			return option_error("info", opt, argv);
		}
	}
	if (optind >= argc)
		return usage_error("info", "a pipe NAME is required");
	if (optind + 1 < argc)
		return usage_error("info", "unexpected argument \"%s\" after NAME",
		    argv[optind + 1]);

	struct pipename pn;
	if (pipename_parse(argv[optind], &pn, err, sizeof err) != 0)
		return usage_error("info", "%s", err);
	wchar_t *wname = utf8_to_wide(pn.full);
	if (wname == NULL) {
		say_winerr(GetLastError(), "info %s", pn.full);
		return EXIT_FAIL;
	}

	DWORD access = FILE_READ_ATTRIBUTES | READ_CONTROL;
	HANDLE h = INVALID_HANDLE_VALUE;
	DWORD e = 0;
	for (;;) {
		h = CreateFileW(wname, access,
		    0,                  /* no sharing: meaningless for a pipe client */
		    NULL,               /* default security, not inheritable */
		    OPEN_EXISTING,
		    SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
		    NULL);
		if (h != INVALID_HANDLE_VALUE)
			break;
		e = GetLastError();
		/* A refused open takes no instance, so asking again for less
		 * costs the server nothing. */
		if (e != ERROR_ACCESS_DENIED || access == FILE_READ_ATTRIBUTES)
			break;
		access = FILE_READ_ATTRIBUTES;
	}
	free(wname);
	if (h == INVALID_HANDLE_VALUE) {
		say_winerr(e, "info %s", pn.full);
		return winerr_exit_code(e);
	}

	struct facts f;
	memset(&f, 0, sizeof f);
	query(h, &f);
	CloseHandle(h);
	if (access == FILE_READ_ATTRIBUTES) {
		/* Without READ_CONTROL only a one-way pipe's "no" is known. */
		if (f.may_read > 0)
			f.may_read = -1;
		if (f.may_write > 0)
			f.may_write = -1;
	}

	int status = json ? print_json(pn.full, &f) : print_text(pn.full, &f);
	free(f.image);
	return status;
}
