/*
 * util/shmblock: an anonymous block starts zeroed; a file's block keeps
 * what was written while kind and layout stay, starts zeroed (in place,
 * at its size) when either changes, and the file is refused when it is
 * no regular file or a symbolic link.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/shmblock.h"

#define SIZE	4096

static const struct shmblock_kind kind = { "ROTEST01", 1, "[test] block" };
static const struct shmblock_kind kind_v2 = { "ROTEST01", 2, "[test] block" };
static const struct shmblock_kind other = { "ROOTHER1", 1, "[test] other" };

/* Unmap a file's block (the header before it) of size bytes. */
static void
unmap_file(void *p, size_t size)
{
	CU_ASSERT_EQUAL(munmap((char *)p - SHMBLOCK_HEADER_SIZE,
	    SHMBLOCK_HEADER_SIZE + size), 0);
}

/*
 * Map path as kind and layout: the block must start zeroed (the file
 * was another's); "kept" is left in it for the next map.
 */
static void
reset_seen(const char *path, const struct shmblock_kind *k, uint64_t layout)
{
	char	*p;
	bool	 fresh = false;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p = shmblock_map(path, k, layout, SIZE,
	    &fresh));
	CU_ASSERT_TRUE(fresh);
	CU_ASSERT_EQUAL(p[0], 0);
	memcpy(p, "kept", 5);
	unmap_file(p, SIZE);
}

static void
test_shmblock_anonymous_zeroed(void)
{
	unsigned char	*p;
	bool		 fresh = false;
	size_t		 i, nonzero = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p = shmblock_map(NULL, &kind, 1, SIZE,
	    &fresh));
	CU_ASSERT_TRUE(fresh);
	for (i = 0; i < SIZE; i++)
		nonzero += p[i] != 0;
	CU_ASSERT_EQUAL(nonzero, 0);
	p[SIZE - 1] = 1;
	CU_ASSERT_EQUAL(munmap(p, SIZE), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = shmblock_map("", &kind, 1, SIZE,
	    NULL));
	CU_ASSERT_EQUAL(p[SIZE - 1], 0);
	CU_ASSERT_EQUAL(munmap(p, SIZE), 0);
}

static void
test_shmblock_file_kept_or_reset(void)
{
	char		 dir[] = "/tmp/resilops-shm-XXXXXX", path[64];
	struct stat	 st;
	char		*p;
	bool		 fresh = false;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/block", dir);
	/* New: created 0600 at the header's size and the block's. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = shmblock_map(path, &kind, 7, SIZE,
	    &fresh));
	CU_ASSERT_TRUE(fresh);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);
	CU_ASSERT_EQUAL(st.st_size, SHMBLOCK_HEADER_SIZE + SIZE);
	CU_ASSERT_TRUE(shmblock_header_valid(p - SHMBLOCK_HEADER_SIZE,
	    SHMBLOCK_HEADER_SIZE, &kind, 7));
	memcpy(p, "kept", 5);
	unmap_file(p, SIZE);
	/* The same kind and layout: what was written is there. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = shmblock_map(path, &kind, 7, SIZE,
	    &fresh));
	CU_ASSERT_FALSE(fresh);
	CU_ASSERT_STRING_EQUAL(p, "kept");
	unmap_file(p, SIZE);
	/* Another layout, version or magic: zeroed. */
	reset_seen(path, &kind, 8);
	reset_seen(path, &kind_v2, 8);
	reset_seen(path, &other, 8);
	/* Another size: the file takes it, the block starts zeroed. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = shmblock_map(path, &other, 8,
	    2 * SIZE, &fresh));
	CU_ASSERT_TRUE(fresh);
	CU_ASSERT_EQUAL(p[0], 0);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, SHMBLOCK_HEADER_SIZE + 2 * SIZE);
	unmap_file(p, 2 * SIZE);
	unlink(path);
	rmdir(dir);
}

static void
test_shmblock_file_refused(void)
{
	char	 dir[] = "/tmp/resilops-shm-XXXXXX", path[64], link[64];
	bool	 fresh = false;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	/* Nowhere to create it. */
	snprintf(path, sizeof(path), "%s/missing/block", dir);
	CU_ASSERT_PTR_NULL(shmblock_map(path, &kind, 1, SIZE, &fresh));
	/* A FIFO opens read-write, but is no block. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	CU_ASSERT_PTR_NULL(shmblock_map(path, &kind, 1, SIZE, &fresh));
	unlink(path);
	/* Never through a symbolic link, even to a good file. */
	snprintf(path, sizeof(path), "%s/block", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	CU_ASSERT_EQUAL_FATAL(symlink(path, link), 0);
	CU_ASSERT_PTR_NULL(shmblock_map(link, &kind, 1, SIZE, &fresh));
	CU_ASSERT_EQUAL(access(path, F_OK), -1);
	unlink(link);
	rmdir(dir);
}

static void
test_shmblock_header_checked(void)
{
	unsigned char	 buf[SHMBLOCK_HEADER_SIZE];

	shmblock_header_write(buf, &kind, 3);
	CU_ASSERT_TRUE(shmblock_header_valid(buf, sizeof(buf), &kind, 3));
	CU_ASSERT_FALSE(shmblock_header_valid(buf, sizeof(buf) - 1, &kind, 3));
	CU_ASSERT_FALSE(shmblock_header_valid(buf, sizeof(buf), &kind, 4));
	CU_ASSERT_FALSE(shmblock_header_valid(buf, sizeof(buf), &kind_v2, 3));
	CU_ASSERT_FALSE(shmblock_header_valid(buf, sizeof(buf), &other, 3));
}

static const struct unit_test tests[] = {
	{ "test_shmblock_anonymous_zeroed", test_shmblock_anonymous_zeroed },
	{ "test_shmblock_file_kept_or_reset",
	    test_shmblock_file_kept_or_reset },
	{ "test_shmblock_file_refused", test_shmblock_file_refused },
	{ "test_shmblock_header_checked", test_shmblock_header_checked },
};

int
suite_shmblock(void)
{
	return UNIT_SUITE("shmblock", tests);
}
