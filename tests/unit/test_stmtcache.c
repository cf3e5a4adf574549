/*
 * db/stmtcache: the bound, least recently used first, and a statement
 * whose result set is open never closed.  The statements are real
 * MYSQL_STMT handles of a connection never opened: stmt_init and
 * stmt_close need no server.
 */
#include "config.h"

#include <CUnit/CUnit.h>
#include <mysql.h>

#include "db/stmtcache.h"
#include "suites.h"

static const char	 SQL_A[] = "a", SQL_B[] = "b", SQL_C[] = "c",
			 SQL_D[] = "d";

static MYSQL	*conn;

static MYSQL_STMT *
add(struct stmt_cache *c, const char *sql, size_t max)
{
	MYSQL_STMT	*st;

	stmt_cache_room(c, max);
	CU_ASSERT_FATAL((st = mysql_stmt_init(conn)) != NULL);
	CU_ASSERT_FATAL(stmt_cache_add(c, sql, st) == 0);
	return st;
}

static void
test_least_recently_used_goes(void)
{
	struct stmt_cache	 c = { 0 };
	MYSQL_STMT		*a, *b;

	CU_ASSERT_FATAL((conn = mysql_init(NULL)) != NULL);
	a = add(&c, SQL_A, 2);
	b = add(&c, SQL_B, 2);
	/* a used after b: b is the least recently used. */
	CU_ASSERT_PTR_EQUAL(stmt_cache_find(&c, SQL_A), a);
	add(&c, SQL_C, 2);
	CU_ASSERT_EQUAL(c.n, 2);
	CU_ASSERT_PTR_EQUAL(stmt_cache_find(&c, SQL_A), a);
	CU_ASSERT_PTR_NULL(stmt_cache_find(&c, SQL_B));
	CU_ASSERT_PTR_NOT_NULL(stmt_cache_find(&c, SQL_C));
	(void)b;
	stmt_cache_clear(&c);
	CU_ASSERT_EQUAL(c.n, 0);
	mysql_close(conn);
}

static void
test_open_result_is_kept(void)
{
	struct stmt_cache	 c = { 0 };
	MYSQL_STMT		*a, *b;

	CU_ASSERT_FATAL((conn = mysql_init(NULL)) != NULL);
	a = add(&c, SQL_A, 2);
	b = add(&c, SQL_B, 2);
	/* a is the least recently used, but a caller reads its rows. */
	stmt_cache_results(&c, a, 1);
	add(&c, SQL_C, 2);
	CU_ASSERT_PTR_EQUAL(stmt_cache_find(&c, SQL_A), a);
	CU_ASSERT_PTR_NULL(stmt_cache_find(&c, SQL_B));
	/* Both left are open now: the cache grows past its bound. */
	stmt_cache_results(&c, stmt_cache_find(&c, SQL_C), 1);
	add(&c, SQL_D, 2);
	CU_ASSERT_EQUAL(c.n, 3);
	/* Freed, a goes first again. */
	stmt_cache_results(&c, a, -1);
	stmt_cache_results(&c, a, -1);	/* never below zero */
	stmt_cache_room(&c, 2);
	CU_ASSERT_PTR_NULL(stmt_cache_find(&c, SQL_A));
	CU_ASSERT_EQUAL(c.n, 2);
	(void)b;
	stmt_cache_clear(&c);
	mysql_close(conn);
}

static void
test_forget(void)
{
	struct stmt_cache	 c = { 0 };

	CU_ASSERT_FATAL((conn = mysql_init(NULL)) != NULL);
	add(&c, SQL_A, 8);
	add(&c, SQL_B, 8);
	stmt_cache_forget(&c, SQL_A);
	stmt_cache_forget(&c, SQL_C);	/* not kept: nothing */
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT_PTR_NULL(stmt_cache_find(&c, SQL_A));
	CU_ASSERT_PTR_NOT_NULL(stmt_cache_find(&c, SQL_B));
	stmt_cache_clear(&c);
	mysql_close(conn);
}

int
suite_stmtcache(void)
{
	static const struct unit_test	 tests[] = {
		{ "least recently used goes", test_least_recently_used_goes },
		{ "an open result's statement is kept", test_open_result_is_kept },
		{ "forget", test_forget },
	};

	return UNIT_SUITE("stmtcache", tests);
}
