#!/bin/bash
# bridge between stdio and TCP, against peers on the Linux side of Wine
# (Debian's socat, Python's socket): both directions, half-close both
# ways, -q, -i, -x, and the errors: refused, no such host, port in use,
# each with its exit status; tcp-listen's loopback default.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TOP/tests/lib/bridge-lib.sh"

test_expect_success 'bridge - tcp: is netcat: stdin to socat, the answer it gives at EOF to stdout' '
	port=$(free_port) &&
	bg srv timeout 50 socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork SYSTEM:"tr a-z A-Z" &&
	wait_port $port &&
	echo hello | pc bridge - tcp:127.0.0.1:$port >out 2>err &&
	printf "HELLO\n" >want && same_file want out && empty_file err &&
	kill_tree $srv
'

test_expect_success 'bridge - tcp: to a Python server that answers at EOF (half-close to TCP)' '
	bg srv timeout 50 $PEER answer ans.port && wait_file ans.port &&
	printf "0123456789" | pc bridge -v - tcp:localhost:$(cat ans.port) >out 2>err &&
	printf "got 10 bytes\n" >want && same_file want out &&
	grep_file "^pipecat: connected to tcp:localhost:[0-9]+ \(127\.0\.0\.1:[0-9]+\)$" err &&
	grep_file "^pipecat: bridge closed \(closed\): 10 bytes stdio -> tcp:localhost:[0-9]+, 13 bytes back, " err &&
	kill_tree $srv
'

test_expect_success 'tcp-listen:0 -v says the port; a socat client gets stdin, stdout gets its bytes' '
	printf "from stdin\n" >in &&
	bg br pc bridge -v tcp-listen:0 - <in >out 2>err &&
	bridge_listening port err &&
	grep_file "^pipecat: listening on tcp:127\.0\.0\.1:$port \(loopback only\)$" err &&
	printf "from socat\n" | timeout 20 socat -t 5 - TCP:127.0.0.1:$port >got &&
	wait_status $br 0 &&
	same_file in got &&
	printf "from socat\n" >want && same_file want out &&
	grep_file "^pipecat: session 1: tcp:127\.0\.0\.1:[0-9]+ -> stdio$" err &&
	grep_file "^pipecat: session 1 closed \([a-z ]+\): 11 bytes tcp:127\.0\.0\.1:[0-9]+ -> stdio, 11 bytes back" err
'

test_expect_success 'half-close both ways: a client that shuts down its write side still gets the answer' '
	bg srv timeout 50 $PEER answer ans2.port && wait_file ans2.port &&
	bg br pc bridge -v tcp-listen:0 tcp:127.0.0.1:$(cat ans2.port) 2>err &&
	bridge_listening port err &&
	timeout 20 $PEER ask $port "twelve bytes" >got &&
	printf "got 12 bytes\n" >want && same_file want got &&
	wait_status $br 0 &&
	grep_file "closed \(closed\): 12 bytes tcp:127\.0\.0\.1:[0-9]+ -> tcp:127\.0\.0\.1:[0-9]+, 13 bytes back" err &&
	kill_tree $srv
'

test_expect_success 'the loopback default: the listener is bound to 127.0.0.1 only' '
	bg br pc bridge -v tcp-listen:0 - </dev/null 2>err &&
	bridge_listening port err &&
	hex=$(printf "%04X" $port) &&
	grep -E "^ *[0-9]+: 0100007F:$hex 00000000:0000 0A " /proc/net/tcp >listen &&
	test -s listen &&
	kill_tree $br
'

test_expect_success 'tcp-listen:0.0.0.0:0 -v warns that anyone who reaches it gets the other side' '
	bg br pc bridge -v tcp-listen:0.0.0.0:0 - </dev/null 2>err &&
	wait_for err "listening on tcp:0\.0\.0\.0:[0-9]+$" &&
	grep_file "^pipecat: warning: 0\.0\.0\.0 is not a loopback address: anyone who can reach it gets -$" err &&
	kill_tree $br
'

test_expect_success 'a refused port: exit 3, the address and the system message' '
	port=$(free_port) &&
	expect_status 3 pc bridge - tcp:127.0.0.1:$port </dev/null >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: bridge tcp:127\.0\.0\.1:$port: connect: .+ \(10061\)$" err &&
	test $(wc -l <err) -eq 1
'

test_expect_success 'an unknown host: exit 3, resolve and the system message' '
	expect_status 3 pc bridge - tcp:no-such-host.invalid:80 </dev/null >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: bridge tcp:no-such-host\.invalid:80: resolve no-such-host\.invalid: .+ \(1100[14]\)$" err
'

test_expect_success 'assuan: with no socket file: exit 3' '
	expect_status 3 pc bridge - assuan:nofile </dev/null >out 2>err &&
	grep_file "^pipecat: bridge assuan:nofile: open: .+ \(2\)$" err
'

test_expect_success 'tcp-listen on a port in use: exit 5, bind and the system message' '
	bg srv timeout 50 $PEER echo used.port && wait_file used.port &&
	port=$(cat used.port) &&
	expect_status 5 pc bridge tcp-listen:$port - </dev/null >out 2>err &&
	empty_file out &&
	# Wine has no text for 10048 ("error 10048"); Windows does.
	grep_file "^pipecat: bridge tcp-listen:$port: bind: (.+ \(10048\)|error 10048)$" err &&
	kill_tree $srv
'

# socat -t 40: socat itself would close 0.5 s after our EOF (its -t).
test_expect_success 'after stdin ends, a peer that never closes gets -q 0.5 s, then both close' '
	port=$(free_port) &&
	bg srv timeout 50 socat -t 40 TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat; sleep 40" &&
	wait_port $port &&
	start=$(date +%s) &&
	echo ping | pc bridge -v - tcp:127.0.0.1:$port >out 2>err &&
	test $(( $(date +%s) - start )) -lt 20 &&
	printf "ping\n" >want && same_file want out &&
	grep_file "^pipecat: bridge closed \(linger ran out\): 5 bytes" err &&
	kill_tree $srv
'

test_expect_success '-i: nothing either way for that long ends with 6' '
	port=$(free_port) &&
	bg srv timeout 50 socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork SYSTEM:"sleep 40" &&
	wait_port $port &&
	{ sleep 30 | expect_status 6 pc bridge -i 1 - tcp:127.0.0.1:$port >out 2>err; } &&
	grep_file "^pipecat: bridge: idle for 1\.000 s, closed$" err &&
	kill_tree $srv
'

test_expect_success '-x dumps what goes from the first address to the second as >, back as <' '
	port=$(free_port) &&
	bg srv timeout 50 socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork SYSTEM:"tr a-z A-Z" &&
	wait_port $port &&
	printf "abc" | pc bridge -x - tcp:127.0.0.1:$port >out 2>err &&
	printf "ABC" >want && same_file want out &&
	grep_file "^> 3 bytes at offset 0$" err &&
	grep_file "^> 00000000  61 62 63 " err &&
	grep_file "^< 3 bytes at offset 0$" err &&
	grep_file "^< 00000000  41 42 43 " err &&
	kill_tree $srv
'

test_done
