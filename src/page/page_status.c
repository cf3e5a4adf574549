/*
 * The public status pages (CONTRACT 7): /status, /status/<id>, the Atom
 * feed of outages and the SVG badges.  No credential: a service shows
 * only when it is public, and is 404 everywhere else.  Each answer is a
 * fixed handful of statements whatever the number of services.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/badge.h"
#include "core/statuspage.h"
#include "core/uptime.h"
#include "db/db_pages.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "http/response.h"
#include "http/route.h"
#include "page/page.h"
#include "page/page_routes.h"
#include "page/pages.h"
#include "page/statusdoc.h"
#include "util/conf.h"

#define DAY		86400L
#define MAX_AGE		30	/* seconds a feed or badge may be cached */
#define NOT_PUBLIC	"No public service has this number"

static int
status_index(struct request *req, struct response *resp)
{
	struct statusdata	 sd;
	struct json_object	*doc;

	if (statusdata_load(req->db, req->app->cfg, req->now, SD_ALL, 0,
	    &sd) == -1)
		return -1;
	doc = statusdoc_index(&sd, req->app->cfg);
	statusdata_free(&sd);
	return page_send(req, resp, 200, "status", doc);
}

/* The outages of service id since since, as intervals (caller frees). */
static int
outage_intervals(struct request *req, long long id, time_t since,
    struct interval **iv, size_t *n)
{
	struct downtime	*d = NULL;
	size_t		 i;
	int		 rc = -1;

	*iv = NULL;
	*n = 0;
	if (db_pages_outages(req->db, since, id, 100000, &d, n) == -1)
		return -1;
	if ((*iv = calloc(*n > 0 ? *n : 1, sizeof(**iv))) != NULL) {
		for (i = 0; i < *n; i++) {
			(*iv)[i].start = d[i].start;
			(*iv)[i].end = d[i].end;
		}
		rc = 0;
	}
	for (i = 0; i < *n; i++)
		downtime_clear(&d[i]);
	free(d);
	return rc;
}

static int
status_service(struct request *req, struct response *resp)
{
	struct statusdata	 sd;
	struct json_object	*doc;
	struct interval		*iv = NULL;
	size_t			 n = 0;
	int			 rc = -1;

	if (statusdata_load(req->db, req->app->cfg, req->now,
	    SD_ALL, req->params[0], &sd) == -1)
		return -1;
	if (statusdata_public(&sd, req->params[0], NULL) == NULL) {
		statusdata_free(&sd);
		return resp_error(resp, 404, NOT_PUBLIC);
	}
	/* Its own outages of the last 90 days, for the uptimes. */
	if (outage_intervals(req, req->params[0], req->now - STATUS_DAYS * DAY,
	    &iv, &n) == 0) {
		doc = statusdoc_service(&sd, req->app->cfg, req->params[0], iv,
		    n);
		rc = page_send(req, resp, 200, "status_service", doc);
	}
	free(iv);
	statusdata_free(&sd);
	return rc;
}

static int
status_feed(struct request *req, struct response *resp)
{
	struct statusdata	 sd;
	struct json_object	*doc;
	size_t			 len = 0;
	char			*buf;

	if (statusdata_load(req->db, req->app->cfg, req->now,
	    SD_SERVICES | SD_OUTAGES | SD_INCIDENTS, 0, &sd) == -1)
		return -1;
	doc = statusdoc_feed(&sd, req->app->cfg);
	statusdata_free(&sd);
	if (doc == NULL)	/* out of memory: never an empty feed */
		return -1;
	buf = pages_render(req->app->pages, "feed.atom", doc, &len);
	json_object_put(doc);
	if (buf == NULL)
		return -1;
	return page_cacheable(req, resp, buf, len, MAX_AGE);
}

/* A status badge, or with ?window= an uptime badge. */
static int
status_badge(struct request *req, struct response *resp)
{
	const struct sp_service	*p;
	const struct service	*s;
	struct statusdata	 sd;
	struct interval		*iv = NULL, *left = NULL;
	char			*win, label[32], value[32], *svg = NULL;
	const char		*color;
	size_t			 n = 0, nleft = 0, len = 0;
	long			 window = 0, u;
	bool			 bad;
	int			 rc = -1;

	if ((win = query_param(req->query, "window", &bad)) != NULL || bad) {
		window = bad ? -1 : window_parse(win);
		free(win);
		if (window < 0)
			return resp_error(resp, 400, WINDOW_BADMSG);
	}
	if (statusdata_load(req->db, req->app->cfg, req->now,
	    SD_SERVICES | SD_MAINT, req->params[0], &sd) == -1)
		return -1;
	if ((s = statusdata_public(&sd, req->params[0], &p)) == NULL) {
		statusdata_free(&sd);
		return resp_error(resp, 404, NOT_PUBLIC);
	}
	if (window == 0)
		svg = statuspage_badge(p->shown, &len);
	else {
		if (outage_intervals(req, s->id, req->now - window, &iv,
		    &n) == -1 || maintdoc_subtract(&sd, s->id, iv, n, &left,
		    &nleft) == -1)
			goto out;
		/* Planned maintenance is not downtime. */
		u = statuspage_uptime(covered_seconds(left, nleft,
		    req->now - window, req->now, req->now), s->created_at,
		    window, req->now);
		snprintf(label, sizeof(label), "uptime %s", window == DAY ?
		    "24h" : window == 7 * DAY ? "7d" : window == 30 * DAY ?
		    "30d" : "90d");
		snprintf(value, sizeof(value), "%ld.%02ld %%", u / 100, u % 100);
		color = u >= 9990 ? BADGE_GREEN : u >= 9900 ? BADGE_YELLOW :
		    BADGE_RED;
		svg = badge_svg(label, value, color, &len);
	}
	if (svg != NULL)
		rc = page_cacheable(req, resp, svg, len, MAX_AGE);
out:
	free(iv);
	free(left);
	statusdata_free(&sd);
	return rc;
}

static int
home(struct request *req, struct response *resp)
{
	(void)req;
	resp_header(resp, "Location", "/status");
	return resp_body(resp, 303, NULL, 0);
}

const struct route page_status_routes[] = {
	{ HTTP_GET, "/", PERM_PUBLIC, home, TAKES_NONE | ANSWERS_HTML, NULL,
	    NULL, NULL },
	{ HTTP_GET, "/status", PERM_PUBLIC, status_index,
	    TAKES_NONE | ANSWERS_HTML | ROUTE_STATIC, NULL, NULL, NULL },
	{ HTTP_GET, "/status/<id>", PERM_PUBLIC, status_service,
	    TAKES_NONE | ANSWERS_HTML, NULL, NULL, NULL },
	{ HTTP_GET, "/status/feed.atom", PERM_PUBLIC, status_feed,
	    TAKES_NONE | ANSWERS_ATOM | ROUTE_STATIC, NULL, NULL, NULL },
	{ HTTP_GET, "/status/badge/<id>.svg", PERM_PUBLIC, status_badge,
	    TAKES_NONE | ANSWERS_SVG | ROUTE_STATIC, NULL, NULL, NULL },
};
const size_t page_status_nroutes =
    sizeof(page_status_routes) / sizeof(page_status_routes[0]);
