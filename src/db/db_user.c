/*
 * The users table and the token state that goes with it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_user.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/token.h"

#define USER_COLS "id, username, email, name, password_hash, role, active, " \
	"token_gen, created_at"

/* The whole profile too: GET /api/auth/me answers from it. */
static const char SQL_AUTH[] =
    "SELECT username, role, active, token_gen, "
    "EXISTS(SELECT 1 FROM revoked_tokens WHERE jti = ?), email, name, "
    "created_at FROM users WHERE id = ?";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM users";
static const char SQL_REHASH[] =
    "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?";
static const char SQL_INSERT[] =
    "INSERT INTO users (username, email, name, password_hash, role, active, "
    "token_gen, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?)";
/* A username match wins over an email match. */
static const char SQL_BY_LOGIN[] =
    "SELECT " USER_COLS " FROM users WHERE username = ? OR email = ? "
    "ORDER BY username = ? DESC LIMIT 1";
static const char SQL_BY_ID[] =
    "SELECT " USER_COLS " FROM users WHERE id = ?";
static const char SQL_EXISTS[] =
    "SELECT COUNT(*) FROM users WHERE username IN (?, ?) OR email IN (?, ?)";
/*
 * A page with the accounts' count in a last column (not correlated:
 * counted once): one round trip; a page past the end counts alone.
 */
#define LIST_COUNT_COL	9	/* after USER_COLS */
static const char SQL_LIST[] =
    "SELECT " USER_COLS ", (SELECT COUNT(*) FROM users) FROM users "
    "ORDER BY id LIMIT ? OFFSET ?";
static const char SQL_UPDATE[] =
    "UPDATE users SET role = ?, email = ?, name = ?, active = ?, "
    "password_hash = ?, token_gen = token_gen + ?, updated_at = UTC_TIMESTAMP() "
    "WHERE id = ?";
static const char SQL_REVOKE[] =
    "INSERT IGNORE INTO revoked_tokens (jti, expires_at) VALUES (?, ?)";
/*
 * Every change a token check reads (an account's role, state, password
 * or token generation; a logout) counted, in the same transaction: the
 * other hosts' token caches read the count to learn of it (authcache.h).
 */
static const char SQL_CHANGED[] =
    "UPDATE counters SET n = n + 1 WHERE name = 'auth_changes'";
static const char SQL_CHANGES[] =
    "SELECT n FROM counters WHERE name = 'auth_changes'";

void
user_clear(struct user *u)
{
	free(u->username);
	free(u->email);
	free(u->name);
	if (u->password_hash != NULL) {
		crypto_wipe(u->password_hash, strlen(u->password_hash));
		free(u->password_hash);
	}
	memset(u, 0, sizeof(*u));
}

/* Fill u from a row of USER_COLS; a db_collect fill. */
static int
user_from_row(struct dbrows *r, void *p)
{
	struct user	*u = p;
	bool		 oom = false;
	int		 role;

	memset(u, 0, sizeof(*u));
	u->id = db_int(r, 0);
	u->username = db_text_dup(r, 1, &oom);
	u->email = db_text_dup(r, 2, &oom);
	u->name = db_text_dup(r, 3, &oom);
	u->password_hash = db_text_dup(r, 4, &oom);
	role = role_parse(db_text(r, 5, NULL) ? db_text(r, 5, NULL) : "");
	u->role = role < 0 ? ROLE_USER : (enum role)role;
	u->active = db_int(r, 6) != 0;
	u->token_gen = db_int(r, 7);
	u->created_at = db_time(r, 8);
	if (oom || u->username == NULL || u->password_hash == NULL) {
		user_clear(u);
		return -1;
	}
	return 0;
}

static int
user_one(struct db *db, const char *sql, const struct dbval *args,
    size_t nargs, struct user *u)
{
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, sql, args, nargs)) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1 && user_from_row(r, u) == -1)
		rc = -1;
	db_rows_free(r);
	return rc;
}

int
db_user_auth(struct db *db, long long uid, const char *jti,
    struct user_auth *a)
{
	unsigned char	 raw[TOKEN_JTI_LEN / 2];
	struct dbval	 args[2];
	struct dbrows	*r;
	const char	*s;
	size_t		 len = 0;
	int		 rc, role;

	if (crypto_unhex(jti, raw, sizeof(raw)) == -1)
		return 0;
	args[0] = DBB(raw, sizeof(raw));
	args[1] = DBI(uid);
	if ((r = db_query(db, SQL_AUTH, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		s = db_text(r, 0, &len);
		/* Never cut short: a name that does not fit does not authenticate. */
		if (s == NULL || len >= sizeof(a->username)) {
			db_rows_free(r);
			return 0;
		}
		memcpy(a->username, s, len + 1);
		role = role_parse(db_text(r, 1, NULL) ? db_text(r, 1, NULL) : "");
		a->role = role < 0 ? ROLE_USER : (enum role)role;
		a->active = db_int(r, 2) != 0;
		a->token_gen = db_int(r, 3);
		a->revoked = db_int(r, 4) != 0;
		a->created_at = db_time(r, 7);
		if (db_text(r, 5, NULL) != NULL &&
		    (a->email = strdup(db_text(r, 5, NULL))) == NULL)
			rc = -1;
		if (db_text(r, 6, NULL) != NULL &&
		    (a->name = strdup(db_text(r, 6, NULL))) == NULL)
			rc = -1;
	}
	db_rows_free(r);
	if (rc == -1)
		user_auth_clear(a);
	return rc;
}

void
user_auth_clear(struct user_auth *a)
{
	free(a->email);
	free(a->name);
	a->email = a->name = NULL;
}

long long
db_user_count(struct db *db)
{
	long long	 n;

	if (db_scalar(db, SQL_COUNT, NULL, 0, &n) != 1)
		return -1;
	return n;
}

int
db_user_insert(struct db *db, struct user *u)
{
	unsigned long long	 id;
	time_t			 now = time(NULL);
	struct dbval		 args[] = {
		DBS(u->username), DBS(u->email), DBS(u->name),
		DBS(u->password_hash), DBS(role_name(u->role)), DBT(now), DBT(now),
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	u->id = (long long)id;
	u->created_at = now;
	u->active = true;
	u->token_gen = 0;
	return 0;
}

int
db_user_by_login(struct db *db, const char *login, struct user *u)
{
	struct dbval	 args[] = { DBS(login), DBS(login), DBS(login) };

	return user_one(db, SQL_BY_LOGIN, args, NARGS(args), u);
}

int
db_user_by_id(struct db *db, long long id, struct user *u)
{
	struct dbval	 args[] = { DBI(id) };

	return user_one(db, SQL_BY_ID, args, NARGS(args), u);
}

int
db_user_exists(struct db *db, const char *username, const char *email)
{
	const char	*e = email ? email : username;
	struct dbval	 args[] = { DBS(username), DBS(e), DBS(username), DBS(e) };
	long long	 n;

	if (db_scalar(db, SQL_EXISTS, args, NARGS(args), &n) != 1)
		return -1;
	return n > 0;
}

static void
user_clear_v(void *u)
{
	user_clear(u);
}

int
db_user_list(struct db *db, long long offset, long long limit,
    struct user **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_LIST, .args = args, .nargs = NARGS(args),
		.total_col = LIST_COUNT_COL, .count = SQL_COUNT,
		.offset = offset,
	};

	return db_page(db, &q, sizeof(**out), user_from_row, user_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}

/* Count the change and have it heard of once committed. */
static int
auth_changed(struct db *db)
{
	if (db_exec(db, SQL_CHANGED, NULL, 0, NULL, NULL) == -1)
		return -1;
	db_note(db, DB_NOTE_AUTH);
	return 0;
}

int
db_user_update(struct db *db, const struct user *u, bool revoke)
{
	unsigned long long	 affected;
	struct dbval		 args[] = {
		DBS(role_name(u->role)), DBS(u->email), DBS(u->name),
		DBI(u->active ? 1 : 0), DBS(u->password_hash), DBI(revoke ? 1 : 0),
		DBI(u->id),
	};

	if (db_exec(db, SQL_UPDATE, args, NARGS(args), &affected, NULL) == -1)
		return -1;
	if (affected > 0 && auth_changed(db) == -1)
		return -1;
	return affected > 0;
}

int
db_token_revoke(struct db *db, const char *jti, time_t exp)
{
	unsigned char	 raw[TOKEN_JTI_LEN / 2];
	struct dbval	 args[2];

	if (crypto_unhex(jti, raw, sizeof(raw)) == -1)
		return log_warnx("db_token_revoke: malformed jti");
	args[0] = DBB(raw, sizeof(raw));
	args[1] = DBT(exp);
	if (db_exec(db, SQL_REVOKE, args, NARGS(args), NULL, NULL) == -1)
		return -1;
	return auth_changed(db);
}

int
db_auth_changes(struct db *db, long long *n)
{
	int	 rc;

	if ((rc = db_scalar(db, SQL_CHANGES, NULL, 0, n)) == 0)
		*n = 0;
	return rc == -1 ? -1 : 0;
}

int
db_user_rehash(struct db *db, long long id, const char *old,
    const char *new_hash)
{
	struct dbval	 args[] = { DBS(new_hash), DBI(id), DBS(old) };

	return db_exec(db, SQL_REHASH, args, NARGS(args), NULL, NULL);
}
