/*
 * The console's daily work: alerts (with acknowledge), SLA breaches,
 * tickets with their SLA countdown and business-hours clock, and the
 * audit log with filters.  Each page is one or two API reads as the
 * logged-in user, so each shows exactly what the API shows them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"
#include "core/perm.h"
#include "core/slaclock.h"
#include "core/ticket.h"
#include "http/dispatch.h"
#include "http/response.h"
#include "http/route.h"
#include "page/console.h"
#include "page/page.h"

#define PAGE	(TAKES_NONE | ANSWERS_HTML)
#define FORM	(TAKES_FORM | ANSWERS_HTML)

/*
 * A list page: GET path?query (this page of it) into o[key], with its
 * pager over self?self_query.
 */
static int
list_into(struct request *req, struct response *resp, struct json_object *o,
    const char *key, const char *path, const char *query, const char *self,
    const char *self_query)
{
	struct json_object	*arr;
	long long		 total;
	long			 page = console_page(req);
	int			 st;

	if ((st = console_api(req, HTTP_GET, NULL, &arr, &total,
	    "%s?%s%spage=%ld&per_page=%d", path, query, query[0] ? "&" : "",
	    page, CONSOLE_PER_PAGE)) == -1)
		return -1;
	if (st != 200) {
		json_object_put(arr);
		return resp_error(resp, st, "This list is not available");
	}
	json_object_object_add(o, key, arr);
	json_object_object_add(o, "pager", console_pager(page, total, self,
	    self_query));
	return 0;
}

static int
alerts_page(struct request *req, struct response *resp)
{
	struct json_object	*o;
	char			*all;
	bool			 bad, every;
	int			 rc;

	all = query_param(req->query, "all", &bad);
	every = all != NULL && strcmp(all, "1") == 0;
	free(all);
	o = console_base(req, resp, "Alerts", "alerts");
	json_object_object_add(o, "every", json_object_new_boolean(every));
	json_object_object_add(o, "can_ack", json_object_new_boolean(
	    request_may(req, PERM_ALERT_ACK)));
	if ((rc = list_into(req, resp, o, "alerts", "/api/alerts", every ? "" :
	    "acknowledged=false", "/console/alerts", every ? "all=1" : "")) != 0) {
		json_object_put(o);
		return rc;
	}
	return console_send(req, resp, 200, "console_alerts", o);
}

static int
alert_ack(struct request *req, struct response *resp)
{
	struct json_object	*body = json_object_new_object();

	json_object_object_add(body, "id", json_object_new_int64(req->params[0]));
	json_object_object_add(body, "acknowledged", json_object_new_boolean(1));
	return console_act(req, resp, HTTP_PUT, body, "/console/alerts",
	    "/api/alerts");
}

static int
breaches_page(struct request *req, struct response *resp)
{
	struct json_object	*o;
	int			 rc;

	o = console_base(req, resp, "SLA breaches", "breaches");
	if ((rc = list_into(req, resp, o, "breaches", "/api/alerts/sla_breaches",
	    "", "/console/breaches", "")) != 0) {
		json_object_put(o);
		return rc;
	}
	return console_send(req, resp, 200, "console_breaches", o);
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

/*
 * A ticket's countdown for people, in working time: "2 h 14 min left
 * (56 %)", "breached 3 h ago", "paused", "resolved"; and its label.
 */
static void
add_countdown(struct json_object *t)
{
	const char	*status = text(t, "status"), *lvl = text(t, "risk_level");
	double		 left = num(t, "sla_limit_hours") -
			    num(t, "time_elapsed_hours");
	char		 dur[32], buf[96];
	long		 secs = (long)((left < 0 ? -left : left) * 3600 + 0.5);

	page_duration(secs, dur, sizeof(dur));
	if (status != NULL && strcmp(status, "RESOLVED") == 0)
		snprintf(buf, sizeof(buf), "resolved");
	else if (status != NULL && strcmp(status, "WAITING_ON_CUSTOMER") == 0)
		snprintf(buf, sizeof(buf), "paused: waiting on the customer");
	else if (left <= 0)
		snprintf(buf, sizeof(buf), "breached %s ago", dur);
	else
		snprintf(buf, sizeof(buf), "%s left (%.0f %%)", dur,
		    num(t, "risk_percentage"));
	json_object_object_add(t, "countdown", json_object_new_string(buf));
	/* For the ticking script (htdocs/js/countdown.js). */
	json_object_object_add(t, "left_seconds", json_object_new_int64(
	    left < 0 ? -(long)secs : (long)secs));
	json_object_object_add(t, "limit_seconds", json_object_new_int64(
	    (long)(num(t, "sla_limit_hours") * 3600 + 0.5)));
	json_object_object_add(t, "running", json_object_new_boolean(
	    status == NULL || (strcmp(status, "RESOLVED") != 0 &&
	    strcmp(status, "WAITING_ON_CUSTOMER") != 0)));
	json_object_object_add(t, "level_class", json_object_new_string(
	    lvl == NULL ? "nodata" : strcmp(lvl, "SAFE") == 0 ? "safe" :
	    strcmp(lvl, "WARNING") == 0 ? "warning" : strcmp(lvl, "HIGH_RISK") ==
	    0 ? "high-risk" : "breached"));
}

static int
tickets_page(struct request *req, struct response *resp)
{
	struct json_object	*o, *arr;
	size_t			 i;
	int			 rc;

	o = console_base(req, resp, "Tickets", "tickets");
	if ((rc = list_into(req, resp, o, "tickets", "/api/tickets", "",
	    "/console/tickets", "")) != 0) {
		json_object_put(o);
		return rc;
	}
	arr = json_object_object_get(o, "tickets");
	for (i = 0; i < json_object_array_length(arr); i++)
		add_countdown(json_object_array_get_idx(arr, i));
	return console_send(req, resp, 200, "console_tickets", o);
}

static const char *const weekdays[] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

/* The business-hours clock: its hours in words, and whether it runs now. */
static void
add_clock(struct json_object *t, time_t now)
{
	struct ticket_calendar	 cal;
	struct json_object	*c, *days;
	char			 err[128], buf[160];
	size_t			 i, n = 0;

	if (!json_object_object_get_ex(t, "calendar", &c) || c == NULL) {
		json_object_object_add(t, "hours", json_object_new_string(
		    "around the clock"));
		json_object_object_add(t, "in_hours", json_object_new_boolean(1));
		return;
	}
	if (ticket_calendar_from_json(c, &cal, err, sizeof(err)) == -1)
		return;
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
	json_object_object_add(t, "hours", json_object_new_string(buf));
	/* Working time within the next minute: the clock runs now. */
	json_object_object_add(t, "in_hours", json_object_new_boolean(
	    cal_working_seconds(&cal.cal, now, now + 60) > 0));
}

static int
ticket_page(struct request *req, struct response *resp)
{
	struct json_object	*o, *t, *act;
	int			 st;

	o = console_base(req, resp, "Ticket", "tickets");
	if ((st = console_api(req, HTTP_GET, NULL, &t, NULL,
	    "/api/tickets/%lld", req->params[0])) != 200) {
		json_object_put(t);
		json_object_put(o);
		return st == -1 ? -1 : resp_error(resp, st, st == 403 ?
		    "This ticket is not yours to see" : "Ticket not found");
	}
	add_countdown(t);
	add_clock(t, req->now);
	json_object_object_add(o, "title", json_object_get(
	    json_object_object_get(t, "title")));
	json_object_object_add(o, "ticket", t);
	if (console_api(req, HTTP_GET, NULL, &act, NULL,
	    "/api/tickets/%lld/activity?per_page=50", req->params[0]) == 200)
		json_object_object_add(o, "activity", act);
	else
		json_object_put(act);
	return console_send(req, resp, 200, "console_ticket", o);
}

/* The audit page's filters, from the query, kept for the form and links. */
static void
audit_filters(struct request *req, struct json_object *o, char *q, size_t qsz)
{
	static const char *const names[] = {
		"user_id", "action", "resource_type", "start_date", "end_date",
	};
	struct json_object	*f = json_object_new_object();
	char			*v, *enc;
	size_t			 i, n = 0;
	bool			 bad;

	q[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((v = query_param(req->query, names[i], &bad)) == NULL)
			continue;
		if (*v != '\0' && (enc = page_urlencode(v)) != NULL) {
			n += (size_t)snprintf(q + n, qsz > n ? qsz - n : 0,
			    "%s%s=%s", n ? "&" : "", names[i], enc);
			free(enc);
		}
		json_object_object_add(f, names[i], json_object_new_string(v));
		free(v);
	}
	if (n >= qsz)
		q[0] = '\0';	/* too long to keep: no filter at all */
	json_object_object_add(o, "filters", f);
}

static int
audit_page(struct request *req, struct response *resp)
{
	struct json_object	*o, *env, *logs;
	long long		 total;
	long			 page = console_page(req);
	char			 q[1024];
	int			 st;

	o = console_base(req, resp, "Audit log", "audit");
	if (!request_may(req, PERM_SECURITY_AUDIT)) {
		/* The trail every user may read, without the filters. */
		if ((st = list_into(req, resp, o, "entries", "/api/audit", "",
		    "/console/audit", "")) != 0) {
			json_object_put(o);
			return st;
		}
		return console_send(req, resp, 200, "console_audit", o);
	}
	audit_filters(req, o, q, sizeof(q));
	json_object_object_add(o, "can_filter", json_object_new_boolean(1));
	if ((st = console_api(req, HTTP_GET, NULL, &env, NULL,
	    "/api/v1/security/audit-logs?%s%spage=%ld&per_page=%d", q,
	    q[0] ? "&" : "", page, CONSOLE_PER_PAGE)) != 200) {
		/* A bad filter: the API's message names it. */
		const char *m = env != NULL ? text(env, "error") : NULL;

		if (st != -1)
			st = resp_error(resp, st, "%s", m != NULL ? m :
			    "The audit log is not available");
		json_object_put(env);
		json_object_put(o);
		return st;
	}
	logs = json_object_get(json_object_object_get(env, "audit_logs"));
	total = json_object_get_int64(json_object_object_get(
	    json_object_object_get(env, "pagination"), "total"));
	json_object_put(env);
	json_object_object_add(o, "logs", logs);
	json_object_object_add(o, "pager", console_pager(page, total,
	    "/console/audit", q));
	return console_send(req, resp, 200, "console_audit", o);
}

const struct route console_work_routes[] = {
	{ HTTP_GET, "/console/alerts", PERM_AUTH, alerts_page, PAGE, NULL,
	    NULL },
	{ HTTP_POST, "/console/alerts/<id>/ack", PERM_AUTH, alert_ack, FORM,
	    NULL, NULL },
	{ HTTP_GET, "/console/breaches", PERM_AUTH, breaches_page, PAGE, NULL,
	    NULL },
	{ HTTP_GET, "/console/tickets", PERM_AUTH, tickets_page, PAGE, NULL,
	    NULL },
	{ HTTP_GET, "/console/tickets/<id>", PERM_AUTH, ticket_page, PAGE,
	    NULL, NULL },
	{ HTTP_GET, "/console/audit", PERM_AUTH, audit_page, PAGE, NULL,
	    NULL },
};
const size_t console_work_nroutes = sizeof(console_work_routes) /
    sizeof(console_work_routes[0]);
