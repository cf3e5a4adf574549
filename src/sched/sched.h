/*
 * resilops-sched's jobs: a table of name, interval and function.  Each
 * job runs in its own transaction behind the lease fence; a job that
 * fails is logged and tried again next tick without stopping the others.
 */
#ifndef RO_SCHED_H
#define RO_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct conf;
struct db;
struct maint_event;
struct pages;

struct sched_ctx {
	struct db		*db;
	const struct conf	*cfg;
	time_t			 now;		/* what the jobs evaluate as of */
	const char		*me;		/* lease holder name */
	long long		 epoch;		/* our lease epoch */
	bool			 verbose;	/* log every job's time (--once) */
	time_t			 checkpointed;	/* monotonic s of our last audit
						   checkpoint; 0: none yet */
	const struct pages	*pages;		/* templates, with static_dir */
};

struct job {
	const char	*name;
	int		 interval;	/* seconds; 0: every tick */
	int		(*run)(struct sched_ctx *);
};

extern const struct job	 sched_jobs[];
extern const size_t	 sched_njobs;

/*
 * Run one job in a transaction behind the fence.  1 done, 0 the lease
 * was lost (nothing written), -1 the job failed (rolled back).
 */
int	 sched_run_job(struct sched_ctx *, const struct job *);

int	 job_heartbeats(struct sched_ctx *);
int	 job_status_alerts(struct sched_ctx *);
int	 job_risk(struct sched_ctx *);
int	 job_breaches(struct sched_ctx *);
int	 job_enqueue(struct sched_ctx *);
int	 job_housekeeping(struct sched_ctx *);
int	 job_tickets(struct sched_ctx *);
int	 job_ticket_tally(struct sched_ctx *);
int	 job_audit_seal(struct sched_ctx *);
int	 job_audit_checkpoint(struct sched_ctx *);
int	 job_rollup(struct sched_ctx *);
int	 job_rollup_history(struct sched_ctx *);
int	 job_static_pages(struct sched_ctx *);
int	 job_incident_drafts(struct sched_ctx *);
int	 job_incident_reminders(struct sched_ctx *);
int	 job_maintenance(struct sched_ctx *);

/*
 * Maintenance starts and ends as they are told (job_maintenance.c):
 * the hook for subscriber delivery.  Called once per pass that tells
 * anything, with the windows told (ev[0..n), n > 0, by id; each with
 * its kind, title, message and times; its services are the rows of
 * maintenance_services), inside the job's fenced transaction and after
 * the window's alerts and marks are written.  Queue what is to be sent
 * (outbox rows, with ctx->db and as of ctx->now) and nothing else: it
 * commits with the marks, so each notice is queued exactly once, and
 * delivery happens outside the transaction (deliver.c).  0, or -1 to
 * undo the whole pass (it is tried again next tick).  Never called for
 * a window deleted before its end was told, nor for one the daemon
 * never saw active.
 */
int	 maintenance_notify(struct sched_ctx *, const struct maint_event *ev,
	    size_t n);

#endif
