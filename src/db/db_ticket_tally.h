/*
 * The kept ticket analytics (sql/024_ticket_tally.sql): every writer
 * of tickets tallies the tickets it wrote, and resilops-sched folds
 * the counts that move with time forward to its now.
 */
#ifndef RO_DB_TICKET_TALLY_H
#define RO_DB_TICKET_TALLY_H

#include <stddef.h>
#include <time.h>

struct db;

/*
 * The scope of a priority's tickets (scope 4, sql/028): uid its place in
 * LOW, MEDIUM, HIGH, CRITICAL, from the priority's name e (SQL text).
 */
#define TALLY_PRIORITY_UID(e)	"FIELD(" e ", 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')"

/*
 * Bring the aggregates of tickets ids[0..n) up to their rows as this
 * transaction sees them (written, inserted or deleted; an id twice
 * counts once).  Call it last before COMMIT: it locks the scope rows
 * (every ticket is in scope 0) until then.  0 or -1.
 */
int	 db_ticket_tally(struct db *, const long long *ids, size_t n);
/* The same for one ticket. */
int	 db_ticket_tally_one(struct db *, long long id);
/*
 * Count what passed (or, now being earlier, un-passed) between the
 * last fold and now into every scope, and fold at now.  0 or -1.
 */
int	 db_ticket_tally_fold(struct db *, time_t now);
/*
 * Make every aggregate again from the tickets (a repair; what the
 * migration's backfill does), holding off writers and the fold until
 * the caller commits.  0 or -1.
 */
int	 db_ticket_tally_rebuild(struct db *);

#endif
