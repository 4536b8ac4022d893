/*
 * list: this machine's named pipes, with their current and maximum
 * instances, optionally those matching a PATTERN.
 *
 * The pipe file system's root, \\.\pipe\, is a directory: it is opened with
 * FILE_LIST_DIRECTORY (no pipe is opened, so no server sees anything) and
 * read with NtQueryDirectoryFile(FileDirectoryInformation), as Sysinternals'
 * PipeList does; FindFirstFileW would give the names but not the maximum
 * instances. ntdll's export is found with GetProcAddress, so no import
 * library is needed. The records are decoded by pipelist.c, which checks
 * them against the buffer's end; matching and sorting are there too.
 *
 * Wine 8 does not implement the directory query on its pipe device (the
 * call fails with STATUS_BAD_DEVICE_TYPE): there, list says in one line that
 * the system cannot enumerate pipes, with the status and its message, and
 * exits 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include <windows.h>
#include <winternl.h>

#include "json.h"
#include "command.h"
#include "pipecat.h"
#include "pipelist.h"
#include "winerr.h"

const char usage_list[] =
    "usage: pipecat list [--json] [PATTERN]\n"
    "\n"
    "List this machine's named pipes, sorted by name, with their current and\n"
    "maximum instances. No pipe is opened: servers see nothing.\n"
    "PATTERN keeps the names it matches: * any characters, ? one character,\n"
    "letters in any case, as Windows compares pipe names; it may start with\n"
    "\\\\.\\pipe\\ or //./pipe/.\n"
    "\n"
    "      --json      print a JSON array of {\"name\", \"instances\",\n"
    "                  \"max_instances\"}; max_instances -1 is unlimited\n"
    "  -h, --help      show this help\n"
    "\n"
    "Exit status: 0 done (also when nothing matches), 1 the system cannot list\n"
    "pipes, 2 usage, 5 access denied.\n";

enum { OPT_JSON = 256 };

/* The object list reads; also the "object" of its error lines. */
#define PIPE_ROOT "\\\\.\\pipe\\"

/* NTSTATUS values list tells apart (ntstatus.h). */
#define ST_NO_MORE_FILES ((NTSTATUS)0x80000006L)
#define ST_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#define ST_NO_SUCH_FILE ((NTSTATUS)0xC000000FL)
#define ST_ACCESS_DENIED ((NTSTATUS)0xC0000022L)

/* A whole record always fits: 64 bytes and a name of at most 65534. */
#define LISTING_BYTES (128 * 1024)

/* The portable decoder's layout is the system's. */
_Static_assert(offsetof(FILE_DIRECTORY_INFORMATION, FileName) ==
    PIPELIST_RECORD_MIN, "FILE_DIRECTORY_INFORMATION's name is at 64");
_Static_assert(offsetof(FILE_DIRECTORY_INFORMATION, EndOfFile) == 40 &&
    offsetof(FILE_DIRECTORY_INFORMATION, AllocationSize) == 48 &&
    offsetof(FILE_DIRECTORY_INFORMATION, FileNameLength) == 60,
    "FILE_DIRECTORY_INFORMATION's fields are where pipelist.c reads them");

typedef NTSTATUS (NTAPI *query_dir_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE,
    PVOID, PIO_STATUS_BLOCK, PVOID, ULONG, FILE_INFORMATION_CLASS, BOOLEAN,
    PUNICODE_STRING, BOOLEAN);
typedef ULONG (NTAPI *status_to_dos_fn)(NTSTATUS);

struct pipe_row {
	char *name;             /* UTF-8 */
	unsigned long long instances, max_instances;
	int unlimited;
};

struct rows {
	struct pipe_row *v;
	size_t n, cap;
};


/* Prints the one line for a failed NtQueryDirectoryFile and returns the
 * exit status. */
static int
query_failed(NTSTATUS st, status_to_dos_fn to_dos, int cannot)
{
	DWORD e = to_dos != NULL ? to_dos(st) : ERROR_MR_MID_NOT_FOUND;
	const char *what = cannot ? "the system cannot enumerate pipes: " : "";

	say_winerr(e, "list %s: %sNtQueryDirectoryFile status 0x%08lx", PIPE_ROOT,
	    what, (unsigned long)st);
	return st == ST_ACCESS_DENIED ? EXIT_DENIED : EXIT_FAIL;
}

/* Adds the records of one buffer that match PAT to R. Returns 0, or -1
 * after printing why. */
static int
add_rows(struct rows *r, const void *buf, size_t len, const char *pat)
{
	struct pipelist_iter it;
	struct pipelist_entry e;
	char err[256];
	int got;

	pipelist_iter_init(&it, buf, len);
	while ((got = pipelist_next(&it, &e, err, sizeof err)) == 1) {
		size_t need = pipelist_name_size(e.name16_len);
		char *name = malloc(need);
		if (name == NULL) {
			say("list %s: out of memory", PIPE_ROOT);
			return -1;
		}
		pipelist_name_utf8(e.name16, e.name16_len, name, need);
		if (pat != NULL && !pipelist_match(pat, name)) {
			free(name);
			continue;
		}
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 64;
			struct pipe_row *v = realloc(r->v, cap * sizeof *v);
			if (v == NULL) {
				free(name);
				say("list %s: out of memory", PIPE_ROOT);
				return -1;
			}
			r->v = v;
			r->cap = cap;
		}
		r->v[r->n++] = (struct pipe_row){ name, e.instances,
		    e.max_instances, e.unlimited };
	}
	if (got < 0) {
		say("list %s: %s", PIPE_ROOT, err);
		return -1;
	}
	return 0;
}

/* Reads the whole directory into R. Returns EXIT_OK or the exit status of
 * the line it printed. */
static int
read_pipes(struct rows *r, const char *pat)
{
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	query_dir_fn qdf = ntdll == NULL ? NULL : (query_dir_fn)(void (*)(void))
	    GetProcAddress(ntdll, "NtQueryDirectoryFile");
	status_to_dos_fn to_dos = ntdll == NULL ? NULL : (status_to_dos_fn)
	    (void (*)(void))GetProcAddress(ntdll, "RtlNtStatusToDosError");
	if (qdf == NULL) {
		say_winerr(GetLastError(), "list %s: the system cannot enumerate "
		    "pipes: no NtQueryDirectoryFile in ntdll.dll", PIPE_ROOT);
		return EXIT_FAIL;
	}

	HANDLE dir = CreateFileW(L"" PIPE_ROOT,
	    FILE_LIST_DIRECTORY | SYNCHRONIZE, /* read the names; wait on it */
	    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
	    NULL,               /* default security, not inheritable */
	    OPEN_EXISTING,
	    0,                  /* synchronous: each query waits for its answer */
	    NULL);
	if (dir == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();
		say_winerr(e, "list %s", PIPE_ROOT);
		return e == ERROR_ACCESS_DENIED ? EXIT_DENIED : EXIT_FAIL;
	}
	void *buf = malloc(LISTING_BYTES);
	if (buf == NULL) {
		CloseHandle(dir);
		say("list %s: out of memory", PIPE_ROOT);
		return EXIT_FAIL;
	}

	int status = EXIT_OK;
	for (BOOLEAN first = TRUE;; first = FALSE) {
		IO_STATUS_BLOCK io;
		memset(&io, 0, sizeof io);
		NTSTATUS st = qdf(dir,
		    NULL, NULL, NULL,   /* no event, no APC: a synchronous handle */
		    &io,
		    buf, LISTING_BYTES,
		    FileDirectoryInformation,
		    FALSE,              /* as many records as fit */
		    NULL,               /* every name: PATTERN is matched here,
		                         * the same way on every system */
		    first);             /* restart the scan on the first call */
		if (st == ST_NO_MORE_FILES || (first && st == ST_NO_SUCH_FILE))
			break;
		if (st < 0 || st == ST_BUFFER_OVERFLOW) {
			/* Failing at once means the query is not there at all;
			 * later, it is an error in the middle of a listing. */
			status = query_failed(st, to_dos,
			    first && st != ST_ACCESS_DENIED);
			break;
		}
		size_t len = io.Information < LISTING_BYTES ?
		    (size_t)io.Information : LISTING_BYTES;
		if (add_rows(r, buf, len, pat) != 0) {
			status = EXIT_FAIL;
			break;
		}
	}
	free(buf);
	CloseHandle(dir);
	return status;
}

static int
by_name(const void *a, const void *b)
{
	return pipelist_compare(((const struct pipe_row *)a)->name,
	    ((const struct pipe_row *)b)->name);
}

static int
print_text(const struct rows *r)
{
	if (r->n > 0 && printf_stdout("%9s  %9s  %s\n", "INSTANCES", "MAX", "NAME") != 0)
		return EXIT_FAIL;
	for (size_t i = 0; i < r->n; i++) {
		char max[24];
		if (r->v[i].unlimited)
			snprintf(max, sizeof max, "unlimited");
		else
			snprintf(max, sizeof max, "%llu", r->v[i].max_instances);
		/* Only the text form is defused; JSON has the exact name. */
		pipelist_printable(r->v[i].name);
		if (printf_stdout("%9llu  %9s  %s\n", r->v[i].instances, max,
		    r->v[i].name) != 0)
			return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int
print_json(const struct rows *r)
{
	if (printf_stdout("[") != 0)
		return EXIT_FAIL;
	for (size_t i = 0; i < r->n; i++) {
		size_t need = json_quote_size(strlen(r->v[i].name));
		char *q = malloc(need);
		if (q == NULL) {
			say("list: out of memory");
			return EXIT_FAIL;
		}
		json_quote(r->v[i].name, q, need);
		char max[24];
		if (r->v[i].unlimited)
			snprintf(max, sizeof max, "-1");
		else
			snprintf(max, sizeof max, "%llu", r->v[i].max_instances);
		int bad = printf_stdout("%s\n  {\"name\": %s, \"instances\": %llu, "
		    "\"max_instances\": %s}", i ? "," : "", q, r->v[i].instances,
		    max);
		free(q);
		if (bad)
			return EXIT_FAIL;
	}
	return printf_stdout(r->n ? "\n]\n" : "]\n") ? EXIT_FAIL : EXIT_OK;
}

int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int json = 0, opt;
	char err[256];

	optind = 0;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
			return print_stdout(usage_list);
		default:
			return option_error("list", opt, argv);
		}
	}
	const char *pat = NULL;
	if (optind < argc &&
	    pipelist_pattern(argv[optind], &pat, err, sizeof err) != 0)
		return usage_error("list", "%s", err);
	if (optind + 1 < argc)
		return usage_error("list", "unexpected argument \"%s\" after PATTERN",
		    argv[optind + 1]);

	struct rows r = { NULL, 0, 0 };
	int status = read_pipes(&r, pat);
	if (status == EXIT_OK) {
		if (r.n > 1)
			qsort(r.v, r.n, sizeof *r.v, by_name);
		status = json ? print_json(&r) : print_text(&r);
	}
	for (size_t i = 0; i < r.n; i++)
		free(r.v[i].name);
	free(r.v);
	return status;
}
