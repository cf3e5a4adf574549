/*
 * The catalogue tables: services, bia, service_dependencies, with the
 * status row joined in for reading.  Dependency id lists travel as one
 * JSON array parameter expanded by JSON_TABLE, so every statement here
 * is prepared once whatever the number of ids.  A service's dependency
 * ids are read from its summary column deps (sql/022), which every
 * change of the edges here rewrites in its transaction.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/maintenance.h"
#include "db/db.h"
#include "db/db_counter.h"
#include "db/db_service.h"
#include "util/jsonw.h"
#include "util/log.h"

static const char SQL_LOCK[] = "SELECT id FROM services WHERE id = ? FOR UPDATE";
static const char SQL_GET[] = "SELECT " SERVICE_COLS SERVICE_FROM "WHERE s.id = ?";
/*
 * GET /api/services/<id>: the service and its open tickets' ids at once.
 * The tickets' index is named: MariaDB, which plans the statement again
 * at every execution, otherwise weighs each of the dozen indexes of
 * tickets that could serve (the statement 102 -> 85 us of mariadbd at
 * 100,000 tickets).
 */
static const char SQL_GET_OPEN[] =
    "SELECT " SERVICE_COLS ", (SELECT GROUP_CONCAT(t.id) "
    "FROM tickets t FORCE INDEX (ix_tickets_service) "
    "WHERE t.service_id = s.id AND t.status <> 'RESOLVED') "
    SERVICE_FROM "WHERE s.id = ?";
/*
 * A page starts at the kept anchor before its offset (sql/025), and
 * walks from there at most SERVICE_ANCHOR_STRIDE - 1 rows, whatever the
 * page: a walk from the first service cost 0.1 us an entry (page 100
 * of 10,000 services: 0.35 ms of mariadbd), and then a statement of
 * its own.  The anchor is a const table to the planner (one primary
 * key row), so the services are a primary key range from its id, in
 * key order with their joins: no derived table, no temporary table, no
 * sort.  The rows the OFFSET skips are joined for nothing (mariadbd: 40
 * + 172 us as two statements, 227 as this one, less the round trip).
 * Dependencies and maintenance windows are columns of the rows
 * (sql/022).  ? order: the anchor, the limit, the rest.
 */
static const char SQL_PAGE[] =
    "SELECT s.id, s.item, st.status, st.last_updated, s.public, s.windows, "
    "(SELECT n FROM counters WHERE name = 'services') "
    "FROM service_anchors a JOIN services s ON s.id >= a.id "
    SERVICE_JOINS "WHERE a.k = ? ORDER BY s.id LIMIT ? OFFSET ?";
/* SQL_PAGE's columns. */
enum { PAGE_ID, PAGE_ITEM, PAGE_STATUS, PAGE_UPDATED, PAGE_PUBLIC,
	PAGE_WINDOWS, PAGE_TOTAL };
/* Kept exact by insert and delete (005_counters.sql). */
static const char SQL_COUNT[] =
    "SELECT n FROM counters WHERE name = 'services'";
static const char SQL_COUNT_ADD[] =
    "UPDATE counters SET n = n + ? WHERE name = 'services'";
/*
 * The counter's row is each insert's and delete's first lock: ids are
 * handed out, and anchors moved, one writer at a time, so a writer's
 * count is the position of the id it adds or removes.
 */
static const char SQL_COUNT_LOCK[] =
    "SELECT n FROM counters WHERE name = 'services' FOR UPDATE";
#define STRIDE_S	ANCHOR_STR(SERVICE_ANCHOR_STRIDE)
#define ANCHOR_STR(x)	ANCHOR_STR_(x)
#define ANCHOR_STR_(x)	#x
/* After the insert of the highest id: the count it made is 32k + 1. */
static const char SQL_ANCHOR_APPEND[] =
    "INSERT INTO service_anchors (k, id) SELECT (c.n - 1) DIV " STRIDE_S
    ", ? FROM counters c WHERE c.name = 'services' AND (c.n - 1) MOD "
    STRIDE_S " = 0 ON DUPLICATE KEY UPDATE id = VALUES(id)";
/*
 * After a delete: each anchor at or past the id removed now names the
 * service after it (its old one moved up a place); the last may have
 * none and keeps its id for the trim, which drops the anchors past the
 * new count.
 */
static const char SQL_ANCHOR_SHIFT[] =
    "UPDATE service_anchors a SET a.id = COALESCE((SELECT MIN(s.id) "
    "FROM services s WHERE s.id > a.id), a.id) WHERE a.id >= ?";
static const char SQL_ANCHOR_TRIM[] =
    "DELETE a FROM service_anchors a JOIN counters c ON c.name = 'services' "
    "WHERE a.k * " STRIDE_S " >= c.n";
/* Every anchor again, from the table (an import, at its end). */
static const char SQL_ANCHOR_CLEAR[] = "DELETE FROM service_anchors";
static const char SQL_ANCHOR_ALL[] =
    "INSERT INTO service_anchors (k, id) SELECT (x.rn - 1) DIV " STRIDE_S
    ", x.id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn "
    "FROM services) x WHERE (x.rn - 1) MOD " STRIDE_S " = 0";
static const char SQL_INSERT[] =
    "INSERT INTO services (name, description, created_by, created_at, "
    "updated_at, public) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_UPDATE[] =
    "UPDATE services SET name = ?, description = ?, public = ?, "
    "updated_at = ? WHERE id = ?";
static const char SQL_DELETE[] = "DELETE FROM services WHERE id = ?";
/*
 * Before the delete, whose cascade drops the edges to the service: its
 * dependents' deps without it.  The join on the primary key locks those
 * rows alone (an IN (subquery) would walk the whole table).  ? order:
 * the service, the service again.
 */
static const char SQL_DEPS_DEPENDENTS[] =
    "UPDATE services s JOIN (SELECT e.service_id AS sid "
    "FROM service_dependencies e WHERE e.dependency_id = ?) x "
    "ON s.id = x.sid SET s.deps = "
    SERVICE_DEPS_OF(" AND d.dependency_id <> ?");
static const char SQL_BIA_UPSERT[] =
    "INSERT INTO bia (service_id, criticality, impact, rto, rpo, signed_off, "
    "signed_off_by, signed_off_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON DUPLICATE KEY UPDATE criticality = VALUES(criticality), "
    "impact = VALUES(impact), rto = VALUES(rto), rpo = VALUES(rpo), "
    "signed_off = VALUES(signed_off), signed_off_by = VALUES(signed_off_by), "
    "signed_off_at = VALUES(signed_off_at), updated_at = VALUES(updated_at)";
static const char SQL_BIA_DELETE[] = "DELETE FROM bia WHERE service_id = ?";
/* The service's row's copy of its BIA (sql/033), from the table. */
static const char SQL_BIA_KEEP[] = SERVICE_BIA_KEEP "WHERE s.id = ?";
/* Each unknown id once, in the order the request first named it. */
static const char SQL_DEPS_MISSING[] =
    "SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS "
    "(ord FOR ORDINALITY, id BIGINT UNSIGNED PATH '$')) j "
    "LEFT JOIN services s ON s.id = j.id "
    "WHERE s.id IS NULL GROUP BY j.id ORDER BY MIN(j.ord)";
static const char SQL_DEPS_CLEAR[] =
    "DELETE FROM service_dependencies WHERE service_id = ?";
static const char SQL_DEPS_INSERT[] =
    "INSERT INTO service_dependencies (service_id, dependency_id) "
    "SELECT DISTINCT ?, j.id FROM JSON_TABLE(?, '$[*]' COLUMNS "
    "(id BIGINT UNSIGNED PATH '$')) j";
/* The summary from the edges just written (the caller holds the row). */
static const char SQL_DEPS_SUMMARY[] =
    "UPDATE services s SET s.deps = " SERVICE_DEPS_OF("") " WHERE s.id = ?";
static const char SQL_EDGES[] =
    "SELECT service_id, dependency_id FROM service_dependencies";
void
service_clear(struct service *s)
{
	free(s->name);
	free(s->description);
	free(s->created_by);
	free(s->bia.signed_off_by);
	free(s->deps);
	memset(s, 0, sizeof(*s));
}

static enum svc_status
status_col(struct dbrows *r, unsigned col)
{
	const char	*v = db_text(r, col, NULL);
	int		 st;

	if (v == NULL || (st = status_parse(v)) < 0)
		return STATUS_UNKNOWN;
	return (enum svc_status)st;
}

/*
 * Whether the summary's windows (column col) hold now.  A malformed one
 * can only come from a bug of ours: logged, and counted as no window,
 * so that one row does not fail a whole list or status page.
 */
static bool
in_maintenance(struct dbrows *r, unsigned col, long long id, time_t now)
{
	const char	*v;
	size_t		 len;
	int		 rc;

	v = db_text(r, col, &len);
	if ((rc = maint_windows_active(v, len, now)) == -1)
		log_errx("service %lld: bad maintenance windows from the "
		    "server: %.100s", id, v);
	return rc == 1;
}

int
service_from_row(struct dbrows *r, struct service *s, time_t now)
{
	const char	*v;
	bool		 oom = false;
	int		 x;

	memset(s, 0, sizeof(*s));
	s->id = db_int(r, 0);
	s->name = db_text_dup(r, 1, &oom);
	s->description = db_text_dup(r, 2, &oom);
	s->created_by = db_text_dup(r, 3, &oom);
	s->created_at = db_time(r, 4);
	s->has_bia = db_int(r, 5) != 0;
	if (s->has_bia) {
		v = db_text(r, 6, NULL);
		x = v ? criticality_parse(v) : -1;
		s->bia.criticality = x < 0 ? CRIT_NONE : (enum criticality)x;
		v = db_text(r, 7, NULL);
		x = v ? impact_parse(v) : -1;
		s->bia.impact = x < 0 ? IMPACT_NONE : (enum impact)x;
		s->bia.has_rto = !db_isnull(r, 8);
		s->bia.rto = (long)db_int(r, 8);
		s->bia.has_rpo = !db_isnull(r, 9);
		s->bia.rpo = (long)db_int(r, 9);
		s->bia.signed_off = db_int(r, 10) != 0;
		s->bia.signed_off_by = db_text_dup(r, 11, &oom);
		s->bia.signed_off_at = db_time(r, 12);
	}
	s->has_status = !db_isnull(r, 13);
	s->status = status_col(r, 13);
	s->last_updated = db_time(r, 14);
	s->public = db_int(r, 16) != 0;
	s->in_maintenance = in_maintenance(r, SERVICE_COL_WINDOWS, s->id, now);
	if (oom || s->name == NULL || db_ids_parse(db_text(r, 15, NULL), &s->deps,
	    &s->ndeps) == -1) {
		service_clear(s);
		return -1;
	}
	return 0;
}

int
db_service_lock(struct db *db, long long id)
{
	struct dbval	 args[] = { DBI(id) };
	long long	 got;

	return db_scalar(db, SQL_LOCK, args, NARGS(args), &got);
}

int
db_service_get(struct db *db, long long id, time_t now, struct service *s)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, SQL_GET, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1 && service_from_row(r, s, now) == -1)
		rc = -1;
	db_rows_free(r);
	return rc;
}

int
db_service_get_open(struct db *db, long long id, time_t now,
    struct service *s, long long **tickets, size_t *ntickets)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	int		 rc;

	*tickets = NULL;
	*ntickets = 0;
	if ((r = db_query(db, SQL_GET_OPEN, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		if (service_from_row(r, s, now) == -1)
			rc = -1;
		else if (db_ids_parse(db_text(r, SERVICE_NCOLS, NULL), tickets,
		    ntickets) == -1) {
			service_clear(s);
			rc = -1;
		}
	}
	db_rows_free(r);
	return rc;
}

long long
db_service_count(struct db *db)
{
	long long	 n;

	if (db_scalar(db, SQL_COUNT, NULL, 0, &n) != 1)
		return -1;
	return n;
}

int
db_service_count_add(struct db *db, long long delta)
{
	struct dbval	 args[] = { DBI(delta) };

	return db_exec(db, SQL_COUNT_ADD, args, NARGS(args), NULL, NULL);
}

/* What db_service_collect's rows are read as of, and where the count goes. */
struct collect_ctx {
	time_t		 now;
	long long	*total;
};

static int
service_fill(struct dbrows *r, void *elem, void *arg)
{
	struct collect_ctx	*c = arg;

	if (c->total != NULL) {
		*c->total = db_int(r, SERVICE_NCOLS);
		c->total = NULL;	/* the first row's */
	}
	return service_from_row(r, elem, c->now);
}

static void
service_clear_v(void *s)
{
	service_clear(s);
}

int
db_service_collect(struct db *db, const char *sql, const struct dbval *args,
    size_t nargs, time_t now, struct service **out, size_t *n,
    long long *total)
{
	struct collect_ctx	 c = { now, total };

	return db_collect_arg(db, sql, args, nargs, sizeof(**out),
	    service_fill, &c, service_clear_v, (void **)out, n);
}

void
service_entry_clear(struct service_entry *e)
{
	free(e->item);
	memset(e, 0, sizeof(*e));
}

static void
service_entry_clear_v(void *e)
{
	service_entry_clear(e);
}

static int
entry_fill(struct dbrows *r, void *elem, void *arg)
{
	struct collect_ctx	*c = arg;
	struct service_entry	*e = elem;
	bool			 oom = false;

	if (c->total != NULL) {
		*c->total = db_int(r, PAGE_TOTAL);
		c->total = NULL;	/* the first row's */
	}
	memset(e, 0, sizeof(*e));
	e->id = db_int(r, PAGE_ID);
	if ((e->item = db_text_dup(r, PAGE_ITEM, &oom)) == NULL) {
		/* A generated column: NULL only if sql/037 lost a case. */
		if (!oom)
			log_errx("service %lld: no list item on its row",
			    e->id);
		return -1;
	}
	/*
	 * MariaDB's JSON_QUOTE spells a control character \u001F, json-c
	 * and util/jsonw \u001f: made the latter's, a list item is byte
	 * for byte what a service's own answer writes.
	 */
	jsonw_hex_lower(e->item);
	e->itemlen = strlen(e->item);
	e->status = status_col(r, PAGE_STATUS);
	e->last_updated = db_time(r, PAGE_UPDATED);
	e->public = db_int(r, PAGE_PUBLIC) != 0;
	e->in_maintenance = in_maintenance(r, PAGE_WINDOWS, e->id, c->now);
	return 0;
}

static int
edge_fill(struct dbrows *r, void *p)
{
	struct dep_edge	*e = p;

	e->from = db_int(r, 0);
	e->to = db_int(r, 1);
	return 0;
}

int
db_service_page(struct db *db, long long offset, long long limit,
    time_t now, struct service_entry **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(offset / SERVICE_ANCHOR_STRIDE),
				    DBI(limit),
				    DBI(offset % SERVICE_ANCHOR_STRIDE) };
	struct collect_ctx	 c = { now, total };

	*out = NULL;
	*n = 0;
	if (db_collect_arg(db, SQL_PAGE, args, NARGS(args), sizeof(**out),
	    entry_fill, &c, service_entry_clear_v, (void **)out, n) == -1)
		return -1;
	/* Past the last page there is no row to carry the count. */
	if (*n == 0)
		return (*total = db_service_count(db)) < 0 ? -1 : 0;
	return 0;
}

int
db_service_insert(struct db *db, struct service *s, time_t now)
{
	unsigned long long	 id;
	struct dbval		 args[] = {
		DBS(s->name), DBS(s->description), DBS(s->created_by), DBT(now),
		DBT(now), DBI(s->public),
	};

	if (db_service_count_add(db, 1) == -1 ||
	    db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	{
		struct dbval	 anchor[] = { DBI((long long)id) };

		if (db_exec(db, SQL_ANCHOR_APPEND, anchor, NARGS(anchor), NULL,
		    NULL) == -1)
			return -1;
	}
	s->id = (long long)id;
	s->created_at = now;
	return 0;
}

int
db_service_update(struct db *db, const struct service *s, time_t now)
{
	struct dbval	 args[] = {
		DBS(s->name), DBS(s->description), DBI(s->public), DBT(now),
		DBI(s->id),
	};

	return db_exec(db, SQL_UPDATE, args, NARGS(args), NULL, NULL);
}

int
db_service_delete(struct db *db, long long id)
{
	struct dbval		 args[] = { DBI(id) };
	struct dbval		 twice[] = { DBI(id), DBI(id) };
	unsigned long long	 n;
	long long		 count;
	int			 found;

	if (db_scalar(db, SQL_COUNT_LOCK, NULL, 0, &count) != 1 ||
	    (found = db_counts_service_gone(db, id)) == -1)
		return -1;
	if (found == 0)
		return 0;
	if (db_exec(db, SQL_DEPS_DEPENDENTS, twice, NARGS(twice), NULL,
	    NULL) == -1 ||
	    db_exec(db, SQL_DELETE, args, NARGS(args), &n, NULL) == -1)
		return -1;
	if (n == 0)
		return 0;
	if (db_service_count_add(db, -(long long)n) == -1 ||
	    db_exec(db, SQL_ANCHOR_SHIFT, args, NARGS(args), NULL, NULL) == -1 ||
	    db_exec(db, SQL_ANCHOR_TRIM, NULL, 0, NULL, NULL) == -1)
		return -1;
	return 1;
}

/* The service's row's copy of its BIA made again (the caller holds the row). */
static int
bia_keep(struct db *db, long long id)
{
	struct dbval	 args[] = { DBI(id) };

	return db_exec(db, SQL_BIA_KEEP, args, NARGS(args), NULL, NULL);
}

int
db_bia_upsert(struct db *db, long long id, const struct bia *b, time_t now)
{
	struct dbval	 args[] = {
		DBI(id), DBS(criticality_name(b->criticality)),
		DBS(impact_name(b->impact)),
		b->has_rto ? DBI(b->rto) : DBNULL, b->has_rpo ? DBI(b->rpo) : DBNULL,
		DBI(b->signed_off ? 1 : 0), DBS(b->signed_off_by),
		b->signed_off ? DBT(b->signed_off_at) : DBNULL, DBT(now),
	};

	if (db_exec(db, SQL_BIA_UPSERT, args, NARGS(args), NULL, NULL) == -1)
		return -1;
	return bia_keep(db, id);
}

int
db_bia_delete(struct db *db, long long id)
{
	struct dbval		 args[] = { DBI(id) };
	unsigned long long	 n;

	if (db_exec(db, SQL_BIA_DELETE, args, NARGS(args), &n, NULL) == -1)
		return -1;
	if (n > 0 && bia_keep(db, id) == -1)
		return -1;
	return n > 0;
}



int
db_deps_missing(struct db *db, const long long *ids, size_t n, char *buf,
    size_t bufsz)
{
	return db_ids_listed(db, SQL_DEPS_MISSING, ids, n, buf, bufsz);
}

int
db_links_replace(struct db *db, const char *clear_sql, const char *insert_sql,
    long long id, const long long *ids, size_t n)
{
	struct dbval	 clear[] = { DBI(id) };
	char		*json;
	int		 rc;

	if (db_exec(db, clear_sql, clear, NARGS(clear), NULL, NULL) == -1)
		return -1;
	if (n == 0)
		return 0;
	if ((json = db_ids_json(ids, n)) == NULL)
		return -1;
	{
		struct dbval	 args[] = { DBI(id), DBS(json) };

		rc = db_exec(db, insert_sql, args, NARGS(args), NULL, NULL);
	}
	free(json);
	return rc;
}

int
db_deps_replace(struct db *db, long long id, const long long *ids, size_t n)
{
	struct dbval	 args[] = { DBI(id) };

	if (db_links_replace(db, SQL_DEPS_CLEAR, SQL_DEPS_INSERT, id, ids,
	    n) == -1)
		return -1;
	return db_exec(db, SQL_DEPS_SUMMARY, args, NARGS(args), NULL, NULL);
}

int
db_dep_edges(struct db *db, struct dep_edge **out, size_t *n)
{
	return db_collect(db, SQL_EDGES, NULL, 0, sizeof(**out), edge_fill, NULL,
	    (void **)out, n);
}

int
db_service_anchors_rebuild(struct db *db)
{
	if (db_scalar(db, SQL_COUNT_LOCK, NULL, 0, &(long long){ 0 }) != 1 ||
	    db_exec(db, SQL_ANCHOR_CLEAR, NULL, 0, NULL, NULL) == -1 ||
	    db_exec(db, SQL_ANCHOR_ALL, NULL, 0, NULL, NULL) == -1)
		return -1;
	return 0;
}
