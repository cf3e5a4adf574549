/*
 * The integrations' outbox (table outbox) as a delivery source: each
 * row is one notification (an alert, "integration added") for one
 * integration.  Slack and Webhook integrations get an HTTP POST to
 * their webhook_url, opened from the integration's sealed config only
 * here, for the transfer.  Email integrations get one message to all
 * of their "to" addresses through [smtp], or are skipped when it has
 * no host (as before there was email).  AWS has nothing to send.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/integration.h"
#include "core/mailmsg.h"
#include "db/db_integration.h"
#include "db/db_outbox.h"
#include "sched/deliver.h"
#include "sched/deliver_transport.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/json.h"

/* The fixed texts of last_error (no URL, no secret). */
#define ERR_CONFIG	"integration config does not open"
#define ERR_NOURL	"integration has no webhook_url"
#define ERR_PAYLOAD	"payload is not a JSON object"
#define ERR_MESSAGE	"payload has no message"
#define ERR_NOTO	"integration has no to addresses"

#define MSGID_LEN	24	/* random characters of a Message-ID */

static int
integ_claim(struct db *db, time_t now, int limit, time_t claim_until,
    void **rows, size_t *n)
{
	struct outbox_item	*items;
	int			 rc;

	rc = db_outbox_claim(db, now, limit, claim_until, &items, n);
	*rows = rc == 0 ? items : NULL;
	return rc;
}

static void
integ_columns(const void *rows, size_t i, struct deliver_row *r)
{
	const struct outbox_item	*it = (const struct outbox_item *)rows + i;

	r->id = it->id;
	r->attempts = it->attempts;
	r->due = it->due;
	r->last_error = it->last_error;
}

/*
 * The integration's config, opened, or NULL with the outcome settled:
 * one that does not open may open after the key is fixed (tried again).
 */
static struct json_object *
open_config(const struct outbox_item *it, const struct keyring *key,
    struct deliver_job *j)
{
	struct json_object	*sealed, *plain;

	if (key == NULL || it->config == NULL ||
	    (sealed = json_parse_strict(it->config,
	    strlen(it->config))) == NULL) {
		deliver_settle(j, DELIVER_RETRY, ERR_CONFIG);
		return NULL;
	}
	plain = integration_open(key, it->integration_id, sealed);
	json_object_put(sealed);
	if (plain == NULL)
		deliver_settle(j, DELIVER_RETRY, ERR_CONFIG);
	return plain;
}

/*
 * The webhook_url of the integration: a malloc'd copy, or NULL with the
 * outcome settled (one without a URL never gets one: failed).
 */
static char *
open_url(const struct outbox_item *it, const struct keyring *key,
    struct deliver_job *j)
{
	struct json_object	*plain, *v;
	char			*url = NULL;

	if ((plain = open_config(it, key, j)) == NULL)
		return NULL;
	if (json_object_object_get_ex(plain, "webhook_url", &v) &&
	    json_object_is_type(v, json_type_string))
		url = strdup(json_object_get_string(v));
	else
		deliver_settle(j, DELIVER_FAILED, ERR_NOURL);
	json_object_put(plain);
	if (url == NULL && j->outcome == DELIVER_READY)
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
	return url;
}

/* Slack's text: an alert's message after its severity in brackets. */
static char *
slack_text(const struct outbox_item *it, struct json_object *p,
    struct deliver_job *j)
{
	struct json_object	*m, *sev;
	char			*msg;

	if (!json_object_object_get_ex(p, "message", &m) ||
	    !json_object_is_type(m, json_type_string)) {
		deliver_settle(j, DELIVER_FAILED, ERR_MESSAGE);
		return NULL;
	}
	if (strcmp(it->event, "alert") == 0 &&
	    json_object_object_get_ex(p, "severity", &sev) &&
	    json_object_is_type(sev, json_type_string)) {
		if (asprintf(&msg, "[%s] %s", json_object_get_string(sev),
		    json_object_get_string(m)) == -1)
			msg = NULL;
	} else
		msg = strdup(json_object_get_string(m));
	return msg;
}

/*
 * What the receiver gets: Slack {"text": ...}, Webhook the payload
 * document itself.  A malloc'd body, or NULL with the outcome settled.
 */
static char *
make_body(const struct outbox_item *it, enum integration_type type,
    struct deliver_job *j, size_t *len)
{
	struct json_object	*p, *o = NULL;
	const char		*text;
	char			*msg = NULL, *body = NULL;

	if ((p = json_parse_strict(it->payload,
	    strlen(it->payload))) == NULL ||
	    !json_object_is_type(p, json_type_object)) {
		deliver_settle(j, DELIVER_FAILED, ERR_PAYLOAD);
		goto out;
	}
	if (type == INTEG_SLACK) {
		if ((msg = slack_text(it, p, j)) == NULL)
			goto out;
		if ((o = json_object_new_object()) == NULL ||
		    json_object_object_add(o, "text",
		    json_object_new_string(msg)) != 0)
			goto out;
		text = json_text(o, len);
	} else
		text = json_text(p, len);
	if (text != NULL && (body = malloc(*len + 1)) != NULL)
		memcpy(body, text, *len + 1);
out:
	if (body == NULL && j->outcome == DELIVER_READY)
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
	free(msg);
	json_object_put(o);
	json_object_put(p);
	return body;
}

/* An Email integration's "to": how many (borrowed from plain), or 0 settled. */
static size_t
email_to(struct json_object *plain, const char **to, struct deliver_job *j)
{
	struct json_object	*a, *e;
	size_t			 i, n = 0;

	if (json_object_object_get_ex(plain, "to", &a) &&
	    json_object_is_type(a, json_type_array))
		n = json_object_array_length(a);
	if (n == 0 || n > MAILMSG_TO_MAX) {
		deliver_settle(j, DELIVER_FAILED, ERR_NOTO);
		return 0;
	}
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string)) {
			deliver_settle(j, DELIVER_FAILED, DELIVER_ERR_RCPT);
			return 0;
		}
		to[i] = json_object_get_string(e);
	}
	return n;
}

/* The details under an email's message: label and payload member. */
static const struct {
	const char	*label;
	const char	*key;
} email_details[] = {
	{ "Service", "service_name" },
	{ "Severity", "severity" },
	{ "Type", "type" },
	{ "Time", "created_at" },
};

/*
 * Subject (Slack's text on one line: the subject may hold no line
 * break) and body (the message, then the details) of a payload; 0, or
 * -1 settled.
 */
static int
email_text(const struct outbox_item *it, struct json_object *p,
    char **subject, char **body, struct deliver_job *j)
{
	struct json_object	*v;
	char			*c;
	size_t			 i, len;
	FILE			*f;

	if ((*subject = slack_text(it, p, j)) == NULL)
		return -1;
	for (c = *subject; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	if ((f = open_memstream(body, &len)) == NULL)
		return -1;
	json_object_object_get_ex(p, "message", &v);
	fprintf(f, "%s\n\n", json_object_get_string(v));
	for (i = 0; i < sizeof(email_details) / sizeof(email_details[0]); i++)
		if (json_object_object_get_ex(p, email_details[i].key, &v) &&
		    json_object_is_type(v, json_type_string))
			fprintf(f, "%s: %s\n", email_details[i].label,
			    json_object_get_string(v));
	fprintf(f, "\nSent by resilops for integration %lld.\n",
	    it->integration_id);
	return fclose(f) == 0 ? 0 : -1;
}

/* The message of an Email integration's row, or NULL settled. */
static char *
email_message(const struct deliver_ctx *ctx, const struct outbox_item *it,
    const char *const *to, size_t nto, struct deliver_job *j, size_t *len)
{
	const struct conf	*cfg = ctx->cfg;
	struct json_object	*p;
	struct mailmsg		 m;
	char			 id[MSGID_LEN + 1];
	char			*subject = NULL, *body = NULL, *msg = NULL;

	if ((p = json_parse_strict(it->payload,
	    strlen(it->payload))) == NULL ||
	    !json_object_is_type(p, json_type_object)) {
		deliver_settle(j, DELIVER_FAILED, ERR_PAYLOAD);
		goto out;
	}
	if (email_text(it, p, &subject, &body, j) == -1 ||
	    crypto_random_base62(id, MSGID_LEN) == -1)
		goto out;
	memset(&m, 0, sizeof(m));
	m.from = cfg->smtp.from;
	m.from_name = cfg->smtp.from_name[0] != '\0' ? cfg->smtp.from_name :
	    cfg->pages.title;
	m.to = to;
	m.nto = nto;
	m.subject = subject;
	m.body = body;
	m.date = ctx->now;
	m.id = id;
	/* An operator's list, not a subscription: no List-Unsubscribe. */
	/* What it refuses, it refuses for good; memory may come back. */
	if ((msg = mailmsg_build(&m, len, j->errbuf,
	    sizeof(j->errbuf))) == NULL &&
	    strcmp(j->errbuf, "out of memory") != 0)
		deliver_settle(j, DELIVER_FAILED, j->errbuf);
out:
	if (msg == NULL && j->outcome == DELIVER_READY)
		deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
	free(subject);
	free(body);
	json_object_put(p);
	return msg;
}

static void
email_prepare(const struct deliver_ctx *ctx, const struct outbox_item *it,
    struct deliver_job *j)
{
	struct json_object	*plain;
	const char		*to[MAILMSG_TO_MAX];
	size_t			 nto, len;
	char			*msg;

	if ((plain = open_config(it, ctx->key, j)) == NULL)
		return;
	if ((nto = email_to(plain, to, j)) > 0 &&
	    (msg = email_message(ctx, it, to, nto, j, &len)) != NULL)
		deliver_job_smtp(j, to, nto, msg, len);
	json_object_put(plain);
}

static void
integ_prepare(const struct deliver_ctx *ctx, const void *rows, size_t i,
    struct deliver_job *j)
{
	const struct outbox_item	*it = (const struct outbox_item *)rows + i;
	char				*url, *body;
	size_t				 len = 0;
	int				 type;

	snprintf(j->ref, sizeof(j->ref), "integration %lld",
	    it->integration_id);
	type = integration_type_parse(it->type);
	if (type == INTEG_EMAIL && ctx->cfg->smtp.host[0] != '\0') {
		email_prepare(ctx, it, j);
		return;
	}
	if (type != INTEG_SLACK && type != INTEG_WEBHOOK) {
		snprintf(j->errbuf, sizeof(j->errbuf), "no delivery for type %.20s",
		    it->type != NULL ? it->type : "?");
		deliver_settle(j, DELIVER_SKIPPED, j->errbuf);
		return;
	}
	if ((url = open_url(it, ctx->key, j)) == NULL)
		return;
	if ((body = make_body(it, (enum integration_type)type, j,
	    &len)) == NULL) {
		crypto_wipe_free(url);
		return;
	}
	deliver_job_http(j, url, body, len);
}

static int
integ_record(struct db *db, time_t now, const struct outbox_outcome *oc,
    size_t n)
{
	return db_outbox_record(db, &outbox_integrations, now, oc, n);
}

static void
integ_release(void *rows, size_t n)
{
	struct outbox_item	*items = rows;
	size_t			 i;

	for (i = 0; i < n; i++)
		outbox_item_clear(&items[i]);
	free(items);
}

const struct deliver_source deliver_source_integrations = {
	"outbox", integ_claim, integ_columns, integ_prepare, integ_record,
	integ_release,
};
