/*
 * subscribers, subscriber_services, subscriber_outbox.  The address is
 * only ever handled sealed here (util/keyring seals and opens it).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_subscriber.h"

#define COLS "id, kind, address_sealed, salt, all_services, confirmed_at, " \
	"confirm_expires, created_at"
#define IDS_TABLE "JSON_TABLE(?, '$[*]' COLUMNS (ord FOR ORDINALITY, " \
	"id BIGINT UNSIGNED PATH '$')) j"

static const char SQL_FIND[] =
    "SELECT " COLS " FROM subscribers WHERE address_hmac = ? FOR UPDATE";
static const char SQL_GET[] = "SELECT " COLS " FROM subscribers WHERE id = ?";
static const char SQL_INSERT[] =
    "INSERT INTO subscribers (kind, address_hmac, salt, all_services, "
    "confirmed_at, confirm_expires, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SAVE[] =
    "UPDATE subscribers SET kind = ?, address_sealed = ?, salt = ?, "
    "all_services = ?, confirmed_at = ?, confirm_expires = ? WHERE id = ?";
static const char SQL_SERVICES_CLEAR[] =
    "DELETE FROM subscriber_services WHERE subscriber_id = ?";
static const char SQL_SERVICES_ADD[] =
    "INSERT IGNORE INTO subscriber_services (subscriber_id, service_id) "
    "SELECT ?, j.id FROM " IDS_TABLE;
static const char SQL_SERVICES_OF[] =
    "SELECT service_id FROM subscriber_services WHERE subscriber_id = ? "
    "ORDER BY service_id";
static const char SQL_CONFIRM[] =
    "UPDATE subscribers SET confirmed_at = ?, confirm_expires = NULL "
    "WHERE id = ?";
static const char SQL_DELETE[] = "DELETE FROM subscribers WHERE id = ?";
/*
 * A page, its subscribers' services (the key of subscriber_services is
 * by subscriber: no sort) and its total, the kept counter (sql/031), in
 * one statement; a page past the end asks the counter alone.
 */
#define PAGE_TOTAL "(SELECT n FROM counters WHERE name = 'subscribers')"
static const char SQL_COUNT[] = "SELECT " PAGE_TOTAL;
static const char SQL_PAGE[] =
    "SELECT " COLS ", (SELECT GROUP_CONCAT(x.service_id ORDER BY "
    "x.service_id) FROM subscriber_services x WHERE x.subscriber_id = "
    "subscribers.id), " PAGE_TOTAL " FROM subscribers "
    "ORDER BY id DESC LIMIT ? OFFSET ?";
static const char SQL_NOT_PUBLIC[] =
    "SELECT j.id FROM " IDS_TABLE " LEFT JOIN services s ON s.id = j.id "
    "AND s.public = 1 WHERE s.id IS NULL GROUP BY j.id ORDER BY MIN(j.ord)";
#define QUEUE_INTO "INSERT IGNORE INTO subscriber_outbox (subscriber_id, " \
	"event_key, payload, next_attempt_at, created_at) "
/*
 * Only news about public services goes out: to those who follow all of
 * them, or one the event names.
 */
static const char SQL_FANOUT[] =
    QUEUE_INTO "SELECT s.id, ?, ?, ?, ? FROM subscribers s "
    "WHERE s.confirmed_at IS NOT NULL AND EXISTS (SELECT 1 FROM " IDS_TABLE
    " JOIN services p ON p.id = j.id AND p.public = 1 "
    "WHERE s.all_services = 1 OR EXISTS (SELECT 1 FROM subscriber_services "
    "x WHERE x.subscriber_id = s.id AND x.service_id = j.id))";
/* The same for a maintenance window's services. */
static const char SQL_FANOUT_MAINT[] =
    QUEUE_INTO "SELECT s.id, ?, ?, ?, ? FROM subscribers s "
    "WHERE s.confirmed_at IS NOT NULL AND EXISTS (SELECT 1 FROM "
    "maintenance_services j JOIN services p ON p.id = j.service_id "
    "AND p.public = 1 WHERE j.maintenance_id = ? AND (s.all_services = 1 "
    "OR EXISTS (SELECT 1 FROM subscriber_services x WHERE "
    "x.subscriber_id = s.id AND x.service_id = j.service_id)))";
static const char SQL_QUEUE[] =
    QUEUE_INTO "VALUES (?, ?, ?, ?, ?)";

void
subscriber_clear(struct subscriber *s)
{
	free(s->address_sealed);
	free(s->service_ids);
	memset(s, 0, sizeof(*s));
}

void
subscribers_free(struct subscriber *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		subscriber_clear(&v[i]);
	free(v);
}

static int
fill(struct dbrows *r, void *elem)
{
	struct subscriber	*s = elem;
	const char		*salt;
	bool			 oom = false;
	int			 k;

	s->id = db_int(r, 0);
	s->kind = (k = subscriber_kind_parse(db_text(r, 1, NULL))) < 0 ?
	    SUB_EMAIL : (enum subscriber_kind)k;
	s->address_sealed = db_text_dup(r, 2, &oom);
	if ((salt = db_text(r, 3, NULL)) != NULL)
		snprintf(s->salt, sizeof(s->salt), "%s", salt);
	s->all_services = db_int(r, 4) != 0;
	s->confirmed_at = db_time(r, 5);
	s->confirm_expires = db_time(r, 6);
	s->created_at = db_time(r, 7);
	return oom ? -1 : 0;
}

static void
clear_v(void *elem)
{
	subscriber_clear(elem);
}

static int
one(struct db *db, const char *sql, const struct dbval *args, size_t nargs,
    struct subscriber *out)
{
	struct subscriber	*v;
	size_t			 n;

	memset(out, 0, sizeof(*out));
	if (db_collect(db, sql, args, nargs, sizeof(*v), fill, clear_v,
	    (void **)&v, &n) == -1)
		return -1;
	if (n > 0)
		*out = v[0];
	free(v);
	return n > 0;
}

static int
add_service(struct subscriber *s, long long id)
{
	long long	*p;

	if ((p = reallocarray(s->service_ids, s->nservices + 1,
	    sizeof(*p))) == NULL)
		return -1;
	s->service_ids = p;
	p[s->nservices++] = id;
	return 0;
}

int
db_subscriber_find(struct db *db, const unsigned char hmac[32],
    struct subscriber *out)
{
	struct dbval	 args[] = { DBB((const char *)hmac, 32) };

	return one(db, SQL_FIND, args, NARGS(args), out);
}

int
db_subscriber_get(struct db *db, long long id, struct subscriber *out)
{
	struct dbval	 args[] = { DBI(id) };
	struct dbrows	*r;
	int		 rc;

	if ((rc = one(db, SQL_GET, args, NARGS(args), out)) != 1)
		return rc;
	if ((r = db_query(db, SQL_SERVICES_OF, args, NARGS(args))) == NULL)
		goto fail;
	while ((rc = db_next(r)) == 1)
		if (add_service(out, db_int(r, 0)) == -1)
			break;
	db_rows_free(r);
	if (rc == 0)
		return 1;
fail:
	subscriber_clear(out);
	return -1;
}

int
db_subscriber_insert(struct db *db, struct subscriber *s,
    const unsigned char hmac[32])
{
	unsigned long long	 id;
	struct dbval		 args[] = {
		DBS(subscriber_kind_name(s->kind)),
		DBB((const char *)hmac, 32), DBS(s->salt),
		DBI(s->all_services),
		s->confirmed_at ? DBT(s->confirmed_at) : DBNULL,
		s->confirm_expires ? DBT(s->confirm_expires) : DBNULL,
		DBT(s->created_at),
	};

	if (db_exec(db, SQL_INSERT, args, NARGS(args), NULL, &id) == -1)
		return -1;
	db_count(db, DBC_SUBSCRIBERS, 1);
	s->id = (long long)id;
	return 0;
}

int
db_subscriber_save(struct db *db, const struct subscriber *s)
{
	struct dbval	 args[] = {
		DBS(subscriber_kind_name(s->kind)), DBS(s->address_sealed),
		DBS(s->salt), DBI(s->all_services),
		s->confirmed_at ? DBT(s->confirmed_at) : DBNULL,
		s->confirm_expires ? DBT(s->confirm_expires) : DBNULL,
		DBI(s->id),
	};

	return db_exec(db, SQL_SAVE, args, NARGS(args), NULL, NULL);
}

int
db_subscriber_services(struct db *db, const struct subscriber *s)
{
	struct dbval	 clear[] = { DBI(s->id) };
	char		*json;
	int		 rc;

	if (db_exec(db, SQL_SERVICES_CLEAR, clear, NARGS(clear), NULL,
	    NULL) == -1)
		return -1;
	if (s->nservices == 0)
		return 0;
	if ((json = db_ids_json(s->service_ids, s->nservices)) == NULL)
		return -1;
	{
		struct dbval	 args[] = { DBI(s->id), DBS(json) };

		rc = db_exec(db, SQL_SERVICES_ADD, args, NARGS(args), NULL,
		    NULL);
	}
	free(json);
	return rc;
}

int
db_subscriber_confirm(struct db *db, long long id, time_t now)
{
	struct dbval	 args[] = { DBT(now), DBI(id) };

	return db_exec(db, SQL_CONFIRM, args, NARGS(args), NULL, NULL);
}

int
db_subscriber_delete(struct db *db, long long id)
{
	struct dbval		 args[] = { DBI(id) };
	unsigned long long	 n;

	if (db_exec(db, SQL_DELETE, args, NARGS(args), &n, NULL) == -1)
		return -1;
	db_count(db, DBC_SUBSCRIBERS, -(long long)n);
	return 0;
}

/* A page's row: the subscriber and its services. */
static int
page_fill(struct dbrows *r, void *elem)
{
	struct subscriber	*s = elem;

	if (fill(r, elem) == -1 || db_ids_parse(db_text(r, 8, NULL),
	    &s->service_ids, &s->nservices) == -1) {
		subscriber_clear(s);
		return -1;
	}
	return 0;
}

int
db_subscriber_page(struct db *db, long long offset, long long limit,
    struct subscriber **out, size_t *n, long long *total)
{
	struct dbval		 args[] = { DBI(limit), DBI(offset) };
	struct db_page_q	 q = {
		.sql = SQL_PAGE, .args = args, .nargs = NARGS(args),
		.total_col = 9, .count = SQL_COUNT, .offset = offset,
	};

	return db_page(db, &q, sizeof(**out), page_fill, clear_v,
	    (void **)out, n, total) == 1 ? 0 : -1;
}

int
db_subscriber_not_public(struct db *db, const long long *ids, size_t n,
    char *buf, size_t bufsz)
{
	return db_ids_listed(db, SQL_NOT_PUBLIC, ids, n, buf, bufsz);
}

int
db_subscriber_fanout(struct db *db, const char *event_key,
    const char *payload, const char *services, time_t now,
    unsigned long long *n)
{
	struct dbval	 args[] = {
		DBS(event_key), DBS(payload), DBT(now), DBT(now), DBS(services),
	};

	return db_exec(db, SQL_FANOUT, args, NARGS(args), n, NULL);
}

int
db_subscriber_fanout_maint(struct db *db, const char *event_key,
    const char *payload, long long window, time_t now, unsigned long long *n)
{
	struct dbval	 args[] = {
		DBS(event_key), DBS(payload), DBT(now), DBT(now), DBI(window),
	};

	return db_exec(db, SQL_FANOUT_MAINT, args, NARGS(args), n, NULL);
}

int
db_subscriber_queue(struct db *db, long long id, const char *event_key,
    const char *payload, time_t now)
{
	struct dbval	 args[] = {
		DBI(id), DBS(event_key), DBS(payload), DBT(now), DBT(now),
	};

	return db_exec(db, SQL_QUEUE, args, NARGS(args), NULL, NULL);
}
