/*
 * API keys (sql/008_security.sql): their lifecycle, the lookup that
 * authenticates a request, and the per-key hourly rate limit, decided
 * and counted by one UPDATE so it holds across every worker and host.
 */
#ifndef RO_DB_APIKEY_H
#define RO_DB_APIKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/perm.h"

struct db;

#define APIKEY_HASH_LEN	32

struct api_key {
	long long	 id;
	char		 key_id[41];
	long long	 user_id;
	char		*key_name;
	char		 prefix[17];
	unsigned	 perms;		/* 1 << enum key_perm */
	long		 rate_limit;
	bool		 active;
	time_t		 created_at, updated_at, expires_at, revoked_at;
	time_t		 last_used_at;
	char		*last_used_ip;
	time_t		 prev_until;	/* the rerolled key works until then */
};

/* What authenticating with a key yields: the key and its creator. */
struct api_key_auth {
	struct api_key	 key;
	char		 username[256];
	enum role	 role;
	bool		 user_active;
	/* The stored hashes, for the caller's own constant-time check. */
	unsigned char	 key_hash[APIKEY_HASH_LEN];
	unsigned char	 prev_hash[APIKEY_HASH_LEN];
	bool		 has_prev;	/* prev_hash set and in its grace */
};

void	 api_key_clear(struct api_key *);
/* "read,write" and back; 0 or -1 for an unknown name. */
int	 api_key_perms_parse(const char *text, unsigned *bits);
void	 api_key_perms_text(unsigned bits, char *buf, size_t bufsz);

/* Insert k (key_id, hash, all fields); sets k->id.  0 or -1. */
int	 db_apikey_insert(struct db *, struct api_key *k,
	    const unsigned char hash[APIKEY_HASH_LEN]);
/* By key_id (with lock: FOR UPDATE).  1, 0, -1. */
int	 db_apikey_get(struct db *, const char *key_id, bool lock,
	    struct api_key *k);
/* A page, newest first, and the count.  0 or -1. */
int	 db_apikey_list(struct db *, long long offset, long long limit,
	    struct api_key **out, size_t *n, long long *total);
/* Write permissions, rate limit, active, revoked_at, updated_at.  0 or -1. */
int	 db_apikey_update(struct db *, const struct api_key *k);
/*
 * Reroll: the new hash and prefix replace the old, which keeps working
 * until prev_until.  0 or -1.
 */
int	 db_apikey_reroll(struct db *, long long id,
	    const unsigned char hash[APIKEY_HASH_LEN], const char *prefix,
	    time_t prev_until, time_t now);
/*
 * The key a hash names (its current hash, or a rerolled one still in its
 * grace period at now) with its creator.  1, 0, -1.
 */
int	 db_apikey_auth(struct db *, const unsigned char hash[APIKEY_HASH_LEN],
	    time_t now, struct api_key_auth *a);
/*
 * Count one request of key id in the hour window starting at window,
 * if it is under its limit, and note its use (at most once a minute).
 * 1 counted (*count: requests in the window, this one included), 0
 * over the limit, -1.
 */
int	 db_apikey_hit(struct db *, long long id, time_t window, time_t now,
	    const char *addr, long *count);

#endif
