# Sourced by the tests/t10NN-bridge-*.t files after test-lib.sh: the Linux
# side's TCP peers (tests/helpers/tcppeer.py, Debian's socat) and waiting
# for them and for bridge's readiness lines.

PEER="python3 $TOP/tests/helpers/tcppeer.py"

# free_port: a port nobody listens on right now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT: wait until something accepts on 127.0.0.1:PORT (20 s).
wait_port() {
	python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(400):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
print("wait_port: nothing accepts on port %s" % sys.argv[1], file=sys.stderr)
sys.exit(1)
PY
}

# wait_path TEST PATH: wait until `test TEST PATH` holds, 20 s; wait_file
# FILE: until FILE has data (a peer's PORTFILE); wait_sock PATH: until PATH
# is a Unix socket (socat listening).
wait_path() {
	_i=0
	while ! test "$1" "$2"; do
		_i=$((_i + 1))
		[ "$_i" -gt 400 ] && { echo "wait_path: no $1 $2 after 20 s" >&2; return 1; }
		sleep 0.05
	done
}
wait_file() { wait_path -s "$1"; }
wait_sock() { wait_path -S "$1"; }

# listen_port FILE: the PORT of a "listening on tcp:127.0.0.1:PORT" line.
listen_port() {
	sed -n "s/.*listening on tcp:127\.0\.0\.1:\([0-9]*\).*/\1/p" "$1"
}

# bridge_listening VAR ERRFILE: wait for bridge -v's TCP readiness line in
# ERRFILE and put its port in VAR.
bridge_listening() {
	wait_for "$2" "listening on tcp:" &&
	eval "$1=\$(listen_port \"\$2\")" &&
	eval "test -n \"\$$1\""
}

# gen FILE MIB: MIB MiB of data that does not repeat within 1 MiB.
gen() {
	python3 -c 'import random, sys; r = random.Random(int(sys.argv[2])); b = r.randbytes(1 << 20); sys.stdout.buffer.write(b"".join(bytes([(x + i) & 255 for x in b[:64]]) + b[64:] for i in range(int(sys.argv[1]))))' "$2" "${3:-1}" >"$1"
}
