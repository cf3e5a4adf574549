/*
 * Each service's open tickets (sql/032_service_open_tickets.sql): the
 * ids the service route answers, made again from the tickets for the
 * services a ticket writer touched, just before its COMMIT.
 *
 * Why this is exact: a row is computed in a statement of its own that
 * starts after the writer holds the tallies' scope 0 row, which every
 * ticket writer takes in its tally, so the statement's view (READ
 * COMMITTED: one per statement) holds every other ticket writer's
 * commit, or that writer still waits for scope 0 and computes the row
 * again after this one commits.  The tickets are read without locks:
 * their writers are the ones serialised here.
 */
#include "config.h"

#include "db/db.h"
#include "db/db_open_tickets.h"

#define IDS "SELECT id FROM JSON_TABLE(?, '$[*]' COLUMNS " \
	"(id BIGINT UNSIGNED PATH '$')) j"
/*
 * The route's subquery as it was (sql/032 has the same text): the ids
 * in the order of the index, which the answer keeps.
 */
#define OPEN_IDS "(SELECT GROUP_CONCAT(t.id) FROM tickets t " \
	"FORCE INDEX (ix_tickets_service) " \
	"WHERE t.service_id = a.sid AND t.status <> 'RESOLVED')"
/*
 * The rows of the services source names, in id order (the order their
 * locks are taken in); one of a service deleted meanwhile is not made.
 */
#define UPSERT(source) \
	"INSERT INTO service_open_tickets (service_id, ids) " \
	"SELECT a.sid, " OPEN_IDS " FROM (" source ") a " \
	"JOIN services s ON s.id = a.sid ORDER BY a.sid " \
	"ON DUPLICATE KEY UPDATE ids = VALUES(ids)"

static const char SQL_BEFORE[] = UPSERT(
    "SELECT DISTINCT x.service_id AS sid FROM ticket_tallied x "
    "WHERE x.id IN (" IDS ") AND x.service_id IS NOT NULL");
static const char SQL_AFTER[] = UPSERT(
    "SELECT DISTINCT t.service_id AS sid FROM tickets t "
    "WHERE t.id IN (" IDS ") AND t.service_id IS NOT NULL");
static const char SQL_ALL[] = UPSERT(
    "SELECT DISTINCT service_id AS sid FROM tickets "
    "WHERE service_id IS NOT NULL AND status <> 'RESOLVED'");
static const char SQL_CLEAR[] = "DELETE FROM service_open_tickets";
static const char SQL_FORGET[] =
    "DELETE FROM service_open_tickets WHERE service_id = ?";

int
db_open_tickets_before(struct db *db, const char *json)
{
	struct dbval	 args[] = { DBS(json) };

	return db_exec(db, SQL_BEFORE, args, NARGS(args), NULL, NULL);
}

int
db_open_tickets_after(struct db *db, const char *json)
{
	struct dbval	 args[] = { DBS(json) };

	return db_exec(db, SQL_AFTER, args, NARGS(args), NULL, NULL);
}

int
db_open_tickets_rebuild(struct db *db)
{
	if (db_exec(db, SQL_CLEAR, NULL, 0, NULL, NULL) == -1)
		return -1;
	return db_exec(db, SQL_ALL, NULL, 0, NULL, NULL);
}

int
db_open_tickets_forget(struct db *db, long long service_id)
{
	struct dbval	 args[] = { DBI(service_id) };

	return db_exec(db, SQL_FORGET, args, NARGS(args), NULL, NULL);
}
