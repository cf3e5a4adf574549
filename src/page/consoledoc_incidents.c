/*
 * The console's incident and maintenance pages as documents: pure, like
 * the rest of consoledoc (the API's answers in, the page's data out).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/incident.h"
#include "core/perm.h"
#include "page/consoledoc.h"
#include "util/json.h"

/* The filters above the list: ?status= and its label. */
/* A filter above a list: its value (of ?status= or ?state=), label, link. */
struct tab {
	const char	*value;
	const char	*label;
	const char	*href;
};

static const struct tab filters[] = {
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
static int
add_labels(struct json_object *o)
{
	int	 x, bad = 0;

	if ((x = incident_impact_parse(str(o, "impact"))) >= 0)
		bad |= json_add_string(o, "impact_label",
		    incident_impact_label(x));
	if ((x = incident_status_parse(str(o, "status"))) >= 0)
		bad |= json_add_string(o, "status_label",
		    incident_status_label(x));
	return bad;
}

/* An incident of the API, for a page: labels, updates newest first. */
static int
shape(struct json_object *inc)
{
	struct json_object	*ups, *rev;
	size_t			 i, n;
	int			 bad = 0;

	bad |= add_labels(inc);
	if (!json_object_object_get_ex(inc, "updates", &ups) ||
	    !json_object_is_type(ups, json_type_array))
		return bad;
	n = json_object_array_length(ups);
	rev = json_object_new_array_ext((int)n);
	for (i = n; i > 0; i--) {
		bad |= add_labels(json_object_array_get_idx(ups, i - 1));
		bad |= json_push(rev, json_object_get(
		    json_object_array_get_idx(ups, i - 1)));
	}
	bad |= json_add(inc, "updates", rev);
	return bad;
}

/* The choices of a select, the current one marked; NULL: no memory. */
static struct json_object *
choices(const char *const *names, const char *current)
{
	struct json_object	*arr, *c;
	size_t			 i;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; names[i] != NULL; i++) {
		c = json_object_new_object();
		bad |= json_add_string(c, "value", names[i]);
		bad |= json_add(c, "selected", json_object_new_boolean(
		    current != NULL && strcmp(current, names[i]) == 0));
		bad |= json_push(arr, c);
	}
	return json_done(arr, bad);
}

/*
 * {id, name} of the services of svc_ids, named from services' answer;
 * NULL out of memory.
 */
static struct json_object *
named(struct json_object *ids, struct json_object *services)
{
	struct json_object	*arr, *o, *s;
	size_t			 i, k, n = json_object_array_length(ids);
	long long		 id;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		id = json_object_get_int64(json_object_array_get_idx(ids, i));
		o = json_object_new_object();
		bad |= json_add(o, "id", json_object_new_int64(id));
		for (k = 0; services != NULL &&
		    k < json_object_array_length(services); k++) {
			s = json_object_array_get_idx(services, k);
			if (json_object_get_int64(json_object_object_get(s,
			    "id")) == id) {
				bad |= consoledoc_add_member(o, "name", s,
				    "name");
				break;
			}
		}
		bad |= json_push(arr, o);
	}
	return json_done(arr, bad);
}

/* The filters of tabs[0..n), the one whose value is current marked. */
static struct json_object *
tabs_json(const struct tab *tabs, size_t n, const char *current)
{
	struct json_object	*arr, *t;
	size_t			 i;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		t = json_object_new_object();
		bad |= json_add_string(t, "label", tabs[i].label);
		bad |= json_add_string(t, "href", tabs[i].href);
		bad |= json_add(t, "current", json_object_new_boolean(
		    strcmp(current, tabs[i].value) == 0));
		bad |= json_push(arr, t);
	}
	return json_done(arr, bad);
}

struct json_object *
consoledoc_incidents(const struct console_view *v, struct console_list l,
    const char *status)
{
	struct json_object	*o;
	char			 q[64];
	size_t			 i, n;
	int			 bad = 0;

	n = l.answer != NULL ? json_object_array_length(l.answer) : 0;
	for (i = 0; i < n && !bad; i++)
		bad |= add_labels(json_object_array_get_idx(l.answer, i));
	if (bad) {
		json_object_put(l.answer);
		return NULL;
	}
	snprintf(q, sizeof(q), "%s%s", status[0] != '\0' ? "status=" : "",
	    status);
	o = consoledoc_list_layout(v, "Incidents", "incidents", "incidents", l,
	    "/console/incidents", q);
	bad |= json_add(o, "filters", tabs_json(filters,
	    sizeof(filters) / sizeof(filters[0]), status));
	bad |= json_add(o, "can_write", json_object_new_boolean(
	    may(v, PERM_INCIDENTS)));
	return json_done(o, bad);
}

struct json_object *
consoledoc_incident(const struct console_view *v, struct json_object *inc,
    struct json_object *services)
{
	struct json_object	*o = consoledoc_layout(v, "Incident", "incidents");
	int			 bad = 0;

	bad |= shape(inc);
	bad |= consoledoc_times(inc, v->now);
	bad |= json_add(inc, "services", named(json_object_object_get(
	    inc, "service_ids"), services));
	bad |= consoledoc_add_member(o, "title", inc, "title");
	bad |= json_add(o, "statuses", choices(incident_status_choices,
	    NULL));
	bad |= json_add(o, "impacts", choices(incident_impact_choices,
	    str(inc, "impact")));
	bad |= json_add(o, "is_draft", json_object_new_boolean(
	    json_object_get_boolean(json_object_object_get(inc, "draft"))));
	bad |= consoledoc_add_answer(o, "incident", inc);
	bad |= json_add(o, "can_write", json_object_new_boolean(
	    may(v, PERM_INCIDENTS)));
	json_object_put(services);
	return json_done(o, bad);
}

/* A form's page: the services to choose from (taken; NULL: none). */
static struct json_object *
form_page(const struct console_view *v, const char *title,
    const char *section, struct json_object *services)
{
	struct json_object	*o = consoledoc_layout(v, title, section);

	return json_done(o, json_add(o, "services", services != NULL ?
	    services : json_object_new_array()));
}

struct json_object *
consoledoc_incident_new(const struct console_view *v,
    struct json_object *services)
{
	struct json_object	*o;
	int			 bad = 0;

	o = form_page(v, "New incident", "incidents", services);
	bad |= json_add(o, "statuses", choices(incident_status_choices,
	    "investigating"));
	bad |= json_add(o, "impacts", choices(incident_impact_choices,
	    "minor"));
	return json_done(o, bad);
}

/*
 * A page that asks before key's object (taken) is deleted, its times
 * for people when times.
 */
static struct json_object *
delete_page(const struct console_view *v, const char *title,
    const char *section, const char *key, struct json_object *obj,
    bool times)
{
	struct json_object	*o = consoledoc_layout(v, title, section);

	if (times && consoledoc_times(obj, v->now) != 0) {
		json_object_put(obj);
		json_object_put(o);
		return NULL;
	}
	return json_done(o, consoledoc_add_answer(o, key, obj));
}

struct json_object *
consoledoc_incident_delete(const struct console_view *v,
    struct json_object *inc)
{
	return delete_page(v, "Delete a draft", "incidents", "incident", inc,
	    false);
}

static const struct tab maint_filters[] = {
	{ "", "All", "/console/maintenance" },
	{ "scheduled", "Planned", "/console/maintenance?state=scheduled" },
	{ "active", "In progress", "/console/maintenance?state=active" },
	{ "completed", "Over", "/console/maintenance?state=completed" },
};

struct json_object *
consoledoc_maintenance(const struct console_view *v, struct console_list l,
    const char *state, struct json_object *services)
{
	struct json_object	*o, *w;
	char			 q[64];
	size_t			 i, n;
	int			 bad = 0;

	n = l.answer != NULL ? json_object_array_length(l.answer) : 0;
	for (i = 0; i < n && !bad; i++) {
		w = json_object_array_get_idx(l.answer, i);
		bad |= json_add(w, "services", named(
		    json_object_object_get(w, "service_ids"), services));
	}
	json_object_put(services);
	if (bad) {
		json_object_put(l.answer);
		return NULL;
	}
	snprintf(q, sizeof(q), "%s%s", state[0] != '\0' ? "state=" : "",
	    state);
	o = consoledoc_list_layout(v, "Maintenance", "maintenance", "windows",
	    l, "/console/maintenance", q);
	bad |= json_add(o, "filters", tabs_json(maint_filters,
	    sizeof(maint_filters) / sizeof(maint_filters[0]), state));
	bad |= json_add(o, "can_write", json_object_new_boolean(
	    may(v, PERM_INCIDENTS)));
	return json_done(o, bad);
}

struct json_object *
consoledoc_maintenance_new(const struct console_view *v,
    struct json_object *services)
{
	return form_page(v, "Plan maintenance", "maintenance", services);
}

struct json_object *
consoledoc_maintenance_delete(const struct console_view *v,
    struct json_object *w)
{
	return delete_page(v, "Delete a maintenance window", "maintenance",
	    "window", w, true);
}
