/*
 * The status page's verdicts.  A page people check during an outage
 * must never show green for what it does not know: a service whose
 * heartbeats stopped is "no recent data", and one that is fine itself
 * but depends on a broken one is degraded, naming the cause.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/badge.h"
#include "core/statuspage.h"

#define DAY	86400L

static const struct {
	const char	*text;
	const char	*class;
	const char	*badge;		/* a status badge's value, and colour */
	const char	*color;
} shown_names[SHOWN__MAX] = {
	[SHOWN_OPERATIONAL] = { "Operational", "up", "operational",
	    BADGE_GREEN },
	[SHOWN_DEGRADED] = { "Degraded", "degraded", "degraded", BADGE_YELLOW },
	[SHOWN_DOWN] = { "Down", "down", "down", BADGE_RED },
	[SHOWN_NODATA] = { "No recent data", "nodata", "no recent data",
	    BADGE_GREY },
	[SHOWN_MAINTENANCE] = { "Maintenance", "maintenance", "maintenance",
	    BADGE_BLUE },
};

static const struct {
	const char	*text;
	const char	*class;
} banner_names[BANNER__MAX] = {
	[BANNER_OPERATIONAL] = { "All systems operational", "up" },
	[BANNER_NODATA] = { "Some services have no recent data", "nodata" },
	[BANNER_DEGRADED] = { "Degraded performance", "degraded" },
	[BANNER_PARTIAL] = { "Partial outage", "partial" },
	[BANNER_MAJOR] = { "Major outage", "down" },
	[BANNER_MAINTENANCE] = { "Under maintenance", "maintenance" },
	[BANNER_INCIDENT] = { "Incident in progress", "degraded" },
};

static const char *const bar_classes[BAR__MAX] = {
	[BAR_NODATA] = "nodata",
	[BAR_UP] = "up",
	[BAR_MINOR] = "minor",
	[BAR_PARTIAL] = "partial",
	[BAR_MAJOR] = "major",
};

const char *
shown_text(enum shown_state s)
{
	return (unsigned)s < SHOWN__MAX ? shown_names[s].text : NULL;
}

const char *
shown_class(enum shown_state s)
{
	return (unsigned)s < SHOWN__MAX ? shown_names[s].class : NULL;
}

char *
statuspage_badge(enum shown_state s, size_t *len)
{
	if ((unsigned)s >= SHOWN__MAX)
		s = SHOWN_NODATA;
	return badge_svg("status", shown_names[s].badge, shown_names[s].color,
	    len);
}

const char *
banner_text(enum banner b)
{
	return (unsigned)b < BANNER__MAX ? banner_names[b].text : NULL;
}

const char *
banner_class(enum banner b)
{
	return (unsigned)b < BANNER__MAX ? banner_names[b].class : NULL;
}

const char *
bar_class(enum bar_level b)
{
	return (unsigned)b < BAR__MAX ? bar_classes[b] : NULL;
}

static int
id_cmp(const void *key, const void *elem)
{
	long long	 a = *(const long long *)key;
	long long	 b = ((const struct sp_service *)elem)->id;

	return a < b ? -1 : a > b;
}

const struct sp_service *
statuspage_find(const struct sp_service *v, size_t n, long long id)
{
	if (v == NULL || n == 0)
		return NULL;
	return bsearch(&id, v, n, sizeof(*v), id_cmp);
}

static enum shown_state
own_state(const struct sp_service *s, time_t now, long down_after)
{
	/* Planned work: neither its status nor its silence is news. */
	if (s->maintenance)
		return SHOWN_MAINTENANCE;
	switch (s->status) {
	case STATUS_DOWN:
		return SHOWN_DOWN;
	case STATUS_DEGRADED:
		return SHOWN_DEGRADED;
	case STATUS_UP:
		if (s->last_updated != 0 && now - s->last_updated <= down_after)
			return SHOWN_OPERATIONAL;
		return SHOWN_NODATA;
	default:
		return SHOWN_NODATA;
	}
}

/*
 * The nearest dependency of v[at], any depth, that is down by its own
 * status, else the nearest degraded one; 0 for none.  Breadth first,
 * so "nearest" is the fewest hops; seen and queue have room for n.
 */
static long long
root_cause(const struct sp_service *v, size_t n, size_t at, unsigned char *seen,
    size_t *queue)
{
	const struct sp_service	*d;
	long long		 degraded = 0;
	size_t			 head = 0, tail = 0, i;

	memset(seen, 0, n);
	seen[at] = 1;
	queue[tail++] = at;
	while (head < tail) {
		const struct sp_service *s = &v[queue[head++]];

		for (i = 0; i < s->ndeps; i++) {
			if ((d = statuspage_find(v, n, s->deps[i])) == NULL ||
			    seen[d - v])
				continue;
			seen[d - v] = 1;
			if (d->own == SHOWN_DOWN)
				return d->id;
			if (d->own == SHOWN_DEGRADED && degraded == 0)
				degraded = d->id;
			queue[tail++] = (size_t)(d - v);
		}
	}
	return degraded;
}

int
statuspage_states(struct sp_service *v, size_t n, time_t now, long down_after)
{
	unsigned char	*seen;
	size_t		*queue, i;
	int		 rc = 0;

	for (i = 0; i < n; i++) {
		v[i].own = own_state(&v[i], now, down_after);
		v[i].shown = v[i].own;
		v[i].stale = v[i].status == STATUS_UP && v[i].own == SHOWN_NODATA;
		v[i].via = 0;
	}
	/*
	 * Without the walk's memory a service whose dependency is down
	 * would show operational: an error, not a page that says so.
	 */
	seen = malloc(n > 0 ? n : 1);
	queue = calloc(n > 0 ? n : 1, sizeof(*queue));
	if (seen == NULL || queue == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		if (v[i].own != SHOWN_OPERATIONAL || v[i].ndeps == 0)
			continue;
		if ((v[i].via = root_cause(v, n, i, seen, queue)) != 0)
			v[i].shown = SHOWN_DEGRADED;
	}
	free(queue);
	free(seen);
	return rc;
}

enum banner
statuspage_banner(const struct sp_service *v, size_t n)
{
	size_t	 i, public = 0, down = 0, degraded = 0, nodata = 0, maint = 0;

	for (i = 0; i < n; i++) {
		if (!v[i].public)
			continue;
		public++;
		if (v[i].shown == SHOWN_DOWN)
			down++;
		else if (v[i].shown == SHOWN_DEGRADED)
			degraded++;
		else if (v[i].shown == SHOWN_NODATA)
			nodata++;
		else if (v[i].shown == SHOWN_MAINTENANCE)
			maint++;
	}
	if (down > 0)
		return down == public ? BANNER_MAJOR : BANNER_PARTIAL;
	if (degraded > 0)
		return BANNER_DEGRADED;
	if (maint > 0)
		return BANNER_MAINTENANCE;
	return nodata > 0 ? BANNER_NODATA : BANNER_OPERATIONAL;
}

enum banner
statuspage_banner_incident(enum banner b, bool incident_open)
{
	if (incident_open && (b == BANNER_OPERATIONAL || b == BANNER_NODATA))
		return BANNER_INCIDENT;
	return b;
}

enum bar_level
statuspage_bar(time_t day, time_t created, long down_seconds)
{
	if (day + DAY <= created)
		return BAR_NODATA;
	if (down_seconds <= 0)
		return BAR_UP;
	if (down_seconds * 100 < DAY)
		return BAR_MINOR;
	if (down_seconds * 100 < 5 * DAY)
		return BAR_PARTIAL;
	return BAR_MAJOR;
}

void
statuspage_bar_title(enum bar_level b, const char *date, long down_seconds,
    long outages, char *buf, size_t bufsz)
{
	long	 minutes = (down_seconds + 59) / 60;

	if (b == BAR_NODATA)
		snprintf(buf, bufsz, "%s: no data", date);
	else if (down_seconds <= 0)
		snprintf(buf, bufsz, "%s: no downtime", date);
	else
		snprintf(buf, bufsz, "%s: %ld min down (%ld outage%s)", date,
		    minutes, outages, outages == 1 ? "" : "s");
}

/* A UTC calendar day, stepped forward without gmtime. */
struct ymd {
	int	 y, m, d;
};

static void
ymd_next(struct ymd *t)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int	 leap = (t->y % 4 == 0 && t->y % 100 != 0) || t->y % 400 == 0;

	if (t->d < mdays[t->m - 1] + (t->m == 2 && leap)) {
		t->d++;
		return;
	}
	t->d = 1;
	if (++t->m > 12) {
		t->m = 1;
		t->y++;
	}
}

/* "YYYY-MM-DD" (years 0-9999, as the schema's DATETIME holds). */
static void
ymd_format(const struct ymd *t, char out[11])
{
	int	 y = t->y % 10000;

	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + t->m / 10);
	out[6] = (char)('0' + t->m % 10);
	out[7] = '-';
	out[8] = (char)('0' + t->d / 10);
	out[9] = (char)('0' + t->d % 10);
	out[10] = '\0';
}

/*
 * Made here, not by the template walking an object per bar: a page of
 * 200 services has 18,000 bars, and as json-c objects they cost four
 * times the rest of the page (bench/run.sh pages); for the same reason
 * the dates are stepped, not each one gmtime'd.  The text is dates,
 * numbers and fixed words, nothing anyone typed, so it needs no
 * escaping; the template inserts it raw, inside its own <svg>.
 */
char *
statuspage_bars_svg(time_t first, size_t ndays, time_t created,
    const long *down, const long *outages, size_t *len)
{
	/* A rect is under 128 bytes: 80 of markup, a title under 48. */
	const size_t	 each = 128;
	char		*buf, title[96], date[11];
	size_t		 d, used = 0, room;
	enum bar_level	 lvl;
	struct tm	 tm;
	struct ymd	 t;
	int		 n;

	if (ndays > SIZE_MAX / each - 1 ||
	    (buf = malloc(ndays * each + 1)) == NULL)
		return NULL;
	room = ndays * each + 1;
	buf[0] = '\0';
	gmtime_r(&first, &tm);
	t.y = tm.tm_year + 1900;
	t.m = tm.tm_mon + 1;
	t.d = tm.tm_mday;
	for (d = 0; d < ndays; d++, ymd_next(&t)) {
		lvl = statuspage_bar(first + (time_t)d * DAY, created, down[d]);
		ymd_format(&t, date);
		statuspage_bar_title(lvl, date, down[d], outages[d], title,
		    sizeof(title));
		n = snprintf(buf + used, room - used,
		    "<rect x=\"%zu\" width=\"3\" height=\"28\" "
		    "class=\"bar-%s\"><title>%s</title></rect>", d * 4,
		    bar_class(lvl), title);
		if (n < 0 || (size_t)n >= room - used) {
			free(buf);
			return NULL;
		}
		used += (size_t)n;
	}
	*len = used;
	return buf;
}

long
statuspage_uptime(long long down, time_t created, long window, time_t now)
{
	long long	 span, up;

	span = window;
	if (created > now - window)
		span = now - created;
	if (span <= 0 || down <= 0)
		return 10000;
	if (down > span)
		down = span;
	up = span - down;
	/* Rounded down: 99.999 % shows 99.99, never 100.00. */
	return (long)(up * 10000 / span);
}
