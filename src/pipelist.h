/*
 * pipelist: what `pipecat list` makes of the pipe file system's directory.
 *
 * Portable (no windows.h): unit-tested natively on hand-built buffers,
 * truncated and malicious ones included (tests/unit/test_pipelist.c).
 *
 * NtQueryDirectoryFile(FileDirectoryInformation) on \\.\pipe\ fills a
 * buffer with FILE_DIRECTORY_INFORMATION records, little-endian:
 *
 *   offset  size  field
 *        0     4  NextEntryOffset   bytes from this record to the next; 0: last
 *        4     4  FileIndex
 *        8    32  CreationTime, LastAccessTime, LastWriteTime, ChangeTime
 *       40     8  EndOfFile         NPFS: the pipe's current instances
 *       48     8  AllocationSize    NPFS: its maximum instances (-1: unlimited)
 *       56     4  FileAttributes
 *       60     4  FileNameLength    in bytes
 *       64     …  FileName          UTF-16LE, not NUL-terminated
 *
 * The iterator checks every record against the end of the buffer before
 * reading it, and refuses a chain that does not move forward past the
 * record it is on, so no buffer, however made, makes it read out of bounds
 * or loop. Library code: it fills an error buffer and returns.
 */
#ifndef PIPECAT_PIPELIST_H
#define PIPECAT_PIPELIST_H

#include <stddef.h>

/* FILE_DIRECTORY_INFORMATION up to FileName. */
#define PIPELIST_RECORD_MIN 64

struct pipelist_entry {
	const unsigned char *name16;    /* UTF-16LE, inside the buffer */
	size_t name16_len;              /* its length in bytes (even, > 0) */
	unsigned long long instances;   /* current instances */
	unsigned long long max_instances; /* maximum; see unlimited */
	int unlimited;                  /* the maximum is "unlimited" */
};

struct pipelist_iter {
	const unsigned char *buf;
	size_t len;
	size_t pos;             /* the next record's offset */
	int state;              /* 0 going, 1 at the end, -1 malformed */
};

/* Starts reading the LEN bytes at BUF (what the query said it wrote). */
void pipelist_iter_init(struct pipelist_iter *it, const void *buf, size_t len);

/*
 * Reads the next record into *E. Returns 1, or 0 after the last one (an
 * empty buffer has none), or -1 if the buffer is malformed, with a message
 * in ERR naming the record's offset and what is wrong; -1 again after that.
 */
int pipelist_next(struct pipelist_iter *it, struct pipelist_entry *e,
    char *err, size_t errlen);

/* Bytes enough for any UTF-8 text of a BYTES-long UTF-16 name, with its NUL. */
size_t pipelist_name_size(size_t bytes);

/*
 * Converts a UTF-16LE name of BYTES bytes to UTF-8 in OUT (OUTLEN bytes); a
 * lone surrogate or a U+0000 becomes U+FFFD, an odd last byte is ignored.
 * Returns the length without the NUL, as snprintf; when that is >= OUTLEN,
 * OUT holds an empty string (if OUTLEN > 0).
 */
size_t pipelist_name_utf8(const unsigned char *name16, size_t bytes,
    char *out, size_t outlen);

/*
 * Replaces each control character of the UTF-8 string S (C0, DEL, C1) and
 * each byte that is not valid UTF-8 with "?", in place, so that a name
 * prints on one line of a terminal without acting on it.
 */
void pipelist_printable(char *s);

/*
 * Checks a `list` PATTERN and sets *PAT to what is matched against names:
 * PATTERN itself, or what follows "\\.\pipe\" (or "//./pipe/", any mix of
 * separators, "pipe" in any case). Returns 0, or -1 with a message in ERR
 * for an empty pattern, or one on another machine (\\server\pipe\...).
 */
int pipelist_pattern(const char *pattern, const char **pat, char *err,
    size_t errlen);

/*
 * Matches the UTF-8 NAME against PAT: "*" any run of characters (also
 * none, and "\" too: a pipe name has no directories), "?" exactly one
 * character, anything else itself, compared without case as Windows
 * compares pipe names (ASCII, Latin-1, Latin Extended-A, Greek and
 * Cyrillic letters). Returns 1 on a match, else 0.
 */
int pipelist_match(const char *pat, const char *name);

/* Orders names without case first (as pipelist_match folds), then by bytes. */
int pipelist_compare(const char *a, const char *b);

#endif
