/*
 * utf8: strict UTF-8 decoding, and the safe quoting and cutting of text in
 * messages, shared by the portable modules (opts, pipename, pipelist, json).
 *
 * Portable (no windows.h). Nothing here prints or allocates: every function
 * works in the caller's buffer.
 */
#ifndef PIPECAT_UTF8_H
#define PIPECAT_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * MinGW's -std=c11 selects its C99-conforming printf (%zu works), and names
 * the matching format checker __MINGW_PRINTF_FORMAT; plain "printf" there
 * would check against the old msvcrt rules instead. <stdio.h> above is what
 * defines __MINGW_PRINTF_FORMAT, so it must come first.
 */
#if defined(__MINGW_PRINTF_FORMAT)
#define UTF8_PRINTF_LIKE(f, a) \
	__attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__)
#define UTF8_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define UTF8_PRINTF_LIKE(f, a)
#endif

/* The size of the buffer utf8_quote needs for a quote of at most MAX bytes:
 * two quotes, "..." and the NUL, with room to spare. */
#define UTF8_QUOTE_SIZE(max) ((max) + 8)

/*
 * Decodes the UTF-8 sequence at S into *CP and returns its length in bytes
 * (1 to 4), or 0, leaving *CP alone, when it is not valid UTF-8 (RFC 3629):
 * a stray continuation byte, a truncated sequence, an overlong form, a
 * surrogate or a code point above U+10FFFF. S must be NUL-terminated; a NUL
 * decodes as U+0000 of length 1, and reading stops at it.
 */
size_t utf8_decode(const char *s, uint32_t *cp);

/*
 * Returns 1 for Unicode's control characters (category Cc): the C0 controls,
 * DEL and the C1 controls U+0080 to U+009F, which some terminals still act
 * on when encoded in UTF-8 (U+009B is CSI).
 */
int utf8_is_control(uint32_t cp);

/*
 * For a string just cut short (by snprintf): drops a UTF-8 sequence left
 * incomplete at its end, so that the string stays valid UTF-8 when it was
 * before the cut. Looks back at most 3 continuation bytes.
 */
void utf8_trim_cut(char *s);

/*
 * Formats like snprintf into BUF of SIZE bytes (BUF may be NULL when SIZE is
 * 0), and when the text is cut, drops an incomplete sequence at the cut
 * (utf8_trim_cut). Returns 0 when the text fit whole, 1 when it was cut or
 * could not be formatted (then BUF, if any, holds what fit, or "").
 */
int utf8_format(char *buf, size_t size, const char *fmt, ...)
    UTF8_PRINTF_LIKE(3, 4);

/*
 * Writes S into BUF (UTF8_QUOTE_SIZE(MAX) bytes) for a message: in double
 * quotes when QUOTED, shortened to whole characters of at most MAX bytes
 * with "..." after when longer, and each control character (utf8_is_control)
 * or byte of invalid UTF-8 shown as "?", so that a message stays one
 * printable line. A NULL S is quoted as "". Returns BUF.
 */
const char *utf8_quote(char *buf, size_t max, const char *s, int quoted);

#endif
