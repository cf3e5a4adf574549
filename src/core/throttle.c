/*
 * The throttling verdict: counts over a sliding window against limits.
 * The attempt being judged is already counted (recorded before the
 * count), which is what makes concurrent attempts safe: the n-th to
 * arrive sees at least n.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/throttle.h"

static long
seconds_left(time_t oldest, time_t now, int window)
{
	long	 s = (long)(oldest + window - now);

	return s < 1 ? 1 : s;
}

bool
throttle_refused(const struct throttle_count *c,
    const struct throttle_limits *l, time_t now, long *retry_after)
{
	bool	 subj, addr;
	long	 ra = 0, r2;

	subj = l->per_subject > 0 && c->by_subject > l->per_subject;
	addr = l->per_addr > 0 && c->by_addr > l->per_addr;
	if (!subj && !addr)
		return false;
	/* Both exceeded: the later of the two is when a try can pass. */
	if (subj)
		ra = seconds_left(c->oldest_subject, now, l->window);
	if (addr && (r2 = seconds_left(c->oldest_addr, now, l->window)) > ra)
		ra = r2;
	if (retry_after != NULL)
		*retry_after = ra;
	return true;
}
