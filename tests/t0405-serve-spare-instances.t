#!/bin/bash
# serve -k, -b and with a COMMAND keep serving when an instance cannot be
# created: another process of the same user may create an instance of the
# pipe (its DACL lets the user), and so hold the last one the instance limit
# allows. serve says so once, goes on with the instances it has, and tries
# again every second. squat (tests/helpers/squat.c) is that other process.
#
# To make the squatter come between serve's first instance and its spares,
# serve's stderr is a FIFO whose buffer is full: serve blocks writing its
# "listening on" line, after creating the first instance and before the
# others, until the test drains the FIFO.
. "$(dirname "$0")/lib/test-lib.sh"

# squat_test LABEL MAX-INSTANCES OPTION [-- COMMAND...]: the whole scenario.
squat_test() {
	_l=$1 _max=$2 _opt=$3
	shift 3
	mkfifo "fifo.$_l" && exec 5<>"fifo.$_l" &&
	head -c 65536 /dev/zero >&5 &&
	bg server pc serve -v $_opt "$P-$_l" "$@" </dev/null 2>&5 &&
	bg squatter helper squat "$P-$_l" "$_max" 4000 </dev/null >"squat.$_l" &&
	wait_for "squat.$_l" "^squatting" &&
	{ cat <&5 >"serr.$_l" & } &&
	drain=$! &&
	wait_for "serr.$_l" "create an instance \([0-9]+ still listening; trying again every 1 s\)" &&
	kill -0 $server &&
	wait_status $squatter 0 &&
	pc connect -q 0 --wait 10 "$P-$_l" </dev/null >/dev/null 2>"cerr.$_l" &&
	wait_for "serr.$_l" "client (1 )?connected" &&
	kill_tree $server INT &&
	wait_status $server 130 &&
	test $(grep -ac "create an instance" "serr.$_l") -eq 1 &&
	kill $drain && exec 5>&-
}

test_expect_success 'serve -k: a squatted instance is said once, the server goes on' '
	squat_test k 4 -k
'

test_expect_success 'serve -b: the same' '
	squat_test b 16 -b
'

test_expect_success 'serve with a COMMAND: the same' '
	squat_test x 33 --max-clients=5 -- "$HELPERS/kid.exe" cat
'

test_done
