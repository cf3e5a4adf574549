/*
 * core/uptime: the windows, the union of downtimes clipped to a span
 * (overlapping, touching, nested, open, outside, starting before the
 * window), uptime over the window or the service's shorter life with
 * exact rounding to two decimals, the risk rule's unmerged minutes,
 * durations and their text, and the overall health verdict.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "core/service.h"
#include "core/uptime.h"
#include "suites.h"

#define HOUR	3600L
#define DAY	(24 * HOUR)
/* 2025-01-31T10:00:00Z: "now" in these tests. */
#define NOW	((time_t)1738317600)

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_uptime_window_parse(void)
{

	CU_ASSERT_EQUAL(window_parse("24h"), DAY);
	CU_ASSERT_EQUAL(window_parse("7d"), 7 * DAY);
	CU_ASSERT_EQUAL(window_parse("30d"), 30 * DAY);
	CU_ASSERT_EQUAL(window_parse("90d"), 90 * DAY);
	CU_ASSERT_EQUAL(window_parse(NULL), 30 * DAY);
}

static void
test_uptime_window_invalid(void)
{

	CU_ASSERT_EQUAL(window_parse(""), -1);
	CU_ASSERT_EQUAL(window_parse("1d"), -1);
	CU_ASSERT_EQUAL(window_parse("30"), -1);
	CU_ASSERT_EQUAL(window_parse("30d "), -1);
	CU_ASSERT_EQUAL(window_parse("24hours"), -1);
	CU_ASSERT_STRING_EQUAL(WINDOW_BADMSG,
	    "Invalid window: use 24h, 7d, 30d or 90d");
}

static void
test_uptime_covered_empty(void)
{
	struct interval	 iv[1] = { { 100, 200 } };

	CU_ASSERT_EQUAL(covered_seconds(NULL, 0, 0, 1000, 1000), 0);
	CU_ASSERT_EQUAL(covered_seconds(iv, 0, 0, 1000, 1000), 0);
	/* An empty or reversed span covers nothing. */
	CU_ASSERT_EQUAL(covered_seconds(iv, 1, 500, 500, 1000), 0);
	CU_ASSERT_EQUAL(covered_seconds(iv, 1, 500, 100, 1000), 0);
}

static void
test_uptime_covered_single(void)
{
	struct interval	 iv[] = { { 100, 200 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 100);
}

static void
test_uptime_covered_overlap(void)
{
	struct interval	 iv[] = { { 100, 300 }, { 200, 400 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 300);
}

static void
test_uptime_covered_touch(void)
{
	struct interval	 iv[] = { { 100, 200 }, { 200, 300 }, { 400, 500 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 300);
}

static void
test_uptime_covered_nested(void)
{
	struct interval	 iv[] = { { 100, 500 }, { 200, 300 }, { 250, 260 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 400);
}

/* Unsorted input gives the same answer and comes back sorted by start. */
static void
test_uptime_covered_unsorted(void)
{
	struct interval	 iv[] = { { 700, 800 }, { 200, 400 }, { 100, 300 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 400);
	CU_ASSERT_EQUAL(iv[0].start, 100);
	CU_ASSERT_EQUAL(iv[1].start, 200);
	CU_ASSERT_EQUAL(iv[2].start, 700);
}

static void
test_uptime_covered_starts_before_window(void)
{
	struct interval	 iv[] = { { -500, 100 }, { 50, 150 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 150);
}

static void
test_uptime_covered_ends_after_window(void)
{
	struct interval	 iv[] = { { 900, 5000 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 100);
}

static void
test_uptime_covered_open(void)
{
	struct interval	 iv[] = { { 900, 0 }, { 950, 970 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 100);
	/* An open interval that starts after now is nothing yet. */
	iv[0].start = 1200;
	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 2000, 1000), 20);
}

static void
test_uptime_covered_outside(void)
{
	struct interval	 iv[] = { { -300, -100 }, { 1000, 1200 }, { 2000, 0 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1500), 0);
}

static void
test_uptime_covered_backwards(void)
{
	struct interval	 iv[] = { { 500, 100 }, { 600, 700 } };

	CU_ASSERT_EQUAL(covered_seconds(iv, N(iv), 0, 1000, 1000), 100);
}

static void
test_uptime_percent_empty(void)
{

	CU_ASSERT_EQUAL(uptime_percent(NULL, 0, NOW - 90 * DAY, 30 * DAY, NOW),
	    100.0);
}

static void
test_uptime_percent_simple(void)
{
	struct interval	 iv[] = { { NOW - 2 * HOUR, NOW - 2 * HOUR + 864 } };

	/* 864 s of a day: 1 %. */
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 90 * DAY, DAY, NOW),
	    99.0);
}

static void
test_uptime_percent_overlap_merged(void)
{
	struct interval	 iv[] = {
		{ NOW - 5 * HOUR, NOW - 4 * HOUR },
		{ NOW - 5 * HOUR + 1800, NOW - 4 * HOUR + 1800 },
	};

	/* 5400 s of 86400: 93.75 exactly, not 91.67 (2 hours). */
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 90 * DAY, DAY, NOW),
	    93.75);
}

static void
test_uptime_percent_rounds_two_decimals(void)
{
	struct interval	 iv[] = { { NOW - 5 * HOUR, NOW - 4 * HOUR } };

	/* 100 * (1 - 1/24) = 95.8333... */
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 90 * DAY, DAY, NOW),
	    95.83);
	/* 100 * (1 - 2/24) = 91.6666... */
	iv[0].start = NOW - 6 * HOUR;
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 90 * DAY, DAY, NOW),
	    91.67);
}

/* A life of 40000 s: 6 s down is 99.985 exactly, which goes up. */
static void
test_uptime_percent_half_rounds_up(void)
{
	struct interval	 iv[] = { { NOW - 100, NOW - 94 } };

	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 40000, DAY, NOW),
	    99.99);
	iv[0].end = NOW - 93;	/* 7 s: 99.9825 */
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 40000, DAY, NOW),
	    99.98);
	iv[0].end = NOW - 99;	/* 1 s: 99.9975 */
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 40000, DAY, NOW),
	    100.0);
}

static void
test_uptime_percent_younger_than_window(void)
{
	struct interval	 iv[] = { { NOW - 1800, NOW - 900 }, { NOW - 900, NOW } };

	/* One hour old, half an hour down: 50 %, not 99.93 of 30 days. */
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - HOUR, 30 * DAY, NOW),
	    50.0);
}

/* A downtime from before the service existed counts only its life. */
static void
test_uptime_percent_downtime_before_created(void)
{
	struct interval	 iv[] = { { NOW - 20000, NOW - 5000 } };

	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 10000, 30 * DAY, NOW),
	    50.0);
}

static void
test_uptime_percent_starts_before_window(void)
{
	struct interval	 iv[] = { { NOW - 31 * DAY, NOW - 29 * DAY } };

	/* One day of 30 inside: 96.666... */
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 90 * DAY, 30 * DAY,
	    NOW), 96.67);
}

static void
test_uptime_percent_open(void)
{
	struct interval	 iv[] = { { NOW - 8640, 0 } };

	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 90 * DAY, DAY, NOW),
	    90.0);
	iv[0].start = NOW - 2 * DAY;
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 90 * DAY, DAY, NOW),
	    0.0);
}

static void
test_uptime_percent_outside(void)
{
	struct interval	 iv[] = { { NOW - 3 * DAY, NOW - 2 * DAY } };

	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - 90 * DAY, DAY, NOW),
	    100.0);
}

static void
test_uptime_percent_empty_span(void)
{
	struct interval	 iv[] = { { NOW - 100, 0 } };

	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW, DAY, NOW), 100.0);
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW + 60, DAY, NOW), 100.0);
	CU_ASSERT_EQUAL(uptime_percent(iv, N(iv), NOW - DAY, 0, NOW), 100.0);
}

/* The risk rule sums every downtime, overlapping or not. */
static void
test_uptime_minutes_not_merged(void)
{
	struct interval	 iv[] = {
		{ NOW - 2 * HOUR, NOW - HOUR },
		{ NOW - 2 * HOUR, NOW - HOUR },
	};

	CU_ASSERT_EQUAL(downtime_minutes_since(iv, N(iv), NOW - 7 * DAY, NOW),
	    120);
}

static void
test_uptime_minutes_clipped(void)
{
	struct interval	 iv[] = {
		{ NOW - 7 * DAY - HOUR, NOW - 7 * DAY + 600 },	/* 10 min inside */
		{ NOW - 10 * DAY, NOW - 8 * DAY },		/* outside */
		{ NOW - 600, NOW + HOUR },			/* 10 min to now */
	};

	CU_ASSERT_EQUAL(downtime_minutes_since(iv, N(iv), NOW - 7 * DAY, NOW),
	    20);
}

static void
test_uptime_minutes_open(void)
{
	struct interval	 iv[] = { { NOW - 121 * 60, 0 } };

	CU_ASSERT_EQUAL(downtime_minutes_since(iv, N(iv), NOW - 7 * DAY, NOW),
	    121);
	/* Open for 9 days: only the 7 days count. */
	iv[0].start = NOW - 9 * DAY;
	CU_ASSERT_EQUAL(downtime_minutes_since(iv, N(iv), NOW - 7 * DAY, NOW),
	    7 * 24 * 60);
}

/* Seconds are summed before the division: 90 s + 90 s = 3 minutes. */
static void
test_uptime_minutes_seconds_summed(void)
{
	struct interval	 iv[] = {
		{ NOW - 1000, NOW - 910 },
		{ NOW - 500, NOW - 410 },
		{ NOW - 300, NOW - 400 },	/* backwards: nothing */
	};

	CU_ASSERT_EQUAL(downtime_minutes_since(iv, N(iv), NOW - 7 * DAY, NOW),
	    3);
	CU_ASSERT_EQUAL(downtime_minutes_since(NULL, 0, NOW - 7 * DAY, NOW), 0);
}

static void
test_uptime_duration_minutes(void)
{

	CU_ASSERT_EQUAL(duration_minutes(NOW, NOW + 125 * 60, NOW), 125);
	CU_ASSERT_EQUAL(duration_minutes(NOW, NOW + 119, NOW), 1);
	CU_ASSERT_EQUAL(duration_minutes(NOW - 3 * HOUR, 0, NOW), 180);
	CU_ASSERT_EQUAL(duration_minutes(NOW, NOW - 60, NOW), 0);
	CU_ASSERT_EQUAL(duration_minutes(NOW + 60, 0, NOW), 0);
}

static void
test_uptime_duration_text(void)
{
	char	 buf[32];

	duration_text(0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "0h 0m");
	duration_text(5, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "0h 5m");
	duration_text(60, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1h 0m");
	duration_text(125, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2h 5m");
	duration_text(2945, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "49h 5m");
	duration_text(-5, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "0h 0m");
}

static void
test_uptime_duration_text_truncates(void)
{
	char	 buf[4];

	memset(buf, 'z', sizeof(buf));
	duration_text(2945, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "49h");
	duration_text(5, buf, 0);	/* nothing written */
	CU_ASSERT_STRING_EQUAL(buf, "49h");
}

static void
test_uptime_overall_health(void)
{
	int	 st;

	for (st = 0; st < STATUS__MAX; st++)
		CU_ASSERT_EQUAL(overall_health(st, RISK_HIGH), HEALTH_UNHEALTHY);
	CU_ASSERT_EQUAL(overall_health(STATUS_DOWN, RISK_LOW), HEALTH_UNHEALTHY);
	CU_ASSERT_EQUAL(overall_health(STATUS_DOWN, RISK_MEDIUM),
	    HEALTH_UNHEALTHY);
	CU_ASSERT_EQUAL(overall_health(STATUS_UP, RISK_LOW), HEALTH_HEALTHY);
	CU_ASSERT_EQUAL(overall_health(STATUS_UP, RISK_MEDIUM), HEALTH_DEGRADED);
	CU_ASSERT_EQUAL(overall_health(STATUS_DEGRADED, RISK_LOW),
	    HEALTH_DEGRADED);
	CU_ASSERT_EQUAL(overall_health(STATUS_DEGRADED, RISK_MEDIUM),
	    HEALTH_DEGRADED);
	CU_ASSERT_EQUAL(overall_health(STATUS_UNKNOWN, RISK_LOW),
	    HEALTH_DEGRADED);
}

static void
test_uptime_overall_health_name(void)
{

	CU_ASSERT_STRING_EQUAL(overall_health_name(HEALTH_HEALTHY), "Healthy");
	CU_ASSERT_STRING_EQUAL(overall_health_name(HEALTH_DEGRADED), "Degraded");
	CU_ASSERT_STRING_EQUAL(overall_health_name(HEALTH_UNHEALTHY),
	    "Unhealthy");
}

/* A UTC midnight well before NOW (2025-01-31 10:00 UTC). */
#define D0	((time_t)1738022400)	/* 2025-01-28 00:00 UTC */

static void
test_uptime_days_split_and_merged(void)
{
	struct interval	 iv[] = {
		/* 23:00 on day 0 to 01:00 on day 1: an hour on each. */
		{ D0 + 23 * HOUR, D0 + 25 * HOUR },
		/* Overlapping on day 1: 00:30-02:00 merges to 00:00-02:00. */
		{ D0 + DAY + 30 * 60, D0 + DAY + 2 * HOUR },
		/* Day 2: nothing.  Day 3: ten minutes. */
		{ D0 + 3 * DAY + HOUR, D0 + 3 * DAY + HOUR + 600 },
	};
	struct day_down	 out[5];
	size_t		 n;

	n = uptime_days(iv, N(iv), D0, 5, NOW, out);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(out[0].day, D0);
	CU_ASSERT_EQUAL(out[0].down_seconds, HOUR);
	CU_ASSERT_EQUAL(out[0].outages, 1);
	CU_ASSERT_EQUAL(out[1].day, D0 + DAY);
	CU_ASSERT_EQUAL(out[1].down_seconds, 2 * HOUR);
	CU_ASSERT_EQUAL(out[1].outages, 2);
	CU_ASSERT_EQUAL(out[2].day, D0 + 3 * DAY);
	CU_ASSERT_EQUAL(out[2].down_seconds, 600);
	CU_ASSERT_EQUAL(out[2].outages, 1);
}

static void
test_uptime_days_open_and_future(void)
{
	/* Open since 08:00 of NOW's day (NOW is 10:00): two hours so far. */
	struct interval	 iv[] = { { NOW - 2 * HOUR, 0 } };
	struct day_down	 out[4];
	time_t		 today = NOW - NOW % DAY;
	size_t		 n;

	n = uptime_days(iv, N(iv), today - DAY, 4, NOW, out);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(out[0].day, today);
	CU_ASSERT_EQUAL(out[0].down_seconds, 2 * HOUR);
	/* A whole day down, and one that has not begun: nothing after NOW. */
	iv[0].start = today - DAY;
	iv[0].end = today + 5 * DAY;
	n = uptime_days(iv, N(iv), today - DAY, 4, NOW, out);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(out[0].down_seconds, DAY);
	CU_ASSERT_EQUAL(out[1].down_seconds, NOW - today);
}

static void
test_uptime_days_edges(void)
{
	/* Ending exactly at midnight touches only the day before. */
	struct interval	 iv[] = { { D0 + 22 * HOUR, D0 + DAY } };
	struct day_down	 out[2];

	CU_ASSERT_EQUAL_FATAL(uptime_days(iv, N(iv), D0, 2, NOW, out), 1);
	CU_ASSERT_EQUAL(out[0].down_seconds, 2 * HOUR);
	CU_ASSERT_EQUAL(uptime_days(NULL, 0, D0, 2, NOW, out), 0);
	/* Backwards: nothing. */
	iv[0].start = D0 + 5 * HOUR;
	iv[0].end = D0 + 4 * HOUR;
	CU_ASSERT_EQUAL(uptime_days(iv, N(iv), D0, 2, NOW, out), 0);
}

static void
test_uptime_intervals_sort(void)
{
	/* By start, then end; ties and open ones (end 0) in place. */
	struct interval	 iv[] = { { 30, 40 }, { 10, 0 }, { 10, 20 },
			    { 5, 6 }, { 30, 35 } };
	struct interval	 want[] = { { 5, 6 }, { 10, 0 }, { 10, 20 },
			    { 30, 35 }, { 30, 40 } };
	struct interval	 sorted[] = { { 1, 2 }, { 1, 3 }, { 4, 0 } };
	struct interval	 same[] = { { 1, 2 }, { 1, 3 }, { 4, 0 } };

	intervals_sort(iv, N(iv));
	CU_ASSERT_EQUAL(memcmp(iv, want, sizeof(iv)), 0);
	/* Sorted already (the rollup's every later day): unchanged. */
	intervals_sort(sorted, N(sorted));
	CU_ASSERT_EQUAL(memcmp(sorted, same, sizeof(same)), 0);
	/* Only the last pair out of order. */
	sorted[2].start = 0;
	intervals_sort(sorted, N(sorted));
	CU_ASSERT_EQUAL(sorted[0].start, 0);
	CU_ASSERT_EQUAL(sorted[1].end, 2);
	intervals_sort(NULL, 0);
	intervals_sort(iv, 1);
}

static const struct unit_test tests[] = {
	{ "intervals_sort", test_uptime_intervals_sort },
	{ "window_parse", test_uptime_window_parse },
	{ "days_split_and_merged", test_uptime_days_split_and_merged },
	{ "days_open_and_future", test_uptime_days_open_and_future },
	{ "days_edges", test_uptime_days_edges },
	{ "window_invalid", test_uptime_window_invalid },
	{ "covered_empty", test_uptime_covered_empty },
	{ "covered_single", test_uptime_covered_single },
	{ "covered_overlap", test_uptime_covered_overlap },
	{ "covered_touch", test_uptime_covered_touch },
	{ "covered_nested", test_uptime_covered_nested },
	{ "covered_unsorted", test_uptime_covered_unsorted },
	{ "covered_starts_before_window", test_uptime_covered_starts_before_window },
	{ "covered_ends_after_window", test_uptime_covered_ends_after_window },
	{ "covered_open", test_uptime_covered_open },
	{ "covered_outside", test_uptime_covered_outside },
	{ "covered_backwards", test_uptime_covered_backwards },
	{ "percent_empty", test_uptime_percent_empty },
	{ "percent_simple", test_uptime_percent_simple },
	{ "percent_overlap_merged", test_uptime_percent_overlap_merged },
	{ "percent_rounds_two_decimals", test_uptime_percent_rounds_two_decimals },
	{ "percent_half_rounds_up", test_uptime_percent_half_rounds_up },
	{ "percent_younger_than_window", test_uptime_percent_younger_than_window },
	{ "percent_downtime_before_created",
	    test_uptime_percent_downtime_before_created },
	{ "percent_starts_before_window", test_uptime_percent_starts_before_window },
	{ "percent_open", test_uptime_percent_open },
	{ "percent_outside", test_uptime_percent_outside },
	{ "percent_empty_span", test_uptime_percent_empty_span },
	{ "minutes_not_merged", test_uptime_minutes_not_merged },
	{ "minutes_clipped", test_uptime_minutes_clipped },
	{ "minutes_open", test_uptime_minutes_open },
	{ "minutes_seconds_summed", test_uptime_minutes_seconds_summed },
	{ "duration_minutes", test_uptime_duration_minutes },
	{ "duration_text", test_uptime_duration_text },
	{ "duration_text_truncates", test_uptime_duration_text_truncates },
	{ "overall_health", test_uptime_overall_health },
	{ "overall_health_name", test_uptime_overall_health_name },
};

int
suite_uptime(void)
{
	return UNIT_SUITE("uptime", tests);
}
