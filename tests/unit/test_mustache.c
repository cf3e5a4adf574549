/*
 * util/mustache: the Mustache spec's core modules are the conformance
 * suite (read from MUSTACHE_SPEC_DIR, by default the shared copy beside
 * the tree; a missing file fails, never skips), then what the pages
 * rely on beyond the spec: escaping, syntax errors with positions,
 * depth and size limits, and who owns what.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "suites.h"
#include "util/json.h"
#include "util/mustache.h"

#ifndef MUSTACHE_SPEC_DEFAULT
#error "MUSTACHE_SPEC_DEFAULT (the mustache spec's JSON directory) must be defined"
#endif

#define SPEC_FILE_MAX	(1024 * 1024)
#define PARTIALS_MAX	40

/* Compiled partials by name, for the lookup callback. */
struct partials {
	char		*name[PARTIALS_MAX];
	struct mustache	*tpl[PARTIALS_MAX];
	size_t		 n;
};

/* A failure CUnit lists with its message: which spec test, and why. */
static void
fail(const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", msg);
	CU_assertImplementation(CU_FALSE, __LINE__, msg, __FILE__, "",
	    CU_FALSE);
}

static const struct mustache *
partials_lookup(const char *name, void *arg)
{
	struct partials	*p = arg;
	size_t		 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0)
			return p->tpl[i];
	return NULL;
}

static bool
partials_add(struct partials *p, const char *name, const char *src)
{
	char	 err[256];

	if (p->n == PARTIALS_MAX)
		return false;
	if ((p->tpl[p->n] = mustache_compile(src, strlen(src), err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "partial %s: %s\n", name, err);
		return false;
	}
	if ((p->name[p->n] = strdup(name)) == NULL) {
		mustache_free(p->tpl[p->n]);
		return false;
	}
	p->n++;
	return true;
}

static void
partials_free(struct partials *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++) {
		free(p->name[i]);
		mustache_free(p->tpl[i]);
	}
	p->n = 0;
}

/* Render src over data (kept by the caller); NULL on any failure. */
static char *
render_with_data(const char *src, struct json_object *data,
    struct partials *p, char *err, size_t errsz)
{
	struct mustache_partials	 parts = { partials_lookup, p };
	struct mustache			*m;
	char				*out;

	if ((m = mustache_compile(src, strlen(src), err, errsz)) == NULL)
		return NULL;
	out = mustache_render(m, data, p != NULL ? &parts : NULL, NULL, err,
	    errsz);
	mustache_free(m);
	return out;
}

/* The same over the JSON text json (NULL for null). */
static char *
render_with(const char *src, const char *json, struct partials *p,
    char *err, size_t errsz)
{
	struct json_object	*data = NULL;
	char			*out;

	if (json != NULL && (data = json_tokener_parse(json)) == NULL) {
		snprintf(err, errsz, "bad test JSON");
		return NULL;
	}
	out = render_with_data(src, data, p, err, errsz);
	json_object_put(data);
	return out;
}

/* Whether src over json renders exactly want; says why when not. */
static bool
renders(const char *src, const char *json, const char *want)
{
	char	 err[256], *out;
	bool	 ok;

	if ((out = render_with(src, json, NULL, err, sizeof(err))) == NULL) {
		fail("\"%s\": %s", src, err);
		return false;
	}
	if (!(ok = strcmp(out, want) == 0))
		fail("\"%s\": got \"%s\", want \"%s\"", src, out, want);
	free(out);
	return ok;
}

/* Whether compiling src fails with exactly the message want. */
static bool
compile_fails(const char *src, const char *want)
{
	struct mustache	*m;
	char		 err[256] = "";

	if ((m = mustache_compile(src, strlen(src), err,
	    sizeof(err))) != NULL) {
		mustache_free(m);
		fail("\"%s\" compiled", src);
		return false;
	}
	if (want != NULL && strcmp(err, want) != 0) {
		fail("\"%s\": got \"%s\", want \"%s\"", src, err, want);
		return false;
	}
	return true;
}

/*
 * The spec's file, parsed; on any problem a named failure and NULL,
 * so a missing spec directory can never pass unnoticed.
 */
static struct json_object *
spec_load(const char *file)
{
	struct json_object	*doc = NULL, *tests;
	const char		*dir = getenv("MUSTACHE_SPEC_DIR");
	char			 path[4096], *buf;
	FILE			*f;
	size_t			 len;

	if (dir == NULL || *dir == '\0')
		dir = MUSTACHE_SPEC_DEFAULT;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    sizeof(path)) {
		fail("%s/%s: path too long", dir, file);
		return NULL;
	}
	if ((f = fopen(path, "r")) == NULL) {
		fail("%s: %s (MUSTACHE_SPEC_DIR names the directory of the "
		    "Mustache spec's JSON files)", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(SPEC_FILE_MAX)) != NULL) {
		len = fread(buf, 1, SPEC_FILE_MAX, f);
		if (!ferror(f) && len > 0 && len < SPEC_FILE_MAX)
			doc = json_parse_strict(buf, len);
		free(buf);
	}
	fclose(f);
	if (doc == NULL || !json_object_object_get_ex(doc, "tests", &tests) ||
	    !json_object_is_type(tests, json_type_array) ||
	    json_object_array_length(tests) == 0) {
		fail("%s: not a spec file with tests", path);
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

static const char *
spec_string(struct json_object *t, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(t, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Compile the test's partials into p; false names the failure. */
static bool
spec_partials(const char *file, const char *name, struct json_object *t,
    struct partials *p)
{
	struct json_object	*parts;

	if (!json_object_object_get_ex(t, "partials", &parts))
		return true;
	if (!json_object_is_type(parts, json_type_object)) {
		fail("%s: \"%s\": partials is not an object", file, name);
		return false;
	}
	json_object_object_foreach(parts, key, val) {
		if (!json_object_is_type(val, json_type_string) ||
		    !partials_add(p, key, json_object_get_string(val))) {
			fail("%s: \"%s\": partial \"%s\" did not compile",
			    file, name, key);
			return false;
		}
	}
	return true;
}

/* Run one spec test: one assertion, naming the test if it fails. */
static void
spec_case(const char *file, struct json_object *t)
{
	struct mustache_partials	 parts = { partials_lookup, NULL };
	struct partials			 p = { .n = 0 };
	struct json_object		*data = NULL;
	struct mustache			*m = NULL;
	const char			*name, *src, *want;
	char				 err[256], *out = NULL;
	size_t				 len;

	name = spec_string(t, "name");
	src = spec_string(t, "template");
	want = spec_string(t, "expected");
	if (name == NULL || src == NULL || want == NULL) {
		fail("%s: a test without name, template or expected", file);
		return;
	}
	json_object_object_get_ex(t, "data", &data);
	parts.arg = &p;
	if (!spec_partials(file, name, t, &p))
		goto out;
	if ((m = mustache_compile(src, strlen(src), err, sizeof(err))) ==
	    NULL)
		fail("%s: \"%s\": %s", file, name, err);
	else if ((out = mustache_render(m, data, &parts, &len, err,
	    sizeof(err))) == NULL)
		fail("%s: \"%s\": %s", file, name, err);
	else if (len != strlen(want) || memcmp(out, want, len) != 0)
		fail("%s: \"%s\": got \"%s\", want \"%s\"", file, name, out,
		    want);
	else
		CU_PASS("spec test");
out:
	free(out);
	mustache_free(m);
	partials_free(&p);
}

static void
spec_run(const char *file)
{
	struct json_object	*doc, *tests;
	size_t			 i, n;

	if ((doc = spec_load(file)) == NULL)
		return;
	json_object_object_get_ex(doc, "tests", &tests);
	n = json_object_array_length(tests);
	for (i = 0; i < n; i++)
		spec_case(file, json_object_array_get_idx(tests, i));
	json_object_put(doc);
}

static void
test_mustache_spec_comments(void)
{

	spec_run("comments.json");
}

static void
test_mustache_spec_delimiters(void)
{

	spec_run("delimiters.json");
}

static void
test_mustache_spec_interpolation(void)
{

	spec_run("interpolation.json");
}

static void
test_mustache_spec_inverted(void)
{

	spec_run("inverted.json");
}

static void
test_mustache_spec_partials(void)
{

	spec_run("partials.json");
}

static void
test_mustache_spec_sections(void)
{

	spec_run("sections.json");
}

static void
test_mustache_escapes_every_dangerous_char(void)
{

	CU_ASSERT_TRUE(renders("{{v}}", "{\"v\": \"a&b<c>d\\\"e'f\"}",
	    "a&amp;b&lt;c&gt;d&quot;e&#39;f"));
	CU_ASSERT_TRUE(renders("{{#l}}{{.}}{{/l}}", "{\"l\": [\"<\", \"'\"]}",
	    "&lt;&#39;"));
	CU_ASSERT_TRUE(renders("{{a.b}}", "{\"a\": {\"b\": \"&&\"}}",
	    "&amp;&amp;"));
}

static void
test_mustache_escapes_in_attributes(void)
{
	const char	*data = "{\"t\": \"x\\\" onclick=\\\"alert(1)' y\"}";

	CU_ASSERT_TRUE(renders("<a title=\"{{t}}\" data-t='{{t}}'>", data,
	    "<a title=\"x&quot; onclick=&quot;alert(1)&#39; y\" "
	    "data-t='x&quot; onclick=&quot;alert(1)&#39; y'>"));
}

/* No payload can open a tag, end an attribute or start an entity. */
static void
test_mustache_xss_payloads_inert(void)
{
	const char	*data = "{\"p\": ["
	    "\"<script>alert(1)</script>\","
	    "\"\\\"><img src=x onerror=alert(1)>\","
	    "\"'><svg/onload=alert(1)>\","
	    "\"</textarea><script>x()</script>\","
	    "\"&lt;b&gt;\","
	    "\"<!--\", \"]]>\", \"`${x}`\"]}";
	char		 err[256], *out, *s;

	out = render_with("{{#p}}{{.}}{{/p}}", data, NULL, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NULL(strpbrk(out, "<>\"'"));
	for (s = out; (s = strchr(s, '&')) != NULL; s++)
		CU_ASSERT_TRUE(strncmp(s, "&amp;", 5) == 0 ||
		    strncmp(s, "&lt;", 4) == 0 || strncmp(s, "&gt;", 4) == 0 ||
		    strncmp(s, "&quot;", 6) == 0 || strncmp(s, "&#39;", 5) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "&amp;lt;b&amp;gt;"));
	free(out);
}

/* Data is never template: tags inside values come out as text. */
static void
test_mustache_data_not_reinterpreted(void)
{

	CU_ASSERT_TRUE(renders("{{v}}|{{{v}}}", "{\"v\": \"{{s}}{{>p}}\", "
	    "\"s\": \"secret\"}", "{{s}}{{&gt;p}}|{{s}}{{>p}}"));
}

static void
test_mustache_raw_is_explicit(void)
{

	CU_ASSERT_TRUE(renders("{{{v}}}{{& v}}{{v}}", "{\"v\": \"<b>\"}",
	    "<b><b>&lt;b&gt;"));
	CU_ASSERT_TRUE(renders("{{=<% %>=}}<%{v}%><%v%>", "{\"v\": \"<\"}",
	    "<&lt;"));
}

static void
test_mustache_number_and_literal_values(void)
{

	CU_ASSERT_TRUE(renders("{{a}} {{b}} {{c}} {{d}}",
	    "{\"a\": 0, \"b\": -9223372036854775808, "
	    "\"c\": 9223372036854775807, \"d\": 18446744073709551615}",
	    "0 -9223372036854775808 9223372036854775807 "
	    "18446744073709551615"));
	CU_ASSERT_TRUE(renders("{{a}} {{b}} {{c}} {{d}} {{e}}",
	    "{\"a\": 1.21, \"b\": 0.1, \"c\": -2.5, \"d\": 100.0, "
	    "\"e\": 1e21}", "1.21 0.1 -2.5 100 1e+21"));
	CU_ASSERT_TRUE(renders("{{t}} {{f}} [{{n}}{{o}}{{l}}]",
	    "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"a\": 1}, "
	    "\"l\": [1]}", "true false []"));
}

static void
test_mustache_section_truthiness(void)
{

	CU_ASSERT_TRUE(renders("{{#z}}[{{.}}]{{/z}}{{#e}}({{.}}){{/e}}"
	    "{{#o}}o{{/o}}", "{\"z\": 0, \"e\": \"\", \"o\": {}}", "[0]()o"));
	CU_ASSERT_TRUE(renders("{{#f}}f{{/f}}{{#n}}n{{/n}}{{#l}}l{{/l}}"
	    "{{#m}}m{{/m}}", "{\"f\": false, \"n\": null, \"l\": []}", ""));
	/* A key holding null masks the same key further out. */
	CU_ASSERT_TRUE(renders("{{#in}}[{{k}}]{{/in}}",
	    "{\"k\": \"out\", \"in\": {\"k\": null}}", "[]"));
}

static void
test_mustache_error_unclosed_tag(void)
{

	CU_ASSERT_TRUE(compile_fails("ab\n  {{name",
	    "line 2, column 3: unclosed tag"));
	CU_ASSERT_TRUE(compile_fails("{{{raw}}", "line 1, column 1: "
	    "unclosed tag"));
}

static void
test_mustache_error_unclosed_section(void)
{

	CU_ASSERT_TRUE(compile_fails("x\n{{#a}}\n {{^b}}{{/b}}\n",
	    "line 2, column 1: section \"a\" never closed"));
}

static void
test_mustache_error_mismatched_section(void)
{

	CU_ASSERT_TRUE(compile_fails("{{#a}}\n {{#b}}{{/a}}",
	    "line 2, column 8: end of section \"a\" inside section \"b\""));
	CU_ASSERT_TRUE(compile_fails("a\r\nb {{/a}}",
	    "line 2, column 3: end of section \"a\" never opened"));
}

static void
test_mustache_error_bad_delimiters(void)
{
	const char *const bad[] = {
		"{{=<% %>}}", "{{=<%=}}", "{{=a b c=}}", "{{=a= b=}}",
		"{{=}}", "{{= =}}", "{{=<<<<<<<<<<<<<<<<< >>=}}",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_TRUE(compile_fails(bad[i],
		    "line 1, column 1: bad set-delimiter tag"));
	CU_ASSERT_TRUE(compile_fails("x {{=<% %>=}}\n<%#a%>",
	    "line 2, column 1: section \"a\" never closed"));
}

static void
test_mustache_error_bad_names(void)
{
	const char *const bad[] = {
		"{{}}", "{{ }}", "{{a b}}", "{{a..b}}", "{{.a}}", "{{a.}}",
		"{{#}}{{/}}", "{{>}}", "{{&}}", "{{{ }}}",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_TRUE(compile_fails(bad[i], NULL));
	CU_ASSERT_TRUE(compile_fails("\n{{$block}}{{/block}}",
	    "line 2, column 1: template inheritance is not supported"));
	CU_ASSERT_TRUE(compile_fails("{{<parent}}{{/parent}}", NULL));
}

/* err may be short or NULL: truncated, terminated, never overrun. */
static void
test_mustache_error_buffer_bounded(void)
{
	char	 err[9];

	memset(err, 'x', sizeof(err));
	CU_ASSERT_PTR_NULL(mustache_compile("{{a", 3, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "line 1, ");
	CU_ASSERT_PTR_NULL(mustache_compile("{{a", 3, NULL, 0));
	CU_ASSERT_PTR_NULL(mustache_render(NULL, NULL, NULL, NULL, NULL, 0));
}

/* n sections nested: {{#a}}...{{/a}} */
static char *
nested_sections(int n)
{
	char	*s, *p;
	int	 i;

	if ((s = malloc(12 * (size_t)n + 2)) == NULL)
		return NULL;
	p = s;
	for (i = 0; i < n; i++)
		p += sprintf(p, "{{#a}}");
	*p++ = 'x';
	for (i = 0; i < n; i++)
		p += sprintf(p, "{{/a}}");
	*p = '\0';
	return s;
}

static void
test_mustache_section_depth_limit(void)
{
	struct mustache	*m;
	char		*s, err[256];

	s = nested_sections(MUSTACHE_SECTION_DEPTH);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(renders(s, "{\"a\": true}", "x"));
	free(s);
	s = nested_sections(MUSTACHE_SECTION_DEPTH + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	m = mustache_compile(s, strlen(s), err, sizeof(err));
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "nested deeper than"));
	mustache_free(m);
	free(s);
}

static void
test_mustache_recursive_partial_stops(void)
{
	struct partials	 p = { .n = 0 };
	char		 err[256] = "", *out;

	CU_ASSERT_FATAL(partials_add(&p, "self", "x{{>self}}"));
	out = render_with("{{>self}}", NULL, &p, err, sizeof(err));
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_STRING_EQUAL(err, "partials nested deeper than 32 at "
	    "\"self\"");
	free(out);
	partials_free(&p);
}

/* p0 includes p1 ... up to n partials: n deep renders, one more fails. */
static char *
partial_chain(size_t n, char *err, size_t errsz)
{
	struct partials	 p = { .n = 0 };
	char		 name[24], src[48], *out = NULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "p%zu", i);
		snprintf(src, sizeof(src), "%zu{{>p%zu}}", i % 10, i + 1);
		if (!partials_add(&p, name, src))
			goto out;
	}
	out = render_with("{{>p0}}", NULL, &p, err, errsz);
out:
	partials_free(&p);
	return out;
}

static void
test_mustache_partial_depth_limit(void)
{
	char	 err[256], *out;

	out = partial_chain(MUSTACHE_PARTIAL_DEPTH, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(out);
	CU_ASSERT_STRING_EQUAL(out, "01234567890123456789012345678901");
	free(out);
	out = partial_chain(MUSTACHE_PARTIAL_DEPTH + 1, err, sizeof(err));
	CU_ASSERT_PTR_NULL(out);
	free(out);
}

static void
test_mustache_missing_partial_renders_empty(void)
{
	struct partials	 p = { .n = 0 };
	char		 err[256], *out;

	CU_ASSERT_TRUE(renders("[{{>nope}}]\n  {{>nope}}\n", NULL, "[]\n"));
	out = render_with("[{{>nope}}]", NULL, &p, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(out, "[]");
	free(out);
}

/* Indentation goes on the partial's own lines, not into values. */
static void
test_mustache_partial_indent_not_in_values(void)
{
	struct partials	 p = { .n = 0 };
	char		 err[256], *out;

	CU_ASSERT_FATAL(partials_add(&p, "li", "<li>\n{{v}}\n</li>\n"));
	out = render_with("<ul>\n  {{>li}}\n</ul>\n", "{\"v\": \"a\\nb\"}",
	    &p, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(out);
	if (out != NULL)
		CU_ASSERT_STRING_EQUAL(out,
		    "<ul>\n  <li>\n  a\nb\n  </li>\n</ul>\n");
	free(out);
	partials_free(&p);
}

/* 100 000 rows, and a value of a megabyte escaped fourfold. */
static void
test_mustache_large_data(void)
{
	struct mustache		*m;
	struct json_object	*data, *rows, *big;
	char			*s, *out;
	size_t			 i, len, want = 0;

	data = json_object_new_object();
	rows = json_object_new_array();
	s = malloc(1 << 20);
	CU_ASSERT_FATAL(data != NULL && rows != NULL && s != NULL);
	memset(s, '<', 1 << 20);
	big = json_object_new_string_len(s, 1 << 20);
	free(s);
	for (i = 0; i < 100000; i++) {
		json_object_array_add(rows, json_object_new_int64((int64_t)i));
		want += 9 + (size_t)snprintf(NULL, 0, "%zu", i);
	}
	json_object_object_add(data, "rows", rows);
	json_object_object_add(data, "big", big);
	m = mustache_compile("{{#rows}}<li>{{.}}</li>{{/rows}}", 32, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	out = mustache_render(m, data, NULL, &len, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL(out);
	CU_ASSERT_EQUAL(len, want);
	free(out);
	mustache_free(m);
	m = mustache_compile("{{big}}", 7, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	out = mustache_render(m, data, NULL, &len, NULL, 0);
	CU_ASSERT_EQUAL(len, 4u << 20);
	CU_ASSERT_TRUE(out != NULL && strncmp(out, "&lt;&lt;", 8) == 0);
	free(out);
	mustache_free(m);
	json_object_put(data);
}

/*
 * A megabyte of sections, variables and comments on standalone lines
 * compiles and renders; an open tag at its very end is found in one
 * pass.
 */
static void
test_mustache_large_template(void)
{
	const char		*unit = "{{#a}}\n  {{a}}\n{{/a}}\n{{!  c }}\n";
	struct json_object	*data;
	struct mustache		*m;
	char			*s, *out, err[256];
	size_t			 i, n = 1 << 20, len = 0;

	CU_ASSERT_EQUAL_FATAL(strlen(unit), 32);
	CU_ASSERT_FATAL((s = malloc(n)) != NULL);
	for (i = 0; i < n; i += 32)
		memcpy(s + i, unit, 32);
	CU_ASSERT_FATAL((data = json_tokener_parse("{\"a\": \"v\"}")) != NULL);
	m = mustache_compile(s, n, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(m);
	out = mustache_render(m, data, NULL, &len, NULL, 0);
	CU_ASSERT_TRUE(out != NULL && len == n / 32 * 4 &&
	    strncmp(out, "  v\n  v\n", 8) == 0);
	free(out);
	mustache_free(m);
	json_object_put(data);
	memcpy(s + n - 2, "{{", 2);
	CU_ASSERT_PTR_NULL(mustache_compile(s, n, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unclosed tag"));
	free(s);
}

static void
test_mustache_output_limit(void)
{
	struct partials		 p = { .n = 0 };
	char			 err[256] = "", *big, *out;
	size_t			 i;

	/* Each of 2^11 leaves prints 64 KiB: 128 MiB, over the cap. */
	CU_ASSERT_FATAL((big = malloc(65536 + 1)) != NULL);
	memset(big, 'x', 65536);
	big[65536] = '\0';
	CU_ASSERT_FATAL(partials_add(&p, "l11", big));
	free(big);
	for (i = 0; i < 11; i++) {
		char	 name[8], src[32];

		snprintf(name, sizeof(name), "l%zu", i);
		snprintf(src, sizeof(src), "{{>l%zu}}{{>l%zu}}", i + 1, i + 1);
		CU_ASSERT_FATAL(partials_add(&p, name, src));
	}
	out = render_with("{{>l0}}", NULL, &p, err, sizeof(err));
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "output longer than"));
	free(out);
	partials_free(&p);
}

/*
 * Work without output is bounded too: a partial that includes itself
 * twice per level of its data, and lists iterated inside each other
 * around an empty body.
 */
static void
test_mustache_work_limit(void)
{
	struct partials		 p = { .n = 0 };
	struct json_object	*data, *o;
	char			 err[256] = "", *out;
	int			 i;

	CU_ASSERT_FATAL(partials_add(&p, "n", "{{#c}}{{>n}}{{>n}}{{/c}}"));
	CU_ASSERT_FATAL((data = json_object_new_boolean(0)) != NULL);
	for (i = 0; i < 30; i++) {
		CU_ASSERT_FATAL((o = json_object_new_object()) != NULL);
		json_object_object_add(o, "c", data);
		data = o;
	}
	out = render_with_data("{{>n}}", data, &p, err, sizeof(err));
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "rendering steps"));
	free(out);
	json_object_put(data);
	partials_free(&p);

	CU_ASSERT_FATAL((data = json_tokener_parse("{\"l\": []}")) != NULL);
	json_object_object_get_ex(data, "l", &o);
	for (i = 0; i < 300; i++)
		json_object_array_add(o, json_object_new_boolean(1));
	out = render_with_data("{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}", data,
	    NULL, err, sizeof(err));
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "rendering steps"));
	free(out);
	json_object_put(data);
}

/*
 * The template keeps its own copy of the text, rendering leaves data's
 * reference count alone, and each result is a fresh buffer.
 */
static void
test_mustache_ownership(void)
{
	struct json_object	*data;
	struct mustache		*m;
	char			*src, *a, *b;
	size_t			 alen, blen;

	CU_ASSERT_FATAL((src = strdup("<p>{{x}}</p>")) != NULL);
	m = mustache_compile(src, strlen(src), NULL, 0);
	memset(src, '?', strlen(src));
	free(src);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	data = json_tokener_parse("{\"x\": \"&\"}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	a = mustache_render(m, data, NULL, &alen, NULL, 0);
	b = mustache_render(m, data, NULL, &blen, NULL, 0);
	CU_ASSERT_TRUE(a != NULL && b != NULL && a != b);
	CU_ASSERT_TRUE(a != NULL && strcmp(a, "<p>&amp;</p>") == 0 &&
	    alen == strlen(a));
	CU_ASSERT_TRUE(b != NULL && a != NULL && strcmp(a, b) == 0);
	free(a);
	free(b);
	mustache_free(m);
	mustache_free(NULL);
	/* 1: this put dropped the last reference, none was kept. */
	CU_ASSERT_EQUAL(json_object_put(data), 1);
}

/* Empty output is still a buffer; NUL bytes in the text pass through. */
static void
test_mustache_empty_and_nul(void)
{
	struct json_object	*seven;
	struct mustache		*m;
	char			*out;
	size_t			 len = 99;

	CU_ASSERT_FATAL((m = mustache_compile("", 0, NULL, 0)) != NULL);
	out = mustache_render(m, NULL, NULL, &len, NULL, 0);
	CU_ASSERT_TRUE(out != NULL && *out == '\0' && len == 0);
	free(out);
	mustache_free(m);
	CU_ASSERT_FATAL((m = mustache_compile("a\0b{{.}}", 8, NULL, 0)) !=
	    NULL);
	CU_ASSERT_FATAL((seven = json_object_new_int(7)) != NULL);
	out = mustache_render(m, seven, NULL, &len, NULL, 0);
	CU_ASSERT_TRUE(out != NULL && len == 4 && memcmp(out, "a\0b7", 5) ==
	    0);
	free(out);
	mustache_free(m);
	json_object_put(seven);
}

static void
test_mustache_template_size_limit(void)
{
	char	*s, err[256];

	CU_ASSERT_FATAL((s = calloc(1, MUSTACHE_TEMPLATE_MAX + 1)) != NULL);
	CU_ASSERT_PTR_NULL(mustache_compile(s, MUSTACHE_TEMPLATE_MAX + 1,
	    err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "template longer than"));
	free(s);
}

static const struct unit_test tests[] = {
	{ "test_mustache_spec_comments", test_mustache_spec_comments },
	{ "test_mustache_spec_delimiters", test_mustache_spec_delimiters },
	{ "test_mustache_spec_interpolation",
	    test_mustache_spec_interpolation },
	{ "test_mustache_spec_inverted", test_mustache_spec_inverted },
	{ "test_mustache_spec_partials", test_mustache_spec_partials },
	{ "test_mustache_spec_sections", test_mustache_spec_sections },
	{ "test_mustache_escapes_every_dangerous_char",
	    test_mustache_escapes_every_dangerous_char },
	{ "test_mustache_escapes_in_attributes",
	    test_mustache_escapes_in_attributes },
	{ "test_mustache_xss_payloads_inert",
	    test_mustache_xss_payloads_inert },
	{ "test_mustache_data_not_reinterpreted",
	    test_mustache_data_not_reinterpreted },
	{ "test_mustache_raw_is_explicit", test_mustache_raw_is_explicit },
	{ "test_mustache_number_and_literal_values",
	    test_mustache_number_and_literal_values },
	{ "test_mustache_section_truthiness",
	    test_mustache_section_truthiness },
	{ "test_mustache_error_unclosed_tag",
	    test_mustache_error_unclosed_tag },
	{ "test_mustache_error_unclosed_section",
	    test_mustache_error_unclosed_section },
	{ "test_mustache_error_mismatched_section",
	    test_mustache_error_mismatched_section },
	{ "test_mustache_error_bad_delimiters",
	    test_mustache_error_bad_delimiters },
	{ "test_mustache_error_bad_names", test_mustache_error_bad_names },
	{ "test_mustache_error_buffer_bounded",
	    test_mustache_error_buffer_bounded },
	{ "test_mustache_section_depth_limit",
	    test_mustache_section_depth_limit },
	{ "test_mustache_recursive_partial_stops",
	    test_mustache_recursive_partial_stops },
	{ "test_mustache_partial_depth_limit",
	    test_mustache_partial_depth_limit },
	{ "test_mustache_missing_partial_renders_empty",
	    test_mustache_missing_partial_renders_empty },
	{ "test_mustache_partial_indent_not_in_values",
	    test_mustache_partial_indent_not_in_values },
	{ "test_mustache_large_data", test_mustache_large_data },
	{ "test_mustache_large_template", test_mustache_large_template },
	{ "test_mustache_output_limit", test_mustache_output_limit },
	{ "test_mustache_work_limit", test_mustache_work_limit },
	{ "test_mustache_ownership", test_mustache_ownership },
	{ "test_mustache_empty_and_nul", test_mustache_empty_and_nul },
	{ "test_mustache_template_size_limit",
	    test_mustache_template_size_limit },
};

int
suite_mustache(void)
{
	return UNIT_SUITE("mustache", tests);
}
