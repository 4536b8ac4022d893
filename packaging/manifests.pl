#!/usr/bin/perl
# manifests.pl SCOOP_JSON PKGBUILD VERSION HOMEPAGE URL SHA256 TOP: puts a
# release into the in-tree package manifests (make dist runs it).
#
# The Scoop manifest gets the version, homepage, the zip's url and sha256,
# and the zip's top folder as extract_dir; it is written as JSON::PP writes
# it (keys sorted, four spaces), so a manifest already in step is left byte
# for byte as it was. The MSYS2 PKGBUILD gets pkgver and url. Each file is
# rewritten only if it changes, through a rename, and named when it is.
use strict;
use warnings;
use JSON::PP;

# Every failure is one line and exit 1, before anything is written.
sub fail {
	print STDERR "dist: ", @_, "\n";
	exit 1;
}

@ARGV == 7 or fail("usage: manifests.pl SCOOP_JSON PKGBUILD VERSION HOMEPAGE URL SHA256 TOP");
my ($scoop, $pkgbuild, $version, $homepage, $url, $hash, $top) = @ARGV;

sub slurp {
	my ($f) = @_;
	open(my $in, '<', $f) or return undef;
	local $/;
	my $text = <$in>;
	close $in;
	return $text;
}

sub write_if_changed {
	my ($f, $old, $text) = @_;
	return if defined $old && $text eq $old;
	open(my $out, '>', "$f.tmp") or fail("$f.tmp: $!");
	print $out $text or fail("$f.tmp: $!");
	close $out or fail("$f.tmp: $!");
	rename("$f.tmp", $f) or fail("$f: $!");
	print "dist: updated $f\n";
}

my $old_pkg = slurp($pkgbuild);
defined $old_pkg or fail("$pkgbuild: $!");
(my $pkg = $old_pkg) =~ s/^pkgver=.*$/pkgver=$version/m;
$pkg =~ s/^url=.*$/url="$homepage"/m;

my $old_scoop = slurp($scoop);
my $m = {};
if (defined $old_scoop) {
	$m = eval { JSON::PP->new->decode($old_scoop) };
	ref $m eq 'HASH' or fail("$scoop: not a JSON object: ", $@ =~ s/\s+$//r);
}
$m->{version} = $version;
$m->{homepage} = $homepage;
$m->{url} = $url;
$m->{hash} = $hash;
$m->{extract_dir} = $top;

write_if_changed($scoop, $old_scoop,
    JSON::PP->new->canonical->pretty->indent_length(4)->encode($m));
write_if_changed($pkgbuild, $old_pkg, $pkg);
