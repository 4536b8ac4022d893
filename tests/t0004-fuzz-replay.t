#!/bin/bash
# The fuzz corpora replayed: each harness of tests/fuzz/ (its module's
# contract as checks that abort), built by make with the host compiler
# under ASan and UBSan and tests/fuzz/replay.c's main(), is fed every file
# of tests/fuzz/corpus/NAME. No libFuzzer or clang is needed; `make fuzz`
# is what looks for new inputs.
. "$(dirname "$0")/lib/test-lib.sh"

CORPUS="$TOP/tests/fuzz/corpus"

for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	test_expect_success "fuzz corpus replayed: $name (native, ASan+UBSan)" '
		test -x "$BUILD/fuzz/replay_$name" &&
		files=$(find "$CORPUS/$name" -type f | wc -l) &&
		test "$files" -gt 0 &&
		"$BUILD/fuzz/replay_$name" "$CORPUS/$name" >out 2>err ||
		{ rc=$?; echo "exit $rc; the input it was on:"; tail -5 err; false; } &&
		grep_file "^replayed $files inputs$" out
	'
done

test_expect_success 'every portable module has its fuzz harness' '
	for m in pipename opts argv pipelist utf8 json dacl hexdump cli addr; do
		test -f "$TOP/tests/fuzz/fuzz_$m.c" || { echo "no harness for $m"; return 1; }
	done
'

# The replay must fail when a harness aborts: a harness made to refuse one
# input of a corpus of three ends the replay on it, with SIGABRT (134).
test_expect_success 'a harness that aborts fails the replay' '
	printf "%s\n" "#include \"fuzz.h\"" \
	    "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)" \
	    "{ CHECK(n != 5 || memcmp(d, \"abort\", 5) != 0); return 0; }" >self.c &&
	${CC_HOST:-cc} -std=c11 -I"$TOP/tests/fuzz" self.c "$TOP/tests/fuzz/replay.c" -o self &&
	mkdir -p c && printf ok >c/a && printf abort >c/b && printf ok2 >c/c &&
	expect_status 134 ./self c >out 2>err &&
	grep_file "replay: c/b \(5 bytes\)" err &&
	empty_file out &&
	expect_status 0 ./self c/a c/c >out &&
	grep_file "^replayed 2 inputs$" out &&
	expect_status 2 ./self missing 2>err &&
	grep_file "missing" err
'

test_done
