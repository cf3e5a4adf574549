/*
 * The static copy of the public status page: after each tick the
 * leader renders /status, the Atom feed and every public service's
 * status badge into [pages] static_dir, each file replaced whole, and
 * removes the badges of services that are no longer public.  The
 * shipped web server configs serve these files when the FastCGI pool
 * or MariaDB cannot answer, so the page people check during an outage
 * keeps working, saying when it was last updated.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/statuspage.h"
#include "page/pages.h"
#include "page/statusdoc.h"
#include "sched/sched.h"
#include "util/atomicfile.h"
#include "util/conf.h"
#include "util/log.h"

#define TMP_AGE	60	/* s: a temporary file older is a dead writer's */

#define FILE_MODE	0644	/* read by the web server's account */
#define DIR_MODE	0755

/* Render template name with doc (taken) into path. */
static int
write_page(const struct pages *p, const char *name, struct json_object *doc,
    const char *path)
{
	char	*buf;
	size_t	 len = 0;
	int	 rc = -1;

	/* No document (out of memory): keep the last copy, never a blank. */
	if (doc == NULL) {
		log_warnx("static page %s: out of memory", path);
		return -1;
	}
	buf = pages_render(p, name, doc, &len);
	json_object_put(doc);
	if (buf != NULL && (rc = atomicfile_write(path, buf, len,
	    FILE_MODE)) == -1)
		log_warnx("static page %s: %s", path, strerror(errno));
	free(buf);
	return rc;
}

/* Remove badge files whose service is not a public one of sd. */
static void
prune_badges(const struct statusdata *sd, const char *dir)
{
	struct dirent	*e;
	DIR		*d;
	char		 path[PATH_MAX], *end;
	long long	 id;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		id = strtoll(e->d_name, &end, 10);
		if (end == e->d_name || strcmp(end, ".svg") != 0 ||
		    statusdata_public(sd, id, NULL) != NULL)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    e->d_name) < sizeof(path))
			unlink(path);
	}
	closedir(d);
}

static int
write_badges(const struct statusdata *sd, const char *dir)
{
	char	 path[PATH_MAX], *svg;
	size_t	 i, len;
	int	 rc = 0;

	for (i = 0; i < sd->n; i++) {
		if (!sd->sp[i].public)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%lld.svg", dir,
		    sd->sp[i].id) >= sizeof(path))
			return -1;
		if ((svg = statuspage_badge(sd->sp[i].shown, &len)) == NULL)
			return -1;
		if (atomicfile_write(path, svg, len, FILE_MODE) == -1) {
			log_warnx("static badge %s: %s", path, strerror(errno));
			rc = -1;
		}
		free(svg);
	}
	prune_badges(sd, dir);
	return rc;
}

int
job_static_pages(struct sched_ctx *ctx)
{
	const char		*root = ctx->cfg->pages.static_dir;
	struct statusdata	 sd;
	char			 dir[PATH_MAX], path[PATH_MAX];
	int			 rc = 0;

	if (root[0] == '\0' || ctx->pages == NULL)
		return 0;
	snprintf(dir, sizeof(dir), "%s/status/badge", root);
	if (atomicfile_mkdirs(dir, DIR_MODE) == -1) {
		log_warnx("static pages: %s: %s", dir, strerror(errno));
		return -1;
	}
	if (statusdata_load(ctx->db, ctx->cfg, ctx->now, SD_ALL, 0, &sd) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/status.html", root);
	if (write_page(ctx->pages, "status", statusdoc_index(&sd, ctx->cfg),
	    path) == -1)
		rc = -1;
	snprintf(path, sizeof(path), "%s/status/feed.atom", root);
	if (write_page(ctx->pages, "feed.atom", statusdoc_feed(&sd, ctx->cfg),
	    path) == -1)
		rc = -1;
	if (write_badges(&sd, dir) == -1)
		rc = -1;
	statusdata_free(&sd);
	/* What a daemon killed mid-write left (a live write takes ms). */
	atomicfile_sweep(dir, TMP_AGE);
	snprintf(path, sizeof(path), "%s/status", root);
	atomicfile_sweep(path, TMP_AGE);
	atomicfile_sweep(root, TMP_AGE);
	return rc;
}
