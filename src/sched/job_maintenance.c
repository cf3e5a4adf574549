/*
 * The maintenance job: tell each window's start and end once.  The due
 * windows are locked, their alerts raised, the subscribers' hook called
 * and the marks set, all in the job's fenced transaction: a pass that
 * fails or loses the lease leaves nothing told, and the next tells it
 * then; one that commits never tells it again.  The marks are facts
 * about a window, not a watermark: a run with an earlier --now finds
 * nothing due and changes nothing.
 *
 * What maintenance does to heartbeats, alerts, breaches, outage
 * tickets and uptime is in those jobs' statements (db/db_sched.c,
 * db/db_sched_tickets.c, job_rollup.c), as of the same --now.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "core/isotime.h"
#include "db/db_sched_maint.h"
#include "db/db_subscriber.h"
#include "sched/sched.h"
#include "util/log.h"

/*
 * The subscribers' hook: each start and end queued once for the
 * confirmed subscribers of the window's public services (the key names
 * the window and the event; see sched.h).
 */
int
maintenance_notify(struct sched_ctx *ctx, const struct maint_event *ev,
    size_t n)
{
	struct json_object	*p;
	unsigned long long	 q;
	char			 key[64], iso[ISOTIME_LEN + 1];
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const char *what = ev[i].kind == MAINT_EVENT_START ? "start" :
		    "end";

		p = json_object_new_object();
		json_object_object_add(p, "event", json_object_new_string(
		    "maintenance"));
		json_object_object_add(p, "maintenance_id",
		    json_object_new_int64(ev[i].id));
		json_object_object_add(p, "phase", json_object_new_string(what));
		json_object_object_add(p, "title", json_object_new_string(
		    ev[i].title != NULL ? ev[i].title : ""));
		json_object_object_add(p, "message", ev[i].message != NULL ?
		    json_object_new_string(ev[i].message) : NULL);
		isotime_format(ev[i].starts_at, iso);
		json_object_object_add(p, "starts_at",
		    json_object_new_string(iso));
		isotime_format(ev[i].ends_at, iso);
		json_object_object_add(p, "ends_at", json_object_new_string(iso));
		snprintf(key, sizeof(key), "maintenance-%s:%lld", what,
		    ev[i].id);
		rc = db_subscriber_fanout_maint(ctx->db, key,
		    json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN),
		    ev[i].id, ctx->now, &q);
		json_object_put(p);
	}
	return rc;
}

int
job_maintenance(struct sched_ctx *ctx)
{
	struct maint_event	*ev;
	unsigned long long	 alerts = 0;
	size_t			 n, i, starts = 0;
	int			 rc = -1;

	if (db_maint_due(ctx->db, ctx->now, &ev, &n) == -1)
		return -1;
	if (n == 0)
		return 0;
	if (db_maint_announce(ctx->db, ctx->now, ev, n, &alerts) == 0 &&
	    maintenance_notify(ctx, ev, n) == 0)
		rc = 0;
	for (i = 0; i < n; i++) {
		if (ev[i].kind == MAINT_EVENT_START)
			starts++;
		maint_event_clear(&ev[i]);
	}
	free(ev);
	if (rc == 0)
		log_info("maintenance: %zu started, %zu ended (%llu alerts)",
		    starts, n - starts, alerts);
	return rc;
}
