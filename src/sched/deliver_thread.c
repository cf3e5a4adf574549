/*
 * The daemon's delivery thread (see deliver.h): passes beside the jobs,
 * with a database connection of its own, while we lead.  It waits for
 * a kick (the jobs just queued something) or a tick, and gives up the
 * transfers under way when told to stop.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "sched/deliver.h"
#include "util/conf.h"
#include "util/log.h"

struct deliver_thread {
	pthread_t		 tid;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	const struct conf	*cfg;
	char			*me;
	time_t			 fixed_now;
	long long		 epoch;		/* 0: not leading */
	bool			 kicked;
	bool			 stop;
};

static long long
thread_epoch(void *arg)
{
	struct deliver_thread	*dt = arg;
	long long		 e;

	pthread_mutex_lock(&dt->mu);
	e = dt->epoch;
	pthread_mutex_unlock(&dt->mu);
	return e;
}

static bool
thread_stopping(void *arg)
{
	struct deliver_thread	*dt = arg;
	bool			 s;

	pthread_mutex_lock(&dt->mu);
	s = dt->stop;
	pthread_mutex_unlock(&dt->mu);
	return s;
}

static void *
thread_main(void *arg)
{
	struct deliver_thread	*dt = arg;
	struct deliver_env	 env;
	struct timespec		 until;
	struct db		*db;
	bool			 down = false;

	/* struct db is not thread-safe: this thread has its own. */
	if ((db = db_new(dt->cfg)) == NULL) {
		log_errx("delivery: no database handle; not delivering");
		return NULL;
	}
	memset(&env, 0, sizeof(env));
	env.db = db;
	env.cfg = dt->cfg;
	env.me = dt->me;
	env.epoch = thread_epoch;
	env.stopping = thread_stopping;
	env.arg = dt;
	pthread_mutex_lock(&dt->mu);
	while (!dt->stop) {
		if (!dt->kicked) {
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += dt->cfg->sched.tick;
			while (!dt->stop && !dt->kicked &&
			    pthread_cond_timedwait(&dt->cv, &dt->mu,
			    &until) == 0)
				;
			if (dt->stop)
				break;
		}
		dt->kicked = false;
		if (dt->epoch == 0)
			continue;
		pthread_mutex_unlock(&dt->mu);
		if (db_ready(db) == -1) {
			if (!down)
				log_warnx("delivery: database unreachable; "
				    "trying again");
			down = true;
		} else {
			down = false;
			env.now = dt->fixed_now ? dt->fixed_now : time(NULL);
			deliver_pass(&env);
		}
		pthread_mutex_lock(&dt->mu);
	}
	pthread_mutex_unlock(&dt->mu);
	db_free(db);
	return NULL;
}

struct deliver_thread *
deliver_thread_start(const struct conf *cfg, const char *me, time_t fixed_now)
{
	struct deliver_thread	*dt;
	pthread_condattr_t	 ca;
	sigset_t		 all, old;
	int			 e;

	if ((dt = calloc(1, sizeof(*dt))) == NULL ||
	    (dt->me = strdup(me)) == NULL) {
		if (dt != NULL)
			free(dt);
		log_errx("delivery: out of memory");
		return NULL;
	}
	dt->cfg = cfg;
	dt->fixed_now = fixed_now;
	pthread_mutex_init(&dt->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&dt->cv, &ca);
	pthread_condattr_destroy(&ca);
	/* Signals are the main loop's: the thread starts with all blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&dt->tid, NULL, thread_main, dt);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		log_errx("delivery: cannot start its thread: %s", strerror(e));
		pthread_cond_destroy(&dt->cv);
		pthread_mutex_destroy(&dt->mu);
		free(dt->me);
		free(dt);
		return NULL;
	}
	return dt;
}

void
deliver_thread_lead(struct deliver_thread *dt, long long epoch)
{
	if (dt == NULL)
		return;
	pthread_mutex_lock(&dt->mu);
	dt->epoch = epoch;
	pthread_mutex_unlock(&dt->mu);
}

void
deliver_thread_kick(struct deliver_thread *dt)
{
	if (dt == NULL)
		return;
	pthread_mutex_lock(&dt->mu);
	dt->kicked = true;
	pthread_cond_signal(&dt->cv);
	pthread_mutex_unlock(&dt->mu);
}

void
deliver_thread_stop(struct deliver_thread *dt)
{
	if (dt == NULL)
		return;
	pthread_mutex_lock(&dt->mu);
	dt->stop = true;
	pthread_cond_signal(&dt->cv);
	pthread_mutex_unlock(&dt->mu);
	pthread_join(dt->tid, NULL);
	pthread_cond_destroy(&dt->cv);
	pthread_mutex_destroy(&dt->mu);
	free(dt->me);
	free(dt);
}
