#!/bin/bash
# The portable modules' native unit tests (built by make with AddressSanitizer
# and UBSan), one TAP line per test program; a failing program's own TAP
# output is shown.
. "$(dirname "$0")/lib/test-lib.sh"

for prog in "$BUILD"/unit/test_*; do
	name=$(basename "$prog")
	test_expect_success "unit: $name (native, ASan+UBSan)" '
		"$prog" >unit.out 2>&1 || { cat unit.out; false; }
		rc=$?
		grep -v "^ok" unit.out | grep -v "^1\.\." | head -50
		echo "$(grep -c "^ok" unit.out) checks passed"
		return $rc
	'
done

test_expect_success 'every portable module has its unit test program' '
	for m in pipename opts dacl cli argv stats hexdump pipelist json utf8; do
		test -x "$BUILD/unit/test_$m" || { echo "no unit test for $m"; return 1; }
	done
'

test_done
