/*
 * /api/auth: signup, register (SLA Guard clients), login, me, logout
 * (CONTRACT section 2).  Password hashing happens outside any
 * transaction; throttling is checked before any hashing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_login.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/password.h"
#include "util/token.h"
#include "util/utf8.h"

enum { SU_USERNAME, SU_PASSWORD, SU_ROLE, SU_EMAIL, SU_NAME, SU__MAX };

static const struct vfield signup_fields[SU__MAX] = {
	[SU_USERNAME] = { "username", V_STRING, VF_REQUIRED, 1, 255, NULL,
	    "Username is required", "Username must be at most 255 characters" },
	[SU_PASSWORD] = { "password", V_STRING, VF_REQUIRED, 1, PASSWORD_MAX,
	    NULL, "Password is required", NULL },
	[SU_ROLE] = { "role", V_STRING, VF_NULLABLE, 0, 64, NULL, NULL, NULL },
	[SU_EMAIL] = { "email", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 1, 255,
	    NULL, NULL, NULL },
	[SU_NAME] = { "name", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 0, 255,
	    NULL, NULL, NULL },
};

/* register: the same account keyed by email. */
static const struct vfield register_fields[SU__MAX] = {
	[SU_USERNAME] = { "email", V_STRING, VF_REQUIRED, 1, 255, NULL,
	    "Email is required", "Email must be at most 255 characters" },
	[SU_PASSWORD] = { "password", V_STRING, VF_REQUIRED, 1, PASSWORD_MAX,
	    NULL, "Password is required", NULL },
	[SU_ROLE] = { "role", V_STRING, VF_NULLABLE, 0, 64, NULL, NULL, NULL },
	[SU_EMAIL] = { "email", V_STRING, VF_NULLABLE, 1, 255, NULL, NULL, NULL },
	[SU_NAME] = { "name", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 0, 255,
	    NULL, NULL, NULL },
};

/* Character count of a valid UTF-8 string. */
static size_t
nchars(const char *s, size_t len)
{
	size_t	 n = 0;

	utf8_valid(s, len, &n);
	return n;
}

/*
 * Create an account from validated fields: password length, role
 * validity, then the role policy, then uniqueness; hashing before the
 * transaction.  Answers the error itself; on success fills u and
 * returns 0.
 */
static int
account_create(struct request *req, struct response *resp,
    const struct vvalue *v, struct user *u)
{
	const struct conf	*cfg = req->app->cfg;
	struct db		*db = req->app->db;
	int			 role = ROLE_USER, want = -1, taken;
	long long		 count;
	char			*hash;

	if (nchars(v[SU_PASSWORD].s, v[SU_PASSWORD].len) <
	    (size_t)cfg->auth.password_min)
		return resp_error(resp, 400,
		    "Password must be at least %d characters long",
		    cfg->auth.password_min);
	if (v[SU_ROLE].present && !v[SU_ROLE].null) {
		if ((want = role_parse(v[SU_ROLE].s)) < 0)
			return resp_error(resp, 400, "Invalid role: %s", v[SU_ROLE].s);
		role = want;
	}
	if ((hash = password_hash(v[SU_PASSWORD].s,
	    cfg->auth.pbkdf2_iterations)) == NULL)
		return -1;
	memset(u, 0, sizeof(*u));
	u->username = strdup(v[SU_USERNAME].s);
	u->email = v[SU_EMAIL].present && !v[SU_EMAIL].null ?
	    strdup(v[SU_EMAIL].s) : NULL;
	u->name = v[SU_NAME].present && !v[SU_NAME].null ?
	    strdup(v[SU_NAME].s) : NULL;
	u->password_hash = hash;
	if (u->username == NULL)
		return -1;

	/* The chain head lock serialises signups: one first admin only. */
	if (api_begin(req) == -1 ||
	    (count = db_user_count(db)) < 0)
		return -1;
	if (count == 0)
		role = ROLE_ADMIN;
	else if (role != ROLE_USER && !cfg->auth.open_signup &&
	    !(req->authed && req->who.role == ROLE_ADMIN)) {
		db_rollback(db);
		return resp_error(resp, 403, "Only an admin can assign the role %s",
		    role_name((enum role)role));
	}
	u->role = (enum role)role;
	if ((taken = db_user_exists(db, u->username, u->username)) == -1)
		return -1;
	if (taken) {
		db_rollback(db);
		return resp_error(resp, 400, "User already exists");
	}
	if (u->email != NULL && strcasecmp(u->email, u->username) != 0) {
		if ((taken = db_user_exists(db, u->email, u->email)) == -1)
			return -1;
		if (taken) {
			db_rollback(db);
			return resp_error(resp, 400, "Email already registered");
		}
	}
	if (db_user_insert(db, u) == -1) {
		if (db_error(db) != DB_ERR_DUP)
			return -1;
		db_rollback(db);
		return resp_error(resp, 400, "User already exists");
	}
	if ((req->authed ? api_audit(req, "User Signup", "User", u->id, NULL) :
	    api_audit_as(req, u->id, u->username, "User Signup", "User",
	    u->id)) == -1 || db_commit(db) == -1)
		return -1;
	return 0;
}

static int
auth_signup(struct request *req, struct response *resp)
{
	struct vvalue	 v[SU__MAX];
	struct user	 u;
	int		 rc;

	if (API_VALIDATE(req, resp, signup_fields, v) != 0)
		return resp->status;
	memset(&u, 0, sizeof(u));
	rc = account_create(req, resp, v, &u);
	user_clear(&u);
	if (rc != 0)
		return rc;
	return resp_message(resp, 201, "User registered successfully");
}

static int
auth_register(struct request *req, struct response *resp)
{
	struct vvalue	 v[SU__MAX];
	struct user	 u;
	int		 rc;

	if (API_VALIDATE(req, resp, register_fields, v) != 0)
		return resp->status;
	memset(&u, 0, sizeof(u));
	if ((rc = account_create(req, resp, v, &u)) == 0)
		rc = resp_json(resp, 201, json_user(&u));
	user_clear(&u);
	return rc;
}

/* Seconds until the oldest failure in the window leaves it. */
static long
retry_after(time_t oldest, time_t now, int window)
{
	long	 s = (long)(oldest + window - now);

	return s < 1 ? 1 : s;
}

static int
auth_login(struct request *req, struct response *resp)
{
	const struct conf	*cfg = req->app->cfg;
	struct db		*db = req->app->db;
	struct json_object	*jlogin, *jpw, *o;
	struct login_failures	 lf;
	struct token_claims	 c;
	const char		*login = NULL, *pw = NULL, *addr;
	struct user		 u;
	char			*tok;
	int			 found, ok;

	/* Either key; anything but a non-empty string counts as missing. */
	if ((json_object_object_get_ex(req->json, "username", &jlogin) &&
	    json_object_is_type(jlogin, json_type_string)) ||
	    (json_object_object_get_ex(req->json, "email", &jlogin) &&
	    json_object_is_type(jlogin, json_type_string)))
		login = json_object_get_string(jlogin);
	if (json_object_object_get_ex(req->json, "password", &jpw) &&
	    json_object_is_type(jpw, json_type_string))
		pw = json_object_get_string(jpw);
	if (login == NULL || pw == NULL || *login == '\0' || *pw == '\0' ||
	    strlen(login) != (size_t)json_object_get_string_len(jlogin) ||
	    strlen(pw) != (size_t)json_object_get_string_len(jpw) ||
	    strlen(login) > 255)
		return resp_error(resp, 400, "Username and password are required");

	addr = req->remote_addr ? req->remote_addr : "";
	if (db_login_failures(db, login, addr, req->now - cfg->auth.login_window,
	    &lf) == -1)
		return -1;
	if (lf.by_user >= cfg->auth.login_max_failures ||
	    lf.by_addr >= cfg->auth.login_max_failures_addr) {
		long	 ra = lf.by_user >= cfg->auth.login_max_failures ?
		    retry_after(lf.oldest_user, req->now, cfg->auth.login_window) :
		    retry_after(lf.oldest_addr, req->now, cfg->auth.login_window);

		resp_header(resp, "Retry-After", "%ld", ra);
		return resp_error(resp, 429,
		    "Too many failed login attempts. Try again later.");
	}

	memset(&u, 0, sizeof(u));
	if ((found = db_user_by_login(db, login, &u)) == -1)
		return -1;
	/* An unknown user costs the same hash work as a wrong password. */
	if (found)
		ok = password_verify(pw, u.password_hash) && u.active;
	else
		ok = password_verify_dummy(pw, cfg->auth.pbkdf2_iterations);
	if (!ok) {
		if (api_begin(req) == -1 ||
		    db_login_fail(db, login, addr, req->now) == -1 ||
		    api_audit_as(req, found ? u.id : 0, login, "User Login Failed",
		    "User", found ? u.id : 0) == -1 || db_commit(db) == -1) {
			user_clear(&u);
			return -1;
		}
		user_clear(&u);
		return resp_error(resp, 401, "Invalid username or password");
	}

	memset(&c, 0, sizeof(c));
	c.uid = u.id;
	snprintf(c.username, sizeof(c.username), "%s", u.username);
	snprintf(c.role, sizeof(c.role), "%s", role_name(u.role));
	c.gen = u.token_gen;
	tok = token_issue((const unsigned char *)cfg->auth.jwt_secret,
	    strlen(cfg->auth.jwt_secret), &c, req->now, cfg->auth.token_ttl);
	if (tok == NULL || api_begin(req) == -1 ||
	    db_login_clear(db, login) == -1 ||
	    api_audit_as(req, u.id, u.username, "User Login", "User", u.id) == -1 ||
	    db_commit(db) == -1) {
		free(tok);
		user_clear(&u);
		return -1;
	}
	o = json_object_new_object();
	json_object_object_add(o, "access_token", json_object_new_string(tok));
	json_object_object_add(o, "token_type", json_object_new_string("Bearer"));
	json_object_object_add(o, "expires_in",
	    json_object_new_int64(cfg->auth.token_ttl));
	json_object_object_add(o, "user", json_user(&u));
	crypto_wipe(tok, strlen(tok));
	free(tok);
	user_clear(&u);
	return resp_json(resp, 200, o);
}

static int
auth_me(struct request *req, struct response *resp)
{
	struct user	 u;
	int		 rc;

	memset(&u, 0, sizeof(u));
	if ((rc = db_user_by_id(req->app->db, req->who.uid, &u)) != 1)
		return rc == 0 ? resp_error(resp, 401, "Missing or invalid token") : -1;
	rc = resp_json(resp, 200, json_user(&u));
	user_clear(&u);
	return rc;
}

static int
auth_logout(struct request *req, struct response *resp)
{
	struct db	*db = req->app->db;

	if (api_begin(req) == -1 ||
	    db_token_revoke(db, req->who.jti, req->who.exp) == -1 ||
	    api_audit(req, "User Logout", "User", req->who.uid, NULL) == -1 ||
	    db_commit(db) == -1)
		return -1;
	return resp_message(resp, 200, "Logged out");
}

const struct route api_auth_routes[] = {
	{ HTTP_POST, "/api/auth/signup", PERM_PUBLIC, auth_signup, 0 },
	{ HTTP_POST, "/api/auth/register", PERM_PUBLIC, auth_register, 0 },
	{ HTTP_POST, "/api/auth/login", PERM_PUBLIC, auth_login, 0 },
	{ HTTP_GET, "/api/auth/me", PERM_AUTH, auth_me, 0 },
	{ HTTP_POST, "/api/auth/logout", PERM_AUTH, auth_logout, ROUTE_NOBODY },
};
const size_t api_auth_nroutes = sizeof(api_auth_routes) / sizeof(api_auth_routes[0]);
