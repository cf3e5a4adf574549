/*
 * Login throttling state, kept in MariaDB so the limit holds across
 * every worker and web host.
 */
#ifndef RO_DB_LOGIN_H
#define RO_DB_LOGIN_H

#include <time.h>

struct db;

struct login_failures {
	long long	 by_user;	/* failures for this username since `since` */
	long long	 by_addr;	/* failures from this address since `since` */
	time_t		 oldest_user;	/* earliest of them (0: none) */
	time_t		 oldest_addr;
};

/* Count recent failures for username and addr (one query).  0 or -1. */
int	 db_login_failures(struct db *, const char *username, const char *addr,
	    time_t since, struct login_failures *out);
/* Record one failure.  0 or -1. */
int	 db_login_fail(struct db *, const char *username, const char *addr,
	    time_t now);
/* Forget a username's failures (after a successful login).  0 or -1. */
int	 db_login_clear(struct db *, const char *username);
/* Delete failures older than before (housekeeping).  0 or -1. */
int	 db_login_prune(struct db *, time_t before);

#endif
