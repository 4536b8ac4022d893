#!/bin/bash
# connect: opening a pipe — not found, --wait for one that appears, one that
# never does, busy instances; each with its own message and exit code.
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success 'a missing pipe fails at once with exit 3 and the system message' '
	expect_status 3 pc connect "$P-missing" </dev/null >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: connect \\\\\\\\\.\\\\pipe\\\\$P-missing: .*\(2\)$" err &&
	test $(wc -l <err) -eq 1
'

test_expect_success '--wait for a pipe that never appears times out with exit 4' '
	expect_status 4 pc connect --wait 0.5 "$P-never" </dev/null >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: connect .*$P-never: timed out after 0.5 s waiting for the pipe to exist: .*\(2\)$" err
'

test_expect_success '--wait for a pipe that appears later connects to it' '
	bg client pc connect --wait 20 "$P-later" </dev/null >out 2>cerr &&
	sleep 0.5 &&
	printf "late\n" >in &&
	bg server pc serve -v -q 0 "$P-later" <in >sout 2>serr &&
	wait_status $client 0 &&
	wait_status $server 0 &&
	printf "late\n" >want &&
	same_file want out
'

test_expect_success 'a busy pipe fails at once with exit 4' '
	bg server pc serve -v "$P-busy" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg holder pc connect "$P-busy" </dev/null >/dev/null 2>/dev/null &&
	wait_for serr "client connected" &&
	expect_status 4 pc connect "$P-busy" </dev/null 2>err &&
	grep_file "^pipecat: connect .*$P-busy: .*\(231\)$" err &&
	expect_status 4 pc connect --wait 0.3 "$P-busy" </dev/null 2>err &&
	grep_file "timed out after 0.3 s waiting for a free instance: .*\(231\)$" err &&
	kill_tree $server && kill_tree $holder
'

test_expect_success 'every name form reaches the same pipe' '
	for form in "$P-form" "\\\\.\\pipe\\$P-form" "//./pipe/$P-form" "\\\\.\\PIPE\\$P-form" "/\\./pipe\\$P-form"; do
		printf "%s" "$form" >want &&
		bg server pc serve -v -q 0 "$P-form" <want >/dev/null 2>serr &&
		wait_for serr "listening on \\\\\\\\\.\\\\pipe\\\\$P-form" &&
		pc connect "$form" </dev/null >got 2>err &&
		wait_status $server 0 &&
		same_file want got || return 1
		rm -f serr
	done
'

test_expect_success 'a remote server that does not exist is "not found" (exit 3)' '
	expect_status 3 pc connect "//pipecat-no-such-host/pipe/$P" </dev/null 2>err &&
	grep_file "^pipecat: connect \\\\\\\\pipecat-no-such-host\\\\pipe\\\\$P: " err
'

test_done
