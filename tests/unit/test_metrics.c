/*
 * http/metrics: the status table, and what a counted request looks
 * like in the exposition (route pattern as the label, cumulative
 * buckets), through the same shared block the workers use; and the
 * shared file's header, which decides whether a file's rows are ours.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/promtext.h"
#include "http/metrics.h"
#include "http/route.h"
#include "suites.h"

static const struct route	 rows[] = {
	{ HTTP_GET, "/api/services", PERM_AUTH, NULL, TAKES_NONE, NULL, NULL,
	    NULL },
	{ HTTP_GET, "/api/services/<id>", PERM_AUTH, NULL, TAKES_NONE, NULL,
	    NULL, NULL },
};

static void
test_metrics_status_slot_known_and_other(void)
{
	CU_ASSERT_STRING_EQUAL(metrics_status_label(metrics_status_slot(200)),
	    "200");
	CU_ASSERT_STRING_EQUAL(metrics_status_label(metrics_status_slot(404)),
	    "404");
	CU_ASSERT_STRING_EQUAL(metrics_status_label(metrics_status_slot(418)),
	    "other");
	CU_ASSERT_STRING_EQUAL(metrics_status_label(metrics_status_slot(-1)),
	    "other");
}

static void
test_metrics_request_counted_by_pattern(void)
{
	struct promtext	 pt = { 0 };
	size_t		 len;
	char		*s;

	CU_ASSERT_EQUAL_FATAL(metrics_init(NULL, rows, 2), 0);
	metrics_request(1, 200, 0.003);
	metrics_request(1, 200, 0.2);
	metrics_request(1, 404, 0.001);
	metrics_request(METRICS_ROUTES_MAX + 7, 404, 0.001);
	metrics_write(&pt, rows, 2);
	s = promtext_take(&pt, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "resilops_http_requests_total{route="
	    "\"/api/services/<id>\",method=\"GET\",status=\"200\"} 2\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "resilops_http_requests_total{route="
	    "\"/api/services/<id>\",method=\"GET\",status=\"404\"} 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "resilops_http_requests_total{route="
	    "\"-\",method=\"-\",status=\"404\"} 1\n"));
	/* The row nobody asked for is left out. */
	CU_ASSERT_PTR_NULL(strstr(s, "route=\"/api/services\","));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "resilops_http_request_duration_seconds"
	    "_bucket{route=\"/api/services/<id>\",method=\"GET\",le=\"0.005\"} 2\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "resilops_http_request_duration_seconds"
	    "_bucket{route=\"/api/services/<id>\",method=\"GET\",le=\"+Inf\"} 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "resilops_http_request_duration_seconds"
	    "_count{route=\"/api/services/<id>\",method=\"GET\"} 3\n"));
	free(s);
}

static void
test_metrics_layout_follows_the_route_table(void)
{
	struct route	 other[2];

	memcpy(other, rows, sizeof(other));
	CU_ASSERT_EQUAL(metrics_layout(rows, 2), metrics_layout(other, 2));
	other[1].pattern = "/api/services/<id>/x";
	CU_ASSERT_NOT_EQUAL(metrics_layout(rows, 2), metrics_layout(other, 2));
	memcpy(other, rows, sizeof(other));
	other[0].method = HTTP_POST;
	CU_ASSERT_NOT_EQUAL(metrics_layout(rows, 2), metrics_layout(other, 2));
	/* A row fewer shifts nothing, but it is still another program. */
	CU_ASSERT_NOT_EQUAL(metrics_layout(rows, 2), metrics_layout(rows, 1));
}

static void
test_metrics_header_own_layout_accepted(void)
{
	unsigned char	 buf[METRICS_HEADER_SIZE];
	uint64_t	 layout = metrics_layout(rows, 2);

	metrics_header_write(buf, layout);
	CU_ASSERT_TRUE(metrics_header_valid(buf, sizeof(buf), layout));
}

static void
test_metrics_header_other_layout_refused(void)
{
	unsigned char	 buf[METRICS_HEADER_SIZE];
	uint64_t	 layout = metrics_layout(rows, 2);

	metrics_header_write(buf, metrics_layout(rows, 1));
	CU_ASSERT_FALSE(metrics_header_valid(buf, sizeof(buf), layout));
}

static void
test_metrics_header_garbage_refused(void)
{
	unsigned char	 buf[METRICS_HEADER_SIZE];
	uint64_t	 layout = metrics_layout(rows, 2);

	/* A new file is all zeros: never taken for a header. */
	memset(buf, 0, sizeof(buf));
	CU_ASSERT_FALSE(metrics_header_valid(buf, sizeof(buf), layout));
	memset(buf, 0xa5, sizeof(buf));
	CU_ASSERT_FALSE(metrics_header_valid(buf, sizeof(buf), layout));
	/* The right layout behind a wrong magic or version is still refused. */
	metrics_header_write(buf, layout);
	buf[0] ^= 1;
	CU_ASSERT_FALSE(metrics_header_valid(buf, sizeof(buf), layout));
	metrics_header_write(buf, layout);
	buf[8] ^= 0x80;
	CU_ASSERT_FALSE(metrics_header_valid(buf, sizeof(buf), layout));
	/* Shorter than a header. */
	metrics_header_write(buf, layout);
	CU_ASSERT_FALSE(metrics_header_valid(buf, sizeof(buf) - 1, layout));
}

static const struct unit_test tests[] = {
	{ "test_metrics_status_slot_known_and_other",
	    test_metrics_status_slot_known_and_other },
	{ "test_metrics_request_counted_by_pattern",
	    test_metrics_request_counted_by_pattern },
	{ "test_metrics_layout_follows_the_route_table",
	    test_metrics_layout_follows_the_route_table },
	{ "test_metrics_header_own_layout_accepted",
	    test_metrics_header_own_layout_accepted },
	{ "test_metrics_header_other_layout_refused",
	    test_metrics_header_other_layout_refused },
	{ "test_metrics_header_garbage_refused",
	    test_metrics_header_garbage_refused },
};

int
suite_metrics(void)
{
	return UNIT_SUITE("metrics", tests);
}
