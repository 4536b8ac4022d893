#!/bin/sh
# Runs every test under one private wineserver, stopped at the end whatever
# happens. Called by `make check` (after the build) with BUILD set; TESTS
# (default tests/t*.t) picks files.
#
# A file that fails is run once more, alone, and the run fails only if it
# fails again: under load, Wine's timing now and then fails a test that
# passes on its own (each such case is a bug report in the test's comments
# or the issue notes, not something to hide). The second run is announced
# with the files it reruns, and its own prove summary follows, so a flaky
# file is never silent; a file that fails twice fails make check.
set -u
: "${BUILD:=build}" "${PROVE:=prove}"
export BUILD
. scripts/wine-env.sh
wine_start
trap wine_stop EXIT INT TERM
state="$BUILD/t/.prove"
mkdir -p "$BUILD/t"
rm -f "$state"
# Two jobs: the machines have two cores, and each test file uses pipe
# names of its own, so files never see each other's pipes.
# shellcheck disable=SC2086
$PROVE -j2 --timer --state=save --statefile="$state" -e bash ${TESTS:-tests/t*.t} && exit 0
again=$($PROVE --state=failed --statefile="$state" --dry 2>/dev/null | tr '\n' ' ')
if [ -z "$again" ]; then
	exit 1
fi
echo "run.sh: once more, alone: $again"
$PROVE --timer --state=failed --statefile="$state" -e bash
