#!/bin/bash
# bridge between pipes and TCP: 64 MiB each way at once through
# pipe-listen <-> tcp and tcp-listen <-> pipe, checked byte for byte
# against Python's socket on the Linux side; message pipes' EOF
# (--eof-message) to a half-close and back.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TOP/tests/lib/bridge-lib.sh"

BIG=$((64 * 1024 * 1024))

test_expect_success 'setup: 64 MiB up and 64 MiB down' '
	gen up.bin 64 1 && gen down.bin 64 2 &&
	test $(wc -c <up.bin) -eq $BIG && ! cmp -s up.bin down.bin
'

test_expect_success 'pipe-listen <-> tcp: 64 MiB each way at once, every byte' '
	bg srv timeout 55 $PEER serve big.port down.bin recv.bin $BIG && wait_file big.port &&
	bg br pc bridge -v pipe-listen:$P-big tcp:127.0.0.1:$(cat big.port) 2>err &&
	wait_for err "listening on " &&
	grep_file "^pipecat: listening on \\\\\\\\\.\\\\pipe\\\\$P-big$" err &&
	pc connect $P-big <up.bin >got.bin &&
	wait_status $br 0 && wait_status $srv 0 &&
	same_file up.bin recv.bin && same_file down.bin got.bin &&
	grep_file "closed \([a-z ]+\): $BIG bytes .* -> tcp:127\.0\.0\.1:[0-9]+, $BIG bytes back" err
'

test_expect_success 'tcp-listen <-> pipe: 64 MiB each way at once, every byte' '
	bg sv pc serve -v $P-big2 <down.bin >got2.bin 2>serr &&
	wait_for serr "listening on " &&
	bg br pc bridge -v tcp-listen:0 pipe:$P-big2 2>err &&
	bridge_listening port err &&
	timeout 55 $PEER connect $port up.bin recv2.bin $BIG &&
	wait_status $br 0 && wait_status $sv 0 &&
	same_file up.bin got2.bin && same_file down.bin recv2.bin
'

# A TCP reader slower than the pipe: most socket writes must wait. In Wine
# 8 an overlapped WriteFile on a socket that waits is resumed by ntdll's
# receive code (fixed in Wine 10), which reads the socket instead: with
# this reader sending nothing, the write never completed (4 hangs in 45
# runs of 64 MiB to socat -u; and here). bridge writes sockets with
# WSASend, which Wine 8 and 10 and Windows all complete.
test_expect_success 'tcp-listen <-> pipe: a TCP reader slower than the pipe: every byte' '
	gen slow.bin 4 3 &&
	bg sv pc serve -v $P-slow <slow.bin 2>serr &&
	wait_for serr "listening on " &&
	bg br pc bridge -v tcp-listen:0 pipe:$P-slow 2>err &&
	bridge_listening port err &&
	timeout 50 $PEER slow $port recv3.bin $((4 * 1024 * 1024)) &&
	wait_status $br 0 && wait_status $sv 0 &&
	same_file slow.bin recv3.bin
'

test_expect_success 'pipe: --wait waits for a pipe served later' '
	bg srv timeout 50 $PEER answer w.port && wait_file w.port &&
	bg br pc bridge -v --wait 20 tcp-listen:0 pipe:$P-later 2>err &&
	bridge_listening port err &&
	bg ask timeout 40 $PEER ask $port "hello" >got &&
	sleep 0.5 &&
	pc serve -q 5 $P-later </dev/null >served &&
	printf hello >want && same_file want served &&
	wait_status $br 0 &&
	kill_tree $srv
'

test_expect_success 'pipe: with no such pipe: exit 3 in the session, the listener is unaffected' '
	bg srv timeout 50 $PEER echo e.port && wait_file e.port &&
	bg br pc bridge -v tcp-listen:0 pipe:$P-none 2>err &&
	bridge_listening port err &&
	timeout 20 $PEER ask $port "" >got &&
	empty_file got &&
	wait_status $br 3 &&
	grep_file "^pipecat: session 1: bridge pipe:$P-none: connect: .+ \(2\)$" err &&
	kill_tree $srv
'

test_expect_success 'pipe-listen on a name in use: exit 5' '
	bg sv pc serve -v $P-taken </dev/null 2>serr &&
	wait_for serr "listening on " &&
	expect_status 5 pc bridge pipe-listen:$P-taken tcp:127.0.0.1:9 2>err &&
	grep_file "name already in use" err &&
	kill_tree $sv
'

test_expect_success 'message pipe: --eof-message becomes a half-close, the answer comes back as messages' '
	bg srv timeout 50 $PEER answer m.port && wait_file m.port &&
	bg br pc bridge -v -m --eof-message pipe-listen:$P-msg tcp:127.0.0.1:$(cat m.port) 2>err &&
	wait_for err "listening on " &&
	printf "seven b" | pc connect -m --eof-message $P-msg >got 2>cerr &&
	printf "got 7 bytes\n" >want && same_file want got &&
	wait_status $br 0 &&
	grep_file "closed \(closed\): 7 bytes" err &&
	kill_tree $srv
'

# A session that ends (here Ctrl-C) while its write to a socket whose peer
# reads nothing is pending: Wine 8 does not always cancel that write
# (CancelIoEx), and the session then waited as long as the peer held the
# connection (2 runs in 8 here). The socket is closed after half a second
# instead (bridge.c, end_pump), so the bridge ends with 130 while the peer
# still holds on (40 s, inside the 60 s every Wine program gets here).
test_expect_success 'Ctrl-C while the TCP peer reads nothing and the pipe client floods: 130, the client told' '
	bg srv timeout 50 $PEER deaf d.port 40 && wait_file d.port &&
	bg br pc bridge -v pipe-listen:$P-deaf tcp:127.0.0.1:$(cat d.port) 2>err &&
	wait_for err "listening on " &&
	bg cl pc connect $P-deaf </dev/zero >/dev/null 2>cerr &&
	wait_for err "^pipecat: session 1: " &&
	sleep 1 &&
	kill_tree $br INT &&
	wait_status $br 130 &&
	grep_file "^pipecat: session 1 closed \(interrupted\): [0-9]+ bytes" err &&
	kill -0 $srv &&
	{ wait $cl; st=$?; } &&
	case $st in 0|7) ;; *) cat cerr >&2; false ;; esac &&
	kill_tree $srv
'

test_done
