/*
 * The status pages' reads.  Services: the public ones and everything
 * they depend on, at any depth (a public service may suffer from a
 * private dependency, which the page shows without naming it), and no
 * other: the page costs what the public part of the catalogue holds,
 * not the whole catalogue.  Outages only of public services.  A page
 * about one service reads that service's closure and outages alone;
 * each has its own statement so that both use an index.  The orders
 * the pages need are made here, not by MariaDB: a sort in the worker of
 * what the window holds costs less than MariaDB's filesort of it.
 */
#include "config.h"

#include <stdlib.h>

#include "db/db.h"
#include "db/db_pages.h"

/* UNION, not UNION ALL: a service reached twice is read once. */
#define CLOSURE(anchor) \
    "WITH RECURSIVE want (id) AS (" anchor " UNION " \
    "SELECT d.dependency_id FROM service_dependencies d " \
    "JOIN want w ON d.service_id = w.id) " \
    "SELECT " SERVICE_COLS "FROM want w JOIN services s ON s.id = w.id " \
    SERVICE_JOINS
static const char SQL_SERVICES[] =
    CLOSURE("SELECT id FROM services WHERE public = 1");
static const char SQL_SERVICES_ONE[] =
    CLOSURE("SELECT id FROM services WHERE id = ? AND public = 1");
/*
 * The window's outages from (service_id, end_time): the index is read
 * for each public service, and only the open outages and those that
 * ended since the window began are fetched (21,630 rows read at 100
 * downtimes a service before, 740 now).  Without the hint MariaDB reads
 * each service's whole history by (service_id, start_time).
 */
#define OUTAGE_COLS \
    "SELECT d.id, d.service_id, d.start_time, d.end_time, d.reason " \
    "FROM services s JOIN downtimes d FORCE INDEX (ix_downtimes_service_end) " \
    "ON d.service_id = s.id "
static const char SQL_OUTAGES[] =
    OUTAGE_COLS "WHERE s.public = 1 AND "
    "(d.end_time IS NULL OR d.end_time >= ?)";
static const char SQL_OUTAGES_ONE[] =
    OUTAGE_COLS "WHERE s.id = ? AND s.public = 1 AND "
    "(d.end_time IS NULL OR d.end_time >= ?)";

static int
service_cmp(const void *a, const void *b)
{
	const struct service	*x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int
db_pages_services(struct db *db, long long focus, time_t now,
    struct service **out, size_t *n)
{
	struct dbval	 args[] = { DBI(focus) };
	int		 rc;

	/* The argument is for the one service's statement only. */
	if (focus == 0)
		rc = db_service_collect(db, SQL_SERVICES, NULL, 0, now, out, n,
		    NULL);
	else
		rc = db_service_collect(db, SQL_SERVICES_ONE, args, NARGS(args),
		    now, out, n, NULL);
	if (rc == 0)
		db_sort_cut(*out, n, sizeof(**out), service_cmp, NULL, -1);
	return rc;
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

/* Newest first: by start, then by id, both descending. */
static int
outage_cmp(const void *a, const void *b)
{
	const struct downtime	*x = a, *y = b;

	if (x->start != y->start)
		return (x->start < y->start) - (x->start > y->start);
	return (x->id < y->id) - (x->id > y->id);
}

int
db_pages_outages(struct db *db, time_t since, long long service_id,
    long limit, struct downtime **out, size_t *n)
{
	struct dbval	 args[] = { DBI(service_id), DBT(since) };
	int		 rc;

	/* The first argument is for the service's statement only. */
	if (service_id == 0)
		rc = db_collect(db, SQL_OUTAGES, args + 1, NARGS(args) - 1,
		    sizeof(**out), outage_fill, outage_clear_v, (void **)out,
		    n);
	else
		rc = db_collect(db, SQL_OUTAGES_ONE, args, NARGS(args),
		    sizeof(**out), outage_fill, outage_clear_v, (void **)out,
		    n);
	if (rc == -1)
		return -1;
	/* The newest limit of them. */
	db_sort_cut(*out, n, sizeof(**out), outage_cmp, outage_clear_v, limit);
	return 0;
}
