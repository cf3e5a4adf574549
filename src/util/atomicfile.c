/*
 * Atomic replacement by rename(2), which POSIX makes atomic within one
 * file system: the temporary file lives beside its target for that
 * reason.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/atomicfile.h"
#include "util/crypto.h"

int
atomicfile_write(const char *path, const void *buf, size_t len, mode_t mode)
{
	const char	*p = buf;
	char		 tmp[PATH_MAX], rnd[9];
	ssize_t		 n;
	int		 fd, saved;

	if (crypto_random_base62(rnd, 8) == -1)
		return -1;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%s.tmp", path, rnd) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode)) == -1)
		return -1;
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	/* open() applied the umask: the mode asked for, exactly. */
	if (fchmod(fd, mode) == -1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

int
atomicfile_mkdirs(const char *path, mode_t mode)
{
	struct stat	 st;
	char		 buf[PATH_MAX], *p;

	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	/* What is there must be a directory (or a link to one), as mkdir -p. */
	if (stat(buf, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* Whether name is "<anything>.<8 base62>.tmp", as atomicfile_write makes. */
static int
is_ours(const char *name)
{
	size_t	 len = strlen(name), i;

	if (len < 14 || strcmp(name + len - 4, ".tmp") != 0 ||
	    name[len - 13] != '.')
		return 0;
	for (i = len - 12; i < len - 4; i++)
		if (!isalnum((unsigned char)name[i]))
			return 0;
	return 1;
}

int
atomicfile_sweep(const char *dir, long age)
{
	struct dirent	*e;
	struct stat	 st;
	DIR		*d;
	time_t		 before = time(NULL) - age;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (is_ours(e->d_name) &&
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_mtime < before &&
		    unlinkat(dirfd(d), e->d_name, 0) == 0)
			n++;
	closedir(d);
	return n;
}
