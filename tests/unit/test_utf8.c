/*
 * util/utf8: what counts as UTF-8 (RFC 3629, no NUL).
 */
#include "config.h"

#include <stddef.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/utf8.h"

static void
test_utf8_ascii_and_empty(void)
{
	size_t	 n = 99;

	CU_ASSERT_TRUE(utf8_valid("", 0, &n) && n == 0);
	CU_ASSERT_TRUE(utf8_valid("abc", 3, &n) && n == 3);
}

static void
test_utf8_nul_refused(void)
{

	CU_ASSERT_FALSE(utf8_valid("a\0b", 3, NULL));
}

static void
test_utf8_stray_bytes_refused(void)
{

	CU_ASSERT_FALSE(utf8_valid("\xff", 1, NULL));
	CU_ASSERT_FALSE(utf8_valid("\x80", 1, NULL));
	CU_ASSERT_FALSE(utf8_valid("\xf5\x80\x80\x80", 4, NULL));
}

static void
test_utf8_overlong_refused(void)
{

	CU_ASSERT_FALSE(utf8_valid("\xc0\xaf", 2, NULL));
}

static void
test_utf8_surrogate_refused(void)
{

	CU_ASSERT_FALSE(utf8_valid("\xed\xa0\x80", 3, NULL));
}

static void
test_utf8_truncated_refused(void)
{

	CU_ASSERT_FALSE(utf8_valid("\xe2\x82", 2, NULL));
}

static void
test_utf8_four_byte_counts_one(void)
{
	size_t	 n = 0;

	CU_ASSERT_TRUE(utf8_valid("a\xf0\x9f\x98\x80", 5, &n) && n == 2);
}

static const struct unit_test tests[] = {
	{ "test_utf8_ascii_and_empty", test_utf8_ascii_and_empty },
	{ "test_utf8_nul_refused", test_utf8_nul_refused },
	{ "test_utf8_stray_bytes_refused", test_utf8_stray_bytes_refused },
	{ "test_utf8_overlong_refused", test_utf8_overlong_refused },
	{ "test_utf8_surrogate_refused", test_utf8_surrogate_refused },
	{ "test_utf8_truncated_refused", test_utf8_truncated_refused },
	{ "test_utf8_four_byte_counts_one", test_utf8_four_byte_counts_one },
};

int
suite_utf8(void)
{
	return UNIT_SUITE("utf8", tests);
}
