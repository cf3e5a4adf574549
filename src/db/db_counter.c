/*
 * The counters rows of enum db_counter (sql/029, 031).  One statement adds a
 * transaction's changes, whatever they are, so the statement cache
 * holds one text; the rows whose change is 0 match no row of the WHERE
 * and, under READ COMMITTED, are not kept locked.
 */
#include "config.h"

#include <string.h>

#include "db/db.h"
#include "db/db_counter.h"

#define COUNTER_NAMES "'alerts', 'alerts_open', 'sla_breaches', " \
	"'integrations', 'incidents', 'maintenance', 'subscribers'"
/* ? order: the enum's. */
#define COUNTER_DELTA "CASE name WHEN 'alerts' THEN ? " \
	"WHEN 'alerts_open' THEN ? WHEN 'sla_breaches' THEN ? " \
	"WHEN 'integrations' THEN ? WHEN 'incidents' THEN ? " \
	"WHEN 'maintenance' THEN ? WHEN 'subscribers' THEN ? END"

static const char SQL_ADD[] =
    "UPDATE counters SET n = n + " COUNTER_DELTA
    " WHERE name IN (" COUNTER_NAMES ") AND " COUNTER_DELTA " <> 0";
/*
 * The locks first: a writer that has not yet added its change waits
 * and adds it after this commit (its rows are not in the count: they
 * were not committed); one that has added it holds the row, so the
 * count below starts after its commit and sees its rows.
 */
static const char SQL_LOCK[] =
    "SELECT n FROM counters WHERE name IN (" COUNTER_NAMES ") FOR UPDATE";
static const char SQL_COUNT[] =
    "UPDATE counters SET n = CASE name "
    "WHEN 'alerts' THEN (SELECT COUNT(*) FROM alerts) "
    "WHEN 'alerts_open' THEN (SELECT COUNT(*) FROM alerts "
    "WHERE acknowledged = 0) "
    "WHEN 'sla_breaches' THEN (SELECT COUNT(*) FROM sla_breaches) "
    "WHEN 'integrations' THEN (SELECT COUNT(*) FROM integrations) "
    "WHEN 'incidents' THEN (SELECT COUNT(*) FROM incidents) "
    "WHEN 'maintenance' THEN (SELECT COUNT(*) FROM maintenance) "
    "WHEN 'subscribers' THEN (SELECT COUNT(*) FROM subscribers) END "
    "WHERE name IN (" COUNTER_NAMES ")";

static const char *const names[DBC__MAX] = {
	[DBC_ALERTS] = "alerts",
	[DBC_ALERTS_OPEN] = "alerts_open",
	[DBC_BREACHES] = "sla_breaches",
	[DBC_INTEGRATIONS] = "integrations",
	[DBC_INCIDENTS] = "incidents",
	[DBC_MAINTENANCE] = "maintenance",
	[DBC_SUBSCRIBERS] = "subscribers",
};
static const char SQL_READ[] =
    "SELECT name, n FROM counters WHERE name IN (" COUNTER_NAMES ")";
static const char SQL_SERVICE_LOCK[] =
    "SELECT id FROM services WHERE id = ? FOR UPDATE";
/* The statement of each counted table, and what its rows count for. */
static const struct service_rows {
	const char	*sql;
	enum db_counter	 c[2];		/* DBC__MAX: none */
} service_rows[] = {
	{ "DELETE FROM alerts WHERE service_id = ? AND acknowledged = 0",
	    { DBC_ALERTS, DBC_ALERTS_OPEN } },
	{ "DELETE FROM alerts WHERE service_id = ?", { DBC_ALERTS, DBC__MAX } },
	{ "DELETE FROM sla_breaches WHERE service_id = ?",
	    { DBC_BREACHES, DBC__MAX } },
	{ "DELETE FROM integrations WHERE service_id = ?",
	    { DBC_INTEGRATIONS, DBC__MAX } },
};

int
db_counts_service_gone(struct db *db, long long service_id)
{
	struct dbval		 args[] = { DBI(service_id) };
	unsigned long long	 n;
	long long		 found;
	size_t			 i, j;
	int			 rc;

	if ((rc = db_scalar(db, SQL_SERVICE_LOCK, args, 1, &found)) != 1)
		return rc;
	for (i = 0; i < sizeof(service_rows) / sizeof(service_rows[0]); i++) {
		if (db_exec(db, service_rows[i].sql, args, 1, &n, NULL) == -1)
			return -1;
		for (j = 0; j < 2; j++)
			if (service_rows[i].c[j] != DBC__MAX)
				db_count(db, service_rows[i].c[j],
				    -(long long)n);
	}
	return 1;
}

int
db_counts_write(struct db *db, const long long d[DBC__MAX])
{
	struct dbval	 args[2 * DBC__MAX];
	size_t		 i;

	for (i = 0; i < DBC__MAX; i++)
		args[i] = args[DBC__MAX + i] = DBI(d[i]);
	return db_exec(db, SQL_ADD, args, NARGS(args), NULL, NULL);
}

int
db_counts_count(struct db *db)
{
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, SQL_LOCK, NULL, 0)) == NULL)
		return -1;
	while ((rc = db_next(r)) == 1)
		;
	db_rows_free(r);
	if (rc == -1)
		return -1;
	return db_exec(db, SQL_COUNT, NULL, 0, NULL, NULL);
}

const char *
db_counter_name(enum db_counter c)
{
	return (unsigned)c < DBC__MAX ? names[c] : NULL;
}

int
db_counts_read(struct db *db, long long n[DBC__MAX])
{
	struct dbrows	*r;
	const char	*name;
	size_t		 i;
	int		 rc;

	memset(n, 0, DBC__MAX * sizeof(n[0]));
	if ((r = db_query(db, SQL_READ, NULL, 0)) == NULL)
		return -1;
	while ((rc = db_next(r)) == 1) {
		name = db_text(r, 0, NULL);
		for (i = 0; name != NULL && i < DBC__MAX; i++)
			if (strcmp(name, names[i]) == 0)
				n[i] = db_int(r, 1);
	}
	db_rows_free(r);
	return rc == -1 ? -1 : 0;
}
