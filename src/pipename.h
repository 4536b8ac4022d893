/*
 * pipename: parse and normalise a pipe NAME given on the command line.
 *
 * Portable (no windows.h): built natively for unit tests and fuzzing.
 *
 * Accepted forms (the man page's "Pipe names"): "foo", "\\.\pipe\foo", "//./pipe/foo",
 * "\\server\pipe\foo", "//server/pipe/foo"; the two separators may be mixed
 * in the prefix. The result is always the Win32 form "\\HOST\pipe\NAME" in
 * UTF-8. The NAME part is kept byte for byte (a "/" or "\" inside it is part
 * of the name). Rules, each reported by name when broken:
 *   - the name is not empty and is valid UTF-8 without control characters;
 *   - a name starting with a slash or backslash must be \\HOST\pipe\NAME,
 *     with HOST and NAME not empty and the word "pipe" (any case);
 *   - the full path is at most 256 UTF-16 code units (CreateNamedPipe's limit).
 */
#ifndef PIPECAT_PIPENAME_H
#define PIPECAT_PIPENAME_H

#include <stddef.h>

/* The full path's limit in UTF-16 code units, from CreateNamedPipe's docs. */
#define PIPENAME_MAX_UNITS 256

struct pipename {
	/* "\\HOST\pipe\NAME" in UTF-8; 4 bytes per unit is the worst case. */
	char full[PIPENAME_MAX_UNITS * 4 + 1];
	/* 1 when HOST is "." (this machine), 0 for a remote server name. */
	int local;
};

/*
 * Parses IN into OUT. Returns 0 on success; on failure returns -1 and puts a
 * one-line message naming the broken rule (no "pipecat:" prefix, no newline)
 * into ERR, which holds ERRLEN bytes.
 */
int pipename_parse(const char *in, struct pipename *out, char *err, size_t errlen);

#endif
