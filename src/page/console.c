/*
 * The console's plumbing: who is looking at a page (the user, what
 * they may do, the CSRF token, the flash of the last form) for the
 * documents of consoledoc.c, calling the API as the logged-in user,
 * lists a page at a time, and the form guard.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/login.h"
#include "core/perm.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "http/response.h"
#include "http/route.h"
#include "page/console.h"
#include "page/page.h"
#include "page/pages.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/json.h"

#define CSRF_COOKIE	"resilops_csrf"
#define FLASH_COOKIE	"resilops_flash"
#define CSRF_HEX	CONSOLE_CSRF_HEX
#define MSG_CSRF	"Invalid or missing CSRF token: reload the page and try again"

/* The CSRF token of a session (its jti) or of a login form (random). */
static int
csrf_of(const struct request *req, char out[CSRF_HEX + 1])
{
	unsigned char	 mac[HMAC_SHA256_LEN];
	char		 hex[2 * HMAC_SHA256_LEN + 1], msg[64];

	snprintf(msg, sizeof(msg), "csrf:%s", req->who.jti);
	if (crypto_hmac_sha256(req->app->cred_secret,
	    sizeof(req->app->cred_secret), msg, strlen(msg), mac) == -1)
		return -1;
	crypto_hex(mac, sizeof(mac), hex);
	snprintf(out, CSRF_HEX + 1, "%.*s", CSRF_HEX, hex);
	return 0;
}

const char *
console_field(const struct request *req, const char *name)
{
	struct json_object	*v;

	if (req->form == NULL || !json_object_object_get_ex(req->form, name,
	    &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

struct json_object *
console_fields(const struct request *req, const char *const *names)
{
	struct json_object	*o;
	const char		*v;
	int			 bad = 0;

	/* Never a body that lacks a field: the API would do something else. */
	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (; *names != NULL; names++)
		if ((v = console_field(req, *names)) != NULL && *v != '\0')
			bad |= json_add_string(o, *names, v);
	return json_done(o, bad);
}

struct json_object *
console_form_ids(const struct request *req, const char *name)
{
	struct json_object	*v, *arr, *one;
	const char		*s;
	char			*end;
	long long		 id;
	size_t			 i, n;
	int			 bad = 0;

	if ((arr = json_object_new_array()) == NULL)
		return NULL;
	if (req->form == NULL || !json_object_object_get_ex(req->form, name,
	    &v))
		return arr;
	n = json_object_is_type(v, json_type_array) ?
	    json_object_array_length(v) : 1;
	for (i = 0; i < n; i++) {
		one = json_object_is_type(v, json_type_array) ?
		    json_object_array_get_idx(v, i) : v;
		s = json_object_get_string(one);
		id = strtoll(s, &end, 10);
		bad |= json_push(arr, *s != '\0' && *end == '\0' ?
		    json_object_new_int64(id) : json_object_new_string(s));
	}
	return json_done(arr, bad);
}

int
console_filter(struct request *req, struct response *resp, const char *name,
    const char *const *ok, const char *msg, char **value)
{
	bool	 bad;
	size_t	 i;

	*value = query_param(req->query, name, &bad);
	for (i = 0; *value != NULL && ok[i] != NULL; i++)
		if (strcmp(*value, ok[i]) == 0)
			return 0;
	if (!bad && *value == NULL)
		return 0;
	free(*value);
	*value = NULL;
	return resp_error(resp, 400, "%s", msg);
}

struct json_object *
console_services_of(struct request *req)
{
	struct json_object	*s = NULL;

	if (console_api(req, HTTP_GET, NULL, &s, NULL,
	    "/api/services?per_page=500") != 200) {
		json_object_put(s);
		return NULL;
	}
	return s;
}

int
console_object_page(struct request *req, struct response *resp,
    const char *path, const char *missing, const char *tpl,
    struct json_object *(*doc)(const struct console_view *,
    struct json_object *))
{
	struct console_viewer	 cv;
	struct json_object	*obj;
	int			 st;

	if ((st = console_api(req, HTTP_GET, NULL, &obj, NULL, "%s",
	    path)) != 200) {
		json_object_put(obj);
		return st == -1 ? -1 : resp_error(resp, st, "%s", missing);
	}
	console_viewer(req, resp, &cv);
	st = console_send(req, resp, 200, tpl, doc(&cv.view, obj));
	console_viewer_clear(&cv);
	return st;
}

int
console_choice_page(struct request *req, struct response *resp,
    const char *tpl, struct json_object *(*doc)(const struct console_view *,
    struct json_object *))
{
	struct console_viewer	 cv;
	int			 st;

	console_viewer(req, resp, &cv);
	st = console_send(req, resp, 200, tpl, doc(&cv.view,
	    console_services_of(req)));
	console_viewer_clear(&cv);
	return st;
}

int
console_form_guard(struct request *req, struct response *resp)
{
	const char	*got = console_field(req, "csrf");
	char		 want[CSRF_HEX + 1], *cookie;
	int		 ok = 0;

	if (got == NULL || strlen(got) != CSRF_HEX)
		return resp_error(resp, 403, MSG_CSRF);
	/* The session's token; or the login form's, as its cookie says. */
	if (req->who.jti[0] != '\0' && csrf_of(req, want) == 0)
		ok = crypto_equal(got, want, CSRF_HEX);
	if (!ok && (cookie = cookie_get(req->cookie, CSRF_COOKIE)) != NULL) {
		ok = strlen(cookie) == CSRF_HEX &&
		    crypto_equal(got, cookie, CSRF_HEX);
		free(cookie);
	}
	return ok ? 0 : resp_error(resp, 403, MSG_CSRF);
}

void
console_cookie(const struct request *req, struct response *resp,
    const char *name, const char *value, long max_age)
{
	resp_header(resp, "Set-Cookie", "%s=%s; Path=/console; Max-Age=%ld; "
	    "HttpOnly; SameSite=Strict%s", name, value, max_age,
	    req->https ? "; Secure" : "");
}

/* A flash for the next page: "ok:" or "error:" and the message, %-encoded. */
static void
flash_set(const struct request *req, struct response *resp, int ok,
    const char *msg)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 buf[600];
	size_t			 n = 0;
	const unsigned char	*p;

	n = (size_t)snprintf(buf, sizeof(buf), "%s:", ok ? "ok" : "error");
	for (p = (const unsigned char *)msg; *p != '\0' && n + 4 < sizeof(buf);
	    p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_')
			buf[n++] = (char)*p;
		else {
			buf[n++] = '%';
			buf[n++] = hex[*p >> 4];
			buf[n++] = hex[*p & 15];
		}
	}
	buf[n] = '\0';
	console_cookie(req, resp, FLASH_COOKIE, buf, 60);
}

/*
 * The flash left for this page (malloc'd; NULL: none) and whether it
 * tells of a success; it is used up.
 */
static char *
flash_take(struct request *req, struct response *resp, bool *ok)
{
	char	*raw, *text, *msg;

	if ((raw = cookie_get(req->cookie, FLASH_COOKIE)) == NULL || *raw == '\0') {
		free(raw);
		return NULL;
	}
	console_cookie(req, resp, FLASH_COOKIE, "", 0);
	msg = strchr(raw, ':') != NULL ? strchr(raw, ':') + 1 : raw;
	if ((text = url_decode(msg, strlen(msg), false)) == NULL)
		text = strdup("");	/* a bad escape: an empty message */
	*ok = strncmp(raw, "ok:", 3) == 0;
	free(raw);
	return text;
}

void
console_viewer(struct request *req, struct response *resp,
    struct console_viewer *cv)
{
	struct console_view	*v = &cv->view;
	int			 p;

	memset(cv, 0, sizeof(*cv));
	v->cfg = req->app->cfg;
	v->now = req->now;
	v->username = req->who.username;
	v->role = req->who.role;
	for (p = 0; p < PERM__MAX; p++)
		if (request_may(req, (enum perm)p))
			v->perms |= 1u << p;
	if (csrf_of(req, cv->csrf) == 0)
		v->csrf = cv->csrf;
	v->flash = cv->flash = flash_take(req, resp, &v->flash_ok);
}

void
console_viewer_clear(struct console_viewer *cv)
{
	free(cv->flash);
	cv->flash = NULL;
	cv->view.flash = NULL;
}

int
console_send(struct request *req, struct response *resp, int status,
    const char *name, struct json_object *data)
{
	return page_send(req, resp, status, name, data);
}

static int
api_call(struct request *req, enum http_method m, struct json_object *body,
    struct json_object **out, long long *total, const char *fmt, va_list ap)
{
	struct request		 sub;
	struct response		 r;
	char			 target[1024], *q;
	size_t			 i;
	int			 status;

	*out = NULL;
	if (total != NULL)
		*total = -1;
	if ((size_t)vsnprintf(target, sizeof(target), fmt, ap) >=
	    sizeof(target)) {
		json_object_put(body);
		return -1;
	}
	sub = *req;
	sub.method = m;
	sub.method_name = http_method_name(m);
	sub.query = "";
	if ((q = strchr(target, '?')) != NULL) {
		*q++ = '\0';
		sub.query = q;
	}
	sub.path = target;
	sub.json = body != NULL ? body : json_object_new_object();
	sub.form = NULL;
	sub.body = NULL;
	sub.bodylen = 0;
	sub.route = NULL;
	sub.object = NULL;
	memset(&r, 0, sizeof(r));
	status = dispatch_as(req->app, &sub, &r);
	json_object_put(sub.json);
	resp_finish(&sub, &r, NULL);	/* an error's {"error": ...} */
	/* A hot route answers with text (util/jsonw): the page needs a tree. */
	if (r.json != NULL)
		*out = json_object_get(r.json);
	else if (r.raw != NULL && r.media == MEDIA_JSON)
		*out = json_parse_strict(r.raw, r.rawlen);
	for (i = 0; total != NULL && i < r.nheaders; i++)
		if (strcmp(r.headers[i].name, "X-Total-Count") == 0)
			*total = strtoll(r.headers[i].value, NULL, 10);
	resp_free(&r);
	return status;
}

int
console_api(struct request *req, enum http_method m, struct json_object *body,
    struct json_object **out, long long *total, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = api_call(req, m, body, out, total, fmt, ap);
	va_end(ap);
	return rc;
}

int
console_act(struct request *req, struct response *resp, enum http_method m,
    struct json_object *body, const char *back, const char *fmt, ...)
{
	struct json_object	*out, *msg = NULL;
	va_list			 ap;
	int			 status, ok;

	/* A body that could not be made (out of memory): no call at all. */
	if (body == NULL && m != HTTP_DELETE)
		return -1;
	va_start(ap, fmt);
	status = api_call(req, m, body, &out, NULL, fmt, ap);
	va_end(ap);
	if (status == -1)
		return -1;
	ok = status >= 200 && status < 300;
	if (out != NULL && !json_object_object_get_ex(out, ok ? "message" :
	    "error", &msg))
		msg = NULL;
	flash_set(req, resp, ok, msg != NULL ? json_object_get_string(msg) :
	    ok ? "Done" : resp_reason(status));
	json_object_put(out);
	resp_header(resp, "Location", "%s", back);
	return resp_body(resp, 303, NULL, 0);
}

long
console_page(const struct request *req)
{
	char	*v, *end;
	bool	 bad;
	long	 p = 1;

	if ((v = query_param(req->query, "page", &bad)) != NULL) {
		p = strtol(v, &end, 10);
		if (*end != '\0' || p < 1 || p > 100000)
			p = 1;
	}
	free(v);
	return p;
}

int
console_list_get(struct request *req, struct console_list *l,
    const char *path, const char *query)
{
	l->page = console_page(req);
	return console_api(req, HTTP_GET, NULL, &l->answer, &l->total,
	    "%s?%s%spage=%ld&per_page=%d", path, query, query[0] ? "&" : "",
	    l->page, CONSOLE_PER_PAGE);
}
