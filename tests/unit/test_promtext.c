/*
 * core/promtext: the Prometheus text exposition writer, its label
 * escaping and the histogram bucketing.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/promtext.h"
#include "suites.h"

static const double	 bounds[] = { 0.1, 0.5, 1 };

/* The text written so far (the writer keeps it NUL-terminated). */
static char *
take(struct promtext *pt)
{
	size_t	 len;

	return promtext_take(pt, &len);
}

static void
test_promtext_bucket_bound_is_inclusive(void)
{
	CU_ASSERT_EQUAL(promtext_bucket(bounds, 3, 0.1), 0);
	CU_ASSERT_EQUAL(promtext_bucket(bounds, 3, 0.5), 1);
	CU_ASSERT_EQUAL(promtext_bucket(bounds, 3, 0.50001), 2);
}

static void
test_promtext_bucket_below_first_and_above_last(void)
{
	CU_ASSERT_EQUAL(promtext_bucket(bounds, 3, 0), 0);
	CU_ASSERT_EQUAL(promtext_bucket(bounds, 3, -1), 0);
	CU_ASSERT_EQUAL(promtext_bucket(bounds, 3, 1.5), 3);
	CU_ASSERT_EQUAL(promtext_bucket(bounds, 3, INFINITY), 3);
	CU_ASSERT_EQUAL(promtext_bucket(bounds, 3, NAN), 3);
}

static void
test_promtext_escape_label_value(void)
{
	char	 out[64];

	CU_ASSERT_EQUAL(promtext_escape("a\\b\"c\nd", out, sizeof(out)), 10);
	CU_ASSERT_STRING_EQUAL(out, "a\\\\b\\\"c\\nd");
	promtext_escape("/api/services/<id>", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "/api/services/<id>");
}

static void
test_promtext_escape_cut_at_whole_escape(void)
{
	char	 out[4];

	/* "ab" fits; "\\\"" would need two more bytes than are left. */
	CU_ASSERT_EQUAL(promtext_escape("ab\"", out, sizeof(out)), 2);
	CU_ASSERT_STRING_EQUAL(out, "ab");
}

static void
test_promtext_name_valid(void)
{
	CU_ASSERT_TRUE(promtext_name_valid("resilops_http_requests_total"));
	CU_ASSERT_TRUE(promtext_name_valid("a:b_c9"));
	CU_ASSERT_TRUE(promtext_name_valid("_x"));
	CU_ASSERT_FALSE(promtext_name_valid("9x"));
	CU_ASSERT_FALSE(promtext_name_valid("a-b"));
	CU_ASSERT_FALSE(promtext_name_valid(""));
	CU_ASSERT_FALSE(promtext_name_valid(NULL));
}

static void
test_promtext_family_help_and_type(void)
{
	struct promtext	 pt = { 0 };
	char		*s;

	promtext_family(&pt, "x_total", PROM_COUNTER, "Things.");
	promtext_family(&pt, "y", PROM_GAUGE, "Level.");
	s = take(&pt);
	CU_ASSERT_STRING_EQUAL(s, "# HELP x_total Things.\n# TYPE x_total counter\n"
	    "# HELP y Level.\n# TYPE y gauge\n");
	free(s);
}

static void
test_promtext_sample_labels_escaped(void)
{
	struct promtext	 pt = { 0 };
	const char	*labels[] = { "route", "/a\"b", "status", "200", NULL };
	char		*s;

	promtext_sample(&pt, "x_total", labels, 3);
	promtext_sample(&pt, "y", NULL, 0.25);
	promtext_sample_u64(&pt, "z_total", NULL, UINT64_MAX);
	s = take(&pt);
	CU_ASSERT_STRING_EQUAL(s, "x_total{route=\"/a\\\"b\",status=\"200\"} 3\n"
	    "y 0.25\nz_total 18446744073709551615\n");
	free(s);
}

static void
test_promtext_sample_special_values(void)
{
	struct promtext	 pt = { 0 };
	char		*s;

	promtext_sample(&pt, "a", NULL, INFINITY);
	promtext_sample(&pt, "b", NULL, -INFINITY);
	promtext_sample(&pt, "c", NULL, NAN);
	promtext_sample(&pt, "d", NULL, 1e20);
	s = take(&pt);
	CU_ASSERT_STRING_EQUAL(s, "a +Inf\nb -Inf\nc NaN\nd 1e+20\n");
	free(s);
}

static void
test_promtext_histogram_cumulative(void)
{
	struct promtext	 pt = { 0 };
	const char	*labels[] = { "route", "/x", NULL };
	const uint64_t	 counts[] = { 2, 0, 3, 1 };
	char		*s;

	promtext_histogram(&pt, "h_seconds", labels, bounds, 3, counts, 4.5);
	s = take(&pt);
	CU_ASSERT_STRING_EQUAL(s,
	    "h_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
	    "h_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n"
	    "h_seconds_bucket{route=\"/x\",le=\"1\"} 5\n"
	    "h_seconds_bucket{route=\"/x\",le=\"+Inf\"} 6\n"
	    "h_seconds_sum{route=\"/x\"} 4.5\n"
	    "h_seconds_count{route=\"/x\"} 6\n");
	free(s);
}

static void
test_promtext_histogram_without_labels(void)
{
	struct promtext	 pt = { 0 };
	const uint64_t	 counts[] = { 0, 0, 0, 0 };
	char		*s;

	promtext_histogram(&pt, "h", NULL, bounds, 3, counts, 0);
	s = take(&pt);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "h_bucket{le=\"+Inf\"} 0\nh_sum 0\n"
	    "h_count 0\n"));
	free(s);
}

static void
test_promtext_take_empties(void)
{
	struct promtext	 pt = { 0 };
	size_t		 len = 1;
	char		*s;

	CU_ASSERT_PTR_NULL(promtext_take(&pt, &len));
	CU_ASSERT_EQUAL(len, 0);
	promtext_sample(&pt, "a", NULL, 1);
	s = promtext_take(&pt, &len);
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_PTR_NULL(pt.buf);
	free(s);
}

static const struct unit_test tests[] = {
	{ "test_promtext_bucket_bound_is_inclusive",
	    test_promtext_bucket_bound_is_inclusive },
	{ "test_promtext_bucket_below_first_and_above_last",
	    test_promtext_bucket_below_first_and_above_last },
	{ "test_promtext_escape_label_value", test_promtext_escape_label_value },
	{ "test_promtext_escape_cut_at_whole_escape",
	    test_promtext_escape_cut_at_whole_escape },
	{ "test_promtext_name_valid", test_promtext_name_valid },
	{ "test_promtext_family_help_and_type",
	    test_promtext_family_help_and_type },
	{ "test_promtext_sample_labels_escaped",
	    test_promtext_sample_labels_escaped },
	{ "test_promtext_sample_special_values",
	    test_promtext_sample_special_values },
	{ "test_promtext_histogram_cumulative",
	    test_promtext_histogram_cumulative },
	{ "test_promtext_histogram_without_labels",
	    test_promtext_histogram_without_labels },
	{ "test_promtext_take_empties", test_promtext_take_empties },
};

int
suite_promtext(void)
{
	return UNIT_SUITE("promtext", tests);
}
