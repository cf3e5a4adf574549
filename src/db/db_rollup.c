/*
 * uptime_daily: read the outages of a window and the rows kept for it,
 * write back what differs.  The rows travel as JSON parameters read
 * with JSON_TABLE (as the outbox's outcomes do), ROLLUP_BATCH rows to a
 * statement.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/db.h"
#include "db/db_rollup.h"
#include "util/json.h"

/*
 * Rows per INSERT: about 35 bytes of JSON each, so a batch stays far
 * below MariaDB's max_allowed_packet (16 MiB by default), which 90 days
 * at 100,000 services (1.1 million rows) passed in one parameter: the
 * server dropped the connection.
 */
#define ROLLUP_BATCH	50000

/*
 * ? order: to, now, from; again for the windows.  No ORDER BY: sorting
 * the UNION's million rows of 90 days at 100,000 services was MariaDB's
 * filesort of a temporary table, 3.6 s of the query's 5 where reading
 * them took 1.5; db_rollup_outages sorts them (0.2 s).
 */
static const char SQL_OUTAGES[] =
    "SELECT service_id, start_time, end_time, 0 FROM downtimes "
    "WHERE start_time < ? AND start_time < ? AND "
    "(end_time IS NULL OR end_time > ?) UNION ALL "
    "SELECT ms.service_id, m.starts_at, m.ends_at, 1 "
    "FROM maintenance m JOIN maintenance_services ms "
    "ON ms.maintenance_id = m.id WHERE m.starts_at < ? AND m.starts_at < ? "
    "AND m.ends_at > ?";
/*
 * The window's rows kept, in no particular order (an ORDER BY would
 * sort them in MariaDB; db_rollup_kept sorts them).  2 days of 100,000
 * services are a range of the day index (sql/019) of 30,000 entries.
 */
static const char SQL_KEPT[] =
    "SELECT service_id, UNIX_TIMESTAMP(day), down_seconds, outages "
    "FROM uptime_daily WHERE day >= DATE(?) AND day < DATE(?)";
/* A row is [service id, day (epoch s)], looked up by primary key. */
static const char SQL_DELETE[] =
    "DELETE u FROM JSON_TABLE(?, '$[*]' COLUMNS ("
    "sid BIGINT UNSIGNED PATH '$[0]', day BIGINT PATH '$[1]')) j "
    "STRAIGHT_JOIN uptime_daily u ON u.service_id = j.sid AND "
    "u.day = DATE(TIMESTAMP('1970-01-01') + INTERVAL j.day SECOND)";
/*
 * A row is [service id, day (epoch s), down seconds, outages]; a
 * service deleted since the outages were read has none written.
 */
static const char SQL_PUT[] =
    "INSERT INTO uptime_daily (service_id, day, down_seconds, outages) "
    "SELECT j.sid, DATE(TIMESTAMP('1970-01-01') + INTERVAL j.day SECOND), "
    "j.down, j.n FROM JSON_TABLE(?, '$[*]' COLUMNS ("
    "sid BIGINT UNSIGNED PATH '$[0]', day BIGINT PATH '$[1]', "
    "down INT UNSIGNED PATH '$[2]', n INT UNSIGNED PATH '$[3]')) j "
    "JOIN services s ON s.id = j.sid "
    "ON DUPLICATE KEY UPDATE down_seconds = VALUES(down_seconds), "
    "outages = VALUES(outages)";
#define PUBLIC_COLS \
    "SELECT STRAIGHT_JOIN u.service_id, UNIX_TIMESTAMP(u.day), " \
    "u.down_seconds, u.outages " \
    "FROM services s JOIN uptime_daily u ON u.service_id = s.id "
/*
 * STRAIGHT_JOIN: from the public services (ix_services_public) to
 * their rows, never the whole table in key order (10x slower at 10,000
 * services with 200 public).  No ORDER BY: the rows come in (service,
 * day) order from that plan, which MariaDB cannot tell across the join
 * and would sort (7,000 rows a request); db_rollup_public makes sure.
 */
static const char SQL_PUBLIC[] =
    PUBLIC_COLS "WHERE s.public = 1 AND u.day >= DATE(?)";
static const char SQL_PUBLIC_ONE[] =
    PUBLIC_COLS "WHERE s.id = ? AND s.public = 1 AND u.day >= DATE(?)";

static int
outage_fill(struct dbrows *r, void *elem)
{
	struct rollup_outage	*o = elem;

	o->service_id = db_int(r, 0);
	o->iv.start = db_time(r, 1);
	o->iv.end = db_isnull(r, 2) ? 0 : db_time(r, 2);
	o->maintenance = db_int(r, 3) != 0;
	return 0;
}

/* By service, then start, then end. */
static int
outage_cmp(const void *a, const void *b)
{
	const struct rollup_outage	*x = a, *y = b;

	if (x->service_id != y->service_id)
		return (x->service_id > y->service_id) -
		    (x->service_id < y->service_id);
	if (x->iv.start != y->iv.start)
		return (x->iv.start > y->iv.start) - (x->iv.start < y->iv.start);
	return (x->iv.end > y->iv.end) - (x->iv.end < y->iv.end);
}

int
db_rollup_outages(struct db *db, time_t from, time_t to, time_t now,
    struct rollup_outage **out, size_t *n)
{
	struct dbval	 args[] = { DBT(to), DBT(now), DBT(from), DBT(to),
			    DBT(now), DBT(from) };

	if (db_collect(db, SQL_OUTAGES, args, NARGS(args), sizeof(**out),
	    outage_fill, NULL, (void **)out, n) == -1)
		return -1;
	qsort(*out, *n, sizeof(**out), outage_cmp);
	return 0;
}

/*
 * rows[0..n) as the JSON parameter of sql, one statement: with values
 * each row is [service, day, down seconds, outages], else [service,
 * day].
 */
static int
send_batch(struct db *db, const char *sql, const struct rollup_day *rows,
    size_t n, bool values)
{
	struct json_object	*arr, *row;
	const char		*text;
	size_t			 i;
	int			 rc = -1;

	if ((arr = json_object_new_array_ext((int)n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((row = json_object_new_array_ext(4)) == NULL ||
		    json_object_array_add(arr, row) == -1) {
			json_object_put(row);
			goto out;
		}
		json_object_array_add(row, json_object_new_int64(
		    rows[i].service_id));
		json_object_array_add(row, json_object_new_int64(
		    (long long)rows[i].d.day));
		if (!values)
			continue;
		json_object_array_add(row, json_object_new_int64(
		    rows[i].d.down_seconds));
		json_object_array_add(row, json_object_new_int64(
		    rows[i].d.outages));
	}
	if ((text = json_text(arr, NULL)) != NULL) {
		struct dbval	 args[] = { DBS(text) };

		rc = db_exec(db, sql, args, NARGS(args), NULL, NULL);
	}
out:
	json_object_put(arr);
	return rc;
}

/* rows[0..n) in statements of at most ROLLUP_BATCH rows. */
static int
send_all(struct db *db, const char *sql, const struct rollup_day *rows,
    size_t n, bool values)
{
	size_t	 i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < ROLLUP_BATCH ? n - i : ROLLUP_BATCH;
		if (send_batch(db, sql, rows + i, k, values) == -1)
			return -1;
	}
	return 0;
}

int
db_rollup_apply(struct db *db, const struct rollup_day *del, size_t ndel,
    const struct rollup_day *put, size_t nput)
{
	if (send_all(db, SQL_DELETE, del, ndel, false) == -1)
		return -1;
	return send_all(db, SQL_PUT, put, nput, true);
}

static int
day_fill(struct dbrows *r, void *elem)
{
	struct rollup_day	*d = elem;

	d->service_id = db_int(r, 0);
	d->d.day = (time_t)db_int(r, 1);
	d->d.down_seconds = (long)db_int(r, 2);
	d->d.outages = (long)db_int(r, 3);
	return 0;
}

int
db_rollup_kept(struct db *db, time_t from_day, time_t to_day,
    struct rollup_day **out, size_t *n)
{
	struct dbval	 args[] = { DBT(from_day), DBT(to_day) };

	if (db_collect(db, SQL_KEPT, args, NARGS(args), sizeof(**out),
	    day_fill, NULL, (void **)out, n) == -1)
		return -1;
	if (!rollup_days_sorted(*out, *n))
		qsort(*out, *n, sizeof(**out), rollup_day_cmp);
	return 0;
}

int
db_rollup_public(struct db *db, long long focus, time_t from_day,
    struct rollup_day **out, size_t *n)
{
	struct dbval	 args[] = { DBI(focus), DBT(from_day) };
	int		 rc;

	/* The first argument is for the one service's statement only. */
	if (focus == 0)
		rc = db_collect(db, SQL_PUBLIC, args + 1, NARGS(args) - 1,
		    sizeof(**out), day_fill, NULL, (void **)out, n);
	else
		rc = db_collect(db, SQL_PUBLIC_ONE, args, NARGS(args),
		    sizeof(**out), day_fill, NULL, (void **)out, n);
	if (rc == -1)
		return -1;
	/* In order already unless MariaDB chose another plan: one pass. */
	if (!rollup_days_sorted(*out, *n))
		qsort(*out, *n, sizeof(**out), rollup_day_cmp);
	return 0;
}
