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
/*
 * Write a status as a heartbeat (last_updated = now); changed_at moves
 * only when the status changes.  by: username.  0 or -1.
 */
/*
 * Lock the service and its status row for a status write, and say
 * whether an outage (a downtime without end) is open.  1, 0 no such
 * service, -1.
 */
int	 db_status_lock(struct db *, long long id, bool *outage_open);
int	 db_status_set(struct db *, long long id, enum svc_status st,
	    const char *by, time_t now);
/*
 * Open an automatic downtime of a service unless a downtime of any
 * source is open.  source: "status" or "heartbeat".  1 opened, 0 one
 * was open, -1.
 */
int	 db_downtime_open_auto(struct db *, long long id, time_t start,
	    const char *reason, const char *source);
/*
 * For a status write that is not Down, before the status is stored:
 * close the open automatic downtime, and a hand-logged open one too if
 * the service is leaving Down.  0 or -1.
 */
int	 db_downtime_close(struct db *, long long id, time_t end);
/* Insert a logged downtime; sets d->id.  0 or -1. */
int	 db_downtime_insert(struct db *, struct downtime *d, time_t now);
long long db_downtime_count(struct db *, long long id);
/* A page of downtimes, newest first (caller clears each, frees).  0 or -1. */
int	 db_downtime_page(struct db *, long long id, long long offset,
	    long long limit, struct downtime **out, size_t *n);
#endif
