/*
 * Maintenance windows, the pure part.  Uptime leaves planned work out
 * by cutting the windows out of the outages before anything measures
 * them: the health route's uptime and the daily rollup then count what
 * is left exactly as before, so a service in maintenance is simply not
 * down for them.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>


#include "core/intervaltext.h"
#include "core/maintenance.h"
#include "core/uptime.h"
#include "core/validate.h"

const char *const maint_state_names[] = {
	[MAINT_SCHEDULED] = "scheduled",
	[MAINT_ACTIVE] = "active",
	[MAINT_COMPLETED] = "completed",
	[MAINT_STATE__MAX] = NULL,
};

enum maint_state
maint_state_at(time_t starts_at, time_t ends_at, time_t now)
{

	if (now < starts_at)
		return MAINT_SCHEDULED;
	return now < ends_at ? MAINT_ACTIVE : MAINT_COMPLETED;
}

const char *
maint_state_name(enum maint_state st)
{

	/* Never NULL: the answer goes straight into JSON. */
	switch (st) {
	case MAINT_SCHEDULED:
	case MAINT_ACTIVE:
	case MAINT_COMPLETED:
		return maint_state_names[st];
	default:
		return maint_state_names[MAINT_COMPLETED];
	}
}

int
maint_state_parse(const char *s)
{
	return valid_choice(s, maint_state_names);
}

bool
maint_rearm(time_t starts_at, time_t ends_at, bool end_announced, time_t now)
{

	switch (maint_state_at(starts_at, ends_at, now)) {
	case MAINT_SCHEDULED:
		return true;
	case MAINT_ACTIVE:
		return end_announced;
	default:
		return false;
	}
}

/*
 * Sort the windows and merge those that overlap or touch, in place, so
 * that each part of an outage is cut by one pass over them.  Empty or
 * backwards windows are dropped.  Returns how many are left.
 */
static size_t
windows_merge(struct interval *win, size_t nw)
{
	size_t	 i, k = 0;

	intervals_sort(win, nw);
	for (i = 0; i < nw; i++) {
		if (win[i].end <= win[i].start)
			continue;
		if (k > 0 && win[i].start <= win[k - 1].end) {
			if (win[i].end > win[k - 1].end)
				win[k - 1].end = win[i].end;
			continue;
		}
		win[k++] = win[i];
	}
	return k;
}

/*
 * The parts of [s, e) outside the merged windows w[0..k), written to
 * out (when not NULL); returns how many there are.
 */
static size_t
outage_cut(time_t s, time_t e, const struct interval *w, size_t k,
    struct interval *out)
{
	size_t	 j, n = 0;

	for (j = 0; j < k && s < e; j++) {
		if (w[j].end <= s)
			continue;
		if (w[j].start >= e)
			break;
		if (w[j].start > s) {
			if (out != NULL) {
				out[n].start = s;
				out[n].end = w[j].start;
			}
			n++;
		}
		s = w[j].end;
	}
	if (s < e) {
		if (out != NULL) {
			out[n].start = s;
			out[n].end = e;
		}
		n++;
	}
	return n;
}

/* An outage as a span: open ones run to now, nothing counts after now. */
static bool
outage_span(const struct interval *iv, time_t now, time_t *s, time_t *e)
{

	*s = iv->start;
	*e = iv->end == 0 || iv->end > now ? now : iv->end;
	return *s < *e;
}

int
maint_subtract(const struct interval *iv, size_t n, struct interval *win,
    size_t nw, time_t now, struct interval **out, size_t *nout)
{
	struct interval	*v;
	size_t		 k, i, total = 0, at = 0;
	time_t		 s, e;

	*out = NULL;
	*nout = 0;
	k = win != NULL ? windows_merge(win, nw) : 0;
	/* Counted first: a window inside several overlapping outages cuts each. */
	for (i = 0; i < n; i++)
		if (outage_span(&iv[i], now, &s, &e))
			total += outage_cut(s, e, win, k, NULL);
	if (total == 0)
		return 0;
	if ((v = calloc(total, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (outage_span(&iv[i], now, &s, &e))
			at += outage_cut(s, e, win, k, v + at);
	*out = v;
	*nout = at;
	return 0;
}

/*
 * Read by hand (core/intervaltext.c), not through json-c: every row of
 * a page of the services list carries this text.
 */
int
maint_windows_active(const char *json, size_t len, time_t now)
{
	struct interval	*w;
	size_t		 i, n;
	int		 rc, active = 0;

	if (json == NULL)
		return 0;
	if ((rc = intervals_parse(json, len, &w, &n)) != 0)
		return -1;
	/* Every pair is checked: a bad one is found wherever it stands. */
	for (i = 0; i < n; i++) {
		if (!(w[i].start < w[i].end)) {
			active = -1;
			break;
		}
		if (maint_state_at(w[i].start, w[i].end, now) == MAINT_ACTIVE)
			active = 1;
	}
	free(w);
	return active;
}
