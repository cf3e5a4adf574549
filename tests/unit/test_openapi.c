/*
 * htdocs/openapi.json (OpenAPI 3.1) against the route table, both ways:
 * every JSON API row of api_routes() is an operation of the document
 * with the row's permission as its x-permission, and the document has
 * no operation that no JSON API row routes, so the published API
 * reference cannot drift from what the server routes.
 *
 * "JSON API row" means route_media(row) == MEDIA_JSON.  The table also
 * holds the pages (/status, /console, the feed and the badges: rows
 * with ANSWERS_HTML, ANSWERS_ATOM or ANSWERS_SVG); they are not part of
 * the JSON API, so both checks ignore them: a page row needs no
 * operation, and an operation that only a page row matches is stale.
 * The document's validity as OpenAPI 3.1 is tests/openapi-validate.mjs's
 * (make check runs both).
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "api/api.h"
#include "core/perm.h"
#include "http/request.h"
#include "http/route.h"
#include "suites.h"
#include "util/json.h"

#ifndef OPENAPI_JSON
#error "OPENAPI_JSON (the path of htdocs/openapi.json) must be defined"
#endif

#define OPENAPI_FILE_MAX	(4 * 1024 * 1024)
#define PATH_MAX_LEN		256
#define OPENAPI_VERSION		"3.1.0"
#define OPENAPI_DIALECT		"https://spec.openapis.org/oas/3.1/dialect/base"

/* The operation keys of an OpenAPI path item. */
static const char *const op_methods[] = {
	"get", "put", "post", "delete", "options", "head", "patch", "trace",
};

/*
 * Read and parse the document as strictly as a request body (one JSON
 * value, nothing after it).  NULL if unreadable or invalid.
 */
static struct json_object *
openapi_load(void)
{
	struct json_object	*doc = NULL;
	FILE			*f;
	char			*buf;
	size_t			 len;

	if ((f = fopen(OPENAPI_JSON, "r")) == NULL) {
		perror(OPENAPI_JSON);
		return NULL;
	}
	if ((buf = malloc(OPENAPI_FILE_MAX)) != NULL) {
		len = fread(buf, 1, OPENAPI_FILE_MAX, f);
		if (!ferror(f) && len > 0 && len < OPENAPI_FILE_MAX)
			doc = json_parse_strict(buf, len);
		free(buf);
	}
	fclose(f);
	return doc;
}

/* The document's "paths" object, or NULL. */
static struct json_object *
openapi_paths(struct json_object *doc)
{
	struct json_object	*paths;

	if (doc == NULL ||
	    !json_object_object_get_ex(doc, "paths", &paths) ||
	    !json_object_is_type(paths, json_type_object))
		return NULL;
	return paths;
}

/* A route pattern as an OpenAPI path: "<id>" becomes "{id}". */
static bool
openapi_path(const char *pattern, char *buf, size_t bufsz)
{
	size_t	 i = 0;

	for (; *pattern != '\0'; pattern++) {
		if (i + 1 >= bufsz)
			return false;
		if (*pattern == '<')
			buf[i++] = '{';
		else if (*pattern == '>')
			buf[i++] = '}';
		else
			buf[i++] = *pattern;
	}
	buf[i] = '\0';
	return true;
}

/* "get" for HTTP_GET: the operation key of a method. */
static bool
openapi_method(enum http_method m, char *buf, size_t bufsz)
{
	const char	*name = http_method_name(m);
	size_t		 i;

	if (strlen(name) >= bufsz)
		return false;
	for (i = 0; name[i] != '\0'; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[i] = '\0';
	return true;
}

/* The operation object for a route row, or NULL if it is not documented. */
static struct json_object *
openapi_operation(struct json_object *paths, const struct route *r)
{
	struct json_object	*item, *op;
	char			 path[PATH_MAX_LEN], method[16];

	if (!openapi_path(r->pattern, path, sizeof(path)) ||
	    !openapi_method(r->method, method, sizeof(method)))
		return NULL;
	if (!json_object_object_get_ex(paths, path, &item) ||
	    !json_object_is_type(item, json_type_object) ||
	    !json_object_object_get_ex(item, method, &op) ||
	    !json_object_is_type(op, json_type_object))
		return NULL;
	return op;
}

/* A row of the JSON API, which the document describes (not a page). */
static bool
route_is_json_api(const struct route *r)
{
	return route_media(r) == MEDIA_JSON;
}

/* Whether the table has a JSON API row for an OpenAPI method key and path. */
static bool
route_documented_by(const struct route *rows, size_t n, const char *method,
    const char *path)
{
	char	 p[PATH_MAX_LEN], m[16];
	size_t	 i;

	for (i = 0; i < n; i++)
		if (route_is_json_api(&rows[i]) &&
		    openapi_path(rows[i].pattern, p, sizeof(p)) &&
		    openapi_method(rows[i].method, m, sizeof(m)) &&
		    strcmp(p, path) == 0 && strcmp(m, method) == 0)
			return true;
	return false;
}

/*
 * The JSON API rows that the document lacks (reported on stderr when
 * report is set); page rows are skipped.
 */
static size_t
undocumented_rows(const struct route *rows, size_t n,
    struct json_object *paths, bool report)
{
	size_t	 i, missing = 0;

	for (i = 0; i < n; i++) {
		if (!route_is_json_api(&rows[i]) ||
		    openapi_operation(paths, &rows[i]) != NULL)
			continue;
		if (report)
			fprintf(stderr, "not in openapi.json: %s %s\n",
			    http_method_name(rows[i].method), rows[i].pattern);
		missing++;
	}
	return missing;
}

/*
 * The document's operations that no JSON API row routes (reported on
 * stderr when report is set).  A path item that is not an object counts.
 */
static size_t
stale_operations(const struct route *rows, size_t n,
    struct json_object *paths, bool report)
{
	size_t	 i, stale = 0;

	json_object_object_foreach(paths, path, item) {
		if (!json_object_is_type(item, json_type_object)) {
			if (report)
				fprintf(stderr, "openapi.json: %s is not an "
				    "object\n", path);
			stale++;
			continue;
		}
		/* Other keys of a path item (parameters, summary) are not operations. */
		for (i = 0; i < sizeof(op_methods) / sizeof(op_methods[0]); i++) {
			if (!json_object_object_get_ex(item, op_methods[i], NULL))
				continue;
			/* HEAD follows GET and OPTIONS is the preflight: no rows. */
			if (strcmp(op_methods[i], "head") == 0 ||
			    strcmp(op_methods[i], "options") == 0)
				continue;
			if (!route_documented_by(rows, n, op_methods[i], path)) {
				if (report)
					fprintf(stderr, "openapi.json has no "
					    "route: %s %s\n", op_methods[i], path);
				stale++;
			}
		}
	}
	return stale;
}

/*
 * The JSON API rows whose operation's x-permission is not the row's
 * permission.  Undocumented rows are undocumented_rows()'s.
 */
static size_t
permission_mismatches(const struct route *rows, size_t n,
    struct json_object *paths, bool report)
{
	struct json_object	*op, *perm;
	const char		*want;
	size_t			 i, bad = 0;

	for (i = 0; i < n; i++) {
		if (!route_is_json_api(&rows[i]) ||
		    (op = openapi_operation(paths, &rows[i])) == NULL)
			continue;
		want = perm_name(rows[i].perm);
		if (want != NULL &&
		    json_object_object_get_ex(op, "x-permission", &perm) &&
		    json_object_is_type(perm, json_type_string) &&
		    strcmp(json_object_get_string(perm), want) == 0)
			continue;
		if (report)
			fprintf(stderr, "openapi.json: %s %s: x-permission "
			    "should be %s\n", http_method_name(rows[i].method),
			    rows[i].pattern, want ? want : "(none)");
		bad++;
	}
	return bad;
}

/* A string member of the document's top level, or NULL. */
static const char *
openapi_top_string(struct json_object *doc, const char *key)
{
	struct json_object	*v;

	if (!json_object_is_type(doc, json_type_object) ||
	    !json_object_object_get_ex(doc, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void
test_openapi_version(void)
{
	struct json_object	*doc;
	const char		*v;

	doc = openapi_load();
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	v = openapi_top_string(doc, "openapi");
	CU_ASSERT_PTR_NOT_NULL(v);
	CU_ASSERT_STRING_EQUAL(v ? v : "", OPENAPI_VERSION);
	CU_ASSERT_PTR_NOT_NULL(openapi_paths(doc));
	json_object_put(doc);
}

/* Schemas are JSON Schema 2020-12 in the OAS 3.1 base dialect. */
static void
test_openapi_dialect(void)
{
	struct json_object	*doc;
	const char		*v;

	doc = openapi_load();
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	v = openapi_top_string(doc, "jsonSchemaDialect");
	CU_ASSERT_STRING_EQUAL(v ? v : "", OPENAPI_DIALECT);
	json_object_put(doc);
}

/* Loads the document and its paths or fails the test. */
#define LOAD_PATHS(doc, paths) do {					\
	(doc) = openapi_load();						\
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);				\
	if (((paths) = openapi_paths(doc)) == NULL) {			\
		json_object_put(doc);					\
		CU_FAIL_FATAL("openapi.json has no paths object");	\
	}								\
} while (0)

static void
test_openapi_every_route_documented(void)
{
	struct json_object	*doc, *paths;
	const struct route	*rows;
	size_t			 n, i, json_rows = 0;

	rows = api_routes(&n);
	LOAD_PATHS(doc, paths);
	for (i = 0; i < n; i++)
		if (route_is_json_api(&rows[i]))
			json_rows++;
	CU_ASSERT_TRUE(json_rows > 0);
	CU_ASSERT_EQUAL(undocumented_rows(rows, n, paths, true), 0);
	json_object_put(doc);
}

static void
test_openapi_no_stale_operation(void)
{
	struct json_object	*doc, *paths;
	const struct route	*rows;
	size_t			 n;

	rows = api_routes(&n);
	LOAD_PATHS(doc, paths);
	CU_ASSERT_EQUAL(stale_operations(rows, n, paths, true), 0);
	json_object_put(doc);
}

static void
test_openapi_permissions_match(void)
{
	struct json_object	*doc, *paths;
	const struct route	*rows;
	size_t			 n;

	rows = api_routes(&n);
	LOAD_PATHS(doc, paths);
	CU_ASSERT_EQUAL(permission_mismatches(rows, n, paths, true), 0);
	json_object_put(doc);
}

/* Page rows of the kinds the pages issue adds (no handlers: never run). */
static const struct route page_rows[] = {
	{ HTTP_GET, "/status", PERM_PUBLIC, NULL, TAKES_NONE | ANSWERS_HTML,
	    NULL, NULL, NULL },
	{ HTTP_GET, "/status/<id>", PERM_PUBLIC, NULL,
	    TAKES_NONE | ANSWERS_HTML, NULL, NULL, NULL },
	{ HTTP_GET, "/status/feed.atom", PERM_PUBLIC, NULL,
	    TAKES_NONE | ANSWERS_ATOM, NULL, NULL, NULL },
	{ HTTP_GET, "/status/badge/<id>.svg", PERM_PUBLIC, NULL,
	    TAKES_NONE | ANSWERS_SVG, NULL, NULL, NULL },
	{ HTTP_POST, "/console/services/<id>", PERM_SERVICE_WRITE, NULL,
	    TAKES_FORM | ANSWERS_HTML, NULL, NULL, NULL },
};

/* api_routes() with page_rows appended, to free; NULL on no memory. */
static struct route *
table_with_pages(size_t *n)
{
	const struct route	*rows;
	struct route		*t;
	size_t			 nrows, npages;

	rows = api_routes(&nrows);
	npages = sizeof(page_rows) / sizeof(page_rows[0]);
	if ((t = calloc(nrows + npages, sizeof(*t))) == NULL)
		return NULL;
	memcpy(t, rows, nrows * sizeof(*t));
	memcpy(t + nrows, page_rows, sizeof(page_rows));
	*n = nrows + npages;
	return t;
}

/* Page rows need no operation and match none: the checks ignore them. */
static void
test_openapi_page_rows_ignored(void)
{
	struct json_object	*doc, *paths;
	struct route		*t;
	size_t			 n;

	LOAD_PATHS(doc, paths);
	t = table_with_pages(&n);
	CU_ASSERT_PTR_NOT_NULL(t);
	if (t != NULL) {
		CU_ASSERT_EQUAL(undocumented_rows(t, n, paths, false), 0);
		CU_ASSERT_EQUAL(stale_operations(t, n, paths, false), 0);
		CU_ASSERT_EQUAL(permission_mismatches(t, n, paths, false), 0);
	}
	free(t);
	json_object_put(doc);
}

/* An operation that only a page row matches is stale all the same. */
static void
test_openapi_page_operation_stale(void)
{
	struct json_object	*doc, *paths, *item;
	struct route		*t;
	size_t			 n;

	LOAD_PATHS(doc, paths);
	item = json_object_new_object();
	json_object_object_add(item, "get", json_object_new_object());
	json_object_object_add(paths, "/status/{id}", item);
	t = table_with_pages(&n);
	CU_ASSERT_PTR_NOT_NULL(t);
	if (t != NULL)
		CU_ASSERT_EQUAL(stale_operations(t, n, paths, false), 1);
	free(t);
	json_object_put(doc);
}

/* The checks can fail: a JSON row the document lacks, a wrong permission. */
static void
test_openapi_checks_catch_drift(void)
{
	static const struct route extra[] = {
		{ HTTP_GET, "/api/not-documented/<id>", PERM_AUTH, NULL,
		    TAKES_NONE, NULL, NULL, NULL },
	};
	struct json_object	*doc, *paths, *item, *op;
	const struct route	*rows;
	struct route		*t;
	size_t			 n;

	LOAD_PATHS(doc, paths);
	rows = api_routes(&n);
	CU_ASSERT_FATAL(n > 0);
	if ((t = calloc(n + 1, sizeof(*t))) == NULL) {
		json_object_put(doc);
		CU_FAIL_FATAL("out of memory");
	}
	memcpy(t, rows, n * sizeof(*t));
	t[n] = extra[0];
	CU_ASSERT_EQUAL(undocumented_rows(t, n + 1, paths, false), 1);

	/* The first row's operation with another permission. */
	CU_ASSERT_PTR_NOT_NULL(op = openapi_operation(paths, &rows[0]));
	if (op != NULL) {
		json_object_object_add(op, "x-permission",
		    json_object_new_string("no_such_permission"));
		CU_ASSERT_EQUAL(permission_mismatches(rows, n, paths, false), 1);
	}

	/* An operation no row routes. */
	item = json_object_new_object();
	json_object_object_add(item, "delete", json_object_new_object());
	json_object_object_add(paths, "/api/not-routed", item);
	CU_ASSERT_EQUAL(stale_operations(rows, n, paths, false), 1);
	free(t);
	json_object_put(doc);
}

static const struct unit_test tests[] = {
	{ "version", test_openapi_version },
	{ "dialect", test_openapi_dialect },
	{ "every_route_documented", test_openapi_every_route_documented },
	{ "no_stale_operation", test_openapi_no_stale_operation },
	{ "permissions_match", test_openapi_permissions_match },
	{ "page_rows_ignored", test_openapi_page_rows_ignored },
	{ "page_operation_stale", test_openapi_page_operation_stale },
	{ "checks_catch_drift", test_openapi_checks_catch_drift },
};

int
suite_openapi(void)
{
	return UNIT_SUITE("openapi", tests);
}
