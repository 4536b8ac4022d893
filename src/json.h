/*
 * json: string literals for the --json output of list and info.
 *
 * Portable (no windows.h): unit-tested natively. Pipe names and paths hold
 * backslashes, quotes and, on a hostile machine, control characters or
 * broken UTF-8; each becomes an escape, so the output is always valid JSON
 * (RFC 8259) whatever a name holds. Library code: it never prints.
 */
#ifndef PIPECAT_JSON_H
#define PIPECAT_JSON_H

#include <stddef.h>

/* Bytes enough for json_quote of any LEN-byte string, with its NUL. SIZE_MAX
 * if that would not fit in a size_t. */
size_t json_quote_size(size_t len);

/*
 * Writes S as a JSON string, quotes included, into OUT (OUTLEN bytes): '"'
 * and '\' escaped, control characters as \n, \t, ... or \u00XX, DEL as
 * \u007f, and each byte that is not part of valid UTF-8 as \ufffd; valid
 * UTF-8 is copied as is. Returns the length without the NUL, as snprintf;
 * when that is >= OUTLEN, OUT holds an empty string (if OUTLEN > 0).
 */
size_t json_quote(const char *s, char *out, size_t outlen);

#endif
