/*
 * util/jsonw: the JSON writer.  Its text must be json-c's for the same
 * tree (util/json's json_text), byte for byte, so the answers written
 * with it look to clients as they always did; and every misuse or
 * failure must end in a NULL text, never in half a document.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "api/api.h"
#include "suites.h"
#include "util/json.h"
#include "util/jsonw.h"

/* The writer's text; NULL when it failed.  The caller frees it. */
static char *
finish(struct jsonw *w)
{
	size_t	 len;
	char	*text;

	if ((text = jsonw_finish(w, &len)) != NULL)
		CU_ASSERT_EQUAL(len, strlen(text));
	return text;
}

/* Whether the writer's text is exactly want. */
static bool
wrote(struct jsonw *w, const char *want)
{
	char	*text;
	bool	 same;

	if ((text = finish(w)) == NULL)
		return false;
	same = strcmp(text, want) == 0;
	free(text);
	return same;
}

/* Whether the writer's text is json-c's for obj (which it puts). */
static bool
wrote_as_json_c(struct jsonw *w, struct json_object *obj)
{
	bool	 same;

	same = wrote(w, json_text(obj, NULL));
	json_object_put(obj);
	return same;
}

/* Every byte but NUL, alone and between letters, as a value and a key. */
static void
test_jsonw_every_byte_as_json_c(void)
{
	struct json_object	*o;
	struct jsonw		 w;
	char			 s[4];
	int			 c;

	for (c = 1; c < 256; c++) {
		s[0] = 'a', s[1] = (char)c, s[2] = 'b', s[3] = '\0';
		o = json_object_new_object();
		json_object_object_add(o, s, json_object_new_string(s + 1));
		jsonw_init(&w, 0);
		jsonw_object(&w);
		jsonw_key_string(&w, s, s + 1);
		jsonw_object_end(&w);
		if (!wrote_as_json_c(&w, o))
			CU_FAIL("a byte is not written as json-c writes it");
	}
}

static void
test_jsonw_control_chars_escaped(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_string(&w, "\x01\x0b\x1f\b\t\n\f\r\"\\\x7f");
	CU_ASSERT_TRUE(wrote(&w,
	    "\"\\u0001\\u000b\\u001f\\b\\t\\n\\f\\r\\\"\\\\\x7f\""));
}

static void
test_jsonw_slash_and_utf8_as_they_are(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_string(&w, "</a> caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\xa8");
	CU_ASSERT_TRUE(wrote(&w,
	    "\"</a> caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\xa8\""));
}

static void
test_jsonw_null_string_is_null(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_array(&w);
	jsonw_string(&w, NULL);
	jsonw_string(&w, "");
	jsonw_array_end(&w);
	CU_ASSERT_TRUE(wrote(&w, "[null,\"\"]"));
}

static void
test_jsonw_nesting_and_commas(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_object(&w);
	jsonw_key(&w, "a");
	jsonw_array(&w);
	jsonw_int(&w, 1);
	jsonw_bool(&w, true);
	jsonw_object(&w);
	jsonw_key(&w, "b");
	jsonw_null(&w);
	jsonw_key_bool(&w, "c", false);
	jsonw_object_end(&w);
	jsonw_array(&w);
	jsonw_array_end(&w);
	jsonw_array_end(&w);
	jsonw_key(&w, "d");
	jsonw_object(&w);
	jsonw_object_end(&w);
	jsonw_key_int(&w, "e", -7);
	jsonw_object_end(&w);
	CU_ASSERT_TRUE(wrote(&w,
	    "{\"a\":[1,true,{\"b\":null,\"c\":false},[]],\"d\":{},\"e\":-7}"));
}

/* An id is its number, or null for 0 (json_id's none). */
static void
test_jsonw_key_id(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_object(&w);
	jsonw_key_id(&w, "a", 42);
	jsonw_key_id(&w, "b", 0);
	jsonw_key_id(&w, "c", -1);
	jsonw_object_end(&w);
	CU_ASSERT_TRUE(wrote(&w, "{\"a\":42,\"b\":null,\"c\":-1}"));
}

static void
test_jsonw_scalar_alone(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_int(&w, 5);
	CU_ASSERT_TRUE(wrote(&w, "5"));
}

/*
 * Whether one array of v[0..n) made with json-c (make) and one written
 * (put) are the same text.
 */
static bool
array_as_json_c(const long long *v, size_t n,
    struct json_object *(*make)(long long),
    void (*put)(struct jsonw *, long long))
{
	struct json_object	*a;
	struct jsonw		 w;
	size_t			 i;

	a = json_object_new_array();
	jsonw_init(&w, 0);
	jsonw_array(&w);
	for (i = 0; i < n; i++) {
		json_object_array_add(a, make(v[i]));
		put(&w, v[i]);
	}
	jsonw_array_end(&w);
	return wrote_as_json_c(&w, a);
}

static struct json_object *
make_int(long long v)
{
	return json_object_new_int64(v);
}

static void
test_jsonw_int64_extremes_as_json_c(void)
{
	static const long long	 v[] = { LLONG_MIN, LLONG_MIN + 1, -10, -1, 0,
	    9, 10, 1000000007, LLONG_MAX - 1, LLONG_MAX };

	CU_ASSERT_TRUE(array_as_json_c(v, sizeof(v) / sizeof(v[0]), make_int,
	    jsonw_int));
}

static struct json_object *
make_time(long long t)
{
	return json_time((time_t)t);
}

static void
put_time(struct jsonw *w, long long t)
{
	jsonw_time(w, (time_t)t);
}

/* json_time's text, null for 0; out of range instants clamped alike. */
static void
test_jsonw_time_as_json_time(void)
{
	static const long long	 t[] = { 0, 1, 1733356800, -5, 253402300799,
	    LLONG_MAX };

	CU_ASSERT_TRUE(array_as_json_c(t, sizeof(t) / sizeof(t[0]), make_time,
	    put_time));
}

/* As json-c writes a double made from "%.2f" text; null for NaN, inf. */
static void
test_jsonw_decimal_as_json_c(void)
{
	static const double	 v[] = { 0, 100, 99.994, 99.995, -0.5,
	    12345.678 };
	struct json_object	*a;
	struct jsonw		 w;
	char			 text[64];
	size_t			 i;

	jsonw_init(&w, 0);
	a = json_object_new_array();
	jsonw_array(&w);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(text, sizeof(text), "%.2f", v[i]);
		json_object_array_add(a, json_object_new_double_s(v[i], text));
		jsonw_decimal(&w, v[i], 2);
	}
	jsonw_array_end(&w);
	CU_ASSERT_TRUE(wrote_as_json_c(&w, a));
	jsonw_init(&w, 0);
	jsonw_array(&w);
	jsonw_decimal(&w, NAN, 2);
	jsonw_decimal(&w, INFINITY, 2);
	jsonw_decimal(&w, -INFINITY, 0);
	jsonw_decimal(&w, 1.5, 10);
	jsonw_decimal(&w, 1.5, 0);
	jsonw_array_end(&w);
	CU_ASSERT_TRUE(wrote(&w, "[null,null,null,null,2]"));
}

/* 0 when jsonw's text of v is printf's "%.*f", else 1. */
static int
decimal_miss(double v, int places)
{
	struct jsonw	 w;
	char		 want[80];

	snprintf(want, sizeof(want), "%.*f", places, v);
	jsonw_init(&w, 0);
	jsonw_decimal(&w, v, places);
	return !wrote(&w, want);
}

/*
 * jsonw_decimal's integer path writes printf's text exactly: values a
 * product rounds near a half (1.005, 2.675), exact ties printf rounds
 * to even (0.125, 2.5), negative zero and tiny negatives ("-0.00"),
 * large values near the path's 2^52 bound, and a spread of others, at
 * every precision it takes.
 */
static void
test_jsonw_decimal_as_printf(void)
{
	static const double	 v[] = { 0.0, -0.0, 1.005, 2.675, 0.125, 0.375,
	    2.5, 3.5, -2.5, 0.5, -0.001, -0.004999, 1e-9, 99.995, 99.994,
	    4503599627370495.0, 4503599627370496.5, 45035996273704.955,
	    123456789.123456789, 1e15, 1e20, -1e25, 0.045, 1.0 / 3 };
	double			 x;
	unsigned long long	 seed = 88172645463325252ULL;
	int			 places, i, bad = 0;
	unsigned		 k;
	size_t			 j;

	for (places = 0; places <= 9; places++) {
		for (j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			bad += decimal_miss(v[j], places);
		/* Every multiple of 1/1024 to 64: ties at each precision. */
		for (i = -65536; i <= 65536; i += 7)
			bad += decimal_miss(i / 1024.0, places);
		/* Pseudo-random values from 1e-6 to 1e12 (xorshift64). */
		for (i = 0; i < 20000; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			x = (double)(seed >> 11) / 9007199254740992.0;
			for (k = seed % 19; k > 6; k--)
				x *= 10;
			for (; k < 6; k++)
				x /= 10;
			bad += decimal_miss(seed & 1 ? -x : x, places);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/*
 * json-c's text of a part, copied in as a member and an array item,
 * is json-c's text of the whole; NULL is null.
 */
static void
test_jsonw_raw_as_json_c(void)
{
	struct json_object	*whole, *part, *a;
	struct jsonw		 w;
	const char		*text;
	size_t			 len;

	part = json_object_new_object();
	a = json_object_new_array();
	json_object_array_add(a, json_object_new_int(1));
	json_object_array_add(a, json_object_new_string("x\"/\n"));
	json_object_object_add(part, "days", a);
	json_object_object_add(part, "zone", NULL);
	text = json_text(part, &len);
	jsonw_init(&w, 0);
	jsonw_object(&w);
	jsonw_key(&w, "calendar");
	jsonw_raw(&w, text, len);
	jsonw_key(&w, "list");
	jsonw_array(&w);
	jsonw_raw(&w, text, len);
	jsonw_raw(&w, NULL, 0);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	whole = json_object_new_object();
	json_object_object_add(whole, "calendar", json_object_get(part));
	a = json_object_new_array();
	json_object_array_add(a, part);
	json_object_array_add(a, NULL);
	json_object_object_add(whole, "list", a);
	CU_ASSERT_TRUE(wrote_as_json_c(&w, whole));
	jsonw_init(&w, 0);
	jsonw_raw(&w, "[]", 2);
	CU_ASSERT_TRUE(wrote(&w, "[]"));
}

/*
 * Members kept as text (a service's list item, sql/037) go into the
 * object with the commas its own members would have: first, between,
 * last, and none for an empty text; outside an object, after a key or
 * from NULL they fail.
 */
static void
test_jsonw_members_as_keyed(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_object(&w);
	jsonw_members(&w, "\"a\":1,\"b\":[2]", 13);
	jsonw_key_int(&w, "c", 3);
	jsonw_members(&w, "", 0);
	jsonw_members(&w, "\"d\":null", 8);
	jsonw_object_end(&w);
	CU_ASSERT_TRUE(wrote(&w, "{\"a\":1,\"b\":[2],\"c\":3,\"d\":null}"));
	jsonw_init(&w, 0);
	jsonw_object(&w);
	jsonw_members(&w, "", 0);
	jsonw_object_end(&w);
	CU_ASSERT_TRUE(wrote(&w, "{}"));
	jsonw_init(&w, 0);
	jsonw_array(&w);
	jsonw_members(&w, "\"a\":1", 5);
	CU_ASSERT_TRUE(w.failed);
	jsonw_init(&w, 0);
	jsonw_object(&w);
	jsonw_key(&w, "k");
	jsonw_members(&w, "\"a\":1", 5);
	CU_ASSERT_TRUE(w.failed);
	jsonw_init(&w, 0);
	jsonw_object(&w);
	jsonw_members(&w, NULL, 5);
	CU_ASSERT_TRUE(w.failed);
	jsonw_free(&w);
}

/*
 * MariaDB's \u001F made json-c's \u001f, read as a JSON reader reads
 * escapes: an escaped backslash before "u001F" is text and stays, as do
 * the other escapes and the hex of a text that ends mid-escape.
 */
static void
test_jsonw_hex_lower(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "\"\\u001F\"", "\"\\u001f\"" },
		{ "\"a\\u000Bb\\u001Ec\\u00E9\"",
		    "\"a\\u000bb\\u001ec\\u00e9\"" },
		{ "\"\\\\u001F\"", "\"\\\\u001F\"" },
		{ "\"\\\\\\u001F\"", "\"\\\\\\u001f\"" },
		{ "\"\\n\\\"\\/ ABCDEF\"", "\"\\n\\\"\\/ ABCDEF\"" },
		{ "\"\\u00", "\"\\u00" },
		{ "\\uABCDEF", "\\uabcdEF" },
		{ "x\\", "x\\" },
		{ "", "" },
	};
	char	 buf[64];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		jsonw_hex_lower(buf);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].want);
	}
}

/* From a one-byte buffer past the default size, many times over. */
static void
test_jsonw_grows_across_first_size(void)
{
	struct json_object	*a;
	struct jsonw		 w;
	char			 s[300];
	int			 i;

	memset(s, 'x', sizeof(s) - 2);
	s[sizeof(s) - 2] = '\n';
	s[sizeof(s) - 1] = '\0';
	a = json_object_new_array();
	jsonw_init(&w, 1);
	jsonw_array(&w);
	for (i = 0; i < 2000; i++) {
		json_object_array_add(a, json_object_new_string(s));
		jsonw_string(&w, s);
	}
	jsonw_array_end(&w);
	CU_ASSERT_TRUE(w.size > 600000);
	CU_ASSERT_TRUE(wrote_as_json_c(&w, a));
}

/* Over max: failed latches, the text goes, later calls write nothing. */
static void
test_jsonw_failure_latches(void)
{
	struct jsonw	 w;
	int		 i;

	jsonw_init(&w, 0);
	w.max = 40;
	jsonw_array(&w);
	for (i = 0; i < 10; i++)
		jsonw_string(&w, "0123456789");
	CU_ASSERT_TRUE(w.failed);
	CU_ASSERT_PTR_NULL(w.buf);
	jsonw_int(&w, 1);
	jsonw_array_end(&w);
	CU_ASSERT_PTR_NULL(w.buf);
	CU_ASSERT_EQUAL(w.len, 0);
	CU_ASSERT_PTR_NULL(finish(&w));
	/* The writer is empty again: it can start over. */
	CU_ASSERT_FALSE(w.failed);
	jsonw_int(&w, 1);
	CU_ASSERT_TRUE(wrote(&w, "1"));
}

/* A text of exactly max bytes fits; one more does not. */
static void
test_jsonw_max_is_inclusive(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	w.max = 4;
	jsonw_string(&w, "ab");
	CU_ASSERT_TRUE(wrote(&w, "\"ab\""));
	jsonw_init(&w, 0);
	w.max = 4;
	jsonw_string(&w, "abc");
	CU_ASSERT_PTR_NULL(finish(&w));
}

/* Each call out of place fails the whole text. */
static void
test_jsonw_misuse_fails(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);		/* a value where a key belongs */
	jsonw_object(&w);
	jsonw_int(&w, 1);
	jsonw_object_end(&w);
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_array(&w);		/* a key in an array */
	jsonw_key(&w, "a");
	jsonw_int(&w, 1);
	jsonw_array_end(&w);
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_object(&w);		/* a key without its value */
	jsonw_key(&w, "a");
	jsonw_object_end(&w);
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_object(&w);		/* the wrong end */
	jsonw_array_end(&w);
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_array_end(&w);		/* an end that closes nothing */
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_int(&w, 1);		/* two values at the top */
	jsonw_int(&w, 2);
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_object(&w);		/* left open */
	CU_ASSERT_PTR_NULL(finish(&w));
	CU_ASSERT_PTR_NULL(finish(&w));	/* nothing at all */
	jsonw_key(&w, "a");		/* a key at the top */
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_object(&w);		/* two keys for one value */
	jsonw_key(&w, "a");
	jsonw_key(&w, "b");
	jsonw_int(&w, 1);
	jsonw_object_end(&w);
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_object(&w);		/* no key at all */
	jsonw_key(&w, NULL);
	jsonw_int(&w, 1);
	jsonw_object_end(&w);
	CU_ASSERT_PTR_NULL(finish(&w));
	jsonw_int(&w, 1);		/* a container after the top value */
	jsonw_array(&w);
	jsonw_array_end(&w);
	CU_ASSERT_PTR_NULL(finish(&w));
}

/* What cannot be a number in this writer's range is null. */
static void
test_jsonw_decimal_out_of_range(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_array(&w);
	jsonw_decimal(&w, 1e30, 2);
	jsonw_decimal(&w, -1e30, 2);
	jsonw_decimal(&w, 1.5, -1);
	jsonw_decimal(&w, 1.5, 9);
	jsonw_decimal(&w, -2.25, 1);
	jsonw_array_end(&w);
	CU_ASSERT_TRUE(wrote(&w, "[null,null,null,1.500000000,-2.2]"));
	/* Past 2^52 once scaled, and just under 1e30: printf's text. */
	CU_ASSERT_EQUAL(decimal_miss(9.999999e29, 9), 0);
	CU_ASSERT_EQUAL(decimal_miss(-4503599627.370497, 6), 0);
	CU_ASSERT_EQUAL(decimal_miss(0.000000001, 9), 0);
}

/* Containers as deep as a body may be, and not one more. */
static void
test_jsonw_depth_bounded(void)
{
	struct jsonw	 w;
	int		 i;

	jsonw_init(&w, 0);
	for (i = 0; i < JSONW_DEPTH_MAX; i++)
		jsonw_array(&w);
	for (i = 0; i < JSONW_DEPTH_MAX; i++)
		jsonw_array_end(&w);
	CU_ASSERT_FALSE(w.failed);
	free(finish(&w));
	for (i = 0; i <= JSONW_DEPTH_MAX; i++)
		jsonw_array(&w);
	CU_ASSERT_TRUE(w.failed);
	for (i = 0; i <= JSONW_DEPTH_MAX; i++)
		jsonw_array_end(&w);
	CU_ASSERT_PTR_NULL(finish(&w));
}

static void
test_jsonw_free_drops_text(void)
{
	struct jsonw	 w;

	jsonw_init(&w, 0);
	jsonw_array(&w);
	jsonw_free(&w);
	CU_ASSERT_PTR_NULL(w.buf);
	CU_ASSERT_EQUAL(w.depth, 0);
	jsonw_bool(&w, true);
	CU_ASSERT_TRUE(wrote(&w, "true"));
}

static const struct unit_test tests[] = {
	{ "test_jsonw_every_byte_as_json_c", test_jsonw_every_byte_as_json_c },
	{ "test_jsonw_control_chars_escaped",
	    test_jsonw_control_chars_escaped },
	{ "test_jsonw_slash_and_utf8_as_they_are",
	    test_jsonw_slash_and_utf8_as_they_are },
	{ "test_jsonw_null_string_is_null", test_jsonw_null_string_is_null },
	{ "test_jsonw_nesting_and_commas", test_jsonw_nesting_and_commas },
	{ "test_jsonw_key_id", test_jsonw_key_id },
	{ "test_jsonw_scalar_alone", test_jsonw_scalar_alone },
	{ "test_jsonw_int64_extremes_as_json_c",
	    test_jsonw_int64_extremes_as_json_c },
	{ "test_jsonw_time_as_json_time", test_jsonw_time_as_json_time },
	{ "test_jsonw_decimal_as_json_c", test_jsonw_decimal_as_json_c },
	{ "test_jsonw_decimal_as_printf", test_jsonw_decimal_as_printf },
	{ "test_jsonw_raw_as_json_c", test_jsonw_raw_as_json_c },
	{ "test_jsonw_members_as_keyed", test_jsonw_members_as_keyed },
	{ "test_jsonw_hex_lower", test_jsonw_hex_lower },
	{ "test_jsonw_grows_across_first_size",
	    test_jsonw_grows_across_first_size },
	{ "test_jsonw_failure_latches", test_jsonw_failure_latches },
	{ "test_jsonw_max_is_inclusive", test_jsonw_max_is_inclusive },
	{ "test_jsonw_misuse_fails", test_jsonw_misuse_fails },
	{ "test_jsonw_depth_bounded", test_jsonw_depth_bounded },
	{ "test_jsonw_free_drops_text", test_jsonw_free_drops_text },
	{ "test_jsonw_decimal_out_of_range", test_jsonw_decimal_out_of_range },
};

int
suite_jsonw(void)
{

	return UNIT_SUITE("jsonw", tests);
}
