/*
 * The rollup's rows, compared.  rollup-history recomputes 90 days of
 * every service every five minutes; replaced whole, that rewrote 1.1
 * million rows at 100,000 services when, in a steady state, an outage
 * logged for an earlier day changes a handful.  The job still computes
 * every row from the outages (so there is no watermark, and an earlier
 * --now is a window like any other); only the writing is cut down to
 * the difference.
 */
#include "config.h"

#include <stdlib.h>

#include "core/rollupdiff.h"

int
rollup_day_cmp(const void *a, const void *b)
{
	const struct rollup_day	*x = a, *y = b;

	if (x->service_id != y->service_id)
		return (x->service_id > y->service_id) -
		    (x->service_id < y->service_id);
	return (x->d.day > y->d.day) - (x->d.day < y->d.day);
}

int
rollup_days_sorted(const struct rollup_day *rows, size_t n)
{
	size_t	 i;

	for (i = 1; i < n; i++)
		if (rollup_day_cmp(&rows[i - 1], &rows[i]) >= 0)
			return 0;
	return 1;
}

static int
same_values(const struct rollup_day *a, const struct rollup_day *b)
{
	return a->d.down_seconds == b->d.down_seconds &&
	    a->d.outages == b->d.outages;
}

/*
 * One merge of the two sorted lists; with del and put NULL it only
 * counts.
 */
static void
merge(const struct rollup_day *kept, size_t nkept,
    const struct rollup_day *want, size_t nwant,
    struct rollup_day *del, size_t *ndel, struct rollup_day *put,
    size_t *nput)
{
	size_t	 i = 0, j = 0;
	int	 c;

	*ndel = *nput = 0;
	while (i < nkept || j < nwant) {
		if (i == nkept)
			c = 1;
		else if (j == nwant)
			c = -1;
		else
			c = rollup_day_cmp(&kept[i], &want[j]);
		if (c < 0) {		/* kept, no longer wanted */
			if (del != NULL)
				del[*ndel] = kept[i];
			(*ndel)++;
			i++;
		} else if (c > 0) {	/* wanted, not kept */
			if (put != NULL)
				put[*nput] = want[j];
			(*nput)++;
			j++;
		} else {
			if (!same_values(&kept[i], &want[j])) {
				if (put != NULL)
					put[*nput] = want[j];
				(*nput)++;
			}
			i++;
			j++;
		}
	}
}

int
rollup_diff(const struct rollup_day *kept, size_t nkept,
    const struct rollup_day *want, size_t nwant,
    struct rollup_day **del, size_t *ndel,
    struct rollup_day **put, size_t *nput)
{
	size_t	 nd, np;

	*del = *put = NULL;
	*ndel = *nput = 0;
	/* Counted first: the arrays are the difference's size, not 1.1M. */
	merge(kept, nkept, want, nwant, NULL, &nd, NULL, &np);
	if ((nd > 0 && (*del = calloc(nd, sizeof(**del))) == NULL) ||
	    (np > 0 && (*put = calloc(np, sizeof(**put))) == NULL)) {
		free(*del);
		*del = NULL;
		return -1;
	}
	merge(kept, nkept, want, nwant, *del, ndel, *put, nput);
	return 0;
}
