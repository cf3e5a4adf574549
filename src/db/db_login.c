/*
 * The login_failures table: one row per failed login, counted per
 * username and per client address over a sliding window.
 */
#include "config.h"

#include "db/db.h"
#include "db/db_login.h"

static const char SQL_COUNT[] =
    "SELECT "
    "(SELECT COUNT(*) FROM login_failures WHERE username = ? AND at > ?), "
    "(SELECT MIN(at) FROM login_failures WHERE username = ? AND at > ?), "
    "(SELECT COUNT(*) FROM login_failures WHERE addr = ? AND at > ?), "
    "(SELECT MIN(at) FROM login_failures WHERE addr = ? AND at > ?)";
static const char SQL_FAIL[] =
    "INSERT INTO login_failures (username, addr, at) VALUES (?, ?, ?)";
static const char SQL_CLEAR[] =
    "DELETE FROM login_failures WHERE username = ?";
static const char SQL_PRUNE[] =
    "DELETE FROM login_failures WHERE at < ?";

int
db_login_failures(struct db *db, const char *username, const char *addr,
    time_t since, struct login_failures *out)
{
	struct dbval	 args[] = {
		DBS(username), DBT(since), DBS(username), DBT(since),
		DBS(addr), DBT(since), DBS(addr), DBT(since),
	};
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, SQL_COUNT, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		out->by_user = db_int(r, 0);
		out->oldest_user = db_time(r, 1);
		out->by_addr = db_int(r, 2);
		out->oldest_addr = db_time(r, 3);
	}
	db_rows_free(r);
	return rc == 1 ? 0 : -1;
}

int
db_login_fail(struct db *db, const char *username, const char *addr,
    time_t now)
{
	struct dbval	 args[] = { DBS(username), DBS(addr), DBT(now) };

	return db_exec(db, SQL_FAIL, args, NARGS(args), NULL, NULL);
}

int
db_login_clear(struct db *db, const char *username)
{
	struct dbval	 args[] = { DBS(username) };

	return db_exec(db, SQL_CLEAR, args, NARGS(args), NULL, NULL);
}

int
db_login_prune(struct db *db, time_t before)
{
	struct dbval	 args[] = { DBT(before) };

	return db_exec(db, SQL_PRUNE, args, NARGS(args), NULL, NULL);
}
