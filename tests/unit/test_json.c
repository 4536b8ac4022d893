/*
 * test_json: unit tests of json_quote (src/json.c), natively, under
 * AddressSanitizer and UBSan. Output buffers are heap blocks of exactly the
 * size given, so that ASan sees any write past the end.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

static char got[1024];

static size_t
run(const char *s, size_t outlen)
{
	char *out = outlen ? malloc(outlen) : NULL;
	size_t n;

	if (out != NULL)
		memset(out, 'x', outlen);
	n = json_quote(s, out, outlen);
	memset(got, 0, sizeof got);
	if (out != NULL) {
		memcpy(got, out, outlen < sizeof got ? outlen : sizeof got - 1);
		free(out);
	}
	return n;
}

static void
quotes(const char *s, const char *want, const char *title)
{
	size_t n = run(s, json_quote_size(strlen(s)));

	is_str(got, want, "%s", title);
	is_int((long long)n, (long long)strlen(want), "%s: the length", title);
}

int
main(void)
{
	quotes("", "\"\"", "the empty string");
	quotes("foo", "\"foo\"", "plain ASCII");
	quotes("\\\\.\\pipe\\foo", "\"\\\\\\\\.\\\\pipe\\\\foo\"",
	    "backslashes are doubled");
	quotes("say \"hi\"", "\"say \\\"hi\\\"\"", "quotes are escaped");
	quotes("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"", "the short escapes");
	quotes("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"",
	    "other controls and DEL as \\u00XX");
	quotes("/<>'", "\"/<>'\"", "/ < > ' are left alone");
	quotes("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "valid UTF-8 is kept");
	quotes("\xff", "\"\\ufffd\"", "a byte that is never UTF-8");
	quotes("\xc0\xaf", "\"\\ufffd\\ufffd\"", "an overlong form");
	quotes("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "an encoded surrogate");
	quotes("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
	    "a code point above U+10FFFF");
	quotes("a\xe2\x82", "\"a\\ufffd\\ufffd\"", "a sequence cut by the end");
	quotes("\xe2\x82" "b", "\"\\ufffd\\ufffd" "b\"", "a sequence cut by a letter");
	quotes("\x80" "x", "\"\\ufffdx\"", "a stray continuation byte");

	char worst[101];
	memset(worst, 1, 100);
	worst[100] = '\0';
	size_t need = json_quote_size(100);
	is_int((long long)run(worst, need), 602, "100 controls: 602 bytes");
	is_int((long long)need, 603, "and json_quote_size(100) is exactly enough");

	is_int((long long)run("ab", 5), 4, "\"ab\" in 5 bytes");
	is_str(got, "\"ab\"", "fits");
	is_int((long long)run("ab", 4), 4, "in 4 bytes (no room for the NUL)");
	is_str(got, "", "is an empty string");
	is_int((long long)run("ab", 1), 4, "in 1 byte");
	is_str(got, "", "is an empty string");
	is_int((long long)json_quote("ab", NULL, 0), 4, "no buffer: the length");
	char canary[4] = "abc";
	is_int((long long)json_quote("ab", canary, 0), 4, "a 0-byte buffer");
	is_str(canary, "abc", "is not written");
	ok(json_quote_size((size_t)-1) == (size_t)-1, "json_quote_size saturates");
	return done_testing();
}
