/*
 * The integrations' outbox (table outbox) as a delivery source: each
 * row is one notification (an alert, "integration added") for one
 * integration.  Slack and Webhook integrations get an HTTP POST to
 * their webhook_url, opened from the integration's sealed config only
 * here, for the transfer; Email and AWS have nothing to send.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/integration.h"
#include "db/db_integration.h"
#include "db/db_outbox.h"
#include "sched/deliver.h"
#include "sched/deliver_transport.h"
#include "util/crypto.h"
#include "util/json.h"

/* The fixed texts of last_error (no URL, no secret). */
#define ERR_CONFIG	"integration config does not open"
#define ERR_NOURL	"integration has no webhook_url"
#define ERR_PAYLOAD	"payload is not a JSON object"
#define ERR_MESSAGE	"payload has no message"

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
 * The webhook_url of the integration, opened: a malloc'd copy, or NULL
 * with the outcome settled (a config that does not open may open after
 * the key is fixed: tried again; one without a URL never will).
 */
static char *
open_url(const struct outbox_item *it, const struct keyring *key,
    struct deliver_job *j)
{
	struct json_object	*sealed, *plain, *v;
	char			*url = NULL;

	deliver_settle(j, DELIVER_RETRY, ERR_CONFIG);
	if (key == NULL || it->config == NULL ||
	    (sealed = json_parse_strict(it->config,
	    strlen(it->config))) == NULL)
		return NULL;
	plain = integration_open(key, it->integration_id, sealed);
	json_object_put(sealed);
	if (plain == NULL)
		return NULL;
	if (json_object_object_get_ex(plain, "webhook_url", &v) &&
	    json_object_is_type(v, json_type_string))
		url = strdup(json_object_get_string(v));
	else
		deliver_settle(j, DELIVER_FAILED, ERR_NOURL);
	json_object_put(plain);
	if (url != NULL)
		deliver_settle(j, DELIVER_READY, NULL);
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
