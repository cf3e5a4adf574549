/*
 * /api/auth: signup, register (SLA Guard clients), login, me, logout
 * (CONTRACT section 2).  Password hashing happens outside any
 * transaction, after every cheap check and after the attempt has been
 * recorded for throttling (core/throttle, db/db_throttle).
 */
#include "config.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/login.h"
#include "core/throttle.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_throttle.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/password.h"
#include "util/token.h"
#include "util/utf8.h"

enum { SU_USERNAME, SU_PASSWORD, SU_ROLE, SU_EMAIL, SU_NAME, SU__MAX };

#define USERNAME_BADMSG	"Username must be at most 255 bytes"
#define EMAIL_BADMSG	"Email must be at most 255 bytes"
#define SIGNUP_THROTTLED "Too many signups from this address. Try again later."
#define NO_ADMIN_YET "No admin exists yet: the operator creates the first " \
	"one with resilops-admin setup"

static_assert(sizeof(((struct token_claims *)0)->username) == USERNAME_MAX + 1,
    "a token's username claim holds any username");

static const struct vfield signup_fields[SU__MAX] = {
	[SU_USERNAME] = { "username", V_STRING, VF_REQUIRED | VF_BYTES, 1,
	    USERNAME_MAX, NULL, "Username is required", USERNAME_BADMSG },
	[SU_PASSWORD] = { "password", V_STRING, VF_REQUIRED, 1, PASSWORD_MAX,
	    NULL, "Password is required", NULL },
	[SU_ROLE] = { "role", V_STRING, VF_NULLABLE, 0, 64, NULL, NULL, NULL },
	[SU_EMAIL] = { "email", V_STRING, VF_NULLABLE | VF_EMPTY_NULL | VF_BYTES,
	    1, USERNAME_MAX, NULL, NULL, EMAIL_BADMSG },
	[SU_NAME] = { "name", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 0, 255,
	    NULL, NULL, NULL },
};
static const struct vtable signup_body = VTABLE(signup_fields);

/* register: the same account keyed by email. */
static const struct vfield register_fields[SU__MAX] = {
	[SU_USERNAME] = { "email", V_STRING, VF_REQUIRED | VF_BYTES, 1,
	    USERNAME_MAX, NULL, "Email is required", EMAIL_BADMSG },
	[SU_PASSWORD] = { "password", V_STRING, VF_REQUIRED, 1, PASSWORD_MAX,
	    NULL, "Password is required", NULL },
	[SU_ROLE] = { "role", V_STRING, VF_NULLABLE, 0, 64, NULL, NULL, NULL },
	[SU_EMAIL] = { "email", V_STRING, VF_NULLABLE | VF_BYTES, 1,
	    USERNAME_MAX, NULL, NULL, EMAIL_BADMSG },
	[SU_NAME] = { "name", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 0, 255,
	    NULL, NULL, NULL },
};
static const struct vtable register_body = VTABLE(register_fields);

/* Character count of a valid UTF-8 string. */
static size_t
nchars(const char *s, size_t len)
{
	size_t	 n = 0;

	utf8_valid(s, len, &n);
	return n;
}

static int
throttled(struct response *resp, long retry_after, const char *msg)
{
	resp_header(resp, "Retry-After", "%ld", retry_after);
	return resp_error(resp, 429, "%s", msg);
}

/*
 * The role a new account gets, or 403 answered: the very first account
 * is admin when [auth] bootstrap_signup says so, else refused (the
 * first stranger to reach a fresh install must not own it: the first
 * admin comes from resilops-admin setup); a privileged role needs the
 * token of a user administrator (PERM_USERS) or open signup.
 * Cheap, so it runs before any hashing, and again inside the
 * transaction (where the chain head lock makes "first" exact).
 * Returns 0 with *role set, an HTTP status, or -1.
 */
static int
signup_role(struct request *req, struct response *resp, int want,
    enum role *role)
{
	long long	 count;

	if ((count = db_user_count(req->db)) < 0)
		return -1;
	if (count == 0) {
		if (!req->app->cfg->auth.bootstrap_signup)
			return resp_error(resp, 403, NO_ADMIN_YET);
		*role = ROLE_ADMIN;
		return 0;
	}
	if (want != ROLE_USER && !req->app->cfg->auth.open_signup &&
	    !request_may(req, PERM_USERS))
		return resp_error(resp, 403, "Only an admin can assign the role %s",
		    role_name((enum role)want));
	*role = (enum role)want;
	return 0;
}

/* 400 answered when the username or email is taken; 0 when free; -1. */
static int
signup_unique(struct request *req, struct response *resp,
    const struct user *u)
{
	struct db	*db = req->db;
	int		 taken;

	if ((taken = db_user_exists(db, u->username, u->username)) != 0)
		return taken < 0 ? -1 :
		    resp_error(resp, 400, "User already exists");
	if (u->email != NULL && strcasecmp(u->email, u->username) != 0 &&
	    (taken = db_user_exists(db, u->email, u->email)) != 0)
		return taken < 0 ? -1 :
		    resp_error(resp, 400, "Email already registered");
	return 0;
}

/*
 * Anonymous signups cost a password hash each: at most [auth]
 * signup_max_addr per client address per signup_window.  The attempt
 * is recorded before the hashing; one refused is forgotten again.  A
 * user administrator's signups are not counted.
 */
static int
signup_throttle(struct request *req, struct response *resp)
{
	if (request_may(req, PERM_USERS))
		return 0;
	return api_throttle_addr(req, resp, THROTTLE_SIGNUP, SIGNUP_THROTTLED);
}

/*
 * Create an account from validated fields.  Everything cheap comes
 * first (password length, role, policy, uniqueness), then the
 * throttle, then the hashing, outside any transaction; the policy and
 * uniqueness are checked again inside it.  Answers the error itself;
 * on success fills u and returns 0.
 */
static int
account_create(struct request *req, struct response *resp,
    const struct vvalue *v, struct user *u)
{
	const struct conf	*cfg = req->app->cfg;
	struct db		*db = req->db;
	int			 want = ROLE_USER, rc;

	if (!valid_username(v[SU_USERNAME].s, v[SU_USERNAME].len) ||
	    (v[SU_EMAIL].present && !v[SU_EMAIL].null &&
	    !valid_username(v[SU_EMAIL].s, v[SU_EMAIL].len)))
		return resp_error(resp, 400,
		    "Username and email must not contain control characters");
	if (nchars(v[SU_PASSWORD].s, v[SU_PASSWORD].len) <
	    (size_t)cfg->auth.password_min)
		return resp_error(resp, 400,
		    "Password must be at least %d characters long",
		    cfg->auth.password_min);
	if (v[SU_ROLE].present && !v[SU_ROLE].null &&
	    (want = role_parse(v[SU_ROLE].s)) < 0)
		return resp_error(resp, 400, "Invalid role: %s", v[SU_ROLE].s);
	memset(u, 0, sizeof(*u));
	u->username = strdup(v[SU_USERNAME].s);
	u->email = v[SU_EMAIL].present && !v[SU_EMAIL].null ?
	    strdup(v[SU_EMAIL].s) : NULL;
	u->name = v[SU_NAME].present && !v[SU_NAME].null ?
	    strdup(v[SU_NAME].s) : NULL;
	if (u->username == NULL)
		return -1;
	if ((rc = signup_role(req, resp, want, &u->role)) != 0 ||
	    (rc = signup_unique(req, resp, u)) != 0 ||
	    (rc = signup_throttle(req, resp)) != 0)
		return rc;
	if ((u->password_hash = password_hash(v[SU_PASSWORD].s,
	    cfg->auth.pbkdf2_iterations)) == NULL)
		return -1;

	/* Signups run one at a time: one first admin only. */
	if (api_begin_serial(req) == -1)
		return -1;
	if ((rc = signup_role(req, resp, want, &u->role)) != 0 ||
	    (rc = signup_unique(req, resp, u)) != 0) {
		db_rollback(db);
		return rc;
	}
	if (db_user_insert(db, u) == -1) {
		if (db_error(db) != DB_ERR_DUP)
			return -1;
		db_rollback(db);
		return resp_error(resp, 400, "User already exists");
	}
	if ((req->authed ? api_audit(req, 201, "User Signup", "User", u->id, NULL) :
	    api_audit_as(req, 201, u->id, u->username, "User Signup", "User",
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

	if (API_VALIDATE(req, resp, v) != 0)
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

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	memset(&u, 0, sizeof(u));
	if ((rc = account_create(req, resp, v, &u)) == 0)
		rc = resp_json(resp, 201, json_user(&u, true));
	user_clear(&u);
	return rc;
}

/*
 * Read {username | email, password}: anything but a non-empty string
 * counts as missing.  0, or the status answered.
 */
static int
login_fields(struct request *req, struct response *resp, const char **login,
    const char **pw, bool *by_email)
{
	struct json_object	*jl = NULL, *jp = NULL;

	*login = *pw = NULL;
	*by_email = false;
	if (json_object_object_get_ex(req->json, "username", &jl) &&
	    json_object_is_type(jl, json_type_string))
		*login = json_object_get_string(jl);
	else if (json_object_object_get_ex(req->json, "email", &jl) &&
	    json_object_is_type(jl, json_type_string)) {
		*login = json_object_get_string(jl);
		*by_email = true;
	}
	if (json_object_object_get_ex(req->json, "password", &jp) &&
	    json_object_is_type(jp, json_type_string))
		*pw = json_object_get_string(jp);
	if (*login == NULL || *pw == NULL || **login == '\0' || **pw == '\0' ||
	    strlen(*pw) != (size_t)json_object_get_string_len(jp))
		return resp_error(resp, 400, "Username and password are required");
	if (!valid_username(*login, (size_t)json_object_get_string_len(jl)))
		return resp_error(resp, 400, USERNAME_BADMSG);
	return 0;
}

/*
 * Login (JSON): the attempt is login_attempt's (api/login.c); this is
 * the answer: the token and the user, or the seed's messages.  A login
 * by email (the SLA Guard clients') gets their role spelling, in this
 * answer and, through the token's rs claim, in later ones.
 */
static int
auth_login(struct request *req, struct response *resp)
{
	const char		*login, *pw;
	struct json_object	*o;
	struct user		 u;
	char			*tok = NULL;
	long			 ra = 0;
	bool			 by_email;
	int			 rc;

	if ((rc = login_fields(req, resp, &login, &pw, &by_email)) != 0)
		return rc;
	memset(&u, 0, sizeof(u));
	switch (login_attempt(req, login, pw, by_email, &u, &tok, &ra)) {
	case LOGIN_OK:
		o = json_object_new_object();
		json_object_object_add(o, "access_token",
		    json_object_new_string(tok));
		json_object_object_add(o, "token_type",
		    json_object_new_string("Bearer"));
		json_object_object_add(o, "expires_in", json_object_new_int64(
		    req->app->cfg->auth.token_ttl));
		json_object_object_add(o, "user", json_user(&u, by_email));
		rc = resp_json(resp, 200, o);
		break;
	case LOGIN_THROTTLED:
		rc = throttled(resp, ra, LOGIN_THROTTLED_MSG);
		break;
	case LOGIN_FAILED:
		rc = resp_error(resp, 401, "Invalid username or password");
		break;
	default:
		rc = -1;
	}
	if (tok != NULL) {
		crypto_wipe(tok, strlen(tok));
		free(tok);
	}
	user_clear(&u);
	return rc;
}

static int
auth_me(struct request *req, struct response *resp)
{
	struct user	 u;
	int		 rc;

	memset(&u, 0, sizeof(u));
	/* A bearer token's check read the row already: no second query. */
	if (req->who.profile) {
		u.id = req->who.uid;
		u.username = req->who.username;
		u.email = req->who.email;
		u.name = req->who.name;
		u.role = req->who.role;
		u.active = true;	/* else the token was refused */
		u.created_at = req->who.created_at;
		return resp_json(resp, 200, json_user(&u, api_role_upper(req)));
	}
	if ((rc = db_user_by_id(req->db, req->who.uid, &u)) != 1)
		return rc == 0 ? resp_error(resp, 401, "Missing or invalid token") : -1;
	rc = resp_json(resp, 200, json_user(&u, api_role_upper(req)));
	user_clear(&u);
	return rc;
}

static int
auth_logout(struct request *req, struct response *resp)
{
	struct db	*db = req->db;

	if (api_begin(req) == -1 ||
	    db_token_revoke(db, req->who.jti, req->who.exp) == -1 ||
	    api_audit(req, 200, "User Logout", "User", req->who.uid, NULL) == -1 ||
	    db_commit(db) == -1)
		return -1;
	return resp_message(resp, 200, "Logged out");
}

const struct route api_auth_routes[] = {
	{ HTTP_POST, "/api/auth/signup", PERM_PUBLIC, auth_signup, 0, NULL,
	    NULL, &signup_body },
	{ HTTP_POST, "/api/auth/register", PERM_PUBLIC, auth_register, 0, NULL,
	    NULL, &register_body },
	{ HTTP_POST, "/api/auth/login", PERM_PUBLIC, auth_login, 0, NULL, NULL,
	    NULL },
	{ HTTP_GET, "/api/auth/me", PERM_AUTH, auth_me, 0, NULL, NULL, NULL },
	{ HTTP_POST, "/api/auth/logout", PERM_AUTH, auth_logout, TAKES_NONE,
	    NULL, NULL, NULL },
};
const size_t api_auth_nroutes = sizeof(api_auth_routes) / sizeof(api_auth_routes[0]);
