/*
 * The incident jobs' statements.  Idempotent: the offers and the
 * reminders keep what was done, so a tick run twice (or by a new
 * leader) does nothing twice.
 */
#include "config.h"

#include "db/db.h"
#include "db/db_sched_incidents.h"

#define DAEMON	"'resilops-sched'"

/* The outages to offer a draft for: open, the daemon's, public, new. */
#define OFFER_FROM \
    "FROM downtimes d JOIN services s ON s.id = d.service_id " \
    "LEFT JOIN bia b ON b.service_id = s.id " \
    "LEFT JOIN incident_offers o ON o.downtime_id = d.id " \
    "WHERE d.end_time IS NULL AND d.source = 'heartbeat' " \
    "AND s.public = 1 AND o.downtime_id IS NULL AND d.created_at <= ? "

static const char SQL_DRAFTS[] =
    "INSERT INTO incidents (title, impact, status, draft, downtime_id, "
    "created_by, created_at, updated_at) "
    "SELECT LEFT(CONCAT(s.name, ' is down'), 200), "
    "CASE b.criticality WHEN 'High' THEN 'critical' "
    "WHEN 'Medium' THEN 'major' ELSE 'minor' END, 'investigating', 1, d.id, "
    DAEMON ", ?, ? " OFFER_FROM;
/* The drafts just made: their services and first updates, then offers. */
static const char SQL_DRAFT_SERVICES[] =
    "INSERT INTO incident_services (incident_id, service_id) "
    "SELECT i.id, d.service_id FROM incidents i "
    "JOIN downtimes d ON d.id = i.downtime_id "
    "LEFT JOIN incident_offers o ON o.downtime_id = d.id "
    "WHERE i.draft = 1 AND o.downtime_id IS NULL";
static const char SQL_DRAFT_UPDATES[] =
    "INSERT INTO incident_updates (incident_id, status, message, "
    "created_by, created_at) "
    "SELECT i.id, 'investigating', CONCAT('Outage detected: ', d.reason, "
    "'. This draft is not public until someone publishes it.'), "
    DAEMON ", ? FROM incidents i "
    "JOIN downtimes d ON d.id = i.downtime_id "
    "LEFT JOIN incident_offers o ON o.downtime_id = d.id "
    "WHERE i.draft = 1 AND o.downtime_id IS NULL";
static const char SQL_OFFERS[] =
    "INSERT INTO incident_offers (downtime_id, offered_at) "
    "SELECT i.downtime_id, ? FROM incidents i "
    "LEFT JOIN incident_offers o ON o.downtime_id = i.downtime_id "
    "WHERE i.draft = 1 AND i.downtime_id IS NOT NULL "
    "AND o.downtime_id IS NULL";

/*
 * A bad spell began at the earliest open outage, else when the status
 * last changed (a Degraded set by hand, or before the outage opened).
 */
#define SPELL_SINCE "COALESCE((SELECT MIN(d.start_time) FROM downtimes d " \
    "WHERE d.service_id = st.service_id AND d.end_time IS NULL), " \
    "st.changed_at)"
static const char SQL_REMIND[] =
    "INSERT IGNORE INTO incident_reminders (service_id, since, step_hours, "
    "sent_at) SELECT x.service_id, x.since, steps.h, ? FROM ("
    "SELECT st.service_id, " SPELL_SINCE " AS since FROM service_status st "
    "WHERE st.status IN ('Down', 'Degraded') AND NOT EXISTS ("
    "SELECT 1 FROM incident_services xs JOIN incidents i "
    "ON i.id = xs.incident_id WHERE xs.service_id = st.service_id "
    "AND i.draft = 0 AND i.resolved_at IS NULL)) x "
    "JOIN (" REMINDER_STEPS_SQL ") steps "
    "ON x.since <= ? - INTERVAL steps.h HOUR";
/* Only the highest step each spell reached in this run is told. */
static const char SQL_NOTIFY[] =
    "INSERT INTO notifications (user_id, message, type, ticket_id, "
    "created_at) SELECT u.id, LEFT(CONCAT(s.name, ' has been ', st.status, "
    "' for ', r.step_hours, ' hours and no incident is open'), 500), "
    "'WARNING', NULL, ? FROM incident_reminders r "
    "JOIN services s ON s.id = r.service_id "
    "JOIN service_status st ON st.service_id = r.service_id "
    "JOIN users u ON u.role = 'Business Owner' AND u.active = 1 "
    "WHERE r.sent_at = ? AND r.step_hours = (SELECT MAX(r2.step_hours) "
    "FROM incident_reminders r2 WHERE r2.service_id = r.service_id "
    "AND r2.since = r.since AND r2.sent_at = ?)";

int
db_sched_incident_drafts(struct db *db, time_t now, unsigned long long *n)
{
	struct dbval	 draft[] = { DBT(now), DBT(now), DBT(now) };
	struct dbval	 at[] = { DBT(now) };

	*n = 0;
	if (db_exec(db, SQL_DRAFTS, draft, NARGS(draft), n, NULL) == -1)
		return -1;
	db_count(db, DBC_INCIDENTS, (long long)*n);
	if (*n == 0)
		return 0;
	if (db_exec(db, SQL_DRAFT_SERVICES, NULL, 0, NULL, NULL) == -1 ||
	    db_exec(db, SQL_DRAFT_UPDATES, at, NARGS(at), NULL, NULL) == -1)
		return -1;
	return db_exec(db, SQL_OFFERS, at, NARGS(at), NULL, NULL);
}

int
db_sched_incident_reminders(struct db *db, time_t now, unsigned long long *n)
{
	struct dbval		 remind[] = { DBT(now), DBT(now) };
	struct dbval		 notify[] = { DBT(now), DBT(now), DBT(now) };
	unsigned long long	 rows = 0;

	*n = 0;
	if (db_exec(db, SQL_REMIND, remind, NARGS(remind), &rows, NULL) == -1)
		return -1;
	if (rows == 0)
		return 0;
	return db_exec(db, SQL_NOTIFY, notify, NARGS(notify), n, NULL);
}
