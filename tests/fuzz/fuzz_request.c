/*
 * A request as the web server hands it over: the FastCGI parameters
 * (NAME=value parts of the input, split at NUL bytes, the last part
 * the body) made into a struct request (http/request.c), its path
 * matched against the whole site's route table, its query string, its
 * cookies and its body read as the handlers read them.  A route that
 * matches must have matched the method asked for (HEAD is served by the
 * GET route, http/route.c), and its <id> parameters be positive.
 */
#include "config.h"

#include "http/request.h"
#include "http/route.h"
#include "page/page_routes.h"
#include "tests/fuzz/fuzz.h"

#define PARTS	24

static const char *const names[] = {
	"page", "per_page", "status", "q", "service_id", "since", "token",
};

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct netcheck_nets	 none;
	struct request		 req;
	struct route_match	 m;
	struct json_object	*form;
	const struct route	*routes;
	char			*env[PARTS + 1], *body = NULL, *v;
	size_t			 nenv = 0, nroutes, i;
	bool			 bad;

	while (nenv < PARTS && (env[nenv] = fuzz_part(&d, &n)) != NULL)
		nenv++;
	if (nenv > 1)
		body = env[--nenv];
	env[nenv] = NULL;

	memset(&none, 0, sizeof(none));
	memset(&req, 0, sizeof(req));
	request_from_params(&req, &none, env);
	routes = site_routes(&nroutes);
	memset(&m, 0, sizeof(m));
	if (req.path != NULL && route_find(routes, nroutes, req.method,
	    req.path, &m) == ROUTE_FOUND) {
		if (m.route == NULL || ((int)m.route->method != req.method &&
		    !(req.method == HTTP_HEAD && m.route->method == HTTP_GET)))
			abort();
		for (i = 0; i < m.nparams; i++)
			if (m.params[i] <= 0)
				abort();
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		bad = false;
		free(query_param(req.query, names[i], &bad));
		(void)query_absent(req.query, names[i]);
		if (req.cookie != NULL)
			free(cookie_get(req.cookie, names[i]));
	}
	if (body != NULL && (form = form_parse(body, strlen(body))) != NULL)
		json_object_put(form);
	if ((v = url_decode(req.query, strlen(req.query), true)) != NULL)
		free(v);
	request_free(&req);
	for (i = 0; i < nenv; i++)
		free(env[i]);
	free(body);
	return 0;
}
