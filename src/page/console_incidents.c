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

#define PAGE	(TAKES_NONE | ANSWERS_HTML)
#define FORM	(TAKES_FORM | ANSWERS_HTML)
#define BACK_MAX	64
/* The services a form offers: the catalogue's first page of this size. */
#define SERVICES_QUERY	"/api/services?per_page=500"

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
	bool			 bad;
	size_t			 i;
	int			 st;

	status = query_param(req->query, "status", &bad);
	for (i = 0; status != NULL && ok[i] != NULL; i++)
		if (strcmp(status, ok[i]) == 0)
			break;
	if (bad || (status != NULL && ok[i] == NULL)) {
		free(status);
		return resp_error(resp, 400,
		    "status must be one of open, draft, resolved");
	}
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

/* The catalogue's first page, for names and choices; NULL when none. */
static struct json_object *
services_of(struct request *req)
{
	struct json_object	*s = NULL;

	if (console_api(req, HTTP_GET, NULL, &s, NULL, SERVICES_QUERY) != 200) {
		json_object_put(s);
		return NULL;
	}
	return s;
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
	    consoledoc_incident(&cv.view, inc, services_of(req)));
	console_viewer_clear(&cv);
	return st;
}

static int
new_page(struct request *req, struct response *resp)
{
	struct console_viewer	 cv;
	int			 st;

	console_viewer(req, resp, &cv);
	st = console_send(req, resp, 200, "console_incident_new",
	    consoledoc_incident_new(&cv.view, services_of(req)));
	console_viewer_clear(&cv);
	return st;
}

/*
 * The form's service_ids (one checkbox each: a string, or an array of
 * them when several are ticked) as the API's array of numbers; a value
 * that is not a number goes as it is, for the API to refuse.
 */
static struct json_object *
service_ids(const struct request *req)
{
	struct json_object	*v, *arr = json_object_new_array(), *one;
	const char		*s;
	char			*end;
	long long		 id;
	size_t			 i, n;

	if (req->form == NULL || !json_object_object_get_ex(req->form,
	    "service_ids", &v))
		return arr;
	n = json_object_is_type(v, json_type_array) ?
	    json_object_array_length(v) : 1;
	for (i = 0; i < n; i++) {
		one = json_object_is_type(v, json_type_array) ?
		    json_object_array_get_idx(v, i) : v;
		s = json_object_get_string(one);
		id = strtoll(s, &end, 10);
		json_object_array_add(arr, *s != '\0' && *end == '\0' ?
		    json_object_new_int64(id) : json_object_new_string(s));
	}
	return arr;
}

static int
create_post(struct request *req, struct response *resp)
{
	static const char *const names[] = {
		"title", "impact", "status", "message", NULL,
	};
	struct json_object	*body = console_fields(req, names);

	json_object_object_add(body, "service_ids", service_ids(req));
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
	st = console_send(req, resp, 200, "console_incident_delete",
	    consoledoc_incident_delete(&cv.view, inc));
	console_viewer_clear(&cv);
	return st;
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
	    NULL, NULL },
	{ HTTP_POST, "/console/incidents", PERM_AUTH, create_post, FORM, NULL,
	    NULL },
	{ HTTP_GET, "/console/incidents/new", PERM_INCIDENTS, new_page, PAGE,
	    NULL, NULL },
	{ HTTP_GET, "/console/incidents/<id>", PERM_AUTH, incident_page, PAGE,
	    NULL, NULL },
	{ HTTP_POST, "/console/incidents/<id>/updates", PERM_AUTH, update_post,
	    FORM, NULL, NULL },
	{ HTTP_POST, "/console/incidents/<id>/publish", PERM_AUTH,
	    publish_post, FORM, NULL, NULL },
	{ HTTP_GET, "/console/incidents/<id>/delete", PERM_INCIDENTS,
	    delete_page, PAGE, NULL, NULL },
	{ HTTP_POST, "/console/incidents/<id>/delete", PERM_AUTH, delete_post,
	    FORM, NULL, NULL },
};
const size_t console_incidents_nroutes = sizeof(console_incidents_routes) /
    sizeof(console_incidents_routes[0]);
