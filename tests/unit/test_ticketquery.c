/*
 * db/db_ticket_query: which fragments a ticket filter yields, the text
 * they compose, that the parameters bound match the placeholders for
 * every combination the routes can send, and that one combination is
 * one text (db.c's statement cache keys by address).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/slaclock.h"
#include "core/ticket.h"
#include "db/db.h"
#include "db/db_ticket.h"
#include "db/db_ticket_query.h"
#include "suites.h"

#define NOW	((time_t)1774861200)

static struct ticket_filter
filter(enum ticket_view view, enum ticket_subset subset)
{
	struct ticket_filter	 f;

	memset(&f, 0, sizeof(f));
	f.view = view;
	f.uid = 7;
	f.subset = subset;
	f.status = f.priority = f.level = -1;
	f.now = NOW;
	return f;
}

static size_t
placeholders(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += *s == '?';
	return n;
}

static char *
where_of(uint32_t mask)
{
	return db_ticket_query_compose("", mask, "");
}

static void
test_ticketquery_manager_unfiltered_has_no_fragment(void)
{
	struct ticket_filter	 f = filter(TVIEW_ALL, TSUB_ANY);
	char			*s;

	CU_ASSERT_EQUAL(db_ticket_query_mask(&f), 0);
	s = db_ticket_query_compose("SELECT 1 FROM tickets t", 0, " LIMIT 1");
	CU_ASSERT_STRING_EQUAL(s, "SELECT 1 FROM tickets t LIMIT 1");
	free(s);
}

static void
set_status(struct ticket_filter *f)
{
	f->status = TSTATUS_ESCALATED;
}

static void
set_priority(struct ticket_filter *f)
{
	f->priority = PRIO_HIGH;
}

static void
set_assignee(struct ticket_filter *f)
{
	f->assignee_id = 12;
}

static void
set_service(struct ticket_filter *f)
{
	f->service_id = 3;
}

static void
test_ticketquery_each_filter_alone(void)
{
	static const struct {
		void		 (*set)(struct ticket_filter *);
		enum ticket_frag frag;
		const char	*where;
	} rows[] = {
		{ set_status, TQF_STATUS, " WHERE t.status = ?" },
		{ set_priority, TQF_PRIORITY, " WHERE t.priority = ?" },
		{ set_assignee, TQF_ASSIGNEE, " WHERE t.assignee_id = ?" },
		{ set_service, TQF_SERVICE, " WHERE t.service_id = ?" },
	};
	struct ticket_filter	 f;
	size_t			 i;
	char			*s;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		f = filter(TVIEW_ALL, TSUB_ANY);
		rows[i].set(&f);
		CU_ASSERT_EQUAL(db_ticket_query_mask(&f), TQ_BIT(rows[i].frag));
		s = where_of(db_ticket_query_mask(&f));
		CU_ASSERT_STRING_EQUAL(s, rows[i].where);
		free(s);
	}
}

static void
test_ticketquery_views_subsets_levels(void)
{
	static const uint32_t	 views[TVIEW__MAX] = {
		0, TQ_BIT(TQF_VIEW_OWN), TQ_BIT(TQF_VIEW_CREATED),
		TQ_BIT(TQF_VIEW_ASSIGNED),
	};
	static const uint32_t	 levels[SLA_LEVEL__MAX] = {
		TQ_BIT(TQF_LEVEL_SAFE), TQ_BIT(TQF_LEVEL_WARNING),
		TQ_BIT(TQF_LEVEL_HIGH_RISK), TQ_BIT(TQF_LEVEL_BREACHED),
	};
	struct ticket_filter	 f;
	int			 i;

	for (i = 0; i < TVIEW__MAX; i++) {
		f = filter(i, TSUB_ANY);
		CU_ASSERT_EQUAL(db_ticket_query_mask(&f), views[i]);
	}
	for (i = 0; i < SLA_LEVEL__MAX; i++) {
		f = filter(TVIEW_ALL, TSUB_ANY);
		f.level = i;
		CU_ASSERT_EQUAL(db_ticket_query_mask(&f), levels[i]);
	}
	f = filter(TVIEW_CREATED, TSUB_CLOSED);
	CU_ASSERT_EQUAL(db_ticket_query_mask(&f),
	    TQ_BIT(TQF_VIEW_CREATED) | TQ_BIT(TQF_CLOSED));
	for (i = TSUB_ACTIVE; i < TSUB__MAX; i++) {
		f = filter(TVIEW_ALL, i);
		CU_ASSERT_EQUAL(__builtin_popcount(db_ticket_query_mask(&f)), 1);
	}
}

/* A level is a range on one instant first (its index), then the rest. */
static void
test_ticketquery_level_is_a_range(void)
{
	char	*s;

	s = where_of(TQ_BIT(TQF_LEVEL_BREACHED));
	CU_ASSERT_STRING_EQUAL(s, " WHERE t.breach_at <= ?");
	free(s);
	s = where_of(TQ_BIT(TQF_LEVEL_HIGH_RISK));
	CU_ASSERT_STRING_EQUAL(s, " WHERE t.high_at <= ? AND "
	    "(t.breach_at IS NULL OR t.breach_at > ?)");
	CU_ASSERT_PTR_NULL(strstr(s, "CASE"));
	free(s);
}

static void
test_ticketquery_args_in_statement_order(void)
{
	struct ticket_filter	 f = filter(TVIEW_OWN, TSUB_ANY);
	struct dbval		 a[TQ_ARGS_MAX];
	uint32_t		 mask;
	char			*s;

	f.status = TSTATUS_OPEN;
	f.level = SLA_HIGH_RISK;
	f.service_id = 99;
	mask = db_ticket_query_mask(&f);
	CU_ASSERT_EQUAL_FATAL(db_ticket_query_args(&f, mask, a), 6);
	CU_ASSERT_EQUAL(a[0].i, 7);		/* creator */
	CU_ASSERT_EQUAL(a[1].i, 7);		/* assignee */
	CU_ASSERT_EQUAL(a[2].type, DB_STR);
	CU_ASSERT_NSTRING_EQUAL(a[2].s, "OPEN", a[2].len);
	CU_ASSERT_EQUAL(a[3].t, NOW);
	CU_ASSERT_EQUAL(a[4].t, NOW);
	CU_ASSERT_EQUAL(a[5].i, 99);
	s = where_of(mask);
	CU_ASSERT_STRING_EQUAL(s, " WHERE (t.created_by_user_id = ? OR "
	    "t.assignee_id = ?) AND t.status = ? AND t.high_at <= ? AND "
	    "(t.breach_at IS NULL OR t.breach_at > ?) AND t.service_id = ?");
	free(s);
}

/* Every combination a route can send binds as many values as it has ?. */
static void
test_ticketquery_placeholders_match_args(void)
{
	struct ticket_filter	 f;
	struct ticket_query	 q;
	struct dbval		 a[TQ_ARGS_MAX];
	uint32_t		 mask;
	size_t			 n, nc;
	char			*s;
	int			 v, sub, st, pr, lv, as, sv, bad = 0;

	for (v = 0; v < TVIEW__MAX; v++)
	for (sub = 0; sub < TSUB__MAX; sub++)
	for (st = -1; st <= 0; st++)
	for (pr = -1; pr <= 0; pr++)
	for (lv = -1; lv < SLA_LEVEL__MAX; lv++)
	for (as = 0; as <= 1; as++)
	for (sv = 0; sv <= 1; sv++) {
		f = filter(v, sub);
		f.status = st;
		f.priority = pr;
		f.level = lv;
		f.assignee_id = as;
		f.service_id = sv;
		mask = db_ticket_query_mask(&f);
		n = db_ticket_query_args(&f, mask, a);
		if ((s = where_of(mask)) == NULL || placeholders(s) != n ||
		    n > TQ_ARGS_MAX)
			bad++;
		free(s);
		if (db_ticket_query_get(mask, &q) == -1 ||
		    (nc = db_ticket_query_count_args(&f, &q, a)) >
		    TQ_ARGS_MAX || placeholders(q.count) != nc ||
		    placeholders(q.page) != nc + n + 2 ||
		    placeholders(q.deep) != nc + n + 2)
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/*
 * The totals kept aggregates answer (sql/024, 028) read a scope row;
 * any other combination counts its rows.  The page walks ids first.
 */
static void
test_ticketquery_kept_totals(void)
{
	static const uint32_t	 kept[] = {
		TQ_BIT(TQF_VIEW_CREATED), TQ_BIT(TQF_VIEW_ASSIGNED),
		TQ_BIT(TQF_VIEW_OWN), TQ_BIT(TQF_ASSIGNEE), TQ_BIT(TQF_PRIORITY),
		TQ_BIT(TQF_LEVEL_SAFE), TQ_BIT(TQF_LEVEL_BREACHED),
		TQ_BIT(TQF_PRIORITY) | TQ_BIT(TQF_LEVEL_WARNING),
		TQ_BIT(TQF_PRIORITY) | TQ_BIT(TQF_LEVEL_HIGH_RISK),
	}, counted[] = {
		TQ_BIT(TQF_STATUS), TQ_BIT(TQF_SERVICE),
		TQ_BIT(TQF_VIEW_OWN) | TQ_BIT(TQF_LEVEL_BREACHED),
		TQ_BIT(TQF_ASSIGNEE) | TQ_BIT(TQF_PRIORITY),
		TQ_BIT(TQF_HIGH_RISK) | TQ_BIT(TQF_SERVICE),
	};
	struct ticket_query	 q;
	size_t			 i;

	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(kept[i], &q), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(q.count, "FROM ticket_tallies g"));
		CU_ASSERT_PTR_NULL(strstr(q.count, "COUNT(*)"));
		CU_ASSERT_TRUE(q.kept >= 0);
	}
	for (i = 0; i < sizeof(counted) / sizeof(counted[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(counted[i], &q), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(q.count,
		    "SELECT COUNT(*) FROM tickets t WHERE "));
		CU_ASSERT_EQUAL(q.kept, -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(q.deep, "(SELECT t.id FROM "
		    "tickets t WHERE "));
		CU_ASSERT_PTR_NULL(strstr(q.page, "(SELECT t.id"));
	}
}

/*
 * The subset routes' totals (sql/030), in every view each is read in:
 * a scope row and what passed since the fold, never a count.
 */
static void
test_ticketquery_subsets_kept(void)
{
	static const uint32_t	 created = TQ_BIT(TQF_VIEW_CREATED);
	static const uint32_t	 subsets[] = {
		TQ_BIT(TQF_HIGH_RISK), created | TQ_BIT(TQF_HIGH_RISK),
		TQ_BIT(TQF_VIEW_OWN) | TQ_BIT(TQF_HIGH_RISK),
		TQ_BIT(TQF_ESCALATED),
		TQ_BIT(TQF_VIEW_ASSIGNED) | TQ_BIT(TQF_ESCALATED),
		created | TQ_BIT(TQF_ACTIVE), created | TQ_BIT(TQF_HIGH_PRIORITY),
		created | TQ_BIT(TQF_BREACHED), created | TQ_BIT(TQF_CLOSED),
	};
	struct ticket_query	 q;
	size_t			 i;

	for (i = 0; i < sizeof(subsets) / sizeof(subsets[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(subsets[i], &q), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(q.count, "FROM ticket_tallies g"));
		CU_ASSERT_PTR_NULL(strstr(q.count, "COUNT(*)"));
		CU_ASSERT_PTR_NULL(strstr(q.count, "FROM tickets"));
		CU_ASSERT_TRUE(q.kept >= 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(q.page, q.count));
	}
	CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(created |
	    TQ_BIT(TQF_HIGH_PRIORITY), &q), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(q.count, "g.scope = 5"));
	/* The caller's subsets walk the caller's own, not every ticket. */
	CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(created | TQ_BIT(TQF_ACTIVE),
	    &q), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(q.page, "FROM tickets t FORCE INDEX "
	    "(ix_tickets_creator) LEFT JOIN"));
	CU_ASSERT_PTR_NOT_NULL(strstr(q.deep, "(SELECT t.id FROM tickets t "
	    "FORCE INDEX (ix_tickets_creator) WHERE "));
}

/* db.c keys prepared statements by address: one mask, one text. */
static void
test_ticketquery_one_text_per_mask(void)
{
	struct ticket_query	 q1, q2, q3;
	uint32_t		 m = TQ_BIT(TQF_STATUS) | TQ_BIT(TQF_ASSIGNEE);

	CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(m, &q1), 0);
	CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(TQ_BIT(TQF_SERVICE), &q3), 0);
	CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(m, &q2), 0);
	CU_ASSERT_PTR_EQUAL(q1.count, q2.count);
	CU_ASSERT_PTR_EQUAL(q1.page, q2.page);
	CU_ASSERT_PTR_NOT_EQUAL(q1.page, q3.page);
	CU_ASSERT_EQUAL(placeholders(q1.count), 2);
	/* The count's, the fragments', LIMIT and OFFSET. */
	CU_ASSERT_EQUAL(placeholders(q1.page), 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(q1.page, " ORDER BY t.id DESC "
	    "LIMIT ? OFFSET ?"));
	CU_ASSERT_PTR_NOT_NULL(strstr(q1.page, q1.count));
	CU_ASSERT_PTR_NOT_NULL(strstr(q1.deep, q1.count));
}

/* A Manager's whole list counts nothing: it reads the kept counter. */
static void
test_ticketquery_unfiltered_total_is_the_counter(void)
{
	struct ticket_query	 q;

	CU_ASSERT_EQUAL_FATAL(db_ticket_query_get(0, &q), 0);
	CU_ASSERT_STRING_EQUAL(q.count,
	    "SELECT n FROM counters WHERE name = 'tickets'");
	CU_ASSERT_PTR_NULL(strstr(q.page, "WHERE t."));
	CU_ASSERT_PTR_NOT_NULL(strstr(q.deep, "FORCE INDEX (ix_tickets_newest)"));
}

static void
test_ticketquery_unknown_bit_refused(void)
{
	struct ticket_query	 q;

	CU_ASSERT_PTR_NULL(db_ticket_query_compose("", TQ_BIT(TQF__MAX), ""));
	CU_ASSERT_EQUAL(db_ticket_query_get(TQ_BIT(TQF__MAX), &q), -1);
}

static const struct unit_test tests[] = {
	{ "test_ticketquery_manager_unfiltered_has_no_fragment",
	    test_ticketquery_manager_unfiltered_has_no_fragment },
	{ "test_ticketquery_each_filter_alone",
	    test_ticketquery_each_filter_alone },
	{ "test_ticketquery_views_subsets_levels",
	    test_ticketquery_views_subsets_levels },
	{ "test_ticketquery_level_is_a_range",
	    test_ticketquery_level_is_a_range },
	{ "test_ticketquery_kept_totals", test_ticketquery_kept_totals },
	{ "test_ticketquery_subsets_kept", test_ticketquery_subsets_kept },
	{ "test_ticketquery_args_in_statement_order",
	    test_ticketquery_args_in_statement_order },
	{ "test_ticketquery_placeholders_match_args",
	    test_ticketquery_placeholders_match_args },
	{ "test_ticketquery_one_text_per_mask",
	    test_ticketquery_one_text_per_mask },
	{ "test_ticketquery_unfiltered_total_is_the_counter",
	    test_ticketquery_unfiltered_total_is_the_counter },
	{ "test_ticketquery_unknown_bit_refused",
	    test_ticketquery_unknown_bit_refused },
};

int
suite_ticketquery(void)
{
	return UNIT_SUITE("ticketquery", tests);
}
