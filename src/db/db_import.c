/*
 * The import's writes (see db_import.h): one statement per kind of
 * row, and the map that makes a second import change nothing.
 */
#include "config.h"

#include <stddef.h>
#include <time.h>

#include "db/db.h"
#include "db/db_import.h"
#include "db/db_outages.h"
#include "db/db_integration.h"
#include "db/db_service.h"
#include "db/db_ticket.h"
#include "db/db_ticket_tally.h"
#include "util/log.h"

static const char sql_user[] =
    "INSERT INTO users (username, email, name, password_hash, role, "
    "active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)";
static const char sql_service[] =
    "INSERT INTO services (name, description, created_by, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?)";
static const char sql_dependency[] =
    "INSERT IGNORE INTO service_dependencies (service_id, dependency_id) "
    "VALUES (?, ?)";
static const char sql_bia[] =
    "INSERT IGNORE INTO bia (service_id, criticality, impact, rto, rpo, "
    "signed_off, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char sql_status[] =
    "INSERT IGNORE INTO service_status (service_id, status, last_updated, "
    "changed_at, set_by) VALUES (?, ?, ?, ?, NULL)";
static const char sql_downtime[] =
    "INSERT INTO downtimes (service_id, start_time, end_time, reason, "
    "source, created_at) VALUES (?, ?, ?, ?, 'manual', ?)";
static const char sql_risk[] =
    "INSERT INTO risks (service_id, risk_score, risk_level, reason, "
    "is_critical, source, created_by, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
/* LAST_INSERT_ID(id): the row's id whether it was inserted or updated. */
static const char sql_sla_config[] =
    "INSERT INTO sla_config (priority, sla_hours, warn_percent, updated_at) "
    "VALUES (?, ?, 90, ?) ON DUPLICATE KEY UPDATE "
    "sla_hours = VALUES(sla_hours), updated_at = VALUES(updated_at), "
    "id = LAST_INSERT_ID(id)";
/*
 * The SLA as the original kept it (hours; no first-response target, no
 * calendar: SLA Guard had neither), the clock's instants computed by
 * the caller, and a mark already passed counted as announced, so an
 * old ticket does not notify anyone again when it arrives.
 */
static const char sql_ticket[] =
    "INSERT INTO tickets (title, customer, description, priority, status, "
    "assignee_id, created_by_user_id, created_at, updated_at, resolved_at, "
    "sla_limit_hours, first_response_hours, warn_percent, calendar, "
    "half_at, high_at, breach_at, warn_at, escalated_at, high_notified, "
    "breach_notified, warned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "NULL, 90, NULL, ?, ?, ?, ?, ?, ?, ?, ?)";
/* The username as activity stores it: the account's, as of the import. */
static const char sql_activity[] =
    "INSERT INTO ticket_activity (ticket_id, user_id, username, action, "
    "details, created_at) VALUES (?, ?, (SELECT u.username FROM users u "
    "WHERE u.id = ?), ?, ?, ?)";
static const char sql_notification[] =
    "INSERT INTO notifications (user_id, message, type, is_read, "
    "ticket_id, created_at) VALUES (?, ?, ?, ?, ?, ?)";

/*
 * An integration brought over was not added by anyone today: the
 * announcement db_integration_add queues would greet every old Slack
 * channel and webhook again.
 */
static const char sql_quiet[] =
    "DELETE FROM outbox WHERE integration_id = ? AND event = "
    "'" OUTBOX_EVENT_INTEGRATION_ADDED "'";

/*
 * count: the counter a list reports (counters) that each row written
 * adds to, in the import's transaction like every other insert.  The
 * ticket analytics' aggregates are made once at the end, as the
 * summaries are (db_import_summaries), not a tally per ticket.
 */
static const struct {
	const char	*sql;
	size_t		 nargs;
	int		 keyed;	/* no id of its own: answer the rows written */
	int		(*count)(struct db *, long long);
} stmts[IMPORT__MAX] = {
	[IMPORT_USER] = { sql_user, 7, 0 },
	[IMPORT_SERVICE] = { sql_service, 5, 0, db_service_count_add },
	[IMPORT_DEPENDENCY] = { sql_dependency, 2, 1 },
	[IMPORT_BIA] = { sql_bia, 7, 1 },
	[IMPORT_STATUS] = { sql_status, 4, 1 },
	[IMPORT_DOWNTIME] = { sql_downtime, 5, 0 },
	[IMPORT_RISK] = { sql_risk, 8, 0 },
	[IMPORT_SLA_CONFIG] = { sql_sla_config, 3, 0 },
	[IMPORT_TICKET] = { sql_ticket, 19, 0, db_ticket_count_add },
	[IMPORT_ACTIVITY] = { sql_activity, 6, 0 },
	[IMPORT_NOTIFICATION] = { sql_notification, 6, 0 },
	[IMPORT_QUIET] = { sql_quiet, 1, 1 },
};

/*
 * The edges come one row at a time (INSERT IGNORE, some already there):
 * the summaries are made once at the end, for every service, as the
 * risk job's generations are (import.c).  An import runs rarely; the
 * count of integrations is already right (db_integration_add), and
 * made again here from the same rows.
 */
static const char sql_summaries[] =
    "UPDATE services s SET s.deps = " SERVICE_DEPS_OF("") ", "
    "s.integrations = (SELECT COUNT(*) FROM integrations i "
    "WHERE i.service_id = s.id)";
/* The rows' copies of their BIA (sql/033), as db_bia_upsert makes one. */
static const char sql_bia_kept[] = SERVICE_BIA_KEEP;

static const char sql_map_get[] =
    "SELECT target_id FROM import_map WHERE source = ? AND "
    "source_table = ? AND source_id = ?";
static const char sql_map_put[] =
    "INSERT INTO import_map (source, source_table, source_id, target_id, "
    "imported_at) VALUES (?, ?, ?, ?, ?)";

long long
db_import_insert(struct db *db, enum import_stmt which,
    const struct dbval *args, size_t nargs)
{
	unsigned long long	 affected = 0, id = 0;

	if ((unsigned)which >= IMPORT__MAX || nargs != stmts[which].nargs)
		return log_warnx("%s: statement %d with %zu parameters",
		    __func__, (int)which, nargs);
	if (db_exec(db, stmts[which].sql, args, nargs, &affected, &id) == -1 ||
	    (stmts[which].count != NULL && affected > 0 &&
	    stmts[which].count(db, (long long)affected) == -1))
		return -1;
	return stmts[which].keyed ? (long long)affected : (long long)id;
}

long long
db_import_target(struct db *db, const char *source, const char *table,
    long long id)
{
	struct dbval	 args[] = { DBS(source), DBS(table), DBI(id) };
	long long	 target = 0;

	if (db_scalar(db, sql_map_get, args, NARGS(args), &target) == -1)
		return -1;
	return target;
}

int
db_import_map(struct db *db, const char *source, const char *table,
    long long id, long long target, time_t now)
{
	struct dbval	 args[] = { DBS(source), DBS(table), DBI(id),
	    DBI(target), DBT(now) };

	return db_exec(db, sql_map_put, args, NARGS(args), NULL, NULL);
}

int
db_import_summaries(struct db *db)
{
	/*
	 * Its services took ids before it held the counter (sql/025); its
	 * tickets, and whatever it wrote to them after, are tallied again
	 * with all the others (sql/024): a few statements for the import
	 * instead of five per ticket.
	 */
	if (db_exec(db, sql_summaries, NULL, 0, NULL, NULL) == -1 ||
	    db_exec(db, sql_bia_kept, NULL, 0, NULL, NULL) == -1 ||
	    db_outages_write_all(db) == -1 ||
	    db_service_anchors_rebuild(db) == -1)
		return -1;
	return db_ticket_tally_rebuild(db);
}
