#!/bin/bash
# The build: pipecat.exe needs no DLL beyond Windows' own (no libgcc,
# libwinpthread or other MinGW runtime DLLs).
. "$(dirname "$0")/lib/test-lib.sh"

OBJDUMP=x86_64-w64-mingw32-objdump
command -v $OBJDUMP >/dev/null 2>&1 || OBJDUMP=objdump

test_expect_success 'pipecat.exe imports only system DLLs' '
	$OBJDUMP -p "$PIPECAT" | sed -n "s/^[[:space:]]*DLL Name: //p" | tr A-Z a-z | sort >dlls &&
	test -s dlls &&
	cat dlls &&
	! grep -Ev "^(kernel32|advapi32|msvcrt|ntdll|user32)\.dll$" dlls
'

test_expect_success 'pipecat.exe is a 64-bit console program' '
	$OBJDUMP -p "$PIPECAT" >hdr &&
	grep_file "^Magic[[:space:]]+020b" hdr &&
	grep_file "^Subsystem[[:space:]]+00000003" hdr
'

# ADVAPI32 (and the sechost and ucrtbase it pulls in) is delay-loaded: under
# Wine it costs every process about 0.8 MiB and some start-up time, and only
# serve (the pipe's security descriptor, the client's user) and info need it.
# Wine's loaddll channel names each DLL as it is loaded.
test_expect_success 'ADVAPI32 is loaded by serve, not by --version or connect' '
	grep -q ADVAPI32.dll "$PIPECAT" &&
	WINEDEBUG=+loaddll pc --version >out 2>loaded &&
	grep_file "^pipecat " out &&
	grep_file "Loaded .*kernel32\.dll" loaded &&
	! grep -i "Loaded .*advapi32" loaded &&
	bg server env WINEDEBUG=+loaddll timeout -k 5 "$TEST_TIMEOUT" $WINE "$PIPECAT" serve --max-clients 1 "$P-dl" </dev/null >/dev/null 2>sloaded &&
	WINEDEBUG=+loaddll pc connect -q 0 --wait 10 "$P-dl" </dev/null >/dev/null 2>cloaded &&
	wait_status $server 0 &&
	grep_file "Loaded .*kernel32\.dll" cloaded &&
	! grep -i "Loaded .*advapi32" cloaded &&
	grep_file "Loaded .*ADVAPI32\.dll" sloaded
'

test_done
