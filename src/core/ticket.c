/*
 * Tickets: the vocabulary of CONTRACT section 5, the business-hours
 * calendar in its JSON form, and the clock of one ticket read at an
 * instant or turned into the instants at which it crosses its marks
 * (what SQL compares with "now").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/slaclock.h"
#include "core/ticket.h"
#include "util/json.h"
#include "util/tz.h"

const char *const ticket_priority_choices[] = {
	"LOW", "MEDIUM", "HIGH", "CRITICAL", NULL,
};
const char *const ticket_status_choices[] = {
	"OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER", "ESCALATED", "RESOLVED",
	NULL,
};
static const char *const notify_names[NOTIFY__MAX] = {
	"INFO", "WARNING", "ALERT",
};

/* The ISO weekday names' order of core/slaclock's wday (0 = Sunday). */
#define ISO_TO_WDAY(d)	((d) % 7)

static int
lookup(const char *s, const char *const *names, int n)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *
ticket_priority_name(enum ticket_priority p)
{
	return (unsigned)p < PRIO__MAX ? ticket_priority_choices[p] : NULL;
}

int
ticket_priority_parse(const char *s)
{
	return lookup(s, ticket_priority_choices, PRIO__MAX);
}

const char *
ticket_status_name(enum ticket_status st)
{
	return (unsigned)st < TSTATUS__MAX ? ticket_status_choices[st] : NULL;
}

int
ticket_status_parse(const char *s)
{
	return lookup(s, ticket_status_choices, TSTATUS__MAX);
}

const char *
notify_type_name(enum notify_type t)
{
	return (unsigned)t < NOTIFY__MAX ? notify_names[t] : NULL;
}

int
notify_type_parse(const char *s)
{
	return lookup(s, notify_names, NOTIFY__MAX);
}

static int
cal_err(char *err, size_t errsz, const char *msg)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "%s", msg);
	return -1;
}

static int
int_cmp(const void *a, const void *b)
{
	int	 x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* "working_days": ISO weekdays, each once or more; at least one. */
static int
cal_days(struct json_object *o, int *days)
{
	struct json_object	*e;
	size_t			 i, n;
	int			 d;

	*days = 0;
	if (!json_object_is_type(o, json_type_array) ||
	    (n = json_object_array_length(o)) == 0 || n > 7 * 4)
		return -1;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(o, i);
		if (!json_object_is_type(e, json_type_int) ||
		    (d = json_object_get_int(e)) < 1 || d > 7)
			return -1;
		*days |= 1 << ISO_TO_WDAY(d);
	}
	return 0;
}

/* "holidays": dates, sorted and made unique here. */
static int
cal_holidays(struct json_object *o, struct ticket_calendar *out)
{
	struct json_object	*e;
	size_t			 i, n, k = 0;
	int			 d;

	if (!json_object_is_type(o, json_type_array) ||
	    (n = json_object_array_length(o)) > CAL_HOLIDAYS_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(o, i);
		if (!json_object_is_type(e, json_type_string) ||
		    (d = cal_parse_date(json_object_get_string(e))) < 0)
			return -1;
		out->holidays[k++] = d;
	}
	qsort(out->holidays, k, sizeof(int), int_cmp);
	for (i = 0, n = 0; i < k; i++)
		if (n == 0 || out->holidays[n - 1] != out->holidays[i])
			out->holidays[n++] = out->holidays[i];
	out->cal.nholidays = n;
	return 0;
}

static int
cal_hhmm(struct json_object *obj, const char *key, int *out)
{
	struct json_object	*o;

	if (!json_object_object_get_ex(obj, key, &o) ||
	    !json_object_is_type(o, json_type_string) ||
	    (*out = cal_parse_hhmm(json_object_get_string(o))) < 0)
		return -1;
	return 0;
}

int
ticket_calendar_from_json(struct json_object *obj, struct ticket_calendar *out,
    char *err, size_t errsz)
{
	struct json_object	*o;
	const char		*zone = "UTC";
	int			 days, start, end, wd;

	memset(out, 0, sizeof(*out));
	out->cal.holidays = out->holidays;
	if (!json_object_is_type(obj, json_type_object))
		return cal_err(err, errsz, "calendar must be an object");
	if (json_object_object_get_ex(obj, "time_zone", &o) && o != NULL) {
		if (!json_object_is_type(o, json_type_string) ||
		    !tz_valid(json_object_get_string(o)))
			return cal_err(err, errsz, "calendar.time_zone must be "
			    "a time zone name such as Europe/Berlin");
		zone = json_object_get_string(o);
	}
	if (!json_object_object_get_ex(obj, "working_days", &o) ||
	    cal_days(o, &days) == -1)
		return cal_err(err, errsz, "calendar.working_days must be a "
		    "non-empty array of weekdays 1 (Monday) to 7 (Sunday)");
	if (cal_hhmm(obj, "start", &start) == -1 ||
	    cal_hhmm(obj, "end", &end) == -1)
		return cal_err(err, errsz, "calendar.start and calendar.end "
		    "must be times HH:MM");
	if (end <= start)
		return cal_err(err, errsz,
		    "calendar.end must be after calendar.start");
	if (json_object_object_get_ex(obj, "holidays", &o) && o != NULL &&
	    cal_holidays(o, out) == -1)
		return cal_err(err, errsz, "calendar.holidays must be an array "
		    "of at most 400 dates YYYY-MM-DD");
	snprintf(out->cal.zone, sizeof(out->cal.zone), "%s", zone);
	for (wd = 0; wd < 7; wd++)
		if (days & (1 << wd)) {
			out->cal.open[wd] = start;
			out->cal.close[wd] = end;
		}
	return 0;
}

int
ticket_calendar_parse(const char *text, struct ticket_calendar *out)
{
	struct json_object	*o;
	int			 rc;

	if (text == NULL || (o = json_parse_strict(text, strlen(text))) == NULL)
		return -1;
	rc = ticket_calendar_from_json(o, out, NULL, 0);
	json_object_put(o);
	return rc;
}

static struct json_object *
hhmm_json(int minutes)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%02d:%02d", minutes / 60, minutes % 60);
	return json_object_new_string(buf);
}

struct json_object *
ticket_calendar_json(const struct ticket_calendar *c)
{
	struct json_object	*o, *days, *hol;
	char			 buf[16];
	size_t			 i;
	int			 iso, wd, start = 0, end = 0, bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	days = json_object_new_array();
	hol = json_object_new_array();
	for (iso = 1; iso <= 7; iso++) {
		wd = ISO_TO_WDAY(iso);
		if (c->cal.open[wd] == c->cal.close[wd])
			continue;
		bad |= json_push(days, json_object_new_int(iso));
		start = c->cal.open[wd];
		end = c->cal.close[wd];
	}
	for (i = 0; i < c->cal.nholidays; i++) {
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d",
		    c->holidays[i] / 10000, c->holidays[i] / 100 % 100,
		    c->holidays[i] % 100);
		bad |= json_push(hol, json_object_new_string(buf));
	}
	bad |= json_add(o, "time_zone", json_object_new_string(
	    c->cal.zone[0] != '\0' ? c->cal.zone : "UTC"));
	bad |= json_add(o, "working_days", days);
	bad |= json_add(o, "start", hhmm_json(start));
	bad |= json_add(o, "end", hhmm_json(end));
	bad |= json_add(o, "holidays", hol);
	/* A calendar short of a part is another calendar: none at all. */
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* End the current pause at now: its working time joins paused. */
static int
clock_resume(struct ticket_clock *t, time_t now)
{
	struct sla_clock	 c;
	long long		 w;

	if (t->paused_since == 0)
		return 0;
	ticket_sla_clock(t, &c);
	c.paused_since = 0;
	if ((w = sla_pause_seconds(&c, t->paused_since, now)) < 0)
		return -1;
	t->paused += w;
	t->paused_since = 0;
	return 0;
}

int
ticket_clock_move(struct ticket_clock *t, enum ticket_status from,
    enum ticket_status to, time_t now)
{
	if (from == to)
		return 0;
	if (from == TSTATUS_RESOLVED && t->resolved != 0) {
		/* Reopened: the time it stood resolved is a pause. */
		t->paused_since = t->resolved;
		t->resolved = 0;
	}
	if (to != TSTATUS_WAITING && clock_resume(t, now) == -1)
		return -1;
	if (to == TSTATUS_WAITING && t->paused_since == 0)
		t->paused_since = now;
	if (to == TSTATUS_RESOLVED) {
		t->resolved = now;
		if (t->first_response == 0)
			t->first_response = now;
	}
	return 0;
}

void
ticket_sla_clock(const struct ticket_clock *t, struct sla_clock *out)
{
	memset(out, 0, sizeof(*out));
	out->start = t->created;
	out->stopped = t->resolved;
	out->paused_since = t->paused_since;
	out->paused = t->paused;
	out->limit = (long long)t->sla_hours * 3600;
	out->cal = t->cal;
}

/* The first-response clock: stops at the response (or resolution). */
static void
first_response_clock(const struct ticket_clock *t, struct sla_clock *out)
{
	ticket_sla_clock(t, out);
	out->limit = (long long)t->first_response_hours * 3600;
	if (t->first_response != 0 &&
	    (out->stopped == 0 || t->first_response < out->stopped))
		out->stopped = t->first_response;
}

/* One mark: kept when already passed, else computed (0: not on the way). */
static int
mark(const struct sla_clock *c, int percent, time_t old, time_t now,
    time_t *out)
{
	time_t	 t;

	if (old != 0 && old <= now) {
		*out = old;
		return 0;
	}
	if ((t = sla_when(c, percent, now)) == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

int
ticket_marks(const struct ticket_clock *t, const struct ticket_marks *old,
    time_t now, struct ticket_marks *out)
{
	static const struct ticket_marks none;
	struct sla_clock	 c, fr;

	if (old == NULL)
		old = &none;
	memset(out, 0, sizeof(*out));
	ticket_sla_clock(t, &c);
	if (mark(&c, 50, old->half, now, &out->half) == -1 ||
	    mark(&c, 75, old->high, now, &out->high) == -1 ||
	    mark(&c, 100, old->breach, now, &out->breach) == -1 ||
	    mark(&c, t->warn_percent, old->warn, now, &out->warn) == -1)
		return -1;
	if (t->first_response_hours > 0) {
		first_response_clock(t, &fr);
		if (mark(&fr, 100, old->fr_due, now, &out->fr_due) == -1)
			return -1;
	}
	return 0;
}

int
ticket_read(const struct ticket_clock *t, time_t now,
    struct ticket_reading *out)
{
	struct sla_clock	 c, fr;
	long long		 limit, frel;

	memset(out, 0, sizeof(*out));
	ticket_sla_clock(t, &c);
	if ((out->elapsed = sla_elapsed(&c, now)) < 0)
		return -1;
	limit = (long long)t->sla_hours * 3600;
	out->percent = sla_percent(out->elapsed, limit);
	out->level = sla_level_of(out->elapsed, limit);
	if (t->first_response_hours > 0) {
		first_response_clock(t, &fr);
		if ((frel = sla_elapsed(&fr, now)) < 0)
			return -1;
		out->fr_breached = frel >= fr.limit;
	}
	return 0;
}
