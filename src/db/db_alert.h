/*
 * Alerts and SLA breaches: listing and acknowledging for the API, and
 * the deduplicating store functions the daemon raises them with.  The
 * deduplication is the schema's unique keys (sql/002_resilience.sql):
 * one unacknowledged alert per (service, type, cause), one breach per
 * (downtime, type).
 */
#ifndef RO_DB_ALERT_H
#define RO_DB_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct db;

/* Column sizes of the alerts and sla_breaches tables. */
#define ALERT_TYPE_MAX		20
#define ALERT_SEVERITY_MAX	10
#define ALERT_CAUSE_MAX		100
#define BREACH_TYPE_MAX		3

struct alert {
	long long	 id;
	long long	 service_id;
	char		*type;		/* StatusChange, HighRisk, Critical, SLA_RTO, ... */
	char		*message;
	char		*severity;	/* Info, Warning, Critical */
	char		*cause;		/* "" when the type needs none */
	time_t		 created_at;
	bool		 acknowledged;
	char		*acknowledged_by;	/* username, NULL when open */
	time_t		 acknowledged_at;	/* 0 when open */
};

struct sla_breach {
	long long	 id;
	long long	 service_id;
	long long	 downtime_id;
	char		 type[BREACH_TYPE_MAX + 1];	/* RTO or RPO */
	long		 downtime_minutes;
	long		 threshold_minutes;
	time_t		 start_time;
	time_t		 end_time;	/* 0: the outage is still open */
	char		*reason;	/* may be NULL */
	time_t		 created_at;
};

/* Which alerts a list shows. */
enum alert_filter { ALERTS_ALL, ALERTS_OPEN, ALERTS_ACKNOWLEDGED };

/* Free the strings of a (not a itself); safe on a zeroed struct. */
void	 alert_clear(struct alert *);
void	 sla_breach_clear(struct sla_breach *);

/*
 * A page of alerts the filter shows, newest first (created_at, then
 * id), into a malloc'd array *out of *n (caller clears each and frees
 * the array), and how many the filter shows in all.  0 or -1.
 */
int	 db_alert_page(struct db *, enum alert_filter, long long offset,
	    long long limit, struct alert **out, size_t *n, long long *total);
/*
 * One alert, locked for update (call inside a transaction).  1 found
 * (a filled, caller clears), 0 none, -1 error.
 */
int	 db_alert_lock(struct db *, long long id, struct alert *a);
/*
 * Acknowledge alert id as username at time at, or reopen it (ack
 * false: acknowledged_by/at cleared).  0, or -1; reopening while an
 * open alert of the same (service, type, cause) exists fails with
 * db_error DB_ERR_DUP.
 */
int	 db_alert_set_ack(struct db *, long long id, bool ack,
	    const char *username, time_t at);

/*
 * n alerts were raised (an INSERT IGNORE's affected rows: the ones
 * stored) in the caller's transaction: counted for the lists (db_count).
 */
void	 db_alerts_raised(struct db *, unsigned long long n);

/*
 * A page of breaches, newest first (created_at, then id), into a
 * malloc'd array (caller clears each and frees it), and how many there
 * are in all.  0 or -1.
 */
int	 db_breach_page(struct db *, long long offset, long long limit,
	    struct sla_breach **out, size_t *n, long long *total);

#endif
