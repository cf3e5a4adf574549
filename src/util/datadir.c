/*
 * Shipped data directories.  The rule lives in datadir_pick, pure, so
 * it is tested without touching the file system.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/datadir.h"

static bool
is_dir(const char *p)
{
	struct stat	 st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
datadir_pick(const char *env, const char *exe, const char *name,
    const char *installed, bool (*isdir)(const char *), char *buf,
    size_t bufsz)
{
	const char	*slash;

	if (env != NULL && *env != '\0')
		return env;
	/*
	 * A program run from its build tree uses that tree's files, even
	 * when an older "make install" left some in DATADIR: a new
	 * migration or template must not be missed silently.  An installed
	 * program has no such directory beside it.
	 */
	if (exe != NULL && (slash = strrchr(exe, '/')) != NULL &&
	    (size_t)snprintf(buf, bufsz, "%.*s/%s", (int)(slash - exe), exe,
	    name) < bufsz && isdir(buf))
		return buf;
	if (isdir(installed))
		return installed;
	return name;
}

const char *
datadir_find(const char *name, const char *envvar, char *buf, size_t bufsz)
{
	char		 exe[PATH_MAX], installed[PATH_MAX];
	ssize_t		 n;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		n = 0;
	exe[n] = '\0';
	snprintf(installed, sizeof(installed), "%s/%s", DATADIR, name);
	/* installed lives on this stack: copy it out when it is the answer. */
	name = datadir_pick(getenv(envvar), n ? exe : NULL, name, installed,
	    is_dir, buf, bufsz);
	if (name == installed) {
		snprintf(buf, bufsz, "%s", installed);
		return buf;
	}
	return name;
}
