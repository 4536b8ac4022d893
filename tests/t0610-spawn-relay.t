#!/bin/bash
# spawn: exit codes, output relayed unchanged and as it arrives, --split,
# --stdin-pipe, -c, missing programs, --timeout killing the whole tree.
# The child is kid (tests/helpers/kid.c), which runs its arguments as a
# script of writes, sleeps and exits.
. "$(dirname "$0")/lib/test-lib.sh"

KID="$HELPERS/kid.exe"

for code in 0 1 3 255; do
	test_expect_success "the child's exit status $code is pipecat's" '
		expect_status '$code' pc spawn -- "$KID" outs "x" exit '$code' >out 2>err &&
		printf x >want && same_file want out && empty_file err
	'
done

test_expect_success 'stdout and stderr are merged by default, in order' '
	pc spawn -- "$KID" outs "1 " errs "2 " outs "3 " errs "4" >out 2>err &&
	printf "1 2 3 4" >want && same_file want out && empty_file err
'

test_expect_success '--split keeps stderr apart, each stream in order' '
	pc spawn --split -- "$KID" outs "1 " errs "2 " outs "3 " errs "4" >out 2>err &&
	printf "1 3 " >want && same_file want out &&
	printf "2 4" >want && same_file want err
'

test_expect_success '16 MiB of binary output arrives unchanged' '
	head -c 16777216 /dev/urandom >data &&
	printf "\r\n\x1a\x00" >>data &&
	pc spawn --stdin-pipe -- "$KID" cat <data >out 2>err &&
	same_file data out && empty_file err
'

test_expect_success 'output appears as the child writes it, not when it exits' '
	bg job pc spawn -- "$KID" line first sleep 3000 line second >out 2>err &&
	wait_for out "^first$" 2 &&
	! grep -q second out &&
	wait_status $job 0 &&
	printf "first\nsecond\n" >want && same_file want out
'

test_expect_success 'the child inherits stdin by default' '
	printf "typed input" | pc spawn -- "$KID" cat >out &&
	printf "typed input" >want && same_file want out
'

test_expect_success '--stdin-pipe feeds stdin through a pipe and closes it at EOF' '
	seq 1 50000 >in &&
	pc spawn --stdin-pipe -- "$KID" cat outs "done" <in >out &&
	{ cat in; printf done; } >want && same_file want out
'

test_expect_success 'a missing program exits 127 with one line naming it' '
	expect_status 127 pc spawn -- pipecat-no-such-program arg >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: spawn pipecat-no-such-program: [^%]+ \(2\)$" err &&
	test $(wc -l <err) -eq 1
'

# Windows says "%1 is not a valid Win32 application.", Wine "Bad EXE
# format for %1." (193): the insert is not filled, so it must not show.
test_expect_success 'a program that cannot be started exits 126, one line naming it, no %1' '
	printf "not a program" >notexe.exe &&
	expect_status 126 pc spawn -- ./notexe.exe arg >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: spawn \./notexe\.exe: [^%]+ \(193\)$" err &&
	test $(wc -l <err) -eq 1
'

test_expect_success '-c passes a raw command line: cmd /c builtins work' '
	pc spawn -c "cmd /c echo hello& echo world" >out 2>err &&
	printf "hello\r\nworld\r\n" >want && same_file want out
'

test_expect_success '-c with cmd /c exit passes the status' '
	expect_status 7 pc spawn -c "cmd /c exit 7"
'

test_expect_success '--timeout kills the child and its grandchild, exit 124' '
	rm -f survived &&
	expect_status 124 pc spawn -t 1 -- "$KID" grandchild sleep 2500 touch survived -- sleep 30000 >out 2>err &&
	grep_file "^pipecat: spawn .*: timed out after 1.000 s, killed$" err &&
	sleep 2.5 &&
	test ! -e survived
'

test_expect_success 'without --timeout the grandchild holding the pipe is waited for' '
	pc spawn -- "$KID" grandchild sleep 500 outs "late" -- outs "early " >out &&
	printf "early late" >want && same_file want out
'

test_expect_success 'Ctrl-C ends spawn and its child promptly with 130' '
	bg job pc spawn -v -- "$KID" sleep 30000 >out 2>err &&
	wait_for err "started pid" &&
	kill_tree $job INT &&
	wait_status $job 130
'

test_expect_success 'a reader of stdout that goes away ends spawn with 141' '
	{ pc spawn -- "$KID" out 100000000 2>err; echo $? >status; } | head -c 5 >first &&
	test "$(cat status)" = 141 &&
	printf abcde >want && same_file want first
'

test_expect_success '-v reports the start and the exit' '
	pc spawn -v -- "$KID" outs abc exit 2 >out 2>err;
	test $? -eq 2 &&
	grep_file "^pipecat: started pid [0-9]+: .*kid.exe outs abc exit 2$" err &&
	grep_file "^pipecat: pid [0-9]+ exited with status 2: 3 bytes out, 0 err, [0-9.]+ s$" err
'

# An exception's status (here 0xC0000005, an access violation, as a
# crashed child leaves it) is also shown in hex; the shell sees its low
# byte, as it sees that of any status.
test_expect_success '-v shows an exception status in hex too' '
	pc spawn -v -- "$KID" exit 0xC0000005 >out 2>err;
	test $? -eq 5 &&
	grep_file "^pipecat: pid [0-9]+ exited with status 3221225477 \(0xC0000005\): 0 bytes out, 0 err, [0-9.]+ s$" err
'

test_expect_success 'usage errors: no command, -c with a command, bad --timeout' '
	expect_status 2 pc spawn 2>err && grep_file "COMMAND" err &&
	expect_status 2 pc spawn -c "x" -- y 2>err && grep_file "cannot be combined" err &&
	expect_status 2 pc spawn -t x -- y 2>err && grep_file "^pipecat: spawn: --timeout: \"x\"" err
'

test_done
