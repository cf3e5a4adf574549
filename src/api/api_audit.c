/*
 * /api/audit: the audit trail in the seed's shape, newest first,
 * paginated.
 */
#include "config.h"

#include "api/api.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "http/dispatch.h"

static int
audit_row_json(const struct audit_record *r,
    const unsigned char prev[AUDIT_MAC_LEN],
    const unsigned char mac[AUDIT_MAC_LEN], void *arg)
{
	struct json_object	*arr = arg, *o;

	(void)prev;
	(void)mac;
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_add(o, "action", json_str(r->action));
	json_object_object_add(o, "entity", json_str(r->entity));
	json_object_object_add(o, "entity_id",
	    r->entity_id ? json_object_new_int64(r->entity_id) : NULL);
	json_object_object_add(o, "timestamp", json_time(r->ts));
	json_object_object_add(o, "user_id",
	    r->user_id ? json_object_new_int64(r->user_id) : NULL);
	json_object_object_add(o, "username", json_str(r->username));
	json_object_array_add(arr, o);
	return 0;
}

static int
audit_list(struct request *req, struct response *resp)
{
	struct json_object	*arr;
	struct page		 pg;
	long long		 total;

	if (api_page(req, resp, &pg) != 0)
		return resp->status;
	if ((total = db_audit_count(req->app->db)) < 0)
		return -1;
	arr = json_object_new_array();
	if (db_audit_page(req->app->db, page_offset(&pg), pg.per_page,
	    audit_row_json, arr) == -1) {
		json_object_put(arr);
		return -1;
	}
	api_page_headers(req, resp, &pg, total);
	return resp_json(resp, 200, arr);
}

const struct route api_audit_routes[] = {
	{ HTTP_GET, "/api/audit", PERM_AUTH, audit_list, 0 },
};
const size_t api_audit_nroutes = sizeof(api_audit_routes) / sizeof(api_audit_routes[0]);
