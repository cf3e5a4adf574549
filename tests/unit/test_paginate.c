/*
 * core/paginate: page and per_page parsing (CONTRACT section 9) and the
 * RFC 8288 Link header on the first, a middle, the last and the only
 * page.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/paginate.h"
#include "suites.h"

/* page_parse succeeded with exactly page and per_page. */
static bool
parses_to(const char *page, const char *per_page, long long want_page,
    long long want_per_page)
{
	struct page	 pg;

	return page_parse(page, per_page, &pg) == 0 &&
	    pg.page == want_page && pg.per_page == want_per_page;
}

static bool
refused(const char *page, const char *per_page)
{
	struct page	 pg;

	return page_parse(page, per_page, &pg) == -1;
}

/* Whether the Link header for (page, per_page, total) contains needle. */
static bool
link_has(const char *query, long long page, long long per_page,
    long long total, const char *needle)
{
	struct page	 pg = { page, per_page };
	char		*s;
	bool		 found;

	if ((s = page_link("/api/services", query, &pg, total)) == NULL)
		return false;
	found = strstr(s, needle) != NULL;
	free(s);
	return found;
}

static bool
link_is(const char *query, long long page, long long per_page,
    long long total, const char *want)
{
	struct page	 pg = { page, per_page };
	char		*s;
	bool		 same;

	if ((s = page_link("/api/services", query, &pg, total)) == NULL)
		return false;
	same = strcmp(s, want) == 0;
	free(s);
	return same;
}

static void
test_paginate_defaults(void)
{

	CU_ASSERT_TRUE(parses_to(NULL, NULL, 1, PAGE_DEFAULT_SIZE));
}

static void
test_paginate_values(void)
{

	CU_ASSERT_TRUE(parses_to("3", "25", 3, 25));
}

static void
test_paginate_per_page_clamped(void)
{

	CU_ASSERT_TRUE(parses_to("1", "5000", 1, PAGE_MAX_SIZE));
}

static void
test_paginate_per_page_max_kept(void)
{

	CU_ASSERT_TRUE(parses_to(NULL, "1000", 1, 1000));
}

static void
test_paginate_page_zero_refused(void)
{

	CU_ASSERT_TRUE(refused("0", NULL));
}

static void
test_paginate_per_page_zero_refused(void)
{

	CU_ASSERT_TRUE(refused(NULL, "0"));
}

static void
test_paginate_negative_refused(void)
{

	CU_ASSERT_TRUE(refused("-1", NULL));
}

static void
test_paginate_letters_refused(void)
{

	CU_ASSERT_TRUE(refused("abc", NULL));
}

static void
test_paginate_trailing_letters_refused(void)
{

	CU_ASSERT_TRUE(refused(NULL, "10x"));
}

static void
test_paginate_empty_refused(void)
{

	CU_ASSERT_TRUE(refused("", NULL));
}

static void
test_paginate_plus_refused(void)
{

	CU_ASSERT_TRUE(refused("+2", NULL));
}

static void
test_paginate_overflow_refused(void)
{

	CU_ASSERT_TRUE(refused("99999999999999999999999", NULL));
}

static void
test_paginate_per_page_overflow_refused(void)
{

	CU_ASSERT_TRUE(refused(NULL, "99999999999999999999999"));
}

static void
test_paginate_offset(void)
{
	struct page	 pg = { 3, 25 };

	CU_ASSERT_EQUAL(page_offset(&pg), 50);
}

static void
test_paginate_offset_first_page(void)
{
	struct page	 pg = { 1, 100 };

	CU_ASSERT_EQUAL(page_offset(&pg), 0);
}

static void
test_paginate_link_middle_exact(void)
{

	CU_ASSERT_TRUE(link_is(NULL, 2, 10, 35,
	    "</api/services?page=1&per_page=10>; rel=\"first\", "
	    "</api/services?page=1&per_page=10>; rel=\"prev\", "
	    "</api/services?page=3&per_page=10>; rel=\"next\", "
	    "</api/services?page=4&per_page=10>; rel=\"last\""));
}

static void
test_paginate_link_first_has_no_prev(void)
{

	CU_ASSERT_FALSE(link_has(NULL, 1, 10, 35, "rel=\"prev\""));
}

static void
test_paginate_link_first_has_next(void)
{

	CU_ASSERT_TRUE(link_has(NULL, 1, 10, 35,
	    "page=2&per_page=10>; rel=\"next\""));
}

static void
test_paginate_link_last_has_no_next(void)
{

	CU_ASSERT_FALSE(link_has(NULL, 4, 10, 35, "rel=\"next\""));
}

static void
test_paginate_link_last_has_prev(void)
{

	CU_ASSERT_TRUE(link_has(NULL, 4, 10, 35,
	    "page=3&per_page=10>; rel=\"prev\""));
}

static void
test_paginate_link_only_page(void)
{

	CU_ASSERT_TRUE(link_is(NULL, 1, 100, 7,
	    "</api/services?page=1&per_page=100>; rel=\"first\", "
	    "</api/services?page=1&per_page=100>; rel=\"last\""));
}

static void
test_paginate_link_empty_list_last_is_one(void)
{

	CU_ASSERT_TRUE(link_has(NULL, 1, 100, 0,
	    "page=1&per_page=100>; rel=\"last\""));
}

static void
test_paginate_link_exact_multiple(void)
{

	CU_ASSERT_TRUE(link_has(NULL, 1, 10, 40,
	    "page=4&per_page=10>; rel=\"last\""));
}

static void
test_paginate_link_past_end_prev_is_last(void)
{

	CU_ASSERT_TRUE(link_has(NULL, 9, 10, 35,
	    "page=4&per_page=10>; rel=\"prev\""));
}

static void
test_paginate_link_keeps_other_params(void)
{

	CU_ASSERT_TRUE(link_is("status=Down&page=2&sort=name&per_page=10",
	    1, 10, 15,
	    "</api/services?status=Down&sort=name&page=1&per_page=10>; "
	    "rel=\"first\", "
	    "</api/services?status=Down&sort=name&page=2&per_page=10>; "
	    "rel=\"next\", "
	    "</api/services?status=Down&sort=name&page=2&per_page=10>; "
	    "rel=\"last\""));
}

static void
test_paginate_link_empty_query(void)
{

	CU_ASSERT_TRUE(link_has("", 1, 100, 1,
	    "</api/services?page=1&per_page=100>; rel=\"first\""));
}

static void
test_paginate_link_similar_names_kept(void)
{

	CU_ASSERT_TRUE(link_has("pages=3&xpage=1", 1, 100, 1,
	    "?pages=3&xpage=1&page=1&per_page=100>"));
}

static void
test_paginate_link_escapes_angle_brackets(void)
{

	CU_ASSERT_TRUE(link_has("q=<x>\"", 1, 100, 1,
	    "?q=%3Cx%3E%22&page=1"));
}

static void
test_paginate_page_number_bounded(void)
{
	char	 s[32];

	/* A page whose offset would overflow is refused. */
	snprintf(s, sizeof(s), "%lld", LLONG_MAX / PAGE_MAX_SIZE);
	CU_ASSERT_TRUE(parses_to(s, "1000", LLONG_MAX / PAGE_MAX_SIZE, 1000));
	snprintf(s, sizeof(s), "%lld", LLONG_MAX / PAGE_MAX_SIZE + 1);
	CU_ASSERT_TRUE(refused(s, NULL));
	CU_ASSERT_TRUE(refused("", "10"));
	CU_ASSERT_TRUE(refused("1", ""));
	CU_ASSERT_TRUE(refused("1", "9x"));
}

static void
test_paginate_link_refused_or_clamped(void)
{
	struct page	 pg = { 1, 10 }, zero = { 0, 10 }, none = { 1, 0 };
	char		*s;

	CU_ASSERT_PTR_NULL(page_link(NULL, NULL, &pg, 5));
	CU_ASSERT_PTR_NULL(page_link("/api/services", NULL, NULL, 5));
	CU_ASSERT_PTR_NULL(page_link("/api/services", NULL, &zero, 5));
	CU_ASSERT_PTR_NULL(page_link("/api/services", NULL, &none, 5));
	/* A negative total counts as an empty list. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = page_link("/api/services", NULL,
	    &pg, -3));
	CU_ASSERT_STRING_EQUAL(s,
	    "</api/services?page=1&per_page=10>; rel=\"first\", "
	    "</api/services?page=1&per_page=10>; rel=\"last\"");
	free(s);
}

/* Empty parameters go; every byte outside RFC 3986's sets is encoded. */
static void
test_paginate_link_query_encoded(void)
{
	CU_ASSERT_TRUE(link_is("&&a=1&&per_page&page&b=%7e~", 1, 10, 5,
	    "</api/services?a=1&b=%7e~&page=1&per_page=10>; rel=\"first\", "
	    "</api/services?a=1&b=%7e~&page=1&per_page=10>; rel=\"last\""));
	CU_ASSERT_TRUE(link_has("q=a b\x01\xff{}|^`", 1, 10, 5,
	    "?q=a%20b%01%FF%7B%7D%7C%5E%60&page=1"));
	CU_ASSERT_TRUE(link_has("Z9-._:/?#[]@!$'()*+,;=", 1, 10, 5,
	    "?Z9-._:/?#[]@!$'()*+,;=&page=1"));
}

static const struct unit_test tests[] = {
	{ "test_paginate_defaults", test_paginate_defaults },
	{ "test_paginate_values", test_paginate_values },
	{ "test_paginate_per_page_clamped", test_paginate_per_page_clamped },
	{ "test_paginate_per_page_max_kept", test_paginate_per_page_max_kept },
	{ "test_paginate_page_zero_refused", test_paginate_page_zero_refused },
	{ "test_paginate_per_page_zero_refused",
	    test_paginate_per_page_zero_refused },
	{ "test_paginate_negative_refused", test_paginate_negative_refused },
	{ "test_paginate_letters_refused", test_paginate_letters_refused },
	{ "test_paginate_trailing_letters_refused",
	    test_paginate_trailing_letters_refused },
	{ "test_paginate_empty_refused", test_paginate_empty_refused },
	{ "test_paginate_plus_refused", test_paginate_plus_refused },
	{ "test_paginate_overflow_refused", test_paginate_overflow_refused },
	{ "test_paginate_per_page_overflow_refused",
	    test_paginate_per_page_overflow_refused },
	{ "test_paginate_offset", test_paginate_offset },
	{ "test_paginate_offset_first_page", test_paginate_offset_first_page },
	{ "test_paginate_link_middle_exact", test_paginate_link_middle_exact },
	{ "test_paginate_link_first_has_no_prev",
	    test_paginate_link_first_has_no_prev },
	{ "test_paginate_link_first_has_next",
	    test_paginate_link_first_has_next },
	{ "test_paginate_link_last_has_no_next",
	    test_paginate_link_last_has_no_next },
	{ "test_paginate_link_last_has_prev",
	    test_paginate_link_last_has_prev },
	{ "test_paginate_link_only_page", test_paginate_link_only_page },
	{ "test_paginate_link_empty_list_last_is_one",
	    test_paginate_link_empty_list_last_is_one },
	{ "test_paginate_link_exact_multiple",
	    test_paginate_link_exact_multiple },
	{ "test_paginate_link_past_end_prev_is_last",
	    test_paginate_link_past_end_prev_is_last },
	{ "test_paginate_link_keeps_other_params",
	    test_paginate_link_keeps_other_params },
	{ "test_paginate_link_empty_query", test_paginate_link_empty_query },
	{ "test_paginate_link_similar_names_kept",
	    test_paginate_link_similar_names_kept },
	{ "test_paginate_link_escapes_angle_brackets",
	    test_paginate_link_escapes_angle_brackets },
	{ "test_paginate_page_number_bounded",
	    test_paginate_page_number_bounded },
	{ "test_paginate_link_refused_or_clamped",
	    test_paginate_link_refused_or_clamped },
	{ "test_paginate_link_query_encoded", test_paginate_link_query_encoded },
};

int
suite_paginate(void)
{

	return UNIT_SUITE("paginate", tests);
}
