#!/bin/bash
# bench/compare.sh: pipecat beside minimal reference programs, measured in
# one run on the same machine, so that every figure has a ceiling next to
# it. Run by `make bench` (never by make check: it asserts nothing about
# speed, it reports).
#
#   (1) ref_client: 64 KiB ReadFile/WriteFile from the pipe to stdout, the
#       ceiling for any relay;  (2) pipecat connect, against the same
#       server, both directions, and both at once;  (3) pipecat serve |
#       pipecat connect end to end, both directions, beside ref_server |
#       ref_client;  (4) pipecat spawn relaying a child that writes BYTES,
#       beside ref_spawn (CreatePipe + ReadFile loop);  (5) Node.js's pipe
#       client, if $BUILD/node/node.exe exists;  (6) start-up time and peak
#       memory of `pipecat --version` beside ref_hello, and of the relays
#       beside their references;  plus round-trip latency: pipecat bench
#       against ref_client's ping-pong, and through pipecat connect against
#       through a minimal two-thread relay.
#
# How: every transfer is timed by the side that stays up (the server
# counts and times from the client's connection to its last byte, so no
# process start-up is in a throughput figure); end-to-end and spawn figures
# are wall clock from the client's start to the last byte counted by wc -c,
# for the reference and for pipecat alike. Runs alternate reference and
# pipecat, one warm-up round first, then REPEAT rounds; each figure is the
# median, with min..max. Peak memory is the max RSS of the Linux process
# that runs the Windows program (/usr/bin/time %M): Wine runs each Windows
# process in one Linux process, so it includes Wine's own DLLs, the same
# for both, and the difference is the program's.
#
# Environment: BUILD (build), BYTES (268435456), REPEAT (5), COUNT (2000
# round trips a latency run), LREPEAT (9 latency rounds: round trips are
# noisier than transfers), STARTS (20 start-ups), NODE_EXE
# ($BUILD/node/node.exe, which scripts/get-node.sh installs).
set -u
cd "$(dirname "$0")/.." || exit 1
: "${BUILD:=build}" "${BYTES:=268435456}" "${REPEAT:=5}" "${COUNT:=2000}"
: "${LREPEAT:=9}" "${STARTS:=20}"
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
export BUILD
. scripts/wine-env.sh
: "${NODE_EXE:=$BUILD/node/node.exe}"

PC="$BUILD/pipecat.exe"
B="$BUILD/bench"
for f in "$PC" "$B/ref_client.exe" "$B/ref_server.exe" "$B/ref_spawn.exe" \
    "$B/gen.exe" "$B/ref_hello.exe"; do
	[ -f "$f" ] || { echo "compare.sh: $f is missing: run make bench" >&2; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/pipecat-bench.XXXXXX") || exit 1
# The data to send: in memory where there is a tmpfs, so the disk is not
# what is measured.
DATA="$W/data"
[ -d /dev/shm ] && [ -w /dev/shm ] && DATA=$(mktemp /dev/shm/pipecat-bench.XXXXXX)
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=""
N="pcbench-$$"
SRV=""

cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null
	rm -rf "$W"
	case "$DATA" in /dev/shm/*) rm -f "$DATA" ;; esac
	wine_stop
}
wine_start
trap cleanup EXIT
trap 'exit 130' INT TERM

# A Windows path for a file here.
winpath() {
	if [ -n "$WINE" ]; then winepath -w "$1" 2>/dev/null; else cygpath -w "$1"; fi
}

now_ns() { date +%s%N; }

# wait_line FILE REGEX: until FILE has a matching line (20 s at most).
wait_line() {
	for _i in $(seq 400); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "compare.sh: no '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

# ref_srv MODE ARGS...: ref_server in the background, once it is ready.
ref_srv() {
	: >"$W/srv.err"
	$WINE "$B/ref_server.exe" "$@" >"$W/srv.out" 2>"$W/srv.err" &
	SRV=$!
	wait_line "$W/srv.err" '^ready'
}

# srv_rate [PREFIX]: the server's MiB/s, after checking it moved BYTES.
srv_rate() {
	wait "$SRV"
	SRV=""
	awk -v p="${1:-}" -v want="$BYTES" '
		(p == "" && $1 == "bytes") || (p != "" && $1 == p) {
			o = (p == "" ? 0 : 1)
			if ($(2 + o) != want) { print "FAIL"; exit }
			print $(6 + o); exit
		}' "$W/srv.out"
}

# mem CMD...: run CMD (with its redirections done by the caller), peak
# RSS in KiB into $W/mem.
mem() {
	if [ -n "$TIME" ]; then
		"$TIME" -f "%M" -o "$W/mem" "$@"
	else
		echo 0 >"$W/mem"
		"$@"
	fi
}

# wall_rate GOT T0 T1: MiB/s of BYTES between the two now_ns times, or
# FAIL unless GOT (bytes counted) is BYTES.
wall_rate() {
	if [ "${1:-0}" -ne "$BYTES" ]; then
		echo FAIL
	else
		awk -v b="$BYTES" -v ns=$(($3 - $2)) 'BEGIN { printf "%.1f\n", b / 1048576 / (ns / 1e9) }'
	fi
}

# Collected figures: fig_add KEY VALUE; fig KEY -> "median min max".
declare -A FIG
fig_add() { FIG[$1]="${FIG[$1]:-} $2"; }
fig() {
	echo "${FIG[$1]:-}" | tr ' ' '\n' | grep -v '^$' | sort -g | awk '
		{ v[NR] = $1 }
		/FAIL/ { bad = 1 }
		END {
			if (bad || NR == 0) { print "FAIL FAIL FAIL"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.1f %.1f %.1f\n", m, v[1], v[NR]
		}'
}

# line LABEL KEY UNIT [REFKEY KIND TARGET]: one result line; with REFKEY
# the ratio KEY/REFKEY against the target (KIND "min": ratio >= TARGET is
# met; "max": ratio <= TARGET).
line() {
	read -r m lo hi <<<"$(fig "$2")"
	printf "  %-40s %9s %-6s (%s..%s)" "$1" "$m" "$3" "$lo" "$hi"
	if [ $# -ge 6 ]; then
		read -r rm _ _ <<<"$(fig "$4")"
		awk -v a="$m" -v b="$rm" -v k="$5" -v t="$6" 'BEGIN {
			if (a == "FAIL" || b == "FAIL" || b == 0) { printf "   ratio  n/a\n"; exit }
			r = a / b
			ok = (k == "min") ? r >= t : r <= t
			printf "   ratio %5.2f  target %s %.2f: %s\n", r,
			    k == "min" ? ">=" : "<=", t, ok ? "met" : "MISSED"
		}'
	else
		echo
	fi
}

have_node=0
if [ -f "$NODE_EXE" ]; then
	have_node=1
	NODE_JS=$(winpath "$PWD/bench/node_client.js")
	# Node 20 refuses Windows older than 8.1, which Wine 8 reports unless
	# told otherwise: an AppDefaults key tells node.exe alone Windows 10,
	# as tests/t0800-interop-node.t does.
	if [ -n "$WINE" ] && ! $WINE reg add 'HKCU\Software\Wine\AppDefaults\node.exe' \
	    /v Version /t REG_SZ /d win10 /f </dev/null >/dev/null 2>&1; then
		have_node=0
	fi
fi

echo "pipecat bench/compare.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$($WINE "$PC" --version); $(wine --version 2>/dev/null);" \
	"$BYTES bytes a transfer; median of $REPEAT runs after 1 warm-up, (min..max)"
head -c "$BYTES" /dev/zero | tr '\0' 'x' >"$DATA"

# ---- (1), (2), (5): clients of the same server --------------------------
KINDS="ref pipecat"
[ "$have_node" = 1 ] && KINDS="$KINDS node"
for r in $(seq 0 "$REPEAT"); do
	for k in $KINDS; do
		# Pipe -> stdout.
		ref_srv send "$N" "$BYTES" || exit 1
		case $k in
		ref) mem $WINE "$B/ref_client.exe" "$N" </dev/null >/dev/null ;;
		pipecat) mem $WINE "$PC" connect "$N" </dev/null >/dev/null ;;
		node) mem $WINE "$NODE_EXE" "$NODE_JS" "$N" </dev/null >/dev/null ;;
		esac
		v=$(srv_rate)
		[ "$r" -gt 0 ] && fig_add "down.$k" "$v" && fig_add "mem.$k" "$(cat "$W/mem")"

		# Stdin -> pipe.
		ref_srv recv "$N" || exit 1
		case $k in
		ref) $WINE "$B/ref_client.exe" -u "$N" <"$DATA" >/dev/null ;;
		pipecat) $WINE "$PC" connect -q 0 "$N" <"$DATA" >/dev/null ;;
		node) $WINE "$NODE_EXE" "$NODE_JS" -u "$N" <"$DATA" >/dev/null ;;
		esac
		v=$(srv_rate)
		[ "$r" -gt 0 ] && fig_add "up.$k" "$v"

		# Both ways at once (the reference: two threads, overlapped).
		[ "$k" = node ] && continue
		ref_srv both "$N" "$BYTES" || exit 1
		case $k in
		ref) mem $WINE "$B/ref_client.exe" -d "$N" <"$DATA" >/dev/null ;;
		pipecat) mem $WINE "$PC" connect "$N" <"$DATA" >/dev/null ;;
		esac
		wait "$SRV"
		SRV=""
		if [ "$r" -gt 0 ]; then
			fig_add "bothmem.$k" "$(cat "$W/mem")"
			for d in up down; do
				fig_add "both$d.$k" "$(awk -v d="$d" -v want="$BYTES" '$1 == d {
					print ($3 == want ? $7 : "FAIL") }' "$W/srv.out")"
			done
		fi
	done
done

# ---- (3) serve | connect end to end, and the reference pair -------------
# e2e KIND DIR: wall clock from the client's start to the last byte counted.
e2e() {
	: >"$W/srv.err"
	if [ "$2" = down ]; then
		case $1 in
		ref) $WINE "$B/ref_server.exe" stdin "$N" <"$DATA" >/dev/null 2>"$W/srv.err" & ;;
		pipecat) $WINE "$PC" serve -v -q 0 "$N" <"$DATA" >/dev/null 2>"$W/srv.err" & ;;
		esac
		SRV=$!
		wait_line "$W/srv.err" '^ready|listening on' || exit 1
		t0=$(now_ns)
		case $1 in
		ref) got=$($WINE "$B/ref_client.exe" "$N" </dev/null | wc -c) ;;
		pipecat) got=$($WINE "$PC" connect "$N" </dev/null | wc -c) ;;
		esac
		wait "$SRV"
	else
		case $1 in
		ref) ( $WINE "$B/ref_server.exe" stdout "$N" </dev/null 2>"$W/srv.err" |
			wc -c >"$W/count" ) & ;;
		pipecat) ( $WINE "$PC" serve -v "$N" </dev/null 2>"$W/srv.err" |
			wc -c >"$W/count" ) & ;;
		esac
		SRV=$!
		wait_line "$W/srv.err" '^ready|listening on' || exit 1
		t0=$(now_ns)
		case $1 in
		ref) $WINE "$B/ref_client.exe" -u "$N" <"$DATA" ;;
		pipecat) $WINE "$PC" connect -q 0 "$N" <"$DATA" >/dev/null ;;
		esac
		wait "$SRV"
		got=$(cat "$W/count")
	fi
	t1=$(now_ns)
	SRV=""
	wall_rate "$got" "$t0" "$t1"
}
for r in $(seq 0 "$REPEAT"); do
	for k in ref pipecat; do
		for d in down up; do
			v=$(e2e "$k" "$d")
			[ "$r" -gt 0 ] && fig_add "e2e$d.$k" "$v"
		done
	done
done

# ---- (4) spawn a child that writes BYTES --------------------------------
GEN=$(winpath "$B/gen.exe")
spawn_run() {
	t0=$(now_ns)
	case $1 in
	gen) got=$($WINE "$B/gen.exe" "$BYTES" | wc -c) ;;
	ref) got=$(mem $WINE "$B/ref_spawn.exe" "$GEN" "$BYTES" | wc -c) ;;
	pipecat) got=$(mem $WINE "$PC" spawn "$GEN" "$BYTES" | wc -c) ;;
	esac
	t1=$(now_ns)
	wall_rate "$got" "$t0" "$t1"
}
for r in $(seq 0 "$REPEAT"); do
	for k in gen ref pipecat; do
		v=$(spawn_run "$k")
		[ "$r" -gt 0 ] && fig_add "spawn.$k" "$v"
		[ "$r" -gt 0 ] && [ "$k" != gen ] && fig_add "spawnmem.$k" "$(cat "$W/mem")"
	done
done

# ---- serve with a COMMAND: the child's output to a client ----------------
# No reference program does this; beside spawn it shows what the second
# hop (the anonymous pipe, then the named pipe) costs. Timed from the
# client's start to the last byte counted, as spawn is.
for r in $(seq 0 "$REPEAT"); do
	: >"$W/srv.err"
	$WINE "$PC" serve -v --max-clients 1 "$N" -- "$GEN" "$BYTES" </dev/null >/dev/null 2>"$W/srv.err" &
	SRV=$!
	wait_line "$W/srv.err" 'listening on' || exit 1
	t0=$(now_ns)
	got=$($WINE "$B/ref_client.exe" "$N" </dev/null | wc -c)
	t1=$(now_ns)
	wait "$SRV"
	SRV=""
	[ "$r" -gt 0 ] && fig_add exec.pipecat "$(wall_rate "$got" "$t0" "$t1")"
done

# ---- latency ------------------------------------------------------------
# Direct: ref_client's ping-pong with ref_server echo, and pipecat bench's
# with pipecat bench --serve; both two processes and synchronous handles.
# Through a relay: ref_server pings, and the relay's stdout is looped back
# into its stdin through a FIFO opened read-write (so it never sees EOF).
mkfifo "$W/loop"
for r in $(seq 0 "$LREPEAT"); do
	ref_srv echo "$N" || exit 1
	read -r _ med p99 rts <<<"$($WINE "$B/ref_client.exe" -p "$COUNT" 64 "$N")"
	wait "$SRV"
	SRV=""
	[ "$r" -gt 0 ] && fig_add lat.ref "$med" && fig_add p99.ref "$p99" && fig_add rts.ref "$rts"

	: >"$W/srv.err"
	$WINE "$PC" bench --serve -v --max-clients 1 "$N" >/dev/null 2>"$W/srv.err" &
	SRV=$!
	wait_line "$W/srv.err" 'listening on' || exit 1
	$WINE "$PC" bench --json --tests latency --mode byte -c "$COUNT" -r 1 "$N" >"$W/lat.json"
	wait "$SRV"
	SRV=""
	read -r med p99 rts <<<"$(perl -MJSON::PP -e 'local $/; my $l = decode_json(<STDIN>)->{latency}[0];
		printf "%.1f %.1f %.0f\n", $l->{latency_us}{median}, $l->{latency_us}{p99},
		    $l->{round_trips_per_s}{median}' <"$W/lat.json")"
	[ "$r" -gt 0 ] && fig_add lat.bench "$med" && fig_add p99.bench "$p99" && fig_add rts.bench "$rts"

	for k in ref pipecat; do
		ref_srv ping "$N" "$COUNT" 64 || exit 1
		case $k in
		ref) $WINE "$B/ref_client.exe" -d "$N" <>"$W/loop" >&0 ;;
		pipecat) $WINE "$PC" connect "$N" <>"$W/loop" >&0 ;;
		esac
		wait "$SRV"
		SRV=""
		read -r _ med p99 rts <"$W/srv.out"
		[ "$r" -gt 0 ] && fig_add "rlat.$k" "$med" && fig_add "rp99.$k" "$p99"
	done
done

# ---- (6) start-up time and memory ---------------------------------------
for r in $(seq 0 "$STARTS"); do
	for k in ref pipecat; do
		t0=$(now_ns)
		case $k in
		ref) mem $WINE "$B/ref_hello.exe" >/dev/null ;;
		pipecat) mem $WINE "$PC" --version >/dev/null ;;
		esac
		t1=$(now_ns)
		if [ "$r" -gt 0 ]; then
			fig_add "start.$k" "$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", ns / 1e6 }')"
			fig_add "startmem.$k" "$(cat "$W/mem")"
		fi
	done
done

# ---- the report ----------------------------------------------------------
memdiff() { # memdiff KEY REFKEY: peak RSS medians and their difference
	read -r a _ _ <<<"$(fig "$1")"
	read -r b _ _ <<<"$(fig "$2")"
	awk -v a="$a" -v b="$b" 'BEGIN {
		if (a == "FAIL" || b == "FAIL") { print "   n/a"; exit }
		d = (a - b) / 1024
		printf "   %+.2f MiB beside the reference; target <= +1.00 MiB: %s\n", d,
		    d <= 1.0 ? "met" : "MISSED" }'
}
echo
echo "(1)+(2) connect, against ref_server (timed by the server)"
line "ref_client: pipe -> stdout" down.ref MiB/s
line "pipecat connect: pipe -> stdout" down.pipecat MiB/s down.ref min 0.95
line "ref_client -u: stdin -> pipe" up.ref MiB/s
line "pipecat connect -q 0: stdin -> pipe" up.pipecat MiB/s up.ref min 0.95
line "ref_client -d: both, pipe -> stdout" bothdown.ref MiB/s
line "ref_client -d: both, stdin -> pipe" bothup.ref MiB/s
line "pipecat connect: both, pipe -> stdout" bothdown.pipecat MiB/s bothdown.ref min 0.95
line "pipecat connect: both, stdin -> pipe" bothup.pipecat MiB/s bothup.ref min 0.95
echo "  both ways at once beside one way (target: each >= 0.80):"
line "  ref: pipe -> stdout" bothdown.ref MiB/s down.ref min 0.80
line "  ref: stdin -> pipe" bothup.ref MiB/s up.ref min 0.80
line "  pipecat: pipe -> stdout" bothdown.pipecat MiB/s down.pipecat min 0.80
line "  pipecat: stdin -> pipe" bothup.pipecat MiB/s up.pipecat min 0.80
echo
echo "(3) end to end (wall clock, client start to last byte, counted by wc -c)"
line "ref_server stdin | ref_client" e2edown.ref MiB/s
line "pipecat serve | pipecat connect" e2edown.pipecat MiB/s e2edown.ref min 0.95
line "ref_client -u | ref_server stdout" e2eup.ref MiB/s
line "pipecat connect | pipecat serve" e2eup.pipecat MiB/s e2eup.ref min 0.95
echo
echo "(4) spawn a child writing $BYTES bytes (wall clock, counted by wc -c)"
line "gen alone (no relay)" spawn.gen MiB/s
line "ref_spawn (CreatePipe + ReadFile)" spawn.ref MiB/s
line "pipecat spawn" spawn.pipecat MiB/s spawn.ref min 0.95
line "serve -- gen, read by ref_client" exec.pipecat MiB/s
echo
echo "(5) Node.js client, against ref_server"
if [ "$have_node" = 1 ]; then
	line "node net.connect: pipe -> stdout" down.node MiB/s
	line "node net.connect: stdin -> pipe" up.node MiB/s
	line "pipecat connect / node: pipe -> stdout" down.pipecat MiB/s down.node min 1.5
	line "pipecat connect / node: stdin -> pipe" up.pipecat MiB/s up.node min 1.5
else
	echo "  skipped: node not available ($NODE_EXE: BUILD=... sh scripts/get-node.sh installs it)"
fi
echo
echo "round-trip latency, $COUNT round trips of 64 bytes a run, median of $LREPEAT runs"
line "ref_client -p / ref_server echo" lat.ref "µs"
line "pipecat bench / bench --serve" lat.bench "µs" lat.ref max 1.10
line "  p99: ref" p99.ref "µs"
line "  p99: pipecat bench" p99.bench "µs" p99.ref max 1.10
line "  round trips/s: ref" rts.ref "/s"
line "  round trips/s: pipecat bench" rts.bench "/s" rts.ref min 0.91
line "through ref_client -d (2 threads)" rlat.ref "µs"
line "through pipecat connect" rlat.pipecat "µs" rlat.ref max 1.10
line "  p99: through ref_client -d" rp99.ref "µs"
line "  p99: through pipecat connect" rp99.pipecat "µs" rp99.ref max 1.10
echo
echo "(6) start-up (wall clock of the wine command, median of $STARTS) and peak memory"
line "ref_hello" start.ref ms
line "pipecat --version" start.pipecat ms start.ref max 1.10
line "peak RSS: ref_hello" startmem.ref KiB
line "peak RSS: pipecat --version" startmem.pipecat KiB
memdiff startmem.pipecat startmem.ref
# Under Wine each thread costs about 1 MiB of RSS (bench/FIGURES.md), so
# these are read beside the threads each program runs.
line "peak RSS: ref_client, 1 thread" mem.ref KiB
line "peak RSS: pipecat connect, 2 threads" mem.pipecat KiB
memdiff mem.pipecat mem.ref
line "peak RSS: ref_client -d, 2 threads" bothmem.ref KiB
line "  ...both ways: pipecat connect" bothmem.pipecat KiB
memdiff bothmem.pipecat bothmem.ref
line "peak RSS: ref_spawn, 1 thread" spawnmem.ref KiB
line "peak RSS: pipecat spawn, 2 threads" spawnmem.pipecat KiB
memdiff spawnmem.pipecat spawnmem.ref
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
