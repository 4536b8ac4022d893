/*
 * fuzz_addr: bridge ADDRESS parsing and the gpg-agent socket file
 * (src/addr.c) against the forms addr.h gives, decided here apart.
 *
 * Input: byte 0 picks the mode (bit 0); the rest is an ADDRESS (up to a
 * NUL, mode 0) or the bytes of a socket file (mode 1). Checked:
 *   - addr_parse accepts exactly "-", "stdio", pipe:NAME and
 *     pipe-listen:NAME when pipename_parse takes NAME (a local one for
 *     pipe-listen), tcp:HOST:PORT, tcp:[HOST]:PORT, tcp-listen: the same or
 *     PORT alone (host 127.0.0.1, not given), and assuan:FILE, FILE not
 *     empty; HOST 1 to 255 bytes with no space, control character, slash
 *     or bracket, and no colon unless bracketed; PORT decimal, 1 to 65535
 *     (0 too for tcp-listen). Every field is what that reading gives;
 *   - addr_listens says so for the two listeners only;
 *   - a TCP address written back by addr_tcp_text parses to the same
 *     host and port;
 *   - addr_is_loopback is true exactly for ::1, localhost and a dotted
 *     quad of 1 to 3 digit parts up to 255 whose first is 127;
 *   - a refusal's message is one printable line, however hostile the
 *     input (utf8.h's rule for quoting user input), and not a flood;
 *   - addr_assuan_parse takes exactly 1 to 6 digits worth 1 to 65535, a
 *     newline and 16 bytes, and hands back that port and those bytes.
 */
#include <stdio.h>

#include "addr.h"
#include "fuzz.h"

#define ERRLEN 2048
/* The longest message: the address quoted short, the list of kinds. */
#define MESSAGE_MAX 600

static int
port_ok(const char *s, unsigned min, unsigned *port)
{
	unsigned long v = 0;
	size_t i;

	if (s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (v <= 65535)
			v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < min || v > 65535)
		return 0;
	*port = (unsigned)v;
	return 1;
}

/* HOST:PORT as addr.h says, into HOST (ADDR_HOST_MAX + 1) and *PORT. */
static int
hostport_ok(const char *rest, int listen, char *host, unsigned *port,
    int *given)
{
	const char *h = rest, *end, *p, *colon;
	size_t len, i;

	*given = 1;
	if (rest[0] == '[') {
		end = strchr(rest, ']');
		if (end == NULL || end[1] != ':')
			return 0;
		h = rest + 1;
		p = end + 2;
	} else {
		colon = strchr(rest, ':');
		if (colon == NULL) {
			if (!listen)
				return 0;
			strcpy(host, "127.0.0.1");
			*given = 0;
			return port_ok(rest, 0, port);
		}
		if (strchr(colon + 1, ':') != NULL)
			return 0;
		end = colon;
		p = colon + 1;
	}
	len = (size_t)(end - h);
	if (len == 0 || len > ADDR_HOST_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)h[i] <= ' ' || h[i] == 0x7f || h[i] == '/' ||
		    h[i] == '\\' || h[i] == '[' || h[i] == ']')
			return 0;
	memcpy(host, h, len);
	host[len] = '\0';
	return port_ok(p, listen ? 0 : 1, port);
}

static int
loopback(const char *h)
{
	unsigned parts[4];
	int n = 0, digits;
	const char *p = h;

	if (strcmp(h, "::1") == 0 || strcmp(h, "localhost") == 0)
		return 1;
	for (;;) {
		unsigned v = 0;

		for (digits = 0; *p >= '0' && *p <= '9'; p++, digits++)
			v = v * 10 + (unsigned)(*p - '0');
		if (digits == 0 || digits > 3 || v > 255 || n == 4)
			return 0;
		parts[n++] = v;
		if (*p == '\0')
			break;
		if (*p++ != '.')
			return 0;
	}
	return n == 4 && parts[0] == 127;
}

static void
fuzz_address(const char *in)
{
	static struct addr a, b;
	static struct pipename pn;
	static char host[ADDR_HOST_MAX + 1];
	char err[ERRLEN], perr[512], text[ADDR_HOST_MAX + 64];
	const char *colon = strchr(in, ':'), *rest = colon ? colon + 1 : "";
	size_t tlen = colon ? (size_t)(colon - in) : 0;
	unsigned port = 0;
	int rc, want = 0, kind = -1, given = 0;

	memset(err, 'x', sizeof err);
	rc = addr_parse(in, &a, err, sizeof err);
	CHECK(rc == 0 || rc == -1);

	if (strcmp(in, "-") == 0 || strcmp(in, "stdio") == 0) {
		kind = ADDR_STDIO;
		want = 1;
	} else if (colon == NULL) {
		want = 0;
	} else if ((tlen == 4 && strncmp(in, "pipe", 4) == 0) ||
	    (tlen == 11 && strncmp(in, "pipe-listen", 11) == 0)) {
		kind = tlen == 4 ? ADDR_PIPE : ADDR_PIPE_LISTEN;
		want = rest[0] != '\0' &&
		    pipename_parse(rest, &pn, perr, sizeof perr) == 0 &&
		    (kind == ADDR_PIPE || pn.local);
	} else if ((tlen == 3 && strncmp(in, "tcp", 3) == 0) ||
	    (tlen == 10 && strncmp(in, "tcp-listen", 10) == 0)) {
		kind = tlen == 3 ? ADDR_TCP : ADDR_TCP_LISTEN;
		want = hostport_ok(rest, kind == ADDR_TCP_LISTEN, host, &port,
		    &given);
	} else if (tlen == 6 && strncmp(in, "assuan", 6) == 0) {
		kind = ADDR_ASSUAN;
		want = rest[0] != '\0';
	}
	CHECK(rc == (want ? 0 : -1));
	if (rc != 0) {
		check_message(err, sizeof err);
		CHECK(strlen(err) <= MESSAGE_MAX);
		return;
	}
	CHECK((int)a.kind == kind && a.text == in);
	CHECK(addr_listens(&a) ==
	    (kind == ADDR_PIPE_LISTEN || kind == ADDR_TCP_LISTEN));
	switch (a.kind) {
	case ADDR_PIPE:
	case ADDR_PIPE_LISTEN:
		CHECK(strcmp(a.pipe.full, pn.full) == 0);
		CHECK(a.pipe.local == pn.local);
		break;
	case ADDR_TCP:
	case ADDR_TCP_LISTEN:
		CHECK(strcmp(a.host, host) == 0 && a.port == port);
		if (kind == ADDR_TCP_LISTEN)
			CHECK(a.host_given == given);
		CHECK(addr_is_loopback(a.host) == loopback(a.host));
		addr_tcp_text(kind == ADDR_TCP ? "tcp" : "tcp-listen", a.host,
		    a.port, text, sizeof text);
		CHECK(addr_parse(text, &b, err, sizeof err) == 0);
		CHECK(b.kind == a.kind && b.port == a.port &&
		    strcmp(b.host, a.host) == 0);
		break;
	case ADDR_ASSUAN:
		CHECK(a.file == rest);
		break;
	default:
		break;
	}
}

static void
fuzz_socket_file(const uint8_t *data, size_t size)
{
	unsigned char nonce[ADDR_NONCE_LEN], dummy;
	char err[ERRLEN];
	unsigned port = 0, want = 0;
	size_t i = 0;
	int ok;

	for (; i < size && data[i] >= '0' && data[i] <= '9'; i++)
		if (i < 6)
			want = want * 10 + (unsigned)(data[i] - '0');
	ok = i >= 1 && i <= 6 && i < size && data[i] == '\n' && want >= 1 &&
	    want <= 65535 && size - i - 1 == ADDR_NONCE_LEN;
	memset(err, 'x', sizeof err);
	CHECK(addr_assuan_parse(size ? data : &dummy, size, &port, nonce, err,
	    sizeof err) == (ok ? 0 : -1));
	if (ok) {
		CHECK(port == want);
		CHECK(memcmp(nonce, data + i + 1, ADDR_NONCE_LEN) == 0);
	} else {
		check_message(err, sizeof err);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		fuzz_socket_file(data + 1, size - 1);
		return 0;
	}
	in = fuzz_strdup(data + 1, size - 1);
	fuzz_address(in);
	CHECK(addr_is_loopback(in) == loopback(in));
	free(in);
	return 0;
}
