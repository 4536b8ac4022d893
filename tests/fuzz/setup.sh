#!/bin/sh
# Installs, only if missing, what `make fuzz` needs: clang, and the
# libFuzzer runtime that comes with it. Debian 12's clang (14) ships the
# runtime in libclang-rt-14-dev, which clang itself does not pull in on
# every release, so the check is a real link of a fuzzer, not the command.
set -eu
: "${CLANG:=clang}"

links() {
	tmp=$(mktemp -d)
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	    >"$tmp/t.c"
	"$CLANG" -fsanitize=fuzzer,address,undefined "$tmp/t.c" -o "$tmp/t" \
	    >/dev/null 2>&1
	rc=$?
	rm -rf "$tmp"
	return $rc
}

links && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "fuzz: $CLANG cannot build a libFuzzer harness; install clang and its compiler-rt" >&2
	exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
install() {
	echo "fuzz: installing with apt-get: $*" >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	    --no-install-recommends "$@" >&2
}
$SUDO apt-get update -qq >&2
command -v "$CLANG" >/dev/null 2>&1 || install clang
links && exit 0
major=$("$CLANG" -dumpversion | cut -d. -f1)
if apt-cache show "libclang-rt-$major-dev" >/dev/null 2>&1; then
	install "libclang-rt-$major-dev"
fi
links && exit 0
echo "fuzz: $CLANG $major still cannot link -fsanitize=fuzzer" >&2
exit 1
