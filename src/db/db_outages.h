/*
 * The outages a service's row keeps (sql/027): its downtimes that were
 * open or ended within OUTAGES_HORIZON when last written, and its
 * latest downtime's id, so that health and the risk routes read one row
 * instead of walking the downtimes' indexes.  Every writer of downtimes
 * rewrites them in its transaction.
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
#define OUTAGES_STR_(x)	#x
#define OUTAGES_STR(x)	OUTAGES_STR_(x)

/* SQL: the same, for the rows of services s being updated. */
#define OUTAGES_SET(horizon) \
	"s.outages = (SELECT IF(COUNT(*) > " OUTAGES_STR(OUTAGES_MAX) ", NULL, " \
	"COALESCE(JSON_ARRAYAGG(JSON_ARRAY(" \
	"TIMESTAMPDIFF(SECOND, '1970-01-01', d.start_time), " \
	"TIMESTAMPDIFF(SECOND, '1970-01-01', d.end_time))), '[]')) " \
	"FROM downtimes d FORCE INDEX (ix_downtimes_service_end) " \
	"WHERE d.service_id = s.id AND (d.end_time IS NULL OR " \
	"d.end_time > " horizon ")), " \
	"s.outages_from = IF(s.outages IS NULL, NULL, " horizon "), " \
	"s.latest_downtime = COALESCE(" \
	"(SELECT o.id FROM downtimes o FORCE INDEX (ix_downtimes_service_end) " \
	"WHERE o.service_id = s.id AND o.end_time IS NULL " \
	"ORDER BY o.start_time DESC, o.id DESC LIMIT 1), " \
	"(SELECT l.id FROM downtimes l FORCE INDEX (ix_downtimes_service_start) " \
	"WHERE l.service_id = s.id ORDER BY l.start_time DESC, l.id DESC " \
	"LIMIT 1))"

/* Service id's, after a write of its downtimes as of now.  0 or -1. */
int	 db_outages_write(struct db *, long long id, time_t now);
/* Those of the services in ids, a JSON array of ids.  0 or -1. */
int	 db_outages_write_ids(struct db *, const char *ids, time_t now);
/* Every service's (an import), as of the database's clock.  0 or -1. */
int	 db_outages_write_all(struct db *);

#endif
