/*
 * fuzz_hexdump: hexdump_block (src/hexdump.c) against the layout its
 * header gives, block after block.
 *
 * Input: bytes 0-7 are the starting offset of the received direction,
 * little-endian (so offsets past 4 GiB and near 2^64 are reached), then
 * blocks, each a control byte (bits 0-1: direction 0 sent, 1 received, 2
 * and 3 other nonzero values, which count as received; bit 2: a message;
 * bits 3-7: a short buffer size), a length byte and that many data bytes
 * (fewer at the end of the input). For each block:
 *   - the text is exactly what a plain snprintf rendition of the header's
 *     layout gives (built here line by line, hexdump -C's "%08llx" offset
 *     column included), and shorter than hexdump_size(LEN);
 *   - asking with no buffer, or a short one, returns that same length,
 *     leaves a short buffer an empty string and moves no offset;
 *   - a buffer of exactly length + 1 bytes holds it (ASan sees past it),
 *     and moves only that direction's offset, by LEN;
 *   - a zero-length block that is not a message gives no text.
 */
#include <stdio.h>

#include "fuzz.h"
#include "hexdump.h"

/* The text the header describes, into OUT (big enough), from scratch. */
static size_t
expected(int received, unsigned long long off, const unsigned char *data,
    size_t len, int message, char *out)
{
	char mark = received ? '<' : '>';
	size_t o = 0, at, i, n;

	out[0] = '\0';
	if (len == 0 && !message)
		return 0;
	o += (size_t)sprintf(out + o, "%c %s%zu %s at offset %llu\n", mark,
	    message ? "message of " : "", len, len == 1 ? "byte" : "bytes",
	    off);
	for (at = 0; at < len; at += 16) {
		n = len - at < 16 ? len - at : 16;
		o += (size_t)sprintf(out + o, "%c %08llx ", mark, off + at);
		for (i = 0; i < 16; i++) {
			if (i % 8 == 0)
				out[o++] = ' ';
			if (i < n)
				o += (size_t)sprintf(out + o, "%02x ", data[at + i]);
			else
				o += (size_t)sprintf(out + o, "   ");
		}
		o += (size_t)sprintf(out + o, " |");
		for (i = 0; i < n; i++)
			out[o++] = data[at + i] >= 0x20 && data[at + i] <= 0x7e ?
			    (char)data[at + i] : '.';
		o += (size_t)sprintf(out + o, "|\n");
	}
	out[o] = '\0';
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dirs[4] = { HEXDUMP_SENT, HEXDUMP_RECEIVED, 7, -1 };
	struct hexdump h;
	unsigned long long off0 = 0;
	size_t pos, len, n, want, small, i;
	char *out, *ref, none;
	int dir, received, message;

	if (size < 8)
		return 0;
	for (i = 0; i < 8; i++)
		off0 |= (unsigned long long)data[i] << (8 * i);
	hexdump_init(&h);
	CHECK(h.offset[0] == 0 && h.offset[1] == 0);
	h.offset[1] = off0;

	for (pos = 8; pos + 2 <= size; pos += 2 + len) {
		unsigned long long before[2] = { h.offset[0], h.offset[1] };
		const unsigned char *block = data + pos + 2;

		dir = dirs[data[pos] & 3];
		received = dir != HEXDUMP_SENT;
		message = (data[pos] & 4) != 0;
		len = data[pos + 1];
		if (len > size - pos - 2)
			len = size - pos - 2;

		ref = malloc(hexdump_size(len));
		CHECK(ref != NULL);
		want = expected(received, before[received], block, len,
		    message, ref);
		CHECK(want < hexdump_size(len));

		n = hexdump_block(&h, dir, len ? block : NULL, len, message,
		    &none, 0);
		CHECK(n == want);
		CHECK(h.offset[0] == before[0] && h.offset[1] == before[1]);

		out = malloc(want + 1);
		CHECK(out != NULL);
		small = (size_t)(data[pos] >> 3) % (want + 1);
		if (small > 0 && want > 0) {
			memset(out, 'x', small);
			CHECK(hexdump_block(&h, dir, block, len, message, out,
			    small) == want);
			CHECK(out[0] == '\0');
			CHECK(h.offset[0] == before[0] &&
			    h.offset[1] == before[1]);
		}
		CHECK(hexdump_block(&h, dir, len ? block : NULL, len, message,
		    out, want + 1) == want);
		CHECK(strcmp(out, ref) == 0);
		CHECK(h.offset[received] == before[received] + len);
		CHECK(h.offset[!received] == before[!received]);
		free(out);
		free(ref);
	}
	return 0;
}
