/*
 * The console's incidents: the list with its filters, a form for a new
 * one, an incident with its timeline and the forms to post an update,
 * publish a draft, or (after a page that asks) delete a draft.  Reads
 * and writes are the API's routes as the logged-in user.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "http/dispatch.h"
#include "http/response.h"
#include "http/route.h"
#include "page/console.h"
#include "page/page.h"
#include "util/json.h"

#define PAGE	(TAKES_NONE | ANSWERS_HTML)
#define FORM	(TAKES_FORM | ANSWERS_HTML)
#define BACK_MAX	64
/* The services a form offers: the catalogue's first page of this size. */

static const char *
back(const struct request *req, char buf[BACK_MAX])
{
	snprintf(buf, BACK_MAX, "/console/incidents/%lld", req->params[0]);
	return buf;
}

static int
incidents_page(struct request *req, struct response *resp)
{
	static const char *const ok[] = { "open", "draft", "resolved", NULL };
	struct console_viewer	 cv;
	struct console_list	 l;
	char			*status, q[32];
	int			 st;

	if ((st = console_filter(req, resp, "status", ok,
	    "status must be one of open, draft, resolved", &status)) != 0)
		return st;
	snprintf(q, sizeof(q), "%s%s", status != NULL ? "status=" : "",
	    status != NULL ? status : "");
	console_viewer(req, resp, &cv);
	if ((st = console_list_get(req, &l, "/api/incidents", q)) == 200)
		st = console_send(req, resp, 200, "console_incidents",
		    consoledoc_incidents(&cv.view, l, status != NULL ? status :
		    ""));
	else if (st != -1) {
		json_object_put(l.answer);
		st = resp_error(resp, st, "The incidents are not available");
	}
	console_viewer_clear(&cv);
	free(status);
	return st;
}

static int
incident_page(struct request *req, struct response *resp)
{
	struct console_viewer	 cv;
	struct json_object	*inc;
	int			 st;

	if ((st = console_api(req, HTTP_GET, NULL, &inc, NULL,
	    "/api/incidents/%lld", req->params[0])) != 200) {
		json_object_put(inc);
		return st == -1 ? -1 : resp_error(resp, st,
		    "Incident not found");
	}
	console_viewer(req, resp, &cv);
	st = console_send(req, resp, 200, "console_incident",
	    consoledoc_incident(&cv.view, inc, console_services_of(req)));
	console_viewer_clear(&cv);
	return st;
}

static int
new_page(struct request *req, struct response *resp)
{
	return console_choice_page(req, resp, "console_incident_new",
	    consoledoc_incident_new);
}

static int
create_post(struct request *req, struct response *resp)
{
	static const char *const names[] = {
		"title", "impact", "status", "message", NULL,
	};
	struct json_object	*body = console_fields(req, names);

	if (json_add(body, "service_ids", console_form_ids(req,
	    "service_ids")) != 0) {
		json_object_put(body);
		return -1;
	}
	return console_act(req, resp, HTTP_POST, body, "/console/incidents",
	    "/api/incidents");
}

static int
update_post(struct request *req, struct response *resp)
{
	static const char *const names[] = { "status", "message", NULL };
	char	 b[BACK_MAX];

	return console_act(req, resp, HTTP_POST, console_fields(req, names),
	    back(req, b), "/api/incidents/%lld/updates", req->params[0]);
}

static int
publish_post(struct request *req, struct response *resp)
{
	static const char *const names[] = { "title", "impact", NULL };
	char	 b[BACK_MAX];

	return console_act(req, resp, HTTP_POST, console_fields(req, names),
	    back(req, b), "/api/incidents/%lld/publish", req->params[0]);
}

/* Destructive: a page of its own asks first (design card). */
static int
delete_page(struct request *req, struct response *resp)
{
	char	 path[BACK_MAX];

	snprintf(path, sizeof(path), "/api/incidents/%lld", req->params[0]);
	return console_object_page(req, resp, path, "Incident not found",
	    "console_incident_delete", consoledoc_incident_delete);
}

static int
delete_post(struct request *req, struct response *resp)
{
	return console_act(req, resp, HTTP_DELETE, NULL,
	    "/console/incidents?status=draft", "/api/incidents/%lld",
	    req->params[0]);
}

const struct route console_incidents_routes[] = {
	{ HTTP_GET, "/console/incidents", PERM_AUTH, incidents_page, PAGE,
	    NULL, NULL, NULL },
	{ HTTP_POST, "/console/incidents", PERM_AUTH, create_post, FORM, NULL,
	    NULL, NULL },
	{ HTTP_GET, "/console/incidents/new", PERM_INCIDENTS, new_page, PAGE,
	    NULL, NULL, NULL },
	{ HTTP_GET, "/console/incidents/<id>", PERM_AUTH, incident_page, PAGE,
	    NULL, NULL, NULL },
	{ HTTP_POST, "/console/incidents/<id>/updates", PERM_AUTH, update_post,
	    FORM, NULL, NULL, NULL },
	{ HTTP_POST, "/console/incidents/<id>/publish", PERM_AUTH,
	    publish_post, FORM, NULL, NULL, NULL },
	{ HTTP_GET, "/console/incidents/<id>/delete", PERM_INCIDENTS,
	    delete_page, PAGE, NULL, NULL, NULL },
	{ HTTP_POST, "/console/incidents/<id>/delete", PERM_AUTH, delete_post,
	    FORM, NULL, NULL, NULL },
};
const size_t console_incidents_nroutes = sizeof(console_incidents_routes) /
    sizeof(console_incidents_routes[0]);
