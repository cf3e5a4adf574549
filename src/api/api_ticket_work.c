/*
 * Work on a ticket, as the SLA Guard client's screens do it (CONTRACT
 * 5): the assignee accepts it and records progress (the first progress
 * note is the first response), a Manager reassigns or escalates it.
 * Parameters come in the query string, as that client sends them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_ticket.h"
#include "core/ticket.h"
#include "db/db.h"
#include "db/db_escalate.h"
#include "db/db_ticket.h"
#include "db/db_ticket_tally.h"
#include "http/dispatch.h"
#include "util/json.h"
#include "util/utf8.h"

#define ID_MAX		999999999999999999LL
#define NOTES_MAX	5000

/*
 * Lock the ticket of the path for a write (with assignee_only, by its
 * assignee alone).  1 with t filled (transaction open), 0 answered
 * (403/404, rolled back), -1.
 */
static int
lock_ticket(struct request *req, struct response *resp, struct ticket *t,
    bool assignee_only)
{
	struct db	*db = req->db;
	int		 rc;

	if (api_begin(req) == -1)
		return -1;
	if ((rc = db_ticket_get(db, req->params[0], req->who.uid, true, t,
	    NULL, NULL)) != 1) {
		db_rollback(db);
		if (rc == 0)
			resp_error(resp, 404, TICKET_NOT_FOUND);
		return rc;
	}
	if (assignee_only && t->assignee_id != req->who.uid) {
		db_rollback(db);
		ticket_clear(t);
		resp_error(resp, 403, "Only the ticket's assignee may do this");
		return 0;
	}
	return 1;
}

/* Write t with its new marks, a line of activity, the audit entry. */
static int
save(struct request *req, struct response *resp, struct ticket *t,
    const char *action, const char *details, const char *audit)
{
	long long	 id = t->id;
	int		 rc = -1;

	t->updated_at = req->now;
	if (ticket_remark(req, t, false) == 0 &&
	    db_ticket_update(req->db, t) == 0 &&
	    ticket_activity(req, id, action, details) == 0 &&
	    audit_ticket(req, audit, id) == 0 &&
	    db_ticket_tally_one(req->db, id) == 0 &&
	    db_commit(req->db) == 0)
		rc = 0;
	ticket_clear(t);
	return rc == 0 ? ticket_answer(req, resp, id, 200) : -1;
}

/* POST /api/tickets/<id>/accept: OPEN or ESCALATED becomes IN_PROGRESS. */
static int
ticket_accept(struct request *req, struct response *resp)
{
	struct ticket	 t;
	int		 rc;

	if ((rc = lock_ticket(req, resp, &t, true)) != 1)
		return rc == 0 ? resp->status : -1;
	if (t.status != TSTATUS_OPEN && t.status != TSTATUS_ESCALATED) {
		db_rollback(req->db);
		ticket_clear(&t);
		return resp_error(resp, 400, "Only an OPEN or ESCALATED ticket "
		    "can be accepted");
	}
	if (ticket_move(req, &t, TSTATUS_IN_PROGRESS) == -1) {
		ticket_clear(&t);
		return -1;
	}
	return save(req, resp, &t, "accepted", NULL, "Ticket Updated");
}

/* POST /api/tickets/<id>/update-progress?notes=: the assignee's note. */
static int
ticket_progress(struct request *req, struct response *resp)
{
	struct json_object	*d;
	struct ticket		 t;
	char			*notes;
	bool			 bad;
	int			 rc;

	notes = query_param(req->query, "notes", &bad);
	if (notes == NULL || *notes == '\0' || bad ||
	    !utf8_valid(notes, strlen(notes), NULL) ||
	    strlen(notes) > NOTES_MAX) {
		free(notes);
		return resp_error(resp, 400, "notes is required: up to %d bytes "
		    "of text", NOTES_MAX);
	}
	if ((rc = lock_ticket(req, resp, &t, true)) != 1) {
		free(notes);
		return rc == 0 ? resp->status : -1;
	}
	if (t.status == TSTATUS_RESOLVED) {
		db_rollback(req->db);
		ticket_clear(&t);
		free(notes);
		return resp_error(resp, 400, "The ticket is resolved");
	}
	/* The assignee's first public update meets the first-response target. */
	if (t.first_response_at == 0)
		t.first_response_at = req->now;
	d = json_object_new_object();
	json_object_object_add(d, "notes", json_object_new_string(notes));
	free(notes);
	rc = save(req, resp, &t, "progress", json_text(d, NULL),
	    "Ticket Updated");
	json_object_put(d);
	return rc;
}

/* POST /api/tickets/<id>/reassign?new_assignee_id=: Managers. */
static int
ticket_reassign(struct request *req, struct response *resp)
{
	struct ticket	 t;
	char		*s;
	bool		 bad;
	long long	 who = 0;
	int		 rc;

	s = query_param(req->query, "new_assignee_id", &bad);
	rc = s == NULL || valid_int_str(s, 1, ID_MAX, &who) == -1;
	free(s);
	if (rc)
		return resp_error(resp, 400, "new_assignee_id is required: a "
		    "user id");
	if ((rc = ticket_assignee_ok(req, resp, who, "new_assignee_id")) != 1)
		return rc == 0 ? resp->status : -1;
	if ((rc = lock_ticket(req, resp, &t, false)) != 1)
		return rc == 0 ? resp->status : -1;
	if (t.assignee_id == who) {
		db_rollback(req->db);
		ticket_clear(&t);
		return ticket_answer(req, resp, req->params[0], 200);
	}
	t.assignee_id = who;
	t.updated_at = req->now;
	if (ticket_assigned(req, &t) == -1) {
		ticket_clear(&t);
		return -1;
	}
	return save(req, resp, &t, "reassigned", NULL, "Ticket Updated");
}

/* POST /api/tickets/<id>/escalate: Managers; what resilops-sched does at 75 %. */
static int
ticket_escalate(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct escalated	*e = NULL;
	struct ticket		 t;
	size_t			 n;
	int			 rc;

	if ((rc = lock_ticket(req, resp, &t, false)) != 1)
		return rc == 0 ? resp->status : -1;
	if (t.status != TSTATUS_OPEN && t.status != TSTATUS_IN_PROGRESS) {
		db_rollback(db);
		ticket_clear(&t);
		return resp_error(resp, 400, "Only an OPEN or IN_PROGRESS ticket "
		    "can be escalated");
	}
	ticket_clear(&t);
	if (db_escalate(db, req->now, req->params[0], req->who.uid,
	    req->who.username, &e, &n) == -1)
		return -1;
	free(e);
	if (n != 1 || audit_ticket(req, "Ticket Escalated",
	    req->params[0]) == -1 ||
	    db_ticket_tally_one(db, req->params[0]) == -1 || db_commit(db) == -1)
		return -1;
	return ticket_answer(req, resp, req->params[0], 200);
}

const struct route api_ticket_work_routes[] = {
	{ HTTP_POST, "/api/tickets/<id>/accept", PERM_TICKETS_WORK,
	    ticket_accept, TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_POST, "/api/tickets/<id>/update-progress", PERM_TICKETS_WORK,
	    ticket_progress, TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_POST, "/api/tickets/<id>/reassign", PERM_TICKETS_ALL,
	    ticket_reassign, TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_POST, "/api/tickets/<id>/escalate", PERM_TICKETS_ALL,
	    ticket_escalate, TAKES_NONE, NULL, NULL, NULL },
};
const size_t api_ticket_work_nroutes =
    sizeof(api_ticket_work_routes) / sizeof(api_ticket_work_routes[0]);
