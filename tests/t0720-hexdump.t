#!/bin/bash
# -x, --hex-dump: the traffic of a known exchange, dumped in both directions,
# compared byte for byte with expected files (tests/data/hexdump-*.expected).
# Each direction is compared on its own: when a sent and a received block
# are dumped relative to each other depends on timing, their content not.
# The data on stdout is unchanged by the dump.
. "$(dirname "$0")/lib/test-lib.sh"

DATA="$TOP/tests/data"

test_expect_success 'byte mode: both directions dumped exactly, stdout unchanged' '
	printf "reply: 0123456789abcdef0123456789ABCDEF\n" >sin &&
	printf "hello, server\r\n\000\032\377 end" >cin &&
	bg server pc serve -v -q 1 "$P-b" <sin >sout 2>serr &&
	wait_for serr "listening on" &&
	pc connect -x "$P-b" <cin >cout 2>dump &&
	wait_status $server 0 &&
	same_file sin cout && same_file cin sout &&
	grep "^>" dump >sent && grep "^<" dump >received &&
	same_file "$DATA/hexdump-byte-sent.expected" sent &&
	same_file "$DATA/hexdump-byte-received.expected" received &&
	test $(grep -cv "^[<>]" dump) -eq 0
'

test_expect_success 'message mode: message boundaries and lengths, zero-length too' '
	bg server helper msgtool serve-send-wait "$P-m" 20 0 5 </dev/null 2>serr &&
	wait_for serr ready &&
	printf "one block" | pc connect -m -q 1 --hex-dump=dump.txt "$P-m" >cout 2>cerr &&
	wait_status $server 0 &&
	helper msgtool gen 20 0 5 >want && same_file want cout &&
	grep "^>" dump.txt >sent && grep "^<" dump.txt >received &&
	same_file "$DATA/hexdump-message-sent.expected" sent &&
	same_file "$DATA/hexdump-message-received.expected" received &&
	empty_file cerr
'

test_expect_success '--hex-dump=FILE appends, and the server side can dump too' '
	printf "old line\n" >dump2.txt &&
	printf "abc" >sin &&
	bg server pc serve -v -q 1 --hex-dump=dump2.txt "$P-f" <sin >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	printf "xyz" | pc connect "$P-f" >cout &&
	wait_status $server 0 &&
	head -n 1 dump2.txt >first && printf "old line\n" >want && same_file want first &&
	grep_file "^> 3 bytes at offset 0$" dump2.txt &&
	grep_file "^> 00000000  61 62 63 " dump2.txt &&
	grep_file "^< 3 bytes at offset 0$" dump2.txt &&
	grep_file "^< 00000000  78 79 7a " dump2.txt
'

test_expect_success 'spawn -x dumps the child output as received' '
	pc spawn -x -- "$HELPERS/kid.exe" outs "hi!" >out 2>dump &&
	printf "hi!" >want && same_file want out &&
	grep_file "^< 3 bytes at offset 0$" dump &&
	grep_file "^< 00000000  68 69 21 +\|hi!\|$" dump
'

test_expect_success 'spawn -x --stdin-pipe dumps what the child was given, and its answer' '
	printf "abc" | pc spawn -x --stdin-pipe -- "$HELPERS/kid.exe" cat >out 2>dump &&
	printf "abc" >want && same_file want out &&
	grep_file "^> 3 bytes at offset 0$" dump &&
	grep_file "^> 00000000  61 62 63 +\|abc\|$" dump &&
	grep_file "^< 00000000  61 62 63 +\|abc\|$" dump
'

test_expect_success 'a dump file that cannot be opened is an error before anything runs' '
	expect_status 1 pc connect --hex-dump=no/such/dir/dump "$P-none" </dev/null 2>err &&
	grep_file "^pipecat: open hex dump no/such/dir/dump: .*\([0-9]+\)$" err &&
	expect_status 2 pc serve -x -b "$P-none" 2>err && grep_file "do not apply" err
'

test_done
