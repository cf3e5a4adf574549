/*
 * /api/incidents (CONTRACT 7): open an incident on services, post the
 * updates of its timeline, list and read them; publish or discard a
 * draft the daemon prepared for an outage.  Reads: any authenticated
 * user.  Writes: the incidents permission.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/incident.h"
#include "db/db.h"
#include "db/db_incident.h"
#include "db/db_service.h"
#include "db/db_subscriber.h"
#include "http/dispatch.h"
#include "util/jsonw.h"

#define ID_MAX		999999999999999999LL
#define MSG_NOT_FOUND	"Incident not found"

enum { IF_TITLE, IF_IMPACT, IF_SERVICES, IF_MESSAGE, IF_STATUS, IF__MAX };

static const struct vfield create_fields[IF__MAX] = {
	[IF_TITLE] = { "title", V_STRING, VF_REQUIRED, 1, INCIDENT_TITLE_MAX,
	    NULL, "title is required",
	    "title must be at most 200 characters" },
	[IF_IMPACT] = { "impact", V_ENUM, VF_REQUIRED, 0, 0,
	    incident_impact_choices, "impact is required",
	    INCIDENT_IMPACT_BADMSG },
	[IF_SERVICES] = { "service_ids", V_INT_ARRAY, VF_REQUIRED, 1, ID_MAX,
	    NULL, "service_ids is required", NULL },
	[IF_MESSAGE] = { "message", V_STRING, VF_REQUIRED, 1,
	    INCIDENT_MESSAGE_MAX, NULL, "message is required",
	    "message must be at most 5000 characters" },
	[IF_STATUS] = { "status", V_ENUM, 0, 0, 0, incident_status_choices,
	    NULL, INCIDENT_STATUS_BADMSG },
};
static const struct vtable create_body = VTABLE(create_fields);

enum { UF_STATUS, UF_MESSAGE, UF__MAX };

static const struct vfield update_fields[UF__MAX] = {
	[UF_STATUS] = { "status", V_ENUM, VF_REQUIRED, 0, 0,
	    incident_status_choices, "status is required",
	    INCIDENT_STATUS_BADMSG },
	[UF_MESSAGE] = { "message", V_STRING, VF_REQUIRED, 1,
	    INCIDENT_MESSAGE_MAX, NULL, "message is required",
	    "message must be at most 5000 characters" },
};
static const struct vtable update_body = VTABLE(update_fields);

/* Publishing a draft may correct what the daemon guessed. */
enum { PF_TITLE, PF_IMPACT, PF__MAX };

static const struct vfield publish_fields[PF__MAX] = {
	[PF_TITLE] = { "title", V_STRING, 0, 1, INCIDENT_TITLE_MAX, NULL, NULL,
	    "title must be at most 200 characters" },
	[PF_IMPACT] = { "impact", V_ENUM, 0, 0, 0, incident_impact_choices,
	    NULL, INCIDENT_IMPACT_BADMSG },
};
static const struct vtable publish_body = VTABLE(publish_fields);

/* ?status= of the list. */
static const char *const filter_names[INCIDENT_FILTER__MAX] = {
	[INCIDENTS_ALL] = "", [INCIDENTS_OPEN] = "open",
	[INCIDENTS_RESOLVED] = "resolved", [INCIDENTS_DRAFT] = "draft",
};

/* An update of the timeline, written straight (util/jsonw). */
static void
write_update(struct jsonw *w, const struct incident_update *u)
{
	jsonw_object(w);
	jsonw_key(w, "id");
	jsonw_int(w, u->id);
	jsonw_key(w, "status");
	jsonw_string(w, incident_status_name(u->status));
	jsonw_key(w, "message");
	jsonw_string(w, u->message);
	jsonw_key(w, "created_at");
	jsonw_time(w, u->created_at);
	jsonw_key(w, "created_by");
	jsonw_string(w, u->created_by);
	jsonw_object_end(w);
}

/* An incident with its timeline: no json-c tree per item of a page. */
static void
write_incident(struct jsonw *w, const struct incident *inc)
{
	size_t	 i;

	jsonw_object(w);
	jsonw_key(w, "id");
	jsonw_int(w, inc->id);
	jsonw_key(w, "title");
	jsonw_string(w, inc->title);
	jsonw_key(w, "impact");
	jsonw_string(w, incident_impact_name(inc->impact));
	jsonw_key(w, "status");
	jsonw_string(w, incident_status_name(inc->status));
	jsonw_key(w, "draft");
	jsonw_bool(w, inc->draft);
	jsonw_key(w, "service_ids");
	jsonw_array(w);
	for (i = 0; i < inc->nservices; i++)
		jsonw_int(w, inc->service_ids[i]);
	jsonw_array_end(w);
	jsonw_key(w, "downtime_id");
	if (inc->downtime_id != 0)
		jsonw_int(w, inc->downtime_id);
	else
		jsonw_null(w);
	jsonw_key(w, "created_by");
	jsonw_string(w, inc->created_by);
	jsonw_key(w, "created_at");
	jsonw_time(w, inc->created_at);
	jsonw_key(w, "updated_at");
	jsonw_time(w, inc->updated_at);
	jsonw_key(w, "resolved_at");
	jsonw_time(w, inc->resolved_at);
	jsonw_key(w, "updates");
	jsonw_array(w);
	for (i = 0; i < inc->nupdates; i++)
		write_update(w, &inc->updates[i]);
	jsonw_array_end(w);
	jsonw_object_end(w);
}

/* The answer of one incident (inc) or of one update (u). */
static int
resp_incident(struct request *req, struct response *resp, int status,
    const struct incident *inc, const struct incident_update *u)
{
	struct jsonw	 w;

	jsonw_init(&w, 1024);
	if (inc != NULL)
		write_incident(&w, inc);
	else
		write_update(&w, u);
	return api_answer_written(req, resp, status, &w);
}

/*
 * Tell the subscribers of inc's public services about update u (a
 * published incident only): queued in the same transaction, so a
 * rolled-back update tells nobody, and once per subscriber (the key
 * names the update).
 */
static int
notify(struct request *req, const struct incident *inc,
    const struct incident_update *u)
{
	struct json_object	*p;
	unsigned long long	 n;
	char			 key[64], *ids;
	int			 rc;

	if (inc->draft)
		return 0;
	p = json_object_new_object();
	json_object_object_add(p, "event", json_object_new_string("incident"));
	json_object_object_add(p, "incident_id", json_object_new_int64(
	    inc->id));
	json_object_object_add(p, "title", json_str(inc->title));
	json_object_object_add(p, "impact", json_object_new_string(
	    incident_impact_name(inc->impact)));
	json_object_object_add(p, "status", json_object_new_string(
	    incident_status_name(u->status)));
	json_object_object_add(p, "message", json_str(u->message));
	json_object_object_add(p, "at", json_time(u->created_at));
	snprintf(key, sizeof(key), "incident:%lld", u->id);
	if ((ids = db_ids_json(inc->service_ids, inc->nservices)) == NULL) {
		json_object_put(p);
		return -1;
	}
	rc = db_subscriber_fanout(req->db, key,
	    json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN), ids,
	    req->now, &n);
	free(ids);
	json_object_put(p);
	return rc;
}

static int
ids_cmp(const void *a, const void *b)
{
	long long	 x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Sort and drop repeats: an incident names a service once. */
static void
ids_unique(long long *ids, size_t *n)
{
	size_t	 i, k = 0;

	qsort(ids, *n, sizeof(*ids), ids_cmp);
	for (i = 0; i < *n; i++)
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	*n = k;
}

static int
incidents_create(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[IF__MAX];
	struct incident		 inc;
	struct incident_update	 u;
	char			 buf[512];
	int			 rc = -1;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (valid_blank(v[IF_TITLE].s))
		return resp_error(resp, 400, "title is required");
	if (valid_blank(v[IF_MESSAGE].s))
		return resp_error(resp, 400, "message is required");
	if (json_object_array_length(v[IF_SERVICES].obj) == 0)
		return resp_error(resp, 400,
		    "service_ids must name at least one service");
	memset(&inc, 0, sizeof(inc));
	memset(&u, 0, sizeof(u));
	if (api_int_array(&v[IF_SERVICES], &inc.service_ids,
	    &inc.nservices) == -1)
		goto out;
	inc.title = strdup(v[IF_TITLE].s);
	inc.impact = (enum incident_impact)v[IF_IMPACT].i;
	inc.created_by = strdup(req->who.username);
	inc.created_at = req->now;
	u.status = v[IF_STATUS].present ? (enum incident_status)v[IF_STATUS].i :
	    INCIDENT_INVESTIGATING;
	u.message = strdup(v[IF_MESSAGE].s);
	u.created_by = strdup(req->who.username);
	u.created_at = req->now;
	incident_apply(&inc, u.status, req->now);
	if (inc.title == NULL || inc.created_by == NULL || u.message == NULL ||
	    u.created_by == NULL || api_begin(req) == -1)
		goto out;
	if ((rc = db_deps_missing(db, inc.service_ids, inc.nservices, buf,
	    sizeof(buf))) != 0) {
		rc = rc < 0 ? -1 : resp_error(resp, 400,
		    "Invalid service IDs: %s", buf);
		goto out;
	}
	rc = -1;
	/* After the check, which names unknown ids in the request's order. */
	ids_unique(inc.service_ids, &inc.nservices);
	if (db_incident_insert(db, &inc) == -1 ||
	    db_incident_add_update(db, &inc, &u) == -1 ||
	    notify(req, &inc, &u) == -1 ||
	    api_audit(req, 201, "Incident Created", "Incident", inc.id,
	    NULL) == -1 || db_commit(db) == -1)
		goto out;
	/* The answer: the incident as stored, its first update included. */
	inc.updates = &u;
	inc.nupdates = 1;
	rc = resp_incident(req, resp, 201, &inc, NULL);
	inc.updates = NULL;
	inc.nupdates = 0;
out:
	incident_update_clear(&u);
	incident_clear(&inc);
	return rc;
}

static int
incidents_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct incident	*v;
	char		*s;
	bool		 bad;
	int		 f = INCIDENTS_ALL, i;

	if ((s = query_param(req->query, "status", &bad)) != NULL || bad) {
		for (f = -1, i = 1; s != NULL && i < INCIDENT_FILTER__MAX; i++)
			if (strcmp(s, filter_names[i]) == 0)
				f = i;
		free(s);
		if (f < 0)
			return resp_error(resp, 400,
			    "status must be one of open, resolved, draft");
	}
	if (db_incident_page(req->db, (enum incident_filter)f,
	    page_offset(pg), pg->per_page, &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
incident_item_write(struct request *req, const void *item, struct jsonw *w)
{
	(void)req;
	write_incident(w, item);
}

static void
incident_clear_v(void *item)
{
	incident_clear(item);
}

static const struct api_list incidents_list = {
	.size = sizeof(struct incident),
	.fetch = incidents_fetch,
	.clear = incident_clear_v,
	.write = incident_item_write,
};

static int
incidents_get(struct request *req, struct response *resp)
{
	struct incident	 inc;
	int		 rc;

	if ((rc = db_incident_get(req->db, req->params[0], false,
	    &inc)) != 1)
		return rc == 0 ? resp_error(resp, 404, MSG_NOT_FOUND) : -1;
	rc = resp_incident(req, resp, 200, &inc, NULL);
	incident_clear(&inc);
	return rc;
}

/*
 * Lock incident id for a write: 1 (inc filled), else the status of the
 * answer made (404) or -1.
 */
static int
incident_lock(struct request *req, struct response *resp,
    struct incident *inc)
{
	int	 rc;

	if (api_begin(req) == -1 ||
	    (rc = db_incident_get(req->db, req->params[0], true,
	    inc)) == -1)
		return -1;
	return rc == 1 ? 1 : resp_error(resp, 404, MSG_NOT_FOUND);
}

static int
incidents_update(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[UF__MAX];
	struct incident		 inc;
	struct incident_update	 u;
	int			 rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (valid_blank(v[UF_MESSAGE].s))
		return resp_error(resp, 400, "message is required");
	memset(&u, 0, sizeof(u));
	if ((rc = incident_lock(req, resp, &inc)) != 1)
		return rc;
	rc = -1;
	u.status = (enum incident_status)v[UF_STATUS].i;
	u.created_by = strdup(req->who.username);
	u.created_at = req->now;
	incident_apply(&inc, u.status, req->now);
	if ((u.message = strdup(v[UF_MESSAGE].s)) == NULL ||
	    u.created_by == NULL || db_incident_add_update(db, &inc, &u) == -1 ||
	    notify(req, &inc, &u) == -1 ||
	    api_audit(req, 201, "Incident Updated", "Incident", inc.id,
	    NULL) == -1 || db_commit(db) == -1)
		goto out;
	rc = resp_incident(req, resp, 201, NULL, &u);
out:
	incident_update_clear(&u);
	incident_clear(&inc);
	return rc;
}

static int
incidents_publish(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[PF__MAX];
	struct incident		 inc;
	int			 rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (v[PF_TITLE].present && valid_blank(v[PF_TITLE].s))
		return resp_error(resp, 400, "title is required");
	if ((rc = incident_lock(req, resp, &inc)) != 1)
		return rc;
	if (!inc.draft) {
		rc = resp_error(resp, 409, "Incident is already published");
		goto out;
	}
	rc = -1;
	if (v[PF_TITLE].present) {
		free(inc.title);
		if ((inc.title = strdup(v[PF_TITLE].s)) == NULL)
			goto out;
	}
	if (v[PF_IMPACT].present)
		inc.impact = (enum incident_impact)v[PF_IMPACT].i;
	inc.draft = false;
	inc.updated_at = req->now;
	/* Published: its subscribers hear of it, as of its latest update. */
	if (db_incident_publish(db, &inc) == -1 || (inc.nupdates > 0 &&
	    notify(req, &inc, &inc.updates[inc.nupdates - 1]) == -1) ||
	    api_audit(req, 200, "Incident Published", "Incident", inc.id,
	    NULL) == -1 || db_commit(db) == -1)
		goto out;
	rc = resp_incident(req, resp, 200, &inc, NULL);
out:
	incident_clear(&inc);
	return rc;
}

static int
incidents_delete(struct request *req, struct response *resp)
{
	struct db	*db = req->db;
	struct incident	 inc;
	int		 rc;

	if ((rc = incident_lock(req, resp, &inc)) != 1)
		return rc;
	if (!inc.draft)
		rc = resp_error(resp, 409,
		    "Only a draft can be deleted; resolve the incident instead");
	else if (db_incident_delete(db, inc.id) == -1 ||
	    api_audit(req, 200, "Incident Draft Deleted", "Incident", inc.id,
	    NULL) == -1 || db_commit(db) == -1)
		rc = -1;
	else
		rc = resp_message(resp, 200, "Draft deleted");
	incident_clear(&inc);
	return rc;
}

const struct route api_incidents_routes[] = {
	{ HTTP_POST, "/api/incidents", PERM_INCIDENTS, incidents_create, 0,
	    NULL, NULL, &create_body },
	{ HTTP_GET, "/api/incidents", PERM_AUTH, api_list_route, TAKES_NONE,
	    NULL, &incidents_list, NULL },
	{ HTTP_GET, "/api/incidents/<id>", PERM_AUTH, incidents_get,
	    TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_DELETE, "/api/incidents/<id>", PERM_INCIDENTS,
	    incidents_delete, TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_POST, "/api/incidents/<id>/updates", PERM_INCIDENTS,
	    incidents_update, 0, NULL, NULL, &update_body },
	{ HTTP_POST, "/api/incidents/<id>/publish", PERM_INCIDENTS,
	    incidents_publish, 0, NULL, NULL, &publish_body },
};
const size_t api_incidents_nroutes =
    sizeof(api_incidents_routes) / sizeof(api_incidents_routes[0]);
