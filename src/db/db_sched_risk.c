/*
 * The risk job's statements.  risk_state (sql/018) says which services
 * to score as of a --now: those whose inputs changed since their last
 * score (a writer bumped gen past done_gen: db_riskstate.c) and those
 * whose stored span of the 7-day factor does not hold that --now.  All
 * reads are plain ones, which lock nothing, so a writer's bump never
 * waits for the job's scoring; only the last statements, which record
 * the generations read, lock risk_state rows until the commit.  When a
 * few are due, they are read keyed by id; when many are (a cold tick,
 * an import, the 12-hourly move of the spans), the whole table is read
 * in one pass, as per-service lookups cost twice as much then.  The
 * integration count is the service row's summary (sql/022).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/intervaltext.h"
#include "core/riskwindow.h"
#include "db/db.h"
#include "db/db_alert.h"
#include "db/db_sched.h"
#include "util/log.h"

#define EPOCH(col) "TIMESTAMPDIFF(SECOND, '1970-01-01', " col ")"

/* Rows recorded per statement: 50,000 stay far below max_allowed_packet. */
#define RISK_DONE_BATCH	50000

/* The due set: three index ranges of risk_state.  ? order: now, now. */
#define RISK_DUE \
    "SELECT service_id, gen FROM risk_state WHERE stale = 1 " \
    "UNION SELECT service_id, gen FROM risk_state WHERE valid_from > ? " \
    "UNION SELECT service_id, gen FROM risk_state WHERE valid_until <= ?"
/* The dependencies of s that are Down, by name. */
#define DOWN_DEP_NAMES \
    "(SELECT JSON_ARRAYAGG(t.name ORDER BY t.id) " \
    "FROM service_dependencies d JOIN service_status ds ON " \
    "ds.service_id = d.dependency_id AND ds.status = 'Down' " \
    "JOIN services t ON t.id = d.dependency_id WHERE d.service_id = s.id)"
/* The downtimes a span needs (core/riskwindow.h), as [start, end]. */
#define SPAN_DOWNTIMES_AS(name) \
    "JSON_ARRAYAGG(JSON_ARRAY(" EPOCH("d.start_time") ", " \
    EPOCH("d.end_time") ")) " name " FROM downtimes d WHERE "
#define SPAN_DOWNTIMES SPAN_DOWNTIMES_AS("")
#define SPAN_WHERE "d.start_time < ? AND (d.end_time IS NULL OR d.end_time > ?)"

/* How many are due, of how many.  ? order: now, now. */
static const char SQL_RISK_DUE_COUNT[] =
    "SELECT (SELECT COUNT(*) FROM (" RISK_DUE ") due), "
    "(SELECT COUNT(*) FROM risk_state)";
/*
 * The due ones keyed by id.  ? order: the bounds of the downtimes a span
 * needs (now + horizon, now - 7 days - horizon), then now twice (the due
 * set).  Primary key and index lookups for the due services alone.
 */
static const char SQL_RISK_SCAN[] =
    "SELECT s.id, s.name, s.bia_set, s.bia_criticality, s.bia_impact, "
    "s.bia_rto, s.bia_rpo, st.status, s.integrations, "
    DOWN_DEP_NAMES ", lr.risk_score, lr.risk_level, lr.is_critical, due.gen, "
    "(SELECT " SPAN_DOWNTIMES "d.service_id = s.id AND " SPAN_WHERE ") "
    "FROM (" RISK_DUE ") due "
    "JOIN services s ON s.id = due.service_id "
    "LEFT JOIN service_status st ON st.service_id = s.id "
    "LEFT JOIN risks lr ON lr.id = (SELECT MAX(x.id) FROM risks x "
    "WHERE x.service_id = s.id AND x.source = 'automated') ORDER BY s.id";
/*
 * The whole table in one pass, the children grouped once each (as the
 * job read before risk_state), keeping the due ones.  Same columns and
 * ? order.  A service with no risk_state row (inserted by hand) is due:
 * it is scored, though nothing records it.
 */
static const char SQL_RISK_SCAN_ALL[] =
    "SET STATEMENT optimizer_switch = 'split_materialized=off' FOR "
    "SELECT s.id, s.name, s.bia_set, s.bia_criticality, s.bia_impact, "
    "s.bia_rto, s.bia_rpo, st.status, s.integrations, "
    "CASE WHEN dd.n > 0 THEN " DOWN_DEP_NAMES " END, "
    "lr.risk_score, lr.risk_level, lr.is_critical, COALESCE(rs.gen, 0), "
    "dt.spans FROM services s "
    "LEFT JOIN risk_state rs ON rs.service_id = s.id "
    "LEFT JOIN service_status st ON st.service_id = s.id "
    "LEFT JOIN (SELECT d.service_id, " SPAN_DOWNTIMES_AS("spans") SPAN_WHERE
    " GROUP BY d.service_id) dt ON dt.service_id = s.id "
    "LEFT JOIN (SELECT d.service_id, COUNT(*) AS n "
    "FROM service_dependencies d JOIN service_status ds ON "
    "ds.service_id = d.dependency_id AND ds.status = 'Down' "
    "GROUP BY d.service_id) dd ON dd.service_id = s.id "
    "LEFT JOIN (SELECT service_id, MAX(id) AS id FROM risks "
    "WHERE source = 'automated' GROUP BY service_id) m "
    "ON m.service_id = s.id "
    "LEFT JOIN risks lr ON lr.id = m.id "
    "WHERE rs.service_id IS NULL OR rs.stale = 1 OR rs.valid_from > ? "
    "OR rs.valid_until <= ? ORDER BY s.id";
static const char SQL_RISK_STORE[] =
    "INSERT INTO risks (service_id, risk_score, risk_level, reason, "
    "is_critical, source, created_by, created_at) "
    "SELECT j.sid, j.score, j.lvl, j.reason, j.crit, 'automated', NULL, ? "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (sid BIGINT UNSIGNED PATH '$[0]', "
    "score INT PATH '$[1]', lvl VARCHAR(10) PATH '$[2]', "
    "reason TEXT PATH '$[3]', crit INT PATH '$[4]')) j";
static const char SQL_RISK_ALERTS[] =
    "INSERT IGNORE INTO alerts (service_id, type, severity, cause, message, "
    "created_at) SELECT j.sid, j.type, j.sev, j.cause, j.msg, ? "
    "FROM JSON_TABLE(?, '$[*]' COLUMNS (sid BIGINT UNSIGNED PATH '$[0]', "
    "type VARCHAR(20) PATH '$[1]', sev VARCHAR(10) PATH '$[2]', "
    "cause VARCHAR(100) PATH '$[3]', msg TEXT PATH '$[4]')) j";
/*
 * A row is [service id, generation read, span from, span until]; a
 * service deleted since it was read has no row to match.
 */
static const char SQL_RISK_DONE[] =
    "UPDATE risk_state r JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
    "sid BIGINT UNSIGNED PATH '$[0]', gen BIGINT UNSIGNED PATH '$[1]', "
    "f BIGINT PATH '$[2]', u BIGINT PATH '$[3]')) j ON r.service_id = j.sid "
    "SET r.done_gen = j.gen, "
    "r.valid_from = TIMESTAMP('1970-01-01') + INTERVAL j.f SECOND, "
    "r.valid_until = TIMESTAMP('1970-01-01') + INTERVAL j.u SECOND";

/* Names of a JSON array text, as an array of strings the caller frees. */
static int
names_parse(const char *json, char ***out, size_t *n)
{
	struct json_object	*a;
	size_t			 i, len;
	char			**v;

	*out = NULL;
	*n = 0;
	if (json == NULL || (a = json_tokener_parse(json)) == NULL)
		return 0;
	if (!json_object_is_type(a, json_type_array) ||
	    (len = json_object_array_length(a)) == 0 ||
	    (v = calloc(len, sizeof(*v))) == NULL) {
		json_object_put(a);
		return 0;
	}
	for (i = 0; i < len; i++)
		v[i] = strdup(json_object_get_string(json_object_array_get_idx(a, i)));
	json_object_put(a);
	*out = v;
	*n = len;
	return 0;
}

/*
 * Downtimes of a JSON array of [start, end or null] epoch seconds into
 * a new array (end 0: open).  -1 when out of memory or not such a text.
 */
static int
downtimes_parse(const char *json, struct interval **out, size_t *n)
{
	int	 rc;

	*out = NULL;
	*n = 0;
	if (json == NULL)
		return 0;
	if ((rc = intervals_parse(json, strlen(json), out, n)) == -1)
		return log_errx("risk: bad downtimes from the server");
	return rc == 0 ? 0 : -1;
}

static int
enum_col(struct dbrows *r, unsigned col, int (*parse)(const char *), int none)
{
	const char	*v = db_text(r, col, NULL);
	int		 x = v ? parse(v) : -1;

	return x < 0 ? none : x;
}

/* One row of SQL_RISK_SCAN into row; the names and downtimes are new. */
static int
row_fill(struct dbrows *r, struct sched_risk_row *row, char ***names)
{
	memset(row, 0, sizeof(*row));
	row->service_id = db_int(r, 0);
	row->name = db_text(r, 1, NULL);
	row->in.has_bia = db_int(r, 2) != 0;
	row->in.criticality = (enum criticality)enum_col(r, 3,
	    criticality_parse, CRIT_NONE);
	row->in.impact = (enum impact)enum_col(r, 4, impact_parse, IMPACT_NONE);
	row->in.has_rto = !db_isnull(r, 5);
	row->in.rto = (long)db_int(r, 5);
	row->in.has_rpo = !db_isnull(r, 6);
	row->in.rpo = (long)db_int(r, 6);
	row->in.status = (enum svc_status)enum_col(r, 7, status_parse,
	    STATUS_UNKNOWN);
	row->in.integrations = (long)db_int(r, 8);
	names_parse(db_text(r, 9, NULL), names, &row->in.ndown_deps);
	row->in.down_deps = (const char *const *)*names;
	row->has_prev = !db_isnull(r, 10);
	row->prev_score = (int)db_int(r, 10);
	row->prev_level = (enum risk_level)enum_col(r, 11, risk_level_parse,
	    RISK_LOW);
	row->prev_critical = db_int(r, 12) != 0;
	row->gen = db_int(r, 13);
	return downtimes_parse(db_text(r, 14, NULL),
	    &row->downtimes, &row->ndowntimes);
}

/* Whether to read the whole table: more than a quarter is due. */
static int
scan_whole(struct db *db, time_t now)
{
	struct dbval	 args[] = { DBT(now), DBT(now) };
	struct dbrows	*r;
	long long	 due, total;
	int		 rc;

	if ((r = db_query(db, SQL_RISK_DUE_COUNT, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		due = db_int(r, 0);
		total = db_int(r, 1);
		rc = due > 0 && due * 4 > total;
	}
	db_rows_free(r);
	return rc;
}

int
db_sched_risk_scan(struct db *db, time_t now,
    int (*cb)(const struct sched_risk_row *, void *), void *arg)
{
	struct dbval		 args[] = {
		DBT(now + RISK_WINDOW_HORIZON),
		DBT(now - RISK_WINDOW_SECONDS - RISK_WINDOW_HORIZON),
		DBT(now), DBT(now),
	};
	struct sched_risk_row	 row;
	struct dbrows		*r;
	char			**names;
	size_t			 i;
	int			 rc, stop = 0, whole;

	if ((whole = scan_whole(db, now)) == -1)
		return -1;
	if ((r = db_query(db, whole ? SQL_RISK_SCAN_ALL : SQL_RISK_SCAN, args,
	    NARGS(args))) == NULL)
		return -1;
	while (!stop && (rc = db_next(r)) == 1) {
		names = NULL;
		if (row_fill(r, &row, &names) == -1)
			rc = -1, stop = 1;
		else
			stop = cb(&row, arg);
		for (i = 0; i < row.in.ndown_deps; i++)
			free(names[i]);
		free(names);
		free(row.downtimes);
	}
	db_rows_free(r);
	return rc == -1 ? -1 : 0;
}

int
db_sched_risk_store(struct db *db, time_t now, const char *risks_json,
    const char *alerts_json)
{
	if (risks_json != NULL) {
		struct dbval	 args[] = { DBT(now), DBS(risks_json) };

		if (db_exec(db, SQL_RISK_STORE, args, NARGS(args), NULL, NULL) == -1)
			return -1;
	}
	if (alerts_json != NULL) {
		struct dbval		 args[] = { DBT(now), DBS(alerts_json) };
		unsigned long long	 raised;

		if (db_exec(db, SQL_RISK_ALERTS, args, NARGS(args), &raised,
		    NULL) == -1)
			return -1;
		db_alerts_raised(db, raised);
	}
	return 0;
}

/* done[0..n) as the JSON array of SQL_RISK_DONE, malloc'd; NULL: no memory. */
static char *
done_json(const struct sched_risk_done *done, size_t n)
{
	/* Four 64-bit integers, their commas and brackets. */
	size_t	 cap = n * (4 * 21 + 6) + 3, len = 0, i;
	char	*buf;

	if ((buf = malloc(cap)) == NULL)
		return NULL;
	buf[len++] = '[';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s[%lld,%lld,%lld,%lld]",
		    i > 0 ? "," : "", done[i].service_id, done[i].gen,
		    (long long)done[i].valid_from, (long long)done[i].valid_until);
	buf[len++] = ']';
	buf[len] = '\0';
	return buf;
}

int
db_sched_risk_done(struct db *db, const struct sched_risk_done *done,
    size_t n)
{
	size_t	 at, k;
	char	*json;
	int	 rc;

	for (at = 0; at < n; at += k) {
		k = n - at < RISK_DONE_BATCH ? n - at : RISK_DONE_BATCH;
		if ((json = done_json(done + at, k)) == NULL)
			return log_warnx("db_sched_risk_done: out of memory");
		{
			struct dbval	 args[] = { DBS(json) };

			rc = db_exec(db, SQL_RISK_DONE, args, NARGS(args), NULL,
			    NULL);
		}
		free(json);
		if (rc == -1)
			return -1;
	}
	return 0;
}
