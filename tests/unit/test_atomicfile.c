/*
 * util/atomicfile: a file replaced whole with the mode asked for, and
 * the sweep of what a killed writer left: its temporary files once
 * they are old, never a young one (a live writer's), never another
 * file.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
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

/* Entries of dir other than . and .. */
static int
entries(const char *dir)
{
	struct dirent	*e;
	DIR		*d;
	int		 n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d = opendir(dir));
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void
test_atomicfile_write_replaces_or_leaves_nothing(void)
{
	char		 dir[] = "/tmp/resilops-atomic-XXXXXX", path[256];
	char		 longpath[PATH_MAX + 16], buf[16];
	struct stat	 st;
	FILE		*f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/page.html", dir);
	CU_ASSERT_EQUAL(atomicfile_write(path, "old content", 11, 0600), 0);
	CU_ASSERT_EQUAL(atomicfile_write(path, "", 0, 0640), 0);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0640);
	CU_ASSERT_EQUAL(atomicfile_write(path, "new", 3, 0644), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(path, "r"));
	CU_ASSERT_EQUAL(fread(buf, 1, sizeof(buf), f), 3);
	CU_ASSERT_EQUAL(memcmp(buf, "new", 3), 0);
	fclose(f);
	CU_ASSERT_EQUAL(entries(dir), 1);
	/* A directory in the way: the rename fails, no temporary stays. */
	snprintf(path, sizeof(path), "%s/sub", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(path, 0700), 0);
	errno = 0;
	CU_ASSERT_EQUAL(atomicfile_write(path, "x", 1, 0644), -1);
	CU_ASSERT_EQUAL(errno, EISDIR);
	CU_ASSERT_EQUAL(entries(dir), 2);
	CU_ASSERT_EQUAL(rmdir(path), 0);
	/* No such directory. */
	snprintf(path, sizeof(path), "%s/none/page.html", dir);
	errno = 0;
	CU_ASSERT_EQUAL(atomicfile_write(path, "x", 1, 0644), -1);
	CU_ASSERT_EQUAL(errno, ENOENT);
	/* A path with no room for the temporary's suffix. */
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[PATH_MAX - 8] = '\0';
	errno = 0;
	CU_ASSERT_EQUAL(atomicfile_write(longpath, "x", 1, 0644), -1);
	CU_ASSERT_EQUAL(errno, ENAMETOOLONG);
	snprintf(path, sizeof(path), "%s/page.html", dir);
	CU_ASSERT_EQUAL(unlink(path), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static void
test_atomicfile_mkdirs(void)
{
	char		 dir[] = "/tmp/resilops-atomic-XXXXXX", path[256];
	char		 longpath[PATH_MAX + 16];
	struct stat	 st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	CU_ASSERT_EQUAL(atomicfile_mkdirs(path, 0750), 0);
	CU_ASSERT_TRUE(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	/* Again: what exists is fine. */
	CU_ASSERT_EQUAL(atomicfile_mkdirs(path, 0750), 0);
	/* A file where a directory should be. */
	snprintf(path, sizeof(path), "%s/a/file", dir);
	CU_ASSERT_EQUAL(atomicfile_write(path, "x", 1, 0600), 0);
	snprintf(path, sizeof(path), "%s/a/file/d", dir);
	errno = 0;
	CU_ASSERT_EQUAL(atomicfile_mkdirs(path, 0750), -1);
	CU_ASSERT_EQUAL(errno, ENOTDIR);
	snprintf(path, sizeof(path), "%s/a/file/d/e", dir);
	CU_ASSERT_EQUAL(atomicfile_mkdirs(path, 0750), -1);
	/* The last one a file: not a directory, as mkdir -p says. */
	snprintf(path, sizeof(path), "%s/a/file", dir);
	errno = 0;
	CU_ASSERT_EQUAL(atomicfile_mkdirs(path, 0750), -1);
	CU_ASSERT_EQUAL(errno, ENOTDIR);
	/* A link to a directory will do. */
	snprintf(path, sizeof(path), "%s/a/link", dir);
	CU_ASSERT_EQUAL_FATAL(symlink("b", path), 0);
	CU_ASSERT_EQUAL(atomicfile_mkdirs(path, 0750), 0);
	CU_ASSERT_EQUAL(unlink(path), 0);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	errno = 0;
	CU_ASSERT_EQUAL(atomicfile_mkdirs(longpath, 0750), -1);
	CU_ASSERT_EQUAL(errno, ENAMETOOLONG);
	snprintf(path, sizeof(path), "%s/a/file", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", dir);
	rmdir(path);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* Only old regular files of the temporary's exact shape are swept. */
static void
test_atomicfile_sweep_shapes(void)
{
	char		 dir[] = "/tmp/resilops-atomic-XXXXXX", path[256];
	time_t		 old = time(NULL) - 3600;
	static const char *const kept[] = {
		"x.Ab1.tmp", "page.AbCd1234.tmq", "page_AbCd1234.tmp",
		"page.AbCd12345.tmp", ".AbCd1234.tmp",
	};
	size_t		 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		touch(dir, kept[i], old);
	touch(dir, "a.AbCd1234.tmp", old);
	/* A directory or a link of that shape is not a writer's leftover. */
	snprintf(path, sizeof(path), "%s/d.AbCd1234.tmp", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/l.AbCd1234.tmp", dir);
	CU_ASSERT_EQUAL_FATAL(symlink("/nonexistent", path), 0);
	CU_ASSERT_EQUAL(atomicfile_sweep(dir, 60), 1);
	CU_ASSERT_FALSE(exists(dir, "a.AbCd1234.tmp"));
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		CU_ASSERT_TRUE(exists(dir, kept[i]));
		snprintf(path, sizeof(path), "%s/%s", dir, kept[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/l.AbCd1234.tmp", dir);
	CU_ASSERT_EQUAL(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/d.AbCd1234.tmp", dir);
	CU_ASSERT_EQUAL(rmdir(path), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static const struct unit_test tests[] = {
	{ "write_and_sweep", test_atomicfile_write_and_sweep },
	{ "write_replaces_or_leaves_nothing",
	    test_atomicfile_write_replaces_or_leaves_nothing },
	{ "mkdirs", test_atomicfile_mkdirs },
	{ "sweep_shapes", test_atomicfile_sweep_shapes },
};

int
suite_atomicfile(void)
{
	return UNIT_SUITE("atomicfile", tests);
}
