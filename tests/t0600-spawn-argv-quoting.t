#!/bin/bash
# spawn's command-line quoting (src/argv.c) against the real
# CommandLineToArgvW: awkward and random arguments joined by argv_join must
# split back the same (helper argvcheck, which includes src/argv.c); the
# program name's own rules; argv_split, the model the unit tests
# (tests/unit/test_argv.c) round-trip through, must read raw lines as
# CommandLineToArgvW does; and argvecho, a child for the spawn tests,
# reports exactly what it was given.
#
# Wine's CommandLineToArgvW agrees with the behaviour Wine's conformance
# tests record on real Windows (dlls/shell32/tests/shlexec.c), including
# every third of consecutive quotes being a literal one: no difference was
# found, so none is worked around here. That "" rule is not the UCRT's
# (there "" inside quotes is a quote and stays inside); argv_join never
# writes "" inside quotes, so its lines mean the same to both.
. "$(dirname "$0")/lib/test-lib.sh"

# Arguments cross from this shell into Wine as UTF-8 only in a UTF-8 locale.
export LC_ALL=C.UTF-8

# The awkward arguments of tests/unit/test_argv.c, each ended by a NUL.
write_awkward() {
	printf '%s\0' \
		plain \
		'' \
		'a b' \
		' leading and trailing ' \
		$'tab\there' \
		$'new\nline' \
		$'vertical\vtab' \
		$'carriage\rreturn' \
		'"' \
		'""' \
		'"quoted"' \
		'say "hi"' \
		'\' \
		'\\' \
		'\\\' \
		'a\b' \
		'a\\b' \
		'a\"b' \
		'a\\\"b' \
		'\"' \
		'\\"' \
		'trailing\' \
		'trailing two\\' \
		'C:\Program Files\x\' \
		'\\server\share\' \
		'\\server\share with space\' \
		'"\\"' \
		'a\\\\ "b' \
		'naïve ☃ 𝄞' \
		'ü' \
		'%PATH%' \
		'^&|<>()' \
		"'single'" \
		'--opt="x y"' \
		'   ' \
		$'\t'
}

# N random arguments from a fixed seed, weighted towards backslashes,
# quotes and blanks, with some non-ASCII; about one in fifteen is empty.
write_random() {
	perl -e '
		srand(20240601);
		my @p = (("\\") x 4, "\\\\", ("\"") x 3, " ", " ", "\t",
		    "a", "b", "c", "\n", "\xc3\xa9", "\xe2\x98\x83",
		    "\xf0\x9d\x84\x9e", "\x27", "x y");
		for (1 .. $ARGV[0]) {
			my $s = "";
			$s .= $p[int(rand(@p))] for 1 .. int(rand(15));
			print $s, "\0";
		}' "$1"
}

# One 30000-byte argument made of what needs escaping (quotes after
# backslashes, blanks, a backslash at the end), then two short ones.
write_long() {
	perl -e 'print "ab\\\\\" c\\\t" x 3333, "ab\\\0"' &&
	printf '%s\0' short 'x y'
}

# Program names that need care; none may hold a double quote.
PROGS=('C:\Program Files\x\' 'C:\tools\' '' 'a b' 'naïve ☃.exe'
    '\\srv\share dir\p.exe' $'a\tb' $'a\nb')

# Raw command lines from Wine's conformance table (which passes on real
# Windows), for argv_split against CommandLineToArgvW.
write_conformance() {
	printf '%s\0' \
		'exe' \
		'exe arg1 arg2 "arg three" '\''four five` six\ $even)' \
		$'exe arg=1 arg-2 three\tfour\rfour\nfour ' \
		'exe arg"one" "second"arg thirdarg ' \
		'exe arg1 "unclosed' \
		'exe arg1 "' \
		'exe o\ne t\\wo t\\\ree f\\\\our ' \
		'exe \"one \\"two" \\\"three \\\\"four" end' \
		'exe "one\" still" "two\\" "three\\\" still" "four\\\\" end' \
		'exe two""quotes next' \
		'exe three"""quotes next' \
		'exe four"""" quotes" next 4%3=1' \
		'exe six""""""quotes next' \
		'exe "two""quotes next' \
		'exe "two"" next' \
		'exe "four""""quotes next' \
		'exe "the crazy \\"""\\" quotes' \
		'exe"file"path arg1' \
		$'exe"file"path\targ1' \
		'exe"path\ arg1' \
		'\"exe "arg one"' \
		'"spaced exe" "next arg"' \
		'"exe"arg" one" argtwo' \
		'"spaced exe\"arg1 arg2' \
		'"two"" arg1 ' \
		'"three""" arg2' \
		'"four""""arg1' \
		' "arg"one argtwo' \
		$'new\nline exe' \
		'naïve.exe "☃ 𝄞" \"ü'
}

# N random raw lines: any mix of the characters the parser cares about.
write_random_lines() {
	perl -e '
		srand(4242);
		my @p = (("\\") x 3, ("\"") x 4, " ", "\t", "a", "b", "\n",
		    "\xc3\xa9");
		for (1 .. $ARGV[0]) {
			my $s = "";
			$s .= $p[int(rand(@p))] for 1 .. 1 + int(rand(24));
			print $s, "\0";
		}' "$1"
}

# argvcheck_ok N ARGS...: argvcheck must exit 0 having printed "ok N" and
# nothing on stderr; otherwise what it printed is shown.
argvcheck_ok() {
	_n=$1
	shift
	helper argvcheck "$@" >out 2>err
	_rc=$?
	printf "ok %s\n" "$_n" >want
	if [ "$_rc" -ne 0 ] || ! cmp -s want out || [ -s err ]; then
		echo "argvcheck $* exited $_rc, wanted \"ok $_n\"; stdout:"
		cat out
		echo "stderr:"
		cat err
		return 1
	fi
}

test_expect_success 'the awkward arguments come back from CommandLineToArgvW' '
	write_awkward >args &&
	test "$(tr -cd "\\000" <args | wc -c)" -eq 36 &&
	argvcheck_ok 36 args
'

test_expect_success '3000 random arguments come back from CommandLineToArgvW' '
	write_random 3000 >args &&
	test "$(tr -cd "\\000" <args | wc -c)" -eq 3000 &&
	argvcheck_ok 3000 args
'

test_expect_success 'a 30000-byte argument full of escapes comes back whole' '
	write_long >args &&
	test "$(head -c 30001 args | tr -cd "\\000" | wc -c)" -eq 1 &&
	test "$(wc -c <args)" -eq 30011 &&
	argvcheck_ok 3 args
'

test_expect_success 'program names with spaces, a trailing backslash, none, or non-ASCII' '
	write_awkward >args &&
	bad= &&
	for prog in "${PROGS[@]}"; do
		argvcheck_ok 36 --prog "$prog" args || bad=1
	done &&
	test -z "$bad"
'

test_expect_success 'a program name with a double quote is refused, with the reason' '
	printf "%s\0" a >args &&
	expect_status 2 helper argvcheck --prog "my \"prog\".exe" args >out 2>err &&
	printf "%s\n" "argv_join: program name \"my \"prog\".exe\" contains a double quote, which Windows cannot pass" >want &&
	same_file want out
'

test_expect_success 'argv_split reads Windows'\''s conformance lines as CommandLineToArgvW does' '
	write_conformance >lines &&
	argvcheck_ok 30 --split lines
'

test_expect_success 'argv_split reads 5000 random raw lines as CommandLineToArgvW does' '
	write_random_lines 5000 >lines &&
	argvcheck_ok 5000 --split lines
'

test_expect_success 'argvcheck refuses arguments that are not UTF-8, exit 2' '
	printf "ok\0\377\376\0" >args &&
	expect_status 2 helper argvcheck args >out 2>err &&
	grep_file "not valid UTF-8" err
'

test_expect_success 'argvcheck: a missing file and bad usage are exit 2' '
	expect_status 2 helper argvcheck no-such-file >out 2>err &&
	grep_file "cannot open no-such-file" err &&
	expect_status 2 helper argvcheck >out 2>err &&
	grep_file "^usage: argvcheck" err &&
	expect_status 2 helper argvcheck --bogus args >out 2>err &&
	grep_file "^usage: argvcheck" err
'

# Wine turns this shell's argv into a Windows command line with quoting of
# its own (not pipecat's code): this documents that it gets through.
test_expect_success 'argvecho gives back what Wine passed it, NUL after each' '
	helper argvecho "a b" "" "c\"d" "e\\\\" "ü" >out 2>err &&
	printf "a b\0\0c\"d\0e\\\\\\\\\0ü\0" >want &&
	same_file want out && empty_file err
'

test_expect_success 'argvecho with no arguments writes nothing and exits 0' '
	helper argvecho >out 2>err &&
	empty_file out && empty_file err
'

test_expect_success 'argvecho --raw writes the command line first, not echoing --raw' '
	helper argvecho --raw "x y" z >out 2>err &&
	head -n 1 out >raw &&
	grep_file "argvecho\.exe\"? --raw \"x y\" z$" raw &&
	tail -n +2 out >rest &&
	printf "x y\0z\0" >want &&
	same_file want rest
'

test_expect_success 'argvecho --raw later than first is an argument like any' '
	helper argvecho a --raw >out 2>err &&
	printf "a\0--raw\0" >want &&
	same_file want out
'

test_expect_success 'argvecho exits with ARGVECHO_EXIT, 0 when it is empty' '
	ARGVECHO_EXIT=3 expect_status 3 helper argvecho a >out &&
	printf "a\0" >want && same_file want out &&
	ARGVECHO_EXIT=42 expect_status 42 helper argvecho &&
	ARGVECHO_EXIT= expect_status 0 helper argvecho
'

test_done
