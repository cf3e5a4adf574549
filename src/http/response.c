/*
 * Responses: errors and messages, extra headers, and the one place that
 * writes the status line and the common headers (request id, nosniff,
 * referrer policy, CORS, and what the answer's media needs: its type,
 * its Content-Security-Policy, an error in its own form).
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/request.h"
#include "http/response.h"
#include "util/conf.h"
#include "util/json.h"

static const struct {
	int		 code;
	const char	*text;
} reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 302, "Found" }, { 303, "See Other" }, { 304, "Not Modified" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" },
	{ 409, "Conflict" }, { 413, "Payload Too Large" },
	{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

/*
 * Each media's content type and the headers that keep it safe.  Pages
 * load nothing from elsewhere and run no inline script; a badge or a
 * feed needs nothing at all.
 */
static const struct {
	const char	*type;
	const char	*headers;
} media_kinds[MEDIA__MAX] = {
	[MEDIA_JSON] = { "application/json", "" },
	[MEDIA_HTML] = { "text/html; charset=utf-8",
	    "Content-Security-Policy: default-src 'none'; style-src 'self'; "
	    "img-src 'self'; script-src 'self'; form-action 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'\r\n"
	    "X-Frame-Options: DENY\r\n" },
	[MEDIA_ATOM] = { "application/atom+xml; charset=utf-8",
	    "Content-Security-Policy: default-src 'none'\r\n" },
	[MEDIA_SVG] = { "image/svg+xml; charset=utf-8",
	    "Content-Security-Policy: default-src 'none'\r\n" },
	[MEDIA_PROM] = { "text/plain; version=0.0.4; charset=utf-8",
	    "Content-Security-Policy: default-src 'none'\r\n" },
};

const char *
resp_reason(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == code)
			return reasons[i].text;
	return "Unknown";
}

static void
resp_body_reset(struct response *r)
{
	if (r->json != NULL)
		json_object_put(r->json);
	r->json = NULL;
	free(r->raw);
	r->raw = NULL;
	r->rawlen = 0;
	free(r->error);
	r->error = NULL;
}

int
resp_json(struct response *r, int status, struct json_object *obj)
{
	/*
	 * No object for a success that has a body: the handler's builder
	 * ran out of memory.  Never a 200 with nothing in it.
	 */
	if (obj == NULL && status < 400 && status != 204 && status != 304)
		return resp_error(r, 500, "Internal server error");
	resp_body_reset(r);
	r->status = status;
	r->json = obj;
	return status;
}

int
resp_body(struct response *r, int status, char *buf, size_t len)
{
	resp_body_reset(r);
	r->status = status;
	r->raw = buf;
	r->rawlen = len;
	return status;
}

int
resp_json_text(struct response *r, int status, char *buf, size_t len)
{
	/* Like a json-c object in resp_head: the JSON media's headers. */
	r->media = MEDIA_JSON;
	return resp_body(r, status, buf, len);
}

int
resp_error(struct response *r, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 rc;

	resp_body_reset(r);
	r->status = status;
	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	r->error = rc < 0 ? NULL : msg;	/* out of memory: a bare status */
	return status;
}

int
resp_unavailable(struct response *r)
{
	resp_header(r, "Retry-After", "5");
	return resp_error(r, 503, "Service temporarily unavailable");
}

int
resp_message(struct response *r, int status, const char *msg)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) != NULL &&
	    json_add(o, "message", json_object_new_string(msg)) != 0) {
		json_object_put(o);
		o = NULL;	/* resp_json makes it an error */
	}
	return resp_json(r, status, o);
}

int
resp_header(struct response *r, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	*v;
	int	 rc;

	if (r->nheaders == RESPONSE_HEADERS_MAX)
		return -1;
	va_start(ap, fmt);
	rc = vasprintf(&v, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	/* A value must never be able to start a new header line. */
	if (strpbrk(v, "\r\n") != NULL) {
		free(v);
		return -1;
	}
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = v;
	r->nheaders++;
	return 0;
}

void
resp_free(struct response *r)
{
	size_t	 i;

	resp_body_reset(r);
	for (i = 0; i < r->nheaders; i++)
		free(r->headers[i].value);
	r->nheaders = 0;
}

int
cors_allowed(const char *list, const char *origin)
{
	const char	*p = list;
	size_t		 olen, n;

	if (list == NULL || origin == NULL || *origin == '\0')
		return 0;
	olen = strlen(origin);
	while (*p != '\0') {
		p += strspn(p, " ,\t");
		n = strcspn(p, " ,\t");
		if (n == 1 && *p == '*')
			return 1;
		if (n == olen && strncasecmp(p, origin, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

enum media
media_for_path(const char *path)
{
	if (path == NULL || strcmp(path, "/healthz") == 0 ||
	    strcmp(path, "/api") == 0 || strncmp(path, "/api/", 5) == 0)
		return MEDIA_JSON;
	return MEDIA_HTML;
}

/* s with &, <, >, " and ' as entities, into f. */
static void
html_put(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

/* The page of last resort: no template, no stylesheet, nothing to fail. */
static void
builtin_page(struct response *r)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
	    "\"utf-8\"><title>%d %s</title></head>\n<body><h1>%d %s</h1>\n"
	    "<p>", r->status, resp_reason(r->status), r->status,
	    resp_reason(r->status));
	html_put(f, r->error != NULL ? r->error : resp_reason(r->status));
	fputs("</p>\n</body></html>\n", f);
	if (fclose(f) == 0) {
		free(r->raw);
		r->raw = buf;
		r->rawlen = len;
	} else
		free(buf);
}

void
resp_finish(const struct request *req, struct response *r,
    error_render_fn render)
{
	struct json_object	*o;

	if (r->status < 400 || r->raw != NULL || r->json != NULL)
		return;
	if (r->media == MEDIA_JSON) {
		/* Out of memory: a bare status, as resp_error's. */
		if ((o = json_object_new_object()) != NULL &&
		    json_add(o, "error", json_object_new_string(r->error !=
		    NULL ? r->error : resp_reason(r->status))) != 0) {
			json_object_put(o);
			o = NULL;
		}
		r->json = o;
		return;
	}
	/* A badge or a feed that failed answers with a page too. */
	r->media = MEDIA_HTML;
	if (render == NULL || render(req, r) == -1 || r->raw == NULL)
		builtin_page(r);
}

static bool
has_header(const struct response *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return true;
	return false;
}

char *
resp_head(const struct request *req, const struct response *r,
    const struct conf *cfg, const char **body, size_t *bodylen)
{
	char		*head = NULL;
	size_t		 headlen = 0, i;
	FILE		*f;
	enum media	 m = (unsigned)r->media < MEDIA__MAX ? r->media :
			    MEDIA_JSON;

	*body = NULL;
	*bodylen = 0;
	if (r->raw != NULL) {
		*body = r->raw;
		*bodylen = r->rawlen;
	} else if (r->json != NULL) {
		*body = json_object_to_json_string_ext(r->json,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		*bodylen = *body ? strlen(*body) : 0;
		m = MEDIA_JSON;
	}
	if ((f = open_memstream(&head, &headlen)) == NULL)
		return NULL;
	fprintf(f, "Status: %d %s\r\n", r->status, resp_reason(r->status));
	if (r->status != 204 && r->status != 304)
		fprintf(f, "Content-Type: %s\r\n", media_kinds[m].type);
	fprintf(f, "X-Request-Id: %s\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: no-referrer\r\n%s", req->request_id,
	    media_kinds[m].headers);
	if (!has_header(r, "Cache-Control"))
		fputs("Cache-Control: no-store\r\n", f);
	if (cors_allowed(cfg->http.cors_origins, req->origin))
		fprintf(f, "Access-Control-Allow-Origin: %s\r\nVary: Origin\r\n"
		    "Access-Control-Expose-Headers: X-Request-Id, X-Total-Count, "
		    "Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, "
		    "X-RateLimit-Reset\r\n", req->origin);
	for (i = 0; i < r->nheaders; i++)
		fprintf(f, "%s: %s\r\n", r->headers[i].name, r->headers[i].value);
	if (r->status != 204 && r->status != 304)
		fprintf(f, "Content-Length: %zu\r\n", *bodylen);
	fputs("\r\n", f);
	if (fclose(f) != 0) {
		free(head);
		return NULL;
	}
	if (req->method == HTTP_HEAD || r->status == 204 || r->status == 304) {
		*body = NULL;
		*bodylen = 0;
	}
	return head;
}
