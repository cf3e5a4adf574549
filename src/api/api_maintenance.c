/*
 * /api/maintenance: planned maintenance windows over services (CONTRACT
 * 7, issue 11).  Create, list (?state=), get, partial update, delete;
 * writes need the incidents permission, reads any account.  A window's
 * state is the clock's (core/maintenance.c), never stored.  What a
 * window does to its services (in_maintenance, heartbeats, uptime) is
 * the readers' and resilops-sched's; here it is only kept, with the
 * summary of their windows that the services' rows carry (sql/022).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/maintenance.h"
#include "db/db.h"
#include "db/db_maintenance.h"
#include "db/db_service.h"
#include "http/dispatch.h"
#include "util/jsonw.h"

#define ID_MAX		999999999999999999LL
#define TITLE_MAX	200
#define MESSAGE_MAX	10000
#define MSG_NOT_FOUND	"Maintenance window not found"
#define MSG_TITLE	"Title is required"
#define MSG_ORDER	"End time must be after start time"
#define MSG_NO_SERVICES	"service_ids must name at least one service"

enum {
	MF_TITLE, MF_MESSAGE, MF_SERVICE_IDS, MF_STARTS_AT, MF_ENDS_AT, MF__MAX
};

/* One declaration for both tables: create requires what update may omit. */
#define MAINT_FIELDS(req) { \
	[MF_TITLE] = { "title", V_STRING, (req) | VF_NULLABLE, 1, TITLE_MAX, \
	    NULL, MSG_TITLE, "Title must be at most 200 characters" }, \
	[MF_MESSAGE] = { "message", V_STRING, VF_NULLABLE, 0, MESSAGE_MAX, \
	    NULL, NULL, NULL }, \
	[MF_SERVICE_IDS] = { "service_ids", V_INT_ARRAY, (req), 1, ID_MAX, \
	    NULL, NULL, NULL }, \
	[MF_STARTS_AT] = { "starts_at", V_TIME, (req), 0, 0, NULL, \
	    "Start time is required", NULL }, \
	[MF_ENDS_AT] = { "ends_at", V_TIME, (req), 0, 0, NULL, \
	    "End time is required", NULL }, \
}
static const struct vfield create_fields[MF__MAX] = MAINT_FIELDS(VF_REQUIRED);
static const struct vtable create_body = VTABLE(create_fields);
static const struct vfield update_fields[MF__MAX] = MAINT_FIELDS(0);
static const struct vtable update_body = VTABLE(update_fields);

/* A window, written straight (util/jsonw): no json-c tree per item. */
static void
write_window(struct jsonw *jw, const struct maint_window *w, time_t now)
{
	size_t	 i;

	jsonw_object(jw);
	jsonw_key(jw, "id");
	jsonw_int(jw, w->id);
	jsonw_key(jw, "title");
	jsonw_string(jw, w->title);
	jsonw_key(jw, "message");
	jsonw_string(jw, w->message);
	jsonw_key(jw, "service_ids");
	jsonw_array(jw);
	for (i = 0; i < w->nservice_ids; i++)
		jsonw_int(jw, w->service_ids[i]);
	jsonw_array_end(jw);
	jsonw_key(jw, "starts_at");
	jsonw_time(jw, w->starts_at);
	jsonw_key(jw, "ends_at");
	jsonw_time(jw, w->ends_at);
	jsonw_key(jw, "state");
	jsonw_string(jw, maint_state_name(maint_state_at(w->starts_at,
	    w->ends_at, now)));
	jsonw_key(jw, "created_by");
	jsonw_string(jw, w->created_by);
	jsonw_key(jw, "created_at");
	jsonw_time(jw, w->created_at);
	jsonw_object_end(jw);
}

/* The answer of one window. */
static int
resp_window(struct request *req, struct response *resp, int status,
    const struct maint_window *w)
{
	struct jsonw	 jw;

	jsonw_init(&jw, 512);
	write_window(&jw, w, req->now);
	return api_answer_written(req, resp, status, &jw);
}

/*
 * The request's title, message and service ids into w and ids: title
 * and service_ids may not be emptied.  Answers 400 itself and returns
 * its status; 0 when fine, -1 on error.
 */
static int
window_take(struct response *resp, const struct vvalue *v,
    struct maint_window *w, long long **ids, size_t *nids)
{
	if (v[MF_TITLE].present && (v[MF_TITLE].null || valid_blank(v[MF_TITLE].s)))
		return resp_error(resp, 400, MSG_TITLE);
	if (v[MF_SERVICE_IDS].present &&
	    json_object_array_length(v[MF_SERVICE_IDS].obj) == 0)
		return resp_error(resp, 400, MSG_NO_SERVICES);
	if (api_int_array(&v[MF_SERVICE_IDS], ids, nids) == -1)
		return -1;
	if (v[MF_TITLE].present) {
		free(w->title);
		if ((w->title = strdup(v[MF_TITLE].s)) == NULL)
			return -1;
	}
	if (v[MF_MESSAGE].present) {
		free(w->message);
		w->message = NULL;
		if (!v[MF_MESSAGE].null &&
		    (w->message = strdup(v[MF_MESSAGE].s)) == NULL)
			return -1;
	}
	if (v[MF_STARTS_AT].present)
		w->starts_at = v[MF_STARTS_AT].t;
	if (v[MF_ENDS_AT].present)
		w->ends_at = v[MF_ENDS_AT].t;
	if (w->ends_at <= w->starts_at)
		return resp_error(resp, 400, MSG_ORDER);
	return 0;
}

/*
 * Inside the transaction, before any write: every id names a service
 * ("Invalid service IDs: [7, 3]", in the request's order, as
 * dependencies are reported).  0, the status answered, or -1.
 */
static int
services_exist(struct request *req, struct response *resp,
    const long long *ids, size_t n)
{
	char	 buf[512];
	int	 rc;

	if ((rc = db_deps_missing(req->db, ids, n, buf, sizeof(buf))) == 0)
		return 0;
	return rc < 0 ? -1 : resp_error(resp, 400, "Invalid service IDs: %s",
	    buf);
}

/* Read the window back (its services deduplicated and sorted), commit, answer. */
static int
window_answer(struct request *req, struct response *resp, int status,
    long long id)
{
	struct maint_window	 w;
	int			 rc;

	if ((rc = db_maint_get(req->db, id, false, &w)) != 1)
		return -1;	/* written in this transaction: it is there */
	if (db_commit(req->db) == -1)
		rc = -1;
	else
		rc = resp_window(req, resp, status, &w);
	maint_window_clear(&w);
	return rc;
}

static int
maint_create(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[MF__MAX];
	struct maint_window	 w;
	long long		*ids = NULL;
	size_t			 nids = 0;
	int			 rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	memset(&w, 0, sizeof(w));
	if ((rc = window_take(resp, v, &w, &ids, &nids)) != 0)
		goto out;
	rc = -1;
	if ((w.created_by = strdup(req->who.username)) == NULL ||
	    api_begin(req) == -1)
		goto out;
	if ((rc = services_exist(req, resp, ids, nids)) != 0)
		goto out;
	rc = -1;
	if (db_maint_insert(db, &w, req->now) == -1 ||
	    db_maint_services_replace(db, w.id, ids, nids) == -1 ||
	    db_maint_summarize(db, w.id, NULL, 0, req->now) == -1 ||
	    api_audit(req, 201, "Maintenance Created", "Maintenance", w.id,
	    NULL) == -1)
		goto out;
	rc = window_answer(req, resp, 201, w.id);
out:
	free(ids);
	maint_window_clear(&w);
	return rc;
}

static int
maint_get(struct request *req, struct response *resp)
{
	struct maint_window	 w;
	int			 rc;

	if ((rc = db_maint_get(req->db, req->params[0], false, &w)) != 1)
		return rc == 0 ? resp_error(resp, 404, MSG_NOT_FOUND) : -1;
	rc = resp_window(req, resp, 200, &w);
	maint_window_clear(&w);
	return rc;
}

/*
 * Partial: what the body names changes, the rest stays.  New times
 * re-arm the announcements when the window is in the future again or
 * reopened after its end was told (maint_rearm, as of this request).
 */
static int
maint_update(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[MF__MAX];
	struct maint_window	 w;
	long long		*ids = NULL;
	size_t			 nids = 0;
	time_t			 was_start, was_end;
	int			 rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	memset(&w, 0, sizeof(w));
	if (api_begin(req) == -1 ||
	    (rc = db_maint_get(db, req->params[0], true, &w)) == -1)
		return -1;
	if (rc == 0)
		return resp_error(resp, 404, MSG_NOT_FOUND);
	was_start = w.starts_at;
	was_end = w.ends_at;
	if ((rc = window_take(resp, v, &w, &ids, &nids)) != 0 ||
	    (v[MF_SERVICE_IDS].present &&
	    (rc = services_exist(req, resp, ids, nids)) != 0))
		goto out;
	if ((w.starts_at != was_start || w.ends_at != was_end) &&
	    maint_rearm(w.starts_at, w.ends_at, w.ended_announced_at != 0,
	    req->now))
		w.started_announced_at = w.ended_announced_at = 0;
	rc = -1;
	if (db_maint_update(db, &w, req->now) == -1 ||
	    (v[MF_SERVICE_IDS].present &&
	    db_maint_services_replace(db, w.id, ids, nids) == -1) ||
	    db_maint_summarize(db, w.id, w.service_ids, w.nservice_ids,
	    req->now) == -1 ||
	    api_audit(req, 200, "Maintenance Updated", "Maintenance", w.id,
	    NULL) == -1)
		goto out;
	rc = window_answer(req, resp, 200, w.id);
out:
	free(ids);
	maint_window_clear(&w);
	return rc;
}

/*
 * Gone with its links and without an announcement: to end a window
 * early, set its ends_at (resilops-sched then tells the end).
 */
static int
maint_delete(struct request *req, struct response *resp)
{
	struct db	*db = req->db;
	int		 rc;

	if (api_begin(req) == -1 ||
	    (rc = db_maint_delete(db, req->params[0], req->now)) == -1)
		return -1;
	if (rc == 0)
		return resp_error(resp, 404, MSG_NOT_FOUND);
	if (api_audit(req, 200, "Maintenance Deleted", "Maintenance",
	    req->params[0], NULL) == -1 || db_commit(db) == -1)
		return -1;
	return resp_message(resp, 200, "Maintenance window deleted");
}

static int
maint_fetch(struct request *req, struct response *resp, const struct page *pg,
    struct api_rows *rows)
{
	struct maint_window	*v;
	char			*s;
	bool			 bad;
	int			 st = -1;

	s = query_param(req->query, "state", &bad);
	if (s != NULL)
		st = maint_state_parse(s);
	free(s);
	if (bad || (s != NULL && st < 0))
		return resp_error(resp, 400, MAINT_STATE_BADMSG);
	if (db_maint_page(req->db, st, req->now, page_offset(pg),
	    pg->per_page, &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
window_item_write(struct request *req, const void *w, struct jsonw *jw)
{
	write_window(jw, w, req->now);
}

static void
window_clear_v(void *w)
{
	maint_window_clear(w);
}

static const struct api_list maint_list = {
	.size = sizeof(struct maint_window),
	.fetch = maint_fetch,
	.clear = window_clear_v,
	.write = window_item_write,
};

const struct route api_maintenance_routes[] = {
	{ HTTP_POST, "/api/maintenance", PERM_INCIDENTS, maint_create, 0,
	    NULL, NULL, &create_body },
	{ HTTP_GET, "/api/maintenance", PERM_AUTH, api_list_route, 0, NULL,
	    &maint_list, NULL },
	{ HTTP_GET, "/api/maintenance/<id>", PERM_AUTH, maint_get, 0, NULL,
	    NULL, NULL },
	{ HTTP_PUT, "/api/maintenance/<id>", PERM_INCIDENTS, maint_update, 0,
	    NULL, NULL, &update_body },
	{ HTTP_DELETE, "/api/maintenance/<id>", PERM_INCIDENTS, maint_delete,
	    TAKES_NONE, NULL, NULL, NULL },
};
const size_t api_maintenance_nroutes =
    sizeof(api_maintenance_routes) / sizeof(api_maintenance_routes[0]);
