/*
 * How long the 7-day downtime factor holds its verdict.  Each
 * downtime's share, max(0, min(end, t) - max(start, t - 7 days)), is
 * continuous in t and linear between its four corners (start, end, and
 * both plus 7 days), so the sum is linear between the corners of all:
 * on such a segment the verdict, a threshold on the sum, flips at most
 * once, and a bisection finds where.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "core/risk.h"
#include "core/riskwindow.h"

static bool
verdict(const struct interval *dt, size_t n, time_t t)
{

	return risk_downtime_factor(downtime_minutes_since(dt, n,
	    t - RISK_WINDOW_SECONDS, t));
}

static int
time_cmp(const void *a, const void *b)
{
	time_t	 x = *(const time_t *)a, y = *(const time_t *)b;

	return x < y ? -1 : x > y;
}

/* The corners strictly inside (lo, hi), sorted, into c; their number. */
static size_t
corners(const struct interval *dt, size_t n, time_t lo, time_t hi, time_t *c)
{
	time_t	 t[4];
	size_t	 i, k, m = 0;

	for (i = 0; i < n; i++) {
		t[0] = dt[i].start;
		t[1] = dt[i].start + RISK_WINDOW_SECONDS;
		t[2] = dt[i].end;
		t[3] = dt[i].end + RISK_WINDOW_SECONDS;
		/* An open downtime has no end corners. */
		for (k = 0; k < (dt[i].end == 0 ? 2u : 4u); k++)
			if (t[k] > lo && t[k] < hi)
				c[m++] = t[k];
	}
	qsort(c, m, sizeof(*c), time_cmp);
	return m;
}

/*
 * The verdict is v at a and not v at b (a, b on one segment, either
 * order): the instant next to b where it still is v, by bisection.
 */
static time_t
last_same(const struct interval *dt, size_t n, bool v, time_t a, time_t b)
{
	time_t	 mid;

	while (a - b > 1 || b - a > 1) {
		mid = a + (b - a) / 2;
		if (verdict(dt, n, mid) == v)
			a = mid;
		else
			b = mid;
	}
	return a;
}

void
risk_window_span(const struct interval *dt, size_t n, time_t now,
    time_t *from, time_t *until)
{
	time_t	*c;
	size_t	 m, i, j;
	time_t	 lo = now - RISK_WINDOW_HORIZON, hi = now + RISK_WINDOW_HORIZON;
	time_t	 a;
	bool	 v = verdict(dt, n, now);

	*from = lo;
	*until = hi;
	/* Without memory, a span of now alone: the job scores it again. */
	if ((c = calloc(4 * n + 2, sizeof(*c))) == NULL) {
		*from = now;
		*until = now + 1;
		return;
	}
	m = corners(dt, n, lo, hi, c);
	c[m] = hi;
	for (i = 0; i < m && c[i] <= now; i++)
		;
	/* Forward from now, segment by segment, up to hi. */
	for (a = now, j = i; j <= m; a = c[j++]) {
		if (verdict(dt, n, c[j]) != v) {
			*until = last_same(dt, n, v, a, c[j]) + 1;
			break;
		}
	}
	/* Backward from now down to lo (c[i - 1] <= now). */
	for (a = now, j = i; ; a = c[--j]) {
		time_t	 b = j > 0 ? c[j - 1] : lo;

		if (verdict(dt, n, b) != v) {
			*from = last_same(dt, n, v, a, b);
			break;
		}
		if (j == 0)
			break;
	}
	free(c);
}
