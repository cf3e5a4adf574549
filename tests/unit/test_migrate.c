/*
 * db/migrate: which migrations a program applies.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "db/migrate.h"
#include "suites.h"

/* A pretend file system: both the tree's and the installed sql/ exist. */
static bool
both_exist(const char *p)
{
	return strcmp(p, "/src/resilops/sql") == 0 ||
	    strcmp(p, "/usr/local/share/resilops/sql") == 0;
}

static bool
only_installed(const char *p)
{
	return strcmp(p, "/usr/local/share/resilops/sql") == 0;
}

static void
test_migrate_tree_wins_over_installed(void)
{
	char	 buf[256];

	/* After "make install", ./resilops-admin in the tree uses the tree's. */
	CU_ASSERT_STRING_EQUAL(migrate_dir_pick(NULL,
	    "/src/resilops/resilops-admin", "/usr/local/share/resilops/sql",
	    both_exist, buf, sizeof(buf)), "/src/resilops/sql");
}

static void
test_migrate_installed_program_uses_datadir(void)
{
	char	 buf[256];

	CU_ASSERT_STRING_EQUAL(migrate_dir_pick(NULL,
	    "/usr/local/bin/resilops-admin", "/usr/local/share/resilops/sql",
	    only_installed, buf, sizeof(buf)), "/usr/local/share/resilops/sql");
}

static void
test_migrate_env_wins(void)
{
	char	 buf[256];

	CU_ASSERT_STRING_EQUAL(migrate_dir_pick("/elsewhere/sql",
	    "/src/resilops/resilops-admin", "/usr/local/share/resilops/sql",
	    both_exist, buf, sizeof(buf)), "/elsewhere/sql");
	/* An empty variable is no variable. */
	CU_ASSERT_STRING_EQUAL(migrate_dir_pick("",
	    "/usr/local/bin/resilops-admin", "/usr/local/share/resilops/sql",
	    only_installed, buf, sizeof(buf)), "/usr/local/share/resilops/sql");
}

static void
test_migrate_nothing_found(void)
{
	char	 buf[8];

	CU_ASSERT_STRING_EQUAL(migrate_dir_pick(NULL, NULL, "/nope",
	    only_installed, buf, sizeof(buf)), "sql");
	/* A path that does not fit buf is not cut short into another. */
	CU_ASSERT_STRING_EQUAL(migrate_dir_pick(NULL,
	    "/src/resilops/resilops-admin", "/nope", both_exist, buf,
	    sizeof(buf)), "sql");
}

static const struct unit_test tests[] = {
	{ "test_migrate_tree_wins_over_installed",
	    test_migrate_tree_wins_over_installed },
	{ "test_migrate_installed_program_uses_datadir",
	    test_migrate_installed_program_uses_datadir },
	{ "test_migrate_env_wins", test_migrate_env_wins },
	{ "test_migrate_nothing_found", test_migrate_nothing_found },
};

int
suite_migrate(void)
{
	return UNIT_SUITE("migrate", tests);
}
