/*
 * hexdump: the text of -x, one block at a time (layout in hexdump.h).
 *
 * The text is built in one pass through a small sink that stores what fits
 * and counts everything, so the exact length is known at the end without a
 * second formatting pass; when it did not fit, the buffer is emptied and the
 * offsets left alone, so a retry with a bigger buffer gives the same text.
 * No stdio: the format is fixed, and hand-made digits keep the module free
 * of printf's locale and of MinGW's two printf flavours.
 */
#include <stdint.h>

#include "hexdump.h"
#include "sink.h"

/* Longest header: "< message of " + 20 digits + " bytes at offset " +
 * 20 digits + "\n" (a 64-bit number has at most 20 decimal digits). */
#define HEADER_MAX (1 + 1 + 11 + 20 + 17 + 20 + 1)
/* Longest data line: "> " + 16 hex digits + "  " + 16 * "xx " + " " +
 * " |" + 16 characters + "|\n". Offsets below 4 GiB use 8 digits, 8 fewer. */
#define HEX_LINE_MAX (2 + 16 + 2 + 16 * 3 + 1 + 2 + 16 + 2)

static void
put_dec(struct sink *s, unsigned long long v)
{
	char d[20];
	size_t i = 0;

	do {
		d[i++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v != 0);
	while (i > 0)
		sink_put(s, d[--i]);
}

/* V in lowercase hex, at least MINDIGITS digits. */
static void
put_hex(struct sink *s, unsigned long long v, int mindigits)
{
	static const char xd[] = "0123456789abcdef";
	int digits = 1;

	while (digits < 16 && (v >> (4 * digits)) != 0)
		digits++;
	if (digits < mindigits)
		digits = mindigits;
	while (digits-- > 0)
		sink_put(s, xd[(v >> (4 * digits)) & 0xf]);
}

void
hexdump_init(struct hexdump *h)
{
	h->offset[0] = 0;
	h->offset[1] = 0;
}

size_t
hexdump_size(size_t len)
{
	size_t lines = len / 16 + (len % 16 != 0);

	if (lines > (SIZE_MAX - HEADER_MAX - 1) / HEX_LINE_MAX)
		return SIZE_MAX;
	return HEADER_MAX + lines * HEX_LINE_MAX + 1;
}

size_t
hexdump_block(struct hexdump *h, int dir, const unsigned char *data,
    size_t len, int message, char *out, size_t outlen)
{
	struct sink s = { out, outlen, 0 };
	int d = dir != HEXDUMP_SENT;
	char mark = d ? '<' : '>';
	unsigned long long off = h->offset[d];

	if (len == 0 && !message) {
		if (outlen > 0)
			out[0] = '\0';
		return 0;
	}

	sink_put(&s, mark);
	sink_puts(&s, message ? " message of " : " ");
	put_dec(&s, len);
	sink_puts(&s, len == 1 ? " byte at offset " : " bytes at offset ");
	put_dec(&s, off);
	sink_put(&s, '\n');

	for (size_t at = 0; at < len; at += 16) {
		size_t n = len - at < 16 ? len - at : 16;

		sink_put(&s, mark);
		sink_put(&s, ' ');
		put_hex(&s, off + at, 8);
		sink_puts(&s, "  ");
		for (size_t i = 0; i < 16; i++) {
			if (i < n) {
				put_hex(&s, data[at + i], 2);
				sink_put(&s, ' ');
			} else {
				sink_puts(&s, "   ");
			}
			if (i == 7)
				sink_put(&s, ' ');
		}
		sink_puts(&s, " |");
		for (size_t i = 0; i < n; i++) {
			unsigned char c = data[at + i];
			sink_put(&s, c >= 0x20 && c < 0x7f ? (char)c : '.');
		}
		sink_puts(&s, "|\n");
	}

	if (s.n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return s.n;
	}
	out[s.n] = '\0';
	h->offset[d] = off + len;
	return s.n;
}
