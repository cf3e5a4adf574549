/*
 * util/atomicfile: a file replaced whole with the mode asked for, and
 * the sweep of what a killed writer left: its temporary files once
 * they are old, never a young one (a live writer's), never another
 * file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/atomicfile.h"

static void
touch(const char *dir, const char *name, time_t mtime)
{
	char		 path[256];
	struct utimbuf	 t = { mtime, mtime };
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	CU_ASSERT_EQUAL(utime(path, &t), 0);
}

static int
exists(const char *dir, const char *name)
{
	char	 path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void
test_atomicfile_write_and_sweep(void)
{
	char		 dir[] = "/tmp/resilops-atomic-XXXXXX", path[256], buf[8];
	struct stat	 st;
	time_t		 old = time(NULL) - 3600;
	FILE		*f;
	static const char *const names[] = {
		"old.svg.AbCd1234.tmp", "young.svg.ZzZz9999.tmp",
		"other.tmp", "old.svg.Ab-d1234.tmp", "page.html", NULL,
	};
	size_t		 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/page.html", dir);
	CU_ASSERT_EQUAL(atomicfile_write(path, "new", 3, 0644), 0);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0644);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(buf, 1, sizeof(buf), f), 3);
	fclose(f);
	touch(dir, "old.svg.AbCd1234.tmp", old);
	touch(dir, "young.svg.ZzZz9999.tmp", time(NULL));
	touch(dir, "other.tmp", old);
	touch(dir, "old.svg.Ab-d1234.tmp", old);
	/* Only the old temporary file of atomicfile's own shape goes. */
	CU_ASSERT_EQUAL(atomicfile_sweep(dir, 60), 1);
	CU_ASSERT_FALSE(exists(dir, "old.svg.AbCd1234.tmp"));
	CU_ASSERT_TRUE(exists(dir, "young.svg.ZzZz9999.tmp"));
	CU_ASSERT_TRUE(exists(dir, "other.tmp"));
	CU_ASSERT_TRUE(exists(dir, "old.svg.Ab-d1234.tmp"));
	CU_ASSERT_TRUE(exists(dir, "page.html"));
	CU_ASSERT_EQUAL(atomicfile_sweep("/nonexistent/resilops", 60), 0);
	for (i = 0; names[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static const struct unit_test tests[] = {
	{ "write_and_sweep", test_atomicfile_write_and_sweep },
};

int
suite_atomicfile(void)
{
	return UNIT_SUITE("atomicfile", tests);
}
