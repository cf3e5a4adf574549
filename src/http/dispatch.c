/*
 * The pipeline every request goes through, in this order: route (404,
 * also for a ROUTE_LOCAL path asked from outside [metrics] allow; 405
 * with Allow), CORS preflight, database readiness (503), credential
 * (401 or 429, from the authenticators of api/authn.c), permission
 * (403), the route's object (404, or 403 when the caller may not see
 * it), the body as the route declares it (400, 415), handler.  From
 * the route on, every answer is in the media the route declares.  Only this file and the authenticators
 * answer 401/403/404/405; a handler failure becomes 500, or 503 when the
 * database went away or its storage is full.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clientaddr.h"
#include "db/db.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "http/response.h"
#include "http/route.h"
#include "util/conf.h"
#include "util/json.h"
#include "util/log.h"

/*
 * Tries of a handler whose transaction conflicted: through two Galera
 * nodes at once, creates meet on the same counter rows, and three
 * tries were not always enough under a load of writes.
 */
#define HANDLER_ATTEMPTS 5


static int
preflight(struct request *req, struct response *resp, unsigned allow)
{
	char	 methods[128];

	if (cors_allowed(req->app->cfg->http.cors_origins, req->origin)) {
		route_allow_text(allow, methods, sizeof(methods));
		resp_header(resp, "Access-Control-Allow-Methods", "%s", methods);
		resp_header(resp, "Access-Control-Allow-Headers",
		    "Authorization, Content-Type, X-API-Key, X-Request-Id");
		resp_header(resp, "Access-Control-Max-Age", "600");
	}
	return resp_json(resp, 204, NULL);
}

/*
 * Load the route's object for the handler: 0 (req->object set), or the
 * status answered (403, 404, 500, 503).
 */
static int
scope_load(struct request *req, struct response *resp,
    const struct route_scope *sc)
{
	int	 rc;

	if ((rc = sc->load(req, req->params[0], &req->object)) == -1)
		return db_unavailable(req->db) ? resp_unavailable(resp) :
		    resp_error(resp, 500, "Internal server error");
	if (rc == SCOPE_NOT_FOUND)
		return resp_error(resp, 404, "%s", sc->not_found);
	if (rc == SCOPE_FORBIDDEN)
		return resp_error(resp, 403, "Forbidden");
	return 0;
}

/* Whether the request says its body is a form. */
static bool
is_form(const char *ctype)
{
	static const char	 form[] = "application/x-www-form-urlencoded";
	size_t			 n = sizeof(form) - 1;

	return ctype != NULL && strncasecmp(ctype, form, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

/*
 * Read the body as the route declares: nothing, a form, or (the API's
 * default) one JSON value.  0, or the status answered (400, 415).
 */
static int
read_body(struct request *req, struct response *resp, unsigned flags)
{
	const char	*body = req->body != NULL ? req->body : "";

	if ((flags & TAKES_NONE) || req->method == HTTP_GET ||
	    req->method == HTTP_HEAD)
		return 0;
	if (flags & TAKES_FORM) {
		if (!is_form(req->content_type))
			return resp_error(resp, 415, "Expected a form "
			    "(application/x-www-form-urlencoded)");
		if ((req->form = form_parse(body, req->bodylen)) == NULL)
			return resp_error(resp, 400, "Invalid form body");
		return 0;
	}
	if ((req->json = json_parse_strict(body, req->bodylen)) == NULL)
		return resp_error(resp, 400, "Invalid JSON body");
	return 0;
}

/* The matched row's parameters into req, its media into resp. */
static void
take_match(struct request *req, struct response *resp,
    const struct route_match *m)
{
	resp->media = route_media(m->route);
	memcpy(req->params, m->params, sizeof(req->params));
	req->nparams = m->nparams;
	memcpy(req->name, m->name, sizeof(req->name));
	req->route = m->route;
}

/*
 * MariaDB cannot be reached, or cannot write for lack of space: 503
 * (Retry-After), but a public page people check during
 * an outage answers the last static copy, whether the database was gone
 * before the request (db_ready) or went away under its handler.
 */
static void
unavailable(struct app *app, struct request *req, struct response *resp,
    const struct route *r)
{
	enum media	 media = resp->media;

	resp_free(resp);
	memset(resp, 0, sizeof(*resp));
	resp->media = media;
	if ((r->flags & ROUTE_STATIC) == 0 || app->static_copy == NULL ||
	    app->static_copy(req, resp) != 0)
		resp_unavailable(resp);
}

/*
 * Whether work that failed on req's connection runs again on a new one:
 * the connection was lost, nothing was committed (or may have been: a
 * COMMIT or a write outside a transaction whose answer was lost counts),
 * and a new connection is made.
 */
static bool
again_on_new_connection(struct request *req, unsigned long long committed)
{
	return db_error(req->db) == DB_ERR_CONN &&
	    db_committed(req->db) == committed && db_ready(req->db) == 0;
}

/* An answer begun again, of the media the request started with. */
static void
resp_again(struct response *resp, enum media media)
{
	resp_free(resp);
	memset(resp, 0, sizeof(*resp));
	resp->media = media;
}

/* The handler, run again when its transaction conflicted. */
static void
run_handler(struct app *app, struct request *req, struct response *resp,
    const struct route *r)
{
	enum media		 media = resp->media;
	unsigned long long	 committed;
	int			 rc, attempt;

	for (attempt = 1;; attempt++) {
		committed = db_committed(req->db);
		rc = r->handler(req, resp);
		db_rollback(req->db);	/* a no-op unless one was left open */
		/*
		 * A deadlock, lock wait timeout or Galera certification
		 * conflict undid the whole transaction: run it again.  So
		 * does a lost connection, once, on a new one (to the next
		 * server of several): the server rolled back what it had
		 * open.  Never when the handler had committed anything, or
		 * may have (a COMMIT whose answer was lost): that must not
		 * happen twice, and is answered 503.
		 */
		if (rc != -1 || db_committed(req->db) != committed ||
		    attempt == HANDLER_ATTEMPTS)
			break;
		if (db_error(req->db) == DB_ERR_RETRY) {
			log_info("%s %s: transaction conflict, attempt %d "
			    "(request %s)", req->method_name, req->path,
			    attempt + 1, req->request_id);
			db_retry_pause(attempt);
		} else if (attempt == 1 &&
		    again_on_new_connection(req, committed))
			log_info("%s %s: the database connection was lost; "
			    "again on a new one (request %s)", req->method_name,
			    req->path, req->request_id);
		else
			break;
		resp_again(resp, media);
	}
	if (rc == -1 || resp->status == 0) {
		/*
		 * Still conflicting after every try, nothing committed:
		 * the same request later will likely pass, as when the
		 * database is away.
		 */
		bool	 conflict = rc == -1 &&
		    db_error(req->db) == DB_ERR_RETRY &&
		    db_committed(req->db) == committed;

		if (conflict)
			log_warnx("%s %s: still conflicting after %d tries; "
			    "answered 503 (request %s)", req->method_name,
			    req->path, attempt, req->request_id);
		if ((db_unavailable(req->db) || conflict) &&
		    (r->flags & ROUTE_NODB) == 0)
			unavailable(app, req, resp, r);
		else {
			log_warnx("%s %s: handler failed (request %s)",
			    req->method_name, req->path, req->request_id);
			resp_error(resp, 500, "Internal server error");
		}
	}
}

/*
 * What every request goes through once its caller is known, the
 * console's internal ones too: permission, the route's object, the body
 * (only for a request from the network: an internal one brings its
 * JSON), the form guard, the handler.
 */
static void
serve(struct app *app, struct request *req, struct response *resp,
    const struct route *r, bool outer)
{
	if (!request_may(req, r->perm)) {
		resp_error(resp, 403, "Forbidden");
		return;
	}
	if (r->scope != NULL && scope_load(req, resp, r->scope) != 0)
		return;
	if (outer) {
		if (read_body(req, resp, r->flags) != 0)
			return;
		if ((r->flags & TAKES_FORM) && app->form_guard != NULL &&
		    app->form_guard(req, resp) != 0)
			return;
	}
	run_handler(app, req, resp, r);
}

/* A page that needs a login sends the browser to the login form. */
static void
to_login(struct app *app, struct request *req, struct response *resp)
{
	resp_free(resp);
	memset(resp, 0, sizeof(*resp));
	resp->media = MEDIA_HTML;
	resp_header(resp, "Location", "%s?next=%s", app->login_path,
	    req->method == HTTP_GET ? req->path : app->login_path);
	resp_body(resp, 303, NULL, 0);
}

/*
 * A ROUTE_LOCAL row asked from outside [metrics] allow: answered as if
 * there were no such route, so it is not advertised.
 */
static bool
hidden(const struct app *app, const struct request *req,
    const struct route *r)
{
	return (r->flags & ROUTE_LOCAL) &&
	    !clientaddr_listed(req->remote_addr, &app->local_nets);
}

/*
 * The credential's check, again once on a new connection when it found
 * its connection gone: MariaDB restarted less than db_ready's idle
 * second after this connection was last used, so the check was the
 * first to meet it.  Nothing it ran can have taken effect (a write, the
 * API key's hourly count, counts as committed and is never run twice),
 * so it is checked again, as run_handler runs a handler again.
 */
static int
authenticate(struct app *app, struct request *req, struct response *resp,
    const struct route *r)
{
	enum media		 media = resp->media;
	unsigned long long	 committed = db_committed(req->db);
	int			 rc;

	rc = app->authenticate(req, resp, r->perm == PERM_PUBLIC);
	if (rc == 503 && again_on_new_connection(req, committed)) {
		log_info("%s %s: the database connection was lost; the "
		    "credential checked again on a new one (request %s)",
		    req->method_name, req->path, req->request_id);
		resp_again(resp, media);
		rc = app->authenticate(req, resp, r->perm == PERM_PUBLIC);
	}
	return rc;
}

static void
dispatch_inner(struct app *app, struct request *req, struct response *resp)
{
	struct route_match	 m, get;
	char			 allow[128];
	int			 rc;

	switch (route_find(app->routes, app->nroutes, req->method, req->path, &m)) {
	case ROUTE_NOT_FOUND:
		resp_error(resp, 404, "Not found");
		return;
	case ROUTE_BAD_METHOD:
		if (route_find(app->routes, app->nroutes, HTTP_GET, req->path,
		    &get) == ROUTE_FOUND && hidden(app, req, get.route)) {
			resp_error(resp, 404, "Not found");
			return;
		}
		route_allow_text(m.allow, allow, sizeof(allow));
		resp_header(resp, "Allow", "%s", allow);
		if (req->method == HTTP_OPTIONS)
			preflight(req, resp, m.allow);
		else
			resp_error(resp, 405, "Method not allowed");
		return;
	case ROUTE_FOUND:
		break;
	}
	if (hidden(app, req, m.route)) {
		resp_error(resp, 404, "Not found");
		return;
	}
	take_match(req, resp, &m);
	if ((m.route->flags & ROUTE_NODB) == 0 && db_ready(req->db) == -1) {
		unavailable(app, req, resp, m.route);
		return;
	}
	/*
	 * A credential on a public route (an admin's signup) is optional.
	 * A ROUTE_LOCAL one takes none: its network is its credential, and
	 * a scraper's token must not make it need the database.
	 */
	if ((m.route->flags & ROUTE_LOCAL) == 0 &&
	    (rc = authenticate(app, req, resp, m.route)) != 0) {
		if (rc == 401 && resp->media == MEDIA_HTML &&
		    app->login_path != NULL)
			to_login(app, req, resp);
		return;
	}
	serve(app, req, resp, m.route, true);
}

int
dispatch_as(struct app *app, struct request *sub, struct response *resp)
{
	struct route_match	 m;

	switch (route_find(app->routes, app->nroutes, sub->method, sub->path,
	    &m)) {
	case ROUTE_NOT_FOUND:
		return resp_error(resp, 404, "Not found");
	case ROUTE_BAD_METHOD:
		return resp_error(resp, 405, "Method not allowed");
	case ROUTE_FOUND:
		break;
	}
	take_match(sub, resp, &m);
	serve(app, sub, resp, m.route, false);
	if (sub->object != NULL && m.route->scope != NULL)
		m.route->scope->release(sub->object);
	sub->object = NULL;
	return resp->status;
}

void
dispatch(struct app *app, struct request *req, struct response *resp)
{
	req->app = app;
	dispatch_inner(app, req, resp);
	/* Every answer to an API key says where its hourly budget stands. */
	if (req->who.key_id[0] != '\0') {
		resp_header(resp, "X-RateLimit-Limit", "%ld", req->who.rl_limit);
		resp_header(resp, "X-RateLimit-Remaining", "%ld",
		    req->who.rl_remaining);
		resp_header(resp, "X-RateLimit-Reset", "%lld",
		    (long long)req->who.rl_reset);
	}
	if (req->object != NULL && req->route != NULL &&
	    req->route->scope != NULL)
		req->route->scope->release(req->object);
	req->object = NULL;
}
