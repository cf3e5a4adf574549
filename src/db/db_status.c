/*
 * The service_status and downtimes tables.  An outage is open while a
 * downtime of the service has no end, whoever logged it: going Down
 * opens an automatic downtime only when none is open (and the open_auto
 * key makes a second automatic one impossible even between racing
 * writers), and leaving Down closes whatever is open.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_status.h"

#define DOWNTIME_COLS "id, service_id, start_time, end_time, reason"

/* changed_at first: it compares against the old status. */
static const char SQL_SET[] =
    "INSERT INTO service_status (service_id, status, last_updated, "
    "changed_at, set_by) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
    "changed_at = IF(status = VALUES(status), changed_at, VALUES(changed_at)), "
    "status = VALUES(status), last_updated = VALUES(last_updated), "
    "set_by = VALUES(set_by)";
static const char SQL_OPEN_AUTO[] =
    "INSERT IGNORE INTO downtimes (service_id, start_time, end_time, reason, "
    "source, created_at) SELECT ?, ?, NULL, ?, ?, ? FROM DUAL WHERE NOT EXISTS "
    "(SELECT 1 FROM downtimes WHERE service_id = ? AND end_time IS NULL)";
/*
 * Runs before the new status is written: a hand-logged open downtime
 * ends only when the service leaves Down; an automatic one with any
 * heartbeat (a status write that is not Down).
 */
static const char SQL_CLOSE[] =
    "UPDATE downtimes d SET d.end_time = GREATEST(d.start_time, ?) "
    "WHERE d.service_id = ? AND d.end_time IS NULL AND (d.source <> 'manual' "
    "OR EXISTS (SELECT 1 FROM service_status st WHERE "
    "st.service_id = d.service_id AND st.status = 'Down'))";
/*
 * The service's row and status row locked, with what a status write
 * must know before it writes: whether an outage is open (nothing to
 * close or open otherwise, the common heartbeat).
 */
static const char SQL_LOCK[] =
    "SELECT s.id, EXISTS(SELECT 1 FROM downtimes d WHERE "
    "d.service_id = s.id AND d.end_time IS NULL) FROM services s "
    "LEFT JOIN service_status st ON st.service_id = s.id "
    "WHERE s.id = ? FOR UPDATE";
static const char SQL_INSERT[] =
    "INSERT INTO downtimes (service_id, start_time, end_time, reason, source, "
    "created_at) VALUES (?, ?, ?, ?, 'manual', ?)";
static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM downtimes WHERE service_id = ?";
static const char SQL_PAGE[] =
    "SELECT " DOWNTIME_COLS " FROM downtimes WHERE service_id = ? "
    "ORDER BY start_time DESC, id DESC LIMIT ? OFFSET ?";

void
downtime_clear(struct downtime *d)
{
	free(d->reason);
	memset(d, 0, sizeof(*d));
}

int
downtime_from_row(struct dbrows *r, struct downtime *d)
{
	const char	*reason = db_text(r, 4, NULL);

	memset(d, 0, sizeof(*d));
	d->id = db_int(r, 0);
	d->service_id = db_int(r, 1);
	d->start = db_time(r, 2);
	d->end = db_time(r, 3);
	if ((d->reason = strdup(reason ? reason : "")) == NULL)
		return -1;
	return 0;
}

int
db_status_lock(struct db *db, long long id, bool *outage_open)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, SQL_LOCK, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1)
		*outage_open = db_int(r, 1) != 0;
	db_rows_free(r);
	return rc;
}

int
db_status_set(struct db *db, long long id, enum svc_status st,
    const char *by, time_t now)
{
	struct dbval	 args[] = {
		DBI(id), DBS(status_name(st)), DBT(now), DBT(now), DBS(by),
	};

	return db_exec(db, SQL_SET, args, NARGS(args), NULL, NULL);
}

int
db_downtime_open_auto(struct db *db, long long id, time_t start,
    const char *reason, const char *source)
{
	struct dbval		 args[] = {
		DBI(id), DBT(start), DBS(reason), DBS(source), DBT(start),
		DBI(id),
	};
	unsigned long long	 n;

	if (db_exec(db, SQL_OPEN_AUTO, args, NARGS(args), &n, NULL) == -1)
		return -1;
	return n > 0;
}

int
db_downtime_close(struct db *db, long long id, time_t end)
{
	struct dbval	 args[] = { DBT(end), DBI(id) };

	return db_exec(db, SQL_CLOSE, args, NARGS(args), NULL, NULL);
}

int
db_downtime_insert(struct db *db, struct downtime *d, time_t now)
{
	unsigned long long	 id;
	struct dbval		 args[] = {
		DBI(d->service_id), DBT(d->start), d->end ? DBT(d->end) : DBNULL,
		DBS(d->reason), DBT(now),
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	d->id = (long long)id;
	return 0;
}

long long
db_downtime_count(struct db *db, long long id)
{
	struct dbval	 args[] = { DBI(id) };
	long long	 n;

	if (db_scalar(db, SQL_COUNT, args, NARGS(args), &n) != 1)
		return -1;
	return n;
}

static int
downtime_fill(struct dbrows *r, void *d)
{
	return downtime_from_row(r, d);
}

static void
downtime_clear_v(void *d)
{
	downtime_clear(d);
}

int
db_downtime_page(struct db *db, long long id, long long offset,
    long long limit, struct downtime **out, size_t *n)
{
	struct dbval	 args[] = { DBI(id), DBI(limit), DBI(offset) };

	return db_collect(db, SQL_PAGE, args, NARGS(args), sizeof(**out),
	    downtime_fill, downtime_clear_v, (void **)out, n);
}

