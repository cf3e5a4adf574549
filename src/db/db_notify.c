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
/*
 * A page and its total in one statement; a page past the end asks the
 * total alone.  Each list walks its own index in order, newest first:
 * all of a user's on ix_notifications_user_id (user_id, id; sql/031),
 * the unread on ix_notifications_user (user_id, is_read, id).  Without
 * the first, the whole list read the primary key backwards through
 * everybody's notifications until it had found the page.  The total is
 * counted over the same range of the user's own entries (covering
 * indexes): a kept count per user would have every writer that fans
 * out to a role or to a ticket's people (escalations, the daemon's
 * reminders, import) keep the users rows in step.
 * ? order: user, user, limit, offset.
 */
#define TOTAL_ALL "(SELECT COUNT(*) FROM notifications c " \
	"FORCE INDEX (ix_notifications_user_id) WHERE c.user_id = ?)"
#define TOTAL_UNREAD "(SELECT COUNT(*) FROM notifications c " \
	"FORCE INDEX (ix_notifications_user) WHERE c.user_id = ? " \
	"AND c.is_read = 0)"
static const char SQL_COUNT_ALL[] = "SELECT " TOTAL_ALL;
static const char SQL_COUNT_UNREAD[] = "SELECT " TOTAL_UNREAD;
static const char SQL_PAGE_ALL[] =
    "SELECT " NOTIFY_COLS ", " TOTAL_ALL " FROM notifications "
    "FORCE INDEX (ix_notifications_user_id) WHERE user_id = ? "
    "ORDER BY id DESC LIMIT ? OFFSET ?";
static const char SQL_PAGE_UNREAD[] =
    "SELECT " NOTIFY_COLS ", " TOTAL_UNREAD " FROM notifications "
    "FORCE INDEX (ix_notifications_user) WHERE user_id = ? AND is_read = 0 "
    "ORDER BY id DESC LIMIT ? OFFSET ?";
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
	struct dbval		 args[] = { DBI(uid), DBI(uid), DBI(limit),
				    DBI(offset) };
	struct db_page_q	 q = {
		.sql = unread_only ? SQL_PAGE_UNREAD : SQL_PAGE_ALL,
		.args = args, .nargs = NARGS(args), .total_col = 7,
		.count = unread_only ? SQL_COUNT_UNREAD : SQL_COUNT_ALL,
		.count_args = args, .count_nargs = 1, .offset = offset,
	};

	return db_page(db, &q, sizeof(**out), notify_fill, notify_clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
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
