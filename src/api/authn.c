/*
 * Authentication: a small table of authenticators, each recognising one
 * way a request presents a credential (a bearer JWT, an X-API-Key
 * header, the console's session cookie) and turning it into the
 * request's principal: the account,
 * its role and what this request may do.  The dispatcher calls
 * api_authenticate through struct app and never reads the store itself.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/authcache.h"
#include "core/credential.h"
#include "db/db.h"
#include "db/db_apikey.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "http/route.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/token.h"

#define MSG_BAD_CREDENTIAL "Missing or invalid token"

struct authenticator {
	const char	*name;
	/* Whether the request presents this kind of credential. */
	bool		(*presented)(const struct request *);
	/* Check it: 0 with req->who set, else the status answered. */
	int		(*verify)(struct request *, struct response *);
};

/*
 * The database failed a credential's check or its count: unavailable
 * (503, try again) when it is away, and when a conflict outlasted the
 * store's tries (an API key's count through several Galera nodes at
 * once), which wrote nothing; anything else is ours (500).
 */
static int
store_failed(struct request *req, struct response *resp)
{
	struct db	*db = req->db;

	return db_unavailable(db) || db_error(db) == DB_ERR_RETRY ?
	    resp_unavailable(resp) :
	    resp_error(resp, 500, "Internal server error");
}

static bool
bearer_presented(const struct request *req)
{
	return req->authorization != NULL;
}

/* The principal from the token's claims and the account's role. */
static void
who_from_token(struct request *req, const struct token_claims *c,
    enum role role, const char *username)
{
	req->who.uid = c->uid;
	snprintf(req->who.username, sizeof(req->who.username), "%s", username);
	req->who.role = role;
	req->who.perms = role_perms(role);
	req->who.role_upper = c->role_style != 0;
	memcpy(req->who.jti, c->jti, sizeof(req->who.jti));
	req->who.exp = c->exp;
	req->authed = true;
}

/*
 * What the host's token cache knows of the token (api/authcache),
 * after reading the database's change count when the cache last did a
 * second ago or more: 1 kept (req->who set), 0 not, -1 the store failed.
 * *mark: the generation to keep a fresh answer under.
 */
static int
jwt_cached(struct request *req, const struct token_claims *c, uint64_t *mark)
{
	struct authcache_hit	 hit;
	int64_t			 now_ms;
	long long		 n;

	*mark = authcache_mark();
	if (!authcache_on())
		return 0;
	if (authcache_due(now_ms = authcache_now_ms())) {
		if (db_auth_changes(req->db, &n) == -1)
			return -1;
		authcache_synced(now_ms, n);
		*mark = authcache_mark();
	}
	if (!authcache_get(c->jti, c->uid, c->gen, &hit))
		return 0;
	who_from_token(req, c, hit.role, hit.username);
	return 1;
}

/*
 * A JWT, from the Authorization header or the console's session cookie:
 * signature and claims (util/token), then what may have changed since it
 * was issued: revoked by logout, account deactivated, password or role
 * changed (token generation).  That is the host's cache's answer, or one
 * query, which also reads the profile GET /api/auth/me shows.
 */
static int
jwt_verify(struct request *req, struct response *resp, const char *tok)
{
	const struct conf	*cfg = req->app->cfg;
	struct token_claims	 c;
	struct user_auth	 ua;
	uint64_t		 mark;
	int			 rc;

	if (token_verify((const unsigned char *)cfg->auth.jwt_secret,
	    strlen(cfg->auth.jwt_secret), tok, req->now, &c) == -1)
		return resp_error(resp, 401, MSG_BAD_CREDENTIAL);
	if ((rc = jwt_cached(req, &c, &mark)) != 0)
		return rc == 1 ? 0 : store_failed(req, resp);
	memset(&ua, 0, sizeof(ua));
	if ((rc = db_user_auth(req->db, c.uid, c.jti, &ua)) == -1)
		return store_failed(req, resp);
	if (rc == 0 || !ua.active || ua.revoked || ua.token_gen != c.gen) {
		user_auth_clear(&ua);
		return resp_error(resp, 401, MSG_BAD_CREDENTIAL);
	}
	authcache_put(mark, c.jti, c.uid, c.gen, ua.role, ua.username);
	who_from_token(req, &c, ua.role, ua.username);
	req->who.profile = true;
	req->who.email = ua.email;	/* the request owns them now */
	req->who.name = ua.name;
	req->who.created_at = ua.created_at;
	return 0;
}

static int
bearer_verify(struct request *req, struct response *resp)
{
	const char	*tok;

	if (strncasecmp(req->authorization, "Bearer ", 7) != 0)
		return resp_error(resp, 401, MSG_BAD_CREDENTIAL);
	tok = req->authorization + 7;
	tok += strspn(tok, " ");
	return jwt_verify(req, resp, tok);
}

/*
 * The console's session: the same JWT, in an HttpOnly, SameSite=Strict
 * cookie.  Only pages take it: a cookie on an API route would let any
 * site make a logged-in browser call the API.
 */
static bool
session_presented(const struct request *req)
{
	return req->route != NULL && route_media(req->route) == MEDIA_HTML &&
	    req->cookie != NULL && strstr(req->cookie, SESSION_COOKIE "=") !=
	    NULL;
}

static int
session_verify(struct request *req, struct response *resp)
{
	char	*tok;
	int	 rc;

	if ((tok = cookie_get(req->cookie, SESSION_COOKIE)) == NULL)
		return resp_error(resp, 401, MSG_BAD_CREDENTIAL);
	rc = jwt_verify(req, resp, tok);
	crypto_wipe(tok, strlen(tok));
	free(tok);
	return rc;
}

static bool
key_presented(const struct request *req)
{
	return req->api_key != NULL;
}

#define RATE_WINDOW	3600	/* the hourly limit's window, seconds */

/*
 * An API key (X-API-Key): recognised by shape, found by its HMAC (the
 * current one, or a rerolled one in its grace period) with its creator,
 * refused when revoked, expired or the creator deactivated; then one
 * request counted against its hourly limit.  It acts as its creator,
 * narrowed to its permissions.
 */
static int
key_verify(struct request *req, struct response *resp)
{
	struct app		*app = req->app;
	unsigned char		 hash[CREDENTIAL_HASH_LEN];
	struct api_key_auth	 a;
	time_t			 window;
	long			 count = 0;
	int			 rc;

	if (!credential_shape_ok(req->api_key, APIKEY_PREFIX) ||
	    credential_hash(app->cred_secret, req->api_key, hash) == -1)
		return resp_error(resp, 401, MSG_BAD_CREDENTIAL);
	if ((rc = db_apikey_auth(req->db, hash, req->now, &a)) == -1)
		return store_failed(req, resp);
	/*
	 * The index found the row; the decision is ours, made in constant
	 * time over the whole hash rather than trusted to a comparison whose
	 * timing we do not control.
	 */
	if (rc == 1 && !crypto_equal(hash, a.key_hash, sizeof(hash)) &&
	    !(a.has_prev && crypto_equal(hash, a.prev_hash, sizeof(hash)))) {
		api_key_clear(&a.key);
		rc = 0;
	}
	if (rc == 0)
		return resp_error(resp, 401, MSG_BAD_CREDENTIAL);
	if (!a.key.active || !a.user_active ||
	    (a.key.expires_at != 0 && a.key.expires_at <= req->now)) {
		api_key_clear(&a.key);
		return resp_error(resp, 401, MSG_BAD_CREDENTIAL);
	}
	window = req->now - req->now % RATE_WINDOW;
	rc = db_apikey_hit(req->db, a.key.id, window, req->now,
	    req->remote_addr, &count);
	req->who.uid = a.key.user_id;
	memcpy(req->who.username, a.username, sizeof(req->who.username));
	req->who.role = a.role;
	req->who.perms = key_perms_mask(role_perms(a.role), a.key.perms);
	req->who.key_bits = a.key.perms;
	memcpy(req->who.key_id, a.key.key_id, sizeof(req->who.key_id));
	req->who.rl_limit = a.key.rate_limit;
	req->who.rl_reset = window + RATE_WINDOW;
	req->who.rl_remaining = rc == 1 && count < a.key.rate_limit ?
	    a.key.rate_limit - count : 0;
	api_key_clear(&a.key);
	if (rc == -1)
		return store_failed(req, resp);
	if (rc == 0) {
		resp_header(resp, "Retry-After", "%ld",
		    (long)(req->who.rl_reset - req->now));
		return resp_error(resp, 429, "Rate limit exceeded for this API "
		    "key: %ld requests an hour", req->who.rl_limit);
	}
	req->authed = true;
	return 0;
}

/* In order: a request presenting several is judged by the first. */
static const struct authenticator authenticators[] = {
	{ "bearer", bearer_presented, bearer_verify },
	{ "api-key", key_presented, key_verify },
	{ "session", session_presented, session_verify },
};

int
api_authenticate(struct request *req, struct response *resp, bool optional)
{
	const struct authenticator	*a;
	struct response			 scratch;
	size_t				 i;
	int				 rc;

	for (i = 0; i < sizeof(authenticators) / sizeof(authenticators[0]);
	    i++) {
		a = &authenticators[i];
		if (!a->presented(req))
			continue;
		if (!optional)
			return a->verify(req, resp);
		/*
		 * On a public route a credential that does not verify is
		 * ignored (an expired token on signup), unless the store is
		 * down.
		 */
		memset(&scratch, 0, sizeof(scratch));
		if ((rc = a->verify(req, &scratch)) == 503) {
			resp_free(resp);
			*resp = scratch;
			return rc;
		}
		resp_free(&scratch);
		if (rc != 0)
			memset(&req->who, 0, sizeof(req->who));
		return 0;
	}
	return optional ? 0 : resp_error(resp, 401, MSG_BAD_CREDENTIAL);
}
