/*
 * The status pages' documents.  Everything a template shows is decided
 * here (words, classes, times for people and for machines) so that the
 * templates stay logic-less; the verdicts themselves are core's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "db/db.h"
#include "db/db_incident.h"
#include "db/db_pages.h"
#include "page/page.h"
#include "page/statusdoc.h"
#include "util/conf.h"
#include "util/json.h"

#define DAY		86400L
#define OUTAGES_MAX	1000	/* of the last 30 days, on one page */
#define INCIDENTS_MAX	200	/* open or of the last 30 days, on one page */
#define MAINT_MAX	200	/* windows on one page */
#define BAR_STEP	4	/* px per bar in the SVG's viewBox */

int
statusdata_load(struct db *db, const struct conf *cfg, time_t now,
    unsigned what, long long focus, struct statusdata *sd)
{
	time_t	 today = now - now % DAY;

	memset(sd, 0, sizeof(*sd));
	sd->now = now;
	if ((what & SD_SERVICES) &&
	    db_pages_services(db, focus, now, &sd->svc, &sd->n) == -1)
		goto fail;
	if ((what & SD_DAYS) && db_rollup_public(db, focus,
	    today - (STATUS_DAYS - 1) * DAY, &sd->days, &sd->ndays) == -1)
		goto fail;
	if ((what & SD_OUTAGES) && db_pages_outages(db,
	    now - INCIDENT_DAYS * DAY, focus, OUTAGES_MAX, &sd->out,
	    &sd->nout) == -1)
		goto fail;
	if ((what & SD_MAINT) && db_maint_public(db, focus != 0 ?
	    now - STATUS_DAYS * DAY : now, focus, MAINT_MAX, &sd->maint,
	    &sd->nmaint) == -1)
		goto fail;
	if ((what & SD_INCIDENTS) && db_incident_public(db,
	    now - INCIDENT_DAYS * DAY, focus, INCIDENTS_MAX, &sd->inc,
	    &sd->ninc) == -1)
		goto fail;
	if (statusdata_decide(sd, cfg->health.down_after) == -1)
		goto fail;
	return 0;
fail:
	statusdata_free(sd);
	return -1;
}

int
statusdata_decide(struct statusdata *sd, long down_after)
{
	size_t	 i;

	free(sd->sp);
	if ((sd->sp = calloc(sd->n > 0 ? sd->n : 1, sizeof(*sd->sp))) == NULL)
		return -1;
	for (i = 0; i < sd->n; i++) {
		sd->sp[i].id = sd->svc[i].id;
		sd->sp[i].status = sd->svc[i].status;
		sd->sp[i].last_updated = sd->svc[i].last_updated;
		sd->sp[i].public = sd->svc[i].public;
		sd->sp[i].maintenance = sd->svc[i].in_maintenance;
		sd->sp[i].deps = sd->svc[i].deps;
		sd->sp[i].ndeps = sd->svc[i].ndeps;
	}
	return statuspage_states(sd->sp, sd->n, sd->now, down_after);
}

void
statusdata_free(struct statusdata *sd)
{
	size_t	 i;

	for (i = 0; i < sd->n; i++)
		service_clear(&sd->svc[i]);
	for (i = 0; i < sd->nout; i++)
		downtime_clear(&sd->out[i]);
	free(sd->svc);
	free(sd->sp);
	free(sd->days);
	free(sd->out);
	incidents_free(sd->inc, sd->ninc);
	for (i = 0; i < sd->nmaint; i++)
		maint_window_clear(&sd->maint[i]);
	free(sd->maint);
	memset(sd, 0, sizeof(*sd));
}

const struct service *
statusdata_public(const struct statusdata *sd, long long id,
    const struct sp_service **sp)
{
	const struct sp_service	*p = statuspage_find(sd->sp, sd->n, id);

	if (p == NULL || !p->public)
		return NULL;
	if (sp != NULL)
		*sp = p;
	return &sd->svc[p - sd->sp];
}

const char *
statusdata_name(const struct statusdata *sd, long long id)
{
	const struct sp_service	*p = statuspage_find(sd->sp, sd->n, id);

	return p != NULL ? sd->svc[p - sd->sp].name : NULL;
}

/* {class, text} of a shown state. */
static struct json_object *
state_json(enum shown_state s)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	if (json_add_string(o, "class", shown_class(s)) != 0 ||
	    json_add_string(o, "text", shown_text(s)) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* A service's state, its cause and staleness, into o; 0 or -1. */
static int
add_state(const struct statusdata *sd, const struct sp_service *p,
    struct json_object *o)
{
	const struct sp_service	*via;
	struct json_object	*v;
	int			 bad = 0;

	bad |= json_add(o, "state", state_json(p->shown));
	if (p->via != 0 && (via = statuspage_find(sd->sp, sd->n, p->via)) != NULL) {
		/* A private cause is shown, never named. */
		v = json_object_new_object();
		bad |= json_add(v, "id", json_object_new_int64(via->id));
		bad |= json_add(v, "public",
		    json_object_new_boolean(via->public));
		if (via->public)
			bad |= json_add_string(v, "name",
			    sd->svc[via - sd->sp].name);
		bad |= json_add(o, "via", v);
	}
	bad |= json_add(o, "stale", json_object_new_boolean(p->stale));
	if (p->stale)
		bad |= page_add_time(o, "last_heartbeat", p->last_updated,
		    sd->now);
	return bad ? -1 : 0;
}

/*
 * The first of sd->days (ordered by service, then day) that is of
 * service id, or where it would be: a binary search, so the page costs
 * the same for the 200th service as for the first.
 */
static size_t
days_of(const struct statusdata *sd, long long id)
{
	size_t	 lo = 0, hi = sd->ndays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sd->days[mid].service_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The 90 day bars of service s ("bars", markup), and its uptime. */
static int
add_bars(const struct statusdata *sd, const struct service *s,
    struct json_object *o)
{
	long			 down[STATUS_DAYS] = { 0 }, n[STATUS_DAYS] = { 0 };
	long long		 total = 0;
	time_t			 today = sd->now - sd->now % DAY, first;
	char			 pct[48], *svg;
	size_t			 i, len;
	long			 d, u;

	first = today - (STATUS_DAYS - 1) * DAY;
	for (i = days_of(sd, s->id); i < sd->ndays &&
	    sd->days[i].service_id == s->id; i++)
		if ((d = (long)((sd->days[i].d.day - first) / DAY)) >= 0 &&
		    d < STATUS_DAYS) {
			down[d] = sd->days[i].d.down_seconds;
			n[d] = sd->days[i].d.outages;
			total += down[d];
		}
	if ((svg = statuspage_bars_svg(first, STATUS_DAYS, s->created_at,
	    down, n, &len)) == NULL)
		return -1;
	if (json_add(o, "bars", json_object_new_string_len(svg,
	    (int)len)) != 0) {
		free(svg);
		return -1;
	}
	free(svg);
	u = statuspage_uptime(total, s->created_at, STATUS_DAYS * DAY, sd->now);
	snprintf(pct, sizeof(pct), "%ld.%02ld", u / 100, u % 100);
	return json_add_string(o, "uptime", pct);
}

/* The object a template shows for service i of sd. */
static struct json_object *
service_json(const struct statusdata *sd, size_t i, int bars)
{
	const struct service	*s = &sd->svc[i];
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	if (json_add(o, "id", json_object_new_int64(s->id)) != 0 ||
	    json_add_string(o, "name", s->name) != 0 ||
	    json_add_string(o, "description", s->description) != 0 ||
	    add_state(sd, &sd->sp[i], o) != 0 ||
	    (bars && add_bars(sd, s, o) == -1)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* json_object_array_sort's order: by "name", bytewise. */
static int
name_cmp(const void *a, const void *b)
{
	struct json_object	*x = *(struct json_object *const *)a;
	struct json_object	*y = *(struct json_object *const *)b;
	struct json_object	*nx, *ny;

	json_object_object_get_ex(x, "name", &nx);
	json_object_object_get_ex(y, "name", &ny);
	return strcmp(json_object_get_string(nx) ? json_object_get_string(nx) :
	    "", json_object_get_string(ny) ? json_object_get_string(ny) : "");
}

static const struct {
	const char	*key;
	const char	*heading;
} groups[CRIT__MAX] = {
	[CRIT_HIGH] = { "high", "High criticality" },
	[CRIT_MEDIUM] = { "medium", "Medium criticality" },
	[CRIT_LOW] = { "low", "Low criticality" },
	[CRIT_NONE] = { "other", "Other services" },
};

static enum criticality
crit_of(const struct service *s)
{
	return s->has_bia ? s->bia.criticality : CRIT_NONE;
}

/* The public services, most critical group first, by name within. */
static struct json_object *
groups_json(const struct statusdata *sd)
{
	static const enum criticality order[] = {
		CRIT_HIGH, CRIT_MEDIUM, CRIT_LOW, CRIT_NONE,
	};
	struct json_object	*arr, *g, *list;
	size_t			 k, i;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		if ((list = json_object_new_array()) == NULL) {
			bad = -1;
			break;
		}
		for (i = 0; i < sd->n; i++)
			if (sd->svc[i].public && crit_of(&sd->svc[i]) == order[k])
				bad |= json_push(list, service_json(sd, i, 1));
		if (json_object_array_length(list) == 0) {
			json_object_put(list);
			continue;
		}
		json_object_array_sort(list, name_cmp);
		g = json_object_new_object();
		bad |= json_add_string(g, "key", groups[order[k]].key);
		bad |= json_add_string(g, "heading", groups[order[k]].heading);
		bad |= json_add(g, "services", list);
		bad |= json_push(arr, g);
	}
	return json_done(arr, bad);
}

/* One outage for people: service, reason, start, end, duration. */
static struct json_object *
outage_json(const struct statusdata *sd, const struct downtime *d)
{
	struct json_object	*o;
	char			 dur[32];
	time_t			 end = d->end != 0 ? d->end : sd->now;
	int			 bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= json_add(o, "id", json_object_new_int64(d->service_id));
	bad |= json_add_string(o, "name", statusdata_name(sd, d->service_id));
	bad |= json_add_string(o, "reason", d->reason);
	bad |= page_add_time(o, "start", d->start, sd->now);
	if (d->end != 0)
		bad |= page_add_time(o, "end", d->end, sd->now);
	page_duration((long)(end - d->start), dur, sizeof(dur));
	bad |= json_add_string(o, "duration", dur);
	return json_done(o, bad);
}

/* The open outages, each with its timeline. */
static struct json_object *
ongoing_json(const struct statusdata *sd)
{
	const struct sp_service	*p;
	struct json_object	*arr, *o, *tl, *ev;
	char			 text[320], dur[32];
	size_t			 i;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < sd->nout && !bad; i++) {
		const struct downtime *d = &sd->out[i];

		if (d->end != 0)
			continue;
		if ((o = outage_json(sd, d)) == NULL) {
			bad = -1;
			break;
		}
		p = statuspage_find(sd->sp, sd->n, d->service_id);
		bad |= json_add_string(o, "state_word",
		    p != NULL && p->shown == SHOWN_DOWN ? "down" :
		    p != NULL && p->shown == SHOWN_DEGRADED ? "degraded" :
		    "out of service");
		bad |= page_add_time(o, "since", d->start, sd->now);
		tl = json_object_new_array();
		ev = json_object_new_object();
		bad |= page_add_time(ev, "at", d->start, sd->now);
		snprintf(text, sizeof(text), "outage began (%s)", d->reason);
		bad |= json_add_string(ev, "text", text);
		bad |= json_push(tl, ev);
		ev = json_object_new_object();
		bad |= page_add_time(ev, "at", sd->now, sd->now);
		page_duration((long)(sd->now - d->start), dur, sizeof(dur));
		snprintf(text, sizeof(text), "still ongoing after %s", dur);
		bad |= json_add_string(ev, "text", text);
		bad |= json_push(tl, ev);
		bad |= json_add(o, "timeline", tl);
		bad |= json_push(arr, o);
	}
	return json_done(arr, bad);
}

/*
 * A new block of the history for the UTC day of t; *items its list
 * (owned by the block).  NULL out of memory.
 */
static struct json_object *
day_block(time_t t, struct json_object **items)
{
	struct json_object	*day;
	struct tm		 tm;
	char			 date[16], text[32];

	*items = NULL;
	if ((day = json_object_new_object()) == NULL)
		return NULL;
	t -= t % DAY;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	strftime(text, sizeof(text), "%-d %B %Y", &tm);
	*items = json_object_new_array();
	if (json_add_string(day, "date", date) != 0 ||
	    json_add_string(day, "date_text", text) != 0 ||
	    json_add(day, "items", json_object_get(*items)) != 0) {
		json_object_put(*items);
		*items = NULL;
		json_object_put(day);
		return NULL;
	}
	json_object_put(*items);	/* day holds it */
	return day;
}

/*
 * The last 30 days, one block per UTC day, newest first: the outages
 * by their start and the resolved incidents by when they began (both
 * come newest first), each item {outage} or {incident}.
 */
static struct json_object *
history_json(const struct statusdata *sd)
{
	struct json_object	*days, *items = NULL, *item;
	time_t			 cur = -1, t;
	size_t			 i = 0, k = 0;
	bool			 outage;
	int			 bad = 0;

	if ((days = json_object_new_array()) == NULL)
		return NULL;
	while (!bad) {
		while (k < sd->ninc && sd->inc[k].resolved_at == 0)
			k++;
		if (i == sd->nout && k == sd->ninc)
			break;
		outage = k == sd->ninc || (i < sd->nout &&
		    sd->out[i].start >= sd->inc[k].created_at);
		t = outage ? sd->out[i].start : sd->inc[k].created_at;
		if (t - t % DAY != cur) {
			cur = t - t % DAY;
			if (json_push(days, day_block(t, &items)) != 0)
				break;
		}
		item = json_object_new_object();
		if (outage)
			bad |= json_add(item, "outage",
			    outage_json(sd, &sd->out[i++]));
		else
			bad |= json_add(item, "incident",
			    incidentdoc_json(sd, &sd->inc[k++]));
		bad |= json_push(items, item);
	}
	if (bad || (i < sd->nout || k < sd->ninc)) {
		json_object_put(days);
		return NULL;
	}
	return days;
}

struct json_object *
statusdoc_index(const struct statusdata *sd, const struct conf *cfg)
{
	struct json_object	*o, *b, *active;
	enum banner		 ban = statuspage_banner(sd->sp, sd->n);
	int			 bad = 0;

	/*
	 * Out of memory anywhere the page goes (NULL): a status page that
	 * lacks a service, an incident or an outage tells a wrong story.
	 */
	if ((active = incidentdoc_list(sd, true, 0)) == NULL)
		return NULL;
	ban = statuspage_banner_incident(ban,
	    json_object_array_length(active) > 0);

	if ((o = page_base(cfg, "Status", sd->now, 1)) == NULL) {
		json_object_put(active);
		return NULL;
	}
	b = json_object_new_object();
	bad |= json_add_string(b, "class", banner_class(ban));
	bad |= json_add_string(b, "text", banner_text(ban));
	bad |= json_add_string(b, "icon",
	    ban == BANNER_OPERATIONAL ? "up" : ban == BANNER_NODATA ?
	    "nodata" : ban == BANNER_DEGRADED ? "degraded" :
	    ban == BANNER_MAINTENANCE ? "maintenance" :
	    ban == BANNER_INCIDENT ? "degraded" : "down");
	bad |= json_add(o, "banner", b);
	bad |= page_add_list(o, "active_incidents", active);
	bad |= page_add_list(o, "maintenance", maintdoc_list(sd, 0));
	bad |= page_add_list(o, "ongoing", ongoing_json(sd));
	bad |= json_add(o, "groups", groups_json(sd));
	bad |= json_add(o, "incident_days", history_json(sd));
	return json_done(o, bad);
}

/* Its dependencies, each named only when public; NULL out of memory. */
static struct json_object *
deps_json(const struct statusdata *sd, const struct service *s)
{
	const struct sp_service	*p;
	struct json_object	*arr, *o;
	size_t			 i;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < s->ndeps; i++) {
		if ((p = statuspage_find(sd->sp, sd->n, s->deps[i])) == NULL)
			continue;
		o = json_object_new_object();
		bad |= json_add(o, "id", json_object_new_int64(p->id));
		bad |= json_add(o, "public",
		    json_object_new_boolean(p->public));
		if (p->public)
			bad |= json_add_string(o, "name",
			    sd->svc[p - sd->sp].name);
		bad |= json_add(o, "state", state_json(p->shown));
		bad |= json_push(arr, o);
	}
	return json_done(arr, bad);
}

/* Its uptime over each window, of the outages iv[0..niv); NULL: no memory. */
static struct json_object *
uptimes_json(const struct service *s, struct interval *iv, size_t niv,
    time_t now)
{
	static const struct { const char *label; long window; } w[] = {
		{ "Last 24 hours", DAY }, { "Last 7 days", 7 * DAY },
		{ "Last 30 days", 30 * DAY }, { "Last 90 days", 90 * DAY },
	};
	struct json_object	*arr, *o;
	char			 pct[48];
	long long		 down;
	long			 u;
	size_t			 k;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (k = 0; k < sizeof(w) / sizeof(w[0]); k++) {
		down = covered_seconds(iv, niv, now - w[k].window, now, now);
		u = statuspage_uptime(down, s->created_at, w[k].window, now);
		snprintf(pct, sizeof(pct), "%ld.%02ld", u / 100, u % 100);
		o = json_object_new_object();
		bad |= json_add_string(o, "label", w[k].label);
		bad |= json_add_string(o, "value", pct);
		bad |= json_push(arr, o);
	}
	return json_done(arr, bad);
}

/* Its outages of sd (the last INCIDENT_DAYS); NULL out of memory. */
static struct json_object *
outages_of(const struct statusdata *sd, long long id)
{
	struct json_object	*arr;
	size_t			 i;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < sd->nout; i++)
		if (sd->out[i].service_id == id)
			bad |= json_push(arr, outage_json(sd, &sd->out[i]));
	return json_done(arr, bad);
}

struct json_object *
statusdoc_service(const struct statusdata *sd, const struct conf *cfg,
    long long id, struct interval *iv, size_t niv)
{
	const struct sp_service	*p;
	const struct service	*s;
	struct json_object	*o, *svc;
	struct interval		*left = NULL;
	size_t			 nleft = 0;
	int			 bad = 0;

	if ((s = statusdata_public(sd, id, &p)) == NULL)
		return NULL;
	/*
	 * Planned maintenance is not downtime: without the memory to take
	 * it out, no page (uptimes counting it would be wrong ones).
	 */
	if (maintdoc_subtract(sd, id, iv, niv, &left, &nleft) != 0)
		return NULL;
	if ((o = page_base(cfg, s->name, sd->now, 1)) == NULL) {
		free(left);
		return NULL;
	}
	svc = service_json(sd, (size_t)(p - sd->sp), 1);
	bad |= json_add(svc, "uptimes", uptimes_json(s, left, nleft, sd->now));
	free(left);
	bad |= page_add_list(svc, "maintenance", maintdoc_list(sd, id));
	bad |= page_add_list(svc, "dependencies", deps_json(sd, s));
	bad |= page_add_list(svc, "outages", outages_of(sd, id));
	bad |= page_add_list(svc, "active_incidents",
	    incidentdoc_list(sd, true, id));
	bad |= page_add_list(svc, "past_incidents",
	    incidentdoc_list(sd, false, id));
	bad |= json_add(o, "service", svc);
	return json_done(o, bad);
}
