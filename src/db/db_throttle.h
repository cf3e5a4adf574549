/*
 * Throttled attempts (logins, signups) in MariaDB, so the limits hold
 * across every worker and web host.  An attempt is recorded (and
 * committed) before the expensive work it asks for, then counted with
 * the others of its window; core/throttle judges the counts.
 */
#ifndef RO_DB_THROTTLE_H
#define RO_DB_THROTTLE_H

#include <time.h>

#include "core/throttle.h"

struct db;

#define THROTTLE_LOGIN	"login"
#define THROTTLE_SIGNUP	"signup"

/*
 * Record one attempt of kind for subject (binary-safe, may be "") from
 * addr at now, outside any transaction, then count the attempts of that
 * kind since `since` for the subject and for the address, this one
 * included.  *id gets the new row (for db_throttle_forget).  0 or -1.
 */
int	 db_throttle_record(struct db *, const char *kind, const char *subject,
	    const char *addr, time_t now, time_t since, long long *id,
	    struct throttle_count *out);
/* Delete one recorded attempt (it was refused before costing anything).  0 or -1. */
int	 db_throttle_forget(struct db *, long long id);
/* Forget a subject's attempts of a kind (a successful login).  0 or -1. */
int	 db_throttle_clear(struct db *, const char *kind, const char *subject);
/* Delete attempts older than before (housekeeping).  0 or -1. */
int	 db_throttle_prune(struct db *, time_t before);

#endif
