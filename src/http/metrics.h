/*
 * The figures every worker of the pool shares, for /metrics: requests
 * by route row and status, a latency histogram per route row, the
 * database's failures and reconnects, workers replaced.  One block of
 * fixed-size C11 atomic counters in an anonymous shared mapping that
 * the supervisor makes before it forks, so a scrape answers the same
 * whichever worker takes it.  Processes started apart (mod_fcgid, two
 * pools on one host) share it through [metrics] shared_file instead: a
 * file behind a header that says which layout its rows have.  Before
 * metrics_init (the admin tool, the unit tests) recording is a no-op.
 */
#ifndef RO_METRICS_H
#define RO_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "http/route.h"
#include "util/shmblock.h"

struct promtext;

#define METRICS_ROUTES_MAX	384	/* rows counted; the site has fewer */
#define METRICS_LATENCY_BOUNDS	11
#define METRICS_HEADER_SIZE	SHMBLOCK_HEADER_SIZE

/* The latency buckets' upper bounds, in seconds (Prometheus' defaults). */
extern const double metrics_latency_bounds[METRICS_LATENCY_BOUNDS];

/*
 * Map the shared block (before the workers are forked) and send this
 * process's database events to it.  shared_file NULL or "": an
 * anonymous block for this process and its children; otherwise that
 * file, reset when it holds another layout than routes' (the table
 * metrics_request's row numbers index).  0, or -1 logged.
 */
int	 metrics_init(const char *shared_file, const struct route *routes,
	    size_t nroutes);
/*
 * What decides what a row of the block means: the counted rows'
 * methods and patterns, the status and latency tables, the block's
 * size.  Two processes may share a file only when theirs are equal.
 */
uint64_t metrics_layout(const struct route *routes, size_t nroutes);
/* Write the header of a file of that layout into buf (METRICS_HEADER_SIZE). */
void	 metrics_header_write(void *buf, uint64_t layout);
/* Whether buf (len bytes) starts with the header of that layout. */
bool	 metrics_header_valid(const void *buf, size_t len, uint64_t layout);
/*
 * The row of the status table status is counted in: one per code the
 * application answers, the last one ("other") for the rest.
 */
size_t	 metrics_status_slot(int status);
/* The label of a status slot: "200", ..., "other". */
const char *metrics_status_label(size_t slot);
/*
 * Count one request: route is the row's index in the route table
 * (METRICS_ROUTES_MAX or more: unrouted), seconds its duration.
 */
void	 metrics_request(size_t route, int status, double seconds);
/* Count a worker the supervisor had to replace. */
void	 metrics_worker_replaced(void);
/* The database observer (db_set_observer) metrics_init installs. */
void	 metrics_db_event(enum db_event, enum db_err);
/*
 * Write the shared block's families into pt, the route rows labelled
 * with routes[i].pattern (and method); rows never used are left out.
 */
void	 metrics_write(struct promtext *, const struct route *routes,
	    size_t nroutes);

/* GET /metrics (http/metrics_route.c), for the site's route table. */
extern const struct route	 metrics_routes[];
extern const size_t		 metrics_nroutes;

#endif
