/*
 * The audit_log table and its chain head (sql/015_audit_seal.sql).  A
 * write inserts its entry unsealed and never waits on another write;
 * db_audit_seal chains the unsealed entries in id order under the head
 * row's lock, numbering them seq, densely: a missing seq is a deleted
 * entry.  Checkpoints copy the head out of the database.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_audit.h"
#include "util/crypto.h"
#include "util/log.h"

#define AUDIT_FIELDS "created_at, user_id, username, action, entity, " \
	"entity_id, ip, user_agent, details, status"
#define AUDIT_COLS "id, " AUDIT_FIELDS ", prev_mac, mac"
/* The same columns with the chain position first, for the walk. */
#define AUDIT_CHAIN_COLS "seq, " AUDIT_FIELDS ", prev_mac, mac"
/* Entries a seal takes at most per statement (and per transaction). */
#define SEAL_BATCH	500

static const char SQL_HEAD_LOCK[] =
    "SELECT last_id, last_mac FROM audit_head WHERE id = 1 FOR UPDATE";
static const char SQL_HEAD[] =
    "SELECT last_id, last_mac FROM audit_head WHERE id = 1";
static const char SQL_INSERT[] =
    "INSERT INTO audit_log (" AUDIT_FIELDS ") "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/* READ COMMITTED (db.c): read after the head's lock, it sees every seal. */
static const char SQL_UNSEALED[] =
    "SELECT " AUDIT_COLS " FROM audit_log WHERE seq IS NULL "
    "ORDER BY id LIMIT ?";
static const char SQL_SEAL[] =
    "UPDATE audit_log a JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
    "id BIGINT UNSIGNED PATH '$[0]', seq BIGINT UNSIGNED PATH '$[1]', "
    "prev CHAR(64) PATH '$[2]', mac CHAR(64) PATH '$[3]')) s "
    "ON a.id = s.id AND a.seq IS NULL "
    "SET a.seq = s.seq, a.prev_mac = UNHEX(s.prev), a.mac = UNHEX(s.mac)";
static const char SQL_UNSEALED_STATE[] =
    "SELECT COUNT(*), UNIX_TIMESTAMP(MIN(created_at)) FROM audit_log "
    "WHERE seq IS NULL";
static const char SQL_HEAD_SET[] =
    "UPDATE audit_head SET last_id = ?, last_mac = ? WHERE id = 1";
/*
 * seq is dense from 1: the sealed count is the head's; then the rest
 * (the unsealed few, from the front of ux_audit_seq).  A page carries
 * it in a last column, so the page and its total are one statement
 * and one snapshot; a page past the end has no row and asks alone.
 */
#define AUDIT_TOTAL "(SELECT last_id FROM audit_head WHERE id = 1) + " \
	"(SELECT COUNT(*) FROM audit_log WHERE seq IS NULL)"
#define AUDIT_TOTAL_COL	13	/* after AUDIT_COLS */
static const char SQL_COUNT[] = "SELECT " AUDIT_TOTAL;
static const char SQL_PAGE[] =
    "SELECT " AUDIT_COLS ", " AUDIT_TOTAL " FROM audit_log "
    "ORDER BY id DESC LIMIT ? OFFSET ?";
#define AUDIT_FILTER " WHERE (? IS NULL OR user_id = ?) " \
	"AND (? IS NULL OR LOCATE(LOWER(?), LOWER(action)) > 0) " \
	"AND (? IS NULL OR entity = ?) AND (? IS NULL OR created_at >= ?) " \
	"AND (? IS NULL OR created_at < ?)"
static const char SQL_SEARCH_COUNT[] =
    "SELECT COUNT(*) FROM audit_log" AUDIT_FILTER;
static const char SQL_SEARCH[] =
    "SELECT " AUDIT_COLS " FROM audit_log" AUDIT_FILTER
    " ORDER BY id DESC LIMIT ? OFFSET ?";
static const char SQL_WALK[] =
    "SELECT " AUDIT_CHAIN_COLS " FROM audit_log WHERE seq > ? "
    "ORDER BY seq LIMIT ?";

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
db_audit_append(struct db *db, struct audit_record *r)
{
	unsigned long long	 id;
	struct dbval		 args[] = {
		DBT(r->ts), DBID(r->user_id), DBS(r->username),
		DBS(r->action), DBS(r->entity), DBID(r->entity_id),
		DBS(r->ip), DBS(r->user_agent), DBS(r->details),
		r->status ? DBI(r->status) : DBNULL,
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	r->id = (long long)id;
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

/*
 * One seal: the chain so far, and the batch for SQL_SEAL as JSON text,
 * [[id, seq, "prev hex", "mac hex"], ...] (digits and hex only: nothing
 * to escape).
 */
struct seal {
	const unsigned char	*key;
	size_t			 keylen;
	long long		 seq;			/* the last one sealed */
	unsigned char		 prev[AUDIT_MAC_LEN];	/* and its mac */
	char			*json;
	size_t			 len, size;
	int			 failed;
};

#define SEAL_ROW_MAX	(2 * 21 + 2 * 2 * AUDIT_MAC_LEN + 16)

static int
seal_one(const struct audit_record *r, const unsigned char *stored_prev,
    const unsigned char *stored_mac, void *arg)
{
	struct seal		*st = arg;
	struct audit_record	 rec = *r;
	unsigned char		 mac[AUDIT_MAC_LEN];
	char			 hprev[2 * AUDIT_MAC_LEN + 1];
	char			 hmac[2 * AUDIT_MAC_LEN + 1];

	(void)stored_prev;
	(void)stored_mac;
	/* The mac covers the entry's place in the chain, not its row id. */
	rec.id = st->seq + 1;
	if (auditchain_mac(st->key, st->keylen, st->prev, &rec, mac) == -1 ||
	    st->size - st->len < SEAL_ROW_MAX) {
		st->failed = 1;
		return 1;
	}
	crypto_hex(st->prev, AUDIT_MAC_LEN, hprev);
	crypto_hex(mac, AUDIT_MAC_LEN, hmac);
	st->len += (size_t)snprintf(st->json + st->len, st->size - st->len,
	    "%s[%lld,%lld,\"%s\",\"%s\"]", st->len > 1 ? "," : "", r->id,
	    rec.id, hprev, hmac);
	st->seq = rec.id;
	memcpy(st->prev, mac, AUDIT_MAC_LEN);
	return 0;
}

long long
db_audit_seal(struct db *db, const unsigned char *key, size_t keylen)
{
	struct seal		 st;
	struct dbval		 args[] = { DBI(SEAL_BATCH) };
	unsigned long long	 changed;
	long long		 n;

	memset(&st, 0, sizeof(st));
	st.key = key;
	st.keylen = keylen;
	/* One sealer at a time; writers never take this lock. */
	if (head_read(db, SQL_HEAD_LOCK, &st.seq, st.prev) == -1)
		return -1;
	st.size = SEAL_BATCH * SEAL_ROW_MAX + 4;
	if ((st.json = malloc(st.size)) == NULL)
		return log_warnx("audit seal: out of memory");
	st.json[0] = '[';
	st.len = 1;
	n = audit_rows(db, SQL_UNSEALED, args, NARGS(args), seal_one, &st);
	if (n > 0 && st.failed)
		n = log_errx("audit seal: cannot compute the mac");
	if (n > 0) {
		struct dbval	 sargs[] = { DBS(NULL) };
		struct dbval	 hargs[] = {
			DBI(st.seq), DBB(st.prev, AUDIT_MAC_LEN),
		};

		st.json[st.len++] = ']';
		st.json[st.len] = '\0';
		sargs[0] = DBS(st.json);
		if (db_exec(db, SQL_SEAL, sargs, NARGS(sargs), &changed,
		    NULL) == -1 ||
		    db_exec(db, SQL_HEAD_SET, hargs, NARGS(hargs), NULL,
		    NULL) == -1)
			n = -1;
		else if (changed != (unsigned long long)n)
			n = log_errx("audit seal: %llu of %lld entries sealed",
			    changed, n);
	}
	free(st.json);
	return n;
}

int
db_audit_unsealed(struct db *db, long long *count, time_t *oldest)
{
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, SQL_UNSEALED_STATE, NULL, 0)) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1) {
		*count = db_int(r, 0);
		*oldest = (time_t)db_int(r, 1);
	}
	db_rows_free(r);
	return rc == 1 ? 0 : -1;
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
    struct audit_entry **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_PAGE, .args = args, .nargs = NARGS(args),
		.total_col = AUDIT_TOTAL_COL, .count = SQL_COUNT,
		.offset = offset,
	};

	return db_page(db, &q, sizeof(**out), audit_entry_fill,
	    audit_entry_clear_v, (void **)out, n, total) == 1 ? 0 : -1;
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

	/* No filter: the kept total, not a count of the whole log. */
	if (f->user_id == 0 && f->action == NULL && f->entity == NULL &&
	    f->from == 0 && f->to == 0)
		return db_audit_list(db, offset, limit, out, n, total);
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
