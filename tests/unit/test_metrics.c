/*
 * http/metrics: the status table, and what a counted request looks
 * like in the exposition (route pattern as the label, cumulative
 * buckets), through the same shared block the workers use.
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
	{ HTTP_GET, "/api/services", PERM_AUTH, NULL, TAKES_NONE, NULL, NULL },
	{ HTTP_GET, "/api/services/<id>", PERM_AUTH, NULL, TAKES_NONE, NULL,
	    NULL },
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

	CU_ASSERT_EQUAL_FATAL(metrics_init(), 0);
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

static const struct unit_test tests[] = {
	{ "test_metrics_status_slot_known_and_other",
	    test_metrics_status_slot_known_and_other },
	{ "test_metrics_request_counted_by_pattern",
	    test_metrics_request_counted_by_pattern },
};

int
suite_metrics(void)
{
	return UNIT_SUITE("metrics", tests);
}
