/*
 * pipecat.h: the command table's side of the subcommands -- each command's
 * entry point and usage text, which main dispatches to and prints. What the
 * commands share beyond that is in command.h (helpers) and exitcode.h.
 */
#ifndef PIPECAT_H
#define PIPECAT_H

#ifndef PIPECAT_VERSION
#define PIPECAT_VERSION "dev"
#endif

/* A subcommand: ARGV[0] is the command's name; returns the exit status. */
typedef int (*cmd_fn)(int argc, char **argv);

int cmd_serve(int argc, char **argv);
int cmd_connect(int argc, char **argv);
int cmd_spawn(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_bridge(int argc, char **argv);

/* Each command's usage text, printed by --help and `pipecat help CMD`. */
extern const char usage_serve[];
extern const char usage_connect[];
extern const char usage_spawn[];
extern const char usage_bench[];
extern const char usage_info[];
extern const char usage_list[];
extern const char usage_bridge[];

#endif
