/*
 * api/authcache: a kept answer is given back only for the same token
 * and only while nothing changed since before it was read; a moved
 * change count drops everything, an unchanged one nothing; the count is
 * read again after a second.  Each test maps a block of its own.
 */
#include "config.h"

#include <string.h>

#include <CUnit/CUnit.h>

#include "api/authcache.h"
#include "db/db.h"
#include "suites.h"

static const char	 J1[] = "0123456789abcdef0123456789abcdef";
static const char	 J2[] = "fedcba9876543210fedcba9876543210";

static void
fresh(void)
{
	CU_ASSERT_FATAL(authcache_init(NULL, true) == 0);
	CU_ASSERT_FATAL(authcache_on());
}

static void
test_kept_answer_given_back(void)
{
	struct authcache_hit	 hit;

	fresh();
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, "eve");
	memset(&hit, 0, sizeof(hit));
	CU_ASSERT_TRUE_FATAL(authcache_get(J1, 7, 2, &hit));
	CU_ASSERT_EQUAL(hit.role, ROLE_ENGINEER);
	CU_ASSERT_STRING_EQUAL(hit.username, "eve");
}

static void
test_other_token_misses(void)
{
	struct authcache_hit	 hit;

	fresh();
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, "eve");
	CU_ASSERT_FALSE(authcache_get(J2, 7, 2, &hit));
	CU_ASSERT_FALSE(authcache_get(J1, 8, 2, &hit));	/* another account */
	CU_ASSERT_FALSE(authcache_get(J1, 7, 3, &hit));	/* another generation */
	CU_ASSERT_FALSE(authcache_get("short", 7, 2, &hit));
}

static void
test_change_drops_everything(void)
{
	struct authcache_hit	 hit;

	fresh();
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, "eve");
	authcache_put(authcache_mark(), J2, 9, 0, ROLE_ADMIN, "root");
	authcache_commit_hook(DB_NOTE_AUTH);
	CU_ASSERT_FALSE(authcache_get(J1, 7, 2, &hit));
	CU_ASSERT_FALSE(authcache_get(J2, 9, 0, &hit));
	/* Another kind of note drops nothing. */
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, "eve");
	authcache_commit_hook(0);
	CU_ASSERT_TRUE(authcache_get(J1, 7, 2, &hit));
}

static void
test_answer_read_before_a_change_not_kept(void)
{
	struct authcache_hit	 hit;
	uint64_t		 mark;

	fresh();
	mark = authcache_mark();	/* the read starts */
	authcache_changed();		/* a change commits meanwhile */
	authcache_put(mark, J1, 7, 2, ROLE_ENGINEER, "eve");
	CU_ASSERT_FALSE(authcache_get(J1, 7, 2, &hit));
}

static void
test_change_count(void)
{
	struct authcache_hit	 hit;
	int64_t			 t = 5000000;

	fresh();
	CU_ASSERT_TRUE(authcache_due(t));	/* never read */
	authcache_synced(t, 41);
	CU_ASSERT_FALSE(authcache_due(t + 999));
	CU_ASSERT_TRUE(authcache_due(t + 1000));
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, "eve");
	/* The same count: nothing changed elsewhere. */
	authcache_synced(t + 1000, 41);
	CU_ASSERT_TRUE(authcache_get(J1, 7, 2, &hit));
	/* Any other count, even a smaller one (a new database). */
	authcache_synced(t + 2000, 3);
	CU_ASSERT_FALSE(authcache_get(J1, 7, 2, &hit));
	/* An older read never moves the time of the last one back. */
	authcache_synced(t + 1500, 3);
	CU_ASSERT_FALSE(authcache_due(t + 2999));
}

static void
test_off_keeps_nothing(void)
{
	struct authcache_hit	 hit;

	CU_ASSERT_FATAL(authcache_init(NULL, false) == 0);
	CU_ASSERT_FALSE(authcache_on());
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, "eve");
	CU_ASSERT_FALSE(authcache_get(J1, 7, 2, &hit));
}

static const struct unit_test tests[] = {
	{ "test_kept_answer_given_back", test_kept_answer_given_back },
	{ "test_other_token_misses", test_other_token_misses },
	{ "test_change_drops_everything", test_change_drops_everything },
	{ "test_answer_read_before_a_change_not_kept",
	    test_answer_read_before_a_change_not_kept },
	{ "test_change_count", test_change_count },
	{ "test_off_keeps_nothing", test_off_keeps_nothing },
};

int
suite_authcache(void)
{
	return UNIT_SUITE("authcache", tests);
}
