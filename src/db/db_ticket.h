/*
 * Tickets and their activity (sql/007_tickets.sql).  Lists take one
 * filter struct and run one counting and one page statement whatever
 * the filter; the statements hold only the conditions the filter
 * has (db_ticket_query.h), so each can use its index.
 */
#ifndef RO_DB_TICKET_H
#define RO_DB_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/ticket.h"

struct db;

struct ticket {
	long long		 id;
	char			*title;
	char			*customer;	/* may be NULL */
	char			*description;	/* may be NULL */
	enum ticket_priority	 priority;
	enum ticket_status	 status;
	long long		 assignee_id;	/* 0: unassigned */
	char			*assignee_name;	/* the assignee's name or username */
	long long		 created_by;	/* 0: resilops-sched */
	long long		 service_id;	/* 0: none */
	long long		 downtime_id;	/* 0: none */
	time_t			 created_at, updated_at, resolved_at;
	int			 sla_hours;
	int			 first_response_hours;	/* 0: none */
	int			 warn_percent;
	char			*calendar;	/* JSON text; NULL: 24x7 */
	long long		 paused_seconds;
	time_t			 paused_since;
	time_t			 first_response_at;
	time_t			 escalated_at;
	struct ticket_marks	 marks;
};

/* Who may see what (CONTRACT 9, "Tickets"). */
enum ticket_view {
	TVIEW_ALL,		/* Manager, admin */
	TVIEW_OWN,		/* assigned to or created by uid */
	TVIEW_CREATED,		/* created by uid */
	TVIEW_ASSIGNED,		/* assigned to uid */
	TVIEW__MAX
};

/* The subsets the routes list (besides the filters). */
enum ticket_subset {
	TSUB_ANY,
	TSUB_ACTIVE,		/* not resolved */
	TSUB_HIGH_RISK,		/* not resolved, at 75 % or more */
	TSUB_ESCALATED,		/* status ESCALATED */
	TSUB_HIGH_PRIORITY,	/* HIGH or CRITICAL */
	TSUB_BREACHED,		/* reached 100 % */
	TSUB_CLOSED,		/* resolved */
	TSUB__MAX
};

struct ticket_filter {
	enum ticket_view	 view;
	long long		 uid;		/* for every view but TVIEW_ALL */
	enum ticket_subset	 subset;
	int			 status;	/* enum ticket_status, -1: any */
	int			 priority;	/* enum ticket_priority, -1: any */
	int			 level;		/* enum sla_level, -1: any */
	long long		 assignee_id;	/* 0: any */
	long long		 service_id;	/* 0: any */
	time_t			 now;		/* for the level and subsets */
};

/* Free the strings of t (not t); safe on a zeroed ticket. */
void	 ticket_clear(struct ticket *);
/* t as a clock (cal: its parsed calendar, or NULL for 24x7). */
void	 ticket_clock_of(const struct ticket *, const struct sla_calendar *cal,
	    struct ticket_clock *out);

/*
 * Insert t (all but id, assignee_name); sets t->id, and counts it in
 * counters (inside the caller's transaction).  0 or -1.
 */
int	 db_ticket_insert(struct db *, struct ticket *t);
/*
 * Ticket id into t (caller clears).  With lock, FOR UPDATE (inside a
 * transaction).  *mine (may be NULL) tells whether uid is its assignee
 * or creator.  1 found, 0 none, -1.
 */
int	 db_ticket_get(struct db *, long long id, long long uid, bool lock,
	    struct ticket *t, bool *mine, bool *creator);
/* Write every mutable column of t (and updated_at).  0 or -1. */
int	 db_ticket_update(struct db *, const struct ticket *t);
/* 1 deleted (and uncounted), 0 none, -1. */
int	 db_ticket_delete(struct db *, long long id);
/*
 * Add delta to the count of tickets that a Manager's list reports
 * (counters, sql/021), inside the caller's transaction: every insert
 * and delete of tickets does, in the same transaction.  0 or -1.
 */
int	 db_ticket_count_add(struct db *, long long delta);
/*
 * A page of the filtered list, newest first, into a malloc'd array
 * *out of *n (caller clears each, frees), and the filtered total.
 * 0 or -1.
 */
int	 db_ticket_list(struct db *, const struct ticket_filter *,
	    long long offset, long long limit, struct ticket **out, size_t *n,
	    long long *total);
/*
 * The tickets whose marks nobody computed yet (clock_dirty: made by
 * resilops-sched in SQL), at most limit, into *out of *n (caller clears
 * each, frees).  0 or -1.
 */
int	 db_ticket_dirty(struct db *, long long limit, struct ticket **out,
	    size_t *n);
/* Open tickets assigned to uid (the least-loaded choice).  -1 on error. */
long long db_ticket_open_count(struct db *, long long uid);

/* One line of a ticket's history. */
struct ticket_activity {
	long long	 id;
	long long	 ticket_id;
	long long	 user_id;	/* 0: resilops-sched */
	char		*username;	/* NULL for resilops-sched */
	char		*action;
	char		*details;	/* JSON text or NULL */
	time_t		 created_at;
};

void	 ticket_activity_clear(struct ticket_activity *);
/* Add a line (uid 0 and username NULL for the daemon).  0 or -1. */
int	 db_ticket_activity_add(struct db *, long long ticket_id, long long uid,
	    const char *username, const char *action, const char *details,
	    time_t now);
/* A page of a ticket's lines, oldest first, and their count.  0 or -1. */
int	 db_ticket_activity_list(struct db *, long long ticket_id,
	    long long offset, long long limit, struct ticket_activity **out,
	    size_t *n, long long *total);

#endif
