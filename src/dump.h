/*
 * dump: where -x, --hex-dump[=FILE] writes — stderr, or FILE opened for
 * appending — formatted by hexdump.c, one block at a time, as flows see
 * blocks cross (pump.h's tap).
 */
#ifndef PIPECAT_DUMP_H
#define PIPECAT_DUMP_H

#include <stddef.h>
#include <windows.h>

struct dump;

/* Opens the dump: FILE (UTF-8, appended to, created if missing) or, when
 * FILE is NULL, stderr. Returns NULL with a message in ERR. */
struct dump *dump_open(const char *file, char *err, size_t errlen);

/* Taps (pump.h): a block sent to the pipe, or received from it. */
void dump_sent(void *dump, const char *data, DWORD len, int message);
void dump_received(void *dump, const char *data, DWORD len, int message);

#endif
