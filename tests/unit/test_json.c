/*
 * util/json: strict parsing of request bodies (TRAPS.md, json-c) and
 * compact output.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/json.h"

/* Parse a C string; true if it was accepted. */
static bool
parses(const char *s)
{
	struct json_object	*o;

	if ((o = json_parse_strict(s, strlen(s))) == NULL)
		return false;
	json_object_put(o);
	return true;
}

/* n nested arrays, innermost holding inner (may be ""). */
static char *
nested_arrays(int n, const char *inner)
{
	char	*s;
	size_t	 len = strlen(inner);
	int	 i;

	if ((s = malloc(2 * (size_t)n + len + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		s[i] = '[';
	memcpy(s + n, inner, len);
	for (i = 0; i < n; i++)
		s[n + len + i] = ']';
	s[2 * n + len] = '\0';
	return s;
}

/* n nested objects {"a":...}, innermost value 1. */
static char *
nested_objects(int n)
{
	char	*s, *p;
	int	 i;

	if ((s = malloc(6 * (size_t)n + 2)) == NULL)
		return NULL;
	p = s;
	for (i = 0; i < n; i++) {
		memcpy(p, "{\"a\":", 5);
		p += 5;
	}
	*p++ = '1';
	for (i = 0; i < n; i++)
		*p++ = '}';
	*p = '\0';
	return s;
}

static void
test_json_object_parses(void)
{

	CU_ASSERT_TRUE(parses("{\"a\": 1, \"b\": [true, null, \"x\"]}"));
}

static void
test_json_scalar_at_end_parses(void)
{
	struct json_object	*o;

	o = json_parse_strict("123", 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(json_object_get_int64(o), 123);
	json_object_put(o);
}

static void
test_json_trailing_whitespace_allowed(void)
{

	CU_ASSERT_TRUE(parses("{\"a\": 1} \r\n\t "));
}

static void
test_json_trailing_garbage_refused(void)
{

	CU_ASSERT_FALSE(parses("{\"a\": 1}x"));
}

static void
test_json_trailing_garbage_after_space_refused(void)
{

	CU_ASSERT_FALSE(parses("{\"a\": 1}\n x"));
}

static void
test_json_second_value_refused(void)
{

	CU_ASSERT_FALSE(parses("{\"a\": 1}{\"b\": 2}"));
}

static void
test_json_truncated_refused(void)
{

	CU_ASSERT_FALSE(parses("{\"a\": 1"));
}

static void
test_json_trailing_comma_refused(void)
{

	CU_ASSERT_FALSE(parses("[1, 2,]"));
}

static void
test_json_raw_nul_refused(void)
{

	CU_ASSERT_PTR_NULL(json_parse_strict("{\"a\": 1}\0", 9));
}

static void
test_json_raw_nul_in_string_refused(void)
{

	CU_ASSERT_PTR_NULL(json_parse_strict("{\"a\": \"x\0y\"}", 12));
}

static void
test_json_nul_escape_in_value_refused(void)
{

	CU_ASSERT_FALSE(parses("{\"a\": \"x\\u0000y\"}"));
}

static void
test_json_nul_escape_in_key_refused(void)
{

	CU_ASSERT_FALSE(parses("{\"a\\u0000b\": 1}"));
}

static void
test_json_nul_escape_in_array_refused(void)
{

	CU_ASSERT_FALSE(parses("[\"ok\", [\"\\u0000\"]]"));
}

static void
test_json_escaped_backslash_before_u0000_parses(void)
{

	/* The string is the six characters \u0000, not a NUL. */
	CU_ASSERT_TRUE(parses("{\"a\": \"\\\\u0000\"}"));
}

static void
test_json_single_quotes_refused(void)
{

	CU_ASSERT_FALSE(parses("{'a': 1}"));
}

static void
test_json_single_quote_in_string_parses(void)
{

	CU_ASSERT_TRUE(parses("{\"a\": \"it's\"}"));
}

static void
test_json_nan_refused(void)
{

	CU_ASSERT_FALSE(parses("{\"a\": NaN}"));
}

static void
test_json_infinity_refused(void)
{

	CU_ASSERT_FALSE(parses("[-Infinity]"));
}

static void
test_json_bare_null_refused(void)
{

	CU_ASSERT_FALSE(parses("null"));
}

static void
test_json_empty_is_object(void)
{
	struct json_object	*o;

	o = json_parse_strict("", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(json_object_is_type(o, json_type_object));
	CU_ASSERT_EQUAL(json_object_object_length(o), 0);
	json_object_put(o);
}

static void
test_json_null_buffer_is_object(void)
{
	struct json_object	*o;

	o = json_parse_strict(NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(json_object_is_type(o, json_type_object));
	json_object_put(o);
}

static void
test_json_whitespace_is_object(void)
{
	struct json_object	*o;

	o = json_parse_strict(" \r\n\t", 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(json_object_is_type(o, json_type_object));
	CU_ASSERT_EQUAL(json_object_object_length(o), 0);
	json_object_put(o);
}

static void
test_json_depth_32_arrays_parse(void)
{
	char	*s = nested_arrays(JSON_DEPTH_MAX, "");

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(parses(s));
	free(s);
}

static void
test_json_depth_32_arrays_with_leaf_parse(void)
{
	char	*s = nested_arrays(JSON_DEPTH_MAX, "1");

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(parses(s));
	free(s);
}

static void
test_json_depth_33_arrays_refused(void)
{
	char	*s = nested_arrays(JSON_DEPTH_MAX + 1, "");

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_FALSE(parses(s));
	free(s);
}

static void
test_json_depth_33_arrays_with_leaf_refused(void)
{
	char	*s = nested_arrays(JSON_DEPTH_MAX + 1, "1");

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_FALSE(parses(s));
	free(s);
}

static void
test_json_depth_32_objects_parse(void)
{
	char	*s = nested_objects(JSON_DEPTH_MAX);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_TRUE(parses(s));
	free(s);
}

static void
test_json_depth_33_objects_refused(void)
{
	char	*s = nested_objects(JSON_DEPTH_MAX + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_FALSE(parses(s));
	free(s);
}

static void
test_json_very_deep_refused(void)
{
	char	*s = nested_arrays(100000, "");

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_FALSE(parses(s));
	free(s);
}

static void
test_json_duplicate_keys_last_wins(void)
{
	struct json_object	*o, *v;
	const char		*s = "{\"a\": 1, \"a\": 2}";

	o = json_parse_strict(s, strlen(s));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "a", &v));
	CU_ASSERT_EQUAL(json_object_get_int64(v), 2);
	json_object_put(o);
}

/* CONTRACT 9: a body that is not UTF-8 is not JSON. */
static void
test_json_invalid_utf8_refused(void)
{

	CU_ASSERT_FALSE(parses("{\"a\": \"\xff\xfe\"}"));
	CU_ASSERT_FALSE(parses("{\"\xc3\x28\": 1}"));
	/* An encoded surrogate, which json-c's own check lets through. */
	CU_ASSERT_FALSE(parses("{\"a\": \"\xed\xa0\x80\"}"));
	CU_ASSERT_FALSE(parses("{\"a\": \"\xc0\xaf\"}"));
	CU_ASSERT_TRUE(parses("{\"a\": \"\xc3\xa9\xf0\x9f\x98\x80\"}"));
}

/* CONTRACT 9: 1e309 is valid JSON; the field validator answers. */
static void
test_json_number_out_of_range_parses(void)
{
	struct json_object	*o, *v;
	const char		*s = "{\"rto\": 1e309, \"rpo\": -1E400}";

	o = json_parse_strict(s, strlen(s));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "rto", &v));
	CU_ASSERT_TRUE(json_object_is_type(v, json_type_double));
	json_object_put(o);
	CU_ASSERT_FALSE(parses("{\"a\": Infinity}"));
	CU_ASSERT_FALSE(parses("{\"a\": INFINITY}"));
	CU_ASSERT_FALSE(parses("[NAN]"));
	CU_ASSERT_TRUE(parses("[true, false, null, 1E5, 2e-3]"));
}

static void
test_json_text_is_compact(void)
{
	struct json_object	*o;
	const char		*s = "{ \"a\" : [ 1, 2 ], \"b\" : \"x\" }";
	const char		*t;
	size_t			 len;

	o = json_parse_strict(s, strlen(s));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	t = json_text(o, &len);
	CU_ASSERT_STRING_EQUAL(t, "{\"a\":[1,2],\"b\":\"x\"}");
	CU_ASSERT_EQUAL(len, strlen(t));
	json_object_put(o);
}

static void
test_json_text_keeps_slashes(void)
{
	struct json_object	*o;

	o = json_object_new_string("/api/services");
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(json_text(o, NULL), "\"/api/services\"");
	json_object_put(o);
}

/* A builder's adds say -1 for a NULL value or container. */
static void
test_json_add_refuses_null(void)
{
	struct json_object	*o;

	o = json_object_new_object();
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(json_add(o, "a", NULL), -1);
	CU_ASSERT_EQUAL(json_add(NULL, "a", json_object_new_int(1)), -1);
	CU_ASSERT_EQUAL(json_push(NULL, json_object_new_int(1)), -1);
	CU_ASSERT_EQUAL(json_add_string(o, "s", NULL), 0);
	CU_ASSERT_STRING_EQUAL(json_text(o, NULL), "{\"s\":null}");
	json_object_put(o);
}

/* json_done: the tree whole, or NULL (put) when a step failed. */
static void
test_json_done_whole_or_nothing(void)
{
	struct json_object	*o;

	o = json_object_new_object();
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_EQUAL(json_done(o, 0), o);
	CU_ASSERT_PTR_NULL(json_done(o, -1));
	CU_ASSERT_PTR_NULL(json_done(NULL, 0));
}

static const struct unit_test tests[] = {
	{ "test_json_object_parses", test_json_object_parses },
	{ "test_json_scalar_at_end_parses", test_json_scalar_at_end_parses },
	{ "test_json_trailing_whitespace_allowed",
	    test_json_trailing_whitespace_allowed },
	{ "test_json_trailing_garbage_refused",
	    test_json_trailing_garbage_refused },
	{ "test_json_trailing_garbage_after_space_refused",
	    test_json_trailing_garbage_after_space_refused },
	{ "test_json_second_value_refused", test_json_second_value_refused },
	{ "test_json_truncated_refused", test_json_truncated_refused },
	{ "test_json_trailing_comma_refused",
	    test_json_trailing_comma_refused },
	{ "test_json_raw_nul_refused", test_json_raw_nul_refused },
	{ "test_json_raw_nul_in_string_refused",
	    test_json_raw_nul_in_string_refused },
	{ "test_json_nul_escape_in_value_refused",
	    test_json_nul_escape_in_value_refused },
	{ "test_json_nul_escape_in_key_refused",
	    test_json_nul_escape_in_key_refused },
	{ "test_json_nul_escape_in_array_refused",
	    test_json_nul_escape_in_array_refused },
	{ "test_json_escaped_backslash_before_u0000_parses",
	    test_json_escaped_backslash_before_u0000_parses },
	{ "test_json_single_quotes_refused", test_json_single_quotes_refused },
	{ "test_json_single_quote_in_string_parses",
	    test_json_single_quote_in_string_parses },
	{ "test_json_nan_refused", test_json_nan_refused },
	{ "test_json_infinity_refused", test_json_infinity_refused },
	{ "test_json_bare_null_refused", test_json_bare_null_refused },
	{ "test_json_empty_is_object", test_json_empty_is_object },
	{ "test_json_null_buffer_is_object", test_json_null_buffer_is_object },
	{ "test_json_whitespace_is_object", test_json_whitespace_is_object },
	{ "test_json_depth_32_arrays_parse", test_json_depth_32_arrays_parse },
	{ "test_json_depth_32_arrays_with_leaf_parse",
	    test_json_depth_32_arrays_with_leaf_parse },
	{ "test_json_depth_33_arrays_refused",
	    test_json_depth_33_arrays_refused },
	{ "test_json_depth_33_arrays_with_leaf_refused",
	    test_json_depth_33_arrays_with_leaf_refused },
	{ "test_json_depth_32_objects_parse",
	    test_json_depth_32_objects_parse },
	{ "test_json_depth_33_objects_refused",
	    test_json_depth_33_objects_refused },
	{ "test_json_very_deep_refused", test_json_very_deep_refused },
	{ "test_json_duplicate_keys_last_wins",
	    test_json_duplicate_keys_last_wins },
	{ "test_json_invalid_utf8_refused", test_json_invalid_utf8_refused },
	{ "test_json_number_out_of_range_parses",
	    test_json_number_out_of_range_parses },
	{ "test_json_text_is_compact", test_json_text_is_compact },
	{ "test_json_text_keeps_slashes", test_json_text_keeps_slashes },
	{ "test_json_add_refuses_null", test_json_add_refuses_null },
	{ "test_json_done_whole_or_nothing", test_json_done_whole_or_nothing },
};

int
suite_json(void)
{

	return UNIT_SUITE("json", tests);
}
