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

/*
 * Locked: the service cannot be deleted under the new row, and its row
 * takes the new count (SQL_SUMMARY_ADD) in this transaction.  A shared
 * lock would deadlock two adds to one service on the upgrade; this way
 * they queue.
 */
static const char SQL_SERVICE_NAME[] =
    "SELECT name FROM services WHERE id = ? FOR UPDATE";
/*
 * The service's integration count (its summary, sql/022), kept by
 * adding and taking one under the row's lock like the counters (005):
 * a recount would read the service's integrations with shared locks
 * and deadlock with a delete of one of them that waits for this row.
 * ? order: +1 or -1, the service.
 */
static const char SQL_SUMMARY_ADD[] =
    "UPDATE services SET integrations = integrations + ? WHERE id = ?";
static const char SQL_INSERT[] =
    "INSERT INTO integrations (service_id, type, config, created_by, "
    "created_at) VALUES (?, ?, '{}', ?, ?)";
static const char SQL_SET_CONFIG[] =
    "UPDATE integrations SET config = ? WHERE id = ?";
static const char SQL_OUTBOX[] =
    "INSERT INTO outbox (integration_id, event, payload, status, attempts, "
    "next_attempt_at, created_at) VALUES (?, ?, ?, 'pending', 0, ?, ?)";
/*
 * The total from the counter the writers keep (sql/029), in the page's
 * statement; a page past the end has no row to carry it.
 */
#define INTEGRATION_TOTAL "(SELECT n FROM counters WHERE name = 'integrations')"
static const char SQL_COUNT[] = "SELECT " INTEGRATION_TOTAL;
static const char SQL_PAGE[] =
    "SELECT " INTEGRATION_COLS ", " INTEGRATION_TOTAL " FROM integrations "
    "ORDER BY id LIMIT ? OFFSET ?";
static const char SQL_LOCK[] =
    "SELECT id, service_id, type FROM integrations WHERE id = ? FOR UPDATE";
static const char SQL_DELETE[] = "DELETE FROM integrations WHERE id = ?";
static const char SQL_SEALED_PAGE[] =
    "SELECT id, config FROM integrations WHERE id > ? ORDER BY id LIMIT ?";
/* Compare and set: a config changed meanwhile is left for the next pass. */
static const char SQL_RESEAL[] =
    "UPDATE integrations SET config = ? WHERE id = ? AND config = ?";

void
integration_row_clear(struct integration_row *r)
{
	free(r->type);
	free(r->created_by);
	json_object_put(r->config);
	memset(r, 0, sizeof(*r));
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

static int
summary_add(struct db *db, long long service_id, int delta)
{
	struct dbval	 args[] = { DBI(delta), DBI(service_id) };

	return db_exec(db, SQL_SUMMARY_ADD, args, NARGS(args), NULL, NULL);
}

long long
db_integration_add(struct db *db, const struct keyring *kr,
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

		if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL,
		    &id) == -1 || summary_add(db, service_id, 1) == -1)
			goto out;
		db_count(db, DBC_INTEGRATIONS, 1);
	}
	if ((sealed = integration_seal(kr, (long long)id,
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

/*
 * A listed row: row_fill's, with the sealed values of its config
 * hidden; a db_collect fill.  A row that fails is cleared here, as
 * db_collect clears only the elements filled before it.
 */
static int
listed_fill(struct dbrows *r, void *elem)
{
	struct integration_row	*e = elem;
	struct json_object	*shown;

	if (row_fill(r, e) == -1)
		goto fail;
	if (e->config != NULL) {
		if ((shown = integration_redact_sealed(e->config)) == NULL)
			goto fail;
		json_object_put(e->config);
		e->config = shown;
	}
	return 0;
fail:
	integration_row_clear(e);
	return -1;
}

static void
listed_clear_v(void *elem)
{
	integration_row_clear(elem);
}

int
db_integration_list(struct db *db, long long offset, long long limit,
    struct integration_row **rows, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_PAGE, .args = args, .nargs = NARGS(args),
		.total_col = 6, .count = SQL_COUNT, .offset = offset,
	};

	return db_page(db, &q, sizeof(**rows), listed_fill, listed_clear_v,
	    (void **)rows, n, total) == 1 ? 0 : -1;
}

int
db_integration_delete(struct db *db, long long id,
    struct integration_row *gone)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	long long	 service_id = 0;
	int		 rc;

	if (gone != NULL)
		memset(gone, 0, sizeof(*gone));
	if ((r = db_query(db, SQL_LOCK, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1)
		service_id = db_int(r, 1);
	if (rc == 1 && gone != NULL) {
		gone->id = db_int(r, 0);
		gone->service_id = service_id;
		if ((gone->type = db_text_dup(r, 2, NULL)) == NULL)
			rc = -1;
	}
	db_rows_free(r);
	if (rc != 1)
		return rc;
	if (db_exec(db, SQL_DELETE, args, NARGS(args), NULL, NULL) == -1 ||
	    summary_add(db, service_id, -1) == -1)
		return -1;
	db_count(db, DBC_INTEGRATIONS, -1);
	return 1;
}

static int
sealed_fill(struct dbrows *r, void *p)
{
	struct sealed_row	*s = p;

	s->id = db_int(r, 0);
	return (s->text = db_text_dup(r, 1, NULL)) == NULL ? -1 : 0;
}

static void
sealed_clear(void *p)
{
	free(((struct sealed_row *)p)->text);
}

int
db_integration_sealed_page(struct db *db, long long after, long long limit,
    struct sealed_row **out, size_t *n)
{
	struct dbval	 args[] = { DBI(after), DBI(limit) };

	return db_collect(db, SQL_SEALED_PAGE, args, NARGS(args),
	    sizeof(**out), sealed_fill, sealed_clear, (void **)out, n);
}

int
db_integration_reseal(struct db *db, long long id, const char *old,
    const char *fresh)
{
	struct dbval		 args[] = { DBS(fresh), DBI(id), DBS(old) };
	unsigned long long	 n;

	if (db_exec(db, SQL_RESEAL, args, NARGS(args), &n, NULL) == -1)
		return -1;
	return n > 0;
}
