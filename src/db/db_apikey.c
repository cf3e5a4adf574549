/*
 * The api_keys table.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_apikey.h"

#define KEY_COLS "k.id, k.key_id, k.user_id, k.key_name, k.prefix, " \
	"k.permissions, k.rate_limit, k.is_active, k.created_at, k.updated_at, " \
	"k.expires_at, k.revoked_at, k.last_used_at, k.last_used_ip, k.prev_until"

static const char SQL_INSERT[] =
    "INSERT INTO api_keys (key_id, user_id, key_name, prefix, key_hash, "
    "permissions, rate_limit, is_active, created_at, updated_at, expires_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
static const char SQL_GET[] =
    "SELECT " KEY_COLS " FROM api_keys k WHERE k.key_id = ?";
static const char SQL_GET_LOCK[] =
    "SELECT " KEY_COLS " FROM api_keys k WHERE k.key_id = ? FOR UPDATE";
#define SQL_COUNT_TEXT	"SELECT COUNT(*) FROM api_keys"
static const char SQL_COUNT[] = SQL_COUNT_TEXT;
/*
 * A page and the total in one statement (db_page): the count is not
 * correlated, so MariaDB reads it once.  Keys are an organisation's
 * few (one per agent or script): counted, not kept.
 */
static const char SQL_PAGE[] =
    "SELECT " KEY_COLS ", (" SQL_COUNT_TEXT ") FROM api_keys k "
    "ORDER BY k.id DESC LIMIT ? OFFSET ?";
#define PAGE_TOTAL	15	/* the column after KEY_COLS */
static const char SQL_UPDATE[] =
    "UPDATE api_keys SET permissions = ?, rate_limit = ?, is_active = ?, "
    "revoked_at = ?, updated_at = ? WHERE id = ?";
static const char SQL_REROLL[] =
    "UPDATE api_keys SET prev_hash = key_hash, prev_until = ?, key_hash = ?, "
    "prefix = ?, updated_at = ? WHERE id = ?";
static const char SQL_AUTH[] =
    "SELECT " KEY_COLS ", u.username, u.role, u.active, k.key_hash, "
    "IF(k.prev_until > ?, k.prev_hash, NULL) FROM api_keys k "
    "JOIN users u ON u.id = k.user_id "
    "WHERE k.key_hash = ? OR (k.prev_hash = ? AND k.prev_until > ?)";
/*
 * Decide and count at once: the row matches only while the window has
 * room (or a new window starts), and LAST_INSERT_ID carries the count
 * back.  A window only moves forward: a web host whose clock lags
 * counts into the newer window instead of opening its old one again.
 * last_used_* move at most once a minute.  Assignments run left to
 * right on the updated values, so the count reads the old window_start
 * and the ip the old last_used_at.
 */
static const char SQL_HIT[] =
    "UPDATE api_keys SET "
    "window_count = LAST_INSERT_ID(IF(window_start >= ?, window_count + 1, 1)), "
    "window_start = GREATEST(COALESCE(window_start, ?), ?), "
    "last_used_ip = IF(last_used_at IS NULL OR last_used_at <= ? - INTERVAL 60 "
    "SECOND, ?, last_used_ip), "
    "last_used_at = IF(last_used_at IS NULL OR last_used_at <= ? - INTERVAL 60 "
    "SECOND, ?, last_used_at) "
    "WHERE id = ? AND (window_start IS NULL OR window_start < ? OR "
    "window_count < rate_limit)";

void
api_key_clear(struct api_key *k)
{
	free(k->key_name);
	free(k->last_used_ip);
	memset(k, 0, sizeof(*k));
}

int
api_key_perms_parse(const char *text, unsigned *bits)
{
	char	 name[32];
	size_t	 len;
	int	 k;

	*bits = 0;
	for (; text != NULL && *text != '\0'; text += len) {
		text += strspn(text, ",");
		if ((len = strcspn(text, ",")) == 0)
			break;
		if (len >= sizeof(name))
			return -1;
		memcpy(name, text, len);
		name[len] = '\0';
		if ((k = key_perm_parse(name)) < 0)
			return -1;
		*bits |= 1u << k;
	}
	return 0;
}

void
api_key_perms_text(unsigned bits, char *buf, size_t bufsz)
{
	size_t	 len = 0;
	int	 k;

	if (bufsz == 0)
		return;
	buf[0] = '\0';
	for (k = 0; k < KEY_PERM__MAX; k++)
		if (bits & (1u << k))
			len += (size_t)snprintf(buf + len, len < bufsz ?
			    bufsz - len : 0, "%s%s", len ? "," : "",
			    key_perm_name((enum key_perm)k));
}

static int
key_fill(struct dbrows *r, void *p)
{
	struct api_key	*k = p;
	const char	*s;
	bool		 oom = false;

	k->id = db_int(r, 0);
	snprintf(k->key_id, sizeof(k->key_id), "%s",
	    (s = db_text(r, 1, NULL)) ? s : "");
	k->user_id = db_int(r, 2);
	k->key_name = db_text_dup(r, 3, &oom);
	snprintf(k->prefix, sizeof(k->prefix), "%s",
	    (s = db_text(r, 4, NULL)) ? s : "");
	if (api_key_perms_parse(db_text(r, 5, NULL), &k->perms) == -1)
		k->perms = 0;		/* a name we no longer know grants nothing */
	k->rate_limit = (long)db_int(r, 6);
	k->active = db_int(r, 7) != 0;
	k->created_at = db_time(r, 8);
	k->updated_at = db_time(r, 9);
	k->expires_at = db_time(r, 10);
	k->revoked_at = db_time(r, 11);
	k->last_used_at = db_time(r, 12);
	k->last_used_ip = db_text_dup(r, 13, &oom);
	k->prev_until = db_time(r, 14);
	if (oom || k->key_name == NULL) {
		api_key_clear(k);
		return -1;
	}
	return 0;
}

static void
key_clear_v(void *k)
{
	api_key_clear(k);
}

int
db_apikey_insert(struct db *db, struct api_key *k,
    const unsigned char hash[APIKEY_HASH_LEN])
{
	unsigned long long	 id;
	char			 perms[128];
	struct dbval		 args[11];

	api_key_perms_text(k->perms, perms, sizeof(perms));
	args[0] = DBS(k->key_id);
	args[1] = DBI(k->user_id);
	args[2] = DBS(k->key_name);
	args[3] = DBS(k->prefix);
	args[4] = DBB(hash, APIKEY_HASH_LEN);
	args[5] = DBS(perms);
	args[6] = DBI(k->rate_limit);
	args[7] = DBT(k->created_at);
	args[8] = DBT(k->updated_at);
	args[9] = k->expires_at ? DBT(k->expires_at) : DBNULL;
	if (db_exec(db, SQL_INSERT, args, 10, NULL, &id) == -1)
		return -1;
	k->id = (long long)id;
	return 0;
}

int
db_apikey_get(struct db *db, const char *key_id, bool lock, struct api_key *k)
{
	struct dbval	 args[] = { DBS(key_id) };
	struct dbrows	*r;
	int		 rc;

	memset(k, 0, sizeof(*k));
	if ((r = db_query(db, lock ? SQL_GET_LOCK : SQL_GET, args,
	    NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1 && key_fill(r, k) == -1)
		rc = -1;
	db_rows_free(r);
	return rc;
}

int
db_apikey_list(struct db *db, long long offset, long long limit,
    struct api_key **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_PAGE, .args = args, .nargs = NARGS(args),
		.total_col = PAGE_TOTAL, .count = SQL_COUNT, .offset = offset,
	};

	return db_page(db, &q, sizeof(**out), key_fill, key_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}

int
db_apikey_update(struct db *db, const struct api_key *k)
{
	char		 perms[128];
	struct dbval	 args[6];

	api_key_perms_text(k->perms, perms, sizeof(perms));
	args[0] = DBS(perms);
	args[1] = DBI(k->rate_limit);
	args[2] = DBI(k->active);
	args[3] = k->revoked_at ? DBT(k->revoked_at) : DBNULL;
	args[4] = DBT(k->updated_at);
	args[5] = DBI(k->id);
	return db_exec(db, SQL_UPDATE, args, NARGS(args), NULL, NULL);
}

int
db_apikey_reroll(struct db *db, long long id,
    const unsigned char hash[APIKEY_HASH_LEN], const char *prefix,
    time_t prev_until, time_t now)
{
	struct dbval	 args[] = {
		DBT(prev_until), DBB(hash, APIKEY_HASH_LEN), DBS(prefix),
		DBT(now), DBI(id),
	};

	return db_exec(db, SQL_REROLL, args, NARGS(args), NULL, NULL);
}

int
db_apikey_auth(struct db *db, const unsigned char hash[APIKEY_HASH_LEN],
    time_t now, struct api_key_auth *a)
{
	struct dbval	 args[] = {
		DBT(now), DBB(hash, APIKEY_HASH_LEN), DBB(hash, APIKEY_HASH_LEN),
		DBT(now),
	};
	struct dbrows	*r;
	const char	*s, *h;
	size_t		 len = 0, hlen = 0;
	int		 rc, role;

	memset(a, 0, sizeof(*a));
	if ((r = db_query(db, SQL_AUTH, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		if (key_fill(r, &a->key) == -1)
			rc = -1;
		else if ((s = db_text(r, 15, &len)) == NULL ||
		    len >= sizeof(a->username))
			rc = 0;		/* a name that does not fit: no key */
		else {
			memcpy(a->username, s, len + 1);
			role = role_parse(db_text(r, 16, NULL));
			a->role = role < 0 ? ROLE_USER : (enum role)role;
			a->user_active = db_int(r, 17) != 0;
			if ((h = db_text(r, 18, &hlen)) == NULL ||
			    hlen != APIKEY_HASH_LEN)
				rc = 0;
			else
				memcpy(a->key_hash, h, hlen);
			if ((h = db_text(r, 19, &hlen)) != NULL &&
			    hlen == APIKEY_HASH_LEN) {
				memcpy(a->prev_hash, h, hlen);
				a->has_prev = true;
			}
		}
		if (rc != 1)
			api_key_clear(&a->key);
	}
	db_rows_free(r);
	return rc;
}

int
db_apikey_hit(struct db *db, long long id, time_t window, time_t now,
    const char *addr, long *count)
{
	struct dbval		 args[] = {
		DBT(window), DBT(window), DBT(window), DBT(now), DBS(addr),
		DBT(now), DBT(now), DBI(id), DBT(window),
	};
	unsigned long long	 n, last;

	if (db_exec(db, SQL_HIT, args, NARGS(args), &n, &last) == -1)
		return -1;
	*count = (long)last;
	return n > 0;
}
