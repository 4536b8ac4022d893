#!/bin/sh
# debian-check.sh SUITE: the README's two commands, `make demo` and `make
# check`, on a fresh Debian SUITE (bookworm = Debian 12 with Wine 8, trixie =
# Debian 13 with Wine 10), in a chroot, on a pristine clone of HEAD.
#
# What a new user has is a minimal Debian with make and git: the chroot is
# made with `debootstrap --variant=minbase --include=make,git` from the
# mirror this machine's apt uses, and everything else (the MinGW-w64
# compiler, Wine, mandoc, perl, npm for node.exe) is installed inside it by
# the project's own scripts/setup.sh and scripts/get-node.sh, as on that
# user's machine. That is the point: setup.sh must work on each release.
#
# The chroot is kept between runs in $PIPECAT_CHROOT_CACHE/SUITE (default
# /var/cache/pipecat-chroot/SUITE, outside the work tree, so `git clean` and
# `make clean` keep it): the first run pays for debootstrap and the
# installs, later runs only clone and run the two commands, whose setup
# step then finds nothing missing. `--fresh` throws the chroot away first.
# The tree is cloned anew from HEAD for every run: what runs is what is
# committed, never the work tree's edits; a clone whose run passed is
# removed (it holds a Wine prefix and the tests' files, about 1.3 GB).
#
# Borrowed from this machine, and nothing else: its apt mirror (the deb
# URIs of /etc/apt/sources.list and sources.list.d), apt's proxy and
# Release-check settings (Acquire::*::Proxy, Acquire::Check-Valid-Until,
# Acquire::Check-Date), /etc/resolv.conf, and for npm the CA bundle and
# /etc/npmrc. Wine needs /proc, /dev, /dev/pts, /dev/shm and a /tmp of its
# own inside the chroot; they are mounted for the run and always unmounted
# (trap), after any process still running inside the chroot is ended, by
# PID. One run per SUITE at a time (flock; a second waits for the first,
# and nothing started inside holds the lock).
#
# `-- COMMAND ARGS` runs COMMAND in the clone instead of the two commands
# (to look into one test: `-- make test` after a first run, or
# `-- sh -c '. scripts/wine-env.sh; ...'`).
#
# Root only (debootstrap, chroot, mount). Installs debootstrap with apt-get
# if it is missing. Exits with the status of the two commands (the first
# that failed), or 1 if the chroot could not be made.
#
#   scripts/debian-check.sh [--fresh] bookworm|trixie|SUITE [-- COMMAND ARGS...]
set -eu

die() {
	echo "debian-check: $*" >&2
	exit 1
}
say() {
	echo "debian-check: $*" >&2
}

fresh=0
if [ "${1:-}" = "--fresh" ]; then
	fresh=1
	shift
fi
usage="usage: scripts/debian-check.sh [--fresh] SUITE [-- COMMAND ARGS...]"
[ $# -ge 1 ] || die "$usage"
suite=$1
shift
if [ $# -gt 0 ]; then
	[ "$1" = "--" ] && [ $# -ge 2 ] || die "$usage"
	shift
else
	set -- sh -c "make demo && make check"
fi
case "$suite" in
*[!a-z]* | "") die "$suite: not a Debian code name (bookworm, trixie, ...)" ;;
esac
[ "$(id -u)" -eq 0 ] || die "must run as root: debootstrap, chroot and mount need it"

top=$(cd "$(dirname "$0")/.." && pwd)
head=$(git -C "$top" rev-parse --verify HEAD) || die "$top: not a git checkout"
cache=${PIPECAT_CHROOT_CACHE:-/var/cache/pipecat-chroot}
case "$cache" in /*) ;; *) cache=$PWD/$cache ;; esac
root=$cache/$suite
mkdir -p "$cache" || die "cannot create $cache"

exec 9>"$cache/$suite.lock"
if ! flock -n 9; then
	say "another run is using $root; waiting for it (30 min at most)"
	flock -w 1800 9 || die "another run is still using $root"
fi

# The deb URIs this machine's apt uses, one per line: deb822 stanzas of
# *.sources (Types with deb, not Enabled: no) and "deb" lines of *.list.
host_uris() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush() {
			if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no") {
				n = split(uris, u, /[ \t]+/)
				for (i = 1; i <= n; i++) if (u[i] != "") print u[i]
			}
			types = ""; uris = ""; enabled = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		{
			key = tolower($1); val = $0; sub(/^[^:]*:[ \t]*/, "", val)
			if (key == "types:") types = val
			else if (key == "uris:") uris = val
			else if (key == "enabled:") enabled = tolower(val)
		}
		END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" { print $2 }'
	done
}
uris=$(host_uris)
mirror=$(printf '%s\n' "$uris" | grep -E '/debian/?$' | head -n 1 || true)
security=$(printf '%s\n' "$uris" | grep -E '/debian-security/?$' | head -n 1 || true)
: "${mirror:=http://deb.debian.org/debian}"
: "${security:=http://security.debian.org/debian-security}"

# apt's own settings for reaching the mirror, as apt.conf lines; debootstrap
# fetches with wget, which takes the proxy from the environment.
apt_conf=$(apt-config dump 2>/dev/null |
	grep -E '^Acquire::([a-z]+::Proxy|Check-Valid-Until|Check-Date) ' || true)
eval "$(apt-config shell apt_http_proxy Acquire::http::Proxy apt_https_proxy Acquire::https::Proxy 2>/dev/null || true)"
[ -n "${apt_http_proxy:-}" ] && [ -z "${http_proxy:-}" ] && export http_proxy="$apt_http_proxy"
[ -n "${apt_https_proxy:-}" ] && [ -z "${https_proxy:-}" ] && export https_proxy="$apt_https_proxy"

if ! command -v debootstrap >/dev/null 2>&1; then
	say "installing debootstrap with apt-get"
	apt-get update -qq >&2 || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 ||
		die "apt-get could not install debootstrap"
fi

# Mounts made by this run, most recent first, and whether the chroot's
# processes have been ended.
mounted=""
cleanup() {
	set +e
	# Anything still running inside the chroot (a wineserver left by a
	# test that was cut short) holds the mounts: end it, by PID.
	pids=""
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && pids="$pids ${p#/proc/}"
	done
	if [ -n "$pids" ]; then
		say "ending processes left in the chroot:$pids"
		# shellcheck disable=SC2086 # a list of PIDs
		kill -KILL $pids 2>/dev/null
		sleep 1
	fi
	for m in $mounted; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null ||
			say "could not unmount $m"
	done
	mounted=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mount_in() { # mount_in TARGET MOUNT-ARGS...: mount, and remember to unmount
	_t=$1
	shift
	mount "$@" "$_t" || die "cannot mount $_t"
	mounted="$_t $mounted"
}

if [ "$fresh" -eq 1 ] && [ -d "$root" ]; then
	say "removing $root (--fresh)"
	rm -rf "$root" || die "cannot remove $root"
fi
# Left half-made by a run that was cut short.
rm -rf "$root.new"

if [ ! -f "$root/.pipecat-base" ]; then
	[ -d "$root" ] && { rm -rf "$root" || die "cannot remove $root"; }
	say "debootstrap $suite from $mirror into $root (once)"
	debootstrap --variant=minbase --include=make,git --components=main \
	    "$suite" "$root.new" "$mirror" >"$cache/$suite.debootstrap.log" 2>&1 || {
		tail -n 20 "$cache/$suite.debootstrap.log" >&2
		die "debootstrap $suite failed (log: $cache/$suite.debootstrap.log)"
	}
	# The release as a fresh install has it: its updates and security
	# suites too.
	rm -f "$root.new/etc/apt/sources.list"
	cat >"$root.new/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	# Packages installed in a chroot start no services.
	printf '#!/bin/sh\nexit 101\n' >"$root.new/usr/sbin/policy-rc.d"
	chmod 755 "$root.new/usr/sbin/policy-rc.d"
	touch "$root.new/.pipecat-base"
	mv "$root.new" "$root" || die "cannot move the chroot into $root"
fi

# What is borrowed from this machine, refreshed on every run.
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# A Debian system has an /etc/hosts (its installer writes one); Debian 12's
# debootstrap does not, and without it "localhost" does not resolve.
[ -e "$root/etc/hosts" ] ||
	printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
if [ -n "$apt_conf" ]; then
	printf '%s\n' "$apt_conf" >"$root/etc/apt/apt.conf.d/00debian-check"
else
	rm -f "$root/etc/apt/apt.conf.d/00debian-check"
fi
# npm trusts the system's CA bundle; ca-certificates rebuilds that bundle
# when it is installed or upgraded, keeping what is in
# /usr/local/share/ca-certificates, so the machine's bundle goes there too.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
	mkdir -p "$root/usr/local/share/ca-certificates" "$root/etc/ssl/certs"
	cp /etc/ssl/certs/ca-certificates.crt "$root/usr/local/share/ca-certificates/debian-check-host.crt"
	cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
fi
[ -f /etc/npmrc ] && cp /etc/npmrc "$root/etc/npmrc"

mount_in "$root/proc" -t proc proc
mount_in "$root/dev" --bind /dev
# Private, so that what is mounted below it is not seen in the machine's
# own /dev.
mount --make-private "$root/dev" 2>/dev/null || true
mount_in "$root/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts
mount_in "$root/dev/shm" -t tmpfs -o mode=1777 shm
mount_in "$root/tmp" -t tmpfs -o mode=1777 tmp

src=/root/pipecat
rm -rf "$root$src"
git clone --quiet --no-hardlinks --no-checkout "$top" "$root$src" ||
	die "cannot clone $top into the chroot"
git -C "$root$src" -c advice.detachedHead=false checkout --quiet "$head" ||
	die "cannot check out $head in the chroot"

say "$suite: $* on $(git -C "$top" log -1 --format='%h %s' "$head")"
status=0
# A new user's environment: nothing of this one's, and a UTF-8 locale, as
# Debian's installer sets up (C.UTF-8 is in every Debian). Without one,
# Wine reads the command line as ASCII: a test's pipe name with an "é"
# reaches pipecat as "C)".
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/sh -c 'cd "$0" && exec "$@"' "$src" "$@" 9>&- || status=$?
# A failed run's clone stays, with its build/t logs, until the next run.
if [ "$status" -eq 0 ]; then
	say "$suite: passed: $*"
	rm -rf "$root$src"
else
	say "$suite: failed with status $status: $*; the clone is $root$src"
fi
exit "$status"
