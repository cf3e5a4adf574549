/*
 * ISO 8601 / RFC 3339 times: a small hand-written parser for exactly
 * the forms the reference clients send (core/isotime.h), and the one
 * output form, UTC "YYYY-MM-DDTHH:MM:SSZ".  strptime is not used: it
 * skips spaces, accepts one-digit fields and knows no offsets.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "core/isotime.h"

#define ISOTIME_YEAR_MIN	1970
#define ISOTIME_YEAR_MAX	9999
/* 9999-12-31T23:59:59Z: the last instant that fits ISOTIME_LEN. */
#define ISOTIME_T_MAX		253402300799LL

static bool
is_digit(char c)
{

	return c >= '0' && c <= '9';
}

/* Exactly n digits at *sp into *out; advances *sp. */
static bool
take_digits(const char **sp, int n, int *out)
{
	const char	*s = *sp;
	int		 i, v = 0;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	*sp = s + n;
	return true;
}

static bool
take_char(const char **sp, char c)
{

	if (**sp != c)
		return false;
	(*sp)++;
	return true;
}

static bool
leap_year(int y)
{

	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Zone: nothing (UTC), Z, z, or +HH:MM, +HHMM, +HH (and '-'). */
static bool
take_zone(const char **sp, long *offset)
{
	int	 sign, hh, mm = 0;

	*offset = 0;
	if (**sp == '\0')
		return true;
	if (take_char(sp, 'Z') || take_char(sp, 'z'))
		return true;
	if (take_char(sp, '+'))
		sign = 1;
	else if (take_char(sp, '-'))
		sign = -1;
	else
		return false;
	if (!take_digits(sp, 2, &hh) || hh > 23)
		return false;
	if (take_char(sp, ':')) {
		if (!take_digits(sp, 2, &mm))
			return false;
	} else if (is_digit(**sp) && !take_digits(sp, 2, &mm))
		return false;
	if (mm > 59)
		return false;
	*offset = sign * (hh * 3600L + mm * 60L);
	return true;
}

int
isotime_parse(const char *s, time_t *out)
{
	struct civil	 c;
	int		 year, mon, day, hour, min, sec = 0;
	long		 offset;
	time_t		 t;

	if (s == NULL)
		return -1;
	if (!take_digits(&s, 4, &year) || !take_char(&s, '-') ||
	    !take_digits(&s, 2, &mon) || !take_char(&s, '-') ||
	    !take_digits(&s, 2, &day))
		return -1;
	if (!take_char(&s, 'T') && !take_char(&s, ' '))
		return -1;
	if (!take_digits(&s, 2, &hour) || !take_char(&s, ':') ||
	    !take_digits(&s, 2, &min))
		return -1;
	if (take_char(&s, ':')) {
		if (!take_digits(&s, 2, &sec))
			return -1;
		/* Any precision; the fraction is dropped, not rounded. */
		if (take_char(&s, '.')) {
			if (!is_digit(*s))
				return -1;
			while (is_digit(*s))
				s++;
		}
	}
	if (!take_zone(&s, &offset) || *s != '\0')
		return -1;

	if (year < ISOTIME_YEAR_MIN || year > ISOTIME_YEAR_MAX ||
	    mon < 1 || mon > 12 || day < 1 || day > month_days(year, mon) ||
	    hour > 23 || min > 59 || sec > 59)
		return -1;

	c = (struct civil){ year, mon, day, hour, min, sec };
	t = (time_t)isotime_from_civil(&c);
	t -= offset;
	/* An offset can push the instant out of the years we print. */
	if (t < 0 || (long long)t > ISOTIME_T_MAX)
		return -1;
	*out = t;
	return 0;
}

/* v as n digits, with leading zeros, at out. */
static void
put_digits(char *out, long long v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * Days since 1970-01-01 of a date, and back: H. Hinnant's
 * days_from_civil and civil_from_days, with floor division so that
 * years before 1970 (and before 0) come out right too.
 */
static long long
days_from_civil(long long y, long long m, long long d)
{
	long long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;				/* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */
	return era * 146097 + doe - 719468;
}

long long
isotime_from_civil(const struct civil *c)
{

	return days_from_civil(c->year, c->mon, c->day) * 86400 +
	    c->hour * 3600LL + c->min * 60LL + c->sec;
}

void
isotime_to_civil(long long t, struct civil *c)
{
	long long	 days, secs, z, era, doe, yoe, doy, mp, m;

	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	z = days + 719468;		/* days since 0000-03-01 */
	era = (z >= 0 ? z : z - 146096) / 146097;	/* 400-year cycles */
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;	/* months since March */
	m = mp < 10 ? mp + 3 : mp - 9;
	c->year = (int)(yoe + era * 400 + (m <= 2));
	c->mon = (int)m;
	c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->hour = (int)(secs / 3600);
	c->min = (int)(secs / 60 % 60);
	c->sec = (int)(secs % 60);
}

/*
 * By arithmetic rather than gmtime_r and strftime: a page of a list
 * formats three times an item, and the library's pair, with its time
 * zone lock and format interpreter, cost more than the rest of the
 * item's text.
 */
void
isotime_format(time_t t, char out[ISOTIME_LEN + 1])
{
	struct civil	 c;

	/* Out of range instants are clamped so the output keeps its shape. */
	if (t < 0)
		t = 0;
	else if ((long long)t > ISOTIME_T_MAX)
		t = (time_t)ISOTIME_T_MAX;
	isotime_to_civil((long long)t, &c);
	memcpy(out, "0000-00-00T00:00:00Z", ISOTIME_LEN + 1);
	put_digits(out, c.year, 4);
	put_digits(out + 5, c.mon, 2);
	put_digits(out + 8, c.day, 2);
	put_digits(out + 11, c.hour, 2);
	put_digits(out + 14, c.min, 2);
	put_digits(out + 17, c.sec, 2);
}
