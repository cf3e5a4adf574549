/*
 * The risks table, and the loader that gathers risk_score's input for
 * one service in a fixed number of statements (so the save route, the
 * health route and the daemon score a service the same way).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/uptime.h"
#include "db/db.h"
#include "db/db_risk.h"
#include "util/log.h"

#define RISK_COLS "id, service_id, risk_score, risk_level, is_critical, " \
	"reason, source, created_by, created_at"
#define WEEK_SECONDS (7 * 24 * 3600)

/* The service, whether it has BIA, the BIA values, status, integrations. */
static const char SQL_INPUT[] =
    "SELECT s.id, b.service_id IS NOT NULL, b.criticality, b.impact, "
    "b.rto, b.rpo, st.status, "
    "(SELECT COUNT(*) FROM integrations i WHERE i.service_id = s.id) "
    "FROM services s "
    "LEFT JOIN bia b ON b.service_id = s.id "
    "LEFT JOIN service_status st ON st.service_id = s.id "
    "WHERE s.id = ?";
/* Downtimes overlapping [since, now]; open ones have a NULL end. */
static const char SQL_INPUT_DOWNTIMES[] =
    "SELECT start_time, end_time FROM downtimes "
    "WHERE service_id = ? AND start_time < ? "
    "AND (end_time IS NULL OR end_time > ?)";
static const char SQL_INPUT_DOWN_DEPS[] =
    "SELECT s.name FROM service_dependencies d "
    "JOIN services s ON s.id = d.dependency_id "
    "JOIN service_status st ON st.service_id = d.dependency_id "
    "WHERE d.service_id = ? AND st.status = 'Down' "
    "ORDER BY s.id";

static const char SQL_INSERT[] =
    "INSERT INTO risks (service_id, risk_score, risk_level, is_critical, "
    "reason, source, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
/* The LEFT JOIN tells "no service" (no row) from "no record" (NULLs). */
static const char SQL_LATEST[] =
    "SELECT r.id, s.id, r.risk_score, r.risk_level, r.is_critical, "
    "r.reason, r.source, r.created_by, r.created_at "
    "FROM services s LEFT JOIN risks r ON r.id = "
    "(SELECT MAX(id) FROM risks WHERE service_id = s.id) "
    "WHERE s.id = ?";
/* Locking the service row serialises manual updates of one service. */
static const char SQL_LATEST_MANUAL[] =
    "SELECT r.id, s.id, r.risk_score, r.risk_level, r.is_critical, "
    "r.reason, r.source, r.created_by, r.created_at "
    "FROM services s LEFT JOIN risks r ON r.id = "
    "(SELECT MAX(id) FROM risks WHERE service_id = s.id "
    "AND source = 'manual') "
    "WHERE s.id = ? FOR UPDATE";
static const char SQL_UPDATE[] =
    "UPDATE risks SET risk_score = ?, risk_level = ?, is_critical = ?, "
    "reason = ? WHERE id = ?";
static const char SQL_COUNT[] =
    "SELECT (SELECT COUNT(*) FROM risks r WHERE r.service_id = s.id) "
    "FROM services s WHERE s.id = ?";
static const char SQL_HISTORY[] =
    "SELECT " RISK_COLS " FROM risks WHERE service_id = ? "
    "ORDER BY id DESC LIMIT ? OFFSET ?";

void
risk_ctx_clear(struct risk_ctx *ctx)
{
	size_t	 i;

	for (i = 0; i < ctx->nnames; i++)
		free(ctx->names[i]);
	free(ctx->names);
	memset(ctx, 0, sizeof(*ctx));
	ctx->in.status = STATUS_UNKNOWN;
}

/* Row 0 of SQL_INPUT into ctx->in. */
static void
input_from_row(struct dbrows *r, struct risk_input *in)
{
	const char	*s;
	int		 v;

	in->has_bia = db_int(r, 1) != 0;
	if (in->has_bia) {
		if ((s = db_text(r, 2, NULL)) != NULL &&
		    (v = criticality_parse(s)) > 0)
			in->criticality = (enum criticality)v;
		if ((s = db_text(r, 3, NULL)) != NULL &&
		    (v = impact_parse(s)) > 0)
			in->impact = (enum impact)v;
		if (!db_isnull(r, 4)) {
			in->has_rto = true;
			in->rto = (long)db_int(r, 4);
		}
		if (!db_isnull(r, 5)) {
			in->has_rpo = true;
			in->rpo = (long)db_int(r, 5);
		}
	}
	in->status = STATUS_UNKNOWN;
	if ((s = db_text(r, 6, NULL)) != NULL && (v = status_parse(s)) >= 0)
		in->status = (enum svc_status)v;
	in->integrations = (long)db_int(r, 7);
}

/* Minutes of downtime in the 7 days before now. */
static int
input_downtimes(struct db *db, long long id, time_t now, long *minutes)
{
	struct dbval	 args[] = { DBI(id), DBT(now), DBT(now - WEEK_SECONDS) };
	struct interval	*iv = NULL, *p;
	struct dbrows	*r;
	size_t		 n = 0, cap = 0;
	int		 rc;

	if ((r = db_query(db, SQL_INPUT_DOWNTIMES, args, NARGS(args))) == NULL)
		return -1;
	while ((rc = db_next(r)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((p = reallocarray(iv, cap, sizeof(*iv))) == NULL) {
				rc = log_errx("%s: out of memory", __func__);
				break;
			}
			iv = p;
		}
		iv[n].start = db_time(r, 0);
		iv[n].end = db_isnull(r, 1) ? 0 : db_time(r, 1);
		n++;
	}
	db_rows_free(r);
	if (rc == 0)
		*minutes = downtime_minutes_since(iv, n, now - WEEK_SECONDS, now);
	free(iv);
	return rc == 0 ? 0 : -1;
}

static int
input_down_deps(struct db *db, long long id, struct risk_ctx *ctx)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	const char	*s;
	char		**p;
	size_t		 cap = 0;
	int		 rc;

	if ((r = db_query(db, SQL_INPUT_DOWN_DEPS, args, NARGS(args))) == NULL)
		return -1;
	while ((rc = db_next(r)) == 1) {
		if (ctx->nnames == cap) {
			cap = cap ? cap * 2 : 8;
			if ((p = reallocarray(ctx->names, cap,
			    sizeof(*p))) == NULL) {
				rc = log_errx("%s: out of memory", __func__);
				break;
			}
			ctx->names = p;
		}
		s = db_text(r, 0, NULL);
		if ((ctx->names[ctx->nnames] = strdup(s ? s : "")) == NULL) {
			rc = log_errx("%s: out of memory", __func__);
			break;
		}
		ctx->nnames++;
	}
	db_rows_free(r);
	ctx->in.down_deps = (const char *const *)ctx->names;
	ctx->in.ndown_deps = ctx->nnames;
	return rc == 0 ? 0 : -1;
}

int
db_risk_input(struct db *db, long long service_id, time_t now,
    struct risk_ctx *ctx)
{
	struct dbval	 args[] = { DBI(service_id) };
	struct dbrows	*r;
	int		 rc;

	risk_ctx_clear(ctx);
	if ((r = db_query(db, SQL_INPUT, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1)
		input_from_row(r, &ctx->in);
	db_rows_free(r);
	if (rc != 1)
		return rc;
	if (input_downtimes(db, service_id, now,
	    &ctx->in.downtime_minutes_7d) == -1 ||
	    input_down_deps(db, service_id, ctx) == -1) {
		risk_ctx_clear(ctx);
		return -1;
	}
	return 1;
}

void
risk_record_clear(struct risk_record *r)
{
	free(r->reason);
	free(r->created_by);
	memset(r, 0, sizeof(*r));
}

const char *
risk_source_name(bool manual)
{
	return manual ? "manual" : "automated";
}

static char *
dup_col(struct dbrows *r, unsigned col, bool *oom)
{
	const char	*s = db_text(r, col, NULL);
	char		*d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*oom = true;
	return d;
}

/* Fill rec from a row of RISK_COLS (or the same columns of a join). */
static int
record_from_row(struct dbrows *r, struct risk_record *rec)
{
	const char	*s;
	bool		 oom = false;
	int		 v;

	memset(rec, 0, sizeof(*rec));
	rec->id = db_int(r, 0);
	rec->service_id = db_int(r, 1);
	rec->score = (int)db_int(r, 2);
	s = db_text(r, 3, NULL);
	v = s ? risk_level_parse(s) : -1;
	rec->level = v < 0 ? risk_level_of(rec->score) : (enum risk_level)v;
	rec->is_critical = db_int(r, 4) != 0;
	rec->reason = dup_col(r, 5, &oom);
	s = db_text(r, 6, NULL);
	rec->manual = s != NULL && strcmp(s, "manual") == 0;
	rec->created_by = dup_col(r, 7, &oom);
	rec->created_at = db_time(r, 8);
	if (oom) {
		risk_record_clear(rec);
		return log_errx("%s: out of memory", __func__);
	}
	return 0;
}

int
db_risk_insert(struct db *db, struct risk_record *r)
{
	struct dbval		 args[] = {
		DBI(r->service_id), DBI(r->score),
		DBS(risk_level_name(r->level)), DBI(r->is_critical ? 1 : 0),
		DBS(r->reason), DBS(risk_source_name(r->manual)),
		DBS(r->created_by), DBT(r->created_at),
	};
	unsigned long long	 id;

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	r->id = (long long)id;
	return 0;
}

/* One row of SQL_LATEST or SQL_LATEST_MANUAL. */
static int
latest_one(struct db *db, const char *sql, long long service_id,
    bool *exists, struct risk_record *rec)
{
	struct dbval	 args[] = { DBI(service_id) };
	struct dbrows	*r;
	int		 rc;

	*exists = false;
	if ((r = db_query(db, sql, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		*exists = true;
		if (db_isnull(r, 0))
			rc = 0;
		else if (record_from_row(r, rec) == -1)
			rc = -1;
	}
	db_rows_free(r);
	return rc;
}

int
db_risk_latest(struct db *db, long long service_id, bool *exists,
    struct risk_record *r)
{
	return latest_one(db, SQL_LATEST, service_id, exists, r);
}

int
db_risk_latest_manual(struct db *db, long long service_id, bool *exists,
    struct risk_record *r)
{
	return latest_one(db, SQL_LATEST_MANUAL, service_id, exists, r);
}

int
db_risk_update(struct db *db, const struct risk_record *r)
{
	struct dbval	 args[] = {
		DBI(r->score), DBS(risk_level_name(r->level)),
		DBI(r->is_critical ? 1 : 0), DBS(r->reason), DBI(r->id),
	};

	return db_exec(db, SQL_UPDATE, args, NARGS(args), NULL, NULL);
}

int
db_risk_count(struct db *db, long long service_id, long long *n)
{
	struct dbval	 args[] = { DBI(service_id) };

	return db_scalar(db, SQL_COUNT, args, NARGS(args), n);
}

static int
record_fill(struct dbrows *r, void *rec)
{
	return record_from_row(r, rec);
}

static void
record_clear_v(void *rec)
{
	risk_record_clear(rec);
}

int
db_risk_history(struct db *db, long long service_id, long long offset,
    long long limit, struct risk_record **out, size_t *n)
{
	struct dbval	 args[] = { DBI(service_id), DBI(limit), DBI(offset) };

	return db_collect(db, SQL_HISTORY, args, NARGS(args), sizeof(**out),
	    record_fill, record_clear_v, (void **)out, n);
}
