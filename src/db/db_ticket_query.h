/*
 * The statements of the ticket lists, composed from a table of filter
 * clauses.  Each filter present contributes its own constant fragment
 * (`t.status = ?`, the view restriction, a risk level as a range on
 * the stored instants), so MariaDB can use an index for it; a
 * catch-all WHERE whose filters are switched off by parameters lets it
 * use none.  The statements of one combination of filters are one
 * fixed text, composed once per process and kept, so db.c's cache
 * (keyed by the text's address) prepares it once per connection.
 */
#ifndef RO_DB_TICKET_QUERY_H
#define RO_DB_TICKET_QUERY_H

#include <stddef.h>
#include <stdint.h>

struct dbval;
struct ticket_filter;

/* The columns a ticket is read with (db_ticket.c's ticket_fill). */
#define TICKET_COLS "t.id, t.title, t.customer, t.description, t.priority, " \
	"t.status, t.assignee_id, COALESCE(a.name, a.username), " \
	"t.created_by_user_id, t.service_id, t.downtime_id, t.created_at, " \
	"t.updated_at, t.resolved_at, t.sla_limit_hours, " \
	"t.first_response_hours, t.warn_percent, t.calendar, " \
	"t.paused_seconds, t.paused_since, t.first_response_at, " \
	"t.escalated_at, t.half_at, t.high_at, t.breach_at, t.warn_at, " \
	"t.fr_due_at"
#define TICKET_NCOLS 27
#define TICKET_FROM " FROM tickets t LEFT JOIN users a ON a.id = t.assignee_id "

/* The fragments, in the order they appear in a statement. */
enum ticket_frag {
	TQF_VIEW_OWN,		/* created by or assigned to uid */
	TQF_VIEW_CREATED,	/* created by uid */
	TQF_VIEW_ASSIGNED,	/* assigned to uid */
	TQF_ACTIVE,		/* the subsets (enum ticket_subset) */
	TQF_HIGH_RISK,
	TQF_ESCALATED,
	TQF_HIGH_PRIORITY,
	TQF_BREACHED,
	TQF_CLOSED,
	TQF_STATUS,		/* ?status= */
	TQF_PRIORITY,		/* ?priority= */
	TQF_LEVEL_SAFE,		/* ?risk_level=, one per level */
	TQF_LEVEL_WARNING,
	TQF_LEVEL_HIGH_RISK,
	TQF_LEVEL_BREACHED,
	TQF_ASSIGNEE,		/* ?assignee_id= */
	TQF_SERVICE,		/* ?service_id= */
	TQF__MAX
};

#define TQ_BIT(frag)	(UINT32_C(1) << (frag))
/* Parameters one mask binds at most (every fragment's, with room). */
#define TQ_ARGS_MAX	16

/*
 * The statements of one combination.  The total is a count over the
 * fragments, binding their parameters, or for the combinations that
 * kept aggregates answer exactly (a Manager's whole list: the counter
 * of sql/021; a view, an assignee, a priority or a risk level alone, a
 * priority and a level: the scope rows of sql/024 and 028) a read of
 * those, binding what db_ticket_query_count_args gives.  A page is one
 * statement: the ticket columns and the total in column TICKET_NCOLS,
 * binding the total's parameters, the fragments', LIMIT and OFFSET.
 * page reads a first page (offset 0; none past the end: no row, a
 * total of 0), newest first; deep a later one, its ids first, in no
 * order, and past the end one row of the total alone, the ticket's
 * columns NULL.
 */
struct ticket_query {
	uint32_t	 mask;
	const char	*count;	/* the filtered total, a SELECT */
	const char	*page;	/* the first page, with the total */
	const char	*deep;	/* a later page: its ids first, then rows */
	int		 kept;	/* the kept total's row; -1: a count */
};

/* The fragments filter f needs, as a mask of TQ_BIT()s; 0: none. */
uint32_t db_ticket_query_mask(const struct ticket_filter *);
/*
 * head, then " WHERE " and the fragments of mask joined by " AND "
 * (nothing for mask 0), then tail, as one malloc'd string (caller
 * frees), or NULL (out of memory, or a bit outside TQF__MAX).
 */
char	*db_ticket_query_compose(const char *head, uint32_t mask,
	    const char *tail);
/*
 * The parameters of mask's fragments for f, in statement order, into
 * a[TQ_ARGS_MAX]; their number.
 */
size_t	 db_ticket_query_args(const struct ticket_filter *, uint32_t mask,
	    struct dbval *a);
/* The parameters of q's count for f into a[TQ_ARGS_MAX]; their number. */
size_t	 db_ticket_query_count_args(const struct ticket_filter *,
	    const struct ticket_query *q, struct dbval *a);
/*
 * The statements of mask into *out, composed on first use and kept for
 * the process's life (the texts are owned here: the routes can reach a
 * few hundred masks, and only those sent are ever made).  0, or -1
 * when out of memory or mask has a bit outside TQF__MAX.
 */
int	 db_ticket_query_get(uint32_t mask, struct ticket_query *out);

#endif
