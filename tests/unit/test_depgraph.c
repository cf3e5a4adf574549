/*
 * core/depgraph: no cycle, the direct and the longer cycle with the
 * path named from the edited service, self-dependency, a cycle that
 * does not pass through self (ignored), self's old edges (ignored),
 * the shortest path and the smaller id on ties, a truncated buffer,
 * and a 10000-node chain.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "core/depgraph.h"
#include "suites.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_depgraph_no_deps(void)
{
	static const struct dep_edge e[] = { { 5, 3 } };
	char	 buf[64] = "junk";

	CU_ASSERT_EQUAL(depgraph_cycle(3, NULL, 0, e, N(e), buf, sizeof(buf)),
	    0);
	CU_ASSERT_STRING_EQUAL(buf, "");
}

static void
test_depgraph_no_cycle(void)
{
	static const struct dep_edge e[] = { { 5, 6 }, { 6, 7 }, { 8, 3 } };
	static const long long deps[] = { 5, 9 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	/* No edges at all. */
	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), NULL, 0, buf,
	    sizeof(buf)), 0);
}

static void
test_depgraph_direct(void)
{
	static const struct dep_edge e[] = { { 5, 3 } };
	static const long long deps[] = { 5 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "3 -> 5 -> 3");
}

static void
test_depgraph_longer(void)
{
	static const struct dep_edge e[] = {
		{ 10, 11 }, { 11, 12 }, { 12, 1 }, { 20, 10 },
	};
	static const long long deps[] = { 20 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(1, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "1 -> 20 -> 10 -> 11 -> 12 -> 1");
}

static void
test_depgraph_self(void)
{
	static const long long deps[] = { 4, 7 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(7, deps, N(deps), NULL, 0, buf,
	    sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "7 -> 7");
}

/* 8 -> 9 -> 8 exists already; giving 3 a dependency on 8 adds none. */
static void
test_depgraph_other_cycle_ignored(void)
{
	static const struct dep_edge e[] = { { 8, 9 }, { 9, 8 }, { 9, 10 } };
	static const long long deps[] = { 8 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
}

/* 3's current edge 3 -> 5 is being replaced: it does not count. */
static void
test_depgraph_old_edges_ignored(void)
{
	static const struct dep_edge e[] = { { 3, 5 }, { 5, 6 }, { 6, 3 } };
	static const long long deps[] = { 7 };
	static const long long deps6[] = { 6 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 0);
	/* A new dependency on 6 still closes 3 -> 6 -> 3. */
	CU_ASSERT_EQUAL(depgraph_cycle(3, deps6, N(deps6), e, N(e), buf,
	    sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "3 -> 6 -> 3");
}

/* Of two cycles through different deps, the shorter one is named. */
static void
test_depgraph_shortest(void)
{
	static const struct dep_edge e[] = {
		{ 2, 4 }, { 4, 6 }, { 6, 1 },	/* 1 -> 2 -> 4 -> 6 -> 1 */
		{ 9, 8 }, { 8, 1 },		/* 1 -> 9 -> 8 -> 1 */
	};
	static const long long deps[] = { 9, 2 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(1, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "1 -> 9 -> 8 -> 1");
}

/* Equal lengths: the smaller ids win, whatever the input order. */
static void
test_depgraph_ties_smaller_id(void)
{
	static const struct dep_edge e[] = {
		{ 30, 1 }, { 20, 1 }, { 5, 30 }, { 5, 20 }, { 4, 30 },
	};
	static const long long deps[] = { 5, 4 };
	static const long long deps5[] = { 5 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(1, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "1 -> 4 -> 30 -> 1");
	CU_ASSERT_EQUAL(depgraph_cycle(1, deps5, N(deps5), e, N(e), buf,
	    sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "1 -> 5 -> 20 -> 1");
}

/* Duplicate deps and edges change nothing. */
static void
test_depgraph_duplicates(void)
{
	static const struct dep_edge e[] = { { 5, 3 }, { 5, 3 }, { 6, 5 } };
	static const long long deps[] = { 6, 6, 5, 5 };
	char	 buf[64];

	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 1);
	CU_ASSERT_STRING_EQUAL(buf, "3 -> 5 -> 3");
}

static void
test_depgraph_truncates(void)
{
	static const struct dep_edge e[] = { { 123456, 3 } };
	static const long long deps[] = { 123456 };
	char	 buf[8];

	memset(buf, 'z', sizeof(buf));
	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), e, N(e), buf,
	    sizeof(buf)), 1);
	CU_ASSERT_EQUAL(strlen(buf), sizeof(buf) - 1);
	CU_ASSERT_STRING_EQUAL(buf, "3 -> 12");
	/* No buffer at all: still the answer. */
	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), e, N(e), NULL, 0), 1);
	CU_ASSERT_EQUAL(depgraph_cycle(3, deps, N(deps), e, N(e), buf, 0), 1);
}

/* 1 -> 2 -> ... -> 10000; giving 10000 a dependency on 1 closes it. */
static void
test_depgraph_large_chain(void)
{
	const size_t	 n = 10000;
	struct dep_edge	*e;
	long long	 dep = 1, nodep = 10001;
	const char	*tail = " -> 9999 -> 10000";
	char		*buf;
	size_t		 i, len;
	clock_t		 t0;

	e = calloc(n - 1, sizeof(e[0]));
	buf = malloc(128 * 1024);
	CU_ASSERT_FATAL(e != NULL && buf != NULL);
	/* Reversed so that the sort has work to do. */
	for (i = 0; i < n - 1; i++) {
		e[i].from = (long long)(n - 1 - i);
		e[i].to = (long long)(n - i);
	}
	t0 = clock();
	CU_ASSERT_EQUAL(depgraph_cycle((long long)n, &dep, 1, e, n - 1, buf,
	    128 * 1024), 1);
	CU_ASSERT_EQUAL(depgraph_cycle((long long)n, &nodep, 1, e, n - 1, buf,
	    128 * 1024), 0);
	/* Generous: it takes milliseconds; quadratic would take seconds. */
	CU_ASSERT((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	CU_ASSERT_EQUAL(depgraph_cycle((long long)n, &dep, 1, e, n - 1, buf,
	    128 * 1024), 1);
	CU_ASSERT_EQUAL(strncmp(buf, "10000 -> 1 -> 2 -> 3 -> ", 24), 0);
	len = strlen(buf);
	CU_ASSERT(len > strlen(tail) &&
	    strcmp(buf + len - strlen(tail), tail) == 0);
	free(buf);
	free(e);
}

static const struct unit_test tests[] = {
	{ "no_deps", test_depgraph_no_deps },
	{ "no_cycle", test_depgraph_no_cycle },
	{ "direct", test_depgraph_direct },
	{ "longer", test_depgraph_longer },
	{ "self", test_depgraph_self },
	{ "other_cycle_ignored", test_depgraph_other_cycle_ignored },
	{ "old_edges_ignored", test_depgraph_old_edges_ignored },
	{ "shortest", test_depgraph_shortest },
	{ "ties_smaller_id", test_depgraph_ties_smaller_id },
	{ "duplicates", test_depgraph_duplicates },
	{ "truncates", test_depgraph_truncates },
	{ "large_chain", test_depgraph_large_chain },
};

int
suite_depgraph(void)
{
	return UNIT_SUITE("depgraph", tests);
}
