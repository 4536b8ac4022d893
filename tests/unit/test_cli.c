/*
 * test_cli: unit tests of the relay options serve and connect share
 * (src/cli.c), natively, under AddressSanitizer and UBSan: each option's
 * effect, bad values, and every refused combination.
 */
#include <string.h>

#include "cli.h"
#include "tap.h"

static struct cli_relay
fresh(void)
{
	struct cli_relay c;
	cli_relay_init(&c);
	return c;
}

int
main(void)
{
	struct cli_relay c = fresh();
	char err[256];

	is_int(c.linger_ms, -1, "default: no -q");
	is_int(c.idle_ms, -1, "default: no -i");
	is_int(c.message + c.send_only + c.recv_only + c.verbose + c.quiet, 0,
	    "default: no flags");
	is_int(cli_relay_check(&c, err, sizeof err), 0, "defaults pass the checks");

	is_int(cli_relay_opt(&c, 'm', NULL, err, sizeof err), 1, "-m is shared");
	is_int(c.message, 1, "-m sets message mode");
	is_int(cli_relay_opt(&c, 'v', NULL, err, sizeof err), 1, "-v is shared");
	cli_relay_opt(&c, 'v', NULL, err, sizeof err);
	is_int(c.verbose, 2, "-v repeats");
	is_int(cli_relay_opt(&c, 'q', "0.25", err, sizeof err), 1, "-q 0.25 is accepted");
	is_int(c.linger_ms, 250, "-q is kept in milliseconds");
	is_int(cli_relay_opt(&c, 'q', "0", err, sizeof err), 1, "-q 0 is accepted");
	is_int(c.linger_ms, 0, "-q 0 means close at once");
	is_int(cli_relay_opt(&c, 'i', "3", err, sizeof err), 1, "-i 3 is accepted");
	is_int(c.idle_ms, 3000, "-i in milliseconds");
	is_int(cli_relay_opt(&c, 'w', "3", err, sizeof err), 0, "-w is not a shared option");
	is_int(cli_relay_opt(&c, 'k', NULL, err, sizeof err), 0, "-k is not a shared option");

	c = fresh();
	is_int(cli_relay_opt(&c, 'q', "soon", err, sizeof err), -1, "-q soon is refused");
	is_str(err, "-q: \"soon\" is not a number of seconds", "-q names the bad value");
	is_int(cli_relay_opt(&c, 'q', "inf", err, sizeof err), -1, "-q inf is refused (omit -q instead)");
	is_int(cli_relay_opt(&c, 'i', "0", err, sizeof err), -1, "-i 0 is refused");
	ok(strstr(err, "--idle-timeout") != NULL, "-i 0 message names --idle-timeout");
	is_int(cli_relay_opt(&c, 'i', "-2", err, sizeof err), -1, "-i -2 is refused");
	is_int(c.idle_ms, -1, "a refused -i leaves the value alone");

	c = fresh();
	cli_relay_opt(&c, OPT_SEND_ONLY, NULL, err, sizeof err);
	cli_relay_opt(&c, OPT_RECV_ONLY, NULL, err, sizeof err);
	is_int(cli_relay_check(&c, err, sizeof err), -1, "--send-only with --recv-only is refused");
	is_str(err, "--send-only and --recv-only cannot be combined", "and says why");

	c = fresh();
	cli_relay_opt(&c, 'v', NULL, err, sizeof err);
	cli_relay_opt(&c, OPT_QUIET, NULL, err, sizeof err);
	is_int(cli_relay_check(&c, err, sizeof err), -1, "-v with --quiet is refused");

	c = fresh();
	cli_relay_opt(&c, OPT_SEND_ONLY, NULL, err, sizeof err);
	cli_relay_opt(&c, 'q', "1", err, sizeof err);
	is_int(cli_relay_check(&c, err, sizeof err), -1, "--send-only with -q is refused");
	ok(strstr(err, "--send-only") != NULL, "the message names --send-only");

	c = fresh();
	cli_relay_opt(&c, OPT_RECV_ONLY, NULL, err, sizeof err);
	cli_relay_opt(&c, 'q', "1", err, sizeof err);
	is_int(cli_relay_check(&c, err, sizeof err), -1, "--recv-only with -q is refused");

	c = fresh();
	cli_relay_opt(&c, OPT_RECV_ONLY, NULL, err, sizeof err);
	cli_relay_opt(&c, 'i', "5", err, sizeof err);
	cli_relay_opt(&c, 'm', NULL, err, sizeof err);
	is_int(cli_relay_check(&c, err, sizeof err), 0, "--recv-only with -i and -m is fine");

	c = fresh();
	is_int(cli_relay_check(&c, err, 1), 0, "a tiny error buffer is fine when nothing fails");
	return done_testing();
}
