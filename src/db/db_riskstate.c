/*
 * What each change to a risk input bumps in risk_state (sql/018), as a
 * table: one set-based statement per change, so that a writer adds at
 * most one statement to its transaction and the risk job finds the
 * services to score by index (db_sched_risk.c).  A bump locks the rows
 * it bumps until the writer commits; the job never locks them while it
 * scores, only in its last statement, so neither waits long for the
 * other.  A bump after the job's read leaves gen past the done_gen the
 * job records: the service is scored again next tick, never lost.
 */
#include "config.h"

#include "db/db.h"
#include "db/db_riskstate.h"
#include "util/log.h"

/*
 * The service and those that depend on it, as a derived table: UNION
 * gives each once, and the join on risk_state's key locks those rows
 * alone (an IN (subquery) in a single-table UPDATE would walk them all).
 */
#define DEPENDENTS_OF(what) \
	"SELECT d.service_id AS sid FROM service_dependencies d " \
	"WHERE d.dependency_id " what

/* A status the daemon's heartbeat check set Down in this transaction. */
#define HEARTBEAT_DOWN \
	"st.status = 'Down' AND st.changed_at = ? AND st.set_by IS NULL"

static const char SQL_SERVICE[] =
    "UPDATE risk_state SET gen = gen + 1 WHERE service_id = ?";
/* A reused id (a restore) starts stale too. */
static const char SQL_CREATED[] =
    "INSERT INTO risk_state (service_id) VALUES (?) "
    "ON DUPLICATE KEY UPDATE gen = gen + 1";
/* Before the delete: its cascade empties the dependencies named here. */
static const char SQL_DELETING[] =
    "UPDATE risk_state r JOIN (" DEPENDENTS_OF("= ?") ") x "
    "ON r.service_id = x.sid SET r.gen = r.gen + 1";
static const char SQL_CROSSED_DOWN[] =
    "UPDATE risk_state r JOIN (SELECT CAST(? AS UNSIGNED) AS sid UNION "
    DEPENDENTS_OF("= ?") ") x ON r.service_id = x.sid SET r.gen = r.gen + 1";
static const char SQL_HEARTBEATS_DOWN[] =
    "UPDATE risk_state r JOIN (SELECT st.service_id AS sid "
    "FROM service_status st WHERE " HEARTBEAT_DOWN " UNION "
    DEPENDENTS_OF("IN (SELECT st.service_id FROM service_status st WHERE "
    HEARTBEAT_DOWN ")") ") x ON r.service_id = x.sid SET r.gen = r.gen + 1";
static const char SQL_EVERYTHING[] =
    "INSERT INTO risk_state (service_id) SELECT id FROM services "
    "ON DUPLICATE KEY UPDATE gen = gen + 1";

enum bump_args { BA_ID, BA_ID_ID, BA_NOW_NOW, BA_NONE };

static const struct {
	const char	*sql;
	enum bump_args	 args;
} bumps[RS__MAX] = {
	[RS_SERVICE] = { SQL_SERVICE, BA_ID },
	[RS_CREATED] = { SQL_CREATED, BA_ID },
	[RS_DELETING] = { SQL_DELETING, BA_ID },
	[RS_CROSSED_DOWN] = { SQL_CROSSED_DOWN, BA_ID_ID },
	[RS_HEARTBEATS_DOWN] = { SQL_HEARTBEATS_DOWN, BA_NOW_NOW },
	[RS_EVERYTHING] = { SQL_EVERYTHING, BA_NONE },
};

int
db_riskstate_bump(struct db *db, enum riskstate_change what, long long id,
    time_t now)
{
	struct dbval	 args[2];
	size_t		 n = 0;

	if ((unsigned)what >= RS__MAX)
		return log_errx("db_riskstate_bump: bad change %d", (int)what);
	switch (bumps[what].args) {
	case BA_ID_ID:
		args[n++] = DBI(id);
		/* FALLTHROUGH */
	case BA_ID:
		args[n++] = DBI(id);
		break;
	case BA_NOW_NOW:
		args[n++] = DBT(now);
		args[n++] = DBT(now);
		break;
	case BA_NONE:
		break;
	}
	return db_exec(db, bumps[what].sql, args, n, NULL, NULL);
}
