#!/bin/bash
# bridge's command line: help, and every usage error (exit 2, one line that
# names the address or option at fault, nothing on stdout).
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success 'bridge --help lists the addresses and options, exit 0' '
	pc bridge --help >out 2>err &&
	grep_file "^usage: pipecat bridge \[OPTIONS\] ADDRESS ADDRESS" out &&
	grep_file "^  pipe-listen:NAME" out &&
	grep_file "^  tcp-listen:\[ADDR:\]PORT" out &&
	grep_file "^  assuan:FILE" out &&
	grep_file "default 0\.5" out &&
	empty_file err &&
	pc help bridge >out2 && same_file out out2
'

test_expect_success 'pipecat --help lists bridge' '
	pc --help >out &&
	grep_file "^  bridge " out
'

# usage_is ERRTEXT ARGS...: bridge ARGS exits 2 with ERRTEXT on stderr.
usage_is() {
	_msg=$1
	shift
	expect_status 2 pc bridge "$@" </dev/null >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: bridge: $_msg" err &&
	grep_file "^pipecat: try .pipecat bridge --help.$" err
}

test_expect_success 'no address, one address, three addresses' '
	usage_is "two ADDRESSes are required" &&
	usage_is "a second ADDRESS is required" - &&
	usage_is "unexpected argument \"x\" after the two ADDRESSes" - tcp:h:1 x
'

test_expect_success 'an address without a type names the pipe form' '
	usage_is "\"foo\" is not an address: no TYPE: .*a pipe is pipe:foo" foo tcp:h:1
'

test_expect_success 'an unknown type is named' '
	usage_is "udp:1:2: unknown address type \"udp:\"" udp:1:2 - &&
	usage_is "unix:/x: unknown address type \"unix:\"" - unix:/x
'

test_expect_success 'tcp: without a port, with a bad port, with an unbracketed IPv6 host' '
	usage_is "tcp:host: a port is required \(tcp:HOST:PORT\)" - tcp:host &&
	usage_is "tcp:h:0: port 0 is out of range \(1 to 65535\)" - tcp:h:0 &&
	usage_is "tcp:h:65536: port 65536 is out of range" - tcp:h:65536 &&
	usage_is "tcp:h:http: \"http\" is not a port number" - tcp:h:http &&
	usage_is "tcp:::1:80: an IPv6 address goes in brackets" - tcp:::1:80 &&
	usage_is "tcp::80: the host is empty" - tcp::80
'

test_expect_success 'tcp-listen: without a port, or a bad one' '
	usage_is "tcp-listen:: a port is required" tcp-listen: - &&
	usage_is "tcp-listen:x: \"x\" is not a port number \(0 to 65535\)" tcp-listen:x - &&
	usage_is "tcp-listen:\[::1: \"\[\" without \"\]\"" tcp-listen:[::1 -
'

test_expect_success 'pipe: and pipe-listen: check the NAME as connect and serve do' '
	usage_is "pipe:: the pipe NAME is empty" pipe: - &&
	usage_is "pipe-listen://srv/pipe/x: .* only local names" pipe-listen://srv/pipe/x - &&
	usage_is "assuan:: the socket FILE is empty" assuan: -
'

test_expect_success 'two listeners are refused: one side must connect' '
	usage_is "tcp-listen:0 and pipe-listen:x both listen: one side must connect" \
		tcp-listen:0 pipe-listen:x &&
	usage_is "tcp-listen:1 and tcp-listen:2 both listen" tcp-listen:1 tcp-listen:2
'

test_expect_success 'stdio on both sides is refused' '
	usage_is "stdio on both sides" - stdio
'

test_expect_success '-k, --max-clients and --max-instances need a listener' '
	usage_is "-k, --max-clients and --max-instances need a listening ADDRESS" -k - tcp:h:1 &&
	usage_is "-k, --max-clients and --max-instances need a listening ADDRESS" --max-clients 2 - tcp:h:1 &&
	usage_is "-k, --max-clients and --max-instances need a listening ADDRESS" --max-instances 2 pipe:x tcp:h:1
'

test_expect_success '-k with stdio is refused' '
	usage_is "-k and --max-clients cannot be combined with stdio" -k tcp-listen:0 -
'

test_expect_success 'pipe options without a pipe address' '
	usage_is "-m needs a pipe ADDRESS" -m - tcp:h:1 &&
	usage_is "--wait needs a pipe: ADDRESS" --wait 1 tcp-listen:0 tcp:h:1 &&
	usage_is "--wait needs a pipe: ADDRESS" --wait 1 pipe-listen:x tcp:h:1 &&
	usage_is "--allow, --allow-everyone, --allow-remote and --sddl need a pipe-listen: ADDRESS" --allow-remote pipe:x tcp:h:1 &&
	usage_is "--allow, --allow-everyone, --allow-remote and --sddl need a pipe-listen: ADDRESS" --allow Users tcp-listen:0 pipe:x &&
	usage_is "--sddl and --allow-everyone cannot be combined" --sddl "D:P" --allow-everyone pipe-listen:x tcp:h:1 &&
	usage_is "--sddl and --allow cannot be combined" --sddl "D:P" --allow Users pipe-listen:x tcp:h:1 &&
	usage_is "--allow: the account is empty" --allow "" pipe-listen:x tcp:h:1 &&
	usage_is "--sddl: the security descriptor is empty" --sddl "" pipe-listen:x tcp:h:1
'

test_expect_success 'bad option values and refused relay options' '
	usage_is "-q: \"soon\" is not a number of seconds" -q soon - tcp:h:1 &&
	usage_is "--idle-timeout: must be more than 0 seconds" -i 0 - tcp:h:1 &&
	usage_is "--max-instances: " --max-instances 0 tcp-listen:0 tcp:h:1 &&
	usage_is "--send-only and --recv-only do not apply to bridge" --send-only - tcp:h:1 &&
	usage_is "--eof-message needs -m" --eof-message pipe:x tcp:h:1 &&
	usage_is "unknown option \"--frob\"" --frob - tcp:h:1
'

test_expect_success 'an invalid --sddl is a usage error once the pipe is made' '
	usage_is "--sddl: \"nonsense\" is not a valid security descriptor" \
		--sddl nonsense pipe-listen:$P-sddl tcp:127.0.0.1:9
'

test_done
