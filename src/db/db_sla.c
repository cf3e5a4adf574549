/*
 * The sla_config table.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_sla.h"
#include "util/log.h"

static const char SQL_ALL[] =
    "SELECT id, priority, sla_hours, first_response_hours, warn_percent, "
    "calendar, updated_at FROM sla_config";
static const char SQL_UPDATE[] =
    "UPDATE sla_config SET sla_hours = ?, first_response_hours = ?, "
    "warn_percent = ?, calendar = ?, updated_at = ? WHERE priority = ?";

void
sla_config_clear(struct sla_config *c)
{
	free(c->calendar);
	memset(c, 0, sizeof(*c));
}

int
db_sla_all(struct db *db, struct sla_config out[PRIO__MAX])
{
	struct dbrows	*r;
	bool		 oom = false, seen[PRIO__MAX] = { false };
	int		 rc, p, i;

	memset(out, 0, sizeof(*out) * PRIO__MAX);
	if ((r = db_query(db, SQL_ALL, NULL, 0)) == NULL)
		return -1;
	while ((rc = db_next(r)) == 1) {
		if ((p = ticket_priority_parse(db_text(r, 1, NULL))) < 0 ||
		    seen[p])
			continue;
		seen[p] = true;
		out[p].id = db_int(r, 0);
		out[p].priority = (enum ticket_priority)p;
		out[p].sla_hours = (int)db_int(r, 2);
		out[p].first_response_hours = (int)db_int(r, 3);
		out[p].warn_percent = (int)db_int(r, 4);
		out[p].calendar = db_text_dup(r, 5, &oom);
		out[p].updated_at = db_time(r, 6);
	}
	db_rows_free(r);
	for (i = 0; i < PRIO__MAX; i++)
		if (!seen[i] && rc != -1)
			rc = log_errx("sla_config: no row for %s (run "
			    "resilops-admin migrate)", ticket_priority_name(i));
	if (rc == -1 || oom) {
		for (i = 0; i < PRIO__MAX; i++)
			sla_config_clear(&out[i]);
		return -1;
	}
	return 0;
}

int
db_sla_update(struct db *db, const struct sla_config *c, time_t now)
{
	struct dbval	 args[] = {
		DBI(c->sla_hours),
		c->first_response_hours ? DBI(c->first_response_hours) : DBNULL,
		DBI(c->warn_percent), DBS(c->calendar), DBT(now),
		DBS(ticket_priority_name(c->priority)),
	};

	return db_exec(db, SQL_UPDATE, args, NARGS(args), NULL, NULL);
}
