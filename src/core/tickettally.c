/*
 * core/tickettally: a view's scope rows and the risk distribution from
 * kept counts (see tickettally.h and sql/024_ticket_tally.sql).
 */
#include "config.h"

#include "core/tickettally.h"

void
tally_terms(bool created, bool assigned, long long uid,
    struct tally_term out[TALLY_TERMS])
{
	int	 i;

	for (i = 0; i < TALLY_TERMS; i++) {
		out[i].scope = !created && !assigned ? TALLY_ALL :
		    created ? TALLY_CREATED : TALLY_ASSIGNED;
		out[i].uid = !created && !assigned ? 0 : uid;
	}
	/* Created or assigned: each set once, their overlap taken out. */
	if (created && assigned) {
		out[1].scope = TALLY_ASSIGNED;
		out[2].scope = TALLY_SELF;
	}
}

void
tally_levels(long long total, long long at_lvl1, long long at_lvl2,
    long long at_breach, long long level[SLA_LEVEL__MAX])
{
	level[SLA_BREACHED] = at_breach;
	level[SLA_HIGH_RISK] = at_lvl2 - at_breach;
	level[SLA_WARNING] = at_lvl1 - at_lvl2;
	level[SLA_SAFE] = total - at_lvl1;
}
