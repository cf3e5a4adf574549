/*
 * Statements behind /metrics and the daemon's job records.  Times come
 * from the database's clock (UTC_TIMESTAMP), like the lease's, so a
 * web host whose clock drifts reports the same lag as the daemon's.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_metrics.h"
#include "util/log.h"

static const char SQL_JOB_OK[] =
    "INSERT INTO sched_job_runs (job, runs, failures, last_run_at, "
    "last_success_at, last_duration_ms) "
    "VALUES (?, 1, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), ?) "
    "ON DUPLICATE KEY UPDATE runs = runs + 1, last_run_at = UTC_TIMESTAMP(3), "
    "last_success_at = UTC_TIMESTAMP(3), last_duration_ms = VALUES(last_duration_ms)";
static const char SQL_JOB_FAILED[] =
    "INSERT INTO sched_job_runs (job, runs, failures, last_run_at, "
    "last_duration_ms) VALUES (?, 1, 1, UTC_TIMESTAMP(3), ?) "
    "ON DUPLICATE KEY UPDATE runs = runs + 1, failures = failures + 1, "
    "last_run_at = UTC_TIMESTAMP(3), last_duration_ms = VALUES(last_duration_ms)";
static const char SQL_JOBS[] =
    "SELECT job, runs, failures, last_duration_ms, last_run_at, "
    "last_success_at, CAST(TIMESTAMPDIFF(MICROSECOND, last_success_at, "
    "UTC_TIMESTAMP(3)) AS DOUBLE) / 1e6 "
    "FROM sched_job_runs ORDER BY job LIMIT 100";
static const char SQL_OUTBOXES[] =
    "SELECT 0, COUNT(*), COALESCE(CAST(TIMESTAMPDIFF(SECOND, MIN(created_at), "
    "UTC_TIMESTAMP()) AS DOUBLE), 0) FROM outbox WHERE status = 'pending' "
    "UNION ALL "
    "SELECT 1, COUNT(*), COALESCE(CAST(TIMESTAMPDIFF(SECOND, MIN(created_at), "
    "UTC_TIMESTAMP()) AS DOUBLE), 0) FROM subscriber_outbox "
    "WHERE status = 'pending'";
static const char SQL_LEASE[] =
    "SELECT holder, epoch, expires_at, holder <> '' AND "
    "expires_at > UTC_TIMESTAMP(3) FROM sched_lease WHERE id = 1";

int
db_metrics_job_done(struct db *db, const char *job, double seconds, bool ok)
{
	struct dbval	 args[] = { DBS(job), DBI(seconds > 0 ?
			    (long long)(seconds * 1000 + 0.5) : 0) };

	return db_exec(db, ok ? SQL_JOB_OK : SQL_JOB_FAILED, args,
	    NARGS(args), NULL, NULL);
}

static int
job_fill(struct dbrows *r, void *elem)
{
	struct db_job_run	*j = elem;
	const char		*name;
	size_t			 len;

	if ((name = db_text(r, 0, &len)) == NULL)
		return -1;
	if (len >= sizeof(j->job))
		len = sizeof(j->job) - 1;
	memcpy(j->job, name, len);
	j->job[len] = '\0';
	j->runs = db_int(r, 1);
	j->failures = db_int(r, 2);
	j->last_duration = (double)db_int(r, 3) / 1000.0;
	j->last_run = db_time(r, 4);
	j->succeeded = !db_isnull(r, 5);
	j->last_success = db_time(r, 5);
	j->lag = db_double(r, 6);
	return 0;
}

int
db_metrics_jobs(struct db *db, struct db_job_run **out, size_t *n)
{
	return db_collect(db, SQL_JOBS, NULL, 0, sizeof(**out), job_fill,
	    NULL, (void **)out, n);
}

int
db_metrics_outboxes(struct db *db, struct db_outbox_depth out[2])
{
	struct dbrows	*r;
	long long	 which;
	int		 rc;

	out[0] = (struct db_outbox_depth){ .outbox = "outbox" };
	out[1] = (struct db_outbox_depth){ .outbox = "subscriber_outbox" };
	if ((r = db_query(db, SQL_OUTBOXES, NULL, 0)) == NULL)
		return -1;
	while ((rc = db_next(r)) == 1) {
		if ((which = db_int(r, 0)) < 0 || which > 1)
			continue;
		out[which].pending = db_int(r, 1);
		out[which].oldest_age = db_double(r, 2);
	}
	db_rows_free(r);
	return rc == -1 ? -1 : 0;
}

int
db_metrics_lease(struct db *db, struct db_lease_figure *l)
{
	struct dbrows	*r;
	const char	*h;
	size_t		 len;
	int		 rc;

	memset(l, 0, sizeof(*l));
	if ((r = db_query(db, SQL_LEASE, NULL, 0)) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		if ((h = db_text(r, 0, &len)) != NULL) {
			if (len > DB_METRICS_HOLDER_MAX)
				len = DB_METRICS_HOLDER_MAX;
			memcpy(l->holder, h, len);
			l->holder[len] = '\0';
		}
		l->epoch = db_int(r, 1);
		l->expires = db_time(r, 2);
		l->held = db_int(r, 3) != 0;
	}
	db_rows_free(r);
	return rc == 1 ? 0 : -1;
}
