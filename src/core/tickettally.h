/*
 * core/tickettally: how the kept ticket aggregates (sql/024) add up to
 * a view's analytics.  Pure arithmetic, no I/O.
 */
#ifndef RO_CORE_TICKETTALLY_H
#define RO_CORE_TICKETTALLY_H

#include <stdbool.h>

#include "core/slaclock.h"

/* The scopes a ticket_tallies row sums over (its scope column). */
enum tally_scope {
	TALLY_ALL,		/* every ticket (uid 0) */
	TALLY_CREATED,		/* created by uid */
	TALLY_ASSIGNED,		/* assigned to uid */
	TALLY_SELF,		/* created by and assigned to uid */
	TALLY_SCOPE__MAX
};

/* A view is at most this many scope rows, TALLY_SELF's subtracted. */
#define TALLY_TERMS	3

struct tally_term {
	enum tally_scope	 scope;
	long long		 uid;
};

/*
 * The scope rows of the tickets created by uid (created), assigned to
 * uid (assigned), either (both: created + assigned - self), or every
 * ticket (neither).  Always fills TALLY_TERMS terms, repeating one when
 * fewer are needed, so one statement with TALLY_TERMS pairs of
 * parameters serves every view (a row matched twice counts once).
 */
void	 tally_terms(bool created, bool assigned, long long uid,
	    struct tally_term out[TALLY_TERMS]);

/*
 * The risk distribution from the counts of tickets whose breach, 75 %
 * level and 50 % level instants are at or before now: at_lvl2 counts a
 * ticket at 75 % or breached, at_lvl1 one at 50 %, 75 % or breached
 * (the earliest of its instants), as SQL's CASE ranks a ticket by its
 * highest level reached.  level[] is indexed by enum sla_level.
 */
void	 tally_levels(long long total, long long at_lvl1, long long at_lvl2,
	    long long at_breach, long long level[SLA_LEVEL__MAX]);

#endif
