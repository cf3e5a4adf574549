/*
 * resilops-sched: the companion daemon.  Every tick it renews (or tries
 * to take) the leader lease; the leader runs the due jobs of the job
 * table, each in its own fenced transaction.
 *
 *   resilops-sched [-c config] [-f] [-p pidfile] [-u user] [--once] [--now ISO-TIME]
 *
 * -f stays in the foreground and logs to stderr (else: daemon, syslog);
 * --once takes the lease if it is free or expired, runs every job once
 * and exits 0 (it also exits 0, saying who holds it, when another
 * daemon leads); --now evaluates the jobs as of that instant (the lease
 * always uses the database's clock).  SIGTERM finishes the current job
 * and exits; SIGHUP re-reads the config.
 *
 * Notifications are delivered beside the jobs by a thread of their own
 * (sched/deliver.h) that works only while we lead, so a receiver that
 * hangs delays no job; --once delivers once, after the jobs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/isotime.h"
#include "db/db.h"
#include "db/db_sched.h"
#include "page/pages.h"
#include "sched/deliver.h"
#include "sched/sched.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/datadir.h"
#include "util/log.h"

static volatile sig_atomic_t	 stop, reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		stop = 1;
}

/* For the delivery pass of --once, in the main thread. */
static long long
once_epoch(void *arg)
{
	return *(const long long *)arg;
}

static bool
once_stopping(void *arg)
{
	(void)arg;
	return stop != 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: resilops-sched [-c config] [-f] [-p pidfile] "
	    "[-u user] [--once] [--now ISO-TIME]\n");
	exit(2);
}

static int
load(struct conf *cfg, const char *path)
{
	char	 err[512];

	if (conf_load(cfg, path, err, sizeof(err)) == -1 ||
	    conf_check(cfg, err, sizeof(err)) == -1) {
		log_errx("%s", err);
		conf_free(cfg);
		return -1;
	}
	log_set_level((enum log_level)cfg->log_level);
	return 0;
}

/*
 * The templates of the static status page, when [pages] static_dir asks
 * for one (*p NULL otherwise).  A template that does not compile stops
 * the start, as it does the workers'.
 */
static int
static_pages_load(const struct conf *cfg, struct pages **p)
{
	char	 dir[PATH_MAX], err[512];

	*p = NULL;
	if (cfg->pages.static_dir[0] == '\0')
		return 0;
	if ((*p = pages_load(datadir_find("templates", "RESILOPS_TEMPLATES",
	    dir, sizeof(dir)), err, sizeof(err))) == NULL)
		return log_errx("%s", err);
	return 0;
}

/*
 * The pid in an existing pidfile, read without following a symlink
 * (a pidfile in a directory others can write could point anywhere);
 * 0 when it holds no pid, -1 when it cannot be read safely.
 */
static long
pidfile_read(const char *path)
{
	char	 buf[32];
	ssize_t	 n;
	long	 pid;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return log_errx("%s: %s", path, errno == ELOOP ?
		    "is a symbolic link: refusing it" : strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	return pid > 0 ? pid : 0;
}

/*
 * Create the pidfile exclusively and without following symlinks.  One
 * left by a daemon that is gone is replaced; one of a live process
 * means another daemon uses it.  owner (uid, gid) receives it, so the
 * daemon can remove it after dropping privileges.
 */
static int
write_pidfile(const char *path, uid_t uid, gid_t gid)
{
	char	 buf[32];
	long	 old;
	int	 fd, tries, len;

	for (tries = 0; tries < 2; tries++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (fd != -1)
			break;
		if (errno != EEXIST)
			return log_errx("%s: %s", path, strerror(errno));
		if ((old = pidfile_read(path)) == -1)
			return -1;
		if (old > 0 && (kill((pid_t)old, 0) == 0 || errno == EPERM))
			return log_errx("%s: resilops-sched (pid %ld) is running",
			    path, old);
		log_info("%s: removing the stale pidfile of pid %ld", path, old);
		if (unlink(path) == -1)
			return log_errx("%s: %s", path, strerror(errno));
	}
	if (fd == -1)
		return log_errx("%s: created by someone else meanwhile", path);
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)len) != len ||
	    (uid != (uid_t)-1 && fchown(fd, uid, gid) == -1)) {
		close(fd);
		unlink(path);
		return log_errx("%s: %s", path, strerror(errno));
	}
	return close(fd);
}

/*
 * Become user (-u): groups, group, then user, and check that root
 * cannot be regained.  Everything that needs root (the pidfile in
 * /run) is done before.  Under systemd's User= there is nothing to do.
 */
static int
drop_privileges(const struct passwd *pw)
{
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		return log_errx("cannot become %s: %s", pw->pw_name,
		    strerror(errno));
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return log_errx("still able to regain root after dropping to %s",
		    pw->pw_name);
	return 0;
}

/* Sleep until the next tick or a signal. */
static void
nap_ms(long long ms)
{
	struct timespec	 ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	while (!stop && !reload && nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
nap(int seconds)
{
	nap_ms((long long)seconds * 1000);
}

/*
 * A follower's sleep: a tick, or less when the holder's lease ends
 * sooner (LEFT_MS, -1 when unknown), so that a leader that died is replaced as its lease ends (and
 * a few ms), not up to a tick later.  A leader alive renews its lease
 * every tick, long before it ends, so followers keep to the tick.
 */
#define LEASE_PAD_MS	50

static long long
follower_nap_ms(int tick, long long left_ms)
{
	long long	 ms = (long long)tick * 1000;

	if (left_ms >= 0 && left_ms + LEASE_PAD_MS < ms)
		ms = left_ms + LEASE_PAD_MS;
	return ms;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct sched_ctx	 ctx;
	struct deliver_thread	*dt = NULL;
	struct sigaction	 sa;
	struct conf		 cfg;
	struct db		*db = NULL;
	struct pages		*pages = NULL;
	struct timespec		 mono;
	long long		 left_ms = -1;
	const char		*cfgpath = NULL, *pidfile = NULL, *user = NULL;
	struct passwd		*pw = NULL;
	char			 me[300], holder[256], host[200], suffix[9];
	time_t			 fixed_now = 0, *last = NULL;
	long long		 epoch = 0;
	size_t			 i;
	int			 ch, once = 0, foreground = 0, rc, leader = 0;

	while ((ch = getopt_long(argc, argv, "c:fhp:u:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cfgpath = optarg;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'o':
			once = 1;
			break;
		case 'n':
			if (isotime_parse(optarg, &fixed_now) == -1) {
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
	if (user != NULL) {
		if ((pw = getpwnam(user)) == NULL) {
			fprintf(stderr, "resilops-sched: -u %s: no such user\n",
			    user);
			return 1;
		}
		if (geteuid() != 0) {
			fprintf(stderr, "resilops-sched: -u %s: only root can "
			    "change to another user\n", user);
			return 1;
		}
	}
	if (load(&cfg, cfgpath) == -1)
		return 1;
	/* As root still, like the config: the templates may be root's. */
	if (static_pages_load(&cfg, &pages) == -1)
		goto fail;
	/*
	 * Before the pidfile: a SIGTERM once it names us ends the run the
	 * clean way, pidfile removed, however slow the start after it.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: sleeps end early */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!foreground && !once && daemon(0, 0) == -1) {
		perror("daemon");
		goto fail;
	}
	if (pidfile != NULL && write_pidfile(pidfile,
	    pw ? pw->pw_uid : (uid_t)-1, pw ? pw->pw_gid : (gid_t)-1) == -1)
		goto fail;
	if (pw != NULL && drop_privileges(pw) == -1) {
		if (pidfile != NULL)
			unlink(pidfile);
		goto fail;
	}
	if (geteuid() == 0 && !once)
		log_warnx("running as root: use -u USER (or systemd's User=) to "
		    "run as the service account");
	/* Before any thread: curl's global set-up is not thread-safe. */
	if (deliver_init() == -1)
		goto fail;

	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	crypto_random_base62(suffix, 8);
	snprintf(me, sizeof(me), "%s:%ld:%s", host, (long)getpid(), suffix);
	if ((db = db_new(&cfg)) == NULL ||
	    (last = calloc(sched_njobs, sizeof(*last))) == NULL) {
		if (pidfile != NULL)
			unlink(pidfile);
		goto fail;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.cfg = &cfg;
	ctx.me = me;
	ctx.verbose = once;
	ctx.pages = pages;
	rc = 0;
	while (!stop) {
		if (reload) {
			struct conf	 fresh;
			struct pages	*fresh_pages;

			reload = 0;
			if (load(&fresh, cfgpath) == 0) {
				/*
				 * The db handles keep a pointer: reconnect with
				 * the new one (the delivery thread starts again
				 * with it while we lead).
				 */
				deliver_thread_stop(dt);
				dt = NULL;
				db_free(db);
				conf_free(&cfg);
				cfg = fresh;
				db = ctx.db = db_new(&cfg);
				/* Templates too: a changed page shows at once. */
				if (static_pages_load(&cfg, &fresh_pages) == 0) {
					pages_free(pages);
					pages = fresh_pages;
					ctx.pages = pages;
				}
				log_info("configuration reloaded");
			}
		}
		if (db_ready(db) == 0) {
			rc = db_lease_acquire(db, me, cfg.sched.lease_ttl, &epoch,
			    holder, sizeof(holder), &left_ms);
		} else
			rc = -1;
		if (rc == 1 && !leader)
			log_info("leading as %s (epoch %lld)", me, epoch);
		else if (rc != 1 && leader)
			log_warnx("no longer leading%s", rc == -1 ?
			    " (database error)" : "");
		leader = rc == 1;
		if (!once) {
			if (leader && dt == NULL)
				dt = deliver_thread_start(&cfg, me, fixed_now);
			/* Not leading: the thread ends its batch, then idles. */
			deliver_thread_lead(dt, leader ? epoch : 0);
		}
		if (!leader) {
			/* Step down on any error: the next tick tries again. */
			epoch = 0;
			/*
			 * Each web host serves the static copy from its own
			 * [pages] static_dir, and the daemon beside it is the
			 * only one that writes there: a follower renders it too
			 * (it only reads), so that every host's copy is fresh
			 * when its pool or the database fails, not the
			 * leader's host's alone.
			 */
			if (rc == 0) {
				ctx.now = fixed_now ? fixed_now : time(NULL);
				(void)job_static_pages(&ctx);
			}
			if (once) {
				if (rc == 0)
					printf("resilops-sched: not running the jobs: "
					    "the lease is held by %s\n", holder);
				rc = rc == 0 ? 0 : 1;
				break;
			}
			nap_ms(follower_nap_ms(cfg.sched.tick,
			    rc == 0 ? left_ms : -1));
			continue;
		}
		ctx.epoch = epoch;
		clock_gettime(CLOCK_MONOTONIC, &mono);
		for (i = 0; i < sched_njobs && !stop; i++) {
			if (!once && last[i] != 0 && sched_jobs[i].interval > 0 &&
			    mono.tv_sec - last[i] < sched_jobs[i].interval)
				continue;
			ctx.now = fixed_now ? fixed_now : time(NULL);
			if (sched_run_job(&ctx, &sched_jobs[i]) == 0) {
				leader = 0;
				epoch = 0;
				break;
			}
			last[i] = mono.tv_sec;
		}
		/* What the jobs queued goes out now, beside the next tick. */
		deliver_thread_lead(dt, leader ? epoch : 0);
		if (leader)
			deliver_thread_kick(dt);
		if (once) {
			if (leader && !stop) {
				struct deliver_env	 env = {
					.db = db, .cfg = &cfg, .me = me,
					.epoch = once_epoch,
					.stopping = once_stopping, .arg = &epoch,
					.now = fixed_now ? fixed_now : time(NULL),
				};

				deliver_pass(&env);
			}
			rc = 0;
			break;
		}
		nap(cfg.sched.tick);
	}
	if (!once)
		rc = 0;		/* a signal ended the loop: a clean stop */
	/* The thread may be recording outcomes behind the fence: first. */
	deliver_thread_stop(dt);
	/* Hand over at once rather than after lease_ttl. */
	if (leader)
		db_lease_release(db, me, epoch);
	db_free(db);
	free(last);
	pages_free(pages);
	conf_free(&cfg);
	deliver_cleanup();
	if (pidfile != NULL)
		unlink(pidfile);
	return rc;
fail:
	/* A start that failed: what it made freed, no pidfile of ours left. */
	db_free(db);
	free(last);
	pages_free(pages);
	conf_free(&cfg);
	return 1;
}
