#!/bin/bash
# The command line: help, version, and every kind of usage error (exit 2,
# one line naming what is wrong, nothing on stdout).
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success 'pipecat --help lists the commands on stdout, exit 0' '
	pc --help >out 2>err &&
	grep_file "^usage: pipecat \[-hV\] COMMAND" out &&
	grep_file "^  serve " out &&
	grep_file "^  connect " out &&
	empty_file err
'

test_expect_success 'pipecat -V prints the version, the compiler and the licence' '
	pc -V >out 2>err &&
	empty_file err &&
	test "$(wc -l <out)" -eq 3 &&
	sed -n 1p out >l1 && sed -n 2p out >l2 && sed -n 3p out >l3 &&
	grep_file "^pipecat [0-9]+\.[0-9]+\.[0-9]+$" l1 &&
	grep_file "^built with (GCC )?[^ ].* and MinGW-w64 [0-9]+\.[0-9]+\.[0-9]+ for [a-z0-9_]+-w64-mingw32$" l2 &&
	grep_file "^ISC licence: see LICENSE$" l3 &&
	test -f "$TOP/LICENSE" &&
	grep_file "^Copyright \(c\) 2026 The pipecat authors$" "$TOP/LICENSE" &&
	pc --version >out2 &&
	same_file out out2
'

test_expect_success 'help serve, serve --help and serve -h print the same usage' '
	pc help serve >a &&
	pc serve --help >b &&
	pc serve -h >c &&
	same_file a b && same_file a c &&
	grep_file "^usage: pipecat serve \[OPTIONS\] NAME" a &&
	grep_file "--keep-open" a
'

test_expect_success 'help connect and connect --help agree' '
	pc help connect >a &&
	pc connect --help >b &&
	same_file a b &&
	grep_file "^usage: pipecat connect \[OPTIONS\] NAME" a &&
	grep_file "--wait SECONDS\|inf" a
'

test_expect_success 'no command is a usage error' '
	expect_status 2 pc >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: a COMMAND is required" err
'

test_expect_success 'an unknown command is named, exit 2' '
	expect_status 2 pc frobnicate >out 2>err &&
	empty_file out &&
	grep_file "^pipecat: no such command \"frobnicate\"" err
'

test_expect_success 'commands are exact names, not prefixes' '
	expect_status 2 pc serv x 2>err &&
	grep_file "no such command \"serv\"" err
'

test_expect_success 'help for an unknown command is a usage error' '
	expect_status 2 pc help nope 2>err &&
	grep_file "help: no such command \"nope\"" err
'

test_expect_success 'an unknown global option is a usage error' '
	expect_status 2 pc --frob 2>err &&
	grep_file "unknown option \"--frob\"" err
'

test_expect_success 'an unknown command option is named, with a hint' '
	expect_status 2 pc connect --frob x 2>err &&
	grep_file "frob" err &&
	grep_file "try .pipecat connect --help." err
'

test_expect_success 'connect without NAME' '
	expect_status 2 pc connect 2>err &&
	grep_file "^pipecat: connect: a pipe NAME is required" err
'

test_expect_success 'serve without NAME' '
	expect_status 2 pc serve 2>err &&
	grep_file "^pipecat: serve: a pipe NAME is required" err
'

test_expect_success 'an extra argument after NAME' '
	expect_status 2 pc connect a b 2>err &&
	grep_file "unexpected argument \"b\" after NAME" err
'

test_expect_success 'an empty name' '
	expect_status 2 pc connect "" 2>err &&
	grep_file "^pipecat: connect: pipe name is empty" err
'

test_expect_success 'a name longer than 256 characters' '
	long=$(printf "%0300d" 0) &&
	expect_status 2 pc connect "$long" 2>err &&
	grep_file "256" err
'

test_expect_success 'a malformed full name names the rule' '
	expect_status 2 pc connect "\\\\.\\pipe\\" 2>err &&
	grep_file "^pipecat: connect: " err &&
	expect_status 2 pc connect "//./pip/x" 2>err &&
	grep_file "^pipecat: connect: " err &&
	expect_status 2 pc connect "/foo" 2>err &&
	grep_file "HOST" err
'

test_expect_success 'serve refuses a remote name' '
	expect_status 2 pc serve "//otherhost/pipe/x" 2>err &&
	grep_file "only local names" err
'

test_expect_success '--wait needs a number of seconds' '
	expect_status 2 pc connect --wait abc x 2>err &&
	grep_file "^pipecat: connect: --wait: \"abc\" is not a number of seconds" err &&
	expect_status 2 pc connect -w -1 x 2>err &&
	grep_file "\"-1\"" err
'

test_expect_success '-q needs a number of seconds' '
	expect_status 2 pc connect -q soon x 2>err &&
	grep_file "^pipecat: connect: -q: \"soon\"" err
'

test_expect_success '--idle-timeout must be more than 0' '
	expect_status 2 pc connect -i 0 x 2>err &&
	grep_file "idle-timeout" err
'

test_expect_success '--max-clients takes a whole number of at least 1' '
	expect_status 2 pc serve --max-clients 0 x 2>err &&
	grep_file "max-clients" err &&
	expect_status 2 pc serve --max-clients 2.5 x 2>err &&
	grep_file "max-clients" err
'

test_expect_success '--buffer takes a size' '
	expect_status 2 pc serve --buffer 12q x 2>err &&
	grep_file "^pipecat: serve: --buffer: \"12q\"" err
'

test_expect_success '--impersonation takes one of four levels' '
	expect_status 2 pc connect --impersonation root x 2>err &&
	grep_file "anonymous" err && grep_file "delegation" err
'

test_expect_success 'conflicting options are refused' '
	expect_status 2 pc connect --send-only --recv-only x 2>err &&
	grep_file "cannot be combined" err &&
	expect_status 2 pc connect -v --quiet x 2>err &&
	grep_file "cannot be combined" err &&
	expect_status 2 pc serve --sddl "D:P" --allow-everyone x 2>err &&
	grep_file "cannot be combined" err
'

test_expect_success 'a bad --sddl is a usage error with the system message' '
	expect_status 2 pc serve --sddl "this is not sddl" "$P-sddl" 2>err &&
	grep_file "^pipecat: serve: --sddl: \"this is not sddl\" is not a valid security descriptor: .*\([0-9]+\)$" err
'

# What a red team found (each failed before its fix).
test_expect_success 'a value given to a flag option: "takes no value"' '
	expect_status 2 pc connect --verbose=1 x 2>err &&
	grep_file "^pipecat: connect: --verbose takes no value$" err &&
	expect_status 2 pc serve --keep-open=yes x 2>err &&
	grep_file "^pipecat: serve: --keep-open takes no value$" err &&
	expect_status 2 pc spawn --split=1 -- x 2>err &&
	grep_file "^pipecat: spawn: --split takes no value$" err
'

test_expect_success '--max-instances says the range that applies: 1 to 30 with -b' '
	expect_status 2 pc serve -b --max-instances 0 x 2>err &&
	grep_file "out of range \(1 to 30\)" err &&
	expect_status 2 pc serve -b --max-instances 500 x 2>err &&
	grep_file "out of range \(1 to 30\)" err &&
	expect_status 2 pc serve --max-instances 0 x -- cmd 2>err &&
	grep_file "out of range \(1 to 200\)" err
'

test_expect_success 'an empty --sddl is a usage error, not a pipe without a DACL' '
	expect_status 2 pc serve --sddl "" "$P-esddl" 2>err &&
	grep_file "^pipecat: serve: --sddl: the security descriptor is empty$" err
'

test_expect_success 'help takes one COMMAND; "--" may end the global options' '
	expect_status 2 pc help serve extra 2>err &&
	grep_file "^pipecat: help: unexpected argument \"extra\" after COMMAND$" err &&
	expect_status 2 pc -- connect 2>err &&
	grep_file "^pipecat: connect: a pipe NAME is required$" err &&
	pc -- help serve >a && pc help serve >b && same_file a b
'

test_expect_success 'long options take unique prefixes, global ones too' '
	pc --vers >v && grep_file "^pipecat " v &&
	pc --he >h && grep_file "^usage: pipecat" h &&
	expect_status 2 pc connect --recv --send x 2>err &&
	grep_file "cannot be combined" err
'

test_done
