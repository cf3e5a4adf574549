/*
 * The security scans' reads and the security_scans table.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "db/db.h"
#include "db/db_scan.h"

#define DAY	86400

static const char SQL_ACCOUNT[] =
    "SELECT u.id, u.active, u.created_at, u.password_hash, u.role, "
    "(SELECT MAX(a.created_at) FROM audit_log a WHERE a.user_id = u.id AND "
    "a.action = 'User Login'), "
    "(SELECT COUNT(*) FROM audit_log a WHERE a.action = 'User Login Failed' "
    "AND a.entity_id = u.id AND a.created_at > ?), "
    "(SELECT COUNT(*) FROM api_keys k WHERE k.user_id = u.id AND k.is_active "
    "AND k.expires_at IS NULL), "
    "(SELECT COUNT(*) FROM api_keys k WHERE k.user_id = u.id AND k.is_active "
    "AND COALESCE(k.last_used_at, k.created_at) <= ?), "
    "(SELECT COUNT(*) FROM api_keys k WHERE k.user_id = u.id AND k.is_active "
    "AND FIND_IN_SET('admin', k.permissions) > 0) "
    "FROM users u WHERE u.id = ? OR u.username = ? ORDER BY u.id = ? DESC "
    "LIMIT 1";
static const char SQL_SERVICE[] =
    "SELECT s.id, b.service_id IS NOT NULL, COALESCE(b.signed_off, 0), "
    "COALESCE(b.signed_off_at, b.updated_at), st.last_updated, "
    "(SELECT COUNT(*) FROM integrations i WHERE i.service_id = s.id AND "
    "i.config LIKE '%\"$redacted\":\"http://%') "
    "FROM services s LEFT JOIN bia b ON b.service_id = s.id "
    "LEFT JOIN service_status st ON st.service_id = s.id WHERE s.id = ?";
static const char SQL_KEY[] =
    "SELECT k.is_active, u.active, FIND_IN_SET('admin', k.permissions) > 0, "
    "k.created_at, k.expires_at, k.last_used_at, k.rate_limit "
    "FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_id = ?";
static const char SQL_INSERT[] =
    "INSERT INTO security_scans (scan_id, scan_type, target_id, "
    "security_score, result, created_by, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
#define SQL_COUNT_TEXT	"SELECT COUNT(*) FROM security_scans"
static const char SQL_COUNT[] = SQL_COUNT_TEXT;
/* A page and the total in one statement (db_page; as the API keys'). */
static const char SQL_PAGE[] =
    "SELECT scan_id, scan_type, target_id, security_score, result, "
    "created_by, created_at, (" SQL_COUNT_TEXT ") FROM security_scans "
    "ORDER BY id DESC LIMIT ? OFFSET ?";
#define PAGE_TOTAL	7

int
db_scan_account(struct db *db, const char *target, time_t now,
    struct scan_account *a, char **password_hash, int *role)
{
	/* An id when it is all digits, else only a username. */
	long long	 id = strspn(target, "0123456789") == strlen(target) &&
	    strlen(target) <= 18 ? strtoll(target, NULL, 10) : 0;
	struct dbval	 args[] = {
		DBT(now - DAY), DBT(now - SCAN_IDLE_DAYS * DAY), DBI(id),
		DBS(target), DBI(id),
	};
	struct dbrows	*r;
	int		 rc;

	memset(a, 0, sizeof(*a));
	*password_hash = NULL;
	if ((r = db_query(db, SQL_ACCOUNT, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		a->active = db_int(r, 1) != 0;
		a->created_at = db_time(r, 2);
		*password_hash = db_text_dup(r, 3, NULL);
		*role = role_parse(db_text(r, 4, NULL));
		a->last_login = db_time(r, 5);
		a->failed_day = (long)db_int(r, 6);
		a->keys_no_expiry = (long)db_int(r, 7);
		a->keys_idle = (long)db_int(r, 8);
		a->keys_admin = (long)db_int(r, 9);
	}
	db_rows_free(r);
	return rc;
}

int
db_scan_service(struct db *db, long long id, struct scan_service *s)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	int		 rc;

	memset(s, 0, sizeof(*s));
	if ((r = db_query(db, SQL_SERVICE, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		s->has_bia = db_int(r, 1) != 0;
		s->signed_off = db_int(r, 2) != 0;
		s->reviewed_at = db_time(r, 3);
		s->last_heartbeat = db_time(r, 4);
		s->plain_http_integrations = (long)db_int(r, 5);
	}
	db_rows_free(r);
	return rc;
}

int
db_scan_key(struct db *db, const char *key_id, struct scan_key *k)
{
	struct dbval	 args[] = { DBS(key_id) };
	struct dbrows	*r;
	int		 rc;

	memset(k, 0, sizeof(*k));
	if ((r = db_query(db, SQL_KEY, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		k->active = db_int(r, 0) != 0;
		k->owner_active = db_int(r, 1) != 0;
		k->admin = db_int(r, 2) != 0;
		k->created_at = db_time(r, 3);
		k->expires_at = db_time(r, 4);
		k->last_used_at = db_time(r, 5);
		k->rate_limit = (long)db_int(r, 6);
	}
	db_rows_free(r);
	return rc;
}

void
scan_row_clear(struct scan_row *s)
{
	free(s->scan_type);
	free(s->target_id);
	free(s->result);
	memset(s, 0, sizeof(*s));
}

int
db_scan_insert(struct db *db, const struct scan_row *s)
{
	struct dbval	 args[] = {
		DBS(s->scan_id), DBS(s->scan_type), DBS(s->target_id),
		DBI(s->score), DBS(s->result),
		s->created_by ? DBI(s->created_by) : DBNULL, DBT(s->created_at),
	};

	return db_exec(db, SQL_INSERT, args, NARGS(args), NULL, NULL);
}

static int
scan_fill(struct dbrows *r, void *p)
{
	struct scan_row	*s = p;
	const char	*id = db_text(r, 0, NULL);
	bool		 oom = false;

	snprintf(s->scan_id, sizeof(s->scan_id), "%s", id ? id : "");
	s->scan_type = db_text_dup(r, 1, &oom);
	s->target_id = db_text_dup(r, 2, &oom);
	s->score = (int)db_int(r, 3);
	s->result = db_text_dup(r, 4, &oom);
	s->created_by = db_int(r, 5);
	s->created_at = db_time(r, 6);
	if (oom || s->result == NULL) {
		scan_row_clear(s);
		return -1;
	}
	return 0;
}

static void
scan_clear_v(void *s)
{
	scan_row_clear(s);
}

int
db_scan_list(struct db *db, long long offset, long long limit,
    struct scan_row **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_PAGE, .args = args, .nargs = NARGS(args),
		.total_col = PAGE_TOTAL, .count = SQL_COUNT, .offset = offset,
	};

	return db_page(db, &q, sizeof(**out), scan_fill, scan_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}
