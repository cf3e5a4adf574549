/*
 * resilops-admin tickets retally [ID ...]: the ticket analytics'
 * aggregates (sql/024) made again from the tickets, all of them or the
 * ones named: a repair after tickets were changed by hand in SQL, which
 * no writer of resilops tallied.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "db/db.h"
#include "db/db_ticket_tally.h"

int
cmd_tickets(struct db *db, int argc, char *argv[])
{
	long long	*ids = NULL;
	char		*end;
	int		 i, n = argc - 2, rc;

	if (argc < 2 || strcmp(argv[1], "retally") != 0)
		return -2;
	if (n > 0 && (ids = calloc((size_t)n, sizeof(*ids))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		errno = 0;
		ids[i] = strtoll(argv[i + 2], &end, 10);
		if (errno != 0 || *end != '\0' || end == argv[i + 2] ||
		    ids[i] <= 0) {
			fprintf(stderr, "resilops-admin: not a ticket id: %s\n",
			    argv[i + 2]);
			free(ids);
			return 1;
		}
	}
	rc = db_begin(db) == -1 || (n > 0 ? db_ticket_tally(db, ids,
	    (size_t)n) : db_ticket_tally_rebuild(db)) == -1 ||
	    db_commit(db) == -1;
	free(ids);
	if (rc) {
		db_rollback(db);
		fprintf(stderr, "resilops-admin: retally failed\n");
		return 1;
	}
	return 0;
}
