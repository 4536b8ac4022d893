#!/bin/bash
# bench/soak.sh: many clients, one after another and many at once, against
# one long-lived server, to see whether its memory and threads stay flat.
# Not part of make check: at full size it takes a long while.
#
# Three phases, each against a fresh server that ends by itself
# (--max-clients) and must exit 0:
#   1. serve -k, stdout to a file: SOAK_CLIENTS clients one after another,
#      each sending SOAK_BYTES and closing (pipeload ... sequential send);
#      the file must end up holding every byte;
#   2. serve -vv -- kid.exe cat: SOAK_CLIENTS clients one after another,
#      each checking its echo;
#   3. the same server kind, SOAK_CLIENTS clients in bursts of SOAK_BURST
#      at once.
# The clients come from a single Win32 process per SOAK_STEP clients, or
# per burst (tests/helpers/pipeload.c, one connection after another in a
# loop, or a thread each), not a Wine process each, which would take far
# longer than the server's work. Each server serves one client more, which
# ends it, so that the last sample is taken while it still runs.
# Every SOAK_STEP clients, once the server has said the last one is gone,
# it prints the server's resident memory and thread count as Linux sees the
# Wine process (VmRSS and Threads in /proc/PID/status, the fewest threads
# over half a second, since a session that has just ended may still have
# its workers for a moment) and, with a COMMAND, the "after N clients"
# line of serve -vv (handles, working set, private bytes). Each phase ends
# with a verdict: flat when each memory figure of the last sample (VmRSS,
# and with a COMMAND the working set and private bytes) is within 10 % or
# 1 MiB of the first (taken after the first SOAK_STEP clients, so start-up
# is not counted) and its threads at most 2 more; the growth over the
# second half is printed beside it. Exits 0 when every phase is flat and
# every client got what it should.
#
# Needs the build: make all build/helpers/pipeload.exe build/helpers/kid.exe.
# Environment: BUILD (build), SOAK_CLIENTS (10000), SOAK_STEP (1000),
# SOAK_BURST (100), SOAK_BYTES (1000), SOAK_PHASES ("k exec burst").
# A quick run: SOAK_CLIENTS=500 SOAK_STEP=100 bash bench/soak.sh
set -u
cd "$(dirname "$0")/.." || exit 1
: "${BUILD:=build}" "${SOAK_CLIENTS:=10000}" "${SOAK_STEP:=1000}"
: "${SOAK_BURST:=100}" "${SOAK_BYTES:=1000}" "${SOAK_PHASES:=k exec burst}"
for f in "$BUILD/pipecat.exe" "$BUILD/helpers/pipeload.exe" "$BUILD/helpers/kid.exe"; do
	[ -f "$f" ] || { echo "soak.sh: $f is missing: run make all build/helpers/pipeload.exe build/helpers/kid.exe" >&2; exit 1; }
done
if [ $((SOAK_CLIENTS % SOAK_STEP)) -ne 0 ] || [ $((SOAK_STEP % SOAK_BURST)) -ne 0 ]; then
	echo "soak.sh: SOAK_CLIENTS must be a multiple of SOAK_STEP, and SOAK_STEP of SOAK_BURST" >&2
	exit 2
fi

# The tests' helpers: pc and helper (Wine programs under timeout), bg,
# wait_for, prog_pid (the Linux process of a Wine program) and kill_tree.
# It also makes and enters the work directory build/t/soak.sh/.
TEST_TIMEOUT=86400
. tests/lib/test-lib.sh
KID="$HELPERS/kid.exe"
wine_start
SERVER=""
cleanup() {
	[ -n "$SERVER" ] && kill_tree "$SERVER" KILL
	wine_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=0
summary=""

# Seconds since the phase began, to a tenth.
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# sample SPID N SERR: one line of figures after N clients.
sample() {
	_min=
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		_t=$(awk '/^Threads/ {print $2}' "/proc/$1/status")
		if [ -z "$_min" ] || [ "$_t" -lt "$_min" ]; then _min=$_t; fi
		sleep 0.05
	done
	_rss=$(awk '/^VmRSS/ {print $2}' "/proc/$1/status")
	_vv=$(sed -n "s/^pipecat: after $2 clients: [0-9]* active, \(.*\)/\1/p" "$3" | tail -1)
	_ws=$(echo "$_vv" | sed -n 's/.*working set \([0-9]*\) KiB.*/\1/p')
	_pv=$(echo "$_vv" | sed -n 's/.*private \([0-9]*\) KiB.*/\1/p')
	printf '%8s %10s %8s %9s  %s\n' "$2" "$_rss" "$_min" "$(elapsed)" \
	    "${_vv:--}"
	echo "$_rss $_min ${_ws:--} ${_pv:--}" >>samples
}

# flat FIRST LAST: "flat" when LAST is within 10 % or 1 MiB of FIRST (KiB).
flat() {
	if [ $(($2 - $1)) -le 1024 ] || [ $(($2 * 10)) -le $(($1 * 11)) ]; then
		echo flat
	else
		echo GROWS
	fi
}

# verdict PHASE: flat or not, from the first and last lines of ./samples:
# VmRSS and threads always, and serve -vv's working set and private bytes
# when it printed them.
verdict() {
	local rss0 thr0 ws0 pv0 rss1 thr1 ws1 pv1 rssm thrm line word
	read -r rss0 thr0 ws0 pv0 < <(head -1 samples)
	read -r rss1 thr1 ws1 pv1 < <(tail -1 samples)
	word=$(flat "$rss0" "$rss1")
	line=$(printf '%-6s VmRSS %s (%s KiB after %s clients, %s KiB after %s)' \
	    "$1" "$word" "$rss0" "$SOAK_STEP" "$rss1" "$SOAK_CLIENTS")
	[ "$word" = flat ] || failed=1
	if [ "$ws0" != - ] && [ "$ws1" != - ]; then
		word=$(flat "$ws0" "$ws1")
		line="$line, working set $word ($ws0, $ws1 KiB)"
		[ "$word" = flat ] || failed=1
		word=$(flat "$pv0" "$pv1")
		line="$line, private $word ($pv0, $pv1 KiB)"
		[ "$word" = flat ] || failed=1
	fi
	if [ "$thr1" -le $((thr0 + 2)) ]; then word=flat; else word=GROWS; failed=1; fi
	line="$line, threads $word ($thr0, $thr1)"
	# Growth that stops (a pool grown to the peak load) reads apart from
	# growth that goes on (a leak) in the second half alone.
	read -r rssm thrm _ < <(sed -n "$(( $(wc -l <samples) / 2 ))p" samples)
	line="$line; second half: VmRSS $((rss1 - rssm)) KiB, threads $((thr1 - thrm))"
	echo "$line"
	summary="$summary$line"$'\n'
}

# start VAR SERR ARGS...: a server in the background, its Linux pid in $VAR.
start() {
	local var=$1 err=$2
	shift 2
	bg SERVER pc serve "$@" </dev/null 2>"$err"
	wait_for "$err" "listening on" 60 || { failed=1; return 1; }
	eval "$var=\$(prog_pid \$SERVER pipecat.exe)"
}

# finish PHASE: the server must end by itself with status 0.
finish() {
	wait "$SERVER"
	_st=$?
	SERVER=""
	if [ "$_st" -ne 0 ]; then
		echo "$1: the server exited $_st" >&2
		failed=1
	fi
}

header() {
	echo
	echo "== $1"
	printf '%8s %10s %8s %9s  %s\n' clients "VmRSS KiB" threads "elapsed s" "serve -vv: after N clients"
	: >samples
	T0=$(date +%s.%N)
}

# clients LABEL CHUNK ERR GONE WORDS...: SOAK_CLIENTS clients, CHUNK to a
# pipeload run (WORDS its mode), then the one more that ends the server
# (--max-clients is one more than SOAK_CLIENTS, so that the last sample is
# taken while it still runs); a sample every SOAK_STEP, once ERR has as
# many lines matching GONE.
clients() {
	local _label=$1 _chunk=$2 _err=$3 _gone=$4
	shift 4
	for ((n = _chunk; n <= SOAK_CLIENTS; n += _chunk)); do
		helper pipeload "$N" "$_chunk" "$SOAK_BYTES" "$@" >>"$_label.load" ||
			{ echo "$_label: pipeload failed: $(tail -1 "$_label.load")" >&2; failed=1; }
		[ $((n % SOAK_STEP)) -eq 0 ] || continue
		until [ "$(grep -c "$_gone" "$_err")" -ge "$n" ]; do sleep 0.05; done
		sample "$spid" "$n" "$_err"
	done
	helper pipeload "$N" 1 "$SOAK_BYTES" "$@" >>"$_label.load" || failed=1
	finish "$_label"
	awk -v t="$(elapsed)" '{ ok += substr($2, 4); busy += substr($4, 6) }
	    END { print ok " clients ok, " busy " busy retries, wall " int(t) " s" }' "$_label.load"
	grep -q "failed=[1-9]" "$_label.load" && failed=1
}

# Phase 1: serve -k relays each client to stdout, one after another.
phase_k() {
	N="soak-k-$$"
	header "serve -k: $SOAK_CLIENTS clients one after another, $SOAK_BYTES bytes each, to stdout"
	start spid k.err -v -k --max-clients $((SOAK_CLIENTS + 1)) "$N" >k.out || return
	clients k "$SOAK_STEP" k.err "client gone from" sequential send
	want=$(((SOAK_CLIENTS + 1) * SOAK_BYTES))
	got=$(wc -c <k.out)
	echo "stdout: $got bytes of $want"
	[ "$got" -eq "$want" ] || failed=1
	verdict k
}

# Phases 2 and 3: serve -- kid cat, a child per client; BURST clients at a
# time (1: one after another).
phase_exec() {
	N="soak-$1-$$"
	if [ "$2" -eq 1 ]; then
		header "serve -vv -- kid cat: $SOAK_CLIENTS clients one after another, $SOAK_BYTES bytes echoed each"
	else
		header "serve -vv -- kid cat: $SOAK_CLIENTS clients in bursts of $2 at once, $SOAK_BYTES bytes echoed each"
	fi
	start spid "$1.err" -vv --max-clients $((SOAK_CLIENTS + 1)) "$N" -- "$KID" cat >/dev/null || return
	if [ "$2" -eq 1 ]; then
		clients "$1" "$SOAK_STEP" "$1.err" "^pipecat: client [0-9]* gone" sequential
	else
		clients "$1" "$2" "$1.err" "^pipecat: client [0-9]* gone"
	fi
	verdict "$1"
}

echo "soak: $SOAK_CLIENTS clients a phase, figures every $SOAK_STEP; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for phase in $SOAK_PHASES; do
	case $phase in
	k) phase_k ;;
	exec) phase_exec exec 1 ;;
	burst) phase_exec burst "$SOAK_BURST" ;;
	*) echo "soak.sh: unknown phase $phase (k, exec, burst)" >&2; exit 2 ;;
	esac
done
echo
echo "== verdict"
printf '%s' "$summary"
if [ "$failed" -eq 0 ]; then
	echo "soak: flat, every client served"
else
	echo "soak: NOT flat, or a client failed (see above)"
fi
exit "$failed"
