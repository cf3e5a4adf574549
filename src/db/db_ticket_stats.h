/*
 * Ticket analytics (CONTRACT 5) over the tickets the caller may see,
 * the clock's marks compared with now: each answer is one statement
 * over the aggregates every writer keeps (db_ticket_tally.h).
 */
#ifndef RO_DB_TICKET_STATS_H
#define RO_DB_TICKET_STATS_H

#include <stddef.h>
#include <time.h>

#include "db/db_ticket.h"

struct db;

struct ticket_overview {
	long long	 total, open, in_progress, waiting, escalated, resolved;
	long long	 high_risk;		/* not resolved, 75 % or more */
	long long	 breached;		/* reached 100 % */
	long long	 resolved_in_time;	/* resolved before 100 % */
	double		 avg_resolution_hours;	/* 0 when none resolved */
	long long	 responded;		/* with a first response */
	long long	 responded_in_time;
	long long	 response_breached;	/* first-response target missed */
	double		 avg_first_response_hours;
};

struct ticket_distribution {
	long long	 level[SLA_LEVEL__MAX];	/* by enum sla_level */
};

struct workload {
	long long	 id;
	char		*name;
	char		*role;
	long long	 assigned;	/* open tickets */
	long long	 high_risk;	/* of them at 75 % or more */
};

/* view/uid as in struct ticket_filter (subset and filters unused). */
int	 db_ticket_overview(struct db *, const struct ticket_filter *,
	    struct ticket_overview *);
int	 db_ticket_distribution(struct db *, const struct ticket_filter *,
	    struct ticket_distribution *);
/* Every active Technician and Senior Technician, by id.  0 or -1. */
int	 db_ticket_workload(struct db *, time_t now, struct workload **out,
	    size_t *n);
void	 workload_clear(struct workload *);

#endif
