/*
 * The login attempt: find the account (one query), record the attempt
 * and count its window before any hashing, so concurrent guesses cannot
 * all pass a count taken before any of them was recorded; hash (a dummy
 * for an unknown name, so both cost the same); a failure keeps its
 * record, a success clears the account's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/login.h"
#include "core/throttle.h"
#include "db/db.h"
#include "db/db_throttle.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/password.h"
#include "util/token.h"

/*
 * Who a login attempt is about, for throttling and the audit trail.
 * An account is "u:<id>", so its username and its email share one
 * budget.  A name that matches no account is never stored as typed (it
 * is often a password typed into the wrong field): "x:" and a keyed
 * hash of it, so repeats of one name still count together.  tag gets
 * the form shown in the audit trail ("unknown:<12 hex digits>").
 */
static int
login_subject(const struct request *req, const char *login,
    const struct user *u, bool found, char subject[64], char tag[32])
{
	const char		*key = req->app->cfg->secrets.audit_key;
	unsigned char		 mac[HMAC_SHA256_LEN];
	char			 hex[2 * HMAC_SHA256_LEN + 1], *low;
	size_t			 i, len = strlen(login);
	int			 rc;

	if (found) {
		snprintf(subject, 64, "u:%lld", u->id);
		tag[0] = '\0';
		return 0;
	}
	/* ASCII case folding: the same name in other case is one subject. */
	if ((low = malloc(len + 7)) == NULL)
		return -1;
	memcpy(low, "login:", 6);
	for (i = 0; i < len; i++)
		low[6 + i] = (char)(login[i] >= 'A' && login[i] <= 'Z' ?
		    login[i] - 'A' + 'a' : login[i]);
	rc = crypto_hmac_sha256(key, strlen(key), low, len + 6, mac);
	crypto_wipe(low, len + 6);
	free(low);
	if (rc == -1)
		return -1;
	crypto_hex(mac, sizeof(mac), hex);
	snprintf(subject, 64, "x:%.32s", hex);
	snprintf(tag, 32, "unknown:%.12s", hex);
	return 0;
}

/* The token of a successful login, the count cleared, the entry. */
static int
login_success(struct request *req, const struct user *u, const char *pw,
    const char *subject, bool by_email, char **tok)
{
	const struct conf	*cfg = req->app->cfg;
	struct db		*db = req->db;
	struct token_claims	 c;
	char			*rehash = NULL;

	memset(&c, 0, sizeof(c));
	c.uid = u->id;
	memcpy(c.username, u->username, strlen(u->username) + 1);
	snprintf(c.role, sizeof(c.role), "%s", role_name(u->role));
	c.gen = u->token_gen;
	c.role_style = by_email;
	*tok = token_issue((const unsigned char *)cfg->auth.jwt_secret,
	    strlen(cfg->auth.jwt_secret), &c, req->now, cfg->auth.token_ttl);
	/*
	 * An imported hash (Werkzeug's, passlib's bcrypt) or an older count
	 * becomes ours now that we know the password: the next login costs
	 * what ours cost, and the old format's weaknesses go.
	 */
	if (password_needs_rehash(u->password_hash,
	    (unsigned)cfg->auth.pbkdf2_iterations))
		rehash = password_hash(pw, (unsigned)cfg->auth.pbkdf2_iterations);
	if (*tok == NULL || api_begin(req) == -1 ||
	    db_throttle_clear(db, THROTTLE_LOGIN, subject) == -1 ||
	    (rehash != NULL && db_user_rehash(db, u->id, u->password_hash,
	    rehash) == -1) ||
	    api_audit_as(req, 200, u->id, u->username, "User Login", "User",
	    u->id) == -1 || db_commit(db) == -1) {
		free(*tok);
		*tok = NULL;
		free(rehash);
		return -1;
	}
	free(rehash);
	return LOGIN_OK;
}

int
login_attempt(struct request *req, const char *login, const char *pw,
    bool by_email, struct user *u, char **tok, long *retry_after)
{
	const struct conf	*cfg = req->app->cfg;
	struct db		*db = req->db;
	struct throttle_limits	 lim = { cfg->auth.login_max_failures,
	    cfg->auth.login_max_failures_addr, cfg->auth.login_window };
	struct throttle_count	 cnt;
	const char		*addr = req->remote_addr ? req->remote_addr : "";
	char			 subject[64], tag[32];
	long long		 id;
	int			 found, ok;

	*tok = NULL;
	if ((found = db_user_by_login(db, login, u)) == -1 ||
	    login_subject(req, login, u, found, subject, tag) == -1 ||
	    db_throttle_record(db, THROTTLE_LOGIN, subject, addr, req->now,
	    req->now - lim.window, &id, &cnt) == -1)
		return -1;
	if (throttle_refused(&cnt, &lim, req->now, retry_after)) {
		/* Refused before costing anything: not a failure to count. */
		return db_throttle_forget(db, id) == 0 ? LOGIN_THROTTLED : -1;
	}
	if (found)
		ok = password_verify(pw, u->password_hash) && u->active &&
		    strlen(u->username) <= USERNAME_MAX;
	else
		ok = password_verify_dummy(pw, cfg->auth.pbkdf2_iterations);
	if (ok && found)
		return login_success(req, u, pw, subject, by_email, tok);
	if (api_begin(req) == -1 ||
	    api_audit_as(req, 401, found ? u->id : 0, found ? u->username : tag,
	    "User Login Failed", "User", found ? u->id : 0) == -1 ||
	    db_commit(db) == -1)
		return -1;
	return LOGIN_FAILED;
}
