/*
 * Escalation in sets: one UPDATE picks the tickets and their new
 * assignees at once (the escalating tickets, in order, dealt round the
 * Senior Technicians from the least loaded up), marks them pending, and
 * the statements after it announce every pending ticket at once.
 */
#include "config.h"

#include <stdlib.h>

#include "db/db.h"
#include "db/db_alert.h"
#include "db/db_escalate.h"

#define ESCALATING "status IN ('OPEN', 'IN_PROGRESS') AND " \
	"((? = 0 AND escalated_at IS NULL AND high_at <= ?) OR id = ?)"

/*
 * The n-th escalating ticket (by when it got there) goes to the
 * (n mod k)-th of the k active Senior Technicians ordered by their open
 * tickets, fewest first: one of them gets all when one escalates.
 */
static const char SQL_PICK[] =
    "UPDATE tickets t JOIN (SELECT e.id, s.uid FROM "
    "(SELECT id, ROW_NUMBER() OVER (ORDER BY high_at, id) - 1 AS rn "
    "FROM tickets WHERE " ESCALATING ") e LEFT JOIN "
    "(SELECT u.id AS uid, ROW_NUMBER() OVER (ORDER BY COUNT(o.id), u.id) - 1 "
    "AS rk, COUNT(*) OVER () AS k FROM users u LEFT JOIN tickets o ON "
    "o.assignee_id = u.id AND o.status <> 'RESOLVED' "
    "WHERE u.role = 'Senior Technician' AND u.active = 1 GROUP BY u.id) s "
    "ON s.rk = e.rn MOD s.k) x ON x.id = t.id "
    "SET t.prev_assignee_id = t.assignee_id, "
    "t.assignee_id = COALESCE(x.uid, t.assignee_id), t.status = 'ESCALATED', "
    "t.escalated_at = ?, t.updated_at = ?, t.escalation_pending = 1";
static const char SQL_PENDING[] =
    "SELECT id, assignee_id FROM tickets WHERE escalation_pending = 1 "
    "ORDER BY id";
static const char SQL_NOTIFY_ASSIGNEE[] =
    "INSERT INTO notifications (user_id, message, type, ticket_id, created_at) "
    "SELECT assignee_id, CONCAT('Ticket #', id, ' \"', title, "
    "'\" was escalated to you'), 'ALERT', id, ? FROM tickets "
    "WHERE escalation_pending = 1 AND assignee_id IS NOT NULL";
static const char SQL_NOTIFY_MANAGERS[] =
    "INSERT INTO notifications (user_id, message, type, ticket_id, created_at) "
    "SELECT u.id, CONCAT('Ticket #', t.id, ' \"', t.title, '\" was escalated', "
    "IF(a.id IS NULL, '', CONCAT(' to ', COALESCE(a.name, a.username)))), "
    "'WARNING', t.id, ? FROM tickets t JOIN users u ON u.role = 'Manager' "
    "AND u.active = 1 LEFT JOIN users a ON a.id = t.assignee_id "
    "WHERE t.escalation_pending = 1";
static const char SQL_NOTIFY_PREVIOUS[] =
    "INSERT INTO notifications (user_id, message, type, ticket_id, created_at) "
    "SELECT prev_assignee_id, CONCAT('Ticket #', id, ' \"', title, "
    "'\" was escalated and reassigned'), 'INFO', id, ? FROM tickets "
    "WHERE escalation_pending = 1 AND prev_assignee_id IS NOT NULL "
    "AND NOT (prev_assignee_id <=> assignee_id)";
static const char SQL_ACTIVITY[] =
    "INSERT INTO ticket_activity (ticket_id, user_id, username, action, "
    "details, created_at) SELECT id, ?, ?, 'escalated', JSON_OBJECT("
    "'from_assignee_id', prev_assignee_id, 'to_assignee_id', assignee_id), ? "
    "FROM tickets WHERE escalation_pending = 1";
static const char SQL_ALERT[] =
    "INSERT IGNORE INTO alerts (service_id, type, message, severity, cause, "
    "created_at) SELECT service_id, 'TicketEscalated', CONCAT('Ticket #', id, "
    "' \"', title, '\" was escalated (', priority, ')'), 'Warning', "
    "CONCAT('ticket:', id), ? FROM tickets WHERE escalation_pending = 1 "
    "AND service_id IS NOT NULL";
static const char SQL_DONE[] =
    "UPDATE tickets SET escalation_pending = 0 WHERE escalation_pending = 1";

static int
escalated_fill(struct dbrows *r, void *p)
{
	struct escalated	*e = p;

	e->id = db_int(r, 0);
	e->assignee_id = db_int(r, 1);
	return 0;
}

int
db_escalate(struct db *db, time_t now, long long only, long long by,
    const char *by_name, struct escalated **out, size_t *n)
{
	struct dbval	 pick[] = {
		DBI(only), DBT(now), DBI(only), DBT(now), DBT(now),
	};
	struct dbval	 at[] = { DBT(now) };
	unsigned long long raised;
	struct dbval	 act[] = { by ? DBI(by) : DBNULL, DBS(by_name), DBT(now) };

	*out = NULL;
	*n = 0;
	if (db_exec(db, SQL_PICK, pick, NARGS(pick), NULL, NULL) == -1 ||
	    db_collect(db, SQL_PENDING, NULL, 0, sizeof(**out), escalated_fill,
	    NULL, (void **)out, n) == -1)
		return -1;
	if (*n == 0)
		return 0;
	if (db_exec(db, SQL_NOTIFY_ASSIGNEE, at, 1, NULL, NULL) == -1 ||
	    db_exec(db, SQL_NOTIFY_MANAGERS, at, 1, NULL, NULL) == -1 ||
	    db_exec(db, SQL_NOTIFY_PREVIOUS, at, 1, NULL, NULL) == -1 ||
	    db_exec(db, SQL_ACTIVITY, act, NARGS(act), NULL, NULL) == -1 ||
	    db_exec(db, SQL_ALERT, at, 1, &raised, NULL) == -1 ||
	    db_exec(db, SQL_DONE, NULL, 0, NULL, NULL) == -1) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	db_alerts_raised(db, raised);
	return 0;
}
