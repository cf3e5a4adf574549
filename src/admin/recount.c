/*
 * resilops-admin recount: the counters the alert, SLA breach,
 * integration, incident, maintenance and subscriber lists report as
 * their totals (sql/029, 031) counted again from their tables: a
 * repair after those tables were changed by hand in SQL, which no
 * writer of resilops counted.
 */
#include "config.h"

#include <stdio.h>

#include "admin/admin.h"
#include "db/db.h"
#include "db/db_counter.h"

int
cmd_recount(struct db *db, int argc, char *argv[])
{
	long long	 before[DBC__MAX], after[DBC__MAX];
	size_t		 i;

	(void)argv;
	if (argc != 1)
		return -2;
	if (db_begin(db) == -1 || db_counts_read(db, before) == -1 ||
	    db_recount(db) == -1 || db_counts_read(db, after) == -1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		fprintf(stderr, "resilops-admin: recount failed\n");
		return 1;
	}
	for (i = 0; i < DBC__MAX; i++)
		printf("%-14s %lld%s\n", db_counter_name(i), after[i],
		    after[i] == before[i] ? "" : " (was off)");
	return 0;
}
