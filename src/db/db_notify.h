/*
 * Per-user notifications (CONTRACT 5): what the ticket routes and
 * resilops-sched tell people, read and acknowledged by their owners.
 */
#ifndef RO_DB_NOTIFY_H
#define RO_DB_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/ticket.h"

struct db;

struct notification {
	long long	 id;
	long long	 user_id;
	char		*message;
	enum notify_type type;
	bool		 read;
	long long	 ticket_id;	/* 0: none */
	time_t		 created_at;
};

void	 notification_clear(struct notification *);
/* Tell one user.  0 or -1. */
int	 db_notify_add(struct db *, long long user_id, const char *message,
	    enum notify_type, long long ticket_id, time_t now);
/* Tell every active user of a role (one statement).  0 or -1. */
int	 db_notify_role(struct db *, const char *role, const char *message,
	    enum notify_type, long long ticket_id, time_t now);
/* A page of uid's notifications, newest first, and their count.  0 or -1. */
int	 db_notify_list(struct db *, long long uid, bool unread_only,
	    long long offset, long long limit, struct notification **out,
	    size_t *n, long long *total);
/* The owner of a notification: 1 (*owner set), 0 none, -1. */
int	 db_notify_owner(struct db *, long long id, long long *owner);
/* Mark one read.  0 or -1. */
int	 db_notify_ack(struct db *, long long id);
/* Mark all of uid's read; how many were unread, or -1. */
long long db_notify_ack_all(struct db *, long long uid);

#endif
