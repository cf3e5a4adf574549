/*
 * The daily uptime rollup (uptime_daily): the outages of a window read
 * in one statement, and the window's rows replaced by a DELETE and an
 * INSERT from a JSON parameter per 50,000 rows (one at 10,000 services
 * and 2 days; 23 for 90 days at 100,000).
 * resilops-sched keeps it; the status pages read it.
 */
#ifndef RO_DB_ROLLUP_H
#define RO_DB_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/uptime.h"

struct db;

/* One outage, or one maintenance window, of one service. */
struct rollup_outage {
	long long	 service_id;
	struct interval	 iv;
	bool		 maintenance;	/* a window: its time is not downtime */
};

/* One row of uptime_daily. */
struct rollup_day {
	long long	 service_id;
	struct day_down	 d;
};

/*
 * The outages and the maintenance windows that overlap [from, to) and
 * began before now, ordered by service, into a malloc'd array (caller
 * frees).  One statement.  0 or -1.
 */
int	 db_rollup_outages(struct db *, time_t from, time_t to, time_t now,
	    struct rollup_outage **out, size_t *n);
/*
 * Replace the rows of the days [from_day, to_day) with rows[0..n).
 * Inside the caller's transaction.  0 or -1.
 */
int	 db_rollup_replace(struct db *, time_t from_day, time_t to_day,
	    const struct rollup_day *rows, size_t n);
/*
 * The rows of the public services (with focus, of that one alone) since
 * from_day, ordered by service and day, into a malloc'd array (caller
 * frees).  0 or -1.
 */
int	 db_rollup_public(struct db *, long long focus, time_t from_day,
	    struct rollup_day **out, size_t *n);

#endif
