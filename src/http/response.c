/*
 * Responses: the JSON error and message forms, extra headers, and the
 * one place that writes the status line and the common headers
 * (request id, nosniff, referrer policy, CORS, CSP for pages).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/request.h"
#include "http/response.h"
#include "util/conf.h"

static const struct {
	int		 code;
	const char	*text;
} reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" },
	{ 409, "Conflict" }, { 413, "Payload Too Large" },
	{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

static const char *
reason(int code)
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
	r->content_type = NULL;
}

int
resp_json(struct response *r, int status, struct json_object *obj)
{
	resp_body_reset(r);
	r->status = status;
	r->json = obj;
	return status;
}

static int
resp_one(struct response *r, int status, const char *key, const char *text)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) != NULL)
		json_object_object_add(o, key, json_object_new_string(text));
	return resp_json(r, status, o);
}

int
resp_error(struct response *r, int status, const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return resp_one(r, status, "error", buf);
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
	return resp_one(r, status, "message", msg);
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

char *
resp_head(const struct request *req, const struct response *r,
    const struct conf *cfg, const char **body, size_t *bodylen)
{
	char		*head = NULL;
	size_t		 headlen = 0, i;
	FILE		*f;
	const char	*ctype;

	*body = NULL;
	*bodylen = 0;
	if (r->raw != NULL) {
		*body = r->raw;
		*bodylen = r->rawlen;
		ctype = r->content_type ? r->content_type : "text/plain; charset=utf-8";
	} else {
		if (r->json != NULL)
			*body = json_object_to_json_string_ext(r->json,
			    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		*bodylen = *body ? strlen(*body) : 0;
		ctype = "application/json";
	}
	if ((f = open_memstream(&head, &headlen)) == NULL)
		return NULL;
	fprintf(f, "Status: %d %s\r\n", r->status, reason(r->status));
	if (r->status != 204)
		fprintf(f, "Content-Type: %s\r\n", ctype);
	fprintf(f, "X-Request-Id: %s\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: no-referrer\r\n", req->request_id);
	if (strncmp(ctype, "text/html", 9) == 0)
		fputs("Content-Security-Policy: default-src 'none'; "
		    "style-src 'self'; img-src 'self'; script-src 'self'; "
		    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n"
		    "X-Frame-Options: DENY\r\n", f);
	else
		fputs("Cache-Control: no-store\r\n", f);
	if (cors_allowed(cfg->http.cors_origins, req->origin))
		fprintf(f, "Access-Control-Allow-Origin: %s\r\nVary: Origin\r\n"
		    "Access-Control-Expose-Headers: X-Request-Id, X-Total-Count, "
		    "Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, "
		    "X-RateLimit-Reset\r\n", req->origin);
	for (i = 0; i < r->nheaders; i++)
		fprintf(f, "%s: %s\r\n", r->headers[i].name, r->headers[i].value);
	if (r->status != 204)
		fprintf(f, "Content-Length: %zu\r\n", *bodylen);
	fputs("\r\n", f);
	if (fclose(f) != 0) {
		free(head);
		return NULL;
	}
	if (req->method == HTTP_HEAD || r->status == 204) {
		*body = NULL;
		*bodylen = 0;
	}
	return head;
}
