/*
 * resilops-sched's maintenance statements: which windows' starts and
 * ends are due to be told as of --now, and telling them (the alerts and
 * the marks that make each told once).
 */
#ifndef RO_DB_SCHED_MAINT_H
#define RO_DB_SCHED_MAINT_H

#include <stddef.h>
#include <time.h>

struct db;

enum maint_event_kind {
	MAINT_EVENT_START,	/* the window began */
	MAINT_EVENT_END,	/* the window whose start was told ended */
	MAINT_EVENT__MAX
};

/* A window whose start or end is told now. */
struct maint_event {
	long long		 id;		/* the window */
	enum maint_event_kind	 kind;
	char			*title;
	char			*message;	/* NULL: none */
	time_t			 starts_at;
	time_t			 ends_at;
};

void	 maint_event_clear(struct maint_event *);
/*
 * The windows due as of now, locked (FOR UPDATE, inside the job's
 * transaction), by id, into a malloc'd array (caller clears each and
 * frees).  A start is due while the window is active and its start not
 * yet told; an end once the window is over, its start told and its end
 * not.  A window the daemon never saw active (it was down throughout,
 * or the window was entered after its end) is never told.  0 or -1.
 */
int	 db_maint_due(struct db *, time_t now, struct maint_event **out,
	    size_t *n);
/*
 * Tell ev[0..n): an Info alert of type Maintenance on each of the
 * window's services ("Maintenance started: <title> (until <ends_at>)",
 * "Maintenance ended: <title>"; cause "<id>:start" or "<id>:end"), and
 * the window's started_announced_at or ended_announced_at set to now.
 * Three statements.  0 or -1.
 */
int	 db_maint_announce(struct db *, time_t now, const struct maint_event *ev,
	    size_t n, unsigned long long *alerts);

#endif
