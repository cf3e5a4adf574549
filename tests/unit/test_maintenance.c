/*
 * core/maintenance: a window's state on both sides of each boundary,
 * the state names and the ?state= filter's parse, when an edit re-arms
 * the announcements, and outages less the windows (cut, covered,
 * clipped at either end, open ones up to now, windows merged whatever
 * their order, one window inside two overlapping outages) with the
 * uptime that results; a service's summary of its windows read as of
 * an instant, and refused when it is anything but [start, end] pairs.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "core/maintenance.h"
#include "core/uptime.h"
#include "suites.h"

#define HOUR	3600L
#define DAY	(24 * HOUR)
/* 2025-01-31T10:00:00Z: "now" in these tests. */
#define NOW	((time_t)1738317600)
#define T(h)	(NOW - 10 * HOUR + (h) * HOUR)	/* hour h of the morning */

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_maintenance_state_boundaries(void)
{

	CU_ASSERT_EQUAL(maint_state_at(T(2), T(4), T(2) - 1), MAINT_SCHEDULED);
	CU_ASSERT_EQUAL(maint_state_at(T(2), T(4), T(2)), MAINT_ACTIVE);
	CU_ASSERT_EQUAL(maint_state_at(T(2), T(4), T(4) - 1), MAINT_ACTIVE);
	CU_ASSERT_EQUAL(maint_state_at(T(2), T(4), T(4)), MAINT_COMPLETED);
	CU_ASSERT_EQUAL(maint_state_at(T(2), T(4), T(9)), MAINT_COMPLETED);
}

static void
test_maintenance_state_names(void)
{

	CU_ASSERT_STRING_EQUAL(maint_state_name(MAINT_SCHEDULED), "scheduled");
	CU_ASSERT_STRING_EQUAL(maint_state_name(MAINT_ACTIVE), "active");
	CU_ASSERT_STRING_EQUAL(maint_state_name(MAINT_COMPLETED), "completed");
	CU_ASSERT_PTR_NOT_NULL(maint_state_name(MAINT_STATE__MAX));
	CU_ASSERT_STRING_EQUAL(MAINT_STATE_BADMSG,
	    "Invalid state: must be one of scheduled, active, completed");
}

static void
test_maintenance_state_parse(void)
{

	CU_ASSERT_EQUAL(maint_state_parse("scheduled"), MAINT_SCHEDULED);
	CU_ASSERT_EQUAL(maint_state_parse("Active"), MAINT_ACTIVE);
	CU_ASSERT_EQUAL(maint_state_parse("COMPLETED"), MAINT_COMPLETED);
	CU_ASSERT_EQUAL(maint_state_parse("done"), -1);
	CU_ASSERT_EQUAL(maint_state_parse(""), -1);
	CU_ASSERT_EQUAL(maint_state_parse("active "), -1);
	CU_ASSERT_EQUAL(maint_state_parse(NULL), -1);
}

static void
test_maintenance_rearm(void)
{

	/* Moved into the future: both announcements again. */
	CU_ASSERT_TRUE(maint_rearm(T(5), T(6), true, T(4)));
	CU_ASSERT_TRUE(maint_rearm(T(5), T(6), false, T(4)));
	/* Extended after its end was told: active again, told again. */
	CU_ASSERT_TRUE(maint_rearm(T(2), T(6), true, T(4)));
	/* Still running, end not told yet: its start is not told twice. */
	CU_ASSERT_FALSE(maint_rearm(T(2), T(6), false, T(4)));
	/* Over: nothing new to tell (the end follows if the start was told). */
	CU_ASSERT_FALSE(maint_rearm(T(1), T(2), false, T(4)));
	CU_ASSERT_FALSE(maint_rearm(T(1), T(2), true, T(4)));
}

/*
 * Whether iv less win as of now is exactly want[0..nwant) (closed
 * parts, in order).
 */
static bool
cuts_to(const struct interval *iv, size_t n, struct interval *win, size_t nw,
    time_t now, const struct interval *want, size_t nwant)
{
	struct interval	*out;
	size_t		 k, i;
	bool		 same;

	if (maint_subtract(iv, n, win, nw, now, &out, &k) == -1)
		return false;
	same = k == nwant && (k > 0) == (out != NULL);
	for (i = 0; same && i < k; i++)
		same = out[i].start == want[i].start && out[i].end == want[i].end;
	free(out);
	return same;
}

#define CUTS_TO(iv, win, now, want) \
	cuts_to((iv), N(iv), (win), N(win), (now), (want), N(want))

static void
test_maintenance_subtract_no_windows(void)
{
	struct interval	 iv[] = { { T(1), T(2) }, { T(3), 0 } };
	/* The open outage is closed at now. */
	struct interval	 want[] = { { T(1), T(2) }, { T(3), T(5) } };

	CU_ASSERT_TRUE(cuts_to(iv, N(iv), NULL, 0, T(5), want, N(want)));
}

static void
test_maintenance_subtract_splits(void)
{
	struct interval	 iv[] = { { T(1), T(5) } };
	struct interval	 win[] = { { T(2), T(3) } };
	struct interval	 want[] = { { T(1), T(2) }, { T(3), T(5) } };

	CU_ASSERT_TRUE(CUTS_TO(iv, win, T(9), want));
}

static void
test_maintenance_subtract_covered(void)
{
	struct interval	 iv[] = { { T(2), T(3) }, { T(2), T(4) } };
	struct interval	 win[] = { { T(2), T(4) } };

	CU_ASSERT_TRUE(cuts_to(iv, N(iv), win, N(win), T(9), NULL, 0));
}

static void
test_maintenance_subtract_edges(void)
{
	/* One window takes the outage's head, another its tail. */
	struct interval	 iv[] = { { T(2), T(6) } };
	struct interval	 win[] = { { T(5), T(8) }, { T(1), T(3) } };
	struct interval	 want[] = { { T(3), T(5) } };

	CU_ASSERT_TRUE(CUTS_TO(iv, win, T(9), want));
}

static void
test_maintenance_subtract_open_in_active_window(void)
{
	/* Down since 2, in maintenance since 3 and still: counts 2 to 3. */
	struct interval	 iv[] = { { T(2), 0 } };
	struct interval	 win[] = { { T(3), T(8) } };
	struct interval	 want[] = { { T(2), T(3) } };

	CU_ASSERT_TRUE(CUTS_TO(iv, win, T(4), want));
}

static void
test_maintenance_subtract_windows_merged(void)
{
	/* Overlapping, touching and empty windows, unsorted: one cut, 2 to 6. */
	struct interval	 iv[] = { { T(1), T(7) } };
	struct interval	 win[] = { { T(4), T(5) }, { T(2), T(4) },
			    { T(3), T(6) }, { T(5), T(5) } };
	struct interval	 want[] = { { T(1), T(2) }, { T(6), T(7) } };

	CU_ASSERT_TRUE(CUTS_TO(iv, win, T(9), want));
}

static void
test_maintenance_subtract_overlapping_outages(void)
{
	/* One window inside two outages that overlap: each is cut. */
	struct interval	 iv[] = { { T(1), T(6) }, { T(2), T(7) } };
	struct interval	 win[] = { { T(3), T(4) } };
	struct interval	 want[] = { { T(1), T(3) }, { T(4), T(6) },
			    { T(2), T(3) }, { T(4), T(7) } };

	CU_ASSERT_TRUE(CUTS_TO(iv, win, T(9), want));
}

static void
test_maintenance_subtract_future_and_backwards(void)
{
	/* An outage after now, a backwards one, a backwards window. */
	struct interval	 iv[] = { { T(6), 0 }, { T(3), T(2) }, { T(1), T(2) } };
	struct interval	 win[] = { { T(2), T(1) } };
	struct interval	 want[] = { { T(1), T(2) } };

	CU_ASSERT_TRUE(CUTS_TO(iv, win, T(5), want));
	CU_ASSERT_TRUE(cuts_to(NULL, 0, NULL, 0, T(5), NULL, 0));
}

static void
test_maintenance_uptime_unchanged_inside(void)
{
	/* Four hours down in a day, three of them in the window. */
	struct interval	 iv[] = { { NOW - 5 * HOUR, NOW - HOUR } };
	struct interval	 win[] = { { NOW - 6 * HOUR, NOW - 2 * HOUR } };
	struct interval	*out;
	size_t		 k;

	CU_ASSERT_EQUAL_FATAL(maint_subtract(iv, N(iv), win, N(win), NOW, &out,
	    &k), 0);
	/* 1 h of 24 counts: 95.83 %, not the 83.33 % of all four. */
	CU_ASSERT_EQUAL(uptime_percent(out, k, NOW - 90 * DAY, DAY, NOW), 95.83);
	free(out);
	win[0].end = NOW;
	CU_ASSERT_EQUAL_FATAL(maint_subtract(iv, N(iv), win, N(win), NOW, &out,
	    &k), 0);
	CU_ASSERT_EQUAL(uptime_percent(out, k, NOW - 90 * DAY, DAY, NOW), 100.0);
	free(out);
}


/* A summary as the server writes it: JSON_ARRAYAGG of JSON_ARRAY pairs. */
static int
active(const char *json, time_t now)
{
	return maint_windows_active(json, json ? strlen(json) : 0, now);
}

static void
test_maintenance_windows_bounds(void)
{
	char	 buf[128];

	snprintf(buf, sizeof(buf), "[[%lld, %lld]]", (long long)T(2),
	    (long long)T(4));
	/* [starts_at, ends_at): MAINT_WINDOW_EXISTS's <= and >. */
	CU_ASSERT_EQUAL(active(buf, T(2) - 1), 0);
	CU_ASSERT_EQUAL(active(buf, T(2)), 1);
	CU_ASSERT_EQUAL(active(buf, T(4) - 1), 1);
	CU_ASSERT_EQUAL(active(buf, T(4)), 0);
	CU_ASSERT_EQUAL(active(buf, T(9)), 0);
}

static void
test_maintenance_windows_any_of_several(void)
{
	char	 buf[128];

	/* In no order: an ended one listed first does not hide the next. */
	snprintf(buf, sizeof(buf), "[[%lld,%lld],[%lld, %lld],[%lld,%lld]]",
	    (long long)T(0), (long long)T(1), (long long)T(6),
	    (long long)T(8), (long long)T(3), (long long)T(4));
	CU_ASSERT_EQUAL(active(buf, T(1)), 0);
	CU_ASSERT_EQUAL(active(buf, T(3)), 1);
	CU_ASSERT_EQUAL(active(buf, T(5)), 0);
	CU_ASSERT_EQUAL(active(buf, T(7)), 1);
}

static void
test_maintenance_windows_none(void)
{

	CU_ASSERT_EQUAL(active(NULL, NOW), 0);
	CU_ASSERT_EQUAL(active("[]", NOW), 0);
	CU_ASSERT_EQUAL(active(" [ ] ", NOW), 0);
}

static void
test_maintenance_windows_malformed(void)
{
	static const char *const bad[] = {
		"", " ", "{}", "null", "1", "\"[[1,2]]\"", "[[1,2]", "[[1,2]]x",
		"[[1,2],]", "[1,2]", "[[1]]", "[[1,2,3]]", "[[2,1]]", "[[1,1]]",
		"[[1.5,2]]", "[[1,2.0]]", "[[true,2]]", "[[\"1\",2]]",
		"[[null,2]]", "[[1,2],[3]]", "[[1,2],{}]", "[[1,2]] [[3,4]]",
		"[[1738310400,1738324800],[1,0]]", "[[1,null]]",
	};
	size_t	 i;

	for (i = 0; i < N(bad); i++)
		CU_ASSERT_EQUAL(active(bad[i], NOW), -1);
	/* Length counts: a NUL inside is refused, not read as the end. */
	CU_ASSERT_EQUAL(maint_windows_active("[[1,2]]\0[[", 10, NOW), -1);
}

static const struct unit_test tests[] = {
	{ "state_boundaries", test_maintenance_state_boundaries },
	{ "state_names", test_maintenance_state_names },
	{ "state_parse", test_maintenance_state_parse },
	{ "rearm", test_maintenance_rearm },
	{ "subtract_no_windows", test_maintenance_subtract_no_windows },
	{ "subtract_splits", test_maintenance_subtract_splits },
	{ "subtract_covered", test_maintenance_subtract_covered },
	{ "subtract_edges", test_maintenance_subtract_edges },
	{ "subtract_open_in_active_window",
	    test_maintenance_subtract_open_in_active_window },
	{ "subtract_windows_merged", test_maintenance_subtract_windows_merged },
	{ "subtract_overlapping_outages",
	    test_maintenance_subtract_overlapping_outages },
	{ "subtract_future_and_backwards",
	    test_maintenance_subtract_future_and_backwards },
	{ "uptime_unchanged_inside", test_maintenance_uptime_unchanged_inside },
	{ "windows_bounds", test_maintenance_windows_bounds },
	{ "windows_any_of_several", test_maintenance_windows_any_of_several },
	{ "windows_none", test_maintenance_windows_none },
	{ "windows_malformed", test_maintenance_windows_malformed },
};

int
suite_maintenance(void)
{
	return UNIT_SUITE("maintenance", tests);
}
