/*
 * pipecat.h: what the subcommands share — exit codes, the command table's
 * signature, and the output helpers every command uses to talk to the user.
 */
#ifndef PIPECAT_H
#define PIPECAT_H

#include <stddef.h>

#ifndef PIPECAT_VERSION
#define PIPECAT_VERSION "dev"
#endif

/* Exit status of every subcommand but spawn (SPEC "Exit status"). */
enum {
	EXIT_OK = 0,        /* done */
	EXIT_FAIL = 1,      /* runtime failure: I/O error, peer error */
	EXIT_USAGE = 2,     /* usage error */
	EXIT_NOTFOUND = 3,  /* pipe not found */
	EXIT_BUSY = 4,      /* pipe busy, or a wait timed out */
	EXIT_DENIED = 5,    /* access denied, or name already in use */
	EXIT_IDLE = 6,      /* idle timeout (-i) */
	EXIT_INTR = 130     /* interrupted (Ctrl-C) */
};

/* A subcommand: ARGV[0] is the command's name; returns the exit status. */
typedef int (*cmd_fn)(int argc, char **argv);

int cmd_serve(int argc, char **argv);
int cmd_connect(int argc, char **argv);
int cmd_spawn(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);

/* Each command's usage text, printed by --help and `pipecat help CMD`. */
extern const char usage_serve[];
extern const char usage_connect[];
extern const char usage_spawn[];
extern const char usage_bench[];
extern const char usage_info[];
extern const char usage_list[];

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

/* The exit status for a Win32 error from opening or creating a pipe. */
int exit_code_for(unsigned long winerr);

/*
 * Turns how a relay ended into the exit status, printing the one line the
 * end deserves. CMD and NAME say what was being relayed; IDLE_MS is -i's
 * value; ERR the relay's error text; END an enum relay_end. With QUIET the
 * idle line is not printed, nor an error unless LAST says the command ends
 * with it (serve -k goes on after a client's error).
 */
int relay_exit(int end, const char *cmd, const char *name, long long idle_ms,
    const char *err, int quiet, int last);

#endif
