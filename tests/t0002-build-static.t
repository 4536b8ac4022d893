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

test_done
