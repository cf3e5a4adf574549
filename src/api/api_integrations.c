/*
 * /api/services/integrations: add, list and delete a service's
 * integrations (seed 2.10, 2.11; CONTRACT sections 4 and 9).  Secrets
 * in a config are sealed before they reach the table and shown
 * redacted; neither the audit entry nor the log ever holds one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/integration.h"
#include "db/db.h"
#include "db/db_integration.h"
#include "db/db_riskstate.h"
#include "http/dispatch.h"
#include "util/aead.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/jsonw.h"

enum { IF_SERVICE_ID, IF_TYPE, IF_CONFIG, IF__MAX };

static const struct vfield add_fields[IF__MAX] = {
	[IF_SERVICE_ID] = { "service_id", V_INT, VF_REQUIRED, 0, 0, NULL,
	    INTEGRATION_REQUIRED_MSG, NULL },
	[IF_TYPE] = { "type", V_ENUM, VF_REQUIRED, 0, 0,
	    integration_type_choices, INTEGRATION_REQUIRED_MSG,
	    INTEGRATION_TYPE_BADMSG },
	[IF_CONFIG] = { "config", V_OBJECT, VF_REQUIRED, 0, 0, NULL,
	    INTEGRATION_REQUIRED_MSG, INTEGRATION_CONFIG_BADMSG },
};
static const struct vtable add_body = VTABLE(add_fields);

/* The audit entry's details: which service and type, never the config. */
static char *
audit_details(long long service_id, const char *type)
{
	struct json_object	*o;
	char			*s;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "service_id",
	    json_object_new_int64(service_id));
	json_object_object_add(o, "type", json_str(type));
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

static int
integrations_add(struct request *req, struct response *resp)
{
	const struct conf	*cfg = req->app->cfg;
	struct db		*db = req->db;
	struct vvalue		 v[IF__MAX];
	enum integration_type	 type;
	long long		 id;
	char			*details = NULL;
	char			 err[256];
	int			 rc = -1;

	/* The seed has one message for any of the three missing or falsy. */
	if (json_object_is_type(req->json, json_type_object) &&
	    integration_body_incomplete(req->json))
		return resp_error(resp, 400, "%s", INTEGRATION_REQUIRED_MSG);
	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	type = (enum integration_type)v[IF_TYPE].i;
	if (integration_config_check(type, v[IF_CONFIG].obj,
	    cfg->delivery.http_hosts, err, sizeof(err)) == -1)
		return resp_error(resp, 400, "%s", err);
	if (api_begin(req) == -1)
		goto out;
	if ((id = db_integration_add(db, &req->app->keys, v[IF_SERVICE_ID].i, type,
	    v[IF_CONFIG].obj, req->who.username, req->now)) <= 0) {
		if (id == 0) {
			db_rollback(db);
			rc = resp_error(resp, 404, "Service not found");
		}
		goto out;
	}
	if (db_riskstate_bump(db, RS_SERVICE, v[IF_SERVICE_ID].i, 0) == -1 ||
	    (details = audit_details(v[IF_SERVICE_ID].i,
	    integration_type_name(type))) == NULL ||
	    api_audit(req, 201, "Integration Added", "Integration", id,
	    details) == -1 || db_commit(db) == -1)
		goto out;
	rc = resp_message(resp, 201, "Integration added successfully");
out:
	free(details);
	return rc;
}

/*
 * A listed integration written straight into the page's text (util/jsonw:
 * json-c's text byte for byte, members in the seed's order).  Only the
 * config, redacted from its stored tree, is still json-c's: its text is
 * copied in.
 */
static void
integration_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct integration_row	*r = item;

	(void)req;
	jsonw_object(w);
	jsonw_key_int(w, "id", r->id);
	jsonw_key_int(w, "service_id", r->service_id);
	jsonw_key_string(w, "type", r->type);
	jsonw_key(w, "config");
	api_write_tree(w, r->config);
	jsonw_key_string(w, "created_by", r->created_by);
	jsonw_key_time(w, "created_at", r->created_at);
	jsonw_object_end(w);
}

static int
integrations_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct integration_row	*v;

	(void)resp;
	if (db_integration_list(req->db, page_offset(pg), pg->per_page,
	    &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
integration_clear_v(void *r)
{
	integration_row_clear(r);
}

static const struct api_list integrations_list = {
	.size = sizeof(struct integration_row),
	.fetch = integrations_fetch,
	.clear = integration_clear_v,
	.write = integration_write,
};

static int
integrations_delete(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct integration_row	 gone;
	char			*details = NULL;
	int			 rc = -1, found;

	memset(&gone, 0, sizeof(gone));
	if (api_begin(req) == -1)
		goto out;
	if ((found = db_integration_delete(db, req->params[0], &gone)) != 1) {
		if (found == 0) {
			db_rollback(db);
			rc = resp_error(resp, 404, "Integration not found");
		}
		goto out;
	}
	if (db_riskstate_bump(db, RS_SERVICE, gone.service_id, 0) == -1 ||
	    (details = audit_details(gone.service_id, gone.type)) == NULL ||
	    api_audit(req, 200, "Integration Deleted", "Integration", gone.id,
	    details) == -1 || db_commit(db) == -1)
		goto out;
	rc = resp_message(resp, 200, "Integration deleted");
out:
	free(details);
	integration_row_clear(&gone);
	return rc;
}

const struct route api_integrations_routes[] = {
	{ HTTP_POST, "/api/services/integrations", PERM_INTEGRATIONS,
	    integrations_add, 0, NULL, NULL, &add_body },
	{ HTTP_GET, "/api/services/integrations", PERM_INTEGRATIONS,
	    api_list_route, 0, NULL, &integrations_list, NULL },
	{ HTTP_DELETE, "/api/services/integrations/<id>", PERM_INTEGRATIONS,
	    integrations_delete, TAKES_NONE, NULL, NULL, NULL },
};
const size_t api_integrations_nroutes =
    sizeof(api_integrations_routes) / sizeof(api_integrations_routes[0]);
