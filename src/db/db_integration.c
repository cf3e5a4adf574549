/*
 * The integrations table and its outbox rows.  An integration's id is
 * part of its secrets' AAD, so a new row is inserted with an empty
 * config first and gets its sealed config by an UPDATE in the same
 * transaction: nobody ever sees the placeholder.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/integration.h"
#include "core/isotime.h"
#include "db/db.h"
#include "db/db_integration.h"
#include "util/aead.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/log.h"

#define INTEGRATION_COLS "id, service_id, type, config, created_by, created_at"

/* A shared lock: the service cannot be deleted under the new row. */
static const char SQL_SERVICE_NAME[] =
    "SELECT name FROM services WHERE id = ? LOCK IN SHARE MODE";
static const char SQL_INSERT[] =
    "INSERT INTO integrations (service_id, type, config, created_by, "
    "created_at) VALUES (?, ?, '{}', ?, ?)";
static const char SQL_SET_CONFIG[] =
    "UPDATE integrations SET config = ? WHERE id = ?";
static const char SQL_OUTBOX[] =
    "INSERT INTO outbox (integration_id, event, payload, status, attempts, "
    "next_attempt_at, created_at) VALUES (?, ?, ?, 'pending', 0, ?, ?)";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM integrations";
static const char SQL_PAGE[] =
    "SELECT " INTEGRATION_COLS " FROM integrations ORDER BY id "
    "LIMIT ? OFFSET ?";
static const char SQL_LOCK[] =
    "SELECT id, service_id, type FROM integrations WHERE id = ? FOR UPDATE";
static const char SQL_DELETE[] = "DELETE FROM integrations WHERE id = ?";

void
integration_row_clear(struct integration_row *r)
{
	free(r->type);
	free(r->created_by);
	json_object_put(r->config);
	memset(r, 0, sizeof(*r));
}

/* "integration:<id>:<path>:v<version>", malloc'd; NULL on failure. */
static char *
make_aad(long long id, const char *path, int version, size_t *len)
{
	char	*aad;
	int	 n;

	n = snprintf(NULL, 0, "integration:%lld:%s:v%d", id, path, version);
	if (n < 0 || (aad = malloc((size_t)n + 1)) == NULL)
		return NULL;
	snprintf(aad, (size_t)n + 1, "integration:%lld:%s:v%d", id, path,
	    version);
	*len = (size_t)n;
	return aad;
}

struct seal_ctx {
	const struct aead_key	*keys;
	size_t			 nkeys;
	long long		 id;
};

/* The value's JSON text is what gets sealed, so any JSON type round-trips. */
static int
seal_one(const char *path, struct json_object *value, void *arg,
    struct json_object **out)
{
	struct seal_ctx		*c = arg;
	struct json_object	*hint = NULL;
	const char		*text;
	char			*aad = NULL, *sealed = NULL;
	size_t			 len, aadlen;
	int			 rc = -1;

	*out = NULL;
	if ((text = json_text(value, &len)) == NULL ||
	    (aad = make_aad(c->id, path, c->keys->version, &aadlen)) == NULL ||
	    (sealed = aead_seal(c->keys, aad, aadlen, text, len)) == NULL ||
	    (hint = integration_redact_value(value)) == NULL ||
	    (*out = integration_wrap(sealed,
	    json_object_get_string(hint))) == NULL)
		goto out;
	rc = 0;
out:
	json_object_put(hint);
	free(sealed);
	free(aad);
	return rc;
}

static int
open_one(const char *path, struct json_object *value, void *arg,
    struct json_object **out)
{
	struct seal_ctx		*c = arg;
	unsigned char		*pt = NULL;
	const char		*sealed;
	char			*aad = NULL;
	size_t			 ptlen = 0, aadlen;
	int			 version, rc = -1;

	*out = NULL;
	if ((sealed = integration_unwrap(value)) == NULL)
		return log_warnx("integration %lld: a secret (%s) is stored "
		    "unsealed", c->id, path);
	if ((version = aead_version(sealed)) < 0)
		return log_warnx("integration %lld: a secret (%s) is malformed",
		    c->id, path);
	if ((aad = make_aad(c->id, path, version, &aadlen)) == NULL)
		return -1;
	if (aead_open(c->keys, c->nkeys, sealed, aad, aadlen, &pt,
	    &ptlen) == -1) {
		log_warnx("integration %lld: a secret (%s) does not open",
		    c->id, path);
		goto out;
	}
	if ((*out = json_parse_strict((const char *)pt, ptlen)) == NULL) {
		log_warnx("integration %lld: a secret (%s) is not JSON",
		    c->id, path);
		goto out;
	}
	rc = 0;
out:
	if (pt != NULL) {
		crypto_wipe(pt, ptlen);
		free(pt);
	}
	free(aad);
	return rc;
}

struct json_object *
db_integration_seal(const struct aead_key *key, long long id,
    struct json_object *config)
{
	struct seal_ctx		 c = { key, 1, id };
	struct json_object	*out;

	if (integration_map_secrets(config, seal_one, &c, &out) == -1)
		return NULL;
	return out;
}

struct json_object *
db_integration_open(const struct aead_key *keys, size_t nkeys, long long id,
    struct json_object *sealed)
{
	struct seal_ctx		 c = { keys, nkeys, id };
	struct json_object	*out;

	if (integration_map_secrets(sealed, open_one, &c, &out) == -1)
		return NULL;
	return out;
}

/* What the daemon sends for a new integration; no secret in it. */
static struct json_object *
added_payload(long long id, long long service_id, const char *service_name,
    const char *type, struct json_object *config, const char *created_by,
    time_t now)
{
	struct json_object	*p, *redacted;
	char			 when[ISOTIME_LEN + 1];
	char			 text[512];

	if ((redacted = integration_redact(config)) == NULL)
		return NULL;
	if ((p = json_object_new_object()) == NULL) {
		json_object_put(redacted);
		return NULL;
	}
	isotime_format(now, when);
	snprintf(text, sizeof(text), "Integration %s added to service %.200s "
	    "by %.200s", type, service_name,
	    created_by != NULL ? created_by : "system");
	json_object_object_add(p, "event",
	    json_object_new_string(OUTBOX_EVENT_INTEGRATION_ADDED));
	json_object_object_add(p, "integration_id", json_object_new_int64(id));
	json_object_object_add(p, "service_id",
	    json_object_new_int64(service_id));
	json_object_object_add(p, "service_name",
	    json_object_new_string(service_name));
	json_object_object_add(p, "type", json_object_new_string(type));
	json_object_object_add(p, "config", redacted);
	json_object_object_add(p, "created_by",
	    created_by ? json_object_new_string(created_by) : NULL);
	json_object_object_add(p, "created_at", json_object_new_string(when));
	json_object_object_add(p, "message", json_object_new_string(text));
	return p;
}

/* The service's name (shared-locked), malloc'd in *name: 1, 0 none, -1. */
static int
service_name(struct db *db, long long service_id, char **name)
{
	struct dbval	 args[] = { DBI(service_id) };
	struct dbrows	*r;
	const char	*s;
	int		 rc;

	*name = NULL;
	if ((r = db_query(db, SQL_SERVICE_NAME, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		s = db_text(r, 0, NULL);
		if ((*name = strdup(s ? s : "")) == NULL)
			rc = -1;
	}
	db_rows_free(r);
	return rc;
}

long long
db_integration_add(struct db *db, const struct aead_key *key,
    long long service_id, enum integration_type type,
    struct json_object *config, const char *created_by, time_t now)
{
	struct json_object	*sealed = NULL, *payload = NULL;
	unsigned long long	 id = 0;
	const char		*tname, *text, *ptext;
	char			*name = NULL;
	size_t			 len, plen;
	long long		 rc = -1;
	int			 found;

	if ((tname = integration_type_name(type)) == NULL)
		return log_errx("db_integration_add: bad type %d", (int)type);
	if ((found = service_name(db, service_id, &name)) != 1)
		return found;
	{
		struct dbval	 args[] = { DBI(service_id), DBS(tname),
			DBS(created_by), DBT(now) };

		if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
			goto out;
	}
	if ((sealed = db_integration_seal(key, (long long)id,
	    config)) == NULL ||
	    (text = json_text(sealed, &len)) == NULL) {
		log_warnx("db_integration_add: cannot seal the config");
		goto out;
	}
	{
		struct dbval	 args[] = { DBB(text, len), DBI(id) };

		if (db_exec(db, SQL_SET_CONFIG, args, NARGS(args), NULL,
		    NULL) == -1)
			goto out;
	}
	if ((payload = added_payload((long long)id, service_id, name, tname,
	    config, created_by, now)) == NULL ||
	    (ptext = json_text(payload, &plen)) == NULL)
		goto out;
	{
		struct dbval	 args[] = { DBI(id),
			DBS(OUTBOX_EVENT_INTEGRATION_ADDED), DBB(ptext, plen),
			DBT(now), DBT(now) };

		if (db_exec(db, SQL_OUTBOX, args, NARGS(args), NULL,
		    NULL) == -1)
			goto out;
	}
	rc = (long long)id;
out:
	json_object_put(payload);
	json_object_put(sealed);
	free(name);
	return rc;
}

long long
db_integration_count(struct db *db)
{
	long long	 n;

	if (db_scalar(db, SQL_COUNT, NULL, 0, &n) != 1)
		return -1;
	return n;
}

/*
 * Fill out from a row of INTEGRATION_COLS with the stored (sealed)
 * config; a config that does not parse is logged and left NULL.
 */
static int
row_fill(struct dbrows *r, struct integration_row *out)
{
	const char	*cfg;
	size_t		 len;

	memset(out, 0, sizeof(*out));
	out->id = db_int(r, 0);
	out->service_id = db_int(r, 1);
	out->created_at = db_time(r, 5);
	if ((out->type = db_text_dup(r, 2, NULL)) == NULL)
		return -1;
	if (!db_isnull(r, 4) && (out->created_by = db_text_dup(r, 4, NULL)) == NULL)
		return -1;
	if ((cfg = db_text(r, 3, &len)) == NULL ||
	    (out->config = json_parse_strict(cfg, len)) == NULL)
		log_warnx("integration %lld: stored config is not JSON",
		    out->id);
	return 0;
}

int
db_integration_list(struct db *db, long long offset, long long limit,
    struct integration_row **rows, size_t *n)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct integration_row	*v = NULL, *e;
	struct json_object	*shown;
	struct dbrows		*r;
	size_t			 i = 0, cap;

	*rows = NULL;
	*n = 0;
	if ((r = db_query(db, SQL_PAGE, args, NARGS(args))) == NULL)
		return -1;
	cap = (size_t)db_nrows(r);
	if (cap > 0 && (v = calloc(cap, sizeof(*v))) == NULL) {
		db_rows_free(r);
		return -1;
	}
	while (i < cap && db_next(r) == 1) {
		e = &v[i++];
		if (row_fill(r, e) == -1)
			goto fail;
		if (e->config != NULL) {
			shown = integration_redact_sealed(e->config);
			if (shown == NULL)
				goto fail;
			json_object_put(e->config);
			e->config = shown;
		}
	}
	if (i < cap)
		goto fail;
	db_rows_free(r);
	*rows = v;
	*n = i;
	return 0;
fail:
	while (i > 0)
		integration_row_clear(&v[--i]);
	free(v);
	db_rows_free(r);
	return -1;
}

int
db_integration_delete(struct db *db, long long id,
    struct integration_row *gone)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	int		 rc;

	if (gone != NULL)
		memset(gone, 0, sizeof(*gone));
	if ((r = db_query(db, SQL_LOCK, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1 && gone != NULL) {
		gone->id = db_int(r, 0);
		gone->service_id = db_int(r, 1);
		if ((gone->type = db_text_dup(r, 2, NULL)) == NULL)
			rc = -1;
	}
	db_rows_free(r);
	if (rc != 1)
		return rc;
	if (db_exec(db, SQL_DELETE, args, NARGS(args), NULL, NULL) == -1)
		return -1;
	return 1;
}

