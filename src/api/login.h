/*
 * A login attempt (CONTRACT 2 and 9), shared by the API's JSON login
 * and the console's form: throttled per account and per address before
 * any hashing, audited, and on success a token.
 */
#ifndef RO_LOGIN_H
#define RO_LOGIN_H

#include <stdbool.h>

#define LOGIN_THROTTLED_MSG "Too many failed login attempts. Try again later."

struct request;
struct user;

enum login_result { LOGIN_OK, LOGIN_FAILED, LOGIN_THROTTLED };

/*
 * Check login (a username or an email) and pw.  LOGIN_OK: u is the
 * account and *tok a new token (the caller wipes and frees it; by_email
 * gives it the SLA Guard role spelling); LOGIN_THROTTLED: *retry_after
 * seconds; LOGIN_FAILED: wrong name or password, or a deactivated
 * account; -1: error.  u must be zeroed; the caller user_clear()s it.
 */
int	 login_attempt(struct request *, const char *login, const char *pw,
	    bool by_email, struct user *u, char **tok, long *retry_after);

#endif
