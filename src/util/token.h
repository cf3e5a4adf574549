/*
 * Access tokens: JWT HS256 with sub, username, role, iat, exp, jti and
 * gen (the user's token generation; bumping it revokes older tokens).
 * libjwt 1.10 checks neither exp nor the algorithm and accepts
 * forgeries under an empty key, so verification here does it all.
 */
#ifndef RO_TOKEN_H
#define RO_TOKEN_H

#include <stddef.h>
#include <time.h>

#define TOKEN_JTI_LEN 32	/* hex characters */
#define TOKEN_LEEWAY 60		/* seconds of clock skew allowed for iat */
#define TOKEN_MAX 4096		/* bytes of a bearer token we look at */
#define TOKEN_SECRET_MIN 32	/* bytes of HMAC key; shorter is refused */

struct token_claims {
	long long	 uid;		/* sub, as a decimal string in the JWT */
	char		 username[256];
	char		 role[64];
	time_t		 iat;
	time_t		 exp;
	long long	 gen;
	/*
	 * rs: 1 when the login named the account by its email (how the
	 * SLA Guard clients log in): answers to this token's requests
	 * spell roles their way.  Absent from tokens when 0.
	 */
	int		 role_style;
	char		 jti[TOKEN_JTI_LEN + 1];
};

/*
 * Issue a token for c (iat/exp/jti filled in here from now and ttl;
 * c->jti is set to the new id).  secret must be >= 32 bytes; c needs
 * uid > 0, non-empty username and role, gen >= 0; ttl > 0.
 * Returns a malloc'd string the caller frees, or NULL.
 */
char	*token_issue(const unsigned char *secret, size_t secretlen,
	    struct token_claims *c, time_t now, long ttl);
/*
 * Verify jwt as of now: at most TOKEN_MAX bytes, HS256 only, signature,
 * integer exp in the future, integer iat (and nbf if present) not past
 * now + leeway, sub a positive decimal string, username/role/jti
 * strings and gen an integer >= 0.  secret must be >= 32 bytes.
 * Fills out and returns 0, or -1 for any invalid token (out untouched).
 */
int	 token_verify(const unsigned char *secret, size_t secretlen,
	    const char *jwt, time_t now, struct token_claims *out);

#endif
