#!/bin/sh
# Runs every test under one private wineserver, stopped at the end whatever
# happens. Called by `make check` (after the build) with BUILD set.
set -u
: "${BUILD:=build}" "${PROVE:=prove}"
export BUILD
. scripts/wine-env.sh
wine_start
trap wine_stop EXIT INT TERM
# Two jobs: the machines have two cores, and each test file uses pipe
# names of its own, so files never see each other's pipes.
$PROVE -j2 --timer -e bash tests/t*.t
