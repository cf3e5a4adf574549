/*
 * core/intervaltext: the summaries' interval text as MariaDB writes it
 * (and as JSON allows), every pair in order, open ends; and every text
 * of another shape refused whole, with nothing handed back.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/intervaltext.h"
#include "suites.h"

static int
parse(const char *s, struct interval **iv, size_t *n)
{
	return intervals_parse(s, strlen(s), iv, n);
}

static void
test_intervaltext_mariadb(void)
{
	struct interval	*iv;
	size_t		 n;

	CU_ASSERT_EQUAL(parse("[[1733389200, 1733392800], [1733400000, null]]",
	    &iv, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(iv[0].start, 1733389200);
	CU_ASSERT_EQUAL(iv[0].end, 1733392800);
	CU_ASSERT_EQUAL(iv[1].start, 1733400000);
	CU_ASSERT_EQUAL(iv[1].end, 0);
	free(iv);
}

static void
test_intervaltext_spacing(void)
{
	struct interval	*iv;
	size_t		 n;

	CU_ASSERT_EQUAL(parse(" \n[ [ -5 ,0 ] ,[7,8]\t]\r\n", &iv, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(iv[0].start, -5);
	CU_ASSERT_EQUAL(iv[0].end, 0);
	CU_ASSERT_EQUAL(iv[1].start, 7);
	CU_ASSERT_EQUAL(iv[1].end, 8);
	free(iv);
}

static void
test_intervaltext_empty(void)
{
	struct interval	*iv = (struct interval *)&iv;
	size_t		 n = 9;

	CU_ASSERT_EQUAL(parse("[]", &iv, &n), 0);
	CU_ASSERT_PTR_NULL(iv);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(parse(" [ ] ", &iv, &n), 0);
	CU_ASSERT_PTR_NULL(iv);
}

/* Many pairs, as a busy service's summary holds them. */
static void
test_intervaltext_many(void)
{
	struct interval	*iv;
	size_t		 n, i, len = 0;
	char		*s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s = malloc(600 * 32));
	len += (size_t)sprintf(s, "[");
	for (i = 0; i < 600; i++)
		len += (size_t)sprintf(s + len, "%s[%zu, %zu]", i ? ", " : "",
		    1700000000 + i * 100, 1700000000 + i * 100 + 50);
	len += (size_t)sprintf(s + len, "]");
	CU_ASSERT_EQUAL(intervals_parse(s, len, &iv, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 600);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(iv[i].start, (time_t)(1700000000 + i * 100));
		CU_ASSERT_EQUAL(iv[i].end, (time_t)(1700000000 + i * 100 + 50));
	}
	free(iv);
	free(s);
}

/* Only the length given is read: a longer buffer's tail is not text. */
static void
test_intervaltext_length(void)
{
	struct interval	*iv;
	size_t		 n;
	const char	*s = "[[1, 2]]garbage";

	CU_ASSERT_EQUAL(intervals_parse(s, 8, &iv, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	free(iv);
	CU_ASSERT_EQUAL(intervals_parse(s, 9, &iv, &n), -1);
}

static void
test_intervaltext_refused(void)
{
	static const char *const bad[] = {
		"", " ", "[", "]", "{}", "null", "[[1, 2]", "[[1, 2],]",
		"[,[1, 2]]", "[[1, 2] [3, 4]]", "[[1]]", "[[1, 2, 3]]",
		"[[]]", "[[01, 2]]", "[[1, 02]]", "[[1.5, 2]]", "[[1, 2e3]]",
		"[[null, 2]]", "[[1, nul]]", "[[1, nullx]]", "[[+1, 2]]",
		"[[-, 2]]", "[[\"1\", 2]]", "[[1, 2]] x", "[[1, 2]]]",
		"[1, 2]", "[[1, 2], 3]", "[[1099511627777, 2]]",
		"[[9999999999999999999, 2]]", "[[1, 2]],[[3, 4]]",
	};
	struct interval	*iv;
	size_t		 i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		iv = (struct interval *)&iv;
		n = 7;
		if (parse(bad[i], &iv, &n) != -1)
			CU_FAIL(bad[i]);
		CU_ASSERT_PTR_NULL(iv);
		CU_ASSERT_EQUAL(n, 0);
	}
	CU_ASSERT_EQUAL(intervals_parse(NULL, 0, &iv, &n), -1);
}

static const struct unit_test tests[] = {
	{ "mariadb", test_intervaltext_mariadb },
	{ "spacing", test_intervaltext_spacing },
	{ "empty", test_intervaltext_empty },
	{ "many", test_intervaltext_many },
	{ "length", test_intervaltext_length },
	{ "refused", test_intervaltext_refused },
};

int
suite_intervaltext(void)
{
	return UNIT_SUITE("intervaltext", tests);
}
