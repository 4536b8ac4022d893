/*
 * cli: the relay options serve and connect share; see cli.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "opts.h"

void
cli_relay_init(struct cli_relay *c)
{
	c->message = 0;
	c->send_only = 0;
	c->recv_only = 0;
	c->verbose = 0;
	c->quiet = 0;
	c->linger_ms = -1;
	c->idle_ms = -1;
	c->eof_message = 0;
	c->hexdump = 0;
	c->hexdump_file = NULL;
}

int
cli_relay_opt(struct cli_relay *c, int opt, const char *arg, char *err,
    size_t errlen)
{
	switch (opt) {
	case 'm':
		c->message = 1;
		return 1;
	case 'q':
		return opt_seconds("-q", arg, 0, &c->linger_ms, err, errlen) == 0 ? 1 : -1;
	case 'i': {
		long long ms;
		if (opt_seconds("--idle-timeout", arg, 0, &ms, err, errlen) != 0)
			return -1;
		if (ms == 0) {
			snprintf(err, errlen, "--idle-timeout: must be more than 0 seconds");
			return -1;
		}
		c->idle_ms = ms;
		return 1;
	}
	case 'v':
		c->verbose++;
		return 1;
	case 'x':
		if (arg != NULL && arg[0] == '\0') {
			snprintf(err, errlen, "--hex-dump: the file name is empty");
			return -1;
		}
		c->hexdump = 1;
		c->hexdump_file = arg;
		return 1;
	case OPT_QUIET:
		c->quiet = 1;
		return 1;
	case OPT_EOF_MESSAGE:
		c->eof_message = 1;
		return 1;
	case OPT_SEND_ONLY:
		c->send_only = 1;
		return 1;
	case OPT_RECV_ONLY:
		c->recv_only = 1;
		return 1;
	default:
		return 0;
	}
}

int
cli_relay_check(const struct cli_relay *c, char *err, size_t errlen)
{
	if (c->eof_message && !c->message) {
		snprintf(err, errlen, "--eof-message needs -m (a message pipe)");
		return -1;
	}
	if (c->eof_message && c->recv_only) {
		snprintf(err, errlen, "--eof-message and --recv-only cannot be combined");
		return -1;
	}
	if (c->send_only && c->recv_only) {
		snprintf(err, errlen, "--send-only and --recv-only cannot be combined");
		return -1;
	}
	if (c->quiet && c->verbose) {
		snprintf(err, errlen, "--quiet and -v cannot be combined");
		return -1;
	}
	if (c->send_only && c->linger_ms >= 0) {
		snprintf(err, errlen, "-q has no effect with --send-only, which closes at stdin EOF");
		return -1;
	}
	if (c->recv_only && c->linger_ms >= 0) {
		snprintf(err, errlen, "-q has no effect with --recv-only, which does not read stdin");
		return -1;
	}
	return 0;
}

void
cli_access_init(struct cli_access *a)
{
	a->remote = 0;
	a->everyone = 0;
	a->sddl = NULL;
	a->allow = NULL;
	a->nallow = 0;
}

int
cli_access_opt(struct cli_access *a, int opt, const char *arg, char *err,
    size_t errlen)
{
	switch (opt) {
	case OPT_ALLOW_REMOTE:
		a->remote = 1;
		return 1;
	case OPT_ALLOW_EVERYONE:
		a->everyone = 1;
		return 1;
	case OPT_SDDL:
		if (arg[0] == '\0') {
			snprintf(err, errlen, "--sddl: the security descriptor is empty");
			return -1;
		}
		a->sddl = arg;
		return 1;
	case OPT_ALLOW: {
		if (arg[0] == '\0') {
			snprintf(err, errlen, "--allow: the account is empty");
			return -1;
		}
		const char **n = realloc(a->allow, (a->nallow + 1) * sizeof *n);
		if (n == NULL) {
			snprintf(err, errlen, "--allow: out of memory");
			return -1;
		}
		a->allow = n;
		a->allow[a->nallow++] = arg;
		return 1;
	}
	default:
		return 0;
	}
}

int
cli_access_given(const struct cli_access *a)
{
	return a->remote || a->everyone || a->sddl != NULL || a->nallow > 0;
}

int
cli_access_check(const struct cli_access *a, char *err, size_t errlen)
{
	if (a->sddl != NULL && a->nallow > 0) {
		snprintf(err, errlen, "--sddl and --allow cannot be combined");
		return -1;
	}
	if (a->sddl != NULL && a->everyone) {
		snprintf(err, errlen, "--sddl and --allow-everyone cannot be combined");
		return -1;
	}
	return 0;
}
