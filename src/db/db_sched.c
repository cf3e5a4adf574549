/*
 * The daemon's statements.  Each job is a handful of set-based
 * statements; deduplication lives in unique keys (open automatic
 * downtime per service, open alert per service/type/cause, breach per
 * downtime/type, outbox row per integration/alert), so running a job
 * twice at the same instant adds nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_alert.h"
#include "db/db_maintenance.h"
#include "db/db_outages.h"
#include "db/db_riskstate.h"
#include "db/db_sched.h"
#include "util/log.h"

/* ---- the lease (the database's clock, never --now) ---- */

static const char SQL_RENEW[] =
    "UPDATE sched_lease SET expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND "
    "WHERE id = 1 AND holder = ? AND epoch = ? AND expires_at > UTC_TIMESTAMP(3)";
static const char SQL_TAKE[] =
    "UPDATE sched_lease SET holder = ?, epoch = epoch + 1, "
    "expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND "
    "WHERE id = 1 AND (expires_at <= UTC_TIMESTAMP(3) OR holder = '')";
/* With the milliseconds left of the holder's lease, for a follower. */
static const char SQL_READ[] =
    "SELECT holder, epoch, GREATEST(0, TIMESTAMPDIFF(MICROSECOND, "
    "UTC_TIMESTAMP(6), expires_at)) DIV 1000 FROM sched_lease WHERE id = 1";
static const char SQL_RELEASE[] =
    "UPDATE sched_lease SET holder = '', expires_at = UTC_TIMESTAMP(3) "
    "WHERE id = 1 AND holder = ? AND epoch = ?";
/*
 * A write, not a locking read: in a Galera cluster a lock taken on one
 * node holds back nothing on another, but two transactions that wrote
 * the same row cannot both commit (sql/034).  A takeover writes the
 * row too, so either it or the old leader's job is refused.
 */
static const char SQL_FENCE[] =
    "UPDATE sched_lease SET fences = fences + 1 WHERE id = 1 AND "
    "holder = ? AND epoch = ? AND expires_at > UTC_TIMESTAMP(3)";

int
db_lease_acquire(struct db *db, const char *me, int ttl, long long *epoch,
    char *holder, size_t holdersz, long long *left_ms)
{
	unsigned long long	 n;
	struct dbrows		*r;
	const char		*h;
	int			 rc;

	if (*epoch > 0) {
		struct dbval	 args[] = { DBI(ttl), DBS(me), DBI(*epoch) };

		if (db_exec(db, SQL_RENEW, args, NARGS(args), &n, NULL) == -1)
			return -1;
		if (n == 1)
			return 1;
	}
	{
		struct dbval	 args[] = { DBS(me), DBI(ttl) };

		if (db_exec(db, SQL_TAKE, args, NARGS(args), &n, NULL) == -1)
			return -1;
	}
	if ((r = db_query(db, SQL_READ, NULL, 0)) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		h = db_text(r, 0, NULL);
		snprintf(holder, holdersz, "%s", h ? h : "");
		if (n == 1 && h != NULL && strcmp(h, me) == 0) {
			*epoch = db_int(r, 1);
			rc = 1;
		} else {
			*epoch = 0;
			*left_ms = db_int(r, 2);
			rc = 0;
		}
	} else if (rc == 0)
		rc = log_errx("sched: the lease row is missing (run migrate)");
	db_rows_free(r);
	return rc;
}

int
db_lease_release(struct db *db, const char *me, long long epoch)
{
	struct dbval	 args[] = { DBS(me), DBI(epoch) };

	return db_exec(db, SQL_RELEASE, args, NARGS(args), NULL, NULL);
}

int
db_lease_fence(struct db *db, const char *me, long long epoch)
{
	struct dbval		 args[] = { DBS(me), DBI(epoch) };
	unsigned long long	 n;

	if (db_exec(db, SQL_FENCE, args, NARGS(args), &n, NULL) == -1)
		return -1;
	return n == 1;
}

/* ---- heartbeats ---- */

/*
 * A heartbeat older than the cut, and no maintenance in the way: none
 * running now, none ended after the cut.  So heartbeat loss changes
 * nothing while a window runs, and after it the service has the usual
 * degraded_after / down_after from the window's end to speak again.
 * ? order: cut, now, cut.
 */
#define HEARTBEAT_LOST "st.last_updated IS NOT NULL AND st.last_updated < ? " \
	"AND NOT " MAINT_WINDOW_EXISTS("st.service_id", "?", "?")
#define STALE_DOWN "st.status IN ('Up', 'Degraded') AND " HEARTBEAT_LOST

static const char SQL_HB_DOWNTIMES[] =
    "INSERT IGNORE INTO downtimes (service_id, start_time, end_time, reason, "
    "source, created_at) SELECT st.service_id, st.last_updated, NULL, "
    "CONCAT('No heartbeat for ', TIMESTAMPDIFF(MINUTE, st.last_updated, ?), "
    "' minutes'), 'heartbeat', ? FROM service_status st WHERE " STALE_DOWN
    " AND NOT EXISTS (SELECT 1 FROM downtimes d WHERE "
    "d.service_id = st.service_id AND d.end_time IS NULL) RETURNING service_id";
static const char SQL_HB_DOWN[] =
    "UPDATE service_status st SET st.status = 'Down', st.changed_at = ?, "
    "st.set_by = NULL WHERE " STALE_DOWN;
static const char SQL_HB_DEGRADED[] =
    "UPDATE service_status st SET st.status = 'Degraded', st.changed_at = ?, "
    "st.set_by = NULL WHERE st.status = 'Up' AND " HEARTBEAT_LOST;
/* With the flag of a downtime logged by hand before (sql/036). */
static const char SQL_HB_UNKNOWN[] =
    "INSERT IGNORE INTO service_status (service_id, status, last_updated, "
    "changed_at, set_by, outage_open) SELECT s.id, 'Unknown', NULL, ?, NULL, "
    OUTAGE_OPEN("s.id") " FROM services s "
    "LEFT JOIN service_status st ON st.service_id = s.id "
    "WHERE st.service_id IS NULL";

/*
 * The outages opened for lost heartbeats, and the summary of the
 * services that have one now (db_outages.h): none on most ticks.
 */
static int
hb_downtimes(struct db *db, struct dbval *args, size_t nargs, time_t now)
{
	struct dbrows	*r;
	long long	*ids = NULL;
	char		*json = NULL;
	size_t		 n = 0;
	int		 rc;

	if ((r = db_query(db, SQL_HB_DOWNTIMES, args, nargs)) == NULL)
		return -1;
	if (db_nrows(r) > 0 &&
	    (ids = calloc((size_t)db_nrows(r), sizeof(*ids))) == NULL) {
		db_rows_free(r);
		return -1;
	}
	while ((rc = db_next(r)) == 1)
		ids[n++] = db_int(r, 0);
	db_rows_free(r);
	if (rc == -1 || (n > 0 && (json = db_ids_json(ids, n)) == NULL)) {
		free(ids);
		return -1;
	}
	free(ids);
	if (n == 0)
		return 0;
	rc = db_outages_write_ids(db, json, now);
	free(json);
	return rc;
}

int
db_sched_heartbeats(struct db *db, time_t now, int degraded_after,
    int down_after, unsigned long long *down, unsigned long long *degraded,
    unsigned long long *unknown)
{
	time_t		 down_cut = now - down_after, deg_cut = now - degraded_after;
	struct dbval	 dt[] = { DBT(now), DBT(now), DBT(down_cut), DBT(now),
			    DBT(down_cut) };
	struct dbval	 dn[] = { DBT(now), DBT(down_cut), DBT(now),
			    DBT(down_cut) };
	struct dbval	 dg[] = { DBT(now), DBT(deg_cut), DBT(now), DBT(deg_cut) };
	struct dbval	 un[] = { DBT(now) };

	/* Only when some went Down: their risk inputs and their dependents'. */
	if (hb_downtimes(db, dt, NARGS(dt), now) == -1 ||
	    db_exec(db, SQL_HB_DOWN, dn, NARGS(dn), down, NULL) == -1 ||
	    (*down > 0 &&
	    db_riskstate_bump(db, RS_HEARTBEATS_DOWN, 0, now) == -1) ||
	    db_exec(db, SQL_HB_DEGRADED, dg, NARGS(dg), degraded, NULL) == -1 ||
	    db_exec(db, SQL_HB_UNKNOWN, un, NARGS(un), unknown, NULL) == -1)
		return -1;
	return 0;
}

/* ---- StatusChange alerts ---- */

/*
 * A status to report: changed since the last alert, unless it is
 * trouble (not Up) of a service in maintenance as of now.  What still
 * holds when the window ends is reported then; a recovery never waits.
 * ? order: now, now.
 */
#define SA_DUE "NOT (st.status <=> st.alerted_status) AND (st.status = 'Up' " \
	"OR NOT " MAINT_WINDOW_EXISTS("st.service_id", "?", "?") ")"

/* The rows to report, locked so no status moves under us. */
static const char SQL_SA_LOCK[] =
    "SELECT st.service_id FROM service_status st WHERE " SA_DUE " FOR UPDATE";
static const char SQL_SA_RAISE[] =
    "INSERT IGNORE INTO alerts (service_id, type, message, severity, cause, "
    "created_at) SELECT st.service_id, 'StatusChange', "
    "CASE WHEN st.status = 'Up' THEN CONCAT('Service ', s.name, ' recovered: "
    "status is Up (was ', st.alerted_status, ')') "
    "WHEN st.alerted_status IS NULL THEN CONCAT('Service ', s.name, "
    "' status is ', st.status) "
    "ELSE CONCAT('Service ', s.name, ' status changed from ', "
    "st.alerted_status, ' to ', st.status) END, "
    "CASE st.status WHEN 'Down' THEN 'Critical' WHEN 'Up' THEN 'Info' "
    "ELSE 'Warning' END, st.status, ? "
    "FROM service_status st JOIN services s ON s.id = st.service_id "
    "WHERE " SA_DUE " AND NOT (st.status = 'Up' AND st.alerted_status IS NULL)";
static const char SQL_SA_MARK[] =
    "UPDATE service_status st SET st.alerted_status = st.status WHERE " SA_DUE;

int
db_sched_status_alerts(struct db *db, time_t now, unsigned long long *raised)
{
	struct dbval	 args[] = { DBT(now), DBT(now), DBT(now) };
	struct dbrows	*r;
	int		 any;

	/*
	 * The lock makes the three statements see one state: a status
	 * write by the API waits for this transaction, then shows next tick.
	 * Nothing to report (most ticks): spare the other two full scans.
	 */
	*raised = 0;
	if ((r = db_query(db, SQL_SA_LOCK, args + 1, 2)) == NULL)
		return -1;
	any = db_next(r);
	db_rows_free(r);
	if (any <= 0)
		return any;
	if (db_exec(db, SQL_SA_RAISE, args, NARGS(args), raised, NULL) == -1 ||
	    db_exec(db, SQL_SA_MARK, args + 1, 2, NULL, NULL) == -1)
		return -1;
	db_alerts_raised(db, *raised);
	return 0;
}

/* ---- SLA breaches ---- */

/*
 * Outages open, or ended within 24 hours, with their length in minutes
 * as of now (e: their end, or now) less the time inside their service's
 * maintenance windows: planned work does not breach an RTO.  Windows of
 * one service that overlap each other take their common part off twice
 * (never below 0).  ? order: now, now, now, now - 24h.
 */
#define BREACH_SOURCE \
	"(SELECT x.id, x.service_id, x.start_time, x.end_time, x.reason, " \
	"GREATEST(0, TIMESTAMPDIFF(SECOND, x.start_time, x.e) - COALESCE((" \
	"SELECT SUM(TIMESTAMPDIFF(SECOND, GREATEST(mw.starts_at, x.start_time), " \
	"LEAST(mw.ends_at, x.e))) FROM maintenance_services mws " \
	"JOIN maintenance mw ON mw.id = mws.maintenance_id " \
	"WHERE mws.service_id = x.service_id AND mw.starts_at < x.e AND " \
	"mw.ends_at > x.start_time), 0)) DIV 60 AS mins " \
	"FROM (SELECT d.id, d.service_id, d.start_time, d.end_time, d.reason, " \
	"LEAST(COALESCE(d.end_time, ?), ?) AS e FROM downtimes d " \
	"WHERE d.start_time < ? AND (d.end_time IS NULL OR d.end_time > ?)) x) o " \
	"JOIN bia b ON b.service_id = o.service_id "
#define BREACH_THRESHOLD "CASE ? WHEN 'RTO' THEN b.rto ELSE b.rpo END"

static const char SQL_BR_ALERT[] =
    "INSERT IGNORE INTO alerts (service_id, type, message, severity, cause, "
    "created_at) SELECT o.service_id, CONCAT('SLA_', ?), "
    "CONCAT('SLA Breach: ', ?, ' exceeded ', " BREACH_THRESHOLD ", "
    "' minutes (Actual: ', o.mins, ' minutes)'), 'Critical', o.id, ? "
    "FROM " BREACH_SOURCE "WHERE " BREACH_THRESHOLD " IS NOT NULL AND "
    "o.mins > " BREACH_THRESHOLD " AND NOT EXISTS (SELECT 1 FROM sla_breaches x "
    "WHERE x.downtime_id = o.id AND x.type = ?)";
/*
 * NOT EXISTS here too, so that a tick with nothing new inserts nothing
 * rather than having IGNORE drop every known breach again; the unique
 * key still settles a race.
 */
static const char SQL_BR_RECORD[] =
    "INSERT IGNORE INTO sla_breaches (service_id, downtime_id, type, "
    "downtime_minutes, threshold_minutes, start_time, end_time, reason, "
    "created_at) SELECT o.service_id, o.id, ?, o.mins, " BREACH_THRESHOLD ", "
    "o.start_time, o.end_time, o.reason, ? FROM " BREACH_SOURCE
    "WHERE " BREACH_THRESHOLD " IS NOT NULL AND o.mins > " BREACH_THRESHOLD
    " AND NOT EXISTS (SELECT 1 FROM sla_breaches x WHERE x.downtime_id = o.id "
    "AND x.type = ?)";

/*
 * Whether either type has a breach to record: one pass over the recent
 * outages, so that a tick with none (most ticks) spares the four.
 */
#define BREACH_NEW(col, type) "(b." col " IS NOT NULL AND o.mins > b." col \
	" AND NOT EXISTS (SELECT 1 FROM sla_breaches x WHERE " \
	"x.downtime_id = o.id AND x.type = '" type "'))"
static const char SQL_BR_ANY[] =
    "SELECT EXISTS (SELECT 1 FROM " BREACH_SOURCE "WHERE "
    BREACH_NEW("rto", "RTO") " OR " BREACH_NEW("rpo", "RPO") ")";

int
db_sched_breaches(struct db *db, time_t now, unsigned long long *recorded)
{
	static const char *const types[] = { "RTO", "RPO" };
	unsigned long long	 n, raised;
	time_t			 since = now - 24 * 3600;
	struct dbval		 any[] = { DBT(now), DBT(now), DBT(now),
				    DBT(since) };
	long long		 due;
	size_t			 i;

	*recorded = 0;
	if (db_scalar(db, SQL_BR_ANY, any, NARGS(any), &due) != 1)
		return -1;
	for (i = 0; due && i < 2; i++) {
		const char	*t = types[i];
		struct dbval	 alert[] = {
			DBS(t), DBS(t), DBS(t), DBT(now),
			DBT(now), DBT(now), DBT(now), DBT(since),
			DBS(t), DBS(t), DBS(t),
		};
		struct dbval	 rec[] = {
			DBS(t), DBS(t), DBT(now),
			DBT(now), DBT(now), DBT(now), DBT(since),
			DBS(t), DBS(t), DBS(t),
		};

		if (db_exec(db, SQL_BR_ALERT, alert, NARGS(alert), &raised,
		    NULL) == -1 ||
		    db_exec(db, SQL_BR_RECORD, rec, NARGS(rec), &n, NULL) == -1)
			return -1;
		db_alerts_raised(db, raised);
		db_count(db, DBC_BREACHES, (long long)n);
		*recorded += n;
	}
	return 0;
}

/* ---- notification queue ---- */

static const char SQL_NQ_MAX[] = "SELECT COALESCE(MAX(id), 0) FROM alerts";
static const char SQL_NQ_QUEUE[] =
    "INSERT IGNORE INTO outbox (integration_id, event, alert_id, payload, "
    "status, attempts, next_attempt_at, created_at) "
    "SELECT i.id, 'alert', a.id, JSON_OBJECT('alert_id', a.id, "
    "'service_id', a.service_id, 'service_name', s.name, 'type', a.type, "
    "'severity', a.severity, 'message', a.message, 'created_at', "
    "DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%sZ')), 'pending', 0, ?, ? "
    "FROM alerts a JOIN integrations i ON i.service_id = a.service_id "
    "AND (i.type IN ('Slack', 'Webhook') OR (? AND i.type = 'Email')) "
    "JOIN services s ON s.id = a.service_id "
    "WHERE a.notified = 0 AND a.id <= ? AND a.severity IN ('Warning', 'Critical')";
static const char SQL_NQ_MARK[] =
    "UPDATE alerts SET notified = 1 WHERE notified = 0 AND id <= ?";

int
db_sched_enqueue(struct db *db, time_t now, bool with_email,
    unsigned long long *queued)
{
	long long	 max;

	if (db_scalar(db, SQL_NQ_MAX, NULL, 0, &max) != 1)
		return -1;
	{
		struct dbval	 q[] = { DBT(now), DBT(now), DBI(with_email),
		    DBI(max) };
		struct dbval	 m[] = { DBI(max) };

		if (db_exec(db, SQL_NQ_QUEUE, q, NARGS(q), queued, NULL) == -1 ||
		    db_exec(db, SQL_NQ_MARK, m, NARGS(m), NULL, NULL) == -1)
			return -1;
	}
	return 0;
}
