/*
 * broker: serve -b. Every client's data goes to all other clients and to
 * stdout; stdin goes to all clients. Message boundaries are kept with -m.
 */
#ifndef PIPECAT_BROKER_H
#define PIPECAT_BROKER_H

#include <windows.h>

#include "pipeserver.h"

/* WaitForMultipleObjects takes 64 handles: 4 fixed, 2 per client. */
#define BROKER_MAX_CLIENTS 30

/* A client with more than this waiting for it is too slow, and is cut off. */
#define BROKER_QUEUE_LIMIT (4u << 20)

struct broker_cfg {
	int max_at_once;        /* clients connected at once, <= BROKER_MAX_CLIENTS */
	long long max_clients;  /* end after this many clients have come and gone; 0 never */
	int message;            /* message pipe */
	int verbose, quiet;
};

/*
 * Runs the broker on server S, whose first instance FIRST is created but
 * not armed, until Ctrl-C (EXIT_INTR), stdout's reader goes away or
 * max_clients is reached (EXIT_OK), or a failure (EXIT_FAIL, reported).
 * Per-client events and failures are reported on stderr and end that
 * client only.
 */
int broker_run(struct server *s, struct instance *first, const struct broker_cfg *cfg);

#endif
