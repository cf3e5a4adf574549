/*
 * core/riskwindow: the span over which the 7-day downtime factor keeps
 * its verdict, at the corners the rule has (a downtime growing past 120
 * minutes, one sliding out of the window), and against brute force: no
 * instant inside a span has the other verdict, and the instants just
 * outside it (unless the horizon ends it) do.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

#include "core/risk.h"
#include "core/riskwindow.h"
#include "core/uptime.h"
#include "suites.h"

#define T0	((time_t)1900000000)
#define MIN	60
#define H	RISK_WINDOW_HORIZON
#define W	RISK_WINDOW_SECONDS

static bool
verdict_at(const struct interval *dt, size_t n, time_t t)
{
	return risk_downtime_factor(downtime_minutes_since(dt, n, t - W, t));
}

/* No downtime: no verdict can change; the horizon bounds the span. */
static void
test_riskwindow_none(void)
{
	time_t	 from, until;

	risk_window_span(NULL, 0, T0, &from, &until);
	CU_ASSERT_EQUAL(from, T0 - H);
	CU_ASSERT_EQUAL(until, T0 + H);
}

/* 130 minutes, closed: the factor holds from its 121st minute on. */
static void
test_riskwindow_closed_grows(void)
{
	struct interval	 dt[] = { { T0, T0 + 130 * MIN } };
	time_t		 from, until;

	risk_window_span(dt, 1, T0 + 3 * 3600, &from, &until);
	CU_ASSERT_EQUAL(from, T0 + 121 * MIN);
	CU_ASSERT_EQUAL(until, T0 + 3 * 3600 + H);
}

/* Sliding out of the window: 130 - 9 minutes left is too few. */
static void
test_riskwindow_slides_out(void)
{
	struct interval	 dt[] = { { T0, T0 + 130 * MIN } };
	time_t		 from, until;

	risk_window_span(dt, 1, T0 + W, &from, &until);
	CU_ASSERT_EQUAL(from, T0 + W - H);
	CU_ASSERT_EQUAL(until, T0 + W + 9 * MIN + 1);
	CU_ASSERT_TRUE(verdict_at(dt, 1, until - 1));
	CU_ASSERT_FALSE(verdict_at(dt, 1, until));
}

/* Open: not yet 121 minutes at now; the span ends when it is. */
static void
test_riskwindow_open(void)
{
	struct interval	 dt[] = { { T0, 0 } };
	time_t		 from, until;

	risk_window_span(dt, 1, T0 + 60 * MIN, &from, &until);
	CU_ASSERT_EQUAL(from, T0 + 60 * MIN - H);
	CU_ASSERT_EQUAL(until, T0 + 121 * MIN);
}

/* A downtime that starts after now counts only from its start. */
static void
test_riskwindow_future(void)
{
	struct interval	 dt[] = { { T0 + 3600, T0 + 3600 + 200 * MIN } };
	time_t		 from, until;

	risk_window_span(dt, 1, T0, &from, &until);
	CU_ASSERT_FALSE(verdict_at(dt, 1, T0));
	CU_ASSERT_EQUAL(from, T0 - H);
	CU_ASSERT_EQUAL(until, T0 + 3600 + 121 * MIN);
}

static uint32_t
next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Brute force over random services: every instant of every span. */
static void
test_riskwindow_brute_force(void)
{
	struct interval	 dt[6];
	uint32_t	 seed = 13;
	time_t		 now, from, until, t;
	size_t		 n, i;
	int		 round;
	bool		 v, ok = true;

	for (round = 0; round < 60 && ok; round++) {
		n = next_rand(&seed) % 6;
		now = T0 + (time_t)(next_rand(&seed) % (10 * 86400));
		for (i = 0; i < n; i++) {
			dt[i].start = T0 + (time_t)(next_rand(&seed) % (10 * 86400));
			dt[i].end = next_rand(&seed) % 4 == 0 ? 0 : dt[i].start +
			    (time_t)(next_rand(&seed) % (300 * MIN));
		}
		risk_window_span(dt, n, now, &from, &until);
		v = verdict_at(dt, n, now);
		ok = from <= now && now < until && from >= now - H &&
		    until <= now + H;
		/* Every 7th second, and both ends exactly. */
		for (t = from; ok && t < until; t += 7)
			ok = verdict_at(dt, n, t) == v;
		ok = ok && verdict_at(dt, n, until - 1) == v;
		if (ok && until < now + H)
			ok = verdict_at(dt, n, until) != v;
		if (ok && from > now - H)
			ok = verdict_at(dt, n, from - 1) != v;
	}
	CU_ASSERT_TRUE(ok);
}

static const struct unit_test tests[] = {
	{ "none", test_riskwindow_none },
	{ "closed_grows", test_riskwindow_closed_grows },
	{ "slides_out", test_riskwindow_slides_out },
	{ "open", test_riskwindow_open },
	{ "future", test_riskwindow_future },
	{ "brute_force", test_riskwindow_brute_force },
};

int
suite_riskwindow(void)
{
	return UNIT_SUITE("riskwindow", tests);
}
