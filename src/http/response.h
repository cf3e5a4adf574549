/*
 * A response under construction: status, a JSON body (or a raw body
 * for pages) and a few extra headers.  Handlers fill it; only
 * response_write() puts anything on the wire, with the common headers.
 */
#ifndef RO_RESPONSE_H
#define RO_RESPONSE_H

#include <stddef.h>

#include <json-c/json.h>

#define RESPONSE_HEADERS_MAX 12

struct request;
struct conf;

struct response {
	int			 status;
	struct json_object	*json;		/* owned */
	char			*raw;		/* owned, for non-JSON bodies */
	size_t			 rawlen;
	const char		*content_type;	/* for raw */
	struct {
		const char	*name;		/* static */
		char		*value;		/* owned */
	}			 headers[RESPONSE_HEADERS_MAX];
	size_t			 nheaders;
};

/* {"error": msg}; returns status. */
/* 503 "Service temporarily unavailable" with Retry-After: 5. */
int	 resp_unavailable(struct response *);
int	 resp_error(struct response *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* {"message": msg}; returns status. */
int	 resp_message(struct response *, int status, const char *msg);
/* Takes the reference to obj; returns status. */
int	 resp_json(struct response *, int status, struct json_object *obj);
/* Add a header (name must be static); 0 or -1. */
int	 resp_header(struct response *, const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 resp_free(struct response *);

/*
 * Build the whole CGI response head (Status, Content-Type, request id,
 * security headers, CORS for allowed origins, extra headers) for req.
 * Returns a malloc'd string the caller frees.
 */
char	*resp_head(const struct request *, const struct response *,
	    const struct conf *, const char **body, size_t *bodylen);
/* Whether origin is allowed by the "[http] cors_origins" list. */
int	 cors_allowed(const char *list, const char *origin);

#endif
