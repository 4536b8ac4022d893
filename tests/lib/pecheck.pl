#!/usr/bin/perl
# pecheck.pl EXE [DLL...]: checks that Windows' loader can resolve every
# import of a PE32+ image the way the image expects, and prints its imports.
#
# What it refuses, each with one line on stderr and exit 1:
# - an imported DLL that is not in the allowed list (default: the system
#   DLLs pipecat may use), or an import by ordinal (ordinals differ between
#   Windows versions);
# - a delay-import directory whose import address table lies in a section
#   that is not writable: the delay-load helper writes the addresses it
#   resolves there, and Windows maps sections with their protections, so
#   the first call faults (binutils 2.44 marks .idata read-only);
# - a DLL named in the image (a NUL-terminated "NAME.dll" string) that is
#   not in the import directory: a delay-load descriptor the linker did not
#   register (GNU ld leaves the delay directory empty for dlltool's delay
#   libraries), which no tool lists and which crashes as above.
# A DLL that the program loads itself names it as a UTF-16 string, which
# is not matched: LoadLibraryW writes nothing into the image.
use strict;
use warnings;

my ($exe, @allowed) = @ARGV;
die "usage: pecheck.pl EXE [DLL...]\n" unless defined $exe;
@allowed = qw(kernel32.dll msvcrt.dll) unless @allowed;
my %allowed = map { lc($_) => 1 } @allowed;

open(my $fh, '<:raw', $exe) or die "pecheck: $exe: $!\n";
local $/;
my $img = <$fh>;
close $fh;

my $bad = 0;
sub fail { print STDERR "pecheck: $exe: @_\n"; $bad = 1; }

my $pe = unpack('V', substr($img, 0x3c, 4));
die "pecheck: $exe: not a PE image\n" unless substr($img, $pe, 4) eq "PE\0\0";
my ($nsec, $optsize) = unpack('x2 v x12 v', substr($img, $pe + 4, 20));
my $opt = $pe + 24;
my $magic = unpack('v', substr($img, $opt, 2));
die "pecheck: $exe: not PE32+ (magic $magic)\n" unless $magic == 0x20b;
my $ndirs = unpack('V', substr($img, $opt + 108, 4));
my @dirs;
for my $i (0 .. $ndirs - 1) {
	push @dirs, [unpack('V V', substr($img, $opt + 112 + 8 * $i, 8))];
}
my @secs;
my $sh = $opt + $optsize;
for my $i (0 .. $nsec - 1) {
	my ($name, $vsize, $va, $rawsize, $rawptr, $chars) =
	    unpack('Z8 V V V V x12 V', substr($img, $sh + 40 * $i, 40));
	push @secs, { name => $name, va => $va, size => ($vsize > $rawsize ? $vsize : $rawsize),
	    raw => $rawptr, rawsize => $rawsize, chars => $chars };
}
sub section_of {
	my ($rva) = @_;
	for my $s (@secs) {
		return $s if $rva >= $s->{va} && $rva < $s->{va} + $s->{size};
	}
	return undef;
}
sub off {
	my ($rva) = @_;
	my $s = section_of($rva) or return undef;
	return undef if $rva - $s->{va} >= $s->{rawsize};
	return $s->{raw} + $rva - $s->{va};
}
sub cstr {
	my ($rva) = @_;
	my $o = off($rva);
	return undef unless defined $o;
	return unpack('Z*', substr($img, $o, 512));
}
use constant SCN_MEM_WRITE => 0x80000000;

# The import directory: NAME.dll and each function, by name.
my %imported;
my ($irva, $isize) = @{$dirs[1] // [0, 0]};
if ($irva) {
	for (my $d = $irva; ; $d += 20) {
		my $o = off($d);
		defined $o or do { fail("import descriptor outside the image"); last };
		my ($oft, $ts, $fwd, $namerva, $ft) = unpack('V5', substr($img, $o, 20));
		last if !$oft && !$namerva && !$ft;
		my $dll = cstr($namerva) // '?';
		$imported{lc $dll} = 1;
		fail("imports $dll, which is not one of: @allowed") unless $allowed{lc $dll};
		my @fns;
		for (my $t = $oft || $ft; ; $t += 8) {
			my $to = off($t);
			defined $to or do { fail("$dll: thunk outside the image"); last };
			my ($lo, $hi) = unpack('V V', substr($img, $to, 8));
			last if !$lo && !$hi;
			if ($hi & 0x80000000) {
				fail("$dll: imported by ordinal " . ($lo & 0xffff));
				next;
			}
			push @fns, cstr($lo + 2) // '?';
		}
		print "import $dll: ", scalar(@fns), " functions\n";
	}
}

# The delay-import directory: each table the helper writes must be writable.
my ($drva) = @{$dirs[13] // [0, 0]};
if ($drva) {
	for (my $d = $drva; ; $d += 32) {
		my $o = off($d);
		defined $o or do { fail("delay-import descriptor outside the image"); last };
		my ($attr, $namerva, $hmod, $iat) = unpack('V4', substr($img, $o, 16));
		last if !$namerva && !$iat;
		my $dll = cstr($namerva) // '?';
		$imported{lc $dll} = 1;
		fail("delay-imports $dll, which is not one of: @allowed") unless $allowed{lc $dll};
		my $s = section_of($iat);
		if (!$s || !($s->{chars} & SCN_MEM_WRITE)) {
			fail(sprintf("delay-imports %s with its address table in %s, which is " .
			    "not writable: the first call would fault", $dll, $s ? $s->{name} : '?'));
		}
		print "delay-import $dll\n";
	}
}

# A DLL named in the image that neither directory lists.
my %seen;
while ($img =~ /\0([A-Za-z0-9_.-]+\.dll)\0/gi) {
	my $dll = $1;
	next if $imported{lc $dll} || $seen{lc $dll}++;
	fail("names $dll, but neither import directory lists it: an " .
	    "unregistered (delay-load) import, which Windows cannot resolve safely");
}
exit $bad;
