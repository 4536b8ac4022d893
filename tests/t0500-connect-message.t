#!/bin/bash
# Message pipes (-m): messages larger than pipecat's 64 KiB read buffer arrive
# whole and in order (ERROR_MORE_DATA), each block read from stdin becomes one
# message, zero-length messages are not EOF. The peer is msgtool, a plain
# synchronous Win32 program (tests/helpers/msgtool.c), not pipecat.
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success 'connect -m receives messages larger than its buffer, whole and in order' '
	bg server helper msgtool serve-send "$P-big" 100000 5 300000 65536 65537 1 </dev/null 2>serr &&
	wait_for serr ready &&
	pc connect -m "$P-big" </dev/null >out 2>err &&
	wait_status $server 0 &&
	helper msgtool gen 100000 5 300000 65536 65537 1 >want &&
	same_file want out && empty_file err
'

test_expect_success 'zero-length messages are skipped, not taken for EOF' '
	bg server helper msgtool serve-send "$P-zero" 10 0 0 10 </dev/null 2>serr &&
	wait_for serr ready &&
	pc connect -m "$P-zero" </dev/null >out 2>err &&
	wait_status $server 0 &&
	helper msgtool gen 10 0 0 10 >want &&
	same_file want out
'

test_expect_success 'serve -m sends each stdin block as one message' '
	head -c 200000 /dev/urandom >data &&
	bg server pc serve -v -m -q 0 "$P-blocks" <data >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	helper msgtool recv "$P-blocks" >sizes 2>err &&
	wait_status $server 0 &&
	printf "%s\n" 65536 65536 65536 3392 >want &&
	same_file want sizes
'

test_expect_success 'serve -m receives messages larger than its buffer' '
	bg server pc serve -v -m "$P-srecv" </dev/null >out 2>serr &&
	wait_for serr "listening on" &&
	helper msgtool send "$P-srecv" 200000 3 70000 &&
	wait_status $server 0 &&
	helper msgtool gen 200000 3 70000 >want &&
	same_file want out
'

test_expect_success 'serve -m and connect -m relay 8 MiB both ways' '
	head -c 8388608 /dev/urandom >up &&
	head -c 8388608 /dev/urandom >down &&
	bg server pc serve -v -m -q 5 "$P-mm" <down >sout 2>serr &&
	wait_for serr "listening on" &&
	pc connect -m "$P-mm" <up >cout 2>cerr &&
	wait_status $server 0 &&
	same_file up sout && same_file down cout
'

test_expect_success 'connect -m to a byte-type pipe is refused with exit 1' '
	bg server pc serve -v "$P-byte" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	expect_status 1 pc connect -m "$P-byte" </dev/null >out 2>err &&
	grep_file "^pipecat: connect .*$P-byte: -m needs a message-type pipe" err &&
	empty_file out &&
	kill_tree $server
'

test_expect_success '--eof-message on both sides: each ends when both are done, no -q needed' '
	head -c 300000 /dev/urandom >up &&
	head -c 100000 /dev/urandom >down &&
	bg server pc serve -v -m --eof-message "$P-eof" <down >sout 2>serr &&
	wait_for serr "listening on" &&
	pc connect -m --eof-message "$P-eof" <up >cout 2>cerr &&
	wait_status $server 0 &&
	same_file up sout && same_file down cout &&
	empty_file cerr
'

test_expect_success '--eof-message sends a zero-length message at stdin EOF' '
	bg server helper msgtool serve-recv "$P-eof2" </dev/null >sizes 2>serr &&
	wait_for serr ready &&
	printf "abc" | pc connect -m -q 0 --eof-message "$P-eof2" >/dev/null &&
	wait_status $server 0 &&
	printf "3\n0\n" >want && same_file want sizes
'

test_expect_success '-x shows the EOF message sent and the one received' '
	bg server pc serve -m --eof-message -x "$P-eofx" </dev/null >/dev/null 2>sdump &&
	printf "abc" | pc connect -m --eof-message -x --wait 10 "$P-eofx" >/dev/null 2>cdump &&
	wait_status $server 0 &&
	grep_file "^> message of 3 bytes at offset 0$" cdump &&
	grep_file "^> message of 0 bytes at offset 3$" cdump &&
	grep_file "^< message of 0 bytes at offset 0$" cdump &&
	grep_file "^< message of 3 bytes at offset 0$" sdump &&
	grep_file "^< message of 0 bytes at offset 3$" sdump &&
	grep_file "^> message of 0 bytes at offset 0$" sdump
'

test_expect_success '--eof-message needs -m' '
	expect_status 2 pc connect --eof-message x 2>err &&
	grep_file "needs -m" err
'

test_done
