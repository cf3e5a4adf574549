/*
 * resilops-admin import: bring over the originals' data.
 *
 *   import [--dry-run] [--mysql SPEC | --mysql-config FILE] [--sqlite PATH]
 *
 * SPEC is host=H,port=P,socket=S,user=U,database=D (no password on the
 * command line: with --mysql it is read from standard input, one line;
 * FILE holds the same keys one per line, "key = value", password too).
 * Everything happens in one transaction of ours: a dry run rolls it
 * back, so it reports exactly what a real run would write.  The import
 * map (sql/014_import.sql) makes a second run change nothing.  Each
 * source that brought something adds one entry to the audit chain;
 * the originals' own audit rows are not copied (README: Moving over).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "admin/admin.h"
#include "admin/import.h"
#include "core/auditchain.h"
#include "core/legacy.h"
#include "core/perm.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_import.h"
#include "db/db_riskstate.h"
#include "db/db_user.h"
#include "util/conf.h"
#include "util/crypto.h"

#define SETTING_MAX	1024
#define SOURCE_MAX	255	/* import_map.source */

static const char *const table_names[IT__MAX] = {
	[IT_USERS] = "users",
	[IT_SERVICES] = "services",
	[IT_DEPENDENCIES] = "service dependencies",
	[IT_BIA] = "bia",
	[IT_STATUS] = "status",
	[IT_DOWNTIMES] = "downtimes",
	[IT_RISKS] = "risks",
	[IT_INTEGRATIONS] = "integrations",
	[IT_AUDIT] = "audit log",
	[IT_SLA_CONFIG] = "sla configurations",
	[IT_TICKETS] = "tickets",
	[IT_ACTIVITY] = "ticket activity",
	[IT_NOTIFICATIONS] = "notifications",
};

/* The tables each source has, in report order. */
static const enum import_table mysql_tables[] = { IT_USERS, IT_SERVICES,
    IT_DEPENDENCIES, IT_BIA, IT_STATUS, IT_DOWNTIMES, IT_RISKS,
    IT_INTEGRATIONS, IT_AUDIT };
static const enum import_table sqlite_tables[] = { IT_USERS, IT_SLA_CONFIG,
    IT_TICKETS, IT_ACTIVITY, IT_NOTIFICATIONS };

int
import_seen(struct import_run *run, enum import_table t, const char *table,
    long long id, long long *target)
{
	long long	 v;

	if ((v = db_import_target(run->db, run->source, table, id)) == -1)
		return -1;
	if (v == 0)
		return 0;
	*target = v;
	run->count[t].already++;
	return 1;
}

int
import_record(struct import_run *run, enum import_table t, const char *table,
    long long id, long long target)
{

	if (db_import_map(run->db, run->source, table, id, target,
	    run->now) == -1)
		return -1;
	run->count[t].fresh++;
	return 0;
}

long long
import_user_id(struct import_run *run, const char *table, long long id)
{

	return db_import_target(run->db, run->source, table, id);
}

int
import_user(struct import_run *run, const char *table, long long id,
    const char *username, const char *email, const char *name,
    const char *hash, const char *role, time_t created)
{
	struct user	 u;
	long long	 target;
	bool		 fallback;
	enum role	 r;
	int		 rc;

	if ((rc = import_seen(run, IT_USERS, table, id, &target)) != 0)
		return rc;
	if (username == NULL || !valid_username(username, strlen(username)) ||
	    (email != NULL && !valid_username(email, strlen(email))) ||
	    hash == NULL || *hash == '\0' || strlen(hash) > 512) {
		fprintf(stderr, "resilops-admin: %s %s %lld: no usable username "
		    "or password hash: skipped\n", run->source, table, id);
		run->count[IT_USERS].skipped++;
		return 1;
	}
	/* One person, one account: ours (or the first source's) wins. */
	memset(&u, 0, sizeof(u));
	rc = db_user_by_login(run->db, username, &u);
	if (rc == 0 && email != NULL)
		rc = db_user_by_login(run->db, email, &u);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		target = u.id;
		user_clear(&u);
		if (db_import_map(run->db, run->source, table, id, target,
		    run->now) == -1)
			return -1;
		run->count[IT_USERS].merged++;
		return 1;
	}
	r = legacy_role(role, &fallback);
	if (fallback) {
		fprintf(stderr, "resilops-admin: %s %s %lld: role \"%s\" "
		    "unknown: imported as %s\n", run->source, table, id,
		    role ? role : "", role_name(r));
		run->fallbacks++;
	}
	{
		struct dbval	 args[] = { DBS(username), DBS(email), DBS(name),
		    DBS(hash), DBS(role_name(r)), DBT(created ? created :
		    run->now), DBT(run->now) };

		if ((target = db_import_insert(run->db, IMPORT_USER, args,
		    NARGS(args))) <= 0)
			return -1;
	}
	if (import_record(run, IT_USERS, table, id, target) == -1)
		return -1;
	return 1;
}

/* One "key=value" of a source's settings into src.  0 or -1 (said). */
static int
mysql_setting(struct import_mysql_src *src, const char *key,
    const char *value, bool from_file)
{
	char	**slot = NULL, *end;
	long	  port;

	if (strcmp(key, "host") == 0)
		slot = &src->host;
	else if (strcmp(key, "socket") == 0)
		slot = &src->socket;
	else if (strcmp(key, "user") == 0)
		slot = &src->user;
	else if (strcmp(key, "database") == 0)
		slot = &src->database;
	else if (strcmp(key, "password") == 0 && from_file)
		slot = &src->password;
	else if (strcmp(key, "password") == 0) {
		fprintf(stderr, "resilops-admin: no passwords on the command "
		    "line: give it on standard input or in --mysql-config\n");
		return -1;
	} else if (strcmp(key, "port") == 0) {
		errno = 0;
		port = strtol(value, &end, 10);
		if (errno != 0 || *end != '\0' || port < 1 || port > 65535) {
			fprintf(stderr, "resilops-admin: bad port %s\n", value);
			return -1;
		}
		src->port = (unsigned)port;
		return 0;
	} else {
		fprintf(stderr, "resilops-admin: unknown MySQL setting %s "
		    "(host, port, socket, user, password, database)\n", key);
		return -1;
	}
	free(*slot);
	if ((*slot = strdup(value)) == NULL)
		return -1;
	return 0;
}

/* "k=v,k=v" from the command line.  0 or -1 (said). */
static int
mysql_spec(struct import_mysql_src *src, const char *spec)
{
	char	 buf[SETTING_MAX], *item, *save = NULL, *eq;

	if (strlen(spec) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (item = strtok_r(buf, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(item, '=')) == NULL) {
			fprintf(stderr, "resilops-admin: --mysql wants "
			    "key=value,...: %s\n", item);
			return -1;
		}
		*eq = '\0';
		if (mysql_setting(src, item, eq + 1, false) == -1)
			return -1;
	}
	return 0;
}

/* "key = value" lines, # comments.  0 or -1 (said). */
static int
mysql_file(struct import_mysql_src *src, const char *path)
{
	struct stat	 st;
	char		 line[SETTING_MAX], *k, *v, *e;
	FILE		*f;
	int	 rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "resilops-admin: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	/* It holds a password: say so when others may read it. */
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)))
		fprintf(stderr, "resilops-admin: warning: %s holds a password "
		    "and others may read it (chmod 600 %s)\n", path, path);
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		for (k = line; *k == ' ' || *k == '\t'; k++)
			;
		if (*k == '#' || *k == '\0')
			continue;
		if ((v = strchr(k, '=')) == NULL) {
			fprintf(stderr, "resilops-admin: %s: not key = value: "
			    "%s\n", path, k);
			rc = -1;
			break;
		}
		for (e = v; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		for (v++; *v == ' ' || *v == '\t'; v++)
			;
		rc = mysql_setting(src, k, v, true);
	}
	crypto_wipe(line, sizeof(line));
	fclose(f);
	return rc;
}

/* The password from standard input, one line.  0 or -1 (said). */
static int
mysql_password_stdin(struct import_mysql_src *src)
{
	char	*line;

	if ((line = admin_read_line("MySQL password: ")) == NULL) {
		fprintf(stderr, "resilops-admin: no MySQL password on standard "
		    "input (an empty line for none)\n");
		return -1;
	}
	src->password = line;
	return 0;
}

static void
mysql_src_clear(struct import_mysql_src *src)
{

	free(src->host);
	free(src->socket);
	free(src->user);
	free(src->database);
	if (src->password != NULL)
		crypto_wipe(src->password, strlen(src->password));
	free(src->password);
}

/* The source's report, and its audit entry if it brought anything. */
static int
report(struct import_run *run, const char *what,
    const enum import_table *tables, size_t n, long long *total)
{
	struct audit_record	 r;
	struct passwd		*pw;
	struct json_object	*details, *counts;
	struct import_count	*c;
	char			 actor[128];
	long long		 fresh = 0;
	size_t			 i;
	int			 rc;

	printf("%s (%s):\n", run->kind, what);
	details = json_object_new_object();
	counts = json_object_new_object();
	for (i = 0; i < n; i++) {
		c = &run->count[tables[i]];
		if (tables[i] == IT_AUDIT)
			printf("  %s: %lld entries not copied (kept in the "
			    "source; ours are chained)\n",
			    table_names[tables[i]], c->skipped);
		else
			printf("  %s: %lld new, %lld already imported",
			    table_names[tables[i]], c->fresh, c->already);
		if (tables[i] != IT_AUDIT && c->merged > 0)
			printf(", %lld matched ours (kept)", c->merged);
		if (tables[i] != IT_AUDIT && c->skipped > 0)
			printf(", %lld skipped", c->skipped);
		if (tables[i] != IT_AUDIT)
			putchar('\n');
		fresh += c->fresh + c->merged;
		json_object_object_add(counts, table_names[tables[i]],
		    json_object_new_int64(c->fresh));
	}
	if (run->fallbacks > 0)
		printf("  %lld values read with a default (said above)\n",
		    run->fallbacks);
	*total += fresh;
	json_object_object_add(details, "source",
	    json_object_new_string(run->source));
	json_object_object_add(details, "new", counts);
	rc = 0;
	if (fresh > 0) {
		pw = getpwuid(getuid());
		snprintf(actor, sizeof(actor), "cli:%s", pw ? pw->pw_name : "?");
		memset(&r, 0, sizeof(r));
		r.ts = run->now;
		r.username = actor;
		r.action = "Data Imported";
		r.entity = "import";
		r.details = json_object_to_json_string_ext(details,
		    JSON_C_TO_STRING_PLAIN);
		rc = db_audit_append(run->db, &r);
	}
	json_object_put(details);
	return rc;
}

int
cmd_import(struct db *db, const struct conf *cfg, int argc, char *argv[])
{
	struct import_mysql_src	 src;
	struct import_run	 run;
	const char		*sqlite = NULL, *spec = NULL, *file = NULL;
	char			 what[2 * SETTING_MAX], name[SOURCE_MAX + 1];
	char			 path[PATH_MAX];
	bool			 dry = false;
	long long		 total = 0;
	int			 i, rc = 1;

	memset(&src, 0, sizeof(src));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry = true;
		else if (strcmp(argv[i], "--mysql") == 0 && i + 1 < argc)
			spec = argv[++i];
		else if (strcmp(argv[i], "--mysql-config") == 0 && i + 1 < argc)
			file = argv[++i];
		else if (strcmp(argv[i], "--sqlite") == 0 && i + 1 < argc)
			sqlite = argv[++i];
		else
			return -2;
	}
	if ((spec == NULL && file == NULL && sqlite == NULL) ||
	    (spec != NULL && file != NULL))
		return -2;
	if ((file != NULL && mysql_file(&src, file) == -1) ||
	    (spec != NULL && (mysql_spec(&src, spec) == -1 ||
	    mysql_password_stdin(&src) == -1)))
		goto out;
	if (sqlite != NULL && (access(sqlite, R_OK) == -1 ||
	    realpath(sqlite, path) == NULL)) {
		fprintf(stderr, "resilops-admin: %s: %s\n", sqlite,
		    strerror(errno));
		goto out;
	}
	memset(&run, 0, sizeof(run));
	run.db = db;
	run.cfg = cfg;
	run.now = time(NULL);
	if (db_begin(db) == -1)
		goto out;
	if (spec != NULL || file != NULL) {
		run.kind = "resilientops";
		if (snprintf(name, sizeof(name), "resilientops:%s",
		    src.database ? src.database : "") >= (int)sizeof(name))
			goto toolong;
		run.source = name;
		snprintf(what, sizeof(what), "MySQL %s on %s, known as %s",
		    src.database ? src.database : "?", src.socket ? src.socket :
		    src.host ? src.host : "localhost", name);
		if (import_from_mysql(&run, &src) == -1 ||
		    report(&run, what, mysql_tables, NARGS(mysql_tables),
		    &total) == -1)
			goto fail;
	}
	if (sqlite != NULL) {
		memset(run.count, 0, sizeof(run.count));
		run.fallbacks = 0;
		run.kind = "slaguard";
		if (snprintf(name, sizeof(name), "slaguard:%s", path) >=
		    (int)sizeof(name))
			goto toolong;
		run.source = name;
		snprintf(what, sizeof(what), "SQLite, known as %s", name);
		if (import_from_sqlite(&run, sqlite) == -1 ||
		    report(&run, what, sqlite_tables, NARGS(sqlite_tables),
		    &total) == -1)
			goto fail;
	}
	/*
	 * Any risk input may have come in: every service is scored on the
	 * next tick, the new ones get their risk_state rows (sql/018), and
	 * every service's summary of its edges and integrations is made
	 * again from the tables (sql/022), the list's anchors (sql/025) and
	 * the ticket analytics' aggregates (sql/024).
	 */
	if (total > 0 && (db_riskstate_bump(db, RS_EVERYTHING, 0, 0) == -1 ||
	    db_import_summaries(db) == -1))
		goto fail;
	if (dry) {
		db_rollback(db);
		printf("dry run: nothing written (%lld rows would be imported)\n",
		    total);
	} else if (db_commit(db) == -1)
		goto fail;
	else if (total == 0)
		printf("nothing new: everything was imported already\n");
	else
		printf("imported %lld rows\n", total);
	rc = 0;
	goto out;
toolong:
	fprintf(stderr, "resilops-admin: a source's name is at most %d bytes: "
	    "%s...\n", SOURCE_MAX, name);
fail:
	db_rollback(db);
	fprintf(stderr, "resilops-admin: import failed: nothing written\n");
out:
	mysql_src_clear(&src);
	return rc;
}
