/*
 * The migration runner.  Migration files are trusted text shipped with
 * the program, run as multi-statement batches on a connection of their
 * own; the version is recorded only after the whole file succeeded.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mysql.h>

#include "db/db.h"
#include "db/migrate.h"
#include "util/datadir.h"
#include "util/log.h"

#define MIGRATION_MAX (4 << 20)	/* bytes of one migration file */

static const char SQL_TABLE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INT UNSIGNED NOT NULL PRIMARY KEY, "
    "name VARCHAR(255) NOT NULL, applied_at DATETIME NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

const char *
migrate_dir(void)
{
	static char	 buf[PATH_MAX];

	return datadir_find("sql", "RESILOPS_SQLDIR", buf, sizeof(buf));
}

/* NNN_name.sql */
static int
migration_filter(const struct dirent *d)
{
	const char	*n = d->d_name;
	size_t		 len = strlen(n);

	return len > 8 && n[0] >= '0' && n[0] <= '9' && n[1] >= '0' &&
	    n[1] <= '9' && n[2] >= '0' && n[2] <= '9' && n[3] == '_' &&
	    strcmp(n + len - 4, ".sql") == 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 sz;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    sz > MIGRATION_MAX || fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)sz + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)sz, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* Run a multi-statement batch, draining every result.  0 or -1. */
static int
run_batch(MYSQL *m, const char *sql, size_t len, const char *name)
{
	MYSQL_RES	*res;
	int		 st;

	if (mysql_real_query(m, sql, len) != 0)
		return log_errx("migrate: %s: %s", name, mysql_error(m));
	do {
		if ((res = mysql_store_result(m)) != NULL)
			mysql_free_result(res);
		else if (mysql_field_count(m) != 0)
			return log_errx("migrate: %s: %s", name, mysql_error(m));
		if ((st = mysql_next_result(m)) > 0)
			return log_errx("migrate: %s: %s", name, mysql_error(m));
	} while (st == 0);
	return 0;
}

static int
applied_already(MYSQL *m, unsigned version)
{
	char		 q[96];
	MYSQL_RES	*res;
	int		 found;

	/* The version is our own integer, not client data. */
	snprintf(q, sizeof(q),
	    "SELECT 1 FROM schema_migrations WHERE version = %u", version);
	if (mysql_query(m, q) != 0 || (res = mysql_store_result(m)) == NULL)
		return log_errx("migrate: %s", mysql_error(m));
	found = mysql_num_rows(res) > 0;
	mysql_free_result(res);
	return found;
}

static int
record(MYSQL *m, unsigned version, const char *name)
{
	static const char sql[] = "INSERT INTO schema_migrations "
	    "(version, name, applied_at) VALUES (?, ?, UTC_TIMESTAMP())";
	MYSQL_STMT	*st;
	MYSQL_BIND	 b[2];
	unsigned long	 nlen = strlen(name);
	int		 rc = -1;

	if ((st = mysql_stmt_init(m)) == NULL)
		return -1;
	memset(b, 0, sizeof(b));
	b[0].buffer_type = MYSQL_TYPE_LONG;
	b[0].buffer = &version;
	b[0].is_unsigned = 1;
	b[1].buffer_type = MYSQL_TYPE_STRING;
	b[1].buffer = (void *)name;
	b[1].buffer_length = nlen;
	b[1].length = &nlen;
	if (mysql_stmt_prepare(st, sql, sizeof(sql) - 1) == 0 &&
	    mysql_stmt_bind_param(st, b) == 0 && mysql_stmt_execute(st) == 0)
		rc = 0;
	else
		log_errx("migrate: record %s: %s", name, mysql_stmt_error(st));
	mysql_stmt_close(st);
	return rc;
}

int
migrate_run(const struct conf *cfg, const char *dir, int *applied)
{
	struct dirent	**ents = NULL;
	MYSQL		 *m;
	char		  path[PATH_MAX];
	char		 *sql;
	size_t		  len;
	int		  n, i, rc = -1, done;

	*applied = 0;
	if ((n = scandir(dir, &ents, migration_filter, alphasort)) < 0)
		return log_errx("migrate: %s: %s", dir, strerror(errno));
	if ((m = db_connect_raw(cfg, CLIENT_MULTI_STATEMENTS, NULL)) == NULL)
		goto out;
	if (mysql_query(m, SQL_TABLE) != 0) {
		log_errx("migrate: %s", mysql_error(m));
		goto out;
	}
	for (i = 0; i < n; i++) {
		unsigned	 version = (unsigned)atoi(ents[i]->d_name);

		if ((done = applied_already(m, version)) == -1)
			goto out;
		if (done)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if ((sql = slurp(path, &len)) == NULL) {
			log_errx("migrate: cannot read %s", path);
			goto out;
		}
		rc = run_batch(m, sql, len, ents[i]->d_name);
		free(sql);
		if (rc == -1 || record(m, version, ents[i]->d_name) == -1) {
			rc = -1;
			goto out;
		}
		printf("applied %s\n", ents[i]->d_name);
		(*applied)++;
	}
	rc = 0;
out:
	if (m != NULL)
		mysql_close(m);
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return rc;
}
