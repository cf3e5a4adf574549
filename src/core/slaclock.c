/*
 * Ticket SLA clocks (core/slaclock.h).  Levels compare integers exactly
 * so that a boundary is never missed by a rounding.  Calendars are
 * walked one local day at a time: each open day's hours become instants
 * through tz_instant, so DST changes are counted as the real time that
 * passes, and closed days (weekends, holidays) cost no time zone work.
 * No week is skipped wholesale: a DST period can be as short as seven
 * days (Brazil, 2000), so equal offsets at both ends of a week prove
 * nothing, and tzdata cannot be asked for its changes through libc.
 */
#include "config.h"

#include <assert.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/slaclock.h"
#include "util/tz.h"

#define DAY		86400LL
#define DATE_YEAR_MIN	1970
#define DATE_YEAR_MAX	9999

static const char *const level_names[] = {
	[SLA_SAFE] = "SAFE",
	[SLA_WARNING] = "WARNING",
	[SLA_HIGH_RISK] = "HIGH_RISK",
	[SLA_BREACHED] = "BREACHED",
};
static_assert(sizeof(level_names) / sizeof(level_names[0]) == SLA_LEVEL__MAX,
    "level_names must name every enum sla_level");
static_assert(sizeof(((struct sla_calendar *)0)->zone) == TZ_NAME_MAX + 1,
    "a calendar's zone holds any name tz_valid accepts");

/* One local calendar day; wday 0 is Sunday, as in struct tm. */
struct day {
	int	 y, m, d, wday;
};

const char *
sla_level_name(enum sla_level l)
{

	if ((int)l < 0 || l >= SLA_LEVEL__MAX)
		return NULL;
	return level_names[l];
}

int
sla_level_parse(const char *s)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < SLA_LEVEL__MAX; i++)
		if (strcasecmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

/*
 * elapsed * 100 >= limit * p, for 0 <= elapsed < limit, rewritten so
 * that nothing can overflow: elapsed >= ceil(limit * p / 100), and for
 * p = 50 and 75 that ceiling is limit - floor(limit / 2) and
 * limit - floor(limit / 4).
 */
enum sla_level
sla_level_of(long long elapsed, long long limit)
{

	if (limit <= 0 || elapsed >= limit)
		return SLA_BREACHED;
	if (elapsed >= limit - limit / 4)
		return SLA_HIGH_RISK;
	if (elapsed >= limit - limit / 2)
		return SLA_WARNING;
	return SLA_SAFE;
}

double
sla_percent(long long elapsed, long long limit)
{

	if (limit <= 0 || elapsed >= limit)
		return 100.0;
	if (elapsed <= 0)
		return 0.0;
	return 100.0 * (double)elapsed / (double)limit;
}

static bool
leap_year(int y)
{

	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int	 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	return m == 2 && leap_year(y) ? 29 : mdays[m - 1];
}

static int
day_key(const struct day *dy)
{

	return dy->y * 10000 + dy->m * 100 + dy->d;
}

static void
day_next(struct day *dy)
{

	dy->wday = (dy->wday + 1) % 7;
	if (dy->d < days_in_month(dy->y, dy->m)) {
		dy->d++;
		return;
	}
	dy->d = 1;
	if (dy->m < 12) {
		dy->m++;
		return;
	}
	dy->m = 1;
	dy->y++;
}

/* The local day of t in the calendar's zone. */
static int
day_of(const struct sla_calendar *cal, time_t t, struct day *dy)
{
	struct tm	 tm;

	if (tz_local(cal->zone, t, &tm) == -1)
		return -1;
	dy->y = tm.tm_year + 1900;
	dy->m = tm.tm_mon + 1;
	dy->d = tm.tm_mday;
	dy->wday = tm.tm_wday;
	return 0;
}

/* A YYYYMMDD key of a real date in DATE_YEAR_MIN..DATE_YEAR_MAX. */
static bool
date_key_ok(int key)
{
	int	 y = key / 10000, m = key / 100 % 100, d = key % 100;

	return y >= DATE_YEAR_MIN && y <= DATE_YEAR_MAX && m >= 1 && m <= 12 &&
	    d >= 1 && d <= days_in_month(y, m);
}

static int
int_cmp(const void *a, const void *b)
{
	int	 x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/*
 * What the walks rely on, without reading tzdata (cal_valid does, once,
 * when the calendar is configured): a terminated zone, hours in bounds,
 * at least one open day.  Holiday order is cal_valid's: out of order
 * they only make bsearch miss some.
 */
static bool
cal_usable(const struct sla_calendar *cal)
{
	bool	 open = false;
	int	 i;

	if (memchr(cal->zone, '\0', sizeof(cal->zone)) == NULL)
		return false;
	if (cal->nholidays > 0 && cal->holidays == NULL)
		return false;
	for (i = 0; i < 7; i++) {
		if (cal->open[i] < 0 || cal->open[i] > cal->close[i] ||
		    cal->close[i] > 1440)
			return false;
		if (cal->open[i] < cal->close[i])
			open = true;
	}
	return open;
}

/*
 * A day's working hours as instants [*a, *b): 1, or 0 (and an empty
 * interval) when the day is closed, by weekday or holiday; -1 on a
 * zone error.
 */
static int
day_hours(const struct sla_calendar *cal, const struct day *dy,
    long long *a, long long *b)
{
	time_t	 ta, tb;
	int	 key;

	*a = *b = 0;
	if (cal->open[dy->wday] == cal->close[dy->wday])
		return 0;
	key = day_key(dy);
	if (cal->nholidays > 0 && bsearch(&key, cal->holidays, cal->nholidays,
	    sizeof(cal->holidays[0]), int_cmp) != NULL)
		return 0;
	ta = tz_instant(cal->zone, dy->y, dy->m, dy->d, cal->open[dy->wday]);
	tb = tz_instant(cal->zone, dy->y, dy->m, dy->d, cal->close[dy->wday]);
	if (ta == (time_t)-1 || tb == (time_t)-1)
		return -1;
	*a = ta;
	*b = tb;
	return 1;
}

/* to - from for from < to, saturated instead of overflowing. */
static long long
span(time_t from, time_t to)
{
	unsigned long long	 d;

	d = (unsigned long long)to - (unsigned long long)from;
	return d > LLONG_MAX ? LLONG_MAX : (long long)d;
}

/*
 * The walk starts on from's local day: tz_instant gives a day's opening
 * the earliest instant showing that wall time or later, so no earlier
 * day's hours reach past from.  It runs one day past to's local day: a
 * fall-back from just after midnight (St. John's at 00:01 until 2011)
 * starts a day and then shows the previous one again for an hour.  The
 * count only bounds the loop; the dates end it.
 */
long long
cal_working_seconds(const struct sla_calendar *cal, time_t from, time_t to)
{
	struct day	 dy, last;
	long long	 total = 0, a, b, s, e, ndays, i;
	int		 r, stop;

	if (to <= from)
		return 0;
	if (cal == NULL)
		return span(from, to);
	if (!cal_usable(cal) || day_of(cal, from, &dy) == -1 ||
	    day_of(cal, to, &last) == -1)
		return -1;
	day_next(&last);
	stop = day_key(&last);
	/* Offsets differ by 26 hours at most: a few days' margin. */
	ndays = span(from, to) / DAY + 8;
	for (i = 0; i < ndays && day_key(&dy) <= stop; i++, day_next(&dy)) {
		if ((r = day_hours(cal, &dy, &a, &b)) == -1)
			return -1;
		if (r == 0)
			continue;
		s = a > from ? a : from;
		e = b < to ? b : to;
		if (e > s)
			total += e - s;
	}
	return total;
}

time_t
cal_add_working(const struct sla_calendar *cal, time_t from,
    long long seconds)
{
	struct day	 dy;
	long long	 left = seconds, a, b, s;
	int		 i, idle = 0, r;

	if (seconds <= 0)
		return from;
	if (cal == NULL)
		return from > LLONG_MAX - seconds ? (time_t)-1 : from + seconds;
	if (!cal_usable(cal) || day_of(cal, from, &dy) == -1)
		return (time_t)-1;
	for (i = 0; i < CAL_WALK_DAYS && idle < CAL_SEARCH_DAYS;
	    i++, day_next(&dy)) {
		if ((r = day_hours(cal, &dy, &a, &b)) == -1)
			return (time_t)-1;
		s = a < from ? from : a;
		if (r == 0 || b <= s) {
			idle++;	/* closed, or over before from */
			continue;
		}
		idle = 0;
		if (left <= b - s)
			return (time_t)(s + left);
		left -= b - s;
	}
	return (time_t)-1;
}

/* Exactly n ASCII digits at s. */
static bool
digits(const char *s, int n, int *out)
{
	int	 i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int
cal_parse_hhmm(const char *s)
{
	int	 h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    !digits(s, 2, &h) || !digits(s + 3, 2, &m))
		return -1;
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

int
cal_parse_date(const char *s)
{
	int	 y, m, d, key;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d))
		return -1;
	key = y * 10000 + m * 100 + d;
	return date_key_ok(key) ? key : -1;
}

bool
cal_valid(const struct sla_calendar *cal)
{
	size_t	 i;

	if (cal == NULL)
		return true;
	if (!cal_usable(cal))
		return false;
	if (cal->zone[0] != '\0' && !tz_valid(cal->zone))
		return false;
	for (i = 0; i < cal->nholidays; i++) {
		if (!date_key_ok(cal->holidays[i]))
			return false;
		if (i > 0 && cal->holidays[i] < cal->holidays[i - 1])
			return false;
	}
	return true;
}

long long
sla_elapsed(const struct sla_clock *c, time_t now)
{
	time_t		 end = now;
	long long	 w;

	if (c == NULL)
		return 0;
	if (c->stopped != 0 && c->stopped < end)
		end = c->stopped;
	if (c->paused_since != 0 && c->paused_since < end)
		end = c->paused_since;
	if ((w = cal_working_seconds(c->cal, c->start, end)) == -1)
		return -1;
	if (c->paused > 0)
		w -= c->paused;
	return w < 0 ? 0 : w;
}

time_t
sla_when(const struct sla_clock *c, int percent, time_t now)
{
	long long	 limit, paused, target;
	time_t		 t;

	if (c == NULL)
		return 0;
	if (percent < 0 || percent > 100)
		return (time_t)-1;
	if ((c->stopped != 0 && c->stopped <= now) ||
	    (c->paused_since != 0 && c->paused_since <= now))
		return 0;
	limit = c->limit > 0 ? c->limit : 0;
	paused = c->paused > 0 ? c->paused : 0;
	if (limit > LLONG_MAX / 100)
		return (time_t)-1;
	target = (limit * percent + 99) / 100;
	if (target > LLONG_MAX - paused)
		return (time_t)-1;
	if ((t = cal_add_working(c->cal, c->start, target + paused)) ==
	    (time_t)-1)
		return (time_t)-1;
	/* A stop or pause still to come gets there first. */
	if ((c->stopped != 0 && t > c->stopped) ||
	    (c->paused_since != 0 && t > c->paused_since))
		return 0;
	return t;
}

long long
sla_pause_seconds(const struct sla_clock *c, time_t pause_start,
    time_t pause_end)
{

	if (c == NULL)
		return 0;
	if (pause_start < c->start)
		pause_start = c->start;
	if (c->stopped != 0 && pause_end > c->stopped)
		pause_end = c->stopped;
	return cal_working_seconds(c->cal, pause_start, pause_end);
}
