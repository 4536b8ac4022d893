/*
 * advapi: ADVAPI32 bound at run time; see advapi.h for why.
 *
 * InitOnceExecuteOnce makes the binding happen once even when two threads
 * (serve --exec's sessions) ask at the same time; a failure is kept and
 * returned to every later caller.
 */
#include <stddef.h>

#include "advapi.h"

static struct advapi fns;
static DWORD load_error;
static INIT_ONCE once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK
bind_all(PINIT_ONCE o, PVOID param, PVOID *ctx)
{
	(void)o, (void)param, (void)ctx;
	/* The system directory's copy by full path: LoadLibraryW searches no
	 * directory for a path, so a planted advapi32.dll beside the exe or in
	 * the current directory is never the one loaded. */
	wchar_t path[MAX_PATH + 16];
	UINT n = GetSystemDirectoryW(path, MAX_PATH);
	if (n == 0 || n >= MAX_PATH) {
		load_error = n == 0 ? GetLastError() : ERROR_BUFFER_OVERFLOW;
		return TRUE;
	}
	static const wchar_t file[] = L"\\advapi32.dll";
	for (size_t i = 0; i < sizeof file / sizeof file[0]; i++)
		path[n + i] = file[i];
	HMODULE m = LoadLibraryW(path);
	if (m == NULL) {
		load_error = GetLastError();
		return TRUE;
	}
	/* GetProcAddress's FARPROC goes through void (*)(void), the type
	 * that converts to any other function pointer without a warning. */
#define ADVAPI_BIND(name) \
	if ((fns.name = (__typeof__(&name))(void (*)(void))GetProcAddress(m, #name)) == NULL) { \
		load_error = GetLastError(); \
		return TRUE; \
	}
	ADVAPI_FUNCTIONS(ADVAPI_BIND)
#undef ADVAPI_BIND
	return TRUE;
}

const struct advapi *
advapi(DWORD *err)
{
	if (!InitOnceExecuteOnce(&once, bind_all, NULL, NULL)) {
		*err = GetLastError();
		return NULL;
	}
	if (load_error != 0) {
		*err = load_error;
		return NULL;
	}
	return &fns;
}
