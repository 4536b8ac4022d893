/*
 * gen: writes BYTES bytes to stdout in 64 KiB WriteFile calls, straight to
 * the handle (no C library buffering): the child that bench/compare.sh has
 * pipecat spawn and ref_spawn relay.
 *
 *   gen BYTES
 */
#include "ref.h"

int
main(int argc, char **argv)
{
	static char buf[REF_CHUNK];
	if (argc != 2) {
		fprintf(stderr, "usage: gen BYTES\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)('a' + i % 26);
	HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
	unsigned long long left = strtoull(argv[1], NULL, 10);
	while (left > 0) {
		DWORD k = left < sizeof buf ? (DWORD)left : (DWORD)sizeof buf;
		if (ref_write_all(out, buf, k) != 0)
			return 1;
		left -= k;
	}
	return 0;
}
