/*
 * The audit_log table and its chain head.  Ids are assigned from the
 * head row (not AUTO_INCREMENT), so they are dense and a missing id
 * is a deleted entry.  Checkpoints copy the head out of the database.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_audit.h"
#include "util/log.h"

#define AUDIT_COLS "id, created_at, user_id, username, action, entity, " \
	"entity_id, ip, user_agent, details, status, prev_mac, mac"

static const char SQL_HEAD_LOCK[] =
    "SELECT last_id, last_mac FROM audit_head WHERE id = 1 FOR UPDATE";
static const char SQL_HEAD[] =
    "SELECT last_id, last_mac FROM audit_head WHERE id = 1";
static const char SQL_INSERT[] =
    "INSERT INTO audit_log (" AUDIT_COLS ") "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_HEAD_SET[] =
    "UPDATE audit_head SET last_id = ?, last_mac = ? WHERE id = 1";
static const char SQL_PAGE[] =
    "SELECT " AUDIT_COLS " FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?";
#define AUDIT_FILTER " WHERE (? IS NULL OR user_id = ?) " \
	"AND (? IS NULL OR LOCATE(LOWER(?), LOWER(action)) > 0) " \
	"AND (? IS NULL OR entity = ?) AND (? IS NULL OR created_at >= ?) " \
	"AND (? IS NULL OR created_at < ?)"
static const char SQL_SEARCH_COUNT[] =
    "SELECT COUNT(*) FROM audit_log" AUDIT_FILTER;
static const char SQL_SEARCH[] =
    "SELECT " AUDIT_COLS " FROM audit_log" AUDIT_FILTER
    " ORDER BY id DESC LIMIT ? OFFSET ?";
/* Ids are dense from 1, so the last id is the count. */
static const char SQL_COUNT[] = "SELECT last_id FROM audit_head WHERE id = 1";
static const char SQL_WALK[] =
    "SELECT " AUDIT_COLS " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?";

static int
head_read(struct db *db, const char *sql, long long *last_id,
    unsigned char mac[AUDIT_MAC_LEN])
{
	struct dbrows	*r;
	const char	*m;
	size_t		 len;
	int		 rc;

	if ((r = db_query(db, sql, NULL, 0)) == NULL)
		return -1;
	rc = db_next(r);
	if (rc == 1) {
		*last_id = db_int(r, 0);
		m = db_text(r, 1, &len);
		if (m == NULL || len != AUDIT_MAC_LEN)
			rc = log_errx("audit: head row is damaged");
		else
			memcpy(mac, m, AUDIT_MAC_LEN);
	} else if (rc == 0)
		rc = log_errx("audit: head row missing (run resilops-admin migrate)");
	db_rows_free(r);
	return rc == 1 ? 0 : -1;
}

int
db_audit_head(struct db *db, long long *last_id,
    unsigned char mac[AUDIT_MAC_LEN])
{
	return head_read(db, SQL_HEAD, last_id, mac);
}

int
db_audit_checkpoint(struct db *db, const char *path, time_t now,
    struct audit_checkpoint *cp, char *line, size_t linesz)
{
	char	 host[AUDITCHECKPOINT_HOST_MAX + 1];

	memset(cp, 0, sizeof(*cp));
	if (db_audit_head(db, &cp->seq, cp->mac) == -1)
		return -1;
	cp->at = now;
	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	auditcheckpoint_set_host(cp, host);
	if (auditcheckpoint_format(cp, line, linesz) == -1)
		return log_errx("audit checkpoint: cannot format entry %lld",
		    cp->seq);
	if (path == NULL) {
		log_syslog_as("resilops-audit", LOG_AUTH, LOG_NOTICE, line);
		return 0;
	}
	return log_append(path, line);
}

int
db_audit_lock(struct db *db)
{
	unsigned char	 mac[AUDIT_MAC_LEN];
	long long	 last_id;

	return head_read(db, SQL_HEAD_LOCK, &last_id, mac);
}

static struct dbval
opt_int(long long v)
{
	return v ? DBI(v) : DBNULL;
}

int
db_audit_append(struct db *db, const unsigned char *key, size_t keylen,
    struct audit_record *r)
{
	unsigned char	 prev[AUDIT_MAC_LEN], mac[AUDIT_MAC_LEN];
	long long	 last_id;

	if (head_read(db, SQL_HEAD_LOCK, &last_id, prev) == -1)
		return -1;
	r->id = last_id + 1;
	if (auditchain_mac(key, keylen, prev, r, mac) == -1)
		return log_errx("audit: cannot compute the mac");
	{
		struct dbval	 args[] = {
			DBI(r->id), DBT(r->ts), opt_int(r->user_id),
			DBS(r->username), DBS(r->action), DBS(r->entity),
			opt_int(r->entity_id), DBS(r->ip), DBS(r->user_agent),
			DBS(r->details), r->status ? DBI(r->status) : DBNULL,
			DBB(prev, AUDIT_MAC_LEN), DBB(mac, AUDIT_MAC_LEN),
		};
		struct dbval	 hargs[] = { DBI(r->id), DBB(mac, AUDIT_MAC_LEN) };

		if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, NULL) == -1 ||
		    db_exec(db, SQL_HEAD_SET, hargs, NARGS(hargs), NULL, NULL) == -1)
			return -1;
	}
	return 0;
}

/* Walk rows of AUDIT_COLS through cb; returns rows seen or -1. */
static long long
audit_rows(struct db *db, const char *sql, const struct dbval *args,
    size_t nargs, audit_cb cb, void *arg)
{
	struct audit_record	 rec;
	struct dbrows		*r;
	const char		*prev, *mac;
	size_t			 plen, mlen;
	long long		 n = 0;
	int			 rc;

	if ((r = db_query(db, sql, args, nargs)) == NULL)
		return -1;
	while ((rc = db_next(r)) == 1) {
		memset(&rec, 0, sizeof(rec));
		rec.id = db_int(r, 0);
		rec.ts = db_time(r, 1);
		rec.user_id = db_int(r, 2);
		rec.username = db_text(r, 3, NULL);
		rec.action = db_text(r, 4, NULL);
		rec.entity = db_text(r, 5, NULL);
		rec.entity_id = db_int(r, 6);
		rec.ip = db_text(r, 7, NULL);
		rec.user_agent = db_text(r, 8, NULL);
		rec.details = db_text(r, 9, NULL);
		rec.status = (int)db_int(r, 10);
		prev = db_text(r, 11, &plen);
		mac = db_text(r, 12, &mlen);
		if (prev == NULL || mac == NULL || plen != AUDIT_MAC_LEN ||
		    mlen != AUDIT_MAC_LEN) {
			static const unsigned char zero[AUDIT_MAC_LEN];

			/* A damaged row still reaches cb, which will fail it. */
			prev = mac = (const char *)zero;
		}
		n++;
		if (cb(&rec, (const unsigned char *)prev,
		    (const unsigned char *)mac, arg) != 0)
			break;
	}
	db_rows_free(r);
	return rc == -1 ? -1 : n;
}

void
audit_entry_clear(struct audit_entry *e)
{
	free(e->username);
	free(e->action);
	free(e->entity);
	free(e->ip);
	free(e->user_agent);
	free(e->details);
	memset(e, 0, sizeof(*e));
}

static int
audit_entry_fill(struct dbrows *r, void *p)
{
	struct audit_entry	*e = p;
	bool			 oom = false;

	e->id = db_int(r, 0);
	e->ts = db_time(r, 1);
	e->user_id = db_int(r, 2);
	e->username = db_text_dup(r, 3, &oom);
	e->action = db_text_dup(r, 4, &oom);
	e->entity = db_text_dup(r, 5, &oom);
	e->entity_id = db_int(r, 6);
	e->ip = db_text_dup(r, 7, &oom);
	e->user_agent = db_text_dup(r, 8, &oom);
	e->details = db_text_dup(r, 9, &oom);
	e->status = (int)db_int(r, 10);
	return oom || e->action == NULL || e->entity == NULL ? -1 : 0;
}

static void
audit_entry_clear_v(void *e)
{
	audit_entry_clear(e);
}

int
db_audit_list(struct db *db, long long offset, long long limit,
    struct audit_entry **out, size_t *n)
{
	struct dbval	 args[] = { DBI(limit), DBI(offset) };

	return db_collect(db, SQL_PAGE, args, NARGS(args), sizeof(**out),
	    audit_entry_fill, audit_entry_clear_v, (void **)out, n);
}

long long
db_audit_count(struct db *db)
{
	long long	 n;

	if (db_scalar(db, SQL_COUNT, NULL, 0, &n) != 1)
		return -1;
	return n;
}

long long
db_audit_walk(struct db *db, long long after, long long limit, audit_cb cb,
    void *arg)
{
	struct dbval	 args[] = { DBI(after), DBI(limit) };

	return audit_rows(db, SQL_WALK, args, NARGS(args), cb, arg);
}

int
db_audit_search(struct db *db, const struct audit_filter *f, long long offset,
    long long limit, struct audit_entry **out, size_t *n, long long *total)
{
	struct dbval	 a[12];

	a[0] = a[1] = f->user_id ? DBI(f->user_id) : DBNULL;
	a[2] = a[3] = DBS(f->action);
	a[4] = a[5] = DBS(f->entity);
	a[6] = a[7] = f->from ? DBT(f->from) : DBNULL;
	a[8] = a[9] = f->to ? DBT(f->to) : DBNULL;
	if (db_scalar(db, SQL_SEARCH_COUNT, a, 10, total) != 1)
		return -1;
	a[10] = DBI(limit);
	a[11] = DBI(offset);
	return db_collect(db, SQL_SEARCH, a, 12, sizeof(**out),
	    audit_entry_fill, audit_entry_clear_v, (void **)out, n);
}
