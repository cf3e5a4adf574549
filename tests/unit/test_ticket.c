/*
 * core/ticket: the vocabulary, the calendar's JSON form, what status
 * changes do to a clock, and the marks (kept once passed).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/ticket.h"
#include "suites.h"
#include "util/json.h"

#define HOUR	3600
/* 2026-03-30T09:00:00Z, a Monday. */
#define MON_0900	((time_t)1774861200)

static struct json_object *
parse(const char *s)
{
	return json_parse_strict(s, strlen(s));
}

static void
test_ticket_vocabulary(void)
{

	CU_ASSERT_EQUAL(ticket_priority_parse("critical"), PRIO_CRITICAL);
	CU_ASSERT_EQUAL(ticket_priority_parse("URGENT"), -1);
	CU_ASSERT_STRING_EQUAL(ticket_priority_name(PRIO_LOW), "LOW");
	CU_ASSERT_EQUAL(ticket_status_parse("waiting_on_customer"),
	    TSTATUS_WAITING);
	CU_ASSERT_STRING_EQUAL(ticket_status_name(TSTATUS_IN_PROGRESS),
	    "IN_PROGRESS");
	CU_ASSERT_PTR_NULL(ticket_status_name(TSTATUS__MAX));
	CU_ASSERT_EQUAL(notify_type_parse("alert"), NOTIFY_ALERT);
	CU_ASSERT_STRING_EQUAL(notify_type_name(NOTIFY_WARNING), "WARNING");
}

static void
test_ticket_calendar_round_trip(void)
{
	struct ticket_calendar	 tc, back;
	struct json_object	*o, *out;
	char			 err[200];

	o = parse("{\"time_zone\": \"Europe/Berlin\", \"working_days\": [5, 1, "
	    "2, 3, 4, 1], \"start\": \"09:00\", \"end\": \"17:30\", "
	    "\"holidays\": [\"2026-12-26\", \"2026-12-25\", \"2026-12-25\"]}");
	CU_ASSERT_FATAL(o != NULL);
	CU_ASSERT_EQUAL_FATAL(ticket_calendar_from_json(o, &tc, err,
	    sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(tc.cal.zone, "Europe/Berlin");
	CU_ASSERT_EQUAL(tc.cal.open[1], 540);		/* Monday */
	CU_ASSERT_EQUAL(tc.cal.close[5], 1050);		/* Friday */
	CU_ASSERT_EQUAL(tc.cal.open[0], tc.cal.close[0]);	/* Sunday closed */
	CU_ASSERT_EQUAL(tc.cal.nholidays, 2);		/* sorted, once each */
	CU_ASSERT_EQUAL(tc.holidays[0], 20261225);
	CU_ASSERT_PTR_EQUAL(tc.cal.holidays, tc.holidays);
	out = ticket_calendar_json(&tc);
	CU_ASSERT_STRING_EQUAL(json_text(out, NULL),
	    "{\"time_zone\":\"Europe/Berlin\",\"working_days\":[1,2,3,4,5],"
	    "\"start\":\"09:00\",\"end\":\"17:30\",\"holidays\":"
	    "[\"2026-12-25\",\"2026-12-26\"]}");
	CU_ASSERT_EQUAL(ticket_calendar_parse(json_text(out, NULL), &back), 0);
	CU_ASSERT_EQUAL(memcmp(back.cal.open, tc.cal.open, sizeof(tc.cal.open)),
	    0);
	CU_ASSERT_EQUAL(back.cal.nholidays, 2);
	json_object_put(out);
	json_object_put(o);
}

static void
test_ticket_calendar_refused(void)
{
	static const struct {
		const char	*json;
		const char	*word;
	} bad[] = {
		{ "[]", "calendar must be an object" },
		{ "{\"start\": \"09:00\", \"end\": \"17:00\"}", "working_days" },
		{ "{\"working_days\": [0], \"start\": \"09:00\", \"end\": \"17:00\"}",
		    "working_days" },
		{ "{\"working_days\": [\"1\"], \"start\": \"09:00\", "
		    "\"end\": \"17:00\"}", "working_days" },
		{ "{\"working_days\": [1], \"start\": \"9:00\", \"end\": \"17:00\"}",
		    "start" },
		{ "{\"working_days\": [1], \"start\": \"09:00\", \"end\": \"09:00\"}",
		    "calendar.end must be after" },
		{ "{\"working_days\": [1], \"start\": \"09:00\", \"end\": \"17:00\", "
		    "\"time_zone\": \"../etc/passwd\"}", "time_zone" },
		{ "{\"working_days\": [1], \"start\": \"09:00\", \"end\": \"17:00\", "
		    "\"holidays\": [\"2026-02-29\"]}", "holidays" },
		{ "{\"time_zone\": 5, \"working_days\": [1], \"start\": \"09:00\", "
		    "\"end\": \"17:00\"}", "time_zone" },
		{ "{\"working_days\": 1, \"start\": \"09:00\", \"end\": \"17:00\"}",
		    "working_days" },
		{ "{\"working_days\": [], \"start\": \"09:00\", \"end\": \"17:00\"}",
		    "working_days" },
		{ "{\"working_days\": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
		    "1,1,1,1,1,1,1], \"start\": \"09:00\", \"end\": \"17:00\"}",
		    "working_days" },
		{ "{\"working_days\": [8], \"start\": \"09:00\", \"end\": \"17:00\"}",
		    "working_days" },
		{ "{\"working_days\": [1], \"end\": \"17:00\"}", "start" },
		{ "{\"working_days\": [1], \"start\": 900, \"end\": \"17:00\"}",
		    "start" },
		{ "{\"working_days\": [1], \"start\": \"09:00\", \"end\": \"24:01\"}",
		    "end" },
		{ "{\"working_days\": [1], \"start\": \"09:00\", \"end\": \"08:00\"}",
		    "calendar.end must be after" },
		{ "{\"working_days\": [1], \"start\": \"09:00\", \"end\": \"17:00\", "
		    "\"holidays\": \"2026-12-25\"}", "holidays" },
		{ "{\"working_days\": [1], \"start\": \"09:00\", \"end\": \"17:00\", "
		    "\"holidays\": [20261225]}", "holidays" },
	};
	struct ticket_calendar	 tc;
	struct json_object	*o;
	char			 err[200];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = parse(bad[i].json);
		CU_ASSERT_FATAL(o != NULL);
		err[0] = '\0';
		CU_ASSERT_EQUAL(ticket_calendar_from_json(o, &tc, err,
		    sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].word));
		/* No room for the message: refused all the same. */
		CU_ASSERT_EQUAL(ticket_calendar_from_json(o, &tc, NULL, 0), -1);
		json_object_put(o);
	}
	CU_ASSERT_EQUAL(ticket_calendar_parse(NULL, &tc), -1);
	CU_ASSERT_EQUAL(ticket_calendar_parse("{", &tc), -1);
	CU_ASSERT_EQUAL(ticket_calendar_parse("{\"working_days\": [1]}", &tc),
	    -1);
}

static void
clock_init(struct ticket_clock *c, int hours)
{
	memset(c, 0, sizeof(*c));
	c->created = MON_0900;
	c->sla_hours = hours;
	c->warn_percent = 90;
	c->first_response_hours = 1;
}

static void
test_ticket_pause_and_resume(void)
{
	struct ticket_clock	 c;
	struct ticket_reading	 rd;

	clock_init(&c, 8);
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_OPEN, TSTATUS_WAITING,
	    MON_0900 + HOUR), 0);
	CU_ASSERT_EQUAL(c.paused_since, MON_0900 + HOUR);
	/* Waiting for three hours counts nothing ... */
	CU_ASSERT_EQUAL(ticket_read(&c, MON_0900 + 4 * HOUR, &rd), 0);
	CU_ASSERT_EQUAL(rd.elapsed, HOUR);
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_WAITING,
	    TSTATUS_IN_PROGRESS, MON_0900 + 4 * HOUR), 0);
	CU_ASSERT_EQUAL(c.paused, 3 * HOUR);
	CU_ASSERT_EQUAL(c.paused_since, 0);
	/* ... and the clock runs on from there. */
	CU_ASSERT_EQUAL(ticket_read(&c, MON_0900 + 5 * HOUR, &rd), 0);
	CU_ASSERT_EQUAL(rd.elapsed, 2 * HOUR);
	CU_ASSERT_EQUAL(rd.level, SLA_SAFE);
}

static void
test_ticket_resolve_and_reopen(void)
{
	struct ticket_clock	 c;
	struct ticket_reading	 rd;

	clock_init(&c, 4);
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_IN_PROGRESS,
	    TSTATUS_RESOLVED, MON_0900 + 2 * HOUR), 0);
	CU_ASSERT_EQUAL(c.resolved, MON_0900 + 2 * HOUR);
	/* Resolution answers a ticket nobody answered before. */
	CU_ASSERT_EQUAL(c.first_response, MON_0900 + 2 * HOUR);
	CU_ASSERT_EQUAL(ticket_read(&c, MON_0900 + 10 * HOUR, &rd), 0);
	CU_ASSERT_EQUAL(rd.elapsed, 2 * HOUR);
	CU_ASSERT_TRUE(rd.fr_breached);		/* 2 h against 1 h */
	/* Reopened: the time it stood resolved does not count. */
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_RESOLVED, TSTATUS_OPEN,
	    MON_0900 + 10 * HOUR), 0);
	CU_ASSERT_EQUAL(c.resolved, 0);
	CU_ASSERT_EQUAL(c.paused, 8 * HOUR);
	CU_ASSERT_EQUAL(ticket_read(&c, MON_0900 + 11 * HOUR, &rd), 0);
	CU_ASSERT_EQUAL(rd.elapsed, 3 * HOUR);
	CU_ASSERT_EQUAL(rd.level, SLA_HIGH_RISK);
}

static void
test_ticket_marks(void)
{
	struct ticket_clock	 c;
	struct ticket_marks	 m;

	clock_init(&c, 8);
	CU_ASSERT_EQUAL(ticket_marks(&c, NULL, MON_0900, &m), 0);
	CU_ASSERT_EQUAL(m.half, MON_0900 + 4 * HOUR);
	CU_ASSERT_EQUAL(m.high, MON_0900 + 6 * HOUR);
	CU_ASSERT_EQUAL(m.breach, MON_0900 + 8 * HOUR);
	CU_ASSERT_EQUAL(m.warn, MON_0900 + 8 * HOUR * 9 / 10);
	CU_ASSERT_EQUAL(m.fr_due, MON_0900 + HOUR);
	/* A first response stops its target: no due instant left. */
	c.first_response = MON_0900 + HOUR / 2;
	CU_ASSERT_EQUAL(ticket_marks(&c, NULL, MON_0900 + HOUR / 2, &m), 0);
	CU_ASSERT_EQUAL(m.fr_due, 0);
}

static void
test_ticket_marks_kept_once_passed(void)
{
	struct ticket_clock	 c;
	struct ticket_marks	 m, old;

	clock_init(&c, 8);
	CU_ASSERT_EQUAL(ticket_marks(&c, NULL, MON_0900, &old), 0);
	/* Paused at 7 h: 50 and 75 % were passed and stay; the rest wait. */
	ticket_clock_move(&c, TSTATUS_OPEN, TSTATUS_WAITING, MON_0900 + 7 * HOUR);
	CU_ASSERT_EQUAL(ticket_marks(&c, &old, MON_0900 + 7 * HOUR, &m), 0);
	CU_ASSERT_EQUAL(m.half, MON_0900 + 4 * HOUR);
	CU_ASSERT_EQUAL(m.high, MON_0900 + 6 * HOUR);
	CU_ASSERT_EQUAL(m.breach, 0);
	CU_ASSERT_EQUAL(m.warn, 0);
	/* Resumed two hours later: breach moves by the pause. */
	ticket_clock_move(&c, TSTATUS_WAITING, TSTATUS_OPEN, MON_0900 + 9 * HOUR);
	old = m;
	CU_ASSERT_EQUAL(ticket_marks(&c, &old, MON_0900 + 9 * HOUR, &m), 0);
	CU_ASSERT_EQUAL(m.high, MON_0900 + 6 * HOUR);
	CU_ASSERT_EQUAL(m.breach, MON_0900 + 10 * HOUR);
}

static void
test_ticket_vocabulary_bounds(void)
{
	int	 i;

	for (i = 0; i < PRIO__MAX; i++)
		CU_ASSERT_EQUAL(ticket_priority_parse(ticket_priority_name(
		    (enum ticket_priority)i)), i);
	for (i = 0; i < TSTATUS__MAX; i++)
		CU_ASSERT_EQUAL(ticket_status_parse(ticket_status_name(
		    (enum ticket_status)i)), i);
	for (i = 0; i < NOTIFY__MAX; i++)
		CU_ASSERT_EQUAL(notify_type_parse(notify_type_name(
		    (enum notify_type)i)), i);
	CU_ASSERT_PTR_NULL(ticket_priority_name(PRIO__MAX));
	CU_ASSERT_PTR_NULL(ticket_priority_name((enum ticket_priority)-1));
	CU_ASSERT_PTR_NULL(notify_type_name(NOTIFY__MAX));
	CU_ASSERT_EQUAL(ticket_priority_parse(NULL), -1);
	CU_ASSERT_EQUAL(ticket_status_parse(""), -1);
	CU_ASSERT_EQUAL(notify_type_parse(NULL), -1);
}

static void
test_ticket_calendar_holidays_bounded(void)
{
	struct ticket_calendar	 tc;
	struct json_object	*o, *hol;
	char			 date[16];
	int			 i;

	/* No zone (or null): UTC; no holidays: none. */
	o = parse("{\"time_zone\": null, \"working_days\": [7], "
	    "\"start\": \"00:00\", \"end\": \"24:00\", \"holidays\": null}");
	CU_ASSERT_FATAL(o != NULL);
	CU_ASSERT_EQUAL(ticket_calendar_from_json(o, &tc, NULL, 0), 0);
	CU_ASSERT_STRING_EQUAL(tc.cal.zone, "UTC");
	CU_ASSERT_EQUAL(tc.cal.nholidays, 0);
	CU_ASSERT_EQUAL(tc.cal.open[0], 0);
	CU_ASSERT_EQUAL(tc.cal.close[0], 1440);
	/* CAL_HOLIDAYS_MAX dates are the most. */
	hol = json_object_new_array();
	for (i = 0; i < CAL_HOLIDAYS_MAX; i++) {
		snprintf(date, sizeof(date), "%04d-01-01", 2000 + i);
		json_object_array_add(hol, json_object_new_string(date));
	}
	json_object_object_add(o, "holidays", hol);
	CU_ASSERT_EQUAL(ticket_calendar_from_json(o, &tc, NULL, 0), 0);
	CU_ASSERT_EQUAL(tc.cal.nholidays, CAL_HOLIDAYS_MAX);
	json_object_array_add(hol, json_object_new_string("2500-01-01"));
	CU_ASSERT_EQUAL(ticket_calendar_from_json(o, &tc, NULL, 0), -1);
	json_object_put(o);
}

/* A calendar with no open day: every reading of the clock fails. */
static void
test_ticket_unusable_calendar_fails(void)
{
	struct ticket_calendar	 closed;
	struct ticket_clock	 c;
	struct ticket_reading	 rd;
	struct ticket_marks	 m;

	memset(&closed, 0, sizeof(closed));
	clock_init(&c, 8);
	c.cal = &closed.cal;
	CU_ASSERT_EQUAL(ticket_read(&c, MON_0900 + HOUR, &rd), -1);
	CU_ASSERT_EQUAL(ticket_marks(&c, NULL, MON_0900, &m), -1);
	c.paused_since = MON_0900;
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_WAITING, TSTATUS_OPEN,
	    MON_0900 + HOUR), -1);
	/* A warning mark past 100 %: no instant for it. */
	clock_init(&c, 8);
	c.warn_percent = 101;
	CU_ASSERT_EQUAL(ticket_marks(&c, NULL, MON_0900, &m), -1);
}

static void
test_ticket_moves_without_effect(void)
{
	struct ticket_clock	 c, before;
	struct ticket_reading	 rd;

	clock_init(&c, 8);
	before = c;
	/* The same status: nothing changes. */
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_OPEN, TSTATUS_OPEN,
	    MON_0900 + HOUR), 0);
	CU_ASSERT_EQUAL(memcmp(&c, &before, sizeof(c)), 0);
	/* Waiting twice: the pause keeps its start. */
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_OPEN, TSTATUS_WAITING,
	    MON_0900 + HOUR), 0);
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_IN_PROGRESS,
	    TSTATUS_WAITING, MON_0900 + 2 * HOUR), 0);
	CU_ASSERT_EQUAL(c.paused_since, MON_0900 + HOUR);
	/* Resolved after an answer: the answer's time stays. */
	c.first_response = MON_0900 + HOUR / 2;
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_WAITING,
	    TSTATUS_RESOLVED, MON_0900 + 3 * HOUR), 0);
	CU_ASSERT_EQUAL(c.first_response, MON_0900 + HOUR / 2);
	CU_ASSERT_EQUAL(c.resolved, MON_0900 + 3 * HOUR);
	CU_ASSERT_EQUAL(c.paused, 2 * HOUR);
	/* A resolved ticket with no resolution time reopens as it is. */
	c.resolved = 0;
	CU_ASSERT_EQUAL(ticket_clock_move(&c, TSTATUS_RESOLVED, TSTATUS_OPEN,
	    MON_0900 + 4 * HOUR), 0);
	CU_ASSERT_EQUAL(c.paused_since, 0);
	CU_ASSERT_EQUAL(c.paused, 2 * HOUR);
	/* No first-response target: never breached. */
	c.first_response_hours = 0;
	CU_ASSERT_EQUAL(ticket_read(&c, MON_0900 + 30 * HOUR, &rd), 0);
	CU_ASSERT_FALSE(rd.fr_breached);
	/* An answer after resolution does not stop the target later. */
	clock_init(&c, 8);
	c.resolved = MON_0900 + HOUR;
	c.first_response = MON_0900 + 2 * HOUR;
	CU_ASSERT_EQUAL(ticket_read(&c, MON_0900 + 3 * HOUR, &rd), 0);
	CU_ASSERT_TRUE(rd.fr_breached);
}

static void
test_ticket_calendar_json_defaults(void)
{
	struct ticket_calendar	 tc;
	struct json_object	*o;

	/* An empty calendar (24x7 in the store) reads back as closed, UTC. */
	memset(&tc, 0, sizeof(tc));
	o = ticket_calendar_json(&tc);
	CU_ASSERT_STRING_EQUAL(json_text(o, NULL),
	    "{\"time_zone\":\"UTC\",\"working_days\":[],\"start\":\"00:00\","
	    "\"end\":\"00:00\",\"holidays\":[]}");
	json_object_put(o);
}

static const struct unit_test tests[] = {
	{ "test_ticket_vocabulary", test_ticket_vocabulary },
	{ "test_ticket_calendar_round_trip", test_ticket_calendar_round_trip },
	{ "test_ticket_calendar_refused", test_ticket_calendar_refused },
	{ "test_ticket_pause_and_resume", test_ticket_pause_and_resume },
	{ "test_ticket_resolve_and_reopen", test_ticket_resolve_and_reopen },
	{ "test_ticket_marks", test_ticket_marks },
	{ "test_ticket_marks_kept_once_passed",
	    test_ticket_marks_kept_once_passed },
	{ "test_ticket_vocabulary_bounds", test_ticket_vocabulary_bounds },
	{ "test_ticket_calendar_holidays_bounded",
	    test_ticket_calendar_holidays_bounded },
	{ "test_ticket_unusable_calendar_fails",
	    test_ticket_unusable_calendar_fails },
	{ "test_ticket_moves_without_effect", test_ticket_moves_without_effect },
	{ "test_ticket_calendar_json_defaults",
	    test_ticket_calendar_json_defaults },
};

int
suite_ticket(void)
{
	return UNIT_SUITE("ticket", tests);
}
