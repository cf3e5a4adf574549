/*
 * /api/audit: the audit trail in the seed's shape, newest first,
 * paginated.
 */
#include "config.h"

#include "api/api.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "http/dispatch.h"

static struct json_object *
audit_json(struct request *req, const void *item)
{
	const struct audit_entry	*e = item;
	struct json_object		*o;

	(void)req;
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(e->id));
	json_object_object_add(o, "action", json_str(e->action));
	json_object_object_add(o, "entity", json_str(e->entity));
	json_object_object_add(o, "entity_id",
	    e->entity_id ? json_object_new_int64(e->entity_id) : NULL);
	json_object_object_add(o, "timestamp", json_time(e->ts));
	json_object_object_add(o, "user_id",
	    e->user_id ? json_object_new_int64(e->user_id) : NULL);
	json_object_object_add(o, "username", json_str(e->username));
	return o;
}

static int
audit_fetch(struct request *req, struct response *resp, const struct page *pg,
    struct api_rows *rows)
{
	struct audit_entry	*v;

	(void)resp;
	if (db_audit_list(req->app->db, page_offset(pg), pg->per_page, &v,
	    &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
audit_clear(void *item)
{
	audit_entry_clear(item);
}

static const struct api_list audit_list = {
	sizeof(struct audit_entry), audit_fetch, audit_json, audit_clear, NULL, 0, NULL,
	NULL,
};

const struct route api_audit_routes[] = {
	{ HTTP_GET, "/api/audit", PERM_AUTH, api_list_route, 0, NULL,
	    &audit_list },
};
const size_t api_audit_nroutes = sizeof(api_audit_routes) / sizeof(api_audit_routes[0]);
