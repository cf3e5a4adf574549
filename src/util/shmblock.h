/*
 * A block of memory every process of a host's pool shares: an anonymous
 * shared mapping made before the supervisor forks its workers, or, for
 * processes no common parent started (mod_fcgid, two pools on one
 * host), a file behind a small header that says what the block holds.
 * The /metrics counters and the token check's cache each keep one.
 */
#ifndef RO_SHMBLOCK_H
#define RO_SHMBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHMBLOCK_HEADER_SIZE	32	/* the file's header, in bytes */

/* What a block is: its file's magic, header version, and the layout. */
struct shmblock_kind {
	char		 magic[8];
	uint32_t	 version;
	const char	*what;		/* in messages: "[metrics] shared_file" */
};

/* Write the header of a block of kind and layout into buf. */
void	 shmblock_header_write(void *buf, const struct shmblock_kind *,
	    uint64_t layout);
/* Whether buf (len bytes) starts with the header of kind and layout. */
bool	 shmblock_header_valid(const void *buf, size_t len,
	    const struct shmblock_kind *, uint64_t layout);
/*
 * Map size bytes shared: path NULL or "" an anonymous block (zeroed,
 * shared with children forked later); otherwise the file at path
 * (created 0600, never through a symbolic link), whose block is zeroed
 * when its header is not kind's and layout's.  *fresh (if not NULL)
 * says the block starts zeroed.  The block, or NULL logged.
 */
void	*shmblock_map(const char *path, const struct shmblock_kind *,
	    uint64_t layout, size_t size, bool *fresh);

#endif
