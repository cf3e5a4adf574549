/*
 * core/tickettally: a view's scope rows, and the risk distribution from
 * the counts kept per instant.
 */
#include "config.h"

#include <CUnit/CUnit.h>

#include "core/tickettally.h"
#include "suites.h"

static void
test_tickettally_terms_all(void)
{
	struct tally_term	 t[TALLY_TERMS];
	int			 i;

	tally_terms(false, false, 42, t);
	for (i = 0; i < TALLY_TERMS; i++) {
		CU_ASSERT_EQUAL(t[i].scope, TALLY_ALL);
		CU_ASSERT_EQUAL(t[i].uid, 0);
	}
}

static void
test_tickettally_terms_created(void)
{
	struct tally_term	 t[TALLY_TERMS];
	int			 i;

	tally_terms(true, false, 42, t);
	for (i = 0; i < TALLY_TERMS; i++) {
		CU_ASSERT_EQUAL(t[i].scope, TALLY_CREATED);
		CU_ASSERT_EQUAL(t[i].uid, 42);
	}
}

static void
test_tickettally_terms_assigned(void)
{
	struct tally_term	 t[TALLY_TERMS];
	int			 i;

	tally_terms(false, true, 7, t);
	for (i = 0; i < TALLY_TERMS; i++) {
		CU_ASSERT_EQUAL(t[i].scope, TALLY_ASSIGNED);
		CU_ASSERT_EQUAL(t[i].uid, 7);
	}
}

/* Created or assigned: both sets, and the overlap to subtract. */
static void
test_tickettally_terms_own(void)
{
	struct tally_term	 t[TALLY_TERMS];

	tally_terms(true, true, 9, t);
	CU_ASSERT_EQUAL(t[0].scope, TALLY_CREATED);
	CU_ASSERT_EQUAL(t[1].scope, TALLY_ASSIGNED);
	CU_ASSERT_EQUAL(t[2].scope, TALLY_SELF);
	CU_ASSERT_EQUAL(t[0].uid, 9);
	CU_ASSERT_EQUAL(t[1].uid, 9);
	CU_ASSERT_EQUAL(t[2].uid, 9);
}

/* 10 tickets: 2 breached, 3 more at 75 %, 1 more at 50 %, 4 safe. */
static void
test_tickettally_levels(void)
{
	long long	 l[SLA_LEVEL__MAX];

	tally_levels(10, 6, 5, 2, l);
	CU_ASSERT_EQUAL(l[SLA_BREACHED], 2);
	CU_ASSERT_EQUAL(l[SLA_HIGH_RISK], 3);
	CU_ASSERT_EQUAL(l[SLA_WARNING], 1);
	CU_ASSERT_EQUAL(l[SLA_SAFE], 4);
}

static void
test_tickettally_levels_none(void)
{
	long long	 l[SLA_LEVEL__MAX];

	tally_levels(0, 0, 0, 0, l);
	CU_ASSERT_EQUAL(l[SLA_SAFE], 0);
	CU_ASSERT_EQUAL(l[SLA_WARNING], 0);
	CU_ASSERT_EQUAL(l[SLA_HIGH_RISK], 0);
	CU_ASSERT_EQUAL(l[SLA_BREACHED], 0);
}

static const struct unit_test tests[] = {
	{ "test_tickettally_terms_all", test_tickettally_terms_all },
	{ "test_tickettally_terms_created", test_tickettally_terms_created },
	{ "test_tickettally_terms_assigned", test_tickettally_terms_assigned },
	{ "test_tickettally_terms_own", test_tickettally_terms_own },
	{ "test_tickettally_levels", test_tickettally_levels },
	{ "test_tickettally_levels_none", test_tickettally_levels_none },
};

int
suite_tickettally(void)
{
	return UNIT_SUITE("tickettally", tests);
}
