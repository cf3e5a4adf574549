/*
 * The Prometheus text exposition format (version 0.0.4), written into a
 * growing buffer: HELP and TYPE lines, samples with escaped labels,
 * histograms made cumulative.  Pure: no I/O, so the writer and the
 * bucketing are unit-tested without a server.
 */
#ifndef RO_PROMTEXT_H
#define RO_PROMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROMTEXT_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* A text under construction; zero it to start.  oom: a write failed. */
struct promtext {
	char	*buf;
	size_t	 len, cap;
	bool	 oom;
};

enum promtext_type { PROM_COUNTER, PROM_GAUGE, PROM_HISTOGRAM, PROM__MAX };

/*
 * The bucket v falls in: the first i with v <= bounds[i], or n (the +Inf
 * bucket) when v is above every bound or not a number.  bounds ascend.
 */
size_t	 promtext_bucket(const double *bounds, size_t n, double v);
/*
 * Escape a label value (backslash, double quote, newline) into out
 * (outsz bytes, NUL-terminated), cut short at a whole escape if out is
 * too small.  Returns the length written.
 */
size_t	 promtext_escape(const char *in, char *out, size_t outsz);
/* Whether name is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
bool	 promtext_name_valid(const char *);
/* "# HELP name help" and "# TYPE name type"; help must be one line. */
void	 promtext_family(struct promtext *, const char *name,
	    enum promtext_type, const char *help);
/*
 * One sample: name{k1="v1",...} value.  labels is NULL or an array of
 * name, value pairs ended by a NULL name; values are escaped here.
 */
void	 promtext_sample(struct promtext *, const char *name,
	    const char *const *labels, double value);
/* The same with an exact integer value (counters past 2^53). */
void	 promtext_sample_u64(struct promtext *, const char *name,
	    const char *const *labels, uint64_t value);
/*
 * One histogram's series under labels: name_bucket{...,le="b"} for each
 * bound and +Inf, cumulative from counts[0..n] (per-bucket counts, the
 * last one for +Inf), then name_sum and name_count.
 */
void	 promtext_histogram(struct promtext *, const char *name,
	    const char *const *labels, const double *bounds, size_t n,
	    const uint64_t *counts, double sum);
/*
 * The text, NUL-terminated, and its length; the caller frees it.  NULL
 * when a write failed (pt is emptied either way).
 */
char	*promtext_take(struct promtext *, size_t *len);

#endif
