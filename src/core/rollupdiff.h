/*
 * The daily rollup's rows (uptime_daily) and what turns the rows kept
 * into the rows just computed: the few to delete and the few to write,
 * so that a rollup over a window where nothing changed writes nothing.
 * Pure.
 */
#ifndef RO_ROLLUPDIFF_H
#define RO_ROLLUPDIFF_H

#include <stddef.h>

#include "core/uptime.h"

/* One row of uptime_daily: one service's day. */
struct rollup_day {
	long long	 service_id;
	struct day_down	 d;
};

/* qsort order of the rows: by service, then day. */
int	 rollup_day_cmp(const void *, const void *);
/* Whether rows[0..n) are in rollup_day_cmp order without repeats. */
int	 rollup_days_sorted(const struct rollup_day *rows, size_t n);
/*
 * What turns kept[0..nkept) into want[0..nwant), both sorted by
 * rollup_day_cmp without repeats: the kept rows whose (service, day)
 * want lacks into *del, the wanted rows that kept lacks or holds with
 * other values into *put.  Each a malloc'd array of exactly its rows
 * (NULL when none; caller frees).  0, or -1 (out of memory: nothing
 * allocated).
 */
int	 rollup_diff(const struct rollup_day *kept, size_t nkept,
	    const struct rollup_day *want, size_t nwant,
	    struct rollup_day **del, size_t *ndel,
	    struct rollup_day **put, size_t *nput);

#endif
