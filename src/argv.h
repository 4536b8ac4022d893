/*
 * argv: quote an argument vector into one Windows command line, and split a
 * command line back the way the child will.
 *
 * Portable (no windows.h): built natively for unit tests and fuzzing.
 *
 * Why: Windows passes a child one string, not an argv. Each program splits
 * it again, usually with shell32's CommandLineToArgvW or its C runtime's
 * startup code; `pipecat spawn -- COMMAND ARGS...` must build the string so
 * that both give back exactly ARGS (spaces, tabs, quotes, backslashes, empty
 * strings). The rules are those of Daniel Colascione's "Everyone quotes
 * command line arguments the wrong way" (MSDN blogs, 2011) and Microsoft's
 * "Parsing C++ command-line arguments":
 *   - an argument without space, tab, newline, vertical tab or double quote,
 *     and not empty, goes bare: backslashes mean nothing unless a quote
 *     follows them;
 *   - any other is put in double quotes; inside them a run of N backslashes
 *     followed by a quote becomes 2N+1 backslashes and the quote, and a run
 *     of N backslashes at the very end becomes 2N, so that the closing quote
 *     stays a quote; all other backslashes are copied as they are.
 * The program name (argv[0]) is parsed by other rules (no escapes at all, a
 * quote only opens or closes), so it is quoted plainly and may not contain a
 * double quote.
 *
 * Strings are UTF-8 in and out; the caller converts to UTF-16 for
 * CreateProcessW. Only ASCII bytes are special and no UTF-8 sequence holds
 * an ASCII byte, so the rules apply unchanged to either encoding. The
 * command line's length limit (32767 UTF-16 units with the NUL, from
 * CreateProcessW) is the caller's to check, after the conversion.
 */
#ifndef PIPECAT_ARGV_H
#define PIPECAT_ARGV_H

#include <stddef.h>

/*
 * Quotes one argument (not the program name) into OUT, which holds OUTLEN
 * bytes. Always sets *NEEDED (when NEEDED is not NULL) to the bytes the
 * quoted form takes, its NUL included. Returns 0, or -1 when OUTLEN is too
 * small (OUT, if it has room, is then left an empty string, never a cut
 * argument). OUT may be NULL when OUTLEN is 0, to ask for the size.
 */
int argv_quote(const char *arg, char *out, size_t outlen, size_t *needed);

/*
 * Quotes ARGC arguments (ARGV[0] the program name) and joins them with
 * single spaces into a string from malloc, which the caller frees. On
 * failure returns NULL and puts a one-line message (no "pipecat:" prefix,
 * no newline) into ERR, which holds ERRLEN bytes: no arguments, a missing
 * (NULL) one, a program name holding a double quote, or no memory.
 */
char *argv_join(const char *const *argv, int argc, char *err, size_t errlen);

/*
 * Splits CMDLINE as shell32's CommandLineToArgvW does on Windows (as
 * Wine's conformance tests record it, run on real Windows): the program
 * name first, by its own rules, then the arguments, where among consecutive
 * quotes every third one is a literal quote (the pre-2008 Microsoft C
 * runtime's rule for "" inside quotes). An empty CMDLINE gives no arguments
 * (CommandLineToArgvW would return the running program's path). On success
 * returns 0 and sets *ARGV_OUT to a NULL-terminated array from malloc and
 * *ARGC_OUT to its length; free it with argv_free. Returns -1 when out of
 * memory (or CMDLINE is NULL), with *ARGV_OUT NULL and *ARGC_OUT 0.
 */
int argv_split(const char *cmdline, char ***argv_out, int *argc_out);

/*
 * Splits CMDLINE as the Universal C runtime (and Visual C++ 2008 and later)
 * builds main's argv, as "Parsing C++ command-line arguments" documents it:
 * quotes in the program name only open and close, and "" inside quotes is a
 * literal quote that stays inside them. Otherwise as argv_split.
 */
int argv_split_ucrt(const char *cmdline, char ***argv_out, int *argc_out);

/* Frees what argv_split or argv_split_ucrt returned; ARGV may be NULL. */
void argv_free(char **argv, int argc);

/*
 * Why a command names no program to run, or NULL when it names one. ARG is
 * a COMMAND's first word or, with LINE nonzero, a whole command line (spawn
 * -c, serve -e), whose first word after any blanks is the program, split as
 * argv_split does. The reasons: "the command line is empty", "the command
 * line is blank", "the program name is empty", "the program name is blank",
 * "out of memory". (CreateProcessW would say "invalid parameter" or "not
 * found" instead, and serve would say it to every client.)
 */
const char *argv_program_problem(const char *arg, int line);

#endif
