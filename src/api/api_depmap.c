/*
 * GET /api/services/dependencies: the whole dependency map, not
 * paginated (the seed's "Get Dependencies"): every service that has a
 * dependency, in id order, with its dependencies in id order, each with
 * its name, BIA and status.  Written straight into its text with
 * util/jsonw: as json-c objects the bench's 20,000 edges (3.2 MB of
 * JSON) cost the worker about 200 ms a request.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "api/api.h"
#include "core/service.h"
#include "db/db_depmap.h"
#include "http/dispatch.h"
#include "util/jsonw.h"
#include "util/log.h"

/* The text's first buffer; it doubles from there (3.2 MB on the bench). */
#define MAP_TEXT_FIRST	((size_t)1 << 16)

static int
service_id_cmp(const void *key, const void *elem)
{
	long long	 id = *(const long long *)key;
	long long	 other = ((const struct depmap_service *)elem)->id;

	return (id > other) - (id < other);
}

/* rto, rpo: whole minutes, or null. */
static void
write_minutes(struct jsonw *w, const char *key, bool has, long minutes)
{
	jsonw_key(w, key);
	if (has)
		jsonw_int(w, minutes);
	else
		jsonw_null(w);
}

static void
write_dependency(struct jsonw *w, const struct depmap_service *d)
{
	jsonw_object(w);
	jsonw_key_int(w, "service_id", d->id);
	jsonw_key_string(w, "service_name", d->name);
	jsonw_key_string(w, "criticality", d->criticality);
	jsonw_key_string(w, "impact", d->impact);
	write_minutes(w, "rto", d->has_rto, d->rto);
	write_minutes(w, "rpo", d->has_rpo, d->rpo);
	jsonw_key_string(w, "status", status_name(d->status));
	jsonw_object_end(w);
}

/*
 * s's entry, if one of its dependencies is among the n services of v
 * (ascending by id): the map lists edges whose two services exist, and
 * only services that have such an edge.
 */
static void
write_entry(struct jsonw *w, const struct depmap_service *s,
    const struct depmap_service *v, size_t n)
{
	const struct depmap_service	*d;
	bool				 open = false;
	size_t				 i;

	for (i = 0; i < s->ndeps; i++) {
		if ((d = bsearch(&s->deps[i], v, n, sizeof(*v),
		    service_id_cmp)) == NULL)
			continue;
		if (!open) {
			jsonw_object(w);
			jsonw_key_int(w, "service_id", s->id);
			jsonw_key_string(w, "service_name", s->name);
			jsonw_key(w, "dependencies");
			jsonw_array(w);
			open = true;
		}
		write_dependency(w, d);
	}
	if (open) {
		jsonw_array_end(w);
		jsonw_object_end(w);
	}
}

static int
dependency_map(struct request *req, struct response *resp)
{
	struct depmap_service	*v;
	struct jsonw		 w;
	size_t			 n, i, len;
	char			*text;

	if (db_depmap_services(req->db, &v, &n) == -1)
		return -1;
	jsonw_init(&w, MAP_TEXT_FIRST);
	jsonw_object(&w);
	jsonw_key(&w, "dependencies");
	jsonw_array(&w);
	for (i = 0; i < n && !w.failed; i++)
		write_entry(&w, &v[i], v, n);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	depmap_services_free(v, n);
	if ((text = jsonw_finish(&w, &len)) == NULL)
		return log_warnx("%s: the dependency map's JSON text failed",
		    req->path);
	return resp_json_text(resp, 200, text, len);
}

const struct route api_depmap_routes[] = {
	{ HTTP_GET, "/api/services/dependencies", PERM_DEPENDENCY_MAP,
	    dependency_map, 0, NULL, NULL, NULL },
};
const size_t api_depmap_nroutes =
    sizeof(api_depmap_routes) / sizeof(api_depmap_routes[0]);
