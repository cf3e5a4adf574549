/*
 * /api/v1/security/api-keys (CONTRACT 6, seed security-api.md): create
 * (the key shown once), list (the seed's envelope, never a key), revoke,
 * permissions, and reroll with a grace period for the old key.  Keys
 * are the admins' to manage (PERM_API_KEYS); a key acts as its creator.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/credential.h"
#include "core/perm.h"
#include "db/db.h"
#include "db/db_apikey.h"
#include "http/dispatch.h"
#include "util/crypto.h"
#include "util/jsonw.h"

#define KEY_NOT_FOUND	"API key not found"
#define KEY_WARNING	"Store this API key securely. It will not be shown again."
#define RATE_MAX	1000000
#define DAYS_MAX	3650
#define GRACE_MAX	(7 * 86400)

enum { KF_NAME, KF_PERMS, KF_RATE, KF_DAYS, KF__MAX };

static const struct vfield create_fields[KF__MAX] = {
	[KF_NAME] = { "key_name", V_STRING, VF_REQUIRED, 1, 100, NULL,
	    "key_name is required", NULL },
	[KF_PERMS] = { "permissions", V_STRING_ARRAY, 0, 0, 0, NULL, NULL, NULL },
	[KF_RATE] = { "rate_limit", V_INT, 0, 1, RATE_MAX, NULL, NULL, NULL },
	[KF_DAYS] = { "expires_in_days", V_INT, VF_NULLABLE, 1, DAYS_MAX, NULL,
	    NULL, NULL },
};
static const struct vtable create_body = VTABLE(create_fields);

enum { PF_PERMS, PF_RATE, PF__MAX };

static const struct vfield perms_fields[PF__MAX] = {
	[PF_PERMS] = { "permissions", V_STRING_ARRAY, VF_REQUIRED, 0, 0, NULL,
	    "permissions is required", NULL },
	[PF_RATE] = { "rate_limit", V_INT, 0, 1, RATE_MAX, NULL, NULL, NULL },
};
static const struct vtable perms_body = VTABLE(perms_fields);

static const struct vfield reroll_fields[] = {
	{ "grace_seconds", V_INT, 0, 0, GRACE_MAX, NULL, NULL, NULL },
};
static const struct vtable reroll_body = VTABLE(reroll_fields);

static struct json_object *
perms_json(unsigned bits)
{
	struct json_object	*a = json_object_new_array();
	int			 k;

	for (k = 0; k < KEY_PERM__MAX; k++)
		if (bits & (1u << k))
			json_object_array_add(a, json_object_new_string(
			    key_perm_name((enum key_perm)k)));
	return a;
}

/* The permission names of a request; 400 answered for an unknown one. */
static int
perms_read(struct response *resp, struct json_object *arr, unsigned *bits)
{
	size_t	 i, n = json_object_array_length(arr);
	int	 k;

	*bits = 0;
	for (i = 0; i < n; i++) {
		const char *s = json_object_get_string(
		    json_object_array_get_idx(arr, i));

		if ((k = key_perm_parse(s)) < 0)
			return resp_error(resp, 400, "Invalid permission: %s", s);
		*bits |= 1u << k;
	}
	return 0;
}

/* A new key for k: its text (shown once), hash and display prefix. */
static int
key_new(struct request *req, char key[CREDENTIAL_MAX + 1],
    unsigned char hash[APIKEY_HASH_LEN], char prefix[17])
{
	if (credential_make(APIKEY_PREFIX, key) == -1 ||
	    credential_hash(req->app->cred_secret, key, hash) == -1)
		return -1;
	snprintf(prefix, 17, "%.7s", key);	/* "rk_" and 4 characters */
	return 0;
}

static int
keys_create(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[KF__MAX];
	struct api_key		 k;
	struct json_object	*o;
	unsigned char		 hash[APIKEY_HASH_LEN];
	char			 key[CREDENTIAL_MAX + 1], rnd[17];
	int			 rc = -1;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	memset(&k, 0, sizeof(k));
	k.perms = (1u << KEY_READ) | (1u << KEY_WRITE);
	if (v[KF_PERMS].present && perms_read(resp, v[KF_PERMS].obj,
	    &k.perms) != 0)
		return resp->status;
	k.rate_limit = v[KF_RATE].present ? (long)v[KF_RATE].i : 1000;
	k.created_at = k.updated_at = req->now;
	if (!v[KF_DAYS].present)
		k.expires_at = req->now + 365 * 86400L;
	else if (!v[KF_DAYS].null)
		k.expires_at = req->now + v[KF_DAYS].i * 86400;
	k.user_id = req->who.uid;
	if (crypto_random_base62(rnd, 16) == -1 ||
	    key_new(req, key, hash, k.prefix) == -1 ||
	    (k.key_name = strdup(v[KF_NAME].s)) == NULL)
		goto out;
	snprintf(k.key_id, sizeof(k.key_id), "key_%s", rnd);
	if (api_begin(req) == -1 || db_apikey_insert(db, &k, hash) == -1 ||
	    api_audit(req, 201, "API Key Created", "api_key", k.id,
	    NULL) == -1 || db_commit(db) == -1)
		goto out;
	o = json_object_new_object();
	json_object_object_add(o, "key_id", json_object_new_string(k.key_id));
	json_object_object_add(o, "api_key", json_object_new_string(key));
	json_object_object_add(o, "key_name", json_str(k.key_name));
	json_object_object_add(o, "prefix", json_str(k.prefix));
	json_object_object_add(o, "permissions", perms_json(k.perms));
	json_object_object_add(o, "rate_limit",
	    json_object_new_int64(k.rate_limit));
	json_object_object_add(o, "expires_at", json_time(k.expires_at));
	json_object_object_add(o, "created_at", json_time(k.created_at));
	json_object_object_add(o, "warning", json_object_new_string(KEY_WARNING));
	rc = resp_json(resp, 201, o);
out:
	crypto_wipe(key, sizeof(key));
	api_key_clear(&k);
	return rc;
}

/* A list's item with util/jsonw, member for member as json-c wrote it. */
static void
key_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct api_key	*k = item;
	int			 p;

	(void)req;
	jsonw_object(w);
	jsonw_key_string(w, "key_id", k->key_id);
	jsonw_key_string(w, "key_name", k->key_name);
	jsonw_key_string(w, "prefix", k->prefix);
	jsonw_key_int(w, "user_id", k->user_id);
	jsonw_key(w, "permissions");
	jsonw_array(w);
	for (p = 0; p < KEY_PERM__MAX; p++)
		if (k->perms & (1u << p))
			jsonw_string(w, key_perm_name((enum key_perm)p));
	jsonw_array_end(w);
	jsonw_key_int(w, "rate_limit", k->rate_limit);
	jsonw_key_bool(w, "is_active", k->active);
	jsonw_key_time(w, "created_at", k->created_at);
	jsonw_key_time(w, "last_used_at", k->last_used_at);
	jsonw_key_string(w, "last_used_ip", k->last_used_ip);
	jsonw_key_time(w, "expires_at", k->expires_at);
	jsonw_key_time(w, "revoked_at", k->revoked_at);
	jsonw_object_end(w);
}

static int
keys_fetch(struct request *req, struct response *resp, const struct page *pg,
    struct api_rows *rows)
{
	struct api_key	*v;

	(void)resp;
	if (db_apikey_list(req->db, page_offset(pg), pg->per_page, &v,
	    &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

static void
key_clear_v(void *k)
{
	api_key_clear(k);
}

static const struct api_list keys_list = {
	.size = sizeof(struct api_key),
	.fetch = keys_fetch,
	.clear = key_clear_v,
	.per_page = 20,
	.name = "api_keys",
	.write = key_write,
	.write_envelope = api_security_write_envelope,
};

/* Lock the key of the path; 404 answered (and rolled back) when none. */
static int
key_lock(struct request *req, struct response *resp, struct api_key *k)
{
	int	 rc;

	if (api_begin(req) == -1 ||
	    (rc = db_apikey_get(req->db, req->name, true, k)) == -1)
		return -1;
	if (rc == 0) {
		db_rollback(req->db);
		return resp_error(resp, 404, KEY_NOT_FOUND);
	}
	return 0;
}

static int
keys_revoke(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct json_object	*o;
	struct api_key		 k;
	int			 rc;

	if ((rc = key_lock(req, resp, &k)) != 0)
		return rc;
	rc = -1;
	if (k.active) {
		k.active = false;
		k.revoked_at = k.updated_at = req->now;
		if (db_apikey_update(db, &k) == -1 ||
		    api_audit(req, 200, "API Key Revoked", "api_key", k.id,
		    NULL) == -1 || db_commit(db) == -1)
			goto out;
	} else
		db_rollback(db);		/* already: nothing to write */
	o = json_object_new_object();
	json_object_object_add(o, "key_id", json_object_new_string(k.key_id));
	json_object_object_add(o, "message",
	    json_object_new_string("API key revoked successfully"));
	json_object_object_add(o, "revoked_at", json_time(k.revoked_at));
	rc = resp_json(resp, 200, o);
out:
	api_key_clear(&k);
	return rc;
}

static int
keys_permissions(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[PF__MAX];
	struct json_object	*o;
	struct api_key		 k;
	unsigned		 bits;
	int			 rc;

	if (API_VALIDATE(req, resp, v) != 0 ||
	    perms_read(resp, v[PF_PERMS].obj, &bits) != 0)
		return resp->status;
	if ((rc = key_lock(req, resp, &k)) != 0)
		return rc;
	rc = -1;
	if (!k.active) {
		db_rollback(db);
		rc = resp_error(resp, 400,
		    "Cannot update permissions for inactive API key");
		goto out;
	}
	k.perms = bits;
	if (v[PF_RATE].present)
		k.rate_limit = (long)v[PF_RATE].i;
	k.updated_at = req->now;
	if (db_apikey_update(db, &k) == -1 ||
	    api_audit(req, 200, "API Key Permissions Updated", "api_key", k.id,
	    NULL) == -1 || db_commit(db) == -1)
		goto out;
	o = json_object_new_object();
	json_object_object_add(o, "key_id", json_object_new_string(k.key_id));
	json_object_object_add(o, "permissions", perms_json(k.perms));
	json_object_object_add(o, "rate_limit",
	    json_object_new_int64(k.rate_limit));
	json_object_object_add(o, "updated_at", json_time(k.updated_at));
	rc = resp_json(resp, 200, o);
out:
	api_key_clear(&k);
	return rc;
}

/*
 * A new key for the same record; the old one keeps working for
 * grace_seconds (default 0), so the agents using it can be moved over.
 */
static int
keys_reroll(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[1];
	struct json_object	*o;
	struct api_key		 k;
	unsigned char		 hash[APIKEY_HASH_LEN];
	char			 key[CREDENTIAL_MAX + 1], prefix[17];
	time_t			 until;
	int			 rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	until = req->now + (v[0].present ? v[0].i : 0);
	if ((rc = key_lock(req, resp, &k)) != 0)
		return rc;
	rc = -1;
	if (!k.active) {
		db_rollback(db);
		rc = resp_error(resp, 400, "Cannot reroll an inactive API key");
		goto out;
	}
	if (key_new(req, key, hash, prefix) == -1 ||
	    db_apikey_reroll(db, k.id, hash, prefix, until, req->now) == -1 ||
	    api_audit(req, 200, "API Key Rerolled", "api_key", k.id,
	    NULL) == -1 || db_commit(db) == -1)
		goto out;
	o = json_object_new_object();
	json_object_object_add(o, "key_id", json_object_new_string(k.key_id));
	json_object_object_add(o, "api_key", json_object_new_string(key));
	json_object_object_add(o, "key_name", json_str(k.key_name));
	json_object_object_add(o, "prefix", json_object_new_string(prefix));
	json_object_object_add(o, "previous_key_valid_until", json_time(until));
	json_object_object_add(o, "warning", json_object_new_string(KEY_WARNING));
	rc = resp_json(resp, 200, o);
out:
	crypto_wipe(key, sizeof(key));
	api_key_clear(&k);
	return rc;
}

const struct route api_apikeys_routes[] = {
	{ HTTP_POST, "/api/v1/security/api-keys/create", PERM_API_KEYS,
	    keys_create, 0, NULL, NULL, &create_body },
	{ HTTP_GET, "/api/v1/security/api-keys", PERM_API_KEYS, api_list_route,
	    TAKES_NONE, NULL, &keys_list, NULL },
	{ HTTP_POST, "/api/v1/security/api-keys/<name>/revoke", PERM_API_KEYS,
	    keys_revoke, TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_PUT, "/api/v1/security/api-keys/<name>/permissions",
	    PERM_API_KEYS, keys_permissions, 0, NULL, NULL, &perms_body },
	{ HTTP_POST, "/api/v1/security/api-keys/<name>/reroll", PERM_API_KEYS,
	    keys_reroll, 0, NULL, NULL, &reroll_body },
};
const size_t api_apikeys_nroutes =
    sizeof(api_apikeys_routes) / sizeof(api_apikeys_routes[0]);
