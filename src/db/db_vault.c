/*
 * The vault_tokens table.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_vault.h"

static const char SQL_INSERT[] =
    "INSERT INTO vault_tokens (token_hash, data_type, sealed, key_version, "
    "preview, created_by, created_at, expires_at) "
    "VALUES (?, ?, '', 0, ?, ?, ?, ?)";
static const char SQL_SET[] =
    "UPDATE vault_tokens SET sealed = ?, key_version = ? WHERE id = ?";
static const char SQL_GET[] =
    "SELECT id, data_type, sealed, created_at, expires_at FROM vault_tokens "
    "WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?)";
static const char SQL_SEALED_PAGE[] =
    "SELECT id, data_type, sealed, key_version FROM vault_tokens "
    "WHERE id > ? ORDER BY id LIMIT ?";
static const char SQL_RESEAL[] =
    "UPDATE vault_tokens SET sealed = ?, key_version = ? "
    "WHERE id = ? AND sealed = ?";

void
vault_entry_clear(struct vault_entry *e)
{
	free(e->data_type);
	free(e->sealed);
	memset(e, 0, sizeof(*e));
}

int
db_vault_insert(struct db *db, const unsigned char hash[VAULT_HASH_LEN],
    const char *data_type, const char *preview, long long created_by,
    time_t now, time_t expires_at, long long *id)
{
	unsigned long long	 rowid;
	struct dbval		 args[] = {
		DBB(hash, VAULT_HASH_LEN), DBS(data_type), DBS(preview),
		created_by ? DBI(created_by) : DBNULL, DBT(now),
		expires_at ? DBT(expires_at) : DBNULL,
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &rowid) == -1)
		return -1;
	*id = (long long)rowid;
	return 0;
}

int
db_vault_set_sealed(struct db *db, long long id, const char *sealed,
    int version)
{
	struct dbval	 args[] = { DBS(sealed), DBI(version), DBI(id) };

	return db_exec(db, SQL_SET, args, NARGS(args), NULL, NULL);
}

int
db_vault_get(struct db *db, const unsigned char hash[VAULT_HASH_LEN],
    time_t now, struct vault_entry *out)
{
	struct dbval	 args[] = { DBB(hash, VAULT_HASH_LEN), DBT(now) };
	struct dbrows	*r;
	bool		 oom = false;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((r = db_query(db, SQL_GET, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		out->id = db_int(r, 0);
		out->data_type = db_text_dup(r, 1, &oom);
		out->sealed = db_text_dup(r, 2, &oom);
		out->created_at = db_time(r, 3);
		out->expires_at = db_time(r, 4);
		if (oom || out->data_type == NULL || out->sealed == NULL) {
			vault_entry_clear(out);
			rc = -1;
		}
	}
	db_rows_free(r);
	return rc;
}

static int
sealed_fill(struct dbrows *r, void *p)
{
	struct vault_sealed	*s = p;
	const char		*type = db_text(r, 1, NULL);

	s->id = db_int(r, 0);
	snprintf(s->where, sizeof(s->where), "vault:%lld:%s", s->id,
	    type ? type : "");
	s->version = (int)db_int(r, 3);
	return (s->sealed = db_text_dup(r, 2, NULL)) == NULL ? -1 : 0;
}

static void
sealed_clear(void *p)
{
	free(((struct vault_sealed *)p)->sealed);
}

int
db_vault_sealed_page(struct db *db, long long after, long long limit,
    struct vault_sealed **out, size_t *n)
{
	struct dbval	 args[] = { DBI(after), DBI(limit) };

	return db_collect(db, SQL_SEALED_PAGE, args, NARGS(args), sizeof(**out),
	    sealed_fill, sealed_clear, (void **)out, n);
}

void
vault_sealed_free(struct vault_sealed *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].sealed);
	free(v);
}

int
db_vault_reseal(struct db *db, long long id, const char *old,
    const char *fresh, int version)
{
	struct dbval		 args[] = {
		DBS(fresh), DBI(version), DBI(id), DBS(old),
	};
	unsigned long long	 n;

	if (db_exec(db, SQL_RESEAL, args, NARGS(args), &n, NULL) == -1)
		return -1;
	return n > 0;
}
