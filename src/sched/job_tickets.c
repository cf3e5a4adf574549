/*
 * The tickets job: outage tickets for the catalogue's outages, the
 * marks of the tickets it made (calendars are C, not SQL), escalation
 * at 75 % (db/db_escalate.c, shared with the API), and the once-only
 * notices: high risk, breach, the warning before a breach (within the
 * ticket's working hours), a missed first response.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/auditchain.h"
#include "core/slaclock.h"
#include "core/ticket.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_escalate.h"
#include "db/db_sched_tickets.h"
#include "db/db_ticket.h"
#include "db/db_ticket_tally.h"
#include "sched/sched.h"
#include "util/conf.h"
#include "util/json.h"
#include "util/log.h"

#define MARKS_BATCH	1000

/* The tickets this run wrote, to tally at its end. */
struct written {
	long long	*id;
	size_t		 n, cap;
};

static int
written_add(struct written *w, long long id)
{
	long long	*p;
	size_t		 cap;

	if (w->n == w->cap) {
		cap = w->cap ? 2 * w->cap : 64;
		if ((p = reallocarray(w->id, cap, sizeof(*p))) == NULL)
			return log_warnx("%s: out of memory", __func__);
		w->id = p;
		w->cap = cap;
	}
	w->id[w->n++] = id;
	return 0;
}

static struct json_object *
epoch_or_null(time_t t)
{
	return t ? json_object_new_int64((int64_t)t) : NULL;
}

/* Compute and store the marks of every clock_dirty ticket. */
static int
ticket_clocks(struct sched_ctx *ctx, struct written *w)
{
	struct ticket_calendar	 tc;
	struct ticket_clock	 c;
	struct ticket_marks	 m;
	struct json_object	*arr, *row;
	struct ticket		*v;
	size_t			 n, i;
	int			 rc = 0;

	do {
		if (db_ticket_dirty(ctx->db, MARKS_BATCH, &v, &n) == -1)
			return -1;
		arr = json_object_new_array_ext((int)n);
		for (i = 0; i < n; i++) {
			ticket_clock_of(&v[i], v[i].calendar != NULL &&
			    ticket_calendar_parse(v[i].calendar, &tc) == 0 ?
			    &tc.cal : NULL, &c);
			if (ticket_marks(&c, NULL, ctx->now, &m) == -1)
				memset(&m, 0, sizeof(m));
			row = json_object_new_array_ext(6);
			json_object_array_add(row, json_object_new_int64(v[i].id));
			json_object_array_add(row, epoch_or_null(m.half));
			json_object_array_add(row, epoch_or_null(m.high));
			json_object_array_add(row, epoch_or_null(m.breach));
			json_object_array_add(row, epoch_or_null(m.warn));
			json_object_array_add(row, epoch_or_null(m.fr_due));
			json_object_array_add(arr, row);
			if (written_add(w, v[i].id) == -1)
				rc = -1;
			ticket_clear(&v[i]);
		}
		free(v);
		if (n > 0 && rc == 0)
			rc = db_sched_store_marks(ctx->db, json_text(arr, NULL));
		json_object_put(arr);
	} while (rc == 0 && n == MARKS_BATCH);
	return rc;
}

/* Escalate what reached 75 %; an audit entry each, as the API writes. */
static int
escalations(struct sched_ctx *ctx, struct written *w)
{
	struct audit_record	 r;
	struct escalated	*e;
	size_t			 n, i;
	int			 rc = 0;

	if (db_escalate(ctx->db, ctx->now, 0, 0, NULL, &e, &n) == -1)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		memset(&r, 0, sizeof(r));
		r.ts = ctx->now;
		r.username = "resilops-sched";
		r.action = "Ticket Escalated";
		r.entity = "Ticket";
		r.entity_id = e[i].id;
		if ((rc = db_audit_append(ctx->db, &r)) == 0)
			rc = written_add(w, e[i].id);
	}
	free(e);
	if (n)
		log_info("tickets: %zu escalated", n);
	return rc;
}

/* The calendars of due warnings that are within working hours now. */
static struct json_object *
open_calendars(struct sched_ctx *ctx)
{
	struct ticket_calendar	 tc;
	struct json_object	*arr;
	char			**v;
	size_t			 n, i;

	if (db_sched_warn_calendars(ctx->db, ctx->now, &v, &n) == -1)
		return NULL;
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (ticket_calendar_parse(v[i], &tc) == 0 &&
		    cal_working_seconds(&tc.cal, ctx->now, ctx->now + 1) > 0)
			json_object_array_add(arr, json_object_new_string(v[i]));
		free(v[i]);
	}
	free(v);
	return arr;
}

int
job_tickets(struct sched_ctx *ctx)
{
	struct json_object	*cals;
	struct written		 w = { NULL, 0, 0 };
	unsigned long long	 opened = 0, sent = 0;
	int			 rc;

	/* The outage tickets opened are clock_dirty: ticket_clocks has them. */
	if (db_sched_outage_tickets(ctx->db, ctx->now, &opened) == -1 ||
	    ticket_clocks(ctx, &w) == -1 || escalations(ctx, &w) == -1 ||
	    (cals = open_calendars(ctx)) == NULL) {
		free(w.id);
		return -1;
	}
	rc = db_sched_ticket_notices(ctx->db, ctx->now, json_text(cals, NULL),
	    &sent);
	json_object_put(cals);
	/*
	 * The tickets opened are counted in the job's transaction, last:
	 * the counter's row is locked from here to the commit, and every
	 * ticket the API creates meanwhile waits for it.
	 */
	if (rc == 0 && opened > 0 &&
	    db_ticket_count_add(ctx->db, (long long)opened) == -1)
		rc = -1;
	/* Last too, for the same reason (db_ticket_tally.c). */
	if (rc == 0 && db_ticket_tally(ctx->db, w.id, w.n) == -1)
		rc = -1;
	free(w.id);
	if (opened)
		log_info("tickets: %llu opened for outages", opened);
	if (sent)
		log_info("tickets: %llu notifications", sent);
	return rc;
}

/*
 * The analytics' counts that move with time, folded to now (sql/024):
 * what a read adds since the fold stays a short range.  Every tick; an
 * earlier --now folds back, as exactly.
 */
int
job_ticket_tally(struct sched_ctx *ctx)
{
	return db_ticket_tally_fold(ctx->db, ctx->now);
}
