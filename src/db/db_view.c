/*
 * The service view: the catalogue row with its integration count and
 * the names of its dependencies that are Down (one statement), then its
 * downtimes over the window together with its latest one and the
 * maintenance windows over the same span (a second).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/db.h"
#include "db/db_view.h"
#include "util/log.h"

#define WEEK (7 * 24 * 3600)

/*
 * The integration count is the row's summary (sql/022); the Down among
 * the dependencies change with every status write of theirs and are
 * read here, in the one order that serves (the service's edges, then
 * each dependency's status and name by primary key): STRAIGHT_JOIN
 * spares MariaDB the search for a join order at every execution, which
 * cost more than the join itself (view 125 -> 100 us of mariadbd).
 */
static const char SQL_VIEW[] =
    "SELECT " SERVICE_COLS ", s.integrations, "
    "(SELECT JSON_ARRAYAGG(JSON_ARRAY(t.id, t.name)) FROM service_dependencies d "
    "STRAIGHT_JOIN service_status ds ON ds.service_id = d.dependency_id "
    "AND ds.status = 'Down' STRAIGHT_JOIN services t ON t.id = d.dependency_id "
    "WHERE d.service_id = s.id) "
    SERVICE_FROM "WHERE s.id = ?";
/*
 * kind 0: a downtime overlapping [since, now] (its times only: read from
 * the index alone); 1: the latest open one; 2: the latest by start; 3: a
 * maintenance window overlapping [since, now].  Both "latest" reads walk
 * an index, never a sort.  Each part names its index: the plan stays
 * the same however many downtimes a service has, and MariaDB, which
 * plans a prepared statement again on every execution, estimates one
 * index per part instead of every one that could serve it.
 */
static const char SQL_VIEW_DOWNTIMES[] =
    "(SELECT 0, id, service_id, start_time, end_time, NULL FROM downtimes "
    "FORCE INDEX (ix_downtimes_service_end) "
    "WHERE service_id = ? AND start_time < ? AND (end_time IS NULL OR "
    "end_time > ?)) UNION ALL "
    "(SELECT 1, id, service_id, start_time, end_time, reason FROM downtimes "
    "FORCE INDEX (ix_downtimes_service_end) "
    "WHERE service_id = ? AND end_time IS NULL ORDER BY start_time DESC, "
    "id DESC LIMIT 1) UNION ALL "
    "(SELECT 2, id, service_id, start_time, end_time, reason FROM downtimes "
    "FORCE INDEX (ix_downtimes_service_start) "
    "WHERE service_id = ? ORDER BY start_time DESC, id DESC LIMIT 1) UNION ALL "
    "(SELECT 3, m.id, ms.service_id, m.starts_at, m.ends_at, NULL "
    "FROM maintenance_services ms JOIN maintenance m "
    "ON m.id = ms.maintenance_id WHERE ms.service_id = ? AND "
    "m.starts_at < ? AND m.ends_at > ?)";

void
service_view_clear(struct service_view *v)
{
	service_clear(&v->svc);
	risk_ctx_clear(&v->risk);
	downtime_clear(&v->latest);
	free(v->iv);
	free(v->maint);
	v->iv = v->maint = NULL;
	v->niv = v->nmaint = 0;
}

static int
pair_cmp(const void *a, const void *b)
{
	int64_t	 x, y;

	x = json_object_get_int64(json_object_array_get_idx(
	    *(struct json_object *const *)a, 0));
	y = json_object_get_int64(json_object_array_get_idx(
	    *(struct json_object *const *)b, 0));
	return (x > y) - (x < y);
}

/*
 * The JSON array of [id, name] pairs into the risk context, which owns
 * the names, in id order: sorted here, so that MariaDB needs no
 * temporary table to order the aggregate.
 */
static int
down_deps(const char *json, struct risk_ctx *ctx)
{
	struct json_object	*a, **pairs = NULL;
	size_t			 i, n;
	int			 rc = 0;

	if (json == NULL)
		return 0;
	/* Our own server's JSON, not client input. */
	if ((a = json_tokener_parse(json)) == NULL ||
	    !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return log_errx("view: bad dependency names from the server");
	}
	n = json_object_array_length(a);
	if (n > 0 && ((ctx->names = calloc(n, sizeof(*ctx->names))) == NULL ||
	    (pairs = calloc(n, sizeof(*pairs))) == NULL))
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		pairs[i] = json_object_array_get_idx(a, i);
		if (!json_object_is_type(pairs[i], json_type_array) ||
		    json_object_array_length(pairs[i]) != 2)
			rc = log_errx("view: bad dependency pair from the server");
	}
	if (rc == 0 && n > 1)
		qsort(pairs, n, sizeof(*pairs), pair_cmp);
	for (i = 0; rc == 0 && i < n; i++) {
		const char *s = json_object_get_string(
		    json_object_array_get_idx(pairs[i], 1));

		if ((ctx->names[i] = strdup(s ? s : "")) == NULL)
			rc = -1;
		else
			ctx->nnames++;
	}
	free(pairs);
	json_object_put(a);
	ctx->in.down_deps = (const char *const *)ctx->names;
	ctx->in.ndown_deps = ctx->nnames;
	return rc;
}

static int
view_row(struct db *db, long long id, time_t now, struct service_view *v)
{
	struct dbval		 args[] = { DBI(id) };
	struct risk_input	*in = &v->risk.in;
	struct dbrows		*r;
	int			 rc;

	if ((r = db_query(db, SQL_VIEW, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		if (service_from_row(r, &v->svc, now) == -1)
			rc = -1;
		else {
			in->status = v->svc.status;
			in->has_bia = v->svc.has_bia;
			in->criticality = v->svc.bia.criticality;
			in->impact = v->svc.bia.impact;
			in->has_rto = v->svc.bia.has_rto;
			in->rto = v->svc.bia.rto;
			in->has_rpo = v->svc.bia.has_rpo;
			in->rpo = v->svc.bia.rpo;
			in->integrations = (long)db_int(r, SERVICE_NCOLS);
			if (down_deps(db_text(r, SERVICE_NCOLS + 1, NULL),
			    &v->risk) == -1)
				rc = -1;
		}
	}
	db_rows_free(r);
	return rc;
}

static int
view_downtimes(struct db *db, long long id, time_t now, time_t since,
    struct service_view *v)
{
	struct dbval	 args[] = { DBI(id), DBT(now), DBT(since), DBI(id),
			    DBI(id), DBI(id), DBT(now), DBT(since) };
	struct dbrows	*r;
	struct downtime	 d;
	struct interval	*iv;
	size_t		 cap;
	int		 rc, kind, have = 0;

	if ((r = db_query(db, SQL_VIEW_DOWNTIMES, args, NARGS(args))) == NULL)
		return -1;
	cap = (size_t)db_nrows(r);
	if (cap > 0 && ((v->iv = calloc(cap, sizeof(*v->iv))) == NULL ||
	    (v->maint = calloc(cap, sizeof(*v->maint))) == NULL)) {
		db_rows_free(r);
		return log_errx("view: out of memory");
	}
	while ((rc = db_next(r)) == 1) {
		kind = (int)db_int(r, 0);
		if (kind == 0 || kind == 3) {
			iv = kind == 0 ? &v->iv[v->niv++] :
			    &v->maint[v->nmaint++];
			iv->start = db_time(r, 3);
			iv->end = db_time(r, 4);
			continue;
		}
		/* An open downtime wins over a more recent closed one. */
		if (have != 0 && have <= kind)
			continue;
		memset(&d, 0, sizeof(d));
		d.id = db_int(r, 1);
		d.service_id = db_int(r, 2);
		d.start = db_time(r, 3);
		d.end = db_time(r, 4);
		if ((d.reason = strdup(db_text(r, 5, NULL) ?
		    db_text(r, 5, NULL) : "")) == NULL) {
			rc = -1;
			break;
		}
		downtime_clear(&v->latest);
		v->latest = d;
		have = kind;
	}
	db_rows_free(r);
	return rc == -1 ? -1 : 0;
}

int
db_service_view(struct db *db, long long id, time_t now, time_t since,
    struct service_view *v)
{
	int	 rc;

	memset(v, 0, sizeof(*v));
	v->risk.in.status = STATUS_UNKNOWN;
	if (since > now - WEEK)
		since = now - WEEK;
	if ((rc = view_row(db, id, now, v)) != 1 ||
	    (rc = view_downtimes(db, id, now, since, v)) == -1) {
		service_view_clear(v);
		return rc;
	}
	v->risk.in.downtime_minutes_7d = downtime_minutes_since(v->iv, v->niv,
	    now - WEEK, now);
	return 1;
}
