/*
 * The maintenance tables for the API.  A window's services come with it
 * in the same statement (a GROUP_CONCAT of its links, as a service's
 * dependencies do); lists of service ids travel as one JSON parameter
 * expanded by JSON_TABLE, so every statement is prepared once.  Every
 * change of a window's times or services rewrites the summary of its
 * services (services.windows, sql/022) in the same transaction, which
 * every service read takes instead of asking the tables.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/maintenance.h"
#include "db/db.h"
#include "db/db_maintenance.h"
#include "db/db_outages.h"
#include "db/db_service.h"

#define MAINT_COLS \
	"m.id, m.title, m.message, m.starts_at, m.ends_at, m.created_by, " \
	"m.created_at, m.started_announced_at, m.ended_announced_at, " \
	"(SELECT GROUP_CONCAT(x.service_id ORDER BY x.service_id) " \
	"FROM maintenance_services x WHERE x.maintenance_id = m.id) "
#define MAINT_GET "SELECT " MAINT_COLS "FROM maintenance m WHERE m.id = ?"
static const char SQL_GET[] = MAINT_GET;
static const char SQL_GET_LOCK[] = MAINT_GET " FOR UPDATE";
/*
 * The list, newest start first, by ?state= (core/maintenance.c
 * maint_state_at as of now), each with its total in the page's
 * statement.  All windows, and the completed ones, walk
 * ix_maintenance_starts backwards, no sort; their totals are the kept
 * counter (sql/031), less the windows not yet ended for the completed.
 * The scheduled walk that index's range after now.  The counts that
 * depend on the clock stay counts, over the range of windows not yet
 * ended (ix_maintenance_ends) or not yet begun: the few of the moment,
 * never the history.  The active windows are read whole from the first
 * of those ranges and put in order and paged by db_maint_page, where
 * MariaDB would filesort them; their number is the total.
 * ? order: now twice (all but the whole list), then limit and offset
 * (all but the active).
 */
#define MAINT_TOTAL "(SELECT n FROM counters WHERE name = 'maintenance')"
#define NOT_ENDED "(SELECT COUNT(*) FROM maintenance c " \
	"WHERE c.ends_at > ?)"
#define BY_START "FROM maintenance m FORCE INDEX (ix_maintenance_starts) "
#define NEWEST "ORDER BY m.starts_at DESC, m.id DESC LIMIT ? OFFSET ?"
static const struct maint_list {
	const char	*page;	/* its rows, and the total as the last column */
	const char	*count;	/* the total alone, for a page past the end */
	size_t		 nnow;	/* how many times each takes now */
} lists[MAINT_STATE__MAX + 1] = {
	[MAINT_SCHEDULED] = {
	    "SELECT " MAINT_COLS ", (SELECT COUNT(*) FROM maintenance c "
	    "WHERE c.starts_at > ?) " BY_START "WHERE m.starts_at > ? " NEWEST,
	    "SELECT COUNT(*) FROM maintenance c WHERE c.starts_at > ?", 2 },
	[MAINT_ACTIVE] = {
	    "SELECT " MAINT_COLS "FROM maintenance m "
	    "FORCE INDEX (ix_maintenance_ends) WHERE m.ends_at > ? "
	    "AND m.starts_at <= ?", NULL, 2 },
	[MAINT_COMPLETED] = {
	    "SELECT " MAINT_COLS ", " MAINT_TOTAL " - " NOT_ENDED " "
	    BY_START "WHERE m.ends_at <= ? " NEWEST,
	    "SELECT " MAINT_TOTAL " - " NOT_ENDED, 2 },
	[MAINT_STATE__MAX] = {		/* all */
	    "SELECT " MAINT_COLS ", " MAINT_TOTAL " " BY_START NEWEST,
	    "SELECT " MAINT_TOTAL, 0 },
};
/* The column of a page's total. */
#define PAGE_TOTAL	10
/*
 * For the public pages: windows ending after ? on a public service (or
 * on service ?, when not 0), each naming its public services only.
 * Those that have not ended come from ix_maintenance_ends (sql/020)
 * rather than from the whole history; db_maint_public puts them soonest
 * first and cuts them to the limit, where MariaDB would filesort.
 */
static const char SQL_PUBLIC[] =
    "SELECT m.id, m.title, m.message, m.starts_at, m.ends_at, m.created_by, "
    "m.created_at, m.started_announced_at, m.ended_announced_at, "
    "(SELECT GROUP_CONCAT(x.service_id) "
    "FROM maintenance_services x JOIN services s ON s.id = x.service_id "
    "AND s.public = 1 WHERE x.maintenance_id = m.id) "
    "FROM maintenance m FORCE INDEX (ix_maintenance_ends) "
    "WHERE m.ends_at > ? AND EXISTS (SELECT 1 "
    "FROM maintenance_services x JOIN services s ON s.id = x.service_id "
    "AND s.public = 1 WHERE x.maintenance_id = m.id AND "
    "(? = 0 OR x.service_id = ?))";
static const char SQL_INSERT[] =
    "INSERT INTO maintenance (title, message, starts_at, ends_at, "
    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_UPDATE[] =
    "UPDATE maintenance SET title = ?, message = ?, starts_at = ?, "
    "ends_at = ?, started_announced_at = ?, ended_announced_at = ?, "
    "updated_at = ? WHERE id = ?";
static const char SQL_LINKS_CLEAR[] =
    "DELETE FROM maintenance_services WHERE maintenance_id = ?";
static const char SQL_LINKS_INSERT[] =
    "INSERT INTO maintenance_services (service_id, maintenance_id) "
    "SELECT DISTINCT j.id, ? FROM JSON_TABLE(?, '$[*]' COLUMNS "
    "(id BIGINT UNSIGNED PATH '$')) j";
static const char SQL_DELETE[] = "DELETE FROM maintenance WHERE id = ?";
/*
 * A service's windows that ended after ?, the horizon its outages have
 * too (db_outages.h: health's longest window and a day), leaving out
 * window `except`'s ("" for none): core/maintenance.c's
 * maint_windows_active finds those going on among them, and health the
 * ones over its window.  JSON_ARRAYAGG of no row is NULL.
 */
#define EPOCH(col) "TIMESTAMPDIFF(SECOND, '1970-01-01', " col ")"
#define WINDOWS_OF(except) \
	"s.windows = (SELECT JSON_ARRAYAGG(JSON_ARRAY(" EPOCH("w.starts_at") \
	", " EPOCH("w.ends_at") ")) FROM maintenance_services y " \
	"JOIN maintenance w ON w.id = y.maintenance_id " \
	"WHERE y.service_id = s.id" except " AND w.ends_at > ?)"
/*
 * The summaries of window ?'s services and of those it had (the JSON
 * array ?), after the writes.  Joined on the primary key, which locks
 * those rows alone.  ? order: window, ids, now.
 */
static const char SQL_SUMMARY[] =
    "UPDATE services s JOIN (SELECT x.service_id AS sid "
    "FROM maintenance_services x WHERE x.maintenance_id = ? UNION "
    "SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS "
    "(id BIGINT UNSIGNED PATH '$')) j) a ON s.id = a.sid SET "
    WINDOWS_OF("");
/*
 * Before a delete, whose cascade takes the links: the window's
 * services without it.  ? order: window, window, now.
 */
static const char SQL_SUMMARY_DELETING[] =
    "UPDATE services s JOIN maintenance_services x ON x.service_id = s.id "
    "AND x.maintenance_id = ? SET " WINDOWS_OF(" AND y.maintenance_id <> ?");

void
maint_window_clear(struct maint_window *w)
{
	free(w->title);
	free(w->message);
	free(w->created_by);
	free(w->service_ids);
	memset(w, 0, sizeof(*w));
}

static int
window_fill(struct dbrows *r, void *elem)
{
	struct maint_window	*w = elem;
	bool			 oom = false;

	memset(w, 0, sizeof(*w));
	w->id = db_int(r, 0);
	w->title = db_text_dup(r, 1, &oom);
	w->message = db_text_dup(r, 2, &oom);
	w->starts_at = db_time(r, 3);
	w->ends_at = db_time(r, 4);
	w->created_by = db_text_dup(r, 5, &oom);
	w->created_at = db_time(r, 6);
	w->started_announced_at = db_time(r, 7);
	w->ended_announced_at = db_time(r, 8);
	if (oom || w->title == NULL || db_ids_parse(db_text(r, 9, NULL),
	    &w->service_ids, &w->nservice_ids) == -1) {
		maint_window_clear(w);
		return -1;
	}
	return 0;
}

static void
window_clear_v(void *elem)
{
	maint_window_clear(elem);
}

int
db_maint_get(struct db *db, long long id, bool lock, struct maint_window *w)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, lock ? SQL_GET_LOCK : SQL_GET, args,
	    NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1 && window_fill(r, w) == -1)
		rc = -1;
	db_rows_free(r);
	return rc;
}

/* Soonest first: by start, then by id. */
static int
window_cmp(const void *a, const void *b)
{
	const struct maint_window	*x = a, *y = b;

	if (x->starts_at != y->starts_at)
		return (x->starts_at > y->starts_at) -
		    (x->starts_at < y->starts_at);
	return (x->id > y->id) - (x->id < y->id);
}

/* Newest start first: by start, then by id, both descending. */
static int
window_newest_cmp(const void *a, const void *b)
{
	return window_cmp(b, a);
}

/*
 * The active windows, all of them (see lists): newest first, cut to
 * [offset, offset + limit).
 */
static int
active_page(struct db *db, time_t now, long long offset, long long limit,
    struct maint_window **out, size_t *n, long long *total)
{
	struct dbval	 args[] = { DBT(now), DBT(now) };
	size_t		 skip, i;

	if (db_collect(db, lists[MAINT_ACTIVE].page, args, NARGS(args),
	    sizeof(**out), window_fill, window_clear_v, (void **)out, n) == -1)
		return -1;
	*total = (long long)*n;
	db_sort_cut(*out, n, sizeof(**out), window_newest_cmp, window_clear_v,
	    offset + limit);
	if ((skip = (unsigned long long)offset < *n ? (size_t)offset : *n) == 0)
		return 0;
	for (i = 0; i < skip; i++)
		maint_window_clear(&(*out)[i]);
	memmove(*out, *out + skip, (*n - skip) * sizeof(**out));
	*n -= skip;
	return 0;
}

int
db_maint_page(struct db *db, int state, time_t now, long long offset,
    long long limit, struct maint_window **out, size_t *n, long long *total)
{
	const struct maint_list	*l;
	struct dbval		 args[] = { DBT(now), DBT(now), DBI(limit),
				    DBI(offset) };
	struct db_page_q	 q = { .total_col = PAGE_TOTAL, .offset = offset };

	*out = NULL;
	*n = 0;
	*total = 0;
	if (state == MAINT_ACTIVE)
		return active_page(db, now, offset, limit, out, n, total);
	l = &lists[state < 0 || state >= MAINT_STATE__MAX ? MAINT_STATE__MAX :
	    state];
	q.sql = l->page;
	q.args = args + 2 - l->nnow;
	q.nargs = l->nnow + 2;
	q.count = l->count;
	q.count_args = args;
	q.count_nargs = l->nnow / 2;
	return db_page(db, &q, sizeof(**out), window_fill, window_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}

int
db_maint_insert(struct db *db, struct maint_window *w, time_t now)
{
	unsigned long long	 id;
	struct dbval		 args[] = {
		DBS(w->title), DBS(w->message), DBT(w->starts_at),
		DBT(w->ends_at), DBS(w->created_by), DBT(now), DBT(now),
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	db_count(db, DBC_MAINTENANCE, 1);
	w->id = (long long)id;
	w->created_at = now;
	return 0;
}

int
db_maint_update(struct db *db, const struct maint_window *w, time_t now)
{
	struct dbval	 args[] = {
		DBS(w->title), DBS(w->message), DBT(w->starts_at),
		DBT(w->ends_at),
		w->started_announced_at ? DBT(w->started_announced_at) : DBNULL,
		w->ended_announced_at ? DBT(w->ended_announced_at) : DBNULL,
		DBT(now), DBI(w->id),
	};

	return db_exec(db, SQL_UPDATE, args, NARGS(args), NULL, NULL);
}

int
db_maint_services_replace(struct db *db, long long id, const long long *ids,
    size_t n)
{
	return db_links_replace(db, SQL_LINKS_CLEAR, SQL_LINKS_INSERT, id, ids,
	    n);
}

int
db_maint_summarize(struct db *db, long long id, const long long *was,
    size_t nwas, time_t now)
{
	char	*json;
	int	 rc;

	if ((json = db_ids_json(was, nwas)) == NULL)
		return -1;
	{
		struct dbval	 args[] = { DBI(id), DBS(json),
		    DBT(now - OUTAGES_HORIZON) };

		rc = db_exec(db, SQL_SUMMARY, args, NARGS(args), NULL, NULL);
	}
	free(json);
	return rc;
}

int
db_maint_delete(struct db *db, long long id, time_t now)
{
	struct dbval		 args[] = { DBI(id) };
	struct dbval		 before[] = { DBI(id), DBI(id),
				    DBT(now - OUTAGES_HORIZON) };
	unsigned long long	 n;

	if (db_exec(db, SQL_SUMMARY_DELETING, before, NARGS(before), NULL,
	    NULL) == -1 ||
	    db_exec(db, SQL_DELETE, args, NARGS(args), &n, NULL) == -1)
		return -1;
	db_count(db, DBC_MAINTENANCE, -(long long)n);
	return n > 0;
}

int
db_maint_public(struct db *db, time_t after, long long focus, long limit,
    struct maint_window **out, size_t *n)
{
	struct dbval	 args[] = { DBT(after), DBI(focus), DBI(focus) };

	if (db_collect(db, SQL_PUBLIC, args, NARGS(args), sizeof(**out),
	    window_fill, window_clear_v, (void **)out, n) == -1)
		return -1;
	db_sort_cut(*out, n, sizeof(**out), window_cmp, window_clear_v, limit);
	return 0;
}
