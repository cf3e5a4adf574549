/*
 * /api/sla/config: the SLA of each ticket priority (CONTRACT 5):
 * resolution hours, the first-response target, the percentage at which
 * the assignee is warned before a breach, and the business-hours
 * calendar its clock counts in (null: around the clock).  Tickets copy
 * it when created and when their priority changes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/ticket.h"
#include "db/db.h"
#include "db/db_sla.h"
#include "http/dispatch.h"
#include "util/json.h"
#include "util/log.h"

enum { SF_HOURS, SF_FR_HOURS, SF_WARN, SF_CALENDAR, SF__MAX };

static const struct vfield sla_fields[SF__MAX] = {
	[SF_HOURS] = { "sla_hours", V_INT, 0, 1, TICKET_SLA_HOURS_MAX, NULL,
	    NULL, "sla_hours must be a whole number of hours from 1 to 8760" },
	[SF_FR_HOURS] = { "first_response_hours", V_INT,
	    VF_NULLABLE | VF_EMPTY_NULL, 1, TICKET_SLA_HOURS_MAX, NULL, NULL,
	    "first_response_hours must be a whole number of hours from 1 "
	    "to 8760" },
	[SF_WARN] = { "warn_percent", V_INT, 0, 1, 99, NULL, NULL,
	    "warn_percent must be between 1 and 99" },
	[SF_CALENDAR] = { "calendar", V_OBJECT, VF_NULLABLE, 0, 0, NULL, NULL,
	    NULL },
};
static const struct vtable sla_body = VTABLE(sla_fields);

struct json_object *
api_sla_json(const struct sla_config *c)
{
	struct ticket_calendar	 tc;
	struct json_object	*o;
	int			 bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= json_add(o, "id", json_object_new_int64(c->id));
	bad |= json_add_string(o, "priority",
	    ticket_priority_name(c->priority));
	bad |= json_add(o, "sla_hours", json_object_new_int(c->sla_hours));
	if (c->first_response_hours)
		bad |= json_add(o, "first_response_hours",
		    json_object_new_int(c->first_response_hours));
	else
		bad |= json_add_null(o, "first_response_hours");
	bad |= json_add(o, "warn_percent",
	    json_object_new_int(c->warn_percent));
	/*
	 * Stored as ticket_calendar_json wrote it: one that does not read
	 * back is out of memory (or a row written by hand), never null,
	 * which says around the clock.
	 */
	if (c->calendar == NULL)
		bad |= json_add_null(o, "calendar");
	else if (ticket_calendar_parse(c->calendar, &tc) == 0)
		bad |= json_add(o, "calendar", ticket_calendar_json(&tc));
	else
		bad = log_warnx("api_sla_json: the %s calendar does not read",
		    ticket_priority_name(c->priority));
	if (c->updated_at != 0)
		bad |= json_add(o, "updated_at", json_time(c->updated_at));
	else
		bad |= json_add_null(o, "updated_at");
	return json_done(o, bad);
}

static void
sla_clear_all(struct sla_config *cfg)
{
	int	 i;

	for (i = 0; i < PRIO__MAX; i++)
		sla_config_clear(&cfg[i]);
}

static int
sla_list(struct request *req, struct response *resp)
{
	struct sla_config	 cfg[PRIO__MAX];
	struct json_object	*arr;
	int			 i, bad = 0;

	if (db_sla_all(req->db, cfg) == -1)
		return -1;
	arr = json_object_new_array_ext(PRIO__MAX);
	for (i = 0; i < PRIO__MAX; i++)
		bad |= json_push(arr, api_sla_json(&cfg[i]));
	sla_clear_all(cfg);
	if ((arr = json_done(arr, bad)) == NULL)
		return -1;
	return resp_json(resp, 200, arr);
}

/* The calendar of the request, checked, as the text to store. */
static int
sla_calendar(struct response *resp, const struct vvalue *v, char **text)
{
	struct ticket_calendar	 tc;
	struct json_object	*o;
	const char		*s;
	char			 err[256];

	*text = NULL;
	if (v->null)
		return 0;
	if (ticket_calendar_from_json(v->obj, &tc, err, sizeof(err)) == -1)
		return resp_error(resp, 400, "%s", err);
	/* json_text(NULL) is "null": that must not be stored as the calendar. */
	if ((o = ticket_calendar_json(&tc)) != NULL &&
	    (s = json_text(o, NULL)) != NULL)
		*text = strdup(s);
	json_object_put(o);
	return *text == NULL ? -1 : 0;
}

static int
sla_update(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct sla_config	 cfg[PRIO__MAX];
	struct vvalue		 v[SF__MAX];
	struct sla_config	*c;
	char			*cal = NULL;
	int			 p, rc;

	if ((p = ticket_priority_parse(req->name)) < 0)
		return resp_error(resp, 404, "SLA configuration not found for "
		    "priority %s", req->name);
	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (v[SF_CALENDAR].present && (rc = sla_calendar(resp, &v[SF_CALENDAR],
	    &cal)) != 0)
		return rc;
	if (api_begin(req) == -1 || db_sla_all(db, cfg) == -1) {
		free(cal);
		return -1;
	}
	c = &cfg[p];
	if (v[SF_HOURS].present)
		c->sla_hours = (int)v[SF_HOURS].i;
	if (v[SF_FR_HOURS].present)
		c->first_response_hours = v[SF_FR_HOURS].null ? 0 :
		    (int)v[SF_FR_HOURS].i;
	if (v[SF_WARN].present)
		c->warn_percent = (int)v[SF_WARN].i;
	if (v[SF_CALENDAR].present) {
		free(c->calendar);
		c->calendar = cal;
		cal = NULL;
	}
	c->updated_at = req->now;
	rc = -1;
	if (db_sla_update(db, c, req->now) == 0 &&
	    api_audit(req, 200, "SLA Config Updated", "SLA", c->id, NULL) == 0 &&
	    db_commit(db) == 0)
		rc = resp_json(resp, 200, api_sla_json(c));
	free(cal);
	sla_clear_all(cfg);
	return rc;
}

const struct route api_sla_routes[] = {
	{ HTTP_GET, "/api/sla/config", PERM_AUTH, sla_list, TAKES_NONE, NULL,
	    NULL, NULL },
	{ HTTP_PUT, "/api/sla/config/<name>", PERM_TICKETS_ALL, sla_update, 0,
	    NULL, NULL, &sla_body },
};
const size_t api_sla_nroutes = sizeof(api_sla_routes) / sizeof(api_sla_routes[0]);
