/*
 * The shared counters behind /metrics.  The route table is static and
 * statuses are folded into a fixed table of the codes the application
 * answers, so the block has a fixed size and a scrape a bounded number
 * of series.  Counters are relaxed C11 atomics: each is exact, a scrape
 * may see one request counted in its status and not yet in its bucket.
 * With [metrics] shared_file the block lives in a file after a header
 * naming its layout, so processes that no common parent forked (mod_fcgid)
 * count into one set of figures, and a program whose rows mean something
 * else (an upgrade changed the routes) starts the file again rather than
 * adding to the wrong rows.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/promtext.h"
#include "db/db.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/route.h"
#include "util/log.h"
#include "util/shmblock.h"

const double metrics_latency_bounds[METRICS_LATENCY_BOUNDS] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};

/* The codes resilops answers; everything else is "other". */
#define STATUS_CODES(X) \
	X(200) X(201) X(202) X(204) X(301) X(302) X(303) X(304) X(400) \
	X(401) X(403) X(404) X(405) X(409) X(410) X(412) X(413) X(415) \
	X(422) X(429) X(500) X(502) X(503) X(504)
#define STATUS_INT(n)	n,
#define STATUS_TEXT(n)	#n,
static const int status_codes[] = { STATUS_CODES(STATUS_INT) };
/* Their labels, made by the compiler: nothing written at run time. */
static const char *const status_labels[] = { STATUS_CODES(STATUS_TEXT) };
#define NSTATUS	(sizeof(status_codes) / sizeof(status_codes[0]) + 1)

/* One route row's figures; the last row is for unrouted requests. */
struct metrics_row {
	atomic_uint_least64_t	 status[NSTATUS];
	atomic_uint_least64_t	 bucket[METRICS_LATENCY_BOUNDS + 1];
	atomic_uint_least64_t	 usec;		/* sum of durations */
};

struct metrics_block {
	struct metrics_row	 rows[METRICS_ROUTES_MAX + 1];
	atomic_uint_least64_t	 db_errors[DB_ERR__MAX];
	atomic_uint_least64_t	 db_reconnects;
	atomic_uint_least64_t	 db_connect_failures;
	atomic_uint_least64_t	 workers_replaced;
};

static const struct shmblock_kind metrics_kind = {
	"ROMETRIC", 1, "[metrics] shared_file",
};

static struct metrics_block	*block;

static const char *const db_err_names[DB_ERR__MAX] = {
	[DB_OK] = "ok", [DB_ERR_CONN] = "connection", [DB_ERR_DUP] = "duplicate",
	[DB_ERR_RETRY] = "conflict", [DB_ERR_FK] = "foreign_key",
	[DB_ERR_FULL] = "storage_full", [DB_ERR_OTHER] = "other",
};

/* FNV-1a, 64 bits: enough to tell two layouts apart, no secret involved. */
static uint64_t
layout_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char	*p = data;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

uint64_t
metrics_layout(const struct route *routes, size_t nroutes)
{
	uint64_t	 h = UINT64_C(14695981039346656037);
	size_t		 i, sizes[] = { sizeof(struct metrics_block), NSTATUS,
			    METRICS_LATENCY_BOUNDS, METRICS_ROUTES_MAX, DB_ERR__MAX };
	int		 method;

	h = layout_add(h, sizes, sizeof(sizes));
	h = layout_add(h, status_codes, sizeof(status_codes));
	h = layout_add(h, metrics_latency_bounds, sizeof(metrics_latency_bounds));
	/* Rows past METRICS_ROUTES_MAX are not counted: they decide nothing. */
	for (i = 0; i < nroutes && i < METRICS_ROUTES_MAX; i++) {
		method = routes[i].method;
		h = layout_add(h, &method, sizeof(method));
		/* With its NUL, so "/a" "/bc" and "/ab" "/c" differ. */
		h = layout_add(h, routes[i].pattern, strlen(routes[i].pattern) + 1);
	}
	return h;
}

void
metrics_header_write(void *buf, uint64_t layout)
{
	shmblock_header_write(buf, &metrics_kind, layout);
}

bool
metrics_header_valid(const void *buf, size_t len, uint64_t layout)
{
	return shmblock_header_valid(buf, len, &metrics_kind, layout);
}

int
metrics_init(const char *shared_file, const struct route *routes,
    size_t nroutes)
{
	if ((block = shmblock_map(shared_file, &metrics_kind,
	    metrics_layout(routes, nroutes), sizeof(*block), NULL)) == NULL)
		return -1;
	db_set_observer(metrics_db_event);
	return 0;
}

size_t
metrics_status_slot(int status)
{
	size_t	 i;

	for (i = 0; i < NSTATUS - 1; i++)
		if (status_codes[i] == status)
			return i;
	return NSTATUS - 1;
}

const char *
metrics_status_label(size_t slot)
{
	return slot < NSTATUS - 1 ? status_labels[slot] : "other";
}

void
metrics_request(size_t route, int status, double seconds)
{
	struct metrics_row	*r;
	double			 usec = seconds * 1e6;

	if (block == NULL)
		return;
	r = &block->rows[route < METRICS_ROUTES_MAX ? route : METRICS_ROUTES_MAX];
	atomic_fetch_add_explicit(&r->status[metrics_status_slot(status)], 1,
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&r->bucket[promtext_bucket(
	    metrics_latency_bounds, METRICS_LATENCY_BOUNDS, seconds)], 1,
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&r->usec, usec > 0 ? (uint64_t)usec : 0,
	    memory_order_relaxed);
}

void
metrics_worker_replaced(void)
{
	if (block != NULL)
		atomic_fetch_add_explicit(&block->workers_replaced, 1,
		    memory_order_relaxed);
}

void
metrics_db_event(enum db_event ev, enum db_err err)
{
	if (block == NULL)
		return;
	switch (ev) {
	case DB_EV_ERROR:
		if ((unsigned)err < DB_ERR__MAX)
			atomic_fetch_add_explicit(&block->db_errors[err], 1,
			    memory_order_relaxed);
		break;
	case DB_EV_RECONNECT:
		atomic_fetch_add_explicit(&block->db_reconnects, 1,
		    memory_order_relaxed);
		break;
	case DB_EV_CONNECT_FAILED:
		atomic_fetch_add_explicit(&block->db_connect_failures, 1,
		    memory_order_relaxed);
		break;
	default:
		break;
	}
}

static uint64_t
get(atomic_uint_least64_t *a)
{
	return atomic_load_explicit(a, memory_order_relaxed);
}

/* The labels of row i: its pattern and method, or "-" when unrouted. */
static void
row_labels(const struct route *routes, size_t nroutes, size_t i,
    const char *labels[5])
{
	bool	 routed = i < nroutes && i < METRICS_ROUTES_MAX;

	labels[0] = "route";
	labels[1] = routed ? routes[i].pattern : "-";
	labels[2] = "method";
	labels[3] = routed ? http_method_name(routes[i].method) : "-";
	labels[4] = NULL;
}

/* The rows to show: every used one, routed or not (the last). */
static bool
row_used(size_t i)
{
	size_t	 s;

	for (s = 0; s < NSTATUS; s++)
		if (get(&block->rows[i].status[s]) != 0)
			return true;
	return false;
}

static size_t
row_next(size_t i, size_t nroutes)
{
	for (; i <= METRICS_ROUTES_MAX; i++) {
		if (i < METRICS_ROUTES_MAX && i >= nroutes)
			continue;
		if (row_used(i))
			return i;
	}
	return METRICS_ROUTES_MAX + 1;
}

void
metrics_write(struct promtext *pt, const struct route *routes, size_t nroutes)
{
	const char	*labels[7];
	uint64_t	 counts[METRICS_LATENCY_BOUNDS + 1];
	size_t		 i, s;

	if (block == NULL)
		return;
	promtext_family(pt, "resilops_http_requests_total", PROM_COUNTER,
	    "HTTP requests answered, by route pattern, method and status.");
	for (i = row_next(0, nroutes); i <= METRICS_ROUTES_MAX;
	    i = row_next(i + 1, nroutes)) {
		row_labels(routes, nroutes, i, labels);
		labels[4] = "status";
		labels[6] = NULL;
		for (s = 0; s < NSTATUS; s++) {
			if (get(&block->rows[i].status[s]) == 0)
				continue;
			labels[5] = metrics_status_label(s);
			promtext_sample_u64(pt, "resilops_http_requests_total",
			    labels, get(&block->rows[i].status[s]));
		}
	}
	promtext_family(pt, "resilops_http_request_duration_seconds",
	    PROM_HISTOGRAM, "Time from reading a request to its answer "
	    "written, by route pattern and method.");
	for (i = row_next(0, nroutes); i <= METRICS_ROUTES_MAX;
	    i = row_next(i + 1, nroutes)) {
		row_labels(routes, nroutes, i, labels);
		for (s = 0; s <= METRICS_LATENCY_BOUNDS; s++)
			counts[s] = get(&block->rows[i].bucket[s]);
		promtext_histogram(pt, "resilops_http_request_duration_seconds",
		    labels, metrics_latency_bounds, METRICS_LATENCY_BOUNDS,
		    counts, (double)get(&block->rows[i].usec) / 1e6);
	}
	promtext_family(pt, "resilops_db_errors_total", PROM_COUNTER,
	    "Failed database statements and connections, by class.");
	for (s = DB_ERR_CONN; s < DB_ERR__MAX; s++) {
		labels[0] = "class";
		labels[1] = db_err_names[s];
		labels[2] = NULL;
		promtext_sample_u64(pt, "resilops_db_errors_total", labels,
		    get(&block->db_errors[s]));
	}
	promtext_family(pt, "resilops_db_reconnects_total", PROM_COUNTER,
	    "Database connections made again after one was lost.");
	promtext_sample_u64(pt, "resilops_db_reconnects_total", NULL,
	    get(&block->db_reconnects));
	promtext_family(pt, "resilops_db_connect_failures_total", PROM_COUNTER,
	    "Attempts to connect to the database that failed.");
	promtext_sample_u64(pt, "resilops_db_connect_failures_total", NULL,
	    get(&block->db_connect_failures));
	promtext_family(pt, "resilops_workers_replaced_total", PROM_COUNTER,
	    "FastCGI workers that died and were replaced by the supervisor.");
	promtext_sample_u64(pt, "resilops_workers_replaced_total", NULL,
	    get(&block->workers_replaced));
}
