/*
 * The risk job: score with the same pure function the API uses each
 * service whose inputs changed or whose 7-day downtime verdict may
 * differ at this --now (db_sched_risk.c), store a new automated record
 * only when score, level or criticality changed, and raise HighRisk /
 * Critical alerts when a service becomes high risk or critical.  Any
 * other service would score as its latest record says, so skipping it
 * changes nothing.  One scan that locks nothing, batched stores, and
 * last what was scored (the generations read), so that an API write
 * that bumps a generation waits at most for those last statements.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/risk.h"
#include "core/riskwindow.h"
#include "core/service.h"
#include "db/db.h"
#include "db/db_sched.h"
#include "sched/sched.h"
#include "util/log.h"

#define RISK_BATCH 2000

struct risk_job {
	struct sched_ctx	*ctx;
	struct json_object	*risks;
	struct json_object	*alerts;
	struct sched_risk_done	*done;		/* in id order, as scanned */
	size_t			 ndone, donecap;
	size_t			 stored;
	int			 failed;
};

static void
alert_add(struct json_object *a, long long sid, const char *type,
    const char *severity, const char *cause, const char *msg)
{
	struct json_object	*row = json_object_new_array_ext(5);

	json_object_array_add(row, json_object_new_int64(sid));
	json_object_array_add(row, json_object_new_string(type));
	json_object_array_add(row, json_object_new_string(severity));
	json_object_array_add(row, json_object_new_string(cause));
	json_object_array_add(row, json_object_new_string(msg));
	json_object_array_add(a, row);
}

/* The text of a batch, NULL when empty. */
static const char *
batch_text(struct json_object *a)
{
	if (json_object_array_length(a) == 0)
		return NULL;
	return json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
}

static int
flush(struct risk_job *j)
{
	const char	*r = batch_text(j->risks), *a = batch_text(j->alerts);
	int		 rc;

	rc = (r || a) ? db_sched_risk_store(j->ctx->db, j->ctx->now, r, a) : 0;
	j->stored += json_object_array_length(j->risks);
	json_object_put(j->risks);
	json_object_put(j->alerts);
	j->risks = json_object_new_array();
	j->alerts = json_object_new_array();
	return rc;
}

/*
 * What was scored: the generation read and the span of --now over which
 * the 7-day factor keeps its verdict.  Kept until the end of the job
 * (32 bytes a service), to be recorded by its last statements.  0 or -1.
 */
static int
done_add(struct risk_job *j, const struct sched_risk_row *row)
{
	struct sched_risk_done	*d;
	size_t			 cap;

	if (j->ndone == j->donecap) {
		cap = j->donecap ? 2 * j->donecap : 1024;
		if ((d = reallocarray(j->done, cap, sizeof(*d))) == NULL)
			return log_warnx("risk: out of memory");
		j->done = d;
		j->donecap = cap;
	}
	d = &j->done[j->ndone++];
	d->service_id = row->service_id;
	d->gen = row->gen;
	risk_window_span(row->downtimes, row->ndowntimes, j->ctx->now,
	    &d->valid_from, &d->valid_until);
	return 0;
}

static int
score_one(const struct sched_risk_row *row, void *arg)
{
	struct risk_job		*j = arg;
	struct risk_input	 in = row->in;
	struct risk_result	 res;
	struct json_object	*rec;
	char			 msg[RISK_REASON_MAX + 128];
	bool			 changed;

	in.downtime_minutes_7d = downtime_minutes_since(row->downtimes,
	    row->ndowntimes, j->ctx->now - RISK_WINDOW_SECONDS, j->ctx->now);
	risk_score(&in, &res);
	changed = !row->has_prev || row->prev_score != res.score ||
	    row->prev_level != res.level || row->prev_critical != res.is_critical;
	if (done_add(j, row) == -1) {
		j->failed = 1;
		return 1;
	}
	if (changed) {
		rec = json_object_new_array_ext(5);
		json_object_array_add(rec, json_object_new_int64(row->service_id));
		json_object_array_add(rec, json_object_new_int(res.score));
		json_object_array_add(rec,
		    json_object_new_string(risk_level_name(res.level)));
		json_object_array_add(rec, json_object_new_string(res.reason));
		json_object_array_add(rec, json_object_new_int(res.is_critical));
		json_object_array_add(j->risks, rec);
	}
	if (res.level == RISK_HIGH &&
	    (!row->has_prev || row->prev_level != RISK_HIGH)) {
		snprintf(msg, sizeof(msg), "Service %s risk is High (score %d): %s",
		    row->name ? row->name : "?", res.score, res.reason);
		alert_add(j->alerts, row->service_id, "HighRisk", "Warning", "High",
		    msg);
	}
	if (res.is_critical && (!row->has_prev || !row->prev_critical)) {
		snprintf(msg, sizeof(msg), "Service %s is critical: %s",
		    row->name ? row->name : "?", res.reason);
		alert_add(j->alerts, row->service_id, "Critical", "Critical",
		    "critical", msg);
	}
	if (json_object_array_length(j->risks) >= RISK_BATCH ||
	    json_object_array_length(j->alerts) >= RISK_BATCH) {
		if (flush(j) == -1) {
			j->failed = 1;
			return 1;
		}
	}
	return 0;
}

int
job_risk(struct sched_ctx *ctx)
{
	struct risk_job	 j;
	int		 rc;

	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.risks = json_object_new_array();
	j.alerts = json_object_new_array();
	rc = db_sched_risk_scan(ctx->db, ctx->now, score_one, &j);
	if (rc == 0 && !j.failed)
		rc = flush(&j);
	/* Last: the rows it locks stay locked only until the commit. */
	if (rc == 0 && !j.failed)
		rc = db_sched_risk_done(ctx->db, j.done, j.ndone);
	json_object_put(j.risks);
	json_object_put(j.alerts);
	free(j.done);
	if (rc == 0 && !j.failed && j.stored > 0)
		log_info("risk: %zu new records", j.stored);
	return rc == -1 || j.failed ? -1 : 0;
}
