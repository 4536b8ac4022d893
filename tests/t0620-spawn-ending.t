#!/bin/bash
# spawn: how it ends when its child has exited but a grandchild still holds
# the output pipe (--timeout and Ctrl-C still kill the tree and end it), the
# -v line of a tree that was killed, command lines that name no program,
# and the line for a program Windows cannot run.
# The child is kid (tests/helpers/kid.c), which runs its arguments as a
# script; "grandchild ... waitparent" makes a grandchild that goes on once
# its parent, the child, has exited, and "ignoreint" one that outlives
# Ctrl-C (on Windows it reaches every process on the console).
. "$(dirname "$0")/lib/test-lib.sh"

KID="$HELPERS/kid.exe"

# These used to wait for the grandchild (5 s, 30 s) and exit 3.
test_expect_success '--timeout kills a grandchild holding the output after the child exited' '
	rm -f survived &&
	expect_status 124 pc spawn -t 2 -- "$KID" grandchild sleep 5000 touch survived -- line child exit 3 >out 2>err &&
	printf "child\n" >want && same_file want out &&
	grep_file "^pipecat: spawn .*: timed out after 2.000 s, killed$" err &&
	test $(wc -l <err) -eq 1 &&
	sleep 5.5 &&
	test ! -e survived
'

test_expect_success 'Ctrl-C kills a grandchild holding the output after the child exited: 130' '
	bg job pc spawn -v -- "$KID" grandchild ignoreint waitparent line orphaned sleep 30000 -- exit 3 >out 2>err &&
	wait_for out "^orphaned$" &&
	kill_tree $job INT &&
	wait_status $job 130 &&
	grep_file "^pipecat: pid [0-9]+ exited with status 3, what it started killed after Ctrl-C: 9 bytes out, 0 err, [0-9.]+ s$" err
'

test_expect_success 'the grandchild'"'"'s output before the timeout is relayed, and -v says what was killed' '
	expect_status 124 pc spawn -v -t 2 -- "$KID" grandchild waitparent line orphaned sleep 30000 -- exit 3 >out 2>err &&
	printf "orphaned\n" >want && same_file want out &&
	grep_file "^pipecat: pid [0-9]+ exited with status 3, what it started killed after the timeout: 9 bytes out, 0 err, [0-9.]+ s$" err
'

test_expect_success '-v after Ctrl-C says the child was killed, not that it exited' '
	bg job pc spawn -v -- "$KID" ignoreint line up sleep 30000 >out 2>err &&
	wait_for out "^up$" &&
	kill_tree $job INT &&
	wait_status $job 130 &&
	grep_file "^pipecat: pid [0-9]+ killed after Ctrl-C: 3 bytes out, 0 err, [0-9.]+ s$" err &&
	! grep -q "exited" err
'

test_expect_success '-v after --timeout says the child was killed' '
	expect_status 124 pc spawn -v -t 1 -- "$KID" sleep 30000 >out 2>err &&
	grep_file "^pipecat: pid [0-9]+ killed after the timeout: 0 bytes out, 0 err, [0-9.]+ s$" err &&
	grep_file "^pipecat: spawn .*: timed out after 1.000 s, killed$" err &&
	test $(wc -l <err) -eq 3
'

test_expect_success '-v of a child that exits by itself within the Ctrl-C grace keeps its status' '
	bg job pc spawn -v -- "$KID" ignoreint line up sleep 300 exit 4 >out 2>err &&
	wait_for out "^up$" &&
	kill_tree $job INT &&
	wait_status $job 4 &&
	grep_file "^pipecat: pid [0-9]+ exited with status 4: 3 bytes out, 0 err, [0-9.]+ s$" err
'

# usage_is MESSAGE: err holds the usage error MESSAGE and the "try" line.
usage_is() {
	printf "pipecat: spawn: %s\npipecat: try 'pipecat spawn --help'\n" "$1" >want &&
	same_file want err
}

test_expect_success 'an empty program name is a usage error' '
	expect_status 2 pc spawn -- "" arg >out 2>err &&
	empty_file out && usage_is "the program name is empty"
'

test_expect_success 'a blank program name is a usage error' '
	expect_status 2 pc spawn -- " 	" >out 2>err &&
	empty_file out && usage_is "the program name is blank"
'

test_expect_success 'a blank -c command line is a usage error' '
	expect_status 2 pc spawn -c " " >out 2>err &&
	empty_file out && usage_is "-c: the command line is blank" &&
	expect_status 2 pc spawn -c "	 " >out 2>err &&
	empty_file out && usage_is "-c: the command line is blank"
'

test_expect_success 'a -c line whose program name is empty is a usage error' '
	expect_status 2 pc spawn -c "\"\" arg" >out 2>err &&
	empty_file out && usage_is "-c: the program name is empty"
'

test_expect_success 'an empty -c line is still "empty"' '
	expect_status 2 pc spawn -c "" >out 2>err &&
	usage_is "-c: the command line is empty"
'

# The line of a program that cannot be run names it; t0610 has the
# COMMAND form.
test_expect_success 'a -c line whose program cannot be run: one line naming its first word' '
	printf "not a program" >notexe.exe &&
	expect_status 126 pc spawn -c "./notexe.exe arg" >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: spawn \./notexe\.exe: [^%]+ \(193\)$" err &&
	test $(wc -l <err) -eq 1 &&
	expect_status 127 pc spawn -c "\"pipecat no such program\" arg" >out 2>err &&
	grep_file "^pipecat: spawn pipecat no such program: [^%]+ \(2\)$" err
'

test_done
