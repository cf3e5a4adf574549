/*
 * The counters rows of enum db_counter (db.h): written for db.c's
 * commit, counted again for db_recount, read by the lists.
 */
#ifndef DB_COUNTER_H
#define DB_COUNTER_H

#include "db/db.h"

/* Add d[c] to each counter c whose d[c] is not 0: one statement. */
int	 db_counts_write(struct db *, const long long d[DBC__MAX]);
/* Every counter set to its table's count, under the counters' locks. */
int	 db_counts_count(struct db *);
/* The counters as they are now, into n (the enum's order).  0 or -1. */
int	 db_counts_read(struct db *, long long n[DBC__MAX]);
/* The name of counter c, as the counters table has it. */
const char *db_counter_name(enum db_counter c);
/*
 * Before a service's delete, inside its transaction: its row locked
 * (nothing of it can be added after), and its rows of the counted
 * tables deleted and counted, which its cascade would drop uncounted.
 * 1, 0 no such service, -1.
 */
int	 db_counts_service_gone(struct db *, long long service_id);

#endif
