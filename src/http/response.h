/*
 * A response under construction: status, media, a JSON body (or a raw
 * body for pages, feeds, badges), an error message, a few extra
 * headers.  Handlers fill it; only
 * response_write() puts anything on the wire, with the common headers.
 */
#ifndef RO_RESPONSE_H
#define RO_RESPONSE_H

#include <stddef.h>

#include <json-c/json.h>

#define RESPONSE_HEADERS_MAX 12

struct request;
struct conf;

/*
 * What an answer is: it decides the content type, the security headers
 * and the form of an error (JSON {"error": ...} or an HTML page).  The
 * worker sets it from the path before routing (/api and /healthz are
 * JSON, everything else HTML), the dispatcher from the route's row.
 */
enum media {
	MEDIA_JSON, MEDIA_HTML, MEDIA_ATOM, MEDIA_SVG,
	MEDIA_PROM,	/* Prometheus text exposition (/metrics) */
	MEDIA__MAX
};

struct response {
	int			 status;
	enum media		 media;
	struct json_object	*json;		/* owned */
	char			*raw;		/* owned, for non-JSON bodies */
	size_t			 rawlen;
	char			*error;		/* owned: an error's message */
	struct {
		const char	*name;		/* static */
		char		*value;		/* owned */
	}			 headers[RESPONSE_HEADERS_MAX];
	size_t			 nheaders;
};

/*
 * An error: its message, put in the media's form when written ({"error":
 * msg} for JSON, a page for HTML); returns status.
 */
int	 resp_error(struct response *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* 503 "Service temporarily unavailable" with Retry-After: 5. */
int	 resp_unavailable(struct response *);
/* {"message": msg}; returns status. */
int	 resp_message(struct response *, int status, const char *msg);
/*
 * Takes the reference to obj; returns status.  A NULL obj (a builder out
 * of memory) answers 500 unless the status has no body or is an error.
 */
int	 resp_json(struct response *, int status, struct json_object *obj);
/* A body in the response's media (a page, a feed); takes buf. */
int	 resp_body(struct response *, int status, char *buf, size_t len);
/*
 * JSON text already written (util/jsonw): answered exactly as
 * resp_json's object would be, whatever the media; takes buf.
 */
int	 resp_json_text(struct response *, int status, char *buf, size_t len);
/* Add a header (name must be static); 0 or -1. */
int	 resp_header(struct response *, const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 resp_free(struct response *);

/* "Not Found" for 404: the status line's reason phrase. */
const char *resp_reason(int status);
/* The media of a path before any route is known: JSON under /api. */
enum media media_for_path(const char *path);
/*
 * Give an error its body in the response's media: JSON, else a page
 * from render (the pages' error template; NULL or failing: a plain
 * built-in page).  Called once, before resp_head.
 */
typedef int (*error_render_fn)(const struct request *, struct response *);
void	 resp_finish(const struct request *, struct response *,
	    error_render_fn render);
/*
 * Build the whole CGI response head (Status, Content-Type, request id,
 * the media's security headers, Cache-Control no-store unless the
 * handler set its own, CORS for allowed origins, extra headers) for
 * req.  Returns a malloc'd string the caller frees.
 */
char	*resp_head(const struct request *, const struct response *,
	    const struct conf *, const char **body, size_t *bodylen);
/* Whether origin is allowed by the "[http] cors_origins" list. */
int	 cors_allowed(const char *list, const char *origin);

#endif
