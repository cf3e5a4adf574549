/*
 * News on the public pages: incidents (open ones above the services,
 * resolved ones in the history, each with its timeline newest first;
 * one feed entry per update) and maintenance windows (in progress and
 * planned).  The services named are the public ones only (the reads
 * take no other, and this checks again).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/maintenance.h"
#include "page/page.h"
#include "page/statusdoc.h"
#include "util/json.h"

static struct json_object *
update_json(const struct statusdata *sd, const struct incident_update *u)
{
	struct json_object	*o;
	int			 bad = 0;

	/* One statement each: the members' order is the document's. */
	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= json_add(o, "id", json_object_new_int64(u->id));
	bad |= json_add(o, "incident_id", json_object_new_int64(u->incident_id));
	bad |= json_add_string(o, "status", incident_status_name(u->status));
	bad |= json_add_string(o, "status_label",
	    incident_status_label(u->status));
	bad |= json_add_string(o, "message", u->message);
	bad |= page_add_time(o, "at", u->created_at, sd->now);
	return json_done(o, bad);
}

/* {id, name, sep} of each public service of ids[0..n). */
static struct json_object *
public_services(const struct statusdata *sd, const long long *ids, size_t n)
{
	const struct service	*svc;
	struct json_object	*arr, *s;
	size_t			 i, k = 0;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((svc = statusdata_public(sd, ids[i], NULL)) == NULL)
			continue;
		s = json_object_new_object();
		bad |= json_add(s, "id", json_object_new_int64(ids[i]));
		bad |= json_add_string(s, "name", svc->name);
		bad |= json_add_string(s, "sep", k++ > 0 ? ", " : "");
		bad |= json_push(arr, s);
	}
	return json_done(arr, bad);
}

struct json_object *
incidentdoc_json(const struct statusdata *sd, const struct incident *inc)
{
	struct json_object	*o, *arr;
	size_t			 i;
	int			 bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= json_add(o, "id", json_object_new_int64(inc->id));
	bad |= json_add_string(o, "title", inc->title);
	bad |= json_add_string(o, "impact", incident_impact_name(inc->impact));
	bad |= json_add_string(o, "impact_label",
	    incident_impact_label(inc->impact));
	bad |= json_add_string(o, "status_label",
	    incident_status_label(inc->status));
	bad |= json_add(o, "resolved", json_object_new_boolean(
	    inc->resolved_at != 0));
	bad |= page_add_time(o, "began", inc->created_at, sd->now);
	if (inc->resolved_at != 0)
		bad |= page_add_time(o, "resolved_at", inc->resolved_at,
		    sd->now);
	bad |= page_add_list(o, "services",
	    public_services(sd, inc->service_ids, inc->nservices));
	arr = json_object_new_array_ext((int)inc->nupdates);
	for (i = inc->nupdates; i > 0; i--)
		bad |= json_push(arr, update_json(sd, &inc->updates[i - 1]));
	bad |= json_add(o, "updates", arr);
	return json_done(o, bad);
}

static bool
names(const struct incident *inc, long long service)
{
	size_t	 i;

	for (i = 0; i < inc->nservices; i++)
		if (inc->service_ids[i] == service)
			return true;
	return false;
}

struct json_object *
incidentdoc_list(const struct statusdata *sd, bool open, long long service)
{
	struct json_object	*arr;
	size_t			 i;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < sd->ninc; i++)
		if ((sd->inc[i].resolved_at == 0) == open &&
		    (service == 0 || names(&sd->inc[i], service)))
			bad |= json_push(arr, incidentdoc_json(sd,
			    &sd->inc[i]));
	return json_done(arr, bad);
}

/*
 * One update as a feed entry: "<title>: Identified", its message; NULL
 * out of memory.
 */
static struct json_object *
entry_json(const struct statusdata *sd, const struct incident *inc,
    const struct incident_update *u, const char *base)
{
	struct json_object	*e;
	char			 buf[700], iso[PAGE_TIME_MAX];
	size_t			 i;
	int			 bad = 0;

	if ((e = json_object_new_object()) == NULL)
		return NULL;
	if (base[0] != '\0')
		snprintf(buf, sizeof(buf), "%s/status#incident-%lld-update-%lld",
		    base, inc->id, u->id);
	else
		snprintf(buf, sizeof(buf), "urn:resilops:incident:%lld:update:"
		    "%lld", inc->id, u->id);
	bad |= json_add_string(e, "id", buf);
	snprintf(buf, sizeof(buf), "%s: %s", inc->title,
	    incident_status_label(u->status));
	bad |= json_add_string(e, "title", buf);
	page_iso(u->created_at, iso);
	bad |= json_add_string(e, "updated_iso", iso);
	/* The link: the first public service it names (its page has it). */
	for (i = 0; i < inc->nservices; i++)
		if (statusdata_public(sd, inc->service_ids[i], NULL) != NULL)
			break;
	bad |= json_add(e, "service_id", json_object_new_int64(
	    i < inc->nservices ? inc->service_ids[i] : 0));
	bad |= json_add_string(e, "text", u->message);
	return json_done(e, bad);
}

int
incidentdoc_feed(const struct statusdata *sd, const char *base,
    struct json_object *entries)
{
	size_t	 i, k;
	int	 bad = 0;

	for (i = 0; i < sd->ninc && !bad; i++)
		for (k = 0; k < sd->inc[i].nupdates && !bad; k++)
			bad |= json_push(entries, entry_json(sd, &sd->inc[i],
			    &sd->inc[i].updates[k], base));
	return bad ? -1 : 0;
}

static bool
window_names(const struct maint_window *w, long long service)
{
	size_t	 i;

	for (i = 0; i < w->nservice_ids; i++)
		if (w->service_ids[i] == service)
			return true;
	return false;
}

struct json_object *
maintdoc_list(const struct statusdata *sd, long long service)
{
	struct json_object	*arr, *o;
	const struct maint_window *w;
	size_t			 i;
	bool			 active;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < sd->nmaint; i++) {
		w = &sd->maint[i];
		if (w->ends_at <= sd->now ||
		    (service != 0 && !window_names(w, service)))
			continue;
		active = w->starts_at <= sd->now;
		o = json_object_new_object();
		bad |= json_add(o, "id", json_object_new_int64(w->id));
		bad |= json_add_string(o, "title", w->title);
		bad |= json_add_string(o, "message", w->message);
		bad |= json_add(o, "active", json_object_new_boolean(active));
		bad |= json_add_string(o, "state_text",
		    active ? "In progress" : "Planned");
		bad |= page_add_time(o, "starts", w->starts_at, sd->now);
		bad |= page_add_time(o, "ends", w->ends_at, sd->now);
		bad |= page_add_list(o, "services", public_services(sd,
		    w->service_ids, w->nservice_ids));
		bad |= json_push(arr, o);
	}
	return json_done(arr, bad);
}

int
maintdoc_subtract(const struct statusdata *sd, long long service,
    const struct interval *iv, size_t n, struct interval **out, size_t *nout)
{
	struct interval	*win;
	size_t		 i, nw = 0;
	int		 rc;

	if ((win = calloc(sd->nmaint > 0 ? sd->nmaint : 1,
	    sizeof(*win))) == NULL)
		return -1;
	for (i = 0; i < sd->nmaint; i++)
		if (window_names(&sd->maint[i], service)) {
			win[nw].start = sd->maint[i].starts_at;
			win[nw].end = sd->maint[i].ends_at;
			nw++;
		}
	rc = maint_subtract(iv, n, win, nw, sd->now, out, nout);
	free(win);
	return rc;
}
