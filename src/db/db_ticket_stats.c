/*
 * Ticket analytics, each one aggregate statement.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_ticket_stats.h"

/* The tickets a view sees: 3 parameters (see view_args). */
#define VISIBLE "(? = 0 OR t.created_by_user_id = ? OR t.assignee_id = ?)"

static const char SQL_OVERVIEW[] =
    "SELECT COUNT(*), "
    "COALESCE(SUM(t.status = 'OPEN'), 0), "
    "COALESCE(SUM(t.status = 'IN_PROGRESS'), 0), "
    "COALESCE(SUM(t.status = 'WAITING_ON_CUSTOMER'), 0), "
    "COALESCE(SUM(t.status = 'ESCALATED'), 0), "
    "COALESCE(SUM(t.status = 'RESOLVED'), 0), "
    "COALESCE(SUM(t.status <> 'RESOLVED' AND t.high_at <= ?), 0), "
    "COALESCE(SUM(t.breach_at <= ?), 0), "
    /* A resolved ticket keeps breach_at only if it got there first. */
    "COALESCE(SUM(t.status = 'RESOLVED' AND t.breach_at IS NULL), 0), "
    "COALESCE(AVG(IF(t.status = 'RESOLVED', TIMESTAMPDIFF(SECOND, "
    "t.created_at, t.resolved_at), NULL)), 0) / 3600, "
    "COALESCE(SUM(t.first_response_at IS NOT NULL), 0), "
    "COALESCE(SUM(t.first_response_at IS NOT NULL AND t.fr_due_at IS NULL), 0), "
    "COALESCE(SUM(t.fr_due_at <= ?), 0), "
    "COALESCE(AVG(TIMESTAMPDIFF(SECOND, t.created_at, t.first_response_at)), "
    "0) / 3600 "
    "FROM tickets t WHERE " VISIBLE;
static const char SQL_DISTRIBUTION[] =
    "SELECT COALESCE(SUM(l = 0), 0), COALESCE(SUM(l = 1), 0), "
    "COALESCE(SUM(l = 2), 0), COALESCE(SUM(l = 3), 0) FROM "
    "(SELECT CASE WHEN t.breach_at <= ? THEN 3 WHEN t.high_at <= ? THEN 2 "
    "WHEN t.half_at <= ? THEN 1 ELSE 0 END AS l FROM tickets t WHERE "
    VISIBLE ") x";
static const char SQL_WORKLOAD[] =
    "SELECT u.id, COALESCE(u.name, u.username), u.role, COUNT(t.id), "
    "COALESCE(SUM(t.high_at <= ?), 0) FROM users u LEFT JOIN tickets t ON "
    "t.assignee_id = u.id AND t.status <> 'RESOLVED' "
    "WHERE u.role IN ('Technician', 'Senior Technician') AND u.active = 1 "
    "GROUP BY u.id ORDER BY u.id";

static void
view_args(const struct ticket_filter *f, struct dbval *a)
{
	a[0] = DBI(f->view == TVIEW_ALL ? 0 : 1);
	a[1] = DBI(f->view == TVIEW_OWN || f->view == TVIEW_CREATED ?
	    f->uid : -1);
	a[2] = DBI(f->view == TVIEW_OWN || f->view == TVIEW_ASSIGNED ?
	    f->uid : -1);
}

int
db_ticket_overview(struct db *db, const struct ticket_filter *f,
    struct ticket_overview *o)
{
	struct dbval	 args[6];
	struct dbrows	*r;
	int		 rc;

	args[0] = DBT(f->now);
	args[1] = DBT(f->now);
	args[2] = DBT(f->now);
	view_args(f, args + 3);
	memset(o, 0, sizeof(*o));
	if ((r = db_query(db, SQL_OVERVIEW, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		o->total = db_int(r, 0);
		o->open = db_int(r, 1);
		o->in_progress = db_int(r, 2);
		o->waiting = db_int(r, 3);
		o->escalated = db_int(r, 4);
		o->resolved = db_int(r, 5);
		o->high_risk = db_int(r, 6);
		o->breached = db_int(r, 7);
		o->resolved_in_time = db_int(r, 8);
		o->avg_resolution_hours = db_double(r, 9);
		o->responded = db_int(r, 10);
		o->responded_in_time = db_int(r, 11);
		o->response_breached = db_int(r, 12);
		o->avg_first_response_hours = db_double(r, 13);
	}
	db_rows_free(r);
	return rc == 1 ? 0 : -1;
}

int
db_ticket_distribution(struct db *db, const struct ticket_filter *f,
    struct ticket_distribution *d)
{
	struct dbval	 args[6];
	struct dbrows	*r;
	int		 rc, i;

	args[0] = DBT(f->now);
	args[1] = DBT(f->now);
	args[2] = DBT(f->now);
	view_args(f, args + 3);
	memset(d, 0, sizeof(*d));
	if ((r = db_query(db, SQL_DISTRIBUTION, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1)
		for (i = 0; i < SLA_LEVEL__MAX; i++)
			d->level[i] = db_int(r, (unsigned)i);
	db_rows_free(r);
	return rc == 1 ? 0 : -1;
}

void
workload_clear(struct workload *w)
{
	free(w->name);
	free(w->role);
	memset(w, 0, sizeof(*w));
}

static int
workload_fill(struct dbrows *r, void *p)
{
	struct workload	*w = p;
	bool		 oom = false;

	w->id = db_int(r, 0);
	w->name = db_text_dup(r, 1, &oom);
	w->role = db_text_dup(r, 2, &oom);
	w->assigned = db_int(r, 3);
	w->high_risk = db_int(r, 4);
	if (oom) {
		workload_clear(w);
		return -1;
	}
	return 0;
}

static void
workload_clear_v(void *w)
{
	workload_clear(w);
}

int
db_ticket_workload(struct db *db, time_t now, struct workload **out,
    size_t *n)
{
	struct dbval	 args[] = { DBT(now) };

	return db_collect(db, SQL_WORKLOAD, args, NARGS(args), sizeof(**out),
	    workload_fill, workload_clear_v, (void **)out, n);
}
