# Sourced by every tests/tNNNN-*.t file: a small TAP harness in the manner of
# git's t/test-lib.sh, plus helpers to run pipecat.exe under Wine.
#
#   test_expect_success "title" 'commands chained with &&'
#   test_done
#
# Each test body runs in the test file's shell (so background jobs started
# with bg can be waited for), with its output kept in a log that is shown
# only when the test fails. Every Wine program runs under `timeout`, so a
# hang fails that test instead of the whole run.

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=build}"
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
export BUILD
. "$TOP/scripts/wine-env.sh"

PIPECAT="$BUILD/pipecat.exe"
HELPERS="$BUILD/helpers"
T=$(basename "$0" .t)
TMP="$BUILD/t/$T"
rm -rf "$TMP" && mkdir -p "$TMP" && cd "$TMP" || exit 1
# Pipe names unique to this file and run.
P="pc-$T-$$"
# Seconds any single Wine program may run before it is stopped.
: "${TEST_TIMEOUT:=60}"

test_count=0
test_failed=0
BG_PIDS=""

# pc ARGS...: run pipecat.exe.
pc() {
	timeout -k 5 "$TEST_TIMEOUT" $WINE "$PIPECAT" "$@"
}

# helper NAME ARGS...: run a test helper program (tests/helpers/NAME.c).
helper() {
	_h=$1
	shift
	timeout -k 5 "$TEST_TIMEOUT" $WINE "$HELPERS/$_h.exe" "$@"
}

# bg VAR CMD...: start CMD in the background, its PID in $VAR. Its stdin
# is the caller's (a plain `&` would give it /dev/null).
bg() {
	_var=$1
	shift
	"$@" <&0 &
	eval "$_var=$!"
	BG_PIDS="$BG_PIDS $!"
}

# wait_for FILE PATTERN [SECONDS]: wait until a line of FILE matches the
# extended regex PATTERN (a readiness line), up to SECONDS (default 20).
wait_for() {
	_limit=$(( ${3:-20} * 20 ))
	_i=0
	while ! grep -Eq -- "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		if [ "$_i" -gt "$_limit" ]; then
			echo "wait_for: no line matching '$2' in $1 after ${3:-20} s:" >&2
			cat "$1" >&2 2>/dev/null
			return 1
		fi
		sleep 0.05
	done
}

# wait_size FILE BYTES [SECONDS]: wait until FILE holds at least BYTES.
wait_size() {
	_limit=$(( ${3:-20} * 20 ))
	_i=0
	while [ "$(wc -c <"$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		_i=$((_i + 1))
		if [ "$_i" -gt "$_limit" ]; then
			echo "wait_size: $1 has $(wc -c <"$1") bytes, not $2, after ${3:-20} s" >&2
			return 1
		fi
		sleep 0.05
	done
}

# expect_status N CMD...: run CMD, succeed if it exits N.
expect_status() {
	_want=$1
	shift
	"$@"
	_got=$?
	if [ "$_got" -ne "$_want" ]; then
		echo "expected exit status $_want, got $_got from: $*" >&2
		return 1
	fi
}

# wait_status PID N: wait for background PID, succeed if it exited N.
wait_status() {
	wait "$1"
	_got=$?
	if [ "$_got" -ne "$2" ]; then
		echo "expected exit status $2 from pid $1, got $_got" >&2
		return 1
	fi
}

# grep_file PATTERN FILE: like grep -E -q, but shows FILE when it fails.
grep_file() {
	if ! grep -Eq -- "$1" "$2"; then
		echo "no line matching '$1' in $2:" >&2
		cat "$2" >&2
		return 1
	fi
}

# count_lines N PATTERN FILE: exactly N lines of FILE match the extended
# regex PATTERN, or show FILE.
count_lines() {
	_n=$(grep -Ec -- "$2" "$3")
	if [ "$_n" -ne "$1" ]; then
		echo "$_n lines, not $1, match '$2' in $3:" >&2
		cat "$3" >&2
		return 1
	fi
}

# same_file A B: byte-for-byte equal, or show how they differ.
same_file() {
	if ! cmp "$1" "$2" >&2; then
		echo "sizes: $(wc -c <"$1") vs $(wc -c <"$2")" >&2
		return 1
	fi
}

# empty_file F: F exists and is empty, or show it.
empty_file() {
	if [ -s "$1" ]; then
		echo "expected $1 to be empty; it holds:" >&2
		cat "$1" >&2
		return 1
	fi
}

# empty_but_wine F: as empty_file, but a line of Wine's own is let through:
# "wine client error:TID: ..." is printed by Wine's ntdll when a thread is
# in a call to wineserver as its process ends (seen once in t0300, Wine 8,
# cut after the thread id as the process died): not pipecat's.
empty_but_wine() {
	grep -v "^wine client error:" "$1" >"$1.own"
	empty_file "$1.own"
}

# The body runs in a function of its own, so that `return` in it ends the
# body, not the harness.
test_run_body() {
	eval "$1"
}

test_expect_success() {
	test_count=$((test_count + 1))
	_log="$TMP/log.$test_count"
	if test_run_body "$2" >"$_log" 2>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		# On stderr, as Test::More's diag: prove shows it without -v.
		{ echo "# $T: not ok $test_count - $1"; sed 's/^/#   /' "$_log"; } >&2
		test_failed=$((test_failed + 1))
	fi
}

test_done() {
	for _p in $BG_PIDS; do
		kill_tree "$_p" KILL
	done
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
	exit $?
}

# prog_pid PID NAME: the process a bg job runs whose command line holds
# NAME: the job is a subshell running `timeout`, which runs the program;
# children of the program itself come later in the search, so are not taken.
prog_pid() {
	_want=$2
	_todo=$1
	while [ -n "$_todo" ]; do
		_p=${_todo%% *}
		_todo=${_todo#"$_p"}
		_cmd=$(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null)
		case "$_cmd" in
		timeout*) ;;
		*"$_want"*) echo "$_p"; return 0 ;;
		esac
		_todo="$_todo $(ps -o pid= --ppid "$_p" 2>/dev/null | tr '\n' ' ')"
		_todo=$(echo $_todo)
	done
	echo "prog_pid: no process running $_want under $1" >&2
	return 1
}

# kill_tree PID [SIGNAL]: signal what a bg job runs. The job is a subshell
# running `timeout`, which runs the Wine program; the signal goes to the
# program (the leaves of the tree) first, so that SIGINT arrives once, as a
# Ctrl-C; KILL then also takes the subshell and `timeout`. By PID only,
# never by name.
kill_tree() {
	_kids=$(ps -o pid= --ppid "$1" 2>/dev/null)
	if [ -z "$_kids" ]; then
		kill "-${2:-TERM}" "$1" 2>/dev/null
		return 0
	fi
	for _c in $_kids; do
		kill_tree "$_c" "${2:-TERM}"
	done
	[ "${2:-TERM}" = KILL ] && kill -KILL "$1" 2>/dev/null
	return 0
}
