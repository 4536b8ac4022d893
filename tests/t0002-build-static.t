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
	! grep -Ev "^(kernel32|advapi32|msvcrt|ntdll|user32|ws2_32)\.dll$" dlls
'

# Every import resolvable the way Windows resolves it: by name, from system
# DLLs, with no delay-load import whose address table is read-only or that
# the import directories do not list (tests/lib/pecheck.pl says why each is
# refused). binutils 2.44 (Debian 13) put dlltool's delay-load table in a
# read-only .idata; Wine 10 maps it read-only as Windows does and serve died
# of an access violation on its first ADVAPI32 call, while Wine 8 (Debian 12)
# maps it writable and hid the fault. This check fails on such a build with
# any Wine, and the serve and info tests fail on it under Wine 10.
test_expect_success 'every import of pipecat.exe resolves as Windows resolves it' '
	perl "$TOP/tests/lib/pecheck.pl" "$PIPECAT" kernel32.dll msvcrt.dll ws2_32.dll >imports &&
	cat imports &&
	grep_file "^import KERNEL32.dll" imports &&
	! grep -i "delay-import" imports
'

# The check itself refuses what it is there to refuse: a copy of the exe
# with a DLL name planted where a delay-load descriptor would keep it.
test_expect_success 'pecheck refuses an unregistered delay-load import' '
	cp "$PIPECAT" planted.exe &&
	printf "\0ADVAPI32.dll\0" >>planted.exe &&
	expect_status 1 perl "$TOP/tests/lib/pecheck.pl" planted.exe 2>err &&
	grep_file "names ADVAPI32.dll, but neither import directory lists it" err
'

test_expect_success 'pipecat.exe is a 64-bit console program' '
	$OBJDUMP -p "$PIPECAT" >hdr &&
	grep_file "^Magic[[:space:]]+020b" hdr &&
	grep_file "^Subsystem[[:space:]]+00000003" hdr
'

# ADVAPI32 (and the sechost and ucrtbase it pulls in) is loaded at run time
# (src/advapi.c): under Wine it costs every process about 0.8 MiB and some
# start-up time, and only serve (the pipe's security descriptor, the
# client's user), bench's server and info need it. Wine's loaddll channel
# names each DLL as it is loaded.
test_expect_success 'ADVAPI32 is loaded by serve, not by --version or connect' '
	WINEDEBUG=+loaddll pc --version >out 2>loaded &&
	grep_file "^pipecat " out &&
	grep_file "Loaded .*kernel32\.dll" loaded &&
	! grep -i "Loaded .*advapi32" loaded &&
	bg server env WINEDEBUG=+loaddll timeout -k 5 "$TEST_TIMEOUT" $WINE "$PIPECAT" serve --max-clients 1 "$P-dl" </dev/null >/dev/null 2>sloaded &&
	WINEDEBUG=+loaddll pc connect -q 0 --wait 10 "$P-dl" </dev/null >/dev/null 2>cloaded &&
	wait_status $server 0 &&
	grep_file "Loaded .*kernel32\.dll" cloaded &&
	! grep -i "Loaded .*advapi32" cloaded &&
	grep -qi "Loaded .*advapi32\.dll" sloaded
'

# WS2_32 likewise (src/sock.c): imported, it and what it pulls in cost every
# process about 12 ms of start-up under Wine; only bridge needs it.
test_expect_success 'WS2_32 is loaded by bridge to TCP, not by --version' '
	WINEDEBUG=+loaddll pc --version >out 2>loaded &&
	! grep -i "Loaded .*ws2_32" loaded &&
	WINEDEBUG=+loaddll expect_status 3 pc bridge - tcp:127.0.0.1:9 </dev/null >out 2>bloaded &&
	grep -qi "Loaded .*ws2_32\.dll" bloaded
'

test_done
