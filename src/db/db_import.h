/*
 * What resilops-admin import writes: the import map (sql/014_import.sql)
 * and one insert per kind of row brought over, as a table of
 * statements.  Every call runs inside the caller's transaction.
 */
#ifndef RO_DB_IMPORT_H
#define RO_DB_IMPORT_H

#include <stddef.h>
#include <time.h>

struct db;
struct dbval;

/* The rows an import writes; each names its statement's parameters. */
enum import_stmt {
	IMPORT_USER,		/* username, email, name, password_hash, role, created_at */
	IMPORT_SERVICE,		/* name, description, created_by, created_at */
	IMPORT_DEPENDENCY,	/* service_id, dependency_id (kept if there) */
	IMPORT_BIA,		/* service_id, criticality, impact, rto, rpo, signed_off, now (kept if there) */
	IMPORT_STATUS,		/* service_id, status, last_updated, changed_at (kept if there) */
	IMPORT_DOWNTIME,	/* service_id, start, end, reason, created_at */
	IMPORT_RISK,		/* service_id, score, level, reason, is_critical, source, created_by, created_at */
	IMPORT_SLA_CONFIG,	/* priority, sla_hours, now: sets the hours of that priority */
	IMPORT_TICKET,		/* see db_import.c: the ticket and its clock */
	IMPORT_ACTIVITY,	/* ticket_id, user_id, user_id (its username), action, details, created_at */
	IMPORT_NOTIFICATION,	/* user_id, message, type, is_read, ticket_id, created_at */
	IMPORT_QUIET,		/* integration_id: drop its "added" announcement */
	IMPORT__MAX
};

/*
 * Run statement which with args.  The new row's id; for the rows kept
 * if there (dependency, BIA, status) 1 written or 0 kept; -1 on error.
 */
long long db_import_insert(struct db *, enum import_stmt which,
	    const struct dbval *args, size_t nargs);
/*
 * The row that (source, table, id) became, from the import map: its
 * id, 0 when it was not imported, -1 on error.
 */
long long db_import_target(struct db *, const char *source,
	    const char *table, long long id);
/* Record that (source, table, id) became target.  0 or -1. */
int	 db_import_map(struct db *, const char *source, const char *table,
	    long long id, long long target, time_t now);
/*
 * After the rows, in the import's transaction: every service's summary
 * of its dependencies and integrations (sql/022) from the tables, one
 * statement, the services list's anchors (sql/025) and the ticket
 * analytics' aggregates (sql/024).  0 or -1.
 */
int	 db_import_summaries(struct db *);

#endif
