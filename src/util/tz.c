/*
 * Time zones for the business-hours calendars (util/tz.h).  libc turns
 * instants into local fields; the way back is done here with
 * localtime_r alone, not mktime(): mktime's choice in a DST gap or
 * overlap is unspecified, so its answer would have to be checked by
 * reading the offsets around it, and those offsets give the answer by
 * themselves.  Local times are handled as "wall seconds", the local
 * fields counted as if they were UTC, so that an instant's offset is
 * its wall seconds minus the instant.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/tz.h"

#define TZ_DEFAULT_DIR	"/usr/share/zoneinfo"
#define TZ_YEAR_MIN	1900
#define TZ_YEAR_MAX	9999
#define DAY		86400LL
/*
 * No UTC offset since 1900 has passed 14 hours, so every instant that
 * shows a given wall time lies within a day of that wall time read as
 * UTC, and the offsets a day either side are the ones before and after
 * any change near it.  That takes at most one change within two days:
 * in tzdata changes are at least 3.9 days apart (6.9 since 1970).
 */
#define TZ_PROBE	DAY
#define TZ_SEARCH_MAX	64	/* halvings: enough for any time_t range */

/*
 * The zone TZ holds now; "" until the first switch.  TZ and libc's
 * zone are the process's: a worker's threads (http/worker.c) take
 * tz_lock from the switch to their last localtime_r in that zone.
 */
static char		 tz_current[TZ_NAME_MAX + 1];
static pthread_mutex_t	 tz_lock = PTHREAD_MUTEX_INITIALIZER;

static bool
zone_is_utc(const char *zone)
{

	return zone == NULL || zone[0] == '\0' || strcmp(zone, "UTC") == 0;
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

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant). */
static long long
days_from_civil(long long y, int m, int d)
{
	long long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The name alone: characters, length, components.  '.' is not among
 * the characters, so "." and ".." components cannot occur.
 */
static bool
zone_name_ok(const char *zone)
{
	size_t	 len, i, comp = 0;
	char	 c;

	len = strnlen(zone, TZ_NAME_MAX + 1);
	if (len == 0 || len > TZ_NAME_MAX)
		return false;
	for (i = 0; i <= len; i++) {
		c = zone[i];
		if (c == '/' || c == '\0') {
			if (comp == 0)
				return false;	/* leading, trailing or "//" */
			comp = 0;
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-'))
			return false;
		comp++;
	}
	return strncmp(zone, "right/", 6) != 0 &&
	    strcmp(zone, "localtime") != 0;
}

/*
 * A regular file starting with the TZif magic, as glibc will read it:
 * glibc quietly falls back to UTC for anything else, so a text file
 * such as "leapseconds" must not pass.
 */
static bool
zone_file_ok(const char *zone)
{
	const char	*dir;
	char		 path[PATH_MAX], magic[4];
	struct stat	 st;
	int		 fd, n;
	bool		 ok;

	if ((dir = getenv("TZDIR")) == NULL || dir[0] == '\0')
		dir = TZ_DEFAULT_DIR;
	n = snprintf(path, sizeof(path), "%s/%s", dir, zone);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	/* O_NONBLOCK: a FIFO by that name must not hang the worker. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return false;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
	    memcmp(magic, "TZif", sizeof(magic)) == 0;
	close(fd);
	return ok;
}

bool
tz_valid(const char *zone)
{

	if (zone == NULL)
		return false;
	if (strcmp(zone, "UTC") == 0)
		return true;	/* needs no tzdata */
	return zone_name_ok(zone) && zone_file_ok(zone);
}

/*
 * Make zone the local time zone unless it already is.  The check runs
 * only on a switch: a page of tickets on one calendar pays it once.
 */
static int
zone_select(const char *zone)
{
	char	 env[TZ_NAME_MAX + 2];

	if (strcmp(zone, tz_current) == 0)
		return 0;
	if (!tz_valid(zone))
		return -1;
	/* The ':' makes glibc read a file, never a POSIX rule string. */
	snprintf(env, sizeof(env), ":%s", zone);
	if (setenv("TZ", env, 1) == -1)
		return -1;
	tzset();
	memcpy(tz_current, zone, strlen(zone) + 1);
	return 0;
}

int
tz_local(const char *zone, time_t t, struct tm *out)
{
	int	 rc = -1;

	if (out == NULL)
		return -1;
	if (zone_is_utc(zone))
		return gmtime_r(&t, out) == NULL ? -1 : 0;
	pthread_mutex_lock(&tz_lock);
	if (zone_select(zone) == 0 && localtime_r(&t, out) != NULL)
		rc = 0;
	pthread_mutex_unlock(&tz_lock);
	return rc;
}

/* The UTC offset at t in the selected zone, in seconds east. */
static int
offset_at(long long t, long long *off)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	long long	 wall;

	if (localtime_r(&tt, &tm) == NULL)
		return -1;
	wall = days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1,
	    tm.tm_mday) * DAY + tm.tm_hour * 3600LL + tm.tm_min * 60LL +
	    tm.tm_sec;
	*off = wall - t;
	return 0;
}

/* Whether t shows wall time w: -1 on error, else 0 or 1. */
static int
shows(long long t, long long w)
{
	long long	 off;

	if (offset_at(t, &off) == -1)
		return -1;
	return t + off == w;
}

/*
 * In a gap between lo (before the change, showing less than w) and hi
 * (after it, showing more): the change itself, the first instant that
 * shows w or later.  Bisection; the wall clock only rises here.
 */
static time_t
gap_end(long long lo, long long hi, long long w)
{
	long long	 mid, off;
	int		 i;

	for (i = 0; i < TZ_SEARCH_MAX && hi - lo > 1; i++) {
		mid = lo + (hi - lo) / 2;
		if (offset_at(mid, &off) == -1)
			return (time_t)-1;
		if (mid + off >= w)
			hi = mid;
		else
			lo = mid;
	}
	return hi - lo == 1 ? (time_t)hi : (time_t)-1;
}

/*
 * The earliest instant showing wall time w, or the end of the gap that
 * skips it, in the selected zone.  With the offsets a day either side,
 * w - larger offset is the earlier candidate: in an overlap both show
 * w and the earlier is the first occurrence; in a gap neither does.
 */
static time_t
wall_to_instant(long long w)
{
	long long	 before, after, early, late;
	int		 r;

	if (offset_at(w - TZ_PROBE, &before) == -1 ||
	    offset_at(w + TZ_PROBE, &after) == -1)
		return (time_t)-1;
	early = w - (before > after ? before : after);
	late = w - (before > after ? after : before);
	if ((r = shows(early, w)) != 0)
		return r == 1 ? (time_t)early : (time_t)-1;
	if (early == late)
		return (time_t)-1;	/* two changes near: never in tzdata */
	if ((r = shows(late, w)) != 0)
		return r == 1 ? (time_t)late : (time_t)-1;
	/* A gap only opens when the offset grows. */
	if (after <= before)
		return (time_t)-1;
	return gap_end(early, late, w);
}

time_t
tz_instant(const char *zone, int year, int mon, int mday, int minute_of_day)
{
	long long	 w;
	time_t		 t = (time_t)-1;

	if (year < TZ_YEAR_MIN || year > TZ_YEAR_MAX || mon < 1 || mon > 12 ||
	    mday < 1 || mday > days_in_month(year, mon) ||
	    minute_of_day < 0 || minute_of_day > 1440)
		return (time_t)-1;
	w = days_from_civil(year, mon, mday) * DAY + minute_of_day * 60LL;
	if (zone_is_utc(zone))
		return (time_t)w;
	pthread_mutex_lock(&tz_lock);
	if (zone_select(zone) == 0)
		t = wall_to_instant(w);
	pthread_mutex_unlock(&tz_lock);
	return t;
}
