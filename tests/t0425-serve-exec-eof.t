#!/bin/bash
# serve -m --eof-message with a COMMAND: the half-close of a message pipe
# for children that read all their input before they answer. The client's
# zero-length message ends the child's stdin; the child's answer still goes
# to the client, then a zero-length message, then the close. Clients are
# pipecat connect -m --eof-message, msgtool (tests/helpers/msgtool.c: a
# plain Win32 client whose half-close is a WriteFile of 0 bytes, as
# go-winio's CloseWrite does) and pipeload (16 at once); the child is kid
# rev (tests/helpers/kid.c: read to EOF, write it all back reversed).
. "$(dirname "$0")/lib/test-lib.sh"

KID="$HELPERS/kid.exe"

# reverse FILE: FILE's bytes in reverse order, on stdout.
reverse() {
	perl -0777 -ne 'print scalar reverse $_' "$1"
}

test_expect_success 'connect -m --eof-message gets the answer of a child that reads to EOF first' '
	head -c 300000 /dev/urandom >in &&
	reverse in >want &&
	bg server pc serve -v -m --eof-message --max-clients 1 "$P-conn" -- "$KID" rev </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	pc connect -m --eof-message "$P-conn" <in >out 2>cerr &&
	wait_status $server 0 &&
	same_file want out && empty_file cerr && empty_file sout &&
	grep_file "client 1 gone from .*$P-conn \(closed, child status 0\): 300000 bytes received, 300000 sent" serr
'

test_expect_success 'a Win32 client that half-closes with a zero-length write gets the answer, a zero-length message, the close' '
	helper msgtool gen 10 70000 1 >sent &&
	reverse sent >want &&
	bg server pc serve -v -m --eof-message --max-clients 1 "$P-w32" -e "\"$KID\" rev" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	helper msgtool xfer "$P-w32" 10 70000 1 >out 2>cerr &&
	wait_status $server 0 &&
	same_file want out &&
	printf "eof\nclosed\n" >want-err && same_file want-err cerr &&
	grep_file "client 1 gone from .*$P-w32 \(closed, child status 0\): 70011 bytes received, 70011 sent" serr
'

test_expect_success '16 clients at once, each half-closing and getting its own bytes reversed' '
	bg server pc serve -v -m --eof-message --max-clients 16 "$P-16" -- "$KID" rev </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	helper pipeload "$P-16" 16 262144 eof-message reversed >load &&
	cat load &&
	grep_file "^clients=16 ok=16 failed=0 " load &&
	wait_status $server 0 &&
	test $(grep -c "client [0-9]* gone from .*(closed, child status 0): 262144 bytes received, 262144 sent" serr) -eq 16
'

test_expect_success 'a child that answers without reading: the answer, a zero-length message, the close' '
	bg server pc serve -m --eof-message --max-clients 1 "$P-nor" -- "$KID" line hello exit 3 </dev/null >/dev/null 2>serr &&
	helper msgtool xfer "$P-nor" 5 >out 2>cerr &&
	wait_status $server 0 &&
	printf "hello\n" >want && same_file want out &&
	printf "eof\nclosed\n" >want-err && same_file want-err cerr &&
	empty_file serr
'

test_expect_success 'a child with no output at all: only a zero-length message, then the close' '
	bg server pc serve -m --eof-message --max-clients 1 "$P-none" -- "$KID" cat </dev/null >/dev/null 2>serr &&
	helper msgtool xfer "$P-none" >out 2>cerr &&
	wait_status $server 0 &&
	empty_file out &&
	printf "eof\nclosed\n" >want-err && same_file want-err cerr
'

# Without its zero-length message a client can end the child's input only
# by closing, as before: the answer then has nowhere to go.
test_expect_success 'a client that closes without a zero-length message ends the session as gone' '
	bg server pc serve -v -m --eof-message --max-clients 1 "$P-close" -- "$KID" rev </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	printf abc | pc connect -m -q 0 "$P-close" >out 2>cerr &&
	wait_status $server 0 &&
	empty_file out && empty_file cerr &&
	grep_file "client 1 gone from .*$P-close \(gone, child (status 0|killed)\): 3 bytes received, 0 sent" serr
'

test_expect_success 'usage: --eof-message needs -m, not with --recv-only or -b; -x not with a COMMAND' '
	expect_status 2 pc serve --eof-message "$P-u" -- y 2>err &&
	grep_file "^pipecat: serve: --eof-message needs -m \(a message pipe\)" err &&
	expect_status 2 pc serve -m --eof-message --recv-only "$P-u" -- y 2>err &&
	grep_file "^pipecat: serve: --eof-message and --recv-only cannot be combined" err &&
	expect_status 2 pc serve -b -m --eof-message "$P-u" 2>err &&
	grep_file "^pipecat: serve: -x and --eof-message do not apply with -b, nor -x with a COMMAND" err &&
	expect_status 2 pc serve -x "$P-u" -- y 2>err &&
	grep_file "^pipecat: serve: -x and --eof-message do not apply with -b, nor -x with a COMMAND" err
'

test_done
