/*
 * Access tokens as HS256 JWTs, built and checked with libjwt 1.10.
 * libjwt only checks the signature, and does so with whatever
 * algorithm the token's header names; everything else (the algorithm,
 * the key length, exp/iat/nbf and the types of the claims) is checked
 * here, on the claims re-read with json-c so that a string or float
 * "exp" is not mistaken for a number.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <jwt.h>

#include "util/crypto.h"
#include "util/json.h"
#include "util/log.h"
#include "util/token.h"


/* Invalid tokens are routine: say why at debug level, never the token. */
static int
token_reject(const char *why)
{
	log_debug("token_verify: %s", why);
	return -1;
}

static bool
secret_usable(const unsigned char *secret, size_t secretlen)
{
	/* libjwt takes an int key length. */
	return secret != NULL && secretlen >= TOKEN_SECRET_MIN &&
	    secretlen <= INT_MAX;
}

/*
 * Three non-empty base64url parts joined by dots, at most TOKEN_MAX
 * bytes.  This refuses "alg: none" tokens (empty signature) and
 * anything with padding or whitespace before libjwt sees it.
 */
static bool
token_shape_ok(const char *s)
{
	size_t	 i, len, dots = 0, partlen = 0;

	if ((len = strnlen(s, TOKEN_MAX + 1)) > TOKEN_MAX || len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (partlen == 0 || ++dots > 2)
				return false;
			partlen = 0;
			continue;
		}
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_'))
			return false;
		partlen++;
	}
	return dots == 2 && partlen > 0;
}

/* One JSON object, parsed as strictly as a request body; or NULL. */
static struct json_object *
claims_parse(const char *s)
{
	struct json_object	*o;

	if ((o = json_parse_strict(s, strlen(s))) != NULL &&
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* A claim that must be a JSON integer (not a string, float or bool). */
static int
claim_int(struct json_object *root, const char *name, int64_t *v)
{
	struct json_object	*o;

	if (!json_object_object_get_ex(root, name, &o) ||
	    !json_object_is_type(o, json_type_int))
		return -1;
	*v = json_object_get_int64(o);
	/* json-c saturates out-of-range values: refuse them. */
	if (*v == INT64_MAX || *v == INT64_MIN)
		return -1;
	return 0;
}

/* A string claim of 1..bufsz-1 bytes without NUL, copied into buf. */
static int
claim_str(struct json_object *root, const char *name, char *buf,
    size_t bufsz)
{
	struct json_object	*o;
	const char		*s;
	size_t			 len;

	if (!json_object_object_get_ex(root, name, &o) ||
	    !json_object_is_type(o, json_type_string))
		return -1;
	s = json_object_get_string(o);
	len = (size_t)json_object_get_string_len(o);
	if (len == 0 || len >= bufsz || strlen(s) != len)
		return -1;
	memcpy(buf, s, len + 1);
	return 0;
}

/* The canonical decimal form of a positive long long: "1", "42". */
static int
parse_uid(const char *s, long long *uid)
{
	long long	 v = 0;
	size_t		 i;

	if (s[0] < '1' || s[0] > '9')
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (LLONG_MAX - (s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*uid = v;
	return 0;
}

static bool
jti_valid(const char *s)
{
	size_t	 i;

	for (i = 0; i < TOKEN_JTI_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[TOKEN_JTI_LEN] == '\0';
}

static int
claims_read(struct json_object *root, time_t now, struct token_claims *c)
{
	char		 sub[24];
	int64_t		 exp, iat, nbf, gen, rs;

	if (claim_int(root, "exp", &exp) == -1)
		return token_reject("exp missing or not an integer");
	if (claim_int(root, "iat", &iat) == -1)
		return token_reject("iat missing or not an integer");
	if (exp <= (int64_t)now)
		return token_reject("expired");
	if (iat > (int64_t)now + TOKEN_LEEWAY)
		return token_reject("iat in the future");
	if (json_object_object_get_ex(root, "nbf", NULL)) {
		if (claim_int(root, "nbf", &nbf) == -1)
			return token_reject("nbf not an integer");
		if (nbf > (int64_t)now + TOKEN_LEEWAY)
			return token_reject("not yet valid");
	}
	if (claim_int(root, "gen", &gen) == -1 || gen < 0)
		return token_reject("gen missing or invalid");
	rs = 0;
	if (json_object_object_get_ex(root, "rs", NULL) &&
	    (claim_int(root, "rs", &rs) == -1 || rs < 0 || rs > 1))
		return token_reject("rs not 0 or 1");
	if (claim_str(root, "sub", sub, sizeof(sub)) == -1 ||
	    parse_uid(sub, &c->uid) == -1)
		return token_reject("sub missing or invalid");
	if (claim_str(root, "username", c->username,
	    sizeof(c->username)) == -1)
		return token_reject("username missing or invalid");
	if (claim_str(root, "role", c->role, sizeof(c->role)) == -1)
		return token_reject("role missing or invalid");
	if (claim_str(root, "jti", c->jti, sizeof(c->jti)) == -1 ||
	    !jti_valid(c->jti))
		return token_reject("jti missing or invalid");
	c->exp = (time_t)exp;
	c->iat = (time_t)iat;
	c->gen = gen;
	c->role_style = (int)rs;
	return 0;
}

char *
token_issue(const unsigned char *secret, size_t secretlen,
    struct token_claims *c, time_t now, long ttl)
{
	jwt_t		*j = NULL;
	unsigned char	 id[TOKEN_JTI_LEN / 2];
	char		 sub[24], jti[TOKEN_JTI_LEN + 1];
	char		*tok = NULL;
	size_t		 ulen, rlen;

	if (!secret_usable(secret, secretlen)) {
		log_warnx("token_issue: the secret must be at least %d bytes",
		    TOKEN_SECRET_MIN);
		return NULL;
	}
	if (c == NULL || c->uid <= 0 || c->gen < 0 || c->gen > LONG_MAX ||
	    ttl <= 0 || now < 0 || now > LONG_MAX - ttl) {
		log_warnx("token_issue: invalid claims");
		return NULL;
	}
	ulen = strnlen(c->username, sizeof(c->username));
	rlen = strnlen(c->role, sizeof(c->role));
	if (ulen == 0 || ulen == sizeof(c->username) ||
	    rlen == 0 || rlen == sizeof(c->role)) {
		log_warnx("token_issue: invalid username or role");
		return NULL;
	}
	if (crypto_random(id, sizeof(id)) == -1)
		return NULL;
	crypto_hex(id, sizeof(id), jti);
	snprintf(sub, sizeof(sub), "%lld", c->uid);

	if (jwt_new(&j) != 0 || j == NULL) {
		log_warnx("token_issue: jwt_new failed");
		goto out;
	}
	if (jwt_set_alg(j, JWT_ALG_HS256, secret, (int)secretlen) != 0 ||
	    jwt_add_grant(j, "sub", sub) != 0 ||
	    jwt_add_grant(j, "username", c->username) != 0 ||
	    jwt_add_grant(j, "role", c->role) != 0 ||
	    jwt_add_grant_int(j, "iat", (long)now) != 0 ||
	    jwt_add_grant_int(j, "exp", (long)now + ttl) != 0 ||
	    jwt_add_grant(j, "jti", jti) != 0 ||
	    jwt_add_grant_int(j, "gen", (long)c->gen) != 0 ||
	    (c->role_style != 0 && jwt_add_grant_int(j, "rs", 1) != 0)) {
		log_warnx("token_issue: building the token failed");
		goto out;
	}
	if ((tok = jwt_encode_str(j)) == NULL) {
		log_warnx("token_issue: jwt_encode_str failed");
		goto out;
	}
	/* token_verify would refuse it: fail here, where the cause is. */
	if (strnlen(tok, TOKEN_MAX + 1) > TOKEN_MAX) {
		log_warnx("token_issue: token over %d bytes", TOKEN_MAX);
		free(tok);
		tok = NULL;
		goto out;
	}
	c->iat = now;
	c->exp = now + ttl;
	memcpy(c->jti, jti, sizeof(jti));
out:
	jwt_free(j);
	crypto_wipe(id, sizeof(id));
	return tok;
}

int
token_verify(const unsigned char *secret, size_t secretlen,
    const char *jwt, time_t now, struct token_claims *out)
{
	struct token_claims	 c;
	struct json_object	*root = NULL;
	jwt_t			*j = NULL;
	char			*claims = NULL;
	int			 rc = -1;

	/* Under an empty or short key libjwt accepts forgeries. */
	if (!secret_usable(secret, secretlen))
		return log_warnx("token_verify: the secret must be at least "
		    "%d bytes", TOKEN_SECRET_MIN);
	if (jwt == NULL || out == NULL)
		return -1;
	if (!token_shape_ok(jwt))
		return token_reject("malformed or too long");
	if (jwt_decode(&j, jwt, secret, (int)secretlen) != 0 || j == NULL) {
		j = NULL;
		rc = token_reject("bad signature or encoding");
		goto out;
	}
	/* libjwt verified with the header's algorithm, whatever it was. */
	if (jwt_get_alg(j) != JWT_ALG_HS256) {
		rc = token_reject("algorithm is not HS256");
		goto out;
	}
	if ((claims = jwt_get_grants_json(j, NULL)) == NULL ||
	    (root = claims_parse(claims)) == NULL) {
		rc = token_reject("claims are not a JSON object");
		goto out;
	}
	memset(&c, 0, sizeof(c));
	if (claims_read(root, now, &c) == -1)
		goto out;
	*out = c;
	rc = 0;
out:
	json_object_put(root);
	free(claims);
	jwt_free(j);
	return rc;
}
