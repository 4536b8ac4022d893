/*
 * ref_spawn: the minimal "run a child and relay its output" loop, after the
 * Windows SDK sample "Creating a Child Process with Redirected Input and
 * Output": CreatePipe with an inheritable write end, CreateProcess with
 * STARTF_USESTDHANDLES, close our copy of the write end, then ReadFile
 * until ERROR_BROKEN_PIPE and WriteFile each block to stdout.
 *
 *   ref_spawn COMMAND-LINE     exits with the child's status
 *
 * The pipe size and read size are pipecat spawn's (64 KiB each), so that
 * the comparison is of the relay and nothing else. stderr is merged into
 * the same pipe, as spawn does by default.
 */
#include "ref.h"

int
main(void)
{
	/* The raw command line after our own name, as the sample passes it. */
	wchar_t *cl = GetCommandLineW();
	int q = 0;
	while (*cl && (q || (*cl != L' ' && *cl != L'\t'))) {
		if (*cl == L'"')
			q = !q;
		cl++;
	}
	while (*cl == L' ' || *cl == L'\t')
		cl++;
	if (*cl == L'\0') {
		fprintf(stderr, "usage: ref_spawn COMMAND-LINE\n");
		return 2;
	}

	SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
	HANDLE rd, wr;
	if (!CreatePipe(&rd, &wr, &sa, REF_CHUNK))
		ref_fail("CreatePipe");
	/* Our read end must not be inherited, or EOF never comes. */
	if (!SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0))
		ref_fail("SetHandleInformation");

	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	ZeroMemory(&si, sizeof si);
	si.cb = sizeof si;
	si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
	si.hStdOutput = wr;
	si.hStdError = wr;
	si.dwFlags = STARTF_USESTDHANDLES;
	wchar_t *line = _wcsdup(cl);
	if (!CreateProcessW(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
		ref_fail("CreateProcess");
	CloseHandle(wr);
	CloseHandle(pi.hThread);

	ref_copy(rd, GetStdHandle(STD_OUTPUT_HANDLE), 0, "relay");
	WaitForSingleObject(pi.hProcess, INFINITE);
	DWORD code = 1;
	GetExitCodeProcess(pi.hProcess, &code);
	return (int)code;
}
