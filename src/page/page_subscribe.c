/*
 * Subscribing from the status page (CONTRACT 7): a form (its own page,
 * so /status stays the same for everyone and cacheable), its post
 * through the API's POST /api/subscribers, and the two links of the
 * messages: confirm (once, within 24 hours) and unsubscribe (once: the
 * subscriber and everything queued for it go).  The form's CSRF token
 * is a double-submit cookie, as on the console's login form.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/subscriber.h"
#include "db/db.h"
#include "db/db_pages.h"
#include "db/db_subscriber.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "http/response.h"
#include "http/route.h"
#include "page/console.h"
#include "page/page.h"
#include "page/page_routes.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/json.h"

#define PAGE		(TAKES_NONE | ANSWERS_HTML)
#define CSRF_COOKIE	"resilops_csrf"
#define CSRF_LEN	32
#define BAD_LINK	"This link is not valid (it may have been used " \
	"already): subscribe again from the status page"

/* A page that says one thing: "title" and "message". */
static int
message(struct request *req, struct response *resp, int status,
    const char *title, const char *text)
{
	struct json_object	*o = page_base(req->app->cfg, title, req->now, 1);

	if (json_add_string(o, "heading", title) != 0 ||
	    json_add_string(o, "message", text) != 0) {
		json_object_put(o);
		return -1;
	}
	return page_send(req, resp, status, "status_message", o);
}

/*
 * The public services, by name, for the form's check boxes (none when
 * they cannot be read); NULL out of memory.
 */
static struct json_object *
services_json(struct request *req)
{
	struct json_object	*arr, *o;
	struct service		*v;
	size_t			 n, i;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	if (db_pages_services(req->db, 0, req->now, &v, &n) == -1)
		return arr;
	for (i = 0; i < n; i++) {
		if (v[i].public) {
			o = json_object_new_object();
			bad |= json_add(o, "id", json_object_new_int64(v[i].id));
			bad |= json_add_string(o, "name", v[i].name);
			bad |= json_push(arr, o);
		}
		service_clear(&v[i]);
	}
	free(v);
	return json_done(arr, bad);
}

static int
subscribe_page(struct request *req, struct response *resp)
{
	struct json_object	*o;
	char			 token[CSRF_LEN + 1];

	if (crypto_random_base62(token, CSRF_LEN) == -1)
		return -1;
	resp_header(resp, "Set-Cookie", "%s=%s; Path=/status/subscribe; "
	    "Max-Age=3600; HttpOnly; SameSite=Strict%s", CSRF_COOKIE, token,
	    req->https ? "; Secure" : "");
	if ((o = page_base(req->app->cfg, "Subscribe", req->now, 1)) == NULL)
		return -1;
	if (json_add_string(o, "csrf", token) != 0 ||
	    json_add(o, "services", services_json(req)) != 0) {
		json_object_put(o);
		return -1;
	}
	return page_send(req, resp, 200, "status_subscribe", o);
}

/* The form as the API's body: email or webhook_url, and service_ids. */
static struct json_object *
form_body(const struct request *req)
{
	static const char *const names[] = { "email", "webhook_url", NULL };
	struct json_object	*body = console_fields(req, names);

	return json_done(body, json_add(body, "service_ids",
	    console_form_ids(req, "service_ids")));
}

static int
subscribe_post(struct request *req, struct response *resp)
{
	struct json_object	*out = NULL, *m, *body;
	const char		*text = "Something went wrong; try again later";
	int			 st;

	if ((body = form_body(req)) == NULL)
		return -1;
	st = console_api(req, HTTP_POST, body, &out, NULL, "/api/subscribers");
	if (st == -1) {
		json_object_put(out);
		return -1;
	}
	if (out != NULL && (json_object_object_get_ex(out, "message", &m) ||
	    json_object_object_get_ex(out, "error", &m)))
		text = json_object_get_string(m);
	st = message(req, resp, st, st < 300 ? "Subscribed" :
	    "Not subscribed", text);
	json_object_put(out);
	return st;
}

/*
 * The subscriber the query's token names for purpose, locked: 1 (s
 * filled), 0 (no such link), -1.
 */
static int
link_subscriber(struct request *req, const char *purpose,
    struct subscriber *s)
{
	char	*token;
	bool	 bad;
	int	 rc;

	memset(s, 0, sizeof(*s));
	if ((token = query_param(req->query, "token", &bad)) == NULL)
		return 0;
	rc = db_begin(req->db);
	if (rc == 0)
		rc = db_subscriber_get(req->db,
		    subscriber_token_id(token), s);
	if (rc == 1 && !subscriber_token_ok(req->app->cred_secret, purpose,
	    s->id, s->salt, token)) {
		subscriber_clear(s);
		rc = 0;
	}
	free(token);
	return rc;
}

static int
confirm_page(struct request *req, struct response *resp)
{
	struct subscriber	 s;
	int			 rc;

	if ((rc = link_subscriber(req, SUB_CONFIRM, &s)) != 1)
		return rc == -1 ? -1 : message(req, resp, 404,
		    "Link not valid", BAD_LINK);
	if (s.confirmed_at != 0 || s.confirm_expires <= req->now) {
		rc = message(req, resp, 410, "Link not valid",
		    s.confirmed_at != 0 ? "This subscription is confirmed "
		    "already." : "This link has expired: subscribe again "
		    "from the status page");
		goto out;
	}
	if (db_subscriber_confirm(req->db, s.id, req->now) == -1 ||
	    db_commit(req->db) == -1) {
		rc = -1;
		goto out;
	}
	rc = message(req, resp, 200, "Subscription confirmed",
	    "You will get an email when an incident opens or changes and "
	    "when planned maintenance starts and ends.");
out:
	subscriber_clear(&s);
	return rc;
}

static int
unsubscribe_page(struct request *req, struct response *resp)
{
	struct subscriber	 s;
	int			 rc;

	if ((rc = link_subscriber(req, SUB_UNSUBSCRIBE, &s)) != 1)
		return rc == -1 ? -1 : message(req, resp, 404,
		    "Link not valid", BAD_LINK);
	/* The address goes with the row: nothing of it is kept. */
	if (db_subscriber_delete(req->db, s.id) == -1 ||
	    db_commit(req->db) == -1)
		rc = -1;
	else
		rc = message(req, resp, 200, "Unsubscribed",
		    "You will get no more messages, and your address is "
		    "deleted.");
	subscriber_clear(&s);
	return rc;
}

const struct route page_subscribe_routes[] = {
	{ HTTP_GET, "/status/subscribe", PERM_PUBLIC, subscribe_page, PAGE,
	    NULL, NULL, NULL },
	{ HTTP_POST, "/status/subscribe", PERM_PUBLIC, subscribe_post,
	    TAKES_FORM | ANSWERS_HTML, NULL, NULL, NULL },
	{ HTTP_GET, "/status/confirm", PERM_PUBLIC, confirm_page, PAGE, NULL,
	    NULL, NULL },
	{ HTTP_GET, "/status/unsubscribe", PERM_PUBLIC, unsubscribe_page, PAGE,
	    NULL, NULL, NULL },
};
const size_t page_subscribe_nroutes =
    sizeof(page_subscribe_routes) / sizeof(page_subscribe_routes[0]);
