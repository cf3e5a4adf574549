/*
 * The job table and the runner: a transaction per job, opened by the
 * lease fence, so a leader that lost its lease writes nothing.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_metrics.h"
#include "db/db_throttle.h"
#include "db/db_sched.h"
#include "sched/sched.h"
#include "util/conf.h"
#include "util/log.h"

/* Order matters within a tick: transitions, then what reports on them. */
const struct job sched_jobs[] = {
	{ "heartbeats", 0, job_heartbeats },
	{ "maintenance", 0, job_maintenance },
	{ "risk", 60, job_risk },
	{ "breaches", 0, job_breaches },
	{ "status-alerts", 0, job_status_alerts },
	{ "incident-drafts", 0, job_incident_drafts },
	{ "incident-reminders", 0, job_incident_reminders },
	{ "tickets", 0, job_tickets },
	{ "ticket-tally", 0, job_ticket_tally },
	{ "enqueue", 0, job_enqueue },
	{ "rollup", 0, job_rollup },
	{ "rollup-history", 300, job_rollup_history },
	{ "housekeeping", 300, job_housekeeping },
	/* Last: the static copy shows what this tick decided. */
	{ "static-pages", 0, job_static_pages },
	/*
	 * Every tick, after every job that writes entries: what the workers
	 * and this tick appended joins the chain, so no entry stays unsealed
	 * much longer than [sched] tick.
	 */
	{ "audit-seal", 0, job_audit_seal },
	/* Every tick: it keeps its own interval, [audit] checkpoint_interval. */
	{ "audit-checkpoint", 0, job_audit_checkpoint },
};
const size_t sched_njobs = sizeof(sched_jobs) / sizeof(sched_jobs[0]);

static double
elapsed(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int
sched_run_job(struct sched_ctx *ctx, const struct job *job)
{
	struct timespec	 t0;
	int		 fence;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (db_begin(ctx->db) == -1)
		return -1;
	if ((fence = db_lease_fence(ctx->db, ctx->me, ctx->epoch)) != 1) {
		db_rollback(ctx->db);
		if (fence == 0)
			log_warnx("job %s: lease lost; not running", job->name);
		return fence == 0 ? 0 : -1;
	}
	if (job->run(ctx) == -1) {
		db_rollback(ctx->db);
		log_warnx("job %s failed after %.3f s; retrying next tick",
		    job->name, elapsed(&t0));
		/* For /metrics; on its own, the job's work is undone. */
		if (!db_lost(ctx->db))
			db_metrics_job_done(ctx->db, job->name, elapsed(&t0),
			    false);
		return -1;
	}
	/*
	 * Committed with the job's work, so /metrics never reports a run
	 * that did not happen.  A plain statement error (a schema before
	 * 013) loses only the record; a lost connection or a deadlock
	 * undid the whole transaction, the job's work with it.
	 */
	if (db_metrics_job_done(ctx->db, job->name, elapsed(&t0), true) == -1 &&
	    db_error(ctx->db) != DB_ERR_OTHER) {
		db_rollback(ctx->db);
		log_warnx("job %s: recording its run failed; retrying next tick",
		    job->name);
		return -1;
	}
	if (db_commit(ctx->db) == -1) {
		log_warnx("job %s: commit failed; retrying next tick", job->name);
		return -1;
	}
	/* Every tick would flood syslog: timings only when asked or slow. */
	if (ctx->verbose || elapsed(&t0) >= 1.0)
		log_info("job %s: %.3f s", job->name, elapsed(&t0));
	else
		log_debug("job %s: %.3f s", job->name, elapsed(&t0));
	return 1;
}

int
job_heartbeats(struct sched_ctx *ctx)
{
	unsigned long long	 down = 0, degraded = 0, unknown = 0;

	if (db_sched_heartbeats(ctx->db, ctx->now,
	    ctx->cfg->health.degraded_after, ctx->cfg->health.down_after,
	    &down, &degraded, &unknown) == -1)
		return -1;
	if (down || degraded || unknown)
		log_info("heartbeats: %llu down, %llu degraded, %llu unknown",
		    down, degraded, unknown);
	return 0;
}

int
job_status_alerts(struct sched_ctx *ctx)
{
	unsigned long long	 n = 0;

	if (db_sched_status_alerts(ctx->db, ctx->now, &n) == -1)
		return -1;
	if (n)
		log_info("status alerts: %llu raised", n);
	return 0;
}

int
job_breaches(struct sched_ctx *ctx)
{
	unsigned long long	 n = 0;

	if (db_sched_breaches(ctx->db, ctx->now, &n) == -1)
		return -1;
	if (n)
		log_info("breaches: %llu recorded", n);
	return 0;
}

int
job_enqueue(struct sched_ctx *ctx)
{
	unsigned long long	 n = 0;

	/* No relay, no email: no rows that could only be skipped. */
	if (db_sched_enqueue(ctx->db, ctx->now,
	    ctx->cfg->smtp.host[0] != '\0', &n) == -1)
		return -1;
	if (n)
		log_info("notifications: %llu queued", n);
	return 0;
}

int
job_housekeeping(struct sched_ctx *ctx)
{
	const struct conf	*cfg = ctx->cfg;
	int			 window = cfg->auth.login_window;

	if (cfg->auth.signup_window > window)
		window = cfg->auth.signup_window;
	return db_throttle_prune(ctx->db, ctx->now - window);
}

/*
 * The chain head, written outside the database ([audit] checkpoint_file)
 * so that a cut-off tail with a rewound head shows in "resilops-admin
 * audit verify --checkpoint".  The table's intervals are fixed, so the
 * job keeps its own: it writes when checkpoint_interval has passed on
 * the monotonic clock since this process's last checkpoint (a new
 * process, --once among them, writes at its first run).  Neither that
 * nor the line's time depends on --now: a checkpoint witnesses when
 * the chain was so, and an instant given with --now never delays the
 * next one.  A failed write is logged and tried again next tick.
 */
/*
 * Batches in the job's one transaction, up to a bound, so a backlog
 * (a daemon that was down) is sealed over a few ticks rather than in
 * one transaction of unbounded size.
 */
#define SEAL_BATCHES_PER_TICK	200

int
job_audit_seal(struct sched_ctx *ctx)
{
	const char	*key = ctx->cfg->secrets.audit_key;
	long long	 n, total = 0;
	int		 i;

	for (i = 0; i < SEAL_BATCHES_PER_TICK; i++) {
		if ((n = db_audit_seal(ctx->db, (const unsigned char *)key,
		    strlen(key))) == -1)
			return -1;
		total += n;
		if (n == 0)
			break;
	}
	if (total > 0)
		log_debug("audit: %lld entries sealed", total);
	return 0;
}

int
job_audit_checkpoint(struct sched_ctx *ctx)
{
	struct audit_checkpoint	 cp;
	struct timespec		 mono;
	const char		*dest = ctx->cfg->audit.checkpoint_file;
	char			 line[AUDITCHECKPOINT_LINE_MAX];

	if (dest[0] == '\0')
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	if (ctx->checkpointed != 0 &&
	    mono.tv_sec - ctx->checkpointed < ctx->cfg->audit.checkpoint_interval)
		return 0;
	if (db_audit_checkpoint(ctx->db, strcmp(dest, CONF_SYSLOG) == 0 ? NULL :
	    dest, time(NULL), &cp, line, sizeof(line)) == -1)
		return -1;
	/* Never 0, which means none, even right after boot. */
	ctx->checkpointed = mono.tv_sec > 0 ? mono.tv_sec : 1;
	log_info("audit checkpoint: entry %lld written to %s", cp.seq, dest);
	return 0;
}
