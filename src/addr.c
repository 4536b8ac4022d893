/*
 * addr: a bridge ADDRESS parsed and checked; see addr.h.
 *
 * The split is on the first colon for the type, then, for TCP, on the last
 * colon for the port: a host name has no colon, and an IPv6 literal, which
 * has several, must be bracketed (as in URLs, RFC 3986), so "tcp:::1:80" is
 * refused with a hint rather than guessed at.
 */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "utf8.h"

/* How much of the ADDRESS a message quotes, and of a port or a type. */
#define QUOTE_BYTES 60
#define QUOTE_PART 20

static const char kinds[] = "-, stdio, pipe:NAME, pipe-listen:NAME, "
    "tcp:HOST:PORT, tcp-listen:[ADDR:]PORT, assuan:FILE";

/* Parses a port: decimal, no sign, in [MIN, 65535]. */
static int
parse_port(const char *in, const char *s, unsigned min, unsigned *port,
    char *err, size_t errlen)
{
	char q[UTF8_QUOTE_SIZE(QUOTE_PART)];
	unsigned long v = 0;
	if (*s == '\0') {
		utf8_format(err, errlen, "%s: the port is empty", in);
		return -1;
	}
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			utf8_format(err, errlen, "%s: %s is not a port number "
			    "(%u to 65535)", in, utf8_quote(q, QUOTE_PART, s, 1),
			    min);
			return -1;
		}
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 65535)
			break;
	}
	if (v < min || v > 65535) {
		utf8_format(err, errlen, "%s: port %s is out of range (%u to 65535)",
		    in, utf8_quote(q, QUOTE_PART, s, 0), min);
		return -1;
	}
	*port = (unsigned)v;
	return 0;
}

/*
 * Splits REST ("HOST:PORT", "[V6]:PORT", or, when PORT_ONLY_OK, "PORT")
 * into out->host and out->port.
 */
static int
parse_hostport(const char *in, const char *rest, int port_only_ok,
    unsigned min_port, struct addr *out, char *err, size_t errlen)
{
	const char *form = port_only_ok ? "tcp-listen:[ADDR:]PORT" : "tcp:HOST:PORT";
	const char *host = rest, *hend, *port;

	if (rest[0] == '[') {
		const char *close = strchr(rest, ']');
		if (close == NULL) {
			utf8_format(err, errlen, "%s: \"[\" without \"]\" around the "
			    "address (%s)", in, form);
			return -1;
		}
		host = rest + 1;
		hend = close;
		if (close[1] != ':') {
			utf8_format(err, errlen, close[1] == '\0'
			    ? "%s: a port is required after the address (%s)"
			    : "%s: \":PORT\" must follow \"]\" (%s)", in, form);
			return -1;
		}
		port = close + 2;
	} else {
		const char *colon = strrchr(rest, ':');
		if (colon == NULL) {
			if (!port_only_ok) {
				utf8_format(err, errlen, "%s: a port is required (%s)",
				    in, form);
				return -1;
			}
			out->host_given = 0;
			snprintf(out->host, sizeof out->host, "127.0.0.1");
			return parse_port(in, rest, min_port, &out->port, err, errlen);
		}
		if (memchr(rest, ':', (size_t)(colon - rest)) != NULL) {
			utf8_format(err, errlen, "%s: an IPv6 address goes in brackets, "
			    "as in %s", in, port_only_ok ? "tcp-listen:[::1]:PORT"
			    : "tcp:[::1]:PORT");
			return -1;
		}
		hend = colon;
		port = colon + 1;
	}
	size_t hlen = (size_t)(hend - host);
	if (hlen == 0) {
		utf8_format(err, errlen, "%s: the %s is empty (%s)", in,
		    port_only_ok ? "address" : "host", form);
		return -1;
	}
	if (hlen > ADDR_HOST_MAX) {
		utf8_format(err, errlen, "%s: the host is longer than %d bytes", in,
		    ADDR_HOST_MAX);
		return -1;
	}
	for (size_t i = 0; i < hlen; i++) {
		unsigned char ch = (unsigned char)host[i];
		if (ch <= ' ' || ch == 0x7f || ch == '/' || ch == '\\' ||
		    ch == '[' || ch == ']') {
			utf8_format(err, errlen, "%s: the host may not contain "
			    "spaces, control characters, slashes or brackets", in);
			return -1;
		}
	}
	memcpy(out->host, host, hlen);
	out->host[hlen] = '\0';
	out->host_given = 1;
	return parse_port(in, port, min_port, &out->port, err, errlen);
}

int
addr_parse(const char *in, struct addr *out, char *err, size_t errlen)
{
	char q[UTF8_QUOTE_SIZE(QUOTE_BYTES)];
	memset(out, 0, sizeof *out);
	out->text = in;
	if (strcmp(in, "-") == 0 || strcmp(in, "stdio") == 0) {
		out->kind = ADDR_STDIO;
		return 0;
	}
	const char *colon = strchr(in, ':');
	utf8_quote(q, QUOTE_BYTES, in, 0);
	if (colon == NULL) {
		if (in[0] == '\0')
			utf8_format(err, errlen, "an ADDRESS is empty (one of %s)", kinds);
		else
			utf8_format(err, errlen, "\"%s\" is not an address: no TYPE: "
			    "(one of %s; a pipe is pipe:%s)", q, kinds, q);
		return -1;
	}
	size_t tlen = (size_t)(colon - in);
	const char *rest = colon + 1;
#define IS(word) (tlen == sizeof word - 1 && strncmp(in, word, tlen) == 0)
	if (IS("pipe") || IS("pipe-listen")) {
		out->kind = IS("pipe") ? ADDR_PIPE : ADDR_PIPE_LISTEN;
		char perr[512];
		if (rest[0] == '\0') {
			utf8_format(err, errlen, "%s: the pipe NAME is empty", q);
			return -1;
		}
		if (pipename_parse(rest, &out->pipe, perr, sizeof perr) != 0) {
			utf8_format(err, errlen, "%s: %s", q, perr);
			return -1;
		}
		if (out->kind == ADDR_PIPE_LISTEN && !out->pipe.local) {
			utf8_format(err, errlen, "%s: %s is on another machine; only "
			    "local names (\\\\.\\pipe\\NAME) can be hosted", q,
			    out->pipe.full);
			return -1;
		}
		return 0;
	}
	if (IS("tcp")) {
		out->kind = ADDR_TCP;
		if (rest[0] == '\0') {
			utf8_format(err, errlen, "%s: a host and port are required "
			    "(tcp:HOST:PORT)", q);
			return -1;
		}
		return parse_hostport(q, rest, 0, 1, out, err, errlen);
	}
	if (IS("tcp-listen")) {
		out->kind = ADDR_TCP_LISTEN;
		if (rest[0] == '\0') {
			utf8_format(err, errlen, "%s: a port is required "
			    "(tcp-listen:[ADDR:]PORT; 0 lets the system choose)", q);
			return -1;
		}
		return parse_hostport(q, rest, 1, 0, out, err, errlen);
	}
	if (IS("assuan")) {
		out->kind = ADDR_ASSUAN;
		if (rest[0] == '\0') {
			utf8_format(err, errlen, "%s: the socket FILE is empty "
			    "(assuan:FILE, e.g. the path gpgconf --list-dirs "
			    "agent-socket prints)", q);
			return -1;
		}
		out->file = rest;
		return 0;
	}
#undef IS
	/* The TYPE alone, at most QUOTE_PART bytes of it. */
	char type[QUOTE_PART + 1], tq[UTF8_QUOTE_SIZE(QUOTE_PART)];
	size_t shown = tlen > QUOTE_PART ? QUOTE_PART : tlen;
	memcpy(type, in, shown);
	type[shown] = '\0';
	utf8_format(err, errlen, "%s: unknown address type \"%s%s:\" (one of %s)",
	    q, utf8_quote(tq, QUOTE_PART, type, 0), tlen > shown ? "..." : "",
	    kinds);
	return -1;
}

int
addr_listens(const struct addr *a)
{
	return a->kind == ADDR_PIPE_LISTEN || a->kind == ADDR_TCP_LISTEN;
}

int
addr_is_loopback(const char *host)
{
	if (strcmp(host, "::1") == 0 || strcmp(host, "localhost") == 0)
		return 1;
	/* 127.0.0.0/8, written as four decimal parts. */
	unsigned parts = 0, v = 0, digits = 0, first = 0;
	for (const char *p = host;; p++) {
		if (*p >= '0' && *p <= '9') {
			v = v * 10 + (unsigned)(*p - '0');
			if (++digits > 3 || v > 255)
				return 0;
		} else if (*p == '.' || *p == '\0') {
			if (digits == 0)
				return 0;
			if (parts == 0)
				first = v;
			parts++;
			v = digits = 0;
			if (*p == '\0')
				break;
		} else
			return 0;
	}
	return parts == 4 && first == 127;
}

void
addr_tcp_text(const char *prefix, const char *host, unsigned port, char *buf,
    size_t len)
{
	if (strchr(host, ':') != NULL)
		snprintf(buf, len, "%s:[%s]:%u", prefix, host, port);
	else
		snprintf(buf, len, "%s:%s:%u", prefix, host, port);
}

int
addr_assuan_parse(const unsigned char *data, size_t len, unsigned *port,
    unsigned char nonce[ADDR_NONCE_LEN], char *err, size_t errlen)
{
	/* libassuan writes "PORT\n" and 16 random bytes; Cygwin's emulation
	 * ("!<socket >...") is another format, not gpg-agent's default. */
	static const char cygwin[] = "!<socket >";
	if (len >= sizeof cygwin - 1 && memcmp(data, cygwin, sizeof cygwin - 1) == 0) {
		utf8_format(err, errlen, "a Cygwin socket file, not gpg-agent's "
		    "(\"PORT\\n\" and a 16-byte nonce)");
		return -1;
	}
	size_t i = 0;
	unsigned long v = 0;
	while (i < len && i < 6 && data[i] >= '0' && data[i] <= '9')
		v = v * 10 + (unsigned long)(data[i++] - '0');
	if (i == 0 || i == len || data[i] != '\n') {
		utf8_format(err, errlen, "not a gpg-agent socket file: it does not "
		    "start with a port number and a newline");
		return -1;
	}
	if (v < 1 || v > 65535) {
		utf8_format(err, errlen, "not a gpg-agent socket file: port %lu is out "
		    "of range (1 to 65535)", v);
		return -1;
	}
	if (len - i - 1 != ADDR_NONCE_LEN) {
		utf8_format(err, errlen, "not a gpg-agent socket file: %zu bytes "
		    "follow the port, not a %d-byte nonce", len - i - 1,
		    ADDR_NONCE_LEN);
		return -1;
	}
	*port = (unsigned)v;
	memcpy(nonce, data + i + 1, ADDR_NONCE_LEN);
	return 0;
}
