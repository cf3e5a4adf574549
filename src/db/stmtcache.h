/*
 * A connection's prepared statements, keyed by the address of their SQL
 * text (the texts are static), bounded: past max, the least recently
 * used statement with no result set open is closed.  No I/O of its own
 * but mysql_stmt_close.
 */
#ifndef RESILOPS_DB_STMTCACHE_H
#define RESILOPS_DB_STMTCACHE_H

#include <stddef.h>

#include <mysql.h>

struct stmt_slot {
	const char		*sql;
	MYSQL_STMT		*st;
	unsigned long long	 used;	/* the cache's clock at its last use */
	unsigned		 open;	/* result sets not yet freed */
};

struct stmt_cache {
	struct stmt_slot	*slots;
	size_t			 n, cap;
	unsigned long long	 clock;	/* counts uses */
};

/* The statement prepared for sql, marked used; NULL when there is none. */
MYSQL_STMT	*stmt_cache_find(struct stmt_cache *, const char *sql);
/*
 * Make room for one more when max are kept (closing the least recently
 * used idle one; with none idle the cache grows past max).
 */
void		 stmt_cache_room(struct stmt_cache *, size_t max);
/* Keep st for sql (not there yet).  0, or -1 (out of memory: st kept by the caller). */
int		 stmt_cache_add(struct stmt_cache *, const char *sql, MYSQL_STMT *st);
/* Close and drop sql's statement, if kept (after ER_NEED_REPREPARE). */
void		 stmt_cache_forget(struct stmt_cache *, const char *sql);
/* A result set of st made (+1) or freed (-1): an open one is never closed. */
void		 stmt_cache_results(struct stmt_cache *, const MYSQL_STMT *st,
		    int delta);
/* Close every statement and empty the cache (the connection goes). */
void		 stmt_cache_clear(struct stmt_cache *);

#endif
