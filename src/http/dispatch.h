/*
 * The request pipeline between the FastCGI loop and the handlers:
 * route, CORS preflight, authentication, permission, body parsing,
 * database readiness, handler, and the error mapping (500/503).
 */
#ifndef RO_DISPATCH_H
#define RO_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/netcheck.h"
#include "http/response.h"
#include "util/keyring.h"

struct conf;
struct db;
struct pages;
struct request;
struct response;
struct route;

/*
 * Establish who is calling (api/authn.c): 0 with req->who set (or, when
 * optional and no credential was presented, nothing set), else the
 * status answered (401, 429, 503).
 */
typedef int (*authenticate_fn)(struct request *, struct response *,
	    bool optional);

/* What one worker process holds for its whole life. */
struct app {
	struct conf		*cfg;
	struct db		*db;
	const struct route	*routes;
	size_t			 nroutes;
	struct netcheck_nets	 trusted;	/* [http] trusted_proxies, parsed */
	struct netcheck_nets	 local_nets;	/* [metrics] allow: ROUTE_LOCAL's */
	authenticate_fn		 authenticate;
	/* An HTML error's page (the pages' template); NULL: built in. */
	error_render_fn		 error_page;
	struct pages		*pages;		/* templates/ (page/pages.c) */
	/*
	 * A ROUTE_STATIC page while the database is away: resilops-sched's
	 * copy of it, 0 when answered (page/page.c); NULL: none.
	 */
	int			(*static_copy)(struct request *, struct response *);
	/*
	 * Checked on every form post before its handler (the console's CSRF
	 * token): 0, or the status answered.  NULL: none.
	 */
	int			(*form_guard)(struct request *, struct response *);
	/* Where a page that needs a login sends the browser; NULL: 401. */
	const char		*login_path;
	struct keyring		 keys;		/* [secrets] data keys (util/keyring) */
	unsigned char		 cred_secret[32]; /* API keys, tokens (core/credential) */
};

/* Serve req into resp; never fails (errors become responses). */
void	 dispatch(struct app *, struct request *, struct response *);
/*
 * Serve an internal request as its caller (sub->who, already
 * authenticated): the console calling the API.  Route, permission, the
 * route's object and handler, exactly as from the network; the body is
 * sub->json as given (the caller owns it).  The answer is the API's,
 * JSON: a json-c object (resp->json), or text a route wrote with
 * util/jsonw (resp->raw, MEDIA_JSON).  Returns its status.
 */
int	 dispatch_as(struct app *, struct request *sub, struct response *);

#endif
