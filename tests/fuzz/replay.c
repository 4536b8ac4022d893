/*
 * replay: a main() for a harness of tests/fuzz/ without libFuzzer.
 *
 *   replay_NAME FILE|DIR...
 *
 * Feeds every FILE, and every regular file in each DIR (in name order, so
 * a run is the same every time), to the harness's LLVMFuzzerTestOneInput,
 * one call each, as libFuzzer replays a corpus. `make check` builds each
 * harness with it and the host compiler under ASan and UBSan, so the
 * corpora are replayed in seconds with no clang; tests/t0004-fuzz-replay.t
 * runs it. A harness that finds its contract broken aborts, which ends
 * this program with SIGABRT; the input being fed is named on stderr first.
 * Prints "replayed N inputs" and exits 0, or 2 when an input cannot be
 * read (an unreadable corpus must not pass for an empty one).
 */
/* opendir and stat are POSIX; -std=c11 alone would hide them. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned long replayed;

/* Reads PATH whole and feeds it. Returns 0, or -1 with a message printed. */
static int
feed(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			nbuf = realloc(buf, cap);
			if (nbuf == NULL) {
				fprintf(stderr, "%s: out of memory\n", path);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		perror(path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* Said before the call: if the harness aborts, this is the input. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	replayed++;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Feeds the regular files of DIR in name order. */
static int
feed_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	char **names = NULL, **nn, *path;
	size_t count = 0, cap = 0, i;
	int rc = 0;

	if (d == NULL) {
		perror(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof *names);
			if (nn == NULL) {
				rc = -1;
				break;
			}
			names = nn;
		}
		path = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (path == NULL) {
			rc = -1;
			break;
		}
		sprintf(path, "%s/%s", dir, de->d_name);
		names[count++] = path;
	}
	closedir(d);
	if (rc != 0)
		fprintf(stderr, "%s: out of memory\n", dir);
	if (count > 0)
		qsort(names, count, sizeof *names, by_name);
	for (i = 0; i < count; i++) {
		if (rc == 0 && stat(names[i], &st) != 0) {
			perror(names[i]);
			rc = -1;
		}
		if (rc == 0 && S_ISREG(st.st_mode) && feed(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 2;
		}
		if ((S_ISDIR(st.st_mode) ? feed_dir(argv[i]) : feed(argv[i])) != 0)
			return 2;
	}
	printf("replayed %lu inputs\n", replayed);
	return 0;
}
