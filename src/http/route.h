/*
 * The route table: rows of method, path pattern, permission and
 * handler.  Patterns are literal segments and <id> (a positive decimal
 * integer).  Matching is pure, so it is unit-tested without a server.
 */
#ifndef RO_ROUTE_H
#define RO_ROUTE_H

#include <stddef.h>

#include "core/perm.h"
#include "http/request.h"
#include "http/response.h"

/* Returns the HTTP status written into resp, or -1 for "internal error". */
typedef int (*handler_fn)(struct request *, struct response *);

/*
 * A row's flags declare what the route takes and what it answers.  The
 * dispatcher reads the body as declared (a JSON object unless
 * TAKES_NONE or TAKES_FORM) and every answer, errors included, goes
 * out in the declared media (JSON unless an ANSWERS_ flag says
 * otherwise): an HTML page's 404 is an HTML page.
 */
#define TAKES_NONE	0x01	/* no body: whatever is sent is ignored */
#define ROUTE_NODB	0x02	/* the handler copes without a database (healthz) */
#define TAKES_FORM	0x04	/* application/x-www-form-urlencoded, into req->form */
#define ROUTE_STATIC	0x08	/* without a database: the daemon's static copy */
#define ANSWERS_HTML	0x10
#define ANSWERS_ATOM	0x20
#define ANSWERS_SVG	0x40
#define ANSWERS_PROM	0x80	/* Prometheus text (/metrics) */
/*
 * Only from the networks of [metrics] allow (app->local_nets); from
 * anywhere else the dispatcher answers 404, as for no route at all, so
 * the route is not advertised.  No credential is read: the row must be
 * PERM_PUBLIC.
 */
#define ROUTE_LOCAL	0x100

/*
 * How the object a route's <id> names is found and whom it is shown
 * to.  load answers from one statement whether the object exists and
 * whether the caller may see it (per-object visibility: a ticket is
 * its assignee's and its creator's), so the dispatcher can answer 404
 * or 403 without a second query.  The object lands in req->object for
 * the handler; the dispatcher releases it.
 */
enum scope_result {
	SCOPE_FOUND,
	SCOPE_NOT_FOUND,	/* 404 with not_found */
	SCOPE_FORBIDDEN,	/* 403 */
};

struct route_scope {
	/* Load id for req's caller into *obj; a scope_result, or -1. */
	int		(*load)(struct request *, long long id, void **obj);
	void		(*release)(void *);
	const char	*not_found;
};

struct route {
	enum http_method	 method;
	const char		*pattern;
	enum perm		 perm;
	handler_fn		 handler;
	unsigned		 flags;
	const struct route_scope *scope;	/* of params[0]; NULL: none */
	const void		*arg;		/* for shared handlers (api_list_route) */
	const struct vtable	*body;		/* its JSON body's fields, if read */
};

enum route_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

struct route_match {
	const struct route	*route;
	long long		 params[REQUEST_PARAMS_MAX];
	size_t			 nparams;
	char			 name[ROUTE_NAME_MAX + 1];	/* <name> */
	unsigned		 allow;		/* bit per enum http_method */
};

/*
 * Find the row for method and path.  ROUTE_BAD_METHOD fills allow with
 * the methods the path does accept (HEAD with GET, OPTIONS always).
 */
enum route_result route_find(const struct route *, size_t n, int method,
	    const char *path, struct route_match *);
/* The media a route answers in (its ANSWERS_ flag, else JSON). */
enum media route_media(const struct route *);
/* "GET, POST, OPTIONS" from an allow mask, into buf. */
void	 route_allow_text(unsigned allow, char *buf, size_t bufsz);

#endif
