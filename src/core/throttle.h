/*
 * Throttling of expensive anonymous requests (logins, signups): each
 * attempt is recorded before the expensive work and the attempts in a
 * sliding window are counted, per subject (the account, or a keyed
 * hash of an unknown name) and per client address.  This file decides;
 * db/db_throttle.c records and counts.  Pure.
 */
#ifndef RO_THROTTLE_H
#define RO_THROTTLE_H

#include <stdbool.h>
#include <time.h>

/* What the store counted in the window, this attempt included. */
struct throttle_count {
	long long	 by_subject;
	long long	 by_addr;
	time_t		 oldest_subject;	/* earliest counted (0: none) */
	time_t		 oldest_addr;
};

struct throttle_limits {
	long long	 per_subject;	/* attempts allowed; <= 0: no limit */
	long long	 per_addr;
	int		 window;	/* seconds */
};

/*
 * Whether this attempt is over a limit.  Since the count includes it,
 * the attempt is refused when a count exceeds its limit: exactly limit
 * attempts pass in a window, however many arrive at once.  When
 * refused, *retry_after (if not NULL) gets the seconds until the
 * oldest counted attempt of the exceeded dimension leaves the window
 * (at least 1).
 */
bool	 throttle_refused(const struct throttle_count *,
	    const struct throttle_limits *, time_t now, long *retry_after);

#endif
