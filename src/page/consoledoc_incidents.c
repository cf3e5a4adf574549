/*
 * The console's incident pages as documents: pure, like the rest of
 * consoledoc (the API's answers in, the page's data out).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/incident.h"
#include "core/perm.h"
#include "page/consoledoc.h"

/* The filters above the list: ?status= and its label. */
static const struct {
	const char	*status;
	const char	*label;
	const char	*href;
} filters[] = {
	{ "", "All", "/console/incidents" },
	{ "open", "Open", "/console/incidents?status=open" },
	{ "draft", "Drafts", "/console/incidents?status=draft" },
	{ "resolved", "Resolved", "/console/incidents?status=resolved" },
};

static bool
may(const struct console_view *v, enum perm p)
{
	return perms_may(v->perms, p);
}

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

/* Labels for people beside the API's words: "Major", "Identified". */
static void
add_labels(struct json_object *o)
{
	int	 x;

	if ((x = incident_impact_parse(str(o, "impact"))) >= 0)
		json_object_object_add(o, "impact_label",
		    json_object_new_string(incident_impact_label(x)));
	if ((x = incident_status_parse(str(o, "status"))) >= 0)
		json_object_object_add(o, "status_label",
		    json_object_new_string(incident_status_label(x)));
}

/* An incident of the API, for a page: labels, updates newest first. */
static void
shape(struct json_object *inc)
{
	struct json_object	*ups, *rev;
	size_t			 i, n;

	add_labels(inc);
	if (!json_object_object_get_ex(inc, "updates", &ups) ||
	    !json_object_is_type(ups, json_type_array))
		return;
	n = json_object_array_length(ups);
	rev = json_object_new_array_ext((int)n);
	for (i = n; i > 0; i--) {
		add_labels(json_object_array_get_idx(ups, i - 1));
		json_object_array_add(rev, json_object_get(
		    json_object_array_get_idx(ups, i - 1)));
	}
	json_object_object_add(inc, "updates", rev);
}

/* The choices of a select, the current one marked. */
static struct json_object *
choices(const char *const *names, const char *current)
{
	struct json_object	*arr = json_object_new_array(), *c;
	size_t			 i;

	for (i = 0; names[i] != NULL; i++) {
		c = json_object_new_object();
		json_object_object_add(c, "value",
		    json_object_new_string(names[i]));
		json_object_object_add(c, "selected", json_object_new_boolean(
		    current != NULL && strcmp(current, names[i]) == 0));
		json_object_array_add(arr, c);
	}
	return arr;
}

/* {id, name} of the services of svc_ids, named from services' answer. */
static struct json_object *
named(struct json_object *ids, struct json_object *services)
{
	struct json_object	*arr = json_object_new_array(), *o, *s;
	size_t			 i, k, n = json_object_array_length(ids);
	long long		 id;

	for (i = 0; i < n; i++) {
		id = json_object_get_int64(json_object_array_get_idx(ids, i));
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(id));
		for (k = 0; services != NULL &&
		    k < json_object_array_length(services); k++) {
			s = json_object_array_get_idx(services, k);
			if (json_object_get_int64(json_object_object_get(s,
			    "id")) == id) {
				json_object_object_add(o, "name",
				    json_object_get(json_object_object_get(s,
				    "name")));
				break;
			}
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

struct json_object *
consoledoc_incidents(const struct console_view *v, struct console_list l,
    const char *status)
{
	struct json_object	*o, *tabs, *t;
	char			 q[64];
	size_t			 i, n;

	n = l.answer != NULL ? json_object_array_length(l.answer) : 0;
	for (i = 0; i < n; i++)
		add_labels(json_object_array_get_idx(l.answer, i));
	snprintf(q, sizeof(q), "%s%s", status[0] != '\0' ? "status=" : "",
	    status);
	o = consoledoc_list_layout(v, "Incidents", "incidents", "incidents", l,
	    "/console/incidents", q);
	tabs = json_object_new_array();
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		t = json_object_new_object();
		json_object_object_add(t, "label",
		    json_object_new_string(filters[i].label));
		json_object_object_add(t, "href",
		    json_object_new_string(filters[i].href));
		json_object_object_add(t, "current", json_object_new_boolean(
		    strcmp(status, filters[i].status) == 0));
		json_object_array_add(tabs, t);
	}
	json_object_object_add(o, "filters", tabs);
	json_object_object_add(o, "can_write", json_object_new_boolean(
	    may(v, PERM_INCIDENTS)));
	return o;
}

struct json_object *
consoledoc_incident(const struct console_view *v, struct json_object *inc,
    struct json_object *services)
{
	struct json_object	*o = consoledoc_layout(v, "Incident", "incidents");
	struct json_object	*draft;

	shape(inc);
	consoledoc_times(inc, v->now);
	json_object_object_add(inc, "services", named(json_object_object_get(
	    inc, "service_ids"), services));
	json_object_object_add(o, "title", json_object_get(
	    json_object_object_get(inc, "title")));
	json_object_object_add(o, "statuses", choices(incident_status_choices,
	    NULL));
	json_object_object_add(o, "impacts", choices(incident_impact_choices,
	    str(inc, "impact")));
	draft = json_object_object_get(inc, "draft");
	json_object_object_add(o, "is_draft", json_object_new_boolean(
	    json_object_get_boolean(draft)));
	json_object_object_add(o, "incident", inc);
	json_object_object_add(o, "can_write", json_object_new_boolean(
	    may(v, PERM_INCIDENTS)));
	json_object_put(services);
	return o;
}

struct json_object *
consoledoc_incident_new(const struct console_view *v,
    struct json_object *services)
{
	struct json_object	*o = consoledoc_layout(v, "New incident",
				    "incidents");

	json_object_object_add(o, "services", services != NULL ? services :
	    json_object_new_array());
	json_object_object_add(o, "statuses", choices(incident_status_choices,
	    "investigating"));
	json_object_object_add(o, "impacts", choices(incident_impact_choices,
	    "minor"));
	return o;
}

struct json_object *
consoledoc_incident_delete(const struct console_view *v,
    struct json_object *inc)
{
	struct json_object	*o = consoledoc_layout(v, "Delete a draft",
				    "incidents");

	json_object_object_add(o, "incident", inc);
	return o;
}
