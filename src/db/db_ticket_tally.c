/*
 * The kept ticket analytics (sql/024_ticket_tally.sql; a priority's
 * scope, sql/028; a creator's high-priority scope, sql/030).  A
 * writer's tickets are tallied in its own transaction: their old parts
 * (the ticket_tallied rows) come out of the scope rows, their rows are made
 * again from the tickets as written, and the new parts go in; a
 * deleted ticket only comes out.  Four statements whatever the writer
 * did, so no writer computes a difference of its own.
 *
 * Locks: the writer reads fold_at under a shared lock, then locks the
 * scope rows it changes, always scope 0 first (GROUP BY's order): every
 * writer of tickets waits for that one row, so writers call this last,
 * just before COMMIT, and hold it only for these statements and the
 * commit.  Ticket writes come at a human rate (the counters of sql/005
 * are kept the same way).  The fold takes fold_at exclusively, so it
 * runs between writers, never beside one.
 */
#include "config.h"

#include <stdlib.h>

#include "db/db.h"
#include "db/db_ticket_tally.h"
#include "util/log.h"

#define IDS "SELECT id FROM JSON_TABLE(?, '$[*]' COLUMNS " \
	"(id BIGINT UNSIGNED PATH '$')) j"
/*
 * Each part joins the scope rows it counts in; scope 5 (sql/030) is
 * the creator's HIGH and CRITICAL ones, /api/users/tickets/high-priority.
 */
#define SCOPES "JOIN (SELECT 0 AS scope UNION ALL SELECT 1 UNION ALL " \
	"SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) " \
	"k ON k.scope = 0 " \
	"OR (k.scope = 1 AND x.creator IS NOT NULL) " \
	"OR (k.scope = 2 AND x.assignee IS NOT NULL) " \
	"OR (k.scope = 3 AND x.creator = x.assignee) OR k.scope = 4 " \
	"OR (k.scope = 5 AND x.creator IS NOT NULL AND " \
	"x.priority IN ('HIGH', 'CRITICAL'))"
#define SCOPE_UID "CASE k.scope WHEN 0 THEN 0 WHEN 2 THEN x.assignee " \
	"WHEN 4 THEN " TALLY_PRIORITY_UID("x.priority") " ELSE x.creator END"
#define W(e)	"SUM(s.w * (" e ")), "
#define PASSED(c) "SUM(s.w * COALESCE(x." c " <= f.fold_at, 0))"
#define ACC(c)	c " = " c " + VALUES(" c ")"

static const char SQL_FOLD_SHARED[] =
    "SELECT fold_at FROM ticket_tally_fold WHERE id = 1 LOCK IN SHARE MODE";
static const char SQL_FOLD_LOCK[] =
    "SELECT fold_at FROM ticket_tally_fold WHERE id = 1 FOR UPDATE";
static const char SQL_FOLD_SET[] =
    "UPDATE ticket_tally_fold SET fold_at = ? WHERE id = 1";

/* w * the parts of ticket_tallied rows (of the listed tickets).  ? w */
#define ADD(where) \
    "INSERT INTO ticket_tallies (scope, uid, n, n_open, n_in_progress, " \
    "n_waiting, n_escalated, n_resolved, n_in_time, n_res, res_secs, n_fr, " \
    "n_fr_in_time, fr_secs, p_breach, p_lvl2, p_lvl1, p_high_open, p_fr) " \
    "SELECT k.scope, " SCOPE_UID ", " W("1") W("x.status = 'OPEN'") \
    W("x.status = 'IN_PROGRESS'") W("x.status = 'WAITING_ON_CUSTOMER'") \
    W("x.status = 'ESCALATED'") W("x.status = 'RESOLVED'") W("x.in_time") \
    W("x.res_secs IS NOT NULL") W("COALESCE(x.res_secs, 0)") \
    W("x.fr_secs IS NOT NULL") W("x.fr_in_time") W("COALESCE(x.fr_secs, 0)") \
    PASSED("breach_at") ", " PASSED("lvl2_at") ", " PASSED("lvl1_at") ", " \
    PASSED("high_open_at") ", " PASSED("fr_due_at") " " \
    "FROM ticket_tallied x JOIN ticket_tally_fold f ON f.id = 1 " \
    "JOIN (SELECT ? AS w) s " SCOPES " " where " " \
    "GROUP BY 1, 2 ON DUPLICATE KEY UPDATE " ACC("n") ", " ACC("n_open") ", " \
    ACC("n_in_progress") ", " ACC("n_waiting") ", " ACC("n_escalated") ", " \
    ACC("n_resolved") ", " ACC("n_in_time") ", " ACC("n_res") ", " \
    ACC("res_secs") ", " ACC("n_fr") ", " ACC("n_fr_in_time") ", " \
    ACC("fr_secs") ", " ACC("p_breach") ", " ACC("p_lvl2") ", " \
    ACC("p_lvl1") ", " ACC("p_high_open") ", " ACC("p_fr")
static const char SQL_ADD[] = ADD("WHERE x.id IN (" IDS ")");
static const char SQL_ADD_ALL[] = ADD("");
static const char SQL_FORGET[] =
    "DELETE FROM ticket_tallied WHERE id IN (" IDS ")";
/*
 * A ticket's parts (sql/028 has the same for the backfill).  lvl2_at
 * and lvl1_at are the earliest of the instants that put a ticket at
 * that level or above, as the distribution's CASE ranks it.
 */
#define NOTE(where) \
    "INSERT INTO ticket_tallied (id, creator, assignee, priority, status, " \
    "res_secs, in_time, fr_secs, fr_in_time, breach_at, lvl2_at, lvl1_at, " \
    "high_open_at, fr_due_at) " \
    "SELECT t.id, t.created_by_user_id, t.assignee_id, t.priority, " \
    "t.status, " \
    "IF(t.status = 'RESOLVED', TIMESTAMPDIFF(SECOND, t.created_at, " \
    "t.resolved_at), NULL), t.status = 'RESOLVED' AND t.breach_at IS NULL, " \
    "TIMESTAMPDIFF(SECOND, t.created_at, t.first_response_at), " \
    "t.first_response_at IS NOT NULL AND t.fr_due_at IS NULL, t.breach_at, " \
    "LEAST(COALESCE(t.breach_at, t.high_at), COALESCE(t.high_at, " \
    "t.breach_at)), LEAST(COALESCE(t.breach_at, t.high_at, t.half_at), " \
    "COALESCE(t.high_at, t.half_at, t.breach_at), COALESCE(t.half_at, " \
    "t.breach_at, t.high_at)), IF(t.status <> 'RESOLVED', t.high_at, NULL), " \
    "t.fr_due_at FROM tickets t " where
static const char SQL_NOTE[] = NOTE("WHERE t.id IN (" IDS ")");
static const char SQL_NOTE_ALL[] = NOTE("");
static const char SQL_CLEAR_TALLIES[] = "DELETE FROM ticket_tallies";
static const char SQL_CLEAR_TALLIED[] = "DELETE FROM ticket_tallied";

/*
 * The instants that move counts with time, one fold statement each: the
 * parts whose instant lies between the last fold and now, +1 each when
 * now is later, -1 when earlier.  ? last fold, low end, high end.
 */
#define FOLD(c, p) \
	"INSERT INTO ticket_tallies (scope, uid, " p ") SELECT k.scope, " \
	SCOPE_UID ", SUM(IF(x." c " > ?, 1, -1)) FROM ticket_tallied x " \
	SCOPES " WHERE x." c " > ? AND x." c " <= ? GROUP BY 1, 2 " \
	"ON DUPLICATE KEY UPDATE " ACC(p)
static const char *const fold_sql[] = {
	FOLD("breach_at", "p_breach"),
	FOLD("lvl2_at", "p_lvl2"),
	FOLD("lvl1_at", "p_lvl1"),
	FOLD("high_open_at", "p_high_open"),
	FOLD("fr_due_at", "p_fr"),
};

/* fold_at, under the lock sql asks for.  0 or -1. */
static int
fold_at(struct db *db, const char *sql, time_t *at)
{
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, sql, NULL, 0)) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1)
		*at = db_time(r, 0);
	db_rows_free(r);
	if (rc == 0)
		return log_warnx("%s: no ticket_tally_fold row", __func__);
	return rc == 1 ? 0 : -1;
}

int
db_ticket_tally(struct db *db, const long long *ids, size_t n)
{
	char	*json;
	time_t	 at;
	int	 rc = -1;

	if (n == 0)
		return 0;
	if ((json = db_ids_json(ids, n)) == NULL)
		return log_warnx("%s: out of memory", __func__);
	{
		struct dbval	 out[] = { DBI(-1), DBS(json) };
		struct dbval	 in[] = { DBI(1), DBS(json) };
		struct dbval	 one[] = { DBS(json) };

		if (fold_at(db, SQL_FOLD_SHARED, &at) == 0 &&
		    db_exec(db, SQL_ADD, out, NARGS(out), NULL, NULL) == 0 &&
		    db_exec(db, SQL_FORGET, one, NARGS(one), NULL, NULL) == 0 &&
		    db_exec(db, SQL_NOTE, one, NARGS(one), NULL, NULL) == 0 &&
		    db_exec(db, SQL_ADD, in, NARGS(in), NULL, NULL) == 0)
			rc = 0;
	}
	free(json);
	return rc;
}

int
db_ticket_tally_one(struct db *db, long long id)
{
	return db_ticket_tally(db, &id, 1);
}

int
db_ticket_tally_fold(struct db *db, time_t now)
{
	time_t	 last;
	size_t	 i;

	if (fold_at(db, SQL_FOLD_LOCK, &last) == -1)
		return -1;
	if (last == now)
		return 0;
	for (i = 0; i < sizeof(fold_sql) / sizeof(fold_sql[0]); i++) {
		struct dbval	 args[] = { DBT(last), DBT(last < now ? last : now),
		    DBT(last < now ? now : last) };

		if (db_exec(db, fold_sql[i], args, NARGS(args), NULL, NULL) == -1)
			return -1;
	}
	{
		struct dbval	 args[] = { DBT(now) };

		return db_exec(db, SQL_FOLD_SET, args, NARGS(args), NULL, NULL);
	}
}

int
db_ticket_tally_rebuild(struct db *db)
{
	struct dbval	 one[] = { DBI(1) };
	time_t		 at;

	if (fold_at(db, SQL_FOLD_LOCK, &at) == -1 ||
	    db_exec(db, SQL_CLEAR_TALLIES, NULL, 0, NULL, NULL) == -1 ||
	    db_exec(db, SQL_CLEAR_TALLIED, NULL, 0, NULL, NULL) == -1 ||
	    db_exec(db, SQL_NOTE_ALL, NULL, 0, NULL, NULL) == -1)
		return -1;
	return db_exec(db, SQL_ADD_ALL, one, NARGS(one), NULL, NULL);
}
