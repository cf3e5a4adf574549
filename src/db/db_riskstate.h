/*
 * The writers' half of risk_state (sql/018): what each change to a risk
 * input bumps, so that the risk job scores the services it touched on
 * its next tick.  One statement per change, sent by the writer in the
 * transaction of the change; a heartbeat that does not cross Down sends
 * none.  The job's half is in db_sched_risk.c.
 */
#ifndef RO_DB_RISKSTATE_H
#define RO_DB_RISKSTATE_H

#include <time.h>

struct db;

/* What changed; each row of the table in db_riskstate.c names its set. */
enum riskstate_change {
	RS_SERVICE,		/* its BIA, dependencies, integrations, downtimes
				   or automated record: the service (id) */
	RS_CREATED,		/* a new service (id): its row, stale */
	RS_DELETING,		/* a service (id) about to be deleted: those
				   that depend on it */
	RS_CROSSED_DOWN,	/* its status moved into or out of Down: the
				   service (id) and those that depend on it */
	RS_HEARTBEATS_DOWN,	/* the daemon set services Down as of now:
				   those and their dependents */
	RS_EVERYTHING,		/* an import: every service, rows for new ones */
	RS__MAX
};

/*
 * Bump the generation of what change says, for service id or as of now
 * (RS_HEARTBEATS_DOWN; the other unused).  One statement, in the
 * caller's transaction.  0 or -1.
 */
int	 db_riskstate_bump(struct db *, enum riskstate_change, long long id,
	    time_t now);

#endif
