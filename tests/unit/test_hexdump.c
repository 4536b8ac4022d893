/*
 * test_hexdump: unit tests of the -x formatter (src/hexdump.c), natively,
 * under AddressSanitizer and UBSan.
 *
 * The expected data lines are `hexdump -C` output of the same bytes with
 * the direction marker put in front, pasted here whole, so the layout is
 * checked against an independent implementation rather than against itself.
 * Output buffers are heap blocks of exactly the size given, so that ASan
 * sees any write past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hexdump.h"
#include "tap.h"

/* The bytes of the 33-byte sample: "hello\r\n\0\x1a\xff" "ABCDEF" "1234567890..." */
static const unsigned char sample[33] = {
	'h', 'e', 'l', 'l', 'o', 0x0d, 0x0a, 0x00, 0x1a, 0xff,
	'A', 'B', 'C', 'D', 'E', 'F',
	'1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
	'1', '2', '3', '4', '5', '6', '7'
};

#define SAMPLE_L1 "00000000  68 65 6c 6c 6f 0d 0a 00  1a ff 41 42 43 44 45 46  |hello.....ABCDEF|\n"
#define SAMPLE_L2 "00000010  31 32 33 34 35 36 37 38  39 30 31 32 33 34 35 36  |1234567890123456|\n"
#define SAMPLE_L3 "00000020  37                                                |7|\n"

static char got[8192];

/*
 * Runs hexdump_block into a fresh heap buffer of exactly OUTLEN bytes
 * (filled with 'x' first) and copies what it holds into `got`.
 */
static size_t
run(struct hexdump *h, int dir, const unsigned char *data, size_t len,
    int message, size_t outlen)
{
	char *out = outlen ? malloc(outlen) : NULL;
	size_t n;

	if (out != NULL)
		memset(out, 'x', outlen);
	n = hexdump_block(h, dir, data, len, message, out, outlen);
	memset(got, 0, sizeof got);
	if (out != NULL) {
		memcpy(got, out, outlen < sizeof got ? outlen : sizeof got - 1);
		free(out);
	}
	return n;
}

/* Dumps into a buffer of hexdump_size(len) and checks the whole text. */
static void
dumps(struct hexdump *h, int dir, const unsigned char *data, size_t len,
    int message, const char *want, const char *title)
{
	size_t n = run(h, dir, data, len, message, hexdump_size(len));

	is_str(got, want, "%s: the text", title);
	is_int((long long)n, (long long)strlen(want), "%s: returns its length",
	    title);
}

static void
test_size(void)
{
	size_t header = 1 + 1 + 11 + 20 + 17 + 20 + 1;
	size_t line = 2 + 16 + 2 + 48 + 1 + 2 + 16 + 2;

	is_int((long long)hexdump_size(0), (long long)(header + 1),
	    "size(0): the longest header and a NUL");
	is_int((long long)hexdump_size(1), (long long)(header + line + 1),
	    "size(1): one line");
	is_int((long long)hexdump_size(16), (long long)(header + line + 1),
	    "size(16): still one line");
	is_int((long long)hexdump_size(17), (long long)(header + 2 * line + 1),
	    "size(17): two lines");
	is_int((long long)hexdump_size(65536),
	    (long long)(header + 4096 * line + 1), "size(65536): 4096 lines");
	ok(hexdump_size(SIZE_MAX) == SIZE_MAX, "size(SIZE_MAX) saturates");
	ok(hexdump_size(SIZE_MAX / 4) == SIZE_MAX,
	    "size(SIZE_MAX / 4) saturates instead of wrapping");
	size_t most = (SIZE_MAX - header - 1) / line;
	ok(hexdump_size(most * 16) == header + most * line + 1,
	    "the largest length that fits a size_t gets its exact size");
	ok(hexdump_size(most * 16 + 1) == SIZE_MAX,
	    "one byte more saturates");
}

static void
test_empty(void)
{
	struct hexdump h;
	char canary[4] = "abc";

	hexdump_init(&h);
	is_int((long long)run(&h, HEXDUMP_SENT, NULL, 0, 0, 16), 0,
	    "0 bytes, not a message: no text");
	is_str(got, "", "0 bytes, not a message: an empty string");
	is_int((long long)hexdump_block(&h, HEXDUMP_SENT, NULL, 0, 0, NULL, 0), 0,
	    "0 bytes into no buffer: 0");
	is_int((long long)hexdump_block(&h, HEXDUMP_RECEIVED, NULL, 0, 0,
	    canary, 0), 0, "0 bytes into a 0-byte buffer: 0");
	is_str(canary, "abc", "and the buffer is not written");
	ok(h.offset[0] == 0 && h.offset[1] == 0, "offsets stay at 0");

	dumps(&h, HEXDUMP_RECEIVED, NULL, 0, 1,
	    "< message of 0 bytes at offset 0\n", "a zero-length message received");
	dumps(&h, HEXDUMP_SENT, NULL, 0, 1,
	    "> message of 0 bytes at offset 0\n", "a zero-length message sent");
	ok(h.offset[0] == 0 && h.offset[1] == 0,
	    "zero-length messages do not move the offsets");
}

static void
test_lengths(void)
{
	struct hexdump h;
	const unsigned char *q = (const unsigned char *)"The quick brown f";

	hexdump_init(&h);
	dumps(&h, HEXDUMP_SENT, (const unsigned char *)"A", 1, 0,
	    "> 1 byte at offset 0\n"
	    "> 00000000  41                                                |A|\n",
	    "1 byte");
	hexdump_init(&h);
	dumps(&h, HEXDUMP_SENT, (const unsigned char *)"0123456789abcde", 15, 0,
	    "> 15 bytes at offset 0\n"
	    "> 00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65     |0123456789abcde|\n",
	    "15 bytes");
	hexdump_init(&h);
	dumps(&h, HEXDUMP_SENT, q, 16, 0,
	    "> 16 bytes at offset 0\n"
	    "> 00000000  54 68 65 20 71 75 69 63  6b 20 62 72 6f 77 6e 20  |The quick brown |\n",
	    "16 bytes");
	hexdump_init(&h);
	dumps(&h, HEXDUMP_SENT, q, 17, 0,
	    "> 17 bytes at offset 0\n"
	    "> 00000000  54 68 65 20 71 75 69 63  6b 20 62 72 6f 77 6e 20  |The quick brown |\n"
	    "> 00000010  66                                                |f|\n",
	    "17 bytes");
	hexdump_init(&h);
	dumps(&h, HEXDUMP_SENT, sample, 33, 0,
	    "> 33 bytes at offset 0\n"
	    "> " SAMPLE_L1 "> " SAMPLE_L2 "> " SAMPLE_L3,
	    "33 bytes: control characters, NUL and 0xff show as dots");
	ok(h.offset[0] == 33 && h.offset[1] == 0,
	    "33 bytes sent move the sent offset only");
	hexdump_init(&h);
	dumps(&h, HEXDUMP_RECEIVED, sample, 33, 0,
	    "< 33 bytes at offset 0\n"
	    "< " SAMPLE_L1 "< " SAMPLE_L2 "< " SAMPLE_L3,
	    "33 bytes received are marked <");
	ok(h.offset[0] == 0 && h.offset[1] == 33,
	    "33 bytes received move the received offset only");
}

static void
test_messages(void)
{
	struct hexdump h;

	hexdump_init(&h);
	dumps(&h, HEXDUMP_RECEIVED, (const unsigned char *)"A", 1, 1,
	    "< message of 1 byte at offset 0\n"
	    "< 00000000  41                                                |A|\n",
	    "a 1-byte message");
	dumps(&h, HEXDUMP_RECEIVED, sample, 33, 1,
	    "< message of 33 bytes at offset 1\n"
	    "< 00000001  68 65 6c 6c 6f 0d 0a 00  1a ff 41 42 43 44 45 46  |hello.....ABCDEF|\n"
	    "< 00000011  31 32 33 34 35 36 37 38  39 30 31 32 33 34 35 36  |1234567890123456|\n"
	    "< 00000021  37                                                |7|\n",
	    "a 33-byte message after it starts at offset 1");
	dumps(&h, HEXDUMP_RECEIVED, NULL, 0, 1,
	    "< message of 0 bytes at offset 34\n",
	    "a zero-length message between two others");
	dumps(&h, HEXDUMP_SENT, sample, 16, 1,
	    "> message of 16 bytes at offset 0\n"
	    "> " SAMPLE_L1,
	    "a 16-byte message sent");
}

static void
test_running_offsets(void)
{
	struct hexdump h;

	hexdump_init(&h);
	dumps(&h, HEXDUMP_SENT, sample, 17, 0,
	    "> 17 bytes at offset 0\n"
	    "> " SAMPLE_L1
	    "> 00000010  31                                                |1|\n",
	    "first block sent");
	dumps(&h, HEXDUMP_RECEIVED, sample + 10, 3, 0,
	    "< 3 bytes at offset 0\n"
	    "< 00000000  41 42 43                                          |ABC|\n",
	    "a block received starts at its own offset 0");
	dumps(&h, HEXDUMP_SENT, sample + 10, 6, 0,
	    "> 6 bytes at offset 17\n"
	    "> 00000011  41 42 43 44 45 46                                 |ABCDEF|\n",
	    "the next block sent goes on from 17, on a line of its own");
	dumps(&h, 7, sample, 2, 0,
	    "< 2 bytes at offset 3\n"
	    "< 00000003  68 65                                             |he|\n",
	    "any nonzero direction counts as received");
	dumps(&h, -1, sample, 1, 0,
	    "< 1 byte at offset 5\n"
	    "< 00000005  68                                                |h|\n",
	    "a negative direction counts as received");
	ok(h.offset[0] == 23 && h.offset[1] == 6, "offsets: 23 sent, 6 received");

	/* Past 4 GiB the offset grows a ninth digit; the | column moves
	 * with it on those lines only, as hexdump -C's does. */
	h.offset[0] = 0xfffffff8ULL;
	dumps(&h, HEXDUMP_SENT, sample, 17, 0,
	    "> 17 bytes at offset 4294967288\n"
	    "> fffffff8  68 65 6c 6c 6f 0d 0a 00  1a ff 41 42 43 44 45 46  |hello.....ABCDEF|\n"
	    "> 100000008  31                                                |1|\n",
	    "an offset crossing 4 GiB");
	ok(h.offset[0] == 0x100000009ULL, "the offset went on to 0x100000009");

	h.offset[1] = 0xfffffffffffffff0ULL;
	dumps(&h, HEXDUMP_RECEIVED, sample, 16, 1,
	    "< message of 16 bytes at offset 18446744073709551600\n"
	    "< fffffffffffffff0  68 65 6c 6c 6f 0d 0a 00  1a ff 41 42 43 44 45 46  |hello.....ABCDEF|\n",
	    "the largest offsets fit the size given by hexdump_size");
	ok(h.offset[1] == 0, "and the offset wraps to 0 as unsigned arithmetic does");
}

static void
test_all_bytes(void)
{
	unsigned char all[256];
	struct hexdump h;

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	hexdump_init(&h);
	dumps(&h, HEXDUMP_RECEIVED, all, 256, 0,
	    "< 256 bytes at offset 0\n"
	    "< 00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
	    "< 00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|\n"
	    "< 00000020  20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f  | !\"#$%&'()*+,-./|\n"
	    "< 00000030  30 31 32 33 34 35 36 37  38 39 3a 3b 3c 3d 3e 3f  |0123456789:;<=>?|\n"
	    "< 00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  |@ABCDEFGHIJKLMNO|\n"
	    "< 00000050  50 51 52 53 54 55 56 57  58 59 5a 5b 5c 5d 5e 5f  |PQRSTUVWXYZ[\\]^_|\n"
	    "< 00000060  60 61 62 63 64 65 66 67  68 69 6a 6b 6c 6d 6e 6f  |`abcdefghijklmno|\n"
	    "< 00000070  70 71 72 73 74 75 76 77  78 79 7a 7b 7c 7d 7e 7f  |pqrstuvwxyz{|}~.|\n"
	    "< 00000080  80 81 82 83 84 85 86 87  88 89 8a 8b 8c 8d 8e 8f  |................|\n"
	    "< 00000090  90 91 92 93 94 95 96 97  98 99 9a 9b 9c 9d 9e 9f  |................|\n"
	    "< 000000a0  a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af  |................|\n"
	    "< 000000b0  b0 b1 b2 b3 b4 b5 b6 b7  b8 b9 ba bb bc bd be bf  |................|\n"
	    "< 000000c0  c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf  |................|\n"
	    "< 000000d0  d0 d1 d2 d3 d4 d5 d6 d7  d8 d9 da db dc dd de df  |................|\n"
	    "< 000000e0  e0 e1 e2 e3 e4 e5 e6 e7  e8 e9 ea eb ec ed ee ef  |................|\n"
	    "< 000000f0  f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc fd fe ff  |................|\n",
	    "all 256 byte values");
}

static void
test_buffers(void)
{
	static const char want[] =
	    "> 17 bytes at offset 0\n"
	    "> " SAMPLE_L1
	    "> 00000010  31                                                |1|\n";
	size_t len = sizeof want - 1;
	struct hexdump h;
	char canary[4] = "abc";

	hexdump_init(&h);
	is_int((long long)hexdump_block(&h, HEXDUMP_SENT, sample, 17, 0, NULL, 0),
	    (long long)len, "no buffer: returns the length needed");
	ok(h.offset[0] == 0, "and does not move the offset");
	is_int((long long)hexdump_block(&h, HEXDUMP_SENT, sample, 17, 0, canary, 0),
	    (long long)len, "a 0-byte buffer: returns the length needed");
	is_str(canary, "abc", "and is not written");
	is_int((long long)run(&h, HEXDUMP_SENT, sample, 17, 0, 1), (long long)len,
	    "a 1-byte buffer: returns the length needed");
	is_str(got, "", "and holds an empty string");
	is_int((long long)run(&h, HEXDUMP_SENT, sample, 17, 0, 30), (long long)len,
	    "a buffer cut in the first data line");
	is_str(got, "", "holds an empty string, not half a dump");
	is_int((long long)run(&h, HEXDUMP_SENT, sample, 17, 0, len), (long long)len,
	    "a buffer one byte short (no room for the NUL)");
	is_str(got, "", "holds an empty string");
	ok(h.offset[0] == 0, "failed calls never moved the offset");
	is_int((long long)run(&h, HEXDUMP_SENT, sample, 17, 0, len + 1),
	    (long long)len, "a buffer of exactly length + 1");
	is_str(got, want, "holds the whole text, the same as asked for");
	ok(h.offset[0] == 17, "and the offset moved once");

	/* The zero-length message's header, one byte short and exact. */
	hexdump_init(&h);
	is_int((long long)run(&h, HEXDUMP_RECEIVED, NULL, 0, 1, 33), 33,
	    "a zero-length message in 33 bytes: 33 needed + NUL");
	is_str(got, "", "and nothing written");
	is_int((long long)run(&h, HEXDUMP_RECEIVED, NULL, 0, 1, 34), 33,
	    "in 34 bytes it fits");
	is_str(got, "< message of 0 bytes at offset 0\n", "the header");
}

/*
 * Every length 0..300, both modes and directions: the text fits the size
 * hexdump_size promises, has a header and ceil(len/16) lines, and every
 * data line (8-digit offsets) puts its | in column 62.
 */
static void
test_sweep(void)
{
	unsigned char data[300];
	int bad = 0, checked = 0;

	for (int i = 0; i < 300; i++)
		data[i] = (unsigned char)(i * 37 + 11);
	for (size_t len = 0; len <= 300; len++) {
		for (int mode = 0; mode < 4; mode++) {
			struct hexdump h;
			size_t size = hexdump_size(len);
			size_t n;
			int lines = 0;

			hexdump_init(&h);
			h.offset[mode & 1] = 1000;
			n = run(&h, mode & 1, data, len, mode >> 1, size);
			checked++;
			if (len == 0 && (mode >> 1) == 0) {
				bad += n != 0;
				continue;
			}
			if (n >= size || strlen(got) != n) {
				bad++;
				continue;
			}
			for (const char *p = got; *p != '\0'; lines++) {
				const char *nl = strchr(p, '\n');
				if (nl == NULL) {
					bad++;
					break;
				}
				if (lines > 0 && (p[62] != '|' || nl[-1] != '|'))
					bad++;
				p = nl + 1;
			}
			bad += (size_t)lines != 1 + (len + 15) / 16;
			bad += h.offset[mode & 1] != 1000 + len;
		}
	}
	is_int(bad, 0, "%d dumps of 0..300 bytes: sizes, line counts, columns, "
	    "offsets", checked);
}

int
main(void)
{
	test_size();
	test_empty();
	test_lengths();
	test_messages();
	test_running_offsets();
	test_all_bytes();
	test_buffers();
	test_sweep();
	return done_testing();
}
