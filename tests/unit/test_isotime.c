/*
 * core/isotime: every input form CONTRACT sections 1 and 9 accept, the
 * ones they refuse, and the one output form.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "core/isotime.h"
#include "suites.h"

/* 2025-01-01T10:00:00Z */
#define T_2025	((time_t)1735725600)

/* Parses s to exactly want. */
static bool
parses_to(const char *s, time_t want)
{
	time_t	 t = -1;

	return isotime_parse(s, &t) == 0 && t == want;
}

static bool
refused(const char *s)
{
	time_t	 t;

	return isotime_parse(s, &t) == -1;
}

static void
test_isotime_zulu(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T10:00:00Z", T_2025));
}

static void
test_isotime_lowercase_zulu(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T10:00:00z", T_2025));
}

static void
test_isotime_no_zone_is_utc(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T10:00:00", T_2025));
}

static void
test_isotime_positive_offset(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T12:00:00+02:00", T_2025));
}

static void
test_isotime_negative_offset(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T04:30:00-05:30", T_2025));
}

static void
test_isotime_offset_without_colon(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T12:00:00+0200", T_2025));
}

static void
test_isotime_offset_hours_only(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T12:00:00+02", T_2025));
}

static void
test_isotime_offset_max(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-02T09:59:00+23:59", T_2025));
}

static void
test_isotime_fraction_dropped(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T10:00:00.000Z", T_2025));
}

static void
test_isotime_long_fraction_not_rounded(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T10:00:00.999999999+00:00",
	    T_2025));
}

static void
test_isotime_minute_precision(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01T10:00", T_2025));
}

static void
test_isotime_space_separator(void)
{

	CU_ASSERT_TRUE(parses_to("2025-01-01 10:00:00", T_2025));
}

static void
test_isotime_leap_day(void)
{

	CU_ASSERT_TRUE(parses_to("2024-02-29T00:00:00Z", (time_t)1709164800));
}

static void
test_isotime_epoch(void)
{

	CU_ASSERT_TRUE(parses_to("1970-01-01T00:00:00Z", 0));
}

static void
test_isotime_date_alone_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01"));
}

static void
test_isotime_garbage_refused(void)
{

	CU_ASSERT_TRUE(refused("yesterday"));
}

static void
test_isotime_empty_refused(void)
{

	CU_ASSERT_TRUE(refused(""));
}

static void
test_isotime_null_refused(void)
{
	time_t	 t;

	CU_ASSERT_EQUAL(isotime_parse(NULL, &t), -1);
}

static void
test_isotime_feb_29_non_leap_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-02-29T00:00:00Z"));
}

static void
test_isotime_feb_29_century_refused(void)
{

	CU_ASSERT_TRUE(refused("2100-02-29T00:00:00Z"));
}

static void
test_isotime_feb_30_refused(void)
{

	CU_ASSERT_TRUE(refused("2024-02-30T00:00:00Z"));
}

static void
test_isotime_april_31_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-04-31T00:00:00Z"));
}

static void
test_isotime_month_13_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-13-01T00:00:00Z"));
}

static void
test_isotime_hour_24_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T24:00:00Z"));
}

static void
test_isotime_minute_60_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T10:60:00Z"));
}

static void
test_isotime_second_60_refused(void)
{

	CU_ASSERT_TRUE(refused("2016-12-31T23:59:60Z"));
}

static void
test_isotime_trailing_chars_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T10:00:00Zx"));
}

static void
test_isotime_trailing_space_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T10:00:00 "));
}

static void
test_isotime_offset_hour_24_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T10:00:00+24:00"));
}

static void
test_isotime_offset_minute_60_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T10:00:00+01:60"));
}

static void
test_isotime_offset_one_digit_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T10:00:00+2"));
}

static void
test_isotime_empty_fraction_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T10:00:00.Z"));
}

static void
test_isotime_fraction_without_seconds_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-01-01T10:00.5"));
}

static void
test_isotime_one_digit_fields_refused(void)
{

	CU_ASSERT_TRUE(refused("2025-1-1T10:00:00Z"));
}

static void
test_isotime_year_before_1970_refused(void)
{

	CU_ASSERT_TRUE(refused("1969-12-31T23:59:59Z"));
}

static void
test_isotime_offset_before_epoch_refused(void)
{

	CU_ASSERT_TRUE(refused("1970-01-01T00:00:00+01:00"));
}

static void
test_isotime_year_9999_end(void)
{

	CU_ASSERT_TRUE(parses_to("9999-12-31T23:59:59Z",
	    (time_t)253402300799LL));
}

static void
test_isotime_offset_past_9999_refused(void)
{

	CU_ASSERT_TRUE(refused("9999-12-31T23:59:59-01:00"));
}

static void
test_isotime_format_utc(void)
{
	char	 buf[ISOTIME_LEN + 1];

	isotime_format(T_2025, buf);
	CU_ASSERT_STRING_EQUAL(buf, "2025-01-01T10:00:00Z");
}

static void
test_isotime_format_round_trips(void)
{
	char	 buf[ISOTIME_LEN + 1];
	time_t	 t = -1;

	isotime_format((time_t)1709164799, buf);
	CU_ASSERT_TRUE(isotime_parse(buf, &t) == 0 && t == 1709164799);
}

/* What isotime_format wrote with gmtime_r and strftime. */
static void
libc_format(time_t t, char out[ISOTIME_LEN + 1])
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, ISOTIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The library's text for days from 1970 to 9999 (at a second of the
 * day that moves), the leap days and ends of the range, and a spread
 * of instants.
 */
static void
test_isotime_format_as_libc(void)
{
	static const long long	 edges[] = { 0, 1, 59, 60, 3599, 86399, 86400,
	    951782400, 951868799, 4107542399, 4107542400, 253402300799 };
	char			 a[ISOTIME_LEN + 1], b[ISOTIME_LEN + 1];
	long long		 t, bad = 0;
	size_t			 i;

	/* Every day to 2500, then every 17th: about 300,000 instants. */
	for (t = 0; t <= 253402300799LL;
	    t += t < 16725225600LL ? 86400 + 7 : 17 * 86400 + 7) {
		isotime_format((time_t)t, a);
		libc_format((time_t)t, b);
		bad += strcmp(a, b) != 0;
	}
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		isotime_format((time_t)edges[i], a);
		libc_format((time_t)edges[i], b);
		bad += strcmp(a, b) != 0;
	}
	for (t = 1; t < 253402300799LL; t = t * 3 + 1) {
		isotime_format((time_t)t, a);
		libc_format((time_t)t, b);
		bad += strcmp(a, b) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* c as gmtime_r gives t, and back to t as timegm: 0 or 1 for a miss. */
static int
civil_miss(long long t)
{
	struct civil	 c;
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	isotime_to_civil(t, &c);
	if (gmtime_r(&tt, &tm) == NULL)
		return 1;
	if (c.year != tm.tm_year + 1900 || c.mon != tm.tm_mon + 1 ||
	    c.day != tm.tm_mday || c.hour != tm.tm_hour ||
	    c.min != tm.tm_min || c.sec != tm.tm_sec)
		return 1;
	return isotime_from_civil(&c) != (long long)timegm(&tm);
}

/*
 * The calendar arithmetic db/db.c converts DATETIMEs with, both ways,
 * against the C library, from year 1600 to 9999 and around the epoch
 * (where the floor division of negative times matters).
 */
static void
test_isotime_civil_as_libc(void)
{
	static const long long	 edges[] = { -86401, -86400, -86399, -1, 0, 1,
	    -11644473600LL, -2208988800LL, 951782400, 253402300799LL };
	long long		 t, bad = 0;
	size_t			 i;

	for (t = -11676096000LL; t <= 253402300799LL; t += 86400 * 5 + 3601)
		bad += civil_miss(t);
	for (t = -3 * 86400; t <= 3 * 86400; t += 599)
		bad += civil_miss(t);
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		bad += civil_miss(edges[i]);
	CU_ASSERT_EQUAL(bad, 0);
}

static void
test_isotime_format_clamps(void)
{
	char	 buf[ISOTIME_LEN + 1];

	isotime_format((time_t)-1, buf);
	CU_ASSERT_STRING_EQUAL(buf, "1970-01-01T00:00:00Z");
	isotime_format((time_t)253402300800LL, buf);
	CU_ASSERT_STRING_EQUAL(buf, "9999-12-31T23:59:59Z");
}

/* Every one of bad[0..n) refused. */
static void
all_refused(const char *const *bad, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		CU_ASSERT_TRUE(refused(bad[i]));
}

/* The calendar's edges: leap years by all three rules, month lengths. */
static void
test_isotime_calendar_edges(void)
{
	static const char *const bad[] = {
		"2100-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
		"2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z",
		"2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z",
		"2024-01-01T24:00:00Z",
	};

	CU_ASSERT_TRUE(parses_to("2000-02-29T00:00:00Z", (time_t)951782400));
	CU_ASSERT_TRUE(parses_to("2024-02-29T00:00:00Z", (time_t)1709164800));
	all_refused(bad, sizeof(bad) / sizeof(bad[0]));
}

/* Separators and zones, each accepted or refused on its own. */
static void
test_isotime_shapes(void)
{
	static const char *const bad[] = {
		"2024/01/01T10:00:00Z", "2024-01/01T10:00:00Z",
		"202-01-01T10:00:00Z", "2024-1-01T10:00:00Z",
		"2024-01-1T10:00:00Z", "2024-01-01X10:00:00Z",
		"2024-01-01T10-00:00Z", "2024-01-01T1:00:00Z",
		"2024-01-01T10:0Z", "2024-01-01T10:00:5Z",
		"2024-01-01T10:00:00+02:", "2024-01-01T10:00:00+02:3",
		"2024-01-01T10:00:00+023", "2024-01-01T10:00:00+2",
		"2024-01-01T10:00:00UTC",
	};

	CU_ASSERT_TRUE(parses_to("2024-01-01 10:00:00Z", (time_t)1704103200));
	CU_ASSERT_TRUE(parses_to("2024-01-01T10:00z", (time_t)1704103200));
	CU_ASSERT_TRUE(parses_to("2024-01-01T12:30:00+0230",
	    (time_t)1704103200));
	CU_ASSERT_TRUE(parses_to("2024-01-01T07:00-03", (time_t)1704103200));
	all_refused(bad, sizeof(bad) / sizeof(bad[0]));
}

static const struct unit_test tests[] = {
	{ "test_isotime_zulu", test_isotime_zulu },
	{ "test_isotime_lowercase_zulu", test_isotime_lowercase_zulu },
	{ "test_isotime_no_zone_is_utc", test_isotime_no_zone_is_utc },
	{ "test_isotime_positive_offset", test_isotime_positive_offset },
	{ "test_isotime_negative_offset", test_isotime_negative_offset },
	{ "test_isotime_offset_without_colon",
	    test_isotime_offset_without_colon },
	{ "test_isotime_offset_hours_only", test_isotime_offset_hours_only },
	{ "test_isotime_offset_max", test_isotime_offset_max },
	{ "test_isotime_fraction_dropped", test_isotime_fraction_dropped },
	{ "test_isotime_long_fraction_not_rounded",
	    test_isotime_long_fraction_not_rounded },
	{ "test_isotime_minute_precision", test_isotime_minute_precision },
	{ "test_isotime_space_separator", test_isotime_space_separator },
	{ "test_isotime_leap_day", test_isotime_leap_day },
	{ "test_isotime_epoch", test_isotime_epoch },
	{ "test_isotime_date_alone_refused", test_isotime_date_alone_refused },
	{ "test_isotime_garbage_refused", test_isotime_garbage_refused },
	{ "test_isotime_empty_refused", test_isotime_empty_refused },
	{ "test_isotime_null_refused", test_isotime_null_refused },
	{ "test_isotime_feb_29_non_leap_refused",
	    test_isotime_feb_29_non_leap_refused },
	{ "test_isotime_feb_29_century_refused",
	    test_isotime_feb_29_century_refused },
	{ "test_isotime_feb_30_refused", test_isotime_feb_30_refused },
	{ "test_isotime_april_31_refused", test_isotime_april_31_refused },
	{ "test_isotime_month_13_refused", test_isotime_month_13_refused },
	{ "test_isotime_hour_24_refused", test_isotime_hour_24_refused },
	{ "test_isotime_minute_60_refused", test_isotime_minute_60_refused },
	{ "test_isotime_second_60_refused", test_isotime_second_60_refused },
	{ "test_isotime_trailing_chars_refused",
	    test_isotime_trailing_chars_refused },
	{ "test_isotime_trailing_space_refused",
	    test_isotime_trailing_space_refused },
	{ "test_isotime_offset_hour_24_refused",
	    test_isotime_offset_hour_24_refused },
	{ "test_isotime_offset_minute_60_refused",
	    test_isotime_offset_minute_60_refused },
	{ "test_isotime_offset_one_digit_refused",
	    test_isotime_offset_one_digit_refused },
	{ "test_isotime_empty_fraction_refused",
	    test_isotime_empty_fraction_refused },
	{ "test_isotime_fraction_without_seconds_refused",
	    test_isotime_fraction_without_seconds_refused },
	{ "test_isotime_one_digit_fields_refused",
	    test_isotime_one_digit_fields_refused },
	{ "test_isotime_year_before_1970_refused",
	    test_isotime_year_before_1970_refused },
	{ "test_isotime_offset_before_epoch_refused",
	    test_isotime_offset_before_epoch_refused },
	{ "test_isotime_year_9999_end", test_isotime_year_9999_end },
	{ "test_isotime_offset_past_9999_refused",
	    test_isotime_offset_past_9999_refused },
	{ "test_isotime_format_utc", test_isotime_format_utc },
	{ "test_isotime_format_round_trips", test_isotime_format_round_trips },
	{ "test_isotime_format_as_libc", test_isotime_format_as_libc },
	{ "test_isotime_format_clamps", test_isotime_format_clamps },
	{ "test_isotime_civil_as_libc", test_isotime_civil_as_libc },
	{ "test_isotime_calendar_edges", test_isotime_calendar_edges },
	{ "test_isotime_shapes", test_isotime_shapes },
};

int
suite_isotime(void)
{

	return UNIT_SUITE("isotime", tests);
}
