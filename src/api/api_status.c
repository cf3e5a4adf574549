/*
 * /api/services/<id>/status, /downtime and /health (CONTRACT sections 3
 * and 4).  Every status write is a heartbeat; going Down opens the
 * automatic downtime and leaving Down closes it, so downtime history is
 * real outage history.  Health reads only: it scores risk fresh and
 * never writes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/auditchain.h"
#include "core/isotime.h"
#include "core/maintenance.h"
#include "core/risk.h"
#include "core/service.h"
#include "core/uptime.h"
#include "db/db.h"
#include "db/db_risk.h"
#include "db/db_riskstate.h"
#include "db/db_service.h"
#include "db/db_status.h"
#include "db/db_view.h"
#include "http/dispatch.h"
#include "util/jsonw.h"
#include "util/log.h"

#define MSG_NOT_FOUND "Service not found"
#define DAY (24 * 3600)

static const struct vfield status_fields[] = {
	{ "status", V_ENUM, VF_REQUIRED, 0, 0, status_choices,
	    "Status is required", STATUS_BADMSG },
};
static const struct vtable status_body = VTABLE(status_fields);

/*
 * What a write that is more than a heartbeat does, in the transaction
 * the heartbeat's routine left open with the status written: going Down
 * opens the automatic downtime and leaving Down closes it, the risk job
 * hears of it, and the audit entry.
 */
static int
status_move(struct request *req, enum svc_status st,
    const struct status_write *w)
{
	struct db	*db = req->db;
	char		 reason[300];
	bool		 crossed;
	int		 rc = 0;

	if (w->outage_open && st != STATUS_DOWN)
		rc = db_downtime_close(db, req->params[0], req->now, w->prev);
	else if (!w->outage_open && st == STATUS_DOWN) {
		snprintf(reason, sizeof(reason), "Status set to Down by %s",
		    req->who.username);
		rc = db_downtime_open_auto(db, req->params[0], req->now, reason,
		    "status");
	}
	/*
	 * The risk inputs it changed (risk_state, sql/018): a downtime
	 * opened or closed (rc 1) and, across Down, its status and its
	 * dependents'.
	 */
	crossed = (w->prev == STATUS_DOWN) != (st == STATUS_DOWN);
	if (rc == 1 || crossed)
		rc = db_riskstate_bump(db, crossed ? RS_CROSSED_DOWN : RS_SERVICE,
		    req->params[0], 0);
	if (rc == -1 ||
	    api_audit(req, 200, "Status Updated", "Status", req->params[0],
	    NULL) == -1 || db_commit(db) == -1)
		return -1;
	return 0;
}

static int
status_write(struct request *req, struct response *resp, const char *message)
{
	struct vvalue		 v[1];
	struct audit_record	 a;
	struct status_write	 w;
	enum svc_status		 st;
	char			*data;
	int			 rc;

	/* "Healthy" is the seed clients' word for Up. */
	if (json_object_is_type(req->json, json_type_object)) {
		struct json_object	*s;

		if (json_object_object_get_ex(req->json, "status", &s) &&
		    json_object_is_type(s, json_type_string) &&
		    status_parse(json_object_get_string(s)) == STATUS_UP)
			json_object_object_add(req->json, "status",
			    json_object_new_string("Up"));
	}
	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	st = (enum svc_status)status_parse(v[0].s);
	/* A plain heartbeat is written, audited and committed in one trip. */
	if (api_audit_entry(req, 200, "Status Updated", "Status",
	    req->params[0], NULL, &a, &data) == -1)
		return -1;
	rc = db_status_heartbeat(req->db, req->params[0], st,
	    req->who.username, req->now, &a, &w);
	free(data);
	if (rc == 0)
		return resp_error(resp, 404, MSG_NOT_FOUND);
	if (rc == -1 || (rc == 2 && status_move(req, st, &w) == -1))
		return -1;
	return resp_message(resp, 200, message);
}

static int
status_post(struct request *req, struct response *resp)
{
	return status_write(req, resp, "Status updated");
}

static int
status_put(struct request *req, struct response *resp)
{
	return status_write(req, resp, "Status updated successfully");
}

enum { DT_START, DT_END, DT_REASON, DT__MAX };

static const struct vfield downtime_fields[DT__MAX] = {
	[DT_START] = { "start_time", V_TIME, VF_REQUIRED, 0, 0, NULL,
	    "Start time is required", NULL },
	[DT_END] = { "end_time", V_TIME, VF_NULLABLE | VF_EMPTY_NULL, 0, 0, NULL,
	    NULL, NULL },
	[DT_REASON] = { "reason", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 0, 255,
	    NULL, NULL, NULL },
};
static const struct vtable downtime_body = VTABLE(downtime_fields);

/* The downtime a log answers (a page's items add their duration). */
static struct json_object *
json_downtime(const struct downtime *d)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(d->id));
	json_object_object_add(o, "service_id",
	    json_object_new_int64(d->service_id));
	json_object_object_add(o, "start_time", json_time(d->start));
	json_object_object_add(o, "end_time", json_time(d->end));
	json_object_object_add(o, "reason", json_str(d->reason));
	return o;
}

static int
downtime_log(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[DT__MAX];
	struct downtime		 d;
	struct json_object	*o;
	int			 rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	memset(&d, 0, sizeof(d));
	d.service_id = req->params[0];
	d.start = v[DT_START].t;
	d.end = v[DT_END].present && !v[DT_END].null ? v[DT_END].t : 0;
	if (d.end != 0 && d.end < d.start)
		return resp_error(resp, 400, "End time cannot be before start time");
	if (api_begin(req) == -1 || (rc = db_service_lock(db, d.service_id)) == -1)
		return -1;
	if (rc == 0) {
		db_rollback(db);
		return resp_error(resp, 404, MSG_NOT_FOUND);
	}
	d.reason = strdup(v[DT_REASON].present && !v[DT_REASON].null &&
	    v[DT_REASON].len > 0 ? v[DT_REASON].s : "Not specified");
	if (d.reason == NULL || db_downtime_insert(db, &d, req->now) == -1 ||
	    db_riskstate_bump(db, RS_SERVICE, d.service_id, 0) == -1 ||
	    api_audit(req, 200, "Downtime Logged", "Downtime", d.service_id,
	    NULL) == -1 || db_commit(db) == -1) {
		downtime_clear(&d);
		return -1;
	}
	o = json_object_new_object();
	json_object_object_add(o, "message",
	    json_object_new_string("Downtime logged"));
	json_object_object_add(o, "downtime", json_downtime(&d));
	downtime_clear(&d);
	return resp_json(resp, 200, o);
}

/* A page's item with util/jsonw: json_downtime's members, then its duration. */
static void
downtime_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct downtime	*d = item;
	char			 dur[64];
	long			 minutes;

	minutes = duration_minutes(d->start, d->end, req->now);
	duration_text(minutes, dur, sizeof(dur));
	jsonw_object(w);
	jsonw_key_int(w, "id", d->id);
	jsonw_key_int(w, "service_id", d->service_id);
	jsonw_key_time(w, "start_time", d->start);
	jsonw_key_time(w, "end_time", d->end);
	jsonw_key_string(w, "reason", d->reason);
	jsonw_key_string(w, "duration", dur);
	jsonw_key_int(w, "total_minutes", minutes);
	jsonw_object_end(w);
}

static int
downtime_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	const struct service	*s = req->object;
	struct downtime		*v;

	(void)resp;
	if (db_downtime_page(req->db, s->id, page_offset(pg),
	    pg->per_page, &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
downtime_clear_v(void *d)
{
	downtime_clear(d);
}

/* The seed's shape: the page inside an object naming the service. */
static void
downtime_write_envelope(struct request *req, struct jsonw *w,
    const struct page *pg, long long total, bool open)
{
	const struct service	*s = req->object;

	(void)pg;
	if (!open) {
		jsonw_object_end(w);
		return;
	}
	jsonw_object(w);
	jsonw_key_int(w, "service_id", s->id);
	jsonw_key_string(w, "service_name", s->name);
	jsonw_key_int(w, "downtime_count", total);
	jsonw_key(w, "downtimes");
}

static const struct api_list downtime_list = {
	.size = sizeof(struct downtime),
	.fetch = downtime_fetch,
	.clear = downtime_clear_v,
	.write = downtime_write,
	.write_envelope = downtime_write_envelope,
};

/*
 * The uptime over window as of now: the outages less the service's
 * maintenance windows, since planned work is not downtime.  0 or -1.
 */
static int
view_uptime(struct service_view *v, long window, time_t now, double *out)
{
	struct interval	*counted;
	size_t		 n;

	if (maint_subtract(v->iv, v->niv, v->maint, v->nmaint, now, &counted,
	    &n) == -1)
		return -1;
	*out = uptime_percent(counted, n, v->svc.created_at, window, now);
	free(counted);
	return 0;
}

/* The BIA as health shows it, or null. */
static void
write_health_bia(struct jsonw *w, const struct service *s)
{
	jsonw_key(w, "bia");
	if (!s->has_bia) {
		jsonw_null(w);
		return;
	}
	jsonw_object(w);
	jsonw_key_string(w, "criticality", criticality_name(s->bia.criticality));
	jsonw_key_string(w, "impact", impact_name(s->bia.impact));
	jsonw_key(w, "rto");
	if (s->bia.has_rto)
		jsonw_int(w, s->bia.rto);
	else
		jsonw_null(w);
	jsonw_key(w, "rpo");
	if (s->bia.has_rpo)
		jsonw_int(w, s->bia.rpo);
	else
		jsonw_null(w);
	jsonw_object_end(w);
}

/* Written straight into its text (util/jsonw): a read on every poll. */
static void
write_health(struct jsonw *w, const struct service_view *v,
    const struct risk_result *risk, double uptime)
{
	jsonw_object(w);
	jsonw_key_int(w, "service_id", v->svc.id);
	jsonw_key_string(w, "name", v->svc.name);
	jsonw_key_string(w, "status", status_name(v->svc.status));
	jsonw_key_time(w, "last_updated", v->svc.last_updated);
	jsonw_key_bool(w, "in_maintenance", v->svc.in_maintenance);
	write_health_bia(w, &v->svc);
	/*
	 * Never null: the reference web client reads downtime.start_time
	 * unguarded.  With no downtime at all every field is null (a
	 * zeroed v->latest gives exactly that).
	 */
	jsonw_key(w, "downtime");
	jsonw_object(w);
	jsonw_key_time(w, "start_time", v->latest.start);
	jsonw_key_time(w, "end_time", v->latest.end);
	jsonw_key_string(w, "reason", v->latest.reason);
	jsonw_object_end(w);
	jsonw_key_string(w, "overall_health", overall_health_name(
	    overall_health(v->svc.status, risk->level)));
	jsonw_key_int(w, "risk_score", risk->score);
	jsonw_key_string(w, "risk_level", risk_level_name(risk->level));
	jsonw_key_bool(w, "is_critical", risk->is_critical);
	jsonw_key_string(w, "reason", risk->reason);
	/* Two decimals exactly, as the seed's clients print it. */
	jsonw_key(w, "uptime_percentage");
	jsonw_decimal(w, uptime, 2);
	jsonw_object_end(w);
}

static int
health(struct request *req, struct response *resp)
{
	struct service_view	 v;
	struct risk_result	 risk;
	struct jsonw		 w;
	char			*win, *text;
	size_t			 len;
	long			 window;
	double			 uptime;
	bool			 bad;
	int			 rc;

	win = query_param(req->query, "window", &bad);
	window = bad ? -1 : window_parse(win);
	free(win);
	if (window < 0)
		return resp_error(resp, 400, WINDOW_BADMSG);
	if ((rc = db_service_view(req->db, req->params[0], req->now,
	    req->now - window, &v)) != 1)
		return rc == 0 ? resp_error(resp, 404, MSG_NOT_FOUND) : -1;
	risk_score(&v.risk.in, &risk);
	if (view_uptime(&v, window, req->now, &uptime) == -1) {
		service_view_clear(&v);
		return -1;
	}
	jsonw_init(&w, 1024);
	write_health(&w, &v, &risk, uptime);
	service_view_clear(&v);
	if ((text = jsonw_finish(&w, &len)) == NULL)
		return log_warnx("%s: the health JSON text failed", req->path);
	return resp_json_text(resp, 200, text, len);
}

const struct route api_status_routes[] = {
	{ HTTP_POST, "/api/services/<id>/status", PERM_HEARTBEAT,
	    status_post, 0, NULL, NULL, &status_body },
	{ HTTP_PUT, "/api/services/<id>/status", PERM_HEARTBEAT,
	    status_put, 0, NULL, NULL, &status_body },
	{ HTTP_POST, "/api/services/<id>/downtime", PERM_AUTH, downtime_log, 0,
	    NULL, NULL, &downtime_body },
	{ HTTP_GET, "/api/services/<id>/downtime", PERM_AUTH, api_list_route, 0,
	    &api_service_scope, &downtime_list, NULL },
	{ HTTP_GET, "/api/services/<id>/health", PERM_AUTH, health, 0, NULL,
	    NULL, NULL },
};
const size_t api_status_nroutes =
    sizeof(api_status_routes) / sizeof(api_status_routes[0]);
