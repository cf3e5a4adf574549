/*
 * resilops-sched's maintenance statements.  The due windows are read
 * and locked once; everything told about them then reads the same set,
 * passed back as one JSON parameter of [id, "start"|"end"] pairs, so a
 * pass is four statements whatever the number of windows and services.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/db.h"
#include "db/db_alert.h"
#include "db/db_sched_maint.h"
#include "util/json.h"

/*
 * ended_announced_at IS NULL AND starts_at <= now walks
 * ix_maintenance_pending; the rest picks starts and ends.
 * ? order: now, now, now.
 */
static const char SQL_DUE[] =
    "SELECT id, started_announced_at IS NOT NULL, title, message, "
    "starts_at, ends_at FROM maintenance WHERE ended_announced_at IS NULL "
    "AND starts_at <= ? AND ((started_announced_at IS NULL AND ends_at > ?) "
    "OR (started_announced_at IS NOT NULL AND ends_at <= ?)) "
    "ORDER BY id FOR UPDATE";
#define EVENTS \
	"JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$[0]', " \
	"kind VARCHAR(5) PATH '$[1]')) j"
static const char SQL_ALERTS[] =
    "INSERT IGNORE INTO alerts (service_id, type, message, severity, cause, "
    "created_at) SELECT ms.service_id, 'Maintenance', IF(j.kind = 'start', "
    "CONCAT('Maintenance started: ', m.title, ' (until ', "
    "DATE_FORMAT(m.ends_at, '%Y-%m-%dT%H:%i:%sZ'), ')'), "
    "CONCAT('Maintenance ended: ', m.title)), 'Info', "
    "CONCAT(m.id, ':', j.kind), ? FROM " EVENTS " "
    "JOIN maintenance m ON m.id = j.id "
    "JOIN maintenance_services ms ON ms.maintenance_id = m.id";
static const char SQL_MARK_STARTED[] =
    "UPDATE maintenance SET started_announced_at = ? WHERE id IN "
    "(SELECT j.id FROM " EVENTS " WHERE j.kind = 'start')";
static const char SQL_MARK_ENDED[] =
    "UPDATE maintenance SET ended_announced_at = ? WHERE id IN "
    "(SELECT j.id FROM " EVENTS " WHERE j.kind = 'end')";

static const char *const kind_names[MAINT_EVENT__MAX] = {
	[MAINT_EVENT_START] = "start",
	[MAINT_EVENT_END] = "end",
};

void
maint_event_clear(struct maint_event *e)
{
	free(e->title);
	free(e->message);
	memset(e, 0, sizeof(*e));
}

static int
event_fill(struct dbrows *r, void *elem)
{
	struct maint_event	*e = elem;
	bool			 oom = false;

	e->id = db_int(r, 0);
	e->kind = db_int(r, 1) ? MAINT_EVENT_END : MAINT_EVENT_START;
	e->title = db_text_dup(r, 2, &oom);
	e->message = db_text_dup(r, 3, &oom);
	e->starts_at = db_time(r, 4);
	e->ends_at = db_time(r, 5);
	if (oom || e->title == NULL) {
		maint_event_clear(e);
		return -1;
	}
	return 0;
}

static void
event_clear_v(void *elem)
{
	maint_event_clear(elem);
}

int
db_maint_due(struct db *db, time_t now, struct maint_event **out, size_t *n)
{
	struct dbval	 args[] = { DBT(now), DBT(now), DBT(now) };

	return db_collect(db, SQL_DUE, args, NARGS(args), sizeof(**out),
	    event_fill, event_clear_v, (void **)out, n);
}

int
db_maint_announce(struct db *db, time_t now, const struct maint_event *ev,
    size_t n, unsigned long long *alerts)
{
	struct json_object	*arr, *pair;
	const char		*text;
	size_t			 i;
	int			 rc = -1;

	*alerts = 0;
	if (n == 0)
		return 0;
	if ((arr = json_object_new_array_ext((int)n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		pair = json_object_new_array_ext(2);
		json_object_array_add(pair, json_object_new_int64(ev[i].id));
		json_object_array_add(pair,
		    json_object_new_string(kind_names[ev[i].kind]));
		json_object_array_add(arr, pair);
	}
	if ((text = json_text(arr, NULL)) != NULL) {
		struct dbval	 args[] = { DBT(now), DBS(text) };

		rc = db_exec(db, SQL_ALERTS, args, NARGS(args), alerts,
		    NULL) == -1 ||
		    db_exec(db, SQL_MARK_STARTED, args, NARGS(args), NULL,
		    NULL) == -1 ||
		    db_exec(db, SQL_MARK_ENDED, args, NARGS(args), NULL,
		    NULL) == -1 ? -1 : 0;
		if (rc == 0)
			db_alerts_raised(db, *alerts);
	}
	json_object_put(arr);
	return rc;
}
