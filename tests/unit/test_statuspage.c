/*
 * core/statuspage and core/badge: shown states (stale heartbeats are
 * never green, impact through dependencies names the nearest cause),
 * the banner, the day bars and their titles, uptime rounding, and the
 * badge's SVG (escaped, sized from its text).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/badge.h"
#include "core/statuspage.h"
#include "suites.h"

#define NOW	((time_t)1764842400)	/* 2025-12-04 10:00 UTC */
#define DAY	86400L
#define DOWN_AFTER 600

static struct sp_service
svc(long long id, enum svc_status st, time_t last, bool public)
{
	struct sp_service	 s;

	memset(&s, 0, sizeof(s));
	s.id = id;
	s.status = st;
	s.last_updated = last;
	s.public = public;
	return s;
}

static void
test_statuspage_own_states(void)
{
	struct sp_service	 v[] = {
		svc(1, STATUS_UP, NOW - 60, true),
		svc(2, STATUS_UP, NOW - DOWN_AFTER, true),
		svc(3, STATUS_UP, NOW - DOWN_AFTER - 1, true),
		svc(4, STATUS_UP, 0, true),
		svc(5, STATUS_DEGRADED, NOW, true),
		svc(6, STATUS_DOWN, NOW, true),
		svc(7, STATUS_UNKNOWN, NOW, true),
	};

	statuspage_states(v, 7, NOW, DOWN_AFTER);
	CU_ASSERT_EQUAL(v[0].shown, SHOWN_OPERATIONAL);
	CU_ASSERT_EQUAL(v[1].shown, SHOWN_OPERATIONAL);	/* at the limit */
	/* Heartbeats stopped: no recent data, never green. */
	CU_ASSERT_EQUAL(v[2].shown, SHOWN_NODATA);
	CU_ASSERT_TRUE(v[2].stale);
	CU_ASSERT_EQUAL(v[3].shown, SHOWN_NODATA);
	CU_ASSERT_EQUAL(v[4].shown, SHOWN_DEGRADED);
	CU_ASSERT_EQUAL(v[5].shown, SHOWN_DOWN);
	CU_ASSERT_EQUAL(v[6].shown, SHOWN_NODATA);
	CU_ASSERT_FALSE(v[6].stale);
	CU_ASSERT_FALSE(v[0].stale);
}

static void
test_statuspage_via_dependencies(void)
{
	/* 1 -> 2 -> 3 (down); 4 -> 5 (degraded) and 4 -> 6 -> 7 (down). */
	static const long long	 d1[] = { 2 }, d2[] = { 3 }, d4[] = { 5, 6 },
				 d6[] = { 7 }, d8[] = { 9 }, d9[] = { 8 };
	struct sp_service	 v[] = {
		svc(1, STATUS_UP, NOW, true), svc(2, STATUS_UP, NOW, false),
		svc(3, STATUS_DOWN, NOW, false), svc(4, STATUS_UP, NOW, true),
		svc(5, STATUS_DEGRADED, NOW, true), svc(6, STATUS_UP, NOW, true),
		svc(7, STATUS_DOWN, NOW, true), svc(8, STATUS_UP, NOW, true),
		svc(9, STATUS_UP, NOW, true),
	};

	v[0].deps = d1; v[0].ndeps = 1;
	v[1].deps = d2; v[1].ndeps = 1;
	v[3].deps = d4; v[3].ndeps = 2;
	v[5].deps = d6; v[5].ndeps = 1;
	v[7].deps = d8; v[7].ndeps = 1;
	v[8].deps = d9; v[8].ndeps = 1;	/* a cycle: must end */
	statuspage_states(v, 9, NOW, DOWN_AFTER);
	/* Any depth, naming the service that is down itself. */
	CU_ASSERT_EQUAL(v[0].shown, SHOWN_DEGRADED);
	CU_ASSERT_EQUAL(v[0].via, 3);
	CU_ASSERT_EQUAL(v[1].via, 3);
	/* Down beats a nearer degraded one. */
	CU_ASSERT_EQUAL(v[3].shown, SHOWN_DEGRADED);
	CU_ASSERT_EQUAL(v[3].via, 7);
	CU_ASSERT_EQUAL(v[5].via, 7);
	/* Its own state stands for a service that is itself unwell. */
	CU_ASSERT_EQUAL(v[2].shown, SHOWN_DOWN);
	CU_ASSERT_EQUAL(v[2].via, 0);
	CU_ASSERT_EQUAL(v[4].via, 0);
	CU_ASSERT_EQUAL(v[7].shown, SHOWN_OPERATIONAL);
	CU_ASSERT_EQUAL(v[7].via, 0);
	CU_ASSERT_PTR_EQUAL(statuspage_find(v, 9, 7), &v[6]);
	CU_ASSERT_PTR_NULL(statuspage_find(v, 9, 10));
	CU_ASSERT_PTR_NULL(statuspage_find(NULL, 0, 1));
}

static void
test_statuspage_unknown_dependency_ignored(void)
{
	static const long long	 d[] = { 99 };
	struct sp_service	 v[] = { svc(1, STATUS_UP, NOW, true) };

	v[0].deps = d;
	v[0].ndeps = 1;
	statuspage_states(v, 1, NOW, DOWN_AFTER);
	CU_ASSERT_EQUAL(v[0].shown, SHOWN_OPERATIONAL);
}

static enum banner
banner_of(enum svc_status a, enum svc_status b, enum svc_status hidden)
{
	struct sp_service	 v[] = {
		svc(1, a, NOW, true), svc(2, b, NOW, true),
		svc(3, hidden, NOW, false),
	};

	statuspage_states(v, 3, NOW, DOWN_AFTER);
	return statuspage_banner(v, 3);
}

/*
 * In a window: Maintenance whatever its status or silence; it makes no
 * dependant degraded; the banner says so when nothing is worse.
 */
static void
test_statuspage_maintenance(void)
{
	static const long long	 on_db[] = { 1 };
	struct sp_service	 v[] = {
		svc(1, STATUS_DOWN, NOW, true),
		svc(2, STATUS_UP, NOW, true),
		svc(3, STATUS_UP, 0, true),
	};

	v[0].maintenance = true;
	v[1].deps = on_db;
	v[1].ndeps = 1;
	v[2].maintenance = true;
	statuspage_states(v, 3, NOW, DOWN_AFTER);
	CU_ASSERT_EQUAL(v[0].shown, SHOWN_MAINTENANCE);
	CU_ASSERT_EQUAL(v[1].shown, SHOWN_OPERATIONAL);
	CU_ASSERT_EQUAL(v[1].via, 0);
	CU_ASSERT_EQUAL(v[2].shown, SHOWN_MAINTENANCE);
	CU_ASSERT_FALSE(v[2].stale);
	CU_ASSERT_EQUAL(statuspage_banner(v, 3), BANNER_MAINTENANCE);
	CU_ASSERT_STRING_EQUAL(banner_text(BANNER_MAINTENANCE),
	    "Under maintenance");
	CU_ASSERT_STRING_EQUAL(shown_text(SHOWN_MAINTENANCE), "Maintenance");
	/* An open incident speaks over "operational", not over worse. */
	CU_ASSERT_EQUAL(statuspage_banner_incident(BANNER_OPERATIONAL, true),
	    BANNER_INCIDENT);
	CU_ASSERT_EQUAL(statuspage_banner_incident(BANNER_NODATA, true),
	    BANNER_INCIDENT);
	CU_ASSERT_EQUAL(statuspage_banner_incident(BANNER_OPERATIONAL, false),
	    BANNER_OPERATIONAL);
	CU_ASSERT_EQUAL(statuspage_banner_incident(BANNER_PARTIAL, true),
	    BANNER_PARTIAL);
	CU_ASSERT_STRING_EQUAL(banner_text(BANNER_INCIDENT),
	    "Incident in progress");
	/* Something worse wins. */
	v[1].status = STATUS_DEGRADED;
	statuspage_states(v, 3, NOW, DOWN_AFTER);
	CU_ASSERT_EQUAL(statuspage_banner(v, 3), BANNER_DEGRADED);
}

static void
test_statuspage_banner(void)
{
	CU_ASSERT_EQUAL(banner_of(STATUS_UP, STATUS_UP, STATUS_DOWN),
	    BANNER_OPERATIONAL);
	CU_ASSERT_EQUAL(banner_of(STATUS_UP, STATUS_UNKNOWN, STATUS_UP),
	    BANNER_NODATA);
	CU_ASSERT_EQUAL(banner_of(STATUS_DEGRADED, STATUS_UNKNOWN, STATUS_UP),
	    BANNER_DEGRADED);
	CU_ASSERT_EQUAL(banner_of(STATUS_DOWN, STATUS_UP, STATUS_UP),
	    BANNER_PARTIAL);
	CU_ASSERT_EQUAL(banner_of(STATUS_DOWN, STATUS_DOWN, STATUS_UP),
	    BANNER_MAJOR);
	CU_ASSERT_STRING_EQUAL(banner_text(BANNER_OPERATIONAL),
	    "All systems operational");
	CU_ASSERT_STRING_EQUAL(banner_text(BANNER_MAJOR), "Major outage");
	CU_ASSERT_STRING_EQUAL(banner_class(BANNER_PARTIAL), "partial");
	CU_ASSERT_PTR_NULL(banner_text(BANNER__MAX));
	CU_ASSERT_STRING_EQUAL(shown_text(SHOWN_NODATA), "No recent data");
	CU_ASSERT_STRING_EQUAL(shown_class(SHOWN_DOWN), "down");
	CU_ASSERT_PTR_NULL(shown_class(SHOWN__MAX));
}

static void
test_statuspage_bars(void)
{
	time_t	 day = NOW - NOW % DAY;
	char	 buf[80];

	/* The day the service was made has a bar; the day before not. */
	CU_ASSERT_EQUAL(statuspage_bar(day, day + 3600, 0), BAR_UP);
	CU_ASSERT_EQUAL(statuspage_bar(day - DAY, day, 0), BAR_NODATA);
	CU_ASSERT_EQUAL(statuspage_bar(day, 0, 863), BAR_MINOR);
	CU_ASSERT_EQUAL(statuspage_bar(day, 0, 864), BAR_PARTIAL);
	CU_ASSERT_EQUAL(statuspage_bar(day, 0, 4319), BAR_PARTIAL);
	CU_ASSERT_EQUAL(statuspage_bar(day, 0, 4320), BAR_MAJOR);
	CU_ASSERT_STRING_EQUAL(bar_class(BAR_MINOR), "minor");
	statuspage_bar_title(BAR_MINOR, "2025-12-04", 30, 1, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2025-12-04: 1 min down (1 outage)");
	statuspage_bar_title(BAR_PARTIAL, "2025-12-04", 14 * 60, 2, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2025-12-04: 14 min down (2 outages)");
	statuspage_bar_title(BAR_UP, "2025-12-04", 0, 0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2025-12-04: no downtime");
	statuspage_bar_title(BAR_NODATA, "2025-12-03", 0, 0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2025-12-03: no data");
}

/* The bars as markup: one rect per day, 4 apart, class and title each. */
static void
test_statuspage_bars_svg(void)
{
	static const struct {
		time_t		 first;
		const char	*second, *third;
	} steps[] = {
		{ 1709078400, "2024-02-29: 14 min", "2024-03-01: no downtime" },
		{ 1703980800, "2024-01-01: 14 min", "2024-01-02: no downtime" },
		{ 1677456000, "2023-02-28: 14 min", "2023-03-01: no downtime" },
	};
	time_t	 first = NOW - NOW % DAY - 2 * DAY;
	long	 down[3] = { 0, 14 * 60, 0 }, n[3] = { 0, 2, 0 };
	char	*s, *p;
	size_t	 len, rects = 0, i;

	/* Made during the first day: it has a bar. */
	s = statuspage_bars_svg(first, 3, first + 3600, down, n, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(len, strlen(s));
	for (p = s; (p = strstr(p, "<rect ")) != NULL; p++)
		rects++;
	CU_ASSERT_EQUAL(rects, 3);
	CU_ASSERT_NSTRING_EQUAL(s, "<rect x=\"0\" width=\"3\" height=\"28\" "
	    "class=\"bar-up\"><title>2025-12-02: no downtime</title></rect>",
	    strlen("<rect x=\"0\" width=\"3\" height=\"28\" class=\"bar-up\">"
	    "<title>2025-12-02: no downtime</title></rect>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<rect x=\"4\" width=\"3\" "
	    "height=\"28\" class=\"bar-minor\"><title>2025-12-03: 14 min "
	    "down (2 outages)</title></rect><rect x=\"8\" "));
	CU_ASSERT_EQUAL(strcmp(s + len - 7, "</rect>"), 0);
	free(s);
	/* Made after the first day: no data for it. */
	s = statuspage_bars_svg(first, 3, first + DAY, down, n, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "class=\"bar-nodata\"><title>"
	    "2025-12-02: no data</title>"));
	free(s);
	/* The dates step over month ends, leap days and the year's end. */
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		s = statuspage_bars_svg(steps[i].first, 3, 0, down, n, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, steps[i].second));
		CU_ASSERT_PTR_NOT_NULL(strstr(s, steps[i].third));
		free(s);
	}
	/* No days: an empty string, not NULL. */
	s = statuspage_bars_svg(first, 0, 0, down, n, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(len, 0);
	free(s);
}

static void
test_statuspage_uptime(void)
{
	long	 w = 90 * DAY;

	CU_ASSERT_EQUAL(statuspage_uptime(0, 0, w, NOW), 10000);
	/* One second down in 90 days still shows below 100.00. */
	CU_ASSERT_EQUAL(statuspage_uptime(1, 0, w, NOW), 9999);
	CU_ASSERT_EQUAL(statuspage_uptime(w / 100, 0, w, NOW), 9900);
	/* A service ten days old: over its life. */
	CU_ASSERT_EQUAL(statuspage_uptime(DAY, NOW - 10 * DAY, w, NOW), 9000);
	CU_ASSERT_EQUAL(statuspage_uptime(2 * w, 0, w, NOW), 0);
	CU_ASSERT_EQUAL(statuspage_uptime(5, NOW, w, NOW), 10000);
}

static void
test_badge_width(void)
{
	CU_ASSERT_EQUAL(badge_text_width(""), 0);
	CU_ASSERT_EQUAL(badge_text_width("i"), 30);
	CU_ASSERT_EQUAL(badge_text_width("W"), 110);
	CU_ASSERT_EQUAL(badge_text_width("99.9 %"), 70 * 3 + 40 + 39 + 121);
	/* "é" is two bytes, one character. */
	CU_ASSERT_EQUAL(badge_text_width("\xc3\xa9"), 70);
	CU_ASSERT_TRUE(badge_text_width("operational") >
	    badge_text_width("down"));
}

static void
test_badge_svg(void)
{
	size_t	 len;
	char	*s;

	s = badge_svg("status", "<b>&\"'", BADGE_GREEN, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(strlen(s), len);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<title>status: &lt;b&gt;&amp;&quot;"
	    "&apos;</title>"));
	CU_ASSERT_PTR_NULL(strstr(s, "<b>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "fill=\"#1a7f37\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "height=\"20\""));
	free(s);
	/* The value's half grows with its text. */
	s = badge_svg("status", "operational", BADGE_GREEN, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* 33.5 + 10 px and 61.9 + 10 px, rounded up: 44 and 72. */
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "width=\"116\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<rect x=\"44\" width=\"72\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<text x=\"22.0\" y=\"14\">status"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<text x=\"80.0\" y=\"14\">operational"));
	free(s);
}

/* Out of the tables: no word, and the badge of no data. */
static void
test_statuspage_words_out_of_range(void)
{
	char	*a, *b;
	size_t	 alen, blen;

	CU_ASSERT_PTR_NULL(shown_text(SHOWN__MAX));
	CU_ASSERT_PTR_NULL(shown_class((enum shown_state)-1));
	CU_ASSERT_PTR_NULL(banner_text(BANNER__MAX));
	CU_ASSERT_PTR_NULL(banner_class((enum banner)-1));
	CU_ASSERT_PTR_NULL(bar_class(BAR__MAX));
	CU_ASSERT_PTR_NOT_NULL(bar_class(BAR_UP));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a = statuspage_badge(SHOWN__MAX, &alen));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b = statuspage_badge(SHOWN_NODATA, &blen));
	CU_ASSERT_EQUAL(alen, blen);
	CU_ASSERT_STRING_EQUAL(a, b);
	free(a);
	free(b);
}

static const struct unit_test tests[] = {
	{ "own_states", test_statuspage_own_states },
	{ "via_dependencies", test_statuspage_via_dependencies },
	{ "unknown_dependency_ignored",
	    test_statuspage_unknown_dependency_ignored },
	{ "banner", test_statuspage_banner },
	{ "maintenance", test_statuspage_maintenance },
	{ "bars", test_statuspage_bars },
	{ "bars_svg", test_statuspage_bars_svg },
	{ "uptime", test_statuspage_uptime },
	{ "badge_width", test_badge_width },
	{ "badge_svg", test_badge_svg },
	{ "test_statuspage_words_out_of_range",
	    test_statuspage_words_out_of_range },
};

int
suite_statuspage(void)
{
	return UNIT_SUITE("statuspage", tests);
}
