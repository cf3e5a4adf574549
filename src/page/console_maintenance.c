/*
 * The console's maintenance windows: the list with its filters, a form
 * to plan one (times as datetime-local sends them, read as UTC by the
 * API), and deleting one after a page that asks.  Reads and writes are
 * the API's routes as the logged-in user.
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

#define PAGE		(TAKES_NONE | ANSWERS_HTML)
#define FORM		(TAKES_FORM | ANSWERS_HTML)

static int
list_page(struct request *req, struct response *resp)
{
	static const char *const ok[] = {
		"scheduled", "active", "completed", NULL,
	};
	struct console_viewer	 cv;
	struct console_list	 l;
	char			*state, q[32];
	int			 st;

	if ((st = console_filter(req, resp, "state", ok,
	    "state must be one of scheduled, active, completed", &state)) != 0)
		return st;
	snprintf(q, sizeof(q), "%s%s", state != NULL ? "state=" : "",
	    state != NULL ? state : "");
	console_viewer(req, resp, &cv);
	if ((st = console_list_get(req, &l, "/api/maintenance", q)) == 200)
		st = console_send(req, resp, 200, "console_maintenance",
		    consoledoc_maintenance(&cv.view, l, state != NULL ? state :
		    "", console_services_of(req)));
	else if (st != -1) {
		json_object_put(l.answer);
		st = resp_error(resp, st, "Maintenance is not available");
	}
	console_viewer_clear(&cv);
	free(state);
	return st;
}

static int
new_page(struct request *req, struct response *resp)
{
	return console_choice_page(req, resp, "console_maintenance_new",
	    consoledoc_maintenance_new);
}

static int
create_post(struct request *req, struct response *resp)
{
	static const char *const names[] = {
		"title", "message", "starts_at", "ends_at", NULL,
	};
	struct json_object	*body = console_fields(req, names);

	if (json_add(body, "service_ids", console_form_ids(req,
	    "service_ids")) != 0) {
		json_object_put(body);
		return -1;
	}
	return console_act(req, resp, HTTP_POST, body, "/console/maintenance",
	    "/api/maintenance");
}

/* Destructive: a page of its own asks first. */
static int
delete_page(struct request *req, struct response *resp)
{
	char	 path[64];

	snprintf(path, sizeof(path), "/api/maintenance/%lld", req->params[0]);
	return console_object_page(req, resp, path,
	    "Maintenance window not found", "console_maintenance_delete",
	    consoledoc_maintenance_delete);
}

static int
delete_post(struct request *req, struct response *resp)
{
	return console_act(req, resp, HTTP_DELETE, NULL,
	    "/console/maintenance", "/api/maintenance/%lld", req->params[0]);
}

const struct route console_maintenance_routes[] = {
	{ HTTP_GET, "/console/maintenance", PERM_AUTH, list_page, PAGE, NULL,
	    NULL, NULL },
	{ HTTP_POST, "/console/maintenance", PERM_AUTH, create_post, FORM, NULL,
	    NULL, NULL },
	{ HTTP_GET, "/console/maintenance/new", PERM_INCIDENTS, new_page, PAGE,
	    NULL, NULL, NULL },
	{ HTTP_GET, "/console/maintenance/<id>/delete", PERM_INCIDENTS,
	    delete_page, PAGE, NULL, NULL, NULL },
	{ HTTP_POST, "/console/maintenance/<id>/delete", PERM_AUTH,
	    delete_post, FORM, NULL, NULL, NULL },
};
const size_t console_maintenance_nroutes =
    sizeof(console_maintenance_routes) /
    sizeof(console_maintenance_routes[0]);
