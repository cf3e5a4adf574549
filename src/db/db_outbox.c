/*
 * The deliverer's statements: a batch claim (one locking SELECT, one
 * UPDATE over the ids it returned) and one UPDATE for all outcomes,
 * whatever the batch size.  Ids and outcomes travel as one JSON
 * parameter read with JSON_TABLE, as the risk job's rows do.  Mark and
 * record serve any outbox table through its struct outbox_table.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/db.h"
#include "db/db_outbox.h"
#include "util/json.h"

static const char SQL_CLAIM_SELECT[] =
    "SELECT o.id, o.integration_id, o.event, o.payload, o.attempts, "
    "o.next_attempt_at, o.last_error, i.type, i.config "
    "FROM outbox o JOIN integrations i ON i.id = o.integration_id "
    "WHERE o.status = 'pending' AND o.next_attempt_at <= ? "
    "ORDER BY o.next_attempt_at, o.id LIMIT ? FOR UPDATE";
static const char SQL_MARK[] = OUTBOX_MARK_SQL("outbox");
static const char SQL_RECORD[] = OUTBOX_RECORD_SQL("outbox");

const struct outbox_table outbox_integrations = { SQL_MARK, SQL_RECORD };

void
outbox_item_clear(struct outbox_item *it)
{
	free(it->event);
	free(it->payload);
	free(it->last_error);
	free(it->type);
	free(it->config);
	memset(it, 0, sizeof(*it));
}

static int
dup_text(struct dbrows *r, unsigned col, char **out)
{
	const char	*s = db_text(r, col, NULL);

	*out = NULL;
	if (s == NULL)
		return 0;
	return (*out = strdup(s)) == NULL ? -1 : 0;
}

static int
item_fill(struct dbrows *r, void *elem)
{
	struct outbox_item	*it = elem;

	it->id = db_int(r, 0);
	it->integration_id = db_int(r, 1);
	it->attempts = (int)db_int(r, 4);
	it->due = db_time(r, 5);
	if (dup_text(r, 2, &it->event) == -1 ||
	    dup_text(r, 3, &it->payload) == -1 ||
	    dup_text(r, 6, &it->last_error) == -1 ||
	    dup_text(r, 7, &it->type) == -1 ||
	    dup_text(r, 8, &it->config) == -1) {
		outbox_item_clear(it);
		return -1;
	}
	return 0;
}

static void
item_clear(void *elem)
{
	outbox_item_clear(elem);
}

/* The ids as a JSON array text (the caller frees), or NULL. */
static char *
ids_json(const long long *ids, size_t n)
{
	struct json_object	*a;
	char			*s = NULL;
	size_t			 i;

	if ((a = json_object_new_array_ext((int)n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (json_object_array_add(a, json_object_new_int64(ids[i])) != 0)
			goto out;
	s = strdup(json_text(a, NULL));
out:
	json_object_put(a);
	return s;
}

int
db_outbox_mark(struct db *db, const struct outbox_table *table,
    const long long *ids, size_t n, time_t until)
{
	char	*text;
	int	 rc;

	if (n == 0)
		return 0;
	if ((text = ids_json(ids, n)) == NULL)
		return -1;
	{
		struct dbval	 args[] = { DBS(text), DBT(until) };

		rc = db_exec(db, table->mark, args, NARGS(args), NULL, NULL);
	}
	free(text);
	return rc;
}

int
db_outbox_claim(struct db *db, time_t now, int limit, time_t claim_until,
    struct outbox_item **items, size_t *n)
{
	struct dbval		 args[] = { DBT(now), DBI(limit) };
	struct outbox_item	*v;
	void			*rows;
	long long		*ids;
	size_t			 i, j;
	int			 rc = -1;

	*items = NULL;
	*n = 0;
	if (db_collect(db, SQL_CLAIM_SELECT, args, NARGS(args), sizeof(*v),
	    item_fill, item_clear, &rows, &i) == -1)
		return -1;
	if ((v = rows) == NULL)
		return 0;
	if ((ids = calloc(i, sizeof(*ids))) != NULL) {
		for (j = 0; j < i; j++)
			ids[j] = v[j].id;
		rc = db_outbox_mark(db, &outbox_integrations, ids, i,
		    claim_until);
		free(ids);
	}
	if (rc == -1) {
		while (i > 0)
			outbox_item_clear(&v[--i]);
		free(v);
		return -1;
	}
	*items = v;
	*n = i;
	return 0;
}

int
db_outbox_record(struct db *db, const struct outbox_table *table, time_t now,
    const struct outbox_outcome *oc, size_t n)
{
	struct json_object	*a, *row;
	const char		*text;
	size_t			 i;
	int			 rc = -1;

	if (n == 0)
		return 0;
	if ((a = json_object_new_array_ext((int)n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((row = json_object_new_array_ext(6)) == NULL ||
		    json_object_array_add(a, row) != 0) {
			json_object_put(row);
			goto out;
		}
		json_object_array_add(row, json_object_new_int64(oc[i].id));
		json_object_array_add(row,
		    json_object_new_string(oc[i].status));
		json_object_array_add(row, json_object_new_int(oc[i].attempts));
		json_object_array_add(row,
		    json_object_new_int64((int64_t)oc[i].next_attempt_at));
		json_object_array_add(row, json_object_new_int(oc[i].sent));
		/* Absent, not JSON null: JSON_TABLE makes that SQL NULL. */
		if (oc[i].last_error != NULL)
			json_object_array_add(row,
			    json_object_new_string(oc[i].last_error));
	}
	if ((text = json_text(a, NULL)) == NULL)
		goto out;
	{
		struct dbval	 args[] = { DBS(text), DBT(now) };

		rc = db_exec(db, table->record, args, NARGS(args), NULL, NULL);
	}
out:
	json_object_put(a);
	return rc;
}
