/*
 * cli: the options serve and connect share (how the relay behaves), and
 * those serve and bridge share (who may open the pipe), parsed and checked
 * in one place so the commands accept and reject them alike.
 *
 * Portable (no windows.h): unit-tested natively. Each command lists
 * CLI_RELAY_SHORTOPTS and CLI_RELAY_LONGOPTS in its own option table, offers
 * every option to cli_relay_opt() first, and calls cli_relay_check() once
 * parsing is over (all conflicts in one block, as OpenBSD nc does).
 */
#ifndef PIPECAT_CLI_H
#define PIPECAT_CLI_H

#include <getopt.h>
#include <stddef.h>

/* Codes for long-only options, shared by every command's table. */
enum {
	OPT_SEND_ONLY = 256,
	OPT_RECV_ONLY,
	OPT_QUIET,
	OPT_MAX_CLIENTS,
	OPT_BUFFER,
	OPT_ALLOW_REMOTE,
	OPT_ALLOW_EVERYONE,
	OPT_SDDL,
	OPT_IMPERSONATION,
	OPT_SPLIT,
	OPT_STDIN_PIPE,
	OPT_MAX_INSTANCES,
	OPT_STDERR,
	OPT_PRINT_CLIENT,
	OPT_EOF_MESSAGE,
	OPT_ALLOW
};

struct cli_relay {
	int message;            /* -m */
	int send_only;          /* --send-only */
	int recv_only;          /* --recv-only */
	int verbose;            /* -v, repeatable */
	int quiet;              /* --quiet */
	long long linger_ms;    /* -q SECONDS; -1 when not given */
	long long idle_ms;      /* -i SECONDS; -1 when not given */
	int eof_message;        /* --eof-message */
	int hexdump;            /* -x */
	const char *hexdump_file;       /* -xFILE, --hex-dump=FILE; NULL: stderr */
};

#define CLI_RELAY_SHORTOPTS "mq:i:vx::"
#define CLI_RELAY_LONGOPTS \
	{ "message", no_argument, NULL, 'm' }, \
	{ "hex-dump", optional_argument, NULL, 'x' }, \
	{ "eof-message", no_argument, NULL, OPT_EOF_MESSAGE }, \
	{ "idle-timeout", required_argument, NULL, 'i' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "quiet", no_argument, NULL, OPT_QUIET }, \
	{ "send-only", no_argument, NULL, OPT_SEND_ONLY }, \
	{ "recv-only", no_argument, NULL, OPT_RECV_ONLY }

/* Sets the defaults: nothing given. */
void cli_relay_init(struct cli_relay *c);

/*
 * Offers option OPT (getopt's return) with argument ARG to the shared set.
 * Returns 1 if it was one of them, 0 if not, -1 on a bad value (message in
 * ERR, e.g. `-q: "x" is not a number of seconds`).
 */
int cli_relay_opt(struct cli_relay *c, int opt, const char *arg, char *err,
    size_t errlen);

/* Checks the combinations. Returns 0, or -1 with a message in ERR. */
int cli_relay_check(const struct cli_relay *c, char *err, size_t errlen);

/*
 * Who may open a pipe pipecat serves: serve's and bridge pipe-listen:'s
 * access options, in CLI_ACCESS_LONGOPTS, offered to cli_access_opt() and
 * checked by cli_access_check() the same way. The accounts are looked up
 * when the pipe is made (pipeserver.c), not here.
 */
struct cli_access {
	int remote;             /* --allow-remote */
	int everyone;           /* --allow-everyone */
	const char *sddl;       /* --sddl, or NULL */
	const char **allow;     /* --allow ACCOUNT, repeatable (heap array) */
	size_t nallow;
};

#define CLI_ACCESS_LONGOPTS \
	{ "allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE }, \
	{ "allow-everyone", no_argument, NULL, OPT_ALLOW_EVERYONE }, \
	{ "allow", required_argument, NULL, OPT_ALLOW }, \
	{ "sddl", required_argument, NULL, OPT_SDDL }

/* Sets the defaults: nothing given. */
void cli_access_init(struct cli_access *a);

/* As cli_relay_opt, for the access options; -1 also when memory ran out. */
int cli_access_opt(struct cli_access *a, int opt, const char *arg, char *err,
    size_t errlen);

/* Whether any access option was given. */
int cli_access_given(const struct cli_access *a);

/* Checks the combinations. Returns 0, or -1 with a message in ERR. */
int cli_access_check(const struct cli_access *a, char *err, size_t errlen);

#endif
