/*
 * test_stats: unit tests of the summary figures (src/stats.c), natively,
 * under AddressSanitizer and UBSan.
 *
 * Known answers for small samples (odd and even counts, one sample, ties,
 * unsorted input), the nearest-rank percentile at its edges (n = 1, 100,
 * 101, 1000), precision with large close samples, and refusal of empty or
 * non-finite input. Every array is a heap block of exactly its size, so
 * that ASan sees a read past the end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "tap.h"

static double *
copy(const double *v, size_t n)
{
	double *p = malloc(n * sizeof *p);
	if (p == NULL)
		abort();
	memcpy(p, v, n * sizeof *p);
	return p;
}

static int
near(double got, double want, double tol)
{
	if (fabs(got - want) <= tol)
		return 1;
	diag("       got: %.12g", got);
	diag("  expected: %.12g", want);
	return 0;
}

int
main(void)
{
	struct stats s;
	double *v;

	{
		static const double odd[] = { 5, 1, 4, 2, 3 };
		v = copy(odd, 5);
		ok(stats_compute(v, 5, &s) == 0, "odd count: computed");
		ok(near(s.median, 3, 0), "odd count: median is the middle sample");
		ok(near(s.min, 1, 0) && near(s.max, 5, 0), "odd count: min and max");
		ok(near(s.mean, 3, 1e-12), "odd count: mean");
		ok(near(s.stdev, sqrt(2.5), 1e-12), "odd count: sample stdev (n - 1)");
		ok(near(s.spread, 4.0 / 3.0, 1e-12), "odd count: spread is (max - min) / median");
		ok(near(s.p99, 5, 0), "odd count: p99 of 5 samples is the largest");
		ok(v[0] == 1 && v[1] == 2 && v[2] == 3 && v[3] == 4 && v[4] == 5,
		    "the samples are sorted in place");
		is_int((long long)s.n, 5, "n is kept");
		free(v);
	}
	{
		static const double even[] = { 10, 40, 20, 30 };
		v = copy(even, 4);
		ok(stats_compute(v, 4, &s) == 0 && near(s.median, 25, 0),
		    "even count: median is the mean of the two middle samples");
		free(v);
	}
	{
		static const double one[] = { 7.5 };
		v = copy(one, 1);
		ok(stats_compute(v, 1, &s) == 0, "one sample: computed");
		ok(near(s.median, 7.5, 0) && near(s.p99, 7.5, 0) &&
		    near(s.mean, 7.5, 0), "one sample: median, p99 and mean are it");
		ok(s.stdev == 0 && s.spread == 0, "one sample: no stdev, no spread");
		free(v);
	}
	{
		static const double ties[] = { 2, 2, 2, 2 };
		v = copy(ties, 4);
		ok(stats_compute(v, 4, &s) == 0 && s.stdev == 0 && s.spread == 0 &&
		    near(s.median, 2, 0), "equal samples: no stdev, no spread");
		free(v);
	}
	{
		/* 1..100 shuffled: the nearest-rank p99 is 99, not 99.01 or 100. */
		v = malloc(100 * sizeof *v);
		for (int i = 0; i < 100; i++)
			v[i] = (double)((i * 37) % 100 + 1);
		ok(stats_compute(v, 100, &s) == 0, "1..100: computed");
		ok(near(s.p99, 99, 0), "1..100: p99 is 99 (nearest rank)");
		ok(near(s.median, 50.5, 0), "1..100: median is 50.5");
		ok(near(stats_percentile(v, 100, 50), 50, 0),
		    "1..100: p50 by nearest rank is 50");
		ok(near(stats_percentile(v, 100, 100), 100, 0),
		    "1..100: p100 is the largest");
		ok(near(stats_percentile(v, 100, 0.5), 1, 0),
		    "1..100: a tiny percentile is the smallest");
		free(v);
	}
	{
		/* 101 samples: rank ceil(99.99) = 100. */
		v = malloc(101 * sizeof *v);
		for (int i = 0; i < 101; i++)
			v[i] = (double)(101 - i);
		ok(stats_compute(v, 101, &s) == 0 && near(s.p99, 100, 0),
		    "1..101: p99 is the 100th sample");
		ok(near(s.median, 51, 0), "1..101: median is 51");
		free(v);
	}
	{
		/* A latency sample with a slow tail: 990 fast, 10 slow. p99 is
		 * the last fast one; one more slow sample makes it slow. */
		v = malloc(1001 * sizeof *v);
		for (int i = 0; i < 1000; i++)
			v[i] = i < 990 ? 20.0 : 500.0;
		ok(stats_compute(v, 1000, &s) == 0 && near(s.p99, 20, 0),
		    "1000 samples with 1%% slow: p99 is still fast");
		for (int i = 0; i < 1000; i++)
			v[i] = i < 989 ? 20.0 : 500.0;
		ok(stats_compute(v, 1000, &s) == 0 && near(s.p99, 500, 0),
		    "1000 samples with 1.1%% slow: p99 is slow");
		ok(near(s.median, 20, 0), "... and the median is not moved by the tail");
		free(v);
	}
	{
		/* Large, close samples: the naive sum of squares would lose the
		 * stdev entirely. */
		static const double big[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 };
		v = copy(big, 3);
		ok(stats_compute(v, 3, &s) == 0 && near(s.stdev, 1, 1e-6) &&
		    near(s.mean, 1e9 + 2, 1e-6), "large close samples: mean and stdev exact");
		free(v);
	}
	{
		static const double neg[] = { -1, 1 };
		v = copy(neg, 2);
		ok(stats_compute(v, 2, &s) == 0 && s.median == 0 && s.spread == 0,
		    "median 0: spread is 0, not a division by zero");
		free(v);
	}
	{
		double *none = malloc(sizeof *none);
		ok(stats_compute(none, 0, &s) == -1, "no samples: refused");
		free(none);
		static const double bad[] = { 1, NAN, 3 };
		v = copy(bad, 3);
		ok(stats_compute(v, 3, &s) == -1, "a NaN sample: refused");
		free(v);
		static const double inf[] = { 1, INFINITY };
		v = copy(inf, 2);
		ok(stats_compute(v, 2, &s) == -1, "an infinite sample: refused");
		free(v);
	}
	return done_testing();
}
