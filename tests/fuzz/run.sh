#!/bin/sh
# run.sh NAME...: runs each libFuzzer harness build/fuzz/fuzz_NAME for
# FUZZ_SECONDS (default 60), one after another, and prints its exec count.
# Called by `make fuzz` once the harnesses are built.
#
# The seeds in tests/fuzz/corpus/NAME are read, never written: what the
# fuzzer finds goes to build/fuzz/corpus/NAME (kept from run to run), a
# crash or a breached check to build/fuzz/crash-NAME-*, the log to
# build/fuzz/NAME.log. To fold new finds back into the seeds, minimised:
#   build/fuzz/fuzz_NAME -merge=1 tests/fuzz/corpus/NAME build/fuzz/corpus/NAME
# Exits 1 if any harness crashed.
set -u
: "${BUILD:=build}" "${FUZZ_SECONDS:=60}" "${FUZZ_MAX_LEN:=4096}"
failed=""
printf '%-10s %12s %10s %8s  %s\n' HARNESS EXECS EXEC/S CORPUS RESULT
for name in "$@"; do
	exe="$BUILD/fuzz/fuzz_$name"
	work="$BUILD/fuzz/corpus/$name"
	log="$BUILD/fuzz/$name.log"
	mkdir -p "$work"
	"$exe" -max_total_time="$FUZZ_SECONDS" -max_len="$FUZZ_MAX_LEN" \
	    -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
	    -artifact_prefix="$BUILD/fuzz/crash-$name-" \
	    "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	rate="-"
	[ -n "$secs" ] && [ "$secs" -gt 0 ] && rate=$(( ${execs:-0} / secs ))
	files=$(ls "$work" | wc -l)
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="CRASH (exit $rc): $(ls "$BUILD/fuzz/crash-$name-"* 2>/dev/null | head -1), see $log"
		failed="$failed $name"
	fi
	printf '%-10s %12s %10s %8s  %s\n' "$name" "${execs:-?}" "$rate" "$files" "$result"
done
if [ -n "$failed" ]; then
	echo "fuzz: crashed:$failed" >&2
	exit 1
fi
