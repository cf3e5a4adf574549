/*
 * The status pages' reads.  Services come whole (public or not: a
 * public one may suffer from a private dependency, which the page
 * shows without naming it); outages only of public services.
 */
#include "config.h"

#include <stdlib.h>

#include "db/db.h"
#include "db/db_pages.h"

static const char SQL_SERVICES[] =
    "SELECT " SERVICE_COLS SERVICE_FROM "ORDER BY s.id";
static const char SQL_OUTAGES[] =
    "SELECT d.id, d.service_id, d.start_time, d.end_time, d.reason "
    "FROM downtimes d JOIN services s ON s.id = d.service_id "
    "WHERE s.public = 1 AND (? = 0 OR d.service_id = ?) AND "
    "(d.end_time IS NULL OR d.end_time >= ?) "
    "ORDER BY d.start_time DESC, d.id DESC LIMIT ?";

static int
service_fill(struct dbrows *r, void *elem)
{
	return service_from_row(r, elem);
}

static void
service_clear_v(void *elem)
{
	service_clear(elem);
}

int
db_pages_services(struct db *db, struct service **out, size_t *n)
{
	return db_collect(db, SQL_SERVICES, NULL, 0, sizeof(**out),
	    service_fill, service_clear_v, (void **)out, n);
}

static int
outage_fill(struct dbrows *r, void *elem)
{
	return downtime_from_row(r, elem);
}

static void
outage_clear_v(void *elem)
{
	downtime_clear(elem);
}

int
db_pages_outages(struct db *db, time_t since, long long service_id,
    long limit, struct downtime **out, size_t *n)
{
	struct dbval	 args[] = {
		DBI(service_id), DBI(service_id), DBT(since), DBI(limit),
	};

	return db_collect(db, SQL_OUTAGES, args, NARGS(args), sizeof(**out),
	    outage_fill, outage_clear_v, (void **)out, n);
}
