/*
 * winerr: error text and the lines pipecat prints on stderr.
 *
 * FormatMessageW gives the system's own words in the user's language; they
 * end in CR/LF (and sometimes a space), which are stripped so the message
 * fits on the one line every failure gets. Some hold inserts ("%1 is not a
 * valid Win32 application."), which are not filled: FormatMessage reads
 * one argument per insert, of the type the insert says, and a message
 * with more inserts than the caller guessed reads past the arguments. So
 * the message is fetched with FORMAT_MESSAGE_IGNORE_INSERTS, which leaves
 * them as they are, and each becomes "it": every line names its object
 * before the message ("spawn notes.txt: It is not a valid ..."). Text
 * goes to a console as UTF-16 through WriteConsoleW (the console's code
 * page would mangle UTF-8), and anywhere else as UTF-8 bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "winerr.h"

wchar_t *
utf8_to_wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	if (n <= 0)
		return NULL;
	wchar_t *w = malloc((size_t)n * sizeof *w);
	if (w == NULL)
		return NULL;
	if (MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) != n) {
		free(w);
		return NULL;
	}
	return w;
}

char *
wide_to_utf8(const wchar_t *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	if (n <= 0)
		return NULL;
	char *s = malloc((size_t)n);
	if (s == NULL)
		return NULL;
	if (WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
		free(s);
		return NULL;
	}
	return s;
}

int
winerr_is_gone(DWORD e)
{
	return e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA ||
	    e == ERROR_PIPE_NOT_CONNECTED || e == ERROR_HANDLE_EOF;
}

int
winerr_is_not_found(DWORD e)
{
	return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ||
	    e == ERROR_BAD_NETPATH || e == ERROR_BAD_NET_NAME;
}

int
winerr_exit_code(DWORD e)
{
	if (winerr_is_not_found(e))
		return EXIT_NOTFOUND;
	switch (e) {
	case ERROR_PIPE_BUSY:
	case ERROR_SEM_TIMEOUT:
		return EXIT_BUSY;
	case ERROR_ACCESS_DENIED:
	case ERROR_LOGON_FAILURE:
		return EXIT_DENIED;
	case ERROR_INVALID_NAME:
	case ERROR_BAD_PATHNAME:
		return EXIT_USAGE;
	default:
		return EXIT_FAIL;
	}
}

/*
 * Replaces, in place, each insert of message S (%1 to %99, with or without
 * a !printf format!) by "it", "It" where a sentence begins; "%%" is a
 * percent sign, not an insert. The result is never longer than S.
 */
static void
fill_inserts(char *s)
{
	size_t o = 0, i = 0;
	while (s[i] != '\0') {
		if (s[i] == '%' && s[i + 1] == '%') {
			s[o++] = s[i++];
			s[o++] = s[i++];
			continue;
		}
		if (s[i] != '%' || s[i + 1] < '1' || s[i + 1] > '9') {
			s[o++] = s[i++];
			continue;
		}
		i += 2;
		if (s[i] >= '0' && s[i] <= '9')
			i++;
		if (s[i] == '!') {
			char *end = strchr(s + i + 1, '!');
			if (end != NULL)
				i = (size_t)(end - s) + 1;
		}
		size_t k = o;
		while (k > 0 && s[k - 1] == ' ')
			k--;
		s[o++] = k == 0 || s[k - 1] == '.' ? 'I' : 'i';
		s[o++] = 't';
	}
	s[o] = '\0';
}

void
winerr_text(DWORD code, char *buf, size_t len)
{
	wchar_t *w = NULL;
	char *msg = NULL;
	DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER |
	        FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
	    NULL,                 /* the system's message table */
	    code,
	    0,                    /* the user's language, falling back per docs */
	    (LPWSTR)&w,           /* with ALLOCATE_BUFFER: receives a LocalAlloc'd string */
	    0, NULL);
	if (n > 0 && w != NULL)
		msg = wide_to_utf8(w);
	if (w != NULL)
		LocalFree(w);
	if (msg != NULL) {
		fill_inserts(msg);
		size_t m = strlen(msg);
		while (m > 0 && (msg[m - 1] == '\r' || msg[m - 1] == '\n' ||
		    msg[m - 1] == ' '))
			msg[--m] = '\0';
		snprintf(buf, len, "%s (%lu)", msg, (unsigned long)code);
		free(msg);
	} else {
		snprintf(buf, len, "error %lu", (unsigned long)code);
	}
}

void
winerr_fmt(char *buf, size_t len, DWORD code, const char *fmt, ...)
{
	va_list ap;
	char sys[512];

	winerr_text(code, sys, sizeof sys);
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ": %s", sys);
}

BOOL
write_text(HANDLE h, const char *s, size_t len)
{
	DWORD mode, done;

	if (h == NULL || h == INVALID_HANDLE_VALUE)
		return FALSE;
	if (GetConsoleMode(h, &mode)) {
		int n = MultiByteToWideChar(CP_UTF8, 0, s, (int)len, NULL, 0);
		if (n <= 0)
			return len == 0;
		wchar_t *w = malloc((size_t)n * sizeof *w);
		if (w == NULL)
			return FALSE;
		MultiByteToWideChar(CP_UTF8, 0, s, (int)len, w, n);
		BOOL ok = WriteConsoleW(h, w, (DWORD)n, &done, NULL);
		free(w);
		return ok;
	}
	while (len > 0) {
		if (!WriteFile(h, s, (DWORD)len, &done, NULL))
			return FALSE;
		s += done;
		len -= done;
	}
	return TRUE;
}

void
vsay(const char *fmt, va_list ap)
{
	char line[4096];
	int n = snprintf(line, sizeof line, "pipecat: ");
	int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	line[len] = '\0';
	/* Nothing useful can be done if stderr itself is gone. */
	(void)write_text(GetStdHandle(STD_ERROR_HANDLE), line, len);
}

void
say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void
say_winerr(DWORD code, const char *fmt, ...)
{
	char what[2048];
	char sys[512];
	va_list ap;

	winerr_text(code, sys, sizeof sys);
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	say("%s: %s", what, sys);
}

void
winerr_status_text(DWORD status, char *buf, size_t len)
{
	if (status >= 0xC0000000UL)
		snprintf(buf, len, "%lu (0x%08lX)", (unsigned long)status,
		    (unsigned long)status);
	else
		snprintf(buf, len, "%lu", (unsigned long)status);
}
