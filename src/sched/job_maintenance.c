/*
 * The maintenance job: tell each window's start and end once.  The due
 * windows are locked, their alerts raised, the subscribers' hook called
 * and the marks set, all in the job's fenced transaction: a pass that
 * fails or loses the lease leaves nothing told, and the next tells it
 * then; one that commits never tells it again.  The marks are facts
 * about a window, not a watermark: a run with an earlier --now finds
 * nothing due and changes nothing.
 *
 * What maintenance does to heartbeats, alerts, breaches, outage
 * tickets and uptime is in those jobs' statements (db/db_sched.c,
 * db/db_sched_tickets.c, job_rollup.c), as of the same --now.
 */
#include "config.h"

#include <stdlib.h>

#include "db/db_sched_maint.h"
#include "sched/sched.h"
#include "util/log.h"

/*
 * The subscribers' hook (issue 11: subscribers get maintenance starts
 * and ends).  Nothing to do until subscriber delivery exists; see
 * sched.h for what it is called with and may do.
 */
int
maintenance_notify(struct sched_ctx *ctx, const struct maint_event *ev,
    size_t n)
{
	(void)ctx;
	(void)ev;
	(void)n;
	return 0;
}

int
job_maintenance(struct sched_ctx *ctx)
{
	struct maint_event	*ev;
	unsigned long long	 alerts = 0;
	size_t			 n, i, starts = 0;
	int			 rc = -1;

	if (db_maint_due(ctx->db, ctx->now, &ev, &n) == -1)
		return -1;
	if (n == 0)
		return 0;
	if (db_maint_announce(ctx->db, ctx->now, ev, n, &alerts) == 0 &&
	    maintenance_notify(ctx, ev, n) == 0)
		rc = 0;
	for (i = 0; i < n; i++) {
		if (ev[i].kind == MAINT_EVENT_START)
			starts++;
		maint_event_clear(&ev[i]);
	}
	free(ev);
	if (rc == 0)
		log_info("maintenance: %zu started, %zu ended (%llu alerts)",
		    starts, n - starts, alerts);
	return rc;
}
