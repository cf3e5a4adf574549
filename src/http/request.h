/*
 * One HTTP request as the handlers see it: method, decoded path,
 * query, selected headers, body, path parameters and the caller.
 * Filled from FastCGI parameters (request_from_params, never getenv)
 * and the body by worker.c.
 */
#ifndef RO_REQUEST_H
#define RO_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "core/clientaddr.h"
#include "core/perm.h"
#include "core/validate.h"

struct app;
struct route;

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP__MAX
};

#define REQUEST_PARAMS_MAX 4
#define ROUTE_NAME_MAX 32	/* bytes of a <name> path parameter */
#define REQUEST_ID_MAX 64

/*
 * Who is calling, once the dispatcher has authenticated the request:
 * the account, its role (for answers that show it) and what this
 * request may do (routes and handlers ask perms, never the role).
 */
struct principal {
	long long	 uid;
	char		 username[USERNAME_MAX + 1];
	enum role	 role;
	unsigned	 perms;		/* 1 << enum perm */
	bool		 role_upper;	/* the token came from a login by email */
	unsigned	 key_bits;	/* an API key's (1 << enum key_perm); 0: none */
	char		 key_id[41];	/* the key's id, "" for a bearer token */
	long		 rl_limit;	/* a key's hourly limit, and what is left */
	long		 rl_remaining;
	time_t		 rl_reset;	/* when the window ends */
	char		 jti[33];	/* of the bearer token, "" for API keys */
	time_t		 exp;		/* of the bearer token */
	/*
	 * The rest of the account's row, when the credential check read it
	 * (a bearer token): GET /api/auth/me answers from it without a
	 * second query.  Owned by the request (request_free).
	 */
	bool		 profile;
	char		*email;		/* NULL: none */
	char		*name;		/* NULL: none */
	time_t		 created_at;
};

struct request {
	struct app		*app;
	/*
	 * The database connection this request is served on: the one its
	 * worker serves it with (http/worker.c), never another request's.
	 */
	struct db		*db;
	int			 method;	/* enum http_method, -1 if unknown */
	const char		*method_name;
	char			*path;		/* percent-decoded, no query */
	const char		*query;		/* raw, without '?', never NULL */
	const char		*remote_addr;	/* the client's (core/clientaddr) */
	char			 remote_buf[CLIENTADDR_MAX];
	const char		*user_agent;
	const char		*origin;
	const char		*authorization;
	const char		*api_key;
	const char		*content_type;
	const char		*if_none_match;	/* for pages with an ETag */
	const char		*cookie;
	bool			 https;		/* as the browser reached us */
	char			 request_id[REQUEST_ID_MAX + 1];
	char			*body;		/* NUL-terminated copy */
	size_t			 bodylen;
	struct json_object	*json;		/* parsed body ({} when empty) */
	struct json_object	*form;		/* a TAKES_FORM body: name -> string */
	long long		 params[REQUEST_PARAMS_MAX];	/* <id> values */
	size_t			 nparams;
	char			 name[ROUTE_NAME_MAX + 1];	/* <name> value */
	const struct route	*route;		/* the row that matched */
	void			*object;	/* loaded by the route's scope */
	bool			 authed;
	struct principal	 who;
	time_t			 now;
};

/* Whether the request's caller may do perm (authenticated or not). */
/*
 * The request as the web server's parameters describe it (envp: the
 * NULL-terminated NAME=value array FastCGI gives, or any such): method,
 * query, client address (trusted: [http] trusted_proxies), https, the
 * headers handlers read, the request id and the decoded path (NULL: no
 * usable path, answer 400).  Not the body.  req->path is the caller's
 * to free (request_free).
 */
void	 request_from_params(struct request *, const struct netcheck_nets *trusted,
	    char **envp);
const char *request_param(char **envp, const char *name);
bool	 request_may(const struct request *, enum perm);

int	 http_method_parse(const char *);
const char *http_method_name(enum http_method);
/*
 * Percent-decode src into a new string (NULL on bad escapes or NUL);
 * '+' becomes a space only with plus_is_space (query strings).
 */
char	*url_decode(const char *src, size_t len, bool plus_is_space);
/*
 * The decoded value of name in a query string, malloc'd (caller frees);
 * NULL when absent or malformed.  *bad is set for a malformed value,
 * and when memory runs out: the request is refused either way.
 */
char	*query_param(const char *query, const char *name, bool *bad);
/*
 * An application/x-www-form-urlencoded body as a JSON object of
 * strings (a repeated name: an array of them); NULL when malformed (a
 * bad escape, a NUL, invalid UTF-8, a pair without '=').
 */
struct json_object *form_parse(const char *body, size_t len);
/* The value of cookie name in a Cookie header, malloc'd; NULL if none. */
char	*cookie_get(const char *header, const char *name);
/* Whether name is absent from a query string (present but malformed counts). */
bool	 query_absent(const char *query, const char *name);
void	 request_free(struct request *);

#endif
