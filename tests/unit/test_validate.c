/*
 * core/validate: the declarative body validator and the scalar
 * validators behind it, with the exact client messages of CONTRACT
 * section 9.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/isotime.h"
#include "core/validate.h"
#include "suites.h"

static const char *const criticality[] = { "High", "Medium", "Low", NULL };

static const struct vfield f_rto = {
	"rto", V_INT, VF_NULLABLE | VF_EMPTY_NULL, 0, 525600, NULL, NULL, NULL
};
static const struct vfield f_count = {
	"count", V_INT, 0, 1, 10, NULL, NULL, NULL
};
static const struct vfield f_count_req = {
	"count", V_INT, VF_REQUIRED | VF_EMPTY_NULL, 1, 10, NULL, NULL, NULL
};
static const struct vfield f_name = {
	"name", V_STRING, VF_REQUIRED, 1, 100, NULL,
	"Service name is required",
	"Service name must be at most 100 characters"
};
static const struct vfield f_label = {
	"label", V_STRING, 0, 2, 5, NULL, NULL, NULL
};
static const struct vfield f_note = {
	"note", V_STRING, 0, 0, 0, NULL, NULL, NULL
};
static const struct vfield f_note_req = {
	"note", V_STRING, VF_REQUIRED, 0, 0, NULL, NULL, NULL
};
static const struct vfield f_status_req = {
	"status", V_ENUM, VF_REQUIRED, 0, 0, criticality, "Status is required",
	"Status must be one of High, Medium, Low"
};
static const struct vfield f_start_req = {
	"start_time", V_TIME, VF_REQUIRED, 0, 0, NULL, "Start time is required",
	NULL
};
static const struct vfield f_crit = {
	"criticality", V_ENUM, 0, 0, 0, criticality, NULL, NULL
};
static const struct vfield f_status = {
	"status", V_ENUM, 0, 0, 0, criticality, NULL,
	"Status must be one of High, Medium, Low"
};
static const struct vfield f_flag = {
	"flag", V_BOOL, 0, 0, 0, NULL, NULL, NULL
};
static const struct vfield f_when = {
	"when", V_TIME, 0, 0, 0, NULL, NULL, NULL
};
static const struct vfield f_deps = {
	"dependencies", V_INT_ARRAY, 0, 1, 1000, NULL, NULL, NULL
};
static const struct vfield f_to = {
	"to", V_STRING_ARRAY, 0, 0, 0, NULL, NULL, NULL
};
static const struct vfield f_config = {
	"config", V_OBJECT, 0, 0, 0, NULL, NULL, NULL
};

static char		 err[256];
static struct vvalue	 val;

/* Validate the JSON text body against the one field f. */
static int
check(const char *body, const struct vfield *f)
{
	struct json_object	*o;
	int			 rc;

	memset(err, 0, sizeof(err));
	if ((o = json_tokener_parse(body)) == NULL)
		return -2;
	rc = validate_body(o, f, 1, &val, err, sizeof(err));
	/* out borrows from the body: keep only what the tests read. */
	if (rc == 0 && f->type != V_ENUM)
		val.s = NULL;
	val.obj = NULL;
	json_object_put(o);
	return rc;
}

/* Whether body fails on f with exactly msg. */
static bool
fails_with(const char *body, const struct vfield *f, const char *msg)
{

	return check(body, f) == -1 && strcmp(err, msg) == 0;
}

static void
test_validate_int_number(void)
{

	CU_ASSERT_TRUE(check("{\"rto\": 30}", &f_rto) == 0 && val.i == 30);
}

static void
test_validate_int_digit_string(void)
{

	CU_ASSERT_TRUE(check("{\"rto\": \"30\"}", &f_rto) == 0 && val.i == 30);
}

static void
test_validate_int_negative_string(void)
{
	long long	 v = 0;

	CU_ASSERT_TRUE(valid_int_str("-5", -10, 10, &v) == 0 && v == -5);
}

static void
test_validate_int_trailing_letters_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": \"123abc\"}", &f_rto,
	    "rto must be an integer"));
}

static void
test_validate_int_true_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": true}", &f_rto,
	    "rto must be an integer"));
}

static void
test_validate_int_fraction_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": 1.5}", &f_rto,
	    "rto must be an integer"));
}

static void
test_validate_int_whole_double_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": 30.0}", &f_rto,
	    "rto must be an integer"));
}

static void
test_validate_int_exponent_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": 1e2}", &f_rto,
	    "rto must be an integer"));
}

static void
test_validate_int_plus_sign_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": \"+5\"}", &f_rto,
	    "rto must be an integer"));
}

static void
test_validate_int_space_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": \" 5\"}", &f_rto,
	    "rto must be an integer"));
}

static void
test_validate_int_lone_minus_refused(void)
{

	CU_ASSERT_EQUAL(valid_int_str("-", LLONG_MIN, LLONG_MAX, NULL), -1);
}

static void
test_validate_int_empty_string_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"count\": \"\"}", &f_count,
	    "count must be an integer"));
}

static void
test_validate_int_object_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": {}}", &f_rto,
	    "rto must be an integer"));
}

static void
test_validate_int_above_max(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": 525601}", &f_rto,
	    "rto must be between 0 and 525600"));
}

static void
test_validate_int_below_min(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": -1}", &f_rto,
	    "rto must be between 0 and 525600"));
}

static void
test_validate_int_string_out_of_range(void)
{

	CU_ASSERT_TRUE(fails_with("{\"rto\": \"600000\"}", &f_rto,
	    "rto must be between 0 and 525600"));
}

static void
test_validate_int_string_overflow_refused(void)
{

	CU_ASSERT_EQUAL(valid_int_str("99999999999999999999", LLONG_MIN,
	    LLONG_MAX, NULL), -1);
}

static void
test_validate_int_json_overflow_refused(void)
{
	struct json_object	*o = json_tokener_parse("99999999999999999999");

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(valid_int(o, LLONG_MIN, LLONG_MAX, NULL), -1);
	json_object_put(o);
}

static void
test_validate_int_bounds_inclusive(void)
{

	CU_ASSERT_TRUE(check("{\"rto\": 525600}", &f_rto) == 0);
}

static void
test_validate_empty_null(void)
{

	CU_ASSERT_TRUE(check("{\"rto\": \"\"}", &f_rto) == 0 &&
	    val.present && val.null);
}

static void
test_validate_empty_null_required(void)
{

	CU_ASSERT_TRUE(fails_with("{\"count\": \"\"}", &f_count_req,
	    "count is required"));
}

static void
test_validate_null_nullable(void)
{

	CU_ASSERT_TRUE(check("{\"rto\": null}", &f_rto) == 0 &&
	    val.present && val.null);
}

static void
test_validate_null_not_nullable_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"count\": null}", &f_count,
	    "count must be an integer"));
}

static void
test_validate_null_required_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"name\": null}", &f_name,
	    "Service name is required"));
}

static void
test_validate_absent_optional(void)
{

	CU_ASSERT_TRUE(check("{\"other\": 1}", &f_rto) == 0 && !val.present);
}

static void
test_validate_required_missing_msg(void)
{

	CU_ASSERT_TRUE(fails_with("{}", &f_name, "Service name is required"));
}

static void
test_validate_required_missing_default(void)
{

	CU_ASSERT_TRUE(fails_with("{}", &f_note_req, "note is required"));
}

static void
test_validate_required_empty_string(void)
{

	CU_ASSERT_TRUE(fails_with("{\"name\": \"\"}", &f_name,
	    "Service name is required"));
	CU_ASSERT_TRUE(fails_with("{\"note\": \"\"}", &f_note_req,
	    "note is required"));
}

/* CONTRACT 9: a required field sent as "" is missing, whatever its type. */
static void
test_validate_required_empty_enum_time(void)
{

	CU_ASSERT_TRUE(fails_with("{\"status\": \"\"}", &f_status_req,
	    "Status is required"));
	CU_ASSERT_TRUE(fails_with("{\"start_time\": \"\"}", &f_start_req,
	    "Start time is required"));
	CU_ASSERT_TRUE(fails_with("{\"count\": \"\"}", &f_count_req,
	    "count is required"));
	/* Not required: "" stays a value for the type to judge. */
	CU_ASSERT_TRUE(fails_with("{\"status\": \"\"}", &f_status,
	    "Status must be one of High, Medium, Low"));
}

static void
test_validate_string_ok(void)
{

	CU_ASSERT_TRUE(check("{\"name\": \"Payroll\"}", &f_name) == 0 &&
	    val.present && val.len == 7);
}

static void
test_validate_string_badmsg_overrides(void)
{
	char	 body[128];

	memset(body, 0, sizeof(body));
	memcpy(body, "{\"name\": \"", 10);
	memset(body + 10, 'x', 101);
	memcpy(body + 111, "\"}", 2);
	CU_ASSERT_TRUE(fails_with(body, &f_name,
	    "Service name must be at most 100 characters"));
}

static void
test_validate_string_too_long(void)
{

	CU_ASSERT_TRUE(fails_with("{\"label\": \"abcdef\"}", &f_label,
	    "label must be at most 5 characters"));
}

static void
test_validate_string_too_short(void)
{

	CU_ASSERT_TRUE(fails_with("{\"label\": \"a\"}", &f_label,
	    "label must be at least 2 characters"));
}

static void
test_validate_string_counts_characters(void)
{

	/* Five characters, ten bytes. */
	CU_ASSERT_TRUE(check("{\"label\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\"}", &f_label) == 0);
}

static void
test_validate_string_unbounded(void)
{

	CU_ASSERT_TRUE(check("{\"note\": \"\"}", &f_note) == 0 && val.present);
}

static void
test_validate_string_wrong_type(void)
{

	CU_ASSERT_TRUE(fails_with("{\"name\": 5}", &f_name,
	    "name must be a string"));
}

static void
test_validate_string_nul_refused(void)
{
	struct json_object	*body, *s;
	struct vvalue		 v;

	body = json_object_new_object();
	s = json_object_new_string_len("a\0b", 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	json_object_object_add(body, "name", s);
	CU_ASSERT_EQUAL(validate_body(body, &f_name, 1, &v, err, sizeof(err)),
	    -1);
	json_object_put(body);
}

static void
test_validate_string_invalid_utf8_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"name\": \"a\xff\"}", &f_name,
	    "name must be valid UTF-8 without NUL characters"));
}

static void
test_validate_enum_case_insensitive(void)
{

	CU_ASSERT_TRUE(check("{\"criticality\": \"hIGH\"}", &f_crit) == 0 &&
	    val.i == 0 && strcmp(val.s, "High") == 0);
}

static void
test_validate_enum_index(void)
{

	CU_ASSERT_TRUE(check("{\"criticality\": \"low\"}", &f_crit) == 0 &&
	    val.i == 2);
}

static void
test_validate_enum_default_message(void)
{

	CU_ASSERT_TRUE(fails_with("{\"criticality\": \"Extreme\"}", &f_crit,
	    "Invalid criticality: must be one of High, Medium, Low"));
}

static void
test_validate_enum_badmsg_overrides(void)
{

	CU_ASSERT_TRUE(fails_with("{\"status\": \"Sideways\"}", &f_status,
	    "Status must be one of High, Medium, Low"));
}

static void
test_validate_enum_prefix_refused(void)
{

	CU_ASSERT_EQUAL(valid_choice("Hig", criticality), -1);
}

static void
test_validate_enum_nul_refused(void)
{
	struct json_object	*body;
	struct vvalue		 v;

	body = json_object_new_object();
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	json_object_object_add(body, "criticality",
	    json_object_new_string_len("High\0x", 6));
	CU_ASSERT_EQUAL(validate_body(body, &f_crit, 1, &v, err, sizeof(err)),
	    -1);
	json_object_put(body);
}

static void
test_validate_bool_true(void)
{

	CU_ASSERT_TRUE(check("{\"flag\": true}", &f_flag) == 0 && val.i == 1);
}

static void
test_validate_bool_string_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"flag\": \"true\"}", &f_flag,
	    "flag must be a boolean"));
}

static void
test_validate_bool_number_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"flag\": 1}", &f_flag,
	    "flag must be a boolean"));
}

static void
test_validate_time_ok(void)
{

	CU_ASSERT_TRUE(check("{\"when\": \"2025-01-01T10:00:00Z\"}",
	    &f_when) == 0 && val.t == 1735725600);
}

static void
test_validate_time_invalid(void)
{

	CU_ASSERT_TRUE(fails_with("{\"when\": \"2025-01-01\"}", &f_when,
	    ISOTIME_BADMSG));
}

static void
test_validate_time_wrong_type(void)
{

	CU_ASSERT_TRUE(fails_with("{\"when\": 1735725600}", &f_when,
	    ISOTIME_BADMSG));
}

static void
test_validate_int_array_ok(void)
{

	CU_ASSERT_TRUE(check("{\"dependencies\": [1, \"2\", 3]}",
	    &f_deps) == 0 && val.present);
}

static void
test_validate_int_array_empty_ok(void)
{

	CU_ASSERT_TRUE(check("{\"dependencies\": []}", &f_deps) == 0);
}

static void
test_validate_int_array_not_array(void)
{

	CU_ASSERT_TRUE(fails_with("{\"dependencies\": 1}", &f_deps,
	    "dependencies must be an array of integers"));
}

static void
test_validate_int_array_bad_element(void)
{

	CU_ASSERT_TRUE(fails_with("{\"dependencies\": [1, 2.5]}", &f_deps,
	    "dependencies must be an array of integers"));
}

static void
test_validate_int_array_element_range(void)
{

	CU_ASSERT_TRUE(fails_with("{\"dependencies\": [1, 0]}", &f_deps,
	    "dependencies values must be between 1 and 1000"));
}

static void
test_validate_int_array_too_long(void)
{
	struct json_object	*body, *a;
	struct vvalue		 v;
	int			 i;

	body = json_object_new_object();
	a = json_object_new_array();
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	for (i = 0; i <= 10000; i++)
		json_object_array_add(a, json_object_new_int(1));
	json_object_object_add(body, "dependencies", a);
	CU_ASSERT_EQUAL(validate_body(body, &f_deps, 1, &v, err, sizeof(err)),
	    -1);
	json_object_put(body);
}

static void
test_validate_string_array_ok(void)
{

	CU_ASSERT_TRUE(check("{\"to\": [\"a@example.org\"]}", &f_to) == 0);
}

static void
test_validate_string_array_bad_element(void)
{

	CU_ASSERT_TRUE(fails_with("{\"to\": [\"a\", 1]}", &f_to,
	    "to must be an array of strings"));
}

static void
test_validate_object_ok(void)
{

	CU_ASSERT_TRUE(check("{\"config\": {\"url\": \"x\"}}", &f_config) == 0);
}

static void
test_validate_object_wrong_type(void)
{

	CU_ASSERT_TRUE(fails_with("{\"config\": []}", &f_config,
	    "config must be an object"));
}

static void
test_validate_body_not_object(void)
{

	CU_ASSERT_TRUE(fails_with("[1]", &f_rto,
	    "Request body must be a JSON object"));
}

static void
test_validate_first_failure_reported(void)
{
	static const struct vfield	 two[] = {
		{ "a", V_INT, VF_REQUIRED, 0, 9, NULL, NULL, NULL },
		{ "b", V_INT, VF_REQUIRED, 0, 9, NULL, NULL, NULL },
	};
	struct vvalue			 v[2];
	struct json_object		*o;

	o = json_tokener_parse("{\"a\": \"x\"}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(validate_body(o, two, 2, v, err, sizeof(err)) == -1 &&
	    strcmp(err, "a must be an integer") == 0);
	json_object_put(o);
}

static const struct vfield f_code = {
	"code", V_STRING, VF_BYTES, 1, 4, NULL, NULL, NULL
};
static const struct vfield f_title_msg = {
	"title", V_STRING, 0, 1, 3, NULL, "Title is required",
	"Title must be 1 to 3 characters"
};
static const struct vfield f_any_int = {
	"n", V_INT, 0, 0, 0, NULL, NULL, NULL
};
static const struct vfield f_level = {
	"level", V_INT, 0, 1, 5, NULL, NULL, "Level must be 1 to 5"
};
static const struct vfield f_deps_msg = {
	"dependencies", V_INT_ARRAY, 0, 1, 1000, NULL, NULL,
	"Invalid dependency IDs"
};
static const struct vfield f_due = {
	"due", V_TIME, VF_NULLABLE, 0, 0, NULL, NULL, "Bad due date"
};
static const struct vfield f_bogus = {
	"bogus", V_TYPE__MAX, 0, 0, 0, NULL, NULL, NULL
};

static void
test_validate_username_bounds(void)
{
	char	 s[USERNAME_MAX + 2];

	memset(s, 'u', sizeof(s));
	CU_ASSERT_TRUE(valid_username(s, USERNAME_MAX));
	CU_ASSERT_FALSE(valid_username(s, USERNAME_MAX + 1));
	CU_ASSERT_TRUE(valid_username("x", 1));
	CU_ASSERT_TRUE(valid_username("j\xc3\xb6rg@example.org", 16));
	CU_ASSERT_FALSE(valid_username("", 0));
	CU_ASSERT_FALSE(valid_username(NULL, 3));
	CU_ASSERT_FALSE(valid_username("j\xc3rg", 4));
	CU_ASSERT_FALSE(valid_username("a\tb", 3));
	CU_ASSERT_FALSE(valid_username("a\x7f", 2));
	CU_ASSERT_FALSE(valid_username("a\0b", 3));
}

static void
test_validate_blank(void)
{

	CU_ASSERT_TRUE(valid_blank(NULL));
	CU_ASSERT_TRUE(valid_blank(""));
	CU_ASSERT_TRUE(valid_blank(" \t\r\n"));
	CU_ASSERT_FALSE(valid_blank("  a "));
	CU_ASSERT_FALSE(valid_blank("x"));
}

static void
test_validate_scalar_validators(void)
{
	struct json_object	*o;
	long long		 v = 0;

	o = json_object_new_int(7);
	CU_ASSERT_EQUAL(valid_int(o, 1, 10, NULL), 0);
	CU_ASSERT_TRUE(valid_int(o, 1, 10, &v) == 0 && v == 7);
	CU_ASSERT_EQUAL(valid_int(o, 8, 10, &v), -1);
	CU_ASSERT_EQUAL(v, 7);
	json_object_put(o);
	/* json-c's saturated ends cannot be told from an overflow. */
	o = json_tokener_parse("-9223372036854775808");
	CU_ASSERT_EQUAL(valid_int(o, LLONG_MIN, LLONG_MAX, NULL), -1);
	json_object_put(o);
	o = json_object_new_string_len("1\0" "2", 3);
	CU_ASSERT_EQUAL(valid_int(o, LLONG_MIN, LLONG_MAX, NULL), -1);
	json_object_put(o);
	CU_ASSERT_EQUAL(valid_int_str(NULL, 0, 10, NULL), -1);
	CU_ASSERT_EQUAL(valid_int_str("", 0, 10, NULL), -1);
	CU_ASSERT_EQUAL(valid_int_str("10", 0, 10, NULL), 0);
	CU_ASSERT_EQUAL(valid_int_str("11", 0, 10, NULL), -1);
	CU_ASSERT_EQUAL(valid_choice(NULL, criticality), -1);
	CU_ASSERT_EQUAL(valid_choice("High", NULL), -1);
	CU_ASSERT_EQUAL(valid_choice("Highest", criticality), -1);
	CU_ASSERT_EQUAL(valid_choice("LOW", criticality), 2);
	CU_ASSERT_EQUAL(valid_choice("", criticality), -1);
}

static void
test_validate_string_bytes(void)
{

	/* Four bytes are the most: two two-byte characters, not five. */
	CU_ASSERT_TRUE(check("{\"code\": \"\xc3\xa9\xc3\xa9\"}", &f_code) == 0);
	CU_ASSERT_TRUE(fails_with("{\"code\": \"\xc3\xa9\xc3\xa9" "a\"}",
	    &f_code, "code must be at most 4 bytes"));
	CU_ASSERT_TRUE(fails_with("{\"code\": \"\"}", &f_code,
	    "code must be at least 1 bytes"));
}

static void
test_validate_string_bounds_messages(void)
{

	/* "" with a minimum and no message: the length rule. */
	CU_ASSERT_TRUE(fails_with("{\"label\": \"\"}", &f_label,
	    "label must be at least 2 characters"));
	/* ... with a missing message, that message even when optional. */
	CU_ASSERT_TRUE(fails_with("{\"title\": \"\"}", &f_title_msg,
	    "Title is required"));
	CU_ASSERT_TRUE(fails_with("{\"title\": \"abcd\"}", &f_title_msg,
	    "Title must be 1 to 3 characters"));
	CU_ASSERT_TRUE(check("{\"title\": \"abc\"}", &f_title_msg) == 0);
	CU_ASSERT_TRUE(fails_with("{\"label\": \"\\u0000a\"}", &f_label,
	    "label must be valid UTF-8 without NUL characters"));
}

static void
test_validate_int_unbounded_and_badmsg(void)
{

	CU_ASSERT_TRUE(check("{\"n\": -9223372036854775807}", &f_any_int) == 0);
	CU_ASSERT_EQUAL(val.i, -9223372036854775807LL);
	CU_ASSERT_TRUE(check("{\"n\": \"-42\"}", &f_any_int) == 0);
	CU_ASSERT_EQUAL(val.i, -42);
	CU_ASSERT_TRUE(fails_with("{\"level\": 6}", &f_level,
	    "Level must be 1 to 5"));
	CU_ASSERT_TRUE(fails_with("{\"level\": \"x\"}", &f_level,
	    "level must be an integer"));
	CU_ASSERT_TRUE(fails_with("{\"dependencies\": [1, 1001]}", &f_deps_msg,
	    "Invalid dependency IDs"));
}

static void
test_validate_enum_and_time_types(void)
{

	CU_ASSERT_TRUE(fails_with("{\"criticality\": 1}", &f_crit,
	    "criticality must be a string"));
	CU_ASSERT_TRUE(fails_with("{\"criticality\": \"Extreme\"}", &f_crit,
	    "Invalid criticality: must be one of High, Medium, Low"));
	CU_ASSERT_TRUE(fails_with("{\"when\": 5}", &f_when, ISOTIME_BADMSG));
	CU_ASSERT_TRUE(fails_with("{\"when\": null}", &f_when, ISOTIME_BADMSG));
	CU_ASSERT_TRUE(fails_with("{\"due\": \"soon\"}", &f_due,
	    "Bad due date"));
	CU_ASSERT_TRUE(check("{\"due\": null}", &f_due) == 0);
	CU_ASSERT_TRUE(val.present && val.null);
	CU_ASSERT_TRUE(check("{\"due\": \"2025-01-01T00:00:00Z\"}", &f_due) ==
	    0);
	CU_ASSERT_EQUAL(val.t, 1735689600);
}

static void
test_validate_arrays_refused(void)
{
	struct json_object	*body, *a;
	struct vvalue		 v;
	int			 i;

	CU_ASSERT_TRUE(fails_with("{\"to\": \"a\"}", &f_to,
	    "to must be an array of strings"));
	CU_ASSERT_TRUE(fails_with("{\"to\": [\"a\\u0000\"]}", &f_to,
	    "to must be valid UTF-8 without NUL characters"));
	CU_ASSERT_TRUE(check("{\"to\": []}", &f_to) == 0);
	body = json_object_new_object();
	a = json_object_new_array();
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	for (i = 0; i <= 10000; i++)
		json_object_array_add(a, json_object_new_string("x"));
	json_object_object_add(body, "to", a);
	CU_ASSERT_EQUAL(validate_body(body, &f_to, 1, &v, err, sizeof(err)),
	    -1);
	CU_ASSERT_STRING_EQUAL(err, "to must have at most 10000 elements");
	json_object_put(body);
}

/* No room for a message: the verdict stands, nothing is written. */
static void
test_validate_without_message_room(void)
{
	struct json_object	*o;
	struct vvalue		 v;
	char			 small[12];

	o = json_tokener_parse("{\"criticality\": \"x\", \"n\": true}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(validate_body(o, &f_crit, 1, &v, NULL, 0), -1);
	CU_ASSERT_EQUAL(validate_body(o, &f_any_int, 1, &v, NULL, 0), -1);
	memset(small, 'z', sizeof(small));
	CU_ASSERT_EQUAL(validate_body(o, &f_crit, 1, &v, small, 0), -1);
	CU_ASSERT_EQUAL(small[0], 'z');
	/* A message cut to what fits, terminated. */
	CU_ASSERT_EQUAL(validate_body(o, &f_crit, 1, &v, small,
	    sizeof(small)), -1);
	CU_ASSERT_STRING_EQUAL(small, "Invalid cri");
	CU_ASSERT_EQUAL(validate_body(o, NULL, 0, NULL, small, sizeof(small)),
	    0);
	json_object_put(o);
}

/* A table row of no known type is refused, never read as another. */
static void
test_validate_unknown_type_refused(void)
{

	CU_ASSERT_TRUE(fails_with("{\"bogus\": 1}", &f_bogus,
	    "bogus cannot be validated"));
	CU_ASSERT_TRUE(check("{}", &f_bogus) == 0);
}

static const struct unit_test tests[] = {
	{ "test_validate_int_number", test_validate_int_number },
	{ "test_validate_int_digit_string", test_validate_int_digit_string },
	{ "test_validate_int_negative_string",
	    test_validate_int_negative_string },
	{ "test_validate_int_trailing_letters_refused",
	    test_validate_int_trailing_letters_refused },
	{ "test_validate_int_true_refused", test_validate_int_true_refused },
	{ "test_validate_int_fraction_refused",
	    test_validate_int_fraction_refused },
	{ "test_validate_int_whole_double_refused",
	    test_validate_int_whole_double_refused },
	{ "test_validate_int_exponent_refused",
	    test_validate_int_exponent_refused },
	{ "test_validate_int_plus_sign_refused",
	    test_validate_int_plus_sign_refused },
	{ "test_validate_int_space_refused", test_validate_int_space_refused },
	{ "test_validate_int_lone_minus_refused",
	    test_validate_int_lone_minus_refused },
	{ "test_validate_int_empty_string_refused",
	    test_validate_int_empty_string_refused },
	{ "test_validate_int_object_refused",
	    test_validate_int_object_refused },
	{ "test_validate_int_above_max", test_validate_int_above_max },
	{ "test_validate_int_below_min", test_validate_int_below_min },
	{ "test_validate_int_string_out_of_range",
	    test_validate_int_string_out_of_range },
	{ "test_validate_int_string_overflow_refused",
	    test_validate_int_string_overflow_refused },
	{ "test_validate_int_json_overflow_refused",
	    test_validate_int_json_overflow_refused },
	{ "test_validate_int_bounds_inclusive",
	    test_validate_int_bounds_inclusive },
	{ "test_validate_empty_null", test_validate_empty_null },
	{ "test_validate_empty_null_required",
	    test_validate_empty_null_required },
	{ "test_validate_null_nullable", test_validate_null_nullable },
	{ "test_validate_null_not_nullable_refused",
	    test_validate_null_not_nullable_refused },
	{ "test_validate_null_required_refused",
	    test_validate_null_required_refused },
	{ "test_validate_absent_optional", test_validate_absent_optional },
	{ "test_validate_required_missing_msg",
	    test_validate_required_missing_msg },
	{ "test_validate_required_missing_default",
	    test_validate_required_missing_default },
	{ "test_validate_required_empty_string",
	    test_validate_required_empty_string },
	{ "test_validate_required_empty_enum_time",
	    test_validate_required_empty_enum_time },
	{ "test_validate_string_ok", test_validate_string_ok },
	{ "test_validate_string_badmsg_overrides",
	    test_validate_string_badmsg_overrides },
	{ "test_validate_string_too_long", test_validate_string_too_long },
	{ "test_validate_string_too_short", test_validate_string_too_short },
	{ "test_validate_string_counts_characters",
	    test_validate_string_counts_characters },
	{ "test_validate_string_unbounded", test_validate_string_unbounded },
	{ "test_validate_string_wrong_type", test_validate_string_wrong_type },
	{ "test_validate_string_nul_refused",
	    test_validate_string_nul_refused },
	{ "test_validate_string_invalid_utf8_refused",
	    test_validate_string_invalid_utf8_refused },
	{ "test_validate_enum_case_insensitive",
	    test_validate_enum_case_insensitive },
	{ "test_validate_enum_index", test_validate_enum_index },
	{ "test_validate_enum_default_message",
	    test_validate_enum_default_message },
	{ "test_validate_enum_badmsg_overrides",
	    test_validate_enum_badmsg_overrides },
	{ "test_validate_enum_prefix_refused",
	    test_validate_enum_prefix_refused },
	{ "test_validate_enum_nul_refused", test_validate_enum_nul_refused },
	{ "test_validate_bool_true", test_validate_bool_true },
	{ "test_validate_bool_string_refused",
	    test_validate_bool_string_refused },
	{ "test_validate_bool_number_refused",
	    test_validate_bool_number_refused },
	{ "test_validate_time_ok", test_validate_time_ok },
	{ "test_validate_time_invalid", test_validate_time_invalid },
	{ "test_validate_time_wrong_type", test_validate_time_wrong_type },
	{ "test_validate_int_array_ok", test_validate_int_array_ok },
	{ "test_validate_int_array_empty_ok",
	    test_validate_int_array_empty_ok },
	{ "test_validate_int_array_not_array",
	    test_validate_int_array_not_array },
	{ "test_validate_int_array_bad_element",
	    test_validate_int_array_bad_element },
	{ "test_validate_int_array_element_range",
	    test_validate_int_array_element_range },
	{ "test_validate_int_array_too_long",
	    test_validate_int_array_too_long },
	{ "test_validate_string_array_ok", test_validate_string_array_ok },
	{ "test_validate_string_array_bad_element",
	    test_validate_string_array_bad_element },
	{ "test_validate_object_ok", test_validate_object_ok },
	{ "test_validate_object_wrong_type", test_validate_object_wrong_type },
	{ "test_validate_body_not_object", test_validate_body_not_object },
	{ "test_validate_first_failure_reported",
	    test_validate_first_failure_reported },
	{ "test_validate_username_bounds", test_validate_username_bounds },
	{ "test_validate_blank", test_validate_blank },
	{ "test_validate_scalar_validators", test_validate_scalar_validators },
	{ "test_validate_string_bytes", test_validate_string_bytes },
	{ "test_validate_string_bounds_messages",
	    test_validate_string_bounds_messages },
	{ "test_validate_int_unbounded_and_badmsg",
	    test_validate_int_unbounded_and_badmsg },
	{ "test_validate_enum_and_time_types",
	    test_validate_enum_and_time_types },
	{ "test_validate_arrays_refused", test_validate_arrays_refused },
	{ "test_validate_without_message_room",
	    test_validate_without_message_room },
	{ "test_validate_unknown_type_refused",
	    test_validate_unknown_type_refused },
};

int
suite_validate(void)
{

	return UNIT_SUITE("validate", tests);
}
