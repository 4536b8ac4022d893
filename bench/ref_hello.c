/*
 * ref_hello: prints one line and exits, as `pipecat --version` does: the
 * start-up time and memory floor of a static MinGW program under this
 * system, for bench/compare.sh.
 */
#include "ref.h"

int
main(void)
{
	static const char line[] = "ref_hello 1\n";
	return ref_write_all(GetStdHandle(STD_OUTPUT_HANDLE), line,
	    sizeof line - 1) == 0 ? 0 : 1;
}
