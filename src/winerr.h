/*
 * winerr: error text and the lines pipecat prints on stderr.
 *
 * Every failure is one line: "pipecat: OPERATION OBJECT: system message (code)"
 * where the system message comes from FormatMessage with its trailing CR, LF
 * and spaces stripped. Modules never print: they build the same
 * text into a caller's buffer with winerr_fmt() and return; commands print it
 * with say() and choose the exit code.
 */
#ifndef PIPECAT_WINERR_H
#define PIPECAT_WINERR_H

#include <stdarg.h>
#include <stddef.h>
#include <windows.h>

/*
 * The classes of Win32 errors that callers tell apart from failures, named
 * here once so that every command agrees on them.
 *
 * winerr_is_gone: the other end is gone, which is an end, not a failure:
 * ERROR_BROKEN_PIPE (the peer closed; a read's EOF), ERROR_NO_DATA (a
 * write to a pipe being closed), ERROR_PIPE_NOT_CONNECTED (a client that
 * left, and what Wine returns for a closed Linux pipe), ERROR_HANDLE_EOF (a
 * file's end).
 *
 * winerr_is_not_found: there is no such pipe (or server, or share):
 * ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_BAD_NETPATH,
 * ERROR_BAD_NET_NAME.
 */
int winerr_is_gone(DWORD code);
int winerr_is_not_found(DWORD code);

/* The exit status (exitcode.h) for a Win32 error from opening or creating
 * a pipe: not found 3, busy or timed out 4, access denied 5, a bad name 2,
 * anything else 1. */
int winerr_exit_code(DWORD code);

/* "message (code)" for a Win32 error code, in UTF-8. */
void winerr_text(DWORD code, char *buf, size_t len);

/* A process's exit status for a -v line: decimal, and, for an exception's
 * (0xC0000000 and up, such as 0xC0000005, an access violation), the same
 * in hex as the Windows documentation writes it: "3221225477 (0xC0000005)". */
void winerr_status_text(DWORD status, char *buf, size_t len);

/*
 * Formats FMT into BUF, then appends ": <system message> (code)" for CODE.
 * Capture GetLastError() before calling anything else.
 */
void winerr_fmt(char *buf, size_t len, DWORD code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prints "pipecat: " FMT "\n" on stderr, UTF-8 (UTF-16 on a console). */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vsay(const char *fmt, va_list ap);

/* Prints "pipecat: " FMT ": <system message> (code)\n" on stderr. */
void say_winerr(DWORD code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes LEN bytes of UTF-8 text to H: WriteConsoleW on a console, else raw. */
BOOL write_text(HANDLE h, const char *s, size_t len);

/* UTF-8 -> UTF-16 in a new heap block (free()); NULL on failure. */
wchar_t *utf8_to_wide(const char *s);
/* UTF-16 -> UTF-8 in a new heap block (free()); NULL on failure. */
char *wide_to_utf8(const wchar_t *w);

#endif
