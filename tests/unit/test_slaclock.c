/*
 * core/slaclock: level boundaries to the second, the percentage, hours
 * and date parsing, working time over nights, weekends, holidays and
 * DST changes (outside and inside opening hours), due dates, pauses
 * and stopped clocks.  Expected instants were worked out with
 * `TZ=<zone> date -d ...` and zdump and are written as UTC epochs.
 * Needs tzdata (Europe/Berlin, America/Sao_Paulo, America/St_Johns,
 * Pacific/Apia and a few more).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "core/slaclock.h"
#include "suites.h"
#include "util/tz.h"

#define MIN	60LL
#define HOUR	3600LL
#define DAY	(24 * HOUR)

/* 2026-03-27T16:00:00Z, a Friday. */
#define FRI_1600	((time_t)1774627200)
/* 2026-03-28T12:00:00Z, the Saturday after. */
#define SAT_1200	((time_t)1774699200)
/* 2026-03-30T09:00:00Z, the Monday after. */
#define MON_0900	((time_t)1774861200)

#define N(a)	(sizeof(a) / sizeof((a)[0]))

#define BERLIN		"Europe/Berlin"
#define SAO_PAULO	"America/Sao_Paulo"

/* 09:00-17:00 Monday to Friday. */
#define OFFICE_HOURS \
	.open = { 0, 540, 540, 540, 540, 540, 0 }, \
	.close = { 0, 1020, 1020, 1020, 1020, 1020, 0 }
#define ALL_DAY_HOURS \
	.open = { 0, 0, 0, 0, 0, 0, 0 }, \
	.close = { 1440, 1440, 1440, 1440, 1440, 1440, 1440 }

static const struct sla_calendar office = { .zone = "UTC", OFFICE_HOURS };
static const struct sla_calendar office_berlin = {
	.zone = BERLIN, OFFICE_HOURS
};
static const struct sla_calendar always_berlin = {
	.zone = BERLIN, ALL_DAY_HOURS
};
static const struct sla_calendar always_sao_paulo = {
	.zone = SAO_PAULO, ALL_DAY_HOURS
};
/* Sundays 01:00-04:00: the hours Berlin's DST changes fall into. */
static const struct sla_calendar sunday_night_berlin = {
	.zone = BERLIN,
	.open = { 60, 0, 0, 0, 0, 0, 0 },
	.close = { 240, 0, 0, 0, 0, 0, 0 },
};

/* Short names, so that each check fits on a line. */
static long long
working(const struct sla_calendar *cal, time_t from, time_t to)
{

	return cal_working_seconds(cal, from, to);
}

static time_t
due(const struct sla_calendar *cal, time_t from, long long seconds)
{

	return cal_add_working(cal, from, seconds);
}

static time_t
at(const char *zone, int year, int mon, int mday, int minute)
{

	return tz_instant(zone, year, mon, mday, minute);
}

static void
test_slaclock_level_names(void)
{

	CU_ASSERT_STRING_EQUAL(sla_level_name(SLA_SAFE), "SAFE");
	CU_ASSERT_STRING_EQUAL(sla_level_name(SLA_WARNING), "WARNING");
	CU_ASSERT_STRING_EQUAL(sla_level_name(SLA_HIGH_RISK), "HIGH_RISK");
	CU_ASSERT_STRING_EQUAL(sla_level_name(SLA_BREACHED), "BREACHED");
	CU_ASSERT_PTR_NULL(sla_level_name(SLA_LEVEL__MAX));
	CU_ASSERT_PTR_NULL(sla_level_name((enum sla_level)-1));
}

static void
test_slaclock_level_parse(void)
{

	CU_ASSERT_EQUAL(sla_level_parse("SAFE"), SLA_SAFE);
	CU_ASSERT_EQUAL(sla_level_parse("warning"), SLA_WARNING);
	CU_ASSERT_EQUAL(sla_level_parse("High_Risk"), SLA_HIGH_RISK);
	CU_ASSERT_EQUAL(sla_level_parse("breached"), SLA_BREACHED);
	CU_ASSERT_EQUAL(sla_level_parse(NULL), -1);
	CU_ASSERT_EQUAL(sla_level_parse(""), -1);
	CU_ASSERT_EQUAL(sla_level_parse("HIGH RISK"), -1);
	CU_ASSERT_EQUAL(sla_level_parse("SAFE "), -1);
}

/* An 8 hour limit (28800 s): 1 % is 288 s. */
static void
test_slaclock_level_boundaries(void)
{
	const long long	 lim = 8 * HOUR;

	CU_ASSERT_EQUAL(sla_level_of(0, lim), SLA_SAFE);
	CU_ASSERT_EQUAL(sla_level_of(49 * 288, lim), SLA_SAFE);
	CU_ASSERT_EQUAL(sla_level_of(50 * 288 - 1, lim), SLA_SAFE);
	CU_ASSERT_EQUAL(sla_level_of(50 * 288, lim), SLA_WARNING);
	CU_ASSERT_EQUAL(sla_level_of(50 * 288 + 1, lim), SLA_WARNING);
	CU_ASSERT_EQUAL(sla_level_of(74 * 288, lim), SLA_WARNING);
	CU_ASSERT_EQUAL(sla_level_of(75 * 288 - 1, lim), SLA_WARNING);
	CU_ASSERT_EQUAL(sla_level_of(75 * 288, lim), SLA_HIGH_RISK);
	CU_ASSERT_EQUAL(sla_level_of(75 * 288 + 1, lim), SLA_HIGH_RISK);
	CU_ASSERT_EQUAL(sla_level_of(99 * 288, lim), SLA_HIGH_RISK);
	CU_ASSERT_EQUAL(sla_level_of(100 * 288 - 1, lim), SLA_HIGH_RISK);
	CU_ASSERT_EQUAL(sla_level_of(100 * 288, lim), SLA_BREACHED);
	CU_ASSERT_EQUAL(sla_level_of(100 * 288 + 1, lim), SLA_BREACHED);
	CU_ASSERT_EQUAL(sla_level_of(10 * lim, lim), SLA_BREACHED);
}

/* Limits that 4 does not divide: the exact fraction decides. */
static void
test_slaclock_level_exact_fractions(void)
{
	const long long	 big = 9223372036854775807LL;

	/* limit 3: 50 % is 1.5 s, 75 % is 2.25 s. */
	CU_ASSERT_EQUAL(sla_level_of(1, 3), SLA_SAFE);
	CU_ASSERT_EQUAL(sla_level_of(2, 3), SLA_WARNING);
	CU_ASSERT_EQUAL(sla_level_of(3, 3), SLA_BREACHED);
	/* limit 7: 75 % is 5.25 s. */
	CU_ASSERT_EQUAL(sla_level_of(5, 7), SLA_WARNING);
	CU_ASSERT_EQUAL(sla_level_of(6, 7), SLA_HIGH_RISK);
	/* No overflow at the top: half of 2^63 - 1 is 2^62 - 0.5. */
	CU_ASSERT_EQUAL(sla_level_of(big / 2, big), SLA_SAFE);
	CU_ASSERT_EQUAL(sla_level_of(big / 2 + 1, big), SLA_WARNING);
	CU_ASSERT_EQUAL(sla_level_of(big - 1, big), SLA_HIGH_RISK);
}

static void
test_slaclock_level_limit_zero(void)
{

	CU_ASSERT_EQUAL(sla_level_of(0, 0), SLA_BREACHED);
	CU_ASSERT_EQUAL(sla_level_of(100, 0), SLA_BREACHED);
	CU_ASSERT_EQUAL(sla_level_of(0, -5), SLA_BREACHED);
	CU_ASSERT_EQUAL(sla_level_of(-10, 100), SLA_SAFE);
	CU_ASSERT_EQUAL(sla_percent(0, 0), 100.0);
	CU_ASSERT_EQUAL(sla_percent(5, -1), 100.0);
}

static void
test_slaclock_percent_capped(void)
{

	CU_ASSERT_EQUAL(sla_percent(0, 8 * HOUR), 0.0);
	CU_ASSERT_EQUAL(sla_percent(-60, 8 * HOUR), 0.0);
	CU_ASSERT_EQUAL(sla_percent(2 * HOUR, 8 * HOUR), 25.0);
	CU_ASSERT_EQUAL(sla_percent(6 * HOUR, 8 * HOUR), 75.0);
	CU_ASSERT_DOUBLE_EQUAL(sla_percent(1, 3), 33.3333333, 1e-6);
	CU_ASSERT_EQUAL(sla_percent(8 * HOUR, 8 * HOUR), 100.0);
	CU_ASSERT_EQUAL(sla_percent(30 * HOUR, 8 * HOUR), 100.0);
}

static void
test_slaclock_parse_hhmm(void)
{

	CU_ASSERT_EQUAL(cal_parse_hhmm("00:00"), 0);
	CU_ASSERT_EQUAL(cal_parse_hhmm("09:00"), 540);
	CU_ASSERT_EQUAL(cal_parse_hhmm("17:30"), 1050);
	CU_ASSERT_EQUAL(cal_parse_hhmm("23:59"), 1439);
	CU_ASSERT_EQUAL(cal_parse_hhmm("24:00"), 1440);
}

static void
test_slaclock_parse_hhmm_invalid(void)
{
	static const char *const bad[] = {
		"24:01", "25:00", "09:60", "9:00", "09:0", "0900", "09-00",
		" 09:00", "09:00 ", "+9:00", "09:0x", "", "24:00:00",
	};
	size_t	 i;

	for (i = 0; i < N(bad); i++)
		CU_ASSERT_EQUAL(cal_parse_hhmm(bad[i]), -1);
	CU_ASSERT_EQUAL(cal_parse_hhmm(NULL), -1);
}

static void
test_slaclock_parse_date(void)
{

	CU_ASSERT_EQUAL(cal_parse_date("2026-12-25"), 20261225);
	CU_ASSERT_EQUAL(cal_parse_date("2028-02-29"), 20280229);
	CU_ASSERT_EQUAL(cal_parse_date("2000-02-29"), 20000229);
	CU_ASSERT_EQUAL(cal_parse_date("1970-01-01"), 19700101);
	CU_ASSERT_EQUAL(cal_parse_date("9999-12-31"), 99991231);
}

static void
test_slaclock_parse_date_invalid(void)
{
	static const char *const bad[] = {
		"2026-02-29", "2100-02-29", "2026-1-5", "2026-01-5",
		"2026-13-01", "2026-00-10", "2026-04-31", "2026-01-00",
		"1969-12-31", "2026/12/25", " 2026-12-25", "2026-12-25 ",
		"2026-12-25T00:00", "20261225", "", "+026-12-25",
	};
	size_t	 i;

	for (i = 0; i < N(bad); i++)
		CU_ASSERT_EQUAL(cal_parse_date(bad[i]), -1);
	CU_ASSERT_EQUAL(cal_parse_date(NULL), -1);
}

static void
test_slaclock_working_24x7(void)
{

	CU_ASSERT_EQUAL(working(NULL, FRI_1600, MON_0900), 2 * DAY + 17 * HOUR);
	CU_ASSERT_EQUAL(working(NULL, MON_0900, FRI_1600), 0);
	CU_ASSERT_EQUAL(working(NULL, MON_0900, MON_0900), 0);
	CU_ASSERT_EQUAL(due(NULL, FRI_1600, 2 * HOUR), FRI_1600 + 2 * HOUR);
}

static void
test_slaclock_working_nights(void)
{

	/* Monday 17:00 to Tuesday 09:00, then Monday 16:00 to Tuesday 10:00. */
	CU_ASSERT_EQUAL(working(&office, MON_0900 + 8 * HOUR,
	    MON_0900 + DAY), 0);
	CU_ASSERT_EQUAL(working(&office, MON_0900 + 7 * HOUR,
	    MON_0900 + DAY + HOUR), 2 * HOUR);
}

static void
test_slaclock_working_weekend(void)
{

	CU_ASSERT_EQUAL(working(&office, FRI_1600, MON_0900 + HOUR), 2 * HOUR);
	CU_ASSERT_EQUAL(working(&office, SAT_1200, SAT_1200 + DAY), 0);
	/* Opened on Saturday: counting starts Monday 09:00. */
	CU_ASSERT_EQUAL(working(&office, SAT_1200,
	    MON_0900 + 30 * MIN), 30 * MIN);
}

/* Opened at 08:00: the hour before opening counts nothing. */
static void
test_slaclock_working_before_opening(void)
{

	CU_ASSERT_EQUAL(working(&office, MON_0900 - HOUR,
	    MON_0900 + HOUR), HOUR);
	CU_ASSERT_EQUAL(due(&office, MON_0900 - HOUR, HOUR), MON_0900 + HOUR);
}

/* 2026-12-25 is a Friday: Thursday 16:00 to Monday 10:00 is 2 hours. */
static void
test_slaclock_working_holiday(void)
{
	static const int	 holidays[] = { 20261225, 20261231 };
	struct sla_calendar	 cal = office;
	const time_t		 thu_1600 = 1798128000, mon_1000 = 1798452000;

	CU_ASSERT_EQUAL(working(&cal, thu_1600, mon_1000), 10 * HOUR);
	cal.holidays = holidays;
	cal.nholidays = N(holidays);
	CU_ASSERT_EQUAL(working(&cal, thu_1600, mon_1000), 2 * HOUR);
	CU_ASSERT_EQUAL(due(&cal, thu_1600, 2 * HOUR), mon_1000);
}

/* 2026 has 261 weekdays; Berlin's DST changes fall on Sunday nights. */
static void
test_slaclock_working_year(void)
{

	/* 2026-01-01T00:00:00Z to 2027-01-01T00:00:00Z. */
	CU_ASSERT_EQUAL(working(&office, 1767225600, 1798761600),
	    261 * 8 * HOUR);
	/* The same local year in Berlin, CET at both ends. */
	CU_ASSERT_EQUAL(working(&office_berlin, 1767222000,
	    1798758000), 261 * 8 * HOUR);
}

/* A ticket opened Friday 16:00 with a 2 hour limit is due Monday 10:00. */
static void
test_slaclock_add_working_weekend(void)
{

	CU_ASSERT_EQUAL(due(&office, FRI_1600, 2 * HOUR), MON_0900 + HOUR);
	/* Ending exactly at closing time is closing time. */
	CU_ASSERT_EQUAL(due(&office, FRI_1600, HOUR), FRI_1600 + HOUR);
	CU_ASSERT_EQUAL(due(&office, FRI_1600, HOUR + 1), MON_0900 + 1);
	/* Opened on Saturday. */
	CU_ASSERT_EQUAL(due(&office, SAT_1200, HOUR), MON_0900 + HOUR);
}

static void
test_slaclock_add_working_zero(void)
{

	CU_ASSERT_EQUAL(due(&office, SAT_1200, 0), SAT_1200);
	CU_ASSERT_EQUAL(due(&office, SAT_1200, -5), SAT_1200);
	CU_ASSERT_EQUAL(due(NULL, SAT_1200, 0), SAT_1200);
}

/*
 * Open only on Mondays, and every Monday from 2026-03-30 a holiday:
 * 500 of them (3500 days) are waited out, 600 (4200 days) are more
 * than CAL_SEARCH_DAYS.
 */
static void
test_slaclock_add_working_gives_up(void)
{
	static int		 mondays[600];
	struct sla_calendar	 cal = { .zone = "UTC" };
	struct tm		 tm;
	time_t			 t;
	size_t			 i;

	cal.open[1] = 540;
	cal.close[1] = 1020;
	for (i = 0; i < N(mondays); i++) {
		t = MON_0900 + (time_t)i * 7 * DAY;
		CU_ASSERT_EQUAL_FATAL(tz_local("UTC", t, &tm), 0);
		mondays[i] = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) *
		    100 + tm.tm_mday;
	}
	cal.holidays = mondays;
	cal.nholidays = 500;
	CU_ASSERT_TRUE(cal_valid(&cal));
	CU_ASSERT_EQUAL(due(&cal, SAT_1200, 1), MON_0900 + 500 * 7 * DAY + 1);
	cal.nholidays = 600;
	CU_ASSERT_EQUAL(due(&cal, SAT_1200, 1), (time_t)-1);
}

/*
 * Open all day every day in Berlin: working time is real time, so the
 * local days of the changes last 23 and 25 hours.
 */
static void
test_slaclock_dst_day_lengths(void)
{
	/* Local midnights: 2026-03-29, 03-30, 10-25, 10-26. */
	const time_t	 mar29 = 1774738800, mar30 = 1774821600;
	const time_t	 oct25 = 1792879200, oct26 = 1792969200;

	CU_ASSERT_EQUAL(working(&always_berlin, mar29, mar30), 23 * HOUR);
	CU_ASSERT_EQUAL(working(&always_berlin, oct25, oct26), 25 * HOUR);
	CU_ASSERT_EQUAL(working(&always_berlin, mar30, mar30 + DAY), 24 * HOUR);
	CU_ASSERT_EQUAL(due(&always_berlin, mar29, 23 * HOUR), mar30);
	CU_ASSERT_EQUAL(due(&always_berlin, oct25, 25 * HOUR), oct26);
}

/* 01:00-04:00 on Sundays holds the change: 2 hours in March, 4 in October. */
static void
test_slaclock_dst_inside_hours(void)
{
	const time_t	 mar29 = 1774738800, oct25 = 1792879200;

	CU_ASSERT_EQUAL(working(&sunday_night_berlin, mar29,
	    mar29 + DAY), 2 * HOUR);
	CU_ASSERT_EQUAL(working(&sunday_night_berlin, oct25,
	    oct25 + DAY), 4 * HOUR);
	CU_ASSERT_EQUAL(working(&sunday_night_berlin,
	    oct25 - 7 * DAY, oct25 - 6 * DAY), 3 * HOUR);
	/* 3 hours from Sunday midnight: 2 that night, 1 the next Sunday. */
	CU_ASSERT_EQUAL(due(&sunday_night_berlin, mar29, 3 * HOUR),
	    1775347200);	/* 2026-04-05 02:00 CEST, 04-05T00:00:00Z */
}

/* Sao Paulo's midnight changes: 2018-11-04 lasts 23 hours, 2019-02-16 25. */
static void
test_slaclock_dst_at_midnight(void)
{

	CU_ASSERT_EQUAL(working(&always_sao_paulo, 1541214000,
	    1541300400), 24 * HOUR);	/* 2018-11-03 */
	CU_ASSERT_EQUAL(working(&always_sao_paulo, 1541300400,
	    1541383200), 23 * HOUR);	/* 2018-11-04 */
	CU_ASSERT_EQUAL(working(&always_sao_paulo, 1550282400,
	    1550372400), 25 * HOUR);	/* 2019-02-16 */
	/* Inside the repeated hour: one second, not zero or two. */
	CU_ASSERT_EQUAL(working(&always_sao_paulo, 1550368800, 1550368801), 1);
}

/*
 * St. John's fell back at 00:01 NDT on 2009-11-01 to 23:01 NST of
 * 10-31 (02:31:00Z), so Sunday began (00:00 NDT, 02:30:00Z) before
 * Saturday's last hour came round again.  A day runs from its first
 * midnight to the next, so that hour is Sunday's.
 */
static void
test_slaclock_dst_fall_back_past_midnight(void)
{
	struct sla_calendar	 cal = { .zone = "America/St_Johns",
	    ALL_DAY_HOURS };
	/* 10-31 12:00 NDT, and 23:30 NST the second time round. */
	const time_t		 sat_1200 = 1256999400, again = 1257044400;

	CU_ASSERT_EQUAL(at(cal.zone, 2009, 11, 1, 0), 1257042600);
	CU_ASSERT_EQUAL(at(cal.zone, 2009, 10, 31, 1410),
	    1257040800);	/* 23:30 NDT, the first time */
	CU_ASSERT_EQUAL(working(&cal, sat_1200, again), again - sat_1200);
	cal.open[0] = cal.close[0] = 0;	/* closed on Sunday */
	CU_ASSERT_EQUAL(working(&cal, sat_1200, again), 12 * HOUR);
}

/* Friday 16:00 CET plus 2 working hours is Monday 10:00 CEST. */
static void
test_slaclock_dst_office_due(void)
{

	CU_ASSERT_EQUAL(due(&office_berlin, 1774623600, 2 * HOUR), 1774857600);
	CU_ASSERT_EQUAL(working(&office_berlin, 1774623600,
	    1774857600), 2 * HOUR);
}

/*
 * Whether due(from, amount) is the first instant by which amount has
 * been worked: exactly amount by then, a second less just before.
 */
static bool
due_is_first(const struct sla_calendar *cal, time_t from, long long amount)
{
	time_t	 to;

	to = due(cal, from, amount);
	return working(cal, from, to) == amount &&
	    working(cal, from, to - 1) == amount - 1;
}

/*
 * cal_add_working inverts cal_working_seconds, from every 7th hour of
 * 16 days around each of Berlin's 2026 changes.
 */
static void
test_slaclock_add_working_inverse(void)
{
	static const long long	 amounts[] = { 1, HOUR, 8 * HOUR, 30001,
	    100000 };
	/* 2026-03-20T09:46:40Z and 2026-10-17T01:20:00Z. */
	static const time_t	 starts[] = { 1774000000, 1792200000 };
	const struct sla_calendar *cals[] = { &office_berlin, &always_berlin,
	    &sunday_night_berlin, &office };
	size_t			 c, a, s;
	int			 h;

	for (c = 0; c < N(cals); c++)
		for (s = 0; s < N(starts); s++)
			for (h = 0; h < 24 * 16; h += 7)
				for (a = 0; a < N(amounts); a++)
					CU_ASSERT_TRUE(due_is_first(cals[c],
					    starts[s] + h * HOUR, amounts[a]));
}

static void
test_slaclock_cal_valid(void)
{
	static const int	 sorted[] = { 20261224, 20261224, 20261225 };
	struct sla_calendar	 cal = office;

	CU_ASSERT_TRUE(cal_valid(NULL));
	CU_ASSERT_TRUE(cal_valid(&office));
	CU_ASSERT_TRUE(cal_valid(&office_berlin));
	CU_ASSERT_TRUE(cal_valid(&sunday_night_berlin));
	cal.zone[0] = '\0';
	CU_ASSERT_TRUE(cal_valid(&cal));
	cal.holidays = sorted;
	cal.nholidays = N(sorted);
	CU_ASSERT_TRUE(cal_valid(&cal));
}

static void
test_slaclock_cal_invalid(void)
{
	static const int	 unsorted[] = { 20261225, 20261224 };
	static const int	 unreal[] = { 20260229 };
	struct sla_calendar	 cal;

	cal = office;
	strcpy(cal.zone, "Nope/Zone");
	CU_ASSERT_FALSE(cal_valid(&cal));
	CU_ASSERT_EQUAL(working(&cal, FRI_1600, MON_0900), -1);
	cal = office;
	memset(cal.zone, 'A', sizeof(cal.zone));	/* unterminated */
	CU_ASSERT_FALSE(cal_valid(&cal));
	CU_ASSERT_EQUAL(due(&cal, FRI_1600, HOUR), (time_t)-1);
	cal = office;
	cal.open[1] = 1030;	/* after closing */
	CU_ASSERT_FALSE(cal_valid(&cal));
	CU_ASSERT_EQUAL(working(&cal, FRI_1600, MON_0900), -1);
	cal = office;
	cal.close[2] = 1441;
	CU_ASSERT_FALSE(cal_valid(&cal));
	cal = office;
	cal.open[3] = -1;
	CU_ASSERT_FALSE(cal_valid(&cal));
	cal = (struct sla_calendar){ .zone = "UTC" };	/* never open */
	CU_ASSERT_FALSE(cal_valid(&cal));
	CU_ASSERT_EQUAL(due(&cal, FRI_1600, HOUR), (time_t)-1);
	cal = office;
	cal.holidays = unsorted;
	cal.nholidays = N(unsorted);
	CU_ASSERT_FALSE(cal_valid(&cal));
	cal.holidays = unreal;
	cal.nholidays = N(unreal);
	CU_ASSERT_FALSE(cal_valid(&cal));
	cal.holidays = NULL;
	CU_ASSERT_FALSE(cal_valid(&cal));
}

static void
test_slaclock_clock_24x7(void)
{
	struct sla_clock	 c = { .start = FRI_1600, .limit = 4 * HOUR };

	CU_ASSERT_EQUAL(sla_elapsed(&c, FRI_1600 + 3 * HOUR), 3 * HOUR);
	CU_ASSERT_EQUAL(sla_elapsed(&c, FRI_1600 - HOUR), 0);
	CU_ASSERT_EQUAL(sla_when(&c, 100, FRI_1600), FRI_1600 + 4 * HOUR);
	CU_ASSERT_EQUAL(sla_when(&c, 75, FRI_1600), FRI_1600 + 3 * HOUR);
	CU_ASSERT_EQUAL(sla_elapsed(NULL, FRI_1600), 0);
	CU_ASSERT_EQUAL(sla_when(NULL, 100, FRI_1600), 0);
	CU_ASSERT_EQUAL(sla_pause_seconds(NULL, FRI_1600, MON_0900), 0);
}

/* Office hours, opened Friday 16:00 with 2 hours. */
static void
test_slaclock_clock_when_percent(void)
{
	struct sla_clock	 c = {
		.start = FRI_1600, .limit = 2 * HOUR, .cal = &office,
	};

	CU_ASSERT_EQUAL(sla_when(&c, 0, FRI_1600), FRI_1600);
	CU_ASSERT_EQUAL(sla_when(&c, 50, FRI_1600), FRI_1600 + HOUR);
	CU_ASSERT_EQUAL(sla_when(&c, 75, FRI_1600), MON_0900 + 30 * MIN);
	CU_ASSERT_EQUAL(sla_when(&c, 100, FRI_1600), MON_0900 + HOUR);
	/* In the past is still an answer. */
	CU_ASSERT_EQUAL(sla_when(&c, 50, MON_0900 + 7 * DAY), FRI_1600 + HOUR);
	CU_ASSERT_EQUAL(sla_when(&c, 101, FRI_1600), (time_t)-1);
	CU_ASSERT_EQUAL(sla_when(&c, -1, FRI_1600), (time_t)-1);
	/* The mark is rounded up: 50 % of 3 s is reached at 2 s. */
	c.cal = NULL;
	c.limit = 3;
	CU_ASSERT_EQUAL(sla_when(&c, 50, FRI_1600), FRI_1600 + 2);
}

static void
test_slaclock_clock_stopped(void)
{
	struct sla_clock	 c = {
		.start = FRI_1600, .stopped = MON_0900 + 30 * MIN,
		.limit = 2 * HOUR, .cal = &office,
	};

	CU_ASSERT_EQUAL(sla_elapsed(&c, MON_0900 + 30 * MIN), 90 * MIN);
	CU_ASSERT_EQUAL(sla_elapsed(&c, MON_0900 + 30 * DAY), 90 * MIN);
	CU_ASSERT_EQUAL(sla_when(&c, 100, MON_0900 + 30 * MIN), 0);
	/* Before the stop the clock runs as usual. */
	CU_ASSERT_EQUAL(sla_elapsed(&c, FRI_1600 + 30 * MIN), 30 * MIN);
	/* A stop still to come: reached before it, or never. */
	CU_ASSERT_EQUAL(sla_when(&c, 50, FRI_1600), FRI_1600 + HOUR);
	CU_ASSERT_EQUAL(sla_when(&c, 100, FRI_1600), 0);
}

/* Paused Friday 17:00 to Monday 09:00: nothing changes. */
static void
test_slaclock_pause_weekend(void)
{
	struct sla_clock	 c = {
		.start = FRI_1600, .limit = 2 * HOUR, .cal = &office,
		.paused_since = FRI_1600 + HOUR,
	};

	CU_ASSERT_EQUAL(sla_elapsed(&c, SAT_1200), HOUR);
	CU_ASSERT_EQUAL(sla_when(&c, 100, SAT_1200), 0);
	CU_ASSERT_EQUAL(sla_pause_seconds(&c, FRI_1600 + HOUR, MON_0900), 0);
	c.paused_since = 0;
	CU_ASSERT_EQUAL(sla_when(&c, 100, MON_0900), MON_0900 + HOUR);
}

/* Paused Friday 16:30 to Monday 09:30: due an hour later, 11:00. */
static void
test_slaclock_pause_moves_due(void)
{
	struct sla_clock	 c = {
		.start = FRI_1600, .limit = 2 * HOUR, .cal = &office,
		.paused_since = FRI_1600 + 30 * MIN,
	};
	long long		 p;

	/* While paused, elapsed stays put and there is no due instant. */
	CU_ASSERT_EQUAL(sla_elapsed(&c, SAT_1200), 30 * MIN);
	CU_ASSERT_EQUAL(sla_elapsed(&c, MON_0900 + 15 * MIN), 30 * MIN);
	CU_ASSERT_EQUAL(sla_when(&c, 100, MON_0900), 0);
	p = sla_pause_seconds(&c, c.paused_since, MON_0900 + 30 * MIN);
	CU_ASSERT_EQUAL(p, HOUR);
	c.paused += p;
	c.paused_since = 0;
	CU_ASSERT_EQUAL(sla_when(&c, 100, MON_0900 + 30 * MIN),
	    MON_0900 + 2 * HOUR);
	CU_ASSERT_EQUAL(sla_elapsed(&c, MON_0900 + 30 * MIN), 30 * MIN);
	CU_ASSERT_EQUAL(sla_elapsed(&c, MON_0900 + 2 * HOUR), 2 * HOUR);
	CU_ASSERT_EQUAL(sla_level_of(sla_elapsed(&c, MON_0900 + HOUR),
	    c.limit), SLA_WARNING);
}

/* A pause only counts within the clock's life. */
static void
test_slaclock_pause_clipped(void)
{
	struct sla_clock	 c = {
		.start = MON_0900, .stopped = MON_0900 + 2 * HOUR,
		.limit = 8 * HOUR, .cal = &office,
	};

	CU_ASSERT_EQUAL(sla_pause_seconds(&c, FRI_1600, MON_0900 + HOUR), HOUR);
	CU_ASSERT_EQUAL(sla_pause_seconds(&c, MON_0900 + HOUR,
	    MON_0900 + 5 * HOUR), HOUR);
	CU_ASSERT_EQUAL(sla_pause_seconds(&c, MON_0900 + HOUR, MON_0900), 0);
	/* More paused than worked: never negative. */
	c.paused = 10 * HOUR;
	CU_ASSERT_EQUAL(sla_elapsed(&c, MON_0900 + HOUR), 0);
}

static const struct unit_test tests[] = {
	{ "test_slaclock_level_names", test_slaclock_level_names },
	{ "test_slaclock_level_parse", test_slaclock_level_parse },
	{ "test_slaclock_level_boundaries", test_slaclock_level_boundaries },
	{ "test_slaclock_level_exact_fractions", test_slaclock_level_exact_fractions },
	{ "test_slaclock_level_limit_zero", test_slaclock_level_limit_zero },
	{ "test_slaclock_percent_capped", test_slaclock_percent_capped },
	{ "test_slaclock_parse_hhmm", test_slaclock_parse_hhmm },
	{ "test_slaclock_parse_hhmm_invalid", test_slaclock_parse_hhmm_invalid },
	{ "test_slaclock_parse_date", test_slaclock_parse_date },
	{ "test_slaclock_parse_date_invalid", test_slaclock_parse_date_invalid },
	{ "test_slaclock_working_24x7", test_slaclock_working_24x7 },
	{ "test_slaclock_working_nights", test_slaclock_working_nights },
	{ "test_slaclock_working_weekend", test_slaclock_working_weekend },
	{ "test_slaclock_working_before_opening", test_slaclock_working_before_opening },
	{ "test_slaclock_working_holiday", test_slaclock_working_holiday },
	{ "test_slaclock_working_year", test_slaclock_working_year },
	{ "test_slaclock_add_working_weekend", test_slaclock_add_working_weekend },
	{ "test_slaclock_add_working_zero", test_slaclock_add_working_zero },
	{ "test_slaclock_add_working_gives_up", test_slaclock_add_working_gives_up },
	{ "test_slaclock_dst_day_lengths", test_slaclock_dst_day_lengths },
	{ "test_slaclock_dst_inside_hours", test_slaclock_dst_inside_hours },
	{ "test_slaclock_dst_at_midnight", test_slaclock_dst_at_midnight },
	{ "dst_fall_back_past_midnight",
	    test_slaclock_dst_fall_back_past_midnight },
	{ "test_slaclock_dst_office_due", test_slaclock_dst_office_due },
	{ "test_slaclock_add_working_inverse", test_slaclock_add_working_inverse },
	{ "test_slaclock_cal_valid", test_slaclock_cal_valid },
	{ "test_slaclock_cal_invalid", test_slaclock_cal_invalid },
	{ "test_slaclock_clock_24x7", test_slaclock_clock_24x7 },
	{ "test_slaclock_clock_when_percent", test_slaclock_clock_when_percent },
	{ "test_slaclock_clock_stopped", test_slaclock_clock_stopped },
	{ "test_slaclock_pause_weekend", test_slaclock_pause_weekend },
	{ "test_slaclock_pause_moves_due", test_slaclock_pause_moves_due },
	{ "test_slaclock_pause_clipped", test_slaclock_pause_clipped },
};

int
suite_slaclock(void)
{
	return UNIT_SUITE("slaclock", tests);
}
