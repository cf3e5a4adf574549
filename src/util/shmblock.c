/*
 * Shared blocks (see shmblock.h).  The file's header is checked and
 * written under an exclusive lock, so two processes starting together
 * neither both reset it nor see it half written.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "util/shmblock.h"

/*
 * The file's first bytes.  The layout is a hash, not the tables
 * themselves, so the header stays small and fixed whatever they hold.
 */
struct shm_header {
	char		 magic[8];
	uint32_t	 version;	/* of this header and the file's shape */
	uint32_t	 reserved;
	uint64_t	 layout;
	uint64_t	 reserved2;
};

static_assert(sizeof(struct shm_header) == SHMBLOCK_HEADER_SIZE,
    "SHMBLOCK_HEADER_SIZE is the header's size");

void
shmblock_header_write(void *buf, const struct shmblock_kind *k,
    uint64_t layout)
{
	struct shm_header	 hdr;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, k->magic, sizeof(hdr.magic));
	hdr.version = k->version;
	hdr.layout = layout;
	memcpy(buf, &hdr, sizeof(hdr));
}

bool
shmblock_header_valid(const void *buf, size_t len,
    const struct shmblock_kind *k, uint64_t layout)
{
	struct shm_header	 hdr;

	if (len < sizeof(hdr))
		return false;
	memcpy(&hdr, buf, sizeof(hdr));
	return memcmp(hdr.magic, k->magic, sizeof(hdr.magic)) == 0 &&
	    hdr.version == k->version && hdr.layout == layout;
}

/*
 * A file of another size or layout is zeroed in place, not truncated
 * to 0: a process of the old layout still mapping it would take SIGBUS
 * on every page past the end, and the size rarely changes.
 */
static void *
map_file(const char *path, const struct shmblock_kind *k, uint64_t layout,
    size_t size, bool *fresh)
{
	struct stat	 st;
	size_t		 total = SHMBLOCK_HEADER_SIZE + size;
	char		*f = NULL;
	void		*p;
	int		 fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600)) == -1) {
		log_warnx("%s %s: %s", k->what, path, strerror(errno));
		return NULL;
	}
	if (flock(fd, LOCK_EX) == -1 || fstat(fd, &st) == -1) {
		log_warnx("%s %s: %s", k->what, path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		log_warnx("%s %s: not a regular file", k->what, path);
		goto out;
	}
	if (st.st_size != (off_t)total && ftruncate(fd, (off_t)total) == -1) {
		log_warnx("%s %s: ftruncate: %s", k->what, path,
		    strerror(errno));
		goto out;
	}
	p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		log_warnx("%s %s: mmap: %s", k->what, path, strerror(errno));
		goto out;
	}
	f = p;
	*fresh = st.st_size != (off_t)total ||
	    !shmblock_header_valid(f, SHMBLOCK_HEADER_SIZE, k, layout);
	if (*fresh) {
		log_info("%s %s: new layout, the block starts empty", k->what,
		    path);
		memset(f, 0, total);
		shmblock_header_write(f, k, layout);
	}
out:
	/*
	 * Unlocked by name: the mapping holds the open file, so closing the
	 * descriptor alone would keep the lock, and every other process
	 * waiting for it, until this one exits.
	 */
	flock(fd, LOCK_UN);
	close(fd);
	return f != NULL ? f + SHMBLOCK_HEADER_SIZE : NULL;
}

void *
shmblock_map(const char *path, const struct shmblock_kind *k,
    uint64_t layout, size_t size, bool *fresh)
{
	bool	 dummy;
	void	*p;

	if (fresh == NULL)
		fresh = &dummy;
	if (path != NULL && path[0] != '\0')
		return map_file(path, k, layout, size, fresh);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED) {
		log_warnx("%s: mmap: %s", k->what, strerror(errno));
		return NULL;
	}
	*fresh = true;		/* zero-filled by the kernel */
	return p;
}
