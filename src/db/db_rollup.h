/*
 * The daily uptime rollup (uptime_daily): the outages of a window read
 * in one statement; the window's rows kept read in one, and only what
 * differs from the rows computed written back (a DELETE and an upsert
 * from a JSON parameter per 50,000 rows: none when nothing changed).
 * resilops-sched keeps it; the status pages read it.
 */
#ifndef RO_DB_ROLLUP_H
#define RO_DB_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/rollupdiff.h"
#include "core/uptime.h"

struct db;

/* One outage, or one maintenance window, of one service. */
struct rollup_outage {
	long long	 service_id;
	struct interval	 iv;
	bool		 maintenance;	/* a window: its time is not downtime */
};

/*
 * The outages and the maintenance windows that overlap [from, to) and
 * began before now, ordered by service, into a malloc'd array (caller
 * frees).  One statement.  0 or -1.
 */
int	 db_rollup_outages(struct db *, time_t from, time_t to, time_t now,
	    struct rollup_outage **out, size_t *n);
/*
 * The rows kept for the days [from_day, to_day), sorted by
 * rollup_day_cmp, into a malloc'd array (caller frees).  Inside the
 * caller's transaction.  One statement.  0 or -1.
 */
int	 db_rollup_kept(struct db *, time_t from_day, time_t to_day,
	    struct rollup_day **out, size_t *n);
/*
 * Delete the rows (service, day) of del[0..ndel) and write put[0..nput)
 * over what is kept (a service deleted meanwhile gets none).  Inside
 * the caller's transaction.  0 or -1.
 */
int	 db_rollup_apply(struct db *, const struct rollup_day *del,
	    size_t ndel, const struct rollup_day *put, size_t nput);
/*
 * The rows of the public services (with focus, of that one alone) since
 * from_day, ordered by service and day, into a malloc'd array (caller
 * frees).  0 or -1.
 */
int	 db_rollup_public(struct db *, long long focus, time_t from_day,
	    struct rollup_day **out, size_t *n);

#endif
