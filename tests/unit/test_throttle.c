/*
 * core/throttle: limits over a window, the attempt itself counted.
 */
#include "config.h"

#include <CUnit/CUnit.h>

#include "core/throttle.h"
#include "suites.h"

static const struct throttle_limits limits = { 5, 20, 900 };

static void
test_throttle_limit_attempts_pass(void)
{
	struct throttle_count	 c = { 5, 5, 1000, 1000 };

	/* The fifth attempt (counted) is still allowed ... */
	CU_ASSERT_FALSE(throttle_refused(&c, &limits, 1100, NULL));
	/* ... the sixth is not. */
	c.by_subject = 6;
	CU_ASSERT_TRUE(throttle_refused(&c, &limits, 1100, NULL));
}

static void
test_throttle_per_address(void)
{
	struct throttle_count	 c = { 1, 20, 1000, 1000 };
	long			 ra = 0;

	CU_ASSERT_FALSE(throttle_refused(&c, &limits, 1100, &ra));
	c.by_addr = 21;
	CU_ASSERT_TRUE(throttle_refused(&c, &limits, 1100, &ra));
	CU_ASSERT_EQUAL(ra, 800);
}

static void
test_throttle_retry_after_from_oldest(void)
{
	struct throttle_count	 c = { 6, 1, 1000, 1099 };
	long			 ra = 0;

	CU_ASSERT_TRUE(throttle_refused(&c, &limits, 1899, &ra));
	CU_ASSERT_EQUAL(ra, 1);
	CU_ASSERT_TRUE(throttle_refused(&c, &limits, 1950, &ra));
	CU_ASSERT_EQUAL(ra, 1);	/* never 0 or negative */
}

static void
test_throttle_both_exceeded_takes_later(void)
{
	struct throttle_count	 c = { 6, 21, 1000, 1500 };
	long			 ra = 0;

	CU_ASSERT_TRUE(throttle_refused(&c, &limits, 1600, &ra));
	CU_ASSERT_EQUAL(ra, 800);
}

static void
test_throttle_zero_limit_is_none(void)
{
	static const struct throttle_limits addr_only = { 0, 3, 60 };
	struct throttle_count	 c = { 1000, 3, 1, 1 };

	CU_ASSERT_FALSE(throttle_refused(&c, &addr_only, 10, NULL));
	c.by_addr = 4;
	CU_ASSERT_TRUE(throttle_refused(&c, &addr_only, 10, NULL));
}

static const struct unit_test tests[] = {
	{ "test_throttle_limit_attempts_pass", test_throttle_limit_attempts_pass },
	{ "test_throttle_per_address", test_throttle_per_address },
	{ "test_throttle_retry_after_from_oldest",
	    test_throttle_retry_after_from_oldest },
	{ "test_throttle_both_exceeded_takes_later",
	    test_throttle_both_exceeded_takes_later },
	{ "test_throttle_zero_limit_is_none", test_throttle_zero_limit_is_none },
};

int
suite_throttle(void)
{
	return UNIT_SUITE("throttle", tests);
}
