/*
 * The request pipeline between the FastCGI loop and the handlers:
 * route, CORS preflight, authentication, permission, body parsing,
 * database readiness, handler, and the error mapping (500/503).
 */
#ifndef RO_DISPATCH_H
#define RO_DISPATCH_H

#include <stddef.h>

#include "core/netcheck.h"

struct conf;
struct db;
struct request;
struct response;
struct route;

/* What one worker process holds for its whole life. */
struct app {
	struct conf		*cfg;
	struct db		*db;
	const struct route	*routes;
	size_t			 nroutes;
	struct netcheck_nets	 trusted;	/* [http] trusted_proxies, parsed */
};

/* Serve req into resp; never fails (errors become responses). */
void	 dispatch(struct app *, struct request *, struct response *);

#endif
