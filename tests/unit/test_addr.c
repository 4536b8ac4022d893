/*
 * test_addr: unit tests of bridge ADDRESS parsing (src/addr.c), natively,
 * under AddressSanitizer and UBSan: every form, and each broken rule's
 * message.
 */
#include <string.h>

#include "addr.h"
#include "tap.h"

static struct addr a;
static char err[512];

static int
parse(const char *s)
{
	err[0] = '\0';
	return addr_parse(s, &a, err, sizeof err);
}

/* Parsing S fails with a message containing WANT. */
static void
refused(const char *s, const char *want)
{
	int r = parse(s);
	ok(r == -1 && strstr(err, want) != NULL, "%s is refused: %s", s, want);
	if (r != -1 || strstr(err, want) == NULL)
		diag("got %d, \"%s\"", r, err);
}

int
main(void)
{
	unsigned char nonce[ADDR_NONCE_LEN];
	unsigned port;
	char buf[300];

	is_int(parse("-"), 0, "- is an address");
	is_int((int)a.kind, ADDR_STDIO, "- is stdio");
	is_int(parse("stdio"), 0, "stdio is an address");
	is_int((int)a.kind, ADDR_STDIO, "stdio is stdio");

	is_int(parse("pipe:foo"), 0, "pipe:foo");
	is_int((int)a.kind, ADDR_PIPE, "pipe: is a pipe client");
	is_str(a.pipe.full, "\\\\.\\pipe\\foo", "pipe:foo is \\\\.\\pipe\\foo");
	is_int(parse("pipe://srv/pipe/x"), 0, "pipe://srv/pipe/x");
	is_str(a.pipe.full, "\\\\srv\\pipe\\x", "a remote pipe keeps its host");
	is_int(a.pipe.local, 0, "and is not local");
	is_int(parse("pipe:a:b"), 0, "a colon inside a pipe name is the name's");
	is_str(a.pipe.full, "\\\\.\\pipe\\a:b", "pipe:a:b is \\\\.\\pipe\\a:b");
	is_int(parse("pipe-listen:docker_engine"), 0, "pipe-listen:NAME");
	is_int((int)a.kind, ADDR_PIPE_LISTEN, "pipe-listen: hosts a pipe");
	is_int(addr_listens(&a), 1, "pipe-listen listens");
	refused("pipe-listen://srv/pipe/x", "only local names");
	refused("pipe:", "the pipe NAME is empty");
	refused("pipe-listen:", "the pipe NAME is empty");
	refused("pipe:\\\\.\\pipe\\", "pipe:");

	is_int(parse("tcp:example.org:80"), 0, "tcp:HOST:PORT");
	is_int((int)a.kind, ADDR_TCP, "tcp: connects");
	is_str(a.host, "example.org", "the host");
	is_int((int)a.port, 80, "the port");
	is_int(addr_listens(&a), 0, "tcp: does not listen");
	is_int(parse("tcp:[::1]:8080"), 0, "tcp:[::1]:PORT");
	is_str(a.host, "::1", "brackets are removed");
	is_int((int)a.port, 8080, "the port after brackets");
	is_int(parse("tcp:127.0.0.1:65535"), 0, "port 65535");
	refused("tcp:127.0.0.1:65536", "out of range (1 to 65535)");
	refused("tcp:127.0.0.1:0", "out of range (1 to 65535)");
	refused("tcp:127.0.0.1:99999999999999999999", "out of range");
	refused("tcp:127.0.0.1:http", "\"http\" is not a port number");
	refused("tcp:127.0.0.1:-1", "is not a port number");
	refused("tcp:127.0.0.1:", "the port is empty");
	refused("tcp:host", "a port is required (tcp:HOST:PORT)");
	refused("tcp:", "a host and port are required");
	refused("tcp::80", "the host is empty");
	refused("tcp:::1:80", "an IPv6 address goes in brackets");
	refused("tcp:[::1:80", "\"[\" without \"]\"");
	refused("tcp:[::1]", "a port is required after the address");
	refused("tcp:[::1]80", "\":PORT\" must follow \"]\"");
	refused("tcp:[]:80", "the host is empty");
	refused("tcp:a b:80", "may not contain spaces");
	refused("tcp:a/b:80", "slashes");

	is_int(parse("tcp-listen:0"), 0, "tcp-listen:0");
	is_int((int)a.kind, ADDR_TCP_LISTEN, "tcp-listen: listens");
	is_str(a.host, "127.0.0.1", "tcp-listen defaults to loopback");
	is_int(a.host_given, 0, "...and says the address was not given");
	is_int((int)a.port, 0, "port 0: the system chooses");
	is_int(parse("tcp-listen:0.0.0.0:2375"), 0, "tcp-listen:ADDR:PORT");
	is_str(a.host, "0.0.0.0", "the address given");
	is_int(a.host_given, 1, "...given");
	is_int(parse("tcp-listen:[::]:22"), 0, "tcp-listen:[::]:PORT");
	is_str(a.host, "::", "IPv6 any");
	refused("tcp-listen:", "a port is required");
	refused("tcp-listen:x", "\"x\" is not a port number (0 to 65535)");
	refused("tcp-listen:70000", "out of range (0 to 65535)");
	refused("tcp-listen:::1:80", "tcp-listen:[::1]:PORT");

	is_int(parse("assuan:C:\\Users\\me\\S.gpg-agent"), 0, "assuan:FILE");
	is_int((int)a.kind, ADDR_ASSUAN, "assuan: is gpg-agent's");
	is_str(a.file, "C:\\Users\\me\\S.gpg-agent", "the file, colon and all");
	refused("assuan:", "the socket FILE is empty");

	refused("", "an ADDRESS is empty");
	refused("foo", "a pipe is pipe:foo");
	refused("udp:1.2.3.4:5", "unknown address type \"udp:\"");
	refused("unix:/tmp/x", "unknown address type \"unix:\"");
	refused("TCP:h:1", "unknown address type \"TCP:\"");

	/*
	 * The ADDRESS is user input: messages quote it as every message does,
	 * controls and broken bytes as "?", shortened (found by
	 * tests/fuzz/fuzz_addr.c: the raw text reached the message).
	 */
	refused("\x1b[2J", "\"?[2J\" is not an address");
	ok(strchr(err, '\x1b') == NULL, "...with no escape character in it");
	refused("tcp:h:\x1b[31m", "\"?[31m\" is not a port number");
	refused("\x1b]0;x\x07:y", "unknown address type \"?]0;x?:\"");
	refused("tcp:\xc3 :80", "tcp:? :80: the host may not contain");
	{
		char lng[3000];

		memset(lng, 'x', sizeof lng);
		memcpy(lng + sizeof lng - 3, ":1", 3);
		refused(lng, "unknown address type \"xxxxxxxxxxxxxxxxxxxx...:\"");
		ok(strlen(err) < 300, "a long ADDRESS is shortened in the "
		    "message (%zu bytes)", strlen(err));
	}

	ok(addr_is_loopback("127.0.0.1"), "127.0.0.1 is loopback");
	ok(addr_is_loopback("127.1.2.3"), "127.1.2.3 is loopback");
	ok(addr_is_loopback("::1"), "::1 is loopback");
	ok(addr_is_loopback("localhost"), "localhost is loopback");
	ok(!addr_is_loopback("0.0.0.0"), "0.0.0.0 is not");
	ok(!addr_is_loopback("::"), ":: is not");
	ok(!addr_is_loopback("127.0.0"), "127.0.0 is not an address");
	ok(!addr_is_loopback("127.0.0.256"), "127.0.0.256 is not");
	ok(!addr_is_loopback("1270.0.0.1"), "1270.0.0.1 is not");
	ok(!addr_is_loopback("192.168.1.2"), "192.168.1.2 is not");

	addr_tcp_text("tcp", "::1", 80, buf, sizeof buf);
	is_str(buf, "tcp:[::1]:80", "IPv6 is bracketed in messages");
	addr_tcp_text("tcp-listen", "127.0.0.1", 5, buf, sizeof buf);
	is_str(buf, "tcp-listen:127.0.0.1:5", "IPv4 is not");

	static const unsigned char good[] = "49152\n0123456789abcdef";
	is_int(addr_assuan_parse(good, sizeof good - 1, &port, nonce, err, sizeof err),
	    0, "a gpg-agent socket file");
	is_int((int)port, 49152, "its port");
	ok(memcmp(nonce, "0123456789abcdef", 16) == 0, "its nonce");
	static const unsigned char nl[] = "1\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n";
	is_int(addr_assuan_parse(nl, sizeof nl - 1, &port, nonce, err, sizeof err),
	    0, "a nonce of newlines is a nonce");
	static const unsigned char zero[] = "1\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	is_int(addr_assuan_parse(zero, sizeof zero - 1, &port, nonce, err, sizeof err),
	    0, "a nonce of zero bytes is a nonce");
	static const unsigned char shorter[] = "49152\n0123456789abcde";
	is_int(addr_assuan_parse(shorter, sizeof shorter - 1, &port, nonce, err,
	    sizeof err), -1, "a short nonce is refused");
	ok(strstr(err, "15 bytes follow the port, not a 16-byte nonce") != NULL,
	    "...saying how long it is");
	static const unsigned char noport[] = "\n0123456789abcdef";
	is_int(addr_assuan_parse(noport, sizeof noport - 1, &port, nonce, err,
	    sizeof err), -1, "no port is refused");
	ok(strstr(err, "does not start with a port number") != NULL, "...saying so");
	static const unsigned char big[] = "65536\n0123456789abcdef";
	is_int(addr_assuan_parse(big, sizeof big - 1, &port, nonce, err, sizeof err),
	    -1, "port 65536 is refused");
	static const unsigned char z[] = "0\n0123456789abcdef";
	is_int(addr_assuan_parse(z, sizeof z - 1, &port, nonce, err, sizeof err),
	    -1, "port 0 is refused");
	static const unsigned char cyg[] = "!<socket >4711 s 01234567-89abcdef-01234567-89abcdef";
	is_int(addr_assuan_parse(cyg, sizeof cyg - 1, &port, nonce, err, sizeof err),
	    -1, "Cygwin's socket file is refused");
	ok(strstr(err, "Cygwin") != NULL, "...by name");
	is_int(addr_assuan_parse(good, 0, &port, nonce, err, sizeof err), -1,
	    "an empty file is refused");
	static const unsigned char digits[] = "1234567";
	is_int(addr_assuan_parse(digits, sizeof digits - 1, &port, nonce, err,
	    sizeof err), -1, "digits without a newline are refused");

	return done_testing();
}
