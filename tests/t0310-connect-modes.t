#!/bin/bash
# One-way modes (--send-only, --recv-only) and the idle timeout (-i).
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success '--send-only sends stdin and closes at its EOF, exit 0' '
	head -c 150000 /dev/urandom >data &&
	printf "ignored" >sin &&
	bg server pc serve -v "$P-so" <sin >sout 2>serr &&
	wait_for serr "listening on" &&
	pc connect --send-only "$P-so" <data >cout 2>cerr &&
	wait_status $server 0 &&
	same_file data sout && empty_file cout
'

test_expect_success '--recv-only does not read stdin and ends when the server closes' '
	printf "from server" >sin &&
	bg server pc serve -v -q 0 "$P-ro" <sin >sout 2>serr &&
	wait_for serr "listening on" &&
	printf "never sent" | pc connect --recv-only "$P-ro" >cout 2>cerr &&
	wait_status $server 0 &&
	same_file sin cout && empty_file sout
'

test_expect_success 'serve --recv-only makes an inbound pipe; connect sends only and ends at EOF' '
	bg server pc serve -v --recv-only "$P-in" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	printf "one way" | pc connect -v "$P-in" >cout 2>cerr &&
	wait_status $server 0 &&
	grep_file "is a one-way pipe: sending only" cerr &&
	printf "one way" >want && same_file want sout && empty_file cout
'

test_expect_success 'serve --send-only makes an outbound pipe; connect receives only' '
	printf "down only" >sin &&
	bg server pc serve -v --send-only "$P-out" <sin >sout 2>serr &&
	wait_for serr "listening on" &&
	printf "not read" | pc connect -v "$P-out" >cout 2>cerr &&
	wait_status $server 0 &&
	grep_file "is a one-way pipe: receiving only" cerr &&
	same_file sin cout && empty_file sout
'

test_expect_success 'connect --recv-only to an inbound pipe is refused (exit 5)' '
	bg server pc serve -v --recv-only "$P-in2" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	expect_status 5 pc connect --recv-only "$P-in2" </dev/null 2>cerr &&
	grep_file "^pipecat: connect .*$P-in2: .*\(5\)$" cerr &&
	kill_tree $server
'

test_expect_success '-i ends a silent connection with exit 6 and one line' '
	bg server pc serve -v "$P-idle" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	sleep 1.5 | expect_status 6 pc connect -i 0.5 "$P-idle" >cout 2>cerr &&
	grep_file "^pipecat: connect .*$P-idle: idle for 0.500 s, closed$" cerr &&
	test $(wc -l <cerr) -eq 1 &&
	wait_status $server 0
'

test_expect_success '-i does not end a connection that keeps moving data' '
	bg server pc serve -v -i 0.5 "$P-busy" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	{ for i in 1 2 3 4 5 6; do echo $i; sleep 0.2; done; } |
		pc connect -q 0 "$P-busy" >/dev/null 2>cerr &&
	wait_status $server 0 &&
	seq 1 6 >want && same_file want sout
'

test_expect_success 'serve -i: the idle client is closed and the exit status is 6' '
	bg server pc serve -v -i 0.3 "$P-sidle" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	sleep 1.5 | pc connect "$P-sidle" >/dev/null 2>cerr &&
	wait_status $server 6 &&
	grep_file "^pipecat: serve .*$P-sidle: idle for 0.300 s, closed$" serr
'

test_done
