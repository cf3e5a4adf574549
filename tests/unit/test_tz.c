/*
 * util/tz: zone names, local fields, and the instants of wall times in
 * DST gaps and overlaps.  Expected instants were worked out with
 * `TZ=<zone> date -d ...` and zdump and are written as UTC epochs.
 * Needs tzdata with history (Europe/Berlin, America/Sao_Paulo, ...).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/tz.h"

#define MIN	60LL
#define HOUR	3600LL
#define DAY	(24 * HOUR)

#define BERLIN		"Europe/Berlin"
#define SAO_PAULO	"America/Sao_Paulo"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static time_t
at(const char *zone, int year, int mon, int mday, int minute)
{

	return tz_instant(zone, year, mon, mday, minute);
}

static void
test_tz_valid(void)
{

	CU_ASSERT_TRUE(tz_valid("UTC"));
	CU_ASSERT_TRUE(tz_valid(BERLIN));
	CU_ASSERT_TRUE(tz_valid("America/New_York"));
	CU_ASSERT_TRUE(tz_valid("America/Argentina/Buenos_Aires"));
	CU_ASSERT_TRUE(tz_valid("America/Port-au-Prince"));
	CU_ASSERT_TRUE(tz_valid("Etc/GMT+5"));
}

static void
test_tz_invalid(void)
{
	static const char *const bad[] = {
		"", "../etc/passwd", "/etc/localtime", "Nope/Zone",
		"Europe/", "Europe//Berlin", "Europe/Berlin/", "Europe",
		"Europe/Ber lin", "Europe/Berlin\n", "right/UTC", "localtime",
		"leapseconds",	/* a text file in tzdata */
		"zone.tab", "utc",
	};
	char	 longest[TZ_NAME_MAX + 2];
	size_t	 i;

	for (i = 0; i < N(bad); i++)
		CU_ASSERT_FALSE(tz_valid(bad[i]));
	CU_ASSERT_FALSE(tz_valid(NULL));
	/* One character too long, before tzdata is even asked. */
	memset(longest, 'A', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	CU_ASSERT_FALSE(tz_valid(longest));
}

/* Zones are looked up under $TZDIR when it is set. */
static void
test_tz_valid_tzdir(void)
{
	char		*old = getenv("TZDIR");
	char		*saved = old == NULL ? NULL : strdup(old);

	CU_ASSERT_EQUAL(setenv("TZDIR", "/nonexistent", 1), 0);
	CU_ASSERT_FALSE(tz_valid(BERLIN));
	CU_ASSERT_TRUE(tz_valid("UTC"));
	if (saved != NULL)
		setenv("TZDIR", saved, 1);
	else
		unsetenv("TZDIR");
	free(saved);
	CU_ASSERT_TRUE(tz_valid(BERLIN));
}

/*
 * TZ is set once per switch, never for UTC, and not at all when the
 * zone asked for is the one already set: a TZ changed behind tz's back
 * (which tz.h forbids) shows that no second setenv happened.
 */
static void
test_tz_switch_cached(void)
{
	struct tm	 tm;

	CU_ASSERT_EQUAL(tz_local("America/New_York", 0, &tm), 0);
	CU_ASSERT_EQUAL(tz_local(BERLIN, 0, &tm), 0);
	CU_ASSERT_STRING_EQUAL(getenv("TZ"), ":" BERLIN);
	CU_ASSERT_EQUAL(tz_local("UTC", 0, &tm), 0);
	CU_ASSERT_EQUAL(tz_local(NULL, 0, &tm), 0);
	CU_ASSERT_EQUAL(tz_local("Nope/Zone", 0, &tm), -1);
	CU_ASSERT_STRING_EQUAL(getenv("TZ"), ":" BERLIN);
	setenv("TZ", ":Marker", 1);
	CU_ASSERT_EQUAL(tz_local(BERLIN, 0, &tm), 0);
	CU_ASSERT_STRING_EQUAL(getenv("TZ"), ":Marker");
	setenv("TZ", ":" BERLIN, 1);
}

static void
test_tz_local(void)
{
	struct tm	 tm;

	/* 2026-07-01T07:00:00Z is 09:00 CEST, a Wednesday. */
	CU_ASSERT_EQUAL(tz_local(BERLIN, 1782889200, &tm), 0);
	CU_ASSERT_EQUAL(tm.tm_year, 126);
	CU_ASSERT_EQUAL(tm.tm_mon, 6);
	CU_ASSERT_EQUAL(tm.tm_mday, 1);
	CU_ASSERT_EQUAL(tm.tm_hour, 9);
	CU_ASSERT_EQUAL(tm.tm_wday, 3);
	CU_ASSERT_EQUAL(tz_local("", 1782889200, &tm), 0);
	CU_ASSERT_EQUAL(tm.tm_hour, 7);
	CU_ASSERT_EQUAL(tz_local("UTC", 1782889200, NULL), -1);
}

static void
test_tz_instant(void)
{

	/* 2026-07-01 09:00 CEST, EDT, UTC. */
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 7, 1, 540), 1782889200);
	CU_ASSERT_EQUAL(at("America/New_York", 2026, 7, 1, 540), 1782910800);
	CU_ASSERT_EQUAL(at("UTC", 2026, 7, 1, 540), 1782896400);
	CU_ASSERT_EQUAL(at(NULL, 2026, 7, 1, 540), 1782896400);
	/* 24:00 is the next day's midnight: 2026-07-02T00:00:00Z. */
	CU_ASSERT_EQUAL(at("", 2026, 7, 1, 1440), 1782950400);
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 7, 1, 1440),
	    at(BERLIN, 2026, 7, 2, 0));
	/* Month and year ends roll over: 2027-01-01T00:00:00Z. */
	CU_ASSERT_EQUAL(at("UTC", 2026, 12, 31, 1440), 1798761600);
}

static void
test_tz_instant_invalid(void)
{

	CU_ASSERT_EQUAL(at("UTC", 2026, 13, 1, 0), (time_t)-1);
	CU_ASSERT_EQUAL(at("UTC", 2026, 0, 1, 0), (time_t)-1);
	CU_ASSERT_EQUAL(at("UTC", 2026, 4, 31, 0), (time_t)-1);
	CU_ASSERT_EQUAL(at("UTC", 2026, 2, 29, 0), (time_t)-1);
	CU_ASSERT_EQUAL(at("UTC", 2026, 1, 0, 0), (time_t)-1);
	CU_ASSERT_EQUAL(at("UTC", 2026, 1, 1, 1441), (time_t)-1);
	CU_ASSERT_EQUAL(at("UTC", 2026, 1, 1, -1), (time_t)-1);
	CU_ASSERT_EQUAL(at("UTC", 1899, 1, 1, 0), (time_t)-1);
	CU_ASSERT_EQUAL(at("Nope/Zone", 2026, 1, 1, 0), (time_t)-1);
	CU_ASSERT_NOT_EQUAL(at("UTC", 2028, 2, 29, 0), (time_t)-1);
}

/* Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00:00Z. */
static void
test_tz_instant_gap(void)
{
	const time_t	 change = 1774746000;

	CU_ASSERT_EQUAL(at(BERLIN, 2026, 3, 29, 119),
	    change - 60);	/* 01:59 CET */
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 3, 29, 120), change);
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 3, 29, 150), change);
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 3, 29, 179), change);
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 3, 29, 180), change);
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 3, 29, 181),
	    change + 60);	/* 03:01 CEST */
}

/* Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00:00Z. */
static void
test_tz_instant_overlap(void)
{

	/* 02:00 and 02:30 CEST, the first of each pair. */
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 10, 25, 120), 1792886400);
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 10, 25, 150), 1792888200);
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 10, 25, 179), 1792889940);
	/* 01:59 CEST and 03:00 CET, on either side, happen once. */
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 10, 25, 119), 1792886340);
	CU_ASSERT_EQUAL(at(BERLIN, 2026, 10, 25, 180), 1792893600);
}

/*
 * Sao Paulo's old changes at midnight: 2018-11-04 00:00 -03 became
 * 01:00 -02 at 03:00:00Z, so the day starts at 01:00; 2019-02-17 00:00
 * -02 became 2019-02-16 23:00 -03 at 02:00:00Z, so 23:xx happens twice.
 */
static void
test_tz_instant_midnight(void)
{

	CU_ASSERT_EQUAL(at(SAO_PAULO, 2018, 11, 4, 0), 1541300400);
	CU_ASSERT_EQUAL(at(SAO_PAULO, 2018, 11, 4, 30), 1541300400);
	CU_ASSERT_EQUAL(at(SAO_PAULO, 2018, 11, 3, 1440), 1541300400);
	CU_ASSERT_EQUAL(at(SAO_PAULO, 2019, 2, 16, 1410),
	    1550367000);	/* 23:30 -02, 01:30:00Z */
	CU_ASSERT_EQUAL(at(SAO_PAULO, 2019, 2, 16, 1440),
	    1550372400);	/* 2019-02-17 00:00 -03, 03:00:00Z */
}

/* Apia skipped 2011-12-30 whole: -10 became +14 at 10:00:00Z. */
static void
test_tz_instant_skipped_day(void)
{

	CU_ASSERT_EQUAL(at("Pacific/Apia", 2011, 12, 30, 0), 1325239200);
	CU_ASSERT_EQUAL(at("Pacific/Apia", 2011, 12, 30, 720), 1325239200);
	CU_ASSERT_EQUAL(at("Pacific/Apia", 2011, 12, 29, 1439),
	    1325239200 - 60);
}

static const struct unit_test tests[] = {
	{ "test_tz_valid", test_tz_valid },
	{ "test_tz_invalid", test_tz_invalid },
	{ "test_tz_valid_tzdir", test_tz_valid_tzdir },
	{ "test_tz_switch_cached", test_tz_switch_cached },
	{ "test_tz_local", test_tz_local },
	{ "test_tz_instant", test_tz_instant },
	{ "test_tz_instant_invalid", test_tz_instant_invalid },
	{ "test_tz_instant_gap", test_tz_instant_gap },
	{ "test_tz_instant_overlap", test_tz_instant_overlap },
	{ "test_tz_instant_midnight", test_tz_instant_midnight },
	{ "test_tz_instant_skipped_day", test_tz_instant_skipped_day },
};

int
suite_tz(void)
{
	return UNIT_SUITE("tz", tests);
}
