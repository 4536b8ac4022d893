/*
 * session: a relay of connect or serve from its options to its exit
 * status. connect and serve (one client, or -k) share it: the -x dump
 * opened and the relay made on the std handles from the relay options
 * (cli.h), then for each connection the relay run, the -v totals and the
 * one line its end deserves. Called by commands only: it prints.
 */
#ifndef PIPECAT_SESSION_H
#define PIPECAT_SESSION_H

#include <stddef.h>
#include <windows.h>

#include "cli.h"
#include "relay.h"

/*
 * The relay between stdin/stdout and the pipes to come, configured by C
 * (its -x FILE opened now, so a bad FILE fails before any pipe is opened).
 * Returns NULL with a message in ERR.
 */
struct relay *session_relay(const struct cli_relay *c, char *err, size_t errlen);

/*
 * Relays PIPE (overlapped; NAME in messages) through RL until it ends,
 * closes it, and returns the exit status. With REPORT the -v totals are
 * printed as "GONE NAME: N bytes sent, ...". CMD names the command in the
 * idle line; with --quiet an error is printed only if LAST says the
 * command ends with it (serve -k goes on after a client's error).
 */
int session_run(struct relay *rl, HANDLE pipe, const char *name,
    const char *cmd, const struct cli_relay *c, int report, const char *gone,
    int last);

#endif
