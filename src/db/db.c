/*
 * The MariaDB connection and its prepared statements.  Statements are
 * cached per connection (db/stmtcache.c, at most [database] statements
 * of them), keyed by the address of their SQL text, so a request
 * prepares nothing after the first one on its worker.  Every
 * result column is bound with length, is_null and error; buffers are
 * sized from the stored result's max_length, so nothing truncates.
 */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>

#include "core/isotime.h"
#include "db/db.h"
#include "db/db_counter.h"
#include "db/stmtcache.h"
#include "util/crypto.h"
#include "util/conf.h"
#include "util/log.h"

struct db {
	const struct conf	*cfg;
	MYSQL			*conn;		/* NULL: not connected */
	struct stmt_cache	 stmts;
	unsigned long long	 epoch;	/* counts disconnections */
	enum db_err		 err;
	bool			 in_txn;
	unsigned		 notes;		/* enum db_note, for the commit */
	long long		 counts[DBC__MAX]; /* db_count's, for the commit */
	bool			 counted;	/* some count is not 0 */
	bool			 was_connected;	/* a connection again is a reconnect */
	time_t			 used;		/* CLOCK_MONOTONIC s of the last db_ready */
	unsigned long long	 committed;	/* COMMITs and writes outside one */
	const char		*sent;		/* the prepared statement executing */
	unsigned		 node;		/* of [database] host, connected to */
	unsigned		 lost_seen;	/* db_losses when last found alive */
};

/*
 * A connection idle this long is pinged before a unit of work uses it:
 * MariaDB may have restarted meanwhile (an upgrade, a failover), and
 * the unit's first statement would fail on the dead connection (503)
 * where a new one works.  Busy, a connection is never pinged.
 */
#define DB_IDLE_PING	1

/*
 * Connections of this process found lost, or not made: the server may
 * have restarted.  A connection is pinged too when this moved since it
 * was last found alive, however short its idle: the threads of a
 * worker (http/worker.c) hear so of a restart one of them met.
 */
static atomic_uint	 db_losses;

static db_observer_fn	 db_observer;
static db_commit_hook_fn db_commit_hook;

void
db_set_observer(db_observer_fn fn)
{
	db_observer = fn;
}

static void
db_tell(enum db_event ev, enum db_err err)
{
	if (db_observer != NULL)
		db_observer(ev, err);
}

static void
db_tell_commit(struct db *db)
{
	unsigned	 notes = db->notes;

	db->notes = 0;
	if (notes != 0 && db_commit_hook != NULL)
		db_commit_hook(notes);
}

struct dbcell {
	enum enum_field_types	 type;	/* as bound */
	long long		 i;
	MYSQL_TIME		 tm;
	char			*buf;
	unsigned long		 buflen;
	unsigned long		 length;
	my_bool			 is_null;
	my_bool			 error;
};

struct dbrows {
	struct db		*db;
	MYSQL_STMT		*st;
	unsigned long long	 epoch;	/* db->epoch when made: st still ours */
	unsigned		 ncols;
	MYSQL_BIND		*bind;
	struct dbcell		*cells;
};

#define DB_ARGS_MAX 64

struct db *
db_new(const struct conf *cfg)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->cfg = cfg;
	return db;
}

static void
db_disconnect(struct db *db)
{
	stmt_cache_clear(&db->stmts);
	db->epoch++;
	if (db->conn != NULL)
		mysql_close(db->conn);
	db->conn = NULL;
	db->in_txn = false;
}

int
db_library_init(void)
{
	return mysql_library_init(0, NULL, NULL) == 0 ? 0 : -1;
}

void
db_thread_end(void)
{
	mysql_thread_end();
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_disconnect(db);
	free(db);
}

/*
 * Whether an error that carries an operating system error names ENOSPC:
 * "Got error 28 \"No space left on device\" from storage engine",
 * "Error writing file '...' (Errcode: 28 ...)".
 */
static bool
db_enospc(const char *msg)
{
	return msg != NULL && (strstr(msg, "error 28 ") != NULL ||
	    strstr(msg, "Errcode: 28 ") != NULL ||
	    strstr(msg, "errno: 28 ") != NULL);
}

/* Sort an error into what the caller can act on. */
static enum db_err
db_classify(unsigned int no, const char *msg)
{
	switch (no) {
	case 0:
		return DB_OK;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case ER_QUERY_INTERRUPTED:
	case 4031:	/* ER_CLIENT_INTERACTION_TIMEOUT */
	/*
	 * "WSREP has not yet prepared node for application use": a Galera
	 * node outside the Primary component refuses every statement until
	 * it rejoins, as good as gone.  The statement did nothing; the
	 * connection is dropped and the next one tries the next server.
	 */
	case ER_UNKNOWN_COM_ERROR:
		return DB_ERR_CONN;
	case ER_DUP_ENTRY:
		return DB_ERR_DUP;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_CHECKREAD:
	/*
	 * "Failed to read auto-increment value from storage engine": how
	 * MariaDB reports an insert that lost a deadlock (or a wait) for a
	 * table's AUTO-INC lock, which an INSERT ... SELECT holds to its end;
	 * InnoDB rolled the transaction back as for 1213.
	 */
	case ER_AUTOINC_READ_FAILED:
		return DB_ERR_RETRY;
	case ER_NO_REFERENCED_ROW_2:
	case ER_ROW_IS_REFERENCED_2:
	case ER_NO_REFERENCED_ROW:
	case ER_ROW_IS_REFERENCED:
		return DB_ERR_FK;
	/*
	 * InnoDB could not extend a tablespace (the data volume is full:
	 * "The table 'audit_log' is full"); the others are how the server
	 * reports ENOSPC from elsewhere.  The statement failed and changed
	 * nothing; reads still work.
	 */
	case ER_RECORD_FILE_FULL:
	case ER_DISK_FULL:
		return DB_ERR_FULL;
	case ER_GET_ERRNO:
	case ER_ERROR_ON_WRITE:
	case 3:		/* EE_WRITE, from mysys */
		return db_enospc(msg) ? DB_ERR_FULL : DB_ERR_OTHER;
	default:
		return DB_ERR_OTHER;
	}
}

/*
 * Whether a statement only reads: it starts with SELECT (resilops's
 * reads do; a WITH or a CALL counts as a write, the safe side).
 */
static bool
db_reads_only(const char *sql)
{
	return strncmp(sql, "SELECT ", 7) == 0;
}

/* Record a failure; a lost connection drops every statement with it. */
static int
db_fail(struct db *db, const char *what, unsigned int no, const char *msg)
{
	db->err = db_classify(no, msg);
	db_tell(DB_EV_ERROR, db->err);
	if (db->err == DB_ERR_DUP || db->err == DB_ERR_FK)
		log_debug("db: %s: %u %s", what, no, msg);
	else if (db->err == DB_ERR_FULL)
		log_errx("db: %s: %u %s: the database server's storage is "
		    "full; writes are refused (503) until space is freed",
		    what, no, msg);
	else
		log_warnx("db: %s: %u %s", what, no, msg);
	if (db->err == DB_ERR_CONN) {
		/*
		 * Lost with a COMMIT sent, or a write outside a transaction
		 * (it commits itself): the server may have committed it, so
		 * it counts as committed and is never run again.  Lost
		 * anywhere else, the server rolls back what was open.
		 */
		if (strcmp(what, "COMMIT") == 0 || (!db->in_txn &&
		    db->sent != NULL && !db_reads_only(db->sent)))
			db->committed++;
		atomic_fetch_add(&db_losses, 1);
		db_disconnect(db);
		db_node_lost(db->node);
	}
	return -1;
}

static int
db_connect(struct db *db)
{
	if ((db->conn = db_connect_raw(db->cfg, CLIENT_FOUND_ROWS,
	    &db->node)) == NULL) {
		db->err = DB_ERR_CONN;
		db_tell(DB_EV_CONNECT_FAILED, DB_ERR_CONN);
		atomic_fetch_add(&db_losses, 1);
		return -1;
	}
	db->lost_seen = atomic_load(&db_losses);
	if (db->was_connected)
		db_tell(DB_EV_RECONNECT, DB_OK);
	db->was_connected = true;
	db->err = DB_OK;
	return 0;
}

static time_t
db_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int
db_ready(struct db *db)
{
	time_t		 now = db_now(), idle = now - db->used;
	unsigned	 lost = atomic_load(&db_losses);

	db->used = now;
	if (db->conn != NULL && (idle >= DB_IDLE_PING ||
	    lost != db->lost_seen) && !db->in_txn) {
		if (mysql_ping(db->conn) != 0) {
			log_info("db: the connection idle %llds is gone (%s); "
			    "connecting again", (long long)idle,
			    mysql_error(db->conn));
			atomic_fetch_add(&db_losses, 1);
			db_disconnect(db);
			db_node_lost(db->node);
		} else
			db->lost_seen = lost;
	}
	if (db->conn != NULL) {
		db->err = DB_OK;
		return 0;
	}
	return db_connect(db);
}

unsigned long long
db_committed(const struct db *db)
{
	return db->committed;
}

enum db_err
db_error(const struct db *db)
{
	return db->err;
}

bool
db_lost(const struct db *db)
{
	return db->conn == NULL || db->err == DB_ERR_CONN;
}

bool
db_unavailable(const struct db *db)
{
	return db_lost(db) || db->err == DB_ERR_FULL;
}

/* The prepared statement for sql on this connection, preparing it once. */
static MYSQL_STMT *
db_stmt(struct db *db, const char *sql)
{
	MYSQL_STMT	*st;

	if (db->conn == NULL && db_connect(db) == -1)
		return NULL;
	if ((st = stmt_cache_find(&db->stmts, sql)) != NULL)
		return st;
	stmt_cache_room(&db->stmts, db->cfg->db.statements);
	if ((st = mysql_stmt_init(db->conn)) == NULL) {
		db_fail(db, "stmt_init", mysql_errno(db->conn),
		    mysql_error(db->conn));
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		db_fail(db, "prepare", mysql_stmt_errno(st), mysql_stmt_error(st));
		log_warnx("db: while preparing: %.120s", sql);
		mysql_stmt_close(st);
		return NULL;
	}
	if (stmt_cache_add(&db->stmts, sql, st) == -1) {
		mysql_stmt_close(st);
		db->err = DB_ERR_OTHER;
		return NULL;
	}
	return st;
}

/*
 * DATETIME values are UTC (the connection's time_zone is +00:00), so
 * both ways are calendar arithmetic (core/isotime): timegm took the
 * time zone lock and normalised every field, a sixth of a ticket
 * list's worker CPU at 10 DATETIMEs a row.
 */
static void
time_to_mysql(time_t t, MYSQL_TIME *m)
{
	struct civil	 c;

	isotime_to_civil((long long)t, &c);
	memset(m, 0, sizeof(*m));
	m->year = (unsigned)c.year;
	m->month = (unsigned)c.mon;
	m->day = (unsigned)c.day;
	m->hour = (unsigned)c.hour;
	m->minute = (unsigned)c.min;
	m->second = (unsigned)c.sec;
	m->time_type = MYSQL_TIMESTAMP_DATETIME;
}

/* MariaDB's zero date (0000-00-00) and any other non-date read as 0. */
static time_t
mysql_to_time(const MYSQL_TIME *m)
{
	struct civil	 c;

	if (m->month < 1 || m->month > 12 || m->day < 1 || m->day > 31 ||
	    m->hour > 23 || m->minute > 59 || m->second > 59)
		return 0;
	c = (struct civil){ (int)m->year, (int)m->month, (int)m->day,
	    (int)m->hour, (int)m->minute, (int)m->second };
	return (time_t)isotime_from_civil(&c);
}

/*
 * A statement outside a transaction that lost a deadlock or a Galera
 * certification conflict was rolled back whole: it runs again, up to this
 * many times in all, as the dispatcher runs a conflicting handler again.
 * Galera itself retries such a statement once (wsrep_retry_autocommit);
 * an API key's hourly count, written by every request that presents the
 * key, meets more than one conflict when its requests arrive through
 * several nodes at once.  Not a lock wait timeout: that one has waited
 * long already.
 */
#define DB_AUTOCOMMIT_TRIES	5

void
db_retry_pause(int attempt)
{
	uint32_t	 r = 0;
	long		 us;

	if (attempt < 1)
		attempt = 1;
	if (attempt > 4)
		attempt = 4;
	(void)crypto_random(&r, sizeof(r));	/* 0 if it fails: no pause */
	us = (long)(r % (4000u << attempt));
	nanosleep(&(struct timespec){ us / 1000000, (us % 1000000) * 1000 },
	    NULL);
}

/*
 * Bind args and execute; again once if the server wants a re-prepare, and
 * up to DB_AUTOCOMMIT_TRIES in all after a conflict outside a transaction.
 */
static MYSQL_STMT *
db_run(struct db *db, const char *sql, const struct dbval *args, size_t nargs)
{
	MYSQL_BIND	 b[DB_ARGS_MAX];
	MYSQL_TIME	 tm[DB_ARGS_MAX];
	MYSQL_STMT	*st;
	size_t		 i;
	int		 reprepared = 0, tries = 1;

	if (nargs > DB_ARGS_MAX) {
		db->err = DB_ERR_OTHER;
		log_errx("db: %zu parameters: too many", nargs);
		return NULL;
	}
	for (;;) {
		if ((st = db_stmt(db, sql)) == NULL)
			return NULL;
		if (mysql_stmt_param_count(st) != nargs) {
			db->err = DB_ERR_OTHER;
			log_errx("db: statement wants %lu parameters, got %zu: "
			    "%.80s", mysql_stmt_param_count(st), nargs, sql);
			return NULL;
		}
		memset(b, 0, sizeof(b));
		for (i = 0; i < nargs; i++) {
			switch (args[i].type) {
			case DB_NULL:
				b[i].buffer_type = MYSQL_TYPE_NULL;
				break;
			case DB_INT:
				b[i].buffer_type = MYSQL_TYPE_LONGLONG;
				b[i].buffer = (void *)&args[i].i;
				break;
			case DB_STR:
				b[i].buffer_type = MYSQL_TYPE_STRING;
				b[i].buffer = (void *)args[i].s;
				b[i].buffer_length = args[i].len;
				b[i].length = (unsigned long *)&b[i].buffer_length;
				break;
			case DB_TIME:
				time_to_mysql(args[i].t, &tm[i]);
				b[i].buffer_type = MYSQL_TYPE_DATETIME;
				b[i].buffer = &tm[i];
				break;
			}
		}
		if (nargs > 0 && mysql_stmt_bind_param(st, b) != 0) {
			db_fail(db, "bind_param", mysql_stmt_errno(st),
			    mysql_stmt_error(st));
			return NULL;
		}
		db->sent = sql;
		if (mysql_stmt_execute(st) == 0) {
			/* A write outside a transaction has committed. */
			if (!db->in_txn && !db_reads_only(sql))
				db->committed++;
			db->sent = NULL;
			db->err = DB_OK;
			return st;
		}
		if (mysql_stmt_errno(st) == ER_NEED_REPREPARE && !reprepared) {
			reprepared = 1;
			db->sent = NULL;
			stmt_cache_forget(&db->stmts, sql);
			continue;
		}
		if (mysql_stmt_errno(st) == ER_LOCK_DEADLOCK && !db->in_txn &&
		    tries < DB_AUTOCOMMIT_TRIES) {
			log_info("db: execute: %s; again (try %d)",
			    mysql_stmt_error(st), tries + 1);
			db->sent = NULL;
			db_retry_pause(tries++);
			continue;
		}
		db_fail(db, "execute", mysql_stmt_errno(st), mysql_stmt_error(st));
		db->sent = NULL;
		return NULL;
	}
}

int
db_exec(struct db *db, const char *sql, const struct dbval *args, size_t nargs,
    unsigned long long *affected, unsigned long long *insert_id)
{
	MYSQL_STMT	*st;

	if ((st = db_run(db, sql, args, nargs)) == NULL)
		return -1;
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id != NULL)
		*insert_id = mysql_stmt_insert_id(st);
	return 0;
}

struct dbrows *
db_query(struct db *db, const char *sql, const struct dbval *args, size_t nargs)
{
	struct dbrows	*r;
	MYSQL_STMT	*st;
	MYSQL_RES	*meta = NULL;
	MYSQL_FIELD	*f;
	my_bool		 on = 1;
	unsigned	 i;

	if ((st = db_run(db, sql, args, nargs)) == NULL)
		return NULL;
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	if (mysql_stmt_store_result(st) != 0) {
		db_fail(db, "store_result", mysql_stmt_errno(st),
		    mysql_stmt_error(st));
		return NULL;
	}
	if ((meta = mysql_stmt_result_metadata(st)) == NULL) {
		mysql_stmt_free_result(st);
		db->err = DB_ERR_OTHER;
		log_errx("db: query without a result set: %.80s", sql);
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto oom;
	r->db = db;
	r->st = st;
	r->epoch = db->epoch;
	stmt_cache_results(&db->stmts, st, 1);
	r->ncols = mysql_num_fields(meta);
	f = mysql_fetch_fields(meta);
	if ((r->bind = calloc(r->ncols, sizeof(*r->bind))) == NULL ||
	    (r->cells = calloc(r->ncols, sizeof(*r->cells))) == NULL)
		goto oom;
	for (i = 0; i < r->ncols; i++) {
		struct dbcell	*c = &r->cells[i];
		MYSQL_BIND	*b = &r->bind[i];

		switch (f[i].type) {
		case MYSQL_TYPE_TINY:
		case MYSQL_TYPE_SHORT:
		case MYSQL_TYPE_LONG:
		case MYSQL_TYPE_INT24:
		case MYSQL_TYPE_LONGLONG:
		case MYSQL_TYPE_YEAR:
			c->type = MYSQL_TYPE_LONGLONG;
			b->buffer = &c->i;
			b->is_unsigned = (f[i].flags & UNSIGNED_FLAG) != 0;
			break;
		case MYSQL_TYPE_DATETIME:
		case MYSQL_TYPE_TIMESTAMP:
		case MYSQL_TYPE_DATE:
			c->type = MYSQL_TYPE_DATETIME;
			b->buffer = &c->tm;
			break;
		default:
			c->type = MYSQL_TYPE_STRING;
			c->buflen = f[i].max_length + 1;
			if ((c->buf = malloc(c->buflen)) == NULL)
				goto oom;
			b->buffer = c->buf;
			b->buffer_length = c->buflen;
			break;
		}
		b->buffer_type = c->type;
		b->length = &c->length;
		b->is_null = &c->is_null;
		b->error = &c->error;
	}
	if (mysql_stmt_bind_result(st, r->bind) != 0) {
		db_fail(db, "bind_result", mysql_stmt_errno(st),
		    mysql_stmt_error(st));
		mysql_free_result(meta);
		db_rows_free(r);
		return NULL;
	}
	mysql_free_result(meta);
	return r;
oom:
	mysql_free_result(meta);
	if (r != NULL)
		db_rows_free(r);
	else
		mysql_stmt_free_result(st);
	db->err = DB_ERR_OTHER;
	log_errx("db: out of memory");
	return NULL;
}

int
db_next(struct dbrows *r)
{
	unsigned	 i;
	int		 rc;

	rc = mysql_stmt_fetch(r->st);
	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == 1)
		return db_fail(r->db, "fetch", mysql_stmt_errno(r->st),
		    mysql_stmt_error(r->st));
	/* Buffers come from max_length, so truncation is a bug: say so. */
	if (rc == MYSQL_DATA_TRUNCATED) {
		r->db->err = DB_ERR_OTHER;
		return log_errx("db: fetch: data truncated");
	}
	for (i = 0; i < r->ncols; i++)
		if (r->cells[i].type == MYSQL_TYPE_STRING && !r->cells[i].is_null)
			r->cells[i].buf[r->cells[i].length] = '\0';
	return 1;
}

unsigned long long
db_nrows(const struct dbrows *r)
{
	return mysql_stmt_num_rows(r->st);
}

bool
db_isnull(const struct dbrows *r, unsigned col)
{
	return col >= r->ncols || r->cells[col].is_null;
}

long long
db_int(const struct dbrows *r, unsigned col)
{
	const struct dbcell	*c;

	if (db_isnull(r, col))
		return 0;
	c = &r->cells[col];
	if (c->type == MYSQL_TYPE_LONGLONG)
		return c->i;
	if (c->type == MYSQL_TYPE_STRING)
		return strtoll(c->buf, NULL, 10);
	return 0;
}

double
db_double(const struct dbrows *r, unsigned col)
{
	const struct dbcell	*c;

	if (db_isnull(r, col))
		return 0;
	c = &r->cells[col];
	if (c->type == MYSQL_TYPE_LONGLONG)
		return (double)c->i;
	if (c->type == MYSQL_TYPE_STRING)
		return strtod(c->buf, NULL);
	return 0;
}

const char *
db_text(const struct dbrows *r, unsigned col, size_t *len)
{
	const struct dbcell	*c;

	if (db_isnull(r, col) || r->cells[col].type != MYSQL_TYPE_STRING) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	c = &r->cells[col];
	if (len != NULL)
		*len = c->length;
	return c->buf;
}

char *
db_text_dup(const struct dbrows *r, unsigned col, bool *oom)
{
	const char	*s = db_text(r, col, NULL);
	char		*d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL && oom != NULL)
		*oom = true;
	return d;
}

time_t
db_time(const struct dbrows *r, unsigned col)
{
	if (db_isnull(r, col) || r->cells[col].type != MYSQL_TYPE_DATETIME)
		return 0;
	return mysql_to_time(&r->cells[col].tm);
}

void
db_rows_free(struct dbrows *r)
{
	unsigned	 i;

	if (r == NULL)
		return;
	/* The statement may be gone with a lost connection. */
	if (r->db->conn != NULL && r->epoch == r->db->epoch) {
		mysql_stmt_free_result(r->st);
		/*
		 * A CALL answers its rows and then the routine's own status:
		 * read, it is already in the buffer; unread, the connection's
		 * next command would be out of sync.
		 */
		while (mysql_more_results(r->db->conn) &&
		    mysql_stmt_next_result(r->st) == 0)
			mysql_stmt_free_result(r->st);
		stmt_cache_results(&r->db->stmts, r->st, -1);
	}
	if (r->cells != NULL)
		for (i = 0; i < r->ncols; i++)
			free(r->cells[i].buf);
	free(r->cells);
	free(r->bind);
	free(r);
}

int
db_scalar(struct db *db, const char *sql, const struct dbval *args,
    size_t nargs, long long *out)
{
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, sql, args, nargs)) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1)
		*out = db_int(r, 0);
	db_rows_free(r);
	return rc;
}

int
db_collect_arg(struct db *db, const char *sql, const struct dbval *args,
    size_t nargs, size_t size, int (*fill)(struct dbrows *, void *, void *),
    void *arg, void (*clear)(void *), void **out, size_t *n)
{
	struct dbrows	*r;
	unsigned char	*v = NULL;
	size_t		 i = 0, rows;
	int		 rc = 0;

	*out = NULL;
	*n = 0;
	if ((r = db_query(db, sql, args, nargs)) == NULL)
		return -1;
	rows = (size_t)db_nrows(r);
	if (rows > 0 && (v = calloc(rows, size)) == NULL) {
		db_rows_free(r);
		db->err = DB_ERR_OTHER;
		return log_errx("db: out of memory");
	}
	while (i < rows && (rc = db_next(r)) == 1) {
		if ((rc = fill(r, v + i * size, arg)) == -1)
			break;
		i++;
	}
	db_rows_free(r);
	if (rc == -1) {
		while (clear != NULL && i > 0)
			clear(v + --i * size);
		free(v);
		return -1;
	}
	*out = v;
	*n = i;
	return 0;
}

/* db_collect's fill, without an argument, carried to db_collect_arg's. */
struct plain_fill {
	int	(*fill)(struct dbrows *, void *);
};

static int
plain_fill(struct dbrows *r, void *elem, void *arg)
{
	return ((const struct plain_fill *)arg)->fill(r, elem);
}

int
db_collect(struct db *db, const char *sql, const struct dbval *args,
    size_t nargs, size_t size, int (*fill)(struct dbrows *, void *),
    void (*clear)(void *), void **out, size_t *n)
{
	struct plain_fill	 pf = { fill };

	return db_collect_arg(db, sql, args, nargs, size, plain_fill, &pf,
	    clear, out, n);
}

/* db_page's fill: the type's own, and the total every row carries. */
struct page_fill {
	int		(*fill)(struct dbrows *, void *);
	unsigned	 col;
	long long	 total;
};

static int
page_fill(struct dbrows *r, void *elem, void *arg)
{
	struct page_fill	*pf = arg;

	pf->total = db_int(r, pf->col);
	return pf->fill(r, elem);
}

int
db_page(struct db *db, const struct db_page_q *q, size_t size,
    int (*fill)(struct dbrows *, void *), void (*clear)(void *), void **out,
    size_t *n, long long *total)
{
	struct page_fill	 pf = { fill, q->total_col, 0 };

	*total = 0;
	if (db_collect_arg(db, q->sql, q->args, q->nargs, size, page_fill, &pf,
	    clear, out, n) == -1)
		return -1;
	if (*n > 0) {
		*total = pf.total;
		return 1;
	}
	/* No row to carry the total: the list is empty, or the page past it. */
	if (q->offset == 0 && !q->count_empty_first)
		return 1;
	return db_scalar(db, q->count, q->count_args, q->count_nargs, total);
}

static int
db_simple(struct db *db, const char *sql)
{
	if (db->conn == NULL && db_connect(db) == -1)
		return -1;
	if (mysql_real_query(db->conn, sql, strlen(sql)) != 0)
		return db_fail(db, sql, mysql_errno(db->conn),
		    mysql_error(db->conn));
	return 0;
}

static void
db_counts_forget(struct db *db)
{
	memset(db->counts, 0, sizeof(db->counts));
	db->counted = false;
}

int
db_begin(struct db *db)
{
	db_counts_forget(db);
	if (db_simple(db, "START TRANSACTION") == -1)
		return -1;
	db->in_txn = true;
	return 0;
}

int
db_serialize(struct db *db)
{
	static const char	 sql[] =
	    "UPDATE write_serial SET n = n + 1 WHERE id = 1";

	return db_exec(db, sql, NULL, 0, NULL, NULL);
}

void
db_adopt(struct db *db)
{
	db_counts_forget(db);
	db->in_txn = true;
	/*
	 * db_run counted the CALL as a write that committed itself; it
	 * committed nothing, and a conflict at the COMMIT to come leaves
	 * the handler free to run again (dispatch.c).
	 */
	if (db->committed > 0)
		db->committed--;
}

void
db_count(struct db *db, enum db_counter c, long long delta)
{
	long long	 now[DBC__MAX] = { 0 };

	if (delta == 0)
		return;
	if (db->in_txn) {
		db->counts[c] += delta;
		db->counted = true;
		return;
	}
	/* Its statement committed already; nothing to roll back with. */
	now[c] = delta;
	if (db_counts_write(db, now) == -1)
		log_warnx("counter %d is off by %lld: resilops-admin recount",
		    (int)c, delta);
}

int
db_recount(struct db *db)
{
	/* The transaction's own rows are in the count. */
	db_counts_forget(db);
	return db_counts_count(db);
}

void
db_set_commit_hook(db_commit_hook_fn fn)
{
	db_commit_hook = fn;
}

void
db_note(struct db *db, unsigned note)
{
	db->notes |= note;
	if (!db->in_txn)
		db_tell_commit(db);
}

int
db_commit(struct db *db)
{
	int	 rc;

	if (db->counted && db_counts_write(db, db->counts) == -1) {
		db_rollback(db);
		return -1;
	}
	db_counts_forget(db);
	db->in_txn = false;
	rc = db_simple(db, "COMMIT");
	if (rc == 0)
		db->committed++;
	db_tell_commit(db);
	return rc;
}

void
db_rollback(struct db *db)
{
	enum db_err	 saved = db->err;

	db->notes = 0;
	db_counts_forget(db);
	if (!db->in_txn || db->conn == NULL)
		return;
	db->in_txn = false;
	db_simple(db, "ROLLBACK");
	/* Keep the error that made us roll back. */
	if (db->err == DB_OK)
		db->err = saved;
	else if (saved != DB_OK && db->err != DB_ERR_CONN)
		db->err = saved;
}
