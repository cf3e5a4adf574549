/*
 * Schema migrations: sql/NNN_name.sql files applied in order, each
 * recorded in schema_migrations so that running again does nothing.
 */
#ifndef RO_MIGRATE_H
#define RO_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

struct conf;

/*
 * The directory holding the migrations: $RESILOPS_SQLDIR, else sql/
 * beside the running program (a program built in a source tree uses
 * that tree's), else the installed DATADIR/sql, else "sql".  Returns a
 * static string.
 */
const char *migrate_dir(void);
/*
 * Apply the pending migrations of dir in order.  Prints what it did to
 * stdout; *applied counts them.  0, or -1 (the failing file is named).
 */
int	 migrate_run(const struct conf *, const char *dir, int *applied);

#endif
