/*
 * command: what the subcommands share to talk to the user -- usage and
 * option errors, stdout that may fail.
 * Called by main and the cmd_*.c files only: these print, modules do not.
 */
#ifndef PIPECAT_COMMAND_H
#define PIPECAT_COMMAND_H

#include "exitcode.h"

/*
 * Prints a usage error ("pipecat: CMD: MESSAGE" and a hint to --help) on
 * stderr and returns EXIT_USAGE, so a command can `return usage_error(...)`.
 */
int usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Reports getopt_long's complaint OPT ('?' unknown, ':' missing value, with
 * the optstring starting with ':') as a usage error naming the option.
 */
int option_error(const char *cmd, int opt, char **argv);

/* Prints FMT to stdout; returns 0, or -1 once stdout has failed. */
int printf_stdout(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes TEXT to stdout; returns EXIT_OK, or EXIT_FAIL if stdout failed. */
int print_stdout(const char *text);

#endif
