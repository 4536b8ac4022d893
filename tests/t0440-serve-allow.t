#!/bin/bash
# serve --allow ACCOUNT (and bridge pipe-listen:'s): another user or group may open the pipe (read and
# write, not FILE_CREATE_PIPE_INSTANCE, so it cannot squat the name); the
# resulting DACL shows in -vv and in info. Wine 8 and 10 resolve the
# well-known groups (Users, Administrators) and the current user with
# LookupAccountNameW, report a pipe's DACL through GetSecurityInfo (and
# ConvertSecurityDescriptorToStringSecurityDescriptorW writes well-known
# SIDs as their aliases, BU for Users), but neither enforces the DACL on
# open, so what the ACE grants is checked by reading it, not by opening.
. "$(dirname "$0")/lib/test-lib.sh"

test_expect_success '--allow Users: -vv shows the ACE, info shows the DACL' '
	bg server pc serve -k -vv --allow Users "$P-users" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	grep_file "^pipecat: security descriptor of .*: D:P\(A;;GA;;;SY\)\(A;;GA;;;S-1-5-21-[0-9-]+\)\(A;;0x12018b;;;S-1-5-32-545\)$" serr &&
	pc info "$P-users" >out 2>err &&
	grep_file "^dacl: +D:P\(A;;GA;;;SY\)\(A;;GA;;;S-1-5-21-[0-9-]+\)\(A;;0x12018b;;;(BU|S-1-5-32-545)\)$" out &&
	pc info --json "$P-users" >json &&
	grep_file "\"dacl\": \"D:P\(A;;GA;;;SY\)" json &&
	kill_tree $server INT && wait_status $server 130
'

test_expect_success '--allow is repeatable, takes SID strings, and adds to --allow-everyone' '
	bg server pc serve -k -vv --allow-everyone --allow S-1-5-32-544 --allow Users "$P-two" </dev/null >/dev/null 2>serr2 &&
	wait_for serr2 "listening on" &&
	grep_file "\(A;;0x12018b;;;WD\)\(A;;0x12018b;;;S-1-5-32-544\)\(A;;0x12018b;;;S-1-5-32-545\)$" serr2 &&
	kill_tree $server INT && wait_status $server 130
'

test_expect_success 'an allowed pipe still relays' '
	printf "hello" >in &&
	bg server pc serve -q 0 --allow Users "$P-relay" <in >sout 2>serr3 &&
	pc connect --wait 10 "$P-relay" </dev/null >cout 2>cerr &&
	wait_status $server 0 &&
	same_file in cout
'

test_expect_success 'an unknown account, a bad SID, an empty one: usage errors naming it' '
	expect_status 2 pc serve --allow nosuchaccount-pc "$P-u" </dev/null 2>err &&
	grep_file "^pipecat: serve: --allow: no account \"nosuchaccount-pc\": .*\(1332\)$" err &&
	expect_status 2 pc serve --allow S-1-5-x "$P-u" </dev/null 2>err &&
	grep_file "^pipecat: serve: --allow: no account \"S-1-5-x\": .*\(1337\)$" err &&
	expect_status 2 pc serve --allow "" "$P-u" </dev/null 2>err &&
	grep_file "^pipecat: serve: --allow: the account is empty$" err
'

test_expect_success '--allow with --sddl cannot be combined' '
	expect_status 2 pc serve --allow Users --sddl "D:P(A;;GA;;;SY)" "$P-u" </dev/null 2>err &&
	grep_file "^pipecat: serve: --sddl and --allow cannot be combined$" err
'

test_expect_success 'bridge pipe-listen: takes --allow as serve does' '
	bg br pc bridge -vv --allow Users --allow S-1-5-32-544 pipe-listen:"$P-br" - </dev/null >/dev/null 2>berr &&
	wait_for berr "listening on" &&
	grep_file "^pipecat: security descriptor of .*$P-br: D:P\(A;;GA;;;SY\)\(A;;GA;;;S-1-5-21-[0-9-]+\)\(A;;0x12018b;;;S-1-5-32-545\)\(A;;0x12018b;;;S-1-5-32-544\)$" berr &&
	printf "hi" | pc connect --send-only --wait 10 "$P-br" 2>cerr &&
	wait_status $br 0 &&
	expect_status 2 pc bridge --allow nosuchaccount-pc pipe-listen:"$P-bu" - </dev/null 2>err &&
	grep_file "^pipecat: bridge: --allow: no account \"nosuchaccount-pc\": .*\(1332\)$" err
'

test_done
