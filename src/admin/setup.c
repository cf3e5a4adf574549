/*
 * resilops-admin setup: a new install in one command, and the only way
 * to its first admin unless [auth] bootstrap_signup says otherwise (so
 * the first stranger to reach a fresh install cannot own it).  Each step
 * is kept when done already, so running it again is safe:
 *
 *   1. the config: written (random secrets, mode 0600) when the file
 *      does not exist, with the section.key=value settings given
 *      (the database's host, user, password, name...); never rewritten;
 *   2. the database objects: the migrations not applied yet;
 *   3. the first admin: created (password on stdin, asked on a
 *      terminal) unless an active admin exists.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "admin/admin.h"
#include "util/conf.h"

#define MAX_SETTINGS	32

int
cmd_setup(const char *cfgpath, int argc, char *argv[])
{
	const char	*path, *name = "admin", *email = NULL;
	char		*init[MAX_SETTINGS + 2];
	struct stat	 st;
	int		 i, n = 0, rc;

	path = cfgpath != NULL ? cfgpath : conf_default_path();
	init[n++] = (char *)"init";
	init[n++] = (char *)path;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--admin") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
			email = argv[++i];
		else if (argv[i][0] == '-' || n == MAX_SETTINGS + 2)
			return -2;
		else
			init[n++] = argv[i];
	}
	if (stat(path, &st) == 0) {
		if (n > 2)
			fprintf(stderr, "resilops-admin: %s exists; the settings "
			    "given are not applied to it (edit it)\n", path);
		printf("config: %s exists, kept\n", path);
	} else if (errno != ENOENT) {
		fprintf(stderr, "resilops-admin: %s: %s\n", path,
		    strerror(errno));
		return 1;
	} else if ((rc = cmd_init(n, init)) != 0)
		return rc;
	if (admin_open(path, false) == -1)
		return 1;
	rc = cmd_migrate();
	admin_close();
	if (rc != 0)
		return rc;
	if (admin_open(path, true) == -1)
		return 1;
	rc = admin_first_admin(name, email);
	admin_close();
	if (rc == 0)
		printf("setup done: start the pool and resilops-sched, then log "
		    "in as %s (README: Deployment)\n", name);
	return rc;
}
