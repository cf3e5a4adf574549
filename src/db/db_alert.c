/*
 * The alerts and sla_breaches tables as the API reads them, and the
 * acknowledgement.  resilops-sched creates both (db_sched.c), and their
 * unique keys refuse repeats.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_alert.h"
#include "util/log.h"

#define ALERT_COLS "id, service_id, type, message, severity, cause, " \
	"created_at, acknowledged, acknowledged_by, acknowledged_at"
#define BREACH_COLS "id, service_id, downtime_id, type, downtime_minutes, " \
	"threshold_minutes, start_time, end_time, reason, created_at"

/*
 * Totals from the counters kept by the writers (sql/029), in the page's
 * statement: the rows and their count are of one snapshot.  A page past
 * the end has no row to carry it and asks the counters alone.
 * ? order of ALERT_TOTAL: the filter (-1: none, 0 open, 1 acknowledged)
 * three times.
 */
#define ALERT_TOTAL "(SELECT SUM(CASE name WHEN 'alerts' THEN " \
	"IF(? = 0, 0, n) ELSE IF(? = 1, -n, IF(? = 0, n, 0)) END) " \
	"FROM counters WHERE name IN ('alerts', 'alerts_open'))"
static const char SQL_ALERT_COUNT[] = "SELECT " ALERT_TOTAL;
static const char SQL_ALERT_PAGE[] =
    "SELECT " ALERT_COLS ", " ALERT_TOTAL " FROM alerts "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
static const char SQL_ALERT_PAGE_ACK[] =
    "SELECT " ALERT_COLS ", " ALERT_TOTAL " FROM alerts WHERE acknowledged = ? "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
static const char SQL_ALERT_LOCK[] =
    "SELECT " ALERT_COLS " FROM alerts WHERE id = ? FOR UPDATE";
static const char SQL_ALERT_ACK[] =
    "UPDATE alerts SET acknowledged = 1, acknowledged_by = ?, "
    "acknowledged_at = ? WHERE id = ?";
static const char SQL_ALERT_REOPEN[] =
    "UPDATE alerts SET acknowledged = 0, acknowledged_by = NULL, "
    "acknowledged_at = NULL WHERE id = ?";

#define BREACH_TOTAL "(SELECT n FROM counters WHERE name = 'sla_breaches')"
static const char SQL_BREACH_COUNT[] = "SELECT " BREACH_TOTAL;
static const char SQL_BREACH_PAGE[] =
    "SELECT " BREACH_COLS ", " BREACH_TOTAL " FROM sla_breaches "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";

void
alert_clear(struct alert *a)
{
	free(a->type);
	free(a->message);
	free(a->severity);
	free(a->cause);
	free(a->acknowledged_by);
	memset(a, 0, sizeof(*a));
}

void
sla_breach_clear(struct sla_breach *b)
{
	free(b->reason);
	memset(b, 0, sizeof(*b));
}

/* A row of ALERT_COLS; a db_collect fill. */
static int
alert_from_row(struct dbrows *r, void *p)
{
	struct alert	*a = p;
	bool		 oom = false;

	memset(a, 0, sizeof(*a));
	a->id = db_int(r, 0);
	a->service_id = db_int(r, 1);
	a->type = db_text_dup(r, 2, &oom);
	a->message = db_text_dup(r, 3, &oom);
	a->severity = db_text_dup(r, 4, &oom);
	a->cause = db_text_dup(r, 5, &oom);
	a->created_at = db_time(r, 6);
	a->acknowledged = db_int(r, 7) != 0;
	a->acknowledged_by = db_text_dup(r, 8, &oom);
	a->acknowledged_at = db_isnull(r, 9) ? 0 : db_time(r, 9);
	if (oom) {
		alert_clear(a);
		return log_errx("%s: out of memory", __func__);
	}
	return 0;
}

/* A row of BREACH_COLS; a db_collect fill. */
static int
breach_from_row(struct dbrows *r, void *p)
{
	struct sla_breach	*b = p;
	const char		*s;
	bool			 oom = false;

	memset(b, 0, sizeof(*b));
	b->id = db_int(r, 0);
	b->service_id = db_int(r, 1);
	b->downtime_id = db_int(r, 2);
	if ((s = db_text(r, 3, NULL)) != NULL)
		snprintf(b->type, sizeof(b->type), "%s", s);
	b->downtime_minutes = (long)db_int(r, 4);
	b->threshold_minutes = (long)db_int(r, 5);
	b->start_time = db_time(r, 6);
	b->end_time = db_isnull(r, 7) ? 0 : db_time(r, 7);
	b->reason = db_text_dup(r, 8, &oom);
	b->created_at = db_time(r, 9);
	if (oom) {
		sla_breach_clear(b);
		return log_errx("%s: out of memory", __func__);
	}
	return 0;
}

static void
alert_clear_v(void *a)
{
	alert_clear(a);
}

static void
breach_clear_v(void *b)
{
	sla_breach_clear(b);
}

int
db_alert_page(struct db *db, enum alert_filter f, long long offset,
    long long limit, struct alert **out, size_t *n, long long *total)
{
	long long		 k = f == ALERTS_ALL ? -1 : f == ALERTS_ACKNOWLEDGED;
	struct dbval		 all[] = { DBI(k), DBI(k), DBI(k), DBI(limit),
				    DBI(offset) };
	struct dbval		 some[] = { DBI(k), DBI(k), DBI(k), DBI(k),
				    DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_ALERT_PAGE, .args = all, .nargs = NARGS(all),
		.total_col = 10,
		.count = SQL_ALERT_COUNT, .count_args = all, .count_nargs = 3,
		.offset = offset,
	};

	if (f != ALERTS_ALL) {
		q.sql = SQL_ALERT_PAGE_ACK;
		q.args = some;
		q.nargs = NARGS(some);
	}
	return db_page(db, &q, sizeof(**out), alert_from_row, alert_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}

int
db_alert_lock(struct db *db, long long id, struct alert *a)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	int		 rc;

	if ((r = db_query(db, SQL_ALERT_LOCK, args, NARGS(args))) == NULL)
		return -1;
	if ((rc = db_next(r)) == 1 && alert_from_row(r, a) == -1)
		rc = -1;
	db_rows_free(r);
	return rc;
}

int
db_alert_set_ack(struct db *db, long long id, bool ack, const char *username,
    time_t at)
{
	struct dbval	 args[] = { DBS(username), DBT(at), DBI(id) };

	int		 rc;

	/* The caller locked the alert and saw it in the other state. */
	if (ack)
		rc = db_exec(db, SQL_ALERT_ACK, args, NARGS(args), NULL, NULL);
	else
		rc = db_exec(db, SQL_ALERT_REOPEN, args + 2, 1, NULL, NULL);
	if (rc == 0)
		db_count(db, DBC_ALERTS_OPEN, ack ? -1 : 1);
	return rc;
}

void
db_alerts_raised(struct db *db, unsigned long long n)
{
	/* New alerts are open. */
	db_count(db, DBC_ALERTS, (long long)n);
	db_count(db, DBC_ALERTS_OPEN, (long long)n);
}

int
db_breach_page(struct db *db, long long offset, long long limit,
    struct sla_breach **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_BREACH_PAGE, .args = args, .nargs = NARGS(args),
		.total_col = 10, .count = SQL_BREACH_COUNT, .offset = offset,
	};

	return db_page(db, &q, sizeof(**out), breach_from_row, breach_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}
