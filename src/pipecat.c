/*
 * pipecat: netcat for Windows pipes.
 *
 * main only sets the process up and dispatches through a table of
 * subcommands, as git.c does; each subcommand lives in src/cmd_NAME.c with
 * its usage text beside its option table. Arguments arrive as UTF-16
 * (wmain, -municode) and are handed to the commands as UTF-8; every path
 * back to Windows converts them to UTF-16 again, so names and arguments
 * survive whatever the console code page is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include <windows.h>

#include "interrupt.h"
#include "command.h"
#include "pipecat.h"
#include "relay.h"
#include "winerr.h"

static const struct command {
	const char *name;
	cmd_fn fn;
	const char *usage;
	const char *summary;
} commands[] = {
	{ "serve", cmd_serve, usage_serve, "host a named pipe and relay its clients" },
	{ "connect", cmd_connect, usage_connect, "open a named pipe and relay it" },
	{ "spawn", cmd_spawn, usage_spawn, "run a program and relay its output" },
	{ "bench", cmd_bench, usage_bench, "measure pipe throughput and latency" },
	{ "info", cmd_info, usage_info, "show what a named pipe is and who serves it" },
	{ "list", cmd_list, usage_list, "list this machine's named pipes" },
	{ "bridge", cmd_bridge, usage_bridge, "relay pipes, TCP and stdio to each other" },
};

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int
main_usage(void)
{
	char text[2048];
	int n = snprintf(text, sizeof text,
	    "usage: pipecat [-hV] COMMAND [OPTIONS] [ARGS]\n"
	    "\n"
	    "netcat for Windows pipes.\n"
	    "\n"
	    "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0] &&
	    n > 0 && (size_t)n < sizeof text; i++)
		n += snprintf(text + n, sizeof text - (size_t)n, "  %-10s %s\n",
		    commands[i].name, commands[i].summary);
	if (n > 0 && (size_t)n < sizeof text)
		snprintf(text + n, sizeof text - (size_t)n,
		    "\n"
		    "  -h, --help      show this help\n"
		    "  -V, --version   show the version\n"
		    "\n"
		    "'pipecat help COMMAND' or 'pipecat COMMAND --help' shows a command's options.\n");
	return print_stdout(text);
}

/*
 * Whether WORD is the long option NAME ("--help") or a prefix of it of at
 * least one letter: global options take unique prefixes, as every
 * command's options do through getopt_long, so there is one rule.
 */
static int
is_long(const char *word, const char *name)
{
	size_t n = strlen(word);
	return n > 2 && n <= strlen(name) && strncmp(word, name, n) == 0;
}

/* argv as UTF-8, for getopt_long and the commands. */
static char **
utf8_argv(int argc, wchar_t **wargv)
{
	char **argv = calloc((size_t)argc + 1, sizeof *argv);
	if (argv == NULL)
		return NULL;
	for (int i = 0; i < argc; i++)
		if ((argv[i] = wide_to_utf8(wargv[i])) == NULL)
			return NULL;
	return argv;
}

int wmain(int argc, wchar_t **wargv);

int
wmain(int argc, wchar_t **wargv)
{
	/* No "program has stopped working" or "insert a disk" dialogs: a
	 * command-line tool reports errors on stderr. */
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);

	char **argv = utf8_argv(argc, wargv);
	if (argv == NULL) {
		say_winerr(GetLastError(), "read the command line");
		return EXIT_FAIL;
	}
	/* Option errors are reported by option_error, as "pipecat: ...". */
	opterr = 0;
	DWORD e = interrupt_init();
	if (e != 0) {
		say_winerr(e, "install the Ctrl-C handler");
		return EXIT_FAIL;
	}

	/* Global options come before the command; "--" ends them. */
	int i = 1;
	if (i < argc && (strcmp(argv[i], "-h") == 0 || is_long(argv[i], "--help")))
		return main_usage();
	if (i < argc && (strcmp(argv[i], "-V") == 0 || is_long(argv[i], "--version"))) {
		/* What a bug report needs: the compiler and MinGW-w64 runtime
		 * that built this exe, and the target, the compiler's own
		 * (-dumpmachine, passed by the Makefile). */
#ifdef __clang__
#define PIPECAT_CC __VERSION__
#else
#define PIPECAT_CC "GCC " __VERSION__
#endif
#ifndef PIPECAT_TARGET
#define PIPECAT_TARGET "Windows"
#endif
		return print_stdout("pipecat " PIPECAT_VERSION "\n"
		    "built with " PIPECAT_CC " and MinGW-w64 " __MINGW64_VERSION_STR
		    " for " PIPECAT_TARGET "\n"
		    "ISC licence: see LICENSE\n");
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		return usage_error(NULL, "a COMMAND is required (serve, connect, spawn, bench, info, list)");
	if (argv[i][0] == '-')
		return usage_error(NULL, "unknown option \"%s\"", argv[i]);

	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 >= argc)
			return main_usage();
		const struct command *c = find_command(argv[i + 1]);
		if (c == NULL)
			return usage_error(NULL, "help: no such command \"%s\"", argv[i + 1]);
		if (i + 2 < argc)
			return usage_error(NULL, "help: unexpected argument \"%s\" after "
			    "COMMAND", argv[i + 2]);
		return print_stdout(c->usage);
	}
	const struct command *c = find_command(argv[i]);
	if (c == NULL)
		return usage_error(NULL, "no such command \"%s\"", argv[i]);
	return c->fn(argc - i, argv + i);
}
