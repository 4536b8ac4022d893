#!/bin/bash
# A peer that goes away before it has taken everything read from stdin: the
# relay says so on stderr even without -v, and exits 7, so that a script can
# tell a partial delivery from a whole one (netcat exits 0 either way).
# Under -k the bytes go to the next client instead, so only the last
# client's departure counts. It is known only when the peer refused a write
# before its close ended the relay, which --send-only makes certain here (no
# read of the pipe can see the close first); with both directions on, a
# close seen first by the read is not counted (the write in flight may have
# been read whole: Wine 8 can complete it with an error after the close).
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success 'serve --send-only < 64 MiB, the client killed at 8 MiB: exit 7 and one line' '
	head -c 67108864 /dev/zero >big &&
	bg server pc serve -v --send-only "$P-kill" <big >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg client pc connect --recv-only "$P-kill" </dev/null >got 2>cerr &&
	wait_size got 8388608 60 &&
	kill_tree $client KILL &&
	wait_status $server 7 &&
	grep_file "^pipecat: serve .*: the peer went away; [0-9]+ bytes read from stdin were not delivered$" serr &&
	test $(grep -c "not delivered" serr) -eq 1
'

test_expect_success 'connect < 64 MiB, the server killed mid-transfer: exit 7' '
	bg server pc serve --recv-only "$P-ks" </dev/null >sgot 2>serr2 &&
	bg client pc connect --send-only --wait 10 "$P-ks" <big >/dev/null 2>cerr2 &&
	wait_size sgot 8388608 60 &&
	kill_tree $server KILL &&
	wait_status $client 7 &&
	grep_file "^pipecat: connect .*: the peer went away; [0-9]+ bytes read from stdin were not delivered$" cerr2
'

test_expect_success 'a whole delivery still exits 0 with nothing on stderr' '
	head -c 1000000 /dev/urandom >mid &&
	bg server pc serve -q 0 "$P-ok" <mid >/dev/null 2>serr3 &&
	pc connect --recv-only --wait 10 "$P-ok" </dev/null >got3 2>cerr3 &&
	wait_status $server 0 &&
	same_file mid got3 &&
	empty_file serr3 && empty_file cerr3
'

test_done
