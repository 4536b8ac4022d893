#!/bin/bash
# serve -b: every client's data goes to all other clients and to stdout,
# stdin goes to all clients, and a client that does not read is cut off
# instead of holding up the others. Clients are brokerpeer
# (tests/helpers/brokerpeer.c), which sends numbered lines once it reads
# "GO" (sent through the broker's stdin) and checks what it receives.
# The broker's stdin is a FIFO the test holds open read-write (so opening it
# never blocks) and closes for EOF.
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success 'broker with 8 clients: each gets all the others sent, none of its own' '
	mkfifo in8 &&
	exec 3<>in8 &&
	bg server pc serve -v -b --max-clients 8 "$P-b8" <in8 >sout 2>serr &&
	wait_for serr "listening on" &&
	pids="" &&
	for i in 0 1 2 3 4 5 6 7; do
		bg p helper brokerpeer "$P-b8" $i 8 300 </dev/null >peer.$i &&
		pids="$pids $p" || return 1
	done &&
	wait_for serr "client 8 connected" &&
	echo GO >&3 &&
	for p in $pids; do wait_status $p 0 || return 1; done &&
	cat peer.* &&
	test $(cat peer.* | grep -c "ok 2100 lines") -eq 8 &&
	exec 3>&- &&
	wait_status $server 0 &&
	test $(wc -l <sout) -eq 2400 &&
	for i in 0 1 2 3 4 5 6 7; do
		test $(grep -c "^$i:" sout) -eq 300 || return 1
	done &&
	! grep -q GO sout &&
	test $(grep -c "client [0-9]* gone from .*(closed)" serr) -eq 8
'

test_expect_success 'a client that does not read is disconnected; the others go on' '
	mkfifo ins &&
	exec 4<>ins &&
	bg server pc serve -v -b "$P-slow" <ins >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg slow pc connect --recv-only "$P-slow" </dev/null >/dev/null 2>/dev/null &&
	wait_for serr "client 1 connected" &&
	kill_tree $slow STOP &&
	bg fast pc connect "$P-slow" </dev/null >fast.out 2>/dev/null &&
	wait_for serr "client 2 connected" &&
	head -c 12000000 /dev/zero >&4 &&
	wait_for serr "client 1 is too slow \(more than 4194304 bytes waiting for it\), disconnected" &&
	wait_size fast.out 12000000 &&
	kill_tree $slow CONT &&
	kill_tree $server INT &&
	wait_status $server 130 &&
	exec 4>&-
'

test_expect_success 'usage: -b with a COMMAND, with -q, too many instances' '
	expect_status 2 pc serve -b "$P-u" -- x 2>err && grep_file "cannot be combined" err &&
	expect_status 2 pc serve -b -q 1 "$P-u" 2>err && grep_file "do not apply with -b" err &&
	expect_status 2 pc serve -b --max-instances 31 "$P-u" 2>err && grep_file "at most 30" err
'

test_done
