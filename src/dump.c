/*
 * dump: the -x sink; see dump.h.
 *
 * Blocks are formatted into a buffer sized by hexdump_size() (so the
 * formatter never fails) and written with one WriteFile, so a dump file
 * shared with other writers gets whole blocks. Sent blocks are dumped from
 * the relay's loop and received ones from its pump thread, so one lock
 * keeps the offsets and the text of a block together. A dump that cannot be
 * written (its file's disk is full, stderr closed) is given up silently:
 * it must never stop the data it describes.
 */
#include <stdlib.h>

#include "dump.h"
#include "hexdump.h"
#include "winerr.h"

struct dump {
	CRITICAL_SECTION lock;
	struct hexdump hd;
	HANDLE out;
	char *buf;
	size_t cap;
	int broken;
};

struct dump *
dump_open(const char *file, char *err, size_t errlen)
{
	struct dump *d = calloc(1, sizeof *d);
	if (d == NULL) {
		winerr_fmt(err, errlen, ERROR_NOT_ENOUGH_MEMORY, "hex dump");
		return NULL;
	}
	hexdump_init(&d->hd);
	InitializeCriticalSection(&d->lock);
	if (file == NULL) {
		d->out = GetStdHandle(STD_ERROR_HANDLE);
		return d;
	}
	wchar_t *w = utf8_to_wide(file);
	if (w == NULL) {
		winerr_fmt(err, errlen, GetLastError(), "open hex dump %s", file);
		free(d);
		return NULL;
	}
	d->out = CreateFileW(w, FILE_APPEND_DATA | SYNCHRONIZE,
	    FILE_SHARE_READ | FILE_SHARE_WRITE,
	    NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	free(w);
	if (d->out == INVALID_HANDLE_VALUE) {
		winerr_fmt(err, errlen, GetLastError(), "open hex dump %s", file);
		free(d);
		return NULL;
	}
	return d;
}

static void
dump_locked(struct dump *d, int dir, const char *data, DWORD len, int message)
{
	if (d->broken)
		return;
	size_t need = hexdump_size(len);
	if (need > d->cap) {
		char *p = realloc(d->buf, need);
		if (p == NULL) {
			d->broken = 1;
			return;
		}
		d->buf = p;
		d->cap = need;
	}
	size_t n = hexdump_block(&d->hd, dir, (const unsigned char *)data, len,
	    message, d->buf, d->cap);
	const char *p = d->buf;
	while (n > 0) {
		DWORD done;
		if (!WriteFile(d->out, p, n > MAXDWORD ? MAXDWORD : (DWORD)n, &done, NULL)) {
			d->broken = 1;
			return;
		}
		p += done;
		n -= done;
	}
}

static void
dump_block(struct dump *d, int dir, const char *data, DWORD len, int message)
{
	EnterCriticalSection(&d->lock);
	dump_locked(d, dir, data, len, message);
	LeaveCriticalSection(&d->lock);
}

void
dump_sent(void *dump, const char *data, DWORD len, int message)
{
	dump_block(dump, HEXDUMP_SENT, data, len, message);
}

void
dump_received(void *dump, const char *data, DWORD len, int message)
{
	dump_block(dump, HEXDUMP_RECEIVED, data, len, message);
}
