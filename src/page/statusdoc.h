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

#include "core/statuspage.h"
#include "core/uptime.h"
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
};

/* What statusdata_load reads. */
#define SD_SERVICES	0x01
#define SD_DAYS		0x02
#define SD_OUTAGES	0x04	/* the last INCIDENT_DAYS */
#define SD_ALL		(SD_SERVICES | SD_DAYS | SD_OUTAGES)

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

/* /status: a new object (with the layout's base data). */
struct json_object *statusdoc_index(const struct statusdata *,
	    const struct conf *);
/*
 * /status/<id>: a new object, or NULL when the service is not public.
 * iv[0..niv) are its outages of the last STATUS_DAYS (uptimes).
 */
struct json_object *statusdoc_service(const struct statusdata *,
	    const struct conf *, long long id, struct interval *iv,
	    size_t niv);
/* /status/feed.atom: outages opened and closed, newest first. */
struct json_object *statusdoc_feed(const struct statusdata *,
	    const struct conf *);

#endif
