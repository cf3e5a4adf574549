/*
 * The status pages' data, read in a fixed handful of statements and
 * turned into the documents the templates render: the public page
 * (banner, ongoing outages, services by criticality with their bars,
 * recent incidents), one service's page, and the Atom feed.  Shared by
 * the workers and resilops-sched, which writes a static copy.
 */
#ifndef RO_STATUSDOC_H
#define RO_STATUSDOC_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "core/incident.h"
#include "core/statuspage.h"
#include "core/uptime.h"
#include "db/db_maintenance.h"
#include "db/db_rollup.h"
#include "db/db_service.h"
#include "db/db_status.h"

#define STATUS_DAYS	90	/* bars */
#define INCIDENT_DAYS	30	/* past incidents */
#define FEED_ENTRIES	50

struct conf;
struct db;

struct statusdata {
	time_t			 now;
	struct service		*svc;		/* public ones and their deps, by id */
	size_t			 n;
	struct sp_service	*sp;		/* svc's states, same order */
	struct rollup_day	*days;		/* public services' rollup */
	size_t			 ndays;
	struct downtime		*out;		/* public outages, newest first */
	size_t			 nout;
	struct incident		*inc;		/* published, public; newest first */
	size_t			 ninc;
	struct maint_window	*maint;		/* public windows, soonest first */
	size_t			 nmaint;
};

/* What statusdata_load reads. */
#define SD_SERVICES	0x01
#define SD_DAYS		0x02
#define SD_OUTAGES	0x04	/* the last INCIDENT_DAYS */
#define SD_INCIDENTS	0x08	/* open, or resolved in the last INCIDENT_DAYS */
#define SD_MAINT	0x10	/* windows not over (with focus: of 90 days) */
#define SD_ALL		(SD_SERVICES | SD_DAYS | SD_OUTAGES | SD_INCIDENTS | \
			SD_MAINT)

/*
 * Read what says into sd (one statement each) and decide the states:
 * of every public service, or with focus of that one alone (and the
 * services it depends on: all its page shows).
 */
int	 statusdata_load(struct db *, const struct conf *, time_t now,
	    unsigned what, long long focus, struct statusdata *sd);
void	 statusdata_free(struct statusdata *);
/* Decide sd->sp (the shown states) from sd->svc as of sd->now.  0 or -1. */
int	 statusdata_decide(struct statusdata *, long down_after);
/* The public service of id in sd, or NULL (none, or not public). */
const struct service *statusdata_public(const struct statusdata *,
	    long long id, const struct sp_service **sp);

/* The name of service id in sd (NULL: not read). */
const char *statusdata_name(const struct statusdata *, long long id);

/*
 * Incidents for the pages (page/incidentdoc.c): those of sd (with
 * service, of that one only) that are open (open) or resolved (!open),
 * newest first, each {id, title, impact, impact_label, status_label,
 * services: [{id, name, sep}], updates newest first: [{status_label,
 * message, at, at_iso}], began, resolved}.
 */
struct json_object *incidentdoc_list(const struct statusdata *, bool open,
	    long long service);
/* One incident of sd as the pages show it. */
struct json_object *incidentdoc_json(const struct statusdata *,
	    const struct incident *);
/*
 * The maintenance windows of sd not over yet (with service, of that one
 * only), soonest first: {title, message, active, state_text, starts,
 * ends (and _iso), services: [{id, name, sep}]}.
 */
struct json_object *maintdoc_list(const struct statusdata *,
	    long long service);
/*
 * The outages iv[0..n) less sd's windows of service (what uptime
 * counts), into *out (malloc'd; caller frees).  0 or -1.
 */
int	 maintdoc_subtract(const struct statusdata *, long long service,
	    const struct interval *iv, size_t n, struct interval **out,
	    size_t *nout);
/*
 * The feed's entries of every update of sd's incidents, into entries;
 * 0, or -1 out of memory (entries then holds some: the caller puts it).
 */
int	 incidentdoc_feed(const struct statusdata *, const char *base,
	    struct json_object *entries);

/* /status: a new object (with the layout's base data). */
struct json_object *statusdoc_index(const struct statusdata *,
	    const struct conf *);
/*
 * /status/<id>: a new object, or NULL when the service is not public
 * or memory runs out (the caller has checked that it is public: its
 * NULL is a 500).  The document goes whole or not at all.  iv[0..niv)
 * are its outages of the last STATUS_DAYS (uptimes).
 */
struct json_object *statusdoc_service(const struct statusdata *,
	    const struct conf *, long long id, struct interval *iv,
	    size_t niv);
/*
 * /status/feed.atom: outages opened and closed and incident updates,
 * newest first; a new object, or NULL out of memory (never a feed that
 * lacks an entry).
 */
struct json_object *statusdoc_feed(const struct statusdata *,
	    const struct conf *);

#endif
