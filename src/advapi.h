/*
 * advapi: ADVAPI32's functions, bound at run time on first use.
 *
 * Only serve (the pipe's security descriptor, the client's user), bench's
 * server and info need ADVAPI32; under Wine, loading it (and the sechost and
 * ucrtbase it pulls in) costs every process about 0.8 MiB and 2 ms, so it is
 * not imported. It is not delay-loaded by the toolchain either: a
 * delay-load helper writes the addresses it resolves into the import
 * address table, and binutils 2.44 puts that table in a read-only .idata,
 * which Windows (and Wine 10) map read-only, so the first call crashed.
 * Here the addresses live in an ordinary data structure that the program
 * writes itself, whatever the linker does: LoadLibraryW with the full path
 * of the system's copy (no search order, so no planted DLL), then
 * GetProcAddress for each function, once.
 */
#ifndef PIPECAT_ADVAPI_H
#define PIPECAT_ADVAPI_H

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

/* The functions pipecat calls; each pointer has the SDK declaration's type. */
#define ADVAPI_FUNCTIONS(X) \
	X(AccessCheck) \
	X(ConvertSecurityDescriptorToStringSecurityDescriptorW) \
	X(ConvertSidToStringSidW) \
	X(ConvertStringSecurityDescriptorToSecurityDescriptorW) \
	X(ConvertStringSidToSidW) \
	X(DuplicateToken) \
	X(GetSecurityDescriptorDacl) \
	X(GetSecurityInfo) \
	X(GetTokenInformation) \
	X(ImpersonateNamedPipeClient) \
	X(LookupAccountNameW) \
	X(LookupAccountSidW) \
	X(MapGenericMask) \
	X(OpenProcessToken) \
	X(OpenThreadToken) \
	X(RevertToSelf)

#define ADVAPI_FIELD(name) __typeof__(&name) name;
struct advapi {
	ADVAPI_FUNCTIONS(ADVAPI_FIELD)
};
#undef ADVAPI_FIELD

/*
 * Loads ADVAPI32 and binds every function above, once per process (safe
 * from any thread). Returns the bound table, or NULL with *ERR the Win32
 * error (of LoadLibraryW, or ERROR_PROC_NOT_FOUND).
 */
const struct advapi *advapi(DWORD *err);

#endif
