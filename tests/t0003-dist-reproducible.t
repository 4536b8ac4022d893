#!/bin/bash
# The build is reproducible: the same sources built in two directories,
# at different absolute paths and different times, give the same
# pipecat.exe byte for byte (the Makefile's -ffile-prefix-map keeps paths
# out, --no-insert-timestamp the link time, -s the symbols). Two full
# builds of the exe, with whatever CC_WIN the suite was given; no Wine.
. "$(dirname "$0")/lib/test-lib.sh"

# copy DIR: the build's sources (not the work tree's build/) into DIR.
copy() {
	mkdir -p "$1" &&
	(cd "$TOP" && cp -R Makefile src man "$1/")
}

test_expect_success 'two builds at different paths give the same pipecat.exe' '
	copy "$TMP/a/pipecat" &&
	copy "$TMP/another/much/longer/path/pipecat" &&
	make -s -C "$TMP/a/pipecat" BUILD=build all >a.out 2>&1 &&
	sleep 1 &&
	make -s -C "$TMP/another/much/longer/path/pipecat" BUILD=build all >b.out 2>&1 &&
	same_file "$TMP/a/pipecat/build/pipecat.exe" "$TMP/another/much/longer/path/pipecat/build/pipecat.exe"
'

test_expect_success 'the exe names neither build directory' '
	! grep -q -a -F "$TMP" "$TMP/a/pipecat/build/pipecat.exe" &&
	! grep -q -a -F "/pipecat/src" "$TMP/a/pipecat/build/pipecat.exe"
'

test_done
