#!/bin/bash
# bench/latency-pairs.sh: round-trip latency through a relay, measured in
# alternating pairs so that the machine's load, which swings the medians of
# compare.sh from run to run, weighs on both sides of each pair alike.
#
# Each round: ref_server pings COUNT messages of 64 bytes through
# ref_client -d (two threads, the minimal full-duplex relay), then through
# pipecat connect; each relay's stdout loops back into its stdin through a
# FIFO opened read-write. Prints each pair and its ratios, then the median
# ratio and how many pairs pipecat won. Needs `make bench` to have built
# build/bench/. Environment: BUILD (build), ROUNDS (15), COUNT (2000).
set -u
cd "$(dirname "$0")/.." || exit 1
: "${BUILD:=build}" "${ROUNDS:=15}" "${COUNT:=2000}"
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
export BUILD
. scripts/wine-env.sh
B="$BUILD/bench"
PC="$BUILD/pipecat.exe"
for f in "$PC" "$B/ref_client.exe" "$B/ref_server.exe"; do
	[ -f "$f" ] || { echo "latency-pairs.sh: $f is missing: run make bench" >&2; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/pipecat-lat.XXXXXX") || exit 1
N="pclat-$$"
SRV=""
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null
	rm -rf "$W"
	wine_stop
}
wine_start
trap cleanup EXIT
trap 'exit 130' INT TERM
mkfifo "$W/loop"

# one KIND: a round through KIND; prints "median p99" in µs.
one() {
	$WINE "$B/ref_server.exe" ping "$N" "$COUNT" 64 >"$W/srv.out" 2>"$W/srv.err" &
	SRV=$!
	for _i in $(seq 400); do
		grep -q '^ready' "$W/srv.err" 2>/dev/null && break
		sleep 0.05
	done
	case $1 in
	ref) $WINE "$B/ref_client.exe" -d "$N" <>"$W/loop" >&0 ;;
	pipecat) $WINE "$PC" connect "$N" <>"$W/loop" >&0 ;;
	esac
	wait "$SRV"
	SRV=""
	awk '{ print $2, $3 }' "$W/srv.out"
}

echo "latency through a relay, $COUNT round trips of 64 bytes a round, $ROUNDS alternating pairs after 1 warm-up"
printf "%5s %14s %14s %8s %8s\n" round "ref_client -d" "connect" ratio "p99 ratio"
one ref >/dev/null
one pipecat >/dev/null
for r in $(seq "$ROUNDS"); do
	read -r rm rp <<<"$(one ref)"
	read -r pm pp <<<"$(one pipecat)"
	awk -v r="$r" -v rm="$rm" -v rp="$rp" -v pm="$pm" -v pp="$pp" 'BEGIN {
		if (rm + 0 == 0 || pm + 0 == 0 || rp + 0 == 0) { printf "%5d failed\n", r; exit }
		printf "%5d %11.1f µs %11.1f µs %8.2f %8.2f\n", r, rm, pm, pm / rm, pp / rp }'
done | tee "$W/pairs"
awk '$2 != "failed" { n++; r[n] = $6; q[n] = $7; if ($6 < 1) won++ }
	function med(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	END {
		if (n == 0) { print "no pair completed"; exit 1 }
		printf "median ratio %.2f, p99 ratio %.2f (target <= 1.10); pipecat faster in %d of %d pairs\n",
		    med(r, n), med(q, n), won, n }' "$W/pairs"
