/*
 * Replace a file whole: readers see the old content or the new, never
 * a part.  For the static copy of the status page, which the web server
 * may read at any moment.
 */
#ifndef RO_ATOMICFILE_H
#define RO_ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Write buf[0..len) to path through a temporary file in the same
 * directory (created exclusively, never through a symbolic link),
 * synced, then renamed over path; mode is the new file's.  0, or -1
 * with errno set (nothing left behind).
 */
int	 atomicfile_write(const char *path, const void *buf, size_t len,
	    mode_t mode);
/*
 * Remove from dir the temporary files of atomicfile_write older than
 * age seconds (by their mtime, against the real clock): what a writer
 * killed between open and rename left behind.  A younger one may be a
 * live writer's, so it stays.  Returns how many went.
 */
int	 atomicfile_sweep(const char *dir, long age);
/* mkdir -p path with mode; 0 or -1 with errno set. */
int	 atomicfile_mkdirs(const char *path, mode_t mode);

#endif
