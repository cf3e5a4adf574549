/*
 * resilops-sched's incident statements (sql/010): drafts for the
 * outages it opened on public services, and the reminders of services
 * left Down or Degraded with no incident open.  Each a few set-based
 * statements whatever the number of services.
 */
#ifndef RO_DB_SCHED_INCIDENTS_H
#define RO_DB_SCHED_INCIDENTS_H

#include <time.h>

struct db;

/* The reminder steps, hours: Statuspage's stale-status reminders. */
#define REMINDER_STEPS_SQL "SELECT 3 h UNION ALL SELECT 6 UNION ALL " \
	"SELECT 12 UNION ALL SELECT 24"

/*
 * A draft incident, once, for every open outage the daemon opened
 * (source heartbeat) on a public service as of now: titled "<service>
 * is down", impact from the BIA criticality (High critical, Medium
 * major, else minor), its first update the outage's reason.  *n gets
 * the drafts made.  0 or -1.
 */
int	 db_sched_incident_drafts(struct db *, time_t now,
	    unsigned long long *n);
/*
 * For every service Down or Degraded for at least 3, 6, 12 or 24 hours
 * as of now with no open published incident naming it: the step's row,
 * once per bad spell, and for the highest step reached in this run a
 * WARNING notification to every active Business Owner.  *n gets the
 * notifications made.  0 or -1.
 */
int	 db_sched_incident_reminders(struct db *, time_t now,
	    unsigned long long *n);

#endif
