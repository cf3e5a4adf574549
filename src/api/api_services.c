/*
 * /api/services: the catalogue (CONTRACT section 3).  Create, list,
 * get, update (body and path forms), delete; the BIA with its sign-off;
 * dependencies (existing ids, no self, no cycle, checked before any
 * write).  The dependency map is api_depmap.c's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/depgraph.h"
#include "core/service.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_riskstate.h"
#include "db/db_service.h"
#include "http/dispatch.h"
#include "util/jsonw.h"
#include "util/log.h"

#define MINUTES_MAX 525600	/* a year: rto/rpo bound */
#define ID_MAX 999999999999999999LL

enum {
	SF_ID, SF_NAME, SF_DESCRIPTION, SF_CRITICALITY, SF_IMPACT, SF_RTO,
	SF_RPO, SF_DEPS, SF_SIGNED_OFF, SF_PUBLIC, SF__MAX
};

/* One table for create, update and BIA; create also requires name. */
static const struct vfield service_fields[SF__MAX] = {
	[SF_ID] = { "id", V_INT, 0, 1, ID_MAX, NULL, "Service ID is required",
	    NULL },
	[SF_NAME] = { "name", V_STRING, VF_NULLABLE, 0, 100, NULL,
	    "Service name is required",
	    "Service name must be at most 100 characters" },
	[SF_DESCRIPTION] = { "description", V_STRING, VF_NULLABLE, 0, 10000,
	    NULL, NULL, NULL },
	[SF_CRITICALITY] = { "criticality", V_ENUM, VF_NULLABLE | VF_EMPTY_NULL,
	    0, 0, criticality_choices, NULL, CRITICALITY_BADMSG },
	[SF_IMPACT] = { "impact", V_ENUM, VF_NULLABLE | VF_EMPTY_NULL, 0, 0,
	    impact_choices, NULL, IMPACT_BADMSG },
	[SF_RTO] = { "rto", V_INT, VF_NULLABLE | VF_EMPTY_NULL, 0, MINUTES_MAX,
	    NULL, NULL, NULL },
	[SF_RPO] = { "rpo", V_INT, VF_NULLABLE | VF_EMPTY_NULL, 0, MINUTES_MAX,
	    NULL, NULL, NULL },
	[SF_DEPS] = { "dependencies", V_INT_ARRAY, VF_NULLABLE, 1, ID_MAX, NULL,
	    NULL, NULL },
	[SF_SIGNED_OFF] = { "signed_off", V_BOOL, 0, 0, 0, NULL, NULL, NULL },
	[SF_PUBLIC] = { "public", V_BOOL, 0, 0, 0, NULL, NULL, NULL },
};
static const struct vtable service_body = VTABLE(service_fields);

#define MSG_NOT_FOUND "Service not found"

/* [a, b, ...] of ids; the service's dependencies, its open tickets. */
static void
write_ids(struct jsonw *w, const char *key, const long long *ids, size_t n)
{
	size_t	 i;

	jsonw_key(w, key);
	jsonw_array(w);
	for (i = 0; i < n; i++)
		jsonw_int(w, ids[i]);
	jsonw_array_end(w);
}

/* An integer, or null when there is none (a BIA's rto, rpo). */
static void
write_opt_int(struct jsonw *w, const char *key, bool has, long long v)
{
	jsonw_key(w, key);
	if (has)
		jsonw_int(w, v);
	else
		jsonw_null(w);
}

static void
write_bia(struct jsonw *w, const struct service *s)
{
	const struct bia	*b = &s->bia;

	jsonw_key(w, "bia");
	if (!s->has_bia) {
		jsonw_null(w);
		return;
	}
	jsonw_object(w);
	jsonw_key_string(w, "criticality", criticality_name(b->criticality));
	jsonw_key_string(w, "impact", impact_name(b->impact));
	write_opt_int(w, "rto", b->has_rto, b->rto);
	write_opt_int(w, "rpo", b->has_rpo, b->rpo);
	jsonw_key_bool(w, "signed_off", b->signed_off);
	jsonw_key_string(w, "signed_off_by", b->signed_off_by);
	jsonw_key_time(w, "signed_off_at", b->signed_off_at);
	write_ids(w, "dependencies", s->deps, s->ndeps);
	jsonw_object_end(w);
}

/*
 * A service's members, in the order its answers always had, into the
 * object open in w.  The list writes the same from the text its rows
 * keep (service_entry_write): sql/037 spells "name" to "dependencies"
 * as this does, and changes with it.
 */
static void
write_service(struct jsonw *w, const struct service *s)
{
	jsonw_key_int(w, "id", s->id);
	jsonw_key_string(w, "name", s->name);
	jsonw_key_string(w, "description", s->description);
	jsonw_key_string(w, "created_by", s->created_by);
	jsonw_key_time(w, "created_at", s->created_at);
	write_bia(w, s);
	write_ids(w, "dependencies", s->deps, s->ndeps);
	jsonw_key_string(w, "status", status_name(s->status));
	jsonw_key_time(w, "last_updated", s->last_updated);
	jsonw_key_bool(w, "public", s->public);
	jsonw_key_bool(w, "in_maintenance", s->in_maintenance);
}

/*
 * Merge the request's BIA fields into s->bia (partial update), applying
 * the sign-off rules of CONTRACT section 9.  Returns whether the request
 * touched the BIA at all.
 */
static bool
bia_apply(struct service *s, const struct vvalue *v, const char *username,
    time_t now)
{
	struct bia	*b = &s->bia;
	bool		 touched = false, changed = false;
	int		 x;

	if (v[SF_CRITICALITY].present) {
		x = v[SF_CRITICALITY].null ? CRIT_NONE :
		    criticality_parse(v[SF_CRITICALITY].s);
		changed |= (enum criticality)x != b->criticality;
		b->criticality = (enum criticality)x;
		touched = true;
	}
	if (v[SF_IMPACT].present) {
		x = v[SF_IMPACT].null ? IMPACT_NONE : impact_parse(v[SF_IMPACT].s);
		changed |= (enum impact)x != b->impact;
		b->impact = (enum impact)x;
		touched = true;
	}
	if (v[SF_RTO].present) {
		changed |= b->has_rto == v[SF_RTO].null ||
		    (!v[SF_RTO].null && b->rto != v[SF_RTO].i);
		b->has_rto = !v[SF_RTO].null;
		b->rto = v[SF_RTO].null ? 0 : (long)v[SF_RTO].i;
		touched = true;
	}
	if (v[SF_RPO].present) {
		changed |= b->has_rpo == v[SF_RPO].null ||
		    (!v[SF_RPO].null && b->rpo != v[SF_RPO].i);
		b->has_rpo = !v[SF_RPO].null;
		b->rpo = v[SF_RPO].null ? 0 : (long)v[SF_RPO].i;
		touched = true;
	}
	/* A new BIA counts as changed: it was never signed. */
	if (touched && !s->has_bia)
		changed = true;
	if (v[SF_SIGNED_OFF].present) {
		touched = true;
		b->signed_off = v[SF_SIGNED_OFF].i != 0;
	} else if (changed)
		b->signed_off = false;
	if (v[SF_SIGNED_OFF].present || changed) {
		free(b->signed_off_by);
		b->signed_off_by = b->signed_off ? strdup(username) : NULL;
		b->signed_off_at = b->signed_off ? now : 0;
	}
	return touched;
}

/*
 * Check the new dependency list of self (0 for a new service): no self,
 * all exist, no cycle.  Answers 400 itself and returns its status, 0
 * when fine, -1 on error.  Runs inside the transaction, before writes.
 */
static int
deps_check(struct request *req, struct response *resp, long long self,
    const long long *ids, size_t n)
{
	struct dep_edge	*edges;
	size_t		 nedges, i;
	char		 buf[512];
	int		 rc;

	for (i = 0; i < n; i++)
		if (self != 0 && ids[i] == self)
			return resp_error(resp, 400,
			    "A service cannot depend on itself");
	if ((rc = db_deps_missing(req->db, ids, n, buf, sizeof(buf))) != 0)
		return rc < 0 ? -1 :
		    resp_error(resp, 400, "Invalid dependency IDs: %s", buf);
	if (self == 0 || n == 0)
		return 0;
	if (db_dep_edges(req->db, &edges, &nedges) == -1)
		return -1;
	rc = depgraph_cycle(self, ids, n, edges, nedges, buf, sizeof(buf));
	free(edges);
	if (rc == 1)
		return resp_error(resp, 400, "Dependency cycle: %s", buf);
	return rc;
}

static int
services_create(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[SF__MAX];
	struct service		 s;
	struct json_object	*o;
	long long		*ids = NULL;
	size_t			 nids = 0;
	int			 rc = -1;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (!v[SF_NAME].present || v[SF_NAME].null || valid_blank(v[SF_NAME].s))
		return resp_error(resp, 400, "Service name is required");
	memset(&s, 0, sizeof(s));
	if (api_int_array(&v[SF_DEPS], &ids, &nids) == -1)
		goto out;
	s.name = strdup(v[SF_NAME].s);
	s.description = v[SF_DESCRIPTION].present && !v[SF_DESCRIPTION].null ?
	    strdup(v[SF_DESCRIPTION].s) : NULL;
	s.created_by = strdup(req->who.username);
	s.public = v[SF_PUBLIC].present && v[SF_PUBLIC].i != 0;
	if (api_begin(req) == -1)
		goto out;
	if ((rc = deps_check(req, resp, 0, ids, nids)) != 0)
		goto out;
	rc = -1;
	/* Its risk_state row, stale: BIA and dependencies come with it. */
	if (db_service_insert(db, &s, req->now) == -1 ||
	    db_riskstate_bump(db, RS_CREATED, s.id, 0) == -1)
		goto out;
	if (bia_apply(&s, v, req->who.username, req->now) &&
	    db_bia_upsert(db, s.id, &s.bia, req->now) == -1)
		goto out;
	if (db_deps_replace(db, s.id, ids, nids) == -1 ||
	    api_audit(req, 201, "Service Created", "Service", s.id, NULL) == -1 ||
	    db_commit(db) == -1)
		goto out;
	o = json_object_new_object();
	json_object_object_add(o, "message",
	    json_object_new_string("Service created"));
	json_object_object_add(o, "service_id", json_object_new_int64(s.id));
	rc = resp_json(resp, 201, o);
out:
	free(ids);
	service_clear(&s);
	return rc;
}

static int
services_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct service_entry	*v;

	(void)resp;
	if (db_service_page(req->db, page_offset(pg), pg->per_page,
	    req->now, &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

/*
 * write_service's members, from the row's kept text (sql/037) for those
 * from "name" to "dependencies": the same bytes (test_jsonw_list.py).
 */
static void
service_entry_write(struct request *req, const void *v, struct jsonw *w)
{
	const struct service_entry	*e = v;

	(void)req;
	jsonw_object(w);
	jsonw_key_int(w, "id", e->id);
	jsonw_members(w, e->item, e->itemlen);
	jsonw_key_string(w, "status", status_name(e->status));
	jsonw_key_time(w, "last_updated", e->last_updated);
	jsonw_key_bool(w, "public", e->public);
	jsonw_key_bool(w, "in_maintenance", e->in_maintenance);
	jsonw_object_end(w);
}

static void
service_entry_clear_v(void *e)
{
	service_entry_clear(e);
}

static const struct api_list services_list = {
	.size = sizeof(struct service_entry),
	.fetch = services_fetch,
	.clear = service_entry_clear_v,
	.write = service_entry_write,
};

static int
service_load(struct request *req, long long id, void **obj)
{
	struct service	*s;
	int		 rc;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	if ((rc = db_service_get(req->db, id, req->now, s)) != 1) {
		free(s);
		return rc == 0 ? SCOPE_NOT_FOUND : -1;
	}
	*obj = s;
	return SCOPE_FOUND;
}

static void
service_release(void *s)
{
	service_clear(s);
	free(s);
}

const struct route_scope api_service_scope = {
	service_load, service_release, MSG_NOT_FOUND,
};

/* The service, with the ids of its open tickets (issue 8). */
static int
services_get(struct request *req, struct response *resp)
{
	struct jsonw	 w;
	struct service	 s;
	long long	*ids;
	size_t		 n, len;
	char		*text;
	int		 rc;

	if ((rc = db_service_get_open(req->db, req->params[0], req->now,
	    &s, &ids, &n)) != 1)
		return rc == 0 ? resp_error(resp, 404, MSG_NOT_FOUND) : -1;
	jsonw_init(&w, 1024);
	jsonw_object(&w);
	write_service(&w, &s);
	write_ids(&w, "open_tickets", ids, n);
	jsonw_object_end(&w);
	free(ids);
	service_clear(&s);
	if ((text = jsonw_finish(&w, &len)) == NULL)
		return log_warnx("%s: the service's JSON text failed", req->path);
	return resp_json_text(resp, 200, text, len);
}

/*
 * The update shared by PUT /api/services, PUT /api/services/<id> and
 * PUT /api/services/<id>/bia (bia_only: name/description ignored).
 */
static int
service_update(struct request *req, struct response *resp, long long id,
    const struct vvalue *v, bool bia_only, const char *action,
    const char *entity, const char *message)
{
	struct db	*db = req->db;
	struct service	 s;
	long long	*ids = NULL;
	size_t		 nids = 0;
	bool		 bia_touched;
	int		 rc = -1;

	memset(&s, 0, sizeof(s));
	if (!bia_only && v[SF_NAME].present &&
	    (v[SF_NAME].null || valid_blank(v[SF_NAME].s)))
		return resp_error(resp, 400, "Service name is required");
	if (api_int_array(&v[SF_DEPS], &ids, &nids) == -1)
		goto out;
	/*
	 * The cycle check reads the whole graph: two edits that would close
	 * a cycle between them must not both pass it, so edits that add
	 * dependencies run one at a time (any other write runs beside them).
	 */
	if ((nids > 0 ? api_begin_serial(req) : api_begin(req)) == -1)
		goto out;
	if ((rc = db_service_lock(db, id)) != 1 ||
	    (rc = db_service_get(db, id, req->now, &s)) != 1) {
		if (rc == 0)
			rc = resp_error(resp, 404, MSG_NOT_FOUND);
		goto out;
	}
	if (v[SF_DEPS].present && (rc = deps_check(req, resp, id, ids, nids)) != 0)
		goto out;
	rc = -1;
	if (!bia_only && (v[SF_NAME].present || v[SF_DESCRIPTION].present ||
	    v[SF_PUBLIC].present)) {
		if (v[SF_NAME].present) {
			free(s.name);
			s.name = strdup(v[SF_NAME].s);
		}
		if (v[SF_DESCRIPTION].present) {
			free(s.description);
			s.description = v[SF_DESCRIPTION].null ? NULL :
			    strdup(v[SF_DESCRIPTION].s);
		}
		if (v[SF_PUBLIC].present)
			s.public = v[SF_PUBLIC].i != 0;
		if (s.name == NULL || db_service_update(db, &s, req->now) == -1)
			goto out;
	}
	bia_touched = bia_apply(&s, v, req->who.username, req->now);
	if (bia_touched && db_bia_upsert(db, id, &s.bia, req->now) == -1)
		goto out;
	if (v[SF_DEPS].present && db_deps_replace(db, id, ids, nids) == -1)
		goto out;
	/* A rename is no risk input: names reach only new records' texts. */
	if ((bia_touched || v[SF_DEPS].present) &&
	    db_riskstate_bump(db, RS_SERVICE, id, 0) == -1)
		goto out;
	if (api_audit(req, 200, action, entity, id, NULL) == -1 || db_commit(db) == -1)
		goto out;
	rc = resp_message(resp, 200, message);
out:
	free(ids);
	service_clear(&s);
	return rc;
}

static int
services_update_body(struct request *req, struct response *resp)
{
	struct vvalue	 v[SF__MAX];

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (!v[SF_ID].present || v[SF_ID].null)
		return resp_error(resp, 400, "Service ID is required");
	return service_update(req, resp, v[SF_ID].i, v, false, "Service Updated",
	    "Service", "Service updated successfully");
}

static int
services_update_path(struct request *req, struct response *resp)
{
	struct vvalue	 v[SF__MAX];

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	return service_update(req, resp, req->params[0], v, false,
	    "Service Updated", "Service", "Service updated successfully");
}

static int
bia_update(struct request *req, struct response *resp)
{
	struct vvalue	 v[SF__MAX];

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	return service_update(req, resp, req->params[0], v, true, "BIA Updated",
	    "BIA", "BIA updated successfully");
}

static int
service_delete(struct request *req, struct response *resp, long long id)
{
	struct db	*db = req->db;
	int		 rc;

	/* Before the delete, whose cascade drops the dependencies it reads. */
	if (api_begin(req) == -1 ||
	    db_riskstate_bump(db, RS_DELETING, id, 0) == -1 ||
	    (rc = db_service_delete(db, id)) == -1)
		return -1;
	if (rc == 0) {
		db_rollback(db);
		return resp_error(resp, 404, MSG_NOT_FOUND);
	}
	if (api_audit(req, 200, "Service Deleted", "Service", id, NULL) == -1 ||
	    db_commit(db) == -1)
		return -1;
	return resp_message(resp, 200, "Service deleted successfully");
}

static const struct vfield id_field[] = {
	{ "id", V_INT, VF_REQUIRED, 1, ID_MAX, NULL, "Service ID is required",
	    NULL },
};
static const struct vtable id_body = VTABLE(id_field);

static int
services_delete_body(struct request *req, struct response *resp)
{
	struct vvalue	 v[1];

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	return service_delete(req, resp, v[0].i);
}

static int
services_delete_path(struct request *req, struct response *resp)
{
	return service_delete(req, resp, req->params[0]);
}

static int
bia_delete(struct request *req, struct response *resp)
{
	struct db	*db = req->db;
	int		 rc;

	if (api_begin(req) == -1 ||
	    (rc = db_service_lock(db, req->params[0])) == -1)
		return -1;
	if (rc == 0) {
		db_rollback(db);
		return resp_error(resp, 404, MSG_NOT_FOUND);
	}
	if ((rc = db_bia_delete(db, req->params[0])) == -1)
		return -1;
	if (rc == 0) {
		db_rollback(db);
		return resp_error(resp, 404, "No BIA found for this service");
	}
	if (db_riskstate_bump(db, RS_SERVICE, req->params[0], 0) == -1 ||
	    api_audit(req, 200, "BIA Deleted", "BIA", req->params[0], NULL) == -1 ||
	    db_commit(db) == -1)
		return -1;
	return resp_message(resp, 200, "BIA deleted successfully");
}

const struct route api_services_routes[] = {
	{ HTTP_POST, "/api/services", PERM_SERVICE_WRITE, services_create, 0,
	    NULL, NULL, &service_body },
	{ HTTP_GET, "/api/services", PERM_AUTH, api_list_route, 0, NULL,
	    &services_list, NULL },
	{ HTTP_PUT, "/api/services", PERM_SERVICE_WRITE, services_update_body,
	    0, NULL, NULL, &service_body },
	{ HTTP_DELETE, "/api/services", PERM_SERVICE_WRITE,
	    services_delete_body, 0, NULL, NULL, &id_body },
	{ HTTP_GET, "/api/services/<id>", PERM_AUTH, services_get, 0, NULL,
	    NULL, NULL },
	{ HTTP_PUT, "/api/services/<id>", PERM_SERVICE_WRITE,
	    services_update_path, 0, NULL, NULL, &service_body },
	{ HTTP_DELETE, "/api/services/<id>", PERM_SERVICE_WRITE,
	    services_delete_path, TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_PUT, "/api/services/<id>/bia", PERM_SERVICE_WRITE, bia_update, 0,
	    NULL, NULL, &service_body },
	{ HTTP_DELETE, "/api/services/<id>/bia", PERM_SERVICE_WRITE, bia_delete,
	    TAKES_NONE, NULL, NULL, NULL },
};
const size_t api_services_nroutes =
    sizeof(api_services_routes) / sizeof(api_services_routes[0]);
