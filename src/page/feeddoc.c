/*
 * The Atom feed's document (/status/feed.atom and its static copy):
 * the outages of public services opening and closing, and every update
 * of their incidents (incidentdoc_feed), newest first, FEED_ENTRIES of
 * them.  Entry ids are stable: [pages] base_url fragments, else URNs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "page/page.h"
#include "page/statusdoc.h"
#include "util/conf.h"

/* One feed entry: an outage's beginning or end. */
static struct json_object *
entry_json(const struct statusdata *sd, const struct downtime *d, int ended,
    const char *base)
{
	struct json_object	*e = json_object_new_object();
	const char		*name = statusdata_name(sd, d->service_id);
	char			 buf[512], iso[PAGE_TIME_MAX], dur[32];

	/* A page's fragment where the pages have an address, else a URN. */
	if (base[0] != '\0')
		snprintf(buf, sizeof(buf), "%s/status/%lld#outage-%lld-%s", base,
		    d->service_id, d->id, ended ? "ended" : "began");
	else
		snprintf(buf, sizeof(buf), "urn:resilops:outage:%lld:%s", d->id,
		    ended ? "ended" : "began");
	json_object_object_add(e, "id", json_object_new_string(buf));
	snprintf(buf, sizeof(buf), ended ? "%s is back" : "%s is out of "
	    "service", name != NULL ? name : "A service");
	json_object_object_add(e, "title", json_object_new_string(buf));
	page_iso(ended ? d->end : d->start, iso);
	json_object_object_add(e, "updated_iso", json_object_new_string(iso));
	json_object_object_add(e, "service_id",
	    json_object_new_int64(d->service_id));
	page_duration((long)(d->end - d->start), dur, sizeof(dur));
	if (ended)
		snprintf(buf, sizeof(buf), "The outage (%s) ended after %s.",
		    d->reason, dur);
	else
		snprintf(buf, sizeof(buf), "An outage began: %s.", d->reason);
	json_object_object_add(e, "text", json_object_new_string(buf));
	return e;
}

static int
updated_cmp(const void *a, const void *b)
{
	struct json_object	*x = *(struct json_object *const *)a;
	struct json_object	*y = *(struct json_object *const *)b;
	struct json_object	*ux, *uy;

	json_object_object_get_ex(x, "updated_iso", &ux);
	json_object_object_get_ex(y, "updated_iso", &uy);
	/* ISO times sort as text; newest first. */
	return -strcmp(json_object_get_string(ux), json_object_get_string(uy));
}

struct json_object *
statusdoc_feed(const struct statusdata *sd, const struct conf *cfg)
{
	struct json_object	*o, *entries, *trimmed;
	const char		*base = cfg->pages.base_url;
	char			 feedid[600];
	size_t			 i, n;

	if ((o = page_base(cfg, "Outages and incidents", sd->now, 1)) == NULL)
		return NULL;
	json_object_object_add(o, "base", json_object_new_string(base));
	if (base[0] != '\0')
		snprintf(feedid, sizeof(feedid), "%s/status/feed.atom", base);
	else
		snprintf(feedid, sizeof(feedid), "urn:resilops:status");
	json_object_object_add(o, "feed_id", json_object_new_string(feedid));
	entries = json_object_new_array();
	for (i = 0; i < sd->nout; i++) {
		if (sd->out[i].end != 0)
			json_object_array_add(entries, entry_json(sd,
			    &sd->out[i], 1, base));
		json_object_array_add(entries, entry_json(sd, &sd->out[i], 0,
		    base));
	}
	incidentdoc_feed(sd, base, entries);
	json_object_array_sort(entries, updated_cmp);
	n = json_object_array_length(entries);
	trimmed = json_object_new_array();
	for (i = 0; i < n && i < FEED_ENTRIES; i++)
		json_object_array_add(trimmed, json_object_get(
		    json_object_array_get_idx(entries, i)));
	json_object_put(entries);
	/*
	 * The feed changed when its newest entry did (an empty one never):
	 * its ETag stays the same until something happens.
	 */
	json_object_object_add(o, "updated_iso", n > 0 ? json_object_get(
	    json_object_object_get(json_object_array_get_idx(trimmed, 0),
	    "updated_iso")) : json_object_new_string("1970-01-01T00:00:00Z"));
	json_object_object_add(o, "entries", trimmed);
	return o;
}
