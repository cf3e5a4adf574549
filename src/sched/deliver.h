/*
 * Delivery: the daemon's outboxes sent out with libcurl.  A pass takes
 * each source (an outbox table) in turn; for each it claims due rows in
 * batches, lets the source say what each row sends and by which
 * transport, runs the batch's transfers concurrently (curl multi: a slow
 * receiver holds up nobody) and records all its outcomes in one
 * transaction.  Claim and record are fenced by the lease, so only the
 * leader writes.  The daemon runs passes in a thread of their own with
 * their own database connection, so a dead receiver never delays the
 * other jobs; --once runs one pass in the main thread.
 *
 * Transports (sched/deliver_transport.h): HTTP POST to a webhook, its
 * host resolved once, every address checked with core/netcheck and
 * pinned (CURLOPT_RESOLVE, and a socket callback that checks again);
 * SMTP to the operator's relay ([smtp]), a few messages at a time.
 * A transfer starts only if it can end before the batch's claim does;
 * the others are kept for the next pass, not counted as attempts.
 *
 * Adding a source (an outbox table of its own, e.g. the subscribers'):
 * deliver_integrations.c is the worked example.
 *
 *  1. SQL: the table has the columns the runner moves: id BIGINT
 *     UNSIGNED primary key, status VARCHAR(10) NOT NULL DEFAULT
 *     'pending' ('pending', 'sent', 'failed', 'skipped'), attempts INT
 *     UNSIGNED NOT NULL DEFAULT 0, next_attempt_at DATETIME NOT NULL,
 *     last_error VARCHAR(255) NULL, sent_at DATETIME NULL, and KEY
 *     (status, next_attempt_at); a row is queued 'pending' with
 *     next_attempt_at = now, plus whatever says what it sends.
 *  2. db/: a claim SELECT of the table's pending rows with
 *     next_attempt_at <= ?, ORDER BY next_attempt_at, id LIMIT ? FOR
 *     UPDATE, joined to what each row sends; and a const struct
 *     outbox_table { mark, record } of two statements copied from
 *     db_outbox.c's SQL_MARK and SQL_RECORD with the table's name.  The
 *     claim function collects the rows (db_collect), then calls
 *     db_outbox_mark with their ids and claim_until; record is
 *     db_outbox_record with the table.
 *  3. sched/: a const struct deliver_source (below): claim and record
 *     wrap the db functions, columns gives id, attempts, due and
 *     last_error, release frees the rows, and prepare turns row i into
 *     a job, with no network or database I/O:
 *       - a webhook: deliver_job_http(job, url, json_body, len); the
 *         HTTP transport then parses the URL with core/netcheck,
 *         resolves and checks every address and pins it, as for
 *         integrations ([delivery] http_hosts, allow_networks);
 *       - an email: a message from core/mailmsg_build (from [smtp] from
 *         and from_name, else [pages] title; date ctx->now; id random,
 *         crypto_random_base62; for a subscriber .unsubscribe = the
 *         absolute link of the row's single-use token, .one_click when
 *         that link takes RFC 8058's POST), then deliver_job_smtp(job,
 *         &address, 1, message, len), which refuses an address
 *         core/mailaddr does not take;
 *       - nothing to send: deliver_settle(job, DELIVER_SKIPPED, why);
 *         what no retry fixes: DELIVER_FAILED; what may pass (a key
 *         that did not load): DELIVER_RETRY.
 *     job->ref names the receiver in log lines ("subscriber 12"):
 *     never an address or a URL, nor in an error text.
 *  4. One row in the sources table at the top of deliver.c.
 * Backoff, max_attempts, the lease fence, claim expiry and the start
 * deadline, the SSRF checks, TLS to the relay and the log lines come
 * with the runner.  Delivery is at least once: a crash between a send
 * and its record sends the row again after its claim expires.
 */
#ifndef RO_DELIVER_H
#define RO_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <curl/curl.h>

struct conf;
struct db;
struct keyring;
struct netcheck_nets;
struct outbox_outcome;

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

/* What becomes of a row. */
enum deliver_outcome {
	DELIVER_KEEP,		/* not tried: due again as before the claim */
	DELIVER_READY,		/* to be sent */
	DELIVER_SENT,
	DELIVER_RETRY,		/* failed; another attempt later (backoff) */
	DELIVER_FAILED,		/* failed for good */
	DELIVER_SKIPPED,	/* nothing to send for this row */
	DELIVER_OUTCOME__MAX
};

enum deliver_via {
	DELIVER_VIA_HTTP,
	DELIVER_VIA_SMTP,
	DELIVER_VIA__MAX
};

/* What a pass lends to a source's prepare. */
struct deliver_ctx {
	const struct conf		*cfg;
	const struct keyring		*key;	/* NULL: [secrets] did not load */
	const struct netcheck_nets	*allow;	/* [delivery] allow_networks */
	time_t				 now;
};

/*
 * One row's delivery: what the source asks for, then what the transport
 * made of it.  Every string is malloc'd and owned by the job (secrets in
 * it are wiped when it is freed); error is static text or errbuf, and
 * never holds a URL, an address or a secret: it becomes last_error.
 */
struct deliver_job {
	enum deliver_outcome	 outcome;
	const char		*error;
	char			 errbuf[64];
	enum deliver_via	 via;
	char			*target;	/* HTTP: the webhook URL (secret) */
	char			**rcpt;		/* SMTP: envelope recipients */
	size_t			 nrcpt;
	char			*body;		/* HTTP: JSON; SMTP: the message */
	size_t			 bodylen;
	char			 ref[48];	/* who it is for, in log lines */
	/* The runner's and the transport's. */
	CURL			*easy;
	void			*state;
	bool			 done;
};

/* Set a job's outcome; error as in struct deliver_job. */
void	 deliver_settle(struct deliver_job *, enum deliver_outcome,
	    const char *error);
/*
 * A job for the HTTP transport, taking url and body (malloc'd; the job
 * frees them, wiping the URL).
 */
void	 deliver_job_http(struct deliver_job *, char *url, char *body,
	    size_t bodylen);
/*
 * A job for the SMTP transport: the recipients are copied (each must
 * pass core/mailaddr: curl writes them into RCPT TO as they are), the
 * message (core/mailmsg's) is taken.  0, or -1 with the job settled:
 * failed for an address, retried when out of memory.
 */
int	 deliver_job_smtp(struct deliver_job *, const char *const *rcpt,
	    size_t nrcpt, char *message, size_t len);

/* The common columns of a claimed row. */
struct deliver_row {
	long long	 id;
	int		 attempts;
	time_t		 due;		/* next_attempt_at before the claim */
	const char	*last_error;	/* may be NULL */
};

/*
 * An outbox table as the runner sees it.  claim and record run inside
 * the runner's fenced transaction; rows is the source's own array.
 */
struct deliver_source {
	const char	*name;		/* in log lines */
	/*
	 * Lock up to limit pending rows due at now (the longest due
	 * first) and move their next_attempt_at to claim_until, so that
	 * no other daemon takes them meanwhile and a crash only delays
	 * them.  *rows (NULL when *n is 0) is freed with release.  0 or -1.
	 */
	int	 (*claim)(struct db *, time_t now, int limit,
		    time_t claim_until, void **rows, size_t *n);
	void	 (*columns)(const void *rows, size_t i, struct deliver_row *);
	/*
	 * Fill the job for row i (deliver_job_http, deliver_job_smtp, and
	 * ref), or settle it: DELIVER_FAILED for what no retry can fix,
	 * DELIVER_RETRY for what may (a key not loaded), DELIVER_SKIPPED
	 * for a row with nothing to send.  No network or database I/O.
	 */
	void	 (*prepare)(const struct deliver_ctx *, const void *rows,
		    size_t i, struct deliver_job *);
	/* Store n outcomes, one statement (db_outbox_record).  0 or -1. */
	int	 (*record)(struct db *, time_t now,
		    const struct outbox_outcome *, size_t n);
	void	 (*release)(void *rows, size_t n);
};

extern const struct deliver_source deliver_source_integrations;
extern const struct deliver_source deliver_source_subscribers;

/* curl_global_init, once, before any thread starts; 0 or -1. */
int	 deliver_init(void);
void	 deliver_cleanup(void);

/*
 * Deliver every row due at env->now, source after source, batch after
 * batch, while we lead.  Success: sent.  A failure the transport calls
 * passing (an HTTP answer other than 2xx, a transport error, an SMTP
 * 4xx or a refusal of the sender): attempts + 1 and another try retry_base * 2^(attempts - 1)
 * seconds later (at most DELIVER_BACKOFF_MAX), failed once attempts
 * reach max_attempts.  What no retry fixes (an address netcheck
 * refuses, a URL delivery cannot take, a payload that is not JSON, a
 * 5xx to a recipient or to the message): failed at once.  Rows with
 * nothing to send: skipped.  last_error never holds a URL or an
 * address.  Returns the number of rows handled, or -1 on a database
 * error.
 */
long	 deliver_pass(const struct deliver_env *);

/*
 * One message through [smtp] now, in the calling thread (resilops-admin
 * smtp-test): 0, or -1 with what happened in plain words in err (the
 * relay's own reply when it gave one).  reply, when not NULL, gets the
 * relay's last reply line either way ("250 2.0.0 Ok: queued as ...").
 */
int	 deliver_smtp_send(const struct conf *, const char *const *rcpt,
	    size_t nrcpt, const char *message, size_t len, char *err,
	    size_t errsz, char *reply, size_t replysz);

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
