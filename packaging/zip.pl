#!/usr/bin/perl
# zip.pl OUT.zip DIR TOP EPOCH: a reproducible zip of every file in DIR,
# each stored as TOP/NAME.
#
# The same files give the same bytes, whoever builds them and whenever:
# entries in byte order of their names, every time stamp EPOCH (the DOS
# time is local time, so it is taken in UTC), no extra fields (Minimal: no
# Unix uid/gid or extended times), and the permissions written from the
# file's kind only (0755 for pipecat.exe, 0644 for the rest), not from the
# umask of whoever staged them. Perl's core IO::Compress::Zip, so packaging
# needs nothing beyond the perl that runs the tests.
use strict;
use warnings;
use IO::Compress::Zip qw(:all);
use POSIX qw(tzset);

# Every failure is one line and exit 1 (die's status would be errno's).
sub fail {
	print STDERR "zip.pl: ", @_, "\n";
	exit 1;
}

@ARGV == 4 or fail("usage: zip.pl OUT.zip DIR TOP EPOCH");
my ($out, $dir, $top, $epoch) = @ARGV;
$epoch =~ /^\d+$/ or fail("EPOCH \"$epoch\" is not a number of seconds");
# DOS times run from 1980.
$epoch = 315532800 if $epoch < 315532800;
$ENV{TZ} = 'UTC';
tzset();

opendir(my $dh, $dir) or fail("$dir: $!");
my @names = sort grep { -f "$dir/$_" } readdir $dh;
closedir $dh;
@names or fail("$dir holds no file");

my $tmp = "$out.tmp";
my $z;
for my $name (@names) {
	open(my $fh, '<:raw', "$dir/$name") or fail("$dir/$name: $!");
	my $data = do { local $/; <$fh> };
	close $fh;
	my $mode = $name =~ /\.exe$/ ? 0100755 : 0100644;
	my %opt = (Name => "$top/$name", Time => $epoch, ExtAttr => $mode << 16,
	    Minimal => 1, Method => ZIP_CM_DEFLATE, CanonicalName => 1);
	if (!defined $z) {
		$z = IO::Compress::Zip->new($tmp, %opt)
		    or fail("$tmp: $ZipError");
	} else {
		$z->newStream(%opt) or fail("$tmp: $ZipError");
	}
	!length $data or $z->print($data) or fail("$tmp: $ZipError");
}
$z->close() or fail("$tmp: $ZipError");
rename($tmp, $out) or fail("rename $tmp to $out: $!");
