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
#include "util/jsonw.h"

/*
 * A list's items are written with util/jsonw, no json-c object per row
 * (an alert page cost 0.524 ms of worker CPU, 3.7 times the floor's
 * machine CPU): the members in the order json-c wrote them.
 */
static void
alert_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct alert	*a = item;

	(void)req;
	jsonw_object(w);
	jsonw_key_int(w, "id", a->id);
	jsonw_key_int(w, "service_id", a->service_id);
	jsonw_key_string(w, "type", a->type);
	jsonw_key_string(w, "message", a->message);
	jsonw_key_string(w, "severity", a->severity);
	jsonw_key_time(w, "created_at", a->created_at);
	jsonw_key_bool(w, "acknowledged", a->acknowledged);
	jsonw_key_string(w, "acknowledged_by", a->acknowledged_by);
	jsonw_key_time(w, "acknowledged_at", a->acknowledged_at);
	jsonw_object_end(w);
}

static void
breach_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct sla_breach	*b = item;

	(void)req;
	jsonw_object(w);
	jsonw_key_int(w, "id", b->id);
	jsonw_key_int(w, "service_id", b->service_id);
	jsonw_key_int(w, "downtime_id", b->downtime_id);
	jsonw_key_string(w, "type", b->type);
	jsonw_key_int(w, "downtime_minutes", b->downtime_minutes);
	jsonw_key_int(w, "threshold_minutes", b->threshold_minutes);
	jsonw_key_time(w, "start_time", b->start_time);
	jsonw_key_time(w, "end_time", b->end_time);
	jsonw_key_string(w, "reason", b->reason);
	jsonw_key_time(w, "created_at", b->created_at);
	jsonw_object_end(w);
}

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
	if (db_alert_page(req->db, f, page_offset(pg), pg->per_page,
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
	.size = sizeof(struct alert),
	.fetch = alerts_fetch,
	.clear = alert_clear_v,
	.write = alert_write,
};

enum { AU_ID, AU_ACK, AU__MAX };

static const struct vfield update_fields[AU__MAX] = {
	[AU_ID] = { "id", V_INT, VF_REQUIRED | VF_EMPTY_NULL, 0, 0, NULL,
	    "Alert ID is required", NULL },
	[AU_ACK] = { "acknowledged", V_BOOL, 0, 0, 0, NULL, NULL, NULL },
};
static const struct vtable update_body = VTABLE(update_fields);

/*
 * Acknowledge (the default when "acknowledged" is absent: it is what
 * the route is for) or reopen an alert.  A request that changes
 * nothing answers the same and writes nothing.
 */
static int
alerts_update(struct request *req, struct response *resp)
{
	struct db	*db = req->db;
	struct vvalue	 v[AU__MAX];
	struct alert	 a;
	char		 details[96];
	bool		 ack;
	int		 rc;

	if (API_VALIDATE(req, resp, v) != 0)
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
	if (db_breach_page(req->db, page_offset(pg), pg->per_page,
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
	.size = sizeof(struct sla_breach),
	.fetch = breaches_fetch,
	.clear = breach_clear_v,
	.write = breach_write,
};

const struct route api_alerts_routes[] = {
	{ HTTP_GET, "/api/alerts", PERM_AUTH, api_list_route, TAKES_NONE, NULL,
	    &alerts_list, NULL },
	{ HTTP_PUT, "/api/alerts", PERM_ALERT_ACK, alerts_update, 0, NULL, NULL,
	    &update_body },
	{ HTTP_GET, "/api/alerts/sla_breaches", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &breaches_list, NULL },
};
const size_t api_alerts_nroutes = sizeof(api_alerts_routes) / sizeof(api_alerts_routes[0]);
