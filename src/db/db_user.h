/*
 * Users: accounts, their roles and the token state that revokes them
 * (token_gen, bumped by password/role change and deactivation; the
 * revoked_tokens list for logout).
 */
#ifndef RO_DB_USER_H
#define RO_DB_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/perm.h"
#include "core/validate.h"

struct db;

struct user {
	long long	 id;
	char		*username;
	char		*email;		/* may be NULL */
	char		*name;		/* may be NULL */
	char		*password_hash;
	enum role	 role;
	bool		 active;
	long long	 token_gen;
	time_t		 created_at;
};

/* What the dispatcher needs to accept a token: one query. */
struct user_auth {
	char		 username[USERNAME_MAX + 1];
	enum role	 role;
	bool		 active;
	bool		 revoked;	/* this jti was logged out */
	long long	 token_gen;
	char		*email;		/* NULL: none (user_auth_clear) */
	char		*name;		/* NULL: none */
	time_t		 created_at;
};

/* Free the strings of a (not a); safe on a zeroed struct. */
void	 user_auth_clear(struct user_auth *);

/* Free the strings of u (not u itself); safe on a zeroed struct. */
void	 user_clear(struct user *);
/* 1 found (a filled, zero it first; user_auth_clear), 0 no such user, -1 error. */
int	 db_user_auth(struct db *, long long uid, const char *jti,
	    struct user_auth *a);
/* Number of accounts; -1 on error. */
long long db_user_count(struct db *);
/*
 * Insert u (id and created_at set on success).  0, or -1 (db_error
 * DB_ERR_DUP when the username or email exists).
 */
int	 db_user_insert(struct db *, struct user *u);
/* By username or email.  1 found (u filled, caller clears), 0, -1. */
int	 db_user_by_login(struct db *, const char *login, struct user *u);
/* By id.  1 found, 0, -1. */
int	 db_user_by_id(struct db *, long long id, struct user *u);
/* Whether a username or email is taken by any account: 1, 0, -1. */
int	 db_user_exists(struct db *, const char *username, const char *email);
/*
 * A page of users ordered by id into a malloc'd array *out of *n
 * (caller clears each and frees), and how many there are.  0 or -1.
 */
int	 db_user_list(struct db *, long long offset, long long limit,
	    struct user **out, size_t *n, long long *total);
/*
 * Write u's role, email, name, active, password_hash; with revoke, also
 * bump token_gen so older tokens fail.  1 updated, 0 no such user, -1.
 */
int	 db_user_update(struct db *, const struct user *u, bool revoke);
/* Revoke one token id until it would have expired anyway.  0 or -1. */
int	 db_token_revoke(struct db *, const char *jti, time_t exp);
/*
 * Both count the change in counters 'auth_changes' (and db_note it):
 * *n that count, what other hosts' token caches watch.  0 or -1.
 */
int	 db_auth_changes(struct db *, long long *n);
/*
 * Replace user id's password hash old with new (an imported or older
 * hash after a good login): nothing if it changed meanwhile, no token
 * revoked (same password).  0 or -1.
 */
int	 db_user_rehash(struct db *, long long id, const char *old,
	    const char *new_hash);

#endif
