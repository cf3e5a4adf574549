/*
 * /healthz: liveness for load balancers, no credential needed.  Says
 * whether this worker can reach the database right now.
 */
#include "config.h"

#include "api/api.h"
#include "db/db.h"
#include "http/dispatch.h"

static const char SQL_PING[] = "SELECT 1";

static int
healthz(struct request *req, struct response *resp)
{
	struct json_object	*o = json_object_new_object();
	long long		 one;
	int			 ok;

	ok = db_ready(req->db) == 0 &&
	    db_scalar(req->db, SQL_PING, NULL, 0, &one) == 1;
	json_object_object_add(o, "status",
	    json_object_new_string(ok ? "ok" : "unavailable"));
	json_object_object_add(o, "database",
	    json_object_new_string(ok ? "ok" : "unavailable"));
	if (!ok)
		resp_header(resp, "Retry-After", "5");
	return resp_json(resp, ok ? 200 : 503, o);
}

const struct route api_health_routes[] = {
	{ HTTP_GET, "/healthz", PERM_PUBLIC, healthz, ROUTE_NODB, NULL, NULL,
	    NULL },
};
const size_t api_health_nroutes = sizeof(api_health_routes) / sizeof(api_health_routes[0]);
