/*
 * Delivery of the notification outbox to Slack and Webhook receivers
 * (libcurl).  Each receiver's host is resolved once, every address it
 * resolves to is checked with core/netcheck, and curl may connect only
 * to those addresses (CURLOPT_RESOLVE, and a socket callback that checks
 * again whatever curl connects to); http(s) only, no redirects, no
 * proxy, connect and total timeouts, a 64 KiB cap on the answer.
 *
 * A pass claims due rows in batches, delivers a batch concurrently
 * (curl multi: a slow receiver holds up nobody) and records all its
 * outcomes in one transaction.  Claim and record are fenced by the
 * lease, so only the leader writes.  The daemon runs passes in a thread
 * of their own with their own database connection, so a dead receiver
 * never delays the other jobs; --once runs one pass in the main thread.
 */
#ifndef RO_DELIVER_H
#define RO_DELIVER_H

#include <stdbool.h>
#include <time.h>

struct conf;
struct db;

#define DELIVER_BATCH		50		/* rows per claim */
#define DELIVER_BODY_MAX	(64 * 1024)	/* bytes of an answer read */
#define DELIVER_BACKOFF_MAX	86400		/* longest wait between attempts, s */
#define DELIVER_CLAIM_SLACK	60		/* s a claim outlasts the timeouts */

/* What a pass works with. */
struct deliver_env {
	struct db		*db;
	const struct conf	*cfg;
	const char		*me;		/* lease holder name */
	/* Our lease epoch now, 0 when not leading (read before each write). */
	long long		(*epoch)(void *arg);
	/* Whether to give up the transfers under way (shutdown); may be NULL. */
	bool			(*stopping)(void *arg);
	void			*arg;
	time_t			 now;		/* what counts as due; --now */
};

/* curl_global_init, once, before any thread starts; 0 or -1. */
int	 deliver_init(void);
void	 deliver_cleanup(void);

/*
 * Deliver every row due at env->now, batch after batch, while we lead.
 * Success: sent.  An HTTP answer other than 2xx or a transport error:
 * attempts + 1 and another try retry_base * 2^(attempts - 1) seconds
 * later (at most DELIVER_BACKOFF_MAX), failed once attempts reach
 * max_attempts.  An address netcheck refuses, a URL delivery cannot
 * take or a payload that is not JSON: failed at once.  Email and AWS
 * (nothing to send over HTTP): skipped.  last_error never holds the
 * URL.  Returns the number of rows handled, or -1 on a database error.
 */
long	 deliver_pass(const struct deliver_env *);

/*
 * The daemon's delivery thread, with its own connection for cfg
 * (which must outlive it: stop the thread before freeing it).  It runs
 * a pass when kicked, or every [sched] tick, while its epoch is not 0.
 * NULL on failure (logged).
 */
struct deliver_thread *deliver_thread_start(const struct conf *cfg,
	    const char *me, time_t fixed_now);
/* Our lease epoch as of now; 0 when we do not lead.  NULL-safe. */
void	 deliver_thread_lead(struct deliver_thread *, long long epoch);
/* Run a pass soon (the jobs just queued something).  NULL-safe. */
void	 deliver_thread_kick(struct deliver_thread *);
/*
 * Stop: transfers under way are abandoned (their rows stay due as
 * before), the thread is joined and freed.  NULL-safe.
 */
void	 deliver_thread_stop(struct deliver_thread *);

#endif
