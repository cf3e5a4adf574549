/* Route matching: literals, <id> parameters, 404 versus 405 and Allow. */
#include "config.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "http/response.h"
#include "http/route.h"
#include "util/conf.h"
#include "suites.h"

static int
h(struct request *req, struct response *resp)
{
	(void)req;
	(void)resp;
	return 200;
}

static const struct route table[] = {
	{ HTTP_GET, "/api/services", PERM_AUTH, h, 0, NULL, NULL, NULL },
	{ HTTP_POST, "/api/services", PERM_SERVICE_WRITE, h, 0, NULL, NULL,
	    NULL },
	{ HTTP_GET, "/api/services/integrations", PERM_INTEGRATIONS, h, 0, NULL,
	    NULL, NULL },
	{ HTTP_GET, "/api/services/<id>", PERM_AUTH, h, 0, NULL, NULL, NULL },
	{ HTTP_PUT, "/api/services/<id>/status", PERM_SERVICE_WRITE, h, 0, NULL,
	    NULL, NULL },
	{ HTTP_POST, "/api/services/<id>/status", PERM_SERVICE_WRITE, h, 0,
	    NULL, NULL, NULL },
	{ HTTP_DELETE, "/api/x/<id>/y/<id>", PERM_AUTH, h, 0, NULL, NULL,
	    NULL },
	{ HTTP_PUT, "/api/sla/config/<name>", PERM_AUTH, h, 0, NULL, NULL,
	    NULL },
	{ HTTP_GET, "/status/badge/<id>.svg", PERM_PUBLIC, h,
	    TAKES_NONE | ANSWERS_SVG, NULL, NULL, NULL },
	{ HTTP_GET, "/status", PERM_PUBLIC, h, TAKES_NONE | ANSWERS_HTML, NULL,
	    NULL, NULL },
	{ HTTP_POST, "/console/login", PERM_PUBLIC, h,
	    TAKES_FORM | ANSWERS_HTML, NULL, NULL, NULL },
};
#define N (sizeof(table) / sizeof(table[0]))

static void
test_route_literal(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_POST, "/api/services", &m),
	    ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[1]);
	CU_ASSERT_EQUAL(m.nparams, 0);
}

static void
test_route_param(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_PUT,
	    "/api/services/42/status", &m), ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[4]);
	CU_ASSERT_EQUAL(m.nparams, 1);
	CU_ASSERT_EQUAL(m.params[0], 42);
}

static void
test_route_name_param(void)
{
	struct route_match	 m;
	char			 path[80];

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_PUT, "/api/sla/config/high",
	    &m), ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[7]);
	CU_ASSERT_STRING_EQUAL(m.name, "high");
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_PUT,
	    "/api/sla/config/SENIOR_TECH-1", &m), ROUTE_FOUND);
	CU_ASSERT_STRING_EQUAL(m.name, "SENIOR_TECH-1");
	/* Empty, other characters, a further segment, too long: no route. */
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_PUT, "/api/sla/config/", &m),
	    ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_PUT, "/api/sla/config/a.b",
	    &m), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_PUT, "/api/sla/config/a/b",
	    &m), ROUTE_NOT_FOUND);
	snprintf(path, sizeof(path), "/api/sla/config/%0*d", ROUTE_NAME_MAX, 0);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_PUT, path, &m), ROUTE_FOUND);
	snprintf(path, sizeof(path), "/api/sla/config/%0*d", ROUTE_NAME_MAX + 1,
	    0);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_PUT, path, &m),
	    ROUTE_NOT_FOUND);
}

static void
test_route_two_params(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_DELETE, "/api/x/7/y/900", &m),
	    ROUTE_FOUND);
	CU_ASSERT_EQUAL(m.nparams, 2);
	CU_ASSERT_EQUAL(m.params[0], 7);
	CU_ASSERT_EQUAL(m.params[1], 900);
}

static void
test_route_literal_beats_param(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET,
	    "/api/services/integrations", &m), ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[2]);
}

static void
test_route_non_numeric_id_is_404(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/api/services/abc", &m),
	    ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/api/services/12a", &m),
	    ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/api/services/-1", &m),
	    ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/api/services/0", &m),
	    ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET,
	    "/api/services/1234567890123456789", &m), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET,
	    "/api/services/9999999999999999999", &m), ROUTE_NOT_FOUND);
	/* The longest id taken: 18 digits, whatever they are. */
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET,
	    "/api/services/999999999999999999", &m), ROUTE_FOUND);
	CU_ASSERT_EQUAL(m.params[0], 999999999999999999LL);
}

static void
test_route_unknown_path(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/api/nothing", &m),
	    ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/api/services/", &m),
	    ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/api/services/1/", &m),
	    ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "", &m), ROUTE_NOT_FOUND);
}

static void
test_route_bad_method_allow(void)
{
	struct route_match	 m;
	char			 allow[128];

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_DELETE, "/api/services", &m),
	    ROUTE_BAD_METHOD);
	CU_ASSERT_PTR_NULL(m.route);
	route_allow_text(m.allow, allow, sizeof(allow));
	CU_ASSERT_STRING_EQUAL(allow, "GET, HEAD, POST, OPTIONS");
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/api/services/3/status",
	    &m), ROUTE_BAD_METHOD);
	route_allow_text(m.allow, allow, sizeof(allow));
	CU_ASSERT_STRING_EQUAL(allow, "POST, PUT, OPTIONS");
}

static void
test_route_unknown_method(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, -1, "/api/services", &m),
	    ROUTE_BAD_METHOD);
	CU_ASSERT_EQUAL(route_find(table, N, -1, "/nope", &m), ROUTE_NOT_FOUND);
}

static void
test_route_head_uses_get(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_HEAD, "/api/services/5", &m),
	    ROUTE_FOUND);
	CU_ASSERT_PTR_EQUAL(m.route, &table[3]);
}

static void
test_route_allow_text_truncates(void)
{
	char	 small[8];

	route_allow_text(0xff, small, sizeof(small));
	CU_ASSERT(strlen(small) < sizeof(small));
}

static void
test_route_url_decode(void)
{
	char	*s;

	s = url_decode("/a%20b+c", 8, true);
	CU_ASSERT_STRING_EQUAL(s, "/a b c");
	free(s);
	/* In a path '+' is itself. */
	s = url_decode("/a%20b+c", 8, false);
	CU_ASSERT_STRING_EQUAL(s, "/a b+c");
	free(s);
	CU_ASSERT_PTR_NULL(url_decode("/a%2", 4, false));
	CU_ASSERT_PTR_NULL(url_decode("/a%zz", 5, false));
	CU_ASSERT_PTR_NULL(url_decode("/a%00", 5, false));
}

static void
test_route_query_param(void)
{
	bool	 bad;
	char	*v;

	v = query_param("a=1&page=3&per_page=50", "page", &bad);
	CU_ASSERT_STRING_EQUAL(v, "3");
	CU_ASSERT_FALSE(bad);
	free(v);
	CU_ASSERT_PTR_NULL(query_param("a=1&per_page=50", "page", &bad));
	CU_ASSERT_FALSE(bad);
	v = query_param("x=a%20b", "x", &bad);
	CU_ASSERT_STRING_EQUAL(v, "a b");
	free(v);
	CU_ASSERT_PTR_NULL(query_param("x=%zz", "x", &bad));
	CU_ASSERT_TRUE(bad);
	v = query_param("flag", "flag", &bad);
	CU_ASSERT_STRING_EQUAL(v, "");
	free(v);
}

static void
test_route_cors_allowed(void)
{
	CU_ASSERT_TRUE(cors_allowed("*", "http://x.example"));
	CU_ASSERT_TRUE(cors_allowed("https://a.example, https://b.example",
	    "https://b.example"));
	CU_ASSERT_FALSE(cors_allowed("https://a.example", "https://a.example.evil"));
	CU_ASSERT_FALSE(cors_allowed("", "https://a.example"));
	CU_ASSERT_FALSE(cors_allowed("*", NULL));
}


static void
test_route_media(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/status/badge/7.svg",
	    &m), ROUTE_FOUND);
	CU_ASSERT_EQUAL(m.params[0], 7);
	CU_ASSERT_EQUAL(route_media(m.route), MEDIA_SVG);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/status/badge/7.png",
	    &m), ROUTE_NOT_FOUND);
	CU_ASSERT_EQUAL(route_find(table, N, HTTP_GET, "/status", &m),
	    ROUTE_FOUND);
	CU_ASSERT_EQUAL(route_media(m.route), MEDIA_HTML);
	CU_ASSERT_EQUAL(route_media(&table[0]), MEDIA_JSON);
	CU_ASSERT_EQUAL(media_for_path("/api/services"), MEDIA_JSON);
	CU_ASSERT_EQUAL(media_for_path("/api"), MEDIA_JSON);
	CU_ASSERT_EQUAL(media_for_path("/healthz"), MEDIA_JSON);
	CU_ASSERT_EQUAL(media_for_path("/apix"), MEDIA_HTML);
	CU_ASSERT_EQUAL(media_for_path("/status"), MEDIA_HTML);
	CU_ASSERT_EQUAL(media_for_path(NULL), MEDIA_JSON);
}

static const char *
form_string(struct json_object *form, const char *name)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(form, name, &v))
		return NULL;
	return json_object_get_string(v);
}

static void
test_route_form_parse(void)
{
	struct json_object	*f, *v;
	static const char	 body[] = "user=a+b%26c&pw=%C3%A9&empty=&x=1&x=2&&";

	f = form_parse(body, sizeof(body) - 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_STRING_EQUAL(form_string(f, "user"), "a b&c");
	CU_ASSERT_STRING_EQUAL(form_string(f, "pw"), "\xc3\xa9");
	CU_ASSERT_STRING_EQUAL(form_string(f, "empty"), "");
	CU_ASSERT_TRUE(json_object_object_get_ex(f, "x", &v) &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) == 2 &&
	    strcmp(json_object_get_string(json_object_array_get_idx(v, 1)),
	    "2") == 0);
	json_object_put(f);
	f = form_parse("", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(json_object_object_length(f), 0);
	json_object_put(f);
	/* No '=', no name, a bad escape, a NUL, invalid UTF-8. */
	CU_ASSERT_PTR_NULL(form_parse("a", 1));
	CU_ASSERT_PTR_NULL(form_parse("=1", 2));
	CU_ASSERT_PTR_NULL(form_parse("a=%zz", 5));
	CU_ASSERT_PTR_NULL(form_parse("a=%00", 5));
	CU_ASSERT_PTR_NULL(form_parse("a=%ff", 5));
	/* Only the given length counts. */
	f = form_parse("a=1&b=2", 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NULL(form_string(f, "b"));
	json_object_put(f);
}

#define ESCAPED	"Service &lt;b&gt;3&lt;/b&gt; &quot;x&quot;"

/* The head and body written for resp (after resp_finish), for checks. */
static char *
written(struct response *resp, const char **body, size_t *len)
{
	static struct conf	 cfg;
	struct request		 req;

	memset(&req, 0, sizeof(req));
	req.method = HTTP_GET;
	strcpy(req.request_id, "rid");
	cfg.http.cors_origins = "";
	resp_finish(&req, resp, NULL);
	return resp_head(&req, resp, &cfg, body, len);
}

static void
test_route_error_media(void)
{
	struct response	 r;
	const char	*body;
	size_t		 len;
	char		*head;

	memset(&r, 0, sizeof(r));
	resp_error(&r, 404, "Service <b>%d</b> \"x\"", 3);
	head = written(&r, &body, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(head);
	CU_ASSERT_PTR_NOT_NULL(strstr(head, "Content-Type: application/json\r\n"));
	CU_ASSERT_PTR_NULL(strstr(head, "Content-Security-Policy"));
	CU_ASSERT_PTR_NOT_NULL(strstr(head, "Cache-Control: no-store\r\n"));
	CU_ASSERT_NSTRING_EQUAL(body, "{\"error\":\"Service <b>3</b> "
	    "\\\"x\\\"\"}", len);
	free(head);
	resp_free(&r);

	/* The same error on a page: an HTML page, escaped, with the CSP. */
	memset(&r, 0, sizeof(r));
	r.media = MEDIA_HTML;
	resp_error(&r, 404, "Service <b>%d</b> \"x\"", 3);
	head = written(&r, &body, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(head);
	CU_ASSERT_PTR_NOT_NULL(strstr(head, "Status: 404 Not Found\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(head,
	    "Content-Type: text/html; charset=utf-8\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(head, "Content-Security-Policy: "
	    "default-src 'none';"));
	CU_ASSERT_PTR_NOT_NULL(strstr(head, "X-Frame-Options: DENY\r\n"));
	CU_ASSERT_PTR_NOT_NULL(memmem(body, len, ESCAPED, strlen(ESCAPED)));
	CU_ASSERT_PTR_NULL(memmem(body, len, "<b>", 3));
	free(head);
	resp_free(&r);

	/* A badge's error is a page too; a handler's Cache-Control stands. */
	memset(&r, 0, sizeof(r));
	r.media = MEDIA_SVG;
	resp_header(&r, "Cache-Control", "max-age=30");
	resp_error(&r, 404, "Not found");
	head = written(&r, &body, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(head);
	CU_ASSERT_PTR_NOT_NULL(strstr(head, "text/html"));
	CU_ASSERT_PTR_NOT_NULL(strstr(head, "Cache-Control: max-age=30\r\n"));
	CU_ASSERT_PTR_NULL(strstr(head, "no-store"));
	free(head);
	resp_free(&r);
}

/* The request from the web server's parameters, as worker.c builds it. */
static void
test_route_from_params(void)
{
	char		*env[] = {
		"REQUEST_METHOD=PUT", "QUERY_STRING=a=1&b=%20",
		"REQUEST_URI=/api/services/7%2F?x=y", "REMOTE_ADDR=192.0.2.9",
		"HTTP_USER_AGENT=agent/1", "HTTP_X_API_KEY=rk_bell\007",
		"HTTP_X_REQUEST_ID=abc-123", "HTTP_COOKIE=c=d",
		"HTTP_X_FORWARDED_PROTO=https", "HTTPSX=on", NULL,
	};
	char		*bare[] = { "QUERY_STRINGX=1", "REQUEST_METHOD=BREW", NULL };
	struct netcheck_nets	 none;
	struct request	 req;

	memset(&none, 0, sizeof(none));
	memset(&req, 0, sizeof(req));
	request_from_params(&req, &none, env);
	CU_ASSERT_EQUAL(req.method, HTTP_PUT);
	CU_ASSERT_STRING_EQUAL(req.query, "a=1&b=%20");
	CU_ASSERT_PTR_NOT_NULL_FATAL(req.path);
	CU_ASSERT_STRING_EQUAL(req.path, "/api/services/7/");
	CU_ASSERT_STRING_EQUAL(req.remote_addr, "192.0.2.9");
	CU_ASSERT_STRING_EQUAL(req.user_agent, "agent/1");
	/* A control character makes a header absent, never passed on. */
	CU_ASSERT_PTR_NULL(req.api_key);
	CU_ASSERT_STRING_EQUAL(req.request_id, "abc-123");
	CU_ASSERT_STRING_EQUAL(req.cookie, "c=d");
	/* No trusted proxy said so, and HTTPSX is not HTTPS. */
	CU_ASSERT_FALSE(req.https);
	request_free(&req);

	memset(&req, 0, sizeof(req));
	request_from_params(&req, &none, bare);
	CU_ASSERT_EQUAL(req.method, -1);
	CU_ASSERT_STRING_EQUAL(req.method_name, "BREW");
	CU_ASSERT_STRING_EQUAL(req.query, "");
	CU_ASSERT_PTR_NULL(req.path);
	/* No client id: 32 hex digits of our own. */
	CU_ASSERT_EQUAL(strlen(req.request_id), 32);
	CU_ASSERT_EQUAL(strspn(req.request_id, "0123456789abcdef"), 32);
	request_free(&req);
}

static const struct unit_test tests[] = {
	{ "name_param", test_route_name_param },
	{ "literal", test_route_literal },
	{ "param", test_route_param },
	{ "two_params", test_route_two_params },
	{ "literal_beats_param", test_route_literal_beats_param },
	{ "non_numeric_id_is_404", test_route_non_numeric_id_is_404 },
	{ "unknown_path", test_route_unknown_path },
	{ "bad_method_allow", test_route_bad_method_allow },
	{ "unknown_method", test_route_unknown_method },
	{ "head_uses_get", test_route_head_uses_get },
	{ "allow_text_truncates", test_route_allow_text_truncates },
	{ "url_decode", test_route_url_decode },
	{ "query_param", test_route_query_param },
	{ "cors_allowed", test_route_cors_allowed },
	{ "media", test_route_media },
	{ "form_parse", test_route_form_parse },
	{ "error_media", test_route_error_media },
	{ "from_params", test_route_from_params },
};

int
suite_route(void)
{
	return UNIT_SUITE("route", tests);
}
