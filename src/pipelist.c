/*
 * pipelist: decoding the pipe file system's directory records, and the
 * matching and ordering of names that `pipecat list` does.
 *
 * The record layout is in pipelist.h, from the FILE_DIRECTORY_INFORMATION
 * documentation and the NPFS conventions that Sysinternals' PipeList relies
 * on (EndOfFile: current instances; AllocationSize: maximum instances, the
 * ULONG -1 for unlimited). Every field is read byte by byte as little-endian,
 * so a record at any alignment is read the same on every host.
 *
 * Case: NPFS compares names through the system's upcase table, one UTF-16
 * unit at a time. fold() below is that table for the alphabets a pipe name
 * is likely to use; outside them a letter matches only itself, which errs
 * towards showing fewer pipes, never wrong ones.
 *
 * UTF-8 is decoded, and messages formatted, by utf8.c.
 */
#include <stdint.h>
#include <string.h>

#include "pipelist.h"
#include "utf8.h"

#define REPLACEMENT 0xfffdu

static unsigned long
le32(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8 |
	    (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

static unsigned long long
le64(const unsigned char *p)
{
	return (unsigned long long)le32(p) |
	    (unsigned long long)le32(p + 4) << 32;
}

void
pipelist_iter_init(struct pipelist_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = buf != NULL ? len : 0;
	it->pos = 0;
	it->state = 0;
}

int
pipelist_next(struct pipelist_iter *it, struct pipelist_entry *e, char *err,
    size_t errlen)
{
	if (it->state != 0) {
		if (it->state < 0)
			utf8_format(err, errlen,
			    "the directory listing is malformed");
		return it->state > 0 ? 0 : -1;
	}
	if (it->len == 0) {
		it->state = 1;
		return 0;
	}

	size_t pos = it->pos, left = it->len - it->pos;
	if (left < PIPELIST_RECORD_MIN) {
		utf8_format(err, errlen,
		    "directory record at offset %zu is cut short: "
		    "%zu bytes left, a record needs %d", pos, left,
		    PIPELIST_RECORD_MIN);
		it->state = -1;
		return -1;
	}
	const unsigned char *r = it->buf + pos;
	unsigned long next = le32(r);
	unsigned long namelen = le32(r + 60);

	if (namelen > left - PIPELIST_RECORD_MIN) {
		utf8_format(err, errlen,
		    "directory record at offset %zu: its name of "
		    "%lu bytes runs past the end of the listing", pos, namelen);
		it->state = -1;
		return -1;
	}
	if (namelen == 0 || namelen % 2 != 0) {
		utf8_format(err, errlen,
		    "directory record at offset %zu: a name of "
		    "%lu bytes is not UTF-16", pos, namelen);
		it->state = -1;
		return -1;
	}
	if (next != 0 && next < PIPELIST_RECORD_MIN + namelen) {
		utf8_format(err, errlen,
		    "directory record at offset %zu: the next "
		    "record, %lu bytes on, would overlap this one", pos, next);
		it->state = -1;
		return -1;
	}
	if (next > left) {
		utf8_format(err, errlen,
		    "directory record at offset %zu: the next "
		    "record, %lu bytes on, is past the end of the listing", pos,
		    next);
		it->state = -1;
		return -1;
	}

	e->name16 = r + PIPELIST_RECORD_MIN;
	e->name16_len = namelen;
	e->instances = le64(r + 40);
	e->max_instances = le64(r + 48);
	/* NPFS keeps the maximum as a ULONG, -1 for unlimited; the 64-bit
	 * field holds it zero-extended, or sign-extended by some writers. */
	e->unlimited = e->max_instances == 0xffffffffULL ||
	    e->max_instances == ~0ULL;
	if (next == 0)
		it->state = 1;
	else
		it->pos = pos + next;
	return 1;
}

size_t
pipelist_name_size(size_t bytes)
{
	/* A UTF-16 unit gives at most 3 UTF-8 bytes (a pair gives 4 for 2). */
	return bytes / 2 * 3 + 1;
}

/* Appends code point CP as UTF-8 to OUT if it fits; counts it in *N. */
static void
put_utf8(uint32_t cp, char *out, size_t outlen, size_t *n)
{
	unsigned char b[4];
	size_t k;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	for (size_t i = 0; i < k; i++, (*n)++)
		if (*n < outlen)
			out[*n] = (char)b[i];
}

size_t
pipelist_name_utf8(const unsigned char *name16, size_t bytes, char *out,
    size_t outlen)
{
	size_t units = bytes / 2, n = 0;

	for (size_t i = 0; i < units; i++) {
		uint32_t u = (uint32_t)name16[2 * i] |
		    (uint32_t)name16[2 * i + 1] << 8;

		if (u >= 0xd800 && u <= 0xdbff && i + 1 < units) {
			uint32_t lo = (uint32_t)name16[2 * i + 2] |
			    (uint32_t)name16[2 * i + 3] << 8;
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			}
		}
		/* A lone surrogate is not a character; a NUL would end the
		 * string early and hide the rest of the name. */
		if ((u >= 0xd800 && u <= 0xdfff) || u == 0)
			u = REPLACEMENT;
		put_utf8(u, out, outlen, &n);
	}
	if (n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return n;
	}
	out[n] = '\0';
	return n;
}

/* The next character of *S (U+FFFD for an invalid byte), moving *S past it. */
static uint32_t
next_cp(const char **s)
{
	uint32_t cp;
	size_t n = utf8_decode(*s, &cp);

	if (n == 0) {
		cp = REPLACEMENT;
		n = 1;
	}
	*s += n;
	return cp;
}

void
pipelist_printable(char *s)
{
	size_t i = 0;

	while (s[i] != '\0') {
		uint32_t cp;
		size_t n = utf8_decode(s + i, &cp);

		if (n == 0 || utf8_is_control(cp)) {
			/* Shrink the bad sequence to one "?". */
			size_t bad = n == 0 ? 1 : n;
			s[i] = '?';
			memmove(s + i + 1, s + i + bad, strlen(s + i + bad) + 1);
			i++;
		} else {
			i += n;
		}
	}
}

/* The upper case of CP, as the Windows upcase table has it, for the
 * alphabets listed in pipelist.h; anything else is itself. */
static uint32_t
fold(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 0x20 : cp;
	if (cp >= 0xe0 && cp <= 0xfe && cp != 0xf7)
		return cp - 0x20;
	if (cp == 0xff)
		return 0x178;
	if ((cp >= 0x100 && cp <= 0x12f) || (cp >= 0x132 && cp <= 0x137) ||
	    (cp >= 0x14a && cp <= 0x177))
		return cp & ~1u;                /* even upper, odd lower */
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
		return cp % 2 == 0 ? cp - 1 : cp; /* odd upper, even lower */
	if (cp >= 0x3b1 && cp <= 0x3c9 && cp != 0x3c2)
		return cp - 0x20;
	if (cp == 0x3c2)
		return 0x3a3;                   /* final sigma */
	if (cp == 0x3ac)
		return 0x386;
	if (cp >= 0x3ad && cp <= 0x3af)
		return cp - 0x25;
	if (cp == 0x3cc)
		return 0x38c;
	if (cp == 0x3cd || cp == 0x3ce)
		return cp - 0x3f;
	if (cp >= 0x430 && cp <= 0x44f)
		return cp - 0x20;
	if (cp >= 0x450 && cp <= 0x45f)
		return cp - 0x50;
	return cp;
}

static int
is_sep(char c)
{
	return c == '\\' || c == '/';
}

/* "pipe" in any case at S (stops at a NUL, which matches no letter). */
static int
is_pipe_word(const char *s)
{
	for (int i = 0; i < 4; i++)
		if ((s[i] | 0x20) != "pipe"[i])
			return 0;
	return 1;
}

int
pipelist_pattern(const char *pattern, const char **pat, char *err,
    size_t errlen)
{
	const char *p = pattern;

	if (p == NULL || p[0] == '\0') {
		utf8_format(err, errlen,
		    "PATTERN is empty (leave it out to list "
		    "every pipe)");
		return -1;
	}
	if (is_sep(p[0]) && is_sep(p[1])) {
		const char *host = p + 2, *h = host;
		while (*h != '\0' && !is_sep(*h))
			h++;
		if (h == host || *h == '\0' || !is_pipe_word(h + 1) ||
		    !is_sep(h[5])) {
			utf8_format(err, errlen,
			    "a PATTERN starting with a double "
			    "slash must be \\\\.\\pipe\\PATTERN");
			return -1;
		}
		if (h - host != 1 || host[0] != '.') {
			utf8_format(err, errlen,
			    "PATTERN names another machine; list "
			    "shows this machine's pipes only");
			return -1;
		}
		p = h + 6;
		if (p[0] == '\0') {
			utf8_format(err, errlen,
			    "PATTERN is empty after \\\\.\\pipe\\ "
			    "(leave it out to list every pipe)");
			return -1;
		}
	}
	*pat = p;
	return 0;
}

int
pipelist_match(const char *pat, const char *name)
{
	const char *p = pat, *n = name;
	const char *star_p = NULL, *star_n = NULL;

	/* The classic single-backtrack glob: on a mismatch, the last "*"
	 * takes one more character of NAME; earlier stars never need to, so
	 * the work stays at most len(PAT) * len(NAME). */
	while (*n != '\0') {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_n = n;
			continue;
		}
		const char *p2 = p, *n2 = n;
		if (*p != '\0') {
			uint32_t pc = next_cp(&p2), nc = next_cp(&n2);
			if (pc == '?' || fold(pc) == fold(nc)) {
				p = p2;
				n = n2;
				continue;
			}
		}
		if (star_p == NULL)
			return 0;
		p = star_p;
		(void)next_cp(&star_n);
		n = star_n;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int
pipelist_compare(const char *a, const char *b)
{
	const char *x = a, *y = b;

	while (*x != '\0' && *y != '\0') {
		uint32_t cx = fold(next_cp(&x)), cy = fold(next_cp(&y));
		if (cx != cy)
			return cx < cy ? -1 : 1;
	}
	if (*x != '\0' || *y != '\0')
		return *x != '\0' ? 1 : -1;
	int c = strcmp(a, b);
	return c < 0 ? -1 : c > 0;
}
