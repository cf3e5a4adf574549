/*
 * /api/v1/security (CONTRACT 6, seed security-api.md): the audit logs
 * (the one audit trail, with the seed's filters and envelope; reading
 * them is audited too) and the tokenization vault (values sealed under
 * the key ring, bound to their row and data type; every detokenize
 * audited, failures too).  API keys are in api_apikeys.c, scans in
 * api_scan.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/credential.h"
#include "core/isotime.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_vault.h"
#include "http/dispatch.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/keyring.h"
#include "util/log.h"
#include "util/utf8.h"

#define ID_MAX		999999999999999999LL
#define DAY		86400
#define SENSITIVE_MAX	4096		/* bytes of a value to tokenize */
#define TTL_MAX		(10LL * 365 * DAY)

/* ---- audit logs ---- */

/* One day of ?start_date / ?end_date (YYYY-MM-DD) as its first second. */
static int
query_day(struct request *req, struct response *resp, const char *name,
    time_t *out, char **echo)
{
	char	*s, iso[32];
	bool	 bad;

	*out = 0;
	*echo = NULL;
	if ((s = query_param(req->query, name, &bad)) == NULL && !bad)
		return 0;
	if (s == NULL || strlen(s) != 10 ||
	    snprintf(iso, sizeof(iso), "%sT00:00:00Z", s) < 0 ||
	    isotime_parse(iso, out) == -1) {
		free(s);
		return resp_error(resp, 400, "Invalid %s: use YYYY-MM-DD", name);
	}
	*echo = s;
	return 0;
}

/* The filters of a request, and their echo for filters_applied. */
struct audit_query {
	struct audit_filter	 f;
	char			*user, *action, *type, *start, *end;
};

static void
audit_query_free(struct audit_query *q)
{
	free(q->user);
	free(q->action);
	free(q->type);
	free(q->start);
	free(q->end);
}

static int
audit_query_read(struct request *req, struct response *resp,
    struct audit_query *q)
{
	bool	 bad1, bad2, bad3;

	memset(q, 0, sizeof(*q));
	q->user = query_param(req->query, "user_id", &bad1);
	q->action = query_param(req->query, "action", &bad2);
	q->type = query_param(req->query, "resource_type", &bad3);
	if (bad1 || (q->user != NULL &&
	    valid_int_str(q->user, 1, ID_MAX, &q->f.user_id) == -1))
		return resp_error(resp, 400, "Invalid user_id");
	if (bad2 || bad3 ||
	    (q->action != NULL && !utf8_valid(q->action, strlen(q->action),
	    NULL)) || (q->type != NULL && !utf8_valid(q->type,
	    strlen(q->type), NULL)))
		return resp_error(resp, 400, "Invalid action or resource_type");
	if (query_day(req, resp, "start_date", &q->f.from, &q->start) != 0 ||
	    query_day(req, resp, "end_date", &q->f.to, &q->end) != 0)
		return resp->status;
	if (q->f.to != 0)
		q->f.to += DAY;		/* the end date is inclusive */
	q->f.action = q->action != NULL && *q->action != '\0' ? q->action : NULL;
	q->f.entity = q->type != NULL && *q->type != '\0' ? q->type : NULL;
	return 0;
}

static struct json_object *
log_json(const struct audit_entry *e)
{
	struct json_object	*o, *d = NULL;
	char			 id[24];

	if (e->details != NULL)
		d = json_parse_strict(e->details, strlen(e->details));
	snprintf(id, sizeof(id), "%lld", e->id);
	o = json_object_new_object();
	json_object_object_add(o, "log_id", json_object_new_string(id));
	json_object_object_add(o, "user_id", json_id(e->user_id));
	json_object_object_add(o, "username", json_str(e->username));
	json_object_object_add(o, "action", json_str(e->action));
	json_object_object_add(o, "resource_type", json_str(e->entity));
	json_object_object_add(o, "resource_id", json_id(e->entity_id));
	json_object_object_add(o, "ip_address", json_str(e->ip));
	json_object_object_add(o, "user_agent", json_str(e->user_agent));
	json_object_object_add(o, "request_data", d);
	json_object_object_add(o, "response_status",
	    e->status ? json_object_new_int(e->status) : NULL);
	json_object_object_add(o, "created_at", json_time(e->ts));
	return o;
}

/*
 * GET /api/v1/security/audit-logs: the read is recorded first (it is
 * the newest entry of what it reads), then the page through the
 * filters, in the seed's envelope with filters_applied.
 */
static int
audit_logs(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct audit_query	 q;
	struct audit_entry	*v = NULL;
	struct json_object	*arr, *o, *fa;
	struct page		 pg;
	long long		 total;
	size_t			 n = 0, i;
	int			 rc;

	if (api_page(req, resp, &pg) != 0)
		return resp->status;
	if (query_absent(req->query, "per_page"))
		pg.per_page = 50;		/* the seed's */
	if ((rc = audit_query_read(req, resp, &q)) != 0)
		goto out;
	rc = -1;
	/*
	 * The entry is the read's only write: one INSERT, which commits
	 * by itself (no START TRANSACTION and COMMIT of its own to send).
	 */
	if (api_audit(req, 200, "Audit Logs Read", "audit_log", 0, NULL) == -1 ||
	    db_audit_search(db, &q.f, page_offset(&pg), pg.per_page, &v, &n,
	    &total) == -1)
		goto out;
	arr = json_object_new_array_ext((int)n);
	for (i = 0; i < n; i++) {
		json_object_array_add(arr, log_json(&v[i]));
		audit_entry_clear(&v[i]);
	}
	o = api_envelope("audit_logs", arr, &pg, total);
	fa = json_object_new_object();
	json_object_object_add(fa, "user_id", json_str(q.user));
	json_object_object_add(fa, "action", json_str(q.action));
	json_object_object_add(fa, "resource_type", json_str(q.type));
	json_object_object_add(fa, "start_date", json_str(q.start));
	json_object_object_add(fa, "end_date", json_str(q.end));
	json_object_object_add(o, "filters_applied", fa);
	rc = resp_json(resp, 200, o);
out:
	free(v);
	audit_query_free(&q);
	return rc;
}

/* ---- the vault ---- */

enum { TK_DATA, TK_TYPE, TK_TTL, TK__MAX };

static const struct vfield tokenize_fields[TK__MAX] = {
	[TK_DATA] = { "sensitive_data", V_STRING, VF_REQUIRED | VF_BYTES, 1,
	    SENSITIVE_MAX, NULL, "sensitive_data is required",
	    "sensitive_data must be 1 to 4096 bytes" },
	[TK_TYPE] = { "data_type", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 1, 32,
	    NULL, NULL, NULL },
	[TK_TTL] = { "ttl_seconds", V_INT, VF_NULLABLE, 60, TTL_MAX, NULL, NULL,
	    NULL },
};
static const struct vtable tokenize_body = VTABLE(tokenize_fields);

/* [a-z0-9_], as a part of the seal's place. */
static bool
data_type_ok(const char *s)
{
	return *s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
	    strlen(s);
}

/* The last four digits of a card number, for people to recognise it. */
static void
card_preview(const char *s, char out[5])
{
	size_t	 n = 0, i;
	char	 digits[SENSITIVE_MAX];

	out[0] = '\0';
	for (i = 0; s[i] != '\0' && n < sizeof(digits); i++)
		if (s[i] >= '0' && s[i] <= '9')
			digits[n++] = s[i];
		else if (s[i] != ' ' && s[i] != '-') {
			crypto_wipe(digits, n);
			return;
		}
	if (n >= 12) {
		memcpy(out, digits + n - 4, 4);
		out[4] = '\0';
	}
	crypto_wipe(digits, n);
}

static int
vault_tokenize(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[TK__MAX];
	struct json_object	*o;
	unsigned char		 hash[CREDENTIAL_HASH_LEN];
	const char		*type = "generic";
	char			 tok[CREDENTIAL_MAX + 1], where[64], preview[5] = "";
	char			*sealed = NULL;
	time_t			 expires = 0;
	long long		 id;
	int			 rc = -1;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (v[TK_TYPE].present && !v[TK_TYPE].null) {
		if (!data_type_ok(v[TK_TYPE].s))
			return resp_error(resp, 400, "data_type must be 1 to 32 "
			    "of a-z, 0-9 and _");
		type = v[TK_TYPE].s;
	}
	if (v[TK_TTL].present && !v[TK_TTL].null)
		expires = req->now + v[TK_TTL].i;
	if (strcmp(type, "card_number") == 0)
		card_preview(v[TK_DATA].s, preview);
	if (credential_make(TOKEN_PREFIX, tok) == -1 ||
	    credential_hash(req->app->cred_secret, tok, hash) == -1 ||
	    api_begin(req) == -1 ||
	    db_vault_insert(db, hash, type, preview[0] ? preview : NULL,
	    req->who.uid, req->now, expires, &id) == -1)
		goto out;
	snprintf(where, sizeof(where), "vault:%lld:%s", id, type);
	if ((sealed = keyring_seal(&req->app->keys, where, v[TK_DATA].s,
	    v[TK_DATA].len)) == NULL ||
	    db_vault_set_sealed(db, id, sealed,
	    keyring_version(&req->app->keys)) == -1 ||
	    api_audit(req, 200, "Data Tokenized", "vault", id, NULL) == -1 ||
	    db_commit(db) == -1)
		goto out;
	o = json_object_new_object();
	json_object_object_add(o, "token", json_object_new_string(tok));
	json_object_object_add(o, "data_type", json_object_new_string(type));
	json_object_object_add(o, "preview", preview[0] ?
	    json_object_new_string(preview) : NULL);
	json_object_object_add(o, "tokenized_at", json_time(req->now));
	json_object_object_add(o, "expires_at", json_time(expires));
	rc = resp_json(resp, 200, o);
out:
	free(sealed);
	crypto_wipe(tok, sizeof(tok));
	return rc;
}

/* The audit entry of a detokenize, whatever came of it. */
static int
detokenize_audit(struct request *req, int status, long long id)
{
	if (api_begin(req) == -1 ||
	    api_audit(req, status, "Data Detokenized", "vault", id, NULL) == -1)
		return -1;
	return db_commit(req->db);
}

static int
vault_detokenize(struct request *req, struct response *resp)
{
	struct json_object	*t, *o;
	struct vault_entry	 e;
	unsigned char		 hash[CREDENTIAL_HASH_LEN], *pt = NULL;
	const char		*tok = NULL;
	char			 where[64];
	size_t			 len = 0;
	int			 rc;

	if (json_object_is_type(req->json, json_type_object) &&
	    json_object_object_get_ex(req->json, "token", &t) &&
	    json_object_is_type(t, json_type_string))
		tok = json_object_get_string(t);
	if (tok == NULL || *tok == '\0') {
		if (detokenize_audit(req, 400, 0) == -1)
			return -1;
		return resp_error(resp, 400, "token is required");
	}
	if (!credential_shape_ok(tok, TOKEN_PREFIX)) {
		if (detokenize_audit(req, 400, 0) == -1)
			return -1;
		return resp_error(resp, 400, "Invalid token format");
	}
	if (credential_hash(req->app->cred_secret, tok, hash) == -1 ||
	    (rc = db_vault_get(req->db, hash, req->now, &e)) == -1)
		return -1;
	if (rc == 0) {
		if (detokenize_audit(req, 404, 0) == -1)
			return -1;
		return resp_error(resp, 404, "Token not found");
	}
	snprintf(where, sizeof(where), "vault:%lld:%s", e.id, e.data_type);
	if (keyring_open(&req->app->keys, where, e.sealed, &pt, &len) == -1) {
		/* Tampered, or sealed under a key this host does not have. */
		long long id = e.id;

		vault_entry_clear(&e);
		log_warnx("vault entry %lld does not open with any data key "
		    "of this host", id);
		if (detokenize_audit(req, 500, id) == -1)
			return -1;
		return resp_error(resp, 500, "Internal server error");
	}
	rc = -1;
	if (detokenize_audit(req, 200, e.id) == 0) {
		o = json_object_new_object();
		json_object_object_add(o, "token", json_object_new_string(tok));
		json_object_object_add(o, "sensitive_data",
		    json_object_new_string_len((const char *)pt, (int)len));
		json_object_object_add(o, "data_type",
		    json_object_new_string(e.data_type));
		json_object_object_add(o, "detokenized_at", json_time(req->now));
		json_object_object_add(o, "access_logged",
		    json_object_new_boolean(1));
		rc = resp_json(resp, 200, o);
	}
	crypto_wipe(pt, len);
	free(pt);
	vault_entry_clear(&e);
	return rc;
}

const struct route api_security_routes[] = {
	{ HTTP_GET, "/api/v1/security/audit-logs", PERM_SECURITY_AUDIT,
	    audit_logs, TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_POST, "/api/v1/security/encryption/tokenize", PERM_TOKENIZE,
	    vault_tokenize, 0, NULL, NULL, &tokenize_body },
	{ HTTP_POST, "/api/v1/security/encryption/detokenize", PERM_DETOKENIZE,
	    vault_detokenize, 0, NULL, NULL, NULL },
};
const size_t api_security_nroutes =
    sizeof(api_security_routes) / sizeof(api_security_routes[0]);
