/*
 * The throttle_events table: one row per throttled attempt, counted
 * per (kind, subject) and per (kind, address) over a sliding window.
 */
#include "config.h"

#include "db/db.h"
#include "db/db_throttle.h"

static const char SQL_RECORD[] =
    "INSERT INTO throttle_events (kind, subject, addr, at) VALUES (?, ?, ?, ?)";
static const char SQL_COUNT[] =
    "SELECT "
    "(SELECT COUNT(*) FROM throttle_events WHERE kind = ? AND subject = ? "
    "AND at > ?), "
    "(SELECT MIN(at) FROM throttle_events WHERE kind = ? AND subject = ? "
    "AND at > ?), "
    "(SELECT COUNT(*) FROM throttle_events WHERE kind = ? AND addr = ? "
    "AND at > ?), "
    "(SELECT MIN(at) FROM throttle_events WHERE kind = ? AND addr = ? "
    "AND at > ?)";
static const char SQL_FORGET[] =
    "DELETE FROM throttle_events WHERE id = ?";
static const char SQL_CLEAR[] =
    "DELETE FROM throttle_events WHERE kind = ? AND subject = ?";
static const char SQL_PRUNE[] =
    "DELETE FROM throttle_events WHERE at < ?";

int
db_throttle_record(struct db *db, const char *kind, const char *subject,
    const char *addr, time_t now, time_t since, long long *id,
    struct throttle_count *out)
{
	struct dbval		 rec[] = {
		DBS(kind), DBS(subject), DBS(addr), DBT(now),
	};
	struct dbval		 cnt[] = {
		DBS(kind), DBS(subject), DBT(since),
		DBS(kind), DBS(subject), DBT(since),
		DBS(kind), DBS(addr), DBT(since),
		DBS(kind), DBS(addr), DBT(since),
	};
	unsigned long long	 rowid;
	struct dbrows		*r;
	int			 rc;

	/* Autocommit: concurrent attempts must see this one at once. */
	if (db_exec(db, SQL_RECORD, rec, NARGS(rec), NULL, &rowid) == -1)
		return -1;
	*id = (long long)rowid;
	if ((r = db_query(db, SQL_COUNT, cnt, NARGS(cnt))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		out->by_subject = db_int(r, 0);
		out->oldest_subject = db_time(r, 1);
		out->by_addr = db_int(r, 2);
		out->oldest_addr = db_time(r, 3);
	}
	db_rows_free(r);
	return rc == 1 ? 0 : -1;
}

int
db_throttle_forget(struct db *db, long long id)
{
	struct dbval	 args[] = { DBI(id) };

	return db_exec(db, SQL_FORGET, args, NARGS(args), NULL, NULL);
}

int
db_throttle_clear(struct db *db, const char *kind, const char *subject)
{
	struct dbval	 args[] = { DBS(kind), DBS(subject) };

	return db_exec(db, SQL_CLEAR, args, NARGS(args), NULL, NULL);
}

int
db_throttle_prune(struct db *db, time_t before)
{
	struct dbval	 args[] = { DBT(before) };

	return db_exec(db, SQL_PRUNE, args, NARGS(args), NULL, NULL);
}
