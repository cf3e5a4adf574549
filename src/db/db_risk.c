/*
 * The risks table, and the loader that gathers risk_score's input for
 * one service in a fixed number of statements (so the save route, the
 * health route and the daemon score a service the same way).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/uptime.h"
#include "db/db.h"
#include "db/db_risk.h"
#include "db/db_view.h"
#include "util/log.h"

#define RISK_COLS "id, service_id, risk_score, risk_level, is_critical, " \
	"reason, source, created_by, created_at"

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
/*
 * The page with the service's count in a last column (not correlated:
 * counted once): one round trip.  A record names an existing service
 * (its key cascades), so only a page without rows asks SQL_COUNT
 * whether the service exists.
 */
#define HISTORY_COUNT_COL	9	/* after RISK_COLS */
static const char SQL_HISTORY[] =
    "SELECT " RISK_COLS ", (SELECT COUNT(*) FROM risks WHERE service_id = ?) "
    "FROM risks WHERE service_id = ? ORDER BY id DESC LIMIT ? OFFSET ?";

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

int
db_risk_input(struct db *db, long long service_id, time_t now,
    struct risk_ctx *ctx)
{
	struct service_view	 v;
	int			 rc;

	risk_ctx_clear(ctx);
	if ((rc = db_service_view(db, service_id, now, now, &v)) != 1)
		return rc;
	/* Keep the risk input (and the names it points to); drop the rest. */
	*ctx = v.risk;
	memset(&v.risk, 0, sizeof(v.risk));
	service_view_clear(&v);
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

/*
 * Fill rec from a row of RISK_COLS (or the same columns of a join); a
 * db_collect fill.
 */
static int
record_from_row(struct dbrows *r, void *p)
{
	struct risk_record	*rec = p;
	const char		*s;
	bool			 oom = false;
	int			 v;

	memset(rec, 0, sizeof(*rec));
	rec->id = db_int(r, 0);
	rec->service_id = db_int(r, 1);
	rec->score = (int)db_int(r, 2);
	s = db_text(r, 3, NULL);
	v = s ? risk_level_parse(s) : -1;
	rec->level = v < 0 ? risk_level_of(rec->score) : (enum risk_level)v;
	rec->is_critical = db_int(r, 4) != 0;
	rec->reason = db_text_dup(r, 5, &oom);
	s = db_text(r, 6, NULL);
	rec->manual = s != NULL && strcmp(s, "manual") == 0;
	rec->created_by = db_text_dup(r, 7, &oom);
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

static const char SQL_LATEST_MANY[] =
    "SELECT r.service_id, r.risk_score, r.risk_level FROM risks r JOIN "
    "(SELECT j.id, (SELECT MAX(x.id) FROM risks x WHERE x.service_id = j.id) "
    "AS last FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED "
    "PATH '$')) j) m ON r.id = m.last";

static int
brief_fill(struct dbrows *r, void *elem)
{
	struct risk_brief	*b = elem;
	const char		*lvl = db_text(r, 2, NULL);
	int			 x = lvl != NULL ? risk_level_parse(lvl) : -1;

	b->service_id = db_int(r, 0);
	b->score = (int)db_int(r, 1);
	b->level = x < 0 ? RISK_LOW : (enum risk_level)x;
	return 0;
}

int
db_risk_latest_many(struct db *db, const long long *ids, size_t n,
    struct risk_brief **out, size_t *nout)
{
	char	*json, *p;
	size_t	 i;
	int	 rc;

	*out = NULL;
	*nout = 0;
	if (n == 0)
		return 0;
	if ((json = malloc(n * 21 + 3)) == NULL)
		return -1;
	p = json;
	*p++ = '[';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%lld", i ? "," : "", ids[i]);
	*p++ = ']';
	*p = '\0';
	{
		struct dbval	 args[] = { DBS(json) };

		rc = db_collect(db, SQL_LATEST_MANY, args, NARGS(args),
		    sizeof(**out), brief_fill, NULL, (void **)out, nout);
	}
	free(json);
	return rc;
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

static void
record_clear_v(void *rec)
{
	risk_record_clear(rec);
}

int
db_risk_history(struct db *db, long long service_id, long long offset,
    long long limit, struct risk_record **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(service_id), DBI(service_id),
				    DBI(limit), DBI(offset) };
	/* An empty page, the first too, asks whether the service exists. */
	struct db_page_q	 q = {
		.sql = SQL_HISTORY, .args = args, .nargs = NARGS(args),
		.total_col = HISTORY_COUNT_COL,
		.count = SQL_COUNT, .count_args = args, .count_nargs = 1,
		.offset = offset, .count_empty_first = true,
	};

	return db_page(db, &q, sizeof(**out), record_from_row, record_clear_v,
	    (void **)out, n, total);
}
