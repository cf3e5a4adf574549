/*
 * Request helpers that need no I/O: the request as the web server's
 * parameters describe it, method names, percent-decoding, query-string
 * lookup and form bodies.  worker.c reads the parameters and the body
 * from FastCGI; everything made of them is here, where a fuzzer
 * (tests/fuzz/fuzz_request.c) reaches it without a socket.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/utf8.h"

static const char *const methods[HTTP__MAX] = {
	[HTTP_GET] = "GET",
	[HTTP_HEAD] = "HEAD",
	[HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT",
	[HTTP_PATCH] = "PATCH",
	[HTTP_DELETE] = "DELETE",
	[HTTP_OPTIONS] = "OPTIONS",
};

/*
 * FCGX_GetParam's lookup, without libfcgi: the first NAME=value whose
 * name is exactly name.  A value with a control character (but tab) is
 * treated as absent: no header reaches a handler, a log line or an
 * answer with one.
 */
const char *
request_param(char **envp, const char *name)
{
	size_t		 len = strlen(name);
	const char	*v = NULL, *p;

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=') {
			v = *envp + len + 1;
			break;
		}
	if (v == NULL)
		return NULL;
	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return NULL;
	return v;
}

/* A client's X-Request-Id is kept when it is short and plain. */
static void
request_id(const char *v, char out[REQUEST_ID_MAX + 1])
{
	unsigned char	 raw[16];
	size_t		 len;

	if (v != NULL && (len = strlen(v)) > 0 && len <= REQUEST_ID_MAX &&
	    strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_.:") == len) {
		memcpy(out, v, len + 1);
		return;
	}
	if (crypto_random(raw, sizeof(raw)) == -1)
		memset(raw, 0, sizeof(raw));
	crypto_hex(raw, sizeof(raw), out);
}

/* The request path: REQUEST_URI without its query, percent-decoded. */
static char *
request_path(char **envp)
{
	const char	*uri = request_param(envp, "REQUEST_URI");
	size_t		 len;

	if (uri == NULL && (uri = request_param(envp, "DOCUMENT_URI")) == NULL)
		uri = request_param(envp, "SCRIPT_NAME");
	if (uri == NULL)
		return NULL;
	len = strcspn(uri, "?#");
	/* '+' is a space only in query strings (form encoding), not paths. */
	return url_decode(uri, len, false);
}

void
request_from_params(struct request *req, const struct netcheck_nets *trusted,
    char **envp)
{
	const char	*v;

	req->method_name = request_param(envp, "REQUEST_METHOD");
	req->method = http_method_parse(req->method_name);
	if (req->method_name == NULL)
		req->method_name = "?";
	req->query = request_param(envp, "QUERY_STRING");
	if (req->query == NULL)
		req->query = "";
	clientaddr(request_param(envp, "REMOTE_ADDR"),
	    request_param(envp, "HTTP_X_FORWARDED_FOR"), trusted,
	    req->remote_buf);
	req->remote_addr = req->remote_buf;
	/*
	 * https as the browser sees it: ours, or a trusted proxy's word for
	 * it (the client address came from its X-Forwarded-For).
	 */
	req->https = (v = request_param(envp, "HTTPS")) != NULL &&
	    strcmp(v, "on") == 0;
	if (!req->https && (v = request_param(envp, "REMOTE_ADDR")) != NULL &&
	    strcmp(v, req->remote_buf) != 0 &&
	    (v = request_param(envp, "HTTP_X_FORWARDED_PROTO")) != NULL)
		req->https = strcmp(v, "https") == 0;
	req->user_agent = request_param(envp, "HTTP_USER_AGENT");
	req->origin = request_param(envp, "HTTP_ORIGIN");
	req->authorization = request_param(envp, "HTTP_AUTHORIZATION");
	req->api_key = request_param(envp, "HTTP_X_API_KEY");
	req->content_type = request_param(envp, "CONTENT_TYPE");
	req->if_none_match = request_param(envp, "HTTP_IF_NONE_MATCH");
	req->cookie = request_param(envp, "HTTP_COOKIE");
	request_id(request_param(envp, "HTTP_X_REQUEST_ID"), req->request_id);
	req->path = request_path(envp);
}

int
http_method_parse(const char *s)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < HTTP__MAX; i++)
		if (strcmp(s, methods[i]) == 0)
			return i;
	return -1;
}

const char *
http_method_name(enum http_method m)
{
	return (m >= 0 && m < HTTP__MAX) ? methods[m] : "?";
}

char *
url_decode(const char *src, size_t len, bool plus_is_space)
{
	char	*out, *p;
	size_t	 i;
	int	 hi, lo;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (p = out, i = 0; i < len; i++) {
		if (src[i] == '%') {
			if (i + 2 >= len ||
			    (hi = crypto_hexval(src[i + 1])) < 0 ||
			    (lo = crypto_hexval(src[i + 2])) < 0)
				goto bad;
			if ((*p = (char)(hi << 4 | lo)) == '\0')
				goto bad;
			p++;
			i += 2;
		} else if (src[i] == '+' && plus_is_space)
			*p++ = ' ';
		else
			*p++ = src[i];
	}
	*p = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

char *
query_param(const char *query, const char *name, bool *bad)
{
	size_t		 nlen = strlen(name);
	const char	*p = query, *end, *eq;

	*bad = false;
	while (p != NULL && *p != '\0') {
		end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if ((eq != NULL ? (size_t)(eq - p) : (size_t)(end - p)) == nlen &&
		    strncmp(p, name, nlen) == 0) {
			char	*v;

			/* Out of memory too: refused, never taken for absent. */
			if ((v = eq == NULL ? strdup("") : url_decode(eq + 1,
			    (size_t)(end - eq - 1), true)) == NULL)
				*bad = true;
			return v;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* Add name = value to the form; a repeated name becomes an array. */
static int
form_add(struct json_object *form, const char *name, char *value)
{
	struct json_object	*prev, *arr, *v;

	/* json-c's add functions leave the value ours when they fail. */
	if ((v = json_object_new_string(value)) == NULL)
		return -1;
	if (!json_object_object_get_ex(form, name, &prev))
		return json_add(form, name, v);
	if (json_object_is_type(prev, json_type_array))
		return json_push(prev, v);
	if ((arr = json_object_new_array()) == NULL) {
		json_object_put(v);
		return -1;
	}
	if (json_push(arr, json_object_get(prev)) != 0) {
		json_object_put(v);
		json_object_put(arr);
		return -1;
	}
	if (json_push(arr, v) != 0) {
		json_object_put(arr);
		return -1;
	}
	return json_add(form, name, arr);
}

struct json_object *
form_parse(const char *body, size_t len)
{
	struct json_object	*form;
	const char		*p = body, *end = body + len, *amp, *eq;
	char			*name = NULL, *value = NULL;

	if ((form = json_object_new_object()) == NULL)
		return NULL;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {		/* "a=1&&b=2": an empty pair */
			p++;
			continue;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL || eq == p ||
		    (name = url_decode(p, (size_t)(eq - p), true)) == NULL ||
		    (value = url_decode(eq + 1, (size_t)(amp - eq - 1),
		    true)) == NULL || !utf8_valid(name, strlen(name), NULL) ||
		    !utf8_valid(value, strlen(value), NULL) ||
		    form_add(form, name, value) != 0) {
			free(name);
			free(value);
			json_object_put(form);
			return NULL;
		}
		free(name);
		free(value);
		name = value = NULL;
		p = amp + 1;
	}
	return form;
}

char *
cookie_get(const char *header, const char *name)
{
	size_t		 n = strlen(name), k;
	const char	*p = header;

	while (p != NULL && *p != '\0') {
		p += strspn(p, " ;");
		k = strcspn(p, ";");
		if (k > n && strncmp(p, name, n) == 0 && p[n] == '=')
			return strndup(p + n + 1, k - n - 1);
		p += k;
	}
	return NULL;
}

bool
request_may(const struct request *r, enum perm p)
{
	if (p == PERM_PUBLIC)
		return true;
	if (!r->authed || !perms_may(r->who.perms, p))
		return false;
	/* An API key: also what it may do with this method. */
	return r->who.key_id[0] == '\0' || key_request_ok(r->who.key_bits,
	    r->method == HTTP_GET || r->method == HTTP_HEAD, p);
}

bool
query_absent(const char *query, const char *name)
{
	char	*v;
	bool	 bad;

	if ((v = query_param(query, name, &bad)) != NULL || bad) {
		free(v);
		return false;
	}
	return true;
}

void
request_free(struct request *r)
{
	if (r == NULL)
		return;
	free(r->path);
	free(r->body);
	free(r->who.email);
	free(r->who.name);
	r->who.email = r->who.name = NULL;
	if (r->json != NULL)
		json_object_put(r->json);
	if (r->form != NULL)
		json_object_put(r->form);
	r->path = NULL;
	r->body = NULL;
	r->json = NULL;
	r->form = NULL;
}
