/*
 * The database's side of /metrics: what resilops-sched records of its
 * jobs, and the figures a scrape reads (job runs, both outboxes' depth,
 * the lease), each a single statement.
 */
#ifndef RO_DB_METRICS_H
#define RO_DB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct db;

#define DB_METRICS_HOLDER_MAX	255

/* One job's record (sched_job_runs). */
struct db_job_run {
	char		 job[33];
	long long	 runs, failures;
	double		 last_duration;		/* seconds */
	time_t		 last_run;
	bool		 succeeded;		/* ever: last_success and lag are set */
	time_t		 last_success;
	double		 lag;			/* seconds since last_success */
};

/* One outbox's pending rows. */
struct db_outbox_depth {
	const char	*outbox;		/* "outbox", "subscriber_outbox" */
	long long	 pending;
	double		 oldest_age;		/* seconds; 0 when empty */
};

/* The leader's lease. */
struct db_lease_figure {
	char		 holder[DB_METRICS_HOLDER_MAX + 1];	/* "" when none */
	long long	 epoch;
	time_t		 expires;
	bool		 held;			/* a holder and not expired */
};

/*
 * Record that job ran for seconds: ok, in the caller's transaction (it
 * commits with the job's work); failed, on its own (after the job's
 * rollback).  0, or -1.
 */
int	 db_metrics_job_done(struct db *, const char *job, double seconds,
	    bool ok);
/* Every job's record into *out (the caller frees it), *n of them; 0 or -1. */
int	 db_metrics_jobs(struct db *, struct db_job_run **out, size_t *n);
/* The two outboxes, in out[0] (outbox) and out[1]; 0 or -1. */
int	 db_metrics_outboxes(struct db *, struct db_outbox_depth out[2]);
/* The lease; 0, or -1 (also when the row is missing). */
int	 db_metrics_lease(struct db *, struct db_lease_figure *);

#endif
