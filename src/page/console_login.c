/*
 * The console's login and logout.  The login form is the API's login
 * attempt (api/login.c: throttling, audit); a success sets the session
 * cookie to the token, HttpOnly and SameSite=Strict (Secure over
 * https), for as long as the token lives.  Before a session exists the
 * form's CSRF token is a random value also set as a cookie (double
 * submit), so no other site can log a browser into an account of its
 * choosing.  Logout revokes the token (its jti), as the API's does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/login.h"
#include "core/validate.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "http/response.h"
#include "http/route.h"
#include "page/console.h"
#include "page/page.h"
#include "util/conf.h"
#include "util/crypto.h"

#define CSRF_COOKIE	"resilops_csrf"

/* Where to go after the login: a console page, never elsewhere. */
static const char *
next_of(const char *next)
{
	if (next == NULL || strncmp(next, "/console", 8) != 0 ||
	    (next[8] != '\0' && next[8] != '/') ||
	    strpbrk(next, "\r\n\\") != NULL || strstr(next, "//") != NULL ||
	    strcmp(next, "/console/login") == 0)
		return "/console";
	return next;
}

/* The form, with a fresh CSRF token (cookie and field). */
static int
login_form(struct request *req, struct response *resp, int status,
    const char *error, const char *next)
{
	struct json_object	*o;
	char			 csrf[33];

	if (crypto_random_base62(csrf, 32) == -1)
		return -1;
	console_cookie(req, resp, CSRF_COOKIE, csrf, 3600);
	o = consoledoc_login(req->app->cfg, req->now, csrf, next_of(next), error);
	return page_send(req, resp, status, "console_login", o);
}

static int
login_get(struct request *req, struct response *resp)
{
	char	*next;
	bool	 bad;
	int	 rc;

	next = query_param(req->query, "next", &bad);
	rc = login_form(req, resp, 200, NULL, next);
	free(next);
	return rc;
}

static int
login_post(struct request *req, struct response *resp)
{
	const char	*login = console_field(req, "username");
	const char	*pw = console_field(req, "password");
	const char	*next = console_field(req, "next");
	struct user	 u;
	char		*tok = NULL, ra_text[160];
	long		 ra = 0;
	int		 rc;

	if (login == NULL || pw == NULL || *login == '\0' || *pw == '\0')
		return login_form(req, resp, 400, "Username and password are "
		    "required", next);
	if (!valid_username(login, strlen(login)))
		return login_form(req, resp, 400, "Username must be at most 255 "
		    "bytes", next);
	memset(&u, 0, sizeof(u));
	switch (login_attempt(req, login, pw, false, &u, &tok, &ra)) {
	case LOGIN_OK:
		console_cookie(req, resp, SESSION_COOKIE, tok,
		    req->app->cfg->auth.token_ttl);
		console_cookie(req, resp, CSRF_COOKIE, "", 0);
		resp_header(resp, "Location", "%s", next_of(next));
		rc = resp_body(resp, 303, NULL, 0);
		break;
	case LOGIN_THROTTLED:
		snprintf(ra_text, sizeof(ra_text), "%s (in %ld s)",
		    LOGIN_THROTTLED_MSG, ra);
		resp_header(resp, "Retry-After", "%ld", ra);
		rc = login_form(req, resp, 429, ra_text, next);
		break;
	case LOGIN_FAILED:
		rc = login_form(req, resp, 401, "Invalid username or password",
		    next);
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
logout_post(struct request *req, struct response *resp)
{
	struct json_object	*out;
	int			 st;

	if ((st = console_api(req, HTTP_POST, NULL, &out, NULL,
	    "/api/auth/logout")) == -1)
		return -1;
	json_object_put(out);
	console_cookie(req, resp, SESSION_COOKIE, "", 0);
	resp_header(resp, "Location", "/console/login");
	return resp_body(resp, 303, NULL, 0);
}

const struct route console_routes[] = {
	{ HTTP_GET, "/console/login", PERM_PUBLIC, login_get,
	    TAKES_NONE | ANSWERS_HTML, NULL, NULL, NULL },
	{ HTTP_POST, "/console/login", PERM_PUBLIC, login_post,
	    TAKES_FORM | ANSWERS_HTML, NULL, NULL, NULL },
	{ HTTP_POST, "/console/logout", PERM_AUTH, logout_post,
	    TAKES_FORM | ANSWERS_HTML, NULL, NULL, NULL },
};
const size_t console_nroutes = sizeof(console_routes) /
    sizeof(console_routes[0]);
