/*
 * GET /metrics: the shared block's figures (http/metrics.c), then what
 * the database knows of the daemon (its jobs, both outboxes, the
 * lease), read at scrape time with a fixed three statements.  The
 * route works without the database (ROUTE_NODB): then resilops_db_up
 * is 0 and the database's families are left out.  Only the networks of
 * [metrics] allow reach it (ROUTE_LOCAL); others get the 404 of no
 * route.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "core/promtext.h"
#include "db/db.h"
#include "db/db_metrics.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/response.h"
#include "http/route.h"

/* The per-job families, one row each: what a job's record shows. */
enum job_field { JOB_RUNS, JOB_FAILURES, JOB_DURATION, JOB_SUCCESS, JOB_LAG };

static const struct {
	const char		*name;
	enum promtext_type	 type;
	enum job_field		 field;
	const char		*help;
} job_families[] = {
	{ "resilops_sched_job_runs_total", PROM_COUNTER, JOB_RUNS,
	    "Runs of each resilops-sched job recorded by the leader." },
	{ "resilops_sched_job_failures_total", PROM_COUNTER, JOB_FAILURES,
	    "Runs of each job that failed and were rolled back." },
	{ "resilops_sched_job_last_duration_seconds", PROM_GAUGE, JOB_DURATION,
	    "How long each job's last run took." },
	{ "resilops_sched_job_last_success_timestamp_seconds", PROM_GAUGE,
	    JOB_SUCCESS, "When each job last succeeded (Unix time)." },
	{ "resilops_sched_job_lag_seconds", PROM_GAUGE, JOB_LAG,
	    "Seconds since each job last succeeded, by the database's clock." },
};

/* A job's figure; false when it has none (never succeeded). */
static bool
job_value(const struct db_job_run *j, enum job_field f, double *v)
{
	switch (f) {
	case JOB_RUNS:
		*v = (double)j->runs;
		return true;
	case JOB_FAILURES:
		*v = (double)j->failures;
		return true;
	case JOB_DURATION:
		*v = j->last_duration;
		return true;
	case JOB_SUCCESS:
		*v = (double)j->last_success;
		return j->succeeded;
	case JOB_LAG:
		*v = j->lag;
		return j->succeeded;
	}
	return false;
}

static void
jobs_write(struct promtext *pt, const struct db_job_run *j, size_t n)
{
	const char	*labels[3] = { "job", NULL, NULL };
	size_t		 f, i;
	double		 v;

	for (f = 0; f < sizeof(job_families) / sizeof(job_families[0]); f++) {
		promtext_family(pt, job_families[f].name, job_families[f].type,
		    job_families[f].help);
		for (i = 0; i < n; i++) {
			if (!job_value(&j[i], job_families[f].field, &v))
				continue;
			labels[1] = j[i].job;
			promtext_sample(pt, job_families[f].name, labels, v);
		}
	}
}

static void
outboxes_write(struct promtext *pt, const struct db_outbox_depth o[2])
{
	const char	*labels[3] = { "outbox", NULL, NULL };
	size_t		 i;

	promtext_family(pt, "resilops_outbox_depth", PROM_GAUGE,
	    "Deliveries waiting in each outbox (pending rows).");
	for (i = 0; i < 2; i++) {
		labels[1] = o[i].outbox;
		promtext_sample(pt, "resilops_outbox_depth", labels,
		    (double)o[i].pending);
	}
	promtext_family(pt, "resilops_outbox_oldest_pending_age_seconds",
	    PROM_GAUGE, "Age of each outbox's oldest pending delivery; 0 "
	    "when none waits.");
	for (i = 0; i < 2; i++) {
		labels[1] = o[i].outbox;
		promtext_sample(pt, "resilops_outbox_oldest_pending_age_seconds",
		    labels, o[i].oldest_age);
	}
}

static void
lease_write(struct promtext *pt, const struct db_lease_figure *l)
{
	const char	*labels[3] = { "holder", l->holder, NULL };

	promtext_family(pt, "resilops_sched_lease_held", PROM_GAUGE,
	    "1 while a resilops-sched leader holds an unexpired lease.");
	promtext_sample(pt, "resilops_sched_lease_held", NULL, l->held);
	promtext_family(pt, "resilops_sched_lease_holder_info", PROM_GAUGE,
	    "The leader holding the lease (holder label), 1 while held.");
	if (l->held)
		promtext_sample(pt, "resilops_sched_lease_holder_info", labels, 1);
	promtext_family(pt, "resilops_sched_lease_epoch", PROM_GAUGE,
	    "The lease's epoch: it grows with every new leader.");
	promtext_sample(pt, "resilops_sched_lease_epoch", NULL,
	    (double)l->epoch);
	promtext_family(pt, "resilops_sched_lease_expires_timestamp_seconds",
	    PROM_GAUGE, "When the current lease ends unless renewed (Unix "
	    "time).");
	promtext_sample(pt, "resilops_sched_lease_expires_timestamp_seconds",
	    NULL, (double)l->expires);
}

/* The database's families, all or none; whether they were read. */
static bool
db_write(struct promtext *pt, struct db *db)
{
	struct db_job_run	*jobs = NULL;
	struct db_outbox_depth	 out[2];
	struct db_lease_figure	 lease;
	size_t			 njobs = 0;
	bool			 ok = false;

	if (db == NULL || db_ready(db) == -1)
		return false;
	if (db_metrics_jobs(db, &jobs, &njobs) == -1 ||
	    db_metrics_outboxes(db, out) == -1 ||
	    db_metrics_lease(db, &lease) == -1)
		goto out;
	jobs_write(pt, jobs, njobs);
	outboxes_write(pt, out);
	lease_write(pt, &lease);
	ok = true;
out:
	free(jobs);
	return ok;
}

static int
metrics_get(struct request *req, struct response *resp)
{
	struct promtext	 pt = { 0 };
	struct app	*app = req->app;
	char		*body;
	size_t		 len;
	bool		 db_ok;

	metrics_write(&pt, app->routes, app->nroutes);
	db_ok = db_write(&pt, req->db);
	promtext_family(&pt, "resilops_db_up", PROM_GAUGE,
	    "1 when this scrape could read the database's figures.");
	promtext_sample(&pt, "resilops_db_up", NULL, db_ok);
	if ((body = promtext_take(&pt, &len)) == NULL)
		return -1;
	return resp_body(resp, 200, body, len);
}

const struct route metrics_routes[] = {
	{ HTTP_GET, "/metrics", PERM_PUBLIC, metrics_get,
	    TAKES_NONE | ROUTE_NODB | ROUTE_LOCAL | ANSWERS_PROM, NULL, NULL,
	    NULL },
};
const size_t metrics_nroutes = sizeof(metrics_routes) /
    sizeof(metrics_routes[0]);
