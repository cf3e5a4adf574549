/*
 * The ticket lists' statements, composed from the fragment table
 * below (see db_ticket_query.h for why).  A risk level is a range on
 * the instants a ticket stores (half_at, high_at, breach_at), written
 * so that it matches exactly the rows the level's CASE
 * (breach_at <= now: BREACHED, else high_at <= now: HIGH_RISK, else
 * half_at <= now: WARNING, else SAFE; NULL never reached) gives, and
 * so that its leading comparison is an index range.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/ticket.h"
#include "db/db.h"
#include "db/db_ticket.h"
#include "db/db_ticket_query.h"
#include "db/db_ticket_tally.h"
#include "util/log.h"

/* What a fragment's ? stands for. */
enum tq_param {
	TQP_NONE,
	TQP_UID,
	TQP_NOW,
	TQP_STATUS,
	TQP_PRIORITY,
	TQP_ASSIGNEE,
	TQP_SERVICE,
};

#define TQ_PARAMS_MAX 3

#define NOT_HALF "(t.half_at IS NULL OR t.half_at > ?)"
#define NOT_HIGH "(t.high_at IS NULL OR t.high_at > ?)"
#define NOT_BREACH "(t.breach_at IS NULL OR t.breach_at > ?)"

static const struct {
	const char	*sql;
	enum tq_param	 params[TQ_PARAMS_MAX];
} frags[TQF__MAX] = {
	[TQF_VIEW_OWN] = { "(t.created_by_user_id = ? OR t.assignee_id = ?)",
	    { TQP_UID, TQP_UID } },
	[TQF_VIEW_CREATED] = { "t.created_by_user_id = ?", { TQP_UID } },
	[TQF_VIEW_ASSIGNED] = { "t.assignee_id = ?", { TQP_UID } },
	[TQF_ACTIVE] = { "t.status <> 'RESOLVED'", { TQP_NONE } },
	[TQF_HIGH_RISK] = { "t.high_at <= ? AND t.status <> 'RESOLVED'",
	    { TQP_NOW } },
	[TQF_ESCALATED] = { "t.status = 'ESCALATED'", { TQP_NONE } },
	[TQF_HIGH_PRIORITY] = { "t.priority IN ('HIGH', 'CRITICAL')",
	    { TQP_NONE } },
	[TQF_BREACHED] = { "t.breach_at <= ?", { TQP_NOW } },
	[TQF_CLOSED] = { "t.status = 'RESOLVED'", { TQP_NONE } },
	[TQF_STATUS] = { "t.status = ?", { TQP_STATUS } },
	[TQF_PRIORITY] = { "t.priority = ?", { TQP_PRIORITY } },
	[TQF_LEVEL_SAFE] = { NOT_HALF " AND " NOT_HIGH " AND " NOT_BREACH,
	    { TQP_NOW, TQP_NOW, TQP_NOW } },
	[TQF_LEVEL_WARNING] = { "t.half_at <= ? AND " NOT_HIGH " AND "
	    NOT_BREACH, { TQP_NOW, TQP_NOW, TQP_NOW } },
	[TQF_LEVEL_HIGH_RISK] = { "t.high_at <= ? AND " NOT_BREACH,
	    { TQP_NOW, TQP_NOW } },
	[TQF_LEVEL_BREACHED] = { "t.breach_at <= ?", { TQP_NOW } },
	[TQF_ASSIGNEE] = { "t.assignee_id = ?", { TQP_ASSIGNEE } },
	[TQF_SERVICE] = { "t.service_id = ?", { TQP_SERVICE } },
};

/* Whose tickets: a Manager's view has no fragment. */
static const uint32_t view_bits[TVIEW__MAX] = {
	[TVIEW_ALL] = 0,
	[TVIEW_OWN] = TQ_BIT(TQF_VIEW_OWN),
	[TVIEW_CREATED] = TQ_BIT(TQF_VIEW_CREATED),
	[TVIEW_ASSIGNED] = TQ_BIT(TQF_VIEW_ASSIGNED),
};

static const uint32_t subset_bits[TSUB__MAX] = {
	[TSUB_ANY] = 0,
	[TSUB_ACTIVE] = TQ_BIT(TQF_ACTIVE),
	[TSUB_HIGH_RISK] = TQ_BIT(TQF_HIGH_RISK),
	[TSUB_ESCALATED] = TQ_BIT(TQF_ESCALATED),
	[TSUB_HIGH_PRIORITY] = TQ_BIT(TQF_HIGH_PRIORITY),
	[TSUB_BREACHED] = TQ_BIT(TQF_BREACHED),
	[TSUB_CLOSED] = TQ_BIT(TQF_CLOSED),
};

static const uint32_t level_bits[SLA_LEVEL__MAX] = {
	[SLA_SAFE] = TQ_BIT(TQF_LEVEL_SAFE),
	[SLA_WARNING] = TQ_BIT(TQF_LEVEL_WARNING),
	[SLA_HIGH_RISK] = TQ_BIT(TQF_LEVEL_HIGH_RISK),
	[SLA_BREACHED] = TQ_BIT(TQF_LEVEL_BREACHED),
};

static bool
has_status(const struct ticket_filter *f)
{
	return f->status >= 0;
}

static bool
has_priority(const struct ticket_filter *f)
{
	return f->priority >= 0;
}

static bool
has_assignee(const struct ticket_filter *f)
{
	return f->assignee_id != 0;
}

static bool
has_service(const struct ticket_filter *f)
{
	return f->service_id != 0;
}

/* The query's own filters, each there when the caller gave its value. */
static const struct {
	enum ticket_frag	 frag;
	bool			(*given)(const struct ticket_filter *);
} optional[] = {
	{ TQF_STATUS, has_status },
	{ TQF_PRIORITY, has_priority },
	{ TQF_ASSIGNEE, has_assignee },
	{ TQF_SERVICE, has_service },
};

#define TQ_ALL_BITS	(TQ_BIT(TQF__MAX) - 1)

uint32_t
db_ticket_query_mask(const struct ticket_filter *f)
{
	uint32_t	 mask = 0;
	size_t		 i;

	if ((unsigned)f->view < TVIEW__MAX)
		mask |= view_bits[f->view];
	if ((unsigned)f->subset < TSUB__MAX)
		mask |= subset_bits[f->subset];
	if (f->level >= 0 && f->level < SLA_LEVEL__MAX)
		mask |= level_bits[f->level];
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
		if (optional[i].given(f))
			mask |= TQ_BIT(optional[i].frag);
	return mask;
}

char *
db_ticket_query_compose(const char *head, uint32_t mask, const char *tail)
{
	static const char	 where[] = " WHERE ", and[] = " AND ";
	size_t			 len, n;
	char			*s, *p;
	int			 i;

	if (mask & ~TQ_ALL_BITS)
		return NULL;
	len = strlen(head) + strlen(where) + strlen(tail) + 1;
	for (i = 0; i < TQF__MAX; i++)
		if (mask & TQ_BIT(i))
			len += strlen(and) + strlen(frags[i].sql);
	if ((s = p = malloc(len)) == NULL)
		return NULL;
	p = stpcpy(p, head);
	for (n = 0, i = 0; i < TQF__MAX; i++)
		if (mask & TQ_BIT(i)) {
			p = stpcpy(p, n++ == 0 ? where : and);
			p = stpcpy(p, frags[i].sql);
		}
	stpcpy(p, tail);
	return s;
}

static struct dbval
param_value(enum tq_param p, const struct ticket_filter *f)
{
	switch (p) {
	case TQP_UID:
		return DBI(f->uid);
	case TQP_NOW:
		return DBT(f->now);
	case TQP_STATUS:
		return DBS(ticket_status_name(f->status));
	case TQP_PRIORITY:
		return DBS(ticket_priority_name(f->priority));
	case TQP_ASSIGNEE:
		return DBI(f->assignee_id);
	case TQP_SERVICE:
		return DBI(f->service_id);
	default:
		return DBNULL;
	}
}

size_t
db_ticket_query_args(const struct ticket_filter *f, uint32_t mask,
    struct dbval *a)
{
	size_t	 n = 0;
	int	 i, j;

	for (i = 0; i < TQF__MAX; i++) {
		if (!(mask & TQ_BIT(i)))
			continue;
		for (j = 0; j < TQ_PARAMS_MAX &&
		    frags[i].params[j] != TQP_NONE; j++)
			if (n < TQ_ARGS_MAX)
				a[n++] = param_value(frags[i].params[j], f);
	}
	return n;
}

/*
 * The totals the kept analytics (sql/024, sql/028, sql/030) answer
 * exactly, for the masks whose rows are all of one scope or a sum of
 * scopes: one scope row instead of a count over an index range (23,000
 * rows for a priority and a level at 100,000 tickets; 60,000 past
 * high_at for the high-risk list).  A level is those at it or above
 * less those above it, each as of the last fold plus what passed since
 * (SINCE, as db_ticket_stats.c reads it); what passed since is
 * restricted to the view's tickets the way the scope rows are.
 */
#define KEPT_PARAMS_MAX 8

/* ? now, now, then also's. */
#define SINCE(c, also) "(SELECT COALESCE(SUM(IF(x." c " > f.fold_at, 1, " \
	"-1)), 0) FROM ticket_tally_fold f JOIN ticket_tallied x ON x." c \
	" > LEAST(f.fold_at, ?) AND x." c " <= GREATEST(f.fold_at, ?) " \
	"WHERE f.id = 1" also ")"
#define SUM_OF(c)	"COALESCE(SUM(g." c "), 0)"
#define FROM_SCOPE	" FROM ticket_tallies g WHERE "
#define EVERY		"g.scope = 0 AND g.uid = 0"
#define OF_PRIO		" AND x.priority = ?"
#define PRIO_SCOPE	"g.scope = 4 AND g.uid = " TALLY_PRIORITY_UID("?")
#define OF_CREATOR	" AND x.creator = ?"
#define OF_OWN		" AND (x.creator = ? OR x.assignee = ?)"
#define CREATED		"g.scope = 1 AND g.uid = ?"
#define ASSIGNED	"g.scope = 2 AND g.uid = ?"
/* Created or assigned: both, less those created and assigned. */
#define OWN		"g.scope IN (1, 2, 3) AND g.uid = ?"
#define OWN_SUM(c)	"COALESCE(SUM(IF(g.scope = 3, -g." c ", g." c ")), 0)"
/* Created, HIGH or CRITICAL (sql/030). */
#define CREATED_HIGH	"g.scope = 5 AND g.uid = ?"

#define BREACHED(also, scope) "SELECT " SUM_OF("p_breach") " + " \
	SINCE("breach_at", also) FROM_SCOPE scope
#define ABOVE(p, c, q, d, also, scope) "SELECT " SUM_OF(p) " - " SUM_OF(q) \
	" + " SINCE(c, also) " - " SINCE(d, also) FROM_SCOPE scope
#define SAFE(also, scope) "SELECT " SUM_OF("n") " - " SUM_OF("p_lvl1") \
	" - " SINCE("lvl1_at", also) FROM_SCOPE scope
/* Not resolved and past high_at: high_open_at (sql/024). ? now, now, also's */
#define HIGH_OPEN(sum, also, scope) "SELECT " sum("p_high_open") " + " \
	SINCE("high_open_at", also) FROM_SCOPE scope
#define NOW2		TQP_NOW, TQP_NOW
#define NOW2P		TQP_NOW, TQP_NOW, TQP_PRIORITY
#define NOW2U		TQP_NOW, TQP_NOW, TQP_UID

static const struct kept_count {
	uint32_t	 mask;
	const char	*sql;
	enum tq_param	 params[KEPT_PARAMS_MAX];
} kept[] = {
	/* A Manager's whole list: the exact count sql/021 keeps. */
	{ 0, "SELECT n FROM counters WHERE name = 'tickets'", { TQP_NONE } },
	{ TQ_BIT(TQF_VIEW_CREATED), "SELECT " SUM_OF("n") FROM_SCOPE CREATED,
	    { TQP_UID } },
	{ TQ_BIT(TQF_VIEW_ASSIGNED), "SELECT " SUM_OF("n") FROM_SCOPE ASSIGNED,
	    { TQP_UID } },
	/* Created or assigned: both, less those created and assigned. */
	{ TQ_BIT(TQF_VIEW_OWN), "SELECT " OWN_SUM("n") FROM_SCOPE OWN,
	    { TQP_UID } },
	{ TQ_BIT(TQF_ASSIGNEE), "SELECT " SUM_OF("n") FROM_SCOPE ASSIGNED,
	    { TQP_ASSIGNEE } },
	{ TQ_BIT(TQF_PRIORITY), "SELECT " SUM_OF("n") FROM_SCOPE PRIO_SCOPE,
	    { TQP_PRIORITY } },
	{ TQ_BIT(TQF_LEVEL_BREACHED), BREACHED("", EVERY), { NOW2 } },
	{ TQ_BIT(TQF_LEVEL_HIGH_RISK), ABOVE("p_lvl2", "lvl2_at", "p_breach",
	    "breach_at", "", EVERY), { NOW2, NOW2 } },
	{ TQ_BIT(TQF_LEVEL_WARNING), ABOVE("p_lvl1", "lvl1_at", "p_lvl2",
	    "lvl2_at", "", EVERY), { NOW2, NOW2 } },
	{ TQ_BIT(TQF_LEVEL_SAFE), SAFE("", EVERY), { NOW2 } },
	{ TQ_BIT(TQF_PRIORITY) | TQ_BIT(TQF_LEVEL_BREACHED),
	    BREACHED(OF_PRIO, PRIO_SCOPE), { NOW2P, TQP_PRIORITY } },
	{ TQ_BIT(TQF_PRIORITY) | TQ_BIT(TQF_LEVEL_HIGH_RISK),
	    ABOVE("p_lvl2", "lvl2_at", "p_breach", "breach_at", OF_PRIO,
	    PRIO_SCOPE), { NOW2P, NOW2P, TQP_PRIORITY } },
	{ TQ_BIT(TQF_PRIORITY) | TQ_BIT(TQF_LEVEL_WARNING),
	    ABOVE("p_lvl1", "lvl1_at", "p_lvl2", "lvl2_at", OF_PRIO,
	    PRIO_SCOPE), { NOW2P, NOW2P, TQP_PRIORITY } },
	{ TQ_BIT(TQF_PRIORITY) | TQ_BIT(TQF_LEVEL_SAFE),
	    SAFE(OF_PRIO, PRIO_SCOPE), { NOW2P, TQP_PRIORITY } },
	/* /api/tickets/high-risk, for each view it is read in. */
	{ TQ_BIT(TQF_HIGH_RISK), HIGH_OPEN(SUM_OF, "", EVERY), { NOW2 } },
	{ TQ_BIT(TQF_VIEW_CREATED) | TQ_BIT(TQF_HIGH_RISK),
	    HIGH_OPEN(SUM_OF, OF_CREATOR, CREATED), { NOW2U, TQP_UID } },
	{ TQ_BIT(TQF_VIEW_OWN) | TQ_BIT(TQF_HIGH_RISK),
	    HIGH_OPEN(OWN_SUM, OF_OWN, OWN),
	    { NOW2U, TQP_UID, TQP_UID } },
	/* /api/tickets/escalated: a Manager's, a Senior Technician's. */
	{ TQ_BIT(TQF_ESCALATED), "SELECT " SUM_OF("n_escalated") FROM_SCOPE
	    EVERY, { TQP_NONE } },
	{ TQ_BIT(TQF_VIEW_ASSIGNED) | TQ_BIT(TQF_ESCALATED),
	    "SELECT " SUM_OF("n_escalated") FROM_SCOPE ASSIGNED, { TQP_UID } },
	/* The caller's own subsets (/api/users/tickets/...). */
	{ TQ_BIT(TQF_VIEW_CREATED) | TQ_BIT(TQF_ACTIVE), "SELECT "
	    "COALESCE(SUM(g.n - g.n_resolved), 0)" FROM_SCOPE CREATED,
	    { TQP_UID } },
	{ TQ_BIT(TQF_VIEW_CREATED) | TQ_BIT(TQF_HIGH_PRIORITY), "SELECT "
	    SUM_OF("n") FROM_SCOPE CREATED_HIGH, { TQP_UID } },
	{ TQ_BIT(TQF_VIEW_CREATED) | TQ_BIT(TQF_BREACHED),
	    BREACHED(OF_CREATOR, CREATED), { NOW2U, TQP_UID } },
	{ TQ_BIT(TQF_VIEW_CREATED) | TQ_BIT(TQF_CLOSED), "SELECT "
	    SUM_OF("n_resolved") FROM_SCOPE CREATED, { TQP_UID } },
};

#define NKEPT	(sizeof(kept) / sizeof(kept[0]))

size_t
db_ticket_query_count_args(const struct ticket_filter *f,
    const struct ticket_query *q, struct dbval *a)
{
	const struct kept_count	*k;
	size_t			 n;

	if (q->kept < 0 || (size_t)q->kept >= NKEPT)
		return db_ticket_query_args(f, q->mask, a);
	k = &kept[q->kept];
	for (n = 0; n < KEPT_PARAMS_MAX && k->params[n] != TQP_NONE; n++)
		a[n] = param_value(k->params[n], f);
	return n;
}

/*
 * One statement a page: its rows, each with the filtered total (the
 * count, or the kept total, as a subquery) in a last column.  A first
 * page reads its rows at once.  A later page reads its ids first,
 * walking the filter's index up to the offset (ids only: no row read,
 * no assignee joined for the rows skipped), then those rows with their
 * assignees; a Manager's whole list walks ix_tickets_newest (sql/028),
 * ids alone, rather than the primary key's leaves of whole rows.  Its
 * total is a one-row table that the page joins: a page past the end is
 * that row alone, its ticket columns NULL.  Its rows come in no
 * promised order: an ORDER BY over the join would sort whole rows
 * (blobs and all) through a temporary table; db_ticket_list sorts the
 * page's few instead.
 */
#define PAGE_TAIL	" ORDER BY t.id DESC LIMIT ? OFFSET ?"
#define PAGE_FROM(hint)	") FROM tickets t" hint \
	" LEFT JOIN users a ON a.id = t.assignee_id "
#define DEEP_IDS	") AS total) c LEFT JOIN (SELECT t.id FROM tickets t"
#define DEEP_TAIL	PAGE_TAIL ") k ON TRUE " \
	"LEFT JOIN tickets t ON t.id = k.id " \
	"LEFT JOIN users a ON a.id = t.assignee_id"
#define WALK(mask, hint)	{ (mask), PAGE_FROM(hint), DEEP_IDS hint }
#define BY_CREATOR	" FORCE INDEX (ix_tickets_creator)"
#define MINE		TQ_BIT(TQF_VIEW_CREATED)

/*
 * The index a page walks where MariaDB's own choice may read far more
 * (what follows the total in a first page, and a later page's ids
 * subquery); every other mask leaves it to MariaDB.  A Manager's later
 * page: the ids alone (sql/028).  The caller's own and their subsets:
 * the caller's tickets newest first, at most all of them.  Over two
 * loads of the bench's tickets MariaDB chose differently, one of them
 * the primary key, every ticket, for most of these (1,300-2,600 rows
 * for a first page of 100 at 100,000 tickets with the caller's one in
 * 13, where the caller's own index reads 100-250).  Closed: the
 * caller's resolved ones in order (sql/030).
 */
static const struct page_walk {
	uint32_t	 mask;
	const char	*page_from;	/* after the total */
	const char	*deep_ids;
} walks[] = {
	{ 0, PAGE_FROM(""), DEEP_IDS " FORCE INDEX (ix_tickets_newest)" },
	WALK(MINE, BY_CREATOR),
	WALK(MINE | TQ_BIT(TQF_ACTIVE), BY_CREATOR),
	WALK(MINE | TQ_BIT(TQF_HIGH_PRIORITY), BY_CREATOR),
	WALK(MINE | TQ_BIT(TQF_BREACHED), BY_CREATOR),
	WALK(MINE | TQ_BIT(TQF_CLOSED),
	    " FORCE INDEX (ix_tickets_creator_status)"),
};
static const struct page_walk	 any_walk = { 0, PAGE_FROM(""), DEEP_IDS };

static const struct page_walk *
walk_of(uint32_t mask)
{
	size_t	 i;

	for (i = 0; i < sizeof(walks) / sizeof(walks[0]); i++)
		if (walks[i].mask == mask)
			return &walks[i];
	return &any_walk;
}

/* a, b and c as one malloc'd string, or NULL. */
static char *
concat3(const char *a, const char *b, const char *c)
{
	size_t	 la = strlen(a), lb = strlen(b), lc = strlen(c);
	char	*s;

	if ((s = malloc(la + lb + lc + 1)) == NULL)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, c, lc + 1);
	return s;
}

/* The page statements of mask with total (a SELECT) in their last column. */
static int
pages_make(struct ticket_query *q, uint32_t mask, const char *total)
{
	const struct page_walk	*w = walk_of(mask);
	char			*head;

	q->page = q->deep = NULL;
	if ((head = concat3("SELECT " TICKET_COLS ", (", total,
	    w->page_from)) != NULL)
		q->page = db_ticket_query_compose(head, mask, PAGE_TAIL);
	free(head);
	if ((head = concat3("SELECT " TICKET_COLS ", c.total FROM (SELECT (",
	    total, w->deep_ids)) != NULL)
		q->deep = db_ticket_query_compose(head, mask, DEEP_TAIL);
	free(head);
	if (q->page == NULL || q->deep == NULL) {
		free((char *)q->page);
		free((char *)q->deep);
		return -1;
	}
	return 0;
}

/*
 * The composed statements of every mask used so far.  Never freed:
 * db.c's cache keys by address, so a text must outlive every
 * connection that prepared it.  A mutex, though the web workers are
 * processes: the library may be used from threads.
 */
static struct ticket_query	*made;
static size_t			 nmade, capmade;
static pthread_mutex_t		 made_lock = PTHREAD_MUTEX_INITIALIZER;

static int
query_make(struct ticket_query *q, uint32_t mask)
{
	char	*count = NULL;
	size_t	 i;

	for (i = 0; i < NKEPT && kept[i].mask != mask; i++)
		;
	if (i == NKEPT && (count = db_ticket_query_compose(
	    "SELECT COUNT(*) FROM tickets t", mask, "")) == NULL)
		return -1;
	q->mask = mask;
	q->count = count != NULL ? count : kept[i].sql;
	q->kept = i < NKEPT ? (int)i : -1;
	if (pages_make(q, mask, q->count) == -1) {
		free(count);
		return -1;
	}
	return 0;
}

int
db_ticket_query_get(uint32_t mask, struct ticket_query *out)
{
	struct ticket_query	*grown;
	size_t			 i, ncap;
	int			 rc = -1;

	pthread_mutex_lock(&made_lock);
	for (i = 0; i < nmade; i++)
		if (made[i].mask == mask)
			break;
	if (i == nmade && nmade == capmade) {
		ncap = capmade ? capmade * 2 : 16;
		if ((grown = reallocarray(made, ncap, sizeof(*made))) == NULL)
			goto out;
		made = grown;
		capmade = ncap;
	}
	if (i == nmade && query_make(&made[nmade++], mask) == -1) {
		nmade--;
		goto out;
	}
	*out = made[i];
	rc = 0;
out:
	pthread_mutex_unlock(&made_lock);
	if (rc == -1)
		log_warnx("%s: mask %#x: cannot compose", __func__, mask);
	return rc;
}
