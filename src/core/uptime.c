/*
 * Outage arithmetic for health and risk.  Uptime merges the downtimes
 * (they may overlap: a heartbeat outage and a logged one) before
 * measuring; the risk rule sums them without merging, as the seed does.
 * The percentage is rounded in integers so that x.xx5 goes up exactly.
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/service.h"
#include "core/uptime.h"

#define HOUR		3600L
#define DAY		(24 * HOUR)

static const struct {
	const char	*name;
	long		 seconds;
} windows[] = {
	{ "24h", DAY },
	{ "7d", 7 * DAY },
	{ "30d", 30 * DAY },
	{ "90d", 90 * DAY },
};

static const char *const health_names[] = {
	"Healthy", "Degraded", "Unhealthy",
};

long
window_parse(const char *s)
{
	size_t	 i;

	if (s == NULL)
		return 30 * DAY;
	for (i = 0; i < sizeof(windows) / sizeof(windows[0]); i++)
		if (strcmp(s, windows[i].name) == 0)
			return windows[i].seconds;
	return -1;
}

static int
interval_cmp(const void *a, const void *b)
{
	const struct interval	*x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

/*
 * Sorted ones are left as they are: glibc's qsort is a merge sort that
 * copies and compares a sorted array through whole all the same, and
 * uptime_days asks covered_seconds, which sorts, once per day of its
 * window (the rollup's 90 days of 100,000 services: 9 million sorts,
 * a third of resilops-sched's CPU in the 90-day rollup).
 */
void
intervals_sort(struct interval *iv, size_t n)
{
	size_t	 i;

	if (iv == NULL || n < 2)
		return;
	for (i = 1; i < n; i++)
		if (interval_cmp(&iv[i - 1], &iv[i]) > 0)
			break;
	if (i < n)
		qsort(iv, n, sizeof(iv[0]), interval_cmp);
}

/* The end of an interval: an open one runs until now. */
static time_t
interval_end(const struct interval *iv, time_t now)
{

	return iv->end == 0 ? now : iv->end;
}

long long
covered_seconds(struct interval *iv, size_t n, time_t from, time_t to,
    time_t now)
{
	long long	 total = 0;
	time_t		 s, e, cs = 0, ce = 0;
	size_t		 i;
	int		 have = 0;

	if (iv == NULL || n == 0 || to <= from)
		return 0;
	intervals_sort(iv, n);
	for (i = 0; i < n; i++) {
		e = interval_end(&iv[i], now);
		if (e < iv[i].start)
			continue;	/* backwards: counts nothing */
		/* Clipped starts stay sorted: max(start, from) is monotone. */
		s = iv[i].start < from ? from : iv[i].start;
		if (e > to)
			e = to;
		if (e <= s)
			continue;
		if (have && s <= ce) {
			/* Overlapping or touching: one outage. */
			if (e > ce)
				ce = e;
			continue;
		}
		if (have)
			total += (long long)(ce - cs);
		cs = s;
		ce = e;
		have = 1;
	}
	if (have)
		total += (long long)(ce - cs);
	return total;
}

size_t
uptime_days(struct interval *iv, size_t n, time_t from_day, int ndays,
    time_t now, struct day_down *out)
{
	time_t		 day, end, e;
	long long	 down;
	size_t		 i, k = 0;
	long		 touching;
	int		 d;

	for (d = 0; d < ndays; d++) {
		day = from_day + (time_t)d * DAY_SECONDS;
		end = day + DAY_SECONDS < now ? day + DAY_SECONDS : now;
		if (end <= day)
			break;		/* today's future, and the days after */
		/* covered_seconds sorts iv: every later call finds it sorted. */
		if ((down = covered_seconds(iv, n, day, end, now)) == 0)
			continue;
		for (touching = 0, i = 0; i < n; i++) {
			e = interval_end(&iv[i], now);
			if (iv[i].start < end && e > day)
				touching++;
		}
		out[k].day = day;
		out[k].down_seconds = (long)down;
		out[k].outages = touching;
		k++;
	}
	return k;
}

double
uptime_percent(struct interval *iv, size_t n, time_t created, long window,
    time_t now)
{
	long long	 span, life, up, hundredths;

	/* The window, or the service's life when that is shorter. */
	span = window;
	life = (long long)now - (long long)created;
	if (life < span)
		span = life;
	if (span <= 0)
		return 100.0;
	up = span - covered_seconds(iv, n, (time_t)(now - span), now, now);
	if (up < 0)
		up = 0;
	/*
	 * 10000 * up / span hundredths of a percent, rounded half up
	 * (away from zero: it is never negative) on the exact fraction.
	 */
	if (span <= LLONG_MAX / 20001)
		hundredths = (20000 * up + span) / (2 * span);
	else
		hundredths = (long long)((double)up / (double)span * 10000.0 +
		    0.5);
	return (double)hundredths / 100.0;
}

long
downtime_minutes_since(const struct interval *iv, size_t n, time_t since,
    time_t now)
{
	long long	 total = 0;
	time_t		 s, e;
	size_t		 i;

	if (iv == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		s = iv[i].start < since ? since : iv[i].start;
		e = interval_end(&iv[i], now);
		if (e > now)
			e = now;
		if (e > s)
			total += (long long)(e - s);
	}
	total /= 60;
	return total > LONG_MAX ? LONG_MAX : (long)total;
}

long
duration_minutes(time_t start, time_t end, time_t now)
{
	long long	 d;

	d = (long long)(end == 0 ? now : end) - (long long)start;
	if (d < 0)
		return 0;
	d /= 60;
	return d > LONG_MAX ? LONG_MAX : (long)d;
}

void
duration_text(long minutes, char *buf, size_t bufsz)
{

	if (buf == NULL || bufsz == 0)
		return;
	if (minutes < 0)
		minutes = 0;
	snprintf(buf, bufsz, "%ldh %ldm", minutes / 60, minutes % 60);
}

enum overall_health
overall_health(enum svc_status st, enum risk_level level)
{

	if (st == STATUS_DOWN || level == RISK_HIGH)
		return HEALTH_UNHEALTHY;
	if (st == STATUS_UP && level == RISK_LOW)
		return HEALTH_HEALTHY;
	return HEALTH_DEGRADED;
}

const char *
overall_health_name(enum overall_health h)
{

	/* Never NULL: the answer goes straight into JSON. */
	switch (h) {
	case HEALTH_HEALTHY:
	case HEALTH_DEGRADED:
	case HEALTH_UNHEALTHY:
		return health_names[h];
	}
	return health_names[HEALTH_DEGRADED];
}
