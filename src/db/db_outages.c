/*
 * Writing the outage summary of services (sql/027).  Each statement
 * recomputes the rows it names from the downtimes table, so a writer
 * only says which services it touched.  The horizon goes back from the
 * earlier of the writer's now and the host's clock: resilops-sched may
 * run with a later --now, and a summary cut from it would miss what a
 * reader on the real clock needs (an earlier --now only keeps more).
 */
#include "config.h"

#include <time.h>

#include "db/db.h"
#include "db/db_outages.h"

static const char SQL_ONE[] =
    "UPDATE services s SET " OUTAGES_SET("?") " WHERE s.id = ?";
/* Joined on the primary key: the rows named, and only those, locked. */
static const char SQL_IDS[] =
    "UPDATE services s JOIN JSON_TABLE(?, '$[*]' COLUMNS "
    "(id BIGINT UNSIGNED PATH '$')) j ON s.id = j.id SET " OUTAGES_SET("?");
static const char SQL_ALL[] =
    "UPDATE services s SET "
    OUTAGES_SET("(UTC_TIMESTAMP() - INTERVAL 91 DAY)");

static time_t
horizon(time_t now)
{
	time_t	 t = time(NULL);

	return (now < t ? now : t) - OUTAGES_HORIZON;
}

int
db_outages_write(struct db *db, long long id, time_t now)
{
	time_t		 h = horizon(now);
	struct dbval	 args[] = { DBT(h), DBT(h), DBI(id) };

	return db_exec(db, SQL_ONE, args, NARGS(args), NULL, NULL);
}

int
db_outages_write_ids(struct db *db, const char *ids, time_t now)
{
	time_t		 h = horizon(now);
	struct dbval	 args[] = { DBS(ids), DBT(h), DBT(h) };

	return db_exec(db, SQL_IDS, args, NARGS(args), NULL, NULL);
}

int
db_outages_write_all(struct db *db)
{
	return db_exec(db, SQL_ALL, NULL, 0, NULL, NULL);
}
