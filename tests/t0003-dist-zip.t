#!/bin/bash
# make dist: the release zip's contents, its SHA256SUMS, that the same
# files give the same zip, and the Scoop and MSYS2 manifests it keeps in
# step (packaging/dist.sh). Each run goes into a BUILD of its own, seeded
# with the suite's objects and exe (times kept, so make builds nothing),
# with the manifests copied here: the main build and the tree stay as they
# were. No Wine: the zip is checked with perl's core modules.
. "$(dirname "$0")/lib/test-lib.sh"

VERSION=$(sed -n "s/^VERSION *= *//p" "$TOP/Makefile")
NAME=pipecat-$VERSION-win64

# dist N: make dist into b$N, manifests m$N/, output in dist$N.out.
dist() {
	mkdir -p "b$1" "m$1" &&
	cp -p -R "$BUILD/obj" "$BUILD/pipecat.exe" "b$1/" &&
	cp "$TOP/packaging/scoop/pipecat.json" "$TOP/packaging/msys2/PKGBUILD" "m$1/" &&
	SCOOP_JSON="$PWD/m$1/pipecat.json" PKGBUILD="$PWD/m$1/PKGBUILD" \
	    make -C "$TOP" --no-print-directory dist BUILD="$PWD/b$1" >"dist$1.out" 2>&1
}

# unzip_to ZIP DIR: extract every entry of ZIP under DIR; print "NAME TIME"
# per entry, in the zip's order.
unzip_to() {
	perl -MIO::Uncompress::Unzip=\$UnzipError -MFile::Path=make_path -e '
		my ($zip, $dir) = @ARGV;
		my $u = IO::Uncompress::Unzip->new($zip) or die "$UnzipError\n";
		for (my $st = 1; $st > 0; $st = $u->nextStream) {
			my $h = $u->getHeaderInfo;
			my ($name, $data) = ($h->{Name}, "");
			while (($st = $u->read(my $buf)) > 0) { $data .= $buf }
			die "$name: $UnzipError\n" if $st < 0;
			(my $d = "$dir/$name") =~ s{/[^/]*$}{};
			make_path($d);
			open(my $f, ">:raw", "$dir/$name") or die "$dir/$name: $!\n";
			print $f $data;
			close $f or die;
			print "$name $h->{Time}\n";
		}
		die "$UnzipError\n" if $u->nextStream < 0;
	' "$1" "$2"
}

test_expect_success 'make dist writes the zip and names it with its sha256' '
	dist 1 &&
	cat dist1.out &&
	test -f "b1/dist/$NAME.zip" &&
	sum=$(sha256sum "b1/dist/$NAME.zip" | cut -d" " -f1) &&
	grep_file "^dist: sha256 $sum$" dist1.out
'

test_expect_success 'the zip holds one folder with the exe, the man page three ways, README, LICENSE and SHA256SUMS' '
	unzip_to "b1/dist/$NAME.zip" x1 >list &&
	cut -d" " -f1 list >names &&
	printf "%s\n" LICENSE README.md SHA256SUMS pipecat.1 pipecat.1.html pipecat.1.txt pipecat.exe |
	    sed "s|^|$NAME/|" >want &&
	same_file want names &&
	test "$(cut -d" " -f2 list | sort -u | wc -l)" -eq 1 &&
	same_file "$BUILD/pipecat.exe" "x1/$NAME/pipecat.exe" &&
	same_file "$TOP/man/pipecat.1" "x1/$NAME/pipecat.1" &&
	same_file "$TOP/README.md" "x1/$NAME/README.md" &&
	same_file "$TOP/LICENSE" "x1/$NAME/LICENSE" &&
	grep_file "^<!DOCTYPE html>" "x1/$NAME/pipecat.1.html" &&
	grep_file "<title>PIPECAT\(1\)</title>" "x1/$NAME/pipecat.1.html" &&
	grep_file "^PIPECAT\(1\) +General Commands Manual +PIPECAT\(1\)$" "x1/$NAME/pipecat.1.txt" &&
	grep_file "^     pipecat -h \| -V$" "x1/$NAME/pipecat.1.txt" &&
	! grep -q "$(printf "\b")" "x1/$NAME/pipecat.1.txt"
'

test_expect_success 'SHA256SUMS covers every other file and matches them' '
	(cd "x1/$NAME" && sha256sum -c SHA256SUMS) >check &&
	cat check &&
	test "$(grep -c ": OK$" check)" -eq 6 &&
	! grep -v ": OK$" check
'

test_expect_success 'the Scoop manifest parses as JSON, and its hash is the zip'"'"'s' '
	sum=$(sha256sum "b1/dist/$NAME.zip" | cut -d" " -f1) &&
	perl -MJSON::PP -e "
		local \$/; my \$m = JSON::PP->new->decode(<STDIN>);
		print \"\$_=\", (ref \$m->{\$_} ? \"?\" : \$m->{\$_} // \"\"), \"\\n\"
		    for sort keys %\$m;
	" <m1/pipecat.json >fields &&
	cat fields &&
	grep_file "^version=$VERSION$" fields &&
	grep_file "^hash=$sum$" fields &&
	grep_file "^url=https?://.*/$NAME\.zip$" fields &&
	grep_file "^extract_dir=$NAME$" fields &&
	grep_file "^bin=pipecat\.exe$" fields &&
	grep_file "^license=ISC$" fields &&
	grep_file "^homepage=https?://" fields &&
	grep_file "^description=.*named pipes" fields
'

test_expect_success 'the MSYS2 PKGBUILD has this version and is valid bash' '
	grep_file "^pkgver=$VERSION$" m1/PKGBUILD &&
	grep_file "^license=\(.spdx:ISC.\)$" m1/PKGBUILD &&
	grep_file "make check" m1/PKGBUILD &&
	grep_file "install PREFIX=" m1/PKGBUILD &&
	bash -n m1/PKGBUILD
'

test_expect_success 'the same files make the same zip, and manifests in step are left alone' '
	cp m1/pipecat.json m1/PKGBUILD "$TMP/" &&
	sleep 1 &&
	dist 2 &&
	cmp "b1/dist/$NAME.zip" "b2/dist/$NAME.zip" &&
	cp "$TMP/pipecat.json" "$TMP/PKGBUILD" m2/ &&
	SCOOP_JSON="$PWD/m2/pipecat.json" PKGBUILD="$PWD/m2/PKGBUILD" \
	    make -C "$TOP" --no-print-directory dist BUILD="$PWD/b2" >again.out 2>&1 &&
	cat again.out &&
	! grep -q "updated" again.out &&
	same_file "$TMP/pipecat.json" m2/pipecat.json
'

test_expect_success 'the in-tree manifests are of this version' '
	grep_file "\"version\" : \"$VERSION\"" "$TOP/packaging/scoop/pipecat.json" &&
	grep_file "/$NAME\.zip\"" "$TOP/packaging/scoop/pipecat.json" &&
	grep_file "^pkgver=$VERSION$" "$TOP/packaging/msys2/PKGBUILD"
'

test_expect_success 'zip.pl refuses a bad time, an empty folder and a folder that is not there' '
	mkdir -p empty one && echo x >one/f &&
	expect_status 1 perl "$TOP/packaging/zip.pl" out.zip one top soon 2>e1 &&
	grep_file "^zip.pl: EPOCH \"soon\" is not a number of seconds$" e1 &&
	expect_status 1 perl "$TOP/packaging/zip.pl" out.zip empty top 0 2>e2 &&
	grep_file "^zip.pl: empty holds no file$" e2 &&
	expect_status 1 perl "$TOP/packaging/zip.pl" out.zip missing top 0 2>e3 &&
	grep_file "^zip.pl: missing: No such file or directory$" e3 &&
	test ! -e out.zip
'

test_expect_success 'manifests.pl refuses a missing PKGBUILD and a manifest that is not JSON' '
	echo "{}" >ok.json && echo "not json" >bad.json && echo "pkgver=0" >PKG &&
	expect_status 1 perl "$TOP/packaging/manifests.pl" ok.json nothere 1.0 h u s t 2>e1 &&
	grep_file "^dist: nothere: No such file or directory$" e1 &&
	expect_status 1 perl "$TOP/packaging/manifests.pl" bad.json PKG 1.0 h u s t 2>e2 &&
	grep_file "^dist: bad.json: not a JSON object: .* at character offset 0" e2 &&
	grep_file "^pkgver=0$" PKG
'

test_done
