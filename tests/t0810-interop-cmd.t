#!/bin/bash
# Interoperability with cmd.exe as a client of `pipecat serve`: the pipe
# as the target of `echo ... >`, the file of `type`, the source of
# `copy /b` and the stdin of `set /p`, the ways batch files use a pipe.
# The cmd here is Wine's own (programs/cmd, Wine 8), not Windows'; where
# the two differ the tests check what Windows documents, or only the bytes,
# and say so. Wine's differences found:
# - `echo x> \\.\pipe\NAME` (any `>` redirection): Wine's cmd opens the
#   target, then moves to its end with SetFilePointer, which fails on a pipe
#   (ERROR_INVALID_FUNCTION), and prints "Invalid function."; it still
#   writes the line and exits 0. The tests ignore what cmd prints.
# - Wine 8's cmd does not redirect a parenthesised block at all, to a pipe
#   or a file: `(echo a& echo b)> \\.\pipe\NAME` connects, writes nothing,
#   and the lines go to cmd's stdout. Not tested.
# - `copy /b \\.\pipe\NAME out.bin` writes every byte, then takes the
#   ERROR_BROKEN_PIPE that ends every read of a closed pipe for a failure:
#   "Broken pipe.", exit 1. The ReadFile docs name ERROR_BROKEN_PIPE as the
#   way a reader learns that the writer closed, so the test checks the bytes
#   and not copy's status.
# - `copy /b FILE \\.\pipe\NAME` opens the target twice (CopyFileExW first
#   opens it to see whether it is the source file, then closes it and opens
#   it again to write). The first open is a client that connects and leaves;
#   the second finds the next spare instance that serve -k keeps armed
#   (three spares; see t0400's burst test). Not tested here.
# - `set /p V=<FILE` takes all that one ReadFile returns (up to cmd's
#   8 KiB line buffer) less a final LF or CR LF, not the first line as
#   Windows does: "a\r\nb\r\n" sets V to "a\r\nb". So the test sends
#   exactly one line.
# - A failed redirection (no such pipe, access denied) prints Wine's
#   message ("File not found.", "Access denied.") but leaves the exit status
#   0 (Windows' cmd exits 1). For those the tests check the message only.
. "$(dirname "$0")/lib/test-lib.sh"

# wcmd LINE: run LINE with `cmd /c` (Wine's cmd under Wine, Windows' on
# Windows), stdin empty. MSYS2 would rewrite "/c" into a path; the variable
# stops it and means nothing elsewhere.
wcmd() {
	MSYS2_ARG_CONV_EXCL='*' timeout -k 5 "$TEST_TIMEOUT" $WINE cmd /c "$1" </dev/null
}

# winpipe NAME: \\.\pipe\NAME, for cmd, which takes no slashes there.
winpipe() {
	printf '\\\\.\\pipe\\%s' "$1"
}

# wait_count FILE PATTERN N: wait until N lines of FILE match PATTERN.
wait_count() {
	_i=0
	while [ "$(grep -Ec -- "$2" "$1" 2>/dev/null)" -lt "$3" ]; do
		_i=$((_i + 1))
		if [ "$_i" -gt 400 ]; then
			echo "wait_count: fewer than $3 lines matching '$2' in $1 after 20 s:" >&2
			cat "$1" >&2
			return 1
		fi
		sleep 0.05
	done
}

test_expect_success 'echo TEXT> \\.\pipe\NAME: serve gets the line, CR LF and all' '
	bg server pc serve -v "$P-echo" </dev/null >sout 2>serr &&
	wait_for serr "listening on .*$P-echo\$" &&
	wcmd "echo hello from cmd> $(winpipe "$P-echo")" >cmdout 2>&1 &&
	wait_status $server 0 &&
	printf "hello from cmd\r\n" >want &&
	same_file want sout &&
	grep_file "client gone from .*$P-echo: 0 bytes sent, 16 received" serr
'

# Each `echo` is a client of its own, and each here waits for the one
# before it to be served, so the order is certain. (Back-to-back echoes
# without waits work too now that serve -k keeps spare instances armed:
# t0400's burst test; cmd never retries a busy pipe.) No digit before the
# ">": cmd would take "1>" for a redirection of handle 1.
test_expect_success 'serve -k takes echo clients one after another, in order' '
	bg server pc serve -v --max-clients 3 "$P-k" </dev/null >sout 2>serr &&
	wait_for serr "listening on .*$P-k\$" &&
	wcmd "echo line one> $(winpipe "$P-k")" >cmdout 2>&1 &&
	wait_count serr "client gone from" 1 &&
	wcmd "echo line two> $(winpipe "$P-k")" >cmdout 2>&1 &&
	wait_count serr "client gone from" 2 &&
	wcmd "echo line three> $(winpipe "$P-k")" >cmdout 2>&1 &&
	wait_status $server 0 &&
	printf "line %s\r\n" one two three >want &&
	same_file want sout
'

test_expect_success 'type \\.\pipe\NAME prints all that serve -q 0 sends' '
	seq 1 20000 | sed "s/\$/\r/" >lines &&
	bg server pc serve -v -q 0 "$P-type" <lines >sout 2>serr &&
	wait_for serr "listening on .*$P-type\$" &&
	wcmd "type $(winpipe "$P-type")" >cmdout 2>cmderr &&
	wait_status $server 0 &&
	same_file lines cmdout && empty_file sout
'

test_expect_success 'copy /b \\.\pipe\NAME out.bin: a binary file, byte for byte' '
	head -c 1000000 /dev/urandom >bin &&
	perl -e "print map chr, 0..255" >>bin &&
	printf "\r\n\032\000\032" >>bin &&
	bg server pc serve -v -q 0 "$P-copy" <bin >sout 2>serr &&
	wait_for serr "listening on .*$P-copy\$" &&
	{ wcmd "copy /b $(winpipe "$P-copy") out.bin" >cmdout 2>&1 || :; } &&
	wait_status $server 0 &&
	same_file bin out.bin
'

test_expect_success 'set /p V=<\\.\pipe\NAME reads the line serve sends' '
	printf "hello from pipecat\r\n" >line &&
	printf "@echo off\r\nset /p PCLINE=<%s\r\necho [%%PCLINE%%]\r\n" \
	    "$(winpipe "$P-setp")" >setp.cmd &&
	bg server pc serve -v -q 0 "$P-setp" <line >sout 2>serr &&
	wait_for serr "listening on .*$P-setp\$" &&
	wcmd setp.cmd >cmdout 2>cmderr &&
	wait_status $server 0 &&
	printf "[hello from pipecat]\r\n" >want &&
	same_file want cmdout
'

test_expect_success 'type of a pipe nobody serves fails: not found' '
	! wcmd "type $(winpipe "$P-none")" >cmdout 2>&1 &&
	grep_file "([Nn]ot found|cannot find)" cmdout
'

# The pipe has one instance (serve without -k), and a pipecat client holds
# it: Windows answers cmd's open with ERROR_PIPE_BUSY.
test_expect_success 'type of a pipe whose one instance is taken fails; serve goes on' '
	printf "for the first client\n" >sin &&
	bg server pc serve -v -q 1 "$P-busy" <sin >/dev/null 2>serr &&
	wait_for serr "listening on .*$P-busy\$" &&
	bg holder pc connect -v "$P-busy" </dev/null >hout 2>herr &&
	wait_for serr "client connected to .*$P-busy " &&
	! wcmd "type $(winpipe "$P-busy")" >cmdout 2>&1 &&
	grep_file "([Bb]usy|pipe instances)" cmdout &&
	wait_status $holder 0 && wait_status $server 0 &&
	same_file sin hout
'

# A --send-only server makes an outbound pipe; cmd opens it for writing,
# which the CreateNamedPipe docs say is refused (access denied).
test_expect_success 'echo into a serve --send-only pipe is refused; serve still serves' '
	printf "one way\n" >sin &&
	bg server pc serve -v --send-only "$P-out" <sin >sout 2>serr &&
	wait_for serr "listening on .*$P-out\$" &&
	{ wcmd "echo x> $(winpipe "$P-out")" >cmdout 2>&1 || :; } &&
	grep_file "[Aa]ccess (is )?denied" cmdout &&
	kill -0 $server &&
	pc connect "$P-out" </dev/null >cout 2>cerr &&
	wait_status $server 0 &&
	same_file sin cout && empty_file sout
'

test_done
