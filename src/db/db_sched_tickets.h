/*
 * resilops-sched's ticket statements (CONTRACT 8 and 9, "Tickets"):
 * outage tickets, the marks of tickets the daemon made, and the
 * once-only announcements (high risk, breach, the warning before a
 * breach, a missed first response).  Each is a fixed number of
 * set-based statements; a row being announced is marked pending first,
 * so what is announced is exactly what is flagged.
 */
#ifndef RO_DB_SCHED_TICKETS_H
#define RO_DB_SCHED_TICKETS_H

#include <stddef.h>
#include <time.h>

#include "db/db_ticket.h"

struct db;

/*
 * Outages and tickets: open a ticket for each open outage of a High or
 * Medium criticality service without an open outage ticket (CRITICAL
 * or HIGH, SLA hours capped by the RTO, marks left for
 * db_sched_ticket_clocks), link further outages to it, and note on the
 * ticket each outage that began or ended.  *opened gets the number of
 * new tickets, which the caller counts (db_ticket_count_add) in the
 * same transaction.  0 or -1.
 */
int	 db_sched_outage_tickets(struct db *, time_t now,
	    unsigned long long *opened);

/*
 * Store marks: JSON [[id, half, high, breach, warn, fr_due], ...] with
 * epoch seconds or null; clears clock_dirty.  0 or -1.
 */
int	 db_sched_store_marks(struct db *, const char *json);

/*
 * The distinct calendars (JSON text) of tickets whose warning is due,
 * for the caller to tell which are within working hours now
 * (caller frees each and the array).  0 or -1.
 */
int	 db_sched_warn_calendars(struct db *, time_t now, char ***out, size_t *n);
/*
 * Announce, once per ticket: high risk and breach (WARNING to every
 * Manager), the warning before a breach (to the assignee, or every
 * Manager when none; tickets with a calendar only when it is listed in
 * open_calendars, a JSON array of calendar texts within working hours),
 * a missed first-response target (WARNING to every Manager and the
 * assignee).  *sent gets the notifications written.  0 or -1.
 */
int	 db_sched_ticket_notices(struct db *, time_t now,
	    const char *open_calendars, unsigned long long *sent);

#endif
