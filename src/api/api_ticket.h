/*
 * What the ticket routes share (api_tickets.c: the ticket itself and
 * its lists; api_ticket_work.c: the work on it): the answer's shape,
 * the scope of /api/tickets/<id>, and writing a changed ticket with its
 * clock's marks, activity and notifications.
 */
#ifndef RO_API_TICKET_H
#define RO_API_TICKET_H

#include <stdbool.h>

#include "api/api.h"
#include "db/db_ticket.h"

#define TICKET_NOT_FOUND	"Ticket not found"

/*
 * /api/tickets/<id>: struct ticket in req->object.  Managers (and
 * admins) see every ticket; Technicians those assigned to or created
 * by them; everyone else those they created.  Another's is 403.
 */
extern const struct route_scope api_ticket_scope;

struct jsonw;

/*
 * The ticket as the SLA Guard client reads it (CONTRACT 5), at
 * req->now, written into w (util/jsonw): the lists write a page of
 * them without a json-c object each.
 */
void	 ticket_write(struct request *, const struct ticket *, struct jsonw *w);
/* t alone as the answer, with status.  status or -1. */
int	 ticket_send(struct request *, struct response *,
	    const struct ticket *t, int status);

/*
 * Recompute t's marks at req->now (from scratch when fresh, else
 * keeping those passed) from its clock as it now stands.  0, or -1
 * (a stored calendar that no longer parses, which is logged).
 */
int	 ticket_remark(struct request *, struct ticket *t, bool fresh);

/*
 * Whether uid may be assigned tickets (an active Technician or Senior
 * Technician): 1 yes, 0 no (400 answered with a message naming
 * field), -1.
 */
int	 ticket_assignee_ok(struct request *, struct response *, long long uid,
	    const char *field);

/*
 * Inside the open transaction: record an assignment of t (activity and
 * an INFO notification to the new assignee).  0 or -1.
 */
int	 ticket_assigned(struct request *, const struct ticket *t);

/*
 * Inside the open transaction: a line of activity by the caller; details
 * is JSON text or NULL.  0 or -1.
 */
int	 ticket_activity(struct request *, long long ticket_id,
	    const char *action, const char *details);

/* t's clock through a status change (pause, resume, stop, reopen). */
int	 ticket_move(struct request *, struct ticket *t, enum ticket_status to);
/* Copy the SLA of t's priority (hours, targets, calendar).  0 or -1. */
int	 ticket_copy_sla(struct request *, struct ticket *t);
/* 400 unless sid names a service (locked): 1 ok, 0 answered, -1. */
int	 service_ok(struct request *, struct response *, long long sid);
/* The audit entry of a ticket write.  0 or -1. */
int	 audit_ticket(struct request *, const char *action, long long id);

/* Reload the ticket (assignee name and all) and answer it with status. */
int	 ticket_answer(struct request *, struct response *, long long id,
	    int status);

#endif
