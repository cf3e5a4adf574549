/*
 * What the ticket routes share: the scope of /api/tickets/<id>, the
 * answer's shape, and the pieces of every write (the clock through a
 * status change, its marks, the SLA copied from the configuration, an
 * assignment with its activity and notification).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_ticket.h"
#include "core/ticket.h"
#include "db/db.h"
#include "db/db_notify.h"
#include "db/db_service.h"
#include "db/db_sla.h"
#include "db/db_ticket.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "util/json.h"
#include "util/jsonw.h"
#include "util/log.h"

static int
ticket_load(struct request *req, long long id, void **obj)
{
	struct ticket	*t;
	bool		 mine = false, creator = false;
	int		 rc;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	if ((rc = db_ticket_get(req->db, id, req->who.uid, false, t,
	    &mine, &creator)) != 1) {
		free(t);
		return rc == 0 ? SCOPE_NOT_FOUND : -1;
	}
	*obj = t;
	if (request_may(req, PERM_TICKETS_ALL) || creator ||
	    (mine && request_may(req, PERM_TICKETS_OWN)))
		return SCOPE_FOUND;
	return SCOPE_FORBIDDEN;
}

static void
ticket_release(void *t)
{
	ticket_clear(t);
	free(t);
}

const struct route_scope api_ticket_scope = {
	ticket_load, ticket_release, TICKET_NOT_FOUND,
};

/* The calendar of a stored ticket or config; NULL when 24x7 or bad. */
static const struct sla_calendar *
calendar_of(const char *text, struct ticket_calendar *buf, long long id)
{
	if (text == NULL)
		return NULL;
	if (ticket_calendar_parse(text, buf) == -1) {
		log_warnx("ticket %lld: stored calendar unreadable; counting 24x7",
		    id);
		return NULL;
	}
	return &buf->cal;
}

/* Hours as "%.2f" text, the number json_object_new_double_s made. */
static void
write_hours(struct jsonw *w, const char *key, double h)
{
	jsonw_key(w, key);
	jsonw_decimal(w, h, 2);
}

/*
 * The calendar's shape is ticket_calendar_json's (the SLA routes
 * answer it too): its text is copied in, not written again here.  Few
 * tickets have one; the lists' common case is null.
 */
static void
write_calendar(struct jsonw *w, const struct ticket_calendar *tc)
{
	struct json_object	*o;

	jsonw_key(w, "calendar");
	if (tc == NULL) {
		jsonw_null(w);
		return;
	}
	/* Out of memory the answer fails, never shows the calendar as null. */
	if ((o = ticket_calendar_json(tc)) == NULL)
		jsonw_set_failed(w);
	else
		api_write_tree(w, o);
	json_object_put(o);
}

/* The members, in the order json-c's tree of them had (CONTRACT 5). */
static void
write_members(struct jsonw *w, const struct ticket *t,
    const struct ticket_reading *rd)
{
	jsonw_key_int(w, "id", t->id);
	jsonw_key_string(w, "title", t->title);
	jsonw_key_string(w, "customer", t->customer);
	jsonw_key_string(w, "description", t->description);
	jsonw_key_string(w, "priority", ticket_priority_name(t->priority));
	jsonw_key_string(w, "status", ticket_status_name(t->status));
	jsonw_key_id(w, "assignee_id", t->assignee_id);
	jsonw_key_string(w, "assignee_name", t->assignee_id ?
	    t->assignee_name : "Unassigned");
	jsonw_key_id(w, "created_by_user_id", t->created_by);
	jsonw_key_id(w, "service_id", t->service_id);
	jsonw_key_id(w, "downtime_id", t->downtime_id);
	jsonw_key_time(w, "created_at", t->created_at);
	jsonw_key_time(w, "updated_at", t->updated_at);
	jsonw_key_time(w, "resolved_at", t->resolved_at);
	jsonw_key_int(w, "sla_limit_hours", t->sla_hours);
	write_hours(w, "time_elapsed_hours", rd->elapsed / 3600.0);
	write_hours(w, "risk_percentage", rd->percent);
	jsonw_key_string(w, "risk_level", sla_level_name(rd->level));
	jsonw_key_time(w, "due_at", t->marks.breach);
	jsonw_key_int(w, "warn_percent", t->warn_percent);
	jsonw_key_id(w, "first_response_hours", t->first_response_hours);
	jsonw_key_time(w, "first_response_at", t->first_response_at);
	jsonw_key_time(w, "first_response_due_at", t->marks.fr_due);
	jsonw_key_bool(w, "first_response_breached", rd->fr_breached);
	write_hours(w, "paused_hours", t->paused_seconds / 3600.0);
	jsonw_key_time(w, "paused_since", t->paused_since);
	jsonw_key_time(w, "escalated_at", t->escalated_at);
}

void
ticket_write(struct request *req, const struct ticket *t, struct jsonw *w)
{
	struct ticket_calendar	 tc;
	struct ticket_clock	 c;
	struct ticket_reading	 rd;
	const struct sla_calendar *cal;

	cal = calendar_of(t->calendar, &tc, t->id);
	ticket_clock_of(t, cal, &c);
	if (ticket_read(&c, req->now, &rd) == -1)
		memset(&rd, 0, sizeof(rd));
	jsonw_object(w);
	write_members(w, t, &rd);
	write_calendar(w, cal != NULL ? &tc : NULL);
	jsonw_object_end(w);
}

int
ticket_send(struct request *req, struct response *resp,
    const struct ticket *t, int status)
{
	struct jsonw	 w;
	size_t		 len;
	char		*text;

	jsonw_init(&w, 1024);
	ticket_write(req, t, &w);
	if ((text = jsonw_finish(&w, &len)) == NULL)
		return log_warnx("%s: the ticket's JSON text failed", req->path);
	return resp_json_text(resp, status, text, len);
}

int
ticket_answer(struct request *req, struct response *resp, long long id,
    int status)
{
	struct ticket	 t;
	int		 rc;

	if ((rc = db_ticket_get(req->db, id, req->who.uid, false, &t,
	    NULL, NULL)) != 1)
		return rc == 0 ? resp_error(resp, 404, TICKET_NOT_FOUND) : -1;
	rc = ticket_send(req, resp, &t, status);
	ticket_clear(&t);
	return rc;
}

int
ticket_remark(struct request *req, struct ticket *t, bool fresh)
{
	struct ticket_calendar	 tc;
	struct ticket_clock	 c;
	struct ticket_marks	 old = t->marks;

	ticket_clock_of(t, calendar_of(t->calendar, &tc, t->id), &c);
	return ticket_marks(&c, fresh ? NULL : &old, req->now, &t->marks);
}

/* t's clock through a status change (pause, resume, stop, reopen). */
int
ticket_move(struct request *req, struct ticket *t, enum ticket_status to)
{
	struct ticket_calendar	 tc;
	struct ticket_clock	 c;

	ticket_clock_of(t, calendar_of(t->calendar, &tc, t->id), &c);
	if (ticket_clock_move(&c, t->status, to, req->now) == -1)
		return -1;
	t->resolved_at = c.resolved;
	t->paused_since = c.paused_since;
	t->paused_seconds = c.paused;
	t->first_response_at = c.first_response;
	t->status = to;
	return 0;
}

int
ticket_assignee_ok(struct request *req, struct response *resp, long long uid,
    const char *field)
{
	struct user	 u;
	int		 rc, ok;

	memset(&u, 0, sizeof(u));
	if ((rc = db_user_by_id(req->db, uid, &u)) == -1)
		return -1;
	ok = rc == 1 && u.active && role_may(u.role, PERM_TICKETS_WORK);
	user_clear(&u);
	if (!ok) {
		resp_error(resp, 400, "%s must be an active Technician or "
		    "Senior Technician", field);
		return 0;
	}
	return 1;
}

int
ticket_activity(struct request *req, long long ticket_id, const char *action,
    const char *details)
{
	return db_ticket_activity_add(req->db, ticket_id, req->who.uid,
	    req->who.username, action, details, req->now);
}

int
ticket_assigned(struct request *req, const struct ticket *t)
{
	char	 msg[300], details[64];

	snprintf(details, sizeof(details), "{\"assignee_id\": %lld}",
	    t->assignee_id);
	snprintf(msg, sizeof(msg), "Ticket #%lld \"%.200s\" has been assigned "
	    "to you", t->id, t->title);
	if (ticket_activity(req, t->id, "assigned", details) == -1 ||
	    db_notify_add(req->db, t->assignee_id, msg, NOTIFY_INFO,
	    t->id, req->now) == -1)
		return -1;
	return 0;
}

/* Copy the SLA of t's priority (hours, targets, calendar). */
int
ticket_copy_sla(struct request *req, struct ticket *t)
{
	struct sla_config	 cfg[PRIO__MAX];
	const struct sla_config	*c;

	if (db_sla_all(req->db, cfg) == -1)
		return -1;
	c = &cfg[t->priority];
	t->sla_hours = c->sla_hours;
	t->first_response_hours = c->first_response_hours;
	t->warn_percent = c->warn_percent;
	free(t->calendar);
	t->calendar = c->calendar;
	cfg[t->priority].calendar = NULL;	/* now t's */
	for (c = cfg; c < cfg + PRIO__MAX; c++)
		sla_config_clear((struct sla_config *)c);
	return 0;
}

int
audit_ticket(struct request *req, const char *action, long long id)
{
	return api_audit(req, strcmp(action, "Ticket Created") == 0 ? 201 : 200,
	    action, "Ticket", id, NULL);
}

/* 400 unless service_id names a service; 1 ok, 0 answered, -1. */
int
service_ok(struct request *req, struct response *resp, long long sid)
{
	int	 rc;

	if ((rc = db_service_lock(req->db, sid)) == -1)
		return -1;
	if (rc == 0) {
		resp_error(resp, 400, "service_id names no service");
		return 0;
	}
	return 1;
}

