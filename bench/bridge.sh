#!/bin/bash
# bench/bridge.sh: pipecat bridge beside the plainest pipe <-> TCP relay
# (bench/ref_bridge.c: a thread per direction, 64 KiB reads), measured in
# one run on the same machine; it reports, it asserts nothing.
#
#   (1) bridge pipe-listen:NAME tcp:127.0.0.1:PORT, and (2) bridge
#       tcp-listen:0 pipe:NAME, each way and both ways at once, beside
#       ref_bridge in the same place; the TCP peer is Python on the Linux
#       side, the pipe peer bench's ref_client or ref_server;
#   (3) 32 sessions at once: one bridge -k process, beside 32 processes of
#       pipecat connect under socat's fork (WSL's way), against the same
#       pipe echo server: throughput and peak memory;
#   (4) connection set-up latency of one session: from a TCP client's
#       connect to its first echoed byte, through bridge -k tcp-listen:0
#       tcp:ECHO, beside the same without the bridge.
#
# Timing is by the side that stays up, never including a process start:
# Python times its socket from accept (or connect) to its last byte;
# ref_server times the pipe from the client's connection to its last byte.
# One-way runs use -q 0 (ref_bridge also ends with the first direction to
# end). Runs alternate reference and pipecat, one warm-up round first, then
# REPEAT rounds; each figure is the median with min..max; the throughput
# table's ratio is that of the medians, its paired ratio the median of each
# round's pipecat over reference (see paired). Memory is the sum
# of VmRSS of the Linux processes running the Windows programs, sampled
# every 0.2 s, at its peak.
#
# Environment: BUILD (build), BYTES (268435456), REPEAT (3), SESSIONS (32),
# SBYTES (4194304 each way per session), CONNS (50 set-ups), PARTS ("1 2 3
# 4": which of the above to run). Each program runs under timeout 300; a
# run that fails or times out leaves a "-" in its figure.
set -u
cd "$(dirname "$0")/.." || exit 1
: "${BUILD:=build}" "${BYTES:=268435456}" "${REPEAT:=3}" "${SESSIONS:=32}"
: "${SBYTES:=4194304}" "${CONNS:=50}" "${PARTS:=1 2 3 4}"
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
export BUILD
. scripts/wine-env.sh
PC="$BUILD/pipecat.exe"
B="$BUILD/bench"
KID="$BUILD/helpers/kid.exe"
for f in "$PC" "$B/ref_bridge.exe" "$B/ref_client.exe" "$B/ref_server.exe" "$KID"; do
	[ -f "$f" ] || { echo "bridge.sh: $f is missing: make bench build/helpers/kid.exe" >&2; exit 1; }
done
command -v socat >/dev/null || { echo "bridge.sh: socat is missing" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/pipecat-bridge.XXXXXX") || exit 1
DATA="$W/data"
[ -d /dev/shm ] && [ -w /dev/shm ] && DATA=$(mktemp /dev/shm/pipecat-bridge.XXXXXX)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$W"; rm -f "$DATA"
	wine_stop
}
trap cleanup EXIT INT TERM
wine_start
head -c "$BYTES" /dev/urandom >"$DATA"
N="pcbridge-$$"

# The Python side: a timed TCP server or client.
#   srv MODE PORTFILE BYTES   MODE recv (to EOF), send (then shut down, to
#                             EOF), both (send and receive BYTES at once)
#   cli MODE PORT BYTES       the same as a client
#   load PORT N BYTES         N clients at once, each sending BYTES and
#                             reading its echo; the total rate
#   setup PORT COUNT          COUNT connections: connect, 1 byte, its echo
#   echo PORTFILE             an echo server, many at once
# Prints "MiB/s R" (both: "MiB/s UP DOWN"; setup: "us MEDIAN P90").
cat >"$W/peer.py" <<'PY'
import os, socket, sys, threading, time
def out(s): print(s, flush=True)
def recv_n(c, n=None):
    got = 0
    while n is None or got < n:
        b = c.recv(1 << 16)
        if not b: break
        got += len(b)
    return got
def run(c, mode, n, t0):
    if mode == "recv":
        got = recv_n(c); t = time.time() - t0
        out("MiB/s %.1f" % (got / t / 1048576))
    elif mode == "send":
        buf = os.urandom(1 << 16); left = n
        while left > 0:
            k = c.send(buf[:min(left, len(buf))]); left -= k
        c.shutdown(socket.SHUT_WR); recv_n(c); t = time.time() - t0
        out("MiB/s %.1f" % (n / t / 1048576))
    else:
        res = {}
        def snd():
            buf = os.urandom(1 << 16); left = n
            while left > 0:
                k = c.send(buf[:min(left, len(buf))]); left -= k
            res["up"] = time.time() - t0
        th = threading.Thread(target=snd); th.start()
        got = recv_n(c, n); res["down"] = time.time() - t0; th.join()
        out("MiB/s %.1f %.1f" % (n / res["up"] / 1048576, got / res["down"] / 1048576))
    c.close()
def listener(pf):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
    open(pf + ".t", "w").write("%d\n" % s.getsockname()[1]); os.rename(pf + ".t", pf)
    return s
cmd = sys.argv[1]
if cmd == "srv":
    s = listener(sys.argv[3]); c, _ = s.accept(); run(c, sys.argv[2], int(sys.argv[4]), time.time())
elif cmd == "cli":
    t0 = time.time(); c = socket.create_connection(("127.0.0.1", int(sys.argv[3])))
    run(c, sys.argv[2], int(sys.argv[4]), t0)
elif cmd == "echo":
    s = listener(sys.argv[2])
    def h(c):
        with c:
            while True:
                b = c.recv(1 << 16)
                if not b: break
                c.sendall(b)
    while True:
        c, _ = s.accept(); threading.Thread(target=h, args=(c,), daemon=True).start()
elif cmd == "load":
    port, k, n = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    ok = [0]
    def one():
        c = socket.create_connection(("127.0.0.1", port))
        th = threading.Thread(target=c.sendall, args=(os.urandom(n),)); th.start()
        if recv_n(c, n) == n: ok[0] += 1
        th.join(); c.close()
    t0 = time.time(); ts = [threading.Thread(target=one) for _ in range(k)]
    for t in ts: t.start()
    for t in ts: t.join()
    t = time.time() - t0
    out("MiB/s %.1f ok %d" % (k * n / t / 1048576, ok[0]))
elif cmd == "setup":
    port, k = int(sys.argv[2]), int(sys.argv[3]); us = []
    for _ in range(k):
        t0 = time.perf_counter(); c = socket.create_connection(("127.0.0.1", port))
        c.sendall(b"x"); c.recv(1); us.append((time.perf_counter() - t0) * 1e6); c.close()
    us.sort(); out("us %.0f %.0f" % (us[len(us) // 2], us[int(len(us) * 0.9)]))
PY
PEER="timeout 300 python3 $W/peer.py"
WINE="timeout 300 $WINE"

# wait_file FILE, wait_line FILE PATTERN: 30 s at most.
wait_file() { for _ in $(seq 600); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }
wait_line() { for _ in $(seq 600); do grep -Eq "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done; return 1; }
# med "v1 v2 ...": "median (min..max)".
med() { echo "$1" | tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {printf "%.1f (%.1f..%.1f)", a[int((NR+1)/2)], a[1], a[NR]}'; }
median() { echo "$1" | tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A FIG

# One run of setup (1): KIND ref|pc, DIR up|down|both; prints the rate(s).
run1() {
	local kind=$1 dir=$2 pf="$W/p.$BASHPID" name="$N-1-$BASHPID" mode q=0
	case $dir in up) mode=recv ;; down) mode=send ;; both) mode=both; q=0.5 ;; esac
	rm -f "$W/e1" "$W/r1"
	$PEER srv $mode "$pf" "$BYTES" >"$W/r1" & local py=$!
	wait_file "$pf"
	if [ "$kind" = ref ]; then
		$WINE "$B/ref_bridge.exe" pipe "$name" "$(cat "$pf")" 2>"$W/e1" & local br=$!
		wait_line "$W/e1" ready
	else
		$WINE "$PC" bridge -v -q $q "pipe-listen:$name" "tcp:127.0.0.1:$(cat "$pf")" 2>"$W/e1" & local br=$!
		wait_line "$W/e1" "listening on"
	fi
	case $dir in
	up) $WINE "$B/ref_client.exe" -u "$name" <"$DATA" ;;
	down) $WINE "$B/ref_client.exe" "$name" >/dev/null ;;
	both) $WINE "$B/ref_client.exe" -d "$name" <"$DATA" >/dev/null ;;
	esac
	wait $py; wait $br
	rm -f "$pf"
	cut -d' ' -f2- "$W/r1"
	grep -q "MiB/s" "$W/r1" || sed "s/^/bridge.sh: failed: /" "$W/r1" "$W/e1" >&2
}

# One run of setup (2).
run2() {
	local kind=$1 dir=$2 name="$N-2-$BASHPID" smode cmode q=0
	case $dir in up) smode=recv; cmode=send ;; down) smode="send"; cmode=recv ;; both) smode=both; cmode=both; q=0.5 ;; esac
	rm -f "$W/e2" "$W/s2" "$W/r2"
	local count="$BYTES"
	[ "$smode" = recv ] && count=""
	$WINE "$B/ref_server.exe" $smode "$name" $count >"$W/r2" 2>"$W/s2" & local sv=$!
	wait_line "$W/s2" ready
	if [ "$kind" = ref ]; then
		$WINE "$B/ref_bridge.exe" tcp "$name" 2>"$W/e2" & local br=$!
		wait_line "$W/e2" "^port "
		port=$(sed -n 's/^port //p' "$W/e2")
	else
		$WINE "$PC" bridge -v -q $q tcp-listen:0 "pipe:$name" 2>"$W/e2" & local br=$!
		wait_line "$W/e2" "listening on tcp:"
		port=$(sed -n 's/.*listening on tcp:127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/e2")
	fi
	$PEER cli $cmode "$port" "$BYTES" >/dev/null
	wait $sv; wait $br
	# ref_server: "bytes N seconds S MiB/s R" (both: an up and a down line).
	tr -d '\r' <"$W/r2" |
	    awk '{for (i = 1; i < NF; i++) if ($i == "MiB/s") printf "%s ", $(i + 1)} END {print ""}'
	# A run that failed shows why: what each side said.
	grep -q "MiB/s" "$W/r2" || sed "s/^/bridge.sh: failed: /" "$W/r2" "$W/s2" "$W/e2" >&2
}

echo "bridge.sh: $(( BYTES / 1048576 )) MiB a run, $REPEAT runs after 1 warm-up, alternating ref and pipecat"
for setup in 1 2; do
	case " $PARTS " in *" $setup "*) ;; *) continue ;; esac
	for dir in up down both; do
		for r in $(seq 0 "$REPEAT"); do
			for kind in ref pc; do
				v=$(run$setup $kind $dir)
				echo "bridge.sh: ($setup) $dir $kind: ${v:-failed}" >&2
				[ "$r" -gt 0 ] || continue
				set -- ${v:--}
				FIG[$setup.$dir.$kind.a]="${FIG[$setup.$dir.$kind.a]:-} $1"
				[ $# -gt 1 ] && FIG[$setup.$dir.$kind.b]="${FIG[$setup.$dir.$kind.b]:-} $2"
			done
		done
	done
done

# paired "R1 R2 ..." "P1 P2 ...": the median (min..max) of Pi / Ri, each
# pipecat run over the reference run just before it, which drifts less with
# the machine's load than a ratio of medians.
paired() {
	paste <(echo "$1" | tr ' ' '\n' | grep .) <(echo "$2" | tr ' ' '\n' | grep .) |
	    awk '$1 != "-" && $2 != "-" && $1 > 0 {print $2 / $1}' | sort -g |
	    awk '{a[NR]=$1} END {if (NR) printf "%.2f (%.2f..%.2f)", a[int((NR+1)/2)], a[1], a[NR]}'
}
line() { # line LABEL KEY
	local r=${FIG[$2.ref]:-} p=${FIG[$2.pc]:-}
	[ -n "$r" ] && [ -n "$p" ] || return
	printf "%-44s %-24s %-24s %-6.2f %s\n" "$1" "$(med "$r")" "$(med "$p")" \
	    "$(echo "$(median "$p") / $(median "$r")" | bc -l)" "$(paired "$r" "$p")"
}
remap() { # the per-kind arrays into KEY.ref / KEY.pc
	for k in "${!FIG[@]}"; do
		case $k in
		*.ref.a) FIG[${k%.ref.a}.a.ref]=${FIG[$k]} ;;
		*.pc.a) FIG[${k%.pc.a}.a.pc]=${FIG[$k]} ;;
		*.ref.b) FIG[${k%.ref.b}.b.ref]=${FIG[$k]} ;;
		*.pc.b) FIG[${k%.pc.b}.b.pc]=${FIG[$k]} ;;
		esac
	done
}
remap
case " $PARTS " in *" 1 "*|*" 2 "*)
	printf "\n%-44s %-24s %-24s %-6s %s\n" "throughput MiB/s" "ref_bridge" "pipecat bridge" "ratio" "paired ratio" ;;
esac
line "pipe-listen: tcp:  pipe -> tcp" 1.up.a
line "pipe-listen: tcp:  tcp -> pipe" 1.down.a
line "pipe-listen: tcp:  both, pipe -> tcp" 1.both.a
line "pipe-listen: tcp:  both, tcp -> pipe" 1.both.b
line "tcp-listen: pipe:  tcp -> pipe" 2.up.a
line "tcp-listen: pipe:  pipe -> tcp" 2.down.a
line "tcp-listen: pipe:  both, tcp -> pipe" 2.both.a
line "tcp-listen: pipe:  both, pipe -> tcp" 2.both.b

# (3) 32 sessions at once, through the same pipe echo server: a bridge -k
# from the pipe to a Python echo server (threads, no child processes, so
# that the server costs little and the same for both).
part3() {
rss_tree() { # rss_tree PID: the summed RSS (KiB) of PID and all its descendants
	ps -eo pid=,ppid=,rss= | awk -v root="$1" '
	    { pp[$1] = $2; rss[$1] = $3 }
	    END { for (p in pp) { q = p; while (q != "" && q != root && q > 1) q = pp[q];
	          if (q == root) sum += rss[p] } print sum + 0 }'
}
peak_rss() { # peak_rss ROOT WHILE: sample ROOT's tree until process WHILE ends
	local peak=0 v
	while kill -0 "$2" 2>/dev/null; do
		v=$(rss_tree "$1"); [ "$v" -gt "$peak" ] && peak=$v
		sleep 0.2
	done
	echo $peak
}
$PEER echo "$W/echo3.port" & PIDS="$PIDS $!"
wait_file "$W/echo3.port"
ECHO="$N-echo"
$WINE "$PC" bridge -v -k --max-instances 80 "pipe-listen:$ECHO" "tcp:127.0.0.1:$(cat "$W/echo3.port")" 2>"$W/echo.err" & PIDS="$PIDS $!"
wait_line "$W/echo.err" "listening on"
for r in $(seq 0 "$REPEAT"); do
	rm -f "$W/b3"
	$WINE "$PC" bridge -v -k --wait 20 --max-instances 64 tcp-listen:0 "pipe:$ECHO" 2>"$W/b3" & br=$!
	wait_line "$W/b3" "listening on tcp:"
	port=$(sed -n 's/.*listening on tcp:127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/b3")
	$PEER load "$port" "$SESSIONS" "$SBYTES" >"$W/l3" & ld=$!
	m=$(peak_rss $br $ld)
	wait $ld; kill $br 2>/dev/null; wait $br 2>/dev/null
	p3=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	socat TCP-LISTEN:$p3,bind=127.0.0.1,reuseaddr,fork,backlog=64 EXEC:"$WINE $PC connect --wait 20 $ECHO" & sc=$!
	for _ in $(seq 200); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $p3)).close()" 2>/dev/null && break; sleep 0.05; done
	# The probe's own connect process ends with its 0.5 s linger.
	while [ "$(ps -o pid= --ppid $sc | wc -l)" -gt 0 ]; do sleep 0.1; done
	$PEER load "$p3" "$SESSIONS" "$SBYTES" >"$W/l4" & ld=$!
	m2=$(peak_rss $sc $ld)
	wait $ld; kill $sc 2>/dev/null; wait $sc 2>/dev/null
	[ "$r" -gt 0 ] || continue
	FIG[m.pc]="${FIG[m.pc]:-} $(awk '{print $2}' "$W/l3")"
	FIG[m.ref]="${FIG[m.ref]:-} $(awk '{print $2}' "$W/l4")"
	FIG[mem.pc]="${FIG[mem.pc]:-} $((m / 1024))"
	FIG[mem.ref]="${FIG[mem.ref]:-} $((m2 / 1024))"
done
printf "\n%-44s %-24s %-24s %s\n" "$SESSIONS sessions, $((SBYTES / 1048576)) MiB each way each" "socat fork + connect" "one bridge -k" "ratio"
line "throughput MiB/s (all sessions, one way)" m
line "peak memory MiB (RSS of the process tree)" mem

}

# (4) set-up latency.
part4() {
$PEER echo "$W/echo.port" & PIDS="$PIDS $!"
wait_file "$W/echo.port"
$WINE "$PC" bridge -v -k tcp-listen:0 "tcp:127.0.0.1:$(cat "$W/echo.port")" 2>"$W/b5" & PIDS="$PIDS $!"
wait_line "$W/b5" "listening on tcp:"
port=$(sed -n 's/.*listening on tcp:127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/b5")
$PEER setup "$(cat "$W/echo.port")" 5 >/dev/null; $PEER setup "$port" 5 >/dev/null
direct=$($PEER setup "$(cat "$W/echo.port")" "$CONNS")
bridged=$($PEER setup "$port" "$CONNS")
printf "\n%-44s %-24s %-24s\n" "set-up: connect to first echo, us" "direct" "through bridge -k"
printf "%-44s %-24s %-24s\n" "median, p90 of $CONNS" "${direct#us }" "${bridged#us }"
}

for p in $PARTS; do
	case $p in 3) part3 ;; 4) part4 ;; esac
done
