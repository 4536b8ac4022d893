#!/bin/bash
# serve: a name already in use, -k with clients one after another, a client
# killed mid-transfer, --max-clients, Ctrl-C, security descriptor.
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success 'a name already in use is refused with exit 5' '
	bg first pc serve -v "$P-used" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	expect_status 5 pc serve "$P-used" </dev/null >out 2>err &&
	grep_file "^pipecat: serve .*$P-used: name already in use: .*\([0-9]+\)$" err &&
	empty_file out &&
	kill_tree $first
'

# Wine ignores FILE_FLAG_FIRST_PIPE_INSTANCE when the pipe that holds the
# name allows more instances: its CreateNamedPipeW joins that pipe. pipecat
# then sees two instances where it made one, and refuses as Windows would.
test_expect_success 'a name held by a server that allows many instances is refused too' '
	bg first pc serve -v -b "$P-many" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	expect_status 5 pc serve "$P-many" </dev/null >out 2>err &&
	grep_file "^pipecat: serve .*$P-many: name already in use: .*\([0-9]+\)$" err &&
	kill_tree $first
'

# cmd.exe opens the pipe once per echo and never retries on "busy". (Wine's
# cmd also prints "Invalid function." for each, as it tries to seek the
# pipe; the data is written all the same.)
printf '@echo off\r\necho one> \\\\.\\pipe\\%s\r\necho two> \\\\.\\pipe\\%s\r\necho three> \\\\.\\pipe\\%s\r\n' \
    "$P-quick" "$P-quick" "$P-quick" >burst.cmd
test_expect_success '-k: clients in quick succession that never retry all get through' '
	bg server pc serve -v --max-clients 3 "$P-quick" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	cat burst.cmd &&
	timeout 30 $WINE cmd /c burst.cmd </dev/null >/dev/null 2>&1;
	wait_status $server 0 &&
	printf "one\r\ntwo\r\nthree\r\n" >want && same_file want sout
'

# Clients that write and close at once, each as soon as an instance is
# free: most find the instance WaitNamedPipe announced before serve has
# called ConnectNamedPipe on it, which then says ERROR_NO_DATA. What they
# wrote is still in the pipe and must be served (serve used to disconnect
# such an instance and lose 3 to 40 in 100; Wine 8).
test_expect_success '-k: 200 clients that write and close at once all arrive' '
	bg server pc serve -v -k --max-clients 200 "$P-close" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	helper pipeload "$P-close" 200 100 sequential close &&
	wait_status $server 0 &&
	test $(grep -c "client connected" serr) -eq 200 &&
	test $(wc -c <sout) -eq 20000
'

test_expect_success '-k serves clients one after another' '
	bg server pc serve -v -k --recv-only "$P-k" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	for i in 1 2 3 4 5; do
		printf "client %s\n" $i | pc connect --wait 10 "$P-k" >/dev/null 2>>cerr || return 1
	done &&
	wait_for serr "client gone.*" &&
	printf "client %s\n" 1 2 3 4 5 >want &&
	kill_tree $server &&
	same_file want sout
'

test_expect_success '--max-clients N ends the server after N clients with exit 0' '
	bg server pc serve -v --max-clients 3 --recv-only "$P-max" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	for i in a b c; do
		printf "%s" $i | pc connect -q 0 --wait 10 "$P-max" >/dev/null || return 1
	done &&
	wait_status $server 0 &&
	printf abc >want && same_file want sout &&
	test $(grep -c "client gone" serr) -eq 3
'

test_expect_success 'a client killed mid-transfer ends only its connection' '
	bg server pc serve -v -k --recv-only "$P-kill" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	bg victim pc connect "$P-kill" </dev/zero >/dev/null 2>verr &&
	wait_for serr "client connected" &&
	wait_size sout 1000000 &&
	kill_tree $victim KILL &&
	wait_for serr "client gone" &&
	printf "next one\n" | pc connect -q 0 --wait 10 "$P-kill" 2>cerr &&
	wait_for serr "client gone.*9 received" &&
	printf "next one\n" >want &&
	tail -c 9 sout >got && same_file want got &&
	test "$(head -c -9 sout | tr -d "\\000" | wc -c)" -eq 0 &&
	kill -0 $server &&
	kill_tree $server
'

# stdin outlives each client: what serve read from it while no client could
# take it is written to the next client, not dropped with the one that left.
# stdin is a FIFO fed by `tail -f` from a file the test appends to, so that
# only tail holds its writing end and ending tail is stdin's EOF.
test_expect_success '-k: stdin read after a client left goes to the next client' '
	rm -f feed.fifo && mkfifo feed.fifo && : >feed.txt &&
	{ tail -f feed.txt >feed.fifo & } &&
	feeder=$! &&
	bg server pc serve -v -k -q 0 "$P-hold" <feed.fifo >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg c1 pc connect "$P-hold" </dev/null >c1 2>c1err &&
	wait_for serr "client connected" &&
	printf "one\n" >>feed.txt &&
	wait_for c1 "^one$" &&
	kill_tree $c1 KILL &&
	wait_for serr "client gone" &&
	printf "two\n" >>feed.txt &&
	bg c2 pc connect "$P-hold" </dev/null >c2 2>c2err &&
	wait_for c2 "^two$" &&
	printf "three\n" >>feed.txt &&
	wait_for c2 "^three$" &&
	kill $feeder &&
	wait_status $c2 0 &&
	printf "two\nthree\n" >want && same_file want c2 &&
	printf "one\n" >want && same_file want c1 &&
	kill_tree $server
'

test_expect_success 'Ctrl-C (SIGINT) ends a waiting server with exit 130' '
	bg server pc serve -v "$P-int" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	kill_tree $server INT &&
	wait_status $server 130
'

test_expect_success 'Ctrl-C ends a connected client with exit 130' '
	bg server pc serve -v "$P-int2" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg client pc connect -v "$P-int2" </dev/null >/dev/null 2>cerr &&
	wait_for cerr "connected to" &&
	kill_tree $client INT &&
	wait_status $client 130 &&
	wait_status $server 0
'

# The client's stdout is a FIFO whose reader never reads, so its write to
# stdout blocks. On Windows the Ctrl-C handler cancels that write
# (CancelSynchronousIo); Wine cannot cancel a blocking write to a Unix
# pipe, and there the handler ends the process itself after a second.
test_expect_success 'Ctrl-C ends a client blocked writing to a stdout nobody reads' '
	rm -f out.fifo && mkfifo out.fifo &&
	{ sleep 100 <>out.fifo & } && holder=$! &&
	bg server pc serve -v "$P-int3" </dev/zero >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg client pc connect -v "$P-int3" </dev/null >out.fifo 2>cerr &&
	wait_for cerr "connected to" &&
	sleep 0.5 &&
	kill_tree $client INT &&
	wait_status $client 130 &&
	kill $holder &&
	kill_tree $server
'

test_expect_success 'Ctrl-C ends a client whose -x dump goes to a stderr nobody reads' '
	rm -f err.fifo && mkfifo err.fifo &&
	{ sleep 100 <>err.fifo & } && holder=$! &&
	bg server pc serve -v "$P-int4" </dev/zero >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg client pc connect -x "$P-int4" </dev/null >/dev/null 2>err.fifo &&
	wait_for serr "client connected" &&
	sleep 0.5 &&
	kill_tree $client INT &&
	wait_status $client 130 &&
	kill $holder &&
	kill_tree $server
'

# Wine reports no DACL on pipes, so what can be checked is the descriptor
# pipecat builds and hands to CreateNamedPipeW (-vv prints it).
test_expect_success 'the default DACL admits SYSTEM and the current user only' '
	bg server pc serve -vv "$P-sd" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	grep_file "^pipecat: security descriptor of .*$P-sd: D:P\(A;;GA;;;SY\)\(A;;GA;;;S-1-5-[0-9-]+\)$" serr &&
	kill_tree $server
'

test_expect_success '--allow-everyone adds read/write for Everyone, not instance creation' '
	bg server pc serve -vv --allow-everyone "$P-sd2" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	grep_file "^pipecat: security descriptor of .*: D:P\(A;;GA;;;SY\)\(A;;GA;;;S-1-5-[0-9-]+\)\(A;;0x12018b;;;WD\)$" serr &&
	kill_tree $server
'

test_expect_success '--sddl is used as given' '
	bg server pc serve -vv --sddl "D:P(A;;GA;;;WD)" "$P-sd3" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	grep_file "^pipecat: security descriptor of .*: D:P\(A;;GA;;;WD\)$" serr &&
	printf x | pc connect -q 0 "$P-sd3" &&
	wait_status $server 0
'

test_done
