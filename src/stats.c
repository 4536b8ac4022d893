/*
 * stats: summary figures of a sample; the definitions are in stats.h.
 *
 * The mean and standard deviation use Welford's running update, which
 * keeps its precision when the samples are large and close together (byte
 * rates of a few GiB/s that differ in the last digits), where the naive
 * sum of squares loses it.
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double
stats_percentile(const double *sorted, size_t n, double p)
{
	/* Rank ceil(p/100 * n), from 1; computed in integers where possible
	 * so that p = 99, n = 100 gives rank 99 and not 100 by rounding. */
	double r = ceil(p / 100.0 * (double)n - 1e-9);
	size_t rank = r < 1.0 ? 1 : (size_t)r;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

int
stats_compute(double *v, size_t n, struct stats *s)
{
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return -1;
	qsort(v, n, sizeof *v, cmp_double);

	double mean = 0.0, m2 = 0.0;
	for (size_t i = 0; i < n; i++) {
		double d = v[i] - mean;
		mean += d / (double)(i + 1);
		m2 += d * (v[i] - mean);
	}
	s->n = n;
	s->min = v[0];
	s->max = v[n - 1];
	s->mean = mean;
	s->stdev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0.0;
	s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
	s->p99 = stats_percentile(v, n, 99.0);
	s->spread = s->median != 0.0 ? (s->max - s->min) / fabs(s->median) : 0.0;
	return 0;
}
