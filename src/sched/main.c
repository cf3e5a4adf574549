/*
 * resilops-sched: the companion daemon for the periodic jobs
 * (heartbeats, risk, alerts, SLA breaches, delivery).  The jobs come
 * with their issue; for now it loads the config, checks the database
 * and keeps housekeeping (expired revocations, old login failures).
 *
 *   resilops-sched [-c config] [-f] [--once] [--now ISO]
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/isotime.h"
#include "db/db.h"
#include "db/db_login.h"
#include "util/conf.h"
#include "util/log.h"

static volatile sig_atomic_t	 stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: resilops-sched [-c config] [-f] [--once] "
	    "[--now ISO-TIME]\n");
	exit(2);
}

static int
housekeeping(struct db *db, const struct conf *cfg, time_t now)
{
	return db_login_prune(db, now - cfg->auth.login_window);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct conf	 cfg;
	struct db	*db;
	const char	*cfgpath = NULL;
	char		 err[512];
	int		 ch, once = 0, foreground = 0;
	time_t		 now = 0;

	while ((ch = getopt_long(argc, argv, "c:fh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cfgpath = optarg;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'o':
			once = 1;
			break;
		case 'n':
			if (isotime_parse(optarg, &now) == -1) {
				fprintf(stderr, "resilops-sched: --now: %s\n",
				    ISOTIME_BADMSG);
				return 2;
			}
			break;
		default:
			usage();
		}
	}
	log_init("resilops-sched", LOG_LVL_INFO, !foreground && !once);
	if (conf_load(&cfg, cfgpath, err, sizeof(err)) == -1 ||
	    conf_check(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "resilops-sched: %s\n", err);
		return 1;
	}
	log_set_level((enum log_level)cfg.log_level);
	if (!foreground && !once && daemon(0, 0) == -1) {
		perror("daemon");
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if ((db = db_new(&cfg)) == NULL)
		return 1;
	do {
		time_t	 t = now ? now : time(NULL);

		if (db_ready(db) == 0 && housekeeping(db, &cfg, t) == -1)
			log_warnx("housekeeping failed; retrying next tick");
		if (once)
			break;
		sleep(30);
	} while (!stop);
	db_free(db);
	conf_free(&cfg);
	return 0;
}
