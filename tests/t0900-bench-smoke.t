#!/bin/bash
# bench: a quick functional check with tiny volumes. It asserts the shape of
# the table and of the JSON, and that every figure counts exactly the bytes
# (and round trips) that were asked for and verified; never speed.
. "$(dirname "$0")/lib/test-lib.sh"

# check_json FILE BYTES ROUND_TRIPS RUNS ROWS: FILE is bench's JSON; every
# throughput and anonymous row moved BYTES in each of RUNS runs, all
# verified; every latency row ROUND_TRIPS; ROWS figures in all. JSON::PP is
# in Perl's core, and prove needs Perl anyway.
check_json() {
	perl -MJSON::PP -e '
		my ($file, $bytes, $rt, $runs, $rows) = @ARGV;
		local $/; open my $fh, "<", $file or die "$file: $!";
		my $j = decode_json(<$fh>);
		my $n = 0;
		for my $g ("throughput", "anonymous", "latency") {
			die "no $g list\n" unless ref $j->{$g} eq "ARRAY";
			for my $r (@{$j->{$g}}) {
				$n++;
				my $want = $g eq "latency" ? $rt : $bytes;
				my $k = $g eq "latency" ? "round_trips" : "bytes";
				die "$g $r->{test} $r->{mode} $r->{size}: $k $r->{$k}, not $want\n"
				    unless $r->{$k} == $want;
				die "$g $r->{test}: not $runs runs\n" unless @{$r->{verified}} == $runs;
				for my $v (@{$r->{verified}}) {
					die "$g $r->{test} $r->{mode} $r->{size}: verified $v of $want\n"
					    unless $v == $want;
				}
				my $s = $g eq "latency" ? $r->{latency_us} : $r->{mib_per_s};
				for my $f ("median", "min", "max", "mean", "stdev", "spread") {
					die "$g $r->{test}: no $f\n" unless defined $s->{$f};
				}
				die "$g $r->{test}: min > median > max\n"
				    unless $s->{min} <= $s->{median} && $s->{median} <= $s->{max};
				die "latency: no p99 >= median\n"
				    if $g eq "latency" && !($s->{p99} >= $s->{median});
			}
		}
		die "$n figures, not $rows\n" unless $n == $rows;
		print "ok: $n figures\n";
	' "$@"
}

test_expect_success 'bench --json: every figure verified exactly the bytes asked for' '
	pc bench --json -n 100000 -s 1000,4K -r 2 -c 20 >out.json 2>err &&
	empty_file err &&
	check_json out.json 100000 20 2 20
'

test_expect_success 'bench: the table has its sections, aligned rows and units' '
	pc bench -n 64K -s 4K,64K -r 2 -c 10 --mode byte >out 2>err &&
	empty_file err &&
	grep_file "^pipecat bench: .*pipecat-bench-.* \(served by this process\)$" out &&
	grep_file "^64 KiB a run, 2 runs after 1 warm-up" out &&
	grep_file "^throughput +mode +size +buffer +median MiB/s +min\.\.max MiB/s +spread$" out &&
	grep_file "^latency +mode +size +median µs +p99 µs +round trips/s +spread$" out &&
	for t in up down both-up both-down; do
		for s in "4 KiB" "64 KiB"; do
			grep_file "^$t +byte +$s +$s +[0-9]+\.[0-9] +[0-9.]+\.\.[0-9.]+ +[0-9]+\.[0-9]%$" out ||
				return 1
		done
	done &&
	grep_file "^ping-pong +byte +64 B +[0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+ +[0-9]+\.[0-9]%$" out &&
	grep_file "^anon +byte +64 KiB +64 KiB +[0-9]+\.[0-9] " out &&
	! grep -q message out &&
	test $(grep -c "^throughput " out) -eq 2 &&
	rows=$(grep -c "%$" out) && test "$rows" -eq 11
'

test_expect_success 'bench NAME against bench --serve in another process' '
	bg server pc bench --serve -v --max-clients 1 "$P" >sout 2>serr &&
	wait_for serr "listening on .*$P" &&
	pc bench --json -n 200000 -s 64K --tests oneway,both,latency -r 1 -c 5 \
		"$P" >out.json 2>cerr &&
	wait_status $server 0 &&
	empty_file cerr && empty_file sout &&
	grep_file "client connected" serr && grep_file "client gone" serr &&
	grep_file "\"server\": \"remote\"" out.json &&
	check_json out.json 200000 5 1 10
'

test_expect_success 'bench --json: the pipe name is a JSON string, quotes and UTF-8 kept' '
	n="$P-\"q\"-é" &&
	bg server pc bench --serve -v --max-clients 1 "$n" >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	pc bench --json -n 10000 -s 4K --mode byte --tests oneway -r 1 "$n" \
		>out.json 2>err &&
	wait_status $server 0 &&
	empty_file err &&
	check_json out.json 10000 0 1 2 &&
	W="\\\\.\\pipe\\$n" perl -MJSON::PP -MEncode -e "
		local \$/; my \$j = decode_json(<STDIN>);
		my \$w = decode(q(UTF-8), \$ENV{W});
		die qq(pipe: \$j->{pipe}, not \$w\\n) unless \$j->{pipe} eq \$w;
	" <out.json
'

test_expect_success 'bench --time: the warm-up sets a volume, and all of it is verified' '
	pc bench --json -t 0.05 -s 4K --mode message --tests oneway,latency -r 1 >out.json 2>err &&
	perl -MJSON::PP -e "
		local \$/; my \$j = decode_json(<STDIN>);
		for my \$r (@{\$j->{throughput}}) {
			die \"bytes \$r->{bytes}\n\" unless \$r->{bytes} >= 4096 && \$r->{bytes} % 4096 == 0;
			die \"verified\n\" unless \$r->{verified}[0] == \$r->{bytes};
		}
		my \$l = \$j->{latency}[0];
		die \"round trips\n\" unless \$l->{round_trips} >= 10 && \$l->{verified}[0] == \$l->{round_trips};
	" <out.json
'

test_expect_success 'bench --tests anon needs no pipe server' '
	pc bench --json --tests anon -n 10000 -s 1K -r 1 >out.json 2>err &&
	check_json out.json 10000 0 1 1 &&
	grep_file "\"test\": \"anon\"" out.json
'

test_expect_success 'Ctrl-C ends a bench client mid-run with 130; the server goes on' '
	bg server pc bench --serve -vv "$P-int" >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	bg client pc bench -n 1G -s 64K --mode byte --tests oneway,both "$P-int" >cout 2>cerr &&
	wait_for serr "run 2 on " &&
	kill_tree $client INT &&
	wait_status $client 130 &&
	wait_for serr "client gone" &&
	pc bench --json -n 100000 -s 4K --mode byte --tests oneway -r 1 "$P-int" >out.json 2>err &&
	check_json out.json 100000 0 1 2 &&
	kill_tree $server INT &&
	wait_status $server 130
'

test_expect_success 'pipecat help bench and bench --help print the usage' '
	pc help bench >h1 && pc bench --help >h2 && same_file h1 h2 &&
	grep_file "^usage: pipecat bench \[OPTIONS\] \[NAME\]" h1 &&
	pc --help >main && grep_file "^  bench +measure pipe" main
'

test_expect_success 'bench: bad sizes, counts and choices are usage errors (exit 2)' '
	expect_status 2 pc bench -s 0 2>e1 &&
	grep_file "^pipecat: bench: --size: 0 is out of range \(1 to 4194304 bytes\)$" e1 &&
	expect_status 2 pc bench -s 4K,5M 2>e2 &&
	grep_file "^pipecat: bench: --size: 5M is out of range" e2 &&
	expect_status 2 pc bench -s 4K,,8K 2>e8 &&
	grep_file "^pipecat: bench: --size: " e8 &&
	expect_status 2 pc bench -r x 2>e3 &&
	grep_file "^pipecat: bench: --repeat: \"x\"" e3 &&
	expect_status 2 pc bench --mode bytes 2>e4 &&
	grep_file "^pipecat: bench: --mode: \"bytes\" is not one of byte, message, both" e4 &&
	expect_status 2 pc bench --tests oneway,fast 2>e5 &&
	grep_file "^pipecat: bench: --tests: \"fast\"" e5 &&
	expect_status 2 pc bench -t 0.001 2>e6 &&
	grep_file "^pipecat: bench: --time" e6 &&
	expect_status 2 pc bench --bogus 2>e7 &&
	grep_file "^pipecat: bench: unknown option \"--bogus\"" e7
'

test_expect_success 'bench: conflicting options are usage errors (exit 2)' '
	expect_status 2 pc bench -t 1 -n 1M 2>e1 &&
	grep_file "^pipecat: bench: --time and --bytes cannot be combined$" e1 &&
	expect_status 2 pc bench --serve 2>e2 &&
	grep_file "^pipecat: bench: --serve needs a pipe NAME$" e2 &&
	expect_status 2 pc bench --serve --json "$P-x" 2>e3 &&
	grep_file "^pipecat: bench: --serve and --json cannot be combined" e3 &&
	expect_status 2 pc bench --max-clients 1 2>e4 &&
	grep_file "^pipecat: bench: --max-clients and --allow-remote need --serve$" e4 &&
	expect_status 2 pc bench -v --quiet 2>e5 &&
	grep_file "^pipecat: bench: --quiet and -v cannot be combined$" e5 &&
	expect_status 2 pc bench a b 2>e6 &&
	grep_file "^pipecat: bench: unexpected argument \"b\" after NAME$" e6 &&
	expect_status 2 pc bench --serve //otherhost/pipe/x 2>e7 &&
	grep_file "only local names can be served" e7
'

test_expect_success 'bench NAME: a missing pipe is exit 3, a non-bench pipe exit 1' '
	expect_status 3 pc bench "$P-none" 2>e1 &&
	grep_file "^pipecat: bench: connect .*$P-none: .*\(2\)$" e1 &&
	bg server pc serve -v "$P-plain" </dev/null >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	expect_status 1 pc bench "$P-plain" 2>e2 &&
	grep_file "^pipecat: bench .*$P-plain: not a bench server" e2 &&
	kill_tree $server
'

# bench opens its control pipe with connect's code (pipeclient.c): a wait
# that runs out is "timed out" and 4, as for connect, not 3 (it was).
test_expect_success 'bench -w 1 NAME with no server: timed out, exit 4' '
	expect_status 4 pc bench -w 1 "$P-never" 2>e8 &&
	grep_file "^pipecat: bench: connect .*$P-never: timed out after 1 s waiting for the pipe to exist: .*\(2\)$" e8
'

test_expect_success 'bench --serve: a name in use is exit 5' '
	bg server pc bench --serve -v --max-clients 1 "$P-used" >/dev/null 2>serr &&
	wait_for serr "listening on" &&
	expect_status 5 pc bench --serve "$P-used" 2>e1 &&
	grep_file "^pipecat: bench --serve .*$P-used: name already in use" e1 &&
	kill_tree $server
'

test_done
