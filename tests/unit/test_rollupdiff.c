/*
 * core/rollupdiff: the rows a rollup writes are exactly what turns the
 * rows kept into the rows computed; nothing when they are the same.
 * Checked on cases by hand and on random lists against the rule itself
 * (applying del and put to kept gives want).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/rollupdiff.h"
#include "suites.h"

#define DAY	86400L
#define N(a)	(sizeof(a) / sizeof((a)[0]))

static struct rollup_day
row(long long sid, long day, long down, long outages)
{
	struct rollup_day	 r;

	memset(&r, 0, sizeof(r));
	r.service_id = sid;
	r.d.day = (time_t)(day * DAY);
	r.d.down_seconds = down;
	r.d.outages = outages;
	return r;
}

static int
same_row(const struct rollup_day *a, const struct rollup_day *b)
{
	return rollup_day_cmp(a, b) == 0 &&
	    a->d.down_seconds == b->d.down_seconds &&
	    a->d.outages == b->d.outages;
}

static void
test_rollupdiff_same_writes_nothing(void)
{
	struct rollup_day	 kept[] = { row(1, 10, 60, 1), row(1, 11, 5, 2),
				    row(7, 10, 86400, 1) };
	struct rollup_day	*del, *put;
	size_t			 ndel, nput;

	CU_ASSERT_EQUAL_FATAL(rollup_diff(kept, N(kept), kept, N(kept), &del,
	    &ndel, &put, &nput), 0);
	CU_ASSERT_EQUAL(ndel, 0);
	CU_ASSERT_EQUAL(nput, 0);
	CU_ASSERT_PTR_NULL(del);
	CU_ASSERT_PTR_NULL(put);
}

static void
test_rollupdiff_changed_new_and_gone(void)
{
	/* 1/10 grows (an open outage), 1/11 is new, 2/10 went (a deleted
	 * downtime), 3/12 is the same, 4/9 new for a service not kept. */
	struct rollup_day	 kept[] = { row(1, 10, 60, 1), row(2, 10, 30, 1),
				    row(3, 12, 10, 1) };
	struct rollup_day	 want[] = { row(1, 10, 120, 1), row(1, 11, 5, 1),
				    row(3, 12, 10, 1), row(4, 9, 1, 1) };
	struct rollup_day	*del, *put;
	size_t			 ndel, nput;

	CU_ASSERT_EQUAL_FATAL(rollup_diff(kept, N(kept), want, N(want), &del,
	    &ndel, &put, &nput), 0);
	CU_ASSERT_EQUAL_FATAL(ndel, 1);
	CU_ASSERT_TRUE(same_row(&del[0], &kept[1]));
	CU_ASSERT_EQUAL_FATAL(nput, 3);
	CU_ASSERT_TRUE(same_row(&put[0], &want[0]));
	CU_ASSERT_TRUE(same_row(&put[1], &want[1]));
	CU_ASSERT_TRUE(same_row(&put[2], &want[3]));
	free(del);
	free(put);
}

static void
test_rollupdiff_outages_count_alone(void)
{
	/* The same seconds, one more outage touching the day: written. */
	struct rollup_day	 kept[] = { row(5, 3, 600, 1) };
	struct rollup_day	 want[] = { row(5, 3, 600, 2) };
	struct rollup_day	*del, *put;
	size_t			 ndel, nput;

	CU_ASSERT_EQUAL_FATAL(rollup_diff(kept, 1, want, 1, &del, &ndel, &put,
	    &nput), 0);
	CU_ASSERT_EQUAL(ndel, 0);
	CU_ASSERT_EQUAL_FATAL(nput, 1);
	CU_ASSERT_EQUAL(put[0].d.outages, 2);
	free(put);
}

static void
test_rollupdiff_empty_sides(void)
{
	struct rollup_day	 rows[] = { row(1, 1, 1, 1), row(2, 1, 1, 1) };
	struct rollup_day	*del, *put;
	size_t			 ndel, nput;

	/* Nothing kept: everything written (a first run). */
	CU_ASSERT_EQUAL_FATAL(rollup_diff(NULL, 0, rows, N(rows), &del, &ndel,
	    &put, &nput), 0);
	CU_ASSERT_EQUAL(ndel, 0);
	CU_ASSERT_EQUAL(nput, 2);
	free(put);
	/* Nothing wanted: everything kept goes (the outages deleted). */
	CU_ASSERT_EQUAL_FATAL(rollup_diff(rows, N(rows), NULL, 0, &del, &ndel,
	    &put, &nput), 0);
	CU_ASSERT_EQUAL(ndel, 2);
	CU_ASSERT_EQUAL(nput, 0);
	free(del);
	CU_ASSERT_EQUAL_FATAL(rollup_diff(NULL, 0, NULL, 0, &del, &ndel, &put,
	    &nput), 0);
	CU_ASSERT_EQUAL(ndel + nput, 0);
}

/* A random sorted list over services 1..8 and days 0..9. */
static size_t
random_rows(struct rollup_day *out)
{
	size_t		 n = 0;
	long long	 sid;
	long		 day;

	for (sid = 1; sid <= 8; sid++)
		for (day = 0; day < 10; day++)
			if (rand() % 3 == 0)
				out[n++] = row(sid, day, rand() % 4,
				    1 + rand() % 2);
	return n;
}

/* kept without del's keys, then put's rows over it: sorted. */
static size_t
apply(const struct rollup_day *kept, size_t nkept,
    const struct rollup_day *del, size_t ndel,
    const struct rollup_day *put, size_t nput, struct rollup_day *out)
{
	size_t	 i, k, n = 0;
	int	 gone, found;

	for (i = 0; i < nkept; i++) {
		for (gone = 0, k = 0; k < ndel; k++)
			gone |= rollup_day_cmp(&kept[i], &del[k]) == 0;
		if (!gone)
			out[n++] = kept[i];
	}
	for (k = 0; k < nput; k++) {
		for (found = 0, i = 0; i < n; i++)
			if (rollup_day_cmp(&out[i], &put[k]) == 0) {
				out[i] = put[k];
				found = 1;
			}
		if (!found)
			out[n++] = put[k];
	}
	qsort(out, n, sizeof(*out), rollup_day_cmp);
	return n;
}

static void
test_rollupdiff_random_applies_to_want(void)
{
	struct rollup_day	 kept[80], want[80], got[160];
	struct rollup_day	*del, *put;
	size_t			 nkept, nwant, ndel, nput, n, i, k;
	int			 round;

	srand(13);
	for (round = 0; round < 500; round++) {
		nkept = random_rows(kept);
		nwant = random_rows(want);
		CU_ASSERT_TRUE_FATAL(rollup_days_sorted(kept, nkept));
		CU_ASSERT_EQUAL_FATAL(rollup_diff(kept, nkept, want, nwant,
		    &del, &ndel, &put, &nput), 0);
		n = apply(kept, nkept, del, ndel, put, nput, got);
		CU_ASSERT_EQUAL_FATAL(n, nwant);
		for (i = 0; i < n; i++)
			CU_ASSERT_TRUE_FATAL(same_row(&got[i], &want[i]));
		/* Nothing written that was already so. */
		for (k = 0; k < nput; k++)
			for (i = 0; i < nkept; i++)
				CU_ASSERT_FALSE(same_row(&put[k], &kept[i]));
		free(del);
		free(put);
	}
}

static void
test_rollupdiff_sorted(void)
{
	struct rollup_day	 up[] = { row(1, 2, 0, 1), row(1, 3, 0, 1),
				    row(2, 1, 0, 1) };
	struct rollup_day	 down[] = { row(1, 3, 0, 1), row(1, 2, 0, 1) };
	struct rollup_day	 twice[] = { row(1, 2, 0, 1), row(1, 2, 5, 1) };

	CU_ASSERT_TRUE(rollup_days_sorted(up, N(up)));
	CU_ASSERT_TRUE(rollup_days_sorted(up, 0));
	CU_ASSERT_FALSE(rollup_days_sorted(down, N(down)));
	CU_ASSERT_FALSE(rollup_days_sorted(twice, N(twice)));
}

int
suite_rollupdiff(void)
{
	static const struct unit_test tests[] = {
		{ "same rows: nothing written", test_rollupdiff_same_writes_nothing },
		{ "changed, new and gone rows", test_rollupdiff_changed_new_and_gone },
		{ "an outage count alone differs", test_rollupdiff_outages_count_alone },
		{ "nothing kept, nothing wanted", test_rollupdiff_empty_sides },
		{ "random: kept + diff = want", test_rollupdiff_random_applies_to_want },
		{ "sorted without repeats", test_rollupdiff_sorted },
	};

	return UNIT_SUITE("rollupdiff", tests);
}
