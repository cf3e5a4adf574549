/*
 * The incident jobs: a draft for each outage the daemon opens on a
 * public service (published by a person, never by the daemon), and the
 * reminders of services left Down or Degraded with no incident open.
 */
#include "config.h"

#include "db/db_sched_incidents.h"
#include "sched/sched.h"
#include "util/log.h"

int
job_incident_drafts(struct sched_ctx *ctx)
{
	unsigned long long	 n = 0;

	if (db_sched_incident_drafts(ctx->db, ctx->now, &n) == -1)
		return -1;
	if (n)
		log_info("incident drafts: %llu offered", n);
	return 0;
}

int
job_incident_reminders(struct sched_ctx *ctx)
{
	unsigned long long	 n = 0;

	if (db_sched_incident_reminders(ctx->db, ctx->now, &n) == -1)
		return -1;
	if (n)
		log_info("incident reminders: %llu sent", n);
	return 0;
}
