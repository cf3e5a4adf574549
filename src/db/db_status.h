/*
 * Status rows (heartbeats) and downtimes.
 */
#ifndef RO_DB_STATUS_H
#define RO_DB_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/service.h"
#include "core/uptime.h"

struct db;

struct downtime {
	long long	 id;
	long long	 service_id;
	time_t		 start;
	time_t		 end;		/* 0: still open */
	char		*reason;
};

void	 downtime_clear(struct downtime *);
struct dbrows;
/* Fill d from columns id, service_id, start, end, reason.  0 or -1. */
int	 downtime_from_row(struct dbrows *, struct downtime *d);
/* What a status write replaced. */
struct status_write {
	int	 prev;		/* the status left (enum svc_status), -1: none */
	bool	 outage_open;	/* a downtime without end, after the write */
};
/*
 * Write a status as a heartbeat (last_updated = now; changed_at moves
 * only when the status changes; by: username) in one round trip, a
 * routine's (sql/026), which also says what it replaced (w).  Answers
 * 0: no such service, nothing written; 1: a plain heartbeat, written
 * with its audit entry a (id and ts not used: the entry is the
 * service's, at now) and committed; 2: more to do (an outage to open
 * or close, a move into or out of Down): the status is written in a
 * transaction left open for the caller (db_adopt), without the entry;
 * -1: error, nothing written.
 */
struct audit_record;
int	 db_status_heartbeat(struct db *, long long id, enum svc_status st,
	    const char *by, time_t now, const struct audit_record *a,
	    struct status_write *w);
/*
 * Open an automatic downtime of a service unless a downtime of any
 * source is open.  source: "status" or "heartbeat".  1 opened, 0 one
 * was open, -1.
 */
int	 db_downtime_open_auto(struct db *, long long id, time_t start,
	    const char *reason, const char *source);
/*
 * For a status write that is not Down: close the open automatic
 * downtime, and a hand-logged open one too if the status left (an enum
 * svc_status, -1 for none) was Down.  1 closed, 0 none was, -1.
 */
int	 db_downtime_close(struct db *, long long id, time_t end, int left);
/* Insert a logged downtime; sets d->id.  0 or -1. */
int	 db_downtime_insert(struct db *, struct downtime *d, time_t now);
/*
 * A page of downtimes, newest first (caller clears each, frees), and
 * how many the service has in all.  0 or -1.
 */
int	 db_downtime_page(struct db *, long long id, long long offset,
	    long long limit, struct downtime **out, size_t *n,
	    long long *total);
#endif
