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

#include "core/auditchain.h"
#include "db/db.h"
#include "db/db_outages.h"
#include "db/db_status.h"

#define DOWNTIME_COLS "id, service_id, start_time, end_time, reason"

/*
 * The heartbeat's transaction in one round trip (sql/026 says what it
 * does and why a routine).  ? order: the service, its status, now, by,
 * then the audit entry's user id, username, action, entity, address,
 * agent, details, answer status.
 */
static const char SQL_HEARTBEAT[] =
    "CALL status_heartbeat(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_OPEN_AUTO[] =
    "INSERT IGNORE INTO downtimes (service_id, start_time, end_time, reason, "
    "source, created_at) SELECT ?, ?, NULL, ?, ?, ? FROM DUAL WHERE NOT EXISTS "
    "(SELECT 1 FROM downtimes WHERE service_id = ? AND end_time IS NULL)";
/*
 * A hand-logged open downtime ends only when the service leaves Down
 * (the status it had is the third argument); an automatic one with any
 * heartbeat (a status write that is not Down).
 */
static const char SQL_CLOSE[] =
    "UPDATE downtimes d SET d.end_time = GREATEST(d.start_time, ?) "
    "WHERE d.service_id = ? AND d.end_time IS NULL AND (d.source <> 'manual' "
    "OR ? = 'Down')";
static const char SQL_INSERT[] =
    "INSERT INTO downtimes (service_id, start_time, end_time, reason, source, "
    "created_at) VALUES (?, ?, ?, ?, 'manual', ?)";
static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM downtimes WHERE service_id = ?";
/*
 * The page with the service's count in a last column (the subquery is
 * not correlated: counted once, from the same index range): one round
 * trip; a page past the end has no row and counts alone.
 */
static const char SQL_PAGE[] =
    "SELECT " DOWNTIME_COLS ", (SELECT COUNT(*) FROM downtimes "
    "WHERE service_id = ?) FROM downtimes WHERE service_id = ? "
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
db_status_heartbeat(struct db *db, long long id, enum svc_status st,
    const char *by, time_t now, const struct audit_record *a,
    struct status_write *w)
{
	struct dbval	 args[] = {
		DBI(id), DBS(status_name(st)), DBT(now), DBS(by),
		DBID(a->user_id), DBS(a->username), DBS(a->action),
		DBS(a->entity), DBS(a->ip), DBS(a->user_agent), DBS(a->details),
		a->status ? DBI(a->status) : DBNULL,
	};
	struct dbrows	*r;
	const char	*prev;
	int		 rc, x;

	memset(w, 0, sizeof(*w));
	w->prev = -1;
	if ((r = db_query(db, SQL_HEARTBEAT, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		rc = (int)db_int(r, 0);
		if ((prev = db_text(r, 1, NULL)) != NULL &&
		    (x = status_parse(prev)) >= 0)
			w->prev = x;
		w->outage_open = db_int(r, 2) != 0;
	} else if (rc == 0)
		rc = -1;	/* the routine always answers a row */
	db_rows_free(r);
	if (rc == 2)
		db_adopt(db);
	return rc;
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

	if (db_exec(db, SQL_OPEN_AUTO, args, NARGS(args), &n, NULL) == -1 ||
	    (n > 0 && db_outages_write(db, id, start) == -1))
		return -1;
	return n > 0;
}

int
db_downtime_close(struct db *db, long long id, time_t end, int left)
{
	struct dbval		 args[] = {
		DBT(end), DBI(id), DBS(left >= 0 ?
		    status_name((enum svc_status)left) : ""),
	};
	unsigned long long	 n;

	if (db_exec(db, SQL_CLOSE, args, NARGS(args), &n, NULL) == -1 ||
	    (n > 0 && db_outages_write(db, id, end) == -1))
		return -1;
	return n > 0;
}

int
db_downtime_insert(struct db *db, struct downtime *d, time_t now)
{
	unsigned long long	 id;
	struct dbval		 args[] = {
		DBI(d->service_id), DBT(d->start), d->end ? DBT(d->end) : DBNULL,
		DBS(d->reason), DBT(now),
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1 ||
	    db_outages_write(db, d->service_id, now) == -1)
		return -1;
	d->id = (long long)id;
	return 0;
}

/* downtime_from_row as a db_collect fill. */
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
    long long limit, struct downtime **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(id), DBI(id), DBI(limit),
				    DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_PAGE, .args = args, .nargs = NARGS(args),
		.total_col = 5,
		.count = SQL_COUNT, .count_args = args, .count_nargs = 1,
		.offset = offset,
	};

	return db_page(db, &q, sizeof(**out), downtime_fill, downtime_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}

