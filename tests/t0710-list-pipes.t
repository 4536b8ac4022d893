#!/bin/bash
# list: enumerating \\.\pipe\, and its usage errors.
#
# Wine 8 opens \\.\pipe\ as a directory, but NtQueryDirectoryFile on it
# fails with STATUS_BAD_DEVICE_TYPE (0xc00000cb, "Bad device type", Win32
# error 66); FindFirstFileW("\\.\pipe\*") fails the same way. So under Wine
# list must say, in one line, that the system cannot enumerate pipes, with
# the status and the system's message, and exit 1; on Windows it lists.
# The decoding, matching and sorting are unit-tested natively
# (tests/unit/test_pipelist.c).
. "$(dirname "$0")/lib/test-lib.sh"

# One line: "cannot enumerate", the status, the message and its code.
CANNOT='^pipecat: list \\\\\.\\pipe\\: the system cannot enumerate pipes: NtQueryDirectoryFile status 0x[0-9a-f]{8}: .+ \([0-9]+\)$'

test_expect_success 'list, with a pipe served: Wine cannot enumerate (exit 1, one line); Windows lists it' '
	bg server pc serve -v -k "$P-a" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	if [ -n "$WINE" ]; then
		expect_status 1 pc list >out 2>err &&
		grep_file "$CANNOT" err &&
		grep_file "status 0xc00000cb: " err &&
		test $(wc -l <err) -eq 1 &&
		empty_file out
	else
		pc list >out 2>err &&
		grep_file "^INSTANCES +MAX +NAME$" out &&
		grep_file "^ +[12] +2  $P-a$" out &&
		empty_file err
	fi &&
	kill_tree $server
'

test_expect_success 'list PATTERN and list --json: the same one line under Wine' '
	if [ -n "$WINE" ]; then
		expect_status 1 pc list "pc-*" >out 2>err &&
		grep_file "$CANNOT" err && test $(wc -l <err) -eq 1 && empty_file out &&
		expect_status 1 pc list --json >out 2>err &&
		grep_file "$CANNOT" err && test $(wc -l <err) -eq 1 && empty_file out
	else
		pc list --json "nothing-matches-$P-*" >out 2>err &&
		printf "[]\n" >want && same_file want out && empty_file err
	fi
'

test_expect_success 'an empty PATTERN is a usage error (exit 2), before any enumeration' '
	expect_status 2 pc list "" >out 2>err &&
	grep_file "^pipecat: list: PATTERN is empty \(leave it out to list every pipe\)$" err &&
	grep_file "^pipecat: try .pipecat list --help.$" err &&
	empty_file out &&
	expect_status 2 pc list "//./pipe/" 2>err &&
	grep_file "^pipecat: list: PATTERN is empty after" err
'

test_expect_success 'a PATTERN on another machine is a usage error' '
	expect_status 2 pc list "//server/pipe/x*" >out 2>err &&
	grep_file "^pipecat: list: PATTERN names another machine; list shows this machine.s pipes only$" err &&
	expect_status 2 pc list "\\\\srv\\pipe\\*" 2>err &&
	grep_file "another machine" err &&
	empty_file out
'

test_expect_success 'a PATTERN with a malformed \\.\pipe\ prefix is a usage error' '
	expect_status 2 pc list "\\\\.\\pip\\x" 2>err &&
	grep_file "^pipecat: list: a PATTERN starting with a double slash must be " err &&
	expect_status 2 pc list "//./pipe" 2>err &&
	grep_file "must be" err
'

test_expect_success 'two PATTERNs, or an unknown option, are usage errors' '
	expect_status 2 pc list a b >out 2>err &&
	grep_file "^pipecat: list: unexpected argument \"b\" after PATTERN$" err &&
	expect_status 2 pc list --all 2>err &&
	grep_file "^pipecat: list: unknown option \"--all\"$" err &&
	expect_status 2 pc list -a 2>err &&
	grep_file "^pipecat: list: unknown option \"-a\"$" err &&
	expect_status 2 pc list --json=yes 2>err &&
	grep_file "^pipecat: list: " err &&
	empty_file out
'

test_expect_success 'list --help, list -h and help list print the same usage' '
	pc list --help >a 2>err && pc list -h >b && pc help list >c &&
	same_file a b && same_file a c && empty_file err &&
	grep_file "^usage: pipecat list \[--json\] \[PATTERN\]$" a &&
	grep_file "No pipe is opened" a
'

test_done
