/*
 * Writing the outage summary of services (sql/027).  Each statement
 * recomputes the rows it names from the downtimes table, so a writer
 * only says which services it touched.  The horizon goes back from the
 * earlier of the writer's now and the host's clock: resilops-sched may
 * run with a later --now, and a summary cut from it would miss what a
 * reader on the real clock needs (an earlier --now only keeps more).
 *
 * The rows are upserted from the ids alone, never by reading services
 * (an INSERT ... SELECT takes shared locks on what it reads; sql/027
 * says why that matters here).
 *
 * Beside it, each service's status row says whether an outage is open
 * (sql/036, outage_open), which the heartbeat's routine trusts to find
 * a plain heartbeat by one UPDATE: written here too, after the summary,
 * so that no writer of downtimes can leave it behind.  A service with
 * no status row yet gets its flag when its first status write makes
 * one.
 */
#include "config.h"

#include <time.h>

#include "db/db.h"
#include "db/db_outages.h"

#define OUTAGES_STR_(x)	#x
#define OUTAGES_STR(x)	OUTAGES_STR_(x)
/*
 * The rows of the services v.id of ids_source.  MariaDB would not let
 * the subqueries see v through a derived table around them (1054), so
 * outages_from counts again what outages aggregates.  ? order: the
 * horizon three times, then ids_source's.
 */
#define RECENT(a) "FROM downtimes " a " FORCE INDEX (ix_downtimes_service_end) " \
	"WHERE " a ".service_id = v.id AND (" a ".end_time IS NULL OR " \
	a ".end_time > ?)"
#define OUTAGES_UPSERT(ids_source) \
	"INSERT INTO service_outages (service_id, outages, outages_from, " \
	"latest_downtime) SELECT v.id, (SELECT IF(COUNT(*) > " \
	OUTAGES_STR(OUTAGES_MAX) ", NULL, COALESCE(JSON_ARRAYAGG(JSON_ARRAY(" \
	"TIMESTAMPDIFF(SECOND, '1970-01-01', d.start_time), " \
	"TIMESTAMPDIFF(SECOND, '1970-01-01', d.end_time))), '[]')) " \
	RECENT("d") "), IF((SELECT COUNT(*) " RECENT("c") ") > " \
	OUTAGES_STR(OUTAGES_MAX) ", NULL, ?), COALESCE(" \
	"(SELECT o.id FROM downtimes o FORCE INDEX (ix_downtimes_service_end) " \
	"WHERE o.service_id = v.id AND o.end_time IS NULL " \
	"ORDER BY o.start_time DESC, o.id DESC LIMIT 1), " \
	"(SELECT l.id FROM downtimes l FORCE INDEX (ix_downtimes_service_start) " \
	"WHERE l.service_id = v.id ORDER BY l.start_time DESC, l.id DESC " \
	"LIMIT 1)) FROM " ids_source " v " \
	"ON DUPLICATE KEY UPDATE outages = VALUES(outages), " \
	"outages_from = VALUES(outages_from), " \
	"latest_downtime = VALUES(latest_downtime)"

static const char SQL_ONE[] =
    OUTAGES_UPSERT("(SELECT CAST(? AS UNSIGNED) AS id)");
static const char SQL_IDS[] =
    OUTAGES_UPSERT("JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED "
    "PATH '$'))");
/* An import holds every service anyway. */
static const char SQL_ALL[] = OUTAGES_UPSERT("services");

/* The flag of the same services: ? the id, or the JSON array of ids. */
static const char SQL_FLAG_ONE[] =
    "UPDATE service_status st SET st.outage_open = "
    OUTAGE_OPEN("st.service_id") " WHERE st.service_id = ?";
static const char SQL_FLAG_IDS[] =
    "UPDATE service_status st JOIN JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT "
    "UNSIGNED PATH '$')) v ON st.service_id = v.id "
    "SET st.outage_open = " OUTAGE_OPEN("st.service_id");
static const char SQL_FLAG_ALL[] =
    "UPDATE service_status st SET st.outage_open = "
    OUTAGE_OPEN("st.service_id");

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
	struct dbval	 args[] = { DBT(h), DBT(h), DBT(h), DBI(id) };
	struct dbval	 flag[] = { DBI(id) };

	if (db_exec(db, SQL_ONE, args, NARGS(args), NULL, NULL) == -1)
		return -1;
	return db_exec(db, SQL_FLAG_ONE, flag, NARGS(flag), NULL, NULL);
}

int
db_outages_write_ids(struct db *db, const char *ids, time_t now)
{
	time_t		 h = horizon(now);
	struct dbval	 args[] = { DBT(h), DBT(h), DBT(h), DBS(ids) };
	struct dbval	 flag[] = { DBS(ids) };

	if (db_exec(db, SQL_IDS, args, NARGS(args), NULL, NULL) == -1)
		return -1;
	return db_exec(db, SQL_FLAG_IDS, flag, NARGS(flag), NULL, NULL);
}

int
db_outages_write_all(struct db *db)
{
	time_t		 h = horizon(time(NULL));
	struct dbval	 args[] = { DBT(h), DBT(h), DBT(h) };

	if (db_exec(db, SQL_ALL, args, NARGS(args), NULL, NULL) == -1)
		return -1;
	return db_exec(db, SQL_FLAG_ALL, NULL, 0, NULL, NULL);
}
