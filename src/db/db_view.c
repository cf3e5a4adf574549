/*
 * The service view in one statement: the catalogue row with its
 * integration count and its dependencies that are Down (a row each),
 * and from the summaries its outages (sql/027, service_outages) and
 * maintenance windows over the span and its latest downtime, joined
 * by id.  When
 * the summary does not reach back far enough (or holds too many), the
 * same from the tables: the row, the downtimes and windows over the
 * span and the latest downtime as the parts of one UNION.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/intervaltext.h"
#include "db/db.h"
#include "db/db_outages.h"
#include "db/db_view.h"
#include "util/log.h"

#define WEEK (7 * 24 * 3600)

/*
 * One UNION ALL, each part planned on its own as a statement of its own
 * would be (as subqueries of the row's select list they planned dearer:
 * 390 us of mariadbd against 168 + 125 as two statements), in one round
 * trip.  Every row has the same columns: the catalogue row's
 * (SERVICE_COLS, the integration count, the Down dependencies), then a
 * downtime's or window's (id, service, start, end, reason), then the
 * part's kind last; a part fills its own columns and leaves the others
 * NULL.  The row's columns come first so that service_from_row reads
 * them where it always does.
 *
 * KIND_ROW: the service, once for each of its dependencies that is
 * Down (once with NULLs there when none is).  The integration count is
 * the row's summary (sql/022); the Down among the dependencies change
 * with every status write of theirs and are read here, in the one
 * order that serves (the service's edges, then each dependency's
 * status and name by primary key, each index named).  As a join of the
 * row they cost MariaDB less than as a subquery of its select list
 * with its own aggregate, planned on its own at every execution
 * (health: 183 -> 150 us of mariadbd, through the mariadb client; the
 * same statement with no dependency read at all, 81).  A service has
 * few dependencies, and fewer Down: the row's repeats are cheap.
 * KIND_WINDOW: a downtime overlapping [since, now] (its times only:
 * read from the index alone); KIND_OPEN: the latest open one;
 * KIND_LATEST: the latest by start; KIND_MAINT: a maintenance window
 * overlapping [since, now].  Both "latest" reads walk an index, never a
 * sort.  Each part names its index: the plan stays the same however
 * many downtimes a service has, and MariaDB, which plans a prepared
 * statement again on every execution, estimates one index per part
 * instead of every one that could serve it.
 */
/* The numbers each part of the statement answers as its kind. */
enum view_kind { KIND_WINDOW, KIND_OPEN, KIND_LATEST, KIND_MAINT, KIND_ROW };
/* The row's columns: SERVICE_COLS, the integrations, a Down dependency. */
#define VIEW_COL_DEP	(SERVICE_NCOLS + 1)
#define VIEW_ROW_COLS	(SERVICE_NCOLS + 3)
#define VIEW_NO_ROW	"NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " \
	"NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " \
	"NULL, NULL, "
#define VIEW_NO_PART	"NULL, NULL, NULL, NULL, NULL, "
#define VIEW_COL_ID	(VIEW_ROW_COLS)
#define VIEW_COL_KIND	(VIEW_ROW_COLS + 5)
/* s's dependencies that are Down, as t.id and t.name. */
#define VIEW_DOWN_DEPS \
    "LEFT JOIN (service_dependencies d FORCE INDEX (PRIMARY) " \
    "JOIN service_status ds FORCE INDEX (PRIMARY) " \
    "ON ds.service_id = d.dependency_id AND ds.status = 'Down' " \
    "JOIN services t FORCE INDEX (PRIMARY) ON t.id = d.dependency_id) " \
    "ON d.service_id = s.id "
static const char SQL_VIEW[] =
    "(SELECT " SERVICE_COLS ", s.integrations, t.id, t.name, "
    VIEW_NO_PART "4 " SERVICE_FROM VIEW_DOWN_DEPS "WHERE s.id = ?) UNION ALL "
    "(SELECT " VIEW_NO_ROW "id, service_id, start_time, end_time, NULL, 0 "
    "FROM downtimes FORCE INDEX (ix_downtimes_service_end) "
    "WHERE service_id = ? AND start_time < ? AND (end_time IS NULL OR "
    "end_time > ?)) UNION ALL "
    "(SELECT " VIEW_NO_ROW "id, service_id, start_time, end_time, reason, 1 "
    "FROM downtimes FORCE INDEX (ix_downtimes_service_end) "
    "WHERE service_id = ? AND end_time IS NULL ORDER BY start_time DESC, "
    "id DESC LIMIT 1) UNION ALL "
    "(SELECT " VIEW_NO_ROW "id, service_id, start_time, end_time, reason, 2 "
    "FROM downtimes FORCE INDEX (ix_downtimes_service_start) "
    "WHERE service_id = ? ORDER BY start_time DESC, id DESC LIMIT 1) UNION ALL "
    "(SELECT " VIEW_NO_ROW "m.id, ms.service_id, m.starts_at, m.ends_at, "
    "NULL, 3 FROM maintenance_services ms JOIN maintenance m "
    "ON m.id = ms.maintenance_id WHERE ms.service_id = ? AND "
    "m.starts_at < ? AND m.ends_at > ?)";
/*
 * The row with its summaries: its columns as SQL_VIEW's row part has
 * them, then whether it has an outages row (sql/027; none: no downtime
 * was ever written for it), the outages and their horizon, then the
 * latest downtime's columns (NULL when none), each read by primary key.
 */
#define SUM_COL_NONE	(VIEW_ROW_COLS)
#define SUM_COL_OUTAGES	(VIEW_ROW_COLS + 1)
#define SUM_COL_FROM	(VIEW_ROW_COLS + 2)
#define SUM_COL_LATEST	(VIEW_ROW_COLS + 3)
static const char SQL_SUMMARY[] =
    "SELECT " SERVICE_COLS ", s.integrations, t.id, t.name, "
    "o.service_id IS NULL, o.outages, o.outages_from, ld.id, "
    "ld.service_id, ld.start_time, ld.end_time, ld.reason " SERVICE_FROM
    "LEFT JOIN service_outages o ON o.service_id = s.id "
    "LEFT JOIN downtimes ld ON ld.id = o.latest_downtime "
    VIEW_DOWN_DEPS "WHERE s.id = ?";

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

/* The Down dependencies of a view's service, as its rows bring them. */
struct dep {
	long long	 id;
	char		*name;
};
struct deps {
	struct dep	*v;	/* owned, with each name */
	size_t		 n;
};

static int
dep_cmp(const void *a, const void *b)
{
	long long	 x = ((const struct dep *)a)->id;
	long long	 y = ((const struct dep *)b)->id;

	return (x > y) - (x < y);
}

/*
 * The row's Down dependency, if it names one, into deps, which has
 * room for one a row of the result.
 */
static int
deps_add(struct dbrows *r, struct deps *deps)
{
	const char	*name;
	struct dep	*d;

	if (db_isnull(r, VIEW_COL_DEP))
		return 0;
	if (deps->v == NULL &&
	    (deps->v = calloc((size_t)db_nrows(r), sizeof(*deps->v))) == NULL)
		return log_errx("view: out of memory");
	d = &deps->v[deps->n];
	name = db_text(r, VIEW_COL_DEP + 1, NULL);
	d->id = db_int(r, VIEW_COL_DEP);
	if ((d->name = strdup(name ? name : "")) == NULL)
		return log_errx("view: out of memory");
	deps->n++;
	return 0;
}

/*
 * The names into the risk context, which takes them, in id order: sorted
 * here, so that MariaDB needs no sort.  deps is empty after.
 */
static int
deps_finish(struct deps *deps, struct risk_ctx *ctx)
{
	size_t	 i;
	int	 rc = 0;

	if (deps->n > 0 && (ctx->names = calloc(deps->n,
	    sizeof(*ctx->names))) == NULL)
		rc = log_errx("view: out of memory");
	if (rc == 0) {
		qsort(deps->v, deps->n, sizeof(*deps->v), dep_cmp);
		for (i = 0; i < deps->n; i++)
			ctx->names[ctx->nnames++] = deps->v[i].name;
		ctx->in.down_deps = (const char *const *)ctx->names;
		ctx->in.ndown_deps = ctx->nnames;
	} else
		for (i = 0; i < deps->n; i++)
			free(deps->v[i].name);
	free(deps->v);
	deps->v = NULL;
	deps->n = 0;
	return rc;
}

/* The service's own row: the catalogue row and risk_score's inputs. */
static int
view_service(struct dbrows *r, time_t now, struct service_view *v)
{
	struct risk_input	*in = &v->risk.in;

	if (service_from_row(r, &v->svc, now) == -1)
		return -1;
	in->status = v->svc.status;
	in->has_bia = v->svc.has_bia;
	in->criticality = v->svc.bia.criticality;
	in->impact = v->svc.bia.impact;
	in->has_rto = v->svc.bia.has_rto;
	in->rto = v->svc.bia.rto;
	in->has_rpo = v->svc.bia.has_rpo;
	in->rpo = v->svc.bia.rpo;
	in->integrations = (long)db_int(r, SERVICE_NCOLS);
	return 0;
}

/* The downtime in columns col.. (id, service, start, end, reason). */
static int
view_downtime(struct dbrows *r, unsigned col, struct service_view *v)
{
	const char	*reason;
	struct downtime	 d;

	memset(&d, 0, sizeof(d));
	d.id = db_int(r, col);
	d.service_id = db_int(r, col + 1);
	d.start = db_time(r, col + 2);
	d.end = db_time(r, col + 3);
	reason = db_text(r, col + 4, NULL);
	if ((d.reason = strdup(reason ? reason : "")) == NULL)
		return -1;
	downtime_clear(&v->latest);
	v->latest = d;
	return 0;
}

/* The latest downtime: an open one wins over a more recent closed one. */
static int
view_latest(struct dbrows *r, enum view_kind kind, enum view_kind *have,
    struct service_view *v)
{
	if (*have != KIND_ROW && *have <= kind)
		return 0;
	*have = kind;
	return view_downtime(r, VIEW_COL_ID, v);
}

static int
view_rows(struct dbrows *r, time_t now, struct service_view *v)
{
	enum view_kind	 kind, have = KIND_ROW;
	struct deps	 deps = { NULL, 0 };
	struct interval	*iv;
	size_t		 cap;
	int		 rc, found = 0;

	cap = (size_t)db_nrows(r);
	if (cap > 0 && ((v->iv = calloc(cap, sizeof(*v->iv))) == NULL ||
	    (v->maint = calloc(cap, sizeof(*v->maint))) == NULL))
		return log_errx("view: out of memory");
	while ((rc = db_next(r)) == 1) {
		kind = (enum view_kind)db_int(r, VIEW_COL_KIND);
		if (kind == KIND_ROW) {
			if ((!found && view_service(r, now, v) == -1) ||
			    deps_add(r, &deps) == -1)
				break;
			found = 1;
		} else if (kind == KIND_WINDOW || kind == KIND_MAINT) {
			iv = kind == KIND_WINDOW ? &v->iv[v->niv++] :
			    &v->maint[v->nmaint++];
			iv->start = db_time(r, VIEW_COL_ID + 2);
			iv->end = db_time(r, VIEW_COL_ID + 3);
		} else if (view_latest(r, kind, &have, v) == -1)
			break;
	}
	if (deps_finish(&deps, &v->risk) == -1 || rc != 0)
		return -1;
	return found;
}

/*
 * The intervals of a summary column over (from, now), as SQL_VIEW's
 * parts choose them (started before now; open, or ended after from),
 * into *out.  0 or -1.
 */
static int
view_spans(struct dbrows *r, unsigned col, time_t from, time_t now,
    struct interval **out, size_t *n)
{
	const char	*text;
	size_t		 len, i, k = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((text = db_text(r, col, &len)) == NULL)
		return 0;
	if ((rc = intervals_parse(text, len, out, n)) != 0)
		return rc == -1 ? log_errx("view: bad intervals from the "
		    "server in column %u", col) : -1;
	for (i = 0; i < *n; i++)
		if ((*out)[i].start < now &&
		    ((*out)[i].end == 0 || (*out)[i].end > from))
			(*out)[k++] = (*out)[i];
	*n = k;
	return 0;
}

/*
 * The view from the row's summaries.  1 done, 0 no such service, 2 the
 * summary does not cover from (the caller reads the tables), -1.
 */
static int
view_summary(struct db *db, long long id, time_t now, time_t from,
    struct service_view *v)
{
	struct dbval	 args[] = { DBI(id) };
	struct deps	 deps = { NULL, 0 };
	struct dbrows	*r;
	int		 rc, more;

	if ((r = db_query(db, SQL_SUMMARY, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		if (db_int(r, SUM_COL_NONE) == 0 &&
		    (db_isnull(r, SUM_COL_FROM) ||
		    db_time(r, SUM_COL_FROM) > from))
			rc = 2;
		else if (view_service(r, now, v) == -1 ||
		    view_spans(r, SUM_COL_OUTAGES, from, now, &v->iv,
		    &v->niv) == -1 ||
		    view_spans(r, SERVICE_COL_WINDOWS, from, now, &v->maint,
		    &v->nmaint) == -1 ||
		    (!db_isnull(r, SUM_COL_LATEST) &&
		    view_downtime(r, SUM_COL_LATEST, v) == -1))
			rc = -1;
	}
	/*
	 * Each further row differs from the first in its dependency alone.
	 * The loop ends at 0 (read them all), -1, or 1 when deps_add failed.
	 */
	for (more = rc; more == 1; more = db_next(r))
		if (deps_add(r, &deps) == -1)
			break;
	if (deps_finish(&deps, &v->risk) == -1 || more == -1 || more == 1)
		rc = -1;
	db_rows_free(r);
	return rc;
}

/* The view from the tables: SQL_VIEW.  1, 0 or -1 as db_service_view. */
static int
view_tables(struct db *db, long long id, time_t now, time_t from,
    struct service_view *v)
{
	struct dbval	 args[] = { DBI(id), DBI(id), DBT(now), DBT(from),
			    DBI(id), DBI(id), DBI(id), DBT(now), DBT(from) };
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, SQL_VIEW, args, NARGS(args))) == NULL)
		return -1;
	rc = view_rows(r, now, v);
	db_rows_free(r);
	return rc;
}

int
db_service_view(struct db *db, long long id, time_t now, time_t since,
    struct service_view *v)
{
	/* The 7 days the risk rule needs, at least. */
	time_t		 from = since > now - WEEK ? now - WEEK : since;
	int		 rc;

	memset(v, 0, sizeof(*v));
	v->risk.in.status = STATUS_UNKNOWN;
	if ((rc = view_summary(db, id, now, from, v)) == 2) {
		service_view_clear(v);
		v->risk.in.status = STATUS_UNKNOWN;
		rc = view_tables(db, id, now, from, v);
	}
	if (rc != 1) {
		service_view_clear(v);
		return rc;
	}
	v->risk.in.downtime_minutes_7d = downtime_minutes_since(v->iv, v->niv,
	    now - WEEK, now);
	return 1;
}
