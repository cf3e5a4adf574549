/*
 * The console's services: the list (status, risk, BIA) and a service's
 * page (its summary, then the forms: BIA sign-off, status, downtime,
 * integrations for Engineers).  Reads and writes go through the API's
 * routes as the logged-in user; the risk column is one statement for
 * the whole page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "core/service.h"
#include "db/db_risk.h"
#include "http/dispatch.h"
#include "http/response.h"
#include "http/route.h"
#include "page/console.h"
#include "page/page.h"

#define BACK_MAX	64

static const char *
risk_class(enum risk_level l)
{
	return l == RISK_HIGH ? "high" : l == RISK_MEDIUM ? "medium" : "low";
}

/* Each service of arr gets "risk": {score, level, class} when it has one. */
static int
add_risks(struct request *req, struct json_object *arr)
{
	struct risk_brief	*v;
	long long		*ids;
	size_t			 n = json_object_array_length(arr), nv, i, k;
	struct json_object	*s, *r;

	if ((ids = calloc(n > 0 ? n : 1, sizeof(*ids))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		ids[i] = json_object_get_int64(json_object_object_get(
		    json_object_array_get_idx(arr, i), "id"));
	if (db_risk_latest_many(req->app->db, ids, n, &v, &nv) == -1) {
		free(ids);
		return -1;
	}
	for (i = 0; i < n; i++) {
		s = json_object_array_get_idx(arr, i);
		for (k = 0; k < nv; k++)
			if (v[k].service_id == ids[i])
				break;
		if (k == nv)
			continue;
		r = json_object_new_object();
		json_object_object_add(r, "score",
		    json_object_new_int(v[k].score));
		json_object_object_add(r, "level", json_object_new_string(
		    risk_level_name(v[k].level)));
		json_object_object_add(r, "class", json_object_new_string(
		    risk_class(v[k].level)));
		json_object_object_add(s, "risk", r);
	}
	free(v);
	free(ids);
	return 0;
}

/* "status_class" beside each service's status, for the coloured label. */
static void
add_status_class(struct json_object *s)
{
	struct json_object	*st;
	const char		*t = "";

	if (json_object_object_get_ex(s, "status", &st))
		t = json_object_get_string(st);
	json_object_object_add(s, "status_class", json_object_new_string(
	    strcmp(t, "Up") == 0 ? "up" : strcmp(t, "Degraded") == 0 ?
	    "degraded" : strcmp(t, "Down") == 0 ? "down" : "nodata"));
}

static int
services_index(struct request *req, struct response *resp)
{
	struct json_object	*o, *arr;
	long long		 total;
	long			 page = console_page(req);
	size_t			 i;
	int			 st;

	if ((st = console_api(req, HTTP_GET, NULL, &arr, &total,
	    "/api/services?page=%ld&per_page=%d", page, CONSOLE_PER_PAGE)) == -1)
		return -1;
	if (st != 200 || !json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return resp_error(resp, st == 200 ? 500 : st, "Services are "
		    "not available");
	}
	if (add_risks(req, arr) == -1) {
		json_object_put(arr);
		return -1;
	}
	for (i = 0; i < json_object_array_length(arr); i++)
		add_status_class(json_object_array_get_idx(arr, i));
	o = console_base(req, resp, "Services", "services");
	json_object_object_add(o, "services", arr);
	json_object_object_add(o, "pager", console_pager(page, total,
	    "/console", ""));
	return console_send(req, resp, 200, "console_services", o);
}

/* GET path as JSON into o[key] (nothing when the API refuses it). */
static int
attach(struct request *req, struct json_object *o, const char *key,
    const char *path)
{
	struct json_object	*v;
	int			 st;

	if ((st = console_api(req, HTTP_GET, NULL, &v, NULL, "%s", path)) == -1)
		return -1;
	if (st == 200)
		json_object_object_add(o, key, v);
	else
		json_object_put(v);
	return st;
}

/* The integrations of service id (Engineers): the API lists them all. */
static int
attach_integrations(struct request *req, struct json_object *o, long long id)
{
	struct json_object	*all, *mine, *it, *sid;
	size_t			 i;
	int			 st;

	if ((st = console_api(req, HTTP_GET, NULL, &all, NULL,
	    "/api/services/integrations?per_page=1000")) == -1)
		return -1;
	mine = json_object_new_array();
	for (i = 0; st == 200 && i < json_object_array_length(all); i++) {
		it = json_object_array_get_idx(all, i);
		if (json_object_object_get_ex(it, "service_id", &sid) &&
		    json_object_get_int64(sid) == id)
			json_object_array_add(mine, json_object_get(it));
	}
	json_object_put(all);
	json_object_object_add(o, "integrations", mine);
	return 0;
}

static int
service_page(struct request *req, struct response *resp)
{
	long long		 id = req->params[0];
	struct json_object	*o, *svc;
	char			 path[128];
	int			 st;

	o = console_base(req, resp, "Service", "services");
	snprintf(path, sizeof(path), "/api/services/%lld", id);
	if ((st = attach(req, o, "service", path)) != 200) {
		json_object_put(o);
		return st == -1 ? -1 : resp_error(resp, st, "Service not found");
	}
	svc = json_object_object_get(o, "service");
	add_status_class(svc);
	json_object_object_add(o, "title", json_object_get(
	    json_object_object_get(svc, "name")));
	snprintf(path, sizeof(path), "/api/services/%lld/health", id);
	if (attach(req, o, "health", path) == -1)
		goto fail;
	snprintf(path, sizeof(path), "/api/services/%lld/downtime?per_page=10",
	    id);
	if (attach(req, o, "downtime", path) == -1)
		goto fail;
	json_object_object_add(o, "can_write", json_object_new_boolean(
	    request_may(req, PERM_SERVICE_WRITE)));
	json_object_object_add(o, "can_status", json_object_new_boolean(
	    request_may(req, PERM_HEARTBEAT)));
	if (request_may(req, PERM_INTEGRATIONS)) {
		json_object_object_add(o, "can_integrations",
		    json_object_new_boolean(1));
		if (attach_integrations(req, o, id) == -1)
			goto fail;
	}
	return console_send(req, resp, 200, "console_service", o);
fail:
	json_object_put(o);
	return -1;
}

/* Where a service's forms go back to. */
static const char *
back(const struct request *req, char buf[BACK_MAX])
{
	snprintf(buf, BACK_MAX, "/console/services/%lld", req->params[0]);
	return buf;
}

/* {name: the form field's text} for each field present (and not empty). */
static struct json_object *
fields(const struct request *req, const char *const *names)
{
	struct json_object	*o = json_object_new_object();
	const char		*v;

	for (; *names != NULL; names++)
		if ((v = console_field(req, *names)) != NULL && *v != '\0')
			json_object_object_add(o, *names,
			    json_object_new_string(v));
	return o;
}

static int
status_post(struct request *req, struct response *resp)
{
	static const char *const names[] = { "status", NULL };
	char	 b[BACK_MAX];

	return console_act(req, resp, HTTP_POST, fields(req, names),
	    back(req, b), "/api/services/%lld/status", req->params[0]);
}

static int
downtime_post(struct request *req, struct response *resp)
{
	static const char *const names[] = {
		"start_time", "end_time", "reason", NULL,
	};
	char	 b[BACK_MAX];

	return console_act(req, resp, HTTP_POST, fields(req, names),
	    back(req, b), "/api/services/%lld/downtime", req->params[0]);
}

static int
signoff_post(struct request *req, struct response *resp)
{
	struct json_object	*body = json_object_new_object();
	const char		*v = console_field(req, "signed_off");
	char			 b[BACK_MAX];

	json_object_object_add(body, "signed_off", json_object_new_boolean(
	    v == NULL || strcmp(v, "false") != 0));
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

	json_object_object_add(body, "service_id",
	    json_object_new_int64(req->params[0]));
	if (type != NULL && *type != '\0')
		json_object_object_add(body, "type", json_object_new_string(type));
	cfg = json_object_new_object();
	if (url != NULL && *url != '\0')
		json_object_object_add(cfg, "webhook_url",
		    json_object_new_string(url));
	json_object_object_add(body, "config", cfg);
	return console_act(req, resp, HTTP_POST, body, back(req, b),
	    "/api/services/integrations");
}

#define PAGE	(TAKES_NONE | ANSWERS_HTML)
#define FORM	(TAKES_FORM | ANSWERS_HTML)

const struct route console_services_routes[] = {
	{ HTTP_GET, "/console", PERM_AUTH, services_index, PAGE, NULL, NULL },
	{ HTTP_GET, "/console/services/<id>", PERM_AUTH, service_page, PAGE,
	    NULL, NULL },
	{ HTTP_POST, "/console/services/<id>/status", PERM_AUTH, status_post,
	    FORM, NULL, NULL },
	{ HTTP_POST, "/console/services/<id>/downtime", PERM_AUTH,
	    downtime_post, FORM, NULL, NULL },
	{ HTTP_POST, "/console/services/<id>/signoff", PERM_AUTH, signoff_post,
	    FORM, NULL, NULL },
	{ HTTP_POST, "/console/services/<id>/integrations", PERM_AUTH,
	    integration_post, FORM, NULL, NULL },
};
const size_t console_services_nroutes = sizeof(console_services_routes) /
    sizeof(console_services_routes[0]);
