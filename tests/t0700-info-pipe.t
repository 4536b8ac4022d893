#!/bin/bash
# info: what it reports of pipes served by pipecat serve and by an
# independent server (msgtool), its JSON, its errors (not found, busy,
# usage), and what it does to the server (one client that comes and goes).
#
# What Wine 8 does with each query info makes (all checked below):
#   GetNamedPipeServerProcessId, GetNamedPipeServerSessionId: answered.
#   GetNamedPipeInfo: answered (flags, the server's buffer sizes, max
#     instances: 255 for unlimited, shown as "unlimited").
#   NtQueryInformationFile(FilePipeLocalInformation): answered; it gives
#     the direction (inbound/outbound/duplex), which Win32 does not.
#   GetNamedPipeHandleStateW: answered (read mode, current instances).
#   GetSecurityInfo: a pipe created without a security descriptor has no
#     DACL (and no owner); one created with a DACL reports it, and
#     AccessCheck evaluates it. But Wine does not enforce a pipe's DACL when
#     it is opened: a DACL that leaves us out does not make the open fail.
#   OpenProcess + QueryFullProcessImageNameW: a Z:\ path to the server's exe.
. "$(dirname "$0")/lib/test-lib.sh"

# field FILE LABEL: the value of "LABEL:   value" in info's text output.
field() {
	sed -n "s/^$2: *//p" "$1"
}

# check_info_json FILE: FILE is info --json's object for the -m --buffer
# 8192 -k server of the test below, named $NAME.
check_info_json() {
	perl -MJSON::PP -e '
		local $/;
		my $j = decode_json(<STDIN>);
		my $want = "\\\\.\\pipe\\$ENV{NAME}";
		my @bad;
		ref $j eq "HASH" or die "not a JSON object\n";
		$j->{name} eq $want or push @bad, "name $j->{name}, not $want";
		$j->{type} eq "message" or push @bad, "type";
		$j->{direction} eq "duplex" or push @bad, "direction";
		$j->{in_buffer} == 8192 or push @bad, "in_buffer";
		$j->{out_buffer} == 8192 or push @bad, "out_buffer";
		$j->{max_instances} == 4 or push @bad, "max_instances";
		$j->{instances} =~ /^[1-4]$/ or push @bad, "instances";
		$j->{end} eq "client" or push @bad, "end";
		$j->{client_read_mode} eq "byte" or push @bad, "client_read_mode";
		$j->{server_pid} =~ /^[1-9][0-9]*$/ or push @bad, "server_pid";
		$j->{server_session} =~ /^[0-9]+$/ or push @bad, "server_session";
		$j->{server_image} =~ /\\pipecat\.exe$/i or push @bad, "server_image";
		JSON::PP::is_bool($j->{may_read}) && $j->{may_read}
			or push @bad, "may_read";
		JSON::PP::is_bool($j->{may_write}) && $j->{may_write}
			or push @bad, "may_write";
		keys %$j == 15 or push @bad, "not 15 fields";
		die join("\n", @bad) . "\n" if @bad;
	' <"$1"
}

# hold NAME: a client that keeps NAME's instance for 5 s, then waits for
# the server to close.
hold() {
	sleep 5 | pc connect "$1"
}

# is FILE LABEL VALUE: the field is exactly VALUE, or show the output.
is() {
	_v=$(field "$1" "$2")
	if [ "$_v" != "$3" ]; then
		echo "$2: got \"$_v\", expected \"$3\"; the output:" >&2
		cat "$1" >&2
		return 1
	fi
}

test_expect_success 'a message pipe served with -m --buffer 8192: type, buffers, instances' '
	bg server pc serve -v -m --buffer 8192 "$P-msg" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	pc info "$P-msg" >out 2>err &&
	empty_file err &&
	is out pipe "\\\\.\\pipe\\$P-msg" &&
	is out type message &&
	is out direction duplex &&
	is out "in buffer" "8192 bytes (client to server)" &&
	is out "out buffer" "8192 bytes (server to client)" &&
	is out instances 1 &&
	is out "max instances" 1 &&
	is out "opened end" client &&
	is out "client read mode" byte &&
	is out "may open to read" yes &&
	is out "may open to write" yes &&
	field out "server pid" | grep -Eq "^[1-9][0-9]*$" &&
	field out "server session" | grep -Eq "^[0-9]+$" &&
	field out "server image" | grep -Eiq "\\\\pipecat\.exe$" &&
	test $(wc -l <out) -eq 15
'

# serve without -k serves one client: info was it, so the server is done.
test_expect_success 'to the server, info is a client that comes and goes without data' '
	wait_status $server 0 &&
	grep_file "client connected to .*$P-msg \(pid [0-9]+" serr &&
	grep_file "client gone from .*$P-msg: 0 bytes sent, 0 received" serr &&
	empty_file sout
'

test_expect_success 'a byte pipe (serve -k --buffer 4096): byte type, at most 4 instances' '
	bg server pc serve -v -k --buffer 4096 "$P-byte" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	pc info "$P-byte" >out 2>err &&
	empty_file err &&
	is out type byte &&
	is out "in buffer" "4096 bytes (client to server)" &&
	is out "out buffer" "4096 bytes (server to client)" &&
	is out "max instances" 4 &&
	field out instances | grep -Eq "^[1-4]$" &&
	kill_tree $server
'

test_expect_success 'info leaves a -k server serving: a real connect works after it' '
	bg server pc serve -v -k "$P-k" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	pc info "$P-k" >out 2>err &&
	wait_for serr "client gone" &&
	printf "after info\n" | pc connect -q 0 "$P-k" >cout 2>cerr &&
	wait_for serr "client gone.*11 received" &&
	test $(grep -c "client connected" serr) -eq 2 &&
	grep -m1 "client gone" serr | grep -q ": 0 bytes sent, 0 received" &&
	printf "after info\n" >want && same_file want sout &&
	empty_file cout &&
	kill_tree $server
'

test_expect_success 'info --json prints one JSON object with the same facts' '
	bg server pc serve -v -k -m --buffer 8192 "$P-json" </dev/null >sout 2>serr &&
	wait_for serr "listening on" &&
	pc info --json "//./pipe/$P-json" >out 2>err &&
	empty_file err &&
	test $(wc -l <out) -eq 1 &&
	NAME="$P-json" check_info_json out &&
	kill_tree $server
'

test_expect_success 'info names the server process, not itself (msgtool serves)' '
	bg mt helper msgtool serve-recv "$P-mt" >mout 2>merr &&
	wait_for merr "^ready" &&
	pc info "$P-mt" >out 2>err &&
	empty_file err &&
	field out "server image" | grep -Eiq "\\\\msgtool\.exe$" &&
	is out type message &&
	is out "in buffer" "4096 bytes (client to server)" &&
	is out "max instances" 1 &&
	wait_status $mt 0 &&
	empty_file mout
'

test_expect_success 'an inbound pipe (serve --recv-only): may write, may not read' '
	bg server pc serve -v -k --recv-only "$P-in" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	pc info "$P-in" >out 2>err &&
	is out direction "inbound (client to server only)" &&
	is out "may open to read" no &&
	is out "may open to write" yes &&
	kill_tree $server
'

test_expect_success 'an outbound pipe (serve --send-only): may read, may not write' '
	bg server pc serve -v -k --send-only "$P-out" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	pc info --json "$P-out" >out 2>err &&
	grep_file "\"direction\": \"outbound\"" out &&
	grep_file "\"may_read\": true, \"may_write\": false" out &&
	kill_tree $server
'

# Windows refuses to open a pipe whose DACL leaves us out: exit 5. Wine
# opens it anyway, and info then reads the DACL and reports no, no.
test_expect_success 'a DACL that admits SYSTEM only: exit 5 (Windows) or no, no (Wine)' '
	bg server pc serve -v -k --sddl "D:P(A;;GA;;;SY)" "$P-sy" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	if [ -n "$WINE" ]; then
		pc info "$P-sy" >out 2>err &&
		is out "may open to read" no &&
		is out "may open to write" no
	else
		expect_status 5 pc info "$P-sy" >out 2>err &&
		grep_file "^pipecat: info .*$P-sy: .*\(5\)$" err
	fi &&
	kill_tree $server
'

test_expect_success 'a DACL granting Everyone read rights only: may read, may not write' '
	bg server pc serve -v -k --sddl "D:P(A;;GA;;;SY)(A;;0x120089;;;WD)" \
		"$P-ro" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	pc info "$P-ro" >out 2>err &&
	is out "may open to read" yes &&
	is out "may open to write" no &&
	kill_tree $server
'

test_expect_success 'a missing pipe: exit 3, the system message, nothing on stdout' '
	expect_status 3 pc info "$P-none" >out 2>err &&
	grep_file "^pipecat: info \\\\\\\\\\.\\\\pipe\\\\$P-none: .*\(2\)$" err &&
	test $(wc -l <err) -eq 1 &&
	empty_file out
'

test_expect_success 'a pipe whose only instance is taken: exit 4 (busy), no wait' '
	bg server pc serve -v "$P-busy" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg holder hold "$P-busy" >/dev/null 2>herr &&
	wait_for serr "client connected" &&
	expect_status 4 pc info "$P-busy" >out 2>err &&
	grep_file "^pipecat: info .*$P-busy: .*\(231\)$" err &&
	empty_file out &&
	kill_tree $holder && kill_tree $server
'

test_expect_success 'usage errors: exit 2, one line naming the problem' '
	expect_status 2 pc info >out 2>err &&
	grep_file "^pipecat: info: a pipe NAME is required$" err && empty_file out &&
	expect_status 2 pc info a b 2>err &&
	grep_file "^pipecat: info: unexpected argument \"b\" after NAME$" err &&
	expect_status 2 pc info --wait 1 x 2>err &&
	grep_file "^pipecat: info: unknown option \"--wait\"$" err &&
	expect_status 2 pc info -m x 2>err &&
	grep_file "^pipecat: info: unknown option \"-m\"$" err &&
	expect_status 2 pc info "" 2>err &&
	grep_file "^pipecat: info: " err &&
	expect_status 2 pc info "//./pipe/" 2>err &&
	grep_file "^pipecat: info: " err
'

test_expect_success 'info --help, info -h and help info print the same usage' '
	pc info --help >a 2>err && pc info -h >b && pc help info >c &&
	same_file a b && same_file a c && empty_file err &&
	grep_file "^usage: pipecat info \[--json\] NAME$" a &&
	grep_file "takes a free instance" a
'

test_done
