/*
 * Ticket escalation (CONTRACT 9, "Tickets"), one implementation for
 * resilops-sched (every ticket at 75 % or more) and POST
 * /api/tickets/<id>/escalate (one ticket, now): status ESCALATED,
 * reassigned to the Senior Technicians with the fewest open tickets
 * (unchanged when there is none), ALERT to the new assignee, WARNING to
 * every Manager, INFO to a previous assignee, a line of activity and a
 * TicketEscalated alert when the ticket names a service.  A fixed
 * number of set-based statements, whatever the number of tickets; each
 * ticket is escalated once (escalated_at).
 */
#ifndef RO_DB_ESCALATE_H
#define RO_DB_ESCALATE_H

#include <stddef.h>
#include <time.h>

struct db;

/* One ticket escalated, for the caller's audit entries. */
struct escalated {
	long long	 id;
	long long	 assignee_id;	/* 0: none */
};

/*
 * Inside the caller's transaction: escalate every due ticket (only ==
 * 0: not resolved, not paused, never escalated, high_at <= now) or the
 * one ticket only (when OPEN or IN_PROGRESS and never escalated).  by
 * and by_name: who (0/NULL: resilops-sched).  *out (malloc'd, caller
 * frees) and *n get what was escalated.  0 or -1.
 */
int	 db_escalate(struct db *, time_t now, long long only, long long by,
	    const char *by_name, struct escalated **out, size_t *n);

#endif
