/*
 * db/migrate and util/datadir: which migrations (and templates) a
 * program uses.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "db/migrate.h"
#include "util/datadir.h"
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

static bool
every_dir(const char *p)
{
	(void)p;
	return true;
}

#define INSTALLED	"/usr/local/share/resilops/sql"
#define IN_TREE		"/src/resilops/resilops-admin"
#define IN_BIN		"/usr/local/bin/resilops-admin"

static void
test_migrate_tree_wins_over_installed(void)
{
	char	 buf[256];

	/* After "make install", ./resilops-admin in the tree uses the tree's. */
	CU_ASSERT_STRING_EQUAL(datadir_pick(NULL, IN_TREE, "sql", INSTALLED,
	    both_exist, buf, sizeof(buf)), "/src/resilops/sql");
	/* Templates the same way. */
	CU_ASSERT_STRING_EQUAL(datadir_pick(NULL, IN_TREE, "templates",
	    "/usr/local/share/resilops/templates", every_dir, buf,
	    sizeof(buf)), "/src/resilops/templates");
}

static void
test_migrate_installed_program_uses_datadir(void)
{
	char	 buf[256];

	CU_ASSERT_STRING_EQUAL(datadir_pick(NULL, IN_BIN, "sql", INSTALLED,
	    only_installed, buf, sizeof(buf)), INSTALLED);
}

static void
test_migrate_env_wins(void)
{
	char	 buf[256];

	CU_ASSERT_STRING_EQUAL(datadir_pick("/elsewhere/sql", IN_TREE, "sql",
	    INSTALLED, both_exist, buf, sizeof(buf)), "/elsewhere/sql");
	/* An empty variable is no variable. */
	CU_ASSERT_STRING_EQUAL(datadir_pick("", IN_BIN, "sql", INSTALLED,
	    only_installed, buf, sizeof(buf)), INSTALLED);
}

static void
test_migrate_nothing_found(void)
{
	char	 buf[8];

	CU_ASSERT_STRING_EQUAL(datadir_pick(NULL, NULL, "sql", "/nope",
	    only_installed, buf, sizeof(buf)), "sql");
	/* A path that does not fit buf is not cut short into another. */
	CU_ASSERT_STRING_EQUAL(datadir_pick(NULL, IN_TREE, "sql", "/nope",
	    both_exist, buf, sizeof(buf)), "sql");
}

/* datadir_find: the variable, else a directory beside the program. */
static void
test_migrate_datadir_find(void)
{
	char	 exe[PATH_MAX], dir[PATH_MAX + 32], buf[PATH_MAX];
	char	*slash;
	ssize_t	 n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	CU_ASSERT_FATAL(n > 0);
	exe[n] = '\0';
	CU_ASSERT_PTR_NOT_NULL_FATAL(slash = strrchr(exe, '/'));
	*slash = '\0';
	snprintf(dir, sizeof(dir), "%s/datadir-XXXXXX", exe);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	unsetenv("RESILOPS_TEST_DATADIR");
	CU_ASSERT_STRING_EQUAL(datadir_find(strrchr(dir, '/') + 1,
	    "RESILOPS_TEST_DATADIR", buf, sizeof(buf)), dir);
	setenv("RESILOPS_TEST_DATADIR", "/elsewhere", 1);
	CU_ASSERT_STRING_EQUAL(datadir_find(strrchr(dir, '/') + 1,
	    "RESILOPS_TEST_DATADIR", buf, sizeof(buf)), "/elsewhere");
	unsetenv("RESILOPS_TEST_DATADIR");
	CU_ASSERT_EQUAL(rmdir(dir), 0);
	/* Found nowhere: the name itself, relative to where it runs. */
	CU_ASSERT_STRING_EQUAL(datadir_find(strrchr(dir, '/') + 1,
	    "RESILOPS_TEST_DATADIR", buf, sizeof(buf)), strrchr(dir, '/') + 1);
}

static const struct unit_test tests[] = {
	{ "test_migrate_tree_wins_over_installed",
	    test_migrate_tree_wins_over_installed },
	{ "test_migrate_installed_program_uses_datadir",
	    test_migrate_installed_program_uses_datadir },
	{ "test_migrate_env_wins", test_migrate_env_wins },
	{ "test_migrate_nothing_found", test_migrate_nothing_found },
	{ "test_migrate_datadir_find", test_migrate_datadir_find },
};

int
suite_migrate(void)
{
	return UNIT_SUITE("migrate", tests);
}
