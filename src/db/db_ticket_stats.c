/*
 * Ticket analytics, each one statement over the kept aggregates
 * (sql/024_ticket_tally.sql, db_ticket_tally.c).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/tickettally.h"
#include "db/db.h"
#include "db/db_ticket_stats.h"

/*
 * Each answer is one statement (one snapshot) over the kept aggregates
 * of sql/024: the view's scope rows (core/tickettally: TALLY_TERMS
 * pairs of scope and uid; TALLY_SELF's subtracted), and for each count
 * that moves with time, the parts whose instant lies between fold_at
 * and now: a short range of that instant's index, since resilops-sched
 * folds every tick.  Exactly what counting every visible ticket gives.
 */
#define TERMS "(g.scope = ? AND g.uid = ?) OR (g.scope = ? AND g.uid = ?) " \
	"OR (g.scope = ? AND g.uid = ?)"
/* A sum over the view's scope rows.  No row (no tickets): 0. */
#define W(c)	"COALESCE(SUM(IF(g.scope = 3, -g." c ", g." c ")), 0)"
/* The parts a view sees: 3 parameters (see view_args). */
#define VISIBLE "(? = 0 OR x.creator = ? OR x.assignee = ?)"
/*
 * What passed since the fold (+1 each) or is yet to pass until it (-1
 * each, now being earlier): ? now, now, then VISIBLE's.  The fold row
 * is a constant (its primary key), so the range is an index range.
 */
#define SINCE_FOLD(c) \
	"(SELECT COALESCE(SUM(IF(x." c " > f.fold_at, 1, -1)), 0) " \
	"FROM ticket_tally_fold f JOIN ticket_tallied x ON x." c " > " \
	"LEAST(f.fold_at, ?) AND x." c " <= GREATEST(f.fold_at, ?) " \
	"WHERE f.id = 1 AND " VISIBLE ")"

/* AVG as SQL computes it from the kept sum and count: the same decimal. */
static const char SQL_OVERVIEW[] =
    "SELECT " W("n") ", " W("n_open") ", " W("n_in_progress") ", "
    W("n_waiting") ", " W("n_escalated") ", " W("n_resolved") ", "
    W("p_high_open") " + " SINCE_FOLD("high_open_at") ", "
    W("p_breach") " + " SINCE_FOLD("breach_at") ", " W("n_in_time") ", "
    "COALESCE(" W("res_secs") " / NULLIF(" W("n_res") ", 0), 0) / 3600, "
    W("n_fr") ", " W("n_fr_in_time") ", "
    W("p_fr") " + " SINCE_FOLD("fr_due_at") ", "
    "COALESCE(" W("fr_secs") " / NULLIF(" W("n_fr") ", 0), 0) / 3600 "
    "FROM ticket_tallies g WHERE " TERMS;
static const char SQL_DISTRIBUTION[] =
    "SELECT " W("n") ", " W("p_lvl1") " + " SINCE_FOLD("lvl1_at") ", "
    W("p_lvl2") " + " SINCE_FOLD("lvl2_at") ", "
    W("p_breach") " + " SINCE_FOLD("breach_at") " "
    "FROM ticket_tallies g WHERE " TERMS;
/* The technicians' scope rows, and what passed since the fold. */
static const char SQL_WORKLOAD[] =
    "SELECT u.id, COALESCE(u.name, u.username), u.role, "
    "COALESCE(g.n - g.n_resolved, 0), COALESCE(g.p_high_open, 0) + "
    "COALESCE(d.n, 0) FROM users u LEFT JOIN ticket_tallies g ON "
    "g.scope = 2 AND g.uid = u.id LEFT JOIN (SELECT x.assignee, "
    "SUM(IF(x.high_open_at > f.fold_at, 1, -1)) AS n FROM ticket_tally_fold f "
    "JOIN ticket_tallied x ON x.high_open_at > LEAST(f.fold_at, ?) "
    "AND x.high_open_at <= GREATEST(f.fold_at, ?) WHERE f.id = 1 "
    "GROUP BY x.assignee) d ON d.assignee = u.id "
    "WHERE u.role IN ('Technician', 'Senior Technician') AND u.active = 1 "
    "ORDER BY u.id";

static void
view_args(const struct ticket_filter *f, struct dbval *a)
{
	a[0] = DBI(f->view == TVIEW_ALL ? 0 : 1);
	a[1] = DBI(f->view == TVIEW_OWN || f->view == TVIEW_CREATED ?
	    f->uid : -1);
	a[2] = DBI(f->view == TVIEW_OWN || f->view == TVIEW_ASSIGNED ?
	    f->uid : -1);
}

/* SINCE_FOLD's parameters: now, now, the view's 3. */
static size_t
since_args(const struct ticket_filter *f, struct dbval *a)
{
	a[0] = DBT(f->now);
	a[1] = DBT(f->now);
	view_args(f, a + 2);
	return 5;
}

/* TERMS' parameters. */
static size_t
terms_args(const struct ticket_filter *f, struct dbval *a)
{
	struct tally_term	 t[TALLY_TERMS];
	size_t			 i;

	tally_terms(f->view == TVIEW_OWN || f->view == TVIEW_CREATED,
	    f->view == TVIEW_OWN || f->view == TVIEW_ASSIGNED, f->uid, t);
	for (i = 0; i < TALLY_TERMS; i++) {
		a[2 * i] = DBI(t[i].scope);
		a[2 * i + 1] = DBI(t[i].uid);
	}
	return 2 * TALLY_TERMS;
}

int
db_ticket_overview(struct db *db, const struct ticket_filter *f,
    struct ticket_overview *o)
{
	struct dbval	 args[3 * 5 + 2 * TALLY_TERMS];
	struct dbrows	*r;
	size_t		 n = 0;
	int		 rc, i;

	for (i = 0; i < 3; i++)
		n += since_args(f, args + n);
	n += terms_args(f, args + n);
	memset(o, 0, sizeof(*o));
	if ((r = db_query(db, SQL_OVERVIEW, args, n)) == NULL)
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
	struct dbval	 args[3 * 5 + 2 * TALLY_TERMS];
	struct dbrows	*r;
	size_t		 n = 0;
	int		 rc, i;

	for (i = 0; i < 3; i++)
		n += since_args(f, args + n);
	n += terms_args(f, args + n);
	memset(d, 0, sizeof(*d));
	if ((r = db_query(db, SQL_DISTRIBUTION, args, n)) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1)
		tally_levels(db_int(r, 0), db_int(r, 1), db_int(r, 2),
		    db_int(r, 3), d->level);
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
	struct dbval	 args[] = { DBT(now), DBT(now) };

	return db_collect(db, SQL_WORKLOAD, args, NARGS(args), sizeof(**out),
	    workload_fill, workload_clear_v, (void **)out, n);
}
