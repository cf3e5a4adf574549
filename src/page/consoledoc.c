/*
 * The console's page documents (see consoledoc.h): the layout (who is
 * logged in, the sections they may open, the CSRF token, the flash),
 * the pager, and each page's shaping of the API's answers: labels'
 * classes, risks beside services, a ticket's countdown and clock.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/isotime.h"
#include "core/service.h"
#include "core/slaclock.h"
#include "core/ticket.h"
#include "db/db_risk.h"
#include "page/consoledoc.h"
#include "page/page.h"
#include "util/json.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The console's sections, each shown to whoever may read it. */
static const struct {
	const char	*key;
	const char	*label;
	const char	*href;
	enum perm	 perm;
} sections[] = {
	{ "services", "Services", "/console", PERM_AUTH },
	{ "alerts", "Alerts", "/console/alerts", PERM_AUTH },
	{ "breaches", "Breaches", "/console/breaches", PERM_AUTH },
	{ "tickets", "Tickets", "/console/tickets", PERM_AUTH },
	{ "incidents", "Incidents", "/console/incidents", PERM_AUTH },
	{ "maintenance", "Maintenance", "/console/maintenance", PERM_AUTH },
	{ "audit", "Audit", "/console/audit", PERM_AUTH },
};

struct word_map {
	const char	*from;
	const char	*to;
};

/* A service's status to its label's class (anything else: "nodata"). */
static const struct word_map status_classes[] = {
	{ "Up", "up" },
	{ "Degraded", "degraded" },
	{ "Down", "down" },
};

/* An SLA level to its label's class (any other level: "breached"). */
static const struct word_map level_classes[] = {
	{ "SAFE", "safe" },
	{ "WARNING", "warning" },
	{ "HIGH_RISK", "high-risk" },
};

/* The ticket states in which the SLA clock stands still, in words. */
static const struct word_map stopped_states[] = {
	{ "RESOLVED", "resolved" },
	{ "WAITING_ON_CUSTOMER", "paused: waiting on the customer" },
};

static const char *const risk_classes[RISK__MAX] = {
	[RISK_LOW] = "low",
	[RISK_MEDIUM] = "medium",
	[RISK_HIGH] = "high",
};

static const char *const weekdays[] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

static const char *
word(const struct word_map *m, size_t n, const char *from,
    const char *otherwise)
{
	size_t	 i;

	for (i = 0; from != NULL && i < n; i++)
		if (strcmp(m[i].from, from) == 0)
			return m[i].to;
	return otherwise;
}

static bool
may(const struct console_view *v, enum perm p)
{
	return perms_may(v->perms, p);
}

static double
num(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_double(v) :
	    0;
}

static const char *
text(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

int
consoledoc_add_answer(struct json_object *o, const char *key,
    struct json_object *v)
{
	return v == NULL ? json_add_null(o, key) : json_add(o, key, v);
}

int
consoledoc_add_member(struct json_object *o, const char *key,
    struct json_object *from, const char *fromkey)
{
	return consoledoc_add_answer(o, key, json_object_get(
	    json_object_object_get(from, fromkey)));
}

/*
 * The console layout's data: page_base plus user (name, role), nav (the
 * sections, the current one marked), csrf and flash.
 */
struct json_object *
consoledoc_layout(const struct console_view *v, const char *title,
    const char *section)
{
	struct json_object	*o, *user, *nav, *item, *flash;
	size_t			 i;
	int			 bad = 0;

	if ((o = page_base(v->cfg, title, v->now, 0)) == NULL)
		return NULL;
	bad |= json_add_string(o, "home", "/console");
	bad |= json_add_string(o, "body_class", "console");
	user = json_object_new_object();
	bad |= json_add_string(user, "name", v->username);
	bad |= json_add_string(user, "role", role_name(v->role));
	bad |= json_add(o, "user", user);
	nav = json_object_new_array();
	for (i = 0; i < NELEM(sections); i++) {
		if (!may(v, sections[i].perm))
			continue;
		item = json_object_new_object();
		bad |= json_add_string(item, "label", sections[i].label);
		bad |= json_add_string(item, "href", sections[i].href);
		bad |= json_add(item, "current", json_object_new_boolean(
		    section != NULL && strcmp(section, sections[i].key) == 0));
		bad |= json_push(nav, item);
	}
	bad |= json_add(o, "nav", nav);
	if (v->csrf != NULL)
		bad |= json_add_string(o, "csrf", v->csrf);
	if (v->flash != NULL) {
		flash = json_object_new_object();
		bad |= json_add(flash, "ok", json_object_new_boolean(
		    v->flash_ok));
		bad |= json_add_string(flash, "text", v->flash);
		bad |= json_add(o, "flash", flash);
	} else
		bad |= json_add_null(o, "flash");
	return json_done(o, bad);
}

/*
 * The API's times (ISO 8601, UTC) as people read them, beside each:
 * "created_at" gets "created_at_text", "10:42 UTC" today or "3 Dec
 * 2026, 10:42 UTC" (page_time), for every key of this table anywhere
 * in o.  The templates keep the ISO form for <time datetime>.
 */
static const char *const time_keys[] = {
	"created_at", "timestamp", "start_time", "end_time", "last_updated",
	"signed_off_at", "due_at", "first_response_at",
	"first_response_due_at", "resolved_at", "updated_at",
};

int
consoledoc_times(struct json_object *o, time_t now)
{
	struct json_object	*v;
	char			 human[PAGE_TIME_MAX], key[64];
	size_t			 i, n;
	time_t			 t;

	if (json_object_is_type(o, json_type_array)) {
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (consoledoc_times(json_object_array_get_idx(o, i),
			    now) != 0)
				return -1;
		return 0;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	for (i = 0; i < NELEM(time_keys); i++) {
		v = json_object_object_get(o, time_keys[i]);
		if (!json_object_is_type(v, json_type_string) ||
		    isotime_parse(json_object_get_string(v), &t) == -1)
			continue;
		page_time(t, now, human);
		snprintf(key, sizeof(key), "%s_text", time_keys[i]);
		if (json_add_string(o, key, human) != 0)
			return -1;
	}
	/* Only the children change from here: o's table is not touched. */
	json_object_object_foreach(o, k, child) {
		(void)k;
		if ((json_object_is_type(child, json_type_object) ||
		    json_object_is_type(child, json_type_array)) &&
		    consoledoc_times(child, now) != 0)
			return -1;
	}
	return 0;
}

/* The pager of a list: pages, prev/next links over path?base_query. */
static struct json_object *
pager(long page, long long total, const char *path, const char *base_query)
{
	struct json_object	*o;
	long long		 pages = total > 0 ? (total + CONSOLE_PER_PAGE - 1) /
				    CONSOLE_PER_PAGE : 1;
	char			 buf[1200];
	const char		*sep = base_query[0] != '\0' ? "&" : "";
	int			 bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= json_add(o, "page", json_object_new_int64(page));
	bad |= json_add(o, "pages", json_object_new_int64(pages));
	bad |= json_add(o, "total", json_object_new_int64(
	    total < 0 ? 0 : total));
	if (page > 1) {
		snprintf(buf, sizeof(buf), "%s?%s%spage=%ld", path, base_query,
		    sep, page - 1);
		bad |= json_add_string(o, "prev", buf);
	}
	if (page < pages) {
		snprintf(buf, sizeof(buf), "%s?%s%spage=%ld", path, base_query,
		    sep, page + 1);
		bad |= json_add_string(o, "next", buf);
	}
	return json_done(o, bad);
}

/* A list page: the layout, the list's answer as o[key] and its pager. */
struct json_object *
consoledoc_list_layout(const struct console_view *v, const char *title,
    const char *section, const char *key, struct console_list l,
    const char *self, const char *self_query)
{
	struct json_object	*o;
	int			 bad = 0;

	if ((o = consoledoc_layout(v, title, section)) == NULL) {
		json_object_put(l.answer);
		return NULL;
	}
	bad |= consoledoc_times(l.answer, v->now);
	bad |= consoledoc_add_answer(o, key, l.answer);
	bad |= json_add(o, "pager", pager(l.page, l.total, self, self_query));
	return json_done(o, bad);
}

struct json_object *
consoledoc_login(const struct conf *cfg, time_t now, const char *csrf,
    const char *next, const char *error)
{
	struct json_object	*o;
	int			 bad = 0;

	if ((o = page_base(cfg, "Log in", now, 0)) == NULL)
		return NULL;
	bad |= json_add_string(o, "home", "/console");
	bad |= json_add_string(o, "csrf", csrf);
	bad |= json_add_string(o, "next", next);
	if (error != NULL)
		bad |= json_add_string(o, "error", error);
	return json_done(o, bad);
}

/* "status_class" beside a service's status, for the coloured label. */
static int
add_status_class(struct json_object *s)
{
	return json_add_string(s, "status_class", word(status_classes,
	    NELEM(status_classes), text(s, "status"), "nodata"));
}

/* "risk": {score, level, class} on s when risks hold one for it. */
static int
add_risk(struct json_object *s, const struct risk_brief *risks, size_t n)
{
	long long		 id = json_object_get_int64(
				    json_object_object_get(s, "id"));
	struct json_object	*r;
	size_t			 k;
	int			 bad = 0;

	for (k = 0; k < n; k++)
		if (risks[k].service_id == id)
			break;
	if (k == n)
		return 0;
	r = json_object_new_object();
	bad |= json_add(r, "score", json_object_new_int(risks[k].score));
	bad |= json_add_string(r, "level", risk_level_name(risks[k].level));
	bad |= json_add_string(r, "class", (unsigned)risks[k].level <
	    RISK__MAX ? risk_classes[risks[k].level] : "low");
	bad |= json_add(s, "risk", r);
	return bad;
}

struct json_object *
consoledoc_services(const struct console_view *v, struct console_list l,
    const struct risk_brief *risks, size_t nrisks)
{
	size_t	 i, n = json_object_is_type(l.answer, json_type_array) ?
		    json_object_array_length(l.answer) : 0;
	int	 bad = 0;

	for (i = 0; i < n && !bad; i++) {
		bad |= add_risk(json_object_array_get_idx(l.answer, i), risks,
		    nrisks);
		bad |= add_status_class(json_object_array_get_idx(l.answer, i));
	}
	if (bad) {
		json_object_put(l.answer);
		return NULL;
	}
	return consoledoc_list_layout(v, "Services", "services", "services", l,
	    "/console",
	    "");
}

/*
 * The integrations of service id out of all of them (taken; none: all
 * NULL); NULL out of memory.
 */
static struct json_object *
integrations_of(struct json_object *all, long long id)
{
	struct json_object	*mine, *it, *sid;
	size_t			 i, n = json_object_is_type(all,
				    json_type_array) ?
				    json_object_array_length(all) : 0;
	int			 bad = 0;

	if ((mine = json_object_new_array()) == NULL) {
		json_object_put(all);
		return NULL;
	}
	for (i = 0; i < n && !bad; i++) {
		it = json_object_array_get_idx(all, i);
		if (json_object_object_get_ex(it, "service_id", &sid) &&
		    json_object_get_int64(sid) == id)
			bad |= json_push(mine, json_object_get(it));
	}
	json_object_put(all);
	return json_done(mine, bad);
}

struct json_object *
consoledoc_service(const struct console_view *v, struct json_object *svc,
    struct json_object *health, struct json_object *downtime,
    struct json_object *integrations)
{
	struct json_object	*o;
	int			 bad = 0;

	/*
	 * What is taken goes into o or is put, whatever fails; svc is
	 * read after it went in (or was put, if that failed): a reference
	 * of our own until the end.
	 */
	svc = json_object_get(svc);
	o = consoledoc_layout(v, "Service", "services");
	bad |= consoledoc_times(svc, v->now);
	if (downtime != NULL)
		bad |= consoledoc_times(downtime, v->now);
	bad |= add_status_class(svc);
	bad |= consoledoc_add_answer(o, "service", svc);
	bad |= consoledoc_add_member(o, "title", svc, "name");
	if (health != NULL)
		bad |= json_add(o, "health", health);
	if (downtime != NULL)
		bad |= json_add(o, "downtime", downtime);
	bad |= json_add(o, "can_write", json_object_new_boolean(
	    may(v, PERM_SERVICE_WRITE)));
	bad |= json_add(o, "can_status", json_object_new_boolean(
	    may(v, PERM_HEARTBEAT)));
	if (!may(v, PERM_INTEGRATIONS))
		json_object_put(integrations);
	else {
		bad |= json_add(o, "can_integrations",
		    json_object_new_boolean(1));
		bad |= json_add(o, "integrations", integrations_of(
		    integrations, json_object_get_int64(
		    json_object_object_get(svc, "id"))));
	}
	json_object_put(svc);
	return json_done(o, bad);
}

struct json_object *
consoledoc_alerts(const struct console_view *v, bool every,
    struct console_list l)
{
	struct json_object	*o;
	int			 bad = 0;

	o = consoledoc_list_layout(v, "Alerts", "alerts", "alerts", l,
	    "/console/alerts",
	    every ? "all=1" : "");
	bad |= json_add(o, "every", json_object_new_boolean(every));
	bad |= json_add(o, "can_ack", json_object_new_boolean(
	    may(v, PERM_ALERT_ACK)));
	return json_done(o, bad);
}

struct json_object *
consoledoc_breaches(const struct console_view *v, struct console_list l)
{
	return consoledoc_list_layout(v, "SLA breaches", "breaches", "breaches",
	    l,
	    "/console/breaches", "");
}

/*
 * A ticket's countdown for people, in working time: "2 h 14 min left
 * (56 %)", "breached 3 h ago", "paused: ...", "resolved"; what the
 * ticking script needs; and its label's class.  0 or -1.
 */
static int
add_countdown(struct json_object *t)
{
	const char	*lvl = text(t, "risk_level");
	const char	*stopped = word(stopped_states, NELEM(stopped_states),
			    text(t, "status"), NULL);
	double		 left = num(t, "sla_limit_hours") -
			    num(t, "time_elapsed_hours");
	char		 dur[32], buf[96];
	long		 secs = (long)((left < 0 ? -left : left) * 3600 + 0.5);
	int		 bad = 0;

	page_duration(secs, dur, sizeof(dur));
	if (stopped != NULL)
		snprintf(buf, sizeof(buf), "%s", stopped);
	else if (left <= 0)
		snprintf(buf, sizeof(buf), "breached %s ago", dur);
	else
		snprintf(buf, sizeof(buf), "%s left (%.0f %%)", dur,
		    num(t, "risk_percentage"));
	bad |= json_add_string(t, "countdown", buf);
	/* For the ticking script (htdocs/js/countdown.js). */
	bad |= json_add(t, "left_seconds", json_object_new_int64(
	    left < 0 ? -(long)secs : (long)secs));
	bad |= json_add(t, "limit_seconds", json_object_new_int64(
	    (long)(num(t, "sla_limit_hours") * 3600 + 0.5)));
	bad |= json_add(t, "running", json_object_new_boolean(
	    stopped == NULL));
	bad |= json_add_string(t, "level_class", lvl == NULL ? "nodata" :
	    word(level_classes, NELEM(level_classes), lvl, "breached"));
	return bad;
}

struct json_object *
consoledoc_tickets(const struct console_view *v, struct console_list l)
{
	size_t	 i, n = json_object_is_type(l.answer, json_type_array) ?
		    json_object_array_length(l.answer) : 0;
	int	 bad = 0;

	for (i = 0; i < n && !bad; i++)
		bad |= add_countdown(json_object_array_get_idx(l.answer, i));
	if (bad) {
		json_object_put(l.answer);
		return NULL;
	}
	return consoledoc_list_layout(v, "Tickets", "tickets", "tickets", l,
	    "/console/tickets", "");
}

/*
 * The business-hours clock: its hours in words, and whether it runs now.
 * A calendar it cannot read shows no clock; 0, or -1 out of memory.
 */
static int
add_clock(struct json_object *t, time_t now)
{
	struct ticket_calendar	 cal;
	struct json_object	*c, *days;
	char			 err[128], buf[160];
	size_t			 i, n = 0;
	long long		 open;

	if (!json_object_object_get_ex(t, "calendar", &c) || c == NULL) {
		if (json_add_string(t, "hours", "around the clock") != 0)
			return -1;
		return json_add(t, "in_hours", json_object_new_boolean(1));
	}
	if (ticket_calendar_from_json(c, &cal, err, sizeof(err)) == -1)
		return 0;
	days = json_object_object_get(c, "working_days");
	for (i = 0; i < json_object_array_length(days) && n < sizeof(buf) - 8;
	    i++) {
		int d = json_object_get_int(json_object_array_get_idx(days, i));

		if (d >= 1 && d <= 7)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
			    n ? " " : "", weekdays[d - 1]);
	}
	snprintf(buf + n, sizeof(buf) - n, ", %s to %s, %s",
	    text(c, "start") ? text(c, "start") : "", text(c, "end") ?
	    text(c, "end") : "", cal.cal.zone[0] ? cal.cal.zone : "UTC");
	/* Working time within the next minute: the clock runs now. */
	if ((open = cal_working_seconds(&cal.cal, now, now + 60)) < 0)
		return -1;
	if (json_add_string(t, "hours", buf) != 0)
		return -1;
	return json_add(t, "in_hours", json_object_new_boolean(open > 0));
}

struct json_object *
consoledoc_ticket(const struct console_view *v, struct json_object *t,
    struct json_object *activity)
{
	struct json_object	*o = consoledoc_layout(v, "Ticket", "tickets");
	int			 bad = 0;

	bad |= add_countdown(t);
	bad |= add_clock(t, v->now);
	bad |= consoledoc_times(t, v->now);
	if (activity != NULL)
		bad |= consoledoc_times(activity, v->now);
	bad |= consoledoc_add_member(o, "title", t, "title");
	bad |= consoledoc_add_answer(o, "ticket", t);
	if (activity != NULL)
		bad |= json_add(o, "activity", activity);
	return json_done(o, bad);
}

struct json_object *
consoledoc_audit_trail(const struct console_view *v, struct console_list l)
{
	return consoledoc_list_layout(v, "Audit log", "audit", "entries", l,
	    "/console/audit", "");
}

struct json_object *
consoledoc_audit_logs(const struct console_view *v, struct console_list l,
    struct json_object *filters, const char *query)
{
	struct json_object	*o, *logs;
	int			 bad = 0;

	/* The envelope: {audit_logs: [...], pagination: {total, ...}}. */
	logs = json_object_get(json_object_object_get(l.answer, "audit_logs"));
	l.total = json_object_get_int64(json_object_object_get(
	    json_object_object_get(l.answer, "pagination"), "total"));
	json_object_put(l.answer);
	l.answer = logs;
	o = consoledoc_list_layout(v, "Audit log", "audit", "logs", l,
	    "/console/audit",
	    query);
	bad |= consoledoc_add_answer(o, "filters", filters);
	bad |= json_add(o, "can_filter", json_object_new_boolean(1));
	return json_done(o, bad);
}
