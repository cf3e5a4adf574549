/*
 * The outages kept beside each service (sql/027, service_outages): its
 * downtimes that were open or ended within OUTAGES_HORIZON when last
 * written, and its latest downtime's id, so that health and the risk
 * routes read one row by primary key instead of walking the downtimes'
 * indexes.  Every writer of downtimes rewrites them in its transaction,
 * and with them the outage_open flag of the service's status row
 * (sql/036), which the heartbeat's routine trusts.
 */
#ifndef RO_DB_OUTAGES_H
#define RO_DB_OUTAGES_H

#include <time.h>

struct db;

/*
 * How far back the summary reaches: health's longest window (90 days,
 * core/uptime.c) and a day for the clocks of the hosts that write and
 * read it.  A reader whose span starts before the row's outages_from,
 * or finds none (a service with more than OUTAGES_MAX of them), asks
 * the downtimes table instead (src/db/db_view.c).
 */
#define OUTAGES_HORIZON	(91L * 24 * 3600)
#define OUTAGES_MAX	512

/*
 * SQL: whether the service whose id is the expression sid has an open
 * downtime, what a status row's outage_open (sql/036) says; for a writer
 * that makes a status row, and for the flag's own writes here.
 */
#define OUTAGE_OPEN(sid) "EXISTS (SELECT 1 FROM downtimes d FORCE INDEX " \
	"(ix_downtimes_service_end) WHERE d.service_id = " sid " " \
	"AND d.end_time IS NULL)"

/* Service id's, after a write of its downtimes as of now.  0 or -1. */
int	 db_outages_write(struct db *, long long id, time_t now);
/* Those of the services in ids, a JSON array of ids.  0 or -1. */
int	 db_outages_write_ids(struct db *, const char *ids, time_t now);
/* Every service's (an import), as of the clock.  0 or -1. */
int	 db_outages_write_all(struct db *);

#endif
