/*
 * resilops-admin import, first source: a ResilientOps / Service Risk
 * database (MySQL or MariaDB) as Flask-SQLAlchemy created it from the
 * seeds' models: tables user, service, service_dependencies, bia,
 * status, downtime, risk, integration, audit_log.  Read through a
 * second connection of our own db layer, with the source's settings.
 * Parents come before children, so every child finds its service in
 * the import map; a child whose service was not imported is skipped.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "admin/import.h"
#include "core/integration.h"
#include "core/legacy.h"
#include "core/service.h"
#include "db/db.h"
#include "db/db_import.h"
#include "db/db_integration.h"
#include "util/conf.h"
#include "util/json.h"
#include "util/keyring.h"

static const char src_users[] =
    "SELECT id, username, password, role FROM `user` ORDER BY id";
static const char src_services[] =
    "SELECT id, name, description, created_by FROM service ORDER BY id";
static const char src_deps[] =
    "SELECT service_id, dependency_id FROM service_dependencies "
    "ORDER BY service_id, dependency_id";
static const char src_bia[] =
    "SELECT id, service_id, criticality, impact, rto, rpo, signed_off "
    "FROM bia ORDER BY id";
static const char src_status[] =
    "SELECT id, service_id, status, last_updated FROM status ORDER BY id";
static const char src_downtimes[] =
    "SELECT id, service_id, start_time, end_time, reason FROM downtime "
    "ORDER BY id";
static const char src_risks[] =
    "SELECT id, service_id, risk_score, risk_level, reason, is_critical, "
    "source, created_by, created_at FROM risk ORDER BY id";
static const char src_integrations[] =
    "SELECT id, service_id, type, config, created_by, created_at "
    "FROM integration ORDER BY id";
static const char src_audit[] =
    "SELECT COUNT(*) FROM audit_log";

static struct dbval
time_or_null(const struct dbrows *r, unsigned col)
{

	return db_isnull(r, col) ? DBNULL : DBT(db_time(r, col));
}

static int
users(struct import_run *run, struct db *src)
{
	struct dbrows	*r;
	int		 rc = 0;

	if ((r = db_query(src, src_users, NULL, 0)) == NULL)
		return -1;
	while (rc == 0 && db_next(r) == 1)
		if (import_user(run, "user", db_int(r, 0), db_text(r, 1, NULL),
		    NULL, NULL, db_text(r, 2, NULL), db_text(r, 3, NULL),
		    0) == -1)
			rc = -1;
	db_rows_free(r);
	return rc;
}

static int
services(struct import_run *run, struct db *src)
{
	struct dbrows	*r;
	long long	 target;
	int		 rc = 0, seen;

	if ((r = db_query(src, src_services, NULL, 0)) == NULL)
		return -1;
	while (rc == 0 && db_next(r) == 1) {
		struct dbval	 args[] = { DBS(db_text(r, 1, NULL)),
		    DBS(db_text(r, 2, NULL)), DBS(db_text(r, 3, NULL)),
		    DBT(run->now), DBT(run->now) };

		if ((seen = import_seen(run, IT_SERVICES, "service",
		    db_int(r, 0), &target)) != 0)
			rc = seen == -1 ? -1 : 0;
		else if ((target = db_import_insert(run->db, IMPORT_SERVICE,
		    args, NARGS(args))) <= 0 ||
		    import_record(run, IT_SERVICES, "service", db_int(r, 0),
		    target) == -1)
			rc = -1;
	}
	db_rows_free(r);
	return rc;
}

/* Our id of the source's service id; 0 (counted as skipped) if none. */
static long long
service_of(struct import_run *run, enum import_table t, long long id)
{
	long long	 target;

	if ((target = db_import_target(run->db, run->source, "service",
	    id)) == 0) {
		fprintf(stderr, "resilops-admin: a row of %s names service %lld, "
		    "which was not imported: skipped\n", run->source, id);
		run->count[t].skipped++;
	}
	return target;
}

static int
dependencies(struct import_run *run, struct db *src)
{
	struct dbrows	*r;
	long long	 a, b = 0, n;
	int		 rc = 0;

	if ((r = db_query(src, src_deps, NULL, 0)) == NULL)
		return -1;
	while (rc == 0 && db_next(r) == 1) {
		if ((a = service_of(run, IT_DEPENDENCIES, db_int(r, 0))) <= 0 ||
		    (b = service_of(run, IT_DEPENDENCIES, db_int(r, 1))) <= 0) {
			rc = a == -1 || b == -1 ? -1 : 0;
			continue;
		}
		{
			struct dbval	 args[] = { DBI(a), DBI(b) };

			if ((n = db_import_insert(run->db, IMPORT_DEPENDENCY,
			    args, NARGS(args))) == -1)
				rc = -1;
			else if (n == 1)
				run->count[IT_DEPENDENCIES].fresh++;
			else
				run->count[IT_DEPENDENCIES].already++;
		}
	}
	db_rows_free(r);
	return rc;
}

/*
 * The rows that belong to one service (bia, status, downtime, risk):
 * column 0 the source id, 1 the service id; fill makes the statement's
 * parameters (service first) from the row.
 */
typedef size_t (*child_fill)(struct import_run *, const struct dbrows *,
    long long service, struct dbval *args);

static int
children(struct import_run *run, struct db *src, const char *sql,
    const char *table, enum import_table t, enum import_stmt which,
    child_fill fill)
{
	struct dbrows	*r;
	struct dbval	 args[8];
	long long	 target, service, n;
	size_t		 nargs;
	int		 rc = 0, seen;

	if ((r = db_query(src, sql, NULL, 0)) == NULL)
		return -1;
	while (rc == 0 && db_next(r) == 1) {
		if ((seen = import_seen(run, t, table, db_int(r, 0),
		    &target)) != 0) {
			rc = seen == -1 ? -1 : 0;
			continue;
		}
		if ((service = service_of(run, t, db_int(r, 1))) <= 0) {
			rc = service == -1 ? -1 : 0;
			continue;
		}
		nargs = fill(run, r, service, args);
		if ((n = db_import_insert(run->db, which, args, nargs)) == -1)
			rc = -1;
		else if (n == 0) {
			/* One BIA or status per service: ours stays. */
			run->count[t].merged++;
			rc = db_import_map(run->db, run->source, table,
			    db_int(r, 0), service, run->now);
		} else
			rc = import_record(run, t, table, db_int(r, 0),
			    which == IMPORT_BIA || which == IMPORT_STATUS ?
			    service : n);
	}
	db_rows_free(r);
	return rc;
}

static size_t
fill_bia(struct import_run *run, const struct dbrows *r, long long service,
    struct dbval *a)
{

	a[0] = DBI(service);
	a[1] = DBS(legacy_criticality(db_text(r, 2, NULL)));
	a[2] = DBS(legacy_impact(db_text(r, 3, NULL)));
	a[3] = db_isnull(r, 4) || db_int(r, 4) < 0 ? DBNULL : DBI(db_int(r, 4));
	a[4] = db_isnull(r, 5) || db_int(r, 5) < 0 ? DBNULL : DBI(db_int(r, 5));
	a[5] = DBI(db_int(r, 6) != 0);
	a[6] = DBT(run->now);
	return 7;
}

static size_t
fill_status(struct import_run *run, const struct dbrows *r,
    long long service, struct dbval *a)
{

	a[0] = DBI(service);
	a[1] = DBS(legacy_status(db_text(r, 2, NULL)));
	a[2] = time_or_null(r, 3);
	a[3] = db_isnull(r, 3) ? DBT(run->now) : DBT(db_time(r, 3));
	return 4;
}

static size_t
fill_downtime(struct import_run *run, const struct dbrows *r,
    long long service, struct dbval *a)
{
	const char	*reason = db_text(r, 4, NULL);

	(void)run;
	a[0] = DBI(service);
	a[1] = DBT(db_time(r, 2));
	a[2] = time_or_null(r, 3);
	a[3] = DBS(reason != NULL ? reason : "");
	a[4] = DBT(db_time(r, 2));
	return 5;
}

static size_t
fill_risk(struct import_run *run, const struct dbrows *r, long long service,
    struct dbval *a)
{
	const char	*level = db_text(r, 3, NULL), *source;
	int		 lv;

	a[0] = DBI(service);
	a[1] = DBI(db_int(r, 2));
	lv = level != NULL ? risk_level_parse(level) : -1;
	a[2] = DBS(risk_level_name(lv < 0 ? RISK_LOW : (enum risk_level)lv));
	if (lv < 0)
		run->fallbacks++;
	a[3] = DBS(db_text(r, 4, NULL));
	a[4] = DBI(db_int(r, 5) != 0);
	source = db_text(r, 6, NULL);
	a[5] = DBS(source != NULL && strcmp(source, "manual") == 0 ?
	    "manual" : "automated");
	a[6] = DBS(db_text(r, 7, NULL));
	a[7] = db_isnull(r, 8) ? DBT(run->now) : DBT(db_time(r, 8));
	return 8;
}

/*
 * One integration, its secrets sealed under our newest key as the API
 * seals them (db_integration_add), and checked as the API checks them:
 * one the API would refuse (an http webhook, an unknown type) is
 * skipped and named.  1 done or skipped, -1 on error.
 */
static int
integration(struct import_run *run, const struct keyring *kr,
    const struct dbrows *r)
{
	struct json_object	*config;
	const char		*text;
	char			 err[256];
	long long		 target, service;
	size_t			 len;
	int			 type, seen;

	if ((seen = import_seen(run, IT_INTEGRATIONS, "integration",
	    db_int(r, 0), &target)) != 0)
		return seen;
	if ((service = service_of(run, IT_INTEGRATIONS, db_int(r, 1))) <= 0)
		return service == -1 ? -1 : 1;
	text = db_text(r, 3, &len);
	type = integration_type_parse(db_text(r, 2, NULL));
	config = text != NULL ? json_parse_strict(text, len) : NULL;
	if (type < 0 || config == NULL ||
	    !json_object_is_type(config, json_type_object) ||
	    integration_config_check((enum integration_type)type, config,
	    run->cfg->delivery.http_hosts, err, sizeof(err)) == -1) {
		fprintf(stderr, "resilops-admin: %s integration %lld: %s: "
		    "skipped (add it again through the API)\n", run->source,
		    db_int(r, 0), type < 0 ? INTEGRATION_TYPE_BADMSG :
		    config == NULL ? INTEGRATION_CONFIG_BADMSG : err);
		json_object_put(config);
		run->count[IT_INTEGRATIONS].skipped++;
		return 1;
	}
	target = db_integration_add(run->db, kr, service,
	    (enum integration_type)type, config, db_text(r, 4, NULL),
	    db_isnull(r, 5) ? run->now : db_time(r, 5));
	json_object_put(config);
	if (target <= 0)
		return -1;
	{
		struct dbval	 args[] = { DBI(target) };

		if (db_import_insert(run->db, IMPORT_QUIET, args,
		    NARGS(args)) == -1)
			return -1;
	}
	return import_record(run, IT_INTEGRATIONS, "integration", db_int(r, 0),
	    target) == -1 ? -1 : 1;
}

static int
integrations(struct import_run *run, struct db *src)
{
	struct keyring	 kr;
	struct dbrows	*r;
	char		 err[256];
	int		 rc = 0;

	if (keyring_load(&kr, run->cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "resilops-admin: %s\n", err);
		return -1;
	}
	if ((r = db_query(src, src_integrations, NULL, 0)) == NULL)
		rc = -1;
	while (rc == 0 && db_next(r) == 1)
		if (integration(run, &kr, r) == -1)
			rc = -1;
	db_rows_free(r);
	keyring_wipe(&kr);
	return rc;
}

int
import_from_mysql(struct import_run *run, const struct import_mysql_src *s)
{
	struct conf	 c;
	struct db	*src;
	long long	 n = 0;
	int		 rc = -1;

	/* Our settings (TLS and all) with the source's address and name. */
	c = *run->cfg;
	c.db.host = s->host != NULL ? s->host : (char *)"localhost";
	c.db.port = s->port != 0 ? s->port : 3306;
	c.db.socket = s->socket;
	c.db.user = s->user;
	c.db.password = s->password != NULL ? s->password : (char *)"";
	c.db.name = s->database;
	if (s->database == NULL) {
		fprintf(stderr, "resilops-admin: the MySQL source needs "
		    "database=NAME\n");
		return -1;
	}
	if ((src = db_new(&c)) == NULL || db_ready(src) == -1) {
		fprintf(stderr, "resilops-admin: cannot reach the MySQL source "
		    "(database %s)\n", s->database);
		goto out;
	}
	if (users(run, src) == -1 || services(run, src) == -1 ||
	    dependencies(run, src) == -1 ||
	    children(run, src, src_bia, "bia", IT_BIA, IMPORT_BIA,
	    fill_bia) == -1 ||
	    children(run, src, src_status, "status", IT_STATUS, IMPORT_STATUS,
	    fill_status) == -1 ||
	    children(run, src, src_downtimes, "downtime", IT_DOWNTIMES,
	    IMPORT_DOWNTIME, fill_downtime) == -1 ||
	    children(run, src, src_risks, "risk", IT_RISKS, IMPORT_RISK,
	    fill_risk) == -1 || integrations(run, src) == -1)
		goto out;
	if (db_scalar(src, src_audit, NULL, 0, &n) == -1)
		goto out;
	run->count[IT_AUDIT].skipped = n;
	rc = 0;
out:
	if (rc == -1)
		fprintf(stderr, "resilops-admin: reading the MySQL source "
		    "failed\n");
	db_free(src);
	return rc;
}
