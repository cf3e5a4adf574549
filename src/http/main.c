/*
 * resilops.fcgi: the FastCGI application.  Started by spawn-fcgi (nginx)
 * or mod_fcgid (Apache) with the listening socket on fd 0.
 *
 *   resilops.fcgi [-c config] [-w workers] [-l logfile]
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/authcache.h"
#include "core/credential.h"
#include "core/netcheck.h"
#include "db/db.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/worker.h"
#include "page/console.h"
#include "page/page.h"
#include "page/page_routes.h"
#include "page/pages.h"
#include "util/conf.h"
#include "util/datadir.h"
#include "util/log.h"

static void
usage(void)
{
	fprintf(stderr, "usage: resilops.fcgi [-c config] [-w workers] "
	    "[-l logfile]\n");
	exit(2);
}

/*
 * Everything a worker needs made once, before the pool forks: the
 * config's settings applied, the shared blocks, the key ring, the
 * templates.  0, or -1 (logged); what was made is the caller's to free
 * either way.
 */
static int
app_setup(struct app *app, struct conf *cfg, int workers)
{
	char		 err[512], tdir[4096];

	log_set_level((enum log_level)cfg->log_level);
	if (cfg->log_syslog)
		log_init("resilops.fcgi", (enum log_level)cfg->log_level, 1);
	app->cfg = cfg;
	if (netcheck_nets_parse(cfg->http.trusted_proxies, &app->trusted, err,
	    sizeof(err)) == -1) {
		log_errx("[http] trusted_proxies: %s", err);
		return -1;
	}
	if (netcheck_nets_parse(cfg->metrics.allow, &app->local_nets, err,
	    sizeof(err)) == -1) {
		log_errx("[metrics] allow: %s", err);
		return -1;
	}
	/*
	 * Before the fork: every worker counts into the same block.  After
	 * the route table: a shared file's rows are that table's.
	 */
	app->routes = site_routes(&app->nroutes);
	if (metrics_init(cfg->metrics.shared_file, app->routes,
	    app->nroutes) == -1)
		return -1;
	/*
	 * The token cache must be the host's: a pool's workers share the
	 * block made here; processes started apart only through a file.
	 */
	if (authcache_init(cfg->auth.cache_file, cfg->auth.token_cache &&
	    (workers > 0 || cfg->auth.cache_file[0] != '\0')) == -1)
		return -1;
	db_set_commit_hook(authcache_commit_hook);
	if (keyring_load(&app->keys, cfg, err, sizeof(err)) == -1) {
		log_errx("%s", err);
		return -1;
	}
	if (credential_secret(cfg->secrets.audit_key, app->cred_secret) == -1)
		return -1;
	if ((app->pages = pages_load(datadir_find("templates",
	    "RESILOPS_TEMPLATES", tdir, sizeof(tdir)), err, sizeof(err))) == NULL) {
		log_errx("%s", err);
		return -1;
	}
	app->authenticate = api_authenticate;
	app->error_page = page_error;
	app->static_copy = page_static_copy;
	app->form_guard = console_form_guard;
	app->login_path = "/console/login";
	return 0;
}

int
main(int argc, char *argv[])
{
	struct conf	 cfg;
	struct app	 app;
	const char	*cfgpath = NULL, *logfile = NULL;
	char		 err[512];
	int		 ch, workers = 0, fd;

	while ((ch = getopt(argc, argv, "c:hl:w:")) != -1) {
		switch (ch) {
		case 'c':
			cfgpath = optarg;
			break;
		case 'l':
			logfile = optarg;
			break;
		case 'w':
			workers = atoi(optarg);
			if (workers < 1 || workers > 256)
				usage();
			break;
		default:
			usage();
		}
	}
	if (logfile != NULL) {
		if ((fd = open(logfile, O_WRONLY | O_APPEND | O_CREAT, 0640)) == -1) {
			perror(logfile);
			return 1;
		}
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	log_init("resilops.fcgi", LOG_LVL_INFO, 0);
	memset(&app, 0, sizeof(app));
	if (conf_load(&cfg, cfgpath, err, sizeof(err)) == -1 ||
	    conf_check(&cfg, err, sizeof(err)) == -1) {
		log_errx("%s", err);
		ch = 1;
	} else if (app_setup(&app, &cfg, workers) == -1)
		ch = 1;
	else if (workers > 0) {
		log_info("starting %d workers", workers);
		ch = worker_supervise(&app, workers);
	} else if ((app.db = db_new(&cfg)) == NULL)
		ch = 1;
	else
		ch = worker_loop(&app);
	/* Every exit frees what it made: the sanitizers' leak check. */
	pages_free(app.pages);
	keyring_wipe(&app.keys);
	conf_free(&cfg);
	return ch;
}
