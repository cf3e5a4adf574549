/*
 * /api/analytics: the SLA Guard dashboard (CONTRACT 5) over the tickets
 * the caller may see; the technician workload is the Managers'.  Each
 * answer is one aggregate statement (db/db_ticket_stats.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/perm.h"
#include "db/db.h"
#include "db/db_ticket_stats.h"
#include "http/dispatch.h"

/* What the caller may see, as for GET /api/tickets. */
static void
visible(struct request *req, struct ticket_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->view = request_may(req, PERM_TICKETS_ALL) ? TVIEW_ALL :
	    request_may(req, PERM_TICKETS_OWN) ? TVIEW_OWN : TVIEW_CREATED;
	f->uid = req->who.uid;
	f->now = req->now;
}

static struct json_object *
json_2dp(double v)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%.2f", v);
	return json_object_new_double_s(v, buf);
}

/* part of whole in percent, 100 when there is nothing to judge. */
static double
share(long long part, long long whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 100.0;
}

static int
analytics_overview(struct request *req, struct response *resp)
{
	struct ticket_overview	 ov;
	struct ticket_filter	 f;
	struct json_object	*o;

	visible(req, &f);
	if (db_ticket_overview(req->db, &f, &ov) == -1)
		return -1;
	o = json_object_new_object();
#define N(k, v)	json_object_object_add(o, (k), json_object_new_int64(v))
	N("total_tickets", ov.total);
	N("open_tickets", ov.open);
	N("in_progress_tickets", ov.in_progress);
	N("waiting_tickets", ov.waiting);
	N("resolved_tickets", ov.resolved);
	N("escalated_tickets", ov.escalated);
	N("high_risk_tickets", ov.high_risk);
	N("breached_tickets", ov.breached);
	N("first_response_breached_tickets", ov.response_breached);
#undef N
	json_object_object_add(o, "avg_resolution_hours",
	    json_2dp(ov.avg_resolution_hours));
	json_object_object_add(o, "sla_compliance_percent",
	    json_2dp(share(ov.resolved_in_time, ov.resolved)));
	json_object_object_add(o, "avg_first_response_hours",
	    json_2dp(ov.avg_first_response_hours));
	json_object_object_add(o, "first_response_compliance_percent",
	    json_2dp(share(ov.responded_in_time, ov.responded)));
	return resp_json(resp, 200, o);
}

static int
analytics_distribution(struct request *req, struct response *resp)
{
	struct ticket_distribution	 d;
	struct ticket_filter		 f;
	struct json_object		*o;

	visible(req, &f);
	if (db_ticket_distribution(req->db, &f, &d) == -1)
		return -1;
	o = json_object_new_object();
	json_object_object_add(o, "safe",
	    json_object_new_int64(d.level[SLA_SAFE]));
	json_object_object_add(o, "warning",
	    json_object_new_int64(d.level[SLA_WARNING]));
	json_object_object_add(o, "high_risk",
	    json_object_new_int64(d.level[SLA_HIGH_RISK]));
	json_object_object_add(o, "breached",
	    json_object_new_int64(d.level[SLA_BREACHED]));
	return resp_json(resp, 200, o);
}

static int
analytics_workload(struct request *req, struct response *resp)
{
	struct json_object	*arr, *o;
	struct workload		*v;
	size_t			 n, i;
	int			 role;

	if (db_ticket_workload(req->db, req->now, &v, &n) == -1)
		return -1;
	arr = json_object_new_array_ext((int)n);
	for (i = 0; i < n; i++) {
		role = role_parse(v[i].role);
		o = json_object_new_object();
		json_object_object_add(o, "technician_id",
		    json_object_new_int64(v[i].id));
		json_object_object_add(o, "technician_name", json_str(v[i].name));
		json_object_object_add(o, "assigned_tickets",
		    json_object_new_int64(v[i].assigned));
		json_object_object_add(o, "high_risk_tickets",
		    json_object_new_int64(v[i].high_risk));
		json_object_object_add(o, "role", json_str(role < 0 ? v[i].role :
		    api_role_upper(req) ? role_name_upper((enum role)role) :
		    role_name((enum role)role)));
		json_object_array_add(arr, o);
		workload_clear(&v[i]);
	}
	free(v);
	return resp_json(resp, 200, arr);
}

const struct route api_analytics_routes[] = {
	{ HTTP_GET, "/api/analytics/overview", PERM_AUTH, analytics_overview,
	    TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_GET, "/api/analytics/risk-distribution", PERM_AUTH,
	    analytics_distribution, TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_GET, "/api/analytics/technician-workload", PERM_TICKETS_ALL,
	    analytics_workload, TAKES_NONE, NULL, NULL, NULL },
};
const size_t api_analytics_nroutes =
    sizeof(api_analytics_routes) / sizeof(api_analytics_routes[0]);
