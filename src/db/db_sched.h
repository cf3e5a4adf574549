/*
 * What resilops-sched asks of the database: the leader lease with its
 * epoch fence, and the set-based statements of the jobs (a few per job,
 * whatever the number of services).
 */
#ifndef RO_DB_SCHED_H
#define RO_DB_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/risk.h"
#include "core/uptime.h"

struct db;

/*
 * Become or stay the leader (database clock).  If *epoch is ours and
 * unexpired it is renewed; else a free or expired lease is taken with a
 * new epoch.  1 leader (*epoch set), 0 another holds it (its name in
 * holder, and in *left_ms the milliseconds until its lease ends, 0 when
 * it has already), -1 error.
 */
int	 db_lease_acquire(struct db *, const char *me, int ttl, long long *epoch,
	    char *holder, size_t holdersz, long long *left_ms);
/* Give the lease up (clean shutdown).  0 or -1. */
int	 db_lease_release(struct db *, const char *me, long long epoch);
/*
 * Inside a job's transaction: write the lease row if it is still ours
 * with this epoch and unexpired.  1 yes, 0 lost, -1 error.  On one
 * server a new leader's takeover waits for our commit; across Galera
 * nodes one of the two is refused at commit.  Either way a job that
 * passed the fence writes as the leader or not at all.
 */
int	 db_lease_fence(struct db *, const char *me, long long epoch);

/*
 * Heartbeat staleness as of now: Up/Degraded with a heartbeat older
 * than down_after become Down (with a downtime from the last heartbeat),
 * Up older than degraded_after become Degraded, services without a
 * status row become Unknown.  Counts into the out parameters.  0 or -1.
 */
int	 db_sched_heartbeats(struct db *, time_t now, int degraded_after,
	    int down_after, unsigned long long *down,
	    unsigned long long *degraded, unsigned long long *unknown);
/*
 * StatusChange alerts for every status that differs from the last one
 * alerted (Critical for Down, Warning for Degraded/Unknown, Info for
 * a recovery to Up).  0 or -1.
 */
int	 db_sched_status_alerts(struct db *, time_t now,
	    unsigned long long *raised);
/*
 * RTO and RPO breaches for outages open, or ended within 24 hours of
 * now, that outlast the BIA's thresholds: one record per (downtime,
 * type) with its Critical alert.  0 or -1.
 */
int	 db_sched_breaches(struct db *, time_t now, unsigned long long *recorded);
/*
 * Queue every not yet notified alert of Warning or above for its
 * service's Slack and Webhook integrations, and its Email ones when
 * email can go out (with_email: [smtp] has a host).  0 or -1.
 */
int	 db_sched_enqueue(struct db *, time_t now, bool with_email,
	    unsigned long long *queued);


/* ---- the risk job ---- */


/*
 * One service to score: its risk input (but the 7-day minutes), its
 * latest automated record, the generation of its inputs read, and its
 * downtimes near now (core/riskwindow.h) for the minutes and the span.
 */
struct sched_risk_row {
	long long		 service_id;
	const char		*name;
	struct risk_input	 in;		/* down_deps valid during the call */
	bool			 has_prev;
	int			 prev_score;
	enum risk_level		 prev_level;
	bool			 prev_critical;
	long long		 gen;		/* risk_state.gen as read */
	struct interval		*downtimes;	/* valid during the call */
	size_t			 ndowntimes;
};

/* What the job scored, for risk_state (sql/018). */
struct sched_risk_done {
	long long		 service_id;
	long long		 gen;		/* the generation read */
	time_t			 valid_from;	/* the span of --now that */
	time_t			 valid_until;	/* keeps its 7-day verdict */
};

/*
 * The services to score as of now (db_sched_risk.c: inputs changed, or
 * a span that does not hold now), in id order, by plain reads that lock
 * nothing: a count, then the due ones keyed by id, or the whole table
 * in one pass when more than a quarter are due.  cb is called per
 * service and returns non-zero to stop.  0 or -1.
 */
int	 db_sched_risk_scan(struct db *, time_t now,
	    int (*cb)(const struct sched_risk_row *, void *), void *arg);
/*
 * Store automated risk records from a JSON array of
 * [service_id, score, level, reason, is_critical] rows, and raise the
 * alerts of a JSON array of [service_id, type, severity, cause, message]
 * rows (either may be NULL).  One statement each.  0 or -1.
 */
int	 db_sched_risk_store(struct db *, time_t now, const char *risks_json,
	    const char *alerts_json);
/*
 * Record done[0..n) in risk_state: done_gen is the generation read, so a
 * bump made since stays stale.  The job's last statements (one per
 * RISK_DONE_BATCH rows, in the order given: sort by id), as they lock
 * the rows they record until the commit.  0 or -1.
 */
int	 db_sched_risk_done(struct db *, const struct sched_risk_done *done,
	    size_t n);

#endif
