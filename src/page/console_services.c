/*
 * The console's services: the list (status, risk, BIA) and a service's
 * page (its summary, then the forms: BIA sign-off, status, downtime,
 * integrations for Engineers).  Reads and writes go through the API's
 * routes as the logged-in user; the risk column is one statement for
 * the whole page.  The pages' documents are consoledoc.c's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "db/db_risk.h"
#include "http/dispatch.h"
#include "http/response.h"
#include "http/route.h"
#include "page/console.h"
#include "page/page.h"
#include "util/json.h"

#define BACK_MAX	64

/* The newest risk of each service of arr: one statement for the page. */
static int
risks_of(struct request *req, struct json_object *arr,
    struct risk_brief **v, size_t *nv)
{
	long long	*ids;
	size_t		 n = json_object_array_length(arr), i;
	int		 rc;

	if ((ids = calloc(n > 0 ? n : 1, sizeof(*ids))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		ids[i] = json_object_get_int64(json_object_object_get(
		    json_object_array_get_idx(arr, i), "id"));
	rc = db_risk_latest_many(req->db, ids, n, v, nv);
	free(ids);
	return rc;
}

static int
services_index(struct request *req, struct response *resp)
{
	struct console_viewer	 cv;
	struct console_list	 l;
	struct risk_brief	*risks;
	size_t			 nrisks;
	int			 st;

	if ((st = console_list_get(req, &l, "/api/services", "")) == -1)
		return -1;
	if (st != 200 || !json_object_is_type(l.answer, json_type_array)) {
		json_object_put(l.answer);
		return resp_error(resp, st == 200 ? 500 : st, "Services are "
		    "not available");
	}
	if (risks_of(req, l.answer, &risks, &nrisks) == -1) {
		json_object_put(l.answer);
		return -1;
	}
	console_viewer(req, resp, &cv);
	st = console_send(req, resp, 200, "console_services",
	    consoledoc_services(&cv.view, l, risks, nrisks));
	console_viewer_clear(&cv);
	free(risks);
	return st;
}

/* GET path: *out the answer when the API gives it (200), else NULL. */
static int
fetch(struct request *req, struct json_object **out, const char *path)
{
	int	 st;

	if ((st = console_api(req, HTTP_GET, NULL, out, NULL, "%s",
	    path)) != 200) {
		json_object_put(*out);
		*out = NULL;
	}
	return st;
}

static int
service_page(struct request *req, struct response *resp)
{
	long long		 id = req->params[0];
	struct console_viewer	 cv;
	struct json_object	*svc = NULL, *health = NULL, *down = NULL;
	struct json_object	*integ = NULL;
	char			 path[128];
	int			 st;

	console_viewer(req, resp, &cv);
	snprintf(path, sizeof(path), "/api/services/%lld", id);
	if ((st = fetch(req, &svc, path)) != 200) {
		st = st == -1 ? -1 : resp_error(resp, st, "Service not found");
		goto out;
	}
	snprintf(path, sizeof(path), "/api/services/%lld/health", id);
	if ((st = fetch(req, &health, path)) == -1)
		goto out;
	snprintf(path, sizeof(path), "/api/services/%lld/downtime?per_page=10",
	    id);
	if ((st = fetch(req, &down, path)) == -1)
		goto out;
	/* The API lists them all: consoledoc keeps this service's. */
	if (request_may(req, PERM_INTEGRATIONS) && (st = fetch(req, &integ,
	    "/api/services/integrations?per_page=1000")) == -1)
		goto out;
	st = console_send(req, resp, 200, "console_service",
	    consoledoc_service(&cv.view, svc, health, down, integ));
	svc = health = down = integ = NULL;
out:
	json_object_put(integ);
	json_object_put(down);
	json_object_put(health);
	json_object_put(svc);
	console_viewer_clear(&cv);
	return st;
}

/* Where a service's forms go back to. */
static const char *
back(const struct request *req, char buf[BACK_MAX])
{
	snprintf(buf, BACK_MAX, "/console/services/%lld", req->params[0]);
	return buf;
}

static int
status_post(struct request *req, struct response *resp)
{
	static const char *const names[] = { "status", NULL };
	char	 b[BACK_MAX];

	return console_act(req, resp, HTTP_POST, console_fields(req, names),
	    back(req, b), "/api/services/%lld/status", req->params[0]);
}

static int
downtime_post(struct request *req, struct response *resp)
{
	static const char *const names[] = {
		"start_time", "end_time", "reason", NULL,
	};
	char	 b[BACK_MAX];

	return console_act(req, resp, HTTP_POST, console_fields(req, names),
	    back(req, b), "/api/services/%lld/downtime", req->params[0]);
}

static int
signoff_post(struct request *req, struct response *resp)
{
	struct json_object	*body = json_object_new_object();
	const char		*v = console_field(req, "signed_off");
	char			 b[BACK_MAX];

	body = json_done(body, json_add(body, "signed_off",
	    json_object_new_boolean(v == NULL || strcmp(v, "false") != 0)));
	return console_act(req, resp, HTTP_PUT, body, back(req, b),
	    "/api/services/%lld/bia", req->params[0]);
}

static int
integration_post(struct request *req, struct response *resp)
{
	struct json_object	*body = json_object_new_object(), *cfg;
	const char		*type = console_field(req, "type");
	const char		*url = console_field(req, "webhook_url");
	char			 b[BACK_MAX];
	int			 bad = 0;

	bad |= json_add(body, "service_id",
	    json_object_new_int64(req->params[0]));
	if (type != NULL && *type != '\0')
		bad |= json_add_string(body, "type", type);
	cfg = json_object_new_object();
	if (url != NULL && *url != '\0')
		bad |= json_add_string(cfg, "webhook_url", url);
	bad |= json_add(body, "config", cfg);
	/* NULL out of memory: console_act makes no call. */
	return console_act(req, resp, HTTP_POST, json_done(body, bad),
	    back(req, b), "/api/services/integrations");
}

#define PAGE	(TAKES_NONE | ANSWERS_HTML)
#define FORM	(TAKES_FORM | ANSWERS_HTML)

const struct route console_services_routes[] = {
	{ HTTP_GET, "/console", PERM_AUTH, services_index, PAGE, NULL, NULL,
	    NULL },
	{ HTTP_GET, "/console/services/<id>", PERM_AUTH, service_page, PAGE,
	    NULL, NULL, NULL },
	{ HTTP_POST, "/console/services/<id>/status", PERM_AUTH, status_post,
	    FORM, NULL, NULL, NULL },
	{ HTTP_POST, "/console/services/<id>/downtime", PERM_AUTH,
	    downtime_post, FORM, NULL, NULL, NULL },
	{ HTTP_POST, "/console/services/<id>/signoff", PERM_AUTH, signoff_post,
	    FORM, NULL, NULL, NULL },
	{ HTTP_POST, "/console/services/<id>/integrations", PERM_AUTH,
	    integration_post, FORM, NULL, NULL, NULL },
};
const size_t console_services_nroutes = sizeof(console_services_routes) /
    sizeof(console_services_routes[0]);
