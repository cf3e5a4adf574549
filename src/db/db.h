/*
 * The MariaDB store: one connection per process, statements prepared
 * once per connection and found again by the address of their SQL text
 * (each db_*.c file keeps its SQL as static const char[]), typed
 * parameters, typed result rows.  MYSQL_OPT_RECONNECT stays off: when
 * the server goes away every statement is dropped and the next
 * db_ready() connects and prepares again (TRAPS.md).
 */
#ifndef RO_DB_H
#define RO_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

struct conf;
struct db;
struct dbrows;

enum dbtype { DB_NULL, DB_INT, DB_STR, DB_TIME };

/* A statement parameter; strings are borrowed and may hold binary data. */
struct dbval {
	enum dbtype	 type;
	long long	 i;
	const void	*s;
	size_t		 len;
	time_t		 t;
};

#define DBNULL		((struct dbval){ .type = DB_NULL })
#define DBI(x)		((struct dbval){ .type = DB_INT, .i = (long long)(x) })
#define DBT(x)		((struct dbval){ .type = DB_TIME, .t = (x) })
#define DBB(p, n)	((struct dbval){ .type = DB_STR, .s = (p), .len = (n) })
/* A C string, or SQL NULL when the pointer is NULL. */
#define DBS(x)		db_str_val(x)
/* An id where 0 means none: SQL NULL then. */
#define DBID(x)		((x) != 0 ? DBI(x) : DBNULL)
#define NARGS(a)	(sizeof(a) / sizeof((a)[0]))

static inline struct dbval
db_str_val(const char *s)
{
	struct dbval v = { .type = s ? DB_STR : DB_NULL, .s = s,
	    .len = s ? strlen(s) : 0 };
	return v;
}

/* Why the last call failed; DB_ERR_CONN means the connection is gone. */
enum db_err {
	DB_OK,
	DB_ERR_CONN,		/* server unreachable: answer 503 */
	DB_ERR_DUP,		/* unique key violated */
	DB_ERR_RETRY,		/* deadlock, lock wait, Galera certification: retry the transaction */
	DB_ERR_FK,		/* foreign key violated */
	DB_ERR_FULL,		/* the server's storage is full: answer 503, try later */
	DB_ERR_OTHER,
	DB_ERR__MAX
};

/*
 * What a process's connections go through, for /metrics (counted in
 * http/metrics.c): every failed statement with its class, every
 * connection made after an earlier one was lost, every failed attempt.
 */
enum db_event { DB_EV_ERROR, DB_EV_RECONNECT, DB_EV_CONNECT_FAILED, DB_EV__MAX };
typedef void	(*db_observer_fn)(enum db_event, enum db_err);
/* Tell fn about every db_event in this process from now on; NULL: nobody. */
void		 db_set_observer(db_observer_fn fn);

/* A handle for cfg (borrowed; must outlive it); does not connect yet. */
struct db	*db_new(const struct conf *cfg);
void		 db_free(struct db *);
/*
 * A process whose threads each open connections calls db_library_init
 * once before it starts them (Connector/C sets itself up on the first
 * connection, which two threads must not race); each such thread calls
 * db_thread_end as it ends.  0 or -1.
 */
int		 db_library_init(void);
void		 db_thread_end(void);
/*
 * Connect (again) if needed; 0, or -1 when the server is unreachable.
 * Called where a unit of work starts (a request, a tick): it forgets
 * the class of an earlier unit's failure.
 */
int		 db_ready(struct db *);
/* Class and text of the last failure. */
enum db_err	 db_error(const struct db *);
bool		 db_lost(const struct db *);
/*
 * Whether the last failure says "try again later" (503): the server is
 * gone (db_lost), or its storage is full and it refuses writes while
 * it still answers reads.
 */
bool		 db_unavailable(const struct db *);

/*
 * Run a statement that returns no rows.  affected and insert_id may be
 * NULL.  0, or -1 (see db_error).
 */
int		 db_exec(struct db *, const char *sql, const struct dbval *args,
		    size_t nargs, unsigned long long *affected,
		    unsigned long long *insert_id);
/*
 * Run a query; all rows are stored client side so other statements may
 * run while it is open.  Returns rows the caller frees with
 * db_rows_free(), or NULL (see db_error).
 */
struct dbrows	*db_query(struct db *, const char *sql, const struct dbval *args,
		    size_t nargs);
/* Advance to the next row: 1, 0 at the end, -1 on error. */
int		 db_next(struct dbrows *);
unsigned long long db_nrows(const struct dbrows *);
bool		 db_isnull(const struct dbrows *, unsigned col);
/* Integer column (0 when NULL). */
long long	 db_int(const struct dbrows *, unsigned col);
/* Text/binary column, NUL-terminated, valid until db_next; NULL when NULL. */
const char	*db_text(const struct dbrows *, unsigned col, size_t *len);
/*
 * A malloc'd copy of a text column (caller frees), NULL for SQL NULL; a
 * failed allocation also gives NULL and sets *oom (if oom is not NULL).
 */
char		*db_text_dup(const struct dbrows *, unsigned col, bool *oom);
/* Date-time column as UTC seconds; 0 when NULL. */
time_t		 db_time(const struct dbrows *, unsigned col);
/* Floating column (DOUBLE/DECIMAL); 0 when NULL. */
double		 db_double(const struct dbrows *, unsigned col);
void		 db_rows_free(struct dbrows *);

/*
 * One row, one integer: the common "SELECT COUNT(*)" shape.  1 with
 * *out set, 0 for no row, -1 on error.
 */
int		 db_scalar(struct db *, const char *sql, const struct dbval *args,
		    size_t nargs, long long *out);

/*
 * Run a query and turn each row into one element of a new array:
 * fill(row, elem) fills an element of size bytes (zeroed) and returns 0
 * or -1.  On failure the elements filled so far are cleared with clear
 * (may be NULL) and freed.  The caller owns *out (clear each, free).
 * 0 or -1.
 */
int		 db_collect(struct db *, const char *sql,
		    const struct dbval *args, size_t nargs, size_t size,
		    int (*fill)(struct dbrows *, void *),
		    void (*clear)(void *), void **out, size_t *n);
/* The same with arg handed to every fill (a time, a first row's count). */
int		 db_collect_arg(struct db *, const char *sql,
		    const struct dbval *args, size_t nargs, size_t size,
		    int (*fill)(struct dbrows *, void *elem, void *arg),
		    void *arg, void (*clear)(void *), void **out, size_t *n);
/*
 * A list's page and the list's total, the shape most lists share: each
 * row of the page statement carries the total in column total_col, so a
 * page with rows costs one statement.  An empty page has no row to
 * carry it: on the first page (offset 0) that is an empty list, total
 * 0; past the first, or on any page when count_empty_first is set, the
 * count statement answers (one row, one integer).
 */
struct db_page_q {
	const char		*sql;		/* the page: elements, then the total */
	const struct dbval	*args;
	size_t			 nargs;
	unsigned		 total_col;
	const char		*count;		/* the total alone */
	const struct dbval	*count_args;
	size_t			 count_nargs;
	long long		 offset;	/* the page's */
	/*
	 * An empty first page asks count too: a count that has no row
	 * says the list's owner does not exist (a service's history).
	 */
	bool			 count_empty_first;
};
/*
 * Run q's page as db_collect does (fill, clear, *out and *n the same:
 * the caller owns *out) and set *total.  1, 0 when the count statement
 * ran and had no row (*n is 0 and *total 0 then), or -1.
 */
int		 db_page(struct db *, const struct db_page_q *q, size_t size,
		    int (*fill)(struct dbrows *, void *),
		    void (*clear)(void *), void **out, size_t *n,
		    long long *total);
/*
 * Put v[0..*n) (elements of size bytes, as db_collect made them) in
 * cmp's order and keep the first limit (a negative limit: all), clear
 * (may be NULL) freeing what each dropped one owns.  For statements
 * that leave ORDER BY and LIMIT out: the worker sorts a window's rows
 * for less than MariaDB's filesort of them.
 */
void		 db_sort_cut(void *v, size_t *n, size_t size,
		    int (*cmp)(const void *, const void *),
		    void (*clear)(void *), long limit);
/* qsort's order of long long ids, ascending. */
int		 db_id_cmp(const void *, const void *);
/*
 * "9,3,5" (a GROUP_CONCAT of ids, in any order) into a malloc'd array in
 * ascending order (NULL when empty).  0 or -1.  The id list helpers are
 * in db_ids.c.
 */
int		 db_ids_parse(const char *csv, long long **out, size_t *n);

/*
 * ids[0..n) as a JSON array text ("[1,2,3]"), malloc'd, for the one
 * parameter a JSON_TABLE expands: a statement prepared once whatever
 * the number of ids.  NULL when out of memory.
 */
char		*db_ids_json(const long long *ids, size_t n);
/*
 * Run sql with ids[0..n) as its one JSON_TABLE parameter and list the
 * first column of its rows (ids the caller looks for: unknown ones,
 * say) as "[1, 2]" into buf.  How many rows (0: none), or -1.
 */
int		 db_ids_listed(struct db *, const char *sql,
		    const long long *ids, size_t n, char *buf, size_t bufsz);

/*
 * Changes a host-local cache must hear of once they are in the
 * database: a writer notes them (after its statement succeeded) and the
 * hook set here runs once the transaction's COMMIT was sent, whatever
 * it answered (a COMMIT that failed may still have committed), or at
 * once outside a transaction.  A rollback forgets them.
 */
enum db_note { DB_NOTE_AUTH = 1 };	/* an account's credential state */
typedef void	(*db_commit_hook_fn)(unsigned notes);
void		 db_set_commit_hook(db_commit_hook_fn fn);
void		 db_note(struct db *, unsigned note);
/*
 * Row counts the lists report (X-Total-Count), kept in the counters
 * table (sql/005, 029, 031) by the transactions that change the rows.  A
 * writer adds its change here once its statement succeeded; db_commit
 * writes every change in one statement just before COMMIT, so a
 * counter's row is the last lock a transaction takes and is held only
 * for its commit: writers that count never deadlock over the counters
 * and wait on each other for no longer than a commit.  A rollback
 * forgets them.  Outside a transaction the change is written at once.
 */
enum db_counter {
	DBC_ALERTS,		/* alerts */
	DBC_ALERTS_OPEN,	/* alerts not acknowledged */
	DBC_BREACHES,		/* sla_breaches */
	DBC_INTEGRATIONS,	/* integrations */
	DBC_INCIDENTS,		/* incidents */
	DBC_MAINTENANCE,	/* maintenance (windows) */
	DBC_SUBSCRIBERS,	/* subscribers */
	DBC__MAX
};
void		 db_count(struct db *, enum db_counter, long long delta);
/*
 * Every counter of enum db_counter counted again from its table, in
 * the caller's transaction (import, resilops-admin recount).
 */
int		 db_recount(struct db *);
/* Transactions; db_rollback is safe to call when none is open. */
int		 db_begin(struct db *);
/*
 * Inside a transaction: write the one row every caller of this writes
 * (sql/034's write_serial), so that no two such transactions commit
 * side by side: on one server the second waits for the first; across
 * Galera nodes the one certified second is refused at commit
 * (DB_ERR_RETRY) and runs again.  0 or -1.
 */
int		 db_serialize(struct db *);
/*
 * How many units of work this connection's owner has committed, or may
 * have: COMMITs and statements outside a transaction (each commits
 * itself) that succeeded, or whose answer was lost with the connection.
 * A caller that runs work again after a conflict or a lost connection
 * compares it first: what committed must not run twice.
 */
unsigned long long db_committed(const struct db *);
int		 db_commit(struct db *);
void		 db_rollback(struct db *);
/*
 * The routine just called (a CALL through db_query) left the
 * transaction it started open for the caller to go on with: commit or
 * roll it back as if db_begin had begun it.
 */
void		 db_adopt(struct db *);
/*
 * Before running a transaction again after a conflict: a random pause of
 * up to 8, 16, 32, 64 ms for ATTEMPT 1, 2, 3, 4 (and on), so that the
 * transactions that met do not meet again.
 */
void		 db_retry_pause(int attempt);

/*
 * A new connection set up like every other (UTC, strict mode, no
 * auto-reconnect, [database] sync_wait) with extra client flags, to the
 * socket or to the first of [database] host's servers that answers and
 * (of several) takes statements; the caller mysql_close()s it.  NULL
 * when none does (db/connect.c).
 */
struct st_mysql	*db_connect_raw(const struct conf *, unsigned long flags,
		    unsigned *node);
/*
 * A connection to server NODE (db_connect_raw's) was lost: this process's
 * next one starts at the next server, unless another connection of it
 * has moved on already.
 */
void		 db_node_lost(unsigned node);

#endif
