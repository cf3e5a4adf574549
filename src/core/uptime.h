/*
 * Outage arithmetic: uptime over a window, downtime minutes in a window,
 * the "2h 5m" duration text, and the overall health verdict.  Pure.
 */
#ifndef RO_UPTIME_H
#define RO_UPTIME_H

#include <stddef.h>
#include <time.h>

#include "core/service.h"

/* One downtime; end == 0 means still open (counts up to now). */
struct interval {
	time_t	 start;
	time_t	 end;
};

#define WINDOW_BADMSG "Invalid window: use 24h, 7d, 30d or 90d"

/* Sort intervals by start, then end. */
void	 intervals_sort(struct interval *iv, size_t n);
/* "24h", "7d", "30d", "90d" in seconds; NULL means 30d.  -1 if invalid. */
long	 window_parse(const char *);
/*
 * Seconds of [from, to) covered by the union of the intervals (open ones
 * end at now); overlapping and touching intervals are merged.  iv is
 * sorted in place by start.
 */
long long covered_seconds(struct interval *iv, size_t n, time_t from, time_t to,
	    time_t now);
#define DAY_SECONDS	86400

/* One UTC day's outages: what the status page's bar for it shows. */
struct day_down {
	time_t	 day;		/* the day's first second (UTC midnight) */
	long	 down_seconds;	/* covered by the union of the outages */
	long	 outages;	/* outages that touch the day */
};

/*
 * The days of [from_day, from_day + ndays days) with any downtime, for
 * one service's intervals (open ones up to now; nothing after now),
 * into out (room for ndays), oldest first.  from_day is a UTC
 * midnight.  Returns how many were written.  iv is sorted in place.
 */
size_t	 uptime_days(struct interval *iv, size_t n, time_t from_day, int ndays,
	    time_t now, struct day_down *out);
/*
 * Uptime percentage over the window [now - window, now], or over the
 * service's life [created, now] when that is shorter; rounded to two
 * decimals.  100 for an empty span.
 */
double	 uptime_percent(struct interval *iv, size_t n, time_t created,
	    long window, time_t now);
/*
 * Minutes of downtime in [now - 7 days, now]: each interval clipped to
 * the window (open ones up to now), summed without merging, as the risk
 * rule says.
 */
long	 downtime_minutes_since(const struct interval *iv, size_t n, time_t since,
	    time_t now);
/* Whole minutes from start to end (end 0: now), never negative. */
long	 duration_minutes(time_t start, time_t end, time_t now);
/* "<h>h <m>m" for minutes ("0h 5m", "49h 5m") into buf. */
void	 duration_text(long minutes, char *buf, size_t bufsz);

enum overall_health { HEALTH_HEALTHY, HEALTH_DEGRADED, HEALTH_UNHEALTHY };
/* Unhealthy if Down or risk High; Healthy if Up and risk Low; else Degraded. */
enum overall_health overall_health(enum svc_status, enum risk_level);
const char *overall_health_name(enum overall_health);

#endif
