/*
 * The runner's side of a transport (sched/deliver.c drives them): how
 * one kind of job is checked, becomes a curl easy handle, and is judged
 * when curl is done.  One table per transport, indexed by enum
 * deliver_via.
 */
#ifndef RO_DELIVER_TRANSPORT_H
#define RO_DELIVER_TRANSPORT_H

#include <stddef.h>

#include <curl/curl.h>

struct deliver_ctx;
struct deliver_job;

struct deliver_transport {
	const char	*name;
	/*
	 * Before any transfer: the batch's ready jobs of this transport,
	 * all at once (HTTP resolves each host once for all of them).
	 * Settles those that cannot go; may keep state in job->state.
	 */
	void	 (*check)(struct deliver_job **, size_t n,
		    const struct deliver_ctx *);
	/* Transfers of this transport at once; 0: no limit. */
	int	 (*max_active)(const struct deliver_ctx *);
	/* The longest one transfer may take, connecting included, s. */
	int	 (*timeout)(const struct deliver_ctx *);
	/* job->easy made and set up; 0 or -1 (the runner retries it). */
	int	 (*setup)(struct deliver_job *, const struct deliver_ctx *);
	/* Settle the job from what curl made of it. */
	void	 (*finish)(struct deliver_job *, CURLcode);
	/* Free job->state (the easy handle is the runner's).  NULL-safe. */
	void	 (*clear)(struct deliver_job *);
};

extern const struct deliver_transport deliver_http;
extern const struct deliver_transport deliver_smtp;

/*
 * Free what a job holds (its transport's state first), wiping the URL
 * and the addresses; not the easy handle.
 */
void	 deliver_job_clear(struct deliver_job *);

/* The fixed texts of last_error that more than one file uses. */
#define DELIVER_ERR_START	"cannot start the request"
#define DELIVER_ERR_ABORTED	"transfer failed"
#define DELIVER_ERR_RCPT	"invalid recipient address"

#endif
