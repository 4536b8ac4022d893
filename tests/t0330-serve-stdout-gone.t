#!/bin/bash
# A reader of serve's stdout that goes away (| head) ends serve quietly with
# 0, as it ends connect (t0300) and spawn (141, t0610): in every mode that
# writes to stdout. Wine returns ERROR_PIPE_NOT_CONNECTED for a write to a
# Linux pipe whose reader has closed (Windows: ERROR_NO_DATA or
# ERROR_BROKEN_PIPE); all three are "gone" (src/winerr.c), and serve -b
# used to take the first for a failure ("write stdout: Pipe not connected.
# (233)", exit 1).
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success 'serve | head: a client sending a lot, the reader gone, exit 0, no message' '
	yes abcdefghijklmnopqrstuvwxyz | head -c 50000000 >lots &&
	{ pc serve -v "$P-one" </dev/null 2>serr; echo $? >status; } | head -c 10 >first &
	pipeline=$! &&
	wait_for serr "listening on" &&
	bg client pc connect "$P-one" <lots >/dev/null 2>cerr &&
	wait $pipeline &&
	test "$(cat status)" = 0 &&
	printf "abcdefghij" >want && same_file want first &&
	! grep -v -E "listening on|client connected|client gone" serr &&
	{ wait $client; true; }
'

test_expect_success 'serve -b | head: a client sending a lot, the reader gone, exit 0, no message' '
	yes abcdefghijklmnopqrstuvwxyz | head -c 50000000 >lots &&
	mkfifo bin && exec 3<>bin &&
	{ pc serve -v -b "$P-b" <bin 2>serr2; echo $? >status2; } | head -c 100  >first2 &
	pipeline=$! &&
	wait_for serr2 "listening on" &&
	bg client pc connect "$P-b" <lots >/dev/null 2>cerr2 &&
	wait $pipeline &&
	test "$(cat status2)" = 0 &&
	test "$(wc -c <first2)" = 100 &&
	head -c 100 lots >want && same_file want first2 &&
	! grep -E "write stdout|Pipe not connected|\(233\)" serr2 &&
	exec 3>&- &&
	{ wait $client; true; }
'

test_expect_success 'serve -k | head: the server ends with the reader, not at the next client' '
	yes 0123456789 | head -c 20000000 >lots &&
	{ pc serve -k -v "$P-k" </dev/null 2>serr3; echo $? >status3; } | head -c 5  >first3 &
	pipeline=$! &&
	wait_for serr3 "listening on" &&
	bg client pc connect "$P-k" <lots >/dev/null 2>cerr3 &&
	wait $pipeline &&
	test "$(cat status3)" = 0 &&
	printf "01234" >want && same_file want first3 &&
	! grep -E "write stdout|\(233\)|\(232\)|\(109\)" serr3 &&
	{ wait $client; true; }
'

test_done
