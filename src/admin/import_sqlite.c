/*
 * resilops-admin import, second source: SLA Guard's SQLite file
 * (SQLAlchemy's tables users, sla_configurations, tickets,
 * activity_logs, notifications), opened read-only with libsqlite3.
 * The seed names the fields, not every column, so columns are found by
 * name among the spellings SQLAlchemy models use (hashed_password or
 * password_hash, read or is_read, timestamp or created_at ...); a
 * column that is not there reads as NULL.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "admin/import.h"
#include "core/legacy.h"
#include "core/ticket.h"
#include "db/db.h"
#include "db/db_import.h"

#define COLS_MAX 16

/* Fixed table names only: nothing here comes from the file's data. */
static const char sq_users[] = "SELECT * FROM users ORDER BY id";
static const char sq_sla[] = "SELECT * FROM sla_configurations ORDER BY id";
static const char sq_tickets[] = "SELECT * FROM tickets ORDER BY id";
static const char sq_activity[] = "SELECT * FROM activity_logs ORDER BY id";
static const char sq_notifications[] =
    "SELECT * FROM notifications ORDER BY id";

/* SLA Guard's default hours by priority (LOW, MEDIUM, HIGH, CRITICAL). */
static const int default_sla_hours[PRIO__MAX] = { 48, 24, 8, 4 };

/* One query over a table, its columns found by name. */
struct sq {
	sqlite3_stmt	*st;
	int		 col[COLS_MAX];
};

/*
 * Prepare sql and find each of names (each "a|b|c": the first that
 * exists) among its columns.  0, or -1 (said).
 */
static int
sq_open(sqlite3 *f, const char *sql, const char *const *names, size_t n,
    struct sq *q)
{
	char		 buf[128], *alt, *save;
	const char	*have;
	size_t		 i;
	int		 c, ncol;

	if (sqlite3_prepare_v2(f, sql, -1, &q->st, NULL) != SQLITE_OK) {
		fprintf(stderr, "resilops-admin: SQLite: %s: %s\n", sql,
		    sqlite3_errmsg(f));
		return -1;
	}
	ncol = sqlite3_column_count(q->st);
	for (i = 0; i < n && i < COLS_MAX; i++) {
		q->col[i] = -1;
		snprintf(buf, sizeof(buf), "%s", names[i]);
		for (alt = strtok_r(buf, "|", &save); alt != NULL &&
		    q->col[i] < 0; alt = strtok_r(NULL, "|", &save))
			for (c = 0; c < ncol; c++)
				if ((have = sqlite3_column_name(q->st, c)) !=
				    NULL && strcasecmp(have, alt) == 0) {
					q->col[i] = c;
					break;
				}
	}
	return 0;
}

/* Column i of the row as text; NULL when absent or NULL. */
static const char *
sq_text(const struct sq *q, int i)
{

	if (q->col[i] < 0 || sqlite3_column_type(q->st, q->col[i]) ==
	    SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_column_text(q->st, q->col[i]);
}

/* Column i as an integer; 0 when absent or NULL. */
static long long
sq_int(const struct sq *q, int i)
{

	if (q->col[i] < 0)
		return 0;
	return sqlite3_column_int64(q->st, q->col[i]);
}

/* Column i as a time; 0 when absent, NULL or unreadable (counted). */
static time_t
sq_time(struct import_run *run, const struct sq *q, int i)
{
	const char	*s = sq_text(q, i);
	time_t		 t;

	if (s == NULL)
		return 0;
	if (legacy_time(s, &t) == -1) {
		run->fallbacks++;
		return 0;
	}
	return t;
}

/* Step; 1 a row, 0 done, -1 error (said). */
static int
sq_step(sqlite3 *f, struct sq *q)
{

	switch (sqlite3_step(q->st)) {
	case SQLITE_ROW:
		return 1;
	case SQLITE_DONE:
		return 0;
	default:
		fprintf(stderr, "resilops-admin: SQLite: %s\n",
		    sqlite3_errmsg(f));
		return -1;
	}
}

static const char *const user_cols[] = { "id", "email|username",
    "name|full_name", "hashed_password|password_hash|password", "role",
    "created_at" };

static int
users(struct import_run *run, sqlite3 *f)
{
	struct sq	 q;
	int		 rc, more;

	if (sq_open(f, sq_users, user_cols, NARGS(user_cols), &q) == -1)
		return -1;
	rc = 0;
	while (rc == 0 && (more = sq_step(f, &q)) != 0) {
		if (more == -1) {
			rc = -1;
			break;
		}
		/* SLA Guard logs in by email: it is the username too. */
		if (import_user(run, "users", sq_int(&q, 0), sq_text(&q, 1),
		    sq_text(&q, 1), sq_text(&q, 2), sq_text(&q, 3),
		    sq_text(&q, 4), sq_time(run, &q, 5)) == -1)
			rc = -1;
	}
	sqlite3_finalize(q.st);
	return rc;
}

static const char *const sla_cols[] = { "id", "priority", "sla_hours" };

static int
sla_configs(struct import_run *run, sqlite3 *f)
{
	struct sq		 q;
	enum ticket_priority	 p;
	long long		 target, hours;
	bool			 fb;
	int			 rc = 0, more, seen;

	if (sq_open(f, sq_sla, sla_cols, NARGS(sla_cols), &q) == -1)
		return -1;
	while (rc == 0 && (more = sq_step(f, &q)) != 0) {
		if (more == -1 || (seen = import_seen(run, IT_SLA_CONFIG,
		    "sla_configurations", sq_int(&q, 0), &target)) == -1) {
			rc = -1;
			break;
		}
		if (seen == 1)
			continue;
		p = legacy_priority(sq_text(&q, 1), &fb);
		hours = sq_int(&q, 2);
		if (fb || hours < 1 || hours > TICKET_SLA_HOURS_MAX) {
			fprintf(stderr, "resilops-admin: slaguard "
			    "sla_configurations %lld: priority or hours not "
			    "usable: skipped\n", sq_int(&q, 0));
			run->count[IT_SLA_CONFIG].skipped++;
			continue;
		}
		{
			struct dbval	 args[] = {
			    DBS(ticket_priority_name(p)), DBI(hours),
			    DBT(run->now) };

			if ((target = db_import_insert(run->db,
			    IMPORT_SLA_CONFIG, args, NARGS(args))) <= 0 ||
			    import_record(run, IT_SLA_CONFIG,
			    "sla_configurations", sq_int(&q, 0), target) == -1)
				rc = -1;
		}
	}
	sqlite3_finalize(q.st);
	return rc;
}

enum { T_ID, T_TITLE, T_CUSTOMER, T_DESC, T_PRIO, T_STATUS, T_ASSIGNEE,
    T_CREATOR, T_CREATED, T_UPDATED, T_RESOLVED, T_SLA };
static const char *const ticket_cols[] = { "id", "title", "customer",
    "description", "priority", "status", "assignee_id",
    "created_by_id|created_by_user_id|creator_id|created_by|user_id",
    "created_at", "updated_at", "resolved_at", "sla_limit_hours|sla_hours" };

/* A time as a parameter: NULL for 0. */
static struct dbval
time_val(time_t t)
{

	return t != 0 ? DBT(t) : DBNULL;
}

/* A user of the source as our id, or SQL NULL. */
static int
user_val(struct import_run *run, long long id, struct dbval *out)
{
	long long	 v = 0;

	if (id > 0 && (v = import_user_id(run, "users", id)) == -1)
		return -1;
	*out = v > 0 ? DBI(v) : DBNULL;
	return 0;
}

static int
ticket(struct import_run *run, const struct sq *q)
{
	struct ticket_clock	 clk;
	struct ticket_marks	 old, m;
	struct dbval		 assignee, creator;
	enum ticket_priority	 p;
	enum ticket_status	 st;
	long long		 target, hours;
	time_t			 created, updated, resolved;
	bool			 fb1, fb2;
	int			 seen;

	if ((seen = import_seen(run, IT_TICKETS, "tickets", sq_int(q, T_ID),
	    &target)) != 0)
		return seen;
	p = legacy_priority(sq_text(q, T_PRIO), &fb1);
	st = legacy_ticket_status(sq_text(q, T_STATUS), &fb2);
	run->fallbacks += fb1 + fb2;
	hours = sq_int(q, T_SLA);
	if (hours < 1 || hours > TICKET_SLA_HOURS_MAX)
		hours = default_sla_hours[p];
	if ((created = sq_time(run, q, T_CREATED)) == 0)
		created = run->now;
	if ((updated = sq_time(run, q, T_UPDATED)) == 0)
		updated = created;
	resolved = sq_time(run, q, T_RESOLVED);
	if (st == TSTATUS_RESOLVED && resolved == 0)
		resolved = updated;
	if (st != TSTATUS_RESOLVED)
		resolved = 0;
	memset(&clk, 0, sizeof(clk));
	clk.created = created;
	clk.resolved = resolved;
	clk.sla_hours = (int)hours;
	clk.warn_percent = 90;
	memset(&old, 0, sizeof(old));
	if (ticket_marks(&clk, &old, run->now, &m) == -1 ||
	    user_val(run, sq_int(q, T_ASSIGNEE), &assignee) == -1 ||
	    user_val(run, sq_int(q, T_CREATOR), &creator) == -1)
		return -1;
	{
		const char	*title = sq_text(q, T_TITLE);
		struct dbval	 args[] = { DBS(title != NULL ? title :
		    "(untitled)"), DBS(sq_text(q, T_CUSTOMER)),
		    DBS(sq_text(q, T_DESC)), DBS(ticket_priority_name(p)),
		    DBS(ticket_status_name(st)), assignee, creator,
		    DBT(created), DBT(updated), time_val(resolved),
		    DBI(hours), time_val(m.half), time_val(m.high),
		    time_val(m.breach), time_val(m.warn),
		    st == TSTATUS_ESCALATED ? DBT(updated) : DBNULL,
		    DBI(m.high != 0 && m.high <= run->now),
		    DBI(m.breach != 0 && m.breach <= run->now),
		    DBI(m.warn != 0 && m.warn <= run->now) };

		if ((target = db_import_insert(run->db, IMPORT_TICKET, args,
		    NARGS(args))) <= 0)
			return -1;
	}
	return import_record(run, IT_TICKETS, "tickets", sq_int(q, T_ID),
	    target) == -1 ? -1 : 1;
}

enum { A_ID, A_TICKET, A_USER, A_ACTION, A_DETAILS, A_AT };
static const char *const activity_cols[] = { "id", "ticket_id", "user_id",
    "action", "details", "timestamp|created_at" };

static int
activity(struct import_run *run, const struct sq *q)
{
	struct json_object	*details = NULL;
	struct dbval		 user;
	char			 action[33];
	long long		 target, ticket;
	const char		*d;
	int			 seen, rc;

	if ((seen = import_seen(run, IT_ACTIVITY, "activity_logs",
	    sq_int(q, A_ID), &target)) != 0)
		return seen;
	if ((ticket = db_import_target(run->db, run->source, "tickets",
	    sq_int(q, A_TICKET))) <= 0) {
		if (ticket == 0)
			run->count[IT_ACTIVITY].skipped++;
		return ticket == 0 ? 1 : -1;
	}
	if (user_val(run, sq_int(q, A_USER), &user) == -1)
		return -1;
	/* Ours are 32 bytes at most; SLA Guard's were free text. */
	snprintf(action, sizeof(action), "%s", sq_text(q, A_ACTION) ?
	    sq_text(q, A_ACTION) : "imported");
	/* Ours hold JSON; the original's text becomes {"text": ...}. */
	if ((d = sq_text(q, A_DETAILS)) != NULL) {
		details = json_object_new_object();
		json_object_object_add(details, "text",
		    json_object_new_string(d));
	}
	{
		struct dbval	 args[] = { DBI(ticket), user, user, DBS(action),
		    DBS(details != NULL ? json_object_to_json_string_ext(details,
		    JSON_C_TO_STRING_PLAIN) : NULL),
		    DBT(sq_time(run, q, A_AT) ? sq_time(run, q, A_AT) :
		    run->now) };

		target = db_import_insert(run->db, IMPORT_ACTIVITY, args,
		    NARGS(args));
	}
	json_object_put(details);
	if (target <= 0)
		return -1;
	rc = import_record(run, IT_ACTIVITY, "activity_logs", sq_int(q, A_ID),
	    target);
	return rc == -1 ? -1 : 1;
}

enum { N_ID, N_USER, N_MESSAGE, N_TYPE, N_READ, N_TICKET, N_AT };
static const char *const notification_cols[] = { "id", "user_id", "message",
    "type|notification_type", "is_read|read", "ticket_id", "created_at" };

static int
notification(struct import_run *run, const struct sq *q)
{
	struct dbval	 ticket = DBNULL;
	const char	*msg;
	char		 message[501];
	long long	 target, user, t;
	bool		 fb;
	int		 seen;

	if ((seen = import_seen(run, IT_NOTIFICATIONS, "notifications",
	    sq_int(q, N_ID), &target)) != 0)
		return seen;
	if ((user = import_user_id(run, "users", sq_int(q, N_USER))) <= 0) {
		if (user == 0)
			run->count[IT_NOTIFICATIONS].skipped++;
		return user == 0 ? 1 : -1;
	}
	if (sq_int(q, N_TICKET) > 0) {
		if ((t = db_import_target(run->db, run->source, "tickets",
		    sq_int(q, N_TICKET))) == -1)
			return -1;
		if (t > 0)
			ticket = DBI(t);
	}
	msg = sq_text(q, N_MESSAGE);
	snprintf(message, sizeof(message), "%s", msg != NULL ? msg : "");
	{
		struct dbval	 args[] = { DBI(user), DBS(message),
		    DBS(notify_type_name(legacy_notify_type(sq_text(q, N_TYPE),
		    &fb))), DBI(legacy_bool(sq_text(q, N_READ))), ticket,
		    DBT(sq_time(run, q, N_AT) ? sq_time(run, q, N_AT) :
		    run->now) };

		run->fallbacks += fb;
		if ((target = db_import_insert(run->db, IMPORT_NOTIFICATION,
		    args, NARGS(args))) <= 0)
			return -1;
	}
	return import_record(run, IT_NOTIFICATIONS, "notifications",
	    sq_int(q, N_ID), target) == -1 ? -1 : 1;
}

/* Each row of sql through one, which answers 1 or 0 done, -1 failed. */
static int
each_row(struct import_run *run, sqlite3 *f, const char *sql,
    const char *const *cols, size_t ncols,
    int (*one)(struct import_run *, const struct sq *))
{
	struct sq	 q;
	int		 rc = 0, more;

	if (sq_open(f, sql, cols, ncols, &q) == -1)
		return -1;
	while (rc == 0 && (more = sq_step(f, &q)) != 0)
		rc = more == -1 || one(run, &q) == -1 ? -1 : 0;
	sqlite3_finalize(q.st);
	return rc;
}

int
import_from_sqlite(struct import_run *run, const char *path)
{
	sqlite3	*f = NULL;
	int	 rc = -1;

	if (sqlite3_open_v2(path, &f, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "resilops-admin: %s: %s\n", path,
		    f != NULL ? sqlite3_errmsg(f) : "cannot open");
		goto out;
	}
	if (users(run, f) == -1 || sla_configs(run, f) == -1 ||
	    each_row(run, f, sq_tickets, ticket_cols, NARGS(ticket_cols),
	    ticket) == -1 ||
	    each_row(run, f, sq_activity, activity_cols, NARGS(activity_cols),
	    activity) == -1 ||
	    each_row(run, f, sq_notifications, notification_cols,
	    NARGS(notification_cols), notification) == -1)
		goto out;
	rc = 0;
out:
	sqlite3_close(f);
	return rc;
}
