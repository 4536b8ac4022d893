/*
 * command: what the subcommands share to talk to the user; see command.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include <windows.h>

#include "command.h"
#include "winerr.h"

int
print_stdout(const char *text)
{
	HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
	if (!write_text(out, text, strlen(text))) {
		DWORD e = GetLastError();
		/* A reader that went away (| head) is not worth a message. */
		if (!winerr_is_gone(e))
			say_winerr(e, "write stdout");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int
printf_stdout(const char *fmt, ...)
{
	va_list ap;
	char small[512], *text = small;

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof small) {
		if ((text = malloc((size_t)n + 1)) == NULL)
			return -1;
		va_start(ap, fmt);
		vsnprintf(text, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	int r = print_stdout(text) == EXIT_OK ? 0 : -1;
	if (text != small)
		free(text);
	return r;
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
	if (fmt != NULL) {
		char msg[2048];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		if (cmd != NULL)
			say("%s: %s", cmd, msg);
		else
			say("%s", msg);
	}
	if (cmd != NULL)
		say("try 'pipecat %s --help'", cmd);
	else
		say("try 'pipecat --help'");
	return EXIT_USAGE;
}

int
option_error(const char *cmd, int opt, char **argv)
{
	const char *word = optind > 0 ? argv[optind - 1] : "";
	const char *eq = strchr(word, '=');
	/* "--flag=VALUE" for an option that takes none: getopt_long reports
	 * it like a missing value, or as unknown. */
	if (word[0] == '-' && word[1] == '-' && eq != NULL)
		return usage_error(cmd, "%.*s takes no value", (int)(eq - word), word);
	if (opt == ':')
		return usage_error(cmd, "%s needs a value", word);
	if (optopt > 0 && optopt < 256 && (word[0] != '-' || word[1] != '-'))
		return usage_error(cmd, "unknown option \"-%c\"", optopt);
	return usage_error(cmd, "unknown option \"%s\"", word);
}
