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
#include "util/json.h"

/* One feed entry: an outage's beginning or end; NULL out of memory. */
static struct json_object *
entry_json(const struct statusdata *sd, const struct downtime *d, int ended,
    const char *base)
{
	struct json_object	*e;
	const char		*name = statusdata_name(sd, d->service_id);
	char			 buf[512], iso[PAGE_TIME_MAX], dur[32];
	int			 bad = 0;

	if ((e = json_object_new_object()) == NULL)
		return NULL;
	/* A page's fragment where the pages have an address, else a URN. */
	if (base[0] != '\0')
		snprintf(buf, sizeof(buf), "%s/status/%lld#outage-%lld-%s", base,
		    d->service_id, d->id, ended ? "ended" : "began");
	else
		snprintf(buf, sizeof(buf), "urn:resilops:outage:%lld:%s", d->id,
		    ended ? "ended" : "began");
	bad |= json_add_string(e, "id", buf);
	snprintf(buf, sizeof(buf), ended ? "%s is back" : "%s is out of "
	    "service", name != NULL ? name : "A service");
	bad |= json_add_string(e, "title", buf);
	page_iso(ended ? d->end : d->start, iso);
	bad |= json_add_string(e, "updated_iso", iso);
	bad |= json_add(e, "service_id", json_object_new_int64(d->service_id));
	page_duration((long)(d->end - d->start), dur, sizeof(dur));
	if (ended)
		snprintf(buf, sizeof(buf), "The outage (%s) ended after %s.",
		    d->reason, dur);
	else
		snprintf(buf, sizeof(buf), "An outage began: %s.", d->reason);
	bad |= json_add_string(e, "text", buf);
	return json_done(e, bad);
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

/*
 * The outages' and the incidents' entries, newest first, the first
 * FEED_ENTRIES of them; NULL out of memory.
 */
static struct json_object *
entries_json(const struct statusdata *sd, const char *base)
{
	struct json_object	*entries, *trimmed;
	size_t			 i, n;
	int			 bad = 0;

	if ((entries = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < sd->nout && !bad; i++) {
		if (sd->out[i].end != 0)
			bad |= json_push(entries, entry_json(sd, &sd->out[i], 1,
			    base));
		bad |= json_push(entries, entry_json(sd, &sd->out[i], 0,
		    base));
	}
	if (bad || incidentdoc_feed(sd, base, entries) != 0) {
		json_object_put(entries);
		return NULL;
	}
	json_object_array_sort(entries, updated_cmp);
	n = json_object_array_length(entries);
	if ((trimmed = json_object_new_array()) == NULL) {
		json_object_put(entries);
		return NULL;
	}
	for (i = 0; i < n && i < FEED_ENTRIES && !bad; i++)
		bad |= json_push(trimmed, json_object_get(
		    json_object_array_get_idx(entries, i)));
	json_object_put(entries);
	return json_done(trimmed, bad);
}

struct json_object *
statusdoc_feed(const struct statusdata *sd, const struct conf *cfg)
{
	struct json_object	*o, *entries;
	const char		*base = cfg->pages.base_url;
	char			 feedid[600];
	int			 bad = 0;

	/* Out of memory: NULL, never a feed that lacks an entry. */
	if ((entries = entries_json(sd, base)) == NULL)
		return NULL;
	if ((o = page_base(cfg, "Outages and incidents", sd->now, 1)) == NULL) {
		json_object_put(entries);
		return NULL;
	}
	bad |= json_add_string(o, "base", base);
	if (base[0] != '\0')
		snprintf(feedid, sizeof(feedid), "%s/status/feed.atom", base);
	else
		snprintf(feedid, sizeof(feedid), "urn:resilops:status");
	bad |= json_add_string(o, "feed_id", feedid);
	/*
	 * The feed changed when its newest entry did (an empty one never):
	 * its ETag stays the same until something happens.
	 */
	bad |= json_add(o, "updated_iso", json_object_array_length(entries) >
	    0 ? json_object_get(json_object_object_get(
	    json_object_array_get_idx(entries, 0), "updated_iso")) :
	    json_object_new_string("1970-01-01T00:00:00Z"));
	bad |= json_add(o, "entries", entries);
	return json_done(o, bad);
}
