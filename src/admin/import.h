/*
 * resilops-admin import: what the command (import.c) and its two
 * readers (import_mysql.c: ResilientOps / Service Risk on MySQL or
 * MariaDB; import_sqlite.c: SLA Guard's SQLite file) share.
 */
#ifndef RO_ADMIN_IMPORT_H
#define RO_ADMIN_IMPORT_H

#include <time.h>

struct conf;
struct db;

/* The report's lines, in the order they are printed. */
enum import_table {
	IT_USERS,
	IT_SERVICES,
	IT_DEPENDENCIES,
	IT_BIA,
	IT_STATUS,
	IT_DOWNTIMES,
	IT_RISKS,
	IT_INTEGRATIONS,
	IT_AUDIT,
	IT_SLA_CONFIG,
	IT_TICKETS,
	IT_ACTIVITY,
	IT_NOTIFICATIONS,
	IT__MAX
};

struct import_count {
	long long	 fresh;		/* written now */
	long long	 already;	/* imported by an earlier run */
	long long	 merged;	/* matched a row of ours, which was kept */
	long long	 skipped;	/* not imported (said why on stderr) */
};

/* One run of the command, over every source it was given. */
struct import_run {
	struct db		*db;		/* ours, inside one transaction */
	const struct conf	*cfg;		/* ours */
	time_t			 now;
	const char		*kind;		/* "resilientops" or "slaguard" */
	const char		*source;	/* kind:database or kind:path, the map's key */
	struct import_count	 count[IT__MAX];
	long long		 fallbacks;	/* values read with a default */
};

/* Where the MySQL source is; strings owned by the caller. */
struct import_mysql_src {
	char		*host;
	unsigned	 port;
	char		*socket;
	char		*user;
	char		*password;
	char		*database;
};

/*
 * Whether (run->source, table, id) was imported already: 1 with
 * *target set (and counted as already), 0 not yet, -1 on error.
 */
int	 import_seen(struct import_run *, enum import_table, const char *table,
	    long long id, long long *target);
/* Record that it became target and count it as new.  0 or -1. */
int	 import_record(struct import_run *, enum import_table, const char *table,
	    long long id, long long target);
/*
 * A user of the source: an account of ours with that username or email
 * is kept as it is (merged); else a new one with the hash copied as it
 * is (verified and rehashed at its first login) and the role read
 * through core/legacy.  1 done (or skipped, said), -1 on error.
 */
int	 import_user(struct import_run *, const char *table, long long id,
	    const char *username, const char *email, const char *name,
	    const char *hash, const char *role, time_t created);
/* Our id of a user of the source (0: none, or not imported), -1 error. */
long long import_user_id(struct import_run *, const char *table, long long id);

/* Read the source into run (ResilientOps: MySQL; SLA Guard: SQLite).  0 or -1. */
int	 import_from_mysql(struct import_run *, const struct import_mysql_src *);
int	 import_from_sqlite(struct import_run *, const char *path);

#endif
