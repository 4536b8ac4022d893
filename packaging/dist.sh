#!/bin/sh
# make dist: build/dist/pipecat-VERSION-win64.zip, the Windows release, and
# the in-tree package manifests kept in step with it.
#
# The zip holds one folder, pipecat-VERSION-win64/, with pipecat.exe, the
# man page as mdoc (pipecat.1), HTML (pipecat.1.html) and plain UTF-8 text
# (pipecat.1.txt, overstrike removed), README.md, LICENSE, and SHA256SUMS of
# the others (`sha256sum -c SHA256SUMS` checks them). It is reproducible
# (packaging/zip.pl says how): the time stamps are SOURCE_DATE_EPOCH, or
# else the time of the last commit to the zip's sources, or else
# 2026-01-01.
#
# Then the Scoop manifest (SCOOP_JSON, default packaging/scoop/pipecat.json)
# gets this version, its url and the zip's sha256, and the MSYS2 PKGBUILD
# (PKGBUILD, default packaging/msys2/PKGBUILD) this version
# (packaging/manifests.pl); each is rewritten only if it changes. The
# tests point both elsewhere.
#
# Called by the Makefile with BUILD, VERSION, HOMEPAGE and DIST_URL set,
# once build/pipecat.exe is built.
set -eu
: "${BUILD:?}" "${VERSION:?}" "${HOMEPAGE:?}" "${DIST_URL:?}"
: "${SCOOP_JSON:=packaging/scoop/pipecat.json}" "${PKGBUILD:=packaging/msys2/PKGBUILD}"

die() {
	echo "dist: $*" >&2
	exit 1
}

name=pipecat-$VERSION-win64
dist=$BUILD/dist
stage=$dist/$name
zip=$dist/$name.zip
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	# The last commit to what goes into the zip: committing the manifests
	# this script updates does not change the zip they describe.
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct -- src man README.md LICENSE Makefile 2>/dev/null)
	: "${SOURCE_DATE_EPOCH:=1767225600}"
fi

rm -rf "$stage" && mkdir -p "$stage" || die "cannot create $stage"
cp "$BUILD/pipecat.exe" man/pipecat.1 README.md LICENSE "$stage/" ||
	die "cannot copy the release's files into $stage"
mandoc -Thtml man/pipecat.1 >"$stage/pipecat.1.html" ||
	die "mandoc -Thtml man/pipecat.1 failed"
# mandoc's terminal output marks bold and underline with backspaces.
mandoc -Tutf8 man/pipecat.1 | perl -CSD -pe 's/.\x08//g' >"$stage/pipecat.1.txt" ||
	die "mandoc -Tutf8 man/pipecat.1 failed"
(cd "$stage" && LC_ALL=C ls | grep -v '^SHA256SUMS$' | xargs sha256sum >SHA256SUMS) ||
	die "sha256sum failed in $stage"
perl packaging/zip.pl "$zip" "$stage" "$name" "$SOURCE_DATE_EPOCH" || exit 1
hash=$(sha256sum "$zip" | cut -d' ' -f1)
echo "dist: $zip"
echo "dist: sha256 $hash"

perl packaging/manifests.pl "$SCOOP_JSON" "$PKGBUILD" "$VERSION" "$HOMEPAGE" \
    "$DIST_URL/$name.zip" "$hash" "$name" || die "cannot update the manifests"
