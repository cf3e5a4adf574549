/*
 * What the public status page says, decided from what the store knows:
 * each service's shown state (its own, "no recent data" when its
 * heartbeats stopped, or degraded through a dependency that is down),
 * the banner over all of them, and the day bars of the uptime history.
 * Pure: the page handlers and resilops-sched's static copy share it.
 */
#ifndef RO_STATUSPAGE_H
#define RO_STATUSPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/service.h"

enum shown_state {
	SHOWN_OPERATIONAL,
	SHOWN_DEGRADED,
	SHOWN_DOWN,
	SHOWN_NODATA,		/* unknown, or its heartbeats stopped */
	SHOWN_MAINTENANCE,	/* in a maintenance window now */
	SHOWN__MAX
};

struct sp_service {
	/* In. */
	long long		 id;
	enum svc_status		 status;
	time_t			 last_updated;	/* last heartbeat; 0: never */
	bool			 public;
	bool			 maintenance;	/* in a window now */
	const long long		*deps;		/* dependency ids */
	size_t			 ndeps;
	/* Out (statuspage_states). */
	enum shown_state	 own;		/* from its own status alone */
	enum shown_state	 shown;
	bool			 stale;		/* Up, but no heartbeat lately */
	long long		 via;		/* the dependency it suffers from */
};

/*
 * Fill own, shown, stale and via of v[0..n), which must be sorted by
 * id and hold every service (a public one may depend on one that is
 * not).  A service Up whose last heartbeat is older than down_after is
 * stale: no recent data, never operational.  An operational one whose
 * dependencies, followed any depth, include one that is down (else
 * degraded) by its own status is degraded via the nearest such.
 * 0, or -1 out of memory (the dependencies not followed: v must not be
 * shown).
 */
int	 statuspage_states(struct sp_service *v, size_t n, time_t now,
	    long down_after);
/* The service of id in v[0..n) sorted by id, or NULL. */
const struct sp_service *statuspage_find(const struct sp_service *v, size_t n,
	    long long id);

enum banner {
	BANNER_OPERATIONAL,	/* "All systems operational" */
	BANNER_NODATA,		/* some have no recent data, none worse */
	BANNER_DEGRADED,	/* "Degraded performance" */
	BANNER_PARTIAL,		/* "Partial outage": some public ones down */
	BANNER_MAJOR,		/* "Major outage": every public one down */
	BANNER_MAINTENANCE,	/* "Under maintenance": some, none worse */
	BANNER_INCIDENT,	/* "Incident in progress": services fine */
	BANNER__MAX
};

/* The worst state over the public services of v[0..n). */
enum banner statuspage_banner(const struct sp_service *v, size_t n);
/*
 * The banner b with an incident open (published, on a public service):
 * a page saying "All systems operational" above an open incident says
 * two things; the services' own trouble, when worse, stays.
 */
enum banner statuspage_banner_incident(enum banner b, bool incident_open);
const char *banner_text(enum banner);
/* "operational", "degraded", ...: a CSS class and a badge's value. */
const char *banner_class(enum banner);
/* "Operational", "Degraded", "Down", "No recent data", "Maintenance". */
const char *shown_text(enum shown_state);
/* "up", "degraded", "down", "nodata": the CSS class. */
const char *shown_class(enum shown_state);
/* The status badge of a shown state (core/badge); the caller frees. */
char	*statuspage_badge(enum shown_state, size_t *len);

enum bar_level {
	BAR_NODATA,		/* before the service existed */
	BAR_UP,			/* no downtime */
	BAR_MINOR,		/* under 1 % of the day */
	BAR_PARTIAL,		/* under 5 % */
	BAR_MAJOR,
	BAR__MAX
};

/*
 * The bar of the UTC day starting at day for a service created at
 * created with down_seconds of outage that day.
 */
enum bar_level statuspage_bar(time_t day, time_t created, long down_seconds);
const char *bar_class(enum bar_level);
/*
 * The bar's tooltip into buf: "2026-11-30: 14 min down (2 outages)",
 * "2026-11-30: no downtime", "2026-11-30: no data".  Minutes round up:
 * any downtime shows.
 */
void	 statuspage_bar_title(enum bar_level, const char *date,
	    long down_seconds, long outages, char *buf, size_t bufsz);
/*
 * The bars of ndays days from first (a UTC midnight) as SVG rects, one
 * per day at x = 4 * day, each with its class ("bar-up") and title:
 * a malloc'd string (its length in *len), or NULL when out of memory.
 * down[d] and outages[d] are day d's seconds of outage and outages.
 */
char	*statuspage_bars_svg(time_t first, size_t ndays, time_t created,
	    const long *down, const long *outages, size_t *len);
/*
 * Uptime in hundredths of a percent over [now - window, now], or the
 * service's life when shorter, given the seconds of downtime in it.
 * Rounded down, so any downtime shows below 100.00 (10000 only when
 * nothing was down).
 */
long	 statuspage_uptime(long long down, time_t created, long window,
	    time_t now);

#endif
