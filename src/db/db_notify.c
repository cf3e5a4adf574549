/*
 * The notifications table.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_notify.h"

#define NOTIFY_COLS "id, user_id, message, type, is_read, ticket_id, created_at"

static const char SQL_ADD[] =
    "INSERT INTO notifications (user_id, message, type, ticket_id, "
    "created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_ADD_ROLE[] =
    "INSERT INTO notifications (user_id, message, type, ticket_id, "
    "created_at) SELECT id, ?, ?, ?, ? FROM users WHERE role = ? AND active = 1";
static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM notifications WHERE user_id = ? "
    "AND (? = 0 OR is_read = 0)";
static const char SQL_PAGE[] =
    "SELECT " NOTIFY_COLS " FROM notifications WHERE user_id = ? "
    "AND (? = 0 OR is_read = 0) ORDER BY id DESC LIMIT ? OFFSET ?";
static const char SQL_OWNER[] =
    "SELECT user_id FROM notifications WHERE id = ?";
static const char SQL_ACK[] =
    "UPDATE notifications SET is_read = 1 WHERE id = ?";
static const char SQL_ACK_ALL[] =
    "UPDATE notifications SET is_read = 1 WHERE user_id = ? AND is_read = 0";

void
notification_clear(struct notification *n)
{
	free(n->message);
	memset(n, 0, sizeof(*n));
}

int
db_notify_add(struct db *db, long long user_id, const char *message,
    enum notify_type type, long long ticket_id, time_t now)
{
	struct dbval	 args[] = {
		DBI(user_id), DBS(message), DBS(notify_type_name(type)),
		ticket_id ? DBI(ticket_id) : DBNULL, DBT(now),
	};

	return db_exec(db, SQL_ADD, args, NARGS(args), NULL, NULL);
}

int
db_notify_role(struct db *db, const char *role, const char *message,
    enum notify_type type, long long ticket_id, time_t now)
{
	struct dbval	 args[] = {
		DBS(message), DBS(notify_type_name(type)),
		ticket_id ? DBI(ticket_id) : DBNULL, DBT(now), DBS(role),
	};

	return db_exec(db, SQL_ADD_ROLE, args, NARGS(args), NULL, NULL);
}

static int
notify_fill(struct dbrows *r, void *p)
{
	struct notification	*n = p;
	int			 t;

	n->id = db_int(r, 0);
	n->user_id = db_int(r, 1);
	if ((n->message = db_text_dup(r, 2, NULL)) == NULL)
		return -1;
	t = notify_type_parse(db_text(r, 3, NULL));
	n->type = t < 0 ? NOTIFY_INFO : (enum notify_type)t;
	n->read = db_int(r, 4) != 0;
	n->ticket_id = db_int(r, 5);
	n->created_at = db_time(r, 6);
	return 0;
}

static void
notify_clear_v(void *n)
{
	notification_clear(n);
}

int
db_notify_list(struct db *db, long long uid, bool unread_only,
    long long offset, long long limit, struct notification **out, size_t *n,
    long long *total)
{
	struct dbval	 cnt[] = { DBI(uid), DBI(unread_only) };
	struct dbval	 page[] = {
		DBI(uid), DBI(unread_only), DBI(limit), DBI(offset),
	};

	if (db_scalar(db, SQL_COUNT, cnt, NARGS(cnt), total) != 1)
		return -1;
	return db_collect(db, SQL_PAGE, page, NARGS(page), sizeof(**out),
	    notify_fill, notify_clear_v, (void **)out, n);
}

int
db_notify_owner(struct db *db, long long id, long long *owner)
{
	struct dbval	 args[] = { DBI(id) };

	return db_scalar(db, SQL_OWNER, args, NARGS(args), owner);
}

int
db_notify_ack(struct db *db, long long id)
{
	struct dbval	 args[] = { DBI(id) };

	return db_exec(db, SQL_ACK, args, NARGS(args), NULL, NULL);
}

long long
db_notify_ack_all(struct db *db, long long uid)
{
	struct dbval		 args[] = { DBI(uid) };
	unsigned long long	 n;

	if (db_exec(db, SQL_ACK_ALL, args, NARGS(args), &n, NULL) == -1)
		return -1;
	return (long long)n;
}
