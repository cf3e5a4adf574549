/*
 * /api/subscribers (CONTRACT 7): anyone may subscribe to the status
 * page's news by email (confirmed by a link, double opt-in) or by
 * webhook (https only; a Slack incoming webhook gets Slack's format);
 * admins list them.  Throttled per client address.  The address is
 * personal data: sealed in the row, never in an audit entry (the entry
 * keeps no body), and the answer is the same whether it was new, so
 * the form tells nobody who else subscribed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/netcheck.h"
#include "core/subscriber.h"
#include "db/db.h"
#include "db/db_subscriber.h"
#include "http/dispatch.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/jsonw.h"
#include "util/keyring.h"

#define ID_MAX		999999999999999999LL
#define THROTTLE_SUBSCRIBE	"subscribe"
#define MSG_CHECK_EMAIL	"Check your email to confirm your subscription"
#define MSG_WEBHOOK	"Subscribed: the webhook gets every update"
#define MSG_THROTTLED	"Too many subscriptions from this address. " \
	"Try again later."
#define SLACK_HOST	"hooks.slack.com"

enum { SB_EMAIL, SB_WEBHOOK, SB_SERVICES, SB__MAX };

static const struct vfield fields[SB__MAX] = {
	[SB_EMAIL] = { "email", V_STRING, VF_BYTES, 1, SUBSCRIBER_EMAIL_MAX,
	    NULL, NULL, "Invalid email address" },
	[SB_WEBHOOK] = { "webhook_url", V_STRING, VF_BYTES, 1, 2048, NULL,
	    NULL, "webhook_url must be an https URL" },
	[SB_SERVICES] = { "service_ids", V_INT_ARRAY, VF_NULLABLE, 1, ID_MAX,
	    NULL, NULL, NULL },
};
static const struct vtable body = VTABLE(fields);

/*
 * What the request asks for: its kind and address (borrowed from the
 * body), else the 400 answered (returned).
 */
static int
read_address(struct request *req, struct response *resp,
    const struct vvalue *v, enum subscriber_kind *kind, const char **addr)
{
	struct netcheck_url	 u;

	if (v[SB_EMAIL].present == v[SB_WEBHOOK].present)
		return resp_error(resp, 400,
		    "Give either email or webhook_url");
	if (v[SB_EMAIL].present) {
		if (!subscriber_email_ok(v[SB_EMAIL].s))
			return resp_error(resp, 400, "Invalid email address");
		*kind = SUB_EMAIL;
		*addr = v[SB_EMAIL].s;
		return 0;
	}
	/*
	 * https: the receiver is a stranger's.  Plain http only to a host
	 * the operator listed for integrations ([delivery] http_hosts).
	 */
	if (netcheck_url_parse(v[SB_WEBHOOK].s,
	    req->app->cfg->delivery.http_hosts, &u) != NETCHECK_URL_OK)
		return resp_error(resp, 400, "webhook_url must be an https URL");
	*kind = strcmp(u.host, SLACK_HOST) == 0 ? SUB_SLACK : SUB_WEBHOOK;
	*addr = v[SB_WEBHOOK].s;
	return 0;
}

/* The HMAC that finds an address again: of "address:" + lower case. */
static int
address_hmac(const struct request *req, const char *addr,
    unsigned char out[32])
{
	char	*msg;
	size_t	 len = strlen(addr);
	int	 rc;

	if ((msg = malloc(len + 9)) == NULL)
		return -1;
	memcpy(msg, "address:", 8);
	subscriber_email_fold(addr, msg + 8);
	rc = crypto_hmac_sha256(req->app->cred_secret, 32, msg, len + 8, out);
	crypto_wipe(msg, len + 8);
	free(msg);
	return rc;
}

/* A fresh salt: every older link of the subscriber stops working. */
static int
new_salt(struct subscriber *s)
{
	unsigned char	 r[SUBSCRIBER_SALT_LEN / 2];

	if (crypto_random(r, sizeof(r)) == -1)
		return -1;
	crypto_hex(r, sizeof(r), s->salt);
	return 0;
}

/*
 * Store s (new or found) with addr sealed under its id, its services,
 * and for an email a confirmation to send (its key names the salt, so
 * a new request sends a new one).  Inside the transaction.
 */
static int
store(struct request *req, struct subscriber *s, const char *addr,
    const unsigned char hmac[32], bool found)
{
	char	 where[64], key[64];

	if (!found && db_subscriber_insert(req->db, s, hmac) == -1)
		return -1;
	snprintf(where, sizeof(where), "subscriber:%lld:address", s->id);
	free(s->address_sealed);
	if ((s->address_sealed = keyring_seal(&req->app->keys, where, addr,
	    strlen(addr))) == NULL ||
	    db_subscriber_save(req->db, s) == -1 ||
	    db_subscriber_services(req->db, s) == -1)
		return -1;
	if (s->kind != SUB_EMAIL || s->confirmed_at != 0)
		return 0;
	snprintf(key, sizeof(key), "confirm:%.16s", s->salt);
	return db_subscriber_queue(req->db, s->id, key,
	    "{\"event\":\"confirm\"}", req->now);
}

static int
subscribers_create(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[SB__MAX];
	struct subscriber	 s, old;
	enum subscriber_kind	 kind = SUB_EMAIL;
	unsigned char		 hmac[32];
	const char		*addr = NULL;
	char			 buf[512];
	int			 rc, found;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if ((rc = read_address(req, resp, v, &kind, &addr)) != 0)
		return rc;
	memset(&s, 0, sizeof(s));
	memset(&old, 0, sizeof(old));
	rc = -1;
	/* No service named: all of them. */
	if (api_int_array(&v[SB_SERVICES], &s.service_ids, &s.nservices) == -1)
		goto out;
	s.all_services = s.nservices == 0;
	if ((rc = api_throttle_addr(req, resp, THROTTLE_SUBSCRIBE,
	    MSG_THROTTLED)) != 0)
		goto out;
	rc = -1;
	if (address_hmac(req, addr, hmac) == -1 || new_salt(&s) == -1 ||
	    api_begin(req) == -1)
		goto out;
	if ((rc = db_subscriber_not_public(db, s.service_ids, s.nservices,
	    buf, sizeof(buf))) != 0) {
		rc = rc < 0 ? -1 : resp_error(resp, 400,
		    "Unknown or not public service IDs: %s", buf);
		goto out;
	}
	if ((found = db_subscriber_find(db, hmac, &old)) == -1)
		goto out;
	s.id = old.id;
	s.kind = kind;
	s.created_at = found ? old.created_at : req->now;
	/* A webhook is confirmed by the https check; an email by its link. */
	s.confirmed_at = kind != SUB_EMAIL ? req->now : old.confirmed_at;
	s.confirm_expires = s.confirmed_at != 0 ? 0 :
	    req->now + SUBSCRIBER_CONFIRM_TTL;
	rc = -1;
	if (store(req, &s, addr, hmac, found == 1) == -1 ||
	    api_audit_as(req, kind == SUB_EMAIL ? 202 : 201, 0, NULL,
	    found ? "Subscriber Updated" : "Subscriber Added", "Subscriber",
	    s.id) == -1 || db_commit(db) == -1)
		goto out;
	rc = kind == SUB_EMAIL ? resp_message(resp, 202, MSG_CHECK_EMAIL) :
	    resp_message(resp, 201, MSG_WEBHOOK);
out:
	subscriber_clear(&s);
	subscriber_clear(&old);
	return rc;
}

static int
subscribers_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct subscriber	*v;

	(void)resp;
	if (db_subscriber_page(req->db, page_offset(pg), pg->per_page,
	    &v, &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

/*
 * For an admin: the address opened (null when it does not open),
 * written straight (util/jsonw): no json-c tree for a page.
 */
static void
subscriber_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct subscriber	*s = item;
	char			 where[64];
	unsigned char		*addr = NULL;
	size_t			 len = 0, i;

	snprintf(where, sizeof(where), "subscriber:%lld:address", s->id);
	if (s->address_sealed != NULL && keyring_open(&req->app->keys, where,
	    s->address_sealed, &addr, &len) == -1)
		addr = NULL;
	jsonw_object(w);
	jsonw_key(w, "id");
	jsonw_int(w, s->id);
	jsonw_key(w, "kind");
	jsonw_string(w, subscriber_kind_name(s->kind));
	jsonw_key(w, "address");
	jsonw_string(w, (const char *)addr);
	if (addr != NULL) {
		crypto_wipe(addr, len);
		free(addr);
	}
	jsonw_key(w, "confirmed");
	jsonw_bool(w, s->confirmed_at != 0);
	jsonw_key(w, "confirmed_at");
	jsonw_time(w, s->confirmed_at);
	jsonw_key(w, "service_ids");
	if (s->all_services)
		jsonw_null(w);
	else {
		jsonw_array(w);
		for (i = 0; i < s->nservices; i++)
			jsonw_int(w, s->service_ids[i]);
		jsonw_array_end(w);
	}
	jsonw_key(w, "created_at");
	jsonw_time(w, s->created_at);
	jsonw_object_end(w);
}

static void
subscriber_clear_v(void *s)
{
	subscriber_clear(s);
}

static const struct api_list subscribers_list = {
	.size = sizeof(struct subscriber),
	.fetch = subscribers_fetch,
	.clear = subscriber_clear_v,
	.write = subscriber_write,
};

const struct route api_subscribers_routes[] = {
	{ HTTP_POST, "/api/subscribers", PERM_PUBLIC, subscribers_create, 0,
	    NULL, NULL, &body },
	{ HTTP_GET, "/api/subscribers", PERM_USERS, api_list_route, TAKES_NONE,
	    NULL, &subscribers_list, NULL },
};
const size_t api_subscribers_nroutes =
    sizeof(api_subscribers_routes) / sizeof(api_subscribers_routes[0]);
