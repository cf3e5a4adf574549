/*
 * The token check's host-local cache.  A bearer token's signature and
 * claims are checked on every request (util/token); what may have
 * changed since it was issued (logout, account deactivated, password
 * or role changed) is a database read, the one statement every
 * authenticated route paid before its own.  This cache keeps, per
 * token, the answer of that read, in a block all processes of the host
 * share, and drops every answer at once when the state it depends on
 * changes:
 *
 * - on this host, exactly: a transaction that changed any account's
 *   credential state bumps the host's generation once it commits
 *   (db_note DB_NOTE_AUTH), before its answer is sent;
 * - on another host, at most a second late: the writers also count
 *   their changes in the database (counters 'auth_changes'), and a
 *   request finding the host's last look at that count a second old or
 *   more reads it again first, bumping the generation when it moved.
 *
 * An answer is kept under the generation read before its database
 * read, so a change committed meanwhile is never hidden.  Only positive
 * answers are kept; a refusal is read again each time.
 */
#ifndef RO_AUTHCACHE_H
#define RO_AUTHCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/perm.h"
#include "core/validate.h"

/* What a kept answer gives the request (the rest comes from the token). */
struct authcache_hit {
	enum role	 role;
	char		 username[USERNAME_MAX + 1];
};

/*
 * Map the block: path "" the pool's own (made before its workers are
 * forked), else that file (processes started apart).  enabled false
 * turns the cache off (every lookup misses, nothing is kept).  0, or
 * -1 logged.
 */
int	 authcache_init(const char *path, bool enabled);
bool	 authcache_on(void);
/* Milliseconds of CLOCK_MONOTONIC, the clock the block's times use. */
int64_t	 authcache_now_ms(void);
/* Whether the database's change count must be read before a lookup. */
bool	 authcache_due(int64_t now_ms);
/* That count, as read by a statement started at started_ms. */
void	 authcache_synced(int64_t started_ms, long long changes);
/* The generation to keep an answer under: take it before the read. */
uint64_t authcache_mark(void);
/* The kept answer for the token (jti, uid, gen claims): true, or false. */
bool	 authcache_get(const char *jti, long long uid, long long gen,
	    struct authcache_hit *);
/* Keep an answer read under mark. */
void	 authcache_put(uint64_t mark, const char *jti, long long uid,
	    long long gen, enum role, const char *username);
/* A credential state changed on this host: drop every kept answer. */
void	 authcache_changed(void);
/* For db_set_commit_hook: authcache_changed on DB_NOTE_AUTH. */
void	 authcache_commit_hook(unsigned notes);

#endif
