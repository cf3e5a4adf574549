/*
 * The delivery runner (see deliver.h): for each source, claim a batch
 * behind the lease fence, let the source prepare each row, let each
 * transport check its jobs, run every transfer at once on one curl
 * multi handle, and record the outcomes, with the backoff, in one fenced
 * transaction.  Nothing here knows a table or a protocol: sources and
 * transports are the two tables below.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/mailaddr.h"
#include "core/netcheck.h"
#include "db/db.h"
#include "db/db_outbox.h"
#include "db/db_sched.h"
#include "sched/deliver.h"
#include "sched/deliver_transport.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/keyring.h"
#include "util/log.h"

/* The outboxes, delivered in this order in every pass. */
static const struct deliver_source *const sources[] = {
	&deliver_source_integrations,
	&deliver_source_subscribers,
};

static const struct deliver_transport *const transports[DELIVER_VIA__MAX] = {
	[DELIVER_VIA_HTTP] = &deliver_http,
	[DELIVER_VIA_SMTP] = &deliver_smtp,
};

int
deliver_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return log_errx("delivery: curl_global_init failed");
	return 0;
}

void
deliver_cleanup(void)
{
	curl_global_cleanup();
}

void
deliver_settle(struct deliver_job *j, enum deliver_outcome oc,
    const char *error)
{
	j->outcome = oc;
	j->error = error;
}

void
deliver_job_http(struct deliver_job *j, char *url, char *body,
    size_t bodylen)
{
	j->via = DELIVER_VIA_HTTP;
	j->target = url;
	j->body = body;
	j->bodylen = bodylen;
}

int
deliver_job_smtp(struct deliver_job *j, const char *const *rcpt,
    size_t nrcpt, char *message, size_t len)
{
	size_t	 i;

	j->via = DELIVER_VIA_SMTP;
	j->body = message;
	j->bodylen = len;
	for (i = 0; i < nrcpt; i++)
		if (!mailaddr_valid(rcpt[i])) {
			deliver_settle(j, DELIVER_FAILED, DELIVER_ERR_RCPT);
			return -1;
		}
	if ((j->rcpt = calloc(nrcpt > 0 ? nrcpt : 1, sizeof(*j->rcpt))) == NULL)
		goto oom;
	for (j->nrcpt = 0; j->nrcpt < nrcpt; j->nrcpt++)
		if ((j->rcpt[j->nrcpt] = strdup(rcpt[j->nrcpt])) == NULL)
			goto oom;
	return 0;
oom:
	deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
	return -1;
}

void
deliver_job_clear(struct deliver_job *j)
{
	transports[j->via]->clear(j);
	crypto_wipe_free(j->target);
	/* Addresses are personal data: they do not linger in memory. */
	while (j->nrcpt > 0)
		crypto_wipe_free(j->rcpt[--j->nrcpt]);
	free(j->rcpt);
	free(j->body);
}

static time_t
mono_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * How long a claim lasts: the slowest transfer, and slack for the rest
 * of the pass.  Transfers that could not end inside it wait (start_more).
 */
static time_t
claim_window(const struct deliver_ctx *ctx)
{
	int	 v, t, longest = 0;

	for (v = 0; v < DELIVER_VIA__MAX; v++)
		if ((t = transports[v]->timeout(ctx)) > longest)
			longest = t;
	return (time_t)longest + DELIVER_CLAIM_SLACK;
}

static bool
stopping(const struct deliver_env *env)
{
	return env->stopping != NULL && env->stopping(env->arg);
}

/* Hand every transport its ready jobs at once, for checks per batch. */
static void
check_jobs(const struct deliver_ctx *ctx, struct deliver_job *jobs, size_t n)
{
	struct deliver_job	**list;
	size_t			  i, k;
	int			  v;

	if ((list = calloc(n, sizeof(*list))) == NULL) {
		for (i = 0; i < n; i++)
			if (jobs[i].outcome == DELIVER_READY)
				deliver_settle(&jobs[i], DELIVER_RETRY,
				    DELIVER_ERR_START);
		return;
	}
	for (v = 0; v < DELIVER_VIA__MAX; v++) {
		for (i = k = 0; i < n; i++)
			if (jobs[i].outcome == DELIVER_READY &&
			    jobs[i].via == (enum deliver_via)v)
				list[k++] = &jobs[i];
		if (k > 0)
			transports[v]->check(list, k, ctx);
	}
	free(list);
}

/*
 * The transfers that may start now: within their transport's limit and
 * able to end by the deadline (the claim's end, less half the slack for
 * recording), so that no other daemon claims a row being sent.  How
 * many started.
 */
static size_t
start_more(CURLM *m, const struct deliver_ctx *ctx, struct deliver_job *jobs,
    size_t n, size_t *active, time_t deadline)
{
	const struct deliver_transport	*tr;
	struct deliver_job		*j;
	size_t				 i, started = 0;
	int				 limit;

	for (i = 0; i < n; i++) {
		j = &jobs[i];
		if (j->outcome != DELIVER_READY || j->done || j->easy != NULL)
			continue;
		tr = transports[j->via];
		if ((limit = tr->max_active(ctx)) > 0 &&
		    active[j->via] >= (size_t)limit)
			continue;
		if (mono_now() + tr->timeout(ctx) > deadline)
			continue;
		if (tr->setup(j, ctx) == -1 ||
		    curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j) != CURLE_OK ||
		    curl_multi_add_handle(m, j->easy) != CURLM_OK) {
			deliver_settle(j, DELIVER_RETRY, DELIVER_ERR_START);
			j->done = true;
			continue;
		}
		active[j->via]++;
		started++;
	}
	return started;
}

/* Collect what curl finished; how many did. */
static size_t
reap(CURLM *m, size_t *active)
{
	struct deliver_job	*j;
	CURLMsg			*msg;
	char			*p;
	size_t			 done = 0;
	int			 left;

	while ((msg = curl_multi_info_read(m, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE ||
		    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    &p) != CURLE_OK || p == NULL)
			continue;
		j = (struct deliver_job *)(void *)p;
		transports[j->via]->finish(j, msg->data.result);
		j->done = true;
		active[j->via]--;
		done++;
	}
	return done;
}

/*
 * All ready transfers at once, up to each transport's limit; a slow one
 * delays only itself.  On a stop, what is under way is abandoned and
 * kept for later; what never started is kept too.
 */
static void
run_transfers(const struct deliver_env *env, const struct deliver_ctx *ctx,
    struct deliver_job *jobs, size_t n, time_t deadline)
{
	struct deliver_job	*j;
	CURLM			*m;
	size_t			 i, inflight, added, active[DELIVER_VIA__MAX];
	int			 running = 0;
	bool			 stopped = false;

	if ((m = curl_multi_init()) == NULL) {
		for (i = 0; i < n; i++)
			if (jobs[i].outcome == DELIVER_READY)
				deliver_settle(&jobs[i], DELIVER_RETRY,
				    DELIVER_ERR_START);
		return;
	}
	memset(active, 0, sizeof(active));
	inflight = start_more(m, ctx, jobs, n, active, deadline);
	while (inflight > 0) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		inflight -= reap(m, active);
		added = start_more(m, ctx, jobs, n, active, deadline);
		inflight += added;
		/* curl runs nothing and nothing new: no end will come. */
		if (inflight == 0 || (running == 0 && added == 0))
			break;
		if (stopping(env)) {
			stopped = true;
			break;
		}
		if (curl_multi_poll(m, NULL, 0, 250, NULL) != CURLM_OK)
			break;
	}
	for (i = 0; i < n; i++) {
		j = &jobs[i];
		if (j->outcome == DELIVER_READY && !j->done) {
			if (j->easy == NULL || stopped)
				deliver_settle(j, DELIVER_KEEP, NULL);
			else
				deliver_settle(j, DELIVER_RETRY,
				    DELIVER_ERR_ABORTED);
		}
		if (j->easy == NULL)
			continue;
		curl_multi_remove_handle(m, j->easy);
		curl_easy_cleanup(j->easy);
		j->easy = NULL;
	}
	curl_multi_cleanup(m);
}

static time_t
backoff(int base, int attempts)
{
	long long	 d = base;
	int		 i;

	for (i = 1; i < attempts && d < DELIVER_BACKOFF_MAX; i++)
		d *= 2;
	return (time_t)(d > DELIVER_BACKOFF_MAX ? DELIVER_BACKOFF_MAX : d);
}

static void
outcome_row(const struct deliver_env *env, const struct deliver_row *r,
    const struct deliver_job *j, struct outbox_outcome *o)
{
	const struct conf	*cfg = env->cfg;

	memset(o, 0, sizeof(*o));
	o->id = r->id;
	o->attempts = r->attempts + 1;
	o->next_attempt_at = env->now;
	o->last_error = j->error;
	switch (j->outcome) {
	case DELIVER_SENT:
		o->status = OUTBOX_SENT;
		o->sent = true;
		o->last_error = NULL;
		break;
	case DELIVER_FAILED:
		o->status = OUTBOX_FAILED;
		break;
	case DELIVER_RETRY:
		if (o->attempts >= cfg->delivery.max_attempts)
			o->status = OUTBOX_FAILED;
		else {
			o->status = OUTBOX_PENDING;
			o->next_attempt_at = env->now +
			    backoff(cfg->delivery.retry_base, o->attempts);
		}
		break;
	case DELIVER_SKIPPED:
		o->status = OUTBOX_SKIPPED;
		o->attempts = r->attempts;
		break;
	default:
		/* Not tried: as it was before the claim. */
		o->status = OUTBOX_PENDING;
		o->attempts = r->attempts;
		o->next_attempt_at = r->due;
		o->last_error = r->last_error;
		break;
	}
}

/* Open a transaction behind the lease fence: 1, 0 not leading, -1. */
static int
fence_begin(const struct deliver_env *env)
{
	long long	 epoch = env->epoch(env->arg);
	int		 f;

	if (epoch == 0)
		return 0;
	if (db_begin(env->db) == -1)
		return -1;
	if ((f = db_lease_fence(env->db, env->me, epoch)) != 1) {
		db_rollback(env->db);
		return f;
	}
	return 1;
}

/* The outcomes of a batch, logged, then stored behind the fence: 0, -1. */
static int
record(const struct deliver_env *env, const struct deliver_source *src,
    const void *rows, const struct deliver_job *jobs,
    struct outbox_outcome *oc, size_t n)
{
	struct deliver_row	 r;
	size_t			 i, count[DELIVER_OUTCOME__MAX];
	int			 f;

	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++) {
		src->columns(rows, i, &r);
		outcome_row(env, &r, &jobs[i], &oc[i]);
		count[jobs[i].outcome]++;
		if (jobs[i].outcome == DELIVER_RETRY ||
		    jobs[i].outcome == DELIVER_FAILED)
			log_info("delivery: %s %lld (%s) attempt %d: %s",
			    src->name, r.id, jobs[i].ref, oc[i].attempts,
			    jobs[i].error);
	}
	if ((f = fence_begin(env)) != 1) {
		if (f == 0)
			log_warnx("delivery: lease lost; %zu outcomes not "
			    "recorded", n);
		return f == 0 ? 0 : -1;
	}
	if (src->record(env->db, env->now, oc, n) == -1) {
		db_rollback(env->db);
		return -1;
	}
	if (db_commit(env->db) == -1)
		return -1;
	log_info("delivery: %s: %zu sent, %zu to retry, %zu failed, "
	    "%zu skipped, %zu left for later", src->name,
	    count[DELIVER_SENT], count[DELIVER_RETRY], count[DELIVER_FAILED],
	    count[DELIVER_SKIPPED], count[DELIVER_KEEP]);
	return 0;
}

/* Deliver one claimed batch and record its outcomes: 0, or -1. */
static int
batch_run(const struct deliver_env *env, const struct deliver_source *src,
    const struct deliver_ctx *ctx, const void *rows, size_t n,
    time_t deadline)
{
	struct outbox_outcome	*oc = NULL;
	struct deliver_job	*jobs;
	size_t			 i;
	int			 rc = -1;

	if ((jobs = calloc(n, sizeof(*jobs))) == NULL ||
	    (oc = calloc(n, sizeof(*oc))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		jobs[i].outcome = DELIVER_READY;
		src->prepare(ctx, rows, i, &jobs[i]);
	}
	check_jobs(ctx, jobs, n);
	run_transfers(env, ctx, jobs, n, deadline);
	rc = record(env, src, rows, jobs, oc, n);
out:
	if (jobs != NULL)
		for (i = 0; i < n; i++)
			deliver_job_clear(&jobs[i]);
	free(jobs);
	free(oc);
	return rc;
}

/* Claim behind the fence: 1 with rows (maybe none), 0 not leading, -1. */
static int
claim(const struct deliver_env *env, const struct deliver_source *src,
    time_t claim_until, void **rows, size_t *n)
{
	int	 f;

	*rows = NULL;
	*n = 0;
	if ((f = fence_begin(env)) != 1)
		return f;
	if (src->claim(env->db, env->now, DELIVER_BATCH, claim_until, rows,
	    n) == -1) {
		db_rollback(env->db);
		return -1;
	}
	if (db_commit(env->db) == -1) {
		src->release(*rows, *n);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	return 1;
}

/* Every due row of one source, batch after batch: rows handled, or -1. */
static long
source_pass(const struct deliver_env *env, const struct deliver_source *src,
    const struct deliver_ctx *ctx)
{
	void			*rows;
	size_t			 n;
	long			 total = 0;
	time_t			 window = claim_window(ctx), deadline;
	int			 f, rc;

	while (!stopping(env)) {
		deadline = mono_now() + window - DELIVER_CLAIM_SLACK / 2;
		if ((f = claim(env, src, env->now + window, &rows, &n)) != 1)
			return f == 0 ? total : -1;
		if (n == 0)
			break;
		rc = batch_run(env, src, ctx, rows, n, deadline);
		src->release(rows, n);
		if (rc == -1)
			return -1;
		total += (long)n;
		if (n < DELIVER_BATCH)
			break;
	}
	return total;
}

long
deliver_pass(const struct deliver_env *env)
{
	const struct conf	*cfg = env->cfg;
	struct netcheck_nets	 allow;
	struct deliver_ctx	 ctx;
	struct keyring		 ring;
	size_t			 i;
	long			 total = 0, n;
	char			 err[160];

	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = cfg;
	ctx.allow = &allow;
	ctx.now = env->now;
	if (netcheck_nets_parse(cfg->delivery.allow_networks, &allow, err,
	    sizeof(err)) == -1)
		log_warnx("delivery: [delivery] allow_networks: %s; allowing "
		    "no private network", err);
	if (keyring_load(&ring, cfg, err, sizeof(err)) == 0)
		ctx.key = &ring;
	else
		log_warnx("delivery: %s", err);
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		if ((n = source_pass(env, sources[i], &ctx)) == -1) {
			log_warnx("delivery: database error; trying again "
			    "later");
			total = -1;
			break;
		}
		total += n;
	}
	keyring_wipe(&ring);
	return total;
}
