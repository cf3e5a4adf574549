/*
 * resilops-sched's ticket statements.  Everything is set-based; where a
 * set is first marked (pending = 2) and then announced, the announcing
 * statements read exactly the marked rows, whatever commits meanwhile.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_maintenance.h"
#include "db/db_sched_tickets.h"

/* The SLA hours of an outage ticket: the priority's, capped by the RTO. */
#define OUTAGE_HOURS "IF(b.rto IS NULL, c.sla_hours, " \
	"LEAST(c.sla_hours, GREATEST(1, CEIL(b.rto / 60))))"

/*
 * One ticket per service with an open outage (its earliest open
 * downtime), unless an outage ticket of that service is still open, or
 * the service is in maintenance (an outage that outlasts the window
 * gets its ticket then).  ? order: now, now, now, now.
 */
static const char SQL_OUTAGE_OPEN[] =
    "INSERT INTO tickets (title, description, priority, status, "
    "service_id, downtime_id, created_at, updated_at, sla_limit_hours, "
    "first_response_hours, warn_percent, calendar, clock_dirty) "
    "SELECT CONCAT('Outage: ', s.name), d.reason, c.priority, 'OPEN', s.id, "
    "d.id, ?, ?, " OUTAGE_HOURS ", IF(c.first_response_hours IS NULL, NULL, "
    "LEAST(c.first_response_hours, " OUTAGE_HOURS ")), c.warn_percent, "
    "c.calendar, 1 FROM (SELECT service_id, MIN(id) AS did FROM downtimes "
    "WHERE end_time IS NULL GROUP BY service_id) od "
    "JOIN downtimes d ON d.id = od.did JOIN services s ON s.id = d.service_id "
    "JOIN bia b ON b.service_id = s.id AND b.criticality IN ('High', 'Medium') "
    "JOIN sla_config c ON c.priority = IF(b.criticality = 'High', 'CRITICAL', "
    "'HIGH') WHERE NOT EXISTS (SELECT 1 FROM ticket_outages o "
    "WHERE o.downtime_id = d.id) AND NOT EXISTS (SELECT 1 FROM tickets t "
    "WHERE t.service_id = s.id AND t.downtime_id IS NOT NULL "
    "AND t.status <> 'RESOLVED') AND NOT "
    MAINT_WINDOW_EXISTS("s.id", "?", "?");
/* Every open outage not yet linked joins its service's open outage ticket. */
static const char SQL_OUTAGE_LINK[] =
    "INSERT IGNORE INTO ticket_outages (downtime_id, ticket_id) "
    "SELECT d.id, t.id FROM downtimes d JOIN tickets t ON "
    "t.service_id = d.service_id AND t.downtime_id IS NOT NULL "
    "AND t.status <> 'RESOLVED' WHERE d.end_time IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM ticket_outages o WHERE o.downtime_id = d.id)";
static const char SQL_OUTAGE_BEGAN[] =
    "INSERT INTO ticket_activity (ticket_id, user_id, username, action, "
    "details, created_at) SELECT o.ticket_id, NULL, NULL, "
    "IF(o.downtime_id = t.downtime_id, 'created', 'outage_began'), "
    "JSON_OBJECT('downtime_id', d.id, 'service_id', d.service_id, "
    "'reason', d.reason, 'start_time', "
    "DATE_FORMAT(d.start_time, '%Y-%m-%dT%H:%i:%sZ')), ? "
    "FROM ticket_outages o JOIN tickets t ON t.id = o.ticket_id "
    "JOIN downtimes d ON d.id = o.downtime_id WHERE o.begin_noted = 0";
static const char SQL_OUTAGE_BEGAN_DONE[] =
    "UPDATE ticket_outages SET begin_noted = 1 WHERE begin_noted = 0";
static const char SQL_OUTAGE_ENDING[] =
    "UPDATE ticket_outages o JOIN downtimes d ON d.id = o.downtime_id "
    "SET o.end_noted = 2 WHERE o.end_noted = 0 AND d.end_time IS NOT NULL";
static const char SQL_OUTAGE_ENDED[] =
    "INSERT INTO ticket_activity (ticket_id, user_id, username, action, "
    "details, created_at) SELECT o.ticket_id, NULL, NULL, 'outage_ended', "
    "JSON_OBJECT('downtime_id', d.id, 'end_time', "
    "DATE_FORMAT(d.end_time, '%Y-%m-%dT%H:%i:%sZ'), 'minutes', "
    "TIMESTAMPDIFF(MINUTE, d.start_time, d.end_time)), ? "
    "FROM ticket_outages o JOIN downtimes d ON d.id = o.downtime_id "
    "WHERE o.end_noted = 2";
static const char SQL_OUTAGE_ENDED_DONE[] =
    "UPDATE ticket_outages SET end_noted = 1 WHERE end_noted = 2";

static const char SQL_STORE_MARKS[] =
    "UPDATE tickets t JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
    "id BIGINT UNSIGNED PATH '$[0]', half BIGINT PATH '$[1]', "
    "high BIGINT PATH '$[2]', breach BIGINT PATH '$[3]', "
    "warn BIGINT PATH '$[4]', fr BIGINT PATH '$[5]')) j ON t.id = j.id "
    "SET t.half_at = FROM_UNIXTIME(j.half), t.high_at = FROM_UNIXTIME(j.high), "
    "t.breach_at = FROM_UNIXTIME(j.breach), t.warn_at = FROM_UNIXTIME(j.warn), "
    "t.fr_due_at = FROM_UNIXTIME(j.fr), t.clock_dirty = 0";

#define MANAGERS "JOIN users u ON u.role = 'Manager' AND u.active = 1"
#define NOTIFY_INTO "INSERT INTO notifications (user_id, message, type, " \
	"ticket_id, created_at) "
#define TITLE "CONCAT('Ticket #', t.id, ' \"', t.title, '\"')"

/* High risk: every Manager, once. */
static const char SQL_HIGH_MARK[] =
    "UPDATE tickets SET high_notified = 2 WHERE high_notified = 0 "
    "AND high_at <= ?";
static const char SQL_HIGH_SEND[] =
    NOTIFY_INTO "SELECT u.id, CONCAT(" TITLE ", ' is at high risk: 75% of its ', "
    "t.sla_limit_hours, ' h SLA used'), 'WARNING', t.id, ? FROM tickets t "
    MANAGERS " WHERE t.high_notified = 2";
static const char SQL_HIGH_DONE[] =
    "UPDATE tickets SET high_notified = 1 WHERE high_notified = 2";
/* Breach: every Manager, once. */
static const char SQL_BREACH_MARK[] =
    "UPDATE tickets SET breach_notified = 2 WHERE breach_notified = 0 "
    "AND breach_at <= ?";
static const char SQL_BREACH_SEND[] =
    NOTIFY_INTO "SELECT u.id, CONCAT(" TITLE ", ' breached its ', "
    "t.sla_limit_hours, ' h SLA'), 'WARNING', t.id, ? FROM tickets t "
    MANAGERS " WHERE t.breach_notified = 2";
static const char SQL_BREACH_DONE[] =
    "UPDATE tickets SET breach_notified = 1 WHERE breach_notified = 2";
/* The warning before a breach: the assignee (or the Managers), once. */
#define WARN_DUE "warned = 0 AND warn_at <= ? AND status NOT IN " \
	"('RESOLVED', 'WAITING_ON_CUSTOMER')"
static const char SQL_WARN_CALENDARS[] =
    "SELECT DISTINCT calendar FROM tickets WHERE " WARN_DUE
    " AND calendar IS NOT NULL";
static const char SQL_WARN_MARK[] =
    "UPDATE tickets SET warned = 2 WHERE " WARN_DUE " AND (calendar IS NULL "
    "OR calendar IN (SELECT c FROM JSON_TABLE(?, '$[*]' COLUMNS "
    "(c TEXT PATH '$')) j))";
#define WARN_TEXT "CONCAT(" TITLE ", ' has used ', t.warn_percent, " \
	"'% of its SLA', COALESCE(CONCAT(': it breaches at ', " \
	"DATE_FORMAT(t.breach_at, '%Y-%m-%dT%H:%i:%sZ')), ''))"
static const char SQL_WARN_ASSIGNEE[] =
    NOTIFY_INTO "SELECT t.assignee_id, " WARN_TEXT ", 'WARNING', t.id, ? "
    "FROM tickets t WHERE t.warned = 2 AND t.assignee_id IS NOT NULL";
static const char SQL_WARN_MANAGERS[] =
    NOTIFY_INTO "SELECT u.id, " WARN_TEXT ", 'WARNING', t.id, ? FROM tickets t "
    MANAGERS " WHERE t.warned = 2 AND t.assignee_id IS NULL";
static const char SQL_WARN_DONE[] =
    "UPDATE tickets SET warned = 1 WHERE warned = 2";
/* A missed first response: the Managers and the assignee, once. */
static const char SQL_FR_MARK[] =
    "UPDATE tickets SET fr_breach_notified = 2 WHERE fr_breach_notified = 0 "
    "AND fr_due_at <= ? AND first_response_at IS NULL";
#define FR_TEXT "CONCAT(" TITLE ", ' missed its first-response target', " \
	"COALESCE(CONCAT(' of ', t.first_response_hours, ' h'), ''))"
static const char SQL_FR_MANAGERS[] =
    NOTIFY_INTO "SELECT u.id, " FR_TEXT ", 'WARNING', t.id, ? FROM tickets t "
    MANAGERS " WHERE t.fr_breach_notified = 2";
static const char SQL_FR_ASSIGNEE[] =
    NOTIFY_INTO "SELECT t.assignee_id, " FR_TEXT ", 'WARNING', t.id, ? "
    "FROM tickets t WHERE t.fr_breach_notified = 2 "
    "AND t.assignee_id IS NOT NULL";
static const char SQL_FR_DONE[] =
    "UPDATE tickets SET fr_breach_notified = 1 WHERE fr_breach_notified = 2";

int
db_sched_outage_tickets(struct db *db, time_t now, unsigned long long *opened)
{
	struct dbval	 four[] = { DBT(now), DBT(now), DBT(now), DBT(now) };
	struct dbval	 one[] = { DBT(now) };

	if (db_exec(db, SQL_OUTAGE_OPEN, four, NARGS(four), opened, NULL) == -1 ||
	    db_exec(db, SQL_OUTAGE_LINK, NULL, 0, NULL, NULL) == -1 ||
	    db_exec(db, SQL_OUTAGE_BEGAN, one, NARGS(one), NULL, NULL) == -1 ||
	    db_exec(db, SQL_OUTAGE_BEGAN_DONE, NULL, 0, NULL, NULL) == -1 ||
	    db_exec(db, SQL_OUTAGE_ENDING, NULL, 0, NULL, NULL) == -1 ||
	    db_exec(db, SQL_OUTAGE_ENDED, one, NARGS(one), NULL, NULL) == -1 ||
	    db_exec(db, SQL_OUTAGE_ENDED_DONE, NULL, 0, NULL, NULL) == -1)
		return -1;
	return 0;
}

int
db_sched_store_marks(struct db *db, const char *json)
{
	struct dbval	 args[] = { DBS(json) };

	return db_exec(db, SQL_STORE_MARKS, args, NARGS(args), NULL, NULL);
}

static int
calendar_fill(struct dbrows *r, void *p)
{
	return (*(char **)p = db_text_dup(r, 0, NULL)) == NULL ? -1 : 0;
}

static void
calendar_clear(void *p)
{
	free(*(char **)p);
}

int
db_sched_warn_calendars(struct db *db, time_t now, char ***out, size_t *n)
{
	struct dbval	 args[] = { DBT(now) };

	return db_collect(db, SQL_WARN_CALENDARS, args, NARGS(args),
	    sizeof(char *), calendar_fill, calendar_clear, (void **)out, n);
}

/* Mark (with now), send each (with now), done; *sent += rows sent. */
static int
announce(struct db *db, time_t now, const char *mark, const struct dbval *margs,
    size_t nmargs, const char *const *send, size_t nsend, const char *done,
    unsigned long long *sent)
{
	struct dbval		 at[] = { DBT(now) };
	unsigned long long	 marked, n;
	size_t			 i;

	if (db_exec(db, mark, margs, nmargs, &marked, NULL) == -1)
		return -1;
	if (marked == 0)
		return 0;
	for (i = 0; i < nsend; i++) {
		if (db_exec(db, send[i], at, NARGS(at), &n, NULL) == -1)
			return -1;
		*sent += n;
	}
	return db_exec(db, done, NULL, 0, NULL, NULL);
}

int
db_sched_ticket_notices(struct db *db, time_t now, const char *open_calendars,
    unsigned long long *sent)
{
	static const char *const high[] = { SQL_HIGH_SEND };
	static const char *const breach[] = { SQL_BREACH_SEND };
	static const char *const warn[] = { SQL_WARN_ASSIGNEE, SQL_WARN_MANAGERS };
	static const char *const fr[] = { SQL_FR_MANAGERS, SQL_FR_ASSIGNEE };
	struct dbval	 at[] = { DBT(now) };
	struct dbval	 wargs[] = { DBT(now), DBS(open_calendars) };

	*sent = 0;
	if (announce(db, now, SQL_HIGH_MARK, at, 1, high, 1, SQL_HIGH_DONE,
	    sent) == -1 ||
	    announce(db, now, SQL_BREACH_MARK, at, 1, breach, 1,
	    SQL_BREACH_DONE, sent) == -1 ||
	    announce(db, now, SQL_WARN_MARK, wargs, NARGS(wargs), warn, 2,
	    SQL_WARN_DONE, sent) == -1 ||
	    announce(db, now, SQL_FR_MARK, at, 1, fr, 2, SQL_FR_DONE, sent) == -1)
		return -1;
	return 0;
}
