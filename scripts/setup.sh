#!/bin/sh
# Installs what pipecat's build and tests need, and only what is missing:
# the MinGW-w64 cross compiler, Wine (64-bit), mandoc (man page lint) and
# prove (TAP runner), and a host C compiler with its C library headers for
# the native unit tests. On MSYS2 (native Windows) nothing is installed: the
# MinGW toolchain is expected to be there and Wine is not needed.
set -eu

case "$(uname -s)" in
MINGW*|MSYS*|CYGWIN*) exit 0 ;;
esac

missing=""
need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need x86_64-w64-mingw32-gcc "gcc-mingw-w64-x86-64-posix mingw-w64-x86-64-dev"
# Debian 12 has Wine 8.0 and Debian 13 Wine 10.0, each as `wine` (the
# wrapper, depending on wine64 or wine32) and `wine64` (the 64-bit loader,
# named so that apt does not pick wine32 and the i386 architecture). A
# release without a wine64 package gets `wine` alone (see below).
need wine "wine wine64"
need mandoc mandoc
need prove perl
need cc gcc
# The native unit tests need the C library's headers, which gcc installed
# without its recommends does not bring.
if command -v cc >/dev/null 2>&1; then
	printf '#include <stdint.h>\n' | cc -E -x c - >/dev/null 2>&1 ||
		missing="$missing libc6-dev"
else
	missing="$missing libc6-dev"
fi
need make make
need ps procps
need timeout coreutils
# bridge's tests: TCP peers on the Linux side of Wine.
need socat socat
need python3 python3

[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: missing:$missing; install them with your package manager" >&2
	exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing with apt-get:$missing" >&2
$SUDO apt-get update -qq >&2
case " $missing " in
*" wine64 "*)
	if ! apt-cache show wine64 >/dev/null 2>&1; then
		echo "setup: this release has no wine64 package; wine alone it is" >&2
		missing=$(echo " $missing " | sed 's/ wine64 / /')
	fi
	;;
esac
# shellcheck disable=SC2086 # word splitting of the package list is meant
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
