/*
 * /api/tickets: create, read, update, resolve and delete tickets with
 * SLA clocks (CONTRACT 5 and 9, "Tickets"), and their activity.  The
 * lists are in api_ticket_lists.c, the work on a ticket (accept,
 * progress, reassign, escalate) in api_ticket_work.c.
 */
#include "config.h"

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
#include "db/db_ticket_tally.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "util/jsonw.h"
#include "util/log.h"

#define ID_MAX			999999999999999999LL
#define CHANGED_HEAD		"{\"fields\": ["	/* the activity's details */
#define TITLE_MAX		200
#define TEXT_MAX		10000
#define PRIORITY_BADMSG	"Invalid priority: must be one of LOW, MEDIUM, HIGH, CRITICAL"
#define STATUS_BADMSG_T	"Invalid status: must be one of OPEN, IN_PROGRESS, " \
	"WAITING_ON_CUSTOMER, RESOLVED"

enum { TF_TITLE, TF_CUSTOMER, TF_DESCRIPTION, TF_PRIORITY, TF_ASSIGNEE,
    TF_ASSIGNEE_ALIAS, TF_SERVICE, TF_STATUS, TF__MAX };

/*
 * The body of a ticket: creation requires the title, updates take the
 * same fields, all optional.
 */
#define TICKET_FIELDS(title_flags, title_msg) { \
	[TF_TITLE] = { "title", V_STRING, (title_flags), 1, TITLE_MAX, NULL, \
	    (title_msg), "Title must be at most 200 characters" }, \
	[TF_CUSTOMER] = { "customer", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, \
	    0, TITLE_MAX, NULL, NULL, NULL }, \
	[TF_DESCRIPTION] = { "description", V_STRING, \
	    VF_NULLABLE | VF_EMPTY_NULL, 0, TEXT_MAX, NULL, NULL, NULL }, \
	[TF_PRIORITY] = { "priority", V_ENUM, 0, 0, 0, ticket_priority_choices, \
	    NULL, PRIORITY_BADMSG }, \
	[TF_ASSIGNEE] = { "assignee_id", V_INT, VF_NULLABLE | VF_EMPTY_NULL, \
	    1, ID_MAX, NULL, NULL, NULL }, \
	[TF_ASSIGNEE_ALIAS] = { "assignee", V_INT, \
	    VF_NULLABLE | VF_EMPTY_NULL, 1, ID_MAX, NULL, NULL, NULL }, \
	[TF_SERVICE] = { "service_id", V_INT, VF_NULLABLE | VF_EMPTY_NULL, 1, \
	    ID_MAX, NULL, NULL, NULL }, \
	[TF_STATUS] = { "status", V_ENUM, 0, 0, 0, ticket_status_choices, NULL, \
	    STATUS_BADMSG_T }, \
}

static const struct vfield create_fields[TF__MAX] =
    TICKET_FIELDS(VF_REQUIRED, "Title is required");
static const struct vtable create_body = VTABLE(create_fields);
static const struct vfield update_fields[TF__MAX] =
    TICKET_FIELDS(0, "Title is required");
static const struct vtable update_body = VTABLE(update_fields);

/* ---- create ---- */

static long long
assignee_of(const struct vvalue *v)
{
	const struct vvalue	*a = v[TF_ASSIGNEE].present ? &v[TF_ASSIGNEE] :
	    &v[TF_ASSIGNEE_ALIAS];

	return a->present && !a->null ? a->i : 0;
}

/*
 * Create from validated fields; customer (may be NULL) overrides the
 * body's (POST /api/users/tickets names the caller).  Answers 201.
 */
static int
ticket_create(struct request *req, struct response *resp,
    const struct vvalue *v, const char *customer)
{
	struct db	*db = req->db;
	struct ticket	 t;
	int		 rc = -1;

	memset(&t, 0, sizeof(t));
	t.priority = v[TF_PRIORITY].present ?
	    (enum ticket_priority)v[TF_PRIORITY].i : PRIO_MEDIUM;
	t.status = TSTATUS_OPEN;
	t.assignee_id = assignee_of(v);
	t.service_id = v[TF_SERVICE].present && !v[TF_SERVICE].null ?
	    v[TF_SERVICE].i : 0;
	t.created_by = req->who.uid;
	t.created_at = t.updated_at = req->now;
	if ((t.title = strdup(v[TF_TITLE].s)) == NULL ||
	    (customer != NULL ? (t.customer = strdup(customer)) == NULL :
	    (v[TF_CUSTOMER].present && !v[TF_CUSTOMER].null &&
	    (t.customer = strdup(v[TF_CUSTOMER].s)) == NULL)) ||
	    (v[TF_DESCRIPTION].present && !v[TF_DESCRIPTION].null &&
	    (t.description = strdup(v[TF_DESCRIPTION].s)) == NULL))
		goto out;
	if (t.assignee_id != 0 &&
	    (rc = ticket_assignee_ok(req, resp, t.assignee_id,
	    "assignee_id")) != 1)
		goto out;
	rc = -1;
	if (ticket_copy_sla(req, &t) == -1 || ticket_remark(req, &t, true) == -1 ||
	    api_begin(req) == -1)
		goto out;
	if (t.service_id != 0 && (rc = service_ok(req, resp, t.service_id)) != 1)
		goto out;
	rc = -1;
	if (db_ticket_insert(db, &t) == -1 ||
	    ticket_activity(req, t.id, "created", NULL) == -1 ||
	    (t.assignee_id != 0 && ticket_assigned(req, &t) == -1) ||
	    audit_ticket(req, "Ticket Created", t.id) == -1 ||
	    db_ticket_tally_one(db, t.id) == -1 || db_commit(db) == -1)
		goto out;
	rc = ticket_answer(req, resp, t.id, 201);
out:
	ticket_clear(&t);
	return rc;
}

static int
tickets_create(struct request *req, struct response *resp)
{
	struct vvalue	 v[TF__MAX];

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (v[TF_STATUS].present)
		return resp_error(resp, 400, "A new ticket is OPEN: leave "
		    "status out");
	return ticket_create(req, resp, v, NULL);
}

/* POST /api/users/tickets: {title, description, priority}, the caller's. */
static int
user_ticket_create(struct request *req, struct response *resp)
{
	struct vvalue	 v[TF__MAX];
	struct user	 u;
	int		 rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	memset(&u, 0, sizeof(u));
	if ((rc = db_user_by_id(req->db, req->who.uid, &u)) != 1)
		return -1;
	memset(&v[TF_ASSIGNEE], 0, sizeof(v[TF_ASSIGNEE]));
	memset(&v[TF_ASSIGNEE_ALIAS], 0, sizeof(v[TF_ASSIGNEE_ALIAS]));
	rc = ticket_create(req, resp, v, u.name ? u.name : u.username);
	user_clear(&u);
	return rc;
}

/* ---- read, update, resolve, delete ---- */

static int
tickets_get(struct request *req, struct response *resp)
{
	return ticket_send(req, resp, req->object, 200);
}

/* The JSON list of the changed fields, for the activity line. */
static void
changed_add(char *buf, size_t bufsz, const char *name)
{
	size_t	 len = strlen(buf);

	snprintf(buf + len, bufsz - len, "%s\"%s\"",
	    len > strlen(CHANGED_HEAD) ? ", " : "", name);
}

/* Apply the text fields; names of what changed go to changed. */
static int
apply_texts(struct ticket *t, const struct vvalue *v, char *changed,
    size_t csz)
{
	static const struct { int f; size_t off; } texts[] = {
		{ TF_TITLE, offsetof(struct ticket, title) },
		{ TF_CUSTOMER, offsetof(struct ticket, customer) },
		{ TF_DESCRIPTION, offsetof(struct ticket, description) },
	};
	size_t	 i;
	char	**p, *s;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!v[texts[i].f].present)
			continue;
		p = (char **)((char *)t + texts[i].off);
		s = v[texts[i].f].null ? NULL : (char *)v[texts[i].f].s;
		if ((*p == NULL && s == NULL) ||
		    (*p != NULL && s != NULL && strcmp(*p, s) == 0))
			continue;
		free(*p);
		*p = NULL;
		if (s != NULL && (*p = strdup(s)) == NULL)
			return -1;
		changed_add(changed, csz, update_fields[texts[i].f].name);
	}
	return 0;
}

/*
 * Status, priority, assignee and service of an update, checked and
 * applied to t (locked, in the transaction).  0, -1, or the status
 * answered.
 */
static int
apply_update(struct request *req, struct response *resp, struct ticket *t,
    const struct vvalue *v, char *changed, size_t csz, bool *reassigned)
{
	long long	 who = assignee_of(v);
	bool		 assign = v[TF_ASSIGNEE].present ||
	    v[TF_ASSIGNEE_ALIAS].present;
	int		 rc, st;

	*reassigned = false;
	if (v[TF_STATUS].present && (st = (int)v[TF_STATUS].i) != (int)t->status) {
		if (st == TSTATUS_ESCALATED)
			return resp_error(resp, 400, "Escalate with POST "
			    "/api/tickets/<id>/escalate");
		if (ticket_move(req, t, (enum ticket_status)st) == -1)
			return -1;
		changed_add(changed, csz, "status");
	}
	if (v[TF_PRIORITY].present && (int)v[TF_PRIORITY].i != (int)t->priority) {
		t->priority = (enum ticket_priority)v[TF_PRIORITY].i;
		if (ticket_copy_sla(req, t) == -1)
			return -1;
		changed_add(changed, csz, "priority");
	}
	if (assign && who != t->assignee_id) {
		if (!request_may(req, PERM_TICKETS_ALL))
			return resp_error(resp, 403, "Forbidden");
		if (who != 0 && (rc = ticket_assignee_ok(req, resp, who,
		    "assignee_id")) != 1)
			return rc == 0 ? resp->status : -1;
		t->assignee_id = who;
		*reassigned = who != 0;
		changed_add(changed, csz, "assignee_id");
	}
	if (v[TF_SERVICE].present) {
		long long	 sid = v[TF_SERVICE].null ? 0 : v[TF_SERVICE].i;

		if (sid != t->service_id) {
			if (sid != 0 && (rc = service_ok(req, resp, sid)) != 1)
				return rc == 0 ? resp->status : -1;
			t->service_id = sid;
			changed_add(changed, csz, "service_id");
		}
	}
	return 0;
}

static int
tickets_update(struct request *req, struct response *resp)
{
	struct db	*db = req->db;
	struct vvalue	 v[TF__MAX];
	struct ticket	 t;
	char		 changed[256] = CHANGED_HEAD;
	bool		 reassigned, fresh;
	long long	 id = req->params[0];
	int		 rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (api_begin(req) == -1)
		return -1;
	if ((rc = db_ticket_get(db, id, req->who.uid, true, &t, NULL,
	    NULL)) != 1) {
		db_rollback(db);
		return rc == 0 ? resp_error(resp, 404, TICKET_NOT_FOUND) : -1;
	}
	fresh = v[TF_PRIORITY].present && (int)v[TF_PRIORITY].i != (int)t.priority;
	if ((rc = apply_update(req, resp, &t, v, changed, sizeof(changed),
	    &reassigned)) != 0 ||
	    (rc = apply_texts(&t, v, changed, sizeof(changed))) != 0)
		goto out;
	rc = -1;
	if (strlen(changed) == strlen(CHANGED_HEAD)) {	/* nothing changed */
		db_rollback(db);
		ticket_clear(&t);
		return ticket_answer(req, resp, id, 200);
	}
	strncat(changed, "]}", sizeof(changed) - strlen(changed) - 1);
	t.updated_at = req->now;
	if (ticket_remark(req, &t, fresh) == -1 ||
	    db_ticket_update(db, &t) == -1 ||
	    ticket_activity(req, id, "updated", changed) == -1 ||
	    (reassigned && ticket_assigned(req, &t) == -1) ||
	    audit_ticket(req, t.status == TSTATUS_RESOLVED && strstr(changed,
	    "\"status\"") ? "Ticket Resolved" : "Ticket Updated", id) == -1 ||
	    db_ticket_tally_one(db, id) == -1 || db_commit(db) == -1)
		goto out;
	ticket_clear(&t);
	return ticket_answer(req, resp, id, 200);
out:
	if (rc != -1)
		db_rollback(db);
	ticket_clear(&t);
	return rc;
}

static int
tickets_resolve(struct request *req, struct response *resp)
{
	struct db	*db = req->db;
	struct ticket	 t;
	long long	 id = req->params[0];
	int		 rc;

	if (api_begin(req) == -1)
		return -1;
	if ((rc = db_ticket_get(db, id, req->who.uid, true, &t, NULL,
	    NULL)) != 1) {
		db_rollback(db);
		return rc == 0 ? resp_error(resp, 404, TICKET_NOT_FOUND) : -1;
	}
	if (t.status == TSTATUS_RESOLVED) {	/* already: nothing to write */
		db_rollback(db);
		ticket_clear(&t);
		return ticket_answer(req, resp, id, 200);
	}
	rc = -1;
	t.updated_at = req->now;
	if (ticket_move(req, &t, TSTATUS_RESOLVED) == -1 ||
	    ticket_remark(req, &t, false) == -1 ||
	    db_ticket_update(db, &t) == -1 ||
	    ticket_activity(req, id, "resolved", NULL) == -1 ||
	    audit_ticket(req, "Ticket Resolved", id) == -1 ||
	    db_ticket_tally_one(db, id) == -1 || db_commit(db) == -1) {
		ticket_clear(&t);
		return -1;
	}
	ticket_clear(&t);
	return ticket_answer(req, resp, id, 200);
}

static int
tickets_delete(struct request *req, struct response *resp)
{
	struct db	*db = req->db;
	int		 rc;

	if (api_begin(req) == -1 || (rc = db_ticket_delete(db,
	    req->params[0])) == -1)
		return -1;
	if (rc == 0) {
		db_rollback(db);
		return resp_error(resp, 404, TICKET_NOT_FOUND);
	}
	if (audit_ticket(req, "Ticket Deleted", req->params[0]) == -1 ||
	    db_ticket_tally_one(db, req->params[0]) == -1 ||
	    db_commit(db) == -1)
		return -1;
	return resp_message(resp, 200, "Ticket deleted");
}

/* ---- activity ---- */

static int
activity_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct ticket_activity	*v;

	(void)resp;
	if (db_ticket_activity_list(req->db, req->params[0],
	    page_offset(pg), pg->per_page, &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

/*
 * An activity entry written straight into the page's text (util/jsonw:
 * json-c's text byte for byte).  Its stored details are read as json-c
 * reads them (none, or text that is not JSON: null) and their text is
 * copied in.
 */
static void
activity_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct ticket_activity	*a = item;
	struct json_object		*d;

	(void)req;
	jsonw_object(w);
	jsonw_key_int(w, "id", a->id);
	jsonw_key_int(w, "ticket_id", a->ticket_id);
	jsonw_key_string(w, "action", a->action);
	jsonw_key_id(w, "user_id", a->user_id);
	jsonw_key_string(w, "username", a->username);
	jsonw_key(w, "details");
	d = a->details != NULL ? json_tokener_parse(a->details) : NULL;
	api_write_tree(w, d);
	json_object_put(d);
	jsonw_key_time(w, "created_at", a->created_at);
	jsonw_object_end(w);
}

static void
activity_clear(void *a)
{
	ticket_activity_clear(a);
}

static const struct api_list activity_list = {
	.size = sizeof(struct ticket_activity),
	.fetch = activity_fetch,
	.clear = activity_clear,
	.write = activity_write,
};

const struct route api_tickets_routes[] = {
	{ HTTP_POST, "/api/tickets", PERM_AUTH, tickets_create, 0, NULL, NULL,
	    &create_body },
	{ HTTP_GET, "/api/tickets/<id>", PERM_AUTH, tickets_get, TAKES_NONE,
	    &api_ticket_scope, NULL, NULL },
	{ HTTP_PUT, "/api/tickets/<id>", PERM_AUTH, tickets_update, 0,
	    &api_ticket_scope, NULL, &update_body },
	{ HTTP_POST, "/api/tickets/<id>/resolve", PERM_AUTH, tickets_resolve,
	    TAKES_NONE, &api_ticket_scope, NULL, NULL },
	{ HTTP_DELETE, "/api/tickets/<id>", PERM_TICKETS_ALL, tickets_delete,
	    TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_GET, "/api/tickets/<id>/activity", PERM_AUTH, api_list_route,
	    TAKES_NONE, &api_ticket_scope, &activity_list, NULL },
	{ HTTP_POST, "/api/users/tickets", PERM_AUTH, user_ticket_create, 0,
	    NULL, NULL, &create_body },
};
const size_t api_tickets_nroutes =
    sizeof(api_tickets_routes) / sizeof(api_tickets_routes[0]);
