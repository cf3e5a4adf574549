/*
 * incidents, incident_services, incident_updates.  A list reads its
 * rows, then the services and the updates of all of them at once, so
 * a page of 100 incidents costs four statements, not 200.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_incident.h"

#define INCIDENT_COLS "i.id, i.title, i.impact, i.status, i.draft, " \
	"i.downtime_id, i.created_by, i.created_at, i.updated_at, " \
	"i.resolved_at"
/* The ids of a page, as one JSON array parameter. */
#define IDS_TABLE "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED " \
	"PATH '$')) j"

static const char SQL_INSERT[] =
    "INSERT INTO incidents (title, impact, status, draft, downtime_id, "
    "created_by, created_at, updated_at, resolved_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SERVICES_INSERT[] =
    "INSERT INTO incident_services (incident_id, service_id) "
    "SELECT DISTINCT ?, j.id FROM " IDS_TABLE;
static const char SQL_UPDATE_INSERT[] =
    "INSERT INTO incident_updates (incident_id, status, message, "
    "created_by, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_STATE[] =
    "UPDATE incidents SET status = ?, resolved_at = ?, updated_at = ? "
    "WHERE id = ?";
static const char SQL_GET_LOCK[] =
    "SELECT " INCIDENT_COLS " FROM incidents i WHERE i.id = ? FOR UPDATE";
static const char SQL_PUBLISH[] =
    "UPDATE incidents SET draft = 0, title = ?, impact = ?, updated_at = ? "
    "WHERE id = ?";
static const char SQL_DELETE[] = "DELETE FROM incidents WHERE id = ?";

/*
 * A list's page, its services (the key of incident_services is by
 * incident: no sort) and its total, in one statement; its updates come
 * with a second, keyed one (attach).  The total of all incidents is the
 * kept counter (sql/031).  A filter's is counted over ix_incidents_open
 * (draft, resolved_at, id): drafts and open incidents are the few of
 * the moment, and the resolved, all of history, are what is left of
 * the counter.  The totals' subqueries are not correlated: read once a
 * page.  Each page walks its key newest first but the drafts', whose
 * few rows MariaDB sorts (a draft resolved would sit apart in the key).
 */
#define W_ALL		""
#define W_OPEN		"WHERE i.draft = 0 AND i.resolved_at IS NULL "
/* Most of history: newest first along the key, past the few others. */
#define W_RESOLVED	"FORCE INDEX (PRIMARY) WHERE i.draft = 0 " \
	"AND i.resolved_at IS NOT NULL "
#define W_DRAFT		"WHERE i.draft = 1 "
#define T_ALL		"(SELECT n FROM counters WHERE name = 'incidents')"
#define T_OPEN		"(SELECT COUNT(*) FROM incidents c WHERE c.draft = 0 " \
	"AND c.resolved_at IS NULL)"
#define T_DRAFT		"(SELECT COUNT(*) FROM incidents c WHERE c.draft = 1)"
#define T_RESOLVED	"(" T_ALL " - " T_OPEN " - " T_DRAFT ")"
#define SERVICES_COL "(SELECT GROUP_CONCAT(x.service_id ORDER BY " \
	"x.service_id) FROM incident_services x WHERE x.incident_id = i.id)"
#define PAGE(w, t) "SELECT " INCIDENT_COLS ", " SERVICES_COL ", " t \
	" FROM incidents i " w "ORDER BY i.id DESC LIMIT ? OFFSET ?"
#define COUNT(t) "SELECT " t

static const struct {
	const char	*count, *page;
} lists[INCIDENT_FILTER__MAX] = {
	[INCIDENTS_ALL] = { COUNT(T_ALL), PAGE(W_ALL, T_ALL) },
	[INCIDENTS_OPEN] = { COUNT(T_OPEN), PAGE(W_OPEN, T_OPEN) },
	[INCIDENTS_RESOLVED] = { COUNT(T_RESOLVED),
	    PAGE(W_RESOLVED, T_RESOLVED) },
	[INCIDENTS_DRAFT] = { COUNT(T_DRAFT), PAGE(W_DRAFT, T_DRAFT) },
};
/* The columns of a page's row after INCIDENT_COLS. */
#define PAGE_SERVICES	10
#define PAGE_TOTAL	11

/*
 * Public: published, on at least one public service (or on focus), open
 * or resolved since ?.  The first parameter is focus (0: any service).
 * The window's rows from ix_incidents_open; put newest first and cut to
 * the limit by db_incident_public, not by a filesort.
 */
static const char SQL_PUBLIC[] =
    "SELECT " INCIDENT_COLS " FROM incidents i WHERE i.draft = 0 AND "
    "(i.resolved_at IS NULL OR i.resolved_at >= ?) AND EXISTS ("
    "SELECT 1 FROM incident_services x JOIN services s ON s.id = x.service_id "
    "WHERE x.incident_id = i.id AND s.public = 1 AND (? = 0 OR s.id = ?))";
static const char SQL_SERVICES_OF[] =
    "SELECT x.incident_id, x.service_id FROM " IDS_TABLE
    " JOIN incident_services x ON x.incident_id = j.id";
static const char SQL_PUBLIC_SERVICES_OF[] =
    "SELECT x.incident_id, x.service_id FROM " IDS_TABLE
    " JOIN incident_services x ON x.incident_id = j.id "
    "JOIN services s ON s.id = x.service_id AND s.public = 1";
/*
 * GET /api/incidents/<id>: the incident, its services and its updates
 * in one statement (they were three: the incident, then each list
 * keyed by its id; 2.32 times the floor's machine CPU): a row per
 * update, or one with NULLs for none, each carrying the incident's
 * columns, and its services' ids as the page reads them (the subquery
 * is correlated on the one incident: evaluated once, from the
 * subquery cache after the first row).  The updates' columns as
 * SQL_UPDATES_OF's, from GET_UPDATE on.
 */
static const char SQL_GET_WHOLE[] =
    "SELECT " INCIDENT_COLS ", " SERVICES_COL ", u.id, u.incident_id, "
    "u.status, u.message, u.created_by, u.created_at FROM incidents i "
    "LEFT JOIN incident_updates u ON u.incident_id = i.id WHERE i.id = ?";
#define GET_SERVICES	PAGE_SERVICES
#define GET_UPDATE	11
static const char SQL_UPDATES_OF[] =
    "SELECT u.id, u.incident_id, u.status, u.message, u.created_by, "
    "u.created_at FROM " IDS_TABLE
    " JOIN incident_updates u ON u.incident_id = j.id";

static int
incident_fill(struct dbrows *r, void *elem)
{
	struct incident	*inc = elem;
	bool		 oom = false;
	int		 x;

	inc->id = db_int(r, 0);
	inc->title = db_text_dup(r, 1, &oom);
	inc->impact = (x = incident_impact_parse(db_text(r, 2, NULL))) < 0 ?
	    INCIDENT_MINOR : (enum incident_impact)x;
	inc->status = (x = incident_status_parse(db_text(r, 3, NULL))) < 0 ?
	    INCIDENT_INVESTIGATING : (enum incident_status)x;
	inc->draft = db_int(r, 4) != 0;
	inc->downtime_id = db_int(r, 5);
	inc->created_by = db_text_dup(r, 6, &oom);
	inc->created_at = db_time(r, 7);
	inc->updated_at = db_time(r, 8);
	inc->resolved_at = db_time(r, 9);
	if (oom || inc->title == NULL) {
		incident_clear(inc);
		return -1;
	}
	return 0;
}

static void
incident_clear_v(void *elem)
{
	incident_clear(elem);
}

void
incidents_free(struct incident *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		incident_clear(&v[i]);
	free(v);
}

/* The incident of v[0..n) whose id is id (v is by id, descending). */
static struct incident *
find(struct incident *v, size_t n, long long id)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].id == id)
			return &v[mid];
		if (v[mid].id > id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
add_service(struct incident *inc, long long id)
{
	long long	*p;

	if ((p = reallocarray(inc->service_ids, inc->nservices + 1,
	    sizeof(*p))) == NULL)
		return -1;
	inc->service_ids = p;
	p[inc->nservices++] = id;
	return 0;
}

/* The update whose columns start at c (SQL_UPDATES_OF's order). */
static int
add_update(struct incident *inc, struct dbrows *r, unsigned c)
{
	struct incident_update	*p, *u;
	bool			 oom = false;
	int			 x;

	if ((p = reallocarray(inc->updates, inc->nupdates + 1,
	    sizeof(*p))) == NULL)
		return -1;
	inc->updates = p;
	u = &p[inc->nupdates];
	memset(u, 0, sizeof(*u));
	u->id = db_int(r, c);
	u->incident_id = db_int(r, c + 1);
	u->status = (x = incident_status_parse(db_text(r, c + 2, NULL))) < 0 ?
	    INCIDENT_INVESTIGATING : (enum incident_status)x;
	u->message = db_text_dup(r, c + 3, &oom);
	u->created_by = db_text_dup(r, c + 4, &oom);
	u->created_at = db_time(r, c + 5);
	inc->nupdates++;
	return oom ? -1 : 0;
}

static int
update_cmp(const void *a, const void *b)
{
	const struct incident_update	*x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* An incident's updates oldest first: rows come in no promised order. */
static void
sort_updates(struct incident *inc)
{

	if (inc->nupdates > 1)
		qsort(inc->updates, inc->nupdates, sizeof(*inc->updates),
		    update_cmp);
}

/* Newest first. */
static int
incident_cmp(const void *a, const void *b)
{
	const struct incident	*x = a, *y = b;

	return (x->id < y->id) - (x->id > y->id);
}

/*
 * Give v[0..n) (by id, descending) their services (the rows of
 * services_sql: SQL_SERVICES_OF or SQL_PUBLIC_SERVICES_OF; NULL: a page
 * that brought them) and their updates: a statement each, whose rows
 * come in no promised order; each incident's are sorted here.
 */
static int
attach(struct db *db, struct incident *v, size_t n, const char *services_sql)
{
	struct dbrows	*r = NULL;
	struct incident	*inc;
	long long	*ids;
	char		*json;
	size_t		 i;
	int		 rc = -1, step;

	if (n == 0)
		return 0;
	if ((ids = calloc(n, sizeof(*ids))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		ids[i] = v[i].id;
	json = db_ids_json(ids, n);
	free(ids);
	if (json == NULL)
		return -1;
	for (step = services_sql == NULL; step < 2; step++) {
		struct dbval	 args[] = { DBS(json) };

		r = db_query(db, step == 1 ? SQL_UPDATES_OF : services_sql,
		    args, NARGS(args));
		if (r == NULL)
			goto out;
		while ((rc = db_next(r)) == 1) {
			inc = find(v, n, db_int(r, step == 1 ? 1 : 0));
			if (inc != NULL && (step == 1 ? add_update(inc, r, 0) :
			    add_service(inc, db_int(r, 1))) == -1)
				break;
		}
		db_rows_free(r);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	for (i = 0; i < n; i++) {
		if (v[i].nservices > 1)
			qsort(v[i].service_ids, v[i].nservices,
			    sizeof(*v[i].service_ids), db_id_cmp);
		sort_updates(&v[i]);
	}
	rc = 0;
out:
	free(json);
	return rc == 0 ? 0 : -1;
}

int
db_incident_insert(struct db *db, struct incident *inc)
{
	unsigned long long	 id;
	char			*json;
	int			 rc;
	struct dbval		 args[] = {
		DBS(inc->title), DBS(incident_impact_name(inc->impact)),
		DBS(incident_status_name(inc->status)), DBI(inc->draft),
		inc->downtime_id != 0 ? DBI(inc->downtime_id) : DBNULL,
		DBS(inc->created_by), DBT(inc->created_at),
		DBT(inc->updated_at),
		inc->resolved_at != 0 ? DBT(inc->resolved_at) : DBNULL,
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	db_count(db, DBC_INCIDENTS, 1);
	inc->id = (long long)id;
	if ((json = db_ids_json(inc->service_ids, inc->nservices)) == NULL)
		return -1;
	{
		struct dbval	 sargs[] = { DBI(inc->id), DBS(json) };

		rc = db_exec(db, SQL_SERVICES_INSERT, sargs, NARGS(sargs),
		    NULL, NULL);
	}
	free(json);
	return rc;
}

int
db_incident_add_update(struct db *db, const struct incident *inc,
    struct incident_update *u)
{
	unsigned long long	 id;
	struct dbval		 args[] = {
		DBI(inc->id), DBS(incident_status_name(u->status)),
		DBS(u->message), DBS(u->created_by), DBT(u->created_at),
	};
	struct dbval		 state[] = {
		DBS(incident_status_name(inc->status)),
		inc->resolved_at != 0 ? DBT(inc->resolved_at) : DBNULL,
		DBT(inc->updated_at), DBI(inc->id),
	};

	if (db_exec(db, SQL_UPDATE_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	u->id = (long long)id;
	u->incident_id = inc->id;
	return db_exec(db, SQL_STATE, state, NARGS(state), NULL, NULL);
}

/* The unlocked read: SQL_GET_WHOLE's rows into out.  1, 0, -1. */
static int
incident_get_whole(struct db *db, long long id, struct incident *out)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	bool		 found = false;
	int		 rc;

	if ((r = db_query(db, SQL_GET_WHOLE, args, NARGS(args))) == NULL)
		return -1;
	while ((rc = db_next(r)) == 1) {
		if (!found) {
			/* incident_fill clears what it filled when it fails. */
			if (incident_fill(r, out) == -1) {
				memset(out, 0, sizeof(*out));
				rc = -1;
				break;
			}
			found = true;
			if (db_ids_parse(db_text(r, GET_SERVICES, NULL),
			    &out->service_ids, &out->nservices) == -1) {
				rc = -1;
				break;
			}
		}
		if (!db_isnull(r, GET_UPDATE) &&
		    add_update(out, r, GET_UPDATE) == -1) {
			rc = -1;
			break;
		}
	}
	db_rows_free(r);
	if (rc != 0) {
		incident_clear(out);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	sort_updates(out);
	return found ? 1 : 0;
}

int
db_incident_get(struct db *db, long long id, bool lock, struct incident *out)
{
	struct incident	*v;
	size_t		 n;
	struct dbval	 args[] = { DBI(id) };

	memset(out, 0, sizeof(*out));
	if (!lock)
		return incident_get_whole(db, id, out);
	if (db_collect(db, SQL_GET_LOCK, args, NARGS(args),
	    sizeof(*v), incident_fill, incident_clear_v, (void **)&v,
	    &n) == -1)
		return -1;
	if (n == 0) {
		free(v);
		return 0;
	}
	if (attach(db, v, n, SQL_SERVICES_OF) == -1) {
		incidents_free(v, n);
		return -1;
	}
	*out = v[0];
	free(v);
	return 1;
}

/* A page's row: the incident and its services. */
static int
incident_page_fill(struct dbrows *r, void *elem)
{
	struct incident	*inc = elem;

	if (incident_fill(r, elem) == -1)
		return -1;
	if (db_ids_parse(db_text(r, PAGE_SERVICES, NULL), &inc->service_ids,
	    &inc->nservices) == -1) {
		incident_clear(inc);
		return -1;
	}
	return 0;
}

int
db_incident_page(struct db *db, enum incident_filter f, long long offset,
    long long limit, struct incident **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.args = args, .nargs = NARGS(args), .total_col = PAGE_TOTAL,
		.offset = offset,
	};

	*out = NULL;
	*n = 0;
	*total = 0;
	if ((unsigned)f >= INCIDENT_FILTER__MAX)
		return -1;
	q.sql = lists[f].page;
	q.count = lists[f].count;
	if (db_page(db, &q, sizeof(**out), incident_page_fill,
	    incident_clear_v, (void **)out, n, total) != 1)
		return -1;
	if (*n > 0 && attach(db, *out, *n, NULL) == -1) {
		incidents_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_incident_public(struct db *db, time_t since, long long focus, long limit,
    struct incident **out, size_t *n)
{
	struct dbval	 args[] = { DBT(since), DBI(focus), DBI(focus) };

	*out = NULL;
	*n = 0;
	if (db_collect(db, SQL_PUBLIC, args, NARGS(args), sizeof(**out),
	    incident_fill, incident_clear_v, (void **)out, n) == -1)
		return -1;
	db_sort_cut(*out, n, sizeof(**out), incident_cmp, incident_clear_v,
	    limit);
	if (attach(db, *out, *n, SQL_PUBLIC_SERVICES_OF) == -1) {
		incidents_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_incident_publish(struct db *db, const struct incident *inc)
{
	struct dbval	 args[] = {
		DBS(inc->title), DBS(incident_impact_name(inc->impact)),
		DBT(inc->updated_at), DBI(inc->id),
	};

	return db_exec(db, SQL_PUBLISH, args, NARGS(args), NULL, NULL);
}

int
db_incident_delete(struct db *db, long long id)
{
	struct dbval		 args[] = { DBI(id) };
	unsigned long long	 n;

	if (db_exec(db, SQL_DELETE, args, NARGS(args), &n, NULL) == -1)
		return -1;
	db_count(db, DBC_INCIDENTS, -(long long)n);
	return 0;
}
