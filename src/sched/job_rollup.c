/*
 * The daily uptime rollup behind the status page's 90 bars: for each
 * service, the seconds of each UTC day covered by its outages (merged
 * where they overlap, open ones up to now) and how many outages touch
 * the day.  "rollup" redoes yesterday and today every tick, so the
 * page follows an outage as it happens; "rollup-history" redoes all 90
 * days every five minutes, which takes in an outage logged afterwards
 * for an earlier day.  Each run computes its window whole from the
 * outages, so it keeps no watermark and an earlier --now simply
 * recomputes that window; it writes only the rows that differ from
 * those kept (core/rollupdiff), which in a steady state is today's
 * rows of the services down now, not the window's every row.
 * Maintenance windows are cut out of the outages first: planned work
 * is not downtime (an outage cut in two by a window counts as two
 * outages on the day's bar).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/maintenance.h"
#include "core/rollupdiff.h"
#include "core/uptime.h"
#include "db/db_rollup.h"
#include "sched/sched.h"
#include "util/log.h"

#define ROLLUP_DAYS	90	/* the status page's bars */

/* One service's outages and windows (o[0..n) of one service id) into rows. */
static int
rollup_service(const struct rollup_outage *o, size_t n, time_t from_day,
    int ndays, time_t now, struct rollup_day *rows, size_t *nrows)
{
	struct day_down	 days[ROLLUP_DAYS];
	struct interval	*iv, *win, *counted = NULL;
	size_t		 i, k, niv = 0, nwin = 0, ncounted;
	int		 rc = -1;

	iv = calloc(n, sizeof(*iv));
	win = calloc(n, sizeof(*win));
	if (iv == NULL || win == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if (o[i].maintenance)
			win[nwin++] = o[i].iv;
		else
			iv[niv++] = o[i].iv;
	}
	if (maint_subtract(iv, niv, win, nwin, now, &counted, &ncounted) == -1)
		goto out;
	k = uptime_days(counted, ncounted, from_day, ndays, now, days);
	for (i = 0; i < k; i++) {
		rows[*nrows].service_id = o[0].service_id;
		rows[*nrows].d = days[i];
		(*nrows)++;
	}
	rc = 0;
out:
	free(counted);
	free(win);
	free(iv);
	return rc;
}

/* The window's rows from its outages, in rollup_day_cmp order. */
static int
rollup_compute(struct sched_ctx *ctx, time_t from, time_t to, int ndays,
    struct rollup_day **out, size_t *nrows, size_t *nservices)
{
	struct rollup_outage	*o = NULL;
	struct rollup_day	*rows = NULL;
	size_t			 n = 0, i, j, services = 0;
	int			 rc = -1;

	*out = NULL;
	*nrows = 0;
	if (db_rollup_outages(ctx->db, from, to, ctx->now, &o, &n) == -1)
		return -1;
	/* At most one row per service and day. */
	for (i = 0; i < n; i++)
		if (i == 0 || o[i].service_id != o[i - 1].service_id)
			services++;
	if (services > 0 && (rows = calloc(services * (size_t)ndays,
	    sizeof(*rows))) == NULL)
		goto out;
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && o[j].service_id == o[i].service_id; j++)
			;
		if (rollup_service(&o[i], j - i, from, ndays, ctx->now, rows,
		    nrows) == -1)
			goto out;
	}
	/* By service (the outages' order), each one's days oldest first. */
	if (!rollup_days_sorted(rows, *nrows))
		qsort(rows, *nrows, sizeof(*rows), rollup_day_cmp);
	*out = rows;
	*nservices = services;
	rows = NULL;
	rc = 0;
out:
	free(rows);
	free(o);
	return rc;
}

static int
rollup(struct sched_ctx *ctx, int ndays)
{
	struct rollup_day	*want = NULL, *kept = NULL, *del = NULL;
	struct rollup_day	*put = NULL;
	time_t			 today, from, to;
	size_t			 nwant, nkept = 0, ndel, nput, services = 0;
	int			 rc = -1;

	today = ctx->now - ctx->now % DAY_SECONDS;
	from = today - (time_t)(ndays - 1) * DAY_SECONDS;
	to = today + DAY_SECONDS;
	if (rollup_compute(ctx, from, to, ndays, &want, &nwant,
	    &services) == -1 ||
	    db_rollup_kept(ctx->db, from, to, &kept, &nkept) == -1 ||
	    rollup_diff(kept, nkept, want, nwant, &del, &ndel, &put,
	    &nput) == -1 ||
	    db_rollup_apply(ctx->db, del, ndel, put, nput) == -1)
		goto out;
	if (ctx->verbose)
		log_info("rollup: %d days, %zu services with outages, %zu "
		    "rows, %zu written, %zu deleted", ndays, services, nwant,
		    nput, ndel);
	rc = 0;
out:
	free(put);
	free(del);
	free(kept);
	free(want);
	return rc;
}

int
job_rollup(struct sched_ctx *ctx)
{
	return rollup(ctx, 2);
}

int
job_rollup_history(struct sched_ctx *ctx)
{
	return rollup(ctx, ROLLUP_DAYS);
}
