/*
 * hexdump: the text of -x, --hex-dump: every block that crosses the pipe,
 * direction marked, in the layout of `hexdump -C`.
 *
 * Portable (no windows.h): unit-tested natively. The formatter keeps one
 * running offset per direction, so the relay calls it once per block, in
 * the order the blocks crossed, and writes the text wherever -x points.
 * Library code: it never prints and never allocates.
 *
 * A block of N > 0 bytes becomes a header line and ceil(N / 16) data lines:
 *
 *   > 37 bytes at offset 0
 *   > 00000000  68 65 6c 6c 6f 0d 0a 00  1a ff 41 42 43 44 45 46  |hello.....ABCDEF|
 *   > 00000010  ...
 *   > 00000020  31 32 33 34 35                                    |12345|
 *
 * ">" is data sent to the pipe, "<" data received from it. The offset on a
 * data line is that of its first byte in this direction's stream (8 hex
 * digits, more once it passes 4 GiB); it keeps running across blocks, and
 * each block starts a new line, so lines are not aligned to 16 across
 * blocks. Bytes 0x20-0x7e show as themselves in the |...| column, others as
 * ".". A short last line is padded so that its | lines up with the others.
 * Header lines: "> 1 byte at offset N", "> 37 bytes at offset N", and, for a
 * block that is one whole message of a message pipe, "< message of 37 bytes
 * at offset N" (a zero-length message, "< message of 0 bytes at offset N",
 * has no data lines). A zero-length block that is not a message is no
 * traffic and gives no text.
 */
#ifndef PIPECAT_HEXDUMP_H
#define PIPECAT_HEXDUMP_H

#include <stddef.h>

/* Directions, as hexdump_block's DIR. */
enum {
	HEXDUMP_SENT = 0,       /* '>' stdin to the pipe */
	HEXDUMP_RECEIVED = 1    /* '<' the pipe to stdout */
};

struct hexdump {
	/* Bytes dumped so far in each direction: the next block's offset. */
	unsigned long long offset[2];
};

/* Starts both directions at offset 0. */
void hexdump_init(struct hexdump *h);

/*
 * The most text, terminating NUL included, that a block of LEN bytes can
 * give, whatever the offsets: a buffer this big never makes hexdump_block
 * fail. SIZE_MAX if that would not fit in a size_t.
 */
size_t hexdump_size(size_t len);

/*
 * Formats the block DATA[0..LEN) going direction DIR (HEXDUMP_SENT or
 * HEXDUMP_RECEIVED; any other nonzero value counts as received) into OUT,
 * which holds OUTLEN bytes, and advances that direction's offset by LEN.
 * MESSAGE says the block is one whole message (the header says so, and a
 * zero-length one is shown). DATA may be NULL when LEN is 0, and OUT when
 * OUTLEN is 0 (which asks for the length only).
 *
 * Returns the length of the text, without its NUL, as snprintf does. When
 * that is >= OUTLEN the text did not fit: OUT holds an empty string (if
 * OUTLEN > 0), the offset is not advanced, and the caller can retry with a
 * buffer of return + 1 bytes; nothing half-written ever reaches the dump.
 */
size_t hexdump_block(struct hexdump *h, int dir, const unsigned char *data,
    size_t len, int message, char *out, size_t outlen);

#endif
