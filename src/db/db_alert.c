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

static const char SQL_ALERT_COUNT[] = "SELECT COUNT(*) FROM alerts";
static const char SQL_ALERT_COUNT_ACK[] =
    "SELECT COUNT(*) FROM alerts WHERE acknowledged = ?";
static const char SQL_ALERT_LIST[] =
    "SELECT " ALERT_COLS " FROM alerts "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
static const char SQL_ALERT_LIST_ACK[] =
    "SELECT " ALERT_COLS " FROM alerts WHERE acknowledged = ? "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
static const char SQL_ALERT_LOCK[] =
    "SELECT " ALERT_COLS " FROM alerts WHERE id = ? FOR UPDATE";
static const char SQL_ALERT_ACK[] =
    "UPDATE alerts SET acknowledged = 1, acknowledged_by = ?, "
    "acknowledged_at = ? WHERE id = ?";
static const char SQL_ALERT_REOPEN[] =
    "UPDATE alerts SET acknowledged = 0, acknowledged_by = NULL, "
    "acknowledged_at = NULL WHERE id = ?";

static const char SQL_BREACH_COUNT[] = "SELECT COUNT(*) FROM sla_breaches";
static const char SQL_BREACH_LIST[] =
    "SELECT " BREACH_COLS " FROM sla_breaches "
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

static int
alert_from_row(struct dbrows *r, struct alert *a)
{
	bool	 oom = false;

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

static int
breach_from_row(struct dbrows *r, struct sla_breach *b)
{
	const char	*s;
	bool		 oom = false;

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

long long
db_alert_count(struct db *db, enum alert_filter f)
{
	struct dbval	 args[] = { DBI(f == ALERTS_ACKNOWLEDGED) };
	long long	 n;
	int		 rc;

	if (f == ALERTS_ALL)
		rc = db_scalar(db, SQL_ALERT_COUNT, NULL, 0, &n);
	else
		rc = db_scalar(db, SQL_ALERT_COUNT_ACK, args, NARGS(args), &n);
	return rc == 1 ? n : -1;
}

/* Adapters for db_collect. */
static int
alert_fill(struct dbrows *r, void *a)
{
	return alert_from_row(r, a);
}

static void
alert_clear_v(void *a)
{
	alert_clear(a);
}

static int
breach_fill(struct dbrows *r, void *b)
{
	return breach_from_row(r, b);
}

static void
breach_clear_v(void *b)
{
	sla_breach_clear(b);
}

int
db_alert_list(struct db *db, enum alert_filter f, long long offset,
    long long limit, struct alert **out, size_t *n)
{
	struct dbval	 args[] = { DBI(f == ALERTS_ACKNOWLEDGED), DBI(limit),
			    DBI(offset) };

	if (f == ALERTS_ALL)
		return db_collect(db, SQL_ALERT_LIST, args + 1, NARGS(args) - 1,
		    sizeof(**out), alert_fill, alert_clear_v, (void **)out, n);
	return db_collect(db, SQL_ALERT_LIST_ACK, args, NARGS(args),
	    sizeof(**out), alert_fill, alert_clear_v, (void **)out, n);
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

	if (ack)
		return db_exec(db, SQL_ALERT_ACK, args, NARGS(args), NULL, NULL);
	return db_exec(db, SQL_ALERT_REOPEN, args + 2, 1, NULL, NULL);
}

long long
db_breach_count(struct db *db)
{
	long long	 n;

	return db_scalar(db, SQL_BREACH_COUNT, NULL, 0, &n) == 1 ? n : -1;
}

int
db_breach_list(struct db *db, long long offset, long long limit,
    struct sla_breach **out, size_t *n)
{
	struct dbval	 args[] = { DBI(limit), DBI(offset) };

	return db_collect(db, SQL_BREACH_LIST, args, NARGS(args), sizeof(**out),
	    breach_fill, breach_clear_v, (void **)out, n);
}

