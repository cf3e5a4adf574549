/*
 * subscriber_outbox as a delivery source's store: one locking SELECT
 * joined to the subscriber, one UPDATE marking the claim, one UPDATE
 * for all outcomes (db_outbox.c's, over this table).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_outbox.h"
#include "db/db_subscriber_outbox.h"

static const char SQL_CLAIM[] =
    "SELECT o.id, o.subscriber_id, o.event_key, o.payload, o.attempts, "
    "o.next_attempt_at, o.last_error, s.kind, s.address_sealed, s.salt "
    "FROM subscriber_outbox o JOIN subscribers s ON s.id = o.subscriber_id "
    "WHERE o.status = 'pending' AND o.next_attempt_at <= ? "
    "ORDER BY o.next_attempt_at, o.id LIMIT ? FOR UPDATE";
static const char SQL_MARK[] = OUTBOX_MARK_SQL("subscriber_outbox");
static const char SQL_RECORD[] = OUTBOX_RECORD_SQL("subscriber_outbox");

const struct outbox_table outbox_subscribers = { SQL_MARK, SQL_RECORD };

void
sub_item_clear(struct sub_item *it)
{
	free(it->event_key);
	free(it->payload);
	free(it->last_error);
	free(it->address_sealed);
	memset(it, 0, sizeof(*it));
}

static int
fill(struct dbrows *r, void *elem)
{
	struct sub_item	*it = elem;
	const char	*salt;
	bool		 oom = false;
	int		 k;

	it->id = db_int(r, 0);
	it->subscriber_id = db_int(r, 1);
	it->event_key = db_text_dup(r, 2, &oom);
	it->payload = db_text_dup(r, 3, &oom);
	it->attempts = (int)db_int(r, 4);
	it->due = db_time(r, 5);
	it->last_error = db_text_dup(r, 6, &oom);
	it->kind = (k = subscriber_kind_parse(db_text(r, 7, NULL))) < 0 ?
	    SUB_EMAIL : (enum subscriber_kind)k;
	it->address_sealed = db_text_dup(r, 8, &oom);
	if ((salt = db_text(r, 9, NULL)) != NULL)
		snprintf(it->salt, sizeof(it->salt), "%s", salt);
	if (oom) {
		sub_item_clear(it);
		return -1;
	}
	return 0;
}

static void
clear_v(void *elem)
{
	sub_item_clear(elem);
}

int
db_sub_outbox_claim(struct db *db, time_t now, int limit, time_t claim_until,
    struct sub_item **items, size_t *n)
{
	struct dbval	 args[] = { DBT(now), DBI(limit) };
	long long	*ids;
	size_t		 i;
	int		 rc = -1;

	*items = NULL;
	*n = 0;
	if (db_collect(db, SQL_CLAIM, args, NARGS(args), sizeof(**items), fill,
	    clear_v, (void **)items, n) == -1)
		return -1;
	if (*n == 0)
		return 0;
	if ((ids = calloc(*n, sizeof(*ids))) != NULL) {
		for (i = 0; i < *n; i++)
			ids[i] = (*items)[i].id;
		rc = db_outbox_mark(db, &outbox_subscribers, ids, *n,
		    claim_until);
		free(ids);
	}
	if (rc == -1) {
		for (i = 0; i < *n; i++)
			sub_item_clear(&(*items)[i]);
		free(*items);
		*items = NULL;
		*n = 0;
	}
	return rc;
}
