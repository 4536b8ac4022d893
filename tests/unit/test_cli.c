/*
 * test_cli: unit tests of the relay options serve and connect share and of
 * the access options of serve and bridge (src/cli.c), natively, under
 * AddressSanitizer and UBSan: each option's effect, bad values, and every
 * refused combination.
 */
#include <stdlib.h>
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

	/* The access options of serve and bridge pipe-listen:. */
	struct cli_access a;
	cli_access_init(&a);
	ok(!cli_access_given(&a), "no access option: none given");
	is_int(cli_access_check(&a, err, sizeof err), 0, "defaults pass the checks");
	is_int(cli_access_opt(&a, 'v', NULL, err, sizeof err), 0, "-v is not an access option");
	is_int(cli_access_opt(&a, OPT_ALLOW, "Users", err, sizeof err), 1, "--allow Users");
	is_int(cli_access_opt(&a, OPT_ALLOW, "S-1-5-32-544", err, sizeof err), 1, "a second --allow");
	is_int((int)a.nallow, 2, "--allow is repeatable");
	ok(a.nallow == 2 && strcmp(a.allow[0], "Users") == 0 &&
	    strcmp(a.allow[1], "S-1-5-32-544") == 0, "in the order given");
	ok(cli_access_given(&a), "--allow counts as given");
	is_int(cli_access_opt(&a, OPT_ALLOW, "", err, sizeof err), -1, "an empty --allow is refused");
	is_str(err, "--allow: the account is empty", "and says why");
	is_int(cli_access_opt(&a, OPT_SDDL, "", err, sizeof err), -1, "an empty --sddl is refused");
	is_str(err, "--sddl: the security descriptor is empty", "and says why");
	is_int(cli_access_opt(&a, OPT_SDDL, "D:P", err, sizeof err), 1, "--sddl D:P");
	is_int(cli_access_check(&a, err, sizeof err), -1, "--sddl with --allow is refused");
	is_str(err, "--sddl and --allow cannot be combined", "and says why");
	free(a.allow);
	cli_access_init(&a);
	cli_access_opt(&a, OPT_ALLOW_EVERYONE, NULL, err, sizeof err);
	cli_access_opt(&a, OPT_SDDL, "D:P", err, sizeof err);
	is_int(cli_access_check(&a, err, sizeof err), -1, "--sddl with --allow-everyone is refused");
	is_str(err, "--sddl and --allow-everyone cannot be combined", "and says why");
	cli_access_init(&a);
	is_int(cli_access_opt(&a, OPT_ALLOW_REMOTE, NULL, err, sizeof err), 1, "--allow-remote");
	ok(a.remote && cli_access_given(&a), "--allow-remote counts as given");
	return done_testing();
}
