/*
 * The subscribers' outbox (subscriber_outbox) as a delivery source:
 * each row is one notice (a confirmation, an incident update, a
 * maintenance start or end) for one subscriber.  The address is opened
 * from its sealed form only here, for the transfer; the links are made
 * here from the subscriber's id and salt (core/subscriber), so every
 * message carries a working unsubscribe link and nothing stores one.
 * Email goes through [smtp]; webhooks get the notice as JSON, Slack
 * its text; both through the HTTP transport's SSRF checks.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/credential.h"
#include "core/mailmsg.h"
#include "core/subscriber.h"
#include "db/db_outbox.h"
#include "db/db_subscriber_outbox.h"
#include "sched/deliver.h"
#include "sched/deliver_transport.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/keyring.h"

/* The fixed texts of last_error (no address, no URL, no token). */
#define ERR_ADDRESS	"subscriber address does not open"
#define ERR_PAYLOAD	"payload is not a JSON object"
#define ERR_BASE	"[pages] base_url is not set: no link to send"
#define ERR_NOSMTP	"[smtp] has no host"
#define MSGID_LEN	24
#define LINK_MAX	700

static int
sub_claim(struct db *db, time_t now, int limit, time_t claim_until,
    void **rows, size_t *n)
{
	struct sub_item	*items;
	int		 rc;

	rc = db_sub_outbox_claim(db, now, limit, claim_until, &items, n);
	*rows = rc == 0 ? items : NULL;
	return rc;
}

static void
sub_columns(const void *rows, size_t i, struct deliver_row *r)
{
	const struct sub_item	*it = (const struct sub_item *)rows + i;

	r->id = it->id;
	r->attempts = it->attempts;
	r->due = it->due;
	r->last_error = it->last_error;
}

/* A link of purpose for it into out ("<base>/status/<page>?token="). */
static int
link(const struct conf *cfg, const unsigned char *secret,
    const struct sub_item *it, const char *purpose, const char *page,
    char out[LINK_MAX])
{
	char	 token[SUBSCRIBER_TOKEN_MAX + 1];
	int	 rc;

	if (subscriber_token(secret, purpose, it->subscriber_id, it->salt,
	    token) == -1)
		return -1;
	rc = snprintf(out, LINK_MAX, "%s/status/%s?token=%s",
	    cfg->pages.base_url, page, token);
	return rc < 0 || rc >= LINK_MAX ? -1 : 0;
}

/* A new string of fmt, or NULL. */
static char *
format(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	return rc < 0 ? NULL : s;
}

static const char *
member(struct json_object *p, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(p, key, &v) &&
	    json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

/*
 * Subject and body of the notice p for people (malloc'd into *subject
 * and *body), the page's address from cfg.  0 or -1.
 */
static int
notice_text(const struct conf *cfg, struct json_object *p,
    const char *confirm, const char *unsubscribe, char **subject,
    char **body)
{
	const char	*event = member(p, "event"), *site = cfg->pages.title;
	size_t		 len;
	FILE		*f;

	*subject = NULL;
	if ((f = open_memstream(body, &len)) == NULL)
		return -1;
	if (strcmp(event, "confirm") == 0) {
		*subject = format("Confirm your subscription to %s", site);
		fprintf(f, "Someone, we hope you, asked for %s's status "
		    "updates at this address.\n\nTo confirm, open this link "
		    "within 24 hours:\n%s\n\nIf it was not you, do nothing: "
		    "without confirmation nothing more is sent.\n", site,
		    confirm);
	} else if (strcmp(event, "incident") == 0) {
		*subject = format("[%s] %s: %s", site, member(p, "title"),
		    member(p, "status"));
		fprintf(f, "%s\n\nIncident: %s (impact %s)\nStatus: %s\n"
		    "Time: %s\n", member(p, "message"), member(p, "title"),
		    member(p, "impact"), member(p, "status"), member(p, "at"));
	} else {
		*subject = format("[%s] Maintenance %s: %s", site,
		    strcmp(member(p, "phase"), "start") == 0 ? "started" :
		    "ended", member(p, "title"));
		fprintf(f, "%s\n\nPlanned from %s to %s.\n",
		    member(p, "message"), member(p, "starts_at"),
		    member(p, "ends_at"));
	}
	fprintf(f, "\nStatus page: %s/status\nUnsubscribe: %s\n",
	    cfg->pages.base_url, unsubscribe);
	if (fclose(f) != 0 || *subject == NULL) {
		free(*subject);
		free(*body);
		*subject = *body = NULL;
		return -1;
	}
	/* A subject is one line: whatever the title held. */
	for (char *c = *subject; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return 0;
}

static void
email_job(const struct deliver_ctx *ctx, const char *addr,
    const char *subject, const char *body, const char *unsubscribe,
    struct deliver_job *j)
{
	const struct conf	*cfg = ctx->cfg;
	const char		*to[1] = { addr };
	struct mailmsg		 m;
	char			 id[MSGID_LEN + 1], *msg;
	size_t			 len;

	if (cfg->smtp.host[0] == '\0') {
		deliver_settle(j, DELIVER_RETRY, ERR_NOSMTP);
		return;
	}
	if (crypto_random_base62(id, MSGID_LEN) == -1) {
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.from = cfg->smtp.from;
	m.from_name = cfg->smtp.from_name[0] != '\0' ? cfg->smtp.from_name :
	    cfg->pages.title;
	m.to = to;
	m.nto = 1;
	m.subject = subject;
	m.body = body;
	/* GET /status/unsubscribe acts: not RFC 8058's one-click POST. */
	m.unsubscribe = unsubscribe;
	m.date = ctx->now;
	m.id = id;
	if ((msg = mailmsg_build(&m, &len, j->errbuf,
	    sizeof(j->errbuf))) == NULL) {
		deliver_settle(j, strcmp(j->errbuf, "out of memory") == 0 ?
		    DELIVER_RETRY : DELIVER_FAILED, j->errbuf);
		return;
	}
	deliver_job_smtp(j, to, 1, msg, len);
}

/*
 * A webhook's body: the notice as queued, with its unsubscribe link;
 * for Slack, {"text": slack_text}.
 */
static void
hook_job(const char *url, struct json_object *p, const char *slack_text,
    const char *unsubscribe, struct deliver_job *j)
{
	struct json_object	*o;
	const char		*text;
	char			*copy, *u;
	size_t			 len;

	if (slack_text != NULL) {
		o = json_object_new_object();
		json_object_object_add(o, "text", json_object_new_string(
		    slack_text));
	} else {
		o = json_object_get(p);
		json_object_object_add(o, "unsubscribe_url",
		    json_object_new_string(unsubscribe));
	}
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	len = strlen(text);
	copy = malloc(len + 1);
	u = strdup(url);
	if (copy == NULL || u == NULL) {
		free(copy);
		crypto_wipe_free(u);
		json_object_put(o);
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
		return;
	}
	memcpy(copy, text, len + 1);
	json_object_put(o);
	deliver_job_http(j, u, copy, len);
}

static void
sub_prepare(const struct deliver_ctx *ctx, const void *rows, size_t i,
    struct deliver_job *j)
{
	const struct sub_item	*it = (const struct sub_item *)rows + i;
	struct json_object	*p = NULL;
	unsigned char		*addr = NULL;
	char			 where[64], confirm[LINK_MAX], unsub[LINK_MAX];
	unsigned char		 secret[CREDENTIAL_HASH_LEN];
	char			*subject = NULL, *body = NULL, *slack = NULL;
	size_t			 len = 0;

	snprintf(j->ref, sizeof(j->ref), "subscriber %lld", it->subscriber_id);
	if (ctx->cfg->pages.base_url[0] == '\0') {
		deliver_settle(j, DELIVER_RETRY, ERR_BASE);
		return;
	}
	snprintf(where, sizeof(where), "subscriber:%lld:address",
	    it->subscriber_id);
	if (ctx->key == NULL || it->address_sealed == NULL ||
	    keyring_open(ctx->key, where, it->address_sealed, &addr,
	    &len) == -1) {
		deliver_settle(j, DELIVER_RETRY, ERR_ADDRESS);
		return;
	}
	if (it->payload == NULL || (p = json_parse_strict(it->payload,
	    strlen(it->payload))) == NULL ||
	    !json_object_is_type(p, json_type_object)) {
		deliver_settle(j, DELIVER_FAILED, ERR_PAYLOAD);
		goto out;
	}
	/* The secret the web workers check the links' tokens under. */
	if (credential_secret(ctx->cfg->secrets.audit_key, secret) == -1 ||
	    link(ctx->cfg, secret, it, SUB_CONFIRM, "confirm", confirm) == -1 ||
	    link(ctx->cfg, secret, it, SUB_UNSUBSCRIBE, "unsubscribe",
	    unsub) == -1 ||
	    notice_text(ctx->cfg, p, confirm, unsub, &subject, &body) == -1) {
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
		goto out;
	}
	if (it->kind == SUB_EMAIL)
		email_job(ctx, (const char *)addr, subject, body, unsub, j);
	else if (it->kind == SUB_SLACK && (slack = format("*%s*\n%s", subject,
	    body)) == NULL)
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
	else
		hook_job((const char *)addr, p, slack, unsub, j);
out:
	free(subject);
	free(body);
	free(slack);
	json_object_put(p);
	if (addr != NULL) {
		crypto_wipe(addr, len);
		free(addr);
	}
	crypto_wipe(secret, sizeof(secret));
	crypto_wipe(confirm, sizeof(confirm));
	crypto_wipe(unsub, sizeof(unsub));
}

static int
sub_record(struct db *db, time_t now, const struct outbox_outcome *oc,
    size_t n)
{
	return db_outbox_record(db, &outbox_subscribers, now, oc, n);
}

static void
sub_release(void *rows, size_t n)
{
	struct sub_item	*items = rows;
	size_t		 i;

	for (i = 0; i < n; i++)
		sub_item_clear(&items[i]);
	free(items);
}

const struct deliver_source deliver_source_subscribers = {
	"subscriber_outbox", sub_claim, sub_columns, sub_prepare, sub_record,
	sub_release,
};
