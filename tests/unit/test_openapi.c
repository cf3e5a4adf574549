/*
 * htdocs/openapi.json against the route table: every row of api_routes()
 * is an operation of the document with the row's permission as its
 * x-permission, and the document has no operation the table lacks, so
 * the published API reference cannot drift from what the server routes.
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

/* Whether the table has a row for an OpenAPI method key and path. */
static bool
route_documented_by(const struct route *rows, size_t n, const char *method,
    const char *path)
{
	char	 p[PATH_MAX_LEN], m[16];
	size_t	 i;

	for (i = 0; i < n; i++)
		if (openapi_path(rows[i].pattern, p, sizeof(p)) &&
		    openapi_method(rows[i].method, m, sizeof(m)) &&
		    strcmp(p, path) == 0 && strcmp(m, method) == 0)
			return true;
	return false;
}

static void
test_openapi_version(void)
{
	struct json_object	*doc, *v;

	doc = openapi_load();
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_TRUE(json_object_is_type(doc, json_type_object) &&
	    json_object_object_get_ex(doc, "openapi", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "3.0.3") == 0);
	CU_ASSERT_PTR_NOT_NULL(openapi_paths(doc));
	json_object_put(doc);
}

static void
test_openapi_every_route_documented(void)
{
	struct json_object	*doc, *paths;
	const struct route	*rows;
	size_t			 n, i;
	bool			 all = true;

	rows = api_routes(&n);
	doc = openapi_load();
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	if ((paths = openapi_paths(doc)) == NULL) {
		json_object_put(doc);
		CU_FAIL_FATAL("openapi.json has no paths object");
	}
	CU_ASSERT_TRUE(n > 0);
	for (i = 0; i < n; i++)
		if (openapi_operation(paths, &rows[i]) == NULL) {
			fprintf(stderr, "not in openapi.json: %s %s\n",
			    http_method_name(rows[i].method), rows[i].pattern);
			all = false;
		}
	CU_ASSERT_TRUE(all);
	json_object_put(doc);
}

static void
test_openapi_no_stale_operation(void)
{
	struct json_object	*doc, *paths;
	const struct route	*rows;
	size_t			 n, i;
	bool			 all = true;

	rows = api_routes(&n);
	doc = openapi_load();
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	if ((paths = openapi_paths(doc)) == NULL) {
		json_object_put(doc);
		CU_FAIL_FATAL("openapi.json has no paths object");
	}
	json_object_object_foreach(paths, path, item) {
		if (!json_object_is_type(item, json_type_object)) {
			fprintf(stderr, "openapi.json: %s is not an object\n", path);
			all = false;
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
				fprintf(stderr, "openapi.json has no route: %s %s\n",
				    op_methods[i], path);
				all = false;
			}
		}
	}
	CU_ASSERT_TRUE(all);
	json_object_put(doc);
}

static void
test_openapi_permissions_match(void)
{
	struct json_object	*doc, *paths, *op, *perm;
	const struct route	*rows;
	const char		*want;
	size_t			 n, i;
	bool			 all = true;

	rows = api_routes(&n);
	doc = openapi_load();
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	if ((paths = openapi_paths(doc)) == NULL) {
		json_object_put(doc);
		CU_FAIL_FATAL("openapi.json has no paths object");
	}
	for (i = 0; i < n; i++) {
		if ((op = openapi_operation(paths, &rows[i])) == NULL)
			continue;	/* every_route_documented reports it */
		want = perm_name(rows[i].perm);
		if (want == NULL ||
		    !json_object_object_get_ex(op, "x-permission", &perm) ||
		    !json_object_is_type(perm, json_type_string) ||
		    strcmp(json_object_get_string(perm), want) != 0) {
			fprintf(stderr, "openapi.json: %s %s: x-permission "
			    "should be %s\n", http_method_name(rows[i].method),
			    rows[i].pattern, want ? want : "(none)");
			all = false;
		}
	}
	CU_ASSERT_TRUE(all);
	json_object_put(doc);
}

static const struct unit_test tests[] = {
	{ "version", test_openapi_version },
	{ "every_route_documented", test_openapi_every_route_documented },
	{ "no_stale_operation", test_openapi_no_stale_operation },
	{ "permissions_match", test_openapi_permissions_match },
};

int
suite_openapi(void)
{
	return UNIT_SUITE("openapi", tests);
}
