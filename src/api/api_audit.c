/*
 * /api/audit: the audit trail in the seed's shape, newest first,
 * paginated.
 */
#include "config.h"

#include "api/api.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "http/dispatch.h"
#include "util/jsonw.h"

/*
 * An entry written straight into the page's text (util/jsonw: json-c's
 * text byte for byte), members in the seed's order.
 */
static void
audit_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct audit_entry	*e = item;

	(void)req;
	jsonw_object(w);
	jsonw_key_int(w, "id", e->id);
	jsonw_key_string(w, "action", e->action);
	jsonw_key_string(w, "entity", e->entity);
	jsonw_key_id(w, "entity_id", e->entity_id);
	jsonw_key_time(w, "timestamp", e->ts);
	jsonw_key_id(w, "user_id", e->user_id);
	jsonw_key_string(w, "username", e->username);
	jsonw_object_end(w);
}

static int
audit_fetch(struct request *req, struct response *resp, const struct page *pg,
    struct api_rows *rows)
{
	struct audit_entry	*v;

	(void)resp;
	if (db_audit_list(req->db, page_offset(pg), pg->per_page, &v,
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
	.size = sizeof(struct audit_entry),
	.fetch = audit_fetch,
	.clear = audit_clear,
	.write = audit_write,
};

const struct route api_audit_routes[] = {
	{ HTTP_GET, "/api/audit", PERM_AUTH, api_list_route, 0, NULL,
	    &audit_list, NULL },
};
const size_t api_audit_nroutes = sizeof(api_audit_routes) / sizeof(api_audit_routes[0]);
