/*
 * stats: the summary figures of a set of measurements — median, p99, mean,
 * standard deviation and spread — for bench and its reference programs.
 *
 * Portable (no windows.h), unit-tested natively. Percentiles use the
 * nearest-rank definition (the smallest sample that at least P% of the
 * samples are less than or equal to), so a reported p99 is always a time
 * that was actually measured, never an interpolation; the median is the
 * usual one (the mean of the two middle samples when their number is even).
 */
#ifndef PIPECAT_STATS_H
#define PIPECAT_STATS_H

#include <stddef.h>

struct stats {
	size_t n;               /* samples */
	double min, max;
	double mean;
	double stdev;           /* sample standard deviation (n - 1); 0 for n = 1 */
	double median;
	double p99;             /* nearest rank */
	double spread;          /* (max - min) / median, a fraction; 0 if median is 0 */
};

/*
 * Sorts V[0..N) in place (ascending) and fills S. Returns 0, or -1 when N is
 * 0 or a sample is not a finite number.
 */
int stats_compute(double *v, size_t n, struct stats *s);

/* The nearest-rank P-th percentile (0 < P <= 100) of SORTED[0..N), N > 0. */
double stats_percentile(const double *sorted, size_t n, double p);

#endif
