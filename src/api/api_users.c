/*
 * /api/users: user administration for admins (CONTRACT section 2).
 * Deactivation keeps the account and its history; role, password and
 * activity changes revoke the user's older tokens.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "db/db.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "util/conf.h"
#include "util/jsonw.h"
#include "util/password.h"
#include "util/utf8.h"

static int
users_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct user	*v;

	(void)resp;
	if (db_user_list(req->db, page_offset(pg), pg->per_page, &v,
	    &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

/* A list's item, json_user's members with util/jsonw: no object a row. */
static void
user_item_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct user	*u = item;

	jsonw_object(w);
	jsonw_key_int(w, "id", u->id);
	jsonw_key_string(w, "username", u->username);
	jsonw_key_string(w, "role", api_role_upper(req) ?
	    role_name_upper(u->role) : role_name(u->role));
	jsonw_key_string(w, "email", u->email);
	jsonw_key_string(w, "name", u->name);
	jsonw_key_bool(w, "active", u->active);
	jsonw_key_time(w, "created_at", u->created_at);
	jsonw_object_end(w);
}

static void
user_clear_v(void *u)
{
	user_clear(u);
}

static const struct api_list users_list = {
	.size = sizeof(struct user),
	.fetch = users_fetch,
	.clear = user_clear_v,
	.write = user_item_write,
};

enum { UU_ROLE, UU_EMAIL, UU_NAME, UU_ACTIVE, UU_PASSWORD, UU__MAX };

static const struct vfield update_fields[UU__MAX] = {
	[UU_ROLE] = { "role", V_STRING, 0, 1, 64, NULL, NULL, NULL },
	[UU_EMAIL] = { "email", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 1, 255,
	    NULL, NULL, NULL },
	[UU_NAME] = { "name", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 0, 255,
	    NULL, NULL, NULL },
	[UU_ACTIVE] = { "active", V_BOOL, 0, 0, 0, NULL, NULL, NULL },
	[UU_PASSWORD] = { "password", V_STRING, 0, 1, PASSWORD_MAX, NULL, NULL,
	    NULL },
};
static const struct vtable update_body = VTABLE(update_fields);

static int
replace_str(char **dst, const struct vvalue *v)
{
	char	*s = NULL;

	if (!v->null && (s = strdup(v->s)) == NULL)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

/*
 * Open the transaction and load the user the path names.  1 loaded;
 * otherwise the status answered (404) or -1.
 */
static int
user_load(struct request *req, struct response *resp, struct user *u)
{
	int	 rc;

	memset(u, 0, sizeof(*u));
	if (api_begin(req) == -1)
		return -1;
	if ((rc = db_user_by_id(req->db, req->params[0], u)) == 0)
		return resp_error(resp, 404, "User not found");
	return rc;
}

static int
users_update(struct request *req, struct response *resp)
{
	const struct conf	*cfg = req->app->cfg;
	struct db		*db = req->db;
	struct vvalue		 v[UU__MAX];
	struct user		 u;
	bool			 revoke = false, deactivated = false;
	char			*hash = NULL;
	int			 role = -1, rc = -1, taken;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (v[UU_ROLE].present && (role = role_parse(v[UU_ROLE].s)) < 0)
		return resp_error(resp, 400, "Invalid role: %s", v[UU_ROLE].s);
	if (v[UU_PASSWORD].present) {
		size_t	 n = 0;

		utf8_valid(v[UU_PASSWORD].s, v[UU_PASSWORD].len, &n);
		if (n < (size_t)cfg->auth.password_min)
			return resp_error(resp, 400,
			    "Password must be at least %d characters long",
			    cfg->auth.password_min);
		if ((hash = password_hash(v[UU_PASSWORD].s,
		    cfg->auth.pbkdf2_iterations)) == NULL)
			return -1;
	}
	if ((rc = user_load(req, resp, &u)) != 1)
		goto out;
	rc = -1;
	if (role >= 0 && (enum role)role != u.role) {
		u.role = (enum role)role;
		revoke = true;
	}
	if (v[UU_EMAIL].present) {
		if (!v[UU_EMAIL].null && (u.email == NULL ||
		    strcasecmp(u.email, v[UU_EMAIL].s) != 0)) {
			if ((taken = db_user_exists(db, v[UU_EMAIL].s,
			    v[UU_EMAIL].s)) == -1)
				goto out;
			if (taken) {
				rc = resp_error(resp, 400, "Email already registered");
				goto out;
			}
		}
		if (replace_str(&u.email, &v[UU_EMAIL]) == -1)
			goto out;
	}
	if (v[UU_NAME].present && replace_str(&u.name, &v[UU_NAME]) == -1)
		goto out;
	if (v[UU_ACTIVE].present && (bool)v[UU_ACTIVE].i != u.active) {
		if (!v[UU_ACTIVE].i && u.id == req->who.uid) {
			rc = resp_error(resp, 400,
			    "You cannot deactivate your own account");
			goto out;
		}
		u.active = v[UU_ACTIVE].i != 0;
		deactivated = !u.active;
		revoke = true;
	}
	if (hash != NULL) {
		free(u.password_hash);
		u.password_hash = hash;
		hash = NULL;
		revoke = true;
	}
	if (db_user_update(db, &u, revoke) != 1 ||
	    api_audit(req, 200, deactivated ? "User Deactivated" : "User Updated",
	    "User", u.id, NULL) == -1 || db_commit(db) == -1)
		goto out;
	rc = resp_json(resp, 200, json_user(&u, api_role_upper(req)));
out:
	free(hash);
	user_clear(&u);
	return rc;
}

static int
users_deactivate(struct request *req, struct response *resp)
{
	struct db	*db = req->db;
	struct user	 u;
	int		 rc = -1;

	if (req->params[0] == req->who.uid)
		return resp_error(resp, 400, "You cannot deactivate your own account");
	if ((rc = user_load(req, resp, &u)) != 1)
		goto out;
	rc = -1;
	u.active = false;
	if (db_user_update(db, &u, true) != 1 ||
	    api_audit(req, 200, "User Deactivated", "User", u.id, NULL) == -1 ||
	    db_commit(db) == -1)
		goto out;
	rc = resp_message(resp, 200, "User deactivated");
out:
	user_clear(&u);
	return rc;
}

const struct route api_users_routes[] = {
	{ HTTP_GET, "/api/users", PERM_USERS_READ, api_list_route, 0, NULL,
	    &users_list, NULL },
	{ HTTP_PUT, "/api/users/<id>", PERM_USERS, users_update, 0, NULL, NULL,
	    &update_body },
	{ HTTP_DELETE, "/api/users/<id>", PERM_USERS, users_deactivate,
	    TAKES_NONE, NULL, NULL, NULL },
};
const size_t api_users_nroutes = sizeof(api_users_routes) / sizeof(api_users_routes[0]);
