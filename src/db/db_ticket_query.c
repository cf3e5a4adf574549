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
 * The composed statements of every mask used so far.  Never freed:
 * db.c's cache keys by address, so a text must outlive every
 * connection that prepared it.  A mutex, though the web workers are
 * processes: the library may be used from threads.
 */
static struct ticket_query	*made;
static size_t			 nmade, capmade;
static pthread_mutex_t		 made_lock = PTHREAD_MUTEX_INITIALIZER;

/* A Manager's whole list: the exact count sql/021 keeps. */
static const char SQL_COUNTER[] =
    "SELECT n FROM counters WHERE name = 'tickets'";

static int
query_make(struct ticket_query *q, uint32_t mask)
{
	char	*count = NULL, *page;

	if (mask != 0 && (count = db_ticket_query_compose(
	    "SELECT COUNT(*) FROM tickets t", mask, "")) == NULL)
		return -1;
	if ((page = db_ticket_query_compose("SELECT " TICKET_COLS TICKET_FROM,
	    mask, " ORDER BY t.id DESC LIMIT ? OFFSET ?")) == NULL) {
		free(count);
		return -1;
	}
	q->mask = mask;
	q->count = count != NULL ? count : SQL_COUNTER;
	q->page = page;
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
