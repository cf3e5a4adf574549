/*
 * /api/alerts: the alert list (with the acknowledged filter),
 * acknowledging and reopening an alert, and the SLA breach list
 * (CONTRACT section 4).  The daemon raises both; nothing here creates
 * them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "db/db.h"
#include "db/db_alert.h"
#include "http/dispatch.h"

static struct json_object *
alert_json(struct request *req, const void *item)
{
	const struct alert	*a = item;
	struct json_object	*o;

	(void)req;
	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(a->id));
	json_object_object_add(o, "service_id",
	    json_object_new_int64(a->service_id));
	json_object_object_add(o, "type", json_str(a->type));
	json_object_object_add(o, "message", json_str(a->message));
	json_object_object_add(o, "severity", json_str(a->severity));
	json_object_object_add(o, "created_at", json_time(a->created_at));
	json_object_object_add(o, "acknowledged",
	    json_object_new_boolean(a->acknowledged));
	json_object_object_add(o, "acknowledged_by",
	    json_str(a->acknowledged_by));
	json_object_object_add(o, "acknowledged_at",
	    json_time(a->acknowledged_at));
	return o;
}

static struct json_object *
breach_json(struct request *req, const void *item)
{
	const struct sla_breach	*b = item;
	struct json_object	*o;

	(void)req;
	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(b->id));
	json_object_object_add(o, "service_id",
	    json_object_new_int64(b->service_id));
	json_object_object_add(o, "downtime_id",
	    json_object_new_int64(b->downtime_id));
	json_object_object_add(o, "type", json_object_new_string(b->type));
	json_object_object_add(o, "downtime_minutes",
	    json_object_new_int64(b->downtime_minutes));
	json_object_object_add(o, "threshold_minutes",
	    json_object_new_int64(b->threshold_minutes));
	json_object_object_add(o, "start_time", json_time(b->start_time));
	json_object_object_add(o, "end_time", json_time(b->end_time));
	json_object_object_add(o, "reason", json_str(b->reason));
	json_object_object_add(o, "created_at", json_time(b->created_at));
	return o;
}

/* ?acknowledged=true|false (any case); absent shows all.  0 or 400. */
static int
alert_filter_parse(struct request *req, struct response *resp,
    enum alert_filter *f)
{
	char	*s;
	bool	 bad;
	int	 rc = 0;

	*f = ALERTS_ALL;
	s = query_param(req->query, "acknowledged", &bad);
	if (s != NULL && strcasecmp(s, "true") == 0)
		*f = ALERTS_ACKNOWLEDGED;
	else if (s != NULL && strcasecmp(s, "false") == 0)
		*f = ALERTS_OPEN;
	else if (s != NULL || bad)
		rc = resp_error(resp, 400, "acknowledged must be true or false");
	free(s);
	return rc;
}

static int
alerts_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	enum alert_filter	 f;
	struct alert		*v;

	if (alert_filter_parse(req, resp, &f) != 0)
		return resp->status;
	if (db_alert_page(req->app->db, f, page_offset(pg), pg->per_page,
	    &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
alert_clear_v(void *a)
{
	alert_clear(a);
}

static const struct api_list alerts_list = {
	sizeof(struct alert), alerts_fetch, alert_json, alert_clear_v, NULL, 0, NULL,
	NULL,
};

enum { AU_ID, AU_ACK, AU__MAX };

static const struct vfield update_fields[AU__MAX] = {
	[AU_ID] = { "id", V_INT, VF_REQUIRED | VF_EMPTY_NULL, 0, 0, NULL,
	    "Alert ID is required", NULL },
	[AU_ACK] = { "acknowledged", V_BOOL, 0, 0, 0, NULL, NULL, NULL },
};

/*
 * Acknowledge (the default when "acknowledged" is absent: it is what
 * the route is for) or reopen an alert.  A request that changes
 * nothing answers the same and writes nothing.
 */
static int
alerts_update(struct request *req, struct response *resp)
{
	struct db	*db = req->app->db;
	struct vvalue	 v[AU__MAX];
	struct alert	 a;
	char		 details[96];
	bool		 ack;
	int		 rc;

	if (API_VALIDATE(req, resp, update_fields, v) != 0)
		return resp->status;
	ack = !v[AU_ACK].present || v[AU_ACK].i != 0;
	memset(&a, 0, sizeof(a));
	if (api_begin(req) == -1)
		return -1;
	if ((rc = db_alert_lock(db, v[AU_ID].i, &a)) != 1) {
		if (rc == 0) {
			db_rollback(db);
			rc = resp_error(resp, 404, "Alert not found");
		}
		return rc;
	}
	rc = -1;
	if (a.acknowledged == ack) {
		db_rollback(db);
		rc = resp_message(resp, 200, "Alert updated");
		goto out;
	}
	if (db_alert_set_ack(db, a.id, ack, req->who.username,
	    req->now) == -1) {
		if (db_error(db) == DB_ERR_DUP) {
			db_rollback(db);
			rc = resp_error(resp, 409,
			    "An open alert of this kind already exists");
		}
		goto out;
	}
	snprintf(details, sizeof(details),
	    "{\"alert_id\": %lld, \"acknowledged\": %s}", a.id,
	    ack ? "true" : "false");
	/* entity_id is the alert's service, as the seed says. */
	if (api_audit(req, 200, "Alert Acknowledged", "Alert", a.service_id,
	    details) == -1 || db_commit(db) == -1)
		goto out;
	rc = resp_message(resp, 200, "Alert updated");
out:
	alert_clear(&a);
	return rc;
}

static int
breaches_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct sla_breach	*v;

	(void)resp;
	if (db_breach_page(req->app->db, page_offset(pg), pg->per_page,
	    &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
breach_clear_v(void *b)
{
	sla_breach_clear(b);
}

static const struct api_list breaches_list = {
	sizeof(struct sla_breach), breaches_fetch, breach_json, breach_clear_v,
	NULL, 0, NULL, NULL,
};

const struct route api_alerts_routes[] = {
	{ HTTP_GET, "/api/alerts", PERM_AUTH, api_list_route, TAKES_NONE, NULL,
	    &alerts_list },
	{ HTTP_PUT, "/api/alerts", PERM_ALERT_ACK, alerts_update, 0, NULL, NULL },
	{ HTTP_GET, "/api/alerts/sla_breaches", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &breaches_list },
};
const size_t api_alerts_nroutes = sizeof(api_alerts_routes) / sizeof(api_alerts_routes[0]);
