/*
 * Maintenance windows and their services (sql/011_maintenance.sql):
 * what the API reads and writes, the services' summary of them
 * (sql/022), and the SQL test that resilops-sched's statements share.
 */
#ifndef RO_DB_MAINTENANCE_H
#define RO_DB_MAINTENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct db;

/*
 * SQL: whether service svc has a window that began at or before `from`
 * and ends after `until` (each an SQL expression; "?" makes them
 * parameters, from first).  With from = until = an instant: the service
 * is in maintenance at that instant.
 */
#define MAINT_WINDOW_EXISTS(svc, from, until) \
	"EXISTS (SELECT 1 FROM maintenance_services mws " \
	"JOIN maintenance mw ON mw.id = mws.maintenance_id " \
	"WHERE mws.service_id = " svc " AND mw.starts_at <= " from \
	" AND mw.ends_at > " until ")"

struct maint_window {
	long long	 id;
	char		*title;
	char		*message;	/* NULL: none */
	time_t		 starts_at;
	time_t		 ends_at;
	char		*created_by;
	time_t		 created_at;
	time_t		 started_announced_at;	/* 0: not yet told */
	time_t		 ended_announced_at;	/* 0: not yet told */
	long long	*service_ids;	/* ascending */
	size_t		 nservice_ids;
};

/* Free what w owns (not w); safe on a zeroed struct. */
void	 maint_window_clear(struct maint_window *);

/*
 * One window with its services; with lock, FOR UPDATE (inside a
 * transaction).  1 (w filled; the caller clears it), 0 none, -1.
 */
int	 db_maint_get(struct db *, long long id, bool lock,
	    struct maint_window *w);
/*
 * A page of windows, newest start first, in state (enum maint_state;
 * -1: all) as of now, into a malloc'd array (caller clears each and
 * frees), and how many there are in all.  One statement; a second for
 * the total of a page past the end.  0 or -1.
 */
int	 db_maint_page(struct db *, int state, time_t now,
	    long long offset, long long limit, struct maint_window **out,
	    size_t *n, long long *total);
/* Insert title, message, times, created_by; sets w->id.  0 or -1. */
int	 db_maint_insert(struct db *, struct maint_window *w, time_t now);
/* Write title, message, times and the announcement marks.  0 or -1. */
int	 db_maint_update(struct db *, const struct maint_window *w, time_t now);
/* The services of window id become ids[0..n) (repeats once).  0 or -1. */
int	 db_maint_services_replace(struct db *, long long id,
	    const long long *ids, size_t n);
/*
 * The public pages' windows: those ending after `after` on a public
 * service (with focus, on that service), soonest first, at most limit,
 * each naming its public services alone, into a malloc'd array (caller
 * clears each and frees).  0 or -1.
 */
int	 db_maint_public(struct db *, time_t after, long long focus,
	    long limit, struct maint_window **out, size_t *n);
/*
 * The maintenance summary (services.windows, sql/022, sql/027) of
 * window id's services and of was[0..nwas) (those it had before an
 * edit), from the tables as of now, windows ended more than
 * OUTAGES_HORIZON before left out.  After every write
 * of a window's times or services, in its transaction.  0 or -1.
 */
int	 db_maint_summarize(struct db *, long long id, const long long *was,
	    size_t nwas, time_t now);
/*
 * 1 deleted (with its links; its services' summaries without it, as of
 * now), 0 there was none, -1.
 */
int	 db_maint_delete(struct db *, long long id, time_t now);

#endif
