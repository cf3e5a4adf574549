/*
 * /api/notifications: the caller's own (CONTRACT 5): the list
 * (?unread=true, or the SLA Guard client's ?unread_only=true), marking
 * one read (another's is 403) and marking all read.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <strings.h>

#include "api/api.h"
#include "core/ticket.h"
#include "db/db.h"
#include "db/db_notify.h"
#include "http/dispatch.h"
#include "util/jsonw.h"

/* ?unread= or ?unread_only=: true/false in any case; 400 otherwise. */
static int
unread_filter(struct request *req, struct response *resp, bool *only)
{
	static const char *const names[] = { "unread", "unread_only" };
	char	*s;
	bool	 bad;
	size_t	 i;

	*only = false;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((s = query_param(req->query, names[i], &bad)) == NULL &&
		    !bad)
			continue;
		if (s != NULL && strcasecmp(s, "true") == 0)
			*only = true;
		else if (s == NULL || strcasecmp(s, "false") != 0) {
			free(s);
			return resp_error(resp, 400, "%s must be true or false",
			    names[i]);
		}
		free(s);
	}
	return 0;
}

static int
notifications_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct notification	*v;
	bool			 only;

	if (unread_filter(req, resp, &only) != 0)
		return resp->status;
	if (db_notify_list(req->db, req->who.uid, only, page_offset(pg),
	    pg->per_page, &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

/* An item of the list, written straight (util/jsonw): the hot list. */
static void
notification_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct notification	*n = item;

	(void)req;
	jsonw_object(w);
	jsonw_key(w, "id");
	jsonw_int(w, n->id);
	jsonw_key(w, "user_id");
	jsonw_int(w, n->user_id);
	jsonw_key(w, "message");
	jsonw_string(w, n->message);
	jsonw_key(w, "type");
	jsonw_string(w, notify_type_name(n->type));
	jsonw_key(w, "read");
	jsonw_bool(w, n->read);
	jsonw_key(w, "created_at");
	jsonw_time(w, n->created_at);
	jsonw_key(w, "ticket_id");
	if (n->ticket_id != 0)
		jsonw_int(w, n->ticket_id);
	else
		jsonw_null(w);
	jsonw_object_end(w);
}

static void
notification_clear_v(void *n)
{
	notification_clear(n);
}

static const struct api_list notifications_list = {
	.size = sizeof(struct notification),
	.fetch = notifications_fetch,
	.clear = notification_clear_v,
	.write = notification_write,
};

/* A notification is its owner's: found, forbidden or not found. */
static int
notification_load(struct request *req, long long id, void **obj)
{
	long long	 owner;
	int		 rc;

	(void)obj;
	if ((rc = db_notify_owner(req->db, id, &owner)) != 1)
		return rc == 0 ? SCOPE_NOT_FOUND : -1;
	return owner == req->who.uid ? SCOPE_FOUND : SCOPE_FORBIDDEN;
}

static void
notification_release(void *p)
{
	(void)p;
}

static const struct route_scope notification_scope = {
	notification_load, notification_release, "Notification not found",
};

static int
notifications_ack(struct request *req, struct response *resp)
{
	if (db_notify_ack(req->db, req->params[0]) == -1)
		return -1;
	return resp_message(resp, 200, "Notification marked as read");
}

static int
notifications_ack_all(struct request *req, struct response *resp)
{
	struct json_object	*o;
	long long		 n;

	if ((n = db_notify_ack_all(req->db, req->who.uid)) < 0)
		return -1;
	o = json_object_new_object();
	json_object_object_add(o, "message",
	    json_object_new_string("All notifications marked as read"));
	json_object_object_add(o, "acknowledged", json_object_new_int64(n));
	return resp_json(resp, 200, o);
}

const struct route api_notifications_routes[] = {
	{ HTTP_GET, "/api/notifications", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &notifications_list, NULL },
	{ HTTP_POST, "/api/notifications/<id>/acknowledge", PERM_AUTH,
	    notifications_ack, TAKES_NONE, &notification_scope, NULL, NULL },
	{ HTTP_POST, "/api/notifications/acknowledge-all", PERM_AUTH,
	    notifications_ack_all, TAKES_NONE, NULL, NULL, NULL },
};
const size_t api_notifications_nroutes =
    sizeof(api_notifications_routes) / sizeof(api_notifications_routes[0]);
