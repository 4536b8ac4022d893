/*
 * fuzz_cli: the relay options serve and connect share (src/cli.c), offered
 * in any order and number, then checked together.
 *
 * Input: records, each a byte naming an option from the table below (its
 * low bits) and whether a -x has no FILE (bit 7), then, for an option that
 * takes a value, the value up to a NUL. Checked:
 *   - each option is taken (1), refused (-1) or not one of the set (0)
 *     exactly as the header says, a value going through opts.c's parser
 *     (fuzzed on its own by fuzz_opts) and -i 0 refused;
 *   - an option not taken, or refused, changes nothing in the struct;
 *   - the struct ends up as a model kept here says (flags, the -v count,
 *     the last -q and -i, the last -x and its FILE);
 *   - cli_relay_check refuses exactly the combinations the man page
 *     refuses, each with a one-line message naming an option, and accepts
 *     all others;
 *   - every message, cut to a short buffer, is the same message cut.
 */
#include "cli.h"
#include "fuzz.h"
#include "opts.h"

#define ERRLEN 256

static const int options[16] = {
	'm', 'q', 'i', 'v', 'x', OPT_QUIET, OPT_EOF_MESSAGE, OPT_SEND_ONLY,
	OPT_RECV_ONLY, 'k', 'e', OPT_MAX_CLIENTS, OPT_BUFFER, 'b', 0, -1,
};

static int
takes_value(int opt)
{
	return opt == 'q' || opt == 'i' || opt == 'x' ||
	    opt == OPT_MAX_CLIENTS || opt == OPT_BUFFER || opt == 'e';
}

/* Field by field: a struct's padding is no part of its value. */
static int
same(const struct cli_relay *a, const struct cli_relay *b)
{
	return a->message == b->message && a->send_only == b->send_only &&
	    a->recv_only == b->recv_only && a->verbose == b->verbose &&
	    a->quiet == b->quiet && a->linger_ms == b->linger_ms &&
	    a->idle_ms == b->idle_ms && a->eof_message == b->eof_message &&
	    a->hexdump == b->hexdump && a->hexdump_file == b->hexdump_file;
}

/* The combinations the man page refuses, in the model's terms. */
static int
refused(const struct cli_relay *m)
{
	return (m->eof_message && !m->message) ||
	    (m->eof_message && m->recv_only) ||
	    (m->send_only && m->recv_only) ||
	    (m->quiet && m->verbose > 0) ||
	    ((m->send_only || m->recv_only) && m->linger_ms >= 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_relay c, model, before;
	char err[ERRLEN], err2[ERRLEN], small[ERRLEN];
	char *values[64];
	size_t nvalues = 0, i, smallsz;
	long long ms;
	int opt, rc, want;
	const char *arg;

	cli_relay_init(&c);
	memset(&model, 0, sizeof model);
	model.linger_ms = -1;
	model.idle_ms = -1;
	CHECK(same(&c, &model));
	smallsz = size > 0 ? 1 + data[0] % 64 : 1;

	while (size > 0 && nvalues < sizeof values / sizeof values[0]) {
		int nofile = (data[0] & 0x80) != 0;

		opt = options[data[0] & 15];
		data++;
		size--;
		arg = NULL;
		if (takes_value(opt) && !(opt == 'x' && nofile)) {
			values[nvalues] = fuzz_field(&data, &size);
			arg = values[nvalues++];
		}
		before = c;
		memset(err, 'x', sizeof err);
		rc = cli_relay_opt(&c, opt, arg, err, sizeof err);

		want = 1;
		switch (opt) {
		case 'm': model.message = 1; break;
		case 'v': model.verbose++; break;
		case OPT_QUIET: model.quiet = 1; break;
		case OPT_EOF_MESSAGE: model.eof_message = 1; break;
		case OPT_SEND_ONLY: model.send_only = 1; break;
		case OPT_RECV_ONLY: model.recv_only = 1; break;
		case 'q':
			if (opt_seconds("-q", arg, 0, &ms, err2, sizeof err2) != 0)
				want = -1;
			else
				model.linger_ms = ms;
			break;
		case 'i':
			if (opt_seconds("--idle-timeout", arg, 0, &ms, err2,
			    sizeof err2) != 0 || ms == 0)
				want = -1;
			else
				model.idle_ms = ms;
			break;
		case 'x':
			if (arg != NULL && arg[0] == '\0') {
				want = -1;
			} else {
				model.hexdump = 1;
				model.hexdump_file = arg;
			}
			break;
		default:
			want = 0;
		}
		CHECK(rc == want);
		if (rc != 1)
			CHECK(same(&c, &before));
		if (rc == -1) {
			check_message(err, sizeof err);
			CHECK(err[0] == '-');
			memset(small, 'x', sizeof small);
			c = before;
			CHECK(cli_relay_opt(&c, opt, arg, small, smallsz) == -1);
			check_cut(err, small, smallsz);
		}
		CHECK(same(&c, &model));
	}

	memset(err, 'x', sizeof err);
	rc = cli_relay_check(&c, err, sizeof err);
	if (refused(&model)) {
		CHECK(rc == -1);
		check_message(err, sizeof err);
		CHECK(strstr(err, "-") != NULL);
		memset(small, 'x', sizeof small);
		CHECK(cli_relay_check(&c, small, smallsz) == -1);
		check_cut(err, small, smallsz);
	} else {
		CHECK(rc == 0);
	}

	for (i = 0; i < nvalues; i++)
		free(values[i]);
	return 0;
}
