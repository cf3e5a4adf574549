/*
 * The console's daily work: alerts (with acknowledge), SLA breaches,
 * tickets with their SLA countdown and business-hours clock, and the
 * audit log with filters.  Each page is one or two API reads as the
 * logged-in user, so each shows exactly what the API shows them; what
 * the page makes of the answers is consoledoc.c's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"
#include "core/perm.h"
#include "http/dispatch.h"
#include "http/response.h"
#include "http/route.h"
#include "page/console.h"
#include "page/page.h"
#include "util/json.h"

#define PAGE	(TAKES_NONE | ANSWERS_HTML)
#define FORM	(TAKES_FORM | ANSWERS_HTML)

/* This page of the list at path?query into l; else the error page. */
static int
list_get(struct request *req, struct response *resp, struct console_list *l,
    const char *path, const char *query)
{
	int	 st;

	if ((st = console_list_get(req, l, path, query)) == -1)
		return -1;
	if (st != 200) {
		json_object_put(l->answer);
		return resp_error(resp, st, "This list is not available");
	}
	return 0;
}

static int
alerts_page(struct request *req, struct response *resp)
{
	struct console_viewer	 cv;
	struct console_list	 l;
	char			*all;
	bool			 bad, every;
	int			 rc;

	all = query_param(req->query, "all", &bad);
	every = all != NULL && strcmp(all, "1") == 0;
	free(all);
	console_viewer(req, resp, &cv);
	if ((rc = list_get(req, resp, &l, "/api/alerts", every ? "" :
	    "acknowledged=false")) == 0)
		rc = console_send(req, resp, 200, "console_alerts",
		    consoledoc_alerts(&cv.view, every, l));
	console_viewer_clear(&cv);
	return rc;
}

static int
alert_ack(struct request *req, struct response *resp)
{
	struct json_object	*body = json_object_new_object();
	int			 bad = 0;

	bad |= json_add(body, "id", json_object_new_int64(req->params[0]));
	bad |= json_add(body, "acknowledged", json_object_new_boolean(1));
	/* NULL out of memory: console_act makes no call. */
	return console_act(req, resp, HTTP_PUT, json_done(body, bad),
	    "/console/alerts", "/api/alerts");
}

/* A list page: this page of the API's list at path, shaped by doc. */
static int
list_page(struct request *req, struct response *resp, const char *path,
    const char *template, struct json_object *(*doc)(
    const struct console_view *, struct console_list))
{
	struct console_viewer	 cv;
	struct console_list	 l;
	int			 rc;

	console_viewer(req, resp, &cv);
	if ((rc = list_get(req, resp, &l, path, "")) == 0)
		rc = console_send(req, resp, 200, template, doc(&cv.view, l));
	console_viewer_clear(&cv);
	return rc;
}

static int
breaches_page(struct request *req, struct response *resp)
{
	return list_page(req, resp, "/api/alerts/sla_breaches",
	    "console_breaches", consoledoc_breaches);
}

static int
tickets_page(struct request *req, struct response *resp)
{
	return list_page(req, resp, "/api/tickets", "console_tickets",
	    consoledoc_tickets);
}

static int
ticket_page(struct request *req, struct response *resp)
{
	struct console_viewer	 cv;
	struct json_object	*t, *act;
	int			 st;

	console_viewer(req, resp, &cv);
	if ((st = console_api(req, HTTP_GET, NULL, &t, NULL,
	    "/api/tickets/%lld", req->params[0])) != 200) {
		json_object_put(t);
		console_viewer_clear(&cv);
		return st == -1 ? -1 : resp_error(resp, st, st == 403 ?
		    "This ticket is not yours to see" : "Ticket not found");
	}
	if (console_api(req, HTTP_GET, NULL, &act, NULL,
	    "/api/tickets/%lld/activity?per_page=50", req->params[0]) != 200) {
		json_object_put(act);
		act = NULL;
	}
	st = console_send(req, resp, 200, "console_ticket",
	    consoledoc_ticket(&cv.view, t, act));
	console_viewer_clear(&cv);
	return st;
}

/*
 * The audit page's filters from the query, as typed (for the form; a new
 * object) and percent-encoded into q (for the API and the pager); NULL
 * out of memory.
 */
static struct json_object *
audit_filters(struct request *req, char *q, size_t qsz)
{
	static const char *const names[] = {
		"user_id", "action", "resource_type", "start_date", "end_date",
	};
	struct json_object	*f = json_object_new_object();
	char			*v, *enc;
	size_t			 i, n = 0;
	bool			 malformed;
	int			 bad = 0;

	q[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* A malformed one is left out (as is one out of memory). */
		if ((v = query_param(req->query, names[i], &malformed)) == NULL)
			continue;
		if (*v != '\0') {
			if ((enc = page_urlencode(v)) == NULL)
				bad = -1;
			else {
				n += (size_t)snprintf(q + n, qsz > n ? qsz - n :
				    0, "%s%s=%s", n ? "&" : "", names[i], enc);
				free(enc);
			}
		}
		bad |= json_add_string(f, names[i], v);
		free(v);
	}
	if (n >= qsz)
		q[0] = '\0';	/* too long to keep: no filter at all */
	return json_done(f, bad);
}

/*
 * The security audit log with its filters, for whoever may read it
 * (PERM_SECURITY_AUDIT); else the trail every user may read.
 */
static int
audit_page(struct request *req, struct response *resp)
{
	struct console_viewer	 cv;
	struct console_list	 l;
	struct json_object	*filters, *m;
	char			 q[1024];
	int			 st;

	if (!request_may(req, PERM_SECURITY_AUDIT))
		return list_page(req, resp, "/api/audit", "console_audit",
		    consoledoc_audit_trail);
	if ((filters = audit_filters(req, q, sizeof(q))) == NULL)
		return -1;
	console_viewer(req, resp, &cv);
	if ((st = console_list_get(req, &l, "/api/v1/security/audit-logs",
	    q)) == 200) {
		st = console_send(req, resp, 200, "console_audit",
		    consoledoc_audit_logs(&cv.view, l, filters, q));
		goto out;
	}
	/* A bad filter: the API's message names it. */
	if (st != -1)
		st = resp_error(resp, st, "%s", l.answer != NULL &&
		    json_object_object_get_ex(l.answer, "error", &m) &&
		    json_object_is_type(m, json_type_string) ?
		    json_object_get_string(m) : "The audit log is not available");
	json_object_put(l.answer);
	json_object_put(filters);
out:
	console_viewer_clear(&cv);
	return st;
}

const struct route console_work_routes[] = {
	{ HTTP_GET, "/console/alerts", PERM_AUTH, alerts_page, PAGE, NULL,
	    NULL, NULL },
	{ HTTP_POST, "/console/alerts/<id>/ack", PERM_AUTH, alert_ack, FORM,
	    NULL, NULL, NULL },
	{ HTTP_GET, "/console/breaches", PERM_AUTH, breaches_page, PAGE, NULL,
	    NULL, NULL },
	{ HTTP_GET, "/console/tickets", PERM_AUTH, tickets_page, PAGE, NULL,
	    NULL, NULL },
	{ HTTP_GET, "/console/tickets/<id>", PERM_AUTH, ticket_page, PAGE,
	    NULL, NULL, NULL },
	{ HTTP_GET, "/console/audit", PERM_AUTH, audit_page, PAGE, NULL,
	    NULL, NULL },
};
const size_t console_work_nroutes = sizeof(console_work_routes) /
    sizeof(console_work_routes[0]);
