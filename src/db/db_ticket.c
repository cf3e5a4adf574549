/*
 * The tickets and ticket_activity tables.  A ticket row carries its
 * clock's marks (the instants it reaches 50/75/100 %, the warning and
 * the first-response target), so the risk level of a list filter is a
 * comparison of those with now, in SQL (db_ticket_query.c).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_ticket.h"
#include "db/db_ticket_query.h"
#include "util/log.h"

static const char SQL_GET[] =
    "SELECT " TICKET_COLS ", (t.assignee_id <=> ? OR t.created_by_user_id <=> ?), "
    "t.created_by_user_id <=> ?" TICKET_FROM "WHERE t.id = ?";
static const char SQL_GET_LOCK[] =
    "SELECT " TICKET_COLS ", (t.assignee_id <=> ? OR t.created_by_user_id <=> ?), "
    "t.created_by_user_id <=> ?" TICKET_FROM "WHERE t.id = ? FOR UPDATE";
static const char SQL_INSERT[] =
    "INSERT INTO tickets (title, customer, description, priority, status, "
    "assignee_id, created_by_user_id, service_id, downtime_id, created_at, "
    "updated_at, resolved_at, sla_limit_hours, first_response_hours, "
    "warn_percent, calendar, paused_seconds, paused_since, "
    "first_response_at, escalated_at, half_at, high_at, breach_at, "
    "warn_at, fr_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_UPDATE[] =
    "UPDATE tickets SET title = ?, customer = ?, description = ?, "
    "priority = ?, status = ?, assignee_id = ?, service_id = ?, "
    "updated_at = ?, resolved_at = ?, sla_limit_hours = ?, "
    "first_response_hours = ?, warn_percent = ?, calendar = ?, "
    "paused_seconds = ?, paused_since = ?, first_response_at = ?, "
    "escalated_at = ?, half_at = ?, high_at = ?, breach_at = ?, "
    "warn_at = ?, fr_due_at = ?, clock_dirty = 0 WHERE id = ?";
static const char SQL_DELETE[] = "DELETE FROM tickets WHERE id = ?";
/* Kept exact with every insert and delete (sql/021). */
static const char SQL_COUNT_ADD[] =
    "UPDATE counters SET n = n + ? WHERE name = 'tickets'";
static const char SQL_DIRTY[] =
    "SELECT " TICKET_COLS TICKET_FROM "WHERE t.clock_dirty = 1 ORDER BY t.id "
    "LIMIT ?";
/* Read in (status, id) order from ix_tickets_service; sorted here. */
static const char SQL_OPEN_COUNT[] =
    "SELECT COUNT(*) FROM tickets WHERE assignee_id = ? "
    "AND status <> 'RESOLVED'";

static const char SQL_ACT_ADD[] =
    "INSERT INTO ticket_activity (ticket_id, user_id, username, action, "
    "details, created_at) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_ACT_COUNT[] =
    "SELECT COUNT(*) FROM ticket_activity WHERE ticket_id = ?";
/*
 * The page with the ticket's count in a last column (not correlated:
 * counted once): one round trip; a page past the end counts alone.
 */
#define ACT_COUNT_COL	7
static const char SQL_ACT_PAGE[] =
    "SELECT id, ticket_id, user_id, username, action, details, created_at, "
    "(SELECT COUNT(*) FROM ticket_activity WHERE ticket_id = ?) "
    "FROM ticket_activity WHERE ticket_id = ? ORDER BY id LIMIT ? OFFSET ?";

void
ticket_clear(struct ticket *t)
{
	free(t->title);
	free(t->customer);
	free(t->description);
	free(t->assignee_name);
	free(t->calendar);
	memset(t, 0, sizeof(*t));
}

void
ticket_clock_of(const struct ticket *t, const struct sla_calendar *cal,
    struct ticket_clock *out)
{
	memset(out, 0, sizeof(*out));
	out->created = t->created_at;
	out->resolved = t->resolved_at;
	out->paused_since = t->paused_since;
	out->paused = t->paused_seconds;
	out->first_response = t->first_response_at;
	out->sla_hours = t->sla_hours;
	out->first_response_hours = t->first_response_hours;
	out->warn_percent = t->warn_percent;
	out->cal = cal;
}

static struct dbval
opt_id(long long v)
{
	return v ? DBI(v) : DBNULL;
}

static struct dbval
opt_time(time_t t)
{
	return t ? DBT(t) : DBNULL;
}

static int
ticket_fill(struct dbrows *r, void *p)
{
	struct ticket	*t = p;
	bool		 oom = false;
	int		 x;

	t->id = db_int(r, 0);
	t->title = db_text_dup(r, 1, &oom);
	t->customer = db_text_dup(r, 2, &oom);
	t->description = db_text_dup(r, 3, &oom);
	x = ticket_priority_parse(db_text(r, 4, NULL));
	t->priority = x < 0 ? PRIO_LOW : (enum ticket_priority)x;
	x = ticket_status_parse(db_text(r, 5, NULL));
	t->status = x < 0 ? TSTATUS_OPEN : (enum ticket_status)x;
	t->assignee_id = db_int(r, 6);
	t->assignee_name = db_text_dup(r, 7, &oom);
	t->created_by = db_int(r, 8);
	t->service_id = db_int(r, 9);
	t->downtime_id = db_int(r, 10);
	t->created_at = db_time(r, 11);
	t->updated_at = db_time(r, 12);
	t->resolved_at = db_time(r, 13);
	t->sla_hours = (int)db_int(r, 14);
	t->first_response_hours = (int)db_int(r, 15);
	t->warn_percent = (int)db_int(r, 16);
	t->calendar = db_text_dup(r, 17, &oom);
	t->paused_seconds = db_int(r, 18);
	t->paused_since = db_time(r, 19);
	t->first_response_at = db_time(r, 20);
	t->escalated_at = db_time(r, 21);
	t->marks.half = db_time(r, 22);
	t->marks.high = db_time(r, 23);
	t->marks.breach = db_time(r, 24);
	t->marks.warn = db_time(r, 25);
	t->marks.fr_due = db_time(r, 26);
	if (oom || t->title == NULL) {
		ticket_clear(t);
		return -1;
	}
	return 0;
}

int
db_ticket_insert(struct db *db, struct ticket *t)
{
	unsigned long long	 id;
	struct dbval		 args[] = {
		DBS(t->title), DBS(t->customer), DBS(t->description),
		DBS(ticket_priority_name(t->priority)),
		DBS(ticket_status_name(t->status)), opt_id(t->assignee_id),
		opt_id(t->created_by), opt_id(t->service_id),
		opt_id(t->downtime_id), DBT(t->created_at), DBT(t->updated_at),
		opt_time(t->resolved_at), DBI(t->sla_hours),
		t->first_response_hours ? DBI(t->first_response_hours) : DBNULL,
		DBI(t->warn_percent), DBS(t->calendar), DBI(t->paused_seconds),
		opt_time(t->paused_since), opt_time(t->first_response_at),
		opt_time(t->escalated_at), opt_time(t->marks.half),
		opt_time(t->marks.high), opt_time(t->marks.breach),
		opt_time(t->marks.warn), opt_time(t->marks.fr_due),
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1 ||
	    db_ticket_count_add(db, 1) == -1)
		return -1;
	t->id = (long long)id;
	return 0;
}

int
db_ticket_get(struct db *db, long long id, long long uid, bool lock,
    struct ticket *t, bool *mine, bool *creator)
{
	struct dbval	 args[] = { DBI(uid), DBI(uid), DBI(uid), DBI(id) };
	struct dbrows	*r;
	int		 rc;

	memset(t, 0, sizeof(*t));
	if ((r = db_query(db, lock ? SQL_GET_LOCK : SQL_GET, args,
	    NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		if (ticket_fill(r, t) == -1)
			rc = -1;
		else {
			if (mine != NULL)
				*mine = db_int(r, TICKET_NCOLS) != 0;
			if (creator != NULL)
				*creator = db_int(r, TICKET_NCOLS + 1) != 0;
		}
	}
	db_rows_free(r);
	return rc;
}

int
db_ticket_update(struct db *db, const struct ticket *t)
{
	struct dbval	 args[] = {
		DBS(t->title), DBS(t->customer), DBS(t->description),
		DBS(ticket_priority_name(t->priority)),
		DBS(ticket_status_name(t->status)), opt_id(t->assignee_id),
		opt_id(t->service_id), DBT(t->updated_at),
		opt_time(t->resolved_at), DBI(t->sla_hours),
		t->first_response_hours ? DBI(t->first_response_hours) : DBNULL,
		DBI(t->warn_percent), DBS(t->calendar), DBI(t->paused_seconds),
		opt_time(t->paused_since), opt_time(t->first_response_at),
		opt_time(t->escalated_at), opt_time(t->marks.half),
		opt_time(t->marks.high), opt_time(t->marks.breach),
		opt_time(t->marks.warn), opt_time(t->marks.fr_due), DBI(t->id),
	};

	return db_exec(db, SQL_UPDATE, args, NARGS(args), NULL, NULL);
}

int
db_ticket_delete(struct db *db, long long id)
{
	struct dbval		 args[] = { DBI(id) };
	unsigned long long	 n;

	if (db_exec(db, SQL_DELETE, args, NARGS(args), &n, NULL) == -1 ||
	    (n > 0 && db_ticket_count_add(db, -(long long)n) == -1))
		return -1;
	return n > 0;
}

int
db_ticket_count_add(struct db *db, long long delta)
{
	struct dbval	 args[] = { DBI(delta) };

	return db_exec(db, SQL_COUNT_ADD, args, NARGS(args), NULL, NULL);
}

static void
ticket_clear_v(void *t)
{
	ticket_clear(t);
}

/*
 * A page statement's rows into *out of *n, and the total their last
 * column carries (db_ticket_query.h): a row whose id is NULL is the
 * total alone.  0 or -1.
 */
static int
ticket_page_collect(struct db *db, const char *sql, const struct dbval *args,
    size_t nargs, struct ticket **out, size_t *n, long long *total)
{
	struct dbrows	*r;
	struct ticket	*v = NULL;
	size_t		 rows, i = 0;
	int		 rc = 0;

	*out = NULL;
	*n = 0;
	*total = 0;
	if ((r = db_query(db, sql, args, nargs)) == NULL)
		return -1;
	rows = (size_t)db_nrows(r);
	if (rows > 0 && (v = calloc(rows, sizeof(*v))) == NULL) {
		db_rows_free(r);
		return log_warnx("%s: out of memory", __func__);
	}
	while (i < rows && (rc = db_next(r)) == 1) {
		*total = db_int(r, TICKET_NCOLS);
		if (db_isnull(r, 0))
			continue;
		if ((rc = ticket_fill(r, &v[i])) == -1)
			break;
		i++;
	}
	db_rows_free(r);
	if (rc == -1) {
		while (i > 0)
			ticket_clear(&v[--i]);
		free(v);
		return -1;
	}
	*out = v;
	*n = i;
	return 0;
}

/* qsort: by id, descending (a deep page comes in no order). */
static int
newest_first(const void *a, const void *b)
{
	const struct ticket	*x = a, *y = b;

	return (x->id < y->id) - (x->id > y->id);
}

int
db_ticket_list(struct db *db, const struct ticket_filter *f, long long offset,
    long long limit, struct ticket **out, size_t *n, long long *total)
{
	struct ticket_query	 q;
	struct dbval		 args[2 * TQ_ARGS_MAX + 2];
	uint32_t		 mask = db_ticket_query_mask(f);
	size_t			 nargs;

	if (db_ticket_query_get(mask, &q) == -1)
		return -1;
	nargs = db_ticket_query_count_args(f, &q, args);
	nargs += db_ticket_query_args(f, mask, args + nargs);
	args[nargs++] = DBI(limit);
	args[nargs++] = DBI(offset);
	if (offset == 0)
		return ticket_page_collect(db, q.page, args, nargs, out, n,
		    total);
	if (ticket_page_collect(db, q.deep, args, nargs, out, n, total) == -1)
		return -1;
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), newest_first);
	return 0;
}

int
db_ticket_dirty(struct db *db, long long limit, struct ticket **out,
    size_t *n)
{
	struct dbval	 args[] = { DBI(limit) };

	return db_collect(db, SQL_DIRTY, args, NARGS(args), sizeof(**out),
	    ticket_fill, ticket_clear_v, (void **)out, n);
}

long long
db_ticket_open_count(struct db *db, long long uid)
{
	struct dbval	 args[] = { DBI(uid) };
	long long	 n;

	if (db_scalar(db, SQL_OPEN_COUNT, args, NARGS(args), &n) != 1)
		return -1;
	return n;
}

void
ticket_activity_clear(struct ticket_activity *a)
{
	free(a->username);
	free(a->action);
	free(a->details);
	memset(a, 0, sizeof(*a));
}

int
db_ticket_activity_add(struct db *db, long long ticket_id, long long uid,
    const char *username, const char *action, const char *details,
    time_t now)
{
	struct dbval	 args[] = {
		DBI(ticket_id), opt_id(uid), DBS(username), DBS(action),
		DBS(details), DBT(now),
	};

	return db_exec(db, SQL_ACT_ADD, args, NARGS(args), NULL, NULL);
}

static int
activity_fill(struct dbrows *r, void *p)
{
	struct ticket_activity	*a = p;
	bool			 oom = false;

	a->id = db_int(r, 0);
	a->ticket_id = db_int(r, 1);
	a->user_id = db_int(r, 2);
	a->username = db_text_dup(r, 3, &oom);
	a->action = db_text_dup(r, 4, &oom);
	a->details = db_text_dup(r, 5, &oom);
	a->created_at = db_time(r, 6);
	if (oom || a->action == NULL) {
		ticket_activity_clear(a);
		return -1;
	}
	return 0;
}

static void
activity_clear_v(void *a)
{
	ticket_activity_clear(a);
}

int
db_ticket_activity_list(struct db *db, long long ticket_id, long long offset,
    long long limit, struct ticket_activity **out, size_t *n,
    long long *total)
{
	struct dbval		 args[] = { DBI(ticket_id), DBI(ticket_id),
				    DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_ACT_PAGE, .args = args, .nargs = NARGS(args),
		.total_col = ACT_COUNT_COL,
		.count = SQL_ACT_COUNT, .count_args = args, .count_nargs = 1,
		.offset = offset,
	};

	return db_page(db, &q, sizeof(**out), activity_fill, activity_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}
