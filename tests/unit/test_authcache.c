/*
 * api/authcache: a kept answer is given back only for the same token
 * and only while nothing changed since before it was read; a moved
 * change count drops everything, an unchanged one nothing; the count is
 * read again after a second.  Each test maps a block of its own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "api/authcache.h"
#include "core/validate.h"
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

/* Off: nothing to read, nothing to keep, always due. */
static void
test_off_answers_nothing(void)
{
	CU_ASSERT_FATAL(authcache_init(NULL, false) == 0);
	CU_ASSERT_TRUE(authcache_due(5000000));
	authcache_synced(5000000, 41);
	CU_ASSERT_TRUE(authcache_due(5000001));
	authcache_changed();
	CU_ASSERT_EQUAL(authcache_mark(), 0);
}

static void
test_unkeepable_answers_refused(void)
{
	struct authcache_hit	 hit;
	char			 name[USERNAME_MAX + 2];

	fresh();
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, name);
	CU_ASSERT_FALSE(authcache_get(J1, 7, 2, &hit));
	name[USERNAME_MAX] = '\0';
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, name);
	CU_ASSERT_TRUE(authcache_get(J1, 7, 2, &hit));
	CU_ASSERT_EQUAL(strlen(hit.username), USERNAME_MAX);
	authcache_put(authcache_mark(), "short", 7, 2, ROLE_ENGINEER, "eve");
	CU_ASSERT_FALSE(authcache_get("short", 7, 2, &hit));
	/* A role no table knows is never handed back. */
	authcache_put(authcache_mark(), J2, 9, 0, ROLE__MAX, "root");
	CU_ASSERT_FALSE(authcache_get(J2, 9, 0, &hit));
}

/* A file's block: answers kept there do not outlive the next start. */
static void
test_file_block_starts_over(void)
{
	struct authcache_hit	 hit;
	char			 dir[] = "/tmp/resilops-authc-XXXXXX";
	char			 path[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/missing/cache", dir);
	CU_ASSERT_EQUAL(authcache_init(path, true), -1);
	snprintf(path, sizeof(path), "%s/cache", dir);
	CU_ASSERT_EQUAL_FATAL(authcache_init(path, true), 0);
	authcache_put(authcache_mark(), J1, 7, 2, ROLE_ENGINEER, "eve");
	CU_ASSERT_TRUE(authcache_get(J1, 7, 2, &hit));
	CU_ASSERT_EQUAL_FATAL(authcache_init(path, true), 0);
	CU_ASSERT_FALSE(authcache_get(J1, 7, 2, &hit));
	unlink(path);
	rmdir(dir);
	/* Off again, as the suites after this one find it. */
	CU_ASSERT_EQUAL(authcache_init(NULL, false), 0);
}

static const struct unit_test tests[] = {
	{ "test_kept_answer_given_back", test_kept_answer_given_back },
	{ "test_other_token_misses", test_other_token_misses },
	{ "test_change_drops_everything", test_change_drops_everything },
	{ "test_answer_read_before_a_change_not_kept",
	    test_answer_read_before_a_change_not_kept },
	{ "test_change_count", test_change_count },
	{ "test_off_keeps_nothing", test_off_keeps_nothing },
	{ "test_off_answers_nothing", test_off_answers_nothing },
	{ "test_unkeepable_answers_refused", test_unkeepable_answers_refused },
	{ "test_file_block_starts_over", test_file_block_starts_over },
};

int
suite_authcache(void)
{
	return UNIT_SUITE("authcache", tests);
}
