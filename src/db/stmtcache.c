/*
 * The prepared statement cache of one connection.  Bounded because
 * MariaDB counts every connection's statements against one server-wide
 * max_prepared_stmt_count (16,382): 100 mod_fcgid processes each keeping
 * the few hundred texts the program has would pass it, and then every
 * prepare on the server fails.  A statement whose result set a caller
 * still reads is never closed under it.  A few hundred slots at most:
 * linear scans, no index.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db/stmtcache.h"

MYSQL_STMT *
stmt_cache_find(struct stmt_cache *c, const char *sql)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		if (c->slots[i].sql == sql) {
			c->slots[i].used = ++c->clock;
			return c->slots[i].st;
		}
	return NULL;
}

void
stmt_cache_room(struct stmt_cache *c, size_t max)
{
	size_t	 i, lru = c->n;

	if (c->n < max)
		return;
	for (i = 0; i < c->n; i++)
		if (c->slots[i].open == 0 && (lru == c->n ||
		    c->slots[i].used < c->slots[lru].used))
			lru = i;
	if (lru == c->n)
		return;
	mysql_stmt_close(c->slots[lru].st);
	c->slots[lru] = c->slots[--c->n];
}

int
stmt_cache_add(struct stmt_cache *c, const char *sql, MYSQL_STMT *st)
{
	struct stmt_slot	*s;

	if (c->n == c->cap) {
		size_t	 ncap = c->cap ? c->cap * 2 : 32;

		if ((s = reallocarray(c->slots, ncap, sizeof(*s))) == NULL)
			return -1;
		c->slots = s;
		c->cap = ncap;
	}
	memset(&c->slots[c->n], 0, sizeof(c->slots[c->n]));
	c->slots[c->n].sql = sql;
	c->slots[c->n].st = st;
	c->slots[c->n].used = ++c->clock;
	c->n++;
	return 0;
}

void
stmt_cache_forget(struct stmt_cache *c, const char *sql)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		if (c->slots[i].sql == sql) {
			mysql_stmt_close(c->slots[i].st);
			c->slots[i] = c->slots[--c->n];
			return;
		}
}

void
stmt_cache_results(struct stmt_cache *c, const MYSQL_STMT *st, int delta)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		if (c->slots[i].st == st) {
			if (delta > 0)
				c->slots[i].open++;
			else if (c->slots[i].open > 0)
				c->slots[i].open--;
			return;
		}
}

void
stmt_cache_clear(struct stmt_cache *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		if (c->slots[i].st != NULL)
			mysql_stmt_close(c->slots[i].st);
	free(c->slots);
	c->slots = NULL;
	c->n = c->cap = 0;
}
