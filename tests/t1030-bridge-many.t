#!/bin/bash
# bridge -k: many sessions at once in one process. 32 TCP clients at once
# through one tcp-listen <-> pipe: bridge and 32 pipe clients through one
# pipe-listen <-> tcp: bridge, each getting exactly its own bytes back; a
# peer killed mid-transfer ends its own session only.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TOP/tests/lib/bridge-lib.sh"

KID="$HELPERS/kid.exe"

# The two echo servers serve every test of the file, so they may live
# longer than one command's limit: on a loaded machine the file has taken
# over a minute.
test_expect_success 'setup: a pipe echo server (serve, a kid cat per client) and a TCP one (Python)' '
	TEST_TIMEOUT=400 bg pecho pc serve -v --max-instances 48 $P-echo -- "$KID" cat </dev/null 2>serr &&
	wait_for serr "listening on " &&
	bg techo timeout 400 $PEER echo echo.port && wait_file echo.port
'

test_expect_success '32 TCP clients at once through one tcp-listen <-> pipe: bridge' '
	bg br pc bridge -v --max-clients 32 --wait 20 tcp-listen:0 pipe:$P-echo 2>err &&
	bridge_listening port err &&
	timeout 55 $PEER clients $port 32 262144 >load &&
	cat load &&
	{ grep_file "^clients=32 ok=32 failed=0$" load || { cat err >&2; false; }; } &&
	wait_status $br 0 &&
	count_lines 32 "^pipecat: session [0-9]* closed" err &&
	count_lines 32 "262144 bytes tcp:127\.0\.0\.1:[0-9]* -> .*, 262144 bytes back" err
'

test_expect_success '32 pipe clients at once through one pipe-listen <-> tcp: bridge' '
	bg br pc bridge -v --max-clients 32 pipe-listen:$P-many tcp:127.0.0.1:$(cat echo.port) 2>err &&
	wait_for err "listening on " &&
	helper pipeload $P-many 32 262144 >load &&
	cat load &&
	{ grep_file "^clients=32 ok=32 failed=0 " load || { cat err >&2; false; }; } &&
	wait_status $br 0 &&
	count_lines 32 "^pipecat: session [0-9]* closed" err
'

test_expect_success 'a TCP peer killed mid-transfer ends its session; the others go on' '
	bg br pc bridge -v -k --wait 20 tcp-listen:0 pipe:$P-echo 2>err &&
	bridge_listening port err &&
	bg hog socat -u /dev/zero TCP:127.0.0.1:$port &&
	wait_for err "^pipecat: session 1: " &&
	timeout 55 $PEER clients $port 4 1048576 >load1 &&
	kill_tree $hog KILL &&
	wait_for err "^pipecat: session 1 closed" &&
	timeout 55 $PEER clients $port 4 65536 >load2 &&
	grep_file "^clients=4 ok=4 failed=0$" load1 &&
	grep_file "^clients=4 ok=4 failed=0$" load2 &&
	kill -0 $br &&
	kill_tree $br
'

test_expect_success 'a pipe peer killed mid-transfer: the others go on' '
	bg br pc bridge -v -k pipe-listen:$P-kill tcp:127.0.0.1:$(cat echo.port) 2>err &&
	wait_for err "listening on " &&
	bg hog pc connect $P-kill </dev/zero >/dev/null &&
	wait_for err "^pipecat: session 1: " &&
	helper pipeload $P-kill 4 1048576 >load1 &&
	kill_tree $hog KILL &&
	helper pipeload $P-kill 4 65536 >load2 &&
	grep_file "^clients=4 ok=4 failed=0 " load1 &&
	grep_file "^clients=4 ok=4 failed=0 " load2 &&
	kill -0 $br
'

# Wine 8 now and then (3 runs in 8 here) keeps the killed client's end of
# the pipe open, the session's read and write on it pending for ever; the
# session then ends through the client's process exit (aio.h,
# pipe_peer_exit_watch, Wine only: on Windows a killed process's handles
# close before it is signalled). Debian 13's Wine 10 passed this test, then
# a TODO, in the runs seen without the watch. How it ends depends on which
# direction sees the death first: "gone" when the write of the echo into
# the pipe is refused, "closed" when the read of the pipe sees its end and
# the echo server, told by a half-close, ends before another write (seen
# once, Debian 12 chroot).
test_expect_success 'a pipe peer killed mid-transfer ends its own session' '
	wait_for err "^pipecat: session 1 closed \((gone|closed)\)" 20
'

test_expect_success 'the bridge of the killed peer is stopped' '
	kill_tree $br
'

# The watch at work every time (as in t0350): the client's end held by a
# child of the process that opened it (hold ... pass), the opener gone at
# once. Under Wine 8 and 10 the session ends a second later, well inside
# the 20 s the child holds the end; on Windows it would last as long.
test_expect_success 'Wine: a pipe client gone, its end held on by its child: the session ends (gone) in seconds' '
	bg br pc bridge -v pipe-listen:$P-pass tcp:127.0.0.1:$(cat echo.port) 2>err &&
	wait_for err "listening on " &&
	helper hold open $P-pass 20000 pass 2>hold.err &&
	grep_file "^passed" hold.err &&
	wait_status $br 0 &&
	grep_file "^pipecat: session 1 closed \(gone\): 0 bytes .* 0 bytes back, [0-9]\.[0-9]{3} s$" err
'

test_expect_success 'Ctrl-C ends a listener with sessions running: exit 130' '
	bg br pc bridge -v -k tcp-listen:0 tcp:127.0.0.1:$(cat echo.port) 2>err &&
	bridge_listening port err &&
	bg hog socat -u /dev/zero TCP:127.0.0.1:$port &&
	wait_for err "^pipecat: session 1: " &&
	kill_tree $br INT &&
	wait_status $br 130 &&
	kill_tree $hog KILL
'

test_done
